//! The SQLite dialect: a model with `target: sqlite`, or a `sqlite://FILE` URL, selects it.
//!
//! The PostgreSQL engine works on a catalog IR read from system catalogs; SQLite keeps
//! each object's `CREATE` statement in `sqlite_schema`, so this dialect works on those
//! statements directly: `render` writes them from the model, `read_objects` reads them
//! back, and `diff` compares the two (tables by parsed structure).

pub mod diff;
pub mod ingest;
pub mod render;
pub mod seed;

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::diff::Plan;
use crate::model::{Model, Target};
use render::{Kind, Object};

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

/// Every table, index, view and trigger of the database, as `sqlite_schema` holds them.
pub async fn read_objects<C: ConnectionTrait>(conn: &C) -> anyhow::Result<Vec<Object>> {
    let rows = crate::db::query_all(
        conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_schema \
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name <> 'seaql_migrations' ORDER BY rowid",
        vec![],
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "type")?;
        let Some(kind) = Kind::from_schema_type(&kind) else {
            continue;
        };
        out.push(Object {
            kind,
            name: row.try_get("", "name")?,
            table: row.try_get("", "tbl_name")?,
            sql: row.try_get("", "sql")?,
        });
    }
    Ok(out)
}

/// The plan from the database behind `conn` to the model.
pub async fn plan_with<C: ConnectionTrait>(conn: &C, model: &Model) -> anyhow::Result<Plan> {
    let current = read_objects(conn).await?;
    Ok(diff::diff(
        &current,
        &render::objects(model),
        &crate::diff::Hints::from_model(model),
    ))
}

/// `plan --database-url sqlite://FILE`.
pub async fn plan(model: &Model, url: &str) -> anyhow::Result<Plan> {
    let conn = connect(url, false).await?;
    let plan = plan_with(&conn, model).await;
    let _ = conn.close().await;
    plan
}

/// Applies a plan in one transaction. Foreign keys are off around it when tables are
/// rebuilt (a DROP TABLE with them on would run ON DELETE actions), and any reference
/// the rebuild broke fails the whole plan.
pub async fn apply_with(conn: &DatabaseConnection, plan: &Plan) -> anyhow::Result<()> {
    let transactional: Vec<_> = plan.changes.iter().filter(|c| !c.concurrent).collect();
    if transactional.is_empty() {
        return Ok(());
    }
    if plan.foreign_keys_off {
        conn.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    }
    let result = async {
        let txn = conn.begin().await?;
        for change in &transactional {
            txn.execute_unprepared(&change.sql)
                .await
                .map_err(|e| StepError {
                    description: change.description.clone(),
                    message: crate::db::describe(&e),
                    sql: change.sql.clone(),
                })?;
        }
        if plan.foreign_keys_off {
            let broken = crate::db::query_all(&txn, "PRAGMA foreign_key_check", vec![]).await?;
            if let Some(row) = broken.first() {
                let table: String = row.try_get("", "table").unwrap_or_default();
                let parent: String = row.try_get("", "parent").unwrap_or_default();
                bail!(
                    "the rebuild leaves {} row(s) whose reference is broken (first: table {table}, \
                     referencing {parent}); nothing was applied",
                    broken.len()
                );
            }
        }
        txn.commit().await?;
        Ok(())
    }
    .await;
    if plan.foreign_keys_off {
        conn.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    }
    result
}

/// A statement of a plan failed; the transaction was rolled back.
#[derive(Debug, thiserror::Error)]
#[error("{description}: {message}; nothing was applied\nstatement:\n{sql}")]
pub struct StepError {
    pub description: String,
    pub message: String,
    pub sql: String,
}

/// Where in the model the object a step works on is declared, from the step's
/// description (`create index NAME`, `rebuild table NAME: …`, `add column T.C`).
pub fn model_pointer(model: &Model, description: &str) -> Option<String> {
    use crate::load::pointer;
    let schema = model.schemas.get(crate::validate::sqlite::MAIN_SCHEMA)?;
    let words: Vec<&str> = description.split_whitespace().collect();
    let name = words.get(2)?.trim_end_matches(':');
    let table_with = |has: &dyn Fn(&crate::model::Table) -> bool| {
        schema
            .tables
            .iter()
            .find(|(_, t)| has(t))
            .map(|(n, _)| n.clone())
    };
    Some(match words.get(1).copied()? {
        "table" => pointer(["schemas", "main", "tables", name]),
        "view" => pointer(["schemas", "main", "views", name]),
        "column" => {
            let (table, column) = name.split_once('.')?;
            pointer(["schemas", "main", "tables", table, "columns", column])
        }
        "index" => {
            let table = table_with(&|t| t.indexes.contains_key(name))?;
            pointer(["schemas", "main", "tables", &table, "indexes", name])
        }
        "trigger" => {
            let table = table_with(&|t| t.triggers.contains_key(name))?;
            pointer(["schemas", "main", "tables", &table, "triggers", name])
        }
        _ => return None,
    })
}

/// `apply --database-url sqlite://FILE`.
pub async fn apply(url: &str, plan: &Plan) -> anyhow::Result<()> {
    let conn = connect(url, false).await?;
    let result = apply_with(&conn, plan).await;
    let _ = conn.close().await;
    result
}

/// What `provision` did.
#[derive(Debug, Default)]
pub struct Provisioned {
    pub path: PathBuf,
    pub created: bool,
    pub plan: Plan,
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
                        drift.sql()
                    );
                }
                let changes = applied
                    .into_iter()
                    .map(|v| crate::diff::Change::new(format!("migration {v}"), String::new()))
                    .collect();
                return Ok(Plan {
                    changes,
                    foreign_keys_off: false,
                });
            }
            let plan = plan_with(&conn, model).await?;
            apply_with(&conn, &plan).await?;
            Ok::<_, anyhow::Error>(plan)
        }
        .await;
        let outcome = match outcome {
            Ok(plan) => seed::declared(&conn, model)
                .await
                .map(|seeded| (plan, seeded)),
            Err(err) => Err(err),
        };
        let _ = conn.close().await;
        outcome
    }
    .await;
    match result {
        Ok((plan, seeded)) => Ok(Provisioned {
            path,
            created,
            plan,
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
