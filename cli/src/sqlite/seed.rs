//! Declared seed rows on SQLite: `INSERT … ON CONFLICT (key) DO UPDATE … WHERE <a value
//! differs>`, parents before children, in one transaction. The `WHERE` makes an unchanged
//! row a no-op that SQLite does not count, so a second run reports no change.
//!
//! Values: strings are literals, `{ sql: EXPR }` is an expression, booleans are 1/0,
//! objects and arrays (and any value of a json column) are stored as JSON text, `null`
//! is SQL NULL.

use anyhow::{anyhow, bail};
use indexmap::IndexMap;
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait};
use serde_json::Value;

use crate::model::types::SqlType;
use crate::model::{Model, Table};
use crate::sql::{ident, ident_list, literal};
use crate::validate::sqlite::MAIN_SCHEMA;

/// One seeded table: its upserts in row order.
#[derive(Debug, Clone)]
pub struct TableSeed {
    pub table: String,
    pub upserts: Vec<String>,
}

/// Rows inserted or changed per table, in seeding order.
pub type SeedReport = crate::seed::declared::SeedReport<String>;

/// Applies the declared seed rows and returns how many rows were inserted or changed.
/// Runs in its own transaction (a savepoint when `conn` is already a transaction).
pub async fn declared<C>(conn: &C, model: &Model) -> anyhow::Result<u64>
where
    C: ConnectionTrait + TransactionTrait,
{
    Ok(seed(conn, model).await?.changed())
}

/// [`declared`] with the count per table.
pub async fn seed<C>(conn: &C, model: &Model) -> anyhow::Result<SeedReport>
where
    C: ConnectionTrait + TransactionTrait,
{
    let seeds = statements(model)?;
    let mut report = SeedReport {
        declared: seeds.iter().map(|t| t.upserts.len()).sum(),
        ..Default::default()
    };
    if seeds.is_empty() {
        return Ok(report);
    }
    let txn = conn.begin().await?;
    for table in &seeds {
        let mut changed = 0;
        for (i, upsert) in table.upserts.iter().enumerate() {
            let result = txn.execute_unprepared(upsert).await.map_err(|e| {
                anyhow!(
                    "seed row {} of table {} failed: {e}\n  statement: {upsert}\n\
                     nothing was seeded: the transaction was rolled back",
                    i + 1,
                    table.table
                )
            })?;
            changed += result.rows_affected();
        }
        report.tables.push((table.table.clone(), changed));
    }
    txn.commit().await?;
    Ok(report)
}

/// The upserts of every table with seed rows, in foreign-key order (a cycle is taken in
/// model order). A row without every key column is an error: it could not be matched on
/// the next run.
pub fn statements(model: &Model) -> anyhow::Result<Vec<TableSeed>> {
    let Some(schema) = model.schemas.get(MAIN_SCHEMA) else {
        return Ok(Vec::new());
    };
    let seeded: IndexMap<&str, &Table> = schema
        .tables
        .iter()
        .filter(|(_, t)| t.seed.as_ref().is_some_and(|s| !s.rows.is_empty()))
        .map(|(n, t)| (n.as_str(), t))
        .collect();
    let keys: Vec<String> = seeded.keys().map(|n| n.to_string()).collect();
    let parents_of = |n: &String| {
        seeded
            .get(n.as_str())
            .map(|t| parents(t))
            .unwrap_or_default()
    };
    crate::deps::parents_first(&keys, parents_of)
        .iter()
        .filter_map(|n| seeded.get(n.as_str()).map(|t| table_seed(n, t)))
        .collect()
}

/// The tables a table references.
fn parents(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = table
        .columns
        .values()
        .filter_map(|c| c.references.as_ref().map(|r| r.table.clone()))
        .collect();
    out.extend(table.foreign_keys.values().map(|fk| {
        fk.references
            .rsplit('.')
            .next()
            .unwrap_or(&fk.references)
            .to_string()
    }));
    out
}

/// The seed key: the declared one, else the primary key.
fn key_of(table: &Table) -> Vec<String> {
    if let Some(seed) = &table.seed
        && !seed.key.is_empty()
    {
        return seed.key.clone();
    }
    table.primary_key_columns()
}

