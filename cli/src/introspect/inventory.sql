-- What the managed schemas ($1) hold that the model cannot express: one row per object or
-- attribute, as (kind, name, detail). `kind` is a value of the model's `unmanaged.kind`;
-- `name` is schema-qualified (`schema.table.column` for a column, `schema.f(argtypes)` for
-- a routine). Objects that belong to an extension are the extension's business and left
-- out. Database-wide objects (publications, event triggers, global default privileges)
-- are listed when they exist at all, since they reach into every schema.
WITH ns AS (
  SELECT n.oid, n.nspname FROM pg_namespace n WHERE n.nspname = ANY($1)
),
ext AS (
  SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'
),
rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.reloptions, c.relowner,
         c.reloftype, c.relispartition, c.reltablespace, c.relreplident, ns.nspname,
         quote_ident(ns.nspname) || '.' || quote_ident(c.relname) AS qname,
         -- The parameters of its TOAST table, as `toast.*` ones.
         ARRAY(SELECT 'toast.' || o FROM unnest(tc.reloptions) o) AS toast_options
  FROM pg_class c
  JOIN ns ON ns.oid = c.relnamespace
  LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass
                                         AND ext.objid = c.oid)
),
routine_kind AS (
  SELECT p.oid, a.aggkind, a.aggmtransfn <> 0 AS moving, a.aggsortop <> 0 AS sort_operator,
         a.aggtransspace <> 0 AS state_space, a.aggfinalmodify <> 'r' AS final_modify,
         -- What the model expresses: functions, procedures and the ordinary aggregates
         -- without named or variadic arguments, a moving-aggregate mode, a sort
         -- operator, a state size or a final function allowed to modify the state
         -- (`functions.sql` reads the same ones).
         p.prokind IN ('f', 'p')
           OR (p.prokind = 'a' AND a.aggkind = 'n' AND a.aggmtransfn = 0 AND a.aggsortop = 0
               AND a.aggtransspace = 0 AND a.aggfinalmodify = 'r' AND p.proargnames IS NULL
               AND p.provariadic = 0) AS modelled
  FROM pg_proc p
  LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
),
routine AS (
  SELECT p.oid, p.proname, p.prokind, p.proowner, p.procost, p.prorows, p.proretset,
         p.proleakproof, p.prosupport, p.prosqlbody IS NOT NULL AS atomic_body,
         p.probin, p.proargnames, p.pronargs, p.proallargtypes, p.proacl, p.provariadic,
         l.lanname, ns.nspname, k.aggkind, k.moving, k.sort_operator, k.state_space,
         k.final_modify, k.modelled,
         quote_ident(ns.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS qname
  FROM pg_proc p
  JOIN routine_kind k ON k.oid = p.oid
  JOIN ns ON ns.oid = p.pronamespace
  JOIN pg_language l ON l.oid = p.prolang
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass
                                         AND ext.objid = p.oid)
    -- The constructors a range type brings are part of the type.
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                               AND d.objid = p.oid AND d.deptype = 'i')
),
typ AS (
  SELECT t.oid, t.typname, t.typtype, t.typrelid, t.typowner, ns.nspname,
         quote_ident(ns.nspname) || '.' || quote_ident(t.typname) AS qname,
         -- The model's own type kinds: enums, domains and standalone composite types
         -- (not a relation's row type).
         CASE WHEN t.typtype IN ('e', 'd') THEN true
              WHEN t.typtype = 'c' THEN EXISTS (SELECT 1 FROM pg_class c
                                                WHERE c.oid = t.typrelid AND c.relkind = 'c')
              ELSE false END AS modelled
  FROM pg_type t
  JOIN ns ON ns.oid = t.typnamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass
                                         AND ext.objid = t.oid)
),
-- Sequences of the managed schemas that a column owns, with what the checks below need:
-- `stands_for_column` when the column is an identity one, or a serial one (its default is
-- nextval() of this sequence): what `identity` and `serial` create. Everything is read
-- here, once, so that the checks join nothing (a fresh database's catalog statistics led
-- the planner into a nested loop of a million probes when they joined `rel`).
column_sequence AS MATERIALIZED (
  SELECT sq.oid AS seq, sq.relname AS seq_name, sq.relacl AS seq_acl, sq.relowner AS seq_owner,
         quote_ident(ns.nspname) || '.' || quote_ident(sq.relname) AS qname,
         d.deptype, a.attname, c.relname AS table_name, c.relacl AS table_acl,
         c.relowner AS table_owner,
         (d.deptype = 'i'
          OR pg_get_expr(ad.adbin, ad.adrelid)
             = format('nextval(%L::regclass)', sq.oid::regclass::text)) AS stands_for_column
  FROM pg_depend d
  JOIN pg_class sq ON sq.oid = d.objid AND sq.relkind = 'S'
  JOIN ns ON ns.oid = sq.relnamespace
  JOIN pg_class c ON c.oid = d.refobjid
  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
)
-- (Standalone sequences are modelled: `sequences.sql` reads them.)
-- Serial sequences whose name or options differ from what the model creates (an identity
-- column's options are the model's `identity_options`: columns.sql reads them).
SELECT 'sequence_options' AS kind, cs.qname AS name,
       'owned by ' || cs.attname || ': ' ||
       concat_ws(', ',
         CASE WHEN cs.seq_name <> cs.table_name || '_' || cs.attname || '_seq'
              THEN 'named ' || quote_ident(cs.seq_name) END,
         CASE WHEN s.seqstart <> d.start THEN 'START ' || s.seqstart END,
         CASE WHEN s.seqincrement <> 1 THEN 'INCREMENT ' || s.seqincrement END,
         CASE WHEN s.seqmin <> d.min THEN 'MINVALUE ' || s.seqmin END,
         CASE WHEN s.seqmax <> d.max THEN 'MAXVALUE ' || s.seqmax END,
         CASE WHEN s.seqcache <> 1 THEN 'CACHE ' || s.seqcache END,
         CASE WHEN s.seqcycle THEN 'CYCLE' END) AS detail
