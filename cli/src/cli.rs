//! The command line: argument parsing, logging set-up and exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag;
use crate::load;
use crate::local::{self, LocalCommand};
use crate::model::Model;
use crate::validate;

pub use crate::exit::{
    EXIT_CHANGES, EXIT_DATABASE, EXIT_INVALID, EXIT_LINT, EXIT_OK, EXIT_REFUSED, EXIT_TESTS,
    EXIT_USAGE,
};

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
    Migrate(crate::migrate::command::MigrateArgs),
    /// Report hazardous statements in SQL files (default: every migration under
    /// `migration/`), with file, line, column, rule, why and fix; exit 6 when there are
    /// any.
    Lint(crate::lint_command::LintArgs),
    /// Run the model's access tests (what each role may see and do: `access_tests`, and
    /// those derived from its policies and grants) in a throwaway database with the seed
    /// rows; exit 7 when one fails.
    Test(crate::access::TestArgs),
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
    Seed(crate::seed::command::SeedArgs),
    /// Load CSV, NDJSON or JSON files into tables by COPY, after validating every record.
    Load(crate::seed::command::LoadArgs),
    /// Export a model table from PostgreSQL to a Parquet file (snappy), streaming, every
    /// row checked against the model; optionally synced into a DuckDB model's table.
    Export(crate::export::command::ExportArgs),
    /// Write a model of a live database (its schemas, roles and everything in them) that
    /// provisions back to the same database; refuses when the model cannot express it.
    Pull(crate::pull::command::PullArgs),
    /// Run SQL files (pg_dump --schema-only output, hand-written scripts) in a throwaway
    /// database and pull the result: a model from a legacy SQL schema.
    Import(crate::pull::import::ImportArgs),
    /// Manage the project-local PostgreSQL server under target/.
    Local {
        #[command(subcommand)]
        command: LocalCommand,
    },
    /// Scratch databases on the dev server (where plans normalize models): list them,
    /// remove them.
    Dev {
        #[command(subcommand)]
        command: crate::scratch::DevCommand,
    },
    /// Generate the SeaORM entity crate or the documentation from the model.
    Generate {
        #[command(subcommand)]
        command: crate::generate::command::GenerateCommand,
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
    ExitCode::from(run(cli))
}

