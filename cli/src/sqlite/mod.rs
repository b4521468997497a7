//! The SQLite side of the commands: a model with `target: sqlite`, or a `sqlite://FILE`
//! URL, selects it. The engine is the same as PostgreSQL's: the database file is
//! described as a catalog (`schemactl_sqlite::describe`), the model is built into one and
//! normalized through an in-memory database, and the differ's steps are rendered and run
//! by the SQLite flavour (`schemactl-sqlite`).

pub mod seed;

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::diff::Hints;
use crate::model::{Model, Target};
use schemactl_core::statement::RenderedStep;

pub use schemactl_sqlite::execute::StepError;

/// Whether a database URL names a SQLite file.
pub fn is_url(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Whether a command for this model and URL goes to SQLite. A SQLite URL with a
/// PostgreSQL model (or the reverse) is an error rather than a guess.
pub fn selected(model: &Model, url: Option<&str>) -> anyhow::Result<bool> {
    let model_sqlite = model.database.target == Target::Sqlite;
    match url {
        Some(url) if is_url(url) && !model_sqlite => bail!(
            "{url} is a SQLite database, but the model targets PostgreSQL (set `database.target: sqlite`)"
        ),
        Some(url) if !is_url(url) && model_sqlite => bail!(
            "the model targets SQLite; give a sqlite://FILE URL, not {}",
            crate::db::redact(url)
        ),
        _ => Ok(model_sqlite),
    }
}

/// The file a `sqlite://FILE` (or `sqlite:FILE`) URL names.
pub fn path_of(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| anyhow!("{url} is not a sqlite:// URL"))?;
    let file = rest.split('?').next().unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        bail!("{url} names no file: write sqlite://PATH");
    }
    Ok(PathBuf::from(file))
}

/// Opens the database file: one connection (PRAGMAs are per connection), foreign keys
/// enforced. With `create`, a missing file is created; otherwise it is an error.
pub async fn connect(url: &str, create: bool) -> anyhow::Result<DatabaseConnection> {
    let path = path_of(url)?;
    if !create && !path.exists() {
        bail!(
            "SQLite database {} does not exist (provision creates it)",
            path.display()
        );
    }
    let mode = if create { "rwc" } else { "rw" };
    let options = crate::db::single_connection(format!("sqlite://{}?mode={mode}", path.display()));
    let conn = sea_orm::Database::connect(options)
        .await
        .map_err(|e| anyhow!("cannot open SQLite database {}: {e}", path.display()))?;
    conn.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    Ok(conn)
}

/// The steps from the database behind `conn` to the model: the file described, the
/// model normalized through an in-memory database, both in SQLite's own spelling.
pub async fn plan_with<C: ConnectionTrait>(
    conn: &C,
    model: &Model,
) -> anyhow::Result<Vec<RenderedStep>> {
    let current = schemactl_sqlite::describe::describe(conn, &model.database.name).await?;
    let desired =
        schemactl_sqlite::execute::normalize(&schemactl_sqlite::build::from_model(model)).await?;
    Ok(schemactl_sqlite::plan(
        &current,
        &desired,
        &Hints::from_model(model),
    )?)
}

/// `plan --database-url sqlite://FILE`.
pub async fn plan(model: &Model, url: &str) -> anyhow::Result<Vec<RenderedStep>> {
    let conn = connect(url, false).await?;
    let plan = plan_with(&conn, model).await;
    let _ = conn.close().await;
    plan
}

/// The steps that create the model in a new file.
pub fn create_script(model: &Model) -> anyhow::Result<Vec<RenderedStep>> {
    Ok(schemactl_sqlite::create_script(
        &schemactl_sqlite::build::from_model(model),
    )?)
}

/// `apply --database-url sqlite://FILE`.
pub async fn apply(url: &str, steps: &[RenderedStep]) -> anyhow::Result<()> {
    let conn = connect(url, false).await?;
    let result = schemactl_sqlite::execute::run(&conn, steps).await;
    let _ = conn.close().await;
    result
}

/// What `provision` did.
#[derive(Debug, Default)]
pub struct Provisioned {
    pub path: PathBuf,
    pub created: bool,
    /// The steps applied; with migrations, none (see `migrations`).
    pub steps: Vec<RenderedStep>,
    /// Versions applied when provisioning went through the migrations.
    pub migrations: Vec<String>,
    /// Declared seed rows inserted or changed.
    pub seeded: u64,
}

/// Creates the database file, or brings an existing one to the model. With `recreate`
/// the file is deleted first. A run that created the file and then failed removes it.
pub async fn provision(model: &Model, url: &str, recreate: bool) -> anyhow::Result<Provisioned> {
    provision_with(model, url, recreate, None).await
}

/// `provision`, through the versioned migrations in `migrations` when given: they are
/// applied, then the database must match the model (no drift).
pub async fn provision_with(
    model: &Model,
    url: &str,
    recreate: bool,
    migrations: Option<&Path>,
) -> anyhow::Result<Provisioned> {
    let path = path_of(url)?;
    if let Some(dir) = migrations
        && !crate::migrate::is_current(dir, model)?
    {
        return Err(crate::exit::UsageError(format!(
            "the migrations in {} are behind the model: run `schemactl migrate new NAME` first",
            dir.display()
        ))
        .into());
    }
    if recreate {
        remove_database(&path)?;
    }
    let created = !path.exists();
    let result = async {
        let conn = connect(url, true).await?;
        let outcome = async {
            if let Some(dir) = migrations {
                let applied = crate::migrate::run::up(&conn, dir, None, None).await?;
                let drift = plan_with(&conn, model).await?;
                if !drift.is_empty() {
                    bail!(
                        "after the migrations the database still differs from the model:\n{}",
                        crate::plan::Plan::Sqlite(drift).sql()
                    );
                }
                return Ok((Vec::new(), applied));
            }
            let steps = plan_with(&conn, model).await?;
            schemactl_sqlite::execute::run(&conn, &steps).await?;
            Ok::<_, anyhow::Error>((steps, Vec::new()))
        }
        .await;
        let outcome = match outcome {
            Ok(done) => seed::declared(&conn, model)
                .await
                .map(|seeded| (done, seeded)),
            Err(err) => Err(err),
        };
        let _ = conn.close().await;
        outcome
    }
    .await;
    match result {
        Ok(((steps, migrations), seeded)) => Ok(Provisioned {
            path,
            created,
            steps,
            migrations,
            seeded,
        }),
        Err(err) => {
            if created {
                let _ = remove_database(&path);
            }
            Err(err)
        }
    }
}

/// Deletes a database file with its journal files.
pub fn remove_database(path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove {}", file.display())),
        }
    }
    Ok(())
}
