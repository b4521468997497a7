//! Upgrades that used to fail or leave a database unlike a fresh one (issue 15): an enum
//! value added and used in the same edit, a rename with a conversion, grant changes, and a
//! `$` in a renamed NOT NULL column (partition bounds: `upgrade_partitions.rs`). Each is judged
//! "upgrade ≡ fresh" (see `common_upgrade`), plus what the database holds afterwards.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::{BASE, ENV, FIXTURE};
use common_upgrade::{has_hazard, load, scenario};
use schemactl::diff::Hazard;

/// The base with `on_hold` added to `status` and used at once: as a column default, in a
/// CHECK and in a view.
fn enum_value_used_edits() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "status: [new, active, closed]",
            "status: [new, active, on_hold, closed]",
        ),
        ("default: \"'new'\" }", "default: \"'on_hold'\" }"),
        (
            "        grants: [{ to: [c15_reader], privileges: [select, delete] }]\n",
            "        grants: [{ to: [c15_reader], privileges: [select, delete] }]\n        checks:\n          orders_hold_priced: \"status <> 'on_hold' OR price IS NOT NULL\"\n",
        ),
        (
            "    functions:\n",
            "    views:\n      held_orders:\n        query: SELECT id, price FROM shop.orders WHERE status = 'on_hold'\n    functions:\n",
        ),
    ]
}

#[tokio::test]
async fn enum_value_added_and_used_in_the_same_edit() {
    let plan = scenario(&FIXTURE, "enum_used", &enum_value_used_edits()).await;
    // The new value is committed in a transaction of its own, before the statements that
    // use it: the plan's script shows that boundary.
    let sql = plan.sql();
    let add = sql.find("ADD VALUE IF NOT EXISTS 'on_hold'").expect(&sql);
    let commit = sql[add..].find("COMMIT;").map(|i| i + add).expect(&sql);
    let default = sql.find("SET DEFAULT 'on_hold'").expect(&sql);
    assert!(commit < default, "committed before it is used:\n{sql}");
    assert!(sql[commit..].contains("BEGIN;"), "{sql}");
}

/// A later step fails: the committed enum value stays (documented), nothing else of the
/// plan is applied, and a rerun once the cause is gone converges.
#[tokio::test]
async fn enum_value_stays_when_a_later_step_fails_and_a_rerun_converges() {
    let tag = unique("c15_enum_fail");
    FIXTURE.provision(&tag, BASE);
    let conn = connect(&db_url(&tag)).await;
    exec(
        &conn,
        "INSERT INTO shop.orders (id, price) VALUES (1, NULL)",
    )
    .await;
    let mut edits = enum_value_used_edits();
    // Validating this check fails on the row above.
    edits.push((
        "price: { type: \"numeric(10,2)\" }",
        "price: { type: \"numeric(10,2)\", check: \"price IS NOT NULL\" }",
    ));
    let new_text = FIXTURE.edited(&edits);
    let out = FIXTURE.apply(&tag, &new_text, &[]);
    assert!(!out.status.success(), "the check cannot be validated");
    let err = stderr(&out);
    assert!(err.contains("rolled back"), "{err}");
    let labels = "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = 'shop.status'::regtype ORDER BY enumsortorder";
    assert_eq!(
        strings(&conn, labels).await,
        ["new", "active", "on_hold", "closed"],
        "the value was committed before the failing step"
    );
    let views = "SELECT count(*) FROM pg_views WHERE schemaname = 'shop'";
    assert_eq!(
        scalar_i64(&conn, views).await,
        0,
        "the rest was rolled back"
    );

    exec(&conn, "UPDATE shop.orders SET price = 1").await;
    let out = FIXTURE.apply(&tag, &new_text, &[]);
    assert!(
        out.status.success(),
        "the rerun converges: {}",
        stderr(&out)
    );
    let again = common_upgrade::live_plan(&load("new.yaml", &new_text), &tag).await;
    assert!(again.is_empty(), "{}", again.sql());
    assert_eq!(scalar_i64(&conn, views).await, 1);
    drop(conn);
    drop_database(&tag).await;
}

/// The model reference's own example: `using` names the column by its new name.
const PRICE_CENTS: &str = "price_cents: { type: bigint, renamed_from: price, using: \"round(price_cents * 100)::bigint\" }";

