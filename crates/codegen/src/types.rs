//! PostgreSQL type → SeaORM field type, following sea-schema's and sea-orm-codegen 2.0.4's
//! mapping so that our entities read like `sea-orm-cli generate entity` output.

use heck::ToUpperCamelCase;

use crate::model::types::SqlType;

/// How one column type appears in an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldType {
    /// Without `Option<…>`.
    pub rust: String,
    /// The `column_type = "…"` attribute (for custom types, with `ignore` and
    /// `select_as`), present exactly where sea-orm-cli writes one.
    pub column_type: Vec<String>,
    /// Float, double or vector: the model cannot derive `Eq`.
    pub is_float: bool,
    /// A model enum this column uses (schema, name).
    pub enum_ref: Option<(String, String)>,
}

/// Maps a type in PostgreSQL's spelling. `schema` resolves unqualified enum names.
/// Unknown types become sea-orm-cli's custom form, so that generation never fails on
/// a type the table already has in the database.
pub fn map(ty: &str, schema: &str) -> FieldType {
    match SqlType::parse(ty) {
        Ok(parsed) => map_parsed(&parsed, schema),
        Err(_) => custom(ty),
    }
}

pub(super) fn plain(rust: &str) -> FieldType {
    FieldType {
        rust: rust.to_string(),
        column_type: Vec::new(),
        is_float: false,
        enum_ref: None,
    }
}

pub(super) fn with_type(rust: &str, column_type: &str) -> FieldType {
    FieldType {
        column_type: vec![format!("column_type = \"{column_type}\"")],
        ..plain(rust)
    }
}

pub(super) fn custom(name: &str) -> FieldType {
    FieldType {
        column_type: vec![
            "ignore".to_string(),
            format!("column_type = \"custom(\\\"{name}\\\")\""),
            "select_as = \"text\"".to_string(),
        ],
        ..plain("String")
    }
}

fn map_parsed(ty: &SqlType, schema: &str) -> FieldType {
    match ty {
        SqlType::SmallInt => plain("i16"),
        SqlType::Integer => plain("i32"),
        SqlType::BigInt => plain("i64"),
        SqlType::Serial(_) => map_parsed(&ty.storage(), schema),
        SqlType::Text => with_type("String", "Text"),
        SqlType::Varchar(_) | SqlType::Char(_) => plain("String"),
        SqlType::Boolean => plain("bool"),
        SqlType::Numeric(None) => plain("Decimal"),
        SqlType::Numeric(Some((p, s))) => {
            with_type("Decimal", &format!("Decimal(Some(({p}, {s})))"))
        }
        SqlType::Real => FieldType {
            is_float: true,
            ..with_type("f32", "Float")
        },
        SqlType::Double => FieldType {
            is_float: true,
            ..with_type("f64", "Double")
        },
        SqlType::Date => plain("Date"),
        SqlType::Time => plain("Time"),
        SqlType::Timestamp => plain("DateTime"),
        SqlType::Timestamptz => plain("DateTimeWithTimeZone"),
        // sea-orm-cli maps interval to String; kept for parity.
        SqlType::Interval => plain("String"),
        SqlType::Uuid => plain("Uuid"),
        SqlType::Json => plain("Json"),
        SqlType::Jsonb => with_type("Json", "JsonBinary"),
        SqlType::Vector(_) => FieldType {
            is_float: true,
            ..plain("PgVector")
        },
        SqlType::Tsvector => custom("tsvector"),
        SqlType::Inet => plain("IpNetwork"),
        SqlType::Cidr => with_type("IpNetwork", "Cidr"),
        SqlType::Bytea => with_type("Vec<u8>", "VarBinary(StringLen::None)"),
        SqlType::Named {
            schema: enum_schema,
            name,
        } => FieldType {
            enum_ref: Some((
                enum_schema.clone().unwrap_or_else(|| schema.to_string()),
                name.clone(),
            )),
            ..plain(&name.to_upper_camel_case())
        },
        SqlType::Array(inner) => {
            let element = map_parsed(inner, schema);
            // sea-orm-cli writes no column_type for arrays, whatever the element.
            FieldType {
                rust: format!("Vec<{}>", element.rust),
                column_type: Vec::new(),
                is_float: element.is_float,
                enum_ref: element.enum_ref,
            }
        }
    }
}

const RUST_KEYWORDS: [&str; 49] = [
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "super", "trait", "true", "type", "union", "unsafe", "use",
    "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "try", "typeof", "unsized", "virtual", "yield",
];

/// sea-orm-codegen's `escape_rust_keyword`: raw identifiers for keywords, a trailing
/// underscore for the three that cannot be raw.
pub fn escape_keyword(name: &str) -> String {
    if RUST_KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else if matches!(name, "crate" | "Self" | "self") {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_from_the_catalog_map_like_sea_orm_cli() {
        assert_eq!(
            map("numeric(10,2)", "s").column_type,
            vec!["column_type = \"Decimal(Some((10, 2)))\"".to_string()]
        );
        assert_eq!(map("character varying(20)", "s").rust, "String");
        assert_eq!(
            map("timestamp with time zone", "s").rust,
            "DateTimeWithTimeZone"
        );
        assert_eq!(map("bigint[]", "s").rust, "Vec<i64>");
        assert!(map("vector(384)", "s").is_float);
        assert_eq!(
            map("app_type", "steam").enum_ref,
            Some(("steam".to_string(), "app_type".to_string()))
        );
        assert_eq!(escape_keyword("type"), "r#type");
    }
}