FROM column_sequence cs
JOIN pg_sequence s ON s.seqrelid = cs.seq
-- The defaults of CREATE SEQUENCE for the sequence's type and direction.
CROSS JOIN LATERAL (
  SELECT CASE WHEN s.seqincrement > 0 THEN 1 ELSE lim.lo END AS min,
         CASE WHEN s.seqincrement < 0 THEN -1 ELSE lim.hi END AS max,
         CASE WHEN s.seqincrement > 0 THEN 1 ELSE -1 END AS start
  FROM (SELECT CASE s.seqtypid WHEN 'int2'::regtype THEN -32768
                               WHEN 'int4'::regtype THEN -2147483648
                               ELSE -9223372036854775808 END AS lo,
               CASE s.seqtypid WHEN 'int2'::regtype THEN 32767
                               WHEN 'int4'::regtype THEN 2147483647
                               ELSE 9223372036854775807 END AS hi) lim
) d
WHERE cs.stands_for_column AND cs.deptype = 'a'
  AND (cs.seq_name <> cs.table_name || '_' || cs.attname || '_seq'
       OR s.seqstart <> d.start OR s.seqincrement <> 1 OR s.seqmin <> d.min
       OR s.seqmax <> d.max OR s.seqcache <> 1 OR s.seqcycle)
UNION ALL
-- (Domains and composite types are modelled: `domains.sql`, `composite_types.sql`.)
SELECT CASE t.typtype WHEN 'r' THEN 'range_type' ELSE 'base_type' END,
       t.qname,
       CASE t.typtype WHEN 'r' THEN 'CREATE TYPE … AS RANGE ' ELSE 'CREATE TYPE ' END || t.qname
FROM typ t
WHERE t.typtype IN ('r', 'b')
  -- The array type every type gets, and the multirange of a range, come with it.
  AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
