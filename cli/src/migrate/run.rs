//! `migrate up|down|status`: the same SQL as the sea-orm-migration crate, recorded in the
//! same `seaql_migrations` table, under the schemactl advisory lock.
//!
//! A step without concurrent statements runs in one transaction together with its record,
//! so it is all or nothing. A step with them leaves a mark after its transactional part,
//! as the generated wrapper does, so a run killed during the concurrent part resumes there.

use std::path::Path;

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::db;
use crate::execute as apply;
use crate::lock_wait::{self, Watch};
use crate::sql::literal;

/// PostgreSQL: the advisory lock. SQLite: nothing, since a write transaction already
/// excludes every other writer of the file.
async fn lock(conn: &DatabaseConnection) -> anyhow::Result<()> {
    if is_sqlite(conn) {
        return Ok(());
    }
    apply::lock(conn).await
}

async fn unlock(conn: &DatabaseConnection) -> anyhow::Result<()> {
    if is_sqlite(conn) {
        return Ok(());
    }
    apply::unlock(conn).await
}

fn is_sqlite(conn: &DatabaseConnection) -> bool {
    conn.get_database_backend() == sea_orm::DbBackend::Sqlite
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS seaql_migrations \
     (version varchar NOT NULL PRIMARY KEY, applied_at bigint NOT NULL)";
/// sea-orm-migration's table, unqualified as it names it: the first schema of the search
/// path (`public` for the roles a model declares).
const HISTORY_TABLE: &str = "seaql_migrations";
const CREATE_MARKS: &str =
    "CREATE TABLE IF NOT EXISTS public.schemactl_migration_marks (version text PRIMARY KEY)";
const MARKS_TABLE: &str = "public.schemactl_migration_marks";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepStatus {
    pub version: String,
    pub applied: bool,
}

/// One connection, so the session advisory lock covers every statement.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if crate::sqlite::is_url(url) {
        return crate::sqlite::connect(url, false).await;
    }
    db::connect_single(url).await
}

