//! What `plan --database-url`, `drift` and `apply` share: the plan from a live database
//! to the model, read beside the inventory of what the model does not manage.

use std::path::Path;

use crate::cli::{load_and_validate, runtime};
use crate::exit::{EXIT_DATABASE, report};
use crate::introspect::inventory;
use crate::plan::Plan;

/// The plan from the database at `url` to the model, and what the database holds in the
/// model's schemas that no model expresses (PostgreSQL; nothing for SQLite).
pub(super) fn compute(
    schema: &Path,
    url: &str,
) -> Result<(crate::model::Model, Plan, Inventory), u8> {
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
    pub(super) fn print_commented(&self) {
        for line in &self.lines {
            println!("-- {line}");
        }
        if !self.lines.is_empty() {
            println!();
        }
    }

    pub(super) fn eprint(&self) {
        for line in &self.lines {
            eprintln!("{line}");
        }
    }
}
