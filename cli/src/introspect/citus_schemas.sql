-- Distributed schemas (schema-based sharding) among the requested schemas ($1).
SELECT n.nspname::text AS name
FROM pg_dist_schema d
JOIN pg_namespace n ON n.oid = d.schemaid
WHERE n.nspname = ANY($1)