/// Creates a bookkeeping table when missing and makes sure the database owner owns it,
/// so that the owner can run migrations whoever ran them first (`provision` runs them on
/// the admin's connection). SQLite has no owners.
async fn ensure_table(
    conn: &DatabaseConnection,
    create: &str,
    table: &str,
    owner: Option<&str>,
) -> anyhow::Result<()> {
    let Some(owner) = owner.filter(|_| !is_sqlite(conn)) else {
        conn.execute_unprepared(create).await?;
        return Ok(());
    };
    let existed = db::query_one(
        conn,
        "SELECT to_regclass($1) IS NOT NULL AS existed",
        vec![table.into()],
    )
    .await?
    .try_get::<bool>("", "existed")?;
    conn.execute_unprepared(create).await?;
    // The table the unqualified name resolves to, as sea-orm-migration finds it.
    let row = db::query_one(
        conn,
        "SELECT pg_get_userbyid(c.relowner)::text AS owner, \
                quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.oid = $1::regclass",
        vec![table.into()],
    )
    .await?;
    let current: String = row.try_get("", "owner")?;
    let table: String = row.try_get("", "name")?;
    if current == owner {
        return Ok(());
    }
    let alter = format!("ALTER TABLE {table} OWNER TO {}", crate::sql::ident(owner));
    match conn.execute_unprepared(&alter).await {
        Ok(_) if existed => {
            tracing::info!("{table} now belongs to the database owner {owner} (was {current})");
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(e) => Err(anyhow::Error::new(db::StatementError(format!(
            "{table} belongs to {current}, not to the database owner {owner}, so {owner} \
             cannot run migrations ({}); run any `schemactl migrate` command once as \
             {current} or a superuser, which hands it over, or `{alter}`",
            db::describe(&e)
        )))),
    }
}

async fn ensure_history(conn: &DatabaseConnection, owner: Option<&str>) -> anyhow::Result<()> {
    ensure_table(conn, CREATE_TABLE, HISTORY_TABLE, owner).await
}

pub async fn status(
    conn: &DatabaseConnection,
    dir: &Path,
    owner: Option<&str>,
) -> anyhow::Result<Vec<StepStatus>> {
    ensure_history(conn, owner).await?;
    let applied = applied(conn).await?;
    Ok(super::versions(dir)?
        .into_iter()
        .map(|v| StepStatus {
            applied: applied.contains(&v),
            version: v,
        })
        .collect())
}

async fn applied(conn: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let rows = db::query_all(
        conn,
        "SELECT version FROM seaql_migrations ORDER BY version",
        vec![],
    )
    .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", "version").map_err(Into::into))
        .collect()
}

/// Applies pending steps (all, or the first `limit`); returns the versions applied.
/// With `owner`, objects are created as that role.
pub async fn up(
    conn: &DatabaseConnection,
    dir: &Path,
    limit: Option<usize>,
    owner: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    lock(conn).await?;
    let result = async {
        ensure_history(conn, owner).await?;
        let done = applied(conn).await?;
        let pending: Vec<String> = super::versions(dir)?
            .into_iter()
            .filter(|v| !done.contains(v))
            .take(limit.unwrap_or(usize::MAX))
            .collect();
        for version in &pending {
            tracing::info!("applying migration {version}");
            run_step(conn, dir, version, "up", owner).await?;
        }
        anyhow::Ok(pending)
    }
    .await;
    let unlocked = unlock(conn).await;
    let pending = result?;
    unlocked?;
    Ok(pending)
}

/// Reverts the last `count` applied steps, newest first; returns the versions reverted.
pub async fn down(
    conn: &DatabaseConnection,
    dir: &Path,
    count: usize,
    owner: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    lock(conn).await?;
    let result = async {
        ensure_history(conn, owner).await?;
        let mut done = applied(conn).await?;
        done.reverse();
        let targets: Vec<String> = done.into_iter().take(count).collect();
        for version in &targets {
            tracing::info!("reverting migration {version}");
            run_step(conn, dir, version, "down", owner).await?;
        }
        anyhow::Ok(targets)
    }
    .await;
    let unlocked = unlock(conn).await;
    let targets = result?;
    unlocked?;
    Ok(targets)
}

async fn run_step(
    conn: &DatabaseConnection,
    dir: &Path,
    version: &str,
    direction: &str,
    owner: Option<&str>,
) -> anyhow::Result<()> {
    let step_dir = dir.join("sql").join(version);
    let read = |file: String| -> anyhow::Result<String> {
        let path = step_dir.join(&file);
        if path.exists() {
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))
        } else {
            Ok(String::new())
        }
    };
    let first = read(format!("{direction}_first.sql"))?;
    let transactional = read(format!("{direction}.sql"))?;
    let concurrent = read(format!("{direction}_concurrent.sql"))?;
    let record = if direction == "up" {
        format!(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ({}, {})",
            literal(version),
            chrono::Utc::now().timestamp()
        )
    } else {
        format!(
            "DELETE FROM seaql_migrations WHERE version = {}",
            literal(version)
        )
    };
    if is_sqlite(conn) {
        return run_sqlite_step(conn, &transactional, &record)
            .await
            .map_err(|e| {
                anyhow::Error::new(db::StatementError(format!(
                    "migration {version} ({direction}) failed: {e:#}; nothing of it was applied"
                )))
            });
    }
    let step = PgStep {
        conn,
        watch: Watch::new(conn).await?,
        what: format!("migration {version} ({direction})"),
        set_role: owner.map(|o| format!("SET LOCAL ROLE {}", crate::sql::ident(o))),
    };
    if !first.trim().is_empty() {
        // New enum values: committed before the statements that use them run. Running it
        // again is harmless (ADD VALUE IF NOT EXISTS).
        step.transaction(&[], &first, &[]).await?;
    }
    if concurrent.trim().is_empty() {
        return step.transaction(&[], &transactional, &[&record]).await;
    }
    ensure_table(conn, CREATE_MARKS, MARKS_TABLE, owner).await?;
    let mark = literal(version);
    let marked = db::query_opt(
        conn,
        &format!("SELECT 1 AS m FROM public.schemactl_migration_marks WHERE version = {mark}"),
        vec![],
    )
    .await?
    .is_some();
    if !marked {
        let insert_mark = format!("INSERT INTO public.schemactl_migration_marks VALUES ({mark})");
        step.transaction(&[], &transactional, &[&insert_mark])
            .await?;
    }
    step.concurrent(&concurrent, owner).await?;
    let delete_mark =
        format!("DELETE FROM public.schemactl_migration_marks WHERE version = {mark}");
    step.transaction(&[&record], "", &[&delete_mark]).await
}

