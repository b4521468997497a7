//! Seed 002's smart ingestion into the IGDB SQLite database (`examples/igdb/schema.yaml`),
//! a program on schemactl's library (the binary `igdb-ingest`): a games file is checked
//! record by record, then upserted into `games` in one transaction, deduplicated by the
//! IGDB id: a new id is inserted, a known one is updated only when a field differs, so
//! loading the same file again changes nothing. Each run leaves an `ingestion_log` row
//! (fetched, new, updated, times, status); a run that fails is rolled back whole and
//! recorded as `failed`.
//!
//! With a target count (`--limit N`), only the games still missing are taken: none when
//! the database already holds N.

pub mod generate;
pub mod records;

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::sqlx::sqlite::{SqliteConnection, SqlitePool};
use sea_orm::sqlx::{self, Row as _};

pub use records::{Game, InvalidFile};

/// Games per `INSERT` statement: few statements, and 9 × 250 parameters stay far below
/// SQLite's limit.
const ROWS_PER_STATEMENT: usize = 250;

/// New games from which the secondary indexes of the [`LOADED_TABLES`] are dropped before
/// the load and rebuilt after it (when the load also at least doubles `games`).
const DEFER_INDEXES_FROM: usize = 20_000;

/// The tables a load fills: `games`, and `game_genres` through the model's triggers (one
/// row per game and genre). Keeping `idx_game_genres_genre` (genre first) up to date row by
/// row during a big first load costs more than building it after: the load's inserts land
/// all over it, one spot per genre.
const LOADED_TABLES: [&str; 2] = ["games", "game_genres"];

/// Games below which no progress bar is drawn.
const PROGRESS_THRESHOLD: usize = 20_000;

/// The columns ingestion writes, in bind order.
const COLUMNS: [&str; 9] = [
    "id",
    "name",
    "summary",
    "genres",
    "platforms",
    "themes",
    "rating",
    "rating_count",
    "first_release_date",
];

#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Target number of games in the database: take only the missing ones.
    pub limit: Option<u64>,
    /// The `ingestion_log.batch_id` (default: the file's stem and the start time).
    pub batch_id: Option<String>,
    /// Draw a progress bar for big files.
    pub progress: bool,
}

/// What one ingestion did.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    pub batch_id: String,
    /// Records in the file.
    pub records: usize,
    /// Records that repeated an id earlier in the file (the last one wins).
    pub duplicates: usize,
    /// Games taken from the file (all distinct ones, or the missing ones under `--limit`).
    pub fetched: u64,
    pub new: u64,
    pub updated: u64,
    /// Games in the database before and after.
    pub before: u64,
    pub after: u64,
    /// Indexes dropped before the load and rebuilt after it, in the same transaction.
    pub rebuilt_indexes: Vec<String>,
    /// `--limit` was already reached: nothing was fetched or logged.
    pub already_complete: bool,
    pub validation: Duration,
    pub load: Duration,
}

impl IngestReport {
    pub fn unchanged(&self) -> u64 {
        self.fetched.saturating_sub(self.new + self.updated)
    }

    /// The lines `igdb-ingest ingest` prints.
    pub fn summary(&self) -> String {
        if self.already_complete {
            return format!("already have {} games, nothing to fetch\n", self.before);
        }
        let mut out = format!(
            "batch {}: {} fetched, {} new, {} updated, {} unchanged\n",
            self.batch_id,
            self.fetched,
            self.new,
            self.updated,
            self.unchanged()
        );
        if self.duplicates > 0 {
            out.push_str(&format!(
                "{} record(s) repeated an id earlier in the file: the last of each was used\n",
                self.duplicates
            ));
        }
        if !self.rebuilt_indexes.is_empty() {
            out.push_str(&format!(
                "rebuilt index(es) after the load: {}\n",
                self.rebuilt_indexes.join(", ")
            ));
        }
        let secs = (self.validation + self.load).as_secs_f64();
        out.push_str(&format!(
            "{} games in the database (was {}); {:.2}s (read and check {:.2}s, load {:.2}s, {:.0} games/s)\n",
            self.after,
            self.before,
            secs,
            self.validation.as_secs_f64(),
            self.load.as_secs_f64(),
            self.fetched as f64 / secs.max(1e-9)
        ));
        out
    }
}

