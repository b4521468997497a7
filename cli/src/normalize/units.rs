//! The model's catalog cut into units that normalize independently, and the key of each
//! unit's normalized form.
//!
//! A unit is an enum, a table (with its constraints, indexes, partitions, policies,
//! triggers, grants and comments), a view or a function. What the server makes of a unit
//! (its deparsed defaults, checks, predicates, bodies) depends on the unit's own text, on
//! the database-wide context (extensions, schemas with their default privileges, the
//! database owner) and on the objects it names. To normalize a unit, schemactl creates it
//! together with *helpers* for what it names, in the unit's own schema names:
//! - a table it names (a foreign key target, a table a view or policy reads) as its
//!   *shape*: columns with their types, primary key and unique constraints, nothing else;
//! - a view or a function it names, whole, with what they name in turn;
//! - an enum, whole.
//!
//! So the key of a unit is a hash of the context, of the unit's own catalog definition and
//! of the helper definitions of everything it names, transitively. Names are found by
//! `schemactl_core::deps`' lexical scan, which over-approximates: at worst a unit is
//! rebuilt when it need not be.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::cache;
use crate::catalog::{
    Catalog, DatabaseDef, EnumDef, FunctionDef, QName, SchemaDef, TableDef, ViewDef,
};
use schemactl_core::deps::references;

/// One unit of normalization.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitId {
    Enum(QName),
    Table(QName),
    View(QName),
    Function(QName),
}

/// A unit's definition (model or normalized).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UnitDef {
    Enum(EnumDef),
    Table(TableDef),
    View(ViewDef),
    Function(FunctionDef),
}

/// The database-wide part of a normalized catalog: what every unit is built in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Context {
    pub database: DatabaseDef,
    pub extensions: Vec<String>,
    pub schemas: BTreeMap<String, SchemaDef>,
    pub protected_roles: BTreeSet<String>,
}

/// Every unit of `catalog` with its definition.
pub fn units(catalog: &Catalog) -> BTreeMap<UnitId, UnitDef> {
    let mut out = BTreeMap::new();
    for (q, d) in &catalog.enums {
        out.insert(UnitId::Enum(q.clone()), UnitDef::Enum(d.clone()));
    }
    for (q, d) in &catalog.tables {
        out.insert(UnitId::Table(q.clone()), UnitDef::Table(d.clone()));
    }
    for (q, d) in &catalog.views {
        out.insert(UnitId::View(q.clone()), UnitDef::View(d.clone()));
    }
    for (q, d) in &catalog.functions {
        out.insert(UnitId::Function(q.clone()), UnitDef::Function(d.clone()));
    }
    out
}

/// `catalog` without its units: the context a workspace database holds.
pub fn context_only(catalog: &Catalog) -> Catalog {
    Catalog {
        database: catalog.database.clone(),
        roles: catalog.roles.clone(),
        extensions: catalog.extensions.clone(),
        schemas: catalog.schemas.clone(),
        ..Catalog::default()
    }
}

/// The key of the context: the database-wide part of the model, the role names (grants
/// and policies name them) and `scope` (the server).
pub fn context_key(catalog: &Catalog, scope: &str) -> String {
    let context = (
        &catalog.database,
        &catalog.extensions,
        &catalog.schemas,
        catalog.roles.keys().collect::<Vec<_>>(),
    );
    let text = serde_json::to_string(&context).unwrap_or_default();
    cache::key(&(scope, "context", text))
}

/// What a unit needs created before it, as a whole unit (`full`) or as a helper.
struct Graph<'a> {
    catalog: &'a Catalog,
}

