-- Every object a provisioning script can create, in one round trip, keyed as
-- render::ObjectKey (kind, schema, name, table). System schemas are left out.
SELECT 'schema' AS kind, n.nspname AS schema_name, n.nspname AS name, NULL::text AS table_name
FROM pg_namespace n
UNION ALL
SELECT 'extension', '', e.extname, NULL FROM pg_extension e
UNION ALL
SELECT 'type', n.nspname, t.typname, NULL
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
UNION ALL
SELECT CASE
         WHEN c.relkind IN ('i', 'I') THEN 'index'
         WHEN c.relispartition THEN 'partition'
         WHEN c.relkind IN ('r', 'p') THEN 'table'
         WHEN c.relkind = 'v' THEN 'view'
         ELSE 'materialized_view'
       END,
       n.nspname, c.relname, NULL
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
UNION ALL
SELECT 'foreign_key', n.nspname, con.conname, c.relname
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'f'
UNION ALL
SELECT 'function', n.nspname, p.proname, NULL
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
UNION ALL
SELECT 'trigger', n.nspname, tg.tgname, c.relname
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal
UNION ALL
SELECT 'policy', n.nspname, pol.polname, c.relname
FROM pg_policy pol
JOIN pg_class c ON c.oid = pol.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
