//! The DuckDB side of the commands: a model with `target: duckdb`, or a `duckdb://FILE`
//! URL, selects it. The engine is the same as PostgreSQL's and SQLite's: the file is
//! described as a catalog, the model is built into one and normalized through an
//! in-memory DuckDB, and the differ's steps are rendered and run by the DuckDB flavour
//! (`schemactl-duckdb`). Without the cargo feature `duckdb` the selection still works,
//! and says that this build has no DuckDB.

use std::path::PathBuf;

use anyhow::bail;

use crate::exit::UsageError;
use crate::model::{Model, Target};

/// Whether a database URL names a DuckDB file.
pub fn is_url(url: &str) -> bool {
    url.starts_with("duckdb:")
}

/// Whether the model targets DuckDB.
pub fn is_model(model: &Model) -> bool {
    model.database.target == Target::Duckdb
}

/// Whether a command for this model and URL goes to DuckDB. A DuckDB URL with another
/// model (or the reverse) is a usage error rather than a guess.
pub fn selected(model: &Model, url: Option<&str>) -> anyhow::Result<bool> {
    let duck = is_model(model);
    match url {
        Some(url) if is_url(url) && !duck => {
            return Err(UsageError(format!(
                "{url} is a DuckDB database, but the model does not target DuckDB (set \
                 `database.target: duckdb`)"
            ))
            .into());
        }
        Some(url) if !is_url(url) && duck => {
            return Err(UsageError(format!(
                "the model targets DuckDB; give a duckdb://FILE URL, not {}",
                crate::db::redact(url)
            ))
            .into());
        }
        _ => {}
    }
    if duck && !cfg!(feature = "duckdb") {
        return Err(UsageError(
            "this schemactl was built without DuckDB (cargo feature `duckdb`); rebuild with \
             `cargo build -p schemactl --features duckdb`"
                .into(),
        )
        .into());
    }
    Ok(duck)
}

/// The file a `duckdb://FILE` URL names.
pub fn path_of(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("duckdb://")
        .or_else(|| url.strip_prefix("duckdb:"));
    match rest.map(|r| r.split('?').next().unwrap_or_default()) {
        Some(file) if !file.is_empty() && file != ":memory:" => Ok(PathBuf::from(file)),
        _ => bail!(UsageError(format!(
            "{url} names no DuckDB file: write duckdb://PATH"
        ))),
    }
}

/// A command that has no DuckDB implementation, refused by name.
pub fn unsupported(command: &str) -> anyhow::Error {
    UsageError(format!(
        "`schemactl {command}` does not support DuckDB models (`database.target: duckdb`); \
         DuckDB models support validate, plan, apply, drift and provision"
    ))
    .into()
}

#[cfg(feature = "duckdb")]
pub use enabled::*;

#[cfg(feature = "duckdb")]
mod enabled {
    use std::path::{Path, PathBuf};

    use anyhow::Context;

    use super::path_of;
    use crate::model::Model;
    use schemactl_core::statement::RenderedStep;

    pub use schemactl_duckdb::StepError;

    /// `plan --database-url duckdb://FILE`: the steps from the file to the model.
    pub fn plan(model: &Model, url: &str) -> anyhow::Result<Vec<RenderedStep>> {
        let conn = schemactl_duckdb::open(&path_of(url)?, false)?;
        schemactl_duckdb::plan_model(&conn, model)
    }

    /// The steps that create the model in a new file.
    pub fn create_script(model: &Model) -> anyhow::Result<Vec<RenderedStep>> {
        Ok(schemactl_duckdb::create_script(
            &schemactl_duckdb::build::from_model(model),
        )?)
    }

    /// The plan as a script (one transaction).
    pub fn script_sql(steps: &[RenderedStep]) -> String {
        schemactl_duckdb::script_sql(steps)
    }

    /// `apply --database-url duckdb://FILE`: one transaction.
    pub fn apply(url: &str, steps: &[RenderedStep]) -> anyhow::Result<()> {
        let mut conn = schemactl_duckdb::open(&path_of(url)?, false)?;
        schemactl_duckdb::execute::run(&mut conn, steps)
    }

    /// What `provision` did.
    #[derive(Debug, Default)]
    pub struct Provisioned {
        pub path: PathBuf,
        pub created: bool,
        pub steps: Vec<RenderedStep>,
    }

    /// Creates the database file, or brings an existing one to the model, in one
    /// transaction. With `recreate` the file is deleted first. A run that created the
    /// file and then failed removes it.
    pub fn provision(model: &Model, url: &str, recreate: bool) -> anyhow::Result<Provisioned> {
        let path = path_of(url)?;
        if recreate {
            remove_database(&path)?;
        }
        let created = !path.exists();
        let result = schemactl_duckdb::open(&path, true)
            .and_then(|mut conn| schemactl_duckdb::apply(&mut conn, model));
        match result {
            Ok(steps) => Ok(Provisioned {
                path,
                created,
                steps,
            }),
            Err(err) => {
                if created {
                    let _ = remove_database(&path);
                }
                Err(err)
            }
        }
    }

    /// Deletes a database file with its write-ahead log.
    pub fn remove_database(path: &Path) -> anyhow::Result<()> {
        for suffix in ["", ".wal"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot remove {}", file.display()));
                }
            }
        }
        Ok(())
    }
}