impl Graph<'_> {
    fn resolve(&self, schema: &str, text: &str, out: &mut BTreeSet<UnitId>) {
        for r in references(text) {
            let schemas: Vec<&str> = match &r.schema {
                Some(s) => vec![s.as_str()],
                None => vec![schema, "public"],
            };
            for s in schemas {
                let q = QName::new(s, r.name.clone());
                if self.catalog.tables.contains_key(&q) {
                    out.insert(UnitId::Table(q.clone()));
                }
                if self.catalog.views.contains_key(&q) {
                    out.insert(UnitId::View(q.clone()));
                }
                if self.catalog.functions.contains_key(&q) {
                    out.insert(UnitId::Function(q.clone()));
                }
                if self.catalog.enums.contains_key(&q) {
                    out.insert(UnitId::Enum(q));
                }
            }
        }
    }

    fn resolve_name(&self, q: &QName, out: &mut BTreeSet<UnitId>) {
        let text = format!(
            "\"{}\".\"{}\"",
            q.schema.replace('"', "\"\""),
            q.name.replace('"', "\"\"")
        );
        self.resolve(&q.schema, &text, out);
    }

    /// What the whole unit names.
    fn full_deps(&self, id: &UnitId) -> BTreeSet<UnitId> {
        let mut out = BTreeSet::new();
        match id {
            UnitId::Enum(_) => {}
            UnitId::Table(q) => {
                if let Some(t) = self.catalog.tables.get(q) {
                    self.resolve(&q.schema, &table_text(t), &mut out);
                    for fk in &t.foreign_keys {
                        self.resolve_name(&fk.references, &mut out);
                    }
                    for f in t.triggers.iter().filter_map(|t| t.function.as_ref()) {
                        self.resolve_name(f, &mut out);
                    }
                }
            }
            UnitId::View(_) | UnitId::Function(_) => return self.helper_deps(id),
        }
        out.remove(id);
        out
    }

    /// What the unit's helper names: a table's shape its column types; views and
    /// functions are helpers whole.
    fn helper_deps(&self, id: &UnitId) -> BTreeSet<UnitId> {
        let mut out = BTreeSet::new();
        match id {
            UnitId::Enum(_) => {}
            UnitId::Table(q) => {
                if let Some(t) = self.catalog.tables.get(q) {
                    let types: Vec<&str> = t.columns.iter().map(|c| c.ty.as_str()).collect();
                    self.resolve(&q.schema, &types.join(" "), &mut out);
                }
            }
            UnitId::View(q) => {
                if let Some(v) = self.catalog.views.get(q) {
                    self.resolve(&q.schema, &v.query, &mut out);
                    for d in &v.declared_deps {
                        self.resolve_name(d, &mut out);
                    }
                }
            }
            UnitId::Function(q) => {
                if let Some(f) = self.catalog.functions.get(q) {
                    let mut text = format!("{} {} ", f.returns, f.body);
                    for a in &f.args {
                        text.push_str(&a.ty);
                        text.push(' ');
                        text.push_str(a.default.as_deref().unwrap_or_default());
                        text.push(' ');
                    }
                    self.resolve(&q.schema, &text, &mut out);
                    for d in &f.declared_deps {
                        self.resolve_name(d, &mut out);
                    }
                }
            }
        }
        out.remove(id);
        out
    }
}

/// Every SQL text of a table that may name another object.
fn table_text(t: &TableDef) -> String {
    let mut text = String::new();
    let mut add = |s: &str| {
        text.push_str(s);
        text.push(' ');
    };
    for c in &t.columns {
        add(&c.ty);
        for e in [&c.default, &c.generated].into_iter().flatten() {
            add(e);
        }
    }
    for c in &t.checks {
        add(&c.expression);
    }
    for i in &t.indexes {
        for k in &i.keys {
            if let crate::catalog::IndexKeyDef::Expression { sql, .. } = k {
                add(sql);
            }
        }
        add(i.predicate.as_deref().unwrap_or_default());
    }
    for p in &t.policies {
        add(p.using.as_deref().unwrap_or_default());
        add(p.with_check.as_deref().unwrap_or_default());
    }
    for tr in &t.triggers {
        add(tr.condition.as_deref().unwrap_or_default());
    }
    text
}

/// A table reduced to what other units can see of it: its columns (types only), primary
/// key and unique constraints.
pub fn shape(t: &TableDef) -> TableDef {
    TableDef {
        columns: t
            .columns
            .iter()
            .map(|c| crate::catalog::ColumnDef {
                default: None,
                generated: None,
                comment: None,
                ..c.clone()
            })
            .collect(),
        primary_key: t.primary_key.clone(),
        uniques: t.uniques.clone(),
        ..TableDef::default()
    }
}

/// The helper form of a unit (see the module comment).
pub fn helper(def: &UnitDef) -> UnitDef {
    match def {
        UnitDef::Enum(e) => UnitDef::Enum(EnumDef {
            comment: None,
            ..e.clone()
        }),
        UnitDef::Table(t) => UnitDef::Table(shape(t)),
        UnitDef::View(v) => UnitDef::View(ViewDef {
            comment: None,
            indexes: Vec::new(),
            grants: Vec::new(),
            column_comments: Vec::new(),
            ..v.clone()
        }),
        UnitDef::Function(f) => UnitDef::Function(FunctionDef {
            comment: None,
            grants: Vec::new(),
            ..f.clone()
        }),
    }
}

/// The units of a model, their keys and what building each one needs.
pub struct Plan {
    pub context: String,
    pub defs: BTreeMap<UnitId, UnitDef>,
    pub keys: BTreeMap<UnitId, String>,
    /// Per unit, the helpers its build needs (itself excluded).
    pub helpers: BTreeMap<UnitId, BTreeSet<UnitId>>,
}

