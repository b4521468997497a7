//! The YAML model: the serde types behind `schema.yaml`.
//!
//! These types are the format's single definition. The JSON Schema in `docs/schema.json`
//! is derived from them (`schemactl json-schema`), and the loader checks a document
//! against that schema before deserializing, so every structural mistake is reported at
//! once with its line and column. Names are map keys so that YAML order is kept (column
//! order matters) and duplicates are caught by the loader.

pub mod access;
mod aggregate;
mod composite;
pub mod diag;
mod domain;
mod exclusion;
pub mod fleet;
mod include;
pub mod limits;
pub mod load;
mod overloads;
pub mod owner;
pub mod partitions;
mod routine;
mod sequence;
mod table;
pub mod types;
pub mod unmanaged;
pub mod validate;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use access::{AccessTest, Denial, Expectation};
pub use aggregate::Aggregate;
pub use composite::{Attribute, CompositeType};
pub use domain::Domain;
pub use exclusion::{Exclusion, ExclusionElement};
pub use overloads::Overloads;
pub use routine::{
    ArgMode, Function, FunctionArg, MaterializedView, ParallelSafety, Procedure, Trigger,
    TriggerEvent, TriggerLevel, TriggerTiming, View, Volatility,
};
pub use sequence::{IdentityOptions, Sequence, SequenceOptions, SequenceType};
pub use table::{
    Check, CitusTable, Column, FkAction, ForeignKey, GeneratePartitions, Identity, Index,
    IndexColumn, IndexColumnSpec, IndexMethod, NullsOrder, PartitionBound, PartitionBy,
    PartitionInterval, Partitions, Policy, PolicyCommand, References, RowLevelSecurity, SeedRows,
    SortOrder, Table, UniqueConstraint,
};
pub use unmanaged::{Unmanaged, UnmanagedKind};

/// A whole database: the root of `schema.yaml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Files (relative to this one) whose roles, schemas, extensions and unmanaged entries
    /// belong to the model; a name may be defined in one file only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// The database itself: name, owner, encoding and the target engine.
    pub database: Database,
    /// Extensions to create (`CREATE EXTENSION IF NOT EXISTS`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<String>,
    /// Cluster-wide roles, keyed by role name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub roles: IndexMap<String, Role>,
    /// PostgreSQL schemas (namespaces), keyed by schema name.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub schemas: IndexMap<String, Schema>,
    /// What the database holds in these schemas that the model cannot express, left to
    /// the database: plans report these as known and never drop or change them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmanaged: Vec<Unmanaged>,
    /// Expectations about what roles may see and do, run by `schemactl test` in a
    /// throwaway database with the seed rows (besides the ones it derives from the
    /// policies and grants).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_tests: Vec<AccessTest>,
}

/// The engine a model targets.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    #[default]
    Postgres,
    Sqlite,
    // DuckDB: a database file (`duckdb://FILE`); `validate::duckdb` says what it hosts.
    Duckdb,
}

/// Which cluster roles a model manages.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RoleManagement {
    /// Roles declared under `roles:` are created and altered; no other role is ever
    /// altered or dropped, even one the model declared before.
    #[default]
    Declared,
    /// The model owns the cluster's roles: a role it does not declare is dropped, except
    /// `pg_*` roles, the bootstrap superuser and the role the tool connects as.
    Exclusive,
}

impl RoleManagement {
    pub fn is_declared(&self) -> bool {
        *self == RoleManagement::Declared
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// Database name; the default for `provision [DATABASE]`.
    pub name: String,
    /// Role that owns the database. Must be declared under `roles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Server encoding, e.g. `UTF8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// `LC_COLLATE` / `LC_CTYPE` locale, e.g. `C.UTF-8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Engine the model targets: `postgres` (default), `sqlite` or `duckdb`.
    #[serde(default)]
    pub target: Target,
    /// Which roles the model manages: only those it declares (default), or every role of
    /// the cluster (`exclusive`: undeclared roles are dropped).
    #[serde(default, skip_serializing_if = "RoleManagement::is_declared")]
    pub role_management: RoleManagement,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A cluster role. Passwords are never written in the model: only the name of the
/// environment variable that holds one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// `LOGIN` (a user) or `NOLOGIN` (a group).
    #[serde(default)]
    pub login: bool,
    /// `INHERIT` (default true).
    #[serde(default = "yes")]
    pub inherit: bool,
    #[serde(default)]
    pub createdb: bool,
    #[serde(default)]
    pub createrole: bool,
    /// `BYPASSRLS`.
    #[serde(default)]
    pub bypassrls: bool,
    /// `CONNECTION LIMIT`; -1 (the default) means no limit.
    #[serde(default = "no_limit")]
    pub connection_limit: i32,
    /// Roles this role is a member of (`GRANT parent TO this`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_of: Vec<String>,
    /// Name of the environment variable holding the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_env: Option<String>,
    /// Never allowed: present only so that the validator can refuse it with a clear message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        description = "Not allowed: put the password in an environment variable and name it in `password_env`."
    )]
    pub password: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Role that owns the schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges on the schema itself (`usage`, `create`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// `ALTER DEFAULT PRIVILEGES … IN SCHEMA` for objects created later.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_privileges: Vec<DefaultPrivilege>,
    /// Enum types: name → labels in order (or the long form with a comment).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub enums: IndexMap<String, EnumType>,
    /// Domains (`CREATE DOMAIN`): a base type with a default, NOT NULL and checks.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub domains: IndexMap<String, Domain>,
    /// Composite types (`CREATE TYPE … AS (…)`): named attributes with their types.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub composite_types: IndexMap<String, CompositeType>,
    /// Standalone sequences (`CREATE SEQUENCE`), keyed by name; serial and identity
    /// columns make their own.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub sequences: IndexMap<String, Sequence>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tables: IndexMap<String, Table>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub views: IndexMap<String, View>,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub materialized_views: IndexMap<String, MaterializedView>,
    /// Functions, by name: one function, or a list of overloads (one name, other
    /// argument types).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub functions: IndexMap<String, Overloads<Function>>,
    /// Procedures (`CALL name(…)`), by name: one, or a list of overloads. A function,
    /// procedure or aggregate of a schema is identified by its name and argument types:
    /// no two may have both alike.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub procedures: IndexMap<String, Overloads<Procedure>>,
    /// Aggregates (`CREATE AGGREGATE`): a state type folded by the model's functions. By
    /// name: one, or a list of overloads.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub aggregates: IndexMap<String, Overloads<Aggregate>>,
    /// Citus schema-based sharding: `distributed: true` makes every table of the schema a
    /// single-shard table of one colocation group (`citus_schema_distribute`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citus: Option<CitusSchema>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CitusSchema {
    /// Distribute the schema (`citus_schema_distribute`).
    #[serde(default)]
    pub distributed: bool,
}

