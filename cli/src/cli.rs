//! The command line: argument parsing, logging set-up, exit codes and what the commands
//! (`crate::commands`, one file each) share.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::local::LocalCommand;

pub use crate::exit::{
    EXIT_CHANGES, EXIT_DATABASE, EXIT_INVALID, EXIT_LINT, EXIT_OK, EXIT_REFUSED, EXIT_TESTS,
    EXIT_USAGE,
};
pub use crate::startup::{load_and_validate, print_at, report_sqlite_error, runtime};

#[derive(Debug, Parser)]
#[command(
    name = "schemactl",
    version,
    about = "Declarative schema and migration management for PostgreSQL from one YAML model",
    long_about = "schemactl reads a YAML model (schema.yaml) that describes a whole database and \
                  provisions, upgrades, documents and seeds databases from it.\n\n\
                  Commands print a short summary; -v also logs every statement (-vv: \
                  debug). SCHEMACTL_LOG (an EnvFilter, e.g. SCHEMACTL_LOG=debug) overrides -v."
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
    /// Admin URL of a dev server where plans may create scratch databases (to normalize
    /// the model). Default: the target's server when it is a project-local cluster, else
    /// the running project-local server of the same major version. Never the target.
    #[arg(long, global = true, env = "SCHEMACTL_DEV_URL", hide_env_values = true)]
    pub dev_url: Option<String>,
    /// Log every statement and step on stderr (-vv: debug details).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How long each statement that changes a live database waits for a lock
    /// (`lock_timeout`) before the step is rolled back and tried again (e.g. 5s, 500ms).
    #[arg(long, global = true, env = "SCHEMACTL_LOCK_TIMEOUT", default_value = "5s",
          value_parser = humantime::parse_duration)]
    pub lock_timeout: std::time::Duration,
    /// How many times a step that timed out on a lock is tried again (with backoff from
    /// 1 s, doubling) before the command fails naming the blocking sessions.
    #[arg(
        long,
        global = true,
        env = "SCHEMACTL_LOCK_RETRIES",
        default_value_t = 3
    )]
    pub lock_retries: u32,
    /// `statement_timeout` of each statement that changes a live database (0: none).
    #[arg(long, global = true, env = "SCHEMACTL_STATEMENT_TIMEOUT", default_value = "0s",
          value_parser = humantime::parse_duration)]
    pub statement_timeout: std::time::Duration,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the model and report every problem with its file, line and column.
    Validate,
    /// Print the JSON Schema of the model format (kept at docs/schema.json).
    JsonSchema,
    /// Print the SQL that creates the model in an empty database (no server needed).
    /// Print the SQL that takes a database to the model: from an empty database (no
    /// server needed), or with --database-url from that live database, hazards shown.
    Plan {
        /// Output format: `sql` (a script) or `json` (the ordered steps).
        #[arg(long, value_enum, default_value_t = PlanFormat::Sql)]
        format: PlanFormat,
        /// Compare with this live database instead of an empty one.
        #[arg(long, env = "DATABASE_URL")]
        database_url: Option<String>,
        /// Exit 3 when the live database differs from the model, 0 when it does not;
        /// needs --database-url (without a database there is nothing to compare).
        #[arg(long)]
        exit_code: bool,
    },
    /// Apply the plan from a live database to the model, refusing hazards not allowed; with
    /// --fleet, to every target of a fleet (docs/fleets.md).
    Apply {
        /// The database (not needed with --fleet).
        #[arg(long, env = "DATABASE_URL")]
        database_url: Option<String>,
        /// Allow steps with this hazard (repeatable).
        #[arg(long = "allow-hazard", value_enum)]
        allow_hazards: Vec<HazardArg>,
        /// Apply without asking for confirmation (required with --fleet).
        #[arg(long, short = 'y')]
        yes: bool,
        /// Rehearse first: run the plan on a copy of the target's schema in a database on
        /// the dev server (see --dev-url) and check the copy then matches the model; only
        /// then touch the target (exit 5 and the target untouched otherwise).
        #[arg(long)]
        proof: bool,
        #[command(flatten)]
        fleet: crate::fleet::FleetArgs,
        #[command(flatten)]
        rollout: crate::fleet::RolloutArgs,
    },
    /// Versioned migrations: write the next one offline, apply or revert them.
    Migrate(crate::commands::migrate::MigrateArgs),
    /// Report hazardous statements in SQL files (default: every migration under
    /// `migration/`), with file, line, column, rule, why and fix; exit 6 when there are
    /// any.
    Lint(crate::commands::lint::LintArgs),
    /// Run the model's access tests (what each role may see and do: `access_tests`, and
    /// those derived from its policies and grants) in a throwaway database with the seed
    /// rows; exit 7 when one fails.
    Test(crate::commands::test::TestArgs),
    /// Exit 3 and print the difference when the database does not match the model (4 when it
    /// cannot be reached or read); with --fleet, every target's state.
    Drift {
        /// The database (not needed with --fleet).
        #[arg(long, env = "DATABASE_URL")]
        database_url: Option<String>,
        #[command(flatten)]
        fleet: crate::fleet::FleetArgs,
    },
    /// Create or bring up to date a database with everything the model declares: roles,
    /// the database, extensions, schema objects, grants, policies and seed rows.
    Provision {
        /// Database to provision (default: the model's `database.name`).
        database: Option<String>,
        /// Admin connection URL (default: SCHEMACTL_ADMIN_URL, then the project-local server).
        #[arg(long)]
        admin_url: Option<String>,
        /// SQLite and DuckDB models: the database file, as sqlite://FILE or duckdb://FILE
        /// (created when missing).
        #[arg(long)]
        database_url: Option<String>,
        /// Terminate connections, drop the database and provision it from scratch.
        #[arg(long)]
        recreate: bool,
        /// Confirm `--recreate` without asking.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Print every statement and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Existing databases: allow plan steps with this hazard (repeatable). Changes of
        /// who may do what (authorization) are what provisioning is for and always allowed.
        #[arg(long = "allow-hazard", value_enum)]
        allow_hazards: Vec<HazardArg>,
    },
    /// Apply the model's declared seed rows (idempotent upserts, one transaction), or with
    /// --fake add FK-consistent synthetic rows to any tables.
    Seed(crate::commands::seed::SeedArgs),
    /// Load CSV, NDJSON or JSON files into tables by COPY, after validating every record.
    Load(crate::commands::load::LoadArgs),
    /// Export a model table from PostgreSQL to a Parquet file (snappy), streaming, every
    /// row checked against the model; optionally synced into a DuckDB model's table.
    Export(crate::commands::export::ExportArgs),
    /// Write a model of a live database (its schemas, roles and everything in them) that
    /// provisions back to the same database; refuses when the model cannot express it.
    Pull(crate::commands::pull::PullArgs),
    /// Run SQL files (pg_dump --schema-only output, hand-written scripts) in a throwaway
    /// database and pull the result: a model from a legacy SQL schema.
    Import(crate::commands::import::ImportArgs),
    /// Manage the project-local PostgreSQL server under target/.
    Local {
        #[command(subcommand)]
        command: LocalCommand,
    },
    /// Scratch databases on the dev server (where plans normalize models): list them,
    /// remove them.
    Dev {
        #[command(subcommand)]
        command: crate::commands::dev::DevCommand,
    },
    /// Generate the SeaORM entity crate or the documentation from the model.
    Generate {
        #[command(subcommand)]
        command: crate::commands::generate::GenerateCommand,
    },
}

