-- The database itself and its extensions. plpgsql is in every database, so it is left out.
SELECT current_database()::text AS name,
       pg_get_userbyid(d.datdba)::text AS owner,
       pg_encoding_to_char(d.encoding)::text AS encoding,
       d.datcollate::text AS locale,
       ARRAY(SELECT e.extname::text FROM pg_extension e
             WHERE e.extname <> 'plpgsql' ORDER BY e.oid) AS extensions
FROM pg_database d
WHERE d.datname = current_database()
