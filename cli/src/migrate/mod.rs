//! Versioned migrations: `migrate new` writes the next step offline; `migrate up|down|status`
//! run them against a database (see `run`).
//!
//! Layout under the migrations directory (default `migration/` beside the model):
//! - `sql/<version>/up.sql`, `down.sql`: the transactional part of each direction;
//! - `sql/<version>/up_concurrent.sql`, `down_concurrent.sql`: `CONCURRENTLY` statements,
//!   one per line block, each safe to run again;
//! - `src/<version>.rs`: a thin sea-orm-migration wrapper that `include_str!`s the SQL;
//! - `src/lib.rs`: the migrator listing every step;
//! - `schema.snapshot.json`: the model as of the last step, so `migrate new` needs no
//!   database.
//!
//! Roles and memberships are cluster-wide and managed by `provision`, so they are left out
//! of migration files.

pub mod lint;
pub mod run;

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

use crate::catalog::{Catalog, from_model};
use crate::diff::Hints;
use crate::model::Model;
use schemactl_core::statement::RenderedStep;
use schemactl_postgres::script::{self, Line, Script};

const SNAPSHOT: &str = "schema.snapshot.json";
use schemactl_codegen::{MIGRATION_LIB_TEMPLATE as LIB_TEMPLATE, MIGRATION_TEMPLATE};

/// The migrations directory for a model file: `migration/` beside it.
pub fn default_dir(schema: &Path) -> PathBuf {
    schema
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(Path::new("."))
        .join("migration")
}

/// The versions under `sql/`, oldest first (versions sort by their timestamp prefix).
pub fn versions(dir: &Path) -> anyhow::Result<Vec<String>> {
    let sql = dir.join("sql");
    if !sql.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(&sql).with_context(|| format!("cannot read {}", sql.display()))?
    {
        let entry = entry?;
        if entry.file_type()?.is_dir()
            && let Some(name) = entry.file_name().to_str()
        {
            out.push(name.to_string());
        }
    }
    out.sort();
    Ok(out)
}

/// The model as of the last migration; an empty model before the first.
pub fn snapshot(dir: &Path) -> anyhow::Result<Model> {
    let path = dir.join(SNAPSHOT);
    if !path.exists() {
        return Ok(Model::default());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a model snapshot", path.display()))
}

/// Whether the migrations bring a database to exactly `model`.
pub fn is_current(dir: &Path, model: &Model) -> anyhow::Result<bool> {
    let old = snapshot(dir)?;
    Ok(pending_plan(&old, model)?.0.is_empty())
}

/// One direction of a migration step.
enum Direction {
    Postgres { steps: usize, script: Script },
    Sqlite(Vec<RenderedStep>),
}

impl Direction {
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn len(&self) -> usize {
        match self {
            Direction::Postgres { steps, .. } => *steps,
            Direction::Sqlite(steps) => steps.len(),
        }
    }
}

/// First line of a SQLite step that rebuilds tables: the runner switches foreign keys off
/// around its transaction and checks them before the commit.
pub const FOREIGN_KEYS_OFF: &str =
    "-- schemactl: foreign_keys off, foreign_key_check before commit";

fn pending_plan(old: &Model, new: &Model) -> anyhow::Result<(Direction, Direction)> {
    let hints = Hints::from_model(new);
    if new.database.target == crate::model::Target::Sqlite {
        use schemactl_sqlite::build::from_model as sqlite_catalog;
        let (before, after) = (sqlite_catalog(old), sqlite_catalog(new));
        return Ok((
            Direction::Sqlite(schemactl_sqlite::plan(&before, &after, &hints)?),
            Direction::Sqlite(schemactl_sqlite::plan(&after, &before, &hints.reversed())?),
        ));
    }
    let (old_catalog, new_catalog) = with_public_schema(from_model(old), from_model(new));
    let direction = |from: &Catalog, to: &Catalog, owner: Option<&str>, hints: &Hints| {
        // Roles, memberships and extension drops are cluster-wide: provisioning's.
        let steps: Vec<_> = schemactl_postgres::plan(from, to, hints)?
            .into_iter()
            .filter(|s| !s.step.cluster_level())
            .collect();
        anyhow::Ok(Direction::Postgres {
            steps: steps.len(),
            script: migration_script(&steps, owner),
        })
    };
    Ok((
        direction(
            &old_catalog,
            &new_catalog,
            new.database.owner.as_deref(),
            &hints,
        )?,
        direction(
            &new_catalog,
            &old_catalog,
            old.database.owner.as_deref(),
            &hints.reversed(),
        )?,
    ))
}

/// Every database has a `public` schema: a side that does not declare it (the empty
/// model before the first migration) has the one a new database comes with, so that a
/// model declaring `public` neither creates it nor, going down, drops it.
fn with_public_schema(mut old: Catalog, mut new: Catalog) -> (Catalog, Catalog) {
    add_new_databases_public(&mut old, &new);
    add_new_databases_public(&mut new, &old);
    (old, new)
}

fn add_new_databases_public(side: &mut Catalog, other: &Catalog) {
    if side.schemas.contains_key("public") {
        return;
    }
    if let Some(public) = schemactl_postgres::fresh_database(other)
        .schemas
        .remove("public")
    {
        side.schemas.insert("public".to_string(), public);
    }
}

/// A direction's steps laid out for migration files. The transactional parts switch to
/// the database owner themselves (`SET LOCAL ROLE`, after the extensions), so the files
/// give the same database whoever runs them: the owner, an admin member of the owner role,
/// or a superuser through sea-orm-migration's own CLI. The main part ends with `RESET
/// ROLE`, so the runner's role records the step. The part outside a transaction keeps the
/// runner's role: sea-orm-migration runs its statements on pooled connections, where a
/// session-level `SET ROLE` would not hold (an index belongs to its table's owner anyway).
fn migration_script(steps: &[RenderedStep], owner: Option<&str>) -> Script {
    let mut owned = script::layout_for_any_role(steps, owner);
    owned.outside = script::layout(steps, None).outside;
    if owner.is_some() && !owned.transaction.is_empty() {
        owned.transaction.push(Line::Setting("RESET ROLE".into()));
    }
    owned
}

/// What `migrate new` did.
#[derive(Debug)]
pub enum NewOutcome {
    NoChange,
    Written {
        version: String,
        up_steps: usize,
        down_steps: usize,
        /// What `schemactl lint` reports in the written files, each allowed by a comment
        /// before its statement (the plan chose it).
        lint: Vec<lint::AllowedFinding>,
    },
}

/// Writes the next migration, from the snapshot to `model`, named `m<UTC timestamp>_<name>`.
pub fn new_migration(dir: &Path, model: &Model, name: &str) -> anyhow::Result<NewOutcome> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(anyhow!(
            "migration name `{name}`: use lower-case letters, digits and `_`"
        ));
    }
    let old = snapshot(dir)?;
    let (up, down) = pending_plan(&old, model)?;
    if up.is_empty() {
        return Ok(NewOutcome::NoChange);
    }
    let version = format!("m{}_{name}", chrono::Utc::now().format("%Y%m%d_%H%M%S"));
    let step_dir = dir.join("sql").join(&version);
    std::fs::create_dir_all(&step_dir)
        .with_context(|| format!("cannot create {}", step_dir.display()))?;
    let (up_parts, mut lint) = write_direction(&step_dir, "up", &up)?;
    let (down_parts, down_lint) = write_direction(&step_dir, "down", &down)?;
    lint.extend(down_lint);
    let env = minijinja::Environment::new();
    let wrapper = env.render_str(
        MIGRATION_TEMPLATE,
        minijinja::context! {
            version => &version,
            concurrent => up_parts.concurrent || down_parts.concurrent
                || up_parts.first || down_parts.first,
            up_concurrent => up_parts.concurrent,
            down_concurrent => down_parts.concurrent,
            up_first => up_parts.first,
            down_first => down_parts.first,
        },
    )?;
    let src = dir.join("src");
    std::fs::create_dir_all(&src)?;
    std::fs::write(src.join(format!("{version}.rs")), wrapper)?;
    write_lib(dir)?;
    let snapshot_text = serde_json::to_string_pretty(model)?;
    std::fs::write(dir.join(SNAPSHOT), snapshot_text + "\n")?;
    Ok(NewOutcome::Written {
        version,
        up_steps: up.len(),
        down_steps: down.len(),
        lint,
    })
}

