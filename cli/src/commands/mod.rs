//! One file per command: each turns its arguments into calls on the library and the
//! outcome into output and an exit code (see [`crate::exit`]).
//!
//! | Command | File |
//! |---------|------|
//! | `validate` | [`validate`] |
//! | `json-schema` | [`json_schema`] |
//! | `plan` | [`plan`] (with [`live`], shared with `drift` and `apply`) |
//! | `apply` | [`apply`] |
//! | `drift` | [`drift`] |
//! | `provision` | [`provision`] |
//! | `migrate` | [`migrate`] |
//! | `lint` | [`lint`] |
//! | `test` | [`test`] |
//! | `seed` | [`seed`] |
//! | `load` | [`load`] |
//! | `export` | [`export`] |
//! | `pull` | [`pull`] |
//! | `import` | [`import`] |
//! | `generate` | [`generate`] |
//! | `local` | [`local`] |
//! | `dev` | [`dev`] |
//!
//! DuckDB models take some of these through [`duckdb`] first.

pub mod apply;
pub mod dev;
pub mod drift;
pub mod duckdb;
pub mod export;
pub mod generate;
pub mod import;
pub mod json_schema;
pub mod lint;
mod live;
pub mod load;
pub mod local;
pub mod migrate;
pub mod plan;
pub mod provision;
pub mod pull;
pub mod seed;
pub mod test;
pub mod validate;

use crate::cli::{Cli, Command, show_progress};

/// Runs a parsed command and returns its exit code.
pub fn run(cli: &Cli) -> u8 {
    // DuckDB models and duckdb:// URLs: what the shared paths below do not select.
    if let Some(code) = duckdb::intercept(cli) {
        return code;
    }
    let schema = cli.schema.as_path();
    match &cli.command {
        Command::Validate => validate::run(schema),
        Command::JsonSchema => json_schema::run(),
        Command::Plan {
            format,
            database_url,
            exit_code,
        } => plan::run(schema, *format, database_url.as_deref(), *exit_code),
        Command::Apply {
            database_url,
            allow_hazards,
            yes,
            proof,
            fleet,
            rollout,
        } => {
            let args = apply::ApplyArgs {
                database_url: database_url.as_deref(),
                allow_hazards,
                yes: *yes,
                proof: *proof,
                fleet,
                rollout,
            };
            apply::run(schema, &args, cli.verbose)
        }
        Command::Migrate(args) => migrate::run(schema, args, cli.verbose),
        Command::Lint(args) => lint::run(schema, args),
        Command::Test(args) => test::run(schema, args),
        Command::Drift {
            database_url,
            fleet,
        } => drift::run(schema, database_url.as_deref(), fleet, cli.verbose),
        Command::Provision {
            database,
            admin_url,
            database_url,
            recreate,
            yes,
            dry_run,
            allow_hazards,
        } => {
            let args = provision::ProvisionArgs {
                database: database.as_deref(),
                admin_url: admin_url.as_deref(),
                database_url: database_url.as_deref(),
                recreate: *recreate,
                yes: *yes,
                dry_run: *dry_run,
                allow_hazards,
            };
            provision::run(schema, &args, cli.verbose)
        }
        Command::Generate { command } => generate::run(schema, command),
        Command::Seed(args) => seed::run(schema, args),
        Command::Load(args) => load::run(schema, args),
        Command::Export(args) => export::run(schema, args, show_progress(cli.verbose)),
        Command::Pull(args) => pull::run(args),
        Command::Import(args) => import::run(args),
        Command::Dev { command } => dev::run(command),
        Command::Local { command } => local::run(command),
    }
}
