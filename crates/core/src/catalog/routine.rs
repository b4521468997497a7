//! Functions, procedures and aggregates: PostgreSQL's `pg_proc`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{GrantDef, QName};
use schemactl_model::Volatility;
pub use schemactl_model::types::identity_type;

/// A routine's identity: PostgreSQL tells the functions, procedures and aggregates of one
/// name apart by the types of their input arguments (IN, INOUT, VARIADIC), so two
/// overloads are two objects. `args` is those types in [`identity_type`]'s spelling,
/// joined by `, `: the model's catalog and an introspected one key a routine alike (the
/// model's catalog has qualified every declared type; introspection prints types from a
/// `public` search path, so an unqualified one there is in `public`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoutineId {
    pub name: QName,
    pub args: String,
}

impl RoutineId {
    pub fn new(name: QName, def: &FunctionDef) -> RoutineId {
        RoutineId {
            name,
            args: def.identity_args(),
        }
    }

    /// The routine of `name` without arguments (a trigger function's identity); also the
    /// first identity of the name in identity order, where a range over its overloads
    /// starts.
    pub fn no_args(name: &QName) -> RoutineId {
        RoutineId {
            name: name.clone(),
            args: String::new(),
        }
    }
}

/// `schema.name(integer, text)`.
impl fmt::Display for RoutineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.args)
    }
}

/// Serialized as one string, name and argument types joined by the ASCII unit separator
/// (as [`QName`]): a `RoutineId` keys maps, and JSON map keys are strings.
impl Serialize for RoutineId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = format!(
            "{}\u{1f}{}\u{1f}{}",
            self.name.schema, self.name.name, self.args
        );
        s.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for RoutineId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RoutineId, D::Error> {
        let text = String::deserialize(d)?;
        let mut parts = text.splitn(3, '\u{1f}');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(schema), Some(name), Some(args)) => Ok(RoutineId {
                name: QName::new(schema, name),
                args: args.to_string(),
            }),
            _ => Err(serde::de::Error::custom(format!(
                "not a routine identity: {text:?}"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionDef {
    /// The role that owns the object; `None`: the database owner.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub kind: RoutineKind,
    pub args: Vec<ArgDef>,
    /// The result type; empty for a procedure.
    pub returns: String,
    pub language: String,
    pub volatility: Volatility,
    pub security_definer: bool,
    pub strict: bool,
    pub parallel: Option<String>,
    pub set: Vec<(String, String)>,
    pub body: String,
    pub comment: Option<String>,
    pub grants: Vec<GrantDef>,
    pub declared_deps: Vec<QName>,
    /// An aggregate's state and support functions (kind [`RoutineKind::Aggregate`]).
    #[serde(default)]
    pub aggregate: Option<AggregateDef>,
}

/// Functions, procedures and aggregates share PostgreSQL's `pg_proc` and the model's
/// names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoutineKind {
    #[default]
    Function,
    Procedure,
    Aggregate,
}

impl RoutineKind {
    /// The SQL keyword of CREATE, DROP and COMMENT: `CREATE FUNCTION`, `DROP PROCEDURE`,
    /// `COMMENT ON AGGREGATE`. GRANT says FUNCTION for an aggregate ([`Self::grant_sql`]).
    pub fn sql(self) -> &'static str {
        match self {
            RoutineKind::Function => "FUNCTION",
            RoutineKind::Procedure => "PROCEDURE",
            RoutineKind::Aggregate => "AGGREGATE",
        }
    }

    /// The keyword of GRANT and REVOKE, which have no AGGREGATE.
    pub fn grant_sql(self) -> &'static str {
        match self {
            RoutineKind::Procedure => "PROCEDURE",
            RoutineKind::Function | RoutineKind::Aggregate => "FUNCTION",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Aggregate => "aggregate",
        }
    }
}

/// What `CREATE AGGREGATE` takes besides the argument types. Support functions are
/// resolved to their schema (`pg_catalog` for a built-in one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateDef {
    pub state_function: QName,
    pub state_type: String,
    pub initial_condition: Option<String>,
    pub final_function: Option<QName>,
    pub final_function_extra: bool,
    pub combine_function: Option<QName>,
    pub serial_function: Option<QName>,
    pub deserial_function: Option<QName>,
}

impl AggregateDef {
    /// The support functions, in `CREATE AGGREGATE` order.
    pub fn functions(&self) -> impl Iterator<Item = &QName> {
        std::iter::once(&self.state_function)
            .chain(self.final_function.as_ref())
            .chain(self.combine_function.as_ref())
            .chain(self.serial_function.as_ref())
            .chain(self.deserial_function.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArgDef {
    pub name: String,
    pub ty: String,
    pub default: Option<String>,
    pub mode: Option<String>,
}

impl FunctionDef {
    /// The result and argument types, the arguments' defaults (and an aggregate's state
    /// type): what must resolve when the function is created.
    pub fn signature_text(&self) -> String {
        let mut text = self.returns.clone();
        for a in &self.args {
            text.push(' ');
            text.push_str(&a.ty);
            if let Some(default) = &a.default {
                text.push(' ');
                text.push_str(default);
            }
        }
        if let Some(aggregate) = &self.aggregate {
            text.push(' ');
            text.push_str(&aggregate.state_type);
        }
        text
    }

    /// The objects named outside SQL text that must exist first: `depends_on`, and an
    /// aggregate's support functions.
    pub fn named_dependencies(&self) -> impl Iterator<Item = &QName> {
        self.declared_deps
            .iter()
            .chain(self.aggregate.iter().flat_map(AggregateDef::functions))
    }

    /// The types of the input arguments in [`identity_type`]'s spelling, joined by `, `.
    pub fn identity_args(&self) -> String {
        self.args
            .iter()
            .filter(|a| a.mode.as_deref() != Some("OUT"))
            .map(|a| identity_type(&a.ty, "public"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The argument list of DROP and COMMENT: an aggregate without arguments is `(*)`.
    pub fn drop_signature(&self) -> String {
        if self.kind == RoutineKind::Aggregate && self.args.is_empty() {
            "(*)".to_string()
        } else {
            self.signature()
        }
    }

    /// The argument types that identify the function: `(bigint, text)`.
    pub fn signature(&self) -> String {
        let types: Vec<&str> = self
            .args
            .iter()
            .filter(|a| a.mode.as_deref() != Some("OUT"))
            .map(|a| a.ty.as_str())
            .collect();
        format!("({})", types.join(", "))
    }

    /// PostgreSQL's validator of the body's language, which checks a body once the
    /// objects it names exist: SQL and PL/pgSQL have one; other languages are checked
    /// when called only. The differ plans a body check for these, the renderer calls it.
    pub fn body_validator(&self) -> Option<&'static str> {
        match self.language.as_str() {
            "plpgsql" => Some("plpgsql_validator"),
            "sql" => Some("fmgr_sql_validator"),
            _ => None,
        }
    }
}

impl super::Catalog {
    /// The overloads of one name, in identity order.
    pub fn routines_named<'a>(
        &'a self,
        name: &'a QName,
    ) -> impl Iterator<Item = (&'a RoutineId, &'a FunctionDef)> + 'a {
        self.functions
            .range(RoutineId::no_args(name)..)
            .take_while(move |(id, _)| &id.name == name)
    }

    /// Whether a function, procedure or aggregate has this name.
    pub fn has_routine_named(&self, name: &QName) -> bool {
        self.routines_named(name).next().is_some()
    }
}
