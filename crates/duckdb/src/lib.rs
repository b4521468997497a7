//! schemactl's DuckDB flavour, on the same engine as PostgreSQL and SQLite: a model or a
//! database file described as a catalog, the differ's typed steps rendered as DuckDB
//! statements, and what DuckDB's `ALTER TABLE` cannot do rebuilt (capabilities below).
//!
//! The public API `schemactl export --sync duckdb://FILE` builds on: [`open`],
//! [`plan_model`], [`apply_in`] / [`run_in`] (inside the caller's transaction) and
//! [`apply`] (a transaction of its own). The `duckdb` crate is re-exported, so callers
//! use the same version.

pub mod build;
pub mod describe;
pub mod execute;
pub mod names;
pub mod render;
pub mod sql;

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};

pub use duckdb;
pub use execute::StepError;
pub use sql::{ident, ident_list, qualified};

use schemactl_core::catalog::{Catalog, QName, SchemaDef, TableDef};
use schemactl_core::diff::{self, Capabilities, Hints, Plan, TableChange};
use schemactl_core::statement::{RenderError, RenderedStep};
use schemactl_core::step::{Pair, Step};
use schemactl_model::Model;
use schemactl_model::validate::duckdb::MAIN_SCHEMA;

/// What DuckDB's `ALTER TABLE` can do in place: rename the table or a column, add a
/// column at the end, drop one, change a column's type, default or nullability. DuckDB
/// adds and drops no constraint on an existing table, and refuses every change but a
/// nullable `ADD COLUMN` and `SET/DROP DEFAULT` to a table with indexes or that another
/// table's foreign key references; it also refuses to drop or retype a column a
/// constraint uses, and to rename a foreign key's column; and a table with foreign keys
/// of its own that is renamed leaves its old name in the referenced table. Those changes
/// rebuild the table ([`Duckdb::alters_table_in_place`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Duckdb<'a> {
    /// The catalog the plan goes to: whether an added column is nullable. Without it,
    /// every added column counts as NOT NULL.
    pub next: Option<&'a Catalog>,
}

impl Capabilities for Duckdb<'_> {
    fn alters_in_place(&self, change: &TableChange) -> bool {
        matches!(
            change,
            TableChange::AddColumn {
                at_end: true,
                plain: true
            } | TableChange::RenameColumn
                | TableChange::DropColumn
                | TableChange::RenameTable
                | TableChange::AlterColumnType
                | TableChange::ColumnDefault
                | TableChange::Nullability
        )
    }

    fn alters_table_in_place(
        &self,
        change: &TableChange,
        step: &Step,
        table: &QName,
        previous: &Catalog,
    ) -> bool {
        if !self.alters_in_place(change) {
            return false;
        }
        let Some(def) = previous.tables.get(table) else {
            return false;
        };
        let dependents = has_dependents(previous, table, def);
        match step {
            Step::AddColumn { column } => !dependents || self.added_nullable(column),
            Step::SetColumnDefault { .. } | Step::DropColumnDefault { .. } => true,
            _ if dependents => false,
            Step::RenameTable { .. } => def.foreign_keys.is_empty(),
            Step::RenameColumn { from, .. } => !def
                .foreign_keys
                .iter()
                .any(|fk| fk.columns.iter().any(|c| c == from)),
            // A check that uses the column would stop both (which columns a check uses
            // is DuckDB's to know): any check rebuilds.
            Step::DropColumn { column, .. } => !in_constraint(def, column) && def.checks.is_empty(),
            Step::AlterColumnType { column, .. } => {
                !in_constraint(def, &column.column) && def.checks.is_empty()
            }
            _ => true,
        }
    }

    fn concurrent_indexes(&self) -> bool {
        false
    }

    fn foreign_keys_inline(&self) -> bool {
        true
    }
}

impl Duckdb<'_> {
    /// Whether a column the plan adds is nullable (unknown: not, which rebuilds).
    fn added_nullable(&self, column: &schemactl_core::step::ColumnKey) -> bool {
        self.next
            .and_then(|next| next.tables.get(&column.table))
            .and_then(|t| t.column(&column.column))
            .is_some_and(|c| c.nullable)
    }
}

/// Whether the primary key or a unique constraint uses the column.
fn in_constraint(def: &TableDef, column: &str) -> bool {
    def.primary_key
        .as_ref()
        .is_some_and(|k| k.columns.iter().any(|c| c == column))
        || def
            .uniques
            .iter()
            .any(|u| u.columns.iter().any(|c| c == column))
        || def
            .foreign_keys
            .iter()
            .any(|fk| fk.columns.iter().any(|c| c == column))
}

/// A new database file: the `main` schema, nothing in it.
pub fn fresh_database(desired: &Catalog) -> Catalog {
    let mut fresh = Catalog {
        database: desired.database.clone(),
        ..Catalog::default()
    };
    fresh
        .schemas
        .insert(MAIN_SCHEMA.to_string(), SchemaDef::default());
    fresh
}

