-- The schemas a pull reads when none are named: every schema but the system's and those
-- an extension created. `is_default_public` marks a `public` schema as initdb left it
-- (owner, comment and ACL untouched, nothing in it), which is not worth a model entry.
SELECT n.nspname::text AS name,
       (n.nspname = 'public'
        AND pg_get_userbyid(n.nspowner) = 'pg_database_owner'
        AND obj_description(n.oid, 'pg_namespace') IS NOT DISTINCT FROM 'standard public schema'
        -- Extensions' objects (pgvector's, say, which land in public) do not count.
        AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                          WHERE d.classid = 'pg_class'::regclass
                                            AND d.objid = c.oid AND d.deptype = 'e'))
        AND NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                          WHERE d.classid = 'pg_proc'::regclass
                                            AND d.objid = p.oid AND d.deptype = 'e'))
        AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid
                          AND t.typtype IN ('e', 'd', 'c', 'r')
                          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                          WHERE d.classid = 'pg_type'::regclass
                                            AND d.objid = t.oid AND d.deptype = 'e'))
        AND NOT EXISTS (SELECT 1 FROM pg_default_acl da WHERE da.defaclnamespace = n.oid)
        AND (n.nspacl IS NULL OR n.nspacl = acldefault('n', n.nspowner)
             || '{=U/pg_database_owner}'::aclitem[])) AS is_default_public
FROM pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                    AND d.deptype = 'e')
ORDER BY 1
