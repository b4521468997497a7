-- ALTER DEFAULT PRIVILEGES … IN SCHEMA, one row per grantee and privilege. `full_count` is
-- the number of privileges the object kind has, so that a complete set reads as ALL.
SELECT n.nspname::text AS schema_name,
       pg_get_userbyid(da.defaclrole)::text AS for_role,
       da.defaclobjtype::text AS object_type,
       CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
       x.privilege_type::text AS privilege,
       (SELECT count(*) FROM aclexplode(acldefault(
            CASE da.defaclobjtype WHEN 'S' THEN 's' WHEN 'n' THEN 'n' ELSE da.defaclobjtype END,
            da.defaclrole)) d
        WHERE d.grantee = da.defaclrole)::int8 AS full_count
FROM pg_default_acl da
JOIN pg_namespace n ON n.oid = da.defaclnamespace
CROSS JOIN LATERAL aclexplode(da.defaclacl) x
WHERE n.nspname = ANY($1)
  AND x.grantee <> da.defaclrole
ORDER BY 1, 2, 3, 4, 5
