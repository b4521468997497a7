//! Upgrade ≡ fresh: for each edit, provision the old model, apply the diff to the new one,
//! and compare `pg_dump --schema-only` with the new model provisioned fresh. Then apply the
//! reverse diff (the migration's down) and compare with the old model's dump.

use crate::common_pg;
use crate::common_upgrade;

use common_pg::*;
use common_upgrade::{Base, has_hazard};
use schemactl::diff::Hazard;
use schemactl::plan::Plan;

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

const FIXTURE: Base = Base {
    text: BASE,
    env: ENV,
    owner: "up_owner",
    extensions: &["vector"],
};

async fn scenario(name: &str, edits: &[(&str, &str)]) -> Plan {
    common_upgrade::scenario(&FIXTURE, name, edits).await
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
