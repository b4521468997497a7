//! Where in the model an object is declared, so that a statement the server refused can
//! be reported at the object's line and column.

use schemactl_core::statement::{ObjectKey, ObjectKind as K};

use crate::load::pointer;
use crate::model::Model;

/// The JSON pointer into the document of the object `k`: its own node where it has one,
/// else its table's, else its schema's.
pub fn model_pointer(model: &Model, k: &ObjectKey) -> String {
    let s = k.schema.as_str();
    match (k.kind, &k.table) {
        (K::Role, _) => pointer(["roles", &k.name]),
        (K::Extension, _) => pointer(["extensions"]),
        (K::Schema, _) => pointer(["schemas", s]),
        (K::Type, _) => pointer(["schemas", s, "enums", &k.name]),
        (K::Function, _) => pointer(["schemas", s, "functions", &k.name]),
        (K::Table, _) => pointer(["schemas", s, "tables", &k.name]),
        (K::View, _) => pointer(["schemas", s, "views", &k.name]),
        (K::MaterializedView, _) => pointer(["schemas", s, "materialized_views", &k.name]),
        (K::Column, Some(t)) => column_pointer(model, s, t, &k.name),
        (K::Constraint | K::ForeignKey, Some(t)) => constraint_pointer(model, s, t, &k.name),
        (K::Trigger, Some(t)) => pointer(["schemas", s, "tables", t, "triggers", &k.name]),
        (K::Policy, Some(t)) => pointer([
            "schemas",
            s,
            "tables",
            t,
            "row_level_security",
            "policies",
            &k.name,
        ]),
        (K::Index, _) => index_pointer(model, s, &k.name),
        _ => pointer(["schemas", s]),
    }
}

fn column_pointer(model: &Model, s: &str, table: &str, column: &str) -> String {
    let in_table = model
        .schemas
        .get(s)
        .and_then(|sc| sc.tables.get(table))
        .is_some_and(|t| t.columns.contains_key(column));
    if in_table {
        pointer(["schemas", s, "tables", table, "columns", column])
    } else {
        pointer(["schemas", s, "tables", table])
    }
}

/// A named check or foreign key where the model names it, else its table.
fn constraint_pointer(model: &Model, s: &str, table: &str, name: &str) -> String {
    let Some(t) = model.schemas.get(s).and_then(|sc| sc.tables.get(table)) else {
        return pointer(["schemas", s, "tables", table]);
    };
    if t.checks.contains_key(name) {
        return pointer(["schemas", s, "tables", table, "checks", name]);
    }
    pointer(["schemas", s, "tables", table])
}

fn index_pointer(model: &Model, s: &str, name: &str) -> String {
    let schema = model.schemas.get(s);
    let on_table = schema.and_then(|sc| {
        sc.tables
            .iter()
            .find(|(_, t)| t.indexes.contains_key(name))
            .map(|(t, _)| pointer(["schemas", s, "tables", t, "indexes", name]))
    });
    let on_view = schema.and_then(|sc| {
        sc.materialized_views
            .iter()
            .find(|(_, v)| v.indexes.contains_key(name))
            .map(|(v, _)| pointer(["schemas", s, "materialized_views", v, "indexes", name]))
    });
    on_table
        .or(on_view)
        .unwrap_or_else(|| pointer(["schemas", s]))
}
