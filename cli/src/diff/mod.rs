//! Diff: the ordered, lock-aware steps that take a database from one catalog to another.
//!
//! Both sides are `Catalog`s. For `migrate new` both come from models (offline); for
//! `plan`/`apply` against a server, the current side is introspected and the desired side
//! is the model applied to a scratch database and introspected too, so SQL text on both
//! sides is PostgreSQL's own normalized form.
//!
//! The order of the phases below is the execution order:
//! 1. cluster-level and container objects: roles, extensions, schemas, new enum types and
//!    enum values (a table may use them);
//! 2. teardown of what depends on something about to change: views over changed tables
//!    or dropped functions (reverse dependency order), triggers and policies on dropped
//!    functions, constraints and indexes that are replaced;
//! 3. functions (replace in place when the signature allows);
//! 4. tables: create, rename, columns, partitions, constraints (FK and CHECK as
//!    `NOT VALID` then `VALIDATE`);
//! 5. views and materialized views (dependency order), triggers, RLS and policies;
//! 6. grants, default privileges, comments;
//! 7. drops of tables, functions, types, schemas and extensions the model no longer has;
//! 8. outside the transaction: indexes dropped and created `CONCURRENTLY`.

pub mod apply;
mod columns;
mod objects;
mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::catalog::{Catalog, QName};
use crate::model::Model;

/// What can go wrong when a step runs against a live database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Hazard {
    /// Rows, columns or objects are deleted.
    DataLoss,
    /// The table is rewritten (all rows copied), which takes time proportional to its size.
    TableRewrite,
    /// Readers and writers wait while the step holds an ACCESS EXCLUSIVE (or write-blocking) lock.
    AccessExclusiveLock,
    /// Who may do what changes: grants, revokes, owners, roles, policies.
    Authorization,
}

impl fmt::Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hazard::DataLoss => "data-loss",
            Hazard::TableRewrite => "table-rewrite",
            Hazard::AccessExclusiveLock => "access-exclusive-lock",
            Hazard::Authorization => "authorization",
        })
    }
}

/// One statement of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What the step does, for people: `add column steam.applications.rating`.
    pub description: String,
    pub sql: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
    /// Runs outside the plan's transaction (`CONCURRENTLY`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub concurrent: bool,
    /// Cluster-level (roles and memberships): runs as the connecting admin rather than
    /// as the database owner.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub as_admin: bool,
}

impl Change {
    pub fn new(description: impl Into<String>, sql: impl Into<String>) -> Change {
        Change {
            description: description.into(),
            sql: sql.into(),
            hazards: Vec::new(),
            concurrent: false,
            as_admin: false,
        }
    }

    pub fn as_admin(mut self) -> Change {
        self.as_admin = true;
        self
    }

    pub fn hazard(mut self, hazard: Hazard) -> Change {
        if !self.hazards.contains(&hazard) {
            self.hazards.push(hazard);
        }
        self
    }

    pub fn concurrent(mut self) -> Change {
        self.concurrent = true;
        self
    }
}

/// Instructions in the model about how to get from the old state to the new one, which
/// the catalogs cannot express: renames (`renamed_from`) and conversions (`using`) are
/// about history, not properties of either state.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// New table → old table name (same schema).
    pub tables: BTreeMap<QName, String>,
    /// (table, new column) → old column.
    pub columns: BTreeMap<(QName, String), String>,
    /// (table, column) → expression converting the old value on a type change.
    pub using: BTreeMap<(QName, String), String>,
}

impl Hints {
    pub fn from_model(model: &Model) -> Hints {
        let mut renames = Hints::default();
        for (schema_name, schema) in &model.schemas {
            for (table_name, table) in &schema.tables {
                let q = QName::new(schema_name, table_name);
                if let Some(old) = &table.renamed_from {
                    renames.tables.insert(q.clone(), old.clone());
                }
                for (column_name, column) in &table.columns {
                    let key = (q.clone(), column_name.clone());
                    if let Some(old) = &column.renamed_from {
                        renames.columns.insert(key.clone(), old.clone());
                    }
                    if let Some(using) = &column.using {
                        renames.using.insert(key, using.clone());
                    }
                }
            }
        }
        renames
    }
}

impl Hints {
    /// The hints for going back: renames the other way round, no conversions (a down
    /// step's casts are PostgreSQL's defaults).
    pub fn reversed(&self) -> Hints {
        let mut back = Hints::default();
        for (new, old) in &self.tables {
            back.tables
                .insert(QName::new(&new.schema, old), new.name.clone());
        }
        for ((table, new_col), old_col) in &self.columns {
            let table_then = match self.tables.get(table) {
                Some(old_table) => QName::new(&table.schema, old_table),
                None => table.clone(),
            };
            back.columns
                .insert((table_then, old_col.clone()), new_col.clone());
        }
        back
    }
}

