//! Citus rules the server would otherwise refuse at apply time, each at its place in the
//! model: a distribution column that exists, keys that include it, colocation with a
//! distributed table whose distribution column has the same type, no foreign key from a
//! reference table to a distributed one, no Citus table inside a distributed schema, and
//! the `citus` extension declared.

use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::{CitusTable, IndexColumn, Model, Table, Target};

use super::split_qualified;

/// Every Citus problem of the model.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let uses_citus = model.schemas.values().any(|s| {
        s.citus.as_ref().is_some_and(|c| c.distributed)
            || s.tables.values().any(|t| t.citus.is_some())
    });
    if !uses_citus {
        return out;
    }
    let first = first_citus_pointer(model);
    if model.database.target != Target::Postgres {
        let engine = match model.database.target {
            Target::Duckdb => "DuckDB",
            _ => "SQLite",
        };
        out.push(Diagnostic::at_key(
            first,
            format!("Citus keys need PostgreSQL with the citus extension, not {engine}"),
        ));
        return out;
    }
    if !model.extensions.iter().any(|e| e == "citus") {
        out.push(
            Diagnostic::at_key(first, "Citus keys need the `citus` extension")
                .with_hint("add `citus` to `extensions`"),
        );
    }
    for (schema_name, schema) in &model.schemas {
        let distributed_schema = schema.citus.as_ref().is_some_and(|c| c.distributed);
        for (table_name, table) in &schema.tables {
            let Some(citus) = &table.citus else { continue };
            let at = pointer(["schemas", schema_name, "tables", table_name, "citus"]);
            if distributed_schema {
                out.push(
                    Diagnostic::at_key(&at, format!("{schema_name}.{table_name} is in a distributed schema: Citus makes it a single-shard table of the schema's group"))
                        .with_hint("remove `citus` from the table, or `citus.distributed` from the schema"),
                );
                continue;
            }
            table_rules(model, schema_name, table_name, table, citus, &at, &mut out);
        }
    }
    out
}

fn first_citus_pointer(model: &Model) -> String {
    for (schema_name, schema) in &model.schemas {
        if schema.citus.is_some() {
            return pointer(["schemas", schema_name, "citus"]);
        }
        for (table_name, table) in &schema.tables {
            if table.citus.is_some() {
                return pointer(["schemas", schema_name, "tables", table_name, "citus"]);
            }
        }
    }
    String::new()
}

