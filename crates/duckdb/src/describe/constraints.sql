-- Table constraints in the order CREATE TABLE wrote them; lists as JSON text.
SELECT schema_name, table_name, constraint_type, expression,
       to_json(constraint_column_names)::VARCHAR,
       referenced_table,
       to_json(referenced_column_names)::VARCHAR
FROM duckdb_constraints()
WHERE database_name = current_database()
  AND schema_name NOT IN ('information_schema', 'pg_catalog', 'schemactl')
ORDER BY schema_name, table_name, constraint_index