fn table_seed(name: &str, table: &Table) -> anyhow::Result<TableSeed> {
    let key = key_of(table);
    if key.is_empty() {
        bail!(
            "table {name} has seed rows but no primary key and no `seed.key`: \
             declare the columns that identify a row"
        );
    }
    let mut upserts = Vec::new();
    let rows = table
        .seed
        .as_ref()
        .map(|s| s.rows.as_slice())
        .unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        if let Some(missing) = key.iter().find(|k| !row.contains_key(k.as_str())) {
            bail!(
                "seed row {} of table {name} has no value for key column `{missing}`: \
                 the row could not be matched on the next run",
                i + 1
            );
        }
        let columns: Vec<&str> = row.keys().map(String::as_str).collect();
        let values: Vec<String> = row
            .iter()
            .map(|(c, v)| {
                let ty = table
                    .columns
                    .get(c)
                    .map(|col| col.ty.as_str())
                    .unwrap_or("text");
                value_sql(v, ty)
            })
            .collect();
        let updates: Vec<&str> = columns
            .iter()
            .copied()
            .filter(|c| !key.iter().any(|k| k == c))
            .collect();
        let conflict = if updates.is_empty() {
            "DO NOTHING".to_string()
        } else {
            let sets: Vec<String> = updates
                .iter()
                .map(|c| format!("{} = excluded.{}", ident(c), ident(c)))
                .collect();
            let differs: Vec<String> = updates
                .iter()
                .map(|c| format!("{}.{} IS NOT excluded.{}", ident(name), ident(c), ident(c)))
                .collect();
            format!(
                "DO UPDATE SET {} WHERE {}",
                sets.join(", "),
                differs.join(" OR ")
            )
        };
        upserts.push(format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) {conflict}",
            ident(name),
            ident_list(&columns),
            values.join(", "),
            ident_list(&key),
        ));
    }
    Ok(TableSeed {
        table: name.to_string(),
        upserts,
    })
}

/// A seed value as SQLite SQL for a column of model type `ty`.
pub fn value_sql(value: &Value, ty: &str) -> String {
    if let Value::Object(map) = value
        && map.len() == 1
        && let Some(Value::String(expr)) = map.get("sql")
    {
        return expr.clone();
    }
    let json = matches!(SqlType::parse(ty), Ok(SqlType::Json | SqlType::Jsonb));
    match value {
        Value::Null => "NULL".to_string(),
        _ if json => literal(&value.to_string()),
        Value::Bool(b) => (if *b { "1" } else { "0" }).to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => literal(s),
        Value::Array(_) | Value::Object(_) => literal(&value.to_string()),
    }
}

/// `schemactl seed` for a SQLite model: the URL from the flag or `DATABASE_URL`.
pub fn run(model: &Model, url: Option<&str>, fake: &[String]) -> u8 {
    use crate::exit::{EXIT_DATABASE, EXIT_OK, EXIT_USAGE};
    if !fake.is_empty() {
        eprintln!("error: --fake is not available for SQLite models");
        return EXIT_USAGE;
    }
    let url = url.map(str::to_string).or_else(|| {
        std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| super::is_url(u))
    });
    let Some(url) = url else {
        eprintln!("error: the model targets SQLite: give --database-url sqlite://FILE");
        return EXIT_USAGE;
    };
    let runtime = match crate::startup::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let result = runtime.block_on(async {
        let conn = super::connect(&url, false).await?;
        let report = seed(&conn, model).await;
        let _ = conn.close().await;
        report
    });
    match result {
        Ok(report) => {
            report.print();
            EXIT_OK
        }
        Err(err) => crate::exit::report(&err, EXIT_DATABASE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values() {
        assert_eq!(value_sql(&json!(["a", "b"]), "json"), "'[\"a\",\"b\"]'");
        assert_eq!(value_sql(&json!("x"), "json"), "'\"x\"'");
        assert_eq!(value_sql(&json!(null), "json"), "NULL");
        assert_eq!(value_sql(&json!(true), "boolean"), "1");
        assert_eq!(value_sql(&json!("it's"), "text"), "'it''s'");
        assert_eq!(value_sql(&json!(2.5), "real"), "2.5");
        assert_eq!(
            value_sql(&json!({"sql": "CURRENT_TIMESTAMP"}), "timestamp"),
            "CURRENT_TIMESTAMP"
        );
    }
}
