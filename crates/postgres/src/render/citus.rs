//! Citus: distributing schemas and tables with Citus's own functions. Each call takes
//! the object as a literal (`regclass` / `regnamespace` input), quoted as an identifier
//! inside it, so any name survives.

use schemactl_core::catalog::{Distribution, QName};
use schemactl_core::sql::{ident, literal};
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, Statement};
use schemactl_core::step::Step;

use super::Renderer;

impl Renderer<'_> {
    pub(super) fn citus(&self) -> Result<Vec<Statement>, RenderError> {
        let sql = match self.step {
            Step::DistributeTable { table } => self.distribute(table)?,
            Step::AlterDistribution { table } => self.alter_distribution(table)?,
            Step::UndistributeTable { table } => {
                format!("SELECT undistribute_table({})", relation(table))
            }
            Step::DistributeSchema { name } => {
                format!("SELECT citus_schema_distribute({})", literal(&ident(name)))
            }
            Step::UndistributeSchema { name } => {
                format!(
                    "SELECT citus_schema_undistribute({})",
                    literal(&ident(name))
                )
            }
            _ => return Err(self.error("not a Citus step")),
        };
        let key = match self.step {
            Step::DistributeSchema { name } | Step::UndistributeSchema { name } => {
                ObjectKey::named(ObjectKind::Schema, name)
            }
            Step::DistributeTable { table }
            | Step::AlterDistribution { table }
            | Step::UndistributeTable { table } => ObjectKey::new(ObjectKind::Table, table),
            _ => return Err(self.error("not a Citus step")),
        };
        Ok(vec![Statement::new(key, sql)])
    }

    fn distribution(&self, table: &QName) -> Result<&Distribution, RenderError> {
        self.next_table(table)?
            .citus
            .as_ref()
            .ok_or_else(|| self.error(format!("table {table} has no distribution in the model")))
    }

    fn distribute(&self, table: &QName) -> Result<String, RenderError> {
        Ok(match self.distribution(table)? {
            Distribution::Reference => {
                format!("SELECT create_reference_table({})", relation(table))
            }
            Distribution::Hash {
                column,
                colocate_with,
                shard_count,
            } => {
                let mut call = format!(
                    "SELECT create_distributed_table({}, {}, colocate_with => {}",
                    relation(table),
                    literal(column),
                    colocation(colocate_with.as_ref())
                );
                if let Some(count) = shard_count {
                    call.push_str(&format!(", shard_count => {count}"));
                }
                call.push(')');
                call
            }
        })
    }

    fn alter_distribution(&self, table: &QName) -> Result<String, RenderError> {
        let Distribution::Hash {
            column,
            colocate_with,
            shard_count,
        } = self.distribution(table)?
        else {
            return Err(self.error("alter_distributed_table is for hash-distributed tables"));
        };
        let mut call = format!(
            "SELECT alter_distributed_table({}, distribution_column := {}",
            relation(table),
            literal(column)
        );
        if let Some(count) = shard_count {
            call.push_str(&format!(", shard_count := {count}"));
        }
        call.push_str(&format!(
            ", colocate_with := {}, cascade_to_colocated := false)",
            colocation(colocate_with.as_ref())
        ));
        Ok(call)
    }
}

fn relation(table: &QName) -> String {
    literal(&table.sql())
}

/// `'none'` for a table that starts its own colocation group: the model's colocation is
/// explicit, never Citus's default grouping by column type.
fn colocation(with: Option<&QName>) -> String {
    match with {
        Some(q) => literal(&q.sql()),
        None => literal("none"),
    }
}
