//! Reading the rows: one connection, one read-only repeatable-read transaction, the
//! filter settings bound, then `COPY (SELECT …) TO STDOUT` streamed line by line into the
//! exporter. Memory stays bounded whatever the row count: the server sends as fast as the
//! exporter takes, a batch at a time.

use std::time::Duration;

use anyhow::anyhow;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use schemactl_export::{Exporter, Flow, Options, Outcome};
use sea_orm::sqlx::{self, Connection as _};

use super::query::Query;
use crate::seed::pg;

/// Rows between two updates of the progress bar.
const TICK: u64 = 16_384;

/// A spinner with the rows read and the rate (the total is not known in advance).
pub fn spinner(show: bool, message: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg} {human_pos} rows ({per_sec}, {elapsed})")
    {
        bar.set_style(style);
    }
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Streams the query's rows into a new exporter; returns what it did.
pub async fn export(
    url: &str,
    query: &Query,
    options: &Options,
    bar: &ProgressBar,
) -> anyhow::Result<Outcome> {
    let mut conn = crate::db::connect_plain(url).await?;
    let sqlerr = |what: &str, e: sqlx::Error| anyhow!("{what}: {}", pg::server_message(&e));
    for statement in [
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        // What the text parser reads: ISO dates, UTC, every float digit.
        "SET LOCAL DateStyle = 'ISO, YMD'",
        "SET LOCAL TimeZone = 'UTC'",
        "SET LOCAL extra_float_digits = 3",
    ] {
        sqlx::raw_sql(statement)
            .execute(&mut conn)
            .await
            .map_err(|e| sqlerr("cannot start the export's transaction", e))?;
    }
    for (name, value) in &query.settings {
        sqlx::query("SELECT set_config($1, $2, true)")
            .bind(name)
            .bind(value)
            .execute(&mut conn)
            .await
            .map_err(|e| sqlerr("cannot set the export's filters", e))?;
    }
    let mut exporter = Exporter::start(query.schema.clone(), options)?;
    let stopped = {
        let mut stream = conn
            .copy_out_raw(&query.copy)
            .await
            .map_err(|e| sqlerr(&format!("cannot read {}", query.schema.table), e))?;
        let mut pending: Vec<u8> = Vec::new();
        let mut stopped = false;
        'read: while let Some(chunk) = stream.next().await {
            let chunk =
                chunk.map_err(|e| sqlerr(&format!("reading {} failed", query.schema.table), e))?;
            // The server sends one row per message; a message may still hold several
            // lines or part of one.
            let data: &[u8] = if pending.is_empty() {
                &chunk
            } else {
                pending.extend_from_slice(&chunk);
                &pending
            };
            let mut consumed = 0;
            for line in data.split_inclusive(|b| *b == b'\n') {
                if line.last() != Some(&b'\n') {
                    break;
                }
                consumed += line.len();
                if exporter.line(line)? == Flow::Stop {
                    stopped = true;
                    break 'read;
                }
                if exporter.read() % TICK == 0 {
                    bar.set_position(exporter.read());
                }
            }
            let rest = data[consumed..].to_vec();
            pending = rest;
        }
        if !stopped && !pending.is_empty() {
            exporter.line(&pending)?;
        }
        stopped
    };
    bar.set_position(exporter.read());
    if stopped {
        // The COPY is left unfinished: closing the connection ends it on the server.
        drop(conn);
    } else {
        let _ = sqlx::raw_sql("COMMIT").execute(&mut conn).await;
        let _ = conn.close().await;
    }
    exporter.finish()
}
