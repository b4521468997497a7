//! The model's catalog cut into units that normalize independently, and the key of each
//! unit's normalized form.
//!
//! A unit is an enum, a domain, a composite type, a table (with its constraints, indexes, partitions, policies,
//! triggers, grants and comments), a view or a function. What the server makes of a unit
//! (its deparsed defaults, checks, predicates, bodies) depends on the unit's own text, on
//! the database-wide context (extensions, schemas with their default privileges, the
//! database owner) and on the objects it names. To normalize a unit, schemactl creates it
//! together with *helpers* for what it names, in the unit's own schema names:
//! - a table it names (a foreign key target, a table a view or policy reads) as its
//!   *shape*: columns with their types, primary key and unique constraints, nothing else;
//! - a view or a function it names, whole, with what they name in turn;
//! - an enum, a domain or a composite type, whole.
//!
//! So the key of a unit is a hash of the context, of the unit's own catalog definition and
//! of the helper definitions of everything it names, transitively. Names are found by
//! `schemactl_core::deps`' lexical scan, which over-approximates: at worst a unit is
//! rebuilt when it need not be.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::cache;
use crate::catalog::{
    Catalog, CompositeTypeDef, DatabaseDef, DomainDef, EnumDef, FunctionDef, QName, RoutineId,
    SchemaDef, SequenceDef, TableDef, ViewDef,
};
use schemactl_core::deps::references;

/// One unit of normalization.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitId {
    Enum(QName),
    Domain(QName),
    Composite(QName),
    Table(QName),
    View(QName),
    Function(RoutineId),
}

/// `table app.users`, `function app.area(app.circle)`.
impl std::fmt::Display for UnitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnitId::Enum(q) => write!(f, "enum {q}"),
            UnitId::Domain(q) => write!(f, "domain {q}"),
            UnitId::Composite(q) => write!(f, "composite type {q}"),
            UnitId::Table(q) => write!(f, "table {q}"),
            UnitId::View(q) => write!(f, "view {q}"),
            UnitId::Function(id) => write!(f, "routine {id}"),
        }
    }
}

