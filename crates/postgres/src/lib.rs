//! schemactl's PostgreSQL flavour: typed steps rendered as PostgreSQL statements.

pub mod render;

use schemactl_core::diff::{Capabilities, TableChange};

/// What PostgreSQL can change in place: everything but a table's partitioning.
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

impl Capabilities for Postgres {
    fn alters_in_place(&self, change: &TableChange) -> bool {
        *change != TableChange::Partitioning
    }

    fn concurrent_indexes(&self) -> bool {
        true
    }

    fn foreign_keys_inline(&self) -> bool {
        false
    }
}

use schemactl_core::catalog::{Catalog, SchemaDef};
use schemactl_core::diff::{self, Hints};
use schemactl_core::statement::{RenderError, RenderedStep};
use schemactl_core::step::Pair;

pub mod script;

/// What a new database holds before the model is applied: the `public` schema (when the
/// model speaks of it: otherwise it is not managed), and the cluster's roles, which are
/// provisioning's business, not a database script's.
pub fn fresh_database(desired: &Catalog) -> Catalog {
    let mut fresh = Catalog {
        database: desired.database.clone(),
        roles: desired.roles.clone(),
        ..Catalog::default()
    };
    if desired.schemas.contains_key("public") {
        fresh.schemas.insert(
            "public".to_string(),
            SchemaDef {
                owner: Some("pg_database_owner".to_string()),
                comment: Some("standard public schema".to_string()),
                ..SchemaDef::default()
            },
        );
    }
    fresh
}

/// The steps that create `desired` in a new database: the diff from a fresh database.
pub fn create_script(desired: &Catalog) -> Result<Vec<RenderedStep>, RenderError> {
    let fresh = fresh_database(desired);
    plan(&fresh, desired, &Hints::default())
}

/// The rendered steps from `current` to `desired`.
pub fn plan(
    current: &Catalog,
    desired: &Catalog,
    hints: &Hints,
) -> Result<Vec<RenderedStep>, RenderError> {
    let pair = Pair::new(current, desired);
    let plan = diff::diff(pair, hints, &Postgres);
    render::render_plan(&plan, pair)
}