/// Writes `<direction>.sql` and, when needed, `<direction>_first.sql` (committed before
/// the rest: new enum values) and `<direction>_concurrent.sql`; returns which of the two
/// optional files were written, and what the lint reports in them (PostgreSQL: each
/// allowed by a comment written before its statement).
fn write_direction(
    step_dir: &Path,
    direction: &str,
    part: &Direction,
) -> anyhow::Result<(Parts, Vec<lint::AllowedFinding>)> {
    let path = |suffix: &str| step_dir.join(format!("{direction}{suffix}.sql"));
    match part {
        Direction::Sqlite(steps) => {
            write_sqlite(&path(""), steps)?;
            Ok((Parts::default(), Vec::new()))
        }
        Direction::Postgres { script, .. } => {
            let first = !script.first.is_empty();
            let concurrent = !script.outside.is_empty();
            // In the order the runner runs them, which the lint follows.
            let mut files = Vec::new();
            if first {
                files.push(lint::Part {
                    path: path("_first"),
                    lines: &script.first,
                });
            }
            files.push(lint::Part {
                path: path(""),
                lines: &script.transaction,
            });
            if concurrent {
                files.push(lint::Part {
                    path: path("_concurrent"),
                    lines: &script.outside,
                });
            }
            let (texts, findings) = lint::annotate(&files)?;
            for (file, text) in files.iter().zip(texts) {
                std::fs::write(&file.path, text)
                    .with_context(|| format!("cannot write {}", file.path.display()))?;
            }
            Ok((Parts { first, concurrent }, findings))
        }
    }
}

/// Which optional files a direction has.
#[derive(Debug, Clone, Copy, Default)]
struct Parts {
    first: bool,
    concurrent: bool,
}

fn write_sqlite(path: &Path, steps: &[RenderedStep]) -> anyhow::Result<()> {
    let mut text = String::new();
    if schemactl_sqlite::rebuilds(steps) {
        text.push_str(FOREIGN_KEYS_OFF);
        text.push('\n');
    }
    text.push_str(&schemactl_sqlite::steps_sql(steps));
    std::fs::write(path, text)?;
    Ok(())
}

/// Regenerates `src/lib.rs` from the versions present.
pub fn write_lib(dir: &Path) -> anyhow::Result<()> {
    let env = minijinja::Environment::new();
    let lib = env.render_str(
        LIB_TEMPLATE,
        minijinja::context! { migrations => versions(dir)? },
    )?;
    std::fs::write(dir.join("src").join("lib.rs"), lib)?;
    Ok(())
}
