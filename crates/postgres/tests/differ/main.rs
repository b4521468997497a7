//! The differ without a database: pairs of small models → catalogs → typed steps →
//! PostgreSQL statements, each case a snapshot under `snapshots/` (one file per test,
//! named after it). A case reads as a before/after model pair; the snapshot shows that
//! pair as one marked text, then every step with its hazards and every statement with
//! its transaction mode. To add a case: write the test, run
//! `cargo insta test -p schemactl-postgres --test differ` (or the test with
//! `INSTA_UPDATE=always`), read the new `.snap` file: it must be correct SQL for the
//! change, then accept it (`cargo insta review`, or `cargo insta accept`).

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

mod access;
mod aggregates;
mod columns;
mod composite;
mod constraints;
mod create;
mod domains;
mod drops;
mod enums;
mod indexes;
mod overloads;
mod owners;
mod partitions;
mod routines;
mod sequences;
mod storage;
mod views;
