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
