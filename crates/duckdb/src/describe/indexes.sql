-- Indexes created by CREATE INDEX (constraints' own indexes are not listed).
SELECT schema_name, table_name, index_name, is_unique,
       expressions, comment
FROM duckdb_indexes()
WHERE database_name = current_database()
  AND schema_name NOT IN ('information_schema', 'pg_catalog', 'schemactl')
ORDER BY schema_name, table_name, index_name
