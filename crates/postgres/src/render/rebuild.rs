//! A table built anew: PostgreSQL cannot change a table's partitioning in place. The old
//! table steps aside with everything named after it, the new one is created with its
//! partitions, the rows are copied and serial and identity sequences carried on, and the
//! old table is dropped. Indexes, constraints, triggers and policies of the new table are separate
//! steps of the plan; other tables' foreign keys to it were dropped before and are added
//! again after.

use schemactl_core::catalog::QName;
use schemactl_core::sql::{ident, ident_list, literal};
use schemactl_core::statement::{ObjectKind, RenderError, Statement};
use schemactl_core::step::{CopiedColumn, CopySource};
use schemactl_model::Identity;

use super::Renderer;
use super::statements::table_sql;
use super::tables::{owns_sequence, rename_not_null};

const ASIDE: &str = "__schemactl_old";

impl Renderer<'_> {
    pub(super) fn rebuild(
        &self,
        name: &QName,
        previous: &QName,
        keep: &[CopiedColumn],
    ) -> Result<Vec<Statement>, RenderError> {
        let old_def = self.previous_table(previous)?;
        let new_def = self.next_table(name)?;
        let old = QName::new(&name.schema, format!("{}{ASIDE}", name.name));
        let stmt = |sql: String| {
            Statement::new(
                schemactl_core::statement::ObjectKey::new(ObjectKind::Table, name),
                sql,
            )
            .in_schema(&name.schema)
        };
        let mut out = vec![stmt(format!(
            "ALTER TABLE {} RENAME TO {}",
            name.sql(),
            ident(&old.name)
        ))];
        for c in old_def.columns.iter().filter(|c| !c.nullable) {
            out.push(rename_not_null(
                &old, &name.name, &old.name, &c.name, &c.name,
            ));
        }
        // Index, constraint and partition names are per schema: free them for the new table.
        let mut index_names: Vec<&str> = old_def.indexes.iter().map(|i| i.name.as_str()).collect();
        index_names.extend(old_def.primary_key.iter().map(|k| k.name.as_str()));
        index_names.extend(old_def.uniques.iter().map(|u| u.name.as_str()));
        index_names.extend(old_def.exclusions.iter().map(|x| x.name.as_str()));
        for index in index_names {
            out.push(stmt(format!(
                "ALTER INDEX {} RENAME TO {}",
                QName::new(&name.schema, index).sql(),
                ident(&format!("{index}{ASIDE}"))
            )));
        }
        for p in &old_def.partitions {
            out.push(stmt(format!(
                "ALTER TABLE {} RENAME TO {}",
                QName::new(&name.schema, &p.name).sql(),
                ident(&format!("{}{ASIDE}", p.name))
            )));
        }
        for c in old_def.columns.iter().filter(|c| owns_sequence(c)) {
            let seq = QName::new(&name.schema, format!("{}_{}_seq", name.name, c.name));
            out.push(stmt(format!(
                "ALTER SEQUENCE {} RENAME TO {}",
                seq.sql(),
                ident(&format!("{}{ASIDE}", seq.name))
            )));
        }
        out.push(stmt(table_sql(name, new_def)));
        for p in &new_def.partitions {
            out.push(stmt(format!(
                "CREATE TABLE {} PARTITION OF {} {}",
                QName::new(&name.schema, &p.name).sql(),
                name.sql(),
                p.bound.sql()
            )));
        }
        let overriding = if new_def
            .columns
            .iter()
            .any(|c| c.identity == Some(Identity::Always))
        {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        let to: Vec<&str> = keep.iter().map(|k| k.column.as_str()).collect();
        let from: Vec<String> = keep
            .iter()
            .map(|k| match &k.from {
                CopySource::Column => ident(&k.column),
                CopySource::Expression(expr) => format!("({expr})"),
            })
            .collect();
        out.push(stmt(format!(
            "INSERT INTO {} ({}){overriding} SELECT {} FROM {}",
            name.sql(),
            ident_list(&to),
            from.join(", "),
            old.sql()
        )));
        // The copied rows keep their numbers: the new sequences go on after them.
        for c in new_def.columns.iter().filter(|c| owns_sequence(c)) {
            out.push(stmt(format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), GREATEST((SELECT max({}) FROM {}), 1))",
                literal(&name.sql()),
                literal(&c.name),
                ident(&c.name),
                name.sql()
            )));
        }
        out.push(stmt(format!("DROP TABLE {}", old.sql())));
        Ok(out)
    }
}

