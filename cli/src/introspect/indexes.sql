-- Indexes of tables and materialized views, except those backing a primary key or unique
-- constraint (the constraint stands for them), and the indexes of exclusion constraints
-- with the constraint's operators and timing (`exclusion` true): one reading of keys,
-- operator classes and collations serves both. Aligned arrays, one entry per
-- index column (key columns, then INCLUDE columns): `defs` (column or expression text),
-- `column_names` and `attnums` ('' and 0 for an expression). Per key column: the operator
-- class when it is not the default one, the collation when it is not the column's or the
-- type's, and the indoption bits (1 = DESC, 2 = NULLS FIRST).
-- Set-based (columns unnested, joined, aggregated back) rather than one sub-select per
-- index and array: per-row sub-plans made this the slowest catalog query at 2,000 indexes.
WITH idx AS (
    SELECT i.indexrelid, i.indrelid, i.indisunique, i.indnullsnotdistinct, i.indnkeyatts,
           i.indkey, i.indclass,
           i.indcollation, i.indoption,
           i.indpred, ic.relname, ic.relam, ic.reloptions,
           xc.conexclop, coalesce(xc.condeferrable, false) AS condeferrable,
           coalesce(xc.condeferred, false) AS condeferred
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_constraint xc
      ON xc.conindid = i.indexrelid AND xc.conrelid = i.indrelid AND xc.contype = 'x'
    WHERE n.nspname = ANY($1)
      AND c.relkind IN ('r', 'p', 'm')
      AND NOT c.relispartition
      -- An INVALID index is what an interrupted CREATE INDEX CONCURRENTLY leaves: it does not
      -- count as present, so the next plan builds it again (apply drops the leftover first).
      AND i.indisvalid
      AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                      WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                        AND con.contype IN ('p', 'u'))
),
-- One row per index column. pg_get_indexdef deparses, so it is called for expressions
-- only; a plain column is its quoted name, which is what pg_get_indexdef prints for it.
-- Each row carries its index's own columns too, so that the aggregation below reads this
-- set alone: joining it back to `idx` let the planner, misled by a new database's catalog
-- statistics, compare every key with every index (4.5 million pairs at 2,000 indexes).
keys AS (
    SELECT x.indexrelid, x.indrelid, x.relname, x.relam, x.indisunique,
           x.indnullsnotdistinct, x.indnkeyatts, x.indpred, x.reloptions, k.k,
           x.conexclop IS NOT NULL AS exclusion, x.condeferrable, x.condeferred,
           CASE WHEN x.conexclop IS NULL OR k.k > x.indnkeyatts THEN NULL
                WHEN pg_operator_is_visible(op.oid) THEN op.oprname::text
                ELSE 'OPERATOR(' || quote_ident(opn.nspname) || '.' || op.oprname || ')'
           END AS operator,
           CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.k::int, true)
                ELSE quote_ident(ta.attname) END AS def,
           coalesce(ta.attname::text, '') AS column_name,
           k.attnum,
           CASE WHEN k.k > x.indnkeyatts THEN NULL
                WHEN o.opcdefault THEN ''
                WHEN pg_opclass_is_visible(o.oid) THEN quote_ident(o.opcname)
                ELSE quote_ident(on_.nspname) || '.' || quote_ident(o.opcname) END AS opclass,
           CASE WHEN k.k > x.indnkeyatts THEN NULL
                WHEN x.indcollation[k.k - 1] = 0
                  OR x.indcollation[k.k - 1] = coalesce(ta.attcollation, ty.typcollation)
                THEN '' ELSE co.collname::text END AS collation,
           CASE WHEN k.k > x.indnkeyatts THEN NULL ELSE x.indoption[k.k - 1] END AS option
    FROM idx x
    CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, k)
    LEFT JOIN pg_attribute ta ON k.attnum <> 0 AND ta.attrelid = x.indrelid AND ta.attnum = k.attnum
    LEFT JOIN pg_attribute ia ON ia.attrelid = x.indexrelid AND ia.attnum = k.k
    LEFT JOIN pg_type ty ON ty.oid = ia.atttypid
    LEFT JOIN pg_opclass o ON o.oid = x.indclass[k.k - 1]
    LEFT JOIN pg_namespace on_ ON on_.oid = o.opcnamespace
    LEFT JOIN pg_collation co ON co.oid = x.indcollation[k.k - 1]
    LEFT JOIN pg_operator op ON op.oid = x.conexclop[k.k]
    LEFT JOIN pg_namespace opn ON opn.oid = op.oprnamespace
)
SELECT k.indrelid::int8 AS table_oid,
       k.relname::text AS name,
       am.amname::text AS method,
       k.indisunique AS is_unique,
       k.indnullsnotdistinct AS nulls_not_distinct,
       k.indnkeyatts::int4 AS key_count,
       array_agg(k.def ORDER BY k.k) AS defs,
       array_agg(k.column_name ORDER BY k.k) AS column_names,
       array_agg(k.attnum ORDER BY k.k)::int2[] AS attnums,
       array_agg(k.opclass ORDER BY k.k) FILTER (WHERE k.k <= k.indnkeyatts) AS opclasses,
       array_agg(k.collation ORDER BY k.k) FILTER (WHERE k.k <= k.indnkeyatts) AS collations,
       array_agg(k.option ORDER BY k.k) FILTER (WHERE k.k <= k.indnkeyatts)::int2[] AS options,
       k.exclusion,
       coalesce(array_agg(k.operator ORDER BY k.k) FILTER (WHERE k.k <= k.indnkeyatts AND k.exclusion),
                '{}') AS operators,
       k.condeferrable AS deferrable,
       k.condeferred AS initially_deferred,
       pg_get_expr(k.indpred, k.indrelid, true) AS predicate,
       coalesce(k.reloptions, '{}')::text[] AS with_options,
       ds.description AS comment
FROM keys k
JOIN pg_am am ON am.oid = k.relam
LEFT JOIN pg_description ds
  ON ds.objoid = k.indexrelid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
GROUP BY k.indexrelid, k.indrelid, k.relname, am.amname, k.indisunique, k.indnullsnotdistinct,
         k.indnkeyatts, k.indpred, k.reloptions, k.exclusion, k.condeferrable, k.condeferred,
         ds.description
ORDER BY k.indrelid, k.relname
