//! schemactl: declarative schema and migration management from one YAML model.
//!
//! The pipeline, one module per stage: [`load`] reads `schema.yaml` into a [`model::Model`],
//! [`validate`] checks it and reports every problem as a [`diag::Diagnostic`], and
//! [`local`] runs the project-local PostgreSQL that commands use when no server is
//! configured.

// The model layer lives in its own crate; these names keep the library's paths.
pub use schemactl_cache as cache;
pub use schemactl_model as model;
pub use schemactl_model::{diag, load, validate};

pub use schemactl_core::{catalog, deps, sql};

pub mod access;
pub mod cli;
pub mod commands;
pub mod db;
pub mod dev;
pub mod diff;
pub mod duck;
pub mod execute;
pub mod exit;
pub mod export;
pub mod fleet;
pub mod generate;
pub mod introspect;
pub use schemactl_local as local;
pub mod lock_wait;
pub mod migrate;
pub mod normalize;
pub mod plan;
pub mod proof;
pub mod provision;
pub mod pull;
pub mod scratch;
pub mod seed;
pub mod sqlite;
pub mod startup;
pub mod upgrade;
