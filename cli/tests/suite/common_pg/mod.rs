//! Shared helpers for tests that provision into the project-local test cluster
//! (`schemactl::local::LocalServer::tests_pg18`: its own data directory and port under
//! target/), never into the cluster `schemactl provision` uses by default.
#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

/// Role passwords every test uses: provisioning resets a role's password when the
/// environment holds another one, so all tests must agree. They are the testkit's
/// defaults (`testkit-<role>`), so that a `TestDatabase` given no passwords (the example
/// of docs/testing.md) agrees too.
pub const PASSWORDS: &[(&str, &str)] = &[
    ("APP_OWNER_PASSWORD", "testkit-app_owner"),
    ("IMS_ADMIN_PASSWORD", "testkit-ims_admin"),
    ("IMS_USER_PASSWORD", "testkit-ims_user"),
    ("IMS_READONLY_PASSWORD", "testkit-ims_readonly"),
];

pub fn password(var: &str) -> &'static str {
    PASSWORDS
        .iter()
        .find(|(v, _)| *v == var)
        .map(|(_, p)| *p)
        .unwrap_or_default()
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn schema_path() -> PathBuf {
    workspace().join("schema.yaml")
}

pub fn admin_url() -> String {
    schemactl::local::test_admin_url().expect("the project-local test cluster starts")
}

pub fn db_url(database: &str) -> String {
    schemactl::db::with_database(&admin_url(), database).unwrap()
}

/// A database name unique to this test process; see [`TestDb`].
pub fn unique(prefix: &str) -> TestDb {
    TestDb(format!("{prefix}_{}", std::process::id()))
}

impl TestDb {
    /// A database with a fixed name (such as the model's own), dropped like the others.
    pub fn named(name: &str) -> TestDb {
        TestDb(name.to_string())
    }
}

/// A name for the databases of one test: when it goes out of scope, also when the test
/// fails and unwinds, the database of that name and every `<name>_…` one are dropped.
#[derive(Debug)]
pub struct TestDb(String);

impl std::ops::Deref for TestDb {
    type Target = String;
    fn deref(&self) -> &String {
        &self.0
    }
}

impl std::fmt::Display for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for TestDb {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // A test that never started the cluster has nothing to drop there.
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

/// Serializes provisioning across test processes: roles are cluster-wide, and two runs
/// creating the same role at once would race.
pub struct ClusterLock(File);

pub fn cluster_lock() -> ClusterLock {
    let path = workspace().join("target").join("schemactl-tests.lock");
    let file = File::create(&path).unwrap();
    file.lock().unwrap();
    ClusterLock(file)
}

/// Runs `schemactl` with the test passwords; `args` follow the global options.
pub fn schemactl(schema: &Path, args: &[&str]) -> Output {
    schemactl_env(schema, args, PASSWORDS)
}

pub fn schemactl_env(schema: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schemactl"));
    command
        .arg("--schema")
        .arg(schema)
        .args(args)
        .stdin(Stdio::null())
        .env("SCHEMACTL_ADMIN_URL", admin_url())
        .env("SCHEMACTL_LOG", "info,sqlx=warn")
        .env("NO_COLOR", "1");
    for (var, _) in PASSWORDS {
        command.env_remove(var);
    }
    for (var, value) in env {
        command.env(var, value);
    }
    let _lock = cluster_lock();
    command.output().unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Provisions the real model into `database` (a no-op when it is already there).
pub fn provision(database: &str) -> Output {
    let output = schemactl(&schema_path(), &["provision", database]);
    assert!(
        output.status.success(),
        "provision failed:\n{}",
        stderr(&output)
    );
    output
}

pub async fn connect(url: &str) -> DatabaseConnection {
    schemactl::db::connect(url).await.unwrap()
}

/// One connection (not a pool), so that session settings such as the RLS user id made
/// by `ims.set_current_user` apply to every later statement.
pub async fn connect_as(database: &str, role: &str, password: &str) -> DatabaseConnection {
    let url = schemactl::db::with_credentials(&db_url(database), role, password).unwrap();
    let mut options = sea_orm::ConnectOptions::new(url);
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    sea_orm::Database::connect(options).await.unwrap()
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

/// Runs a statement expected to fail and returns the server's message.
pub async fn exec_err<C: ConnectionTrait>(conn: &C, sql: &str) -> String {
    match conn.execute_unprepared(sql).await {
        Ok(_) => panic!("expected `{sql}` to fail"),
        Err(e) => e.to_string(),
    }
}

pub async fn database_exists(name: &str) -> bool {
    let admin = connect(&admin_url()).await;
    scalar_i64(
        &admin,
        &format!(
            "SELECT count(*) FROM pg_database WHERE datname = {}",
            schemactl::sql::literal(name)
        ),
    )
    .await
        == 1
}

pub async fn drop_database(name: &str) {
    let admin = connect(&admin_url()).await;
    exec(
        &admin,
        &format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            schemactl::sql::ident(name)
        ),
    )
    .await;
}

/// `pg_dump --schema-only` of a database, with a fixed restrict key so two dumps compare.
pub fn schema_dump(database: &str) -> String {
    let bin = schemactl::local::bin_dir().unwrap();
    let output = Command::new(bin.join("pg_dump"))
        .args(["--schema-only", "--restrict-key=schemactltest"])
        // The migration history is bookkeeping, not schema.
        .args(["--exclude-table=public.seaql_migrations"])
        .args(["--exclude-table=public.schemactl_migration_marks", "-d"])
        .arg(db_url(database))
        .output()
        .unwrap();
    assert!(output.status.success(), "pg_dump: {}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// Writes a model to a temporary file under target/ and returns its path.
pub fn write_model(name: &str, yaml: &str) -> PathBuf {
    let dir = workspace().join("target").join("test-models");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}_{}.yaml", std::process::id()));
    std::fs::write(&path, yaml).unwrap();
    path
}
