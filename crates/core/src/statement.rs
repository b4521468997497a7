//! What a flavour renders a step into: statements that say which object they belong to,
//! how they run (in the plan's transaction, committed before it, or outside any
//! transaction) and as whom. Executors and script writers act on these fields; none of
//! them reads the SQL to find out.

use serde::Serialize;

use crate::catalog::QName;

/// The kind of object a statement belongs to, for summaries and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Role,
    Extension,
    Schema,
    Type,
    Domain,
    Function,
    Table,
    Column,
    Partition,
    View,
    MaterializedView,
    Constraint,
    ForeignKey,
    Index,
    Trigger,
    Policy,
    Sequence,
    DefaultPrivileges,
}

impl ObjectKind {
    /// Noun for messages and summaries.
    pub fn noun(self) -> &'static str {
        match self {
            ObjectKind::Role => "role",
            ObjectKind::Extension => "extension",
            ObjectKind::Schema => "schema",
            ObjectKind::Type => "type",
            ObjectKind::Domain => "domain",
            ObjectKind::Function => "function",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Partition => "partition",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Constraint => "constraint",
            ObjectKind::ForeignKey => "foreign key",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
            ObjectKind::Sequence => "sequence",
            ObjectKind::DefaultPrivileges => "default privileges",
        }
    }
}

/// An object: kind, schema (empty for cluster objects), name, and for objects that live
/// on a table (constraints, triggers, policies, columns) the table's name.
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

    /// A cluster-level or schema object known by one name.
    pub fn named(kind: ObjectKind, name: &str) -> ObjectKey {
        ObjectKey {
            kind,
            schema: String::new(),
            name: name.to_string(),
            table: None,
        }
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ", self.kind.noun())?;
        if !self.schema.is_empty() && self.kind != ObjectKind::Schema {
            write!(f, "{}.", self.schema)?;
        }
        match &self.table {
            Some(table) => write!(f, "{table}.{}", self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

/// How a statement runs relative to the plan's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TxMode {
    /// In a transaction of its own, committed before the plan's transaction begins
    /// (a new enum value cannot be used in the transaction that adds it).
    CommitFirst,
    /// In the plan's one transaction.
    Transaction,
    /// Outside any transaction, after the plan's commits (`CONCURRENTLY`).
    Outside,
}

/// Who runs a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunAs {
    /// The database owner (when the executor knows one), so that it owns what is created.
    Owner,
    /// The connecting admin: roles, memberships, untrusted extensions.
    Admin,
}

/// Something the executor does right before a statement, as typed data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Precondition {
    /// A killed `CREATE INDEX CONCURRENTLY` leaves an INVALID index behind: drop it if
    /// it is there, so that the rerun converges.
    DropInvalidIndex { index: QName },
}

/// One statement of a rendered plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub sql: String,
    pub object: ObjectKey,
    pub mode: TxMode,
    pub run_as: RunAs,
    /// The schema bare names in model-written SQL text (defaults, bodies, predicates)
    /// resolve in, when the statement carries such text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precondition: Option<Precondition>,
    /// Where in `sql` each part of a composite statement sits (a table's columns and
    /// constraints in its `CREATE TABLE`), so that a server error at a character position
    /// names the part, not only the statement's object.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// A part of a statement's text, by byte range, and the object it makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub start: usize,
    pub end: usize,
    pub object: ObjectKey,
}

/// The object whose part of `sql` holds the server's error position (1-based, in
/// characters, as PostgreSQL reports it): the innermost part, else `object`.
pub fn object_at<'a>(
    sql: &str,
    object: &'a ObjectKey,
    parts: &'a [Part],
    position: usize,
) -> &'a ObjectKey {
    let Some(byte) = sql
        .char_indices()
        .nth(position.saturating_sub(1))
        .map(|(b, _)| b)
    else {
        return object;
    };
    parts
        .iter()
        .filter(|p| p.start <= byte && byte < p.end)
        .min_by_key(|p| p.end - p.start)
        .map_or(object, |p| &p.object)
}

impl Statement {
    pub fn new(object: ObjectKey, sql: impl Into<String>) -> Statement {
        Statement {
            sql: sql.into(),
            object,
            mode: TxMode::Transaction,
            run_as: RunAs::Owner,
            search_path: None,
            precondition: None,
            parts: Vec::new(),
        }
    }

    pub fn with_parts(mut self, parts: Vec<Part>) -> Statement {
        self.parts = parts;
        self
    }

    pub fn mode(mut self, mode: TxMode) -> Statement {
        self.mode = mode;
        self
    }

    pub fn as_admin(mut self) -> Statement {
        self.run_as = RunAs::Admin;
        self
    }

    pub fn in_schema(mut self, schema: &str) -> Statement {
        self.search_path = Some(schema.to_string());
        self
    }

    pub fn precondition(mut self, precondition: Precondition) -> Statement {
        self.precondition = Some(precondition);
        self
    }
}

/// A step's statements, with the step they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedStep {
    pub step: crate::step::Step,
    pub description: String,
    pub hazards: Vec<crate::step::Hazard>,
    pub statements: Vec<Statement>,
}

/// A step that could not be rendered: the catalogs do not hold what it names, or the
/// flavour cannot express it. Always a bug or an unsupported model, reported, never a
/// silent skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub step: String,
    pub reason: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot render \"{}\": {}", self.step, self.reason)
    }
}

impl std::error::Error for RenderError {}
