//! Aggregates (issue 16), judged "upgrade ≡ fresh" (see `common_upgrade`) on a real
//! PostgreSQL: a changed aggregate is dropped and created with the view over it; one over
//! a support function whose types change goes before that function and comes back after
//! it; a removed one goes before its support function. Each also runs its way back and as
//! generated migrations. Then what the server does with provisioned ones: the median and
//! the zero-argument count compute, and EXECUTE is the granted role's only.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, scenario};

const STATS: &str = r#"
database: { name: c16_aggregates, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  stats:
    owner: c15_owner
    grants: [{ to: [c15_reader], privileges: [usage] }]
    tables:
      readings:
        columns:
          id: { type: bigint, identity: always, primary_key: true }
          sensor: { type: text, nullable: false }
          value: { type: integer, nullable: false }
        grants: [{ to: [c15_reader], privileges: [select] }]
    views:
      sensor_medians:
        query: SELECT sensor, stats.median(value) AS median FROM stats.readings GROUP BY sensor
        grants: [{ to: [c15_reader], privileges: [select] }]
    functions:
      accumulate:
        args: [{ name: state, type: "integer[]" }, { name: value, type: integer }]
        returns: "integer[]"
        language: sql
        volatility: immutable
        body: SELECT state || value
      middle:
        args: [{ name: state, type: "integer[]" }]
        returns: numeric
        language: sql
        volatility: immutable
        body: SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v)::numeric FROM unnest(state) v
      add_clamped:
        args: [{ name: state, type: integer }, { name: value, type: integer }]
        returns: integer
        language: sql
        volatility: immutable
        body: SELECT least(state + value, 100)
    aggregates:
      median:
        args: [integer]
        state_function: accumulate
        state_type: "integer[]"
        initial_condition: "{}"
        final_function: middle
        combine_function: array_cat
        parallel: safe
        comment: The middle value of a group
        grants: [{ to: [c15_reader], privileges: [execute] }]
      capped_total:
        args: [integer]
        state_function: add_clamped
        state_type: integer
        initial_condition: "0"
        grants: [{ to: [c15_owner], privileges: [execute] }]
      "Row Count":
        state_function: int8inc
        state_type: bigint
        initial_condition: "0"
"#;

const BASE: Base = Base {
    text: STATS,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

#[tokio::test]
async fn changed_aggregate_is_recreated_with_the_view_over_it() {
    let plan = scenario(
        &BASE,
        "agg_changed",
        &[(
            "        final_function: middle\n        combine_function: array_cat\n",
            "        final_function: middle\n",
        )],
    )
    .await;
    let sql = plan.sql();
    let view_dropped = sql.find("DROP VIEW stats.sensor_medians").expect(&sql);
    let dropped = sql
        .find("DROP AGGREGATE stats.median(integer)")
        .expect(&sql);
    let created = sql
        .find("CREATE AGGREGATE stats.median(integer)")
        .expect(&sql);
    let view_created = sql.find("CREATE VIEW stats.sensor_medians").expect(&sql);
    let granted = sql
        .find("GRANT EXECUTE ON FUNCTION stats.median(integer) TO c15_reader")
        .expect(&sql);
    assert!(
        view_dropped < dropped && dropped < created && created < view_created,
        "{sql}"
    );
    assert!(created < granted, "{sql}");
}

#[tokio::test]
async fn aggregate_over_a_retyped_support_function_goes_first_and_comes_back_after() {
    let plan = scenario(
        &BASE,
        "agg_support",
        &[
            (
                "        args: [{ name: state, type: integer }, { name: value, type: integer }]\n        returns: integer\n",
                "        args: [{ name: state, type: bigint }, { name: value, type: integer }]\n        returns: bigint\n",
            ),
            (
                "        state_function: add_clamped\n        state_type: integer\n",
                "        state_function: add_clamped\n        state_type: bigint\n",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    let aggregate_dropped = sql
        .find("DROP AGGREGATE stats.capped_total(integer)")
        .expect(&sql);
    let function_dropped = sql
        .find("DROP FUNCTION stats.add_clamped(integer, integer)")
        .expect(&sql);
    let function_created = sql.find("CREATE FUNCTION stats.add_clamped(").expect(&sql);
    let aggregate_created = sql
        .find("CREATE AGGREGATE stats.capped_total(")
        .expect(&sql);
    assert!(
        aggregate_dropped < function_dropped
            && function_dropped < function_created
            && function_created < aggregate_created,
        "{sql}"
    );
}

#[tokio::test]
async fn removed_aggregate_goes_before_its_support_function() {
    let plan = scenario(
        &BASE,
        "agg_removed",
        &[
            (
                "      add_clamped:\n        args: [{ name: state, type: integer }, { name: value, type: integer }]\n        returns: integer\n        language: sql\n        volatility: immutable\n        body: SELECT least(state + value, 100)\n",
                "",
            ),
            (
                "      capped_total:\n        args: [integer]\n        state_function: add_clamped\n        state_type: integer\n        initial_condition: \"0\"\n        grants: [{ to: [c15_owner], privileges: [execute] }]\n",
                "",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    let aggregate = sql
        .find("DROP AGGREGATE stats.capped_total(integer)")
        .expect(&sql);
    let function = sql
        .find("DROP FUNCTION stats.add_clamped(integer, integer)")
        .expect(&sql);
    assert!(aggregate < function, "{sql}");
}

/// What provisioned aggregates do: the median of each sensor through the view, the
/// zero-argument aggregate called with `*`, the clamped sum; the reader runs what it was
/// granted and is refused the aggregate granted to the owner only.
#[tokio::test]
async fn provisioned_aggregates_compute_and_only_granted_roles_run_them() {
    let db = unique("c16_agg_run");
    BASE.provision(&db, STATS);
    let owner = connect(&db_url(&db)).await;
    exec(
        &owner,
        "INSERT INTO stats.readings (sensor, value) VALUES \
         ('a', 1), ('a', 9), ('a', 5), ('b', 60), ('b', 70)",
    )
    .await;
    let medians = strings(
        &owner,
        "SELECT sensor || '=' || median::text FROM stats.sensor_medians ORDER BY sensor",
    )
    .await;
    assert_eq!(medians, ["a=5", "b=65"]);
    let rows = scalar_i64(&owner, "SELECT stats.\"Row Count\"(*) FROM stats.readings").await;
    assert_eq!(rows, 5);
    let capped = scalar_i64(
        &owner,
        "SELECT stats.capped_total(value)::bigint FROM stats.readings",
    )
    .await;
    assert_eq!(capped, 100);

    let reader_password = ENV.iter().find(|(v, _)| *v == "C15_READER_PW").unwrap().1;
    let reader = connect_as(&db, "c15_reader", reader_password).await;
    let median = strings(
        &reader,
        "SELECT stats.median(value)::text FROM stats.readings WHERE sensor = 'b'",
    )
    .await;
    assert_eq!(median, ["65"]);
    let denied = exec_err(
        &reader,
        "SELECT stats.capped_total(value) FROM stats.readings",
    )
    .await;
    assert!(denied.contains("permission denied"), "{denied}");
}
