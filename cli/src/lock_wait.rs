//! Waiting for locks on a live database: every writer (`apply`, `migrate up`, `provision`,
//! fleets) sets `lock_timeout` and `statement_timeout` on its session, retries a step that
//! gave up waiting for a lock (SQLSTATE 55P03) a bounded number of times with backoff,
//! and when it gives up names the sessions that blocked it, read from
//! `pg_blocking_pids` while the statement was waiting.
//!
//! Without a lock timeout, one long transaction on a busy table makes a migration's
//! `ALTER TABLE` queue behind it, and every query of the application queues behind the
//! migration: a short bounded wait, retried, is what keeps production answering.

use std::future::Future;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use sea_orm::sqlx::{self, Connection as _, Row as _};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};

use crate::db;

/// How writers wait for locks, for the whole process (set once from the command line,
/// like the dev server): every step of every target follows the same rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// `lock_timeout` of every statement: how long one attempt waits for a lock.
    pub lock_timeout: Duration,
    /// `statement_timeout` of every statement; zero: none.
    pub statement_timeout: Duration,
    /// How many times a step that timed out on a lock is tried again.
    pub retries: u32,
    /// The wait before the first retry; doubled for each next one.
    pub backoff: Duration,
}

impl Default for LockPolicy {
    fn default() -> Self {
        Self {
            lock_timeout: Duration::from_secs(5),
            statement_timeout: Duration::ZERO,
            retries: 3,
            backoff: Duration::from_secs(1),
        }
    }
}

static POLICY: OnceLock<LockPolicy> = OnceLock::new();

/// Records the command line's lock settings for this process.
pub fn set_policy(policy: LockPolicy) {
    let _ = POLICY.set(policy);
}

pub fn policy() -> LockPolicy {
    POLICY.get().copied().unwrap_or_default()
}

impl LockPolicy {
    /// The session settings, as statements (`SET LOCAL` inside a transaction).
    pub fn settings(&self, local: bool) -> [String; 2] {
        let scope = if local { "SET LOCAL" } else { "SET" };
        [
            format!("{scope} lock_timeout = {}", self.lock_timeout.as_millis()),
            format!(
                "{scope} statement_timeout = {}",
                self.statement_timeout.as_millis()
            ),
        ]
    }

    /// The wait before retry `attempt` (1-based), doubling up to a minute.
    fn backoff_before(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(6);
        (self.backoff * factor).min(Duration::from_secs(60))
    }
}

/// A session that held a lock the step waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub pid: i32,
    pub user: String,
    pub state: String,
    /// When its current (or last) query started, as the server prints timestamps.
    pub query_start: String,
    pub query: String,
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: String = self.query.split_whitespace().collect::<Vec<_>>().join(" ");
        let query = match query.char_indices().nth(200) {
            Some((cut, _)) => format!("{}…", &query[..cut]),
            None => query,
        };
        write!(
            f,
            "pid {} (user {}, {}, query started {}): {}",
            self.pid, self.user, self.state, self.query_start, query
        )
    }
}

/// The step gave up waiting for a lock after every retry: the database is unchanged by
/// it, and `blockers` are the sessions it waited behind.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct LockTimeout {
    pub message: String,
    pub blockers: Vec<Blocker>,
}

/// Watches one session while its statements run: after a short while a second
/// connection asks the server which sessions block it, so that a lock timeout can name
/// them. Statements that finish quickly never open that connection.
pub struct Watch {
    pid: i32,
    options: Option<sqlx::postgres::PgConnectOptions>,
    monitor: tokio::sync::Mutex<Option<sqlx::PgConnection>>,
    seen: Mutex<Vec<Blocker>>,
}

/// How long a statement runs before its blockers are looked up, and how often after.
const WATCH_INTERVAL: Duration = Duration::from_millis(100);

impl Watch {
    /// For the session of `conn` (a single-connection handle, not in a transaction).
    pub async fn new(conn: &DatabaseConnection) -> anyhow::Result<Self> {
        if conn.get_database_backend() != DbBackend::Postgres {
            return Ok(Self::unwatched());
        }
        let row = db::query_one(conn, "SELECT pg_backend_pid() AS pid", vec![]).await?;
        let pid: i32 = row.try_get("", "pid")?;
        let options = (*conn.get_postgres_connection_pool().connect_options()).clone();
        Ok(Self {
            pid,
            options: Some(options),
            monitor: tokio::sync::Mutex::new(None),
            seen: Mutex::new(Vec::new()),
        })
    }

    fn unwatched() -> Self {
        Self {
            pid: 0,
            options: None,
            monitor: tokio::sync::Mutex::new(None),
            seen: Mutex::new(Vec::new()),
        }
    }

    /// Runs `statement`, looking up what blocks it while it waits.
    pub async fn run<T, E>(&self, statement: impl Future<Output = Result<T, E>>) -> Result<T, E> {
        self.seen.lock().map(|mut seen| seen.clear()).ok();
        if self.options.is_none() {
            return statement.await;
        }
        tokio::pin!(statement);
        loop {
            tokio::select! {
                result = &mut statement => return result,
                () = tokio::time::sleep(WATCH_INTERVAL) => self.look().await,
            }
        }
    }

    /// The blockers seen during the last statement.
    pub fn blockers(&self) -> Vec<Blocker> {
        self.seen
            .lock()
            .map(|seen| seen.clone())
            .unwrap_or_default()
    }

