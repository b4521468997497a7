-- Primary keys, unique, check and foreign key constraints. Constraints a partition or a
-- referenced partition inherits (conparentid <> 0) repeat their parent's and are skipped;
-- NOT NULL constraints (PostgreSQL 18) are read as column nullability instead.
SELECT con.conrelid::int8 AS table_oid,
       con.conname::text AS name,
       con.contype::text AS kind,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS ref_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END AS check_expr,
       coalesce(ix.indnullsnotdistinct, false) AS nulls_not_distinct,
       -- A key's or unique constraint's index: its INCLUDE columns and storage parameters.
       ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             WHERE k.ord > ix.indnkeyatts
             ORDER BY k.ord) AS include_columns,
       coalesce(ixc.reloptions, '{}')::text[] AS index_options
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_index ix ON con.contype IN ('p', 'u') AND ix.indexrelid = con.conindid
LEFT JOIN pg_class ixc ON ixc.oid = ix.indexrelid
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND con.contype IN ('p', 'u', 'c', 'f')
  AND con.conparentid = 0
ORDER BY con.conrelid, con.conname
