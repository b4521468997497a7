//! Seed 000's Steam data: a generator for a realistic sample and the two-pass import.

pub mod generate;
pub mod import;
mod records;
mod report;
mod texts;

pub use generate::{DEFAULT_APPS, DEFAULT_REVIEWS, DEFAULT_SEED, generate};
pub use import::{ImportOptions, ImportReport, import_file};
