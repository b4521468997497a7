//! sea-orm-migration's own CLI (this crate's binary) and `schemactl migrate` apply the
//! same SQL and share `seaql_migrations`.

// Test helpers outside #[test] functions unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use sea_orm::ConnectionTrait;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const PASSWORDS: &[(&str, &str)] = &[
    ("app_owner", "testkit-app_owner"),
    ("ims_admin", "testkit-ims_admin"),
    ("ims_user", "testkit-ims_user"),
    ("ims_readonly", "testkit-ims_readonly"),
];

async fn scalar(url: &str, sql: &str) -> i64 {
    let conn = schemactl::db::connect(url).await.unwrap();
    let row = schemactl::db::query_one(&conn, sql, vec![]).await.unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

fn migration_cli(url: &str, args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_migration"))
        .args(args)
        .args(["-u", url])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "migration {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn both_runners_share_one_history() {
    let admin = schemactl::local::test_admin_url().unwrap();
    let loaded = schemactl::load::load_file(&workspace().join("schema.yaml"))
        .unwrap()
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)));
    let database = format!("migration_history_{}", std::process::id());
    {
        // Roles are cluster-wide: provisioning creates them (and a throwaway database).
        let lock = File::create(workspace().join("target").join("schemactl-tests.lock")).unwrap();
        lock.lock().unwrap();
        let options = schemactl::provision::Options {
            database: Some(format!("{database}_roles")),
            admin_url: Some(admin.clone()),
            recreate: true,
            yes: true,
            passwords: Some(
                PASSWORDS
                    .iter()
                    .map(|(r, p)| (r.to_string(), p.to_string()))
                    .collect(),
            ),
            ..Default::default()
        };
        schemactl::provision::provision(&loaded.model, &options)
            .await
            .unwrap();
    }
    let server = schemactl::db::connect(&admin).await.unwrap();
    for db in [&database] {
        server
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .await
            .unwrap();
        server
            .execute_unprepared(&format!("CREATE DATABASE {db} OWNER app_owner"))
            .await
            .unwrap();
    }
    let admin_url = schemactl::db::with_database(&admin, &database).unwrap();
    // pgvector is not a trusted extension: an admin creates it, as `provision` does; the
    // migrations then run as the database owner, who owns what they create.
    let as_admin = schemactl::db::connect(&admin_url).await.unwrap();
    as_admin
        .execute_unprepared("CREATE EXTENSION vector; CREATE EXTENSION pg_trgm")
        .await
        .unwrap();
    drop(as_admin);
    let url =
        schemactl::db::with_credentials(&admin_url, "app_owner", "testkit-app_owner").unwrap();
    let dir = workspace().join("migration");
    let versions = schemactl::migrate::versions(&dir).unwrap();
    assert!(
        !versions.is_empty(),
        "the repository keeps an initial migration"
    );

    // sea-orm-migration's CLI applies every step...
    migration_cli(&url, &["up"]);
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname IN ('steam', 'ims', 'streaming')";
    assert!(
        scalar(&url, tables).await >= 27,
        "the initial migration builds the model"
    );
    // ...schemactl sees them as applied and finds no drift from schema.yaml.
    let conn = schemactl::migrate::run::connect(&url).await.unwrap();
    let status = schemactl::migrate::run::status(&conn, &dir, None)
        .await
        .unwrap();
    assert!(status.iter().all(|s| s.applied), "{status:?}");
    // Planned with the admin: comparing needs a scratch database (CREATEDB).
    let plan = schemactl::upgrade::plan(&loaded.model, &admin_url)
        .await
        .unwrap();
    assert!(
        plan.is_empty(),
        "no drift after the sea-orm-migration run:\n{}",
        plan.sql()
    );

    // schemactl reverts them; sea-orm-migration then has everything to apply again.
    let reverted = schemactl::migrate::run::down(&conn, &dir, versions.len(), None)
        .await
        .unwrap();
    assert_eq!(reverted.len(), versions.len());
    assert_eq!(scalar(&url, tables).await, 0, "down leaves no table behind");
    assert_eq!(
        scalar(&url, "SELECT count(*) FROM seaql_migrations").await,
        0
    );
    migration_cli(&url, &["up"]);
    assert!(scalar(&url, tables).await >= 27);
    let applied = scalar(&url, "SELECT count(*) FROM seaql_migrations").await;
    assert_eq!(applied as usize, versions.len());
    drop(conn);
    for db in [database.clone(), format!("{database}_roles")] {
        server
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .await
            .unwrap();
    }
}