/// Checks `file` and loads it into the database at `url` (`sqlite://FILE`).
pub async fn ingest_file(
    url: &str,
    file: &Path,
    options: &IngestOptions,
) -> anyhow::Result<IngestReport> {
    let started = Instant::now();
    let started_at = now();
    // The database is checked first: a missing file or table is reported before a long read.
    let conn = schemactl::sqlite::connect(url, false).await?;
    let result = async {
        let pool = conn.get_sqlite_connection_pool();
        check_tables(pool, url).await?;
        let games = records::read(file)?;
        let validation = started.elapsed();
        let batch_id = match &options.batch_id {
            Some(id) => id.clone(),
            None => default_batch_id(file),
        };
        let mut report = load(pool, games, &batch_id, &started_at, options).await?;
        report.validation = validation;
        report.load = started.elapsed() - validation;
        Ok(report)
    }
    .await;
    let _ = conn.close().await;
    result
}

fn default_batch_id(file: &Path) -> String {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("games");
    format!("{stem}-{}", chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"))
}

/// The time as SQLite's `strftime('%Y-%m-%d %H:%M:%f')` writes it (UTC, like
/// `CURRENT_TIMESTAMP`, with milliseconds).
fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S%.3f")
        .to_string()
}

/// `games` and `ingestion_log` with the columns ingestion writes.
async fn check_tables(pool: &SqlitePool, url: &str) -> anyhow::Result<()> {
    let needs: [(&str, &[&str]); 2] = [
        ("games", &COLUMNS),
        (
            "ingestion_log",
            &[
                "batch_id",
                "games_fetched",
                "games_new",
                "games_updated",
                "started_at",
                "completed_at",
                "status",
            ],
        ),
    ];
    for (table, columns) in needs {
        let rows = sqlx::query("SELECT name FROM pragma_table_info(?)")
            .bind(table)
            .fetch_all(pool)
            .await?;
        let have: HashSet<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>(0).ok())
            .collect();
        if have.is_empty() {
            bail!(
                "{url} has no table `{table}`: provision it from the IGDB model first \
                 (schemactl --schema examples/igdb/schema.yaml provision --database-url {url})"
            );
        }
        let missing: Vec<&str> = columns
            .iter()
            .copied()
            .filter(|c| !have.contains(*c))
            .collect();
        if !missing.is_empty() {
            bail!(
                "table `{table}` of {url} lacks column(s) {}: is it the IGDB model's database?",
                missing.join(", ")
            );
        }
    }
    Ok(())
}

async fn count(conn: &mut SqliteConnection) -> anyhow::Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM games")
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The previous run with this batch id, if any: its status.
async fn previous_status(pool: &SqlitePool, batch_id: &str) -> anyhow::Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT status FROM ingestion_log WHERE batch_id = ?")
            .bind(batch_id)
            .fetch_optional(pool)
            .await?,
    )
}

