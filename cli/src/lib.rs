//! schemactl: declarative schema and migration management from one YAML model.
//!
//! The pipeline, one module per stage: [`load`] reads `schema.yaml` into a [`model::Model`],
//! [`validate`] checks it and reports every problem as a [`diag::Diagnostic`], and
//! [`local`] runs the project-local PostgreSQL that commands use when no server is
//! configured.

pub mod cache;
pub mod catalog;
pub mod cli;
pub mod db;
pub mod diag;
pub mod diff;
pub mod exit;
pub mod generate;
pub mod introspect;
pub mod load;
pub mod local;
pub mod migrate;
pub mod model;
pub mod provision;
pub mod render;
pub mod seed;
pub mod sql;
pub mod sqlite;
pub mod upgrade;
pub mod upgrade_command;
pub mod validate;
