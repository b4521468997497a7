//! Putting rows into a provisioned database: the model's declared seed rows, bulk loads of
//! CSV/NDJSON/JSON files by COPY, the Steam sample (generator and two-pass import), and
//! FK-consistent synthetic rows for any table.
//!
//! Every command works in one transaction: a failure anywhere leaves the database as it was.

pub mod bulk;
mod check;
pub mod command;
pub mod declared;
pub mod fake;
mod fake_values;
pub mod load;
pub mod pg;
pub mod steam;
pub mod types;
