//! Writers against a busy database: a long transaction holds a lock on a table the plan
//! changes. `apply` and `migrate up` wait `--lock-timeout`, retry, and on giving up name
//! the blocking session (pid, user, query) with nothing half-applied; with the blocker
//! gone they succeed, and a blocker that goes away between retries lets the same run
//! succeed.

use crate::common_pg;

use std::time::{Duration, Instant};

use common_pg::*;
use sea_orm::{DatabaseTransaction, TransactionTrait};

const ENV: &[(&str, &str)] = &[("LK_OWNER_PW", "lk-owner-pw")];

fn model(tag: &str, extra_column: &str) -> String {
    format!(
        r#"
database: {{ name: {tag}, owner: lk_owner }}
roles:
  lk_owner: {{ login: true, password_env: LK_OWNER_PW }}
schemas:
  "Billing":
    owner: lk_owner
    tables:
      "Invoice":
        columns:
          id: {{ type: integer, primary_key: true }}
          amount: {{ type: "numeric(12,2)", nullable: false }}
{extra_column}
        indexes:
          invoice_amount_idx: {{ columns: [amount] }}
"#
    )
}

const EXTRA: &str = "          \"paidAt\": { type: timestamptz }\n          note: { type: text, default: \"'none'\" }";

/// A session that reads the table in an open transaction: it holds ACCESS SHARE on it
/// until dropped, which every ALTER TABLE waits behind. Returns it and its pid.
async fn blocker(url: &str) -> (sea_orm::DatabaseConnection, DatabaseTransaction, i32) {
    let conn = connect(url).await;
    let txn = conn.begin().await.unwrap();
    let pid = scalar_i64(&txn, "SELECT pg_backend_pid()::bigint").await as i32;
    exec(
        &txn,
        "SELECT count(*) AS long_report_marker FROM \"Billing\".\"Invoice\"",
    )
    .await;
    (conn, txn, pid)
}

async fn columns(url: &str) -> Vec<String> {
    let conn = connect(url).await;
    strings(
        &conn,
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = 'Billing' AND table_name = 'Invoice' ORDER BY ordinal_position",
    )
    .await
}

fn lock_args<'a>(command: &[&'a str], timeout: &'a str, retries: &'a str) -> Vec<&'a str> {
    let mut args = vec!["--lock-timeout", timeout, "--lock-retries", retries];
    args.extend_from_slice(command);
    args
}

#[tokio::test]
async fn apply_names_the_blocker_and_changes_nothing_until_it_is_gone() {
    let tag = unique("t_locks_apply");
    let v1 = write_model(&tag, &model(&tag, ""));
    let out = schemactl_env(&v1, &["provision", &tag, "--recreate", "--yes"], ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = db_url(&tag);
    let v2 = write_model(&format!("{}_v2", *tag), &model(&tag, EXTRA));

    let (_conn, txn, pid) = blocker(&url).await;
    let started = Instant::now();
    let apply = ["apply", "--database-url", &url, "--yes"];
    let out = schemactl_env(&v2, &lock_args(&apply, "300ms", "2"), ENV);
    let waited = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("gave up after 3 attempts"), "{err}");
    assert!(err.contains(&format!("pid {pid} (user postgres")), "{err}");
    assert!(err.contains("long_report_marker"), "{err}");
    assert!(err.contains("idle in transaction"), "{err}");
    assert_eq!(err.matches("trying again").count(), 2, "{err}");
    // Three waits of 300 ms and backoffs of 1 s and 2 s.
    assert!(waited >= Duration::from_millis(3_900), "{waited:?}");
    assert_eq!(columns(&url).await, ["id", "amount"], "nothing was applied");

    txn.rollback().await.unwrap();
    let out = schemactl_env(&v2, &lock_args(&apply, "300ms", "2"), ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(columns(&url).await, ["id", "amount", "paidAt", "note"]);
    let out = schemactl_env(&v2, &["drift", "--database-url", &url], ENV);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[tokio::test]
async fn a_blocker_that_ends_between_retries_lets_the_run_succeed() {
    let tag = unique("t_locks_retry");
    let v1 = write_model(&tag, &model(&tag, ""));
    let out = schemactl_env(&v1, &["provision", &tag, "--recreate", "--yes"], ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = db_url(&tag);
    let v2 = write_model(&format!("{}_v2", *tag), &model(&tag, EXTRA));

    let (conn, txn, _) = blocker(&url).await;
    let watch_url = url.clone();
    let release = tokio::spawn(async move {
        // Once the apply waits for the lock, long enough for one 400 ms attempt to time
        // out; then the blocker ends and a retry gets the lock.
        let watcher = connect(&watch_url).await;
        let waiting = "SELECT count(*)::bigint FROM pg_stat_activity \
                       WHERE datname = current_database() AND wait_event_type = 'Lock' \
                       AND query LIKE 'ALTER TABLE%'";
        while scalar_i64(&watcher, waiting).await == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(1_000)).await;
        txn.rollback().await.unwrap();
        drop(conn);
    });
    let apply = ["apply", "--database-url", &url, "--yes"];
    let args: Vec<String> = lock_args(&apply, "400ms", "5")
        .into_iter()
        .map(str::to_string)
        .collect();
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        schemactl_env(&v2, &args, ENV)
    })
    .await
    .unwrap();
    release.await.unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("trying again"), "it waited and retried: {err}");
    assert!(
        err.contains("long_report_marker"),
        "the warning names the blocker: {err}"
    );
    assert_eq!(columns(&url).await, ["id", "amount", "paidAt", "note"]);
}

#[tokio::test]
async fn migrate_up_names_the_blocker_and_records_nothing() {
    let tag = unique("t_locks_migrate");
    let dir = tempfile_dir(&tag);
    let schema = dir.join("schema.yaml");
    std::fs::write(&schema, model(&tag, "")).unwrap();
    let out = schemactl_env(&schema, &["migrate", "new", "init"], ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = schemactl_env(&schema, &["provision", &tag, "--recreate", "--yes"], ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(&schema, model(&tag, EXTRA)).unwrap();
    let out = schemactl_env(&schema, &["migrate", "new", "paid_at"], ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = db_url(&tag);

    let (_conn, txn, pid) = blocker(&url).await;
    let up = ["migrate", "up", "--database-url", &url];
    let out = schemactl_env(&schema, &lock_args(&up, "300ms", "1"), ENV);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("gave up after 2 attempts"), "{err}");
    assert!(err.contains(&format!("pid {pid} ")), "{err}");
    assert!(err.contains("long_report_marker"), "{err}");
    assert_eq!(columns(&url).await, ["id", "amount"]);
    let conn = connect(&url).await;
    let recorded = scalar_i64(&conn, "SELECT count(*) FROM seaql_migrations").await;
    assert_eq!(recorded, 1, "only the first migration is recorded");
    drop(conn);

    txn.rollback().await.unwrap();
    let out = schemactl_env(&schema, &lock_args(&up, "300ms", "1"), ENV);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(columns(&url).await, ["id", "amount", "paidAt", "note"]);
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("schemactl-{tag}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
