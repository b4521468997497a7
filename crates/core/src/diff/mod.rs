//! The diff between two catalogs: the typed steps that take a database from `previous`
//! to `next`, in execution order.
//!
//! Both sides are catalogs: for `migrate new` both come from models (offline); for
//! `plan`/`apply` the previous side is a live database and the next side is the model
//! as the server normalizes it. The create script is the diff from the flavour's empty
//! database to the model. Every step is typed ([`Step`]); its phase, hazards and words
//! follow from its variant, and flavours render it.

mod access;
mod around;
mod citus;
mod columns;
mod composite;
mod containers;
mod domains;
mod hints;
mod order;
mod owners;
mod routines;
mod sequences;
mod storage;
mod tables;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use hints::Hints;

use crate::catalog::{Catalog, QName, RoutineId};
use crate::deps;
use crate::step::{Hazard, Pair, Phase, Step};

/// What the target database can do in place. The differ asks before it emits a table
/// change; what the flavour cannot alter is rebuilt instead ([`Step::RebuildTable`]).
pub trait Capabilities {
    /// `ALTER TABLE` can make `change` to an existing table without rebuilding it.
    fn alters_in_place(&self, change: &TableChange) -> bool;
    /// `ALTER TABLE` can make `change` (the differ's `step`) to the table `table` as the
    /// `previous` catalog holds it. For flavours whose `ALTER TABLE` depends on what is
    /// on the table (DuckDB refuses most changes to a table with indexes); the default
    /// asks [`Capabilities::alters_in_place`].
    fn alters_table_in_place(
        &self,
        change: &TableChange,
        step: &Step,
        table: &QName,
        previous: &Catalog,
    ) -> bool {
        let _ = (step, table, previous);
        self.alters_in_place(change)
    }
    /// Indexes on existing tables can be built and dropped without blocking writes.
    fn concurrent_indexes(&self) -> bool;
    /// Foreign keys are written into `CREATE TABLE` and cannot be added later (SQLite).
    fn foreign_keys_inline(&self) -> bool;
}

/// A change to an existing table, as the differ asks the flavour about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableChange {
    /// A column added to an existing table; `plain` when it has no key, no unique
    /// constraint, no stored generation and at most a constant default; `at_end` when
    /// every column after it in the model is new too (ADD COLUMN appends, so otherwise
    /// the table's column order would differ from a fresh one).
    AddColumn {
        plain: bool,
        at_end: bool,
    },
    RenameColumn,
    DropColumn,
    RenameTable,
    AlterColumnType,
    ColumnDefault,
    Nullability,
    Generation,
    Identity,
    Constraint,
    Partitioning,
}

/// The ordered steps from one catalog to another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub steps: Vec<Step>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every hazard any step carries.
    pub fn hazards(&self, pair: Pair<&Catalog>) -> BTreeSet<Hazard> {
        self.steps.iter().flat_map(|s| s.hazards(pair)).collect()
    }
}

/// Computes the plan. Deterministic: the same inputs always give the same steps.
pub fn diff(pair: Pair<&Catalog>, hints: &Hints, capabilities: &dyn Capabilities) -> Plan {
    // Foreign keys follow a renamed table (PostgreSQL holds them by oid, SQLite rewrites
    // them): compare them as they will be once the rename ran.
    let followed = follow_renames(pair.previous, pair.next, hints);
    let previous = followed.as_ref().unwrap_or(pair.previous);
    let mut d = Differ {
        previous,
        next: pair.next,
        hints,
        capabilities,
        steps: Vec::new(),
        touched_tables: BTreeSet::new(),
        touched_columns: BTreeMap::new(),
        dropped_functions: BTreeSet::new(),
        rebuilt_tables: BTreeSet::new(),
        replaced_keys: Vec::new(),
        retyped_columns: BTreeMap::new(),
        type_conversions: Vec::new(),
    };
    d.roles();
    d.extensions();
    d.schemas();
    d.enums();
    d.sequences();
    d.domains();
    d.composite_types();
    d.functions();
    d.tables();
    // After tables and functions: which views to rebuild depends on what they touched.
    d.views();
    d.citus();
    d.owners();
    d.default_privileges();
    d.memberships_revoked();
    Plan {
        steps: order::arrange(d.steps, pair),
    }
}

