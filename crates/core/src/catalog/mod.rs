//! The normalized catalog: what a database contains, independent of how it was described.
//!
//! The model is turned into a `Catalog` here; live introspection will produce the same
//! type, so that diffing compares like with like. Everything is keyed by qualified name
//! in ordered maps so that output is deterministic, and every default the model leaves
//! implicit (constraint names, nullability of key columns, serial storage types) is made
//! explicit.

mod build;
mod owners;
mod routine;
mod tenant;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

pub use build::from_model;
pub use owners::{CatalogKey, OwnedKind, normalize_owners};
pub use routine::{AggregateDef, ArgDef, FunctionDef, RoutineId, RoutineKind, identity_type};

use schemactl_model::partitions::Bound;
use schemactl_model::types::SerialKind;
use schemactl_model::{
    DefaultPrivilegeObject, FkAction, Identity, IndexMethod, NullsOrder, PolicyCommand, Privilege,
    SequenceOptions, SortOrder, TriggerEvent, TriggerLevel, TriggerTiming,
};

/// A schema-qualified name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    pub schema: String,
    pub name: String,
}

impl QName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> QName {
        QName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// Quoted for SQL.
    pub fn sql(&self) -> String {
        crate::sql::qualified(&self.schema, &self.name)
    }

    /// The name a replaced type (enum, domain, composite type) steps aside under while
    /// its successor is created: `<name>__old` in the same schema.
    pub fn aside(&self) -> QName {
        QName::new(&self.schema, format!("{}__old", self.name))
    }
}

/// Serialized as one string, `schema` and `name` joined by the ASCII unit separator: a
/// `QName` keys maps, and JSON map keys are strings.
impl Serialize for QName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{}\u{1f}{}", self.schema, self.name))
    }
}

impl<'de> Deserialize<'de> for QName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<QName, D::Error> {
        let text = String::deserialize(d)?;
        let (schema, name) = text
            .split_once('\u{1f}')
            .ok_or_else(|| serde::de::Error::custom(format!("not a qualified name: {text:?}")))?;
        Ok(QName::new(schema, name))
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub database: DatabaseDef,
    pub roles: BTreeMap<String, RoleDef>,
    pub extensions: Vec<String>,
    pub schemas: BTreeMap<String, SchemaDef>,
    pub enums: BTreeMap<QName, EnumDef>,
    #[serde(default)]
    pub domains: BTreeMap<QName, DomainDef>,
    #[serde(default)]
    pub composite_types: BTreeMap<QName, CompositeTypeDef>,
    /// Standalone sequences; serial and identity columns' sequences are the columns'.
    #[serde(default)]
    pub sequences: BTreeMap<QName, SequenceDef>,
    pub tables: BTreeMap<QName, TableDef>,
    pub views: BTreeMap<QName, ViewDef>,
    /// Functions, procedures and aggregates, by name and input argument types.
    pub functions: BTreeMap<RoutineId, FunctionDef>,
    /// Roles no plan may drop, whatever the model says: the bootstrap superuser
    /// and the role the catalog was read as (filled by describe).
    #[serde(default)]
    pub protected_roles: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatabaseDef {
    pub name: String,
    pub owner: Option<String>,
    pub encoding: Option<String>,
    pub locale: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleDef {
    pub login: bool,
    pub inherit: bool,
    pub createdb: bool,
    pub createrole: bool,
    pub bypassrls: bool,
    pub connection_limit: i32,
    pub member_of: Vec<String>,
    pub password_env: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SchemaDef {
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub grants: Vec<GrantDef>,
    pub default_privileges: Vec<DefaultPrivilegeDef>,
    /// Citus schema-based sharding (`citus_schema_distribute`).
    #[serde(default)]
    pub distributed: bool,
}

/// How Citus spreads a table over the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Distribution {
    /// Hash-distributed by `column`. `colocate_with` is normalized: the first table (by
    /// name) of the table's colocation group for the others, `None` for that first table
    /// and for a table alone in its group. `shard_count`: `None` in a model means any.
    Hash {
        column: String,
        colocate_with: Option<QName>,
        shard_count: Option<u32>,
    },
    /// A reference table: a full copy on every node.
    Reference,
}

impl Distribution {
    /// The same distribution, a shard count of `None` (the model's "any") matching any.
    pub fn matches(&self, desired: &Distribution) -> bool {
        match (self, desired) {
            (
                Distribution::Hash {
                    column,
                    colocate_with,
                    shard_count,
                },
                Distribution::Hash {
                    column: want_column,
                    colocate_with: want_colocate,
                    shard_count: want_shards,
                },
            ) => {
                column == want_column
                    && colocate_with == want_colocate
                    && (want_shards.is_none() || shard_count == want_shards)
            }
            (Distribution::Reference, Distribution::Reference) => true,
            _ => false,
        }
    }
}

/// Sets every hash-distributed table's `colocate_with` to its group's first table (by
/// name), `None` for that table: `groups` maps each table to any key of its group.
pub fn normalize_colocation<K: Ord + Clone>(catalog: &mut Catalog, groups: &BTreeMap<QName, K>) {
    let mut first: BTreeMap<K, QName> = BTreeMap::new();
    for (table, group) in groups {
        first.entry(group.clone()).or_insert_with(|| table.clone());
    }
    for (table, def) in catalog.tables.iter_mut() {
        if let Some(Distribution::Hash { colocate_with, .. }) = &mut def.citus {
            let head = groups.get(table).and_then(|g| first.get(g));
            *colocate_with = head.filter(|h| *h != table).cloned();
        }
    }
}

/// One grantee's privileges on an object (optionally restricted to columns).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GrantDef {
    pub grantee: String,
    pub privileges: Vec<Privilege>,
    pub columns: Vec<String>,
    pub with_grant_option: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DefaultPrivilegeDef {
    pub for_role: Option<String>,
    pub on: DefaultPrivilegeObject,
    pub grantee: String,
    pub privileges: Vec<Privilege>,
}

/// A domain: its base type as SQL (built-ins in PostgreSQL's spelling, model types
/// qualified and quoted), its constraints and its default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainDef {
    /// The role that owns the object; `None`: the database owner.
    #[serde(default)]
    pub owner: Option<String>,
    pub base: String,
    pub not_null: bool,
    pub default: Option<String>,
    pub collation: Option<String>,
    /// Check constraints: name → expression over `VALUE`.
    pub checks: BTreeMap<String, String>,
    pub comment: Option<String>,
}

/// A composite type: its attributes in order, types as SQL (as a column's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompositeTypeDef {
    /// The role that owns the object; `None`: the database owner.
    #[serde(default)]
    pub owner: Option<String>,
    pub attributes: Vec<AttributeDef>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    pub name: String,
    pub ty: String,
    pub collation: Option<String>,
}

