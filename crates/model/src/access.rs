//! Access tests: expectations about what a role may see and do, checked by
//! `schemactl test` in a throwaway database holding the model and its seed rows.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One expectation: as role `as` (with `settings` and `setup`), statement `sql` returns
/// or changes `rows` rows, or every row it returns satisfies `all`, or it `fails`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AccessTest {
    /// What the test checks, in words; printed with its result. Unique among the tests.
    pub name: String,
    /// The role the statement runs as (`SET LOCAL ROLE`); a role of the model.
    #[serde(rename = "as")]
    pub role: String,
    /// Settings for the test's transaction, name → value (`set_config(name, value,
    /// true)`), e.g. `ims.current_user_id: "2"`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub settings: IndexMap<String, String>,
    /// Statements run as the role before `sql`, in order, e.g.
    /// `SELECT ims.set_current_user(2)`. A failing one fails the test.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<String>,
    /// The statement under test: a query, or an INSERT, UPDATE or DELETE.
    pub sql: String,
    /// What must happen.
    pub expect: Expectation,
}

/// What an access test expects. `rows` and `all` describe a statement that succeeds;
/// `fails` or `sqlstate` one that fails. At least one key is required.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The number of rows the query returns (or the INSERT, UPDATE or DELETE changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    /// A SQL predicate over the query's output columns that every returned row satisfies,
    /// e.g. `user_id = 2` (the query is read as `SELECT … FROM (sql) AS t WHERE NOT
    /// (all)`); `sql` must then be a query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<String>,
    /// The statement fails: `permission_denied` (no privilege, SQLSTATE 42501),
    /// `rls_violation` (a new row refused by a policy's WITH CHECK, 42501) or `denied`
    /// (either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails: Option<Denial>,
    /// The statement fails with this SQLSTATE, e.g. `23505`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlstate: Option<String>,
}

/// How a statement is refused.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Denial {
    /// SQLSTATE 42501 for a missing privilege (not a row-level security policy).
    PermissionDenied,
    /// SQLSTATE 42501 from a row-level security policy: the new row violates its
    /// WITH CHECK (or USING) expression.
    RlsViolation,
    /// SQLSTATE 42501, for either reason.
    Denied,
}

impl Denial {
    pub fn as_str(self) -> &'static str {
        match self {
            Denial::PermissionDenied => "permission_denied",
            Denial::RlsViolation => "rls_violation",
            Denial::Denied => "denied",
        }
    }
}