/// A unit's definition (model or normalized). Most units are tables: boxing them would
/// add an allocation per unit and save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum UnitDef {
    Enum(EnumDef),
    Domain(DomainDef),
    Composite(CompositeTypeDef),
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
    for (q, d) in &catalog.domains {
        out.insert(UnitId::Domain(q.clone()), UnitDef::Domain(d.clone()));
    }
    for (q, d) in &catalog.composite_types {
        out.insert(UnitId::Composite(q.clone()), UnitDef::Composite(d.clone()));
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

/// `catalog` without its units: the context a workspace database holds. Sequences are
/// part of it, bare (no owner, comment or grants): a default or a body may call one, in a
/// string literal the dependency scan does not read. Their definitions need no server to
/// normalize (every option is a number the catalog already holds explicitly), so the
/// normalized catalog takes them from the model's ([`with_sequences`]).
pub fn context_only(catalog: &Catalog) -> Catalog {
    let bare = |s: &SequenceDef| SequenceDef {
        owned_by: None,
        comment: None,
        grants: Vec::new(),
        ..s.clone()
    };
    Catalog {
        database: catalog.database.clone(),
        roles: catalog.roles.clone(),
        extensions: catalog.extensions.clone(),
        schemas: catalog.schemas.clone(),
        sequences: catalog
            .sequences
            .iter()
            .map(|(q, s)| (q.clone(), bare(s)))
            .collect(),
        ..Catalog::default()
    }
}

/// `normalized` with the model's sequences (see [`context_only`]).
pub fn with_sequences(mut normalized: Catalog, model: &Catalog) -> Catalog {
    normalized.sequences = model.sequences.clone();
    normalized
}

/// The key of the context: the database-wide part of the model, the role names (grants
/// and policies name them), the sequences' names (what other units can see of them) and
/// `scope` (the server).
pub fn context_key(catalog: &Catalog, scope: &str) -> String {
    let context = (
        &catalog.database,
        &catalog.extensions,
        &catalog.schemas,
        catalog.roles.keys().collect::<Vec<_>>(),
        catalog.sequences.keys().collect::<Vec<_>>(),
    );
    cache::key_of(&(scope, "context"), &context)
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
                for (id, _) in self.catalog.routines_named(&q) {
                    out.insert(UnitId::Function(id.clone()));
                }
                if self.catalog.enums.contains_key(&q) {
                    out.insert(UnitId::Enum(q.clone()));
                }
                if self.catalog.domains.contains_key(&q) {
                    out.insert(UnitId::Domain(q.clone()));
                }
                if self.catalog.composite_types.contains_key(&q) {
                    out.insert(UnitId::Composite(q));
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
            UnitId::Domain(_) | UnitId::Composite(_) => return self.helper_deps(id),
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

    /// What the unit's helper names: a table's shape its column types; domains, views
    /// and functions are helpers whole.
    fn helper_deps(&self, id: &UnitId) -> BTreeSet<UnitId> {
        let mut out = BTreeSet::new();
        match id {
            UnitId::Enum(_) => {}
            UnitId::Domain(q) => {
                if let Some(d) = self.catalog.domains.get(q) {
                    self.resolve(&q.schema, &d.referencing_text(), &mut out);
                }
            }
            UnitId::Composite(q) => {
                if let Some(c) = self.catalog.composite_types.get(q) {
                    self.resolve(&q.schema, &c.type_text(), &mut out);
                }
            }
            UnitId::Table(q) => {
                if let Some(t) = self.catalog.tables.get(q) {
                    self.resolve(&q.schema, &t.column_type_text(), &mut out);
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
            UnitId::Function(id) => {
                let q = &id.name;
                if let Some(f) = self.catalog.functions.get(id) {
                    let mut text = format!("{} {} ", f.signature_text(), f.body);
                    for a in &f.args {
                        text.push_str(a.default.as_deref().unwrap_or_default());
                        text.push(' ');
                    }
                    self.resolve(&q.schema, &text, &mut out);
                    for d in f.named_dependencies() {
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
    for x in &t.exclusions {
        for k in &x.keys {
            if let crate::catalog::IndexKeyDef::Expression { sql, .. } = k {
                add(sql);
            }
        }
        add(x.predicate.as_deref().unwrap_or_default());
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
        UnitDef::Domain(d) => UnitDef::Domain(DomainDef {
            comment: None,
            ..d.clone()
        }),
        UnitDef::Composite(c) => UnitDef::Composite(CompositeTypeDef {
            comment: None,
            ..c.clone()
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
        let units: Vec<(&UnitId, &UnitDef)> = defs.iter().collect();
        // Dependency scans and hashes of every unit: a third of a second at 10,000
        // tables on one core, so spread over the cores.
        let helper_deps: BTreeMap<&UnitId, BTreeSet<UnitId>> = units
            .iter()
            .map(|(id, _)| *id)
            .zip(par_map(&units, |(id, _)| graph.helper_deps(id)))
            .collect();
        let helper_digest: BTreeMap<&UnitId, String> = units
            .iter()
            .map(|(id, _)| *id)
            .zip(par_map(&units, |(_, def)| digest(&helper(def))))
            .collect();
        let keyed = par_map(&units, |(id, def)| {
            let mut closure = BTreeSet::new();
            let mut todo: Vec<UnitId> = graph.full_deps(id).into_iter().collect();
            while let Some(next) = todo.pop() {
                if &next == *id || !closure.insert(next.clone()) {
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
            (cache::key_of(&context, &(id, def, named)), closure)
        });
        let mut keys = BTreeMap::new();
        let mut helpers = BTreeMap::new();
        for ((id, _), (key, closure)) in units.iter().zip(keyed) {
            keys.insert((*id).clone(), key);
            helpers.insert((*id).clone(), closure);
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
        let helpers: BTreeSet<&UnitId> = targets
            .iter()
            .filter_map(|t| self.helpers.get(t))
            .flatten()
            .filter(|h| !targets.contains(*h))
            .collect();
        for h in helpers {
            if let Some(def) = self.defs.get(h) {
                insert_unit(&mut out, h, helper(def));
            }
        }
        for t in targets {
            if let Some(def) = self.defs.get(t) {
                insert_unit(&mut out, t, def.clone());
            }
        }
        out
    }
}

impl Plan {
    /// `targets` in groups whose builds (the targets whole, their helpers) take at most
    /// about `locks` relation locks each; a unit heavier than that goes alone.
    pub fn batches(&self, targets: &BTreeSet<UnitId>, locks: usize) -> Vec<BTreeSet<UnitId>> {
        let mut out = Vec::new();
        let mut batch = BTreeSet::new();
        let mut helpers: BTreeSet<&UnitId> = BTreeSet::new();
        let mut weight = 0;
        for id in targets {
            let Some(def) = self.defs.get(id) else {
                continue;
            };
            let mut added = locks_of(def);
            let new_helpers: Vec<&UnitId> = self
                .helpers
                .get(id)
                .into_iter()
                .flatten()
                .filter(|h| !helpers.contains(h))
                .collect();
            for h in &new_helpers {
                added += self.defs.get(*h).map_or(0, |d| locks_of(&helper(d)));
            }
            if !batch.is_empty() && weight + added > locks {
                out.push(std::mem::take(&mut batch));
                helpers.clear();
                weight = 0;
                // Counted again against the new batch, whose helpers start empty.
                added = locks_of(def)
                    + self
                        .helpers
                        .get(id)
                        .into_iter()
                        .flatten()
                        .filter_map(|h| self.defs.get(h))
                        .map(|d| locks_of(&helper(d)))
                        .sum::<usize>();
            }
            helpers.extend(self.helpers.get(id).into_iter().flatten());
            batch.insert(id.clone());
            weight += added;
        }
        if !batch.is_empty() {
            out.push(batch);
        }
        out
    }
}

/// The relation locks creating a unit takes, about: a table, its TOAST table and index,
/// a sequence per identity or serial column, an index per key and index, partitions
/// alike.
fn locks_of(def: &UnitDef) -> usize {
    match def {
        UnitDef::Table(t) => {
            let sequences = t
                .columns
                .iter()
                .filter(|c| c.identity.is_some() || c.serial.is_some())
                .count();
            let indexes = t.indexes.len()
                + t.uniques.len()
                + t.exclusions.len()
                + usize::from(t.primary_key.is_some());
            (3 + sequences + indexes) * (1 + t.partitions.len())
        }
        UnitDef::View(v) => 3 + v.indexes.len(),
        UnitDef::Enum(_) | UnitDef::Domain(_) | UnitDef::Function(_) => 1,
        // A composite type has a relation of its own.
        UnitDef::Composite(_) => 2,
    }
}

/// `f` over `items`, in order, on as many threads as there are cores.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 256 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().expect("a unit-keying thread panicked"))
            .collect()
    })
}

fn digest<T: Serialize>(value: &T) -> String {
    cache::key_of("unit", value)
}

/// The normalized definitions of `wanted` in `normalized`, a catalog read from a database
/// where they were built; `None` when one is missing (the unit did not come back under
/// its model name: the incremental path cannot hold it).
pub fn take(
    normalized: &Catalog,
    wanted: &BTreeSet<UnitId>,
) -> Result<BTreeMap<UnitId, UnitDef>, UnitId> {
    let mut out = BTreeMap::new();
    for id in wanted {
        let missing = || id.clone();
        let def = match id {
            UnitId::Enum(q) => UnitDef::Enum(normalized.enums.get(q).ok_or_else(missing)?.clone()),
            UnitId::Domain(q) => {
                UnitDef::Domain(normalized.domains.get(q).ok_or_else(missing)?.clone())
            }
            UnitId::Composite(q) => UnitDef::Composite(
                normalized
                    .composite_types
                    .get(q)
                    .ok_or_else(missing)?
                    .clone(),
            ),
            UnitId::Table(q) => {
                UnitDef::Table(normalized.tables.get(q).ok_or_else(missing)?.clone())
            }
            UnitId::View(q) => UnitDef::View(normalized.views.get(q).ok_or_else(missing)?.clone()),
            UnitId::Function(q) => {
                UnitDef::Function(normalized.functions.get(q).ok_or_else(missing)?.clone())
            }
        };
        out.insert(id.clone(), def);
    }
    Ok(out)
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
        insert_unit(&mut out, id, def.clone());
    }
    out
}

/// Puts a unit's definition into `catalog` under its id (a mismatched pair is ignored).
fn insert_unit(catalog: &mut Catalog, id: &UnitId, def: UnitDef) {
    match (id, def) {
        (UnitId::Enum(q), UnitDef::Enum(d)) => {
            catalog.enums.insert(q.clone(), d);
        }
        (UnitId::Domain(q), UnitDef::Domain(d)) => {
            catalog.domains.insert(q.clone(), d);
        }
        (UnitId::Composite(q), UnitDef::Composite(d)) => {
            catalog.composite_types.insert(q.clone(), d);
        }
        (UnitId::Table(q), UnitDef::Table(d)) => {
            catalog.tables.insert(q.clone(), d);
        }
        (UnitId::View(q), UnitDef::View(d)) => {
            catalog.views.insert(q.clone(), d);
        }
        (UnitId::Function(q), UnitDef::Function(d)) => {
            catalog.functions.insert(q.clone(), d);
        }
        _ => {}
    }
}

/// Whether `normalized` holds exactly the units of `model` (by kind and name): else a
/// normalized catalog cannot be put together from units.
pub fn same_units(model: &Catalog, normalized: &Catalog) -> bool {
    model.enums.keys().eq(normalized.enums.keys())
        && model.domains.keys().eq(normalized.domains.keys())
        && model
            .composite_types
            .keys()
            .eq(normalized.composite_types.keys())
        && model.tables.keys().eq(normalized.tables.keys())
        && model.views.keys().eq(normalized.views.keys())
        && model.functions.keys().eq(normalized.functions.keys())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ColumnDef, ForeignKeyDef, KeyDef};
    use schemactl_model::FkAction;

    fn table(parent: Option<&str>) -> TableDef {
        let column = |name: &str, ty: &str| ColumnDef {
            name: name.to_string(),
            ty: ty.to_string(),
            serial: None,
            nullable: true,
            default: Some("0".to_string()),
            generated: None,
            identity: None,
            identity_options: None,
            comment: None,
            collation: None,
        };
        TableDef {
            columns: vec![column("id", "bigint"), column("state", "s.mood")],
            primary_key: Some(KeyDef {
                name: "pk".to_string(),
                columns: vec!["id".to_string()],
                deferral: Default::default(),
                index: Default::default(),
            }),
            foreign_keys: parent
                .map(|p| ForeignKeyDef {
                    name: "fk".to_string(),
                    columns: vec!["id".to_string()],
                    references: QName::new("s", p),
                    referenced_columns: vec!["id".to_string()],
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: false,
                    initially_deferred: false,
                })
                .into_iter()
                .collect(),
            ..TableDef::default()
        }
    }

    fn catalog(tables: usize) -> Catalog {
        let mut c = Catalog::default();
        c.enums.insert(
            QName::new("s", "mood"),
            EnumDef {
                owner: None,
                values: vec!["ok".to_string()],
                comment: None,
            },
        );
        for i in 0..tables {
            let parent = (i > 0).then(|| format!("t{}", i - 1));
            c.tables
                .insert(QName::new("s", format!("t{i}")), table(parent.as_deref()));
        }
        c
    }

    #[test]
    fn keys_follow_what_a_unit_names_through_its_helpers() {
        let before = catalog(3);
        let mut after = before.clone();
        // A default is not part of t1's shape: t2 (whose foreign key names t1) keeps its key.
        after
            .tables
            .get_mut(&QName::new("s", "t1"))
            .unwrap()
            .columns[0]
            .default = Some("1".to_string());
        let (a, b) = (Plan::new(&before, "x"), Plan::new(&after, "x"));
        let t = |n: &str| UnitId::Table(QName::new("s", n));
        assert_ne!(a.keys[&t("t1")], b.keys[&t("t1")]);
        assert_eq!(a.keys[&t("t2")], b.keys[&t("t2")]);
        assert_eq!(a.keys[&t("t0")], b.keys[&t("t0")]);
        // A new enum value reaches every table whose column uses it.
        let mut renamed = before.clone();
        renamed
            .enums
            .get_mut(&QName::new("s", "mood"))
            .unwrap()
            .values
            .push("meh".to_string());
        let c = Plan::new(&renamed, "x");
        for n in ["t0", "t1", "t2"] {
            assert_ne!(a.keys[&t(n)], c.keys[&t(n)], "{n}");
        }
        // t2's build needs t1's shape and the enum, not t0.
        let helpers = &a.helpers[&t("t2")];
        assert!(helpers.contains(&t("t1")));
        assert!(helpers.contains(&UnitId::Enum(QName::new("s", "mood"))));
        assert!(!helpers.contains(&t("t0")));
        // Another server, other keys.
        assert_ne!(a.keys[&t("t0")], Plan::new(&before, "y").keys[&t("t0")]);
    }

    #[test]
    fn a_domain_is_a_unit_that_the_tables_using_it_name() {
        let mut before = catalog(2);
        before.domains.insert(
            QName::new("s", "amount"),
            DomainDef {
                base: "numeric(12,2)".to_string(),
                checks: [("positive".to_string(), "VALUE >= 0".to_string())].into(),
                ..DomainDef::default()
            },
        );
        let t = |n: &str| UnitId::Table(QName::new("s", n));
        let domain = UnitId::Domain(QName::new("s", "amount"));
        before
            .tables
            .get_mut(&QName::new("s", "t1"))
            .unwrap()
            .columns[0]
            .ty = "s.amount".to_string();
        let a = Plan::new(&before, "x");
        assert!(a.helpers[&t("t1")].contains(&domain));
        assert!(!a.helpers[&t("t0")].contains(&domain));
        // A new check reaches the table whose column has the domain, not the other.
        let mut after = before.clone();
        after
            .domains
            .get_mut(&QName::new("s", "amount"))
            .unwrap()
            .checks
            .insert("small".to_string(), "VALUE < 10".to_string());
        let b = Plan::new(&after, "x");
        assert_ne!(a.keys[&domain], b.keys[&domain]);
        assert_ne!(a.keys[&t("t1")], b.keys[&t("t1")]);
        assert_eq!(a.keys[&t("t0")], b.keys[&t("t0")]);
        // Its comment is not part of what others see.
        let mut commented = before.clone();
        commented
            .domains
            .get_mut(&QName::new("s", "amount"))
            .unwrap()
            .comment = Some("money".to_string());
        assert_eq!(a.keys[&t("t1")], Plan::new(&commented, "x").keys[&t("t1")]);
    }

    #[test]
    fn batches_cover_every_target_within_the_lock_budget() {
        let c = catalog(500);
        let plan = Plan::new(&c, "x");
        let targets: BTreeSet<UnitId> = plan.keys.keys().cloned().collect();
        let batches = plan.batches(&targets, 300);
        assert!(batches.len() > 1, "{}", batches.len());
        let covered: BTreeSet<UnitId> = batches.iter().flatten().cloned().collect();
        assert_eq!(covered, targets);
        for batch in &batches {
            let built = plan.build_catalog(&c, batch);
            let locks: usize = units(&built).values().map(locks_of).sum();
            assert!(locks <= 300 + 10, "{locks}");
        }
        assert_eq!(plan.batches(&targets, usize::MAX).len(), 1);
    }
}