impl CompositeTypeDef {
    pub fn attribute(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The attributes' types, for the scan of what the type names.
    pub fn type_text(&self) -> String {
        let types: Vec<&str> = self.attributes.iter().map(|a| a.ty.as_str()).collect();
        types.join(" ")
    }
}

impl DomainDef {
    /// The base type, default and checks: every SQL text that may name another object.
    pub fn referencing_text(&self) -> String {
        let mut text = self.base.clone();
        for e in self.default.iter().chain(self.checks.values()) {
            text.push(' ');
            text.push_str(e);
        }
        text
    }

    /// `ALTER DOMAIN` cannot take the domain from `self` to `next` (another base type or
    /// collation): it is replaced.
    pub fn replaced_by(&self, next: &DomainDef) -> bool {
        self.base != next.base || self.collation != next.collation
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumDef {
    /// The role that owns the object; `None`: the database owner.
    #[serde(default)]
    pub owner: Option<String>,
    pub values: Vec<String>,
    pub comment: Option<String>,
}

/// A standalone sequence, every option explicit (PostgreSQL's defaults filled in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SequenceDef {
    /// The role that owns the object; `None`: the database owner.
    #[serde(default)]
    pub owner: Option<String>,
    pub options: SequenceOptions,
    /// The column (of a table of the sequence's schema) the sequence belongs to.
    pub owned_by: Option<SequenceOwner>,
    pub comment: Option<String>,
    pub grants: Vec<GrantDef>,
}

/// `OWNED BY table.column`: the table is in the sequence's schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SequenceOwner {
    pub table: String,
    pub column: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableDef {
    /// The role that owns the object; `None`: the database owner.
    #[serde(default)]
    pub owner: Option<String>,
    pub columns: Vec<ColumnDef>,
    pub primary_key: Option<KeyDef>,
    pub uniques: Vec<UniqueDef>,
    pub checks: Vec<CheckDef>,
    #[serde(default)]
    pub exclusions: Vec<ExclusionDef>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    pub indexes: Vec<IndexDef>,
    pub partition_by: Option<PartitionKeyDef>,
    pub partitions: Vec<PartitionDef>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub policies: Vec<PolicyDef>,
    pub triggers: Vec<TriggerDef>,
    pub grants: Vec<GrantDef>,
    pub comment: Option<String>,
    pub seed: Option<SeedDef>,
    /// Check and foreign key constraints (by name) added `NOT VALID` and not validated
    /// yet. Only introspection fills it: the model always asks for valid constraints.
    pub not_valid: Vec<String>,
    /// Citus: a distributed or reference table.
    #[serde(default)]
    pub citus: Option<Distribution>,
    /// `UNLOGGED`.
    #[serde(default)]
    pub unlogged: bool,
    /// Storage parameters as SQL (`fillfactor`, `70`), in the model's order; the live
    /// side lists them as PostgreSQL stores them.
    #[serde(default)]
    pub with: Vec<(String, String)>,
}

impl ColumnDef {
    /// The column holds values of the type `q`, or arrays of them.
    pub fn is_of_type(&self, q: &QName) -> bool {
        let name = q.sql();
        self.ty == name || self.ty.strip_suffix("[]") == Some(name.as_str())
    }
}

impl Catalog {
    /// A type as the catalog writes it, with domains replaced by their base types (arrays
    /// keep their brackets): what its values are, for code generation and loading.
    pub fn base_type(&self, ty: &str) -> String {
        let (element, array) = match ty.strip_suffix("[]") {
            Some(element) => (element, "[]"),
            None => (ty, ""),
        };
        let mut current = element.to_string();
        // Bounded: PostgreSQL has no domain cycles, and a catalog built from a model
        // that had one was refused by validation.
        for _ in 0..=self.domains.len() {
            match self.domains.iter().find(|(q, _)| q.sql() == current) {
                Some((_, domain)) => current = domain.base.clone(),
                None => break,
            }
        }
        format!("{current}{array}")
    }

