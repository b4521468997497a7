//! `schemactl test`: the model's access tests in a throwaway database (`crate::access`),
//! one line per case at its model position, and the exit code.

use std::path::Path;
use std::time::Instant;

use clap::Args;

use crate::access::Outcome;
use crate::access::run::Verdict;
use crate::cli::{load_and_validate, runtime};
use crate::exit::{EXIT_DATABASE, EXIT_OK, EXIT_TESTS, EXIT_USAGE};
use crate::model::Target;

#[derive(Debug, Args)]
#[command(
    after_help = "The throwaway database is created on the dev server (--dev-url or \
                  SCHEMACTL_DEV_URL, else the project-local server), never on a target; \
                  its user must be able to SET ROLE to the model's roles (a superuser).\n\
                  Exit codes: 0 every test passed, 7 a test failed, 1 the model is invalid, \
                  4 the database could not be provisioned. Keys: docs/schema-reference.md \
                  (access_tests)."
)]
pub struct TestArgs {
    /// Run only the tests written under `access_tests`, none derived from the policies
    /// and grants.
    #[arg(long)]
    pub written_only: bool,
    /// Run only the tests whose name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Keep the throwaway database (its name is printed) instead of dropping it.
    #[arg(long)]
    pub keep: bool,
}

pub fn run(schema: &Path, args: &TestArgs) -> u8 {
    let loaded = match load_and_validate(schema) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if loaded.model.database.target == Target::Sqlite {
        eprintln!(
            "error: {} targets SQLite; access tests check PostgreSQL roles and policies",
            schema.display()
        );
        return EXIT_USAGE;
    }
    let mut cases = crate::access::cases::all(&loaded.model, args.written_only);
    if let Some(filter) = &args.filter {
        cases.retain(|c| c.name.contains(filter.as_str()));
    }
    if cases.is_empty() {
        println!("no access tests to run");
        return EXIT_OK;
    }
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = Instant::now();
    let outcomes = match runtime.block_on(crate::access::run_all(&loaded, &cases, args.keep)) {
        Ok(outcomes) => outcomes,
        Err(err) => return crate::exit::report(&err, EXIT_DATABASE),
    };
    report(&outcomes, started.elapsed().as_secs_f64())
}

fn report(outcomes: &[Outcome<'_>], secs: f64) -> u8 {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for o in outcomes {
        let origin = if o.case.generated { " [generated]" } else { "" };
        match &o.verdict {
            Verdict::Pass => {
                passed += 1;
                println!("{}: ok: {}{origin}", o.location, o.case.name);
            }
            Verdict::Skip(why) => {
                skipped += 1;
                println!("{}: skipped: {}{origin}: {why}", o.location, o.case.name);
            }
            Verdict::Fail(why) => {
                failed += 1;
                println!("{}: FAILED: {}{origin}", o.location, o.case.name);
                println!("    as {}: {why}", o.case.role);
            }
        }
    }
    let written = outcomes.iter().filter(|o| !o.case.generated).count();
    println!(
        "test result: {}. {passed} passed, {failed} failed, {skipped} skipped ({written} \
         written, {} generated) in {secs:.2}s",
        if failed == 0 { "ok" } else { "FAILED" },
        outcomes.len() - written
    );
    if failed == 0 { EXIT_OK } else { EXIT_TESTS }
}