UNION ALL
SELECT 'window_function', p.qname, p.lanname
FROM routine p
WHERE p.prokind = 'w'
UNION ALL
SELECT 'aggregate', p.qname,
       concat_ws(', ',
         CASE p.aggkind WHEN 'o' THEN 'an ordered-set aggregate (WITHIN GROUP)'
                        WHEN 'h' THEN 'a hypothetical-set aggregate' END,
         CASE WHEN p.moving THEN 'a moving-aggregate mode (MSFUNC)' END,
         CASE WHEN p.sort_operator THEN 'a sort operator (SORTOP)' END,
         CASE WHEN p.state_space THEN 'a state size (SSPACE)' END,
         CASE WHEN p.final_modify THEN 'FINALFUNC_MODIFY' END,
         CASE WHEN p.proargnames IS NOT NULL THEN 'named arguments' END,
         CASE WHEN p.provariadic <> 0 THEN 'a VARIADIC argument' END)
FROM routine p
WHERE p.prokind = 'a' AND NOT p.modelled
UNION ALL
SELECT 'function_attributes', p.qname,
       concat_ws(', ',
         CASE WHEN p.atomic_body THEN 'a SQL-standard body (BEGIN ATOMIC)' END,
         CASE WHEN p.probin IS NOT NULL THEN 'an object file (' || p.probin || ')' END,
         CASE WHEN p.procost <> CASE WHEN p.lanname IN ('c', 'internal') THEN 1 ELSE 100 END
              THEN 'COST ' || p.procost END,
         CASE WHEN p.prorows <> CASE WHEN p.proretset THEN 1000 ELSE 0 END
              THEN 'ROWS ' || p.prorows END,
         CASE WHEN p.proleakproof THEN 'LEAKPROOF' END,
         CASE WHEN p.prosupport <> 0 THEN 'SUPPORT ' || p.prosupport::regproc END,
         CASE WHEN (p.proargnames IS NULL AND (p.pronargs > 0 OR p.proallargtypes IS NOT NULL))
                   OR '' = ANY (p.proargnames)
              THEN 'an argument without a name' END)
FROM routine p
WHERE p.prokind IN ('f', 'p')
  AND (p.atomic_body OR p.probin IS NOT NULL OR p.proleakproof OR p.prosupport <> 0
       OR p.procost <> CASE WHEN p.lanname IN ('c', 'internal') THEN 1 ELSE 100 END
       OR p.prorows <> CASE WHEN p.proretset THEN 1000 ELSE 0 END
       OR (p.proargnames IS NULL AND (p.pronargs > 0 OR p.proallargtypes IS NOT NULL))
       OR '' = ANY (p.proargnames))
UNION ALL
SELECT 'extended_statistics', quote_ident(ns.nspname) || '.' || quote_ident(s.stxname),
       pg_get_statisticsobjdef(s.oid)
FROM pg_statistic_ext s
JOIN ns ON ns.oid = s.stxnamespace
UNION ALL
SELECT 'foreign_table', r.qname, 'CREATE FOREIGN TABLE ' || r.qname
FROM rel r WHERE r.relkind = 'f'
UNION ALL
-- Unlogged tables and tables' storage parameters are modelled; a partition's are its own.
SELECT 'unlogged_table', r.qname, 'CREATE UNLOGGED TABLE ' || r.qname
FROM rel r WHERE r.relkind IN ('r', 'p') AND r.relpersistence = 'u' AND r.relispartition
UNION ALL
SELECT 'typed_table', r.qname, 'OF ' || r.reloftype::regtype::text
FROM rel r WHERE r.relkind IN ('r', 'p') AND r.reloftype <> 0
UNION ALL
SELECT 'storage_parameters', r.qname,
       'WITH (' || array_to_string(coalesce(r.reloptions, '{}') || r.toast_options, ', ') || ')'
FROM rel r
WHERE (r.relkind = 'm' OR (r.relkind = 'r' AND r.relispartition))
  AND (r.reloptions IS NOT NULL OR cardinality(r.toast_options) > 0)
UNION ALL
-- A view's security_barrier and security_invoker are in the model; check_option is not.
SELECT 'view_options', r.qname, array_to_string(r.reloptions, ', ')
FROM rel r
WHERE r.relkind = 'v'
  AND EXISTS (SELECT 1 FROM unnest(r.reloptions) o
              WHERE split_part(o, '=', 1) NOT IN ('security_barrier', 'security_invoker'))
