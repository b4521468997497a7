//! The CLI side of `plan --database-url`, `apply` and `drift`: output, confirmation and
//! exit codes.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{PlanFormat, load_and_validate, runtime};
use crate::diff::Hazard;
use crate::exit::{EXIT_CHANGES, EXIT_DATABASE, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, report};
use crate::introspect::inventory;
use crate::plan::Plan;

/// The plan from the database at `url` to the model, and what the database holds in the
/// model's schemas that no model expresses (PostgreSQL; nothing for SQLite).
fn compute(schema: &Path, url: &str) -> Result<(crate::model::Model, Plan, Inventory), u8> {
    let loaded = load_and_validate(schema)?;
    let rt = runtime()?;
    let computed = rt.block_on(async {
        // The inventory of unmanaged objects reads the live database only: on another
        // worker thread it overlaps the plan (a third of a second at 10,000 tables).
        let inventory =
            (loaded.model.database.target == crate::model::Target::Postgres).then(|| {
                let url = url.to_string();
                let schemas = crate::upgrade::schemas_of(&loaded.model);
                tokio::spawn(async move {
                    let started = std::time::Instant::now();
                    let conn = crate::db::connect(&url).await?;
                    let items = inventory::inventory(&conn, &schemas).await;
                    conn.close().await.ok();
                    tracing::debug!("inventory read in {:.3}s", started.elapsed().as_secs_f64());
                    items
                })
            });
        let started = std::time::Instant::now();
        // On an error the inventory read, if still running, ends with the runtime when
        // `compute` returns.
        let plan = crate::upgrade::plan(&loaded.model, url).await?;
        tracing::debug!("plan computed in {:.3}s", started.elapsed().as_secs_f64());
        let items = match (&plan, inventory) {
            (Plan::Postgres { .. }, Some(task)) => task
                .await
                .map_err(|e| anyhow::anyhow!("the inventory read stopped: {e}"))??,
            (Plan::Postgres { .. }, None) => {
                anyhow::bail!("a PostgreSQL plan for a model that does not target PostgreSQL")
            }
            _ => Vec::new(),
        };
        anyhow::Ok((plan, items))
    });
    match computed {
        Ok((plan, items)) => {
            let inventory = Inventory::new(items, &loaded.model.unmanaged);
            Ok((loaded.model, plan, inventory))
        }
        Err(err) => Err(report(&err, EXIT_DATABASE)),
    }
}

/// The inventory of what the model does not manage, against its `unmanaged` list.
pub struct Inventory {
    pub lines: Vec<String>,
    /// Items the model does not record: the database differs from what it says.
    pub unrecorded: usize,
}

impl Inventory {
    fn new(items: Vec<inventory::Item>, recorded: &[crate::model::Unmanaged]) -> Inventory {
        let mut lines = inventory::report(&items, recorded);
        let absent: Vec<&crate::model::Unmanaged> = recorded
            .iter()
            .filter(|u| !items.iter().any(|i| i.kind == u.kind && i.name == u.name))
            .collect();
        if !absent.is_empty() {
            lines.push(format!(
                "recorded under `unmanaged` but not in the database ({}):",
                absent.len()
            ));
            for u in absent {
                lines.push(format!("  {} {}", u.kind.as_str(), u.name));
            }
        }
        Inventory {
            unrecorded: inventory::unrecorded(&items, recorded).len(),
            lines,
        }
    }

    /// The section as SQL comments, so that a printed plan stays a script.
    fn print_commented(&self) {
        for line in &self.lines {
            println!("-- {line}");
        }
        if !self.lines.is_empty() {
            println!();
        }
    }

    fn eprint(&self) {
        for line in &self.lines {
            eprintln!("{line}");
        }
    }
}

pub fn plan(schema: &Path, url: &str, format: PlanFormat, exit_code: bool) -> u8 {
    let (_, plan, inventory) = match compute(schema, url) {
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

pub fn drift(schema: &Path, url: &str) -> u8 {
    let (_, plan, inventory) = match compute(schema, url) {
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

pub fn apply(schema: &Path, url: &str, allowed: &[Hazard], yes: bool, proof: bool) -> u8 {
    let (model, plan, inventory) = match compute(schema, url) {
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
