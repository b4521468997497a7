//! The project-local PostgreSQL against the real binaries.
//!
//! Tests use the test cluster (`LocalServer::tests_pg18`), never the default one that
//! `provision` uses. It is shared with every other test binary, so nothing here stops it;
//! stop/start is exercised on a private cluster of its own.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;

use schemactl::local::{self, LocalServer};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

async fn query_string(db: &DatabaseConnection, sql: &str, column: &str) -> String {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|err| panic!("{sql}: {err}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get::<String>("", column)
        .unwrap_or_else(|err| panic!("{sql}: column {column}: {err}"))
}

/// The URL of another database on the same server.
fn with_database(url: &str, database: &str) -> String {
    let (server, _) = url.rsplit_once('/').expect("URL has a database");
    format!("{server}/{database}")
}

#[tokio::test]
async fn admin_url_serves_postgres_18_with_pgvector() {
    let url = tokio::task::spawn_blocking(local::test_admin_url)
        .await
        .unwrap()
        .unwrap();
    assert!(url.starts_with("postgres://postgres:"), "{url}");
    let admin = Database::connect(&url).await.unwrap();
    let version = query_string(&admin, "SELECT version() AS version", "version").await;
    assert!(version.starts_with("PostgreSQL 18."), "{version}");

    let database = format!("schemactl_local_vector_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {database}"))
        .await
        .unwrap();

    let scratch = Database::connect(&with_database(&url, &database))
        .await
        .unwrap();
    scratch
        .execute_unprepared(
            "CREATE EXTENSION vector;
             CREATE TABLE items (id integer PRIMARY KEY, embedding vector(3));
             INSERT INTO items VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0,0,1]');",
        )
        .await
        .unwrap();
    let nearest = query_string(
        &scratch,
        "SELECT id::text AS id FROM items ORDER BY embedding <-> '[0.1,0.9,0]' LIMIT 1",
        "id",
    )
    .await;
    assert_eq!(nearest, "2");
    let distance = query_string(
        &scratch,
        "SELECT ('[3,4,0]'::vector <-> '[0,0,0]'::vector)::text AS d",
        "d",
    )
    .await;
    assert_eq!(distance, "5");
    scratch.close().await.unwrap();

    admin
        .execute_unprepared(&format!("DROP DATABASE {database} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.unwrap();
}

/// A private cluster, stopped and removed even when the test fails.
struct ScratchCluster(LocalServer);

impl Drop for ScratchCluster {
    fn drop(&mut self) {
        let _ = self.0.stop();
        let _ = std::fs::remove_dir_all(self.0.root());
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn data_persists_across_stop_and_start() {
    let root: PathBuf = local::workspace_root().join(format!(
        "target/schemactl-test-persist-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    let cluster = ScratchCluster(LocalServer::new(&root, free_port(), 18).unwrap());
    let server = &cluster.0;

    server.start().unwrap();
    assert!(server.is_running().unwrap());
    // Starting a running server is a no-op.
    server.start().unwrap();
    let mode = std::fs::metadata(server.password_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "password file mode {mode:o}");
    let url = server.url().unwrap();
    assert!(
        url.ends_with(&format!("@127.0.0.1:{}/postgres", server.port())),
        "{url}"
    );

    let db = Database::connect(&url).await.unwrap();
    db.execute_unprepared(
        "CREATE TABLE kept (id integer PRIMARY KEY, note text);
         INSERT INTO kept VALUES (1, 'survives a restart');",
    )
    .await
    .unwrap();
    db.close().await.unwrap();

    server.stop().unwrap();
    assert!(!server.is_running().unwrap());
    let status = server.status().unwrap();
    assert!(!status.running && status.initialized, "{status}");
    // Stopping a stopped server is a no-op.
    server.stop().unwrap();

    server.start().unwrap();
    assert_eq!(server.url().unwrap(), url, "the password is kept");
    let db = Database::connect(&url).await.unwrap();
    let note = query_string(&db, "SELECT note FROM kept WHERE id = 1", "note").await;
    assert_eq!(note, "survives a restart");
    db.close().await.unwrap();

    let status = server.status().unwrap();
    assert!(status.running, "{status}");
    assert_eq!(status.port, server.port());
    assert!(
        status
            .version
            .as_deref()
            .is_some_and(|v| v.starts_with("PostgreSQL 18.")),
        "{status}"
    );

    drop(cluster);
    assert!(!root.exists(), "{} was not removed", root.display());
}

/// `schemactl local` aimed at the test cluster through SCHEMACTL_LOCAL_DIR and
/// SCHEMACTL_LOCAL_PORT: the same commands a developer runs on the default one.
fn local_command(args: &[&str]) -> std::process::Output {
    let cluster = LocalServer::tests_pg18().unwrap();
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(args)
        .env(local::DIR_ENV, local::TEST_DIR)
        .env(local::PORT_ENV, cluster.port().to_string())
        .output()
        .unwrap()
}

#[test]
fn url_and_status_commands_succeed() {
    let url = local::test_admin_url().unwrap();
    let test_port = LocalServer::tests_pg18().unwrap().port();
    let default_port = LocalServer::default_pg18().unwrap().port();
    assert_ne!(
        test_port, default_port,
        "the test cluster has a port of its own"
    );

    let output = local_command(&["local", "url"]);
    assert!(
        output.status.success(),
        "schemactl local url: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), url);

    let output = local_command(&["local", "status"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemactl local status: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.starts_with("running"), "{stdout}");
    assert!(
        stdout.contains(&format!("127.0.0.1:{test_port}")),
        "{stdout}"
    );
    assert!(stdout.contains("pg18-tests"), "{stdout}");
    assert!(stdout.contains("PostgreSQL 18."), "{stdout}");
}

#[test]
fn bin_dir_has_client_tools_18() {
    let bin = local::bin_dir().unwrap();
    let output = Command::new(bin.join("pg_dump"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(output.status.success());
    let version = String::from_utf8_lossy(&output.stdout);
    assert!(version.contains("PostgreSQL) 18."), "{version}");
    assert!(bin.join("psql").is_file());
}

/// A taken port is reported with the variable that chose it: SCHEMACTL_LOCAL_PORT for the
/// default cluster, the test clusters' own variables for theirs (each has its own port).
#[test]
fn a_taken_port_names_the_variable_that_chose_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let root = local::workspace_root().join(format!(
        "target/schemactl-test-taken-{}",
        std::process::id()
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(["local", "start"])
        .env(local::DIR_ENV, &root)
        .env(local::PORT_ENV, port.to_string())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("port 127.0.0.1:{port} is taken"))
            && stderr.contains("choose another with SCHEMACTL_LOCAL_PORT"),
        "{stderr}"
    );
    assert!(
        !root.join("data").exists(),
        "nothing is initialized for a port that cannot be used"
    );
    let _ = std::fs::remove_dir_all(&root);

    for (server, variable) in [
        (LocalServer::tests_pg18().unwrap(), local::TEST_PORT_ENV),
        (
            LocalServer::tests_pg16().unwrap(),
            local::TEST_PG16_PORT_ENV,
        ),
    ] {
        assert_eq!(server.port_env(), Some(variable));
        let scratch = LocalServer::new(&root, port, server.major())
            .unwrap()
            .port_variable(variable);
        let err = scratch.start().unwrap_err().to_string();
        assert!(
            err.contains(&format!("choose another with {variable}")),
            "{err}"
        );
        assert!(!err.contains(local::PORT_ENV), "{err}");
    }
    let _ = std::fs::remove_dir_all(&root);
}