impl Renderer<'_> {
    /// Partitions with new bounds: see [`Step::RebindPartitions`]. Each rebound partition
    /// is detached, its rows are copied into a temporary table (dropped at commit), and it
    /// is dropped, which frees its index and constraint names for the new one. The default
    /// partition gives its rows up too. Then the partitions are created with their bounds
    /// and the kept rows inserted through the parent, which routes each one; row triggers
    /// are off meanwhile (the rows are not new). A row no partition takes any more makes the
    /// statement fail and the plan roll back.
    ///
    /// [`Step::RebindPartitions`]: schemactl_core::step::Step::RebindPartitions
    pub(super) fn rebind_partitions(
        &self,
        table: &QName,
        rebound: &[String],
        added: &[String],
        default: Option<&String>,
    ) -> Result<Vec<Statement>, RenderError> {
        let previous = self.previous_table(table)?;
        let next = self.next_table(table)?;
        let stmt = |sql: String| {
            Statement::new(
                schemactl_core::statement::ObjectKey::new(ObjectKind::Table, table),
                sql,
            )
        };
        let mut out = Vec::new();
        let mut kept = Vec::new();
        for name in rebound.iter().chain(default) {
            let partition = QName::new(&table.schema, name);
            let rows = holding_table(name);
            let is_default = Some(name) == default;
            if !is_default {
                out.push(stmt(format!(
                    "ALTER TABLE {} DETACH PARTITION {}",
                    table.sql(),
                    partition.sql()
                )));
            }
            out.push(stmt(format!(
                "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT * FROM {}",
                ident(&rows),
                partition.sql()
            )));
            out.push(stmt(if is_default {
                format!("TRUNCATE {}", partition.sql())
            } else {
                format!("DROP TABLE {}", partition.sql())
            }));
            kept.push(rows);
        }
        for name in rebound.iter().chain(added) {
            let p = next
                .partitions
                .iter()
                .find(|p| &p.name == name)
                .ok_or_else(|| self.error(format!("no partition {name} of {table}")))?;
            out.push(stmt(format!(
                "CREATE TABLE {} PARTITION OF {} {}",
                QName::new(&table.schema, name).sql(),
                table.sql(),
                p.bound.sql()
            )));
        }
        let triggers = !previous.triggers.is_empty();
        if triggers {
            out.push(stmt(format!(
                "ALTER TABLE {} DISABLE TRIGGER USER",
                table.sql()
            )));
        }
        let columns: Vec<&str> = next
            .columns
            .iter()
            .filter(|c| c.generated.is_none())
            .map(|c| c.name.as_str())
            .collect();
        let overriding = if next
            .columns
            .iter()
            .any(|c| c.identity == Some(Identity::Always))
        {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        for rows in &kept {
            out.push(stmt(format!(
                "INSERT INTO {} ({cols}){overriding} SELECT {cols} FROM {}",
                table.sql(),
                ident(rows),
                cols = ident_list(&columns)
            )));
        }
        if triggers {
            out.push(stmt(format!(
                "ALTER TABLE {} ENABLE TRIGGER USER",
                table.sql()
            )));
        }
        Ok(out)
    }
}

/// The temporary table that holds a partition's rows while it is rebuilt.
fn holding_table(partition: &str) -> String {
    let mut name = format!("schemactl_rows_{partition}");
    while name.len() > 63 {
        name.pop();
    }
    name
}
