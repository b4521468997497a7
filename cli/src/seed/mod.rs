//! Putting rows into a provisioned database: the model's declared seed rows, bulk loads of
//! CSV/NDJSON/JSON files by COPY (optionally as upserts), FK-consistent synthetic rows for
//! any table, and the pieces programs build their own imports from: COPY and bulk mode
//! ([`pg`], [`bulk`]), upsert loads ([`upsert`]) and lookup tables resolved by name
//! ([`lookup`], pass 1 of a two-pass import). `examples/steam` is such a program.
//!
//! Every command works in one transaction: a failure anywhere leaves the database as it was.

pub mod bulk;
mod check;
pub mod declared;
pub mod fake;
mod fake_values;
pub mod load;
pub mod lookup;
pub mod pg;
mod stream;
pub mod types;
pub mod upsert;
