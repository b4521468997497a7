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

/// Creates the model's roles (cluster-wide, through a throwaway provisioned database)
/// and returns the admin URL of the server.
async fn prepare_roles(tag: &str) -> String {
    let admin = schemactl::local::test_admin_url().unwrap();
    let loaded = schemactl::load::load_file(&workspace().join("schema.yaml"))
        .unwrap()
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)));
    let lock = File::create(workspace().join("target").join("schemactl-tests.lock")).unwrap();
    lock.lock().unwrap();
    let options = schemactl::provision::Options {
        database: Some(format!("{tag}_roles")),
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
    drop_database(&admin, &format!("{tag}_roles")).await;
    admin
}

async fn drop_database(admin: &str, name: &str) {
    let server = schemactl::db::connect(admin).await.unwrap();
    server
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
}

/// An empty database owned by `app_owner` with the model's extensions, which need an
/// admin (pgvector is not trusted), as `provision` makes them; returns its admin URL.
async fn empty_database(admin: &str, name: &str) -> String {
    drop_database(admin, name).await;
    let server = schemactl::db::connect(admin).await.unwrap();
    server
        .execute_unprepared(&format!("CREATE DATABASE {name} OWNER app_owner"))
        .await
        .unwrap();
    let admin_url = schemactl::db::with_database(admin, name).unwrap();
    let as_admin = schemactl::db::connect(&admin_url).await.unwrap();
    as_admin
        .execute_unprepared("CREATE EXTENSION vector; CREATE EXTENSION pg_trgm")
        .await
        .unwrap();
    admin_url
}

fn load_model() -> schemactl::model::Model {
    schemactl::load::load_file(&workspace().join("schema.yaml"))
        .unwrap()
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)))
        .model
}

/// `pg_dump --schema-only`, without the migration history (whose owner is whoever
/// first ran a migration) and with a fixed restrict key.
fn schema_dump(url: &str) -> String {
    let bin = schemactl::local::bin_dir().unwrap();
    let output = Command::new(bin.join("pg_dump"))
        .args(["--schema-only", "--restrict-key=schemactltest"])
        .args(["--exclude-table=public.seaql_migrations"])
        .args([
            "--exclude-table=public.schemactl_migration_marks",
            "-d",
            url,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// sea-orm-migration's CLI gives the same database whether a superuser or the database
/// owner runs it: same owners, same default privileges, and no drift from the model.
#[tokio::test(flavor = "multi_thread")]
async fn migrations_give_the_same_database_whoever_runs_them() {
    let tag = format!("migration_who_{}", std::process::id());
    let admin = prepare_roles(&tag).await;
    let as_superuser = empty_database(&admin, &format!("{tag}_su")).await;
    migration_cli(&as_superuser, &["up"]);
    let as_owner_admin = empty_database(&admin, &format!("{tag}_owner")).await;
    let as_owner =
        schemactl::db::with_credentials(&as_owner_admin, "app_owner", "testkit-app_owner").unwrap();
    migration_cli(&as_owner, &["up"]);
    let (superuser_dump, owner_dump) = (schema_dump(&as_superuser), schema_dump(&as_owner_admin));
    if superuser_dump != owner_dump {
        let only = |a: &str, b: &str| -> Vec<String> {
            a.lines()
                .filter(|l| !b.lines().any(|m| m == *l))
                .map(str::to_string)
                .collect()
        };
        panic!(
            "run as a superuser, the migrations give another database:\n- as the owner:\n{}\n+ as a superuser:\n{}",
            only(&owner_dump, &superuser_dump).join("\n"),
            only(&superuser_dump, &owner_dump).join("\n")
        );
    }
    let plan = schemactl::upgrade::plan(&load_model(), &as_superuser)
        .await
        .unwrap();
    assert!(plan.is_empty(), "no drift:\n{}", plan.sql());
    drop_database(&admin, &format!("{tag}_su")).await;
    drop_database(&admin, &format!("{tag}_owner")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn both_runners_share_one_history() {
    let database = format!("migration_history_{}", std::process::id());
    let admin = prepare_roles(&database).await;
    let admin_url = empty_database(&admin, &database).await;
    let loaded_model = load_model();
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
    let plan = schemactl::upgrade::plan(&loaded_model, &admin_url)
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
    drop_database(&admin, &database).await;
}
