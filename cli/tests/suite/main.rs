//! The CLI's integration tests, one module per area, in one test binary: each file linked
//! as its own binary (the whole CLI with DuckDB, about 200 MB each) made the test build
//! about 10 GB and spent minutes linking (docs/decisions.md, decision 34). nextest still runs
//! every test in its own process: `cargo nextest run -p schemactl -E 'test(/^upgrade_storage::/)'`.

// Test helpers outside #[test] functions unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod common_files;
mod common_pg;
mod common_pull;
mod common_shop;
mod common_upgrade;
mod export;
mod introspect_compare;

mod access_cli;
mod apply_cli;
mod apply_proof;
mod catalog_cache;
mod citus_render;
mod cli_exit_codes;
mod cluster;
mod dev_clean;
mod dev_server;
mod docs_examples;
mod duckdb_cli;
mod duckdb_upgrade;
mod export_events;
mod fleet_cli;
mod fleet_databases;
mod fleet_rollout;
mod generate_entities;
mod generate_sqlite;
mod introspect;
mod invalid_corpus;
mod lint_cli;
mod local_server;
mod lock_timeouts;
mod migrate_cli;
mod model_include;
mod model_size;
mod ordering_server_graph;
mod provision;
mod provision_errors;
mod provision_existing;
mod provision_output;
mod pull_import;
mod pull_roundtrip;
mod pull_unmanaged;
mod roles_managed;
mod seed_declared;
mod seed_fake;
mod seed_load;
mod sqlite_cli;
mod sqlite_seed;
mod sqlite_upgrade;
mod upgrade;
mod upgrade_aggregates;
mod upgrade_correctness;
mod upgrade_domains;
mod upgrade_exclusions;
mod upgrade_incremental;
mod upgrade_overloads;
mod upgrade_owners;
mod upgrade_partitions;
mod upgrade_procedures;
mod upgrade_sequences;
mod upgrade_storage;