UNION ALL
SELECT 'tablespace', r.qname, 'TABLESPACE ' || quote_ident(t.spcname)
FROM rel r JOIN pg_tablespace t ON t.oid = r.reltablespace
WHERE r.relkind IN ('r', 'p', 'm', 'i', 'I') AND r.reltablespace <> 0
UNION ALL
SELECT 'replica_identity', r.qname,
       'REPLICA IDENTITY ' || CASE r.relreplident WHEN 'n' THEN 'NOTHING' WHEN 'f' THEN 'FULL'
                                                  ELSE 'USING INDEX' END
FROM rel r WHERE r.relkind IN ('r', 'p') AND r.relreplident <> 'd'
UNION ALL
SELECT 'inheritance', r.qname, 'INHERITS (' || i.inhparent::regclass::text || ')'
FROM rel r JOIN pg_inherits i ON i.inhrelid = r.oid
WHERE NOT r.relispartition AND r.relkind IN ('r', 'p', 'f')
UNION ALL
SELECT 'rule', r.qname || '.' || quote_ident(w.rulename),
       regexp_replace(pg_get_ruledef(w.oid), '\s+', ' ', 'g')
FROM pg_rewrite w JOIN rel r ON r.oid = w.ev_class
WHERE w.rulename <> '_RETURN'
UNION ALL
-- A partition is created by the model from its parent; anything of its own is not.
SELECT 'sub_partition', r.qname,
       CASE WHEN parent.relispartition THEN 'a partition of the partition '
            ELSE 'a partition of a table in another schema, ' END
       || i.inhparent::regclass::text
FROM rel r
JOIN pg_inherits i ON i.inhrelid = r.oid
JOIN pg_class parent ON parent.oid = i.inhparent
WHERE r.relispartition
  AND (parent.relispartition OR parent.relnamespace NOT IN (SELECT oid FROM ns))
UNION ALL
SELECT 'partition_detail', r.qname,
       concat_ws(', ',
         CASE WHEN EXISTS (SELECT 1 FROM pg_index x
                           WHERE x.indrelid = r.oid
                             AND NOT EXISTS (SELECT 1 FROM pg_inherits ii
                                             WHERE ii.inhrelid = x.indexrelid))
              THEN 'an index of its own' END,
         CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k
                           WHERE k.conrelid = r.oid AND k.conparentid = 0
                             AND k.contype <> 'n' AND k.conislocal)
              THEN 'a constraint of its own' END,
         CASE WHEN EXISTS (SELECT 1 FROM pg_trigger g
                           WHERE g.tgrelid = r.oid AND g.tgparentid = 0 AND NOT g.tgisinternal)
              THEN 'a trigger of its own' END,
         CASE WHEN EXISTS (SELECT 1 FROM pg_policy pol WHERE pol.polrelid = r.oid)
              THEN 'policies' END,
         CASE WHEN c.relrowsecurity THEN 'row-level security' END,
         CASE WHEN c.relacl IS NOT NULL THEN 'grants' END,
         CASE WHEN EXISTS (SELECT 1 FROM pg_description ds
                           WHERE ds.classoid = 'pg_class'::regclass AND ds.objoid = r.oid)
              THEN 'a comment' END,
         CASE WHEN bound.is_default AND r.relname <> parent.relname || '_default'
              THEN 'a DEFAULT partition not named ' || parent.relname || '_default' END)
FROM rel r
JOIN pg_class c ON c.oid = r.oid
JOIN pg_inherits i ON i.inhrelid = r.oid
JOIN pg_class parent ON parent.oid = i.inhparent
CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS is_default) bound
WHERE r.relispartition AND NOT parent.relispartition
  AND (c.relrowsecurity OR c.relacl IS NOT NULL
       OR (bound.is_default AND r.relname <> parent.relname || '_default')
       OR EXISTS (SELECT 1 FROM pg_index x
                  WHERE x.indrelid = r.oid
                    AND NOT EXISTS (SELECT 1 FROM pg_inherits ii WHERE ii.inhrelid = x.indexrelid))
       OR EXISTS (SELECT 1 FROM pg_constraint k
                  WHERE k.conrelid = r.oid AND k.conparentid = 0 AND k.contype <> 'n'
                    AND k.conislocal)
       OR EXISTS (SELECT 1 FROM pg_trigger g
                  WHERE g.tgrelid = r.oid AND g.tgparentid = 0 AND NOT g.tgisinternal)
       OR EXISTS (SELECT 1 FROM pg_policy pol WHERE pol.polrelid = r.oid)
       OR EXISTS (SELECT 1 FROM pg_description ds
                  WHERE ds.classoid = 'pg_class'::regclass AND ds.objoid = r.oid))
