//! Tables and everything that hangs off one: columns, keys, indexes, partitions,
//! row-level security, triggers, grants and seed rows.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Grant, Trigger};

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The role that owns the table; its partitions, indexes and serial or identity sequences
    /// follow it (`ALTER … OWNER TO`); the database owner, which
    /// provisioning creates everything as, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The table's previous name, so that a rename is planned instead of drop and create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Columns in table order.
    pub columns: IndexMap<String, Column>,
    /// A composite primary key. For a single column, `primary_key: true` on the column.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key: Vec<String>,
    /// Name of the primary key constraint (default `<table>_pkey`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key_name: Option<String>,
    /// The primary key is `DEFERRABLE`: a transaction may check it at commit
    /// (`SET CONSTRAINTS … DEFERRED`). No foreign key can reference a deferrable key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub primary_key_deferrable: bool,
    /// The primary key is checked at commit unless a transaction asks otherwise
    /// (`INITIALLY DEFERRED`, needs `primary_key_deferrable`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub primary_key_initially_deferred: bool,
    /// Covering columns of the primary key's index (`INCLUDE`): stored in the index,
    /// not part of the key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_key_include: Vec<String>,
    /// Storage parameters of the primary key's index (`WITH (fillfactor = 90)`).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub primary_key_with: IndexMap<String, serde_json::Value>,
    /// Unique constraints: name → columns (or the long form).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub unique: IndexMap<String, UniqueConstraint>,
    /// Check constraints: name → boolean SQL expression.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub checks: IndexMap<String, Check>,
    /// Exclusion constraints: name → definition. No two rows may match on every element
    /// (e.g. two bookings of one room over overlapping times).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub exclusions: IndexMap<String, crate::Exclusion>,
    /// Foreign keys over one or more columns: name → definition. Single-column keys can
    /// also be written as `references` on the column.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub foreign_keys: IndexMap<String, ForeignKey>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub indexes: IndexMap<String, Index>,
    /// Declarative partitioning key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<PartitionBy>,
    /// The partitions of a partitioned table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitions: Option<Partitions>,
    /// `UNLOGGED`: rows are not written to the write-ahead log (faster writes; the table
    /// is emptied after a crash and not replicated). Not for partitioned tables.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlogged: bool,
    /// Storage parameters (`WITH (fillfactor = 70, autovacuum_enabled = false)`): name →
    /// value; the TOAST table's as `toast.<name>`. Not for partitioned tables.
    #[serde(default, rename = "with", skip_serializing_if = "IndexMap::is_empty")]
    pub with_params: IndexMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_level_security: Option<RowLevelSecurity>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub triggers: IndexMap<String, Trigger>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// Rows that `provision` and `seed` upsert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<SeedRows>,
    /// Citus: how the table is spread over the cluster's nodes (needs the `citus`
    /// extension; see the model reference's Citus section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citus: Option<CitusTable>,
}

/// A Citus table: distributed by a column (hash), or a reference table copied to every
/// node. Exactly one of `distribute_by` and `reference`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CitusTable {
    /// The distribution column: `create_distributed_table(table, column)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribute_by: Option<String>,
    /// Another distributed table (of this schema, or `schema.table`) whose shards this
    /// table's shards sit beside. Without it the table gets a colocation group of its own
    /// (`colocate_with => 'none'`), so that colocation is always what the model says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colocate_with: Option<String>,
    /// Number of shards (`shard_count`); the cluster's `citus.shard_count` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_count: Option<u32>,
    /// A reference table: `create_reference_table(table)`, a full copy on every node.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// SQL type: bigint, integer, smallint, serial, bigserial, text, varchar(n), boolean,
    /// numeric(p,s), real, double precision, date, timestamp, timestamptz, uuid, json,
    /// jsonb, vector(n), tsvector, inet, bytea, an enum of the model, or any of these
    /// followed by `[]`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether NULL is allowed. Defaults to true, and to false for key columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nullable: Option<bool>,
    /// Default: a SQL expression such as `now()`, `gen_random_uuid()` or `'pending'`.
    /// YAML numbers and booleans are taken as literals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// Stored generated column: the SQL expression it is computed from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// `COLLATE`: a collation other than the type's default, e.g. `C`, `und-x-icu`, or
    /// `schema.name` for one of the database's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Identity column: `always` or `by_default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Options of the identity column's sequence (`START WITH`, `INCREMENT BY`, …), in
    /// the column's type. Needs `identity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_options: Option<crate::IdentityOptions>,
    /// This column alone is the primary key.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub primary_key: bool,
    /// A single-column unique constraint (`<table>_<column>_key`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// A single-column check (`<table>_<column>_check`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// A single-column foreign key (`<table>_<column>_fkey`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<References>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The column's previous name, so that a rename is planned instead of drop and add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Expression converting the old value when the type changes (`ALTER … TYPE … USING`);
    /// it names the column by its new name (a rename runs first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    Always,
    ByDefault,
}

