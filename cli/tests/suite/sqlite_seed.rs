//! SQLite seeding against real database files: declared seed rows (idempotent upserts in
//! foreign-key order). Seed 002's smart ingestion of IGDB games is the IGDB example's
//! (`examples/igdb/tests/ingest.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::sqlx::{self, SqlitePool};
use sea_orm::{DatabaseConnection, TransactionTrait};

/// A directory of its own per test, removed when the test passes.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "schemactl-sqlite-seed-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
    fn url(&self, file: &str) -> String {
        format!("sqlite://{}", self.path(file).display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn schemactl(schema: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("--schema")
        .arg(schema)
        .args(args)
        .stdin(Stdio::null())
        .env_remove("DATABASE_URL")
        .env("SCHEMACTL_LOG", "warn")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn provision(schema: &Path, url: &str) {
    ok(&schemactl(
        schema,
        &["provision", "--database-url", url, "--recreate", "--yes"],
    ));
}

async fn open(url: &str) -> (DatabaseConnection, SqlitePool) {
    let conn = schemactl::sqlite::connect(url, false).await.unwrap();
    let pool = conn.get_sqlite_connection_pool().clone();
    (conn, pool)
}

async fn scalar_i64(pool: &SqlitePool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

// ---------------------------------------------------------------- declared seed rows

/// The child table comes first in the model, so seeding in model order would break its
/// foreign key.
const SEED_MODEL: &str = r#"
database:
  name: seeded
  target: sqlite
schemas:
  main:
    tables:
      games:
        columns:
          id: { type: integer, primary_key: true }
          title: { type: text, nullable: false }
          studio_id: { type: integer, references: { table: studios } }
          tags: { type: json }
          released: { type: boolean, nullable: false, default: false }
          score: { type: real }
        seed:
          rows:
            - { id: 1, title: "Quake", studio_id: 10, tags: ["fps", "classic"], released: true, score: 88.5 }
            - { id: 2, title: "It's Unreleased", studio_id: 11, tags: { beta: true }, released: false, score: null }
      studios:
        columns:
          id: { type: integer, primary_key: true }
          code: { type: text, nullable: false, unique: true }
          name: { type: text, nullable: false }
        seed:
          key: [code]
          rows:
            - { id: 10, code: "ID", name: "id Software" }
            - { id: 11, code: "NEW", name: "New Studio" }
"#;

#[tokio::test]
async fn declared_seed_rows_are_idempotent_upserts_in_fk_order() {
    let dir = Scratch::new("declared");
    let schema = dir.path("model.yaml");
    std::fs::write(&schema, SEED_MODEL).unwrap();
    let url = dir.url("seeded.db");
    provision(&schema, &url);
    // Provision upserts the declared rows too: empty the tables so that `seed` inserts
    // them, parents before children.
    let (conn, pool) = open(&url).await;
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 2);
    for sql in ["DELETE FROM games", "DELETE FROM studios"] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    conn.close().await.unwrap();

    let out = ok(&schemactl(&schema, &["seed", "--database-url", &url]));
    assert!(out.contains("seeded 2 row(s) into studios"), "{out}");
    assert!(out.contains("seeded 2 row(s) into games"), "{out}");
    assert!(out.contains("4 of 4 declared row(s)"), "{out}");

    let out = ok(&schemactl(&schema, &["seed", "--database-url", &url]));
    assert!(
        out.contains("4 declared seed row(s) already in place: no change"),
        "{out}"
    );

    let (conn, pool) = open(&url).await;
    let row: (String, i64, String, i64, f64) =
        sqlx::query_as("SELECT title, studio_id, tags, released, score FROM games WHERE id = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        row,
        ("Quake".into(), 10, "[\"fps\",\"classic\"]".into(), 1, 88.5)
    );
    let row: (String, String, i64, Option<f64>) =
        sqlx::query_as("SELECT title, tags, released, score FROM games WHERE id = 2")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        row,
        ("It's Unreleased".into(), "{\"beta\":true}".into(), 0, None)
    );

    // A changed row is put back, and only that one counts; the library call agrees.
    sqlx::query("UPDATE studios SET name = 'Someone else' WHERE code = 'ID'")
        .execute(&pool)
        .await
        .unwrap();
    let model = match schemactl::load::load_file(&schema).unwrap() {
        Ok(loaded) => loaded.model,
        Err((_, diagnostics)) => panic!("{diagnostics:?}"),
    };
    assert_eq!(
        schemactl::sqlite::seed::declared(&conn, &model)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sqlx::query_scalar::<_, String>("SELECT name FROM studios WHERE code = 'ID'")
            .fetch_one(&pool)
            .await
            .unwrap(),
        "id Software"
    );
    assert_eq!(
        schemactl::sqlite::seed::declared(&conn, &model)
            .await
            .unwrap(),
        0
    );

    // Inside a caller's transaction it is a savepoint, and the caller's rollback wins.
    sqlx::query("DELETE FROM games WHERE id = 2")
        .execute(&pool)
        .await
        .unwrap();
    let txn = conn.begin().await.unwrap();
    assert_eq!(
        schemactl::sqlite::seed::declared(&txn, &model)
            .await
            .unwrap(),
        1
    );
    sea_orm::TransactionSession::rollback(txn).await.unwrap();
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 1);
    conn.close().await.unwrap();
}

#[test]
fn seed_with_fake_is_refused_for_sqlite() {
    let dir = Scratch::new("fake");
    let schema = dir.path("model.yaml");
    std::fs::write(&schema, SEED_MODEL).unwrap();
    let url = dir.url("seeded.db");
    provision(&schema, &url);
    let out = schemactl(
        &schema,
        &["seed", "--database-url", &url, "--fake", "main.games=5"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fake"));
}