/// The log filter when SCHEMACTL_LOG is not set. Without -v: warnings, and what the
/// project-local server does (installing, starting: slow steps a user should see named).
pub fn default_log_filter(verbose: u8) -> &'static str {
    match verbose {
        0 => "warn,schemactl::local=info",
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

/// Runs a parsed command and returns its exit code.
pub fn run(cli: Cli) -> u8 {
    // DuckDB models and duckdb:// URLs: what the shared paths below do not select.
    if let Some(code) = crate::duck_command::intercept(&cli) {
        return code;
    }
    match &cli.command {
        Command::Validate => validate_command(&cli.schema),
        Command::JsonSchema => {
            let text = serde_json::to_string_pretty(&Model::json_schema()).unwrap_or_default();
            println!("{text}");
            EXIT_OK
        }
        Command::Plan {
            database_url: None,
            exit_code: true,
            ..
        } => {
            eprintln!(
                "error: --exit-code compares the model with a live database: give \
                 --database-url URL (or DATABASE_URL); without one, `plan` prints the \
                 create script"
            );
            EXIT_USAGE
        }
        Command::Plan {
            format,
            database_url: None,
            ..
        } => plan_command(&cli.schema, *format),
        Command::Plan {
            format,
            database_url: Some(url),
            exit_code,
        } => crate::upgrade_command::plan(&cli.schema, url, *format, *exit_code),
        Command::Apply {
            database_url,
            allow_hazards,
            yes,
            proof,
            fleet,
            rollout,
        } => {
            let allowed: Vec<crate::diff::Hazard> =
                allow_hazards.iter().map(|h| (*h).into()).collect();
            if fleet.fleet.is_some() {
                if !*yes {
                    eprintln!(
                        "error: apply --fleet changes every target of the fleet; pass --yes \
                         (`schemactl drift --fleet NAME` shows what would change)"
                    );
                    return EXIT_USAGE;
                }
                return crate::fleet::run(
                    &cli.schema,
                    fleet,
                    rollout.rollout(fleet.parallel),
                    crate::fleet::Operation::Apply { allowed },
                    show_progress(cli.verbose),
                );
            }
            match database_url {
                Some(url) => {
                    crate::upgrade_command::apply(&cli.schema, url, &allowed, *yes, *proof)
                }
                None => missing_target("apply"),
            }
        }
        Command::Migrate(args) => crate::migrate::command::run(&cli.schema, args, cli.verbose),
        Command::Lint(args) => crate::lint_command::run(&cli.schema, args),
        Command::Test(args) => crate::access::run(&cli.schema, args),
        Command::Drift {
            database_url,
            fleet,
        } => match (&fleet.fleet, database_url) {
            (Some(_), _) => crate::fleet::run(
                &cli.schema,
                fleet,
                crate::fleet::report_all(fleet.parallel),
                crate::fleet::Operation::Drift,
                show_progress(cli.verbose),
            ),
            (None, Some(url)) => crate::upgrade_command::drift(&cli.schema, url),
            (None, None) => missing_target("drift"),
        },
        Command::Provision {
            database_url: Some(url),
            recreate,
            yes,
            dry_run,
            ..
        } => provision_sqlite(&cli.schema, url, *recreate, *yes, *dry_run),
        Command::Provision {
            database,
            admin_url,
            recreate,
            yes,
            dry_run,
            database_url: None,
            allow_hazards,
        } => {
            let options = crate::provision::Options {
                database: database.clone(),
                admin_url: admin_url.clone(),
                recreate: *recreate,
                yes: *yes,
                dry_run: *dry_run,
                passwords: None,
                migrations: {
                    let dir = crate::migrate::default_dir(&cli.schema);
                    dir.join("sql").is_dir().then_some(dir)
                },
                allow_hazards: allow_hazards.iter().map(|h| (*h).into()).collect(),
                // The bar would garble logged statements, so -v (or SCHEMACTL_LOG) hides it.
                progress: crate::provision::Progress::on_terminal(show_progress(cli.verbose)),
            };
            provision_command(&cli.schema, &options)
        }
        Command::Generate { command } => crate::generate::command::run(&cli.schema, command),
        Command::Seed(args) => crate::seed::command::run_seed(&cli.schema, args),
        Command::Load(args) => crate::seed::command::run_load(&cli.schema, args),
        Command::Export(args) => {
            crate::export::command::run(&cli.schema, args, show_progress(cli.verbose))
        }
        Command::Pull(args) => crate::pull::command::run(args),
        Command::Import(args) => crate::pull::import::run(args),
        Command::Dev { command } => crate::scratch::run(command),
        Command::Local { command } => match local::run(command) {
            Ok(()) => EXIT_OK,
            Err(err) => crate::exit::report(&err, EXIT_USAGE),
        },
    }
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

fn provision_command(path: &std::path::Path, options: &crate::provision::Options) -> u8 {
    let loaded = match load_and_validate(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let runtime = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let result = runtime.block_on(crate::provision::provision(&loaded.model, options));
    options.progress.finish();
    match result {
        Ok(outcome) if options.dry_run => {
            for statement in &outcome.statements {
                println!("{statement};\n");
            }
            eprintln!(
                "dry run: {} statement(s) for database {}; nothing was changed",
                outcome.statements.len(),
                outcome.database
            );
            EXIT_OK
        }
        Ok(outcome) => {
            for line in outcome.report(started.elapsed()) {
                println!("{line}");
            }
            EXIT_OK
        }
        Err(err) => {
            match err.downcast_ref::<crate::execute::StepError>() {
                Some(crate::execute::StepError {
                    object: key,
                    message,
                    ..
                }) => {
                    let pointer = crate::provision::model_pointer(&loaded.model, key);
                    print_at(&loaded, &pointer, message);
                }
                _ => eprintln!("error: {err:#}"),
            }
            crate::exit::of_error(&err, EXIT_DATABASE)
        }
    }
}

/// `provision --database-url sqlite://FILE [--recreate --yes]`.
fn provision_sqlite(
    path: &std::path::Path,
    url: &str,
    recreate: bool,
    yes: bool,
    dry_run: bool,
) -> u8 {
    let loaded = match load_and_validate(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Err(err) = crate::sqlite::selected(&loaded.model, Some(url)) {
        eprintln!("error: {err:#}");
        return EXIT_USAGE;
    }
    if recreate && !yes && !dry_run {
        eprintln!("error: --recreate deletes the database file; pass --yes to confirm");
        return EXIT_USAGE;
    }
    let runtime = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    if dry_run {
        let file = crate::sqlite::path_of(url)
            .map(|p| p.exists())
            .unwrap_or(false);
        if recreate || !file {
            return match crate::sqlite::create_script(&loaded.model) {
                Ok(steps) => {
                    print!("{}", schemactl_sqlite::script_sql(&steps));
                    EXIT_OK
                }
                Err(err) => crate::exit::report(&err, EXIT_INVALID),
            };
        }
        return match runtime.block_on(crate::sqlite::plan(&loaded.model, url)) {
            Ok(plan) => {
                crate::upgrade_command::print_plan(
                    &crate::plan::Plan::Sqlite(plan),
                    PlanFormat::Sql,
                );
                EXIT_OK
            }
            Err(err) => crate::exit::report(&err, EXIT_DATABASE),
        };
    }
    let migrations = crate::migrate::default_dir(path);
    let migrations = migrations.join("sql").is_dir().then_some(migrations);
    match runtime.block_on(crate::sqlite::provision_with(
        &loaded.model,
        url,
        recreate,
        migrations.as_deref(),
    )) {
        Ok(done) => {
            let elapsed = started.elapsed().as_secs_f64();
            if done.seeded > 0 {
                println!("seeded {} row(s)", done.seeded);
            }
            let steps = done.steps.len() + done.migrations.len();
            if steps == 0 && done.seeded == 0 {
                println!(
                    "database {} already matches the model: no change ({elapsed:.2}s)",
                    done.path.display()
                );
            } else {
                println!(
                    "database {} {} with {} step(s) in {elapsed:.2}s",
                    done.path.display(),
                    if done.created { "created" } else { "upgraded" },
                    steps
                );
            }
            EXIT_OK
        }
        Err(err) => {
            report_sqlite_error(&loaded, &err);
            crate::exit::of_error(&err, EXIT_DATABASE)
        }
    }
}

/// The async runtime for a command; on failure the message is printed and the exit code
/// returned.
pub fn runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Runtime::new().map_err(|err| {
        eprintln!("error: cannot start the async runtime: {err}");
        EXIT_USAGE
    })
}

/// Prints `path:line:column: error: message` for the model value at `pointer`.
fn print_at(loaded: &load::Loaded, pointer: &str, message: &str) {
    let (file, pos) = loaded.source.value_at(pointer);
    eprintln!(
        "{}:{}:{}: error: {message}",
        file.path.display(),
        pos.line,
        pos.column
    );
}

/// Prints an error, prefixed with the model position of the object whose step failed.
pub fn report_sqlite_error(loaded: &load::Loaded, err: &anyhow::Error) {
    let step = err.downcast_ref::<crate::sqlite::StepError>();
    match step.map(|e| crate::provision::model_pointer(&loaded.model, &e.object)) {
        Some(pointer) => print_at(loaded, &pointer, &format!("{err:#}")),
        None => eprintln!("error: {err:#}"),
    }
}

fn plan_command(path: &std::path::Path, format: PlanFormat) -> u8 {
    let loaded = match load_and_validate(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if loaded.model.database.target == crate::model::Target::Sqlite {
        let plan = match crate::sqlite::create_script(&loaded.model) {
            Ok(steps) => crate::plan::Plan::Sqlite(steps),
            Err(err) => return crate::exit::report(&err, EXIT_INVALID),
        };
        match format {
            PlanFormat::Sql => print!("{}", plan.sql()),
            PlanFormat::Json => println!("{}", plan.json()),
        }
        return EXIT_OK;
    }
    let catalog = crate::catalog::from_model(&loaded.model);
    let steps = match schemactl_postgres::create_script(&catalog) {
        Ok(steps) => steps,
        Err(err) => return crate::exit::report(&err.into(), crate::exit::EXIT_INVALID),
    };
    let plan = crate::plan::Plan::Postgres {
        steps,
        owner: loaded.model.database.owner.clone(),
    };
    match format {
        PlanFormat::Sql => print!("{}", plan.sql()),
        PlanFormat::Json => println!("{}", plan.json()),
    }
    EXIT_OK
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
    let started = std::time::Instant::now();
    let result = load_and_validate_inner(path);
    tracing::debug!(
        "model loaded and validated in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    result
}

fn load_and_validate_inner(path: &std::path::Path) -> Result<load::Loaded, u8> {
    let text = match load::read_text(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: {err}");
            return Err(EXIT_USAGE);
        }
    };
    if let Some(loaded) = load::cached(path, &text) {
        return Ok(loaded);
    }
    let (source, diagnostics) = match load::load_str(path, text) {
        Ok(loaded) => {
            let started = std::time::Instant::now();
            let diagnostics = validate::validate(&loaded);
            tracing::debug!(
                "semantic validation in {:.3}s",
                started.elapsed().as_secs_f64()
            );
            if diagnostics.is_empty() {
                let started = std::time::Instant::now();
                load::remember(&loaded);
                tracing::debug!(
                    "cache entry written in {:.3}s",
                    started.elapsed().as_secs_f64()
                );
                return Ok(loaded);
            }
            (loaded.source, diagnostics)
        }
        Err(failure) => failure,
    };
    eprint!("{}", diag::render_all(&diagnostics, &source));
    Err(EXIT_INVALID)
}
