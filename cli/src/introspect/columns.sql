-- Columns of tables and views (partitions repeat their parent's, so they are skipped).
-- `serial` is true when the default is nextval() of a sequence OWNED BY the column:
-- what `serial` creates, and what the model writes as `serial`.
SELECT c.oid::int8 AS table_oid,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.atttypid::int8 AS type_oid,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       col_description(c.oid, a.attnum) AS comment,
       (seq.oid IS NOT NULL
        AND pg_get_expr(ad.adbin, ad.adrelid)
            = format('nextval(%L::regclass)', seq.oid::regclass::text)) AS serial
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN LATERAL (
  SELECT s.oid FROM pg_depend d
  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    AND d.refobjid = c.oid AND d.refobjsubid = a.attnum AND d.deptype = 'a'
  LIMIT 1
) seq ON a.attidentity = ''
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT c.relispartition
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY c.oid, a.attnum
