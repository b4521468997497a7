-- The roles part of a cached catalog: the rows of the roles it asked for ($1, found or
-- not), the names of the roles each is a member of, and their comments. pg_authid (and
-- so its xmin) is readable by superusers only, so the rows are hashed by content; a
-- password change does not show in pg_roles, and introspection does not read passwords.
-- Only these roles count: roles created or changed elsewhere in the cluster leave a
-- cached catalog valid.
WITH r AS (SELECT * FROM pg_roles WHERE rolname = ANY($1))
SELECT md5(
         coalesce((SELECT string_agg(r::text, ',' ORDER BY r.rolname) FROM r), '') || '|' ||
         coalesce((SELECT string_agg(m::text || ':' || g.rolname, ',' ORDER BY m.oid)
                   FROM pg_auth_members m
                   JOIN pg_roles g ON g.oid = m.roleid
                   WHERE m.member IN (SELECT oid FROM r)), '') || '|' ||
         coalesce((SELECT string_agg(d.objoid::text || ':' || d.description, ',' ORDER BY d.objoid)
                   FROM pg_shdescription d
                   WHERE d.classoid = 'pg_catalog.pg_authid'::regclass
                     AND d.objoid IN (SELECT oid FROM r)), '')
       ) AS fingerprint
