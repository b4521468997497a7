//! Exclusion constraints: no two rows may have elements that all match under the given
//! operators (`EXCLUDE USING gist (room WITH =, during WITH &&)`).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{IndexColumnSpec, IndexMethod, NullsOrder, SortOrder};

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// Access method of the index that enforces the constraint; default `gist`.
    #[serde(default = "gist", skip_serializing_if = "is_gist")]
    pub using: IndexMethod,
    /// The compared elements, in order: a column or an expression, and the operator
    /// two rows' values must not both satisfy.
    pub elements: Vec<ExclusionElement>,
    /// Only rows matching this predicate take part (`WHERE`).
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Covering columns of the index (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Storage parameters of the index (`WITH (fillfactor = 90)`).
    #[serde(default, rename = "with", skip_serializing_if = "IndexMap::is_empty")]
    pub with_params: IndexMap<String, serde_json::Value>,
    /// `DEFERRABLE`: a transaction may check it at commit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED` (needs `deferrable`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub initially_deferred: bool,
}

fn gist() -> IndexMethod {
    IndexMethod::Gist
}

fn is_gist(method: &IndexMethod) -> bool {
    *method == IndexMethod::Gist
}

/// One element of an exclusion constraint: an index key (column or expression, with an
/// optional operator class, collation and order) and its operator.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExclusionElement {
    /// A column of the table. Exactly one of `column` and `expression`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// A SQL expression, e.g. `tstzrange(starts_at, ends_at)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The operator (`=`, `&&`, or `OPERATOR(schema.op)` for one outside the search
    /// path). It must be commutative.
    pub with: String,
    /// Operator class, e.g. `range_ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<SortOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls: Option<NullsOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collate: Option<String>,
}

impl ExclusionElement {
    /// The element as an index key.
    pub fn key(&self) -> IndexColumnSpec {
        IndexColumnSpec {
            column: self.column.clone(),
            expression: self.expression.clone(),
            opclass: self.opclass.clone(),
            order: self.order,
            nulls: self.nulls,
            collate: self.collate.clone(),
        }
    }
}
