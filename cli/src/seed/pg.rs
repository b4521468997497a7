//! The database side of seeding and loading: which database, one transaction, COPY in
//! chunks with a progress bar, and heavy indexes set aside during a load.

use anyhow::{Context, anyhow};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::sqlx::postgres::{PgConnection, PgPool};
use sea_orm::sqlx::{self, Row as _};

use crate::catalog::{Catalog, QName};
use crate::db;
use crate::model::Model;
use crate::sql;

/// The environment variable that names the target database when `--database-url` is absent.
pub const DATABASE_URL_ENV: &str = "DATABASE_URL";

/// Data is sent to the server in pieces of this size, so that memory stays flat on the
/// client and the progress bar moves.
const COPY_CHUNK: usize = 1 << 20;

/// Rows below which no progress bar is drawn: such loads finish before one would help.
pub const PROGRESS_THRESHOLD: usize = 20_000;

/// The target database: the flag, else `DATABASE_URL`, else the model's database on the
/// admin server (`SCHEMACTL_ADMIN_URL` or the project-local one).
pub fn resolve_url(flag: Option<&str>, model: &Model) -> anyhow::Result<String> {
    if let Some(url) = flag.filter(|u| !u.trim().is_empty()) {
        return Ok(url.to_string());
    }
    match std::env::var(DATABASE_URL_ENV) {
        Ok(url) if !url.trim().is_empty() => return Ok(url),
        _ => {}
    }
    let admin = db::resolve_admin_url(None)?;
    db::with_database(&admin, &model.database.name)
}

/// A pool on the target database, checked at once so that a wrong URL is reported as such.
pub async fn pool(url: &str) -> anyhow::Result<PgPool> {
    let conn = db::connect(url).await?;
    Ok(conn.get_postgres_connection_pool().clone())
}

pub async fn exec(conn: &mut PgConnection, statement: &str) -> anyhow::Result<u64> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| {
            anyhow!(
                "{}\n  statement: {}",
                server_message(&e),
                excerpt(statement)
            )
        })
}

/// The server's words for a failed statement, with detail, hint and where.
pub fn server_message(err: &sqlx::Error) -> String {
    let Some(db) = err.as_database_error() else {
        return err.to_string();
    };
    let mut out = db.message().to_string();
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        for (label, part) in [
            ("DETAIL", pg.detail()),
            ("HINT", pg.hint()),
            ("CONTEXT", pg.r#where()),
        ] {
            if let Some(text) = part {
                out.push_str(&format!("\n{label}: {text}"));
            }
        }
    }
    out
}

fn excerpt(statement: &str) -> String {
    let first: String = statement.chars().take(200).collect();
    if first.len() < statement.len() {
        format!("{first}…")
    } else {
        first
    }
}

/// Writes as the database owner when the session may, so that rows are written under the
/// same role (and row-level security) as provisioning writes them.
pub async fn as_owner(conn: &mut PgConnection, catalog: &Catalog) -> anyhow::Result<()> {
    match &catalog.database.owner {
        Some(owner) => set_role(conn, owner).await,
        None => Ok(()),
    }
}

/// `SET LOCAL ROLE owner` when the session is a member of `owner`; otherwise nothing.
pub async fn set_role(conn: &mut PgConnection, owner: &str) -> anyhow::Result<()> {
    let allowed: bool = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
                     THEN pg_has_role(current_user, $1, 'MEMBER') ELSE false END",
    )
    .bind(owner)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| anyhow!("cannot check role membership: {}", server_message(&e)))?;
    if allowed {
        exec(conn, &format!("SET LOCAL ROLE {}", sql::ident(owner))).await?;
    }
    Ok(())
}