async fn load(
    pool: &SqlitePool,
    games: Vec<Game>,
    batch_id: &str,
    started_at: &str,
    options: &IngestOptions,
) -> anyhow::Result<IngestReport> {
    match previous_status(pool, batch_id).await?.as_deref() {
        None | Some("failed") => {}
        Some(status) => bail!(
            "batch `{batch_id}` is already in ingestion_log (status {status}): choose another --batch-id"
        ),
    }
    let records = games.len();
    let games = last_of_each_id(games);
    let mut report = IngestReport {
        batch_id: batch_id.to_string(),
        records,
        duplicates: records - games.len(),
        ..Default::default()
    };
    let outcome = async {
        let mut txn = pool.begin_with("BEGIN IMMEDIATE").await?;
        report.before = count(&mut txn).await?;
        if let Some(limit) = options.limit
            && report.before >= limit
        {
            report.already_complete = true;
            report.after = report.before;
            txn.rollback().await?;
            return Ok(());
        }
        let known: HashSet<i64> = sqlx::query_scalar("SELECT id FROM games")
            .fetch_all(&mut *txn)
            .await?
            .into_iter()
            .collect();
        let games: Vec<Game> = match options.limit {
            Some(limit) => {
                let needed = usize::try_from(limit - report.before).unwrap_or(usize::MAX);
                games
                    .into_iter()
                    .filter(|g| !known.contains(&g.id))
                    .take(needed)
                    .collect()
            }
            None => games,
        };
        report.fetched = games.len() as u64;
        let new = games.iter().filter(|g| !known.contains(&g.id)).count();
        drop(known);
        // Building an index once from sorted keys is several times cheaper than keeping it
        // up to date row by row; worth it when the load at least doubles the table.
        let deferred = if new >= DEFER_INDEXES_FROM && new as u64 >= report.before {
            drop_indexes(&mut txn).await?
        } else {
            Vec::new()
        };
        let changed = upsert(&mut txn, &games, options.progress).await?;
        for (name, sql) in &deferred {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .execute(&mut *txn)
                .await
                .map_err(|e| anyhow!("rebuilding index {name} failed: {e}"))?;
        }
        report.rebuilt_indexes = deferred.into_iter().map(|(name, _)| name).collect();
        report.after = count(&mut txn).await?;
        report.new = report.after - report.before;
        report.updated = changed.saturating_sub(report.new);
        sqlx::query("DELETE FROM ingestion_log WHERE batch_id = ? AND status = 'failed'")
            .bind(batch_id)
            .execute(&mut *txn)
            .await?;
        sqlx::query(
            "INSERT INTO ingestion_log (batch_id, games_fetched, games_new, games_updated, \
             started_at, completed_at, status) VALUES (?, ?, ?, ?, ?, ?, 'completed')",
        )
        .bind(batch_id)
        .bind(report.fetched as i64)
        .bind(report.new as i64)
        .bind(report.updated as i64)
        .bind(started_at)
        .bind(now())
        .execute(&mut *txn)
        .await?;
        txn.commit().await?;
        anyhow::Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(report),
        Err(err) => {
            // The transaction was rolled back when it was dropped; the failure is recorded
            // on its own so that monitoring sees it.
            let logged = sqlx::query(
                "INSERT INTO ingestion_log (batch_id, games_fetched, games_new, games_updated, \
                 started_at, completed_at, status) VALUES (?, ?, 0, 0, ?, ?, 'failed') \
                 ON CONFLICT (batch_id) DO UPDATE SET games_fetched = excluded.games_fetched, \
                 started_at = excluded.started_at, completed_at = excluded.completed_at, \
                 status = 'failed' WHERE status = 'failed'",
            )
            .bind(batch_id)
            .bind(report.fetched as i64)
            .bind(started_at)
            .bind(now())
            .execute(pool)
            .await;
            let note = match logged {
                Ok(_) => format!("recorded as failed in ingestion_log (batch {batch_id})"),
                Err(e) => format!("the failure could not be recorded in ingestion_log: {e}"),
            };
            Err(anyhow!(
                "ingestion failed and was rolled back, nothing was loaded; {note}: {err:#}"
            ))
        }
    }
}

/// Drops the indexes of the [`LOADED_TABLES`] that have a statement (not those behind
/// constraints, such as primary keys) and returns them with their `CREATE` statements,
/// verbatim, to be run again after the load. A table the database lacks has none.
async fn drop_indexes(conn: &mut SqliteConnection) -> anyhow::Result<Vec<(String, String)>> {
    let tables = LOADED_TABLES
        .iter()
        .map(|t| schemactl::sql::literal(t))
        .collect::<Vec<_>>()
        .join(", ");
    let indexes: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT name, sql FROM sqlite_schema \
         WHERE type = 'index' AND tbl_name IN ({tables}) AND sql IS NOT NULL ORDER BY rowid"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (name, _) in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP INDEX {}",
            schemactl::sql::ident(name)
        )))
        .execute(&mut *conn)
        .await?;
    }
    Ok(indexes)
}

