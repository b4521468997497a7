//! Objects and attributes a database holds that the model cannot express, recorded in the
//! model (`unmanaged:`) so that plans report them as known instead of as a surprise, and
//! so that `pull` can write a model of a database that has them.
//!
//! None of these kinds is part of the catalog the differ compares (introspection does not
//! read them, or reads the object without the attribute), so no plan drops or changes
//! them; recording one only says that the model's author knows it is there.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One object or attribute left to the database, by kind and name.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Unmanaged {
    /// What it is.
    pub kind: UnmanagedKind,
    /// Its name as PostgreSQL quotes it, schema-qualified: `shop.order_number`,
    /// `shop.orders.total` (a column), `shop.add(integer, integer)` (a routine).
    pub name: String,
    /// What makes it unmanaged, for the reader (`pull` writes it; plans ignore it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The kinds the model does not express.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "snake_case")]
pub enum UnmanagedKind {
    // A sequence no identity or serial column stands for.
    Sequence,
    // A serial or identity sequence with a name or options the model does not create.
    SequenceOptions,
    Domain,
    CompositeType,
    RangeType,
    BaseType,
    Procedure,
    Aggregate,
    WindowFunction,
    // A second (or later) routine of the same name, which the model once could not
    // express; refused now (see `modelled_as`).
    FunctionOverload,
    // COST, ROWS, LEAKPROOF, SUPPORT, a BEGIN ATOMIC body, an object file, an unnamed
    // argument.
    FunctionAttributes,
    ExtendedStatistics,
    ForeignTable,
    UnloggedTable,
    TypedTable,
    // Table storage parameters (`WITH (fillfactor = 70)`).
    StorageParameters,
    // A view's `check_option`.
    ViewOptions,
    Tablespace,
    ReplicaIdentity,
    // Table inheritance (`INHERITS`), other than partitioning.
    Inheritance,
    Rule,
    // A partition of a partition.
    SubPartition,
    // Something a partition has of its own (index, constraint, trigger, grants, comment,
    // policies, a default partition under another name).
    PartitionDetail,
    // A partition key on an expression.
    PartitionKey,
    ExclusionConstraint,
    // INITIALLY DEFERRED, a constraint trigger, a deferrable or NOT ENFORCED check.
    ConstraintAttributes,
    // A comment on a constraint or a policy.
    Comment,
    // A trigger on a view, a constraint trigger, transition tables, a disabled trigger.
    TriggerAttributes,
    // Collation, virtual generation, compression, storage, statistics or options of a
    // column.
    ColumnAttributes,
    // Privileges the model cannot write (on types; revoked defaults with nothing instead).
    Grants,
    // A partition owned by a role other than its table's owner (objects' owners are
    // modelled: `owner`).
    Owner,
    // Default privileges on schemas or large objects, or for every schema.
    DefaultPrivileges,
    Operator,
    OperatorClass,
    OperatorFamily,
    Collation,
    TextSearch,
    Conversion,
    Publication,
    EventTrigger,
    // An extension installed in a schema other than `public`.
    ExtensionSchema,
}

impl UnmanagedKind {
    /// The kind as written in the model.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Where the model expresses a kind that earlier versions could only record here:
    /// such an entry is refused (a plan would drop the object the model does not declare).
    pub fn modelled_as(self) -> Option<&'static str> {
        match self {
            UnmanagedKind::Sequence => Some("schemas.<schema>.sequences"),
            UnmanagedKind::Domain => Some("schemas.<schema>.domains"),
            UnmanagedKind::CompositeType => Some("schemas.<schema>.composite_types"),
            UnmanagedKind::Procedure => Some("schemas.<schema>.procedures"),
            UnmanagedKind::FunctionOverload => {
                Some("schemas.<schema>.functions.<name> as a list of overloads")
            }
            UnmanagedKind::ExclusionConstraint => {
                Some("schemas.<schema>.tables.<table>.exclusions")
            }
            _ => None,
        }
    }

    /// Database-wide kinds, whose names carry no schema.
    pub fn is_database_wide(self) -> bool {
        matches!(
            self,
            UnmanagedKind::Publication
                | UnmanagedKind::EventTrigger
                | UnmanagedKind::ExtensionSchema
                | UnmanagedKind::DefaultPrivileges
        )
    }

    /// Parses the kind as written in the model.
    pub fn parse(text: &str) -> Option<UnmanagedKind> {
        serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
    }
}

/// The schema a quoted, qualified name starts with: `"My Schema".t` → `My Schema`.
pub fn leading_schema(name: &str) -> Option<String> {
    let mut chars = name.chars().peekable();
    let mut out = String::new();
    if chars.peek() == Some(&'"') {
        chars.next();
        loop {
            match chars.next()? {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    out.push('"');
                }
                '"' => break,
                c => out.push(c),
            }
        }
        return (chars.next() == Some('.')).then_some(out);
    }
    for c in chars {
        if c == '.' {
            return (!out.is_empty()).then_some(out);
        }
        out.push(c);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_of_names() {
        assert_eq!(leading_schema("shop.orders").as_deref(), Some("shop"));
        assert_eq!(
            leading_schema("\"My \"\"Shop\".t").as_deref(),
            Some("My \"Shop")
        );
        assert_eq!(leading_schema("orders"), None);
        assert_eq!(leading_schema("\"a.b\""), None);
    }

    #[test]
    fn kinds_round_trip() {
        assert_eq!(
            UnmanagedKind::FunctionOverload.as_str(),
            "function_overload"
        );
        assert_eq!(
            UnmanagedKind::parse("extended_statistics"),
            Some(UnmanagedKind::ExtendedStatistics)
        );
        assert_eq!(UnmanagedKind::parse("nope"), None);
    }
}