/// A progress bar on stderr, hidden for small jobs and when stderr is not a terminal.
pub fn progress(len: u64, message: &str, unit: &str) -> ProgressBar {
    if len < PROGRESS_THRESHOLD as u64 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let template =
        format!("{{msg:>24}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} {{per_sec}} {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_string());
    bar
}

/// Streams COPY text data into `table (columns)`. `rows` is only for the progress bar.
pub async fn copy_in(
    conn: &mut PgConnection,
    table: &QName,
    columns: &[String],
    data: &[u8],
    rows: usize,
) -> anyhow::Result<u64> {
    let statement = format!(
        "COPY {} ({}) FROM STDIN (FORMAT text)",
        table.sql(),
        sql::ident_list(columns)
    );
    let bar = progress(rows as u64, &format!("copy {table}"), "rows");
    bar.set_length(data.len() as u64);
    if let Some(style) = ProgressStyle::with_template(
        "{msg:>24} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta}",
    )
    .ok()
    .filter(|_| !bar.is_hidden())
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let started = std::time::Instant::now();
    let mut copy = conn
        .copy_in_raw(&statement)
        .await
        .map_err(|e| anyhow!("COPY into {table} failed to start: {}", server_message(&e)))?;
    let mut sent = 0;
    while sent < data.len() {
        // Chunks end on a row boundary, so that an error's "line N" is exact.
        let mut end = (sent + COPY_CHUNK).min(data.len());
        while end < data.len() && data[end - 1] != b'\n' {
            end += 1;
        }
        if let Err(e) = copy.send(&data[sent..end]).await {
            let _ = copy.abort("client error").await;
            return Err(anyhow!("COPY into {table} failed: {}", server_message(&e)));
        }
        bar.inc((end - sent) as u64);
        sent = end;
    }
    let count = copy
        .finish()
        .await
        .map_err(|e| anyhow!("COPY into {table} failed: {}", server_message(&e)))?;
    bar.finish_and_clear();
    tracing::debug!(
        "copied {count} row(s) into {table} in {:?}",
        started.elapsed()
    );
    Ok(count)
}

/// Heavy indexes (HNSW, IVFFlat, GIN, GiST, BRIN) dropped for a load, with the statements
/// that recreate them exactly as they were.
#[derive(Debug, Default)]
pub struct DeferredIndexes {
    pub names: Vec<String>,
    recreate: Vec<String>,
}

/// Drops the table's heavy indexes inside the caller's transaction. Maintaining an HNSW
/// or GIN index row by row costs far more than building it once from the loaded rows.
/// Indexes that back a constraint are kept.
pub async fn defer_heavy_indexes(
    conn: &mut PgConnection,
    table: &QName,
) -> anyhow::Result<DeferredIndexes> {
    let rows = sqlx::query(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_get_indexdef(i.indexrelid)
           FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_am am ON am.oid = c.relam
          WHERE i.indrelid = to_regclass($1)
            AND am.amname IN ('hnsw', 'ivfflat', 'gin', 'gist', 'brin')
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
          ORDER BY c.relname",
    )
    .bind(table.sql())
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| anyhow!("cannot list the indexes of {table}: {}", server_message(&e)))?;
    let mut deferred = DeferredIndexes::default();
    for row in rows {
        let name: String = row.try_get(0).context("index name")?;
        let definition: String = row.try_get(1).context("index definition")?;
        exec(conn, &format!("DROP INDEX {name}")).await?;
        deferred.names.push(name);
        deferred.recreate.push(definition);
    }
    Ok(deferred)
}

impl DeferredIndexes {
    /// Rebuilds the dropped indexes, in the same transaction as the load.
    pub async fn restore(self, conn: &mut PgConnection) -> anyhow::Result<usize> {
        for statement in &self.recreate {
            exec(conn, statement).await?;
        }
        Ok(self.recreate.len())
    }
}

/// Tables in foreign-key order: parents before children. Tables in a cycle come last, in
/// name order.
pub fn fk_order(catalog: &Catalog, tables: &[QName]) -> Vec<QName> {
    let mut done: Vec<QName> = Vec::new();
    let mut pending: Vec<QName> = tables.to_vec();
    pending.sort();
    pending.dedup();
    while !pending.is_empty() {
        let ready = pending.iter().position(|q| {
            catalog.tables.get(q).is_none_or(|t| {
                t.foreign_keys
                    .iter()
                    .all(|fk| fk.references == *q || !pending.contains(&fk.references))
            })
        });
        let next = pending.remove(ready.unwrap_or(0));
        done.push(next);
    }
    done
}
