//! Running a rendered SQLite plan: one transaction, with foreign keys switched off around
//! it when it rebuilds tables (a `DROP TABLE` with them on would run `ON DELETE`
//! actions) and `PRAGMA foreign_key_check` before the commit, so a rebuild that breaks a
//! reference fails the whole plan.

use anyhow::{Context, anyhow};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

use schemactl_core::catalog::Catalog;
use schemactl_core::statement::{ObjectKey, RenderedStep};

/// A statement the database refused; the plan's transaction was rolled back.
#[derive(Debug, thiserror::Error)]
#[error("{description} ({object}): {message}; nothing was applied\nstatement:\n{sql}")]
pub struct StepError {
    pub description: String,
    pub object: ObjectKey,
    pub message: String,
    pub sql: String,
}

/// Applies `steps` on `conn` (one connection: PRAGMAs are per connection).
pub async fn run(conn: &DatabaseConnection, steps: &[RenderedStep]) -> anyhow::Result<()> {
    if steps.iter().all(|s| s.statements.is_empty()) {
        return Ok(());
    }
    let rebuilds = crate::rebuilds(steps);
    if rebuilds {
        conn.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    }
    let result = async {
        let txn = conn.begin().await?;
        for step in steps {
            for statement in &step.statements {
                txn.execute_unprepared(&statement.sql)
                    .await
                    .map_err(|e| StepError {
                        description: step.description.clone(),
                        object: statement.object.clone(),
                        message: e.to_string(),
                        sql: statement.sql.clone(),
                    })?;
            }
        }
        if rebuilds {
            let broken = txn
                .query_all_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA foreign_key_check",
                ))
                .await?;
            if let Some(row) = broken.first() {
                let table: String = row.try_get("", "table").unwrap_or_default();
                let parent: String = row.try_get("", "parent").unwrap_or_default();
                return Err(anyhow!(
                    "the rebuild leaves {} row(s) whose reference is broken (first: table \
                     {table}, referencing {parent}); nothing was applied",
                    broken.len()
                ));
            }
        }
        txn.commit().await?;
        anyhow::Ok(())
    }
    .await;
    if rebuilds {
        conn.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    }
    result
}

/// The catalog as SQLite itself holds it: created in an in-memory database and described,
/// so that expressions and defaults compare in SQLite's own spelling.
pub async fn normalize(catalog: &Catalog) -> anyhow::Result<Catalog> {
    let steps = crate::create_script(catalog)?;
    let mut options = sea_orm::ConnectOptions::new("sqlite::memory:".to_string());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let conn = sea_orm::Database::connect(options)
        .await
        .context("opening an in-memory SQLite database")?;
    run(&conn, &steps)
        .await
        .context("creating the model in an in-memory SQLite database")?;
    let described = crate::describe::describe(&conn, &catalog.database.name).await;
    let _ = conn.close().await;
    described
}
