//! `schemactl apply`: the plan from a live database applied, hazards refused unless
//! allowed, after a confirmation; with `--fleet`, to every target of a fleet.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{HazardArg, missing_target, runtime, show_progress};
use crate::diff::Hazard;
use crate::exit::{EXIT_DATABASE, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, report};
use crate::fleet::{self, FleetArgs, RolloutArgs};

/// What `apply` was given on the command line.
pub struct ApplyArgs<'a> {
    pub database_url: Option<&'a str>,
    pub allow_hazards: &'a [HazardArg],
    pub yes: bool,
    pub proof: bool,
    pub fleet: &'a FleetArgs,
    pub rollout: &'a RolloutArgs,
}

pub fn run(schema: &Path, args: &ApplyArgs<'_>, verbose: u8) -> u8 {
    let allowed: Vec<Hazard> = args.allow_hazards.iter().map(|h| (*h).into()).collect();
    if args.fleet.fleet.is_some() {
        if !args.yes {
            eprintln!(
                "error: apply --fleet changes every target of the fleet; pass --yes \
                 (`schemactl drift --fleet NAME` shows what would change)"
            );
            return EXIT_USAGE;
        }
        return fleet::run(
            schema,
            args.fleet,
            args.rollout.rollout(args.fleet.parallel),
            fleet::Operation::Apply { allowed },
            show_progress(verbose),
        );
    }
    match args.database_url {
        Some(url) => live(schema, url, &allowed, args.yes, args.proof),
        None => missing_target("apply"),
    }
}

/// One database: refuse hazards not allowed, confirm, rehearse with --proof, apply.
fn live(schema: &Path, url: &str, allowed: &[Hazard], yes: bool, proof: bool) -> u8 {
    let (model, plan, inventory) = match super::live::compute(schema, url) {
        Ok(p) => p,
        Err(code) => return code,
    };
    inventory.eprint();
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
    if proof {
        match rt.block_on(crate::proof::prove(&model, url, &plan)) {
            Ok(proven) => eprintln!(
                "proof: the plan ran on a copy of the target's schema ({}, dropped) and left it matching the model: {} step(s) in {:.2}s",
                proven.dev_database, proven.steps, proven.seconds
            ),
            Err(err) => return report(&err, EXIT_REFUSED),
        }
    }
    match rt.block_on(crate::upgrade::apply(url, &plan)) {
        Ok(()) => {
            println!("applied {} step(s)", plan.len());
            EXIT_OK
        }
        Err(err) => report(&err, EXIT_DATABASE),
    }
}
