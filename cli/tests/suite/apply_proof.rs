//! `apply --proof`: the plan is rehearsed on a copy of the target's schema on the dev
//! server before the target is touched. A plan that passes is then applied; one that the
//! server refuses on the copy stops with exit 5 and the target as it was; the copy never
//! stays behind.

use crate::common_pg;

use common_pg::*;

const ENV: &[(&str, &str)] = &[("PF_OWNER_PW", "pf-owner-pw")];

fn model(tag: &str, amount_type: &str, extra: &str) -> String {
    format!(
        r#"
database: {{ name: {tag}, owner: pf_owner }}
roles:
  pf_owner: {{ login: true, password_env: PF_OWNER_PW }}
  pf_reader: {{ login: false }}
schemas:
  ledger:
    owner: pf_owner
    tables:
      "Entry":
        columns:
          id: {{ type: bigint, primary_key: true }}
          account: {{ type: integer, nullable: false }}
          amount: {{ type: "{amount_type}", nullable: false }}
{extra}
        indexes:
          entry_account_idx: {{ columns: [account] }}
        row_level_security:
          enabled: true
          policies:
            small_entries:
              to: [pf_reader]
              using: "amount < 1000"
        grants:
          - {{ to: [pf_reader], privileges: [select] }}
"#
    )
}

/// The proof databases of the target `tag` (they are named after it).
async fn proof_databases(tag: &str) -> i64 {
    let conn = connect(&admin_url()).await;
    scalar_i64(
        &conn,
        &format!(
            "SELECT count(*) FROM pg_database \
             WHERE starts_with(datname, 'schemactl_proof_{tag}_')"
        ),
    )
    .await
}

async fn column_type(url: &str, column: &str) -> String {
    let conn = connect(url).await;
    scalar_string(
        &conn,
        &format!(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute \
             WHERE attrelid = 'ledger.\"Entry\"'::regclass AND attname = '{column}'"
        ),
    )
    .await
}

#[tokio::test]
async fn a_plan_that_passes_on_the_copy_is_applied() {
    let tag = unique("t_proof_ok");
    let v1 = write_model(&tag, &model(&tag, "numeric(12,2)", ""));
    let out = schemactl_env(&v1, &["provision", &tag, "--recreate", "--yes"], ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = db_url(&tag);
    let extra = "          memo: { type: text, default: \"'-'\" }\n          \"bookedAt\": { type: timestamptz }";
    let v2 = write_model(
        &format!("{}_v2", *tag),
        &model(&tag, "numeric(12,2)", extra),
    );

    let out = schemactl_env(
        &v2,
        &["apply", "--database-url", &url, "--yes", "--proof"],
        ENV,
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("proof: the plan ran on a copy"), "{err}");
    assert!(
        err.contains(&format!("/schemactl_proof_{}_", *tag)),
        "{err}"
    );
    assert_eq!(
        column_type(&url, "bookedAt").await,
        "timestamp with time zone"
    );
    assert_eq!(proof_databases(&tag).await, 0, "the copy was dropped");
    let out = schemactl_env(&v2, &["drift", "--database-url", &url], ENV);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// The target holds an event trigger (which the model cannot express) that refuses every
/// `ALTER TABLE`, so the plan is refused: on the copy, which keeps the target's event
/// triggers, before the target sees it. The target keeps its columns and the copy is
/// gone; without the proof the same refusal comes from the target itself.
#[tokio::test]
async fn a_plan_the_server_refuses_on_the_copy_never_reaches_the_target() {
    let tag = unique("t_proof_refused");
    let v1 = write_model(&tag, &model(&tag, "numeric(12,2)", ""));
    let out = schemactl_env(&v1, &["provision", &tag, "--recreate", "--yes"], ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = db_url(&tag);
    let conn = connect(&url).await;
    exec(
        &conn,
        "CREATE FUNCTION public.pf_frozen() RETURNS event_trigger LANGUAGE plpgsql \
         AS $$BEGIN RAISE EXCEPTION 'pf: schema changes are frozen'; END$$",
    )
    .await;
    exec(
        &conn,
        "CREATE EVENT TRIGGER pf_freeze ON ddl_command_start WHEN TAG IN ('ALTER TABLE') \
         EXECUTE FUNCTION public.pf_frozen()",
    )
    .await;
    let extra = "          memo: { type: text, default: \"'-'\" }";
    let v2 = write_model(
        &format!("{}_v2", *tag),
        &model(&tag, "numeric(12,2)", extra),
    );

    let apply = ["apply", "--database-url", &url, "--yes"];
    let mut with_proof = apply.to_vec();
    with_proof.push("--proof");
    let out = schemactl_env(&v2, &with_proof, ENV);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("failed on a copy of the target's schema"),
        "{err}"
    );
    assert!(err.contains("pf: schema changes are frozen"), "{err}");
    assert!(err.contains("the target was not touched"), "{err}");
    assert!(!err.contains("proof: the plan ran"), "{err}");
    assert_eq!(proof_databases(&tag).await, 0, "the copy was dropped");
    let columns = strings(
        &conn,
        "SELECT attname::text FROM pg_attribute WHERE attrelid = 'ledger.\"Entry\"'::regclass \
         AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
    )
    .await;
    assert_eq!(columns, ["id", "account", "amount"]);

    // The same plan without the rehearsal: the target refuses it (exit 4), rolled back.
    let out = schemactl_env(&v2, &apply, ENV);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("pf: schema changes are frozen"));
    exec(&conn, "DROP EVENT TRIGGER pf_freeze").await;
    drop(conn);
    let out = schemactl_env(&v2, &with_proof, ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(column_type(&url, "memo").await, "text");
}
