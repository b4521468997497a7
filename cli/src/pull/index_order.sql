-- Indexes in the order they were created (by oid). The names PostgreSQL gives the indexes
-- of partitions depend on that order (a second index on the same columns gets `…_idx1`),
-- so the pulled model lists indexes in it, and provisioning creates them in it.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       i.relname::text AS index_name
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
ORDER BY x.indexrelid