    /// The catalog with every table column's domain type replaced by its base type.
    pub fn with_base_types(&self) -> Catalog {
        let mut out = self.clone();
        if self.domains.is_empty() {
            return out;
        }
        for table in out.tables.values_mut() {
            for column in &mut table.columns {
                column.ty = self.base_type(&column.ty);
            }
        }
        out
    }
}

impl TableDef {
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns' types, for the scan of the types a table uses.
    pub fn column_type_text(&self) -> String {
        let types: Vec<&str> = self.columns.iter().map(|c| c.ty.as_str()).collect();
        types.join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    /// PostgreSQL's spelling of the type (`format_type`), e.g. `character varying(255)`.
    /// For serial columns, the storage type (`integer`).
    pub ty: String,
    /// The model's type: serial columns render as `serial`, enums need their schema.
    pub serial: Option<SerialKind>,
    pub nullable: bool,
    /// SQL expression.
    pub default: Option<String>,
    /// Stored generation expression.
    pub generated: Option<String>,
    pub identity: Option<Identity>,
    /// The identity sequence's options, when any differs from what `AS IDENTITY` alone
    /// gives a column of its type
    /// ([`SequenceOptions::unless_identity_defaults`]).
    #[serde(default)]
    pub identity_options: Option<SequenceOptions>,
    pub comment: Option<String>,
    /// `COLLATE`, when not the type's default: a collation of `pg_catalog` by its name,
    /// another as `schema.name`.
    #[serde(default)]
    pub collation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDef {
    pub name: String,
    pub columns: Vec<String>,
    #[serde(default)]
    pub deferral: Deferral,
    #[serde(default)]
    pub index: KeyIndex,
}

/// What a primary key or unique constraint says about the index that enforces it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyIndex {
    /// Covering columns (`INCLUDE`).
    pub include: Vec<String>,
    /// Storage parameters, rendered values (`90`, `'on'`).
    pub with: Vec<(String, String)>,
}

impl KeyIndex {
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.with.is_empty()
    }
}

/// When PostgreSQL checks a primary key or unique constraint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Deferral {
    /// At each statement (not `DEFERRABLE`).
    #[default]
    Immediate,
    /// `DEFERRABLE INITIALLY IMMEDIATE`: at each statement unless a transaction defers it.
    Deferrable,
    /// `DEFERRABLE INITIALLY DEFERRED`: at commit unless a transaction asks otherwise.
    InitiallyDeferred,
}

impl Deferral {
    pub fn from_flags(deferrable: bool, initially_deferred: bool) -> Deferral {
        match (deferrable, initially_deferred) {
            (_, true) => Deferral::InitiallyDeferred,
            (true, false) => Deferral::Deferrable,
            (false, false) => Deferral::Immediate,
        }
    }

    pub fn deferrable(self) -> bool {
        self != Deferral::Immediate
    }