/// The target of a foreign key.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct References {
    /// Schema of the referenced table; defaults to the referencing table's schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub table: String,
    /// Referenced column; defaults to the referenced table's single-column primary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<FkAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<FkAction>,
    /// Constraint name; defaults to `<table>_<column>_fkey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`: checked at commit unless a transaction asks otherwise
    /// (needs `deferrable`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub initially_deferred: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl Table {
    /// The primary key columns, from either form (`primary_key: [..]` on the table, or
    /// `primary_key: true` on columns).
    pub fn primary_key_columns(&self) -> Vec<String> {
        if self.primary_key.is_empty() {
            self.columns
                .iter()
                .filter(|(_, c)| c.primary_key)
                .map(|(n, _)| n.clone())
                .collect()
        } else {
            self.primary_key.clone()
        }
    }
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    /// Referenced table (`schema.table` or `table`).
    pub references: String,
    /// Referenced columns; default: the referenced table's primary key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referenced_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_delete: Option<FkAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<FkAction>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`: checked at commit unless a transaction asks otherwise
    /// (needs `deferrable`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub initially_deferred: bool,
}

/// A unique constraint: a list of columns, or the long form.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub enum UniqueConstraint {
    Columns(Vec<String>),
    Full {
        columns: Vec<String>,
        /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        nulls_not_distinct: bool,
        /// `DEFERRABLE`: a transaction may check it at commit. No foreign key can
        /// reference a deferrable constraint.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        deferrable: bool,
        /// `INITIALLY DEFERRED` (needs `deferrable`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        initially_deferred: bool,
        /// Covering columns of the constraint's index (`INCLUDE`): stored in the index,
        /// not compared.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        include: Vec<String>,
        /// Storage parameters of the constraint's index (`WITH (fillfactor = 90)`).
        #[serde(default, rename = "with", skip_serializing_if = "IndexMap::is_empty")]
        with_params: IndexMap<String, serde_json::Value>,
    },
}

impl UniqueConstraint {
    /// Covering columns of the constraint's index.
    pub fn include(&self) -> &[String] {
        match self {
            UniqueConstraint::Columns(_) => &[],
            UniqueConstraint::Full { include, .. } => include,
        }
    }
    /// Storage parameters of the constraint's index.
    pub fn with_params(&self) -> Option<&IndexMap<String, serde_json::Value>> {
        match self {
            UniqueConstraint::Columns(_) => None,
            UniqueConstraint::Full { with_params, .. } => Some(with_params),
        }
    }
    pub fn columns(&self) -> &[String] {
        match self {
            UniqueConstraint::Columns(c) => c,
            UniqueConstraint::Full { columns, .. } => columns,
        }
    }
    pub fn deferrable(&self) -> bool {
        matches!(
            self,
            UniqueConstraint::Full {
                deferrable: true,
                ..
            }
        )
    }
    pub fn initially_deferred(&self) -> bool {
        matches!(
            self,
            UniqueConstraint::Full {
                initially_deferred: true,
                ..
            }
        )
    }
    pub fn nulls_not_distinct(&self) -> bool {
        matches!(
            self,
            UniqueConstraint::Full {
                nulls_not_distinct: true,
                ..
            }
        )
    }
}

/// A check constraint: an expression, or the long form.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub enum Check {
    Expression(String),
    Full {
        expression: String,
        /// `NO INHERIT`.
        #[serde(default)]
        no_inherit: bool,
    },
}

