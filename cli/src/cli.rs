//! The command line: argument parsing, logging set-up and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag;
use crate::load;
use crate::local::{self, LocalCommand};
use crate::model::Model;
use crate::validate;

/// Exit code for a valid run.
pub const EXIT_OK: u8 = 0;
/// Exit code for an invalid model (including malformed YAML).
pub const EXIT_INVALID: u8 = 1;
/// Exit code for usage and I/O errors.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "schemactl",
    version,
    about = "Declarative schema and migration management for PostgreSQL from one YAML model",
    long_about = "schemactl reads a YAML model (schema.yaml) that describes a whole database and \
                  provisions, upgrades, documents and seeds databases from it.\n\n\
                  Logging is controlled by SCHEMACTL_LOG (e.g. SCHEMACTL_LOG=debug)."
)]
pub struct Cli {
    /// Path of the model file.
    #[arg(
        long,
        global = true,
        env = "SCHEMACTL_SCHEMA",
        default_value = "schema.yaml"
    )]
    pub schema: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the model and report every problem with its file, line and column.
    Validate,
    /// Print the JSON Schema of the model format (kept at docs/schema.json).
    JsonSchema,
    /// Manage the project-local PostgreSQL server under target/.
    Local {
        #[command(subcommand)]
        command: LocalCommand,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    init_tracing();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    ExitCode::from(run(cli))
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("SCHEMACTL_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// Runs a parsed command and returns its exit code.
pub fn run(cli: Cli) -> u8 {
    match &cli.command {
        Command::Validate => validate_command(&cli.schema),
        Command::JsonSchema => {
            let text = serde_json::to_string_pretty(&Model::json_schema()).unwrap_or_default();
            println!("{text}");
            EXIT_OK
        }
        Command::Local { command } => match local::run(command) {
            Ok(()) => EXIT_OK,
            Err(err) => {
                eprintln!("error: {err:#}");
                EXIT_USAGE
            }
        },
    }
}

fn validate_command(path: &std::path::Path) -> u8 {
    match load_and_validate(path) {
        Ok(loaded) => {
            let m = &loaded.model;
            let tables: usize = m.schemas.values().map(|s| s.tables.len()).sum();
            println!(
                "{}: valid ({} schemas, {} tables, {} roles)",
                path.display(),
                m.schemas.len(),
                tables,
                m.roles.len()
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}

/// Loads and validates a model, printing diagnostics; on failure returns the exit code.
pub fn load_and_validate(path: &std::path::Path) -> Result<load::Loaded, u8> {
    let result = match load::load_file(path) {
        Ok(result) => result,
        Err(err) => {
            eprintln!("error: {err}");
            return Err(EXIT_USAGE);
        }
    };
    let (source, diagnostics) = match result {
        Ok(loaded) => {
            let diagnostics = validate::validate(&loaded);
            if diagnostics.is_empty() {
                return Ok(loaded);
            }
            (loaded.source, diagnostics)
        }
        Err(failure) => failure,
    };
    eprint!("{}", diag::render_all(&diagnostics, &source));
    Err(EXIT_INVALID)
}
