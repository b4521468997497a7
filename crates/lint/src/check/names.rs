//! Names of relations as the parser gives them, compared and printed.

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, RangeVar};

/// A relation's (or index's) name, schema-qualified when the SQL qualified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RelName {
    pub schema: Option<String>,
    pub name: String,
}

impl RelName {
    pub fn of(range: &RangeVar) -> RelName {
        RelName {
            schema: (!range.schemaname.is_empty()).then(|| range.schemaname.clone()),
            name: range.relname.clone(),
        }
    }

    /// From a list of name parts (`DROP TABLE a.b`: `[a, b]`).
    pub fn from_parts(parts: &[Node]) -> Option<RelName> {
        let parts: Vec<&str> = parts.iter().filter_map(string_value).collect();
        match parts.as_slice() {
            [name] => Some(RelName {
                schema: None,
                name: (*name).to_string(),
            }),
            [.., schema, name] => Some(RelName {
                schema: Some((*schema).to_string()),
                name: (*name).to_string(),
            }),
            [] => None,
        }
    }

    /// The same relation as far as the text can tell: the same name, and the same schema
    /// when both are qualified (an unqualified name resolves through search_path, which
    /// the lint does not follow).
    pub fn same(&self, other: &RelName) -> bool {
        self.name == other.name
            && match (&self.schema, &other.schema) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// In the schema of `table` when not qualified itself (an index lives in its table's
    /// schema).
    pub fn in_schema_of(name: &str, table: &RelName) -> RelName {
        RelName {
            schema: table.schema.clone(),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for RelName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{}.", ident(schema))?;
        }
        f.write_str(&ident(&self.name))
    }
}

/// An identifier as SQL spells it: bare when it is a plain lower-case name, quoted
/// otherwise.
pub(crate) fn ident(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The text of a `String` node.
pub(crate) fn string_value(node: &Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_print_quoted_only_when_needed_and_compare_loosely_without_schema() {
        let a = RelName {
            schema: Some("My Schema".into()),
            name: "orders".into(),
        };
        assert_eq!(a.to_string(), "\"My Schema\".orders");
        let b = RelName {
            schema: None,
            name: "We\"ird".into(),
        };
        assert_eq!(b.to_string(), "\"We\"\"ird\"");
        let unqualified = RelName {
            schema: None,
            name: "orders".into(),
        };
        assert!(a.same(&unqualified));
        let other = RelName {
            schema: Some("public".into()),
            name: "orders".into(),
        };
        assert!(!a.same(&other));
    }
}
