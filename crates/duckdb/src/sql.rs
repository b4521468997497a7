//! Identifiers and literals in DuckDB's SQL. DuckDB's grammar is PostgreSQL's (its parser
//! descends from libpg_query), so PostgreSQL's reserved words apply; DuckDB adds a few
//! of its own, quoted here too. Names that are not plain lower-case words are quoted, so
//! mixed-case names (`"BehavioralEvent"`, `"userId"`) keep their case.

/// Words DuckDB reserves beyond PostgreSQL's: `duckdb_keywords()` of category `reserved`,
/// `type_function` or `column_name` (DuckDB 2.0) that PostgreSQL's list lacks.
const DUCKDB_RESERVED: &[&str] = &[
    "anti",
    "asof",
    "at",
    "by",
    "columns",
    "describe",
    "generated",
    "glob",
    "grouping_id",
    "lambda",
    "map",
    "pivot",
    "pivot_longer",
    "pivot_wider",
    "positional",
    "qualify",
    "semi",
    "show",
    "struct",
    "summarize",
    "try_cast",
    "tuple",
    "unpack",
    "unpivot",
];

/// An identifier, quoted unless it is a plain lower-case word that is no keyword.
pub fn ident(name: &str) -> String {
    let quoted = schemactl_core::sql::ident(name);
    if !quoted.starts_with('"') && DUCKDB_RESERVED.contains(&name) {
        format!("\"{name}\"")
    } else {
        quoted
    }
}

/// `schema.name`, each part quoted as needed.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", ident(schema), ident(name))
}

/// A comma-separated list of identifiers.
pub fn ident_list<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| ident(n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A string literal.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(ident("events"), "events");
        assert_eq!(ident("userId"), "\"userId\"");
        assert_eq!(ident("BehavioralEvent"), "\"BehavioralEvent\"");
        assert_eq!(ident("order"), "\"order\"");
        assert_eq!(ident("qualify"), "\"qualify\"");
        assert_eq!(qualified("research", "a\"b"), "research.\"a\"\"b\"");
    }
}
