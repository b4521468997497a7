//! schemactl's SQLite flavour, on the same engine as PostgreSQL: a model or a database
//! file described as a catalog, the differ's typed steps rendered as SQLite statements,
//! and what SQLite's `ALTER TABLE` cannot do rebuilt (capabilities below).

pub mod build;
pub mod describe;
pub mod execute;
mod keywords;
pub mod names;
mod parse;
pub mod render;

pub use keywords::{ident, ident_list, is_keyword};

use schemactl_core::catalog::{Catalog, SchemaDef};
use schemactl_core::diff::{self, Capabilities, Hints, Plan, TableChange};
use schemactl_core::statement::{RenderError, RenderedStep};
use schemactl_core::step::{Pair, Step};
use schemactl_model::validate::sqlite::MAIN_SCHEMA;

/// What SQLite's `ALTER TABLE` can do in place: rename a table or a column, and add a
/// plain column. Everything else rebuilds the table.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

impl Capabilities for Sqlite {
    fn alters_in_place(&self, change: &TableChange) -> bool {
        matches!(
            change,
            TableChange::AddColumn {
                plain: true,
                at_end: true
            } | TableChange::RenameColumn
                | TableChange::RenameTable
        )
    }

    fn concurrent_indexes(&self) -> bool {
        false
    }

    fn foreign_keys_inline(&self) -> bool {
        true
    }
}

/// A new database file: the one schema, nothing in it.
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
    let plan: Plan = diff::diff(pair, hints, &Sqlite);
    render::render_plan(&plan, pair)
}

/// `current` as it reads once the renames of `hints` ran: SQLite's default constraint
/// names follow a renamed table or column.
fn follow_renames(current: &Catalog, hints: &Hints) -> Catalog {
    let mut out = current.clone();
    for (q, t) in out.tables.iter_mut() {
        let new_name = hints
            .tables
            .iter()
            .find(|(new, old)| new.schema == q.schema && **old == q.name)
            .map(|(new, _)| new.name.clone());
        let to = new_name.clone().unwrap_or_else(|| q.name.clone());
        let table_now = schemactl_core::catalog::QName::new(&q.schema, &to);
        let columns: Vec<(String, String)> = hints
            .columns
            .iter()
            .filter(|((table, _), _)| *table == table_now)
            .map(|((_, new), old)| (old.clone(), new.clone()))
            .collect();
        if new_name.is_some() || !columns.is_empty() {
            *t = names::follow_renames(&q.name, &to, &columns, t);
        }
    }
    out
}

/// Whether a plan rebuilds tables: foreign keys must then be off around its transaction.
pub fn rebuilds(steps: &[RenderedStep]) -> bool {
    steps
        .iter()
        .any(|s| matches!(s.step, Step::RebuildTable { .. }))
}

/// The statements of `steps` with a comment naming each step and its hazards, without
/// the transaction around them (migration files: the runner supplies it).
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

/// The plan as a script: one transaction, with foreign keys off around it and checked
/// before the commit when it rebuilds tables.
pub fn script_sql(steps: &[RenderedStep]) -> String {
    let rebuilds = rebuilds(steps);
    let mut out = String::new();
    if rebuilds {
        out.push_str("PRAGMA foreign_keys = OFF;\n");
    }
    out.push_str("BEGIN;\n\n");
    out.push_str(&steps_sql(steps));
    if rebuilds {
        out.push_str(
            "-- the rebuilt tables must not break a reference\nPRAGMA foreign_key_check;\n\n",
        );
    }
    out.push_str("COMMIT;\n");
    if rebuilds {
        out.push_str("PRAGMA foreign_keys = ON;\n");
    }
    out
}
