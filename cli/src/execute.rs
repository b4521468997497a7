//! Executing a laid-out PostgreSQL plan ([`Script`]) on one connection.
//!
//! The part committed first runs in a transaction of its own, then the plan's transaction
//! (all or nothing), then the statements outside any transaction, one by one, each written
//! so that a rerun after an interruption converges (`IF EXISTS`, and an invalid index
//! left by a killed concurrent build is dropped before it is built again). Writers hold a
//! session advisory lock, so two `apply` or `migrate up` runs never interleave.

use anyhow::{Context, anyhow};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait,
};

use schemactl_core::statement::{ObjectKey, Precondition};
use schemactl_postgres::script::{Line, Script};

use crate::db;
use crate::lock_wait::{self, Blocker, Watch};

/// The advisory lock key every schemactl writer takes: "schemactl" in ASCII, truncated.
pub const ADVISORY_LOCK_KEY: i64 = 0x7363_6865_6d61_6374;

/// Holds the session-level advisory lock on a single connection.
pub async fn lock(conn: &DatabaseConnection) -> anyhow::Result<()> {
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_lock($1)",
        [ADVISORY_LOCK_KEY.into()],
    ))
    .await
    .map_err(|e| {
        anyhow!(
            "cannot take the schemactl advisory lock: {}",
            db::describe(&e)
        )
    })?;
    Ok(())
}

pub async fn unlock(conn: &DatabaseConnection) -> anyhow::Result<()> {
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_unlock($1)",
        [ADVISORY_LOCK_KEY.into()],
    ))
    .await
    .map_err(|e| anyhow!("cannot release the advisory lock: {}", db::describe(&e)))?;
    Ok(())
}

/// Runs `script` on `conn`, which must be a single-connection handle: the transaction
/// and the session settings belong to one session.
///
/// A transaction that times out waiting for a lock is rolled back and run again, and
/// so is a statement outside any transaction (see [`lock_wait`]).
pub async fn run(conn: &DatabaseConnection, script: &Script) -> anyhow::Result<()> {
    commit_first(conn, script).await?;
    if has_statements(&script.transaction) {
        let what = "the plan's transaction";
        lock_wait::retrying(what, || async {
            commit(begin_with(conn, &script.transaction, what).await?).await
        })
        .await?;
    }
    outside(conn, script).await
}

/// The part committed before the plan's transaction (new enum values).
pub async fn commit_first(conn: &DatabaseConnection, script: &Script) -> anyhow::Result<()> {
    if has_statements(&script.first) {
        let what = "the enum values committed first";
        lock_wait::retrying(what, || async {
            commit(begin_with(conn, &script.first, what).await?).await
        })
        .await?;
    }
    Ok(())
}

/// Begins a transaction and runs `lines` in it; the caller may add work (seed rows)
/// before it [`commit`]s.
pub async fn begin_with(
    conn: &DatabaseConnection,
    lines: &[Line],
    what: &str,
) -> anyhow::Result<DatabaseTransaction> {
    let watch = Watch::new(conn).await?;
    let txn = conn
        .begin()
        .await
        .with_context(|| format!("cannot begin {what}"))?;
    if conn.get_database_backend() == DbBackend::Postgres {
        for setting in lock_wait::policy().settings(true) {
            txn.execute_unprepared(&setting)
                .await
                .map_err(|e| anyhow!("cannot set `{setting}`: {}", db::describe(&e)))?;
        }
    }
    let mut step = String::new();
    for line in lines {
        match line {
            Line::Step { description, .. } => {
                tracing::debug!("{description}");
                step.clone_from(description);
            }
            Line::Setting(sql) => txn
                .execute_unprepared(sql)
                .await
                .map(drop)
                .map_err(|e| anyhow!("cannot set `{sql}`: {}", db::describe(&e)))?,
            Line::Precondition(_) => {}
            Line::Statement { sql, object, parts } => {
                tracing::info!("{sql}");
                watch.run(txn.execute_unprepared(sql)).await.map_err(|e| {
                    step_failed(
                        &step,
                        object_at(sql, object, parts, &e),
                        sql,
                        &e,
                        "nothing was applied: the transaction was rolled back",
                        watch.blockers(),
                    )
                })?;
            }
        }
    }
    Ok(txn)
}

pub async fn commit(txn: DatabaseTransaction) -> anyhow::Result<()> {
    txn.commit().await.map_err(|e| {
        anyhow::Error::new(db::StatementError(format!(
            "commit failed: {}",
            db::describe(&e)
        )))
    })
}