fn table_rules(
    model: &Model,
    schema_name: &str,
    table_name: &str,
    table: &Table,
    citus: &CitusTable,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let column = match (&citus.distribute_by, citus.reference) {
        (Some(column), false) => column,
        (None, true) => {
            reference_rules(model, schema_name, table_name, table, out);
            return;
        }
        (Some(_), true) => {
            out.push(
                Diagnostic::new(at, "a table is distributed or a reference table, not both")
                    .with_hint("keep `distribute_by` or `reference: true`"),
            );
            return;
        }
        (None, false) => {
            out.push(Diagnostic::new(
                at,
                "`citus` needs `distribute_by: COLUMN` or `reference: true`",
            ));
            return;
        }
    };
    let Some(column_def) = table.columns.get(column) else {
        out.push(
            Diagnostic::new(
                format!("{at}/distribute_by"),
                format!("{schema_name}.{table_name} has no column `{column}`"),
            )
            .with_hint(format!(
                "the columns: {}",
                table.columns.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
        );
        return;
    };
    if citus.colocate_with.is_some() && citus.shard_count.is_some() {
        out.push(
            Diagnostic::new(
                format!("{at}/shard_count"),
                "a colocated table has the shard count of the table it is colocated with",
            )
            .with_hint("remove `shard_count`, or `colocate_with`"),
        );
    }
    for (what, columns, pointer_at) in keys(schema_name, table_name, table) {
        if !columns.iter().any(|c| c == column) {
            out.push(
                Diagnostic::new(pointer_at, format!("the {what} of {schema_name}.{table_name} does not include its distribution column `{column}`"))
                    .with_hint(format!("Citus enforces uniqueness per shard only: add `{column}` to the {what}")),
            );
        }
    }
    if let Some(target) = &citus.colocate_with {
        let (schema, name) = split_qualified(target, schema_name);
        let found = model.schemas.get(schema).and_then(|s| s.tables.get(name));
        match found.and_then(|t| t.citus.as_ref().map(|c| (t, c))) {
            Some((
                other,
                CitusTable {
                    distribute_by: Some(other_column),
                    ..
                },
            )) => {
                let other_ty = other.columns.get(other_column).map(|c| c.ty.as_str());
                if other_ty.is_some_and(|ty| ty != column_def.ty) {
                    out.push(Diagnostic::new(format!("{at}/colocate_with"), format!(
                        "{schema_name}.{table_name} is distributed by a {} column, {target} by a {} one: colocated tables need one distribution type",
                        column_def.ty, other_ty.unwrap_or_default()
                    )));
                }
            }
            _ => out.push(
                Diagnostic::new(
                    format!("{at}/colocate_with"),
                    format!("`{target}` is not a distributed table of the model"),
                )
                .with_hint("colocate with a table that has `citus.distribute_by`"),
            ),
        }
    }
}

/// The primary key, unique constraints and unique indexes, as (what, columns, pointer).
fn keys(schema: &str, table_name: &str, table: &Table) -> Vec<(String, Vec<String>, String)> {
    let base = ["schemas", schema, "tables", table_name];
    let mut keys = Vec::new();
    let single: Vec<String> = table
        .columns
        .iter()
        .filter(|(_, c)| c.primary_key)
        .map(|(n, _)| n.clone())
        .collect();
    if !table.primary_key.is_empty() {
        let at = pointer(base.iter().copied().chain(["primary_key"]));
        keys.push(("primary key".to_string(), table.primary_key.clone(), at));
    } else if let Some(first) = single.first() {
        let at = pointer(
            base.iter()
                .copied()
                .chain(["columns", first.as_str(), "primary_key"]),
        );
        keys.push(("primary key".to_string(), single.clone(), at));
    }
    for (name, _) in table.columns.iter().filter(|(_, c)| c.unique) {
        let at = pointer(
            base.iter()
                .copied()
                .chain(["columns", name.as_str(), "unique"]),
        );
        keys.push((
            format!("unique constraint on `{name}`"),
            vec![name.clone()],
            at,
        ));
    }
    for (name, unique) in &table.unique {
        let at = pointer(base.iter().copied().chain(["unique", name.as_str()]));
        keys.push((
            format!("unique constraint `{name}`"),
            unique.columns().to_vec(),
            at,
        ));
    }
    for (name, index) in table.indexes.iter().filter(|(_, i)| i.unique) {
        let columns = index
            .columns
            .iter()
            .filter_map(|c| match c {
                IndexColumn::Name(n) => Some(n.clone()),
                IndexColumn::Spec(spec) => spec.column.clone(),
            })
            .collect();
        let at = pointer(base.iter().copied().chain(["indexes", name.as_str()]));
        keys.push((format!("unique index `{name}`"), columns, at));
    }
    keys
}

/// A reference table is on every node; a distributed table is not: a foreign key from
/// the first to the second cannot be checked on a node, so Citus refuses it.
fn reference_rules(
    model: &Model,
    schema_name: &str,
    table_name: &str,
    table: &Table,
    out: &mut Vec<Diagnostic>,
) {
    let mut targets: Vec<(String, String)> = Vec::new();
    for (column_name, column) in &table.columns {
        if let Some(r) = &column.references {
            let schema = r.schema.clone().unwrap_or_else(|| schema_name.to_string());
            let fk_at = pointer([
                "schemas",
                schema_name,
                "tables",
                table_name,
                "columns",
                column_name,
                "references",
            ]);
            targets.push((format!("{schema}.{}", r.table), fk_at));
        }
    }
    for (fk_name, fk) in &table.foreign_keys {
        let (schema, name) = split_qualified(&fk.references, schema_name);
        let fk_at = pointer([
            "schemas",
            schema_name,
            "tables",
            table_name,
            "foreign_keys",
            fk_name,
            "references",
        ]);
        targets.push((format!("{schema}.{name}"), fk_at));
    }
    for (target, fk_at) in targets {
        let (schema, name) = split_qualified(&target, schema_name);
        let distributed = model.schemas.get(schema).is_some_and(|s| {
            s.citus.as_ref().is_some_and(|c| c.distributed)
                || s.tables
                    .get(name)
                    .and_then(|t| t.citus.as_ref())
                    .is_some_and(|c| c.distribute_by.is_some())
        });
        if distributed {
            out.push(
                Diagnostic::new(fk_at, format!("reference table {schema_name}.{table_name} has a foreign key to distributed table {target}"))
                    .with_hint(format!("Citus refuses it: make {target} a reference table, or drop the key")),
            );
        }
    }
}
