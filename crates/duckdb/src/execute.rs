//! Running a rendered DuckDB plan: every statement in one transaction (DuckDB's DDL is
//! transactional), so a failed plan leaves the file as it was. [`run_in`] runs inside a
//! transaction the caller owns (`export --sync` adds its rows and commits once).

use anyhow::Context;
use duckdb::Connection;

use schemactl_core::catalog::Catalog;
use schemactl_core::statement::{ObjectKey, RenderedStep};

/// A statement the database refused.
#[derive(Debug, thiserror::Error)]
#[error("{description} ({object}): {message}\nstatement:\n{sql}")]
pub struct StepError {
    pub description: String,
    pub object: ObjectKey,
    pub message: String,
    pub sql: String,
}

/// Runs `steps` on `conn` without BEGIN or COMMIT: inside the caller's transaction. A
/// refused statement is a [`StepError`].
pub fn run_in(conn: &Connection, steps: &[RenderedStep]) -> anyhow::Result<()> {
    for step in steps {
        for statement in &step.statements {
            conn.execute_batch(&statement.sql).map_err(|e| StepError {
                description: step.description.clone(),
                object: statement.object.clone(),
                message: e.to_string(),
                sql: statement.sql.clone(),
            })?;
        }
    }
    Ok(())
}

/// Runs `steps` in a transaction of their own: all of them, or (on an error, which says
/// so) none.
pub fn run(conn: &mut Connection, steps: &[RenderedStep]) -> anyhow::Result<()> {
    if steps.iter().all(|s| s.statements.is_empty()) {
        return Ok(());
    }
    let tx = conn
        .transaction()
        .context("beginning a DuckDB transaction")?;
    match run_in(&tx, steps) {
        Ok(()) => tx.commit().context("committing the plan"),
        Err(err) => {
            // Dropping the transaction rolls it back; say so in the error.
            drop(tx);
            Err(err.context("nothing was applied"))
        }
    }
}

/// The catalog as DuckDB itself holds it: created in an in-memory database and
/// described, so that types, defaults, checks and view queries compare in DuckDB's own
/// spelling.
pub fn normalize(catalog: &Catalog) -> anyhow::Result<Catalog> {
    let steps = crate::create_script(catalog)?;
    let mut conn = Connection::open_in_memory().context("opening an in-memory DuckDB")?;
    run(&mut conn, &steps).context("creating the model in an in-memory DuckDB")?;
    crate::describe::describe(&conn, &catalog.database.name)
}
