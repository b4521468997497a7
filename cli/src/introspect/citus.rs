//! Citus distributions, read only where the `citus` extension is installed: on plain
//! PostgreSQL the guard query is the only one sent, and the catalog has no
//! distribution. A table Citus manages that the model has no place for (a Citus-managed
//! local table, a single-shard table outside a distributed schema) is left out with a
//! warning.

use std::collections::BTreeMap;

use sea_orm::Value;

use super::{Session, get};
use crate::catalog::{Catalog, Distribution, QName, normalize_colocation};

const GUARD: &str = include_str!("citus_guard.sql");
const TABLES: &str = include_str!("citus_tables.sql");
const SCHEMAS: &str = include_str!("citus_schemas.sql");

/// One row of `citus_tables.sql`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitusRow {
    pub table: QName,
    pub method: String,
    pub replication: String,
    pub column: Option<String>,
    pub colocation: i64,
    pub shard_count: Option<i64>,
}

pub(super) async fn read(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    let Some(guard) = session.rows(GUARD, Vec::new()).await?.into_iter().next() else {
        return Ok(());
    };
    if !get::<bool>(&guard, "present")? {
        return Ok(());
    }
    if get::<bool>(&guard, "has_schemas")? {
        for row in session.rows(SCHEMAS, vec![schemas.clone()]).await? {
            let name: String = get(&row, "name")?;
            if let Some(schema) = catalog.schemas.get_mut(&name) {
                schema.distributed = true;
            }
        }
    }
    let mut rows = Vec::new();
    for row in session.rows(TABLES, vec![schemas.clone()]).await? {
        rows.push(CitusRow {
            table: QName::new(get::<String>(&row, "schema")?, get::<String>(&row, "name")?),
            method: get(&row, "method")?,
            replication: get(&row, "replication")?,
            column: get(&row, "distribution_column")?,
            colocation: get(&row, "colocation")?,
            shard_count: get(&row, "shard_count")?,
        });
    }
    apply_rows(catalog, &rows);
    Ok(())
}

/// Puts each row's distribution on its table, with colocation normalized as the model's.
pub fn apply_rows(catalog: &mut Catalog, rows: &[CitusRow]) {
    let mut groups = BTreeMap::new();
    for row in rows {
        let in_distributed_schema = catalog
            .schemas
            .get(&row.table.schema)
            .is_some_and(|s| s.distributed);
        let Some(table) = catalog.tables.get_mut(&row.table) else {
            continue;
        };
        let distribution = match (row.method.as_str(), row.replication.as_str(), &row.column) {
            ("h", _, Some(column)) => {
                groups.insert(row.table.clone(), row.colocation);
                Distribution::Hash {
                    column: column.clone(),
                    colocate_with: None,
                    shard_count: row.shard_count.and_then(|n| u32::try_from(n).ok()),
                }
            }
            ("n", "t", _) => Distribution::Reference,
            _ if in_distributed_schema => continue,
            _ => {
                tracing::warn!(
                    "{}: a Citus table of a kind the model has no place for (method {}, \
                     replication {}); left out",
                    row.table,
                    row.method,
                    row.replication
                );
                continue;
            }
        };
        table.citus = Some(distribution);
    }
    normalize_colocation(catalog, &groups);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{SchemaDef, TableDef};

    fn row(
        name: &str,
        method: &str,
        replication: &str,
        column: Option<&str>,
        group: i64,
    ) -> CitusRow {
        CitusRow {
            table: QName::new("app", name),
            method: method.into(),
            replication: replication.into(),
            column: column.map(str::to_string),
            colocation: group,
            shard_count: Some(32),
        }
    }

    #[test]
    fn groups_become_the_models_colocation() {
        let mut catalog = Catalog::default();
        catalog.schemas.insert("app".into(), SchemaDef::default());
        for name in ["orders", "customers", "events", "countries", "local"] {
            catalog
                .tables
                .insert(QName::new("app", name), TableDef::default());
        }
        apply_rows(
            &mut catalog,
            &[
                row("orders", "h", "s", Some("customer_id"), 3),
                row("customers", "h", "s", Some("id"), 3),
                row("events", "h", "s", Some("customer_id"), 4),
                row("countries", "n", "t", None, 1),
                row("local", "n", "s", None, 0),
            ],
        );
        let citus = |name: &str| catalog.tables[&QName::new("app", name)].citus.clone();
        assert_eq!(
            citus("orders"),
            Some(Distribution::Hash {
                column: "customer_id".into(),
                colocate_with: Some(QName::new("app", "customers")),
                shard_count: Some(32)
            })
        );
        assert_eq!(
            citus("customers"),
            Some(Distribution::Hash {
                column: "id".into(),
                colocate_with: None,
                shard_count: Some(32)
            })
        );
        assert!(matches!(
            citus("events"),
            Some(Distribution::Hash {
                colocate_with: None,
                ..
            })
        ));
        assert_eq!(citus("countries"), Some(Distribution::Reference));
        assert_eq!(
            citus("local"),
            None,
            "a Citus-managed local table is not modelled"
        );
    }
}
