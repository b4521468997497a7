//! `schemactl export`: a model table from PostgreSQL to a Parquet file, every row checked
//! against the model, then optionally synced into a DuckDB model's table.
//!
//! The query is built from the model ([`query`]), the rows streamed by COPY ([`read`])
//! into `schemactl_export`'s exporter (checks, Arrow batches, Parquet row groups), and the
//! file loaded into DuckDB in one transaction ([`sync`]).

#[cfg(feature = "duckdb")]
pub mod duck;
pub mod query;
pub mod read;
pub mod sync;

pub use sync::{SyncArgs, SyncPlan};
