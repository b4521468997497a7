//! `plan --database-url`, `drift` and `apply` as a user runs them: exit codes, hazards,
//! the advisory lock between two processes, and convergence after a run is killed.

use crate::common_pg;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common_pg::*;
use sea_orm::{ConnectionTrait, TransactionTrait};

fn model(tag: &str, extra_columns: &str, extra_indexes: &str) -> String {
    format!(
        r#"
database: {{ name: {tag}, owner: ap_owner }}
roles:
  ap_owner: {{ login: true, password_env: AP_OWNER_PW }}
schemas:
  app:
    owner: ap_owner
    tables:
      items:
        columns:
          id: {{ type: integer, primary_key: true }}
          label: {{ type: text }}
{extra_columns}
        indexes:
          items_label_idx: {{ columns: [label] }}
{extra_indexes}
"#
    )
}

const ENV: &[(&str, &str)] = &[("AP_OWNER_PW", "ap-owner-pw")];

fn run(model: &std::path::Path, args: &[&str]) -> std::process::Output {
    schemactl_env(model, args, ENV)
}

/// Like `run` but without the cluster lock, for commands that only touch one database.
fn spawn(model: &std::path::Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("--schema")
        .arg(model)
        .args(args)
        .env("AP_OWNER_PW", "ap-owner-pw")
        .env("SCHEMACTL_ADMIN_URL", admin_url())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn setup(tag: &str) -> (String, std::path::PathBuf) {
    let v1 = write_model(tag, &model(tag, "          note: { type: text }", ""));
    let out = run(&v1, &["provision", tag, "--recreate", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn_url = db_url(tag);
    (conn_url, v1)
}

async fn columns(database: &str) -> Vec<String> {
    let conn = connect(&db_url(database)).await;
    strings(
        &conn,
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = 'app' AND table_name = 'items' ORDER BY ordinal_position",
    )
    .await
}

#[tokio::test]
async fn plan_drift_and_apply_with_hazards() {
    let tag = unique("t_apply");
    let (url, v1) = setup(&tag);
    let out = run(&v1, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&v1, &["plan", "--database-url", &url, "--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "no changes: {}", stderr(&out));

    // v2 adds `rating` and drops `note`.
    let v2 = write_model(
        &format!("{tag}_v2"),
        &model(&tag, "          rating: { type: integer }", ""),
    );
    let out = run(&v2, &["plan", "--database-url", &url, "--exit-code"]);
    assert_eq!(out.status.code(), Some(3), "changes: {}", stderr(&out));
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains("ADD COLUMN rating integer"), "{plan}");
    assert!(
        plan.contains("DROP COLUMN note") && plan.contains("[hazard: data-loss]"),
        "{plan}"
    );
    let out = run(&v2, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(3));

    let out = run(&v2, &["apply", "--database-url", &url, "--yes"]);
    assert_eq!(out.status.code(), Some(5), "refused");
    let err = stderr(&out);
    assert!(err.contains("--allow-hazard data-loss"), "{err}");
    assert_eq!(
        columns(&tag).await,
        ["id", "label", "note"],
        "nothing applied"
    );

    let out = run(
        &v2,
        &[
            "apply",
            "--database-url",
            &url,
            "--allow-hazard",
            "data-loss",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "no terminal and no --yes: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--yes"));
    assert_eq!(
        columns(&tag).await,
        ["id", "label", "note"],
        "nothing applied"
    );

    let out = run(
        &v2,
        &[
            "apply",
            "--database-url",
            &url,
            "--allow-hazard",
            "data-loss",
            "--yes",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(columns(&tag).await, ["id", "label", "rating"]);
    let out = run(&v2, &["drift", "--database-url", &url]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "no drift after apply: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    drop_database(&tag).await;
}

#[tokio::test]
async fn two_applies_never_interleave() {
    let tag = unique("t_lock");
    let (url, _) = setup(&tag);
    let v2 = write_model(
        &format!("{tag}_v2"),
        &model(
            &tag,
            "          note: { type: text }\n          extra: { type: text }",
            "",
        ),
    );

    // Another schemactl writer holds the advisory lock.
    let mut options = sea_orm::ConnectOptions::new(url.clone());
    options.max_connections(1).sqlx_logging(false);
    let holder = sea_orm::Database::connect(options).await.unwrap();
    let key = schemactl::execute::ADVISORY_LOCK_KEY;
    exec(&holder, &format!("SELECT pg_advisory_lock({key})")).await;

    let mut child = spawn(&v2, &["apply", "--database-url", &url, "--yes"]);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "apply waits for the lock"
    );
    assert_eq!(
        columns(&tag).await,
        ["id", "label", "note"],
        "and has changed nothing"
    );

    exec(&holder, &format!("SELECT pg_advisory_unlock({key})")).await;
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(columns(&tag).await, ["id", "label", "note", "extra"]);
    drop(holder);
    drop_database(&tag).await;
}

#[tokio::test]
async fn a_run_killed_during_a_concurrent_index_build_converges() {
    let tag = unique("t_killed");
    let (url, _) = setup(&tag);
    let conn = connect(&url).await;
    exec(
        &conn,
        "INSERT INTO app.items SELECT g, 'label ' || g FROM generate_series(1, 1000) g",
    )
    .await;
    let v2 = write_model(
        &format!("{tag}_v2"),
        &model(
            &tag,
            "          note: { type: text }",
            "          items_note_idx: { columns: [note] }",
        ),
    );

    // A transaction with an old snapshot makes CREATE INDEX CONCURRENTLY wait after it has
    // registered the (still invalid) index: the moment to kill the run.
    let snapshot_holder = connect(&url).await;
    let txn = snapshot_holder.begin().await.unwrap();
    exec(&txn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").await;
    exec(&txn, "SELECT count(*) FROM app.items").await;

    let mut child = spawn(&v2, &["apply", "--database-url", &url, "--yes"]);
    let started = Instant::now();
    loop {
        let waiting = scalar_i64(
            &conn,
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY items_note_idx%'",
        )
        .await;
        if waiting > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the index build never started"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Kill the client and its server session, as a crash would.
    child.kill().unwrap();
    let _ = child.wait();
    exec(
        &conn,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY items_note_idx%'",
    )
    .await;
    txn.rollback().await.unwrap();
    let invalid = scalar_i64(
        &conn,
        "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('app.items_note_idx') AND NOT indisvalid",
    )
    .await;
    assert_eq!(invalid, 1, "the killed run left an invalid index behind");

    let out = run(&v2, &["apply", "--database-url", &url, "--yes"]);
    assert!(
        out.status.success(),
        "the next run converges: {}",
        stderr(&out)
    );
    let valid = scalar_i64(
        &conn,
        "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('app.items_note_idx') AND indisvalid",
    )
    .await;
    assert_eq!(valid, 1);
    let out = run(&v2, &["drift", "--database-url", &url]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    drop(conn);
    drop(snapshot_holder);
    drop_database(&tag).await;
}

#[tokio::test]
async fn a_failing_step_leaves_the_database_as_it_was() {
    let tag = unique("t_applyfail");
    let (url, _) = setup(&tag);
    let conn = connect(&url).await;
    exec(&conn, "INSERT INTO app.items VALUES (1, NULL), (2, 'x')").await;
    // v2 adds a column and makes `label` NOT NULL, which the NULL row violates.
    let text = model(
        &tag,
        "          note: { type: text }\n          added: { type: text }",
        "",
    )
    .replace(
        "label: { type: text }",
        "label: { type: text, nullable: false }",
    );
    let v2 = write_model(&format!("{tag}_v2"), &text);
    let before = schema_dump(&tag);
    let out = run(&v2, &["apply", "--database-url", &url, "--yes"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("rolled back"), "{}", stderr(&out));
    assert_eq!(
        before,
        schema_dump(&tag),
        "the added column is gone with the rollback"
    );
    let _ = conn.execute_unprepared("SELECT 1").await;
    drop(conn);
    drop_database(&tag).await;
}