/// `previous` with foreign keys that reference a table the plan renames pointing at the
/// new name; `None` when nothing is renamed.
fn follow_renames(previous: &Catalog, next: &Catalog, hints: &Hints) -> Option<Catalog> {
    let renamed: Vec<(QName, QName)> = hints
        .tables
        .iter()
        .map(|(new, old)| (QName::new(&new.schema, old), new.clone()))
        .filter(|(old, new)| {
            previous.tables.contains_key(old)
                && !previous.tables.contains_key(new)
                && next.tables.contains_key(new)
        })
        .collect();
    if renamed.is_empty() {
        return None;
    }
    let mut followed = previous.clone();
    for table in followed.tables.values_mut() {
        for fk in &mut table.foreign_keys {
            if let Some((_, new)) = renamed.iter().find(|(old, _)| *old == fk.references) {
                fk.references = new.clone();
            }
        }
    }
    Some(followed)
}

pub(crate) struct Differ<'a> {
    pub previous: &'a Catalog,
    pub next: &'a Catalog,
    pub hints: &'a Hints,
    pub capabilities: &'a dyn Capabilities,
    pub steps: Vec<Step>,
    /// Tables renamed, rebuilt or dropped: every view over them is rebuilt.
    pub touched_tables: BTreeSet<QName>,
    /// Columns renamed, dropped or retyped, by table (their names before the plan): views
    /// that may use one of them are rebuilt, other views over the table are left alone.
    pub touched_columns: BTreeMap<QName, BTreeSet<String>>,
    /// Functions dropped (or dropped and recreated): their triggers, policies and views
    /// are rebuilt around them.
    pub dropped_functions: BTreeSet<RoutineId>,
    /// Tables the flavour rebuilds, by their names before and after the plan: their
    /// triggers and indexes come back with them.
    pub rebuilt_tables: BTreeSet<QName>,
    /// Primary keys and unique constraints dropped from tables altered in place, by table
    /// and columns: foreign keys that reference them are dropped and added around them.
    pub replaced_keys: Vec<(QName, Vec<String>)>,
    /// Columns whose type changes, by table, under their names before and after the
    /// plan: PostgreSQL refuses to retype a column a policy or a trigger depends on.
    pub retyped_columns: BTreeMap<QName, BTreeSet<String>>,
    /// Columns converted to a replaced enum type: converted once the tables' own steps
    /// ran; checks and indexes comparing them to labels name the old type once it is
    /// renamed aside.
    pub type_conversions: Vec<containers::TypeConversion>,
}

impl Differ<'_> {
    /// Whether the plan drops a routine of this name (text names a routine without its
    /// argument types: any overload may be the one).
    fn drops_routine_named(&self, name: &QName) -> bool {
        self.dropped_functions
            .range(RoutineId::no_args(name)..)
            .next()
            .is_some_and(|id| &id.name == name)
    }

    pub fn push(&mut self, step: Step) {
        self.steps.push(step);
    }

    /// Records a column whose type the plan changes, under each of its names.
    pub(crate) fn retype(&mut self, table: &QName, names: &[&str]) {
        let columns = self.retyped_columns.entry(table.clone()).or_default();
        columns.extend(names.iter().map(|n| n.to_string()));
    }

    /// Whether SQL text on `table` (a policy's expressions, a trigger's condition) may
    /// use a column whose type the plan changes.
    pub(crate) fn uses_retyped(&self, table: &QName, text: &str) -> bool {
        self.retyped_columns
            .get(table)
            .is_some_and(|columns| columns.iter().any(|c| deps::may_use_column(text, c)))
    }
}

/// Phases in execution order, for callers that group steps.
pub const PHASES: [Phase; 13] = [
    Phase::Roles,
    Phase::Containers,
    Phase::Teardown,
    Phase::Objects,
    Phase::Distribution,
    Phase::Constraints,
    Phase::Dependents,
    Phase::Access,
    Phase::Drops,
    Phase::LateDrops,
    Phase::ContainerDrops,
    Phase::BodyChecks,
    Phase::Concurrent,
];