/// The function that reads the column follows the rename: its body is checked once the
/// plan's objects exist, so a body still naming `price` fails the plan.
const PRICE_READER: (&str, &str) = (
    "SELECT price FROM shop.orders",
    "SELECT price_cents / 100.0 FROM shop.orders",
);

#[tokio::test]
async fn renamed_column_converted_with_using() {
    let plan = scenario(
        &FIXTURE,
        "rename_using",
        &[
            ("price: { type: \"numeric(10,2)\" }", PRICE_CENTS),
            PRICE_READER,
        ],
    )
    .await;
    assert!(plan.sql().contains("RENAME COLUMN price TO price_cents"));
    assert!(!plan.sql().contains("DROP COLUMN"), "{}", plan.sql());
    // The reference shows the example; it is the one this test runs.
    let reference = std::fs::read_to_string(workspace().join("docs/schema-reference.md")).unwrap();
    assert!(reference.contains(PRICE_CENTS), "docs/schema-reference.md");
}

#[tokio::test]
async fn renamed_column_keeps_its_converted_values() {
    let tag = unique("c15_cents");
    FIXTURE.provision(&tag, BASE);
    let conn = connect(&db_url(&tag)).await;
    exec(
        &conn,
        "INSERT INTO shop.orders (id, price) VALUES (1, 12.34)",
    )
    .await;
    let new_text = FIXTURE.edited(&[
        ("price: { type: \"numeric(10,2)\" }", PRICE_CENTS),
        PRICE_READER,
    ]);
    let out = FIXTURE.apply(&tag, &new_text, &["table-rewrite", "access-exclusive-lock"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        scalar_i64(&conn, "SELECT price_cents FROM shop.orders WHERE id = 1").await,
        1234
    );
    drop(conn);
    drop_database(&tag).await;
}

/// `using` written with the old name is caught by `validate`, at the expression.
#[test]
fn using_with_the_old_name_is_reported_at_the_expression() {
    let text = FIXTURE.edited(&[(
        "price: { type: \"numeric(10,2)\" }",
        "price_cents: { type: bigint, renamed_from: price, using: \"round(price * 100)::bigint\" }",
    )]);
    let path = write_model("c15_old_using", &text);
    let out = schemactl_env(&path, &["validate"], ENV);
    assert!(!out.status.success());
    let err = stderr(&out);
    let line = text
        .lines()
        .position(|l| l.contains("round(price *"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("{}:{line}:", path.display())),
        "points at the column: {err}"
    );
    assert!(err.contains("price_cents"), "names the new name: {err}");
}

#[tokio::test]
async fn grants_added_and_one_removed_keep_the_rest() {
    scenario(
        &FIXTURE,
        "grants_mixed",
        &[(
            "privileges: [select, delete] }]",
            "privileges: [select, insert, update] }]",
        )],
    )
    .await;
}

#[tokio::test]
async fn grant_of_all_narrowed_to_some() {
    let plan = scenario(
        &FIXTURE,
        "grants_all",
        &[(
            "privileges: [all] }]",
            "privileges: [select, insert, update] }]",
        )],
    )
    .await;
    assert!(has_hazard(&plan, Hazard::Authorization));
}

#[tokio::test]
async fn grant_option_changes() {
    scenario(
        &FIXTURE,
        "grant_option",
        &[(
            "privileges: [select, delete] }]",
            "privileges: [select, delete], with_grant_option: true }]",
        )],
    )
    .await;
}

/// A function that gets grants loses PUBLIC's EXECUTE on the first apply (and the down
/// step gives it back).
#[tokio::test]
async fn function_grants_revoke_public_execute_at_once() {
    scenario(
        &FIXTURE,
        "function_grants",
        &[(
            "body: SELECT price FROM shop.orders WHERE id = p_id\n",
            "body: SELECT price FROM shop.orders WHERE id = p_id\n        grants: [{ to: [c15_reader], privileges: [execute] }]\n",
        )],
    )
    .await;
}

/// The DO block that carries a NOT NULL constraint's name through a rename must not break
/// on a `$` in the name.
#[tokio::test]
async fn renamed_not_null_column_with_dollars_in_its_name() {
    scenario(
        &FIXTURE,
        "dollar_rename",
        &[(
            "note$$: { type: text, nullable: false }",
            "remark$$: { type: text, nullable: false, renamed_from: note$$ }",
        )],
    )
    .await;
}

/// Plans for the same model at once build its scratch database once: none of them sees
/// another's half-built copy (which made one fall back to comparing the model's own text
/// and report a default that differs only in spelling).
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_plans_share_one_scratch_database() {
    let tag = unique("c15_concurrent");
    // A schema comment no earlier run has seen, so the scratch database is built now.
    let text = FIXTURE.edited(&[(
        "    owner: c15_owner\n",
        &format!("    owner: c15_owner\n    comment: {tag}\n"),
    )]);
    FIXTURE.provision(&tag, &text);
    let model = load("concurrent.yaml", &text);
    let plans: Vec<_> = (0..4)
        .map(|_| {
            let (model, url) = (model.clone(), db_url(&tag));
            tokio::spawn(async move { schemactl::upgrade::plan(&model, &url).await })
        })
        .collect();
    for plan in plans {
        let plan = plan.await.unwrap().unwrap();
        assert!(plan.is_empty(), "{}", plan.sql());
    }
    drop_database(&tag).await;
}

/// A help desk whose function takes and returns an enum.
const TICKETS: &str = r#"
database: { name: c16_enum_fn, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  desk:
    owner: c15_owner
    enums:
      stage: [open, triage, closed]
    tables:
      tickets:
        columns:
          id: { type: bigint, primary_key: true }
          stage: { type: stage, nullable: false, default: "'open'" }
    functions:
      advance:
        args: [{ name: current, type: stage }]
        returns: stage
        language: sql
        volatility: immutable
        body: "SELECT CASE current WHEN 'open' THEN 'closed'::desk.stage ELSE current END"
        grants: [{ to: [c15_reader], privileges: [execute] }]
"#;

/// A value removed from an enum that a function's signature names: the function goes
/// (named by its signature while the type still has its name) before the type steps
/// aside, and comes back over the new type with its grant. Before, the old type could not
/// be dropped: the function still used it.
#[tokio::test]
async fn enum_replaced_under_a_function_signature() {
    let base = common_upgrade::Base {
        text: TICKETS,
        env: ENV,
        owner: "c15_owner",
        extensions: &[],
    };
    let plan = scenario(
        &base,
        "enum_fn",
        &[("stage: [open, triage, closed]", "stage: [open, closed]")],
    )
    .await;
    let sql = plan.sql();
    let dropped = sql
        .find("DROP FUNCTION desk.advance(desk.stage)")
        .expect(&sql);
    let aside = sql.find("ALTER TYPE desk.stage RENAME TO").expect(&sql);
    let created_type = sql.find("CREATE TYPE desk.stage AS ENUM").expect(&sql);
    let created = sql.find("CREATE FUNCTION desk.advance(").expect(&sql);
    let granted = sql
        .find("GRANT EXECUTE ON FUNCTION desk.advance(desk.stage) TO c15_reader")
        .expect(&sql);
    assert!(
        dropped < aside && aside < created_type && created_type < created && created < granted,
        "{sql}"
    );
}

/// The same value removed while the model also drops the function: it goes before the
/// type steps aside (a late `DROP FUNCTION desk.advance(desk.stage)` would name the new
/// type and fail).
#[tokio::test]
async fn enum_replaced_while_its_function_is_removed() {
    let base = common_upgrade::Base {
        text: TICKETS,
        env: ENV,
        owner: "c15_owner",
        extensions: &[],
    };
    let function = "    functions:\n      advance:\n        args: [{ name: current, type: stage }]\n        returns: stage\n        language: sql\n        volatility: immutable\n        body: \"SELECT CASE current WHEN 'open' THEN 'closed'::desk.stage ELSE current END\"\n        grants: [{ to: [c15_reader], privileges: [execute] }]\n";
    let plan = scenario(
        &base,
        "enum_fn_gone",
        &[
            ("stage: [open, triage, closed]", "stage: [open, closed]"),
            (function, ""),
        ],
    )
    .await;
    let sql = plan.sql();
    let dropped = sql
        .find("DROP FUNCTION desk.advance(desk.stage)")
        .expect(&sql);
    let aside = sql.find("ALTER TYPE desk.stage RENAME TO").expect(&sql);
    assert!(dropped < aside, "{sql}");
}