UNION ALL
SELECT 'partition_key', r.qname, pg_get_partkeydef(r.oid)
FROM rel r JOIN pg_partitioned_table pt ON pt.partrelid = r.oid
WHERE 0 = ANY (pt.partattrs::int2[])
UNION ALL
-- (A constraint trigger's pg_constraint row is reported with the trigger.)
-- (DEFERRABLE and INITIALLY DEFERRED keys, unique constraints and foreign keys are modelled,
-- and so are exclusion constraints.)
-- A comment on the index behind a key, unique or exclusion constraint: the model comments
-- indexes it declares, not these.
SELECT 'comment', r.qname || '.' || quote_ident(ic.relname), 'COMMENT ON INDEX of a constraint'
FROM pg_constraint k
JOIN rel r ON r.oid = k.conrelid
JOIN pg_class ic ON ic.oid = k.conindid
JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = ic.oid
WHERE NOT r.relispartition AND k.conparentid = 0 AND k.contype IN ('p', 'u', 'x')
UNION ALL
-- The model asks for valid constraints: one added NOT VALID and never validated is not
-- what provisioning gives (plans validate it).
SELECT 'constraint_attributes', r.qname || '.' || quote_ident(k.conname), 'NOT VALID'
FROM pg_constraint k
JOIN rel r ON r.oid = k.conrelid
WHERE NOT r.relispartition AND k.conparentid = 0 AND k.contype IN ('c', 'f')
  AND NOT k.convalidated
UNION ALL
SELECT 'constraint_attributes', r.qname || '.' || quote_ident(k.conname),
       'a check that is DEFERRABLE or NOT ENFORCED'
FROM pg_constraint k
JOIN rel r ON r.oid = k.conrelid
WHERE NOT r.relispartition AND k.conparentid = 0 AND k.contype = 'c'
  -- conenforced is PostgreSQL 18's; read through jsonb so that older servers run this too.
  AND (k.condeferrable OR to_jsonb(k) ->> 'conenforced' = 'false')
UNION ALL
-- A domain's checks are modelled valid, enforced and uncommented.
SELECT 'constraint_attributes', t.qname || '.' || quote_ident(k.conname),
       concat_ws(', ', CASE WHEN NOT k.convalidated THEN 'NOT VALID' END,
                 CASE WHEN ds.objoid IS NOT NULL THEN 'COMMENT ON CONSTRAINT' END)
FROM pg_constraint k
JOIN typ t ON t.oid = k.contypid
LEFT JOIN pg_description ds ON ds.classoid = 'pg_constraint'::regclass AND ds.objoid = k.oid
WHERE t.typtype = 'd' AND k.contype = 'c' AND (NOT k.convalidated OR ds.objoid IS NOT NULL)
UNION ALL
SELECT 'comment', r.qname || '.' || quote_ident(k.conname), 'COMMENT ON CONSTRAINT'
FROM pg_constraint k
JOIN rel r ON r.oid = k.conrelid
JOIN pg_description ds ON ds.classoid = 'pg_constraint'::regclass AND ds.objoid = k.oid
UNION ALL
SELECT 'comment', r.qname || '.' || quote_ident(a.attname), 'COMMENT ON COLUMN of a composite type'
FROM pg_description ds
JOIN rel r ON r.oid = ds.objoid AND r.relkind = 'c'
JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = ds.objsubid
WHERE ds.classoid = 'pg_class'::regclass AND ds.objsubid > 0
UNION ALL
SELECT 'comment', r.qname || '.' || quote_ident(pol.polname), 'COMMENT ON POLICY'
FROM pg_policy pol
JOIN rel r ON r.oid = pol.polrelid
JOIN pg_description ds ON ds.classoid = 'pg_policy'::regclass AND ds.objoid = pol.oid
UNION ALL
SELECT 'trigger_attributes', r.qname || '.' || quote_ident(g.tgname),
       concat_ws(', ',
         CASE WHEN r.relkind NOT IN ('r', 'p') THEN 'a trigger on a view' END,
         CASE WHEN g.tgconstraint <> 0 THEN 'a constraint trigger' END,
         CASE WHEN g.tgoldtable IS NOT NULL OR g.tgnewtable IS NOT NULL
              THEN 'transition tables (REFERENCING)' END,
         CASE WHEN g.tgenabled <> 'O' THEN 'enabled state ' || g.tgenabled::text END)
FROM pg_trigger g
JOIN rel r ON r.oid = g.tgrelid
WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND NOT r.relispartition
  AND (r.relkind NOT IN ('r', 'p') OR g.tgconstraint <> 0 OR g.tgoldtable IS NOT NULL
       OR g.tgnewtable IS NOT NULL OR g.tgenabled <> 'O')
UNION ALL
-- (A column's collation is modelled: `columns.sql` reads it.)
SELECT 'column_attributes', r.qname || '.' || quote_ident(a.attname),
       concat_ws(', ',
         CASE WHEN a.attgenerated = 'v' THEN 'a virtual generated column' END,
         CASE WHEN a.attcompression <> '' THEN 'COMPRESSION ' || a.attcompression::text END,
         CASE WHEN a.attstorage <> t.typstorage
              THEN 'STORAGE ' || CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'
                                                   WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END END,
         CASE WHEN a.attstattarget IS NOT NULL AND a.attstattarget >= 0
              THEN 'STATISTICS ' || a.attstattarget END,
         CASE WHEN a.attoptions IS NOT NULL
              THEN 'SET (' || array_to_string(a.attoptions, ', ') || ')' END)
FROM pg_attribute a
JOIN rel r ON r.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
WHERE r.relkind IN ('r', 'p') AND NOT r.relispartition AND a.attnum > 0
  AND NOT a.attisdropped
  AND (a.attgenerated = 'v' OR a.attcompression <> ''
       OR a.attstorage <> t.typstorage OR a.attoptions IS NOT NULL
       OR (a.attstattarget IS NOT NULL AND a.attstattarget >= 0))
UNION ALL
-- Privileges the model cannot write: on types, and a function or the public schema whose
-- default grant to PUBLIC was revoked with nothing granted instead (an empty `grants`
-- list means the defaults).
SELECT 'grants', t.qname, 'GRANT … ON TYPE'
FROM typ t JOIN pg_type pt ON pt.oid = t.oid
WHERE t.modelled AND pt.typacl IS NOT NULL
UNION ALL
-- The model grants USAGE on a serial column's sequence to whoever may insert into the
-- table, and nothing on an identity column's: any other privilege set is not its own.
SELECT 'grants', cs.qname, 'privileges on the sequence of ' || cs.table_name || '.'
       || cs.attname || ' other than USAGE for those who may insert'
FROM column_sequence cs
WHERE cs.stands_for_column
  AND EXISTS (
    (SELECT x.grantee, x.privilege_type, x.is_grantable
     FROM aclexplode(cs.seq_acl) x WHERE x.grantee <> cs.seq_owner
     EXCEPT
     SELECT x.grantee, 'USAGE', false
     FROM aclexplode(cs.table_acl) x
     WHERE cs.deptype = 'a' AND x.privilege_type = 'INSERT' AND x.grantee <> cs.table_owner)
    UNION ALL
    (SELECT x.grantee, 'USAGE', false
     FROM aclexplode(cs.table_acl) x
     WHERE cs.deptype = 'a' AND x.privilege_type = 'INSERT' AND x.grantee <> cs.table_owner
     EXCEPT
     SELECT x.grantee, x.privilege_type, x.is_grantable
     FROM aclexplode(cs.seq_acl) x WHERE x.grantee <> cs.seq_owner))
UNION ALL
SELECT 'grants', p.qname, 'EXECUTE revoked from PUBLIC with no grant instead'
FROM routine p
WHERE p.modelled AND p.proacl IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM aclexplode(p.proacl) x WHERE x.grantee <> p.proowner)
UNION ALL
SELECT 'grants', quote_ident(n.nspname), 'USAGE revoked from PUBLIC on schema public'
FROM pg_namespace n JOIN ns ON ns.oid = n.oid
WHERE n.nspname = 'public' AND n.nspacl IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM aclexplode(n.nspacl) x
                  WHERE x.grantee = 0 AND x.privilege_type = 'USAGE')
