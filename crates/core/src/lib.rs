//! schemactl's engine, with no database driver: the catalog (what a database holds,
//! whether read from a live database or built from the model), the dependency order of
//! its objects, quoting for the SQL text the catalog carries, and the diff between two
//! catalogs as typed [`step::Step`]s.

pub mod catalog;
pub mod deps;
mod describe;
pub mod diff;
mod hazards;
pub mod sql;
pub mod statement;
pub mod step;

pub use describe::target_text;
pub use hazards::{is_binary_widening, is_volatile};
