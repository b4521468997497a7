//! `schemactl plan`: the create script of the model (no server needed), or with
//! `--database-url` the plan from that live database, hazards shown; `--exit-code` exits
//! 3 when there is something to do.

use std::path::Path;

use crate::cli::{PlanFormat, load_and_validate};
use crate::exit::{EXIT_CHANGES, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::plan::Plan;

pub fn run(schema: &Path, format: PlanFormat, database_url: Option<&str>, exit_code: bool) -> u8 {
    match (database_url, exit_code) {
        (Some(url), _) => live(schema, url, format, exit_code),
        (None, true) => {
            eprintln!(
                "error: --exit-code compares the model with a live database: give \
                 --database-url URL (or DATABASE_URL); without one, `plan` prints the \
                 create script"
            );
            EXIT_USAGE
        }
        (None, false) => create_script(schema, format),
    }
}

/// The statements that create the model in an empty database.
fn create_script(path: &Path, format: PlanFormat) -> u8 {
    let loaded = match load_and_validate(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if loaded.model.database.target == crate::model::Target::Sqlite {
        let plan = match crate::sqlite::create_script(&loaded.model) {
            Ok(steps) => Plan::Sqlite(steps),
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
        Err(err) => return crate::exit::report(&err.into(), EXIT_INVALID),
    };
    let plan = Plan::Postgres {
        steps,
        owner: loaded.model.database.owner.clone(),
    };
    match format {
        PlanFormat::Sql => print!("{}", plan.sql()),
        PlanFormat::Json => println!("{}", plan.json()),
    }
    EXIT_OK
}

/// `plan --database-url`: the inventory as comments (SQL) or on stderr (JSON), then the plan.
fn live(schema: &Path, url: &str, format: PlanFormat, exit_code: bool) -> u8 {
    let (_, plan, inventory) = match super::live::compute(schema, url) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match format {
        PlanFormat::Sql => inventory.print_commented(),
        // The JSON on stdout stays one document; the section goes to stderr.
        PlanFormat::Json => inventory.eprint(),
    }
    print_plan(&plan, format);
    if exit_code && (!plan.is_empty() || inventory.unrecorded > 0) {
        EXIT_CHANGES
    } else {
        EXIT_OK
    }
}

/// Prints a plan from a live database in the requested format.
pub fn print_plan(plan: &Plan, format: PlanFormat) {
    match format {
        PlanFormat::Sql if plan.is_empty() => {
            println!("-- no changes: the database matches the model")
        }
        PlanFormat::Sql => print!("{}", plan.sql()),
        PlanFormat::Json => println!("{}", plan.json()),
    }
}