    async fn look(&self) {
        let Some(options) = &self.options else {
            return;
        };
        let mut monitor = self.monitor.lock().await;
        if monitor.is_none() {
            match sqlx::PgConnection::connect_with(options).await {
                Ok(conn) => *monitor = Some(conn),
                Err(e) => {
                    tracing::debug!("cannot open a connection to watch for blockers: {e}");
                    return;
                }
            }
        }
        let Some(conn) = monitor.as_mut() else {
            return;
        };
        let rows = sqlx::query(
            "SELECT pid, coalesce(usename::text, '?') AS usename, \
                    coalesce(state, '?') AS state, \
                    coalesce(query_start::text, '?') AS query_start, \
                    coalesce(query, '') AS query \
             FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids($1)) ORDER BY pid",
        )
        .bind(self.pid)
        .fetch_all(&mut *conn)
        .await;
        let Ok(rows) = rows else {
            return;
        };
        let blockers: Vec<Blocker> = rows
            .iter()
            .filter_map(|row| {
                Some(Blocker {
                    pid: row.try_get("pid").ok()?,
                    user: row.try_get("usename").ok()?,
                    state: row.try_get("state").ok()?,
                    query_start: row.try_get("query_start").ok()?,
                    query: row.try_get("query").ok()?,
                })
            })
            .collect();
        if !blockers.is_empty()
            && let Ok(mut seen) = self.seen.lock()
        {
            *seen = blockers;
        }
    }
}

/// A statement the server refused, outside a plan's typed steps (a migration file's
/// SQL): its SQLSTATE and, when it waited for a lock, the sessions it waited behind.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StatementFailed {
    pub message: String,
    pub sqlstate: Option<String>,
    pub blockers: Vec<Blocker>,
}

/// The SQLSTATE and blockers of the first refused statement in `err`'s chain.
fn refusal(err: &anyhow::Error) -> Option<(Option<&str>, &[Blocker])> {
    err.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<crate::execute::StepError>() {
            return Some((e.sqlstate.as_deref(), e.blockers.as_slice()));
        }
        cause
            .downcast_ref::<StatementFailed>()
            .map(|e| (e.sqlstate.as_deref(), e.blockers.as_slice()))
    })
}

/// Whether `err` is a step that gave up waiting for a lock (SQLSTATE 55P03).
pub fn is_lock_timeout(err: &anyhow::Error) -> bool {
    refusal(err).is_some_and(|(sqlstate, _)| sqlstate == Some(LOCK_NOT_AVAILABLE))
}

/// SQLSTATE of `lock_timeout` expiring (and of `NOWAIT`).
pub const LOCK_NOT_AVAILABLE: &str = "55P03";

/// Runs `attempt` (one whole transaction, or one statement outside any) until it
/// succeeds, fails for another reason, or has timed out on a lock `retries + 1` times;
/// then the error names the blockers of the last attempt.
pub async fn retrying<T, F, Fut>(what: &str, mut attempt: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let policy = policy();
    let mut tried = 0;
    loop {
        tried += 1;
        let err = match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) if is_lock_timeout(&err) => err,
            Err(err) => return Err(err),
        };
        let blockers = blockers_of(&err);
        if tried > policy.retries {
            return Err(gave_up(what, &policy, tried, err, blockers));
        }
        let wait = policy.backoff_before(tried);
        tracing::warn!(
            "{what}: no lock within {} ms (attempt {tried} of {}){}; trying again in {} ms",
            policy.lock_timeout.as_millis(),
            policy.retries + 1,
            describe_blockers(&blockers),
            wait.as_millis()
        );
        tokio::time::sleep(wait).await;
    }
}

fn blockers_of(err: &anyhow::Error) -> Vec<Blocker> {
    refusal(err)
        .map(|(_, blockers)| blockers.to_vec())
        .unwrap_or_default()
}

fn describe_blockers(blockers: &[Blocker]) -> String {
    if blockers.is_empty() {
        return String::new();
    }
    let list: Vec<String> = blockers.iter().map(ToString::to_string).collect();
    format!(", blocked by {}", list.join("; "))
}

fn gave_up(
    what: &str,
    policy: &LockPolicy,
    tried: u32,
    err: anyhow::Error,
    blockers: Vec<Blocker>,
) -> anyhow::Error {
    let blocked_by = if blockers.is_empty() {
        "the blocking session had gone when it was looked up".to_string()
    } else {
        let list: Vec<String> = blockers.iter().map(|b| format!("  - {b}")).collect();
        format!("blocked by:\n{}", list.join("\n"))
    };
    anyhow::Error::new(LockTimeout {
        message: format!(
            "{what}: gave up after {tried} attempts, each waiting {} ms for a lock \
             (--lock-timeout, --lock-retries); {blocked_by}\n{err:#}",
            policy.lock_timeout.as_millis()
        ),
        blockers,
    })
}

/// Applies the policy's session settings to `conn` (outside any transaction).
pub async fn set_session(conn: &DatabaseConnection) -> anyhow::Result<()> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for setting in policy().settings(false) {
        conn.execute_unprepared(&setting)
            .await
            .map_err(|e| anyhow::anyhow!("cannot set `{setting}`: {}", db::describe(&e)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = LockPolicy::default();
        assert_eq!(policy.backoff_before(1), Duration::from_secs(1));
        assert_eq!(policy.backoff_before(2), Duration::from_secs(2));
        assert_eq!(policy.backoff_before(3), Duration::from_secs(4));
        assert_eq!(policy.backoff_before(30), Duration::from_secs(60));
    }

    #[test]
    fn settings_are_milliseconds() {
        let policy = LockPolicy {
            lock_timeout: Duration::from_millis(250),
            ..LockPolicy::default()
        };
        assert_eq!(
            policy.settings(true),
            [
                "SET LOCAL lock_timeout = 250".to_string(),
                "SET LOCAL statement_timeout = 0".to_string()
            ]
        );
    }
}
