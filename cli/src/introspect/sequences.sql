-- Standalone sequences of the managed schemas, with every option and the column that owns
-- one (OWNED BY). Sequences an identity column or a serial column stands for (a column
-- owns it and its default is nextval() of it) are the column's: `columns.sql` reads those.
-- Sequences that belong to an extension are the extension's business.
WITH owner AS (
  SELECT d.objid AS seq, c.relname AS table_name, a.attname AS column_name,
         (d.deptype = 'i'
          OR pg_get_expr(ad.adbin, ad.adrelid)
             = format('nextval(%L::regclass)', d.objid::regclass::text)) AS stands_for_column
  FROM pg_depend d
  JOIN pg_class c ON c.oid = d.refobjid
  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
)
SELECT n.nspname::text AS schema_name,
       c.relname::text AS name,
       pg_get_userbyid(c.relowner)::text AS owner,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       o.table_name::text AS owned_by_table,
       o.column_name::text AS owned_by_column,
       ds.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN owner o ON o.seq = c.oid
LEFT JOIN pg_description ds
  ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
WHERE c.relkind = 'S'
  AND n.nspname = ANY($1)
  AND NOT coalesce(o.stands_for_column, false)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
