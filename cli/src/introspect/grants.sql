-- Explicit privileges on schemas, tables, views, columns, sequences and functions, one row
-- per grantee and privilege, without the owner's own. A NULL ACL means the defaults and yields no row.
-- `full_count` is how many privileges the object kind has, so that a complete set reads as
-- ALL. `object_key` identifies a function by oid (the name alone is ambiguous).
WITH objects AS (
  SELECT 'schema' AS kind, n.nspname AS schema_name, n.nspname AS name, NULL::name AS column_name,
         0::int8 AS object_key, n.nspowner AS owner, n.nspacl AS acl, 'n'::"char" AS acl_kind
  FROM pg_namespace n
  WHERE n.nspname = ANY($1)
  UNION ALL
  SELECT 'relation', n.nspname, c.relname, NULL, c.oid::int8, c.relowner, c.relacl, 'r'
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
  UNION ALL
  SELECT 'column', n.nspname, c.relname, a.attname, c.oid::int8, c.relowner, a.attacl, 'c'
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
    AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
  UNION ALL
  -- Sequences: a serial column's are skipped by the reader (the catalog has no entry).
  SELECT 'sequence', n.nspname, c.relname, NULL, c.oid::int8, c.relowner, c.relacl, 's'
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1) AND c.relkind = 'S'
  UNION ALL
  SELECT 'function', n.nspname, p.proname, NULL, p.oid::int8, p.proowner, p.proacl, 'f'
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  -- Aggregates too; the reader keeps the grants of routines it read (by oid) only.
  WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p', 'a')
)
SELECT o.kind,
       o.schema_name::text AS schema_name,
       o.name::text AS name,
       o.column_name::text AS column_name,
       o.object_key,
       CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
       x.privilege_type::text AS privilege,
       x.is_grantable AS grantable,
       (SELECT count(*) FROM aclexplode(acldefault(o.acl_kind, o.owner)) d
        WHERE d.grantee = o.owner)::int8 AS full_count
FROM objects o
CROSS JOIN LATERAL aclexplode(o.acl) x
WHERE o.acl IS NOT NULL
  AND x.grantee <> o.owner
ORDER BY 1, 2, 3, 4, 6, 7
