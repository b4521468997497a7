-- Base tables, with their comments.
SELECT schema_name, table_name, comment
FROM duckdb_tables()
WHERE database_name = current_database()
  AND NOT internal AND NOT temporary
  AND schema_name NOT IN ('information_schema', 'pg_catalog', 'schemactl')
ORDER BY schema_name, table_name
