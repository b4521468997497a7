-- The roles named ($1) and every role they are members of, directly or not, with the
-- attributes the model declares and those it cannot (superuser).
WITH RECURSIVE closure(oid) AS (
  SELECT r.oid FROM pg_roles r WHERE r.rolname = ANY($1)
  UNION
  SELECT m.roleid FROM pg_auth_members m JOIN closure c ON c.oid = m.member
)
SELECT r.rolname::text AS name,
       r.rolsuper AS superuser,
       r.rolcanlogin AS login,
       r.rolinherit AS inherit,
       r.rolcreatedb AS createdb,
       r.rolcreaterole AS createrole,
       r.rolbypassrls AS bypassrls,
       r.rolconnlimit::int4 AS connection_limit,
       ARRAY(SELECT p.rolname::text FROM pg_auth_members m
             JOIN pg_roles p ON p.oid = m.roleid
             WHERE m.member = r.oid ORDER BY 1) AS member_of,
       shobj_description(r.oid, 'pg_authid') AS comment
FROM pg_roles r
JOIN closure c ON c.oid = r.oid
ORDER BY 1
