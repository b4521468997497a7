//! Declared seed rows: upserts on the primary key (or the declared key), parents before
//! children, counting only rows that were inserted or actually changed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::catalog::{Catalog, QName, TableDef};
use crate::model::Identity;
use crate::sql::{ident, ident_list, literal};

/// One table's upserts, plus the statements that move its sequences past the seeded keys.
#[derive(Debug, Clone)]
pub struct TableSeed {
    pub table: QName,
    pub upserts: Vec<String>,
    pub sequence_fixes: Vec<String>,
}

/// Seeded tables in foreign-key order with their statements.
pub fn seed_statements(catalog: &Catalog) -> Vec<TableSeed> {
    let seeded: BTreeMap<&QName, &TableDef> = catalog
        .tables
        .iter()
        .filter(|(_, t)| t.seed.as_ref().is_some_and(|s| !s.rows.is_empty()))
        .collect();
    let keys: Vec<QName> = seeded.keys().map(|q| (*q).clone()).collect();
    let parents = |q: &QName| -> Vec<QName> {
        seeded
            .get(q)
            .map(|t| {
                t.foreign_keys
                    .iter()
                    .map(|fk| fk.references.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    crate::deps::parents_first(&keys, parents)
        .iter()
        .filter_map(|q| seeded.get(q).map(|t| table_seed(q, t)))
        .collect()
}

fn table_seed(q: &QName, t: &TableDef) -> TableSeed {
    let Some(seed) = &t.seed else {
        return TableSeed {
            table: q.clone(),
            upserts: Vec::new(),
            sequence_fixes: Vec::new(),
        };
    };
    let mut upserts = Vec::new();
    let mut seeded_columns: BTreeSet<&str> = BTreeSet::new();
    for row in &seed.rows {
        let columns: Vec<&str> = row.iter().map(|(c, _)| c.as_str()).collect();
        seeded_columns.extend(columns.iter().copied());
        let values: Vec<String> = row
            .iter()
            .map(|(c, v)| value_sql(v, t.column(c).map(|col| col.ty.as_str()).unwrap_or("text")))
            .collect();
        let overriding = row.iter().any(|(c, _)| {
            t.column(c)
                .is_some_and(|col| col.identity == Some(Identity::Always))
        });
        let updates: Vec<&str> = columns
            .iter()
            .copied()
            .filter(|c| !seed.key.iter().any(|k| k == c))
            .collect();
        let conflict = if updates.is_empty() {
            "DO NOTHING".to_string()
        } else {
            let sets: Vec<String> = updates
                .iter()
                .map(|c| format!("{} = EXCLUDED.{}", ident(c), ident(c)))
                .collect();
            let current: Vec<String> = updates.iter().map(|c| format!("t.{}", ident(c))).collect();
            let incoming: Vec<String> = updates
                .iter()
                .map(|c| format!("EXCLUDED.{}", ident(c)))
                .collect();
            // The WHERE makes an unchanged row a no-op, so a second run reports no change.
            format!(
                "DO UPDATE SET {} WHERE (ROW({})) IS DISTINCT FROM (ROW({}))",
                sets.join(", "),
                current.join(", "),
                incoming.join(", ")
            )
        };
        upserts.push(format!(
            "INSERT INTO {} AS t ({}){} VALUES ({}) ON CONFLICT ({}) {conflict}",
            q.sql(),
            ident_list(&columns),
            if overriding {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            },
            values.join(", "),
            ident_list(&seed.key),
        ));
    }
    let sequence_fixes = t
        .columns
        .iter()
        .filter(|c| (c.serial.is_some() || c.identity.is_some()) && seeded_columns.contains(c.name.as_str()))
        .map(|c| {
            format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), GREATEST((SELECT max({}) FROM {}), 1))",
                literal(&q.sql()),
                literal(&c.name),
                ident(&c.name),
                q.sql()
            )
        })
        .collect();
    TableSeed {
        table: q.clone(),
        upserts,
        sequence_fixes,
    }
}

/// A seed value as SQL for a column of type `ty`.
fn value_sql(value: &Value, ty: &str) -> String {
    if let Value::Object(map) = value
        && map.len() == 1
        && let Some(Value::String(expr)) = map.get("sql")
    {
        return expr.clone();
    }
    let is_json = ty == "jsonb" || ty == "json";
    if is_json {
        return format!("{}::{ty}", literal(&value.to_string()));
    }
    match value {
        Value::Null => "NULL".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => literal(s),
        Value::Array(items) if ty.ends_with("[]") => {
            if items.is_empty() {
                format!("'{{}}'::{ty}")
            } else {
                let element = ty.trim_end_matches("[]");
                let parts: Vec<String> = items.iter().map(|i| value_sql(i, element)).collect();
                format!("ARRAY[{}]::{ty}", parts.join(", "))
            }
        }
        // A vector written as a YAML list: pgvector reads the JSON array text form.
        other => literal(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(
            value_sql(&serde_json::json!({"a": 1}), "jsonb"),
            "'{\"a\":1}'::jsonb"
        );
        assert_eq!(value_sql(&serde_json::json!("it's"), "text"), "'it''s'");
        assert_eq!(
            value_sql(&serde_json::json!({"sql": "now()"}), "timestamptz"),
            "now()"
        );
        assert_eq!(
            value_sql(&serde_json::json!(["a", "b"]), "text[]"),
            "ARRAY['a', 'b']::text[]"
        );
        assert_eq!(
            value_sql(&serde_json::json!([1.5, 2]), "vector(2)"),
            "'[1.5,2]'"
        );
    }
}
