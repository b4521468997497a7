-- Whether Citus is installed in this database, and whether it records distributed
-- schemas (pg_dist_schema, Citus 12+). Without the extension nothing else is read.
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS present,
       to_regclass('pg_catalog.pg_dist_schema') IS NOT NULL AS has_schemas
