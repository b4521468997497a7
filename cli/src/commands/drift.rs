//! `schemactl drift`: exit 3 and print the difference when a database (or, with
//! `--fleet`, any target of a fleet) does not match the model.

use std::path::Path;

use crate::cli::{missing_target, show_progress};
use crate::exit::{EXIT_CHANGES, EXIT_OK};
use crate::fleet::{self, FleetArgs};

pub fn run(schema: &Path, database_url: Option<&str>, fleet: &FleetArgs, verbose: u8) -> u8 {
    match (&fleet.fleet, database_url) {
        (Some(_), _) => fleet::run(
            schema,
            fleet,
            fleet::report_all(fleet.parallel),
            fleet::Operation::Drift,
            show_progress(verbose),
        ),
        (None, Some(url)) => live(schema, url),
        (None, None) => missing_target("drift"),
    }
}

/// One database: the inventory, then the steps that would bring it to the model.
fn live(schema: &Path, url: &str) -> u8 {
    let (_, plan, inventory) = match super::live::compute(schema, url) {
        Ok(p) => p,
        Err(code) => return code,
    };
    for line in &inventory.lines {
        println!("{line}");
    }
    if !inventory.lines.is_empty() {
        println!();
    }
    if plan.is_empty() && inventory.unrecorded == 0 {
        println!("no drift: the database matches the model");
        EXIT_OK
    } else if plan.is_empty() {
        println!(
            "drift: the database holds {} object(s) or attribute(s) the model neither \
             expresses nor records under `unmanaged`",
            inventory.unrecorded
        );
        EXIT_CHANGES
    } else {
        println!(
            "drift: {} step(s) would bring the database to the model\n",
            plan.len()
        );
        print!("{}", plan.sql());
        EXIT_CHANGES
    }
}
