//! Seed 000's Steam data on schemactl's public load API: a generator for a realistic
//! sample ([`generate()`]) and the two-pass import ([`import_file`]) into the `steam` schema
//! of the repository's model (`schema.yaml`; its entities are the `entity` crate's
//! `steam` module). The binary `steam-import` puts both on the command line.
//!
//! What is generic lives in the library `schemactl::seed`: COPY and bulk mode, lookup
//! tables resolved by name (`seed::lookup`, pass 1) and upsert loads (`seed::upsert`).
//! What is here is the data set: the API's record shapes, their mapping onto the tables,
//! the generator and the summary.

pub mod generate;
pub mod import;
mod records;
mod report;
mod texts;

pub use generate::{DEFAULT_APPS, DEFAULT_REVIEWS, DEFAULT_SEED, generate};
pub use import::{ImportOptions, ImportReport, import_file};
pub use report::thousands;
