//! Plans normalize the model in a scratch database on a dev server, never on a target
//! that is not one of the project's own local clusters: without `--dev-url` (or
//! `SCHEMACTL_DEV_URL`) such a plan refuses, saying what to pass, and creates nothing.

use crate::common_pg;

use common_pg::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

const MODEL: &str = r#"
database: { name: dev_server_target }
schemas:
  "Ops Log":
    tables:
      event:
        columns:
          id: { type: bigint, identity: by_default, primary_key: true }
          happened_at: { type: timestamptz, nullable: false, default: now() }
"#;

/// The environment of a machine on which the test cluster is not a project-local one:
/// the local clusters are elsewhere (and not running).
fn elsewhere() -> Vec<(&'static str, &'static str)> {
    vec![
        ("SCHEMACTL_LOCAL_PORT", "1990"),
        ("SCHEMACTL_TEST_PG18_PORT", "1991"),
        ("SCHEMACTL_TEST_PG16_PORT", "1998"),
        (
            "SCHEMACTL_LOCAL_DIR",
            "/nonexistent/schemactl-dev-server-test",
        ),
        ("SCHEMACTL_DEV_URL", ""),
    ]
}

/// Scratch databases on the test cluster that hold this test's model (its schema
/// "Ops Log", which no other test uses). Tests running at the same time create scratch
/// databases of their own models there, so a count of every scratch database races.
async fn scratch_databases() -> usize {
    let admin = connect(&admin_url()).await;
    let rows = admin
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'schemactl\\_scratch\\_%'",
        ))
        .await
        .unwrap();
    let mut holding = 0;
    for row in rows {
        let name: String = row.try_get_by_index(0).unwrap();
        // Dropped by another run in between: not one of this model's.
        let Ok(conn) = schemactl::db::connect(&db_url(&name)).await else {
            continue;
        };
        let found = conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT count(*) FROM pg_namespace WHERE nspname = 'Ops Log'",
            ))
            .await
            .ok()
            .flatten()
            .and_then(|row| row.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0);
        conn.close().await.ok();
        if found > 0 {
            holding += 1;
        }
    }
    holding
}

#[tokio::test]
async fn a_plan_against_another_server_needs_a_dev_server() {
    let tag = unique("t_devsrv");
    let admin = connect(&admin_url()).await;
    exec(&admin, &format!("CREATE DATABASE {}", *tag)).await;
    let model = write_model(&tag, MODEL);
    let url = db_url(&tag);

    let before = scratch_databases().await;
    let out = schemactl_env(&model, &["plan", "--database-url", &url], &elsewhere());
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("--dev-url"), "says what to pass: {err}");
    assert!(err.contains("SCHEMACTL_DEV_URL"), "{err}");
    assert_eq!(
        before,
        scratch_databases().await,
        "no scratch database on the target's server"
    );

    // Named explicitly, the dev server is used (here the same test cluster).
    let mut env = elsewhere();
    env.pop();
    let admin_url = admin_url();
    let out = schemactl_env(
        &model,
        &["plan", "--database-url", &url, "--dev-url", &admin_url],
        &env,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("CREATE TABLE \"Ops Log\".event"), "{text}");
    drop(admin);
}