/// Keeps the last record of each id, in the order ids first appear.
fn last_of_each_id(games: Vec<Game>) -> Vec<Game> {
    let mut position: std::collections::HashMap<i64, usize> =
        std::collections::HashMap::with_capacity(games.len());
    let mut out: Vec<Game> = Vec::with_capacity(games.len());
    for game in games {
        match position.get(&game.id) {
            Some(&at) => out[at] = game,
            None => {
                position.insert(game.id, out.len());
                out.push(game);
            }
        }
    }
    out
}

fn upsert_sql(rows: usize) -> String {
    let one = format!("({})", vec!["?"; COLUMNS.len()].join(", "));
    let values = vec![one.as_str(); rows].join(", ");
    let updates: Vec<&str> = COLUMNS[1..].to_vec();
    let sets: Vec<String> = updates
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let differs: Vec<String> = updates
        .iter()
        .map(|c| format!("games.{c} IS NOT excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO games ({}) VALUES {values} ON CONFLICT (id) DO UPDATE SET {} WHERE {}",
        COLUMNS.join(", "),
        sets.join(", "),
        differs.join(" OR ")
    )
}

/// Upserts the games in statements of [`ROWS_PER_STATEMENT`]; returns the rows inserted
/// or changed (an unchanged row is not counted: its `WHERE` is false).
async fn upsert(
    conn: &mut SqliteConnection,
    games: &[Game],
    progress: bool,
) -> anyhow::Result<u64> {
    let bar = if progress && games.len() >= PROGRESS_THRESHOLD {
        let bar = ProgressBar::new(games.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} games {bar:40} {pos}/{len} ({per_sec}, {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let full = upsert_sql(ROWS_PER_STATEMENT);
    let mut changed = 0;
    for chunk in games.chunks(ROWS_PER_STATEMENT) {
        let sql = if chunk.len() == ROWS_PER_STATEMENT {
            full.clone()
        } else {
            upsert_sql(chunk.len())
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for g in chunk {
            query = query
                .bind(g.id)
                .bind(g.name.clone())
                .bind(g.summary.clone())
                .bind(g.genres.clone())
                .bind(g.platforms.clone())
                .bind(g.themes.clone())
                .bind(g.rating)
                .bind(g.rating_count)
                .bind(g.first_release_date);
        }
        let result = query.execute(&mut *conn).await.map_err(|e| {
            anyhow!(
                "loading games {}..{} failed: {e}",
                chunk.first().map(|g| g.id).unwrap_or_default(),
                chunk.last().map(|g| g.id).unwrap_or_default()
            )
        })?;
        changed += result.rows_affected();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(id: i64, name: &str) -> Game {
        Game {
            id,
            name: name.into(),
            summary: None,
            genres: None,
            platforms: None,
            themes: None,
            rating: None,
            rating_count: 0,
            first_release_date: None,
        }
    }

    #[test]
    fn last_record_of_an_id_wins() {
        let out = last_of_each_id(vec![g(1, "a"), g(2, "b"), g(1, "c")]);
        let names: Vec<_> = out.iter().map(|g| (g.id, g.name.as_str())).collect();
        assert_eq!(names, [(1, "c"), (2, "b")]);
    }

    #[test]
    fn statement_shape() {
        let sql = upsert_sql(2);
        assert!(
            sql.contains("VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?"),
            "{sql}"
        );
        assert!(sql.contains("ON CONFLICT (id) DO UPDATE SET name = excluded.name"));
        assert!(sql.ends_with("games.first_release_date IS NOT excluded.first_release_date"));
    }
}
