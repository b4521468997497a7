//! `schemactl export`'s library: a table's rows, read as PostgreSQL's COPY text, checked
//! against what the model declares (type, NOT NULL, enum labels, JSON validity, and the
//! model's checks evaluated by the server), gathered into Arrow record batches and written
//! as the row groups of a Parquet file (snappy), with the refused rows and their reasons
//! in a JSON-lines file beside it. Memory stays bounded: a batch being built, a few
//! queued for the writer thread.
//!
//! The database side (the query, its parameters, the COPY stream) lives in the CLI
//! (`cli/src/export`); this crate has no PostgreSQL driver.

pub mod batch;
pub mod columns;
pub mod copy_text;
pub mod parse;
pub mod pipeline;
pub mod sink;

pub use columns::{ColumnKind, ExportColumn, ExportSchema};
pub use pipeline::{BadRow, Exporter, Flow, Mode, Options, Outcome};
