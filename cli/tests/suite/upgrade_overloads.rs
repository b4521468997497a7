//! Overloads (issue 16): routines of one name told apart by their argument types, judged
//! "upgrade ≡ fresh" (see `common_upgrade`) on a real PostgreSQL, whose last check is that
//! the live plan after the upgrade is empty: the model's routines pair with the ones read
//! back from the server by name and argument types, whichever spelling each side used
//! (`varchar(12)` and `character varying`, an unqualified type of the schema, a type in
//! `public`). Then what `pg_proc` says of each overload.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, scenario};

const OVERLOADS: &str = r#"
database: { name: c18_overloads, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  public:
    composite_types:
      point3: { attributes: { x: double precision, y: double precision, z: double precision } }
  geo:
    owner: c15_owner
    grants: [{ to: [c15_reader], privileges: [usage] }]
    composite_types:
      disc: { attributes: { r: double precision } }
      rect: { attributes: { w: double precision, h: double precision } }
    functions:
      area:
        - args: [{ name: d, type: disc }]
          returns: double precision
          language: sql
          body: SELECT pi() * (d).r ^ 2
        - args: [{ name: b, type: rect }]
          returns: double precision
          language: sql
          body: SELECT (b).w * (b).h
      label:
        - args: [{ name: code, type: varchar(12) }]
          returns: text
          language: sql
          body: SELECT upper(code)
        - args: [{ name: p, type: public.point3 }]
          returns: text
          language: sql
          body: SELECT (p).x || ',' || (p).y || ',' || (p).z
      touch:
        - returns: trigger
          body: "BEGIN NEW.updated_at := now(); RETURN NEW; END;"
        - args: [{ name: at, type: timestamptz }]
          returns: timestamptz
          language: sql
          body: SELECT date_trunc('second', at)
    procedures:
      label:
        args: [{ name: note, type: text }]
        body: "BEGIN RAISE NOTICE '%', note; END;"
    aggregates:
      total:
        - args: [integer]
          state_function: int4pl
          state_type: integer
        - args: [bigint]
          state_function: int8pl
          state_type: bigint
    tables:
      plots:
        columns:
          id: { type: bigint, primary_key: true }
          w: { type: double precision, nullable: false }
          h: { type: double precision, nullable: false }
          updated_at: { type: timestamptz }
        triggers:
          plots_touch: { timing: before, events: [update], function: touch }
    views:
      plot_areas:
        query: SELECT id, geo.area(ROW(w, h)::geo.rect) AS area FROM geo.plots
"#;

const BASE: Base = Base {
    text: OVERLOADS,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

/// One overload of `area` goes and another comes with a grant and a comment; a body of
/// `label` changes; a procedure overload and an aggregate overload come; a `touch` that
/// is not the trigger's goes.
const EDITS: &[(&str, &str)] = &[
    (
        r#"        - args: [{ name: d, type: disc }]
          returns: double precision
          language: sql
          body: SELECT pi() * (d).r ^ 2
"#,
        r#"        - args: [{ name: side, type: double precision }, { name: n, type: integer }]
          returns: double precision
          language: sql
          comment: A regular polygon's area
          body: SELECT n * side ^ 2 / (4 * tan(pi() / n))
          grants: [{ to: [c15_reader], privileges: [execute] }]
"#,
    ),
    ("body: SELECT upper(code)", "body: SELECT lower(code)"),
    (
        r#"      label:
        args: [{ name: note, type: text }]
        body: "BEGIN RAISE NOTICE '%', note; END;"
"#,
        r#"      label:
        - args: [{ name: note, type: text }]
          body: "BEGIN RAISE NOTICE '%', note; END;"
        - args: [{ name: note, type: text }, { name: times, type: integer }]
          body: "BEGIN FOR i IN 1..times LOOP RAISE NOTICE '%', note; END LOOP; END;"
"#,
    ),
    (
        r#"          state_function: int8pl
          state_type: bigint
"#,
        r#"          state_function: int8pl
          state_type: bigint
        - args: [numeric]
          state_function: numeric_add
          state_type: numeric
"#,
    ),
    (
        r#"        - args: [{ name: at, type: timestamptz }]
          returns: timestamptz
          language: sql
          body: SELECT date_trunc('second', at)
"#,
        "",
    ),
];

#[tokio::test]
async fn overloads_change_one_by_one() {
    let plan = scenario(&BASE, "overloads", EDITS).await;
    let sql = plan.sql();
    for statement in [
        "DROP FUNCTION geo.area(geo.disc)",
        "DROP FUNCTION geo.touch(timestamp with time zone)",
        "CREATE OR REPLACE FUNCTION geo.label(code character varying(12))",
        "CREATE PROCEDURE geo.label(note text, times integer)",
        "CREATE AGGREGATE geo.total(numeric)",
        "GRANT EXECUTE ON FUNCTION geo.area(double precision, integer) TO c15_reader",
    ] {
        assert!(sql.contains(statement), "{statement}:\n{sql}");
    }
    // The trigger runs `touch()`, which stays: the trigger is not rebuilt.
    assert!(!sql.contains("DROP TRIGGER"), "{sql}");

    let db = unique("c18_overloads");
    BASE.provision(&db, &BASE.edited(EDITS));
    let conn = connect(&db_url(&db)).await;
    let routines = strings(
        &conn,
        "SELECT p.oid::regprocedure::text || ' ' || p.prokind::text || ' ' \
                || coalesce(obj_description(p.oid, 'pg_proc'), '-') || ' ' \
                || has_function_privilege('c15_reader', p.oid, 'EXECUTE') \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'geo' ORDER BY 1",
    )
    .await;
    assert_eq!(
        routines,
        [
            "geo.area(double precision,integer) f A regular polygon's area true",
            "geo.area(geo.rect) f - true",
            "geo.label(character varying) f - true",
            "geo.label(point3) f - true",
            "geo.label(text) p - true",
            "geo.label(text,integer) p - true",
            "geo.total(bigint) a - true",
            "geo.total(integer) a - true",
            "geo.total(numeric) a - true",
            "geo.touch() f - true",
        ]
    );
    // PUBLIC lost EXECUTE on the granted overload only.
    let public = strings(
        &conn,
        "SELECT p.oid::regprocedure::text FROM pg_proc p \
         JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'geo' AND p.proacl IS NOT NULL ORDER BY 1",
    )
    .await;
    assert_eq!(public, ["geo.area(double precision,integer)"]);
}
