-- Roles by name, with the roles each is a member of.
SELECT r.rolname::text AS name,
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
WHERE r.rolname = ANY($1)
ORDER BY 1