/// The steps that create `desired` in a new file.
pub fn create_script(desired: &Catalog) -> Result<Vec<RenderedStep>, RenderError> {
    plan(&fresh_database(desired), desired, &Hints::default())
}

/// The rendered steps from `current` to `desired`.
pub fn plan(
    current: &Catalog,
    desired: &Catalog,
    hints: &Hints,
) -> Result<Vec<RenderedStep>, RenderError> {
    let followed = follow_renames(current, hints);
    let pair = Pair::new(&followed, desired);
    let plan: Plan = diff::diff(
        pair,
        hints,
        &Duckdb {
            next: Some(desired),
        },
    );
    render::render_plan(&plan, pair)
}

/// `current` as it reads once the column renames of `hints` ran: constraint names follow
/// their columns ([`names`]).
fn follow_renames(current: &Catalog, hints: &Hints) -> Catalog {
    let mut out = current.clone();
    for (q, t) in out.tables.iter_mut() {
        let now = hints
            .tables
            .iter()
            .find(|(new, old)| new.schema == q.schema && **old == q.name)
            .map_or_else(|| q.clone(), |(new, _)| new.clone());
        let columns: Vec<(String, String)> = hints
            .columns
            .iter()
            .filter(|((table, _), _)| *table == now)
            .map(|((_, new), old)| (old.clone(), new.clone()))
            .collect();
        if !columns.is_empty() {
            *t = names::follow_renames(&columns, t);
        }
    }
    out
}

/// Whether the table has something that makes DuckDB refuse most `ALTER TABLE`s on it:
/// indexes, or another table's foreign key to it.
pub fn has_dependents(catalog: &Catalog, q: &QName, t: &TableDef) -> bool {
    !t.indexes.is_empty()
        || catalog
            .tables
            .values()
            .any(|other| other.foreign_keys.iter().any(|fk| fk.references == *q))
}

/// Whether a plan rebuilds tables.
pub fn rebuilds(steps: &[RenderedStep]) -> bool {
    steps
        .iter()
        .any(|s| matches!(s.step, Step::RebuildTable { .. }))
}

/// The statements of `steps` with a comment naming each step and its hazards, without
/// the transaction around them.
pub fn steps_sql(steps: &[RenderedStep]) -> String {
    let mut out = String::new();
    for step in steps {
        out.push_str(&format!("-- {}", step.description));
        if !step.hazards.is_empty() {
            let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
            out.push_str(&format!(" [hazard: {}]", names.join(", ")));
        }
        out.push('\n');
        for statement in &step.statements {
            out.push_str(&statement.sql);
            out.push_str(";\n");
        }
        out.push('\n');
    }
    out
}

/// The plan as a script: one transaction.
pub fn script_sql(steps: &[RenderedStep]) -> String {
    format!("BEGIN;\n\n{}COMMIT;\n", steps_sql(steps))
}

/// Whether a database URL names a DuckDB file.
pub fn is_url(url: &str) -> bool {
    url.starts_with("duckdb:")
}

/// The file a `duckdb://PATH` (or `duckdb:PATH`) URL names.
pub fn path_of(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("duckdb://")
        .or_else(|| url.strip_prefix("duckdb:"))
        .ok_or_else(|| anyhow!("{url} is not a duckdb:// URL"))?;
    let file = rest.split('?').next().unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        bail!("{url} names no file: write duckdb://PATH");
    }
    Ok(PathBuf::from(file))
}

/// The name a database file is attached under ([`open`]).
pub const FILE_CATALOG: &str = "schemactl_file";

/// Opens a DuckDB database file. With `create`, a missing file is created; otherwise it
/// is an error. The file is attached to an in-memory database as the catalog
/// [`FILE_CATALOG`] and made the default (`USE`): opened directly, its catalog would be
/// named after the file, and a file `research.duckdb` would make `research.t` ambiguous
/// with the schema `research`.
pub fn open(path: &Path, create: bool) -> anyhow::Result<duckdb::Connection> {
    if !create && !path.exists() {
        bail!(
            "DuckDB database {} does not exist (provision creates it)",
            path.display()
        );
    }
    let conn = duckdb::Connection::open_in_memory()
        .with_context(|| format!("cannot open DuckDB database {}", path.display()))?;
    conn.execute_batch(&format!(
        "ATTACH {} AS {FILE_CATALOG}; USE {FILE_CATALOG}",
        sql::literal(&path.to_string_lossy())
    ))
    .with_context(|| format!("cannot open DuckDB database {}", path.display()))?;
    Ok(conn)
}