/// A PostgreSQL migration step's session: every part under the lock policy (see
/// [`crate::lock_wait`]), retried when it times out on a lock.
struct PgStep<'a> {
    conn: &'a DatabaseConnection,
    watch: Watch,
    what: String,
    set_role: Option<String>,
}

impl PgStep<'_> {
    /// One transaction: `before` as the connected role, the file's SQL as the owner role,
    /// then `after` (the history records, which belong to whoever runs the migrations).
    async fn transaction(&self, before: &[&str], sql: &str, after: &[&str]) -> anyhow::Result<()> {
        lock_wait::retrying(&self.what, || async {
            let txn = self.conn.begin().await?;
            for setting in lock_wait::policy().settings(true) {
                txn.execute_unprepared(&setting).await?;
            }
            for statement in before {
                self.run(txn.execute_unprepared(statement)).await?;
            }
            if !sql.trim().is_empty() {
                if let Some(set_role) = &self.set_role {
                    txn.execute_unprepared(set_role).await?;
                }
                self.run(txn.execute_unprepared(sql)).await?;
                if self.set_role.is_some() {
                    txn.execute_unprepared("RESET ROLE").await?;
                }
            }
            for statement in after {
                self.run(txn.execute_unprepared(statement)).await?;
            }
            txn.commit()
                .await
                .map_err(|e| self.failed(&e, "commit failed: ", ""))
        })
        .await
    }

    async fn run(
        &self,
        statement: impl std::future::Future<Output = Result<sea_orm::ExecResult, sea_orm::DbErr>>,
    ) -> anyhow::Result<()> {
        self.watch
            .run(statement)
            .await
            .map(drop)
            .map_err(|e| self.failed(&e, "", "; nothing of it was applied"))
    }

    fn failed(&self, e: &sea_orm::DbErr, prefix: &str, outcome: &str) -> anyhow::Error {
        anyhow::Error::new(lock_wait::StatementFailed {
            message: format!("{} failed: {prefix}{}{outcome}", self.what, db::describe(e)),
            sqlstate: db::sqlstate(e),
            blockers: self.watch.blockers(),
        })
    }

    /// The concurrent statements, one by one outside any transaction, as the owner role.
    async fn concurrent(&self, concurrent: &str, owner: Option<&str>) -> anyhow::Result<()> {
        lock_wait::set_session(self.conn).await?;
        if let Some(o) = owner {
            self.conn
                .execute_unprepared(&format!("SET ROLE {}", crate::sql::ident(o)))
                .await?;
        }
        for statement in concurrent
            .split(";\n")
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            lock_wait::retrying(&self.what, || async {
                self.watch
                    .run(self.conn.execute_unprepared(statement))
                    .await
                    .map(drop)
                    .map_err(|e| self.failed(&e, &format!("`{statement}`: "), "; rerun to resume"))
            })
            .await?;
        }
        if owner.is_some() {
            self.conn.execute_unprepared("RESET ROLE").await?;
        }
        Ok(())
    }
}

/// A SQLite step: one transaction with its record; with foreign keys off around it when
/// the step rebuilds tables (see `super::FOREIGN_KEYS_OFF`).
async fn run_sqlite_step(
    conn: &DatabaseConnection,
    transactional: &str,
    record: &str,
) -> anyhow::Result<()> {
    let foreign_keys_off = transactional.starts_with(super::FOREIGN_KEYS_OFF);
    if foreign_keys_off {
        conn.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    }
    let result = async {
        let txn = conn.begin().await?;
        if !transactional.trim().is_empty() {
            txn.execute_unprepared(transactional).await?;
        }
        if foreign_keys_off {
            let broken = db::query_all(&txn, "PRAGMA foreign_key_check", vec![]).await?;
            if let Some(row) = broken.first() {
                let table: String = row.try_get("", "table").unwrap_or_default();
                return Err(anyhow::anyhow!(
                    "the rebuild leaves {} row(s) whose reference is broken (first: table \
                     {table}); nothing was applied",
                    broken.len()
                ));
            }
        }
        txn.execute_unprepared(record).await?;
        txn.commit().await?;
        anyhow::Ok(())
    }
    .await;
    if foreign_keys_off {
        conn.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    }
    result
}
