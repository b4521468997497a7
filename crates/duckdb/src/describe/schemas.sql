-- The schemas of the database a model may hold (not DuckDB's own, not schemactl's).
SELECT schema_name, comment
FROM duckdb_schemas()
WHERE database_name = current_database()
  AND schema_name NOT IN ('information_schema', 'pg_catalog', 'schemactl')
ORDER BY schema_name