/// The plan from `current` to `desired`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// SQLite: the plan rebuilds tables, so foreign keys are switched off around its
    /// transaction and `PRAGMA foreign_key_check` must find nothing before the commit.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub foreign_keys_off: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Every hazard any step carries.
    pub fn hazards(&self) -> BTreeSet<Hazard> {
        self.changes
            .iter()
            .flat_map(|c| c.hazards.iter().copied())
            .collect()
    }

    /// The plan as a script: the transactional steps in one transaction, then the
    /// concurrent ones, each preceded by a comment naming it and its hazards.
    pub fn sql(&self) -> String {
        let mut out = String::new();
        let (concurrent, transactional): (Vec<&Change>, Vec<&Change>) =
            self.changes.iter().partition(|c| c.concurrent);
        if !transactional.is_empty() {
            if self.foreign_keys_off {
                out.push_str("PRAGMA foreign_keys = OFF;\n");
            }
            out.push_str("BEGIN;\n\n");
            for c in &transactional {
                push_step(&mut out, c);
            }
            if self.foreign_keys_off {
                out.push_str("-- the rebuilt tables must not break a reference\nPRAGMA foreign_key_check;\n\n");
            }
            out.push_str("COMMIT;\n");
            if self.foreign_keys_off {
                out.push_str("PRAGMA foreign_keys = ON;\n");
            }
        }
        if !concurrent.is_empty() {
            out.push_str("\n-- CONCURRENTLY cannot run inside a transaction block.\n\n");
            for c in &concurrent {
                push_step(&mut out, c);
            }
        }
        out
    }
}

/// One step as script text: a comment with its description and hazards, then the SQL.
pub(crate) fn push_step(out: &mut String, c: &Change) {
    out.push_str(&format!("-- {}", c.description));
    if !c.hazards.is_empty() {
        let names: Vec<String> = c.hazards.iter().map(Hazard::to_string).collect();
        out.push_str(&format!(" [hazard: {}]", names.join(", ")));
    }
    out.push('\n');
    out.push_str(&c.sql);
    out.push_str(";\n\n");
}

/// Computes the plan. Deterministic: the same inputs always give the same steps.
pub fn diff(current: &Catalog, desired: &Catalog, hints: &Hints) -> Plan {
    let mut d = Differ {
        current,
        desired,
        hints,
        phases: Phases::default(),
        touched_tables: BTreeSet::new(),
        dropped_functions: BTreeSet::new(),
    };
    d.roles();
    d.extensions();
    d.schemas();
    d.enums();
    d.functions();
    d.tables();
    // Last: which views to rebuild depends on what the table and function diffs touched.
    d.views();
    d.default_privileges();
    if !d.phases.functions.is_empty() {
        // Function bodies may use tables created later in the plan; like pg_dump, check
        // them when they run rather than when they are created.
        d.phases.setup.insert(
            0,
            Change::new(
                "check function bodies when they run",
                "SET LOCAL check_function_bodies = off",
            ),
        );
    }
    d.phases.into_plan()
}

/// Steps collected per phase, concatenated in phase order at the end.
#[derive(Debug, Default)]
pub(crate) struct Phases {
    pub setup: Vec<Change>,
    pub teardown: Vec<Change>,
    pub functions: Vec<Change>,
    pub tables: Vec<Change>,
    pub constraints: Vec<Change>,
    pub dependents: Vec<Change>,
    pub access: Vec<Change>,
    pub drops: Vec<Change>,
    pub late_drops: Vec<Change>,
    /// Schemas, extensions and roles: only once nothing inside them is left.
    pub container_drops: Vec<Change>,
    pub concurrent_drops: Vec<Change>,
    pub concurrent_creates: Vec<Change>,
}

impl Phases {
    fn into_plan(self) -> Plan {
        let mut changes = Vec::new();
        for phase in [
            self.setup,
            self.teardown,
            self.functions,
            self.tables,
            self.constraints,
            self.dependents,
            self.access,
            self.drops,
            self.late_drops,
            self.container_drops,
            self.concurrent_drops,
            self.concurrent_creates,
        ] {
            changes.extend(phase);
        }
        Plan {
            changes,
            foreign_keys_off: false,
        }
    }
}

pub(crate) struct Differ<'a> {
    pub current: &'a Catalog,
    pub desired: &'a Catalog,
    pub hints: &'a Hints,
    pub phases: Phases,
    /// Tables whose columns are renamed, dropped or retyped: views over them are rebuilt.
    pub touched_tables: BTreeSet<QName>,
    /// Functions dropped (or dropped and recreated): their triggers, policies and views
    /// are rebuilt around them.
    pub dropped_functions: BTreeSet<QName>,
}
