//! PostgreSQL rendering: the catalog as an ordered script of steps.
//!
//! Each step carries the object it creates, so that a provisioning run can skip what
//! already exists, and a label for the summary. Order, as constraints require:
//! extensions (as the connecting admin: pgvector is not a trusted extension), then the
//! switch to the database owner so that it owns every object, schemas, enums, then
//! functions, tables (with their partitions) and views in dependency order, then foreign
//! keys (every referenced table exists by then, so YAML order never matters), indexes,
//! triggers, row-level security and policies (functions they call exist), comments and
//! grants ride along with their object.

pub use crate::deps;
pub mod objects;
pub use schemactl_postgres::render::statements;

use serde::Serialize;

use crate::catalog::{Catalog, QName};
use crate::sql;

/// The kind of object a step creates, for existence checks and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Extension,
    Schema,
    Type,
    Function,
    Table,
    Partition,
    View,
    MaterializedView,
    ForeignKey,
    Index,
    Trigger,
    Policy,
}

impl ObjectKind {
    /// Noun for messages and summaries.
    pub fn noun(self) -> &'static str {
        match self {
            ObjectKind::Extension => "extension",
            ObjectKind::Schema => "schema",
            ObjectKind::Type => "type",
            ObjectKind::Function => "function",
            ObjectKind::Table => "table",
            ObjectKind::Partition => "partition",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::ForeignKey => "foreign key",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
        }
    }
}

/// Identifies a database object: kind, schema, name, and for objects that live on a
/// table (foreign keys, triggers, policies) the table's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectKey {
    pub kind: ObjectKind,
    pub schema: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

impl ObjectKey {
    pub fn new(kind: ObjectKind, q: &QName) -> ObjectKey {
        ObjectKey {
            kind,
            schema: q.schema.clone(),
            name: q.name.clone(),
            table: None,
        }
    }

    pub fn on_table(kind: ObjectKind, table: &QName, name: &str) -> ObjectKey {
        ObjectKey {
            kind,
            schema: table.schema.clone(),
            name: name.to_string(),
            table: Some(table.name.clone()),
        }
    }
}

/// One statement of a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The object this statement creates or belongs to; `None` for session settings,
    /// which run whenever any step around them runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectKey>,
    /// True for the statement that creates the object (counted in summaries); false for
    /// its comments, grants and other attachments.
    pub creates: bool,
    pub sql: String,
}

/// The statements that create every object of the catalog in an empty database.
pub fn create_script(catalog: &Catalog) -> Vec<Step> {
    let mut r = objects::Renderer::new(catalog);
    r.extensions();
    if let Some(owner) = &catalog.database.owner {
        r.setting(format!("SET LOCAL ROLE {}", sql::ident(owner)));
    }
    r.setting("SET LOCAL check_function_bodies = off".to_string());
    r.schemas();
    r.enums();
    for node in deps::order(&deps::dependencies(catalog)) {
        match node {
            deps::Node::Function(q) => r.function(&q),
            deps::Node::Table(q) => r.table(&q),
            deps::Node::View(q) => r.view(&q),
        }
    }
    r.foreign_keys();
    r.indexes();
    r.triggers();
    r.row_level_security();
    // Last: default privileges are for objects created later by other means. Set before
    // the model's own objects, they would grant on those too, beyond what the model says.
    r.default_privileges();
    r.finish()
}

/// The whole script as SQL text, in one transaction, for `plan` and `psql -f`.
pub fn script_sql(steps: &[Step]) -> String {
    let mut out = String::from("BEGIN;\n\n");
    for step in steps {
        out.push_str(&step.sql);
        out.push_str(";\n\n");
    }
    out.push_str("COMMIT;\n");
    out
}
