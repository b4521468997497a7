#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]
//! Seed 002's smart ingestion of IGDB games through the `igdb-ingest` binary, against real
//! SQLite files provisioned from `examples/igdb/schema.yaml` by schemactl's library: dedup
//! by id, one ingestion_log row per run, `--limit`, nothing loaded from a bad file,
//! `game_genres` kept in step by the model's triggers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::DatabaseConnection;
use sea_orm::sqlx::{self, SqlitePool};

/// A directory of its own per test, removed when the test passes.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "igdb-ingest-{name}-{}-{}",
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

fn igdb_model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.yaml")
}

/// Runs `igdb-ingest` with `args`.
fn igdb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_igdb-ingest"))
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

/// `schemactl --schema MODEL provision --database-url URL --recreate --yes`, through the
/// library.
fn provision(schema: &Path, url: &str) {
    let model = match schemactl::load::load_file(schema).unwrap() {
        Ok(loaded) => loaded.model,
        Err((_, diagnostics)) => panic!("{diagnostics:?}"),
    };
    // A thread with a runtime of its own: the async tests call this from inside theirs.
    std::thread::scope(|s| {
        s.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime
                .block_on(schemactl::sqlite::provision(&model, url, true))
                .unwrap_or_else(|e| panic!("provision failed: {e:#}"));
        })
        .join()
        .unwrap()
    });
}

async fn open(url: &str) -> (DatabaseConnection, SqlitePool) {
    let conn = schemactl::sqlite::connect(url, false).await.unwrap();
    let pool = conn.get_sqlite_connection_pool().clone();
    (conn, pool)
}