/// The steps that bring the database behind `conn` to `model` (`target: duckdb`, loaded
/// and validated): the file described, the model normalized through an in-memory
/// DuckDB, both in DuckDB's own spelling. Reads only.
pub fn plan_model(conn: &duckdb::Connection, model: &Model) -> anyhow::Result<Vec<RenderedStep>> {
    let current = describe::describe(conn, &model.database.name)?;
    let desired = execute::normalize(&build::from_model(model))?;
    Ok(plan(&current, &desired, &Hints::from_model(model))?)
}

/// Runs `steps` inside the caller's transaction (no BEGIN or COMMIT here).
pub fn run_in(conn: &duckdb::Connection, steps: &[RenderedStep]) -> anyhow::Result<()> {
    execute::run_in(conn, steps)
}

/// How [`apply_in`] runs the plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplyOptions {
    /// Leave the `CREATE INDEX` steps out and return them in
    /// [`Applied::deferred_indexes`], so that a bulk load runs before indexes are built.
    pub defer_indexes: bool,
}

/// What [`apply_in`] did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// The steps run (without the deferred index builds).
    pub steps: Vec<RenderedStep>,
    /// `CREATE INDEX` steps not run yet (only with `defer_indexes`).
    pub deferred_indexes: Vec<RenderedStep>,
}

/// Brings the database to `model` inside the caller's transaction (pass `&tx`: a
/// `duckdb::Transaction` derefs to a `Connection`). Nothing is committed here.
pub fn apply_in(
    conn: &duckdb::Connection,
    model: &Model,
    options: &ApplyOptions,
) -> anyhow::Result<Applied> {
    let steps = plan_model(conn, model)?;
    let (deferred_indexes, steps): (Vec<RenderedStep>, Vec<RenderedStep>) = steps
        .into_iter()
        .partition(|s| options.defer_indexes && matches!(s.step, Step::CreateIndex { .. }));
    run_in(conn, &steps)?;
    Ok(Applied {
        steps,
        deferred_indexes,
    })
}

/// Brings the database to `model` in a transaction of its own; returns the steps run.
pub fn apply(conn: &mut duckdb::Connection, model: &Model) -> anyhow::Result<Vec<RenderedStep>> {
    let steps = plan_model(conn, model)?;
    execute::run(conn, &steps)?;
    Ok(steps)
}

/// An index the model declares, as statements a bulk load drops before and builds after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexStatements {
    pub name: String,
    /// `CREATE [UNIQUE] INDEX name ON schema.table (columns)`.
    pub create: String,
    /// `DROP INDEX IF EXISTS schema.name`.
    pub drop: String,
}

/// The indexes the model declares on `schema.table` (none when the table is not in it).
pub fn table_indexes(model: &Model, schema: &str, table: &str) -> Vec<IndexStatements> {
    let q = QName::new(schema, table);
    build::from_model(model)
        .tables
        .get(&q)
        .map(|t| {
            t.indexes
                .iter()
                .map(|index| IndexStatements {
                    name: index.name.clone(),
                    create: render::index_sql(&q, index),
                    drop: format!("DROP INDEX IF EXISTS {}", qualified(schema, &index.name)),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A table to bulk-load, as statements: created without its primary key under the load's
/// name, then (renamed by the caller) given its key. DuckDB maintains a key's index row by
/// row while rows are inserted, and at commit for rows the transaction inserted; a key
/// added to a table whose rows are committed is built in bulk, on every thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkTable {
    /// `CREATE TABLE schema.load_name (…)`: the model's columns, NOT NULLs and checks.
    pub create: String,
    /// `ALTER TABLE schema.table ADD PRIMARY KEY (…)`, when the table has a key.
    pub add_primary_key: Option<String>,
}

/// The statements that bulk-load `schema.table` through a table named `load_name`; `None`
/// when the table is not in the model or cannot be loaded so: unique constraints and
/// foreign keys (DuckDB adds neither to a table afterwards), or another table's foreign
/// key to it (DuckDB does not let such a table be dropped and replaced).
pub fn bulk_table(model: &Model, schema: &str, table: &str, load_name: &str) -> Option<BulkTable> {
    let q = QName::new(schema, table);
    let catalog = build::from_model(model);
    let def = catalog.tables.get(&q)?;
    let referenced = catalog
        .tables
        .values()
        .any(|other| other.foreign_keys.iter().any(|fk| fk.references == q));
    if referenced || !def.uniques.is_empty() || !def.foreign_keys.is_empty() {
        return None;
    }
    let keyless = TableDef {
        primary_key: None,
        ..def.clone()
    };
    Some(BulkTable {
        create: render::table_sql(&QName::new(schema, load_name), &keyless),
        add_primary_key: def.primary_key.as_ref().map(|pk| {
            format!(
                "ALTER TABLE {} ADD PRIMARY KEY ({})",
                qualified(schema, table),
                ident_list(&pk.columns)
            )
        }),
    })
}
