//! The commands for DuckDB models that do not go through the shared `plan`/`apply`/
//! `drift` path (which selects DuckDB by the model and the URL, see `upgrade::plan_on`):
//! `provision --database-url duckdb://FILE`, `plan` without a database, and the refusal
//! of commands that have no DuckDB implementation.

use std::path::Path;

use crate::cli::{Cli, Command, PlanFormat, load_and_validate};
use crate::exit::{EXIT_USAGE, report};

/// Whether the model file (when it exists and loads) targets DuckDB. A model that does
/// not load says nothing here: the command reports it.
fn targets_duckdb(schema: &Path) -> bool {
    let Ok(text) = crate::load::read_text(schema) else {
        return false;
    };
    crate::load::load_str(schema, text).is_ok_and(|loaded| crate::duck::is_model(&loaded.model))
}

/// The exit code of a command that DuckDB handles here; `None` for every other command
/// (including `plan`/`apply`/`drift --database-url`, which select DuckDB themselves).
pub fn intercept(cli: &Cli) -> Option<u8> {
    let schema = cli.schema.as_path();
    match &cli.command {
        Command::Provision {
            database_url: Some(url),
            recreate,
            yes,
            dry_run,
            ..
        } if crate::duck::is_url(url) || targets_duckdb(schema) => {
            Some(provision(schema, url, *recreate, *yes, *dry_run))
        }
        Command::Provision {
            database_url: None, ..
        } if targets_duckdb(schema) => Some(usage(
            "the model targets DuckDB: give the file as --database-url duckdb://FILE",
        )),
        Command::Plan {
            database_url: None,
            exit_code: false,
            format,
        } if targets_duckdb(schema) => Some(create_script(schema, *format)),
        Command::Apply { fleet, .. } | Command::Drift { fleet, .. }
            if fleet.fleet.is_some() && targets_duckdb(schema) =>
        {
            Some(refuse("--fleet"))
        }
        Command::Generate { .. } if targets_duckdb(schema) => Some(refuse("generate")),
        Command::Migrate(_) if targets_duckdb(schema) => Some(refuse("migrate")),
        Command::Seed(_) if targets_duckdb(schema) => Some(refuse("seed")),
        Command::Load(_) if targets_duckdb(schema) => Some(refuse("load")),
        _ => None,
    }
}

fn usage(message: &str) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

fn refuse(command: &str) -> u8 {
    report(&crate::duck::unsupported(command), EXIT_USAGE)
}

#[cfg(not(feature = "duckdb"))]
fn provision(schema: &Path, url: &str, _: bool, _: bool, _: bool) -> u8 {
    no_duckdb(schema, url)
}

#[cfg(not(feature = "duckdb"))]
fn create_script(schema: &Path, _: PlanFormat) -> u8 {
    no_duckdb(schema, "")
}

/// Without the `duckdb` feature every DuckDB command ends here, with the reason.
#[cfg(not(feature = "duckdb"))]
fn no_duckdb(schema: &Path, url: &str) -> u8 {
    let loaded = match load_and_validate(schema) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let url = (!url.is_empty()).then_some(url);
    match crate::duck::selected(&loaded.model, url) {
        Ok(_) => usage("this schemactl was built without DuckDB (cargo feature `duckdb`)"),
        Err(err) => report(&err, EXIT_USAGE),
    }
}

/// `plan` without a database: the create script of a new file.
#[cfg(feature = "duckdb")]
fn create_script(schema: &Path, format: PlanFormat) -> u8 {
    let loaded = match load_and_validate(schema) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let plan = match crate::duck::create_script(&loaded.model) {
        Ok(steps) => crate::plan::Plan::Duckdb(steps),
        Err(err) => return report(&err, crate::exit::EXIT_INVALID),
    };
    match format {
        PlanFormat::Sql => print!("{}", plan.sql()),
        PlanFormat::Json => println!("{}", plan.json()),
    }
    crate::exit::EXIT_OK
}

/// `provision --database-url duckdb://FILE [--recreate --yes] [--dry-run]`.
#[cfg(feature = "duckdb")]
fn provision(schema: &Path, url: &str, recreate: bool, yes: bool, dry_run: bool) -> u8 {
    let loaded = match load_and_validate(schema) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Err(err) = crate::duck::selected(&loaded.model, Some(url)) {
        return report(&err, EXIT_USAGE);
    }
    if recreate && !yes && !dry_run {
        return usage("--recreate deletes the database file; pass --yes to confirm");
    }
    let started = std::time::Instant::now();
    if dry_run {
        let exists = crate::duck::path_of(url).is_ok_and(|p| p.exists());
        let steps = if recreate || !exists {
            crate::duck::create_script(&loaded.model)
        } else {
            crate::duck::plan(&loaded.model, url)
        };
        return match steps {
            Ok(steps) => {
                print!("{}", crate::duck::script_sql(&steps));
                crate::exit::EXIT_OK
            }
            Err(err) => report(&err, crate::exit::EXIT_DATABASE),
        };
    }
    match crate::duck::provision(&loaded.model, url, recreate) {
        Ok(done) => {
            let elapsed = started.elapsed().as_secs_f64();
            if done.steps.is_empty() {
                println!(
                    "database {} already matches the model: no change ({elapsed:.2}s)",
                    done.path.display()
                );
            } else {
                println!(
                    "database {} {} with {} step(s) in {elapsed:.2}s",
                    done.path.display(),
                    if done.created { "created" } else { "upgraded" },
                    done.steps.len()
                );
            }
            crate::exit::EXIT_OK
        }
        Err(err) => {
            report_error(&loaded, &err);
            crate::exit::of_error(&err, crate::exit::EXIT_DATABASE)
        }
    }
}

/// Prints an error, prefixed with the model position of the object whose step failed.
#[cfg(feature = "duckdb")]
pub fn report_error(loaded: &crate::load::Loaded, err: &anyhow::Error) {
    let step = err.downcast_ref::<crate::duck::StepError>();
    match step.map(|e| crate::provision::model_pointer(&loaded.model, &e.object)) {
        Some(pointer) => {
            let (file, pos) = loaded.source.value_at(&pointer);
            eprintln!(
                "{}:{}:{}: error: {err:#}",
                file.path.display(),
                pos.line,
                pos.column
            );
        }
        None => eprintln!("error: {err:#}"),
    }
}
