-- User triggers. Clones on partitions (tgparentid <> 0) repeat their parent's, and
-- internal ones implement constraints. tgtype bits: 1 ROW, 2 BEFORE, 4 INSERT, 8 DELETE,
-- 16 UPDATE, 32 TRUNCATE, 64 INSTEAD. The WHEN clause is only printed in full by
-- pg_get_triggerdef (tgqual refers to OLD and NEW, which pg_get_expr cannot name).
SELECT tg.tgrelid::int8 AS table_oid,
       tg.tgname::text AS name,
       tg.tgtype::int4 AS type_bits,
       ARRAY(SELECT a.attname::text FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS update_of,
       fn.nspname::text AS function_schema,
       p.proname::text AS function_name,
       tg.tgnargs::int4 AS arg_count,
       tg.tgargs AS args,
       CASE WHEN tg.tgqual IS NOT NULL THEN pg_get_triggerdef(tg.oid, true) END AS definition,
       obj_description(tg.oid, 'pg_trigger') AS comment
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = tg.tgfoid
JOIN pg_namespace fn ON fn.oid = p.pronamespace
WHERE n.nspname = ANY($1)
  AND NOT tg.tgisinternal
  AND tg.tgparentid = 0
ORDER BY tg.tgrelid, tg.tgname
