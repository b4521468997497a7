//! `apply --fleet`, `migrate up --fleet` and `drift --fleet`: one model rolled out to many
//! databases, or many schemas, declared in the fleet file (docs/fleets.md).

pub mod report;
pub mod rollout;
pub mod targets;
mod tenant_text;
pub mod work;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use schemactl_model::diag::render_all_in;
use schemactl_model::fleet::{self, Fleet};
use schemactl_model::load::Source;

use crate::exit::{EXIT_DATABASE, EXIT_INVALID, EXIT_OK, EXIT_USAGE, report as report_error};
use crate::model::Target as Engine;
use crate::startup::load_and_validate;

pub use report::FleetFormat;
pub use rollout::Rollout;
pub use work::Operation;

/// The fleet file's name beside the model.
pub const FLEET_FILE: &str = "fleets.yaml";

/// The options every fleet command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct FleetArgs {
    /// Work on every target of this fleet (declared in the fleet file) instead of one
    /// database.
    #[arg(long, value_name = "NAME")]
    pub fleet: Option<String>,
    /// The fleet file (default: fleets.yaml beside the model).
    #[arg(long = "fleets", value_name = "FILE", requires = "fleet")]
    pub fleets_file: Option<PathBuf>,
    /// With --fleet: targets worked on at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub parallel: u16,
    /// With --fleet: a table per target (`table`) or one JSON document (`json`).
    #[arg(long, value_enum, default_value_t = FleetFormat::Table)]
    pub format: FleetFormat,
}

/// The options of the commands that change targets (`apply`, `migrate up`).
#[derive(Debug, Clone, clap::Args)]
pub struct RolloutArgs {
    /// With --fleet: the first N targets go first; when any of them fails, the others are
    /// not attempted.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub canary: usize,
    /// With --fleet: start no new target once K targets have failed.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_failures: Option<u64>,
}

impl RolloutArgs {
    pub fn rollout(&self, parallel: u16) -> Rollout {
        Rollout {
            parallel: usize::from(parallel),
            canary: self.canary,
            max_failures: self
                .max_failures
                .map(|k| usize::try_from(k).unwrap_or(usize::MAX)),
        }
    }
}

/// Drift never stops early: every target's state is reported.
pub fn report_all(parallel: u16) -> Rollout {
    Rollout {
        parallel: usize::from(parallel),
        canary: 0,
        max_failures: None,
    }
}

/// Runs `operation` on every target of the fleet `args.fleet`; returns the exit code.
pub fn run(
    schema: &Path,
    args: &FleetArgs,
    rollout: Rollout,
    operation: Operation,
    show_progress: bool,
) -> u8 {
    let Some(name) = &args.fleet else {
        eprintln!("error: no --fleet given");
        return EXIT_USAGE;
    };
    let loaded = match load_and_validate(schema) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if loaded.model.database.target == Engine::Sqlite {
        eprintln!("error: fleets are PostgreSQL databases or schemas; this model targets SQLite");
        return EXIT_USAGE;
    }
    let path = args.fleets_file.clone().unwrap_or_else(|| {
        schema
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(FLEET_FILE)
    });
    let (source, fleet) = match load_fleet(&path, name, &loaded.model) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let tenant_schema = fleet
        .tenant_schema
        .clone()
        .or_else(|| single_schema(&loaded.model));
    let runtime = match crate::startup::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = Instant::now();
    let targets = match runtime.block_on(targets::resolve(&fleet, &source)) {
        Ok(targets) => targets,
        Err(err) => return report_error(&err, EXIT_DATABASE),
    };
    if let Operation::MigrateUp { .. } = &operation
        && let Err(err) = targets::databases_only(&targets, "`migrate up --fleet`")
    {
        return report_error(&err, EXIT_USAGE);
    }
    if targets.is_empty() {
        println!("fleet {name} has no targets: nothing to do");
        return EXIT_OK;
    }
    if let Some(tenant) = &tenant_schema
        && targets.iter().any(|t| t.schema.is_some())
    {
        let problems = tenant_text::qualified_references(&loaded.model, tenant);
        if !problems.is_empty() {
            eprint!("{}", crate::diag::render_all(&problems, &loaded.source));
            return EXIT_INVALID;
        }
    }
    let operation_name = operation.name();
    let work = Arc::new(work::Work::new(loaded.model, tenant_schema, operation));
    let bar = rollout::progress_bar(show_progress, targets.len());
    let outcomes = runtime.block_on(rollout::run(work, targets, rollout, &bar));
    bar.finish_and_clear();
    report::print(
        name,
        operation_name,
        &outcomes,
        started.elapsed().as_secs_f64(),
        args.format,
    )
}

/// The model's only schema: the tenant schema when the fleet names none.
fn single_schema(model: &crate::model::Model) -> Option<String> {
    match model.schemas.keys().collect::<Vec<_>>().as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    }
}

/// Reads the fleet file, checks it against the model and picks the fleet `name`; on
/// failure prints why and returns the exit code.
fn load_fleet(path: &Path, name: &str, model: &crate::model::Model) -> Result<(Source, Fleet), u8> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!(
                "error: cannot read the fleet file {}: {err} (--fleets FILE names another)",
                path.display()
            );
            return Err(EXIT_USAGE);
        }
    };
    let (source, file) = match fleet::load(path, text) {
        Ok(loaded) => loaded,
        Err((source, diagnostics)) => {
            eprint!("{}", render_all_in(&diagnostics, &source, "the fleet file"));
            return Err(EXIT_INVALID);
        }
    };
    let diagnostics = fleet::check_against_model(&file, model);
    if !diagnostics.is_empty() {
        eprint!("{}", render_all_in(&diagnostics, &source, "the fleet file"));
        return Err(EXIT_INVALID);
    }
    match file.fleets.get(name) {
        Some(fleet) => Ok((source, fleet.clone())),
        None => {
            let known: Vec<&str> = file.fleets.keys().map(String::as_str).collect();
            eprintln!(
                "error: {} declares no fleet `{name}` (it declares: {})",
                path.display(),
                known.join(", ")
            );
            Err(EXIT_USAGE)
        }
    }
}