UNION ALL
-- Objects' owners are modelled (`owner`); a partition has its table's, which the model
-- cannot say otherwise.
SELECT 'owner', r.qname, 'owned by ' || quote_ident(pg_get_userbyid(r.relowner))
  || ', its table by ' || quote_ident(pg_get_userbyid(pt.relowner))
FROM rel r
JOIN pg_inherits i ON i.inhrelid = r.oid
JOIN pg_class pt ON pt.oid = i.inhparent
WHERE r.relispartition AND r.relowner <> pt.relowner
UNION ALL
SELECT 'default_privileges',
       coalesce(quote_ident(ns.nspname) || '.', '') || 'for ' || pg_get_userbyid(da.defaclrole),
       CASE da.defaclobjtype WHEN 'n' THEN 'on schemas' WHEN 'L' THEN 'on large objects'
                             ELSE 'in every schema' END
FROM pg_default_acl da
LEFT JOIN ns ON ns.oid = da.defaclnamespace
WHERE da.defaclnamespace = 0 OR (ns.oid IS NOT NULL AND da.defaclobjtype NOT IN ('r', 'S', 'f', 'T'))
UNION ALL
SELECT 'operator_family', quote_ident(ns.nspname) || '.' || quote_ident(o.opfname), 'CREATE OPERATOR FAMILY'
FROM pg_opfamily o JOIN ns ON ns.oid = o.opfnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_opfamily'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'operator_class', quote_ident(ns.nspname) || '.' || quote_ident(o.opcname), 'CREATE OPERATOR CLASS'
FROM pg_opclass o JOIN ns ON ns.oid = o.opcnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_opclass'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'operator', quote_ident(ns.nspname) || '.' || o.oprname
         || '(' || coalesce(format_type(o.oprleft, NULL), 'NONE') || ', '
         || coalesce(format_type(o.oprright, NULL), 'NONE') || ')',
       'CREATE OPERATOR'
