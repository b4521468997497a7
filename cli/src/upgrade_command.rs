//! The CLI side of `plan --database-url`, `apply` and `drift`: output, confirmation and
//! exit codes.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{PlanFormat, load_and_validate, runtime};
use crate::diff::Hazard;
use crate::exit::{EXIT_CHANGES, EXIT_DATABASE, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, report};
use crate::plan::Plan;

fn compute(schema: &Path, url: &str) -> Result<(crate::model::Model, Plan), u8> {
    let loaded = load_and_validate(schema)?;
    let rt = runtime()?;
    match rt.block_on(crate::upgrade::plan(&loaded.model, url)) {
        Ok(plan) => Ok((loaded.model, plan)),
        Err(err) => Err(report(&err, EXIT_DATABASE)),
    }
}

pub fn plan(schema: &Path, url: &str, format: PlanFormat, exit_code: bool) -> u8 {
    let (_, plan) = match compute(schema, url) {
        Ok(p) => p,
        Err(code) => return code,
    };
    print_plan(&plan, format);
    if exit_code && !plan.is_empty() {
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

pub fn drift(schema: &Path, url: &str) -> u8 {
    let (_, plan) = match compute(schema, url) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if plan.is_empty() {
        println!("no drift: the database matches the model");
        EXIT_OK
    } else {
        println!(
            "drift: {} step(s) would bring the database to the model\n",
            plan.len()
        );
        print!("{}", plan.sql());
        EXIT_CHANGES
    }
}

pub fn apply(schema: &Path, url: &str, allowed: &[Hazard], yes: bool) -> u8 {
    let (_, plan) = match compute(schema, url) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if plan.is_empty() {
        println!("no changes: the database matches the model");
        return EXIT_OK;
    }
    let refused: Vec<_> = plan
        .summaries()
        .into_iter()
        .filter(|c| c.hazards.iter().any(|h| !allowed.contains(h)))
        .collect();
    if !refused.is_empty() {
        eprintln!("error: the plan has hazardous steps that were not allowed:");
        for change in &refused {
            let hazards: Vec<String> = change.hazards.iter().map(Hazard::to_string).collect();
            eprintln!("  - {} [{}]", change.description, hazards.join(", "));
        }
        let blocked: std::collections::BTreeSet<Hazard> = refused
            .iter()
            .flat_map(|c| c.hazards.iter().copied())
            .filter(|h| !allowed.contains(h))
            .collect();
        if blocked.contains(&Hazard::DistributionColumn) {
            eprintln!(
                "nothing was applied: Citus cannot change the type of a distribution column; \
                 undistribute the table first (remove its `citus` key and apply), change the \
                 type, then distribute it again"
            );
            return EXIT_REFUSED;
        }
        let kinds: Vec<String> = blocked.iter().map(Hazard::to_string).collect();
        let flags: Vec<String> = kinds
            .iter()
            .map(|k| format!("--allow-hazard {k}"))
            .collect();
        eprintln!(
            "nothing was applied; to proceed, review the plan and pass {}",
            flags.join(" ")
        );
        return EXIT_REFUSED;
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            eprintln!(
                "error: apply changes the database; pass --yes to confirm (no terminal to ask on)"
            );
            return EXIT_USAGE;
        }
        print!("{}Apply these {} step(s)? [y/N] ", plan.sql(), plan.len());
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            eprintln!("not applied");
            return EXIT_REFUSED;
        }
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match rt.block_on(crate::upgrade::apply(url, &plan)) {
        Ok(()) => {
            println!("applied {} step(s)", plan.len());
            EXIT_OK
        }
        Err(err) => report(&err, EXIT_DATABASE),
    }
}