    /// The clause after the constraint's definition (with a leading space), or nothing.
    pub fn sql(self) -> &'static str {
        match self {
            Deferral::Immediate => "",
            Deferral::Deferrable => " DEFERRABLE",
            Deferral::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueDef {
    pub name: String,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
    #[serde(default)]
    pub deferral: Deferral,
    #[serde(default)]
    pub index: KeyIndex,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckDef {
    pub name: String,
    pub expression: String,
    pub no_inherit: bool,
}

/// `EXCLUDE USING method (element WITH operator, …)`: enforced by an index of the
/// constraint's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionDef {
    pub name: String,
    pub method: IndexMethod,
    /// The index keys, each compared with the operator of the same position.
    pub keys: Vec<IndexKeyDef>,
    /// `=`, `&&`, or `OPERATOR(schema.op)` for one the search path does not see.
    pub operators: Vec<String>,
    pub include: Vec<String>,
    /// Storage parameters of the index, rendered values.
    pub with: Vec<(String, String)>,
    pub predicate: Option<String>,
    pub deferral: Deferral,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKeyDef {
    pub name: String,
    pub columns: Vec<String>,
    pub references: QName,
    pub referenced_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub deferrable: bool,
    #[serde(default)]
    pub initially_deferred: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexDef {
    pub name: String,
    pub method: IndexMethod,
    pub keys: Vec<IndexKeyDef>,
    pub unique: bool,
    pub predicate: Option<String>,
    pub include: Vec<String>,
    /// Storage parameters, rendered values (`16`, `'on'`).
    pub with: Vec<(String, String)>,
    pub nulls_not_distinct: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexKeyDef {
    Column {
        name: String,
        opclass: Option<String>,
        order: Option<SortOrder>,
        nulls: Option<NullsOrder>,
        collate: Option<String>,
    },
    Expression {
        sql: String,
        opclass: Option<String>,
        order: Option<SortOrder>,
        nulls: Option<NullsOrder>,
        collate: Option<String>,
    },
}

impl IndexKeyDef {
    /// The key the model's long form describes (a column when it names one).
    pub fn from_spec(spec: schemactl_model::IndexColumnSpec) -> IndexKeyDef {
        match (spec.column, spec.expression) {
            (Some(column), _) => IndexKeyDef::Column {
                name: column,
                opclass: spec.opclass,
                order: spec.order,
                nulls: spec.nulls,
                collate: spec.collate,
            },
            (None, expression) => IndexKeyDef::Expression {
                sql: expression.unwrap_or_default(),
                opclass: spec.opclass,
                order: spec.order,
                nulls: spec.nulls,
                collate: spec.collate,
            },
        }
    }

    /// The key in the model's long form.
    pub fn spec(&self) -> schemactl_model::IndexColumnSpec {
        let (column, expression, opclass, order, nulls, collate) = match self {
            IndexKeyDef::Column {
                name,
                opclass,
                order,
                nulls,
                collate,
            } => (Some(name.clone()), None, opclass, order, nulls, collate),
            IndexKeyDef::Expression {
                sql,
                opclass,
                order,
                nulls,
                collate,
            } => (None, Some(sql.clone()), opclass, order, nulls, collate),
        };
        schemactl_model::IndexColumnSpec {
            column,
            expression,
            opclass: opclass.clone(),
            order: *order,
            nulls: *nulls,
            collate: collate.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionKeyDef {
    pub strategy: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionDef {
    pub name: String,
    pub bound: Bound,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDef {
    pub name: String,
    pub command: PolicyCommand,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub restrictive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerDef {
    pub name: String,
    pub timing: TriggerTiming,
    pub events: Vec<TriggerEvent>,
    pub update_of: Vec<String>,
    pub level: TriggerLevel,
    /// PostgreSQL: the trigger function the trigger executes.
    pub function: Option<QName>,
    /// SQLite: the trigger program, the statements between BEGIN and END.
    pub body: Option<String>,
    pub args: Vec<String>,
    pub condition: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedDef {
    pub key: Vec<String>,
    pub rows: Vec<Vec<(String, serde_json::Value)>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewDef {
    /// The role that owns the object; `None`: the database owner.
    #[serde(default)]
    pub owner: Option<String>,
    pub materialized: bool,
    pub query: String,
    pub comment: Option<String>,
    pub security_barrier: bool,
    pub security_invoker: bool,
    pub indexes: Vec<IndexDef>,
    pub grants: Vec<GrantDef>,
    pub column_comments: Vec<(String, String)>,
    /// Objects declared in `depends_on`.
    pub declared_deps: Vec<QName>,
}