FROM pg_operator o JOIN ns ON ns.oid = o.oprnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_operator'::regclass AND ext.objid = o.oid)
UNION ALL
SELECT 'collation', quote_ident(ns.nspname) || '.' || quote_ident(c.collname), 'CREATE COLLATION'
FROM pg_collation c JOIN ns ON ns.oid = c.collnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_collation'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'text_search', quote_ident(ns.nspname) || '.' || quote_ident(c.cfgname), 'CREATE TEXT SEARCH CONFIGURATION'
FROM pg_ts_config c JOIN ns ON ns.oid = c.cfgnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_ts_config'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'text_search', quote_ident(ns.nspname) || '.' || quote_ident(d.dictname), 'CREATE TEXT SEARCH DICTIONARY'
FROM pg_ts_dict d JOIN ns ON ns.oid = d.dictnamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_ts_dict'::regclass AND ext.objid = d.oid)
UNION ALL
SELECT 'conversion', quote_ident(ns.nspname) || '.' || quote_ident(c.conname), 'CREATE CONVERSION'
FROM pg_conversion c JOIN ns ON ns.oid = c.connamespace
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_conversion'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'publication', quote_ident(p.pubname),
       CASE WHEN p.puballtables THEN 'FOR ALL TABLES' ELSE 'CREATE PUBLICATION' END
FROM pg_publication p
UNION ALL
SELECT 'event_trigger', quote_ident(e.evtname), 'ON ' || e.evtevent
FROM pg_event_trigger e
WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_event_trigger'::regclass
                                       AND ext.objid = e.oid)
UNION ALL
-- The model creates extensions where CREATE EXTENSION puts them by default.
SELECT 'extension_schema', quote_ident(e.extname), 'in schema ' || quote_ident(n.nspname)
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' AND n.nspname <> 'public'
ORDER BY 1, 2
