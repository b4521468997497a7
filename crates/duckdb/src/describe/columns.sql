-- Columns in table order: type as DuckDB spells it, nullability, default, comment.
SELECT schema_name, table_name, column_name, data_type, is_nullable, column_default, comment
FROM duckdb_columns()
WHERE database_name = current_database()
  AND NOT internal
  AND schema_name NOT IN ('information_schema', 'pg_catalog', 'schemactl')
ORDER BY schema_name, table_name, column_index