/// A hazard named on the command line (`--allow-hazard data-loss`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HazardArg {
    /// Rows, columns or objects are deleted.
    DataLoss,
    /// The table is rewritten (all rows copied).
    TableRewrite,
    /// Readers and writers wait on an ACCESS EXCLUSIVE (or write-blocking) lock.
    AccessExclusiveLock,
    /// Who may do what changes: grants, revokes, owners, roles, policies.
    Authorization,
}

impl From<HazardArg> for crate::diff::Hazard {
    fn from(arg: HazardArg) -> Self {
        use crate::diff::Hazard;
        match arg {
            HazardArg::DataLoss => Hazard::DataLoss,
            HazardArg::TableRewrite => Hazard::TableRewrite,
            HazardArg::AccessExclusiveLock => Hazard::AccessExclusiveLock,
            HazardArg::Authorization => Hazard::Authorization,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Sql,
    Json,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // A .env file is a convenience for local work; its absence is normal.
    let _ = dotenvy::dotenv();
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
    init_tracing(cli.verbose);
    if let Some(url) = &cli.dev_url {
        crate::dev::set_explicit(url);
    }
    crate::lock_wait::set_policy(crate::lock_wait::LockPolicy {
        lock_timeout: cli.lock_timeout,
        statement_timeout: cli.statement_timeout,
        retries: cli.lock_retries,
        ..crate::lock_wait::LockPolicy::default()
    });
    ExitCode::from(crate::commands::run(&cli))
}

/// The log filter when SCHEMACTL_LOG is not set. Without -v: warnings, and what the
/// project-local server does (installing, starting: slow steps a user should see named).
pub fn default_log_filter(verbose: u8) -> &'static str {
    match verbose {
        0 => "warn,schemactl_local=info",
        1 => "info,sqlx=warn",
        2 => "debug,sqlx=warn",
        _ => "trace",
    }
}

fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SCHEMACTL_LOG")
        .unwrap_or_else(|_| EnvFilter::new(default_log_filter(verbose)));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

/// A live progress bar is drawn unless statements are logged (-v or SCHEMACTL_LOG), which
/// it would garble.
pub fn show_progress(verbose: u8) -> bool {
    verbose == 0 && std::env::var_os("SCHEMACTL_LOG").is_none()
}

/// The error for a command given neither a database nor a fleet.
pub fn missing_target(command: &str) -> u8 {
    eprintln!(
        "error: {command} needs a database: give --database-url URL (or DATABASE_URL), or \
         --fleet NAME for every target of a fleet"
    );
    EXIT_USAGE
}
