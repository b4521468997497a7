//! The differ on DuckDB without a database file: pairs of small models → catalogs →
//! typed steps → DuckDB statements, each case a snapshot under `snapshots/` (one file per
//! test, named after it), and each checked in an in-memory DuckDB: an upgrade from
//! `before` (holding the case's rows) must describe exactly as a fresh `after`. To add a
//! case: write the test, run it with `INSTA_UPDATE=always cargo test -p schemactl-duckdb
//! --test differ NAME`, read the new `.snap` file: it must be correct SQL for the change.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

/// A case named after the test function that starts it.
macro_rules! case {
    () => {{
        fn here() {}
        let path = std::any::type_name_of_val(&here);
        let path = path.strip_suffix("::here").unwrap_or(path);
        crate::harness::Case::new(path.rsplit("::").next().unwrap_or(path))
    }};
}

mod harness;

mod objects;
mod tables;
