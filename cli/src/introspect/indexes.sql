-- Indexes of tables and materialized views, except those backing a primary key, unique or
-- exclusion constraint (the constraint stands for them). Aligned arrays, one entry per
-- index column (key columns, then INCLUDE columns): `defs` (column or expression text),
-- `column_names` and `attnums` ('' and 0 for an expression). Per key column: the operator
-- class when it is not the default one, the collation when it is not the column's or the
-- type's, and the indoption bits (1 = DESC, 2 = NULLS FIRST).
SELECT i.indrelid::int8 AS table_oid,
       ic.relname::text AS name,
       am.amname::text AS method,
       i.indisunique AS is_unique,
       i.indnullsnotdistinct AS nulls_not_distinct,
       i.indnkeyatts::int4 AS key_count,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
             FROM generate_series(1, i.indnatts) k ORDER BY k) AS defs,
       ARRAY(SELECT coalesce(a.attname::text, '')
             FROM generate_series(1, i.indnatts) k
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
             ORDER BY k) AS column_names,
       ARRAY(SELECT i.indkey[k - 1]
             FROM generate_series(1, i.indnatts) k ORDER BY k)::int2[] AS attnums,
       ARRAY(SELECT CASE WHEN o.opcdefault THEN ''
                         WHEN pg_opclass_is_visible(o.oid) THEN quote_ident(o.opcname)
                         ELSE quote_ident(on_.nspname) || '.' || quote_ident(o.opcname) END
             FROM generate_series(1, i.indnkeyatts) k
             JOIN pg_opclass o ON o.oid = i.indclass[k - 1]
             JOIN pg_namespace on_ ON on_.oid = o.opcnamespace
             ORDER BY k) AS opclasses,
       ARRAY(SELECT CASE WHEN i.indcollation[k - 1] = 0
                           OR i.indcollation[k - 1] = coalesce(ta.attcollation, ty.typcollation)
                         THEN '' ELSE co.collname::text END
             FROM generate_series(1, i.indnkeyatts) k
             LEFT JOIN pg_attribute ta
               ON i.indkey[k - 1] <> 0 AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k - 1]
             LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k
             LEFT JOIN pg_type ty ON ty.oid = ia.atttypid
             LEFT JOIN pg_collation co ON co.oid = i.indcollation[k - 1]
             ORDER BY k) AS collations,
       ARRAY(SELECT i.indoption[k - 1]
             FROM generate_series(1, i.indnkeyatts) k ORDER BY k)::int2[] AS options,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       coalesce(ic.reloptions, '{}')::text[] AS with_options,
       obj_description(i.indexrelid, 'pg_class') AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p', 'm')
  AND NOT c.relispartition
  -- An INVALID index is what an interrupted CREATE INDEX CONCURRENTLY leaves: it does not
  -- count as present, so the next plan builds it again (apply drops the leftover first).
  AND i.indisvalid
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                  WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                    AND con.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname
