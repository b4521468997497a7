//! Upgrade ≡ fresh: for each edit, provision the old model, apply the diff to the new one,
//! and compare `pg_dump --schema-only` with the new model provisioned fresh. Then apply the
//! reverse diff (the migration's down) and compare with the old model's dump.

// Test helpers outside #[test] functions unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common_pg;

use std::path::Path;

use common_pg::*;
use schemactl::catalog::{Catalog, from_model};
use schemactl::diff::{Hazard, Hints};
use schemactl::plan::Plan;

/// The engine's plan between two model catalogs, objects made as the owner.
fn diff(old: &Catalog, new: &Catalog, hints: &Hints) -> Plan {
    Plan::Postgres {
        steps: schemactl_postgres::plan(old, new, hints).unwrap_or_else(|e| panic!("{e}")),
        owner: Some("up_owner".to_string()),
    }
}

const BASE: &str = r#"
database: { name: upgrade_base, owner: up_owner }
extensions: [vector]
roles:
  up_owner: { login: true, password_env: UP_OWNER_PW }
  up_reader: { login: true, password_env: UP_READER_PW }
schemas:
  app:
    owner: up_owner
    grants: [{ to: [up_reader], privileges: [usage] }]
    enums:
      status: [new, active, closed]
    tables:
      customers:
        comment: People who order
        columns:
          id: { type: bigint, identity: by_default, primary_key: true }
          email: { type: text, nullable: false }
          name: { type: text }
          tier: { type: integer }
        unique:
          customers_email_key: [email]
        indexes:
          customers_name_idx: { columns: [name] }
        grants: [{ to: [up_reader], privileges: [select] }]
        row_level_security:
          policies:
            reader_sees_all: { command: select, to: [up_reader], using: "true" }
            owner_all: { to: [up_owner], using: "true", with_check: "true" }
      orders:
        columns:
          id: { type: bigint, identity: by_default, primary_key: true }
          customer_id: { type: bigint, nullable: false }
          status: { type: status, nullable: false, default: "'new'" }
          total: { type: "numeric(10,2)" }
          embedding: { type: vector(3) }
          placed_at: { type: timestamptz, nullable: false, default: now() }
          updated_at: { type: timestamptz }
        indexes:
          orders_status_idx: { columns: [status] }
          orders_open_idx: { columns: [placed_at], where: "updated_at IS NULL" }
          orders_embedding_idx:
            using: hnsw
            columns: [{ column: embedding, opclass: vector_l2_ops }]
            with: { m: 16, ef_construction: 64 }
        triggers:
          orders_touch: { timing: before, events: [update], function: touch }
      events:
        partition_by: { range: [at] }
        partitions: { default: true, generate: { every: month, from: "2026-01", count: 2 } }
        columns:
          id: { type: bigint, nullable: false }
          at: { type: timestamptz, nullable: false }
          payload: { type: jsonb }
        primary_key: [id, at]
      notes:
        columns:
          id: { type: integer, primary_key: true }
          body: { type: text }
    views:
      customer_orders:
        query: SELECT c.id, c.email, count(o.id) AS orders FROM app.customers c LEFT JOIN app.orders o ON o.customer_id = c.id GROUP BY c.id, c.email
      big_customers:
        query: SELECT id, email FROM app.customer_orders WHERE orders > 10
    materialized_views:
      order_totals:
        query: SELECT status, sum(total) AS total FROM app.orders GROUP BY status
        indexes:
          order_totals_status: { columns: [status], unique: true }
    functions:
      touch:
        returns: trigger
        body: "BEGIN NEW.updated_at := now(); RETURN NEW; END;"
      order_count:
        args: [{ name: p_customer, type: bigint }]
        returns: bigint
        language: sql
        volatility: stable
        body: SELECT count(*) FROM app.orders WHERE customer_id = p_customer
"#;

const ENV: &[(&str, &str)] = &[
    ("UP_OWNER_PW", "up-owner-pw"),
    ("UP_READER_PW", "up-reader-pw"),
];

fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "the base model contains {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn load(name: &str, text: &str) -> schemactl::model::Model {
    let loaded = schemactl::load::load_str(Path::new(name), text.to_string())
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)));
    let problems = schemactl::validate::validate(&loaded);
    assert!(
        problems.is_empty(),
        "{}",
        schemactl::diag::render_all(&problems, &loaded.source)
    );
    loaded.model
}

fn provision_text(database: &str, text: &str) {
    let path = write_model(database, text);
    let output = schemactl_env(&path, &["provision", database, "--recreate", "--yes"], ENV);
    assert!(
        output.status.success(),
        "provision {database}:\n{}",
        stderr(&output)
    );
}

/// Applies a plan as `apply` does: connected as the admin, objects made as the owner.
async fn apply(database: &str, plan: &Plan) {
    let mut options = sea_orm::ConnectOptions::new(db_url(database));
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let conn = sea_orm::Database::connect(options).await.unwrap();
    schemactl::execute::run(&conn, &plan.script().unwrap())
        .await
        .unwrap_or_else(|e| panic!("applying to {database} failed: {e:#}\n{}", plan.sql()));
}

/// Runs one scenario; returns the upgrade plan for scenario-specific assertions.
async fn scenario(name: &str, edits: &[(&str, &str)]) -> Plan {
    let old_text = BASE.to_string();
    let new_text = edited(edits);
    let old = load("old.yaml", &old_text);
    let new = load("new.yaml", &new_text);
    let up = diff(
        &from_model(&old),
        &from_model(&new),
        &Hints::from_model(&new),
    );
    assert!(!up.is_empty(), "{name}: the edit produces a plan");
    let down = diff(
        &from_model(&new),
        &from_model(&old),
        &Hints::from_model(&new).reversed(),
    );

    let upgraded = format!("up_{name}_{}", std::process::id());
    let fresh = format!("fr_{name}_{}", std::process::id());
    provision_text(&upgraded, &old_text);
    let old_dump = schema_dump(&upgraded);
    apply(&upgraded, &up).await;
    provision_text(&fresh, &new_text);
    let upgraded_dump = schema_dump(&upgraded);
    let fresh_dump = schema_dump(&fresh);
    assert_dumps_equal(name, "upgrade", &up, &upgraded_dump, &fresh_dump);
    let again = diff(
        &from_model(&new),
        &from_model(&new),
        &Hints::from_model(&new),
    );
    assert!(
        again.is_empty(),
        "{name}: no drift after the upgrade:\n{}",
        again.sql()
    );

    apply(&upgraded, &down).await;
    assert_dumps_equal(name, "down", &down, &schema_dump(&upgraded), &old_dump);

    // The same edit as a generated migration, run by the migration runner. Role changes
    // are cluster-level and left to `provision`, so a roles-only edit has no migration.
    let cluster_only = match &up {
        Plan::Postgres { steps, .. } => steps.iter().all(|s| s.step.cluster_level()),
        Plan::Sqlite(_) => false,
    };
    if cluster_only {
        drop_database(&upgraded).await;
        drop_database(&fresh).await;
        return up;
    }
    let migrated = format!("mg_{name}_{}", std::process::id());
    let dir = workspace()
        .join("target")
        .join("test-migrations")
        .join(&migrated);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for (model, step) in [(&old, "base"), (&new, "edit")] {
        match schemactl::migrate::new_migration(&dir, model, step).unwrap() {
            schemactl::migrate::NewOutcome::Written { .. } => {}
            schemactl::migrate::NewOutcome::NoChange => panic!("{name}: migration {step} is empty"),
        }
        // Versions are timestamped to the second.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let admin = connect(&admin_url()).await;
    exec(
        &admin,
        &format!("DROP DATABASE IF EXISTS {migrated} WITH (FORCE)"),
    )
    .await;
    exec(
        &admin,
        &format!("CREATE DATABASE {migrated} OWNER up_owner"),
    )
    .await;
    exec(
        &connect(&db_url(&migrated)).await,
        "CREATE EXTENSION vector",
    )
    .await;
    let runner = schemactl::migrate::run::connect(&db_url(&migrated))
        .await
        .unwrap();
    let applied = schemactl::migrate::run::up(&runner, &dir, None, Some("up_owner"))
        .await
        .unwrap();
    assert_eq!(applied.len(), 2, "{name}: both migrations applied");
    assert_dumps_equal(
        name,
        "the generated migration",
        &up,
        &schema_dump(&migrated),
        &fresh_dump,
    );
    schemactl::migrate::run::down(&runner, &dir, 1, Some("up_owner"))
        .await
        .unwrap();
    assert_dumps_equal(
        name,
        "the migration's down",
        &down,
        &schema_dump(&migrated),
        &old_dump,
    );
    drop(runner);
    drop_database(&migrated).await;
    drop_database(&upgraded).await;
    drop_database(&fresh).await;
    up
}

fn assert_dumps_equal(name: &str, what: &str, plan: &Plan, got: &str, want: &str) {
    if got == want {
        return;
    }
    let diff: Vec<String> = similar_lines(want, got);
    panic!(
        "{name}: {what} differs from the fresh database\n--- plan ---\n{}\n--- dump difference (- fresh, + after {what}) ---\n{}",
        plan.sql(),
        diff.join("\n")
    );
}

fn similar_lines(want: &str, got: &str) -> Vec<String> {
    let want: Vec<&str> = want.lines().collect();
    let got: Vec<&str> = got.lines().collect();
    let mut out = Vec::new();
    for line in &want {
        if !got.contains(line) {
            out.push(format!("- {line}"));
        }
    }
    for line in &got {
        if !want.contains(line) {
            out.push(format!("+ {line}"));
        }
    }
    out
}

fn has_hazard(plan: &Plan, hazard: Hazard) -> bool {
    plan.summaries().iter().any(|s| s.hazards.contains(&hazard))
}

#[tokio::test]
async fn add_column() {
    scenario(
        "add_column",
        &[(
            "          updated_at: { type: timestamptz }\n",
            "          updated_at: { type: timestamptz }\n          note: { type: text }\n",
        )],
    )
    .await;
}

#[tokio::test]
async fn drop_column() {
    let plan = scenario(
        "drop_column",
        &[("          tier: { type: integer }\n", "")],
    )
    .await;
    assert!(has_hazard(&plan, Hazard::DataLoss));
}

#[tokio::test]
async fn rename_column() {
    let plan = scenario(
        "rename_column",
        &[
            (
                "          name: { type: text }\n",
                "          full_name: { type: text, renamed_from: name }\n",
            ),
            ("columns: [name] }", "columns: [full_name] }"),
        ],
    )
    .await;
    assert!(
        plan.sql().contains("RENAME COLUMN name TO full_name"),
        "{}",
        plan.sql()
    );
    assert!(
        !plan.sql().contains("DROP COLUMN"),
        "a rename, never a drop and add"
    );
}

#[tokio::test]
async fn rename_not_null_column() {
    // PostgreSQL 18 names NOT NULL constraints after the column: the rename carries it.
    scenario(
        "rename_nn_column",
        &[
            (
                "          email: { type: text, nullable: false }\n",
                "          mail: { type: text, nullable: false, renamed_from: email }\n",
            ),
            (
                "customers_email_key: [email]",
                "customers_email_key: [mail]",
            ),
            (
                "SELECT c.id, c.email, count",
                "SELECT c.id, c.mail AS email, count",
            ),
            ("GROUP BY c.id, c.email", "GROUP BY c.id, c.mail"),
        ],
    )
    .await;
}

#[tokio::test]
async fn column_type_change() {
    let plan = scenario(
        "type_change",
        &[("tier: { type: integer }", "tier: { type: bigint }")],
    )
    .await;
    assert!(has_hazard(&plan, Hazard::TableRewrite));
}

#[tokio::test]
async fn not_null_added() {
    let plan = scenario(
        "not_null",
        &[(
            "          name: { type: text }\n",
            "          name: { type: text, nullable: false }\n",
        )],
    )
    .await;
    assert!(plan.sql().contains("NOT VALID"), "{}", plan.sql());
    assert!(plan.sql().contains("VALIDATE CONSTRAINT"));
}

#[tokio::test]
async fn enum_value_added() {
    let plan = scenario(
        "enum_added",
        &[(
            "status: [new, active, closed]",
            "status: [new, active, on_hold, closed]",
        )],
    )
    .await;
    assert!(
        plan.sql()
            .contains("ADD VALUE IF NOT EXISTS 'on_hold' AFTER 'active'"),
        "{}",
        plan.sql()
    );
}

#[tokio::test]
async fn enum_value_removed() {
    let plan = scenario(
        "enum_removed",
        &[("status: [new, active, closed]", "status: [new, active]")],
    )
    .await;
    assert!(
        has_hazard(&plan, Hazard::DataLoss),
        "removing a value is hazardous"
    );
}

#[tokio::test]
async fn foreign_key_added() {
    let plan = scenario(
        "fk_added",
        &[(
            "customer_id: { type: bigint, nullable: false }",
            "customer_id: { type: bigint, nullable: false, references: { table: customers } }",
        )],
    )
    .await;
    assert!(plan.sql().contains("NOT VALID"));
}

#[tokio::test]
async fn unique_made_composite() {
    scenario(
        "unique_composite",
        &[(
            "customers_email_key: [email]",
            "customers_email_key: [email, name]",
        )],
    )
    .await;
}

#[tokio::test]
async fn hnsw_parameters_changed() {
    let plan = scenario(
        "hnsw_params",
        &[(
            "with: { m: 16, ef_construction: 64 }",
            "with: { m: 24, ef_construction: 100 }",
        )],
    )
    .await;
    let script = plan.script().unwrap();
    assert!(
        schemactl_postgres::script::lines_sql(&script.outside)
            .contains("CREATE INDEX CONCURRENTLY"),
        "{}",
        plan.sql()
    );
}

#[tokio::test]
async fn partial_index_predicate_changed() {
    scenario(
        "partial_predicate",
        &[(
            "where: \"updated_at IS NULL\"",
            "where: \"updated_at IS NOT NULL\"",
        )],
    )
    .await;
}

#[tokio::test]
async fn index_becomes_expression_index() {
    scenario(
        "expression_index",
        &[(
            "customers_name_idx: { columns: [name] }",
            "customers_name_idx: { columns: [{ expression: \"lower(name)\" }] }",
        )],
    )
    .await;
}

#[tokio::test]
async fn partition_added() {
    scenario("partition_added", &[("count: 2 }", "count: 3 }")]).await;
}

#[tokio::test]
async fn table_made_partitioned() {
    let plan = scenario(
        "made_partitioned",
        &[(
            "      notes:\n        columns:",
            "      notes:\n        partition_by: { range: [id] }\n        partitions:\n          named:\n            notes_low: { from: [MINVALUE], to: [1000] }\n            notes_high: { from: [1000], to: [MAXVALUE] }\n        columns:",
        )],
    )
    .await;
    assert!(has_hazard(&plan, Hazard::TableRewrite));
}

#[tokio::test]
async fn policy_using_changed() {
    scenario(
        "policy_using",
        &[(
            "reader_sees_all: { command: select, to: [up_reader], using: \"true\" }",
            "reader_sees_all: { command: select, to: [up_reader], using: \"tier IS NOT NULL\" }",
        )],
    )
    .await;
}

#[tokio::test]
async fn rls_forced() {
    scenario(
        "rls_forced",
        &[(
            "        row_level_security:\n          policies:",
            "        row_level_security:\n          force: true\n          policies:",
        )],
    )
    .await;
}

#[tokio::test]
async fn view_with_dependent_view_changed() {
    let plan = scenario(
        "view_chain",
        &[(
            "count(o.id) AS orders FROM",
            "count(o.id) AS orders, max(o.placed_at) AS last_order FROM",
        )],
    )
    .await;
    let sql = plan.sql();
    let drop_dependent = sql.find("DROP VIEW app.big_customers").unwrap();
    let drop_changed = sql.find("DROP VIEW app.customer_orders").unwrap();
    assert!(
        drop_dependent < drop_changed,
        "the dependent view is dropped first"
    );
}

#[tokio::test]
async fn materialized_view_changed() {
    scenario(
        "matview",
        &[(
            "sum(total) AS total FROM",
            "sum(total) AS total, count(*) AS n FROM",
        )],
    )
    .await;
}

#[tokio::test]
async fn function_used_by_trigger_changed() {
    let plan = scenario(
        "trigger_function",
        &[(
            "NEW.updated_at := now();",
            "NEW.updated_at := clock_timestamp();",
        )],
    )
    .await;
    assert!(plan.sql().contains("CREATE OR REPLACE FUNCTION app.touch"));
}

#[tokio::test]
async fn function_signature_changed() {
    scenario("function_signature", &[("args: [{ name: p_customer, type: bigint }]", "args: [{ name: p_customer, type: bigint }, { name: p_status, type: status, default: \"NULL\" }]")]).await;
}

#[tokio::test]
async fn grant_revoked() {
    let plan = scenario(
        "grant_revoked",
        &[(
            "        grants: [{ to: [up_reader], privileges: [select] }]\n",
            "",
        )],
    )
    .await;
    assert!(has_hazard(&plan, Hazard::Authorization));
}

#[tokio::test]
async fn default_privilege_added() {
    scenario("default_privilege", &[("    grants: [{ to: [up_reader], privileges: [usage] }]\n", "    grants: [{ to: [up_reader], privileges: [usage] }]\n    default_privileges: [{ \"on\": tables, to: [up_reader], privileges: [select] }]\n")]).await;
}

#[tokio::test]
async fn comment_changed() {
    scenario(
        "comment",
        &[(
            "comment: People who order",
            "comment: Customers who placed at least one order",
        )],
    )
    .await;
}

#[tokio::test]
async fn check_added() {
    scenario("check_added", &[("          updated_at: { type: timestamptz }\n", "          updated_at: { type: timestamptz }\n        checks:\n          orders_total_positive: \"total >= 0\"\n")]).await;
}

#[tokio::test]
async fn table_added_and_dropped() {
    let plan = scenario("table_swap", &[("      notes:\n        columns:\n          id: { type: integer, primary_key: true }\n          body: { type: text }\n", "      tags:\n        columns:\n          id: { type: integer, primary_key: true }\n          label: { type: text, unique: true }\n")]).await;
    assert!(has_hazard(&plan, Hazard::DataLoss));
}

#[tokio::test]
async fn table_renamed() {
    let plan = scenario(
        "table_renamed",
        &[(
            "      notes:\n        columns:",
            "      memos:\n        renamed_from: notes\n        columns:",
        )],
    )
    .await;
    assert!(plan.sql().contains("RENAME TO memos"), "{}", plan.sql());
    assert!(!has_hazard(&plan, Hazard::DataLoss));
}

#[tokio::test]
async fn role_membership_added() {
    let name = "role_membership";
    let plan = scenario(
        name,
        &[(
            "up_reader: { login: true, password_env: UP_READER_PW }",
            "up_reader: { login: true, password_env: UP_READER_PW, member_of: [up_owner] }",
        )],
    )
    .await;
    assert!(
        plan.sql().contains("GRANT up_owner TO up_reader"),
        "{}",
        plan.sql()
    );
    // The down step revoked it again; roles are cluster-wide, so check the cluster.
    let admin = connect(&admin_url()).await;
    let members = scalar_i64(
        &admin,
        "SELECT count(*) FROM pg_auth_members WHERE roleid = 'up_owner'::regrole AND member = 'up_reader'::regrole",
    )
    .await;
    assert_eq!(members, 0, "the migration's down revoked the membership");
}
