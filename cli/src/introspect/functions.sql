-- Functions, procedures and the aggregates the model expresses (no window functions),
-- except those that belong to an extension. Arguments come as aligned arrays over all
-- arguments (OUT and TABLE columns included); defaults are cut out of
-- pg_get_function_arguments, which is the only place that prints them one by one. An
-- aggregate's support functions come as aligned schema and name arrays (SFUNC, FINALFUNC,
-- COMBINEFUNC, SERIALFUNC, DESERIALFUNC; empty when absent). Which aggregates the model
-- expresses is decided as in the inventory's `routine` CTE (`modelled_aggregate`).
SELECT p.oid::int8 AS oid,
       n.nspname::text AS schema_name,
       p.proname::text AS name,
       p.prokind::text AS kind,
       pg_get_userbyid(p.proowner)::text AS owner,
       coalesce(p.proargnames, '{}')::text[] AS arg_names,
       ARRAY(SELECT quote_ident(a) FROM unnest(p.proargnames) WITH ORDINALITY x(a, ord)
             ORDER BY ord) AS quoted_names,
       ARRAY(SELECT format_type(t, NULL)
             FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY a(t, ord)
             ORDER BY ord) AS arg_types,
       coalesce(p.proargmodes::text[], '{}') AS arg_modes,
       p.pronargdefaults::int4 AS default_count,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       l.lanname::text AS language,
       p.provolatile::text AS volatility,
       p.prosecdef AS security_definer,
       p.proisstrict AS strict,
       p.proparallel::text AS parallel,
       coalesce(p.proconfig, '{}')::text[] AS config,
       p.prosrc AS body,
       obj_description(p.oid, 'pg_proc') AS comment,
       format_type(a.aggtranstype, NULL) AS state_type,
       a.agginitval AS initial_condition,
       coalesce(a.aggfinalextra, false) AS final_extra,
       ARRAY(SELECT coalesce(sn.nspname::text, '')
             FROM unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                               a.aggdeserialfn]::oid[]) WITH ORDINALITY f(oid, ord)
             LEFT JOIN pg_proc sp ON sp.oid = f.oid
             LEFT JOIN pg_namespace sn ON sn.oid = sp.pronamespace
             ORDER BY ord) AS support_schemas,
       ARRAY(SELECT coalesce(sp.proname::text, '')
             FROM unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                               a.aggdeserialfn]::oid[]) WITH ORDINALITY f(oid, ord)
             LEFT JOIN pg_proc sp ON sp.oid = f.oid
             ORDER BY ord) AS support_names
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE n.nspname = ANY($1)
  AND (p.prokind IN ('f', 'p')
       OR (p.prokind = 'a' AND a.aggkind = 'n' AND a.aggmtransfn = 0 AND a.aggsortop = 0
           AND a.aggtransspace = 0 AND a.aggfinalmodify = 'r' AND p.proargnames IS NULL
           AND p.provariadic = 0))
  -- Extensions' functions, and the constructors a range type brings ('i'), are not ours.
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                    AND d.deptype IN ('e', 'i'))
ORDER BY 2, 3, pg_get_function_identity_arguments(p.oid)
