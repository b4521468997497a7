//! Composite types (`CREATE TYPE … AS (…)`): named attributes with their types, used as
//! column, argument and result types.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A composite type of a schema. Columns and functions name it like any type.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CompositeType {
    /// The role that owns the type (`ALTER … OWNER TO`); the database owner, which
    /// provisioning creates everything as, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Attributes in order: name → type, or the long form with a collation.
    pub attributes: IndexMap<String, Attribute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An attribute: its type, or `{ type, collation }`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub enum Attribute {
    Type(String),
    Full {
        #[serde(rename = "type")]
        ty: String,
        /// `COLLATE`, for text, varchar and char attributes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<String>,
    },
}

impl Attribute {
    pub fn ty(&self) -> &str {
        match self {
            Attribute::Type(ty) | Attribute::Full { ty, .. } => ty,
        }
    }

    pub fn collation(&self) -> Option<&str> {
        match self {
            Attribute::Type(_) => None,
            Attribute::Full { collation, .. } => collation.as_deref(),
        }
    }
}
