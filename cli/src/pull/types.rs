//! Column and argument types: PostgreSQL's spelling (`format_type`) → the model's.
//!
//! A type is written in the model only when the model reads it back as the same type:
//! the candidate is parsed as the model parses types and printed as the build prints
//! them, and must give the catalog's text again. Enums, domains and composite types are
//! recognized by their qualified name among the catalog's, never by parsing the text.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, QName};
use crate::model::types::SqlType;
use crate::model::validate::is_builtin_extra;

/// Short spellings the model accepts, for readability.
const SHORT: &[(&str, &str)] = &[
    ("character varying", "varchar"),
    ("timestamp with time zone", "timestamptz"),
    ("timestamp without time zone", "timestamp"),
    ("time without time zone", "time"),
    ("character", "char"),
];

pub(super) struct Types<'c> {
    /// An enum's, domain's or composite type's type as the catalog prints it (`shop.order_status`) → its
    /// name.
    named: BTreeMap<String, &'c QName>,
}

impl<'c> Types<'c> {
    pub fn new(catalog: &'c Catalog) -> Types<'c> {
        Types {
            named: catalog
                .enums
                .keys()
                .chain(catalog.domains.keys())
                .chain(catalog.composite_types.keys())
                .map(|q| (q.sql(), q))
                .collect(),
        }
    }

    /// The model's spelling of catalog type `ty` for an object in `schema`, or `None`
    /// when the model cannot write it.
    pub fn model_type(&self, ty: &str, schema: &str) -> Option<String> {
        let (element, dims) = strip_arrays(ty);
        let suffix = "[]".repeat(dims);
        if let Some(q) = self.named.get(element) {
            // The schema is written only for another schema's type; a name that is not a
            // plain identifier is quoted, as the model's type grammar reads it.
            let part = |s: &str| {
                if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    s.to_string()
                } else {
                    format!("\"{}\"", s.replace('"', "\"\""))
                }
            };
            let candidate = if q.schema == schema {
                part(&q.name)
            } else {
                format!("{}.{}", part(&q.schema), part(&q.name))
            };
            let reads_back = matches!(
                SqlType::parse(&candidate),
                Ok(SqlType::Named { schema: s, name })
                    if s.as_deref().unwrap_or(schema) == q.schema && name == q.name
            );
            return reads_back.then(|| format!("{candidate}{suffix}"));
        }
        let short = SHORT
            .iter()
            .find_map(|(long, short)| {
                let rest = element.strip_prefix(long)?;
                // `character varying(10)` → `varchar(10)`, but not `character varying`'s
                // prefix `character` alone.
                (rest.is_empty() || rest.starts_with('(')).then(|| format!("{short}{rest}"))
            })
            .unwrap_or_else(|| element.to_string());
        let candidate = format!("{short}{suffix}");
        reads_back(&candidate, ty).then_some(candidate)
    }
}

/// `text[][]` → (`text`, 2).
fn strip_arrays(ty: &str) -> (&str, usize) {
    let mut element = ty;
    let mut dims = 0;
    while let Some(inner) = element.strip_suffix("[]") {
        element = inner;
        dims += 1;
    }
    (element, dims)
}

/// Whether the model, given `candidate`, builds the catalog type `ty`.
fn reads_back(candidate: &str, ty: &str) -> bool {
    let Ok(parsed) = SqlType::parse(candidate) else {
        return false;
    };
    let mut element = &parsed;
    while let SqlType::Array(inner) = element {
        element = inner;
    }
    match element {
        SqlType::Serial(_) => false,
        // Unqualified names the model knows without declaring them; the build lowercases
        // them, so the catalog must spell them in lower case too.
        SqlType::Named { schema: None, name } => {
            is_builtin_extra(name) && parsed.to_string().to_ascii_lowercase() == ty
        }
        SqlType::Named { .. } => false,
        _ => parsed.to_string() == ty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::EnumDef;

    fn catalog() -> Catalog {
        let mut c = Catalog::default();
        for (s, n) in [
            ("shop", "order_status"),
            ("shop", "Kind"),
            ("other", "mood"),
            ("shop", "a b"),
        ] {
            c.enums.insert(
                QName::new(s, n),
                EnumDef {
                    owner: None,
                    values: vec!["x".into()],
                    comment: None,
                },
            );
        }
        c
    }

    #[test]
    fn built_in_types_read_back() {
        let c = catalog();
        let t = Types::new(&c);
        for (ty, model) in [
            ("bigint", Some("bigint")),
            ("character varying(255)", Some("varchar(255)")),
            ("character varying", Some("varchar")),
            ("character(3)", Some("char(3)")),
            ("timestamp with time zone", Some("timestamptz")),
            ("timestamp without time zone[]", Some("timestamp[]")),
            ("numeric(10,2)", Some("numeric(10,2)")),
            ("vector(384)", Some("vector(384)")),
            ("double precision", Some("double precision")),
            ("citext", Some("citext")),
            ("timestamp(3) with time zone", None),
            ("time with time zone", None),
            ("public.geometry", None),
            ("\"char\"", None),
            ("halfvec(8)", None),
        ] {
            assert_eq!(t.model_type(ty, "shop").as_deref(), model, "{ty}");
        }
    }

    #[test]
    fn enums_by_their_qualified_name() {
        let c = catalog();
        let t = Types::new(&c);
        assert_eq!(
            t.model_type("shop.order_status", "shop").as_deref(),
            Some("order_status")
        );
        assert_eq!(
            t.model_type("shop.order_status[]", "other").as_deref(),
            Some("shop.order_status[]")
        );
        assert_eq!(
            t.model_type("shop.\"Kind\"", "shop").as_deref(),
            Some("Kind")
        );
        assert_eq!(
            t.model_type("other.mood", "shop").as_deref(),
            Some("other.mood")
        );
        assert_eq!(
            t.model_type("shop.\"a b\"", "shop").as_deref(),
            Some("\"a b\"")
        );
        assert_eq!(t.model_type("shop.missing", "shop"), None);
    }
}
