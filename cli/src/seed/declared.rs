//! `schemactl seed`: the model's declared seed rows, upserted in foreign-key order in one
//! transaction. The statements are the ones `provision` runs, so both commands agree on
//! what "seeded" means and a second run of either changes nothing.

use anyhow::anyhow;
use sea_orm::sqlx::postgres::PgPool;

use super::pg;
use crate::catalog::{Catalog, QName};
use crate::provision::seed::seed_statements;

/// Rows inserted or changed, per table, in the order they were seeded. Tables are
/// [`QName`]s on PostgreSQL and plain names on SQLite.
#[derive(Debug, Clone)]
pub struct SeedReport<T = QName> {
    pub tables: Vec<(T, u64)>,
    /// Declared rows in the model, changed or not.
    pub declared: usize,
}

impl<T> Default for SeedReport<T> {
    fn default() -> Self {
        SeedReport {
            tables: Vec::new(),
            declared: 0,
        }
    }
}

impl<T: std::fmt::Display> SeedReport<T> {
    pub fn changed(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }

    /// What `schemactl seed` prints: the tables that changed and a total, or that
    /// nothing had to change.
    pub fn print(&self) {
        if self.changed() == 0 {
            println!(
                "{} declared seed row(s) already in place: no change",
                self.declared
            );
            return;
        }
        for (table, n) in self.tables.iter().filter(|(_, n)| *n > 0) {
            println!("seeded {n} row(s) into {table}");
        }
        println!(
            "{} of {} declared row(s) inserted or updated",
            self.changed(),
            self.declared
        );
    }
}

pub async fn seed(pool: &PgPool, catalog: &Catalog) -> anyhow::Result<SeedReport> {
    let seeds = seed_statements(catalog);
    let mut report = SeedReport {
        declared: seeds.iter().map(|t| t.upserts.len()).sum(),
        ..Default::default()
    };
    let mut txn = pool.begin().await.map_err(|e| {
        anyhow!(
            "cannot begin the seed transaction: {}",
            pg::server_message(&e)
        )
    })?;
    pg::as_owner(&mut txn, catalog).await?;
    for table in &seeds {
        let mut changed = 0;
        for upsert in &table.upserts {
            changed += pg::exec(&mut txn, upsert).await.map_err(|e| {
                anyhow!("seed row for {} failed: {e}\nnothing was seeded: the transaction was rolled back", table.table)
            })?;
        }
        if changed > 0 {
            for fix in &table.sequence_fixes {
                pg::exec(&mut txn, fix).await?;
            }
        }
        report.tables.push((table.table.clone(), changed));
    }
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", pg::server_message(&e)))?;
    Ok(report)
}
