//! Model type (or SQLite declared type) → SeaORM field type, for models with
//! `database.target: sqlite`.
//!
//! SQLite stores five storage classes (NULL, INTEGER, REAL, TEXT, BLOB); the declared
//! type only gives a column an affinity. The Rust type is chosen for what the file really
//! holds and what sqlx-sqlite decodes:
//!
//! - every integer type is `i64`: SQLite integers are 64-bit whatever the declared name,
//!   and an `INTEGER PRIMARY KEY` is the 64-bit rowid;
//! - `real`, `double precision` and `numeric` are `f64`: REAL is an 8-byte IEEE float,
//!   and NUMERIC affinity stores any non-integer value as one too (SeaORM itself reads a
//!   `Decimal` on SQLite through `f64`), so `Decimal` would promise an exactness the file
//!   cannot keep;
//! - `json`/`jsonb` are `Json` with `column_type = "Json"`: the document is TEXT (checked
//!   with `json_valid`), which sqlx encodes and decodes as text; `JsonBinary` would
//!   suggest SQLite's binary JSONB format, which these columns do not use;
//! - `timestamp` is `DateTime` (`NaiveDateTime`): sqlx-sqlite parses the
//!   `YYYY-MM-DD HH:MM:SS` text of `CURRENT_TIMESTAMP` and writes the same form;
//!   `timestamptz` is `DateTimeUtc`, which decodes zone-less text as UTC (a
//!   `DateTimeWithTimeZone` would need an offset the defaults do not write);
//! - `bytea`/`blob` is `Vec<u8>`, `uuid` is `Uuid` (sqlx stores it as a 16-byte BLOB).
//!
//! Types the model parser does not know (a view column's declared type can be anything)
//! follow SQLite's affinity rules, and an expression column of a view, which has no
//! declared type, is read as `String`.

use super::types::{FieldType, plain, with_type};
use crate::model::types::SqlType;

fn float() -> FieldType {
    FieldType {
        is_float: true,
        ..with_type("f64", "Double")
    }
}

/// Maps a model type, or a declared type as `PRAGMA table_info` reports it.
pub fn map(ty: &str) -> FieldType {
    match SqlType::parse(ty) {
        Ok(parsed) => map_parsed(&parsed, ty),
        Err(_) => affinity(ty),
    }
}

fn map_parsed(parsed: &SqlType, ty: &str) -> FieldType {
    match parsed {
        SqlType::SmallInt | SqlType::Integer | SqlType::BigInt | SqlType::Serial(_) => plain("i64"),
        SqlType::Text => with_type("String", "Text"),
        SqlType::Varchar(_) | SqlType::Char(_) => plain("String"),
        SqlType::Boolean => plain("bool"),
        SqlType::Numeric(_) | SqlType::Real | SqlType::Double => float(),
        SqlType::Date => plain("Date"),
        SqlType::Time => plain("Time"),
        SqlType::Timestamp => plain("DateTime"),
        SqlType::Timestamptz => plain("DateTimeUtc"),
        SqlType::Uuid => plain("Uuid"),
        SqlType::Json | SqlType::Jsonb => with_type("Json", "Json"),
        SqlType::Bytea => with_type("Vec<u8>", "Blob"),
        // `blob`, `datetime`, `float` and other SQLite spellings parse as names.
        SqlType::Named { schema: None, name } => match name.as_str() {
            "datetime" => plain("DateTime"),
            _ => affinity(ty),
        },
        _ => affinity(ty),
    }
}

/// SQLite's affinity rules (section 3.1 of "Datatypes In SQLite").
fn affinity(ty: &str) -> FieldType {
    let upper = ty.trim().to_ascii_uppercase();
    if upper.contains("INT") {
        plain("i64")
    } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
        with_type("String", "Text")
    } else if upper.contains("BLOB") {
        with_type("Vec<u8>", "Blob")
    } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
        float()
    } else if upper.is_empty() {
        plain("String")
    } else {
        // NUMERIC affinity: integers stay integers, anything else is a float.
        float()
    }
}

/// Whether a single-column primary key of this type is SQLite's rowid alias, which the
/// database numbers when the insert leaves it out.
pub fn is_rowid_alias(ty: &str) -> bool {
    schemactl_sqlite::build::declared_type(ty) == "INTEGER"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_and_declared_spellings_map_to_what_sqlite_stores() {
        assert_eq!(map("integer").rust, "i64");
        assert_eq!(map("INTEGER").rust, "i64");
        assert_eq!(map("smallint").rust, "i64");
        assert_eq!(map("real").rust, "f64");
        assert!(map("REAL").is_float);
        assert_eq!(map("numeric(10,2)").rust, "f64");
        assert_eq!(map("text").column_type, vec!["column_type = \"Text\""]);
        assert_eq!(map("json").column_type, vec!["column_type = \"Json\""]);
        assert_eq!(map("jsonb").rust, "Json");
        assert_eq!(map("timestamp").rust, "DateTime");
        assert_eq!(map("TIMESTAMP").rust, "DateTime");
        assert_eq!(map("datetime").rust, "DateTime");
        assert_eq!(map("timestamptz").rust, "DateTimeUtc");
        assert_eq!(map("bytea").rust, "Vec<u8>");
        assert_eq!(map("BLOB").rust, "Vec<u8>");
        assert_eq!(map("VARCHAR(20)").rust, "String");
        assert_eq!(map("UNSIGNED BIG INT").rust, "i64");
        assert_eq!(map("").rust, "String");
        assert!(is_rowid_alias("integer"));
        assert!(is_rowid_alias("bigint"));
        assert!(!is_rowid_alias("text"));
    }
}