/// An enum: either a plain list of labels or `{ values: [...], comment: ... }`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub enum EnumType {
    Labels(Vec<String>),
    Full(EnumSpec),
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnumSpec {
    pub values: Vec<String>,
    /// The role that owns the type (`ALTER … OWNER TO`); the database owner, which
    /// provisioning creates everything as, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl EnumType {
    pub fn values(&self) -> &[String] {
        match self {
            EnumType::Labels(v) => v,
            EnumType::Full(spec) => &spec.values,
        }
    }
    pub fn comment(&self) -> Option<&str> {
        match self {
            EnumType::Labels(_) => None,
            EnumType::Full(spec) => spec.comment.as_deref(),
        }
    }
    pub fn owner(&self) -> Option<&str> {
        match self {
            EnumType::Labels(_) => None,
            EnumType::Full(spec) => spec.owner.as_deref(),
        }
    }
}

/// A privilege grant on the object it is declared under.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Grantee roles; `public` means PUBLIC.
    pub to: Vec<String>,
    /// Privileges, lower case: select, insert, update, delete, truncate, references,
    /// trigger, usage, create, execute, or `all`.
    pub privileges: Vec<Privilege>,
    /// Restrict a table grant to these columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    #[serde(default)]
    pub with_grant_option: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DefaultPrivilege {
    /// The role whose future objects are covered (`FOR ROLE`); defaults to the schema owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_role: Option<String>,
    /// Object kind: tables, sequences, functions or types.
    pub on: DefaultPrivilegeObject,
    pub to: Vec<String>,
    pub privileges: Vec<Privilege>,
}

#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum DefaultPrivilegeObject {
    Tables,
    Sequences,
    Functions,
    Types,
}

#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum Privilege {
    All,
    Select,
    Insert,
    Update,
    Delete,
    Truncate,
    References,
    Trigger,
    Usage,
    Create,
    Execute,
    Maintain,
}

impl Privilege {
    pub fn sql(self) -> &'static str {
        match self {
            Privilege::All => "ALL",
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
            Privilege::Maintain => "MAINTAIN",
        }
    }
}

fn yes() -> bool {
    true
}

fn no_limit() -> i32 {
    -1
}

impl Model {
    /// The domain `name` (schema-qualified or in `schema_name`), if the model declares one.
    pub fn domain(&self, schema_name: &str, ty: &types::SqlType) -> Option<(&str, &Domain)> {
        let types::SqlType::Named { schema, name } = ty else {
            return None;
        };
        let schema = schema.as_deref().unwrap_or(schema_name);
        let (schema, found) = self.schemas.get_key_value(schema)?;
        found.domains.get(name).map(|d| (schema.as_str(), d))
    }

    /// `ty` with domains replaced by their base types (arrays keep their shape): what the
    /// values are stored as, for code generation and fake data. A domain chain longer
    /// than the model could hold (a cycle, which validation reports) stops where it is.
    pub fn base_type(&self, schema_name: &str, ty: &types::SqlType) -> types::SqlType {
        let mut schema = schema_name.to_string();
        let mut current = ty.clone();
        for _ in 0..=self
            .schemas
            .values()
            .map(|s| s.domains.len())
            .sum::<usize>()
        {
            match current {
                types::SqlType::Array(inner) => {
                    return types::SqlType::Array(Box::new(self.base_type(&schema, &inner)));
                }
                ref named => {
                    let Some((domain_schema, domain)) = self.domain(&schema, named) else {
                        // An enum named from another schema's domain: qualified by that schema.
                        return match current {
                            types::SqlType::Named { schema: None, name }
                                if schema != schema_name =>
                            {
                                types::SqlType::Named {
                                    schema: Some(schema),
                                    name,
                                }
                            }
                            other => other,
                        };
                    };
                    let Ok(base) = types::SqlType::parse(&domain.ty) else {
                        return current;
                    };
                    schema = domain_schema.to_string();
                    current = base;
                }
            }
        }
        current
    }

    /// The JSON Schema of the format, as written to `docs/schema.json`.
    pub fn json_schema() -> serde_json::Value {
        let schema = schemars::schema_for!(Model);
        serde_json::to_value(schema).unwrap_or_default()
    }
}