/// The statements outside any transaction, after the commit, one by one; a statement
/// that timed out on a lock is run again (with the invalid-index check before it).
pub async fn outside(conn: &DatabaseConnection, script: &Script) -> anyhow::Result<()> {
    if !has_statements(&script.outside) {
        return Ok(());
    }
    lock_wait::set_session(conn).await?;
    let watch = Watch::new(conn).await?;
    let mut step = String::new();
    let mut precondition = None;
    for line in &script.outside {
        match line {
            Line::Step { description, .. } => {
                tracing::debug!("{description}");
                step.clone_from(description);
                precondition = None;
            }
            Line::Setting(sql) => conn
                .execute_unprepared(sql)
                .await
                .map(drop)
                .map_err(|e| anyhow!("cannot set `{sql}`: {}", db::describe(&e)))?,
            Line::Precondition(check) => precondition = Some(check),
            Line::Statement { sql, object, parts } => {
                let what = format!("step {step}");
                lock_wait::retrying(&what, || async {
                    if let Some(Precondition::DropInvalidIndex { index }) = precondition {
                        drop_invalid_index(conn, index).await?;
                    }
                    tracing::info!("{sql}");
                    watch
                        .run(conn.execute_unprepared(sql))
                        .await
                        .map(drop)
                        .map_err(|e| {
                            step_failed(
                                &step,
                                object_at(sql, object, parts, &e),
                                sql,
                                &e,
                                "the steps before it are committed; run again to resume",
                                watch.blockers(),
                            )
                        })
                })
                .await?;
            }
        }
    }
    Ok(())
}

/// A statement the server refused, with the step and object it belongs to, so that the
/// CLI can point at the object's place in the model.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StepError {
    pub object: ObjectKey,
    pub message: String,
    /// The server's SQLSTATE, when it sent one.
    pub sqlstate: Option<String>,
    /// The sessions the statement waited behind, when it waited for a lock.
    pub blockers: Vec<Blocker>,
}

/// The statement's object, or the part of it (a column, an inline constraint) that holds
/// the server's error position.
fn object_at<'a>(
    sql: &str,
    object: &'a ObjectKey,
    parts: &'a [schemactl_core::statement::Part],
    e: &sea_orm::DbErr,
) -> &'a ObjectKey {
    match db::error_position(e) {
        Some(position) => schemactl_core::statement::object_at(sql, object, parts, position),
        None => object,
    }
}

fn step_failed(
    step: &str,
    object: &ObjectKey,
    sql: &str,
    e: &sea_orm::DbErr,
    outcome: &str,
    blockers: Vec<Blocker>,
) -> anyhow::Error {
    // Enough of the statement to recognise it, around the server's error position when
    // it gives one; the whole text is in `plan`.
    let lines: Vec<&str> = sql.lines().collect();
    let at_line = db::error_position(e)
        .map(|p| {
            sql.chars()
                .take(p.saturating_sub(1))
                .filter(|c| *c == '\n')
                .count()
        })
        .unwrap_or(0);
    let first = if at_line < 4 { 0 } else { at_line - 2 };
    let mut excerpt: Vec<&str> = lines.iter().skip(first).take(4).copied().collect();
    if first > 0 {
        excerpt.insert(0, lines[0]);
        excerpt.insert(1, "…");
    }
    anyhow::Error::new(StepError {
        object: object.clone(),
        message: format!(
            "step failed ({step}, {object}): {}\n  statement: {}\n{outcome}",
            db::describe(e),
            excerpt.join("\n             ")
        ),
        sqlstate: db::sqlstate(e),
        blockers,
    })
}

fn has_statements(lines: &[Line]) -> bool {
    lines.iter().any(|l| matches!(l, Line::Statement { .. }))
}

async fn drop_invalid_index(
    conn: &DatabaseConnection,
    index: &schemactl_core::catalog::QName,
) -> anyhow::Result<()> {
    let qualified = index.sql();
    let check = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT count(*)::bigint FROM pg_index WHERE indexrelid = to_regclass($1) AND NOT indisvalid",
        [qualified.clone().into()],
    );
    let invalid = conn
        .query_one_raw(check)
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    if invalid > 0 {
        tracing::warn!("dropping invalid index {index} left by an interrupted build");
        conn.execute_unprepared(&format!("DROP INDEX CONCURRENTLY IF EXISTS {qualified}"))
            .await
            .map_err(|e| anyhow!("cannot drop invalid index {index}: {}", db::describe(&e)))?;
    }
    Ok(())
}
