//! Aggregates (`CREATE AGGREGATE`): a state type and the functions that fold rows into it,
//! called like any aggregate (`median(price)`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ParallelSafety;

/// An ordinary aggregate of a schema. Its support functions are functions of the model
/// (or built in); PostgreSQL finds them by name and the argument types the aggregate
/// implies, so the model names them only.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// The role that owns the aggregate (`ALTER … OWNER TO`); the database owner, which
    /// provisioning creates everything as, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Argument types, in order: `[numeric]`. None: the aggregate takes `*`, like `count(*)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// The state transition function (`SFUNC`): `name` (same schema) or `schema.name`.
    pub state_function: String,
    /// The state's type (`STYPE`).
    pub state_type: String,
    /// The state's first value as a string literal (`INITCOND`); none: NULL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_condition: Option<String>,
    /// Turns the state into the result (`FINALFUNC`); none: the result is the state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_function: Option<String>,
    /// The final function also takes the aggregate's arguments, as NULLs
    /// (`FINALFUNC_EXTRA`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub final_function_extra: bool,
    /// Merges two partial states (`COMBINEFUNC`), for partial and parallel aggregation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combine_function: Option<String>,
    /// Turns an `internal` state into `bytea` (`SERIALFUNC`), for parallel aggregation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_function: Option<String>,
    /// Reads a state back from `bytea` (`DESERIALFUNC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deserial_function: Option<String>,
    /// safe, restricted or unsafe (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<ParallelSafety>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// EXECUTE grants. PUBLIC's default EXECUTE is revoked when this list is given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<super::Grant>,
}

impl Aggregate {
    /// The support functions as written, with the key each is given under.
    pub fn support_functions(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("state_function", self.state_function.as_str())];
        let optional = [
            ("final_function", &self.final_function),
            ("combine_function", &self.combine_function),
            ("serial_function", &self.serial_function),
            ("deserial_function", &self.deserial_function),
        ];
        for (key, name) in optional {
            if let Some(name) = name {
                out.push((key, name.as_str()));
            }
        }
        out
    }
}
