//! The IGDB example end to end through the binary on real SQLite files: provision, an
//! empty plan, drift and apply, versioned migrations, and failures that leave nothing
//! behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common_files::{scratch, text};

use schemactl::sqlite;
use sea_orm::{ConnectionTrait, Statement};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn schemactl(schema: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("--schema")
        .arg(schema)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("SCHEMACTL_LOG", "info")
        .current_dir(repo())
        .output()
        .unwrap()
}

fn example() -> PathBuf {
    repo().join("examples/igdb/schema.yaml")
}

async fn query(url: &str, sql: &str) -> Vec<String> {
    let conn = sqlite::connect(url, false).await.unwrap();
    let rows = conn
        .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap();
    conn.close().await.unwrap();
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn schema_of(url: &str) -> Vec<String> {
    query(
        url,
        "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema ORDER BY name",
    )
    .await
}

#[tokio::test]
async fn provision_plan_drift_apply() {
    let dir = scratch("sqlite-cli", "provision");
    let url = format!("sqlite://{}", dir.join("igdb.db").display());
    let schema = example();

    let out = schemactl(
        &schema,
        &["provision", "--database-url", &url, "--recreate", "--yes"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let tables = query(
        &url,
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
    )
    .await;
    assert_eq!(
        tables,
        ["game_genres", "games", "ingestion_log", "processing_status"]
    );

    // A second run and a plan find nothing to do.
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert!(
        out.status.success() && text(&out).contains("no change"),
        "{}",
        text(&out)
    );
    let out = schemactl(&schema, &["plan", "--database-url", &url, "--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // The rules SQLite enforces: JSON validity, foreign keys, the touch trigger.
    let conn = sqlite::connect(&url, false).await.unwrap();
    let bad_json = conn
        .execute_unprepared("INSERT INTO games (id, name, genres) VALUES (1, 'x', 'not json')")
        .await;
    assert!(bad_json.is_err(), "json_valid check did not fire");
    let orphan = conn
        .execute_unprepared("INSERT INTO processing_status (game_id) VALUES (999)")
        .await;
    assert!(orphan.is_err(), "foreign key not enforced");
    conn.execute_unprepared(
        "INSERT INTO games (id, name, genres, updated_at) VALUES (1, 'Portal', '[\"puzzle\"]', '2000-01-01 00:00:00');
         UPDATE games SET name = 'Portal 2' WHERE id = 1;",
    )
    .await
    .unwrap();
    conn.close().await.unwrap();
    let touched = query(&url, "SELECT updated_at FROM games WHERE id = 1").await;
    assert_ne!(
        touched,
        ["2000-01-01 00:00:00"],
        "trigger did not touch updated_at"
    );

    // Someone drops an index by hand: drift reports it, apply restores it.
    let conn = sqlite::connect(&url, false).await.unwrap();
    conn.execute_unprepared("DROP INDEX idx_games_rated")
        .await
        .unwrap();
    conn.close().await.unwrap();
    let out = schemactl(&schema, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("create index main.idx_games_rated"),
        "{}",
        text(&out)
    );
    let out = schemactl(&schema, &["apply", "--database-url", &url, "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = schemactl(&schema, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(query(&url, "SELECT name FROM games").await, ["Portal 2"]);

    // --recreate without --yes refuses and leaves the file alone.
    let out = schemactl(
        &schema,
        &["provision", "--database-url", &url, "--recreate"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(query(&url, "SELECT name FROM games").await, ["Portal 2"]);

    // A SQLite URL with the PostgreSQL model is refused.
    let out = schemactl(
        &repo().join("schema.yaml"),
        &["plan", "--database-url", &url],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("targets PostgreSQL"), "{}", text(&out));
}

#[tokio::test]
async fn failing_upgrade_leaves_database_as_it_was() {
    let dir = scratch("sqlite-cli", "failing");
    let url = format!("sqlite://{}", dir.join("igdb.db").display());
    let out = schemactl(
        &example(),
        &["provision", "--database-url", &url, "--recreate", "--yes"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let conn = sqlite::connect(&url, false).await.unwrap();
    conn.execute_unprepared(
        "INSERT INTO games (id, name, rating_count) VALUES (1, 'Portal', 5), (2, 'Zelda', 50);
         INSERT INTO processing_status (game_id) VALUES (1), (2);",
    )
    .await
    .unwrap();
    conn.close().await.unwrap();
    let before = schema_of(&url).await;

    // The new model wants every game rated at least ten times: the rebuild's copy fails.
    let text_model = std::fs::read_to_string(example())
        .unwrap()
        .replace(
            "          rating_count:\n            type: integer\n            nullable: false\n            default: 0\n",
            "          rating_count:\n            type: integer\n            nullable: false\n            default: 0\n            check: rating_count >= 10\n",
        );
    let edited = dir.join("schema.yaml");
    std::fs::write(&edited, &text_model).unwrap();
    let out = schemactl(
        &edited,
        &[
            "apply",
            "--database-url",
            &url,
            "--yes",
            "--allow-hazard",
            "table-rewrite",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(
        text(&out).contains("CHECK constraint failed"),
        "{}",
        text(&out)
    );
    assert_eq!(
        schema_of(&url).await,
        before,
        "a failed apply changed the schema"
    );
    assert_eq!(
        query(&url, "SELECT name FROM games ORDER BY id").await,
        ["Portal", "Zelda"]
    );
    assert_eq!(
        query(&url, "SELECT CAST(count(*) AS TEXT) FROM processing_status").await,
        ["2"],
        "the rebuild's DROP TABLE cascaded into processing_status"
    );

    // Without --allow-hazard the rebuild is refused before anything runs.
    let out = schemactl(&edited, &["apply", "--database-url", &url, "--yes"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(
        text(&out).contains("--allow-hazard table-rewrite"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn failing_fresh_provision_removes_the_file_and_points_at_the_model() {
    let dir = scratch("sqlite-cli", "fresh-failure");
    let file = dir.join("igdb.db");
    let url = format!("sqlite://{}", file.display());
    let text_model = std::fs::read_to_string(example())
        .unwrap()
        .replace("where: rating_count >= 10", "where: no_such_column >= 10");
    let edited = dir.join("schema.yaml");
    std::fs::write(&edited, &text_model).unwrap();
    let out = schemactl(&edited, &["provision", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let message = text(&out);
    assert!(
        message.contains("no such column: no_such_column"),
        "{message}"
    );
    // file:line:column of the index in the model.
    let line = text_model
        .lines()
        .position(|l| l.trim_start().starts_with("idx_games_rated:"))
        .unwrap()
        + 2;
    assert!(
        message.contains(&format!("schema.yaml:{line}:")),
        "no position of idx_games_rated (line {line}) in: {message}"
    );
    assert!(
        !file.exists(),
        "a failed fresh provision left {}",
        file.display()
    );
}

#[tokio::test]
async fn versioned_migrations_through_the_cli() {
    let dir = scratch("sqlite-cli", "migrations");
    let schema = dir.join("schema.yaml");
    std::fs::copy(example(), &schema).unwrap();
    let url = format!("sqlite://{}", dir.join("igdb.db").display());

    let out = schemactl(&schema, &["migrate", "new", "initial"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join("migration/schema.snapshot.json").exists());
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    let out = schemactl(&schema, &["migrate", "status", "--database-url", &url]);
    assert!(text(&out).contains("initial"), "{}", text(&out));

    // The model moves ahead of the migrations: provision refuses until `migrate new`.
    let moved = std::fs::read_to_string(&schema).unwrap().replace(
        "          last_processed_at:\n            type: timestamp\n",
        "          last_processed_at:\n            type: timestamp\n          error_message:\n            type: text\n",
    );
    std::fs::write(&schema, moved).unwrap();
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("migrate new"), "{}", text(&out));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = schemactl(&schema, &["migrate", "new", "error_message"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = schemactl(&schema, &["migrate", "up", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    let columns = query(
        &url,
        "SELECT name FROM pragma_table_info('processing_status') ORDER BY cid",
    )
    .await;
    assert_eq!(columns.last().map(String::as_str), Some("error_message"));
    let out = schemactl(&schema, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = schemactl(&schema, &["migrate", "down", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    let columns = query(
        &url,
        "SELECT name FROM pragma_table_info('processing_status') ORDER BY cid",
    )
    .await;
    assert!(
        !columns.contains(&"error_message".to_string()),
        "{columns:?}"
    );
}

#[tokio::test]
async fn provision_applies_declared_seed_rows_once() {
    let dir = scratch("sqlite-cli", "seed");
    let schema = dir.join("schema.yaml");
    std::fs::write(
        &schema,
        r#"
database: { name: settings, target: sqlite }
schemas:
  main:
    tables:
      pipeline_settings:
        columns:
          key: { type: text, primary_key: true }
          value: { type: json, nullable: false }
        seed:
          rows:
            - { key: batch_size, value: 500 }
            - { key: genres, value: [rpg, puzzle] }
"#,
    )
    .unwrap();
    let url = format!("sqlite://{}", dir.join("settings.db").display());
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("seeded 2 row(s)"), "{}", text(&out));
    assert_eq!(
        query(
            &url,
            "SELECT key || '=' || value FROM pipeline_settings ORDER BY key"
        )
        .await,
        ["batch_size=500", "genres=[\"rpg\",\"puzzle\"]"]
    );
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert!(
        out.status.success() && text(&out).contains("no change"),
        "{}",
        text(&out)
    );
}