async fn scalar_i64(pool: &SqlitePool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// A SQLite model whose `games` table is not the IGDB one.
const OTHER_MODEL: &str = r#"
database:
  name: other
  target: sqlite
schemas:
  main:
    tables:
      games:
        columns:
          id: { type: integer, primary_key: true }
          title: { type: text, nullable: false }
"#;

fn generate(dir: &Scratch, file: &str, count: usize, seed: u64) -> PathBuf {
    let out = dir.path(file);
    ok(&igdb(&[
        "generate",
        "--count",
        &count.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--seed",
        &seed.to_string(),
    ]));
    out
}

fn ingest(url: &str, file: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["ingest", file.to_str().unwrap(), "--database-url", url];
    args.extend_from_slice(extra);
    igdb(&args)
}

/// The last ingestion_log row: (batch_id, fetched, new, updated, status).
async fn last_log(pool: &SqlitePool) -> (String, i64, i64, i64, String) {
    sqlx::query_as(
        "SELECT batch_id, games_fetched, games_new, games_updated, status \
         FROM ingestion_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn ingesting_the_same_file_twice_adds_and_updates_nothing() {
    let dir = Scratch::new("dedup");
    let url = dir.url("igdb.db");
    provision(&igdb_model(), &url);
    let file = generate(&dir, "games.ndjson", 500, 11);

    let out = ok(&ingest(&url, &file, &["--batch-id", "first"]));
    assert!(
        out.contains("500 fetched, 500 new, 0 updated, 0 unchanged"),
        "{out}"
    );
    let out = ok(&ingest(&url, &file, &["--batch-id", "second"]));
    assert!(
        out.contains("500 fetched, 0 new, 0 updated, 500 unchanged"),
        "{out}"
    );

    let (conn, pool) = open(&url).await;
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 500);
    assert_eq!(
        scalar_i64(&pool, "SELECT count(*) FROM ingestion_log").await,
        2
    );
    assert_eq!(
        last_log(&pool).await,
        ("second".into(), 500, 0, 0, "completed".into())
    );
    let (started, completed): (String, String) = sqlx::query_as(
        "SELECT started_at, completed_at FROM ingestion_log WHERE batch_id = 'first'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(started <= completed, "{started} > {completed}");

    // A batch id is used once.
    let out = ingest(&url, &file, &["--batch-id", "second"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in ingestion_log"));

    // The same games as a JSON array are the same games.
    let array = generate(&dir, "games.json", 500, 11);
    assert!(std::fs::read_to_string(&array).unwrap().starts_with('['));
    let out = ok(&ingest(&url, &array, &[]));
    assert!(out.contains("0 new, 0 updated, 500 unchanged"), "{out}");
    conn.close().await.unwrap();
}

#[tokio::test]
async fn a_changed_game_is_the_only_one_updated() {
    let dir = Scratch::new("changed");
    let url = dir.url("igdb.db");
    provision(&igdb_model(), &url);
    let file = generate(&dir, "games.ndjson", 200, 5);
    ok(&ingest(&url, &file, &[]));

    // Game on line 42 gets a new rating; a new game is appended; one id repeats.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let changed_id = lines[41]["id"].as_i64().unwrap();
    lines[41]["rating"] = serde_json::json!(12.5);
    lines[41]["rating_count"] = serde_json::json!(3);
    lines.push(serde_json::json!({"id": 9_000_001, "name": "Brand New Game", "genres": ["Indie"]}));
    lines.push(lines[0].clone());
    let updated = dir.path("updated.ndjson");
    let body: Vec<String> = lines.iter().map(|v| v.to_string()).collect();
    std::fs::write(&updated, body.join("\n")).unwrap();

    let (conn, pool) = open(&url).await;
    let before: String = sqlx::query_scalar("SELECT updated_at FROM games WHERE id = ?")
        .bind(changed_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE games SET updated_at = '2000-01-01 00:00:00'")
        .execute(&pool)
        .await
        .unwrap();
    // Pipeline state survives an update: an upsert, not INSERT OR REPLACE, whose delete
    // would cascade to processing_status.
    sqlx::query(
        "INSERT INTO processing_status (game_id, feature_extraction_status) VALUES (?, 'done')",
    )
    .bind(changed_id)
    .execute(&pool)
    .await
    .unwrap();

    let out = ok(&ingest(&url, &updated, &["--batch-id", "changed"]));
    assert!(
        out.contains("201 fetched, 1 new, 1 updated, 199 unchanged"),
        "{out}"
    );
    assert!(out.contains("1 record(s) repeated an id"), "{out}");
    assert_eq!(
        last_log(&pool).await,
        ("changed".into(), 201, 1, 1, "completed".into())
    );
    let (rating, count, touched): (f64, i64, String) =
        sqlx::query_as("SELECT rating, rating_count, updated_at FROM games WHERE id = ?")
            .bind(changed_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((rating, count), (12.5, 3));
    // The model's trigger touched the updated game, and only that one.
    assert!(touched.as_str() >= before.as_str(), "{touched} < {before}");
    assert_eq!(
        scalar_i64(
            &pool,
            "SELECT count(*) FROM games WHERE updated_at <> '2000-01-01 00:00:00'"
        )
        .await,
        2
    );
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 201);
    assert_eq!(
        scalar_i64(
            &pool,
            "SELECT count(*) FROM processing_status WHERE feature_extraction_status = 'done'"
        )
        .await,
        1
    );
    conn.close().await.unwrap();
}

#[tokio::test]
async fn limit_fetches_only_the_missing_games() {
    let dir = Scratch::new("limit");
    let url = dir.url("igdb.db");
    provision(&igdb_model(), &url);
    let file = generate(&dir, "games.ndjson", 300, 9);

    let out = ok(&ingest(&url, &file, &["--limit", "100"]));
    assert!(out.contains("100 fetched, 100 new"), "{out}");
    let (conn, pool) = open(&url).await;
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 100);

    let out = ok(&ingest(&url, &file, &["--limit", "100"]));
    assert!(
        out.contains("already have 100 games, nothing to fetch"),
        "{out}"
    );
    assert_eq!(
        scalar_i64(&pool, "SELECT count(*) FROM ingestion_log").await,
        1
    );

    // 250 wanted, 100 held: the next 150 of the file, none of the ones already loaded.
    let out = ok(&ingest(&url, &file, &["--limit", "250"]));
    assert!(out.contains("150 fetched, 150 new, 0 updated"), "{out}");
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 250);

    // More than the file has: everything missing is taken.
    let out = ok(&ingest(&url, &file, &["--limit", "1000"]));
    assert!(out.contains("50 fetched, 50 new"), "{out}");
    assert!(out.contains("300 games in the database (was 250)"), "{out}");
    conn.close().await.unwrap();
}

#[tokio::test]
async fn a_bad_record_loads_nothing_and_names_file_record_and_field() {
    let dir = Scratch::new("bad");
    let url = dir.url("igdb.db");
    provision(&igdb_model(), &url);
    let good = r#"{"id": 1, "name": "Doom", "rating": 90.1, "rating_count": 40}"#;
    let cases = [
        (
            "rating.ndjson",
            format!(
                "{good}\n{}\n",
                r#"{"id": 2, "name": "Heretic", "rating": "abc"}"#
            ),
            "record 2 (line 2): field `rating`: expected a number from 0 to 100 or null, found \"abc\"",
        ),
        (
            "name.ndjson",
            format!("{good}\n\n{}\n", r#"{"id": 3, "summary": "no name"}"#),
            "record 2 (line 3): field `name`: is required",
        ),
        (
            "genres.json",
            format!(
                "[{good}, {}]",
                r#"{"id": 4, "name": "Hexen", "genres": "RPG"}"#
            ),
            "record 2: field `genres`: expected an array of names or null",
        ),
    ];
    for (name, text, expected) in cases {
        let file = dir.path(name);
        std::fs::write(&file, text).unwrap();
        let out = ingest(&url, &file, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("{}: {expected}", file.display())),
            "{name}: {stderr}"
        );
        assert!(stderr.contains("nothing was loaded"), "{stderr}");
    }
    let (conn, pool) = open(&url).await;
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 0);
    assert_eq!(
        scalar_i64(&pool, "SELECT count(*) FROM ingestion_log").await,
        0
    );
    conn.close().await.unwrap();
}

#[tokio::test]
async fn a_failure_while_loading_rolls_back_and_is_logged_as_failed() {
    let dir = Scratch::new("failed");
    let url = dir.url("igdb.db");
    provision(&igdb_model(), &url);
    let file = generate(&dir, "games.ndjson", 100, 3);
    // A rule the file does not know about: the database refuses one game mid-load.
    let (conn, pool) = open(&url).await;
    sqlx::query(
        "CREATE TRIGGER no_game_50 BEFORE INSERT ON games WHEN NEW.id >= 50 \
         BEGIN SELECT RAISE(ABORT, 'refused by test'); END",
    )
    .execute(&pool)
    .await
    .unwrap();
    let out = ingest(&url, &file, &["--batch-id", "doomed"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("rolled back"), "{stderr}");
    assert!(stderr.contains("refused by test"), "{stderr}");
    assert_eq!(scalar_i64(&pool, "SELECT count(*) FROM games").await, 0);
    assert_eq!(
        last_log(&pool).await,
        ("doomed".into(), 100, 0, 0, "failed".into())
    );

    // The same batch id can be retried once the cause is gone.
    sqlx::query("DROP TRIGGER no_game_50")
        .execute(&pool)
        .await
        .unwrap();
    ok(&ingest(&url, &file, &["--batch-id", "doomed"]));
    assert_eq!(
        last_log(&pool).await,
        ("doomed".into(), 100, 100, 0, "completed".into())
    );
    assert_eq!(
        scalar_i64(&pool, "SELECT count(*) FROM ingestion_log").await,
        1
    );
    conn.close().await.unwrap();
}

#[test]
fn ingest_into_an_unprovisioned_database_says_what_to_do() {
    let dir = Scratch::new("empty");
    let schema = dir.path("model.yaml");
    std::fs::write(&schema, OTHER_MODEL).unwrap();
    let url = dir.url("other.db");
    provision(&schema, &url);
    let file = dir.path("g.ndjson");
    std::fs::write(&file, "{\"id\": 1, \"name\": \"x\"}\n").unwrap();
    let out = ingest(&url, &file, &[]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("lacks column(s)") || stderr.contains("no table"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_big_first_load_rebuilds_the_indexes_as_they_were() {
    let dir = Scratch::new("rebuild");
    let url = dir.url("igdb.db");
    provision(&igdb_model(), &url);
    let (conn, pool) = open(&url).await;
    let indexes = || async {
        sqlx::query_as::<_, (String, String)>(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL \
             ORDER BY name",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let before = indexes().await;
    assert_eq!(before.len(), 6, "{before:?}");

    let file = generate(&dir, "games.ndjson", 20_000, 4);
    let out = ok(&ingest(&url, &file, &[]));
    assert!(out.contains("20000 new"), "{out}");
    let rebuilt = out
        .lines()
        .find_map(|l| l.strip_prefix("rebuilt index(es) after the load: "))
        .unwrap_or_else(|| panic!("no rebuilt indexes in {out}"));
    assert!(
        rebuilt.split(", ").any(|i| i == "idx_games_rating"),
        "{out}"
    );
    // game_genres, filled by the model's triggers, has its secondary index set aside too.
    assert!(
        rebuilt.split(", ").any(|i| i == "idx_game_genres_genre"),
        "{out}"
    );
    assert_eq!(indexes().await, before);
    assert_genres_match_the_json(&pool).await;
    let rated: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM games INDEXED BY idx_games_rated WHERE rating_count >= 10",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(rated > 1000, "{rated}");
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");

    // A re-run is not a big load: nothing is dropped.
    let out = ok(&ingest(&url, &file, &[]));
    assert!(!out.contains("rebuilt"), "{out}");
    conn.close().await.unwrap();
}

/// `game_genres` holds exactly the (game, genre, release date, rating) rows the JSON of
/// `games` lists: the same count (a genre repeated in one list counted once), and nothing
/// on either side the other lacks.
async fn assert_genres_match_the_json(pool: &SqlitePool) {
    const FROM_JSON: &str = "SELECT g.id, j.value, g.first_release_date, g.rating \
                             FROM games g, json_each(g.genres) j";
    const TABLE: &str = "SELECT game_id, genre, first_release_date, rating FROM game_genres";
    let from_json: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM (SELECT DISTINCT * FROM ({FROM_JSON}))"
    )))
    .fetch_one(pool)
    .await
    .unwrap();
    let rows = scalar_i64(pool, "SELECT count(*) FROM game_genres").await;
    assert!(rows > 0);
    assert_eq!(rows, from_json);
    for (a, b) in [(FROM_JSON, TABLE), (TABLE, FROM_JSON)] {
        let extra: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM ({a} EXCEPT {b})"
        )))
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(extra, 0, "rows of `{a}` missing from `{b}`");
    }
}

async fn genres_of(pool: &SqlitePool, id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT genre FROM game_genres WHERE game_id = ? ORDER BY genre")
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap()
}

/// The rowids of all `game_genres` rows: a rewritten row gets a new one.
async fn genre_rowids(pool: &SqlitePool) -> Vec<i64> {
    sqlx::query_scalar("SELECT rowid FROM game_genres ORDER BY rowid")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn game_genres_follow_the_ingested_json() {
    let dir = Scratch::new("genres");
    let url = dir.url("igdb.db");
    provision(&igdb_model(), &url);
    let file = generate(&dir, "games.ndjson", 300, 21);
    ok(&ingest(&url, &file, &[]));

    let (conn, pool) = open(&url).await;
    assert_genres_match_the_json(&pool).await;
    // A sample: the first game's genres are those of its record in the file.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let first = lines[0]["id"].as_i64().unwrap();
    let mut expected: Vec<String> = lines[0]["genres"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap().to_string())
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    assert_eq!(genres_of(&pool, first).await, expected);

    // Re-ingesting the same file writes nothing, so no genre row is rewritten.
    let rowids = genre_rowids(&pool).await;
    let out = ok(&ingest(&url, &file, &[]));
    assert!(out.contains("0 new, 0 updated, 300 unchanged"), "{out}");
    assert_eq!(genre_rowids(&pool).await, rowids);

    // Game 0 gets other genres (one repeated), game 1 only a new name: the upsert sets
    // every column of both, but only game 0's genre rows are replaced.
    let renamed = lines[1]["id"].as_i64().unwrap();
    lines[0]["genres"] = serde_json::json!(["Pinball", "MOBA", "Pinball"]);
    lines[1]["name"] = serde_json::json!("Renamed Game");
    let changed = dir.path("changed.ndjson");
    let body: Vec<String> = lines.iter().map(|v| v.to_string()).collect();
    std::fs::write(&changed, body.join("\n")).unwrap();
    let kept: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM game_genres WHERE game_id <> ? ORDER BY rowid")
            .bind(first)
            .fetch_all(&pool)
            .await
            .unwrap();
    let out = ok(&ingest(&url, &changed, &[]));
    assert!(out.contains("0 new, 2 updated, 298 unchanged"), "{out}");
    assert_eq!(genres_of(&pool, first).await, ["MOBA", "Pinball"]);
    let still: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM game_genres WHERE game_id <> ? ORDER BY rowid")
            .bind(first)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(still, kept, "game {renamed}'s genres were rewritten");
    let name: String = sqlx::query_scalar("SELECT name FROM games WHERE id = ?")
        .bind(renamed)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Renamed Game");
    assert_genres_match_the_json(&pool).await;
    conn.close().await.unwrap();
}
