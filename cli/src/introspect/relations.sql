-- Tables, partitions, views and materialized views. A partition names its parent and its
-- bound; a partitioned table its key (`key_columns` holds '' for an expression key).
SELECT c.oid::int8 AS oid,
       n.nspname::text AS schema_name,
       c.relname::text AS name,
       c.relkind::text AS kind,
       pg_get_userbyid(c.relowner)::text AS owner,
       c.relispartition AS is_partition,
       pc.oid::int8 AS parent_oid,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       pt.partstrat::text AS strategy,
       CASE WHEN pt.partrelid IS NOT NULL THEN
         ARRAY(SELECT coalesce(a.attname::text, '')
               FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
               ORDER BY k.ord)
       END AS key_columns,
       CASE WHEN pt.partrelid IS NOT NULL THEN pg_get_partkeydef(c.oid) END AS key_def,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       -- A table's TOAST table keeps its own parameters: they are the table's `toast.*`.
       coalesce(c.reloptions, '{}')::text[]
         || ARRAY(SELECT 'toast.' || o FROM unnest(tc.reloptions) o) AS options,
       c.relpersistence::text AS persistence,
       ds.description AS comment,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS query
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
-- A join, not obj_description(): that is a SQL function run once per row.
LEFT JOIN pg_description ds
  ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 2, 3
