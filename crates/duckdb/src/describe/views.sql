-- Views with the statement DuckDB keeps for each.
SELECT schema_name, view_name, sql, comment
FROM duckdb_views()
WHERE database_name = current_database()
  AND NOT internal AND NOT temporary
  AND schema_name NOT IN ('information_schema', 'pg_catalog', 'schemactl')
ORDER BY schema_name, view_name
