//! Shared helpers for the Steam example's tests: databases on the project-local test
//! cluster (`schemactl::local::LocalServer::tests_pg18`, the one `cli/tests` use), the
//! repository's model provisioned through schemactl's library, and the `steam-import`
//! binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The repository's model: its `steam` schema is what the example imports into.
pub fn schema_path() -> PathBuf {
    workspace().join("schema.yaml")
}

pub fn admin_url() -> String {
    schemactl::local::test_admin_url().expect("the project-local test cluster starts")
}

pub fn db_url(database: &str) -> String {
    schemactl::db::with_database(&admin_url(), database).unwrap()
}

/// A database name unique to this test process, dropped with every `<name>_…` one when
/// it goes out of scope, also when the test fails and unwinds.
#[derive(Debug)]
pub struct TestDb(String);

pub fn unique(prefix: &str) -> TestDb {
    TestDb(format!("{prefix}_{}", std::process::id()))
}

impl std::ops::Deref for TestDb {
    type Target = String;
    fn deref(&self) -> &String {
        &self.0
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Ok(server) = schemactl::local::LocalServer::tests_pg18() else {
            return;
        };
        if !server.is_running().unwrap_or(false) {
            return;
        }
        let Ok(url) = server.url() else { return };
        let name = self.0.clone();
        // Drop cannot await, and the test's own runtime may be a current-thread one.
        let worker = std::thread::spawn(move || drop_databases_named(&url, &name));
        if let Ok(Err(err)) = worker.join() {
            eprintln!("could not drop the test databases {}*: {err}", self.0);
        }
    }
}

fn drop_databases_named(url: &str, name: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let admin = schemactl::db::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        let pattern = format!("{}\\_%", name.replace('_', "\\_"));
        let names = schemactl::db::query_all(
            &admin,
            "SELECT datname::text AS name FROM pg_database WHERE datname = $1 OR datname LIKE $2",
            vec![name.into(), pattern.into()],
        )
        .await
        .map_err(|e| e.to_string())?;
        for row in names {
            let database: String = row.try_get("", "name").map_err(|e| e.to_string())?;
            admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    schemactl::sql::ident(&database)
                ))
                .await
                .map_err(|e| e.to_string())?;
        }
        admin.close().await.ok();
        Ok(())
    })
}

/// Serializes provisioning across test processes (the lock file `cli/tests` use): roles
/// are cluster-wide, and two runs creating the same role at once would race.
fn cluster_lock() -> File {
    let path = workspace().join("target").join("schemactl-tests.lock");
    let file = File::create(&path).unwrap();
    file.lock().unwrap();
    file
}

/// `schemactl provision DATABASE --recreate --yes` with the test passwords (the testkit's
/// defaults, `testkit-<role>`, which every test of the repository uses), through the
/// library and the versioned migrations as the command does: a leftover of a killed run
/// with the same process id is replaced.
pub fn provision(database: &str) {
    let model = match schemactl::load::load_file(&schema_path()).unwrap() {
        Ok(loaded) => loaded.model,
        Err((_, diagnostics)) => panic!("{diagnostics:?}"),
    };
    let passwords: BTreeMap<String, String> = model
        .roles
        .keys()
        .map(|role| (role.clone(), format!("testkit-{role}")))
        .collect();
    let migrations = workspace().join("migration");
    let options = schemactl::provision::Options {
        database: Some(database.to_string()),
        admin_url: Some(admin_url()),
        recreate: true,
        yes: true,
        passwords: Some(passwords),
        migrations: migrations.join("sql").is_dir().then_some(migrations),
        ..Default::default()
    };
    let _lock = cluster_lock();
    // A thread with a runtime of its own: the async tests call this from inside theirs.
    std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime
                .block_on(schemactl::provision::provision(&model, &options))
                .unwrap_or_else(|e| panic!("provision failed: {e:#}"));
        })
        .join()
        .unwrap()
    });
}

/// Runs `steam-import` with `args`.
pub fn steam_import(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steam-import"))
        .args(args)
        .stdin(Stdio::null())
        .env_remove("DATABASE_URL")
        .env("SCHEMACTL_LOG", "info,sqlx=warn")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub async fn connect(url: &str) -> DatabaseConnection {
    schemactl::db::connect(url).await.unwrap()
}

fn stmt(sql: &str) -> Statement {
    Statement::from_string(DbBackend::Postgres, sql)
}

pub async fn scalar_i64<C: ConnectionTrait>(conn: &C, sql: &str) -> i64 {
    let row = conn.query_one_raw(stmt(sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

pub async fn scalar_string<C: ConnectionTrait>(conn: &C, sql: &str) -> String {
    let row = conn.query_one_raw(stmt(sql)).await.unwrap().unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

pub async fn strings<C: ConnectionTrait>(conn: &C, sql: &str) -> Vec<String> {
    conn.query_all_raw(stmt(sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

pub async fn exec<C: ConnectionTrait>(conn: &C, sql: &str) {
    conn.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