impl Plan {
    /// Cuts `catalog` (built from the model) into units keyed for the server `scope`.
    pub fn new(catalog: &Catalog, scope: &str) -> Plan {
        let graph = Graph { catalog };
        let defs = units(catalog);
        let context = context_key(catalog, scope);
        let helper_deps: BTreeMap<&UnitId, BTreeSet<UnitId>> =
            defs.keys().map(|id| (id, graph.helper_deps(id))).collect();
        let helper_digest: BTreeMap<&UnitId, String> = defs
            .iter()
            .map(|(id, def)| (id, digest(&helper(def))))
            .collect();
        let mut keys = BTreeMap::new();
        let mut helpers = BTreeMap::new();
        for (id, def) in &defs {
            let mut closure = BTreeSet::new();
            let mut todo: Vec<UnitId> = graph.full_deps(id).into_iter().collect();
            while let Some(next) = todo.pop() {
                if &next == id || !closure.insert(next.clone()) {
                    continue;
                }
                if let Some(deps) = helper_deps.get(&next) {
                    todo.extend(deps.iter().cloned());
                }
            }
            let named: Vec<(&UnitId, &String)> = closure
                .iter()
                .filter_map(|h| helper_digest.get(h).map(|d| (h, d)))
                .collect();
            let text = serde_json::to_string(&(id, def, named)).unwrap_or_default();
            keys.insert(id.clone(), cache::key(&(&context, text)));
            helpers.insert(id.clone(), closure);
        }
        Plan {
            context,
            defs,
            keys,
            helpers,
        }
    }

    /// The catalog to build so that `targets` can be read back whole: the context of
    /// `catalog`, the targets whole and their helpers.
    pub fn build_catalog(&self, catalog: &Catalog, targets: &BTreeSet<UnitId>) -> Catalog {
        let mut out = context_only(catalog);
        let mut add = |id: &UnitId, def: UnitDef| match (id, def) {
            (UnitId::Enum(q), UnitDef::Enum(d)) => {
                out.enums.insert(q.clone(), d);
            }
            (UnitId::Table(q), UnitDef::Table(d)) => {
                out.tables.insert(q.clone(), d);
            }
            (UnitId::View(q), UnitDef::View(d)) => {
                out.views.insert(q.clone(), d);
            }
            (UnitId::Function(q), UnitDef::Function(d)) => {
                out.functions.insert(q.clone(), d);
            }
            _ => {}
        };
        let helpers: BTreeSet<&UnitId> = targets
            .iter()
            .filter_map(|t| self.helpers.get(t))
            .flatten()
            .filter(|h| !targets.contains(*h))
            .collect();
        for h in helpers {
            if let Some(def) = self.defs.get(h) {
                add(h, helper(def));
            }
        }
        for t in targets {
            if let Some(def) = self.defs.get(t) {
                add(t, def.clone());
            }
        }
        out
    }
}

fn digest<T: Serialize>(value: &T) -> String {
    cache::key(&serde_json::to_string(value).unwrap_or_default())
}

/// The normalized definitions of `wanted` in `normalized`, a catalog read from a database
/// where they were built; `None` when one is missing (the unit did not come back under
/// its model name: the incremental path cannot hold it).
pub fn take(normalized: &Catalog, wanted: &BTreeSet<UnitId>) -> Option<BTreeMap<UnitId, UnitDef>> {
    let mut out = BTreeMap::new();
    for id in wanted {
        let def = match id {
            UnitId::Enum(q) => UnitDef::Enum(normalized.enums.get(q)?.clone()),
            UnitId::Table(q) => UnitDef::Table(normalized.tables.get(q)?.clone()),
            UnitId::View(q) => UnitDef::View(normalized.views.get(q)?.clone()),
            UnitId::Function(q) => UnitDef::Function(normalized.functions.get(q)?.clone()),
        };
        out.insert(id.clone(), def);
    }
    Some(out)
}

/// The context part of a normalized catalog.
pub fn context_of(normalized: &Catalog) -> Context {
    Context {
        database: normalized.database.clone(),
        extensions: normalized.extensions.clone(),
        schemas: normalized.schemas.clone(),
        protected_roles: normalized.protected_roles.clone(),
    }
}

/// A normalized catalog from its context and its units.
pub fn compose<'a>(
    context: &Context,
    units: impl IntoIterator<Item = (&'a UnitId, &'a UnitDef)>,
) -> Catalog {
    let mut out = Catalog {
        database: context.database.clone(),
        extensions: context.extensions.clone(),
        schemas: context.schemas.clone(),
        protected_roles: context.protected_roles.clone(),
        ..Catalog::default()
    };
    for (id, def) in units {
        match (id, def.clone()) {
            (UnitId::Enum(q), UnitDef::Enum(d)) => {
                out.enums.insert(q.clone(), d);
            }
            (UnitId::Table(q), UnitDef::Table(d)) => {
                out.tables.insert(q.clone(), d);
            }
            (UnitId::View(q), UnitDef::View(d)) => {
                out.views.insert(q.clone(), d);
            }
            (UnitId::Function(q), UnitDef::Function(d)) => {
                out.functions.insert(q.clone(), d);
            }
            _ => {}
        }
    }
    out
}

/// Whether `normalized` holds exactly the units of `model` (by kind and name): else a
/// normalized catalog cannot be put together from units.
pub fn same_units(model: &Catalog, normalized: &Catalog) -> bool {
    model.enums.keys().eq(normalized.enums.keys())
        && model.tables.keys().eq(normalized.tables.keys())
        && model.views.keys().eq(normalized.views.keys())
        && model.functions.keys().eq(normalized.functions.keys())
}