impl Check {
    pub fn expression(&self) -> &str {
        match self {
            Check::Expression(e) => e,
            Check::Full { expression, .. } => expression,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Access method; default `btree`.
    #[serde(default)]
    pub using: IndexMethod,
    /// Key columns or expressions, in order.
    pub columns: Vec<IndexColumn>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// Partial index predicate (`WHERE`).
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Covering columns (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Storage parameters (`WITH (m = 16, ef_construction = 64)`).
    #[serde(default, rename = "with", skip_serializing_if = "IndexMap::is_empty")]
    pub with_params: IndexMap<String, serde_json::Value>,
    /// `NULLS NOT DISTINCT` for unique indexes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nulls_not_distinct: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IndexMethod {
    #[default]
    Btree,
    Hash,
    Gin,
    Gist,
    Spgist,
    Brin,
    Hnsw,
    Ivfflat,
}

impl IndexMethod {
    pub fn sql(self) -> &'static str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Spgist => "spgist",
            IndexMethod::Brin => "brin",
            IndexMethod::Hnsw => "hnsw",
            IndexMethod::Ivfflat => "ivfflat",
        }
    }
}

/// An index key: a column name, or the long form with an expression, operator class,
/// order and nulls placement.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub enum IndexColumn {
    Name(String),
    Spec(IndexColumnSpec),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndexColumnSpec {
    /// A column of the table. Exactly one of `column` and `expression`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// A SQL expression, e.g. `to_tsvector('english', title)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Operator class, e.g. `vector_cosine_ops`, `jsonb_path_ops`, `gin_trgm_ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls: Option<NullsOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collate: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum NullsOrder {
    First,
    Last,
}

impl IndexColumn {
    pub fn spec(&self) -> IndexColumnSpec {
        match self {
            IndexColumn::Name(n) => IndexColumnSpec {
                column: Some(n.clone()),
                ..Default::default()
            },
            IndexColumn::Spec(s) => s.clone(),
        }
    }
}

/// `PARTITION BY RANGE|LIST|HASH (columns)`: exactly one key.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum PartitionBy {
    Range(Vec<String>),
    List(Vec<String>),
    Hash(Vec<String>),
}

impl PartitionBy {
    pub fn columns(&self) -> &[String] {
        match self {
            PartitionBy::Range(c) | PartitionBy::List(c) | PartitionBy::Hash(c) => c,
        }
    }
    pub fn strategy(&self) -> &'static str {
        match self {
            PartitionBy::Range(_) => "RANGE",
            PartitionBy::List(_) => "LIST",
            PartitionBy::Hash(_) => "HASH",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Partitions {
    /// Create `<table>_default` for rows no other partition takes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    /// Range partitions generated at regular intervals (range partitioning on one
    /// date or timestamp column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<GeneratePartitions>,
    /// Partitions listed one by one: name → bound.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub named: IndexMap<String, PartitionBound>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GeneratePartitions {
    pub every: PartitionInterval,
    /// First period: `YYYY-MM` for months, `YYYY-MM-DD` for days and weeks, `YYYY` for years.
    pub from: String,
    /// How many partitions.
    pub count: u32,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PartitionInterval {
    Day,
    Week,
    Month,
    Year,
}

/// The bound of one partition: `{from, to}` for range, `{in}` for list,
/// `{modulus, remainder}` for hash. Values are SQL literals or MINVALUE/MAXVALUE.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub enum PartitionBound {
    Range {
        from: Vec<serde_json::Value>,
        to: Vec<serde_json::Value>,
    },
    List {
        #[serde(rename = "in")]
        values: Vec<serde_json::Value>,
    },
    Hash {
        modulus: u32,
        remainder: u32,
    },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RowLevelSecurity {
    /// `ENABLE ROW LEVEL SECURITY` (default true when this block is present).
    #[serde(default = "super::yes")]
    pub enabled: bool,
    /// `FORCE ROW LEVEL SECURITY`: the owner is subject to the policies too.
    #[serde(default)]
    pub force: bool,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub policies: IndexMap<String, Policy>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// all (default), select, insert, update or delete.
    #[serde(default)]
    pub command: PolicyCommand,
    /// Roles the policy applies to; default PUBLIC.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// `USING` expression: which existing rows are visible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// `WITH CHECK` expression: which new rows are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// Permissive (default) or restrictive.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restrictive: bool,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PolicyCommand {
    #[default]
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    pub fn sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

/// Rows declared in the model, upserted on `key` (default: the primary key).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeedRows {
    /// Columns identifying a row for the upsert: the primary key or a unique key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key: Vec<String>,
    /// Rows: column → value. Strings are literals; `{ sql: "now()" }` is an expression;
    /// objects and arrays are JSON for json/jsonb columns.
    pub rows: Vec<IndexMap<String, serde_json::Value>>,
}
