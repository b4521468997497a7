//! Executing a plan against a database.
//!
//! Transactional steps run in one transaction under a session advisory lock, so two
//! `apply` or `migrate up` runs never interleave and a failure leaves nothing behind.
//! `CONCURRENTLY` steps run after the commit, one by one; each is written so that a rerun
//! after an interruption converges (`IF EXISTS`, and an invalid index left by a killed
//! concurrent build is dropped before it is built again).

use anyhow::{Context, anyhow};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

use super::{Change, Plan};
use crate::db;

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

/// Applies `plan` on `conn`, which must be a single-connection handle (the advisory lock
/// and the transaction belong to one session). With `owner`, objects are created as that
/// role (so the database owner owns them), and only role statements run as the
/// connecting user.
pub async fn apply(
    conn: &DatabaseConnection,
    plan: &Plan,
    owner: Option<&str>,
) -> anyhow::Result<()> {
    let (concurrent, transactional): (Vec<&Change>, Vec<&Change>) =
        plan.changes.iter().partition(|c| c.concurrent);
    let set_owner = owner.map(|o| format!("SET LOCAL ROLE {}", crate::sql::ident(o)));
    if !transactional.is_empty() {
        let txn = conn
            .begin()
            .await
            .context("cannot begin the plan's transaction")?;
        let mut as_owner = false;
        for change in &transactional {
            tracing::info!("{}", change.description);
            if let Some(set_owner) = &set_owner
                && as_owner == change.as_admin
            {
                let switch = if change.as_admin {
                    "RESET ROLE"
                } else {
                    set_owner.as_str()
                };
                txn.execute_unprepared(switch)
                    .await
                    .map_err(|e| anyhow!("cannot switch role ({switch}): {}", db::describe(&e)))?;
                as_owner = !change.as_admin;
            }
            txn.execute_unprepared(&change.sql)
                .await
                .map_err(|e| step_error(change, &e))?;
        }
        txn.commit()
            .await
            .map_err(|e| anyhow!("commit failed: {}", db::describe(&e)))?;
    }
    if let Some(o) = owner
        && !concurrent.is_empty()
    {
        conn.execute_unprepared(&format!("SET ROLE {}", crate::sql::ident(o)))
            .await
            .map_err(|e| anyhow!("cannot switch to role {o}: {}", db::describe(&e)))?;
    }
    for change in &concurrent {
        tracing::info!("{}", change.description);
        if let Some(index) = concurrent_index_name(&change.sql) {
            // A killed CREATE INDEX CONCURRENTLY leaves an INVALID index behind; dropping
            // it first makes the rerun converge.
            drop_invalid_index(conn, &index).await?;
        }
        conn.execute_unprepared(&change.sql)
            .await
            .map_err(|e| step_error(change, &e))?;
    }
    if owner.is_some() && !concurrent.is_empty() {
        conn.execute_unprepared("RESET ROLE")
            .await
            .map_err(|e| anyhow!("cannot reset the role: {}", db::describe(&e)))?;
    }
    Ok(())
}

fn step_error(change: &Change, e: &sea_orm::DbErr) -> anyhow::Error {
    let first = change.sql.lines().next().unwrap_or_default();
    anyhow!(
        "step failed ({}): {}\n  statement: {first}\nthe transaction was rolled back",
        change.description,
        db::describe(e)
    )
}

/// The schema-qualified index name of a `CREATE [UNIQUE] INDEX CONCURRENTLY name ON t`.
pub(crate) fn concurrent_index_name(sql: &str) -> Option<String> {
    let rest = sql
        .strip_prefix("CREATE UNIQUE INDEX CONCURRENTLY ")
        .or_else(|| sql.strip_prefix("CREATE INDEX CONCURRENTLY "))?;
    let name = rest.split_whitespace().next()?;
    let table = rest.split(" ON ").nth(1)?.split_whitespace().next()?;
    let schema = table.split('.').next()?;
    Some(format!("{schema}.{name}"))
}

async fn drop_invalid_index(conn: &DatabaseConnection, qualified: &str) -> anyhow::Result<()> {
    let check = Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT count(*)::bigint FROM pg_index WHERE indexrelid = to_regclass($1) AND NOT indisvalid",
        [qualified.into()],
    );
    let invalid = conn
        .query_one_raw(check)
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    if invalid > 0 {
        tracing::warn!("dropping invalid index {qualified} left by an interrupted build");
        conn.execute_unprepared(&format!("DROP INDEX CONCURRENTLY IF EXISTS {qualified}"))
            .await
            .map_err(|e| {
                anyhow!(
                    "cannot drop invalid index {qualified}: {}",
                    db::describe(&e)
                )
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_index_of_a_concurrent_build() {
        assert_eq!(
            concurrent_index_name("CREATE INDEX CONCURRENTLY idx_a ON app.items USING gin (x)"),
            Some("app.idx_a".into())
        );
        assert_eq!(
            concurrent_index_name("DROP INDEX CONCURRENTLY IF EXISTS app.x"),
            None
        );
    }
}
