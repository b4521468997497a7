//! Domains: a base type with a default, NOT NULL and checks that every column of the
//! domain obeys (`CREATE DOMAIN`).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A domain of a schema. Columns, function arguments and other domains name it like any
/// type (`type: email` in its schema, `type: shop.email` from another).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The role that owns the domain (`ALTER … OWNER TO`); the database owner, which
    /// provisioning creates everything as, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The base type: a built-in type, an enum or another domain.
    #[serde(rename = "type")]
    pub ty: String,
    /// NULL is not a value of the domain (`NOT NULL`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    /// The default of columns of the domain that have none of their own: a SQL
    /// expression; YAML numbers and booleans are taken as literals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// `COLLATE`, for a base type that has collations (text, varchar, char).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Check constraints: name → boolean SQL expression over `VALUE`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub checks: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
