//! Procedures (issue 16), judged "upgrade ≡ fresh" (see `common_upgrade`) on a real
//! PostgreSQL: a body replaced in place, a signature change (dropped and created with its
//! grant), a procedure that becomes a function; each also runs its way back and as
//! generated migrations. Then what the server does with a provisioned one: `CALL` commits
//! inside the body and returns through INOUT, and EXECUTE is the granted role's only.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, scenario};

const OPS: &str = r#"
database: { name: c16_procedures, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  ops:
    owner: c15_owner
    grants: [{ to: [c15_reader], privileges: [usage] }]
    tables:
      jobs:
        columns:
          id: { type: bigint, identity: always, primary_key: true }
          name: { type: text, nullable: false }
          done: { type: boolean, nullable: false, default: false }
        grants: [{ to: [c15_reader], privileges: [select] }]
    procedures:
      enqueue:
        args: [{ name: p_name, type: text }]
        security_definer: true
        set: { search_path: "ops, pg_temp" }
        body: BEGIN INSERT INTO jobs (name) VALUES (p_name); END
        grants: [{ to: [c15_reader], privileges: [execute] }]
        comment: Adds a job
      "Purge Done":
        args: [{ name: removed, type: bigint, mode: inout, default: 0 }]
        body: |
          BEGIN
            DELETE FROM ops.jobs WHERE done;
            GET DIAGNOSTICS removed = ROW_COUNT;
            COMMIT;
          END
      pending:
        args: [{ name: total, type: bigint, mode: inout }]
        language: sql
        body: SELECT count(*) FROM ops.jobs WHERE NOT done
"#;

const BASE: Base = Base {
    text: OPS,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

#[tokio::test]
async fn procedure_body_replaced_in_place() {
    let plan = scenario(
        &BASE,
        "proc_body",
        &[
            (
                "BEGIN INSERT INTO jobs (name) VALUES (p_name); END",
                "BEGIN INSERT INTO jobs (name) VALUES (lower(p_name)); END",
            ),
            ("comment: Adds a job", "comment: Adds a job, lower-cased"),
        ],
    )
    .await;
    let sql = plan.sql();
    assert!(
        sql.contains("CREATE OR REPLACE PROCEDURE ops.enqueue(p_name text)"),
        "{sql}"
    );
    assert!(!sql.contains("DROP PROCEDURE"), "{sql}");
}

#[tokio::test]
async fn procedure_signature_change_keeps_its_grant() {
    let plan = scenario(
        &BASE,
        "proc_args",
        &[(
            "        args: [{ name: p_name, type: text }]\n",
            "        args: [{ name: p_name, type: text }, { name: p_done, type: boolean, default: false }]\n",
        )],
    )
    .await;
    let sql = plan.sql();
    let dropped = sql.find("DROP PROCEDURE ops.enqueue(text)").expect(&sql);
    let created = sql.find("CREATE PROCEDURE ops.enqueue(").expect(&sql);
    let granted = sql
        .find("GRANT EXECUTE ON PROCEDURE ops.enqueue(text, boolean) TO c15_reader")
        .expect(&sql);
    assert!(dropped < created && created < granted, "{sql}");
}

#[tokio::test]
async fn procedure_becomes_a_function() {
    let plan = scenario(
        &BASE,
        "proc_kind",
        &[
            (
                "      pending:\n        args: [{ name: total, type: bigint, mode: inout }]\n        language: sql\n        body: SELECT count(*) FROM ops.jobs WHERE NOT done\n",
                "",
            ),
            (
                "    procedures:\n",
                "    functions:\n      pending:\n        args: [{ name: total, type: bigint, mode: inout }]\n        returns: bigint\n        language: sql\n        body: SELECT count(*) FROM ops.jobs WHERE NOT done\n    procedures:\n",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    let dropped = sql.find("DROP PROCEDURE ops.pending(bigint)").expect(&sql);
    let created = sql.find("CREATE FUNCTION ops.pending(").expect(&sql);
    assert!(dropped < created, "{sql}");
}

/// What a provisioned procedure does: the granted role calls it, it commits inside its
/// body, INOUT arguments come back; a role without the grant cannot call it.
#[tokio::test]
async fn provisioned_procedures_run_and_only_the_granted_role_calls_them() {
    let db = unique("c16_proc_call");
    BASE.provision(&db, OPS);
    let reader_password = ENV.iter().find(|(v, _)| *v == "C15_READER_PW").unwrap().1;
    let reader = connect_as(&db, "c15_reader", reader_password).await;
    exec(&reader, "CALL ops.enqueue('a'); CALL ops.enqueue('b')").await;
    let denied = exec_err(&reader, "CALL ops.\"Purge Done\"()").await;
    assert!(denied.contains("permission denied"), "{denied}");

    let owner = connect(&db_url(&db)).await;
    exec(&owner, "UPDATE ops.jobs SET done = true WHERE name = 'a'").await;
    let removed = scalar_i64(&owner, "CALL ops.\"Purge Done\"(NULL)").await;
    assert_eq!(removed, 1);
    let pending = scalar_i64(&owner, "CALL ops.pending(NULL)").await;
    assert_eq!(pending, 1);
    let names = strings(&owner, "SELECT name FROM ops.jobs ORDER BY id").await;
    assert_eq!(names, ["b"]);
}
