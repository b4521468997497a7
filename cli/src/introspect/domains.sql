-- Domains of the managed schemas: base type, NOT NULL, default, collation (when it is not
-- the base type's), check constraints by name and comment. Domains that belong to an
-- extension are the extension's business. NOT NULL constraints (which PostgreSQL 17+
-- also lists in pg_constraint) are read as `typnotnull`; a check that is NOT VALID is
-- listed by the inventory.
SELECT n.nspname::text AS schema_name,
       t.typname::text AS name,
       pg_get_userbyid(t.typowner)::text AS owner,
       format_type(t.typbasetype, t.typtypmod) AS base,
       t.typnotnull AS not_null,
       pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       CASE WHEN t.typcollation <> bt.typcollation THEN
         CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
              ELSE cn.nspname || '.' || co.collname END
       END AS collation,
       ARRAY(SELECT c.conname::text FROM pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_names,
       ARRAY(SELECT pg_get_expr(c.conbin, 0) FROM pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) AS check_exprs,
       obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd'
  AND n.nspname = ANY($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2
