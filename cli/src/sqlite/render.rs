//! The model as SQLite DDL: one statement per table, index, view and trigger.
//!
//! The text is deterministic because SQLite keeps it verbatim in `sqlite_schema`, and the
//! diff compares what a database holds with what this renderer would write.

use serde::Serialize;

use crate::model::types::SqlType;
use crate::model::{
    Column, FkAction, Index, IndexColumn, Model, SortOrder, Table, Trigger, TriggerEvent,
    TriggerTiming,
};
use crate::sql::{ident, ident_list};
use crate::validate::sqlite::MAIN_SCHEMA;

/// What kind of schema object a statement creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Table,
    Index,
    View,
    Trigger,
}

impl Kind {
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Table => "TABLE",
            Kind::Index => "INDEX",
            Kind::View => "VIEW",
            Kind::Trigger => "TRIGGER",
        }
    }

    /// The `type` column of `sqlite_schema`.
    pub fn from_schema_type(text: &str) -> Option<Kind> {
        Some(match text {
            "table" => Kind::Table,
            "index" => Kind::Index,
            "view" => Kind::View,
            "trigger" => Kind::Trigger,
            _ => return None,
        })
    }
}

/// One schema object: its kind, name, the table it belongs to and the statement creating it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Object {
    pub kind: Kind,
    pub name: String,
    /// The table an index or trigger is on; the object's own name for tables and views.
    pub table: String,
    pub sql: String,
}

/// Every object of the model, in creation order: tables, indexes, views, triggers.
pub fn objects(model: &Model) -> Vec<Object> {
    let Some(schema) = model.schemas.get(MAIN_SCHEMA) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, table) in &schema.tables {
        out.push(Object {
            kind: Kind::Table,
            name: name.clone(),
            table: name.clone(),
            sql: create_table(name, table),
        });
    }
    for (table_name, table) in &schema.tables {
        for (name, index) in &table.indexes {
            out.push(Object {
                kind: Kind::Index,
                name: name.clone(),
                table: table_name.clone(),
                sql: create_index(name, table_name, index),
            });
        }
    }
    for (name, view) in &schema.views {
        out.push(Object {
            kind: Kind::View,
            name: name.clone(),
            table: name.clone(),
            sql: format!("CREATE VIEW {} AS {}", ident(name), view.query.trim()),
        });
    }
    for (table_name, table) in &schema.tables {
        for (name, trigger) in &table.triggers {
            out.push(Object {
                kind: Kind::Trigger,
                name: name.clone(),
                table: table_name.clone(),
                sql: create_trigger(name, table_name, trigger),
            });
        }
    }
    out
}

/// The declared type SQLite stores for a model type. JSON is TEXT (checked with
/// `json_valid`); the other names keep their meaning for readers and for entity types.
pub fn declared_type(ty: &str) -> String {
    match SqlType::parse(ty) {
        Ok(SqlType::SmallInt | SqlType::Integer | SqlType::BigInt | SqlType::Serial(_)) => {
            "INTEGER".into()
        }
        Ok(SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)) => "TEXT".into(),
        Ok(SqlType::Json | SqlType::Jsonb) => "TEXT".into(),
        Ok(SqlType::Real | SqlType::Double) => "REAL".into(),
        Ok(SqlType::Numeric(_)) => "NUMERIC".into(),
        Ok(SqlType::Boolean) => "BOOLEAN".into(),
        Ok(SqlType::Date) => "DATE".into(),
        Ok(SqlType::Time) => "TIME".into(),
        Ok(SqlType::Timestamp) => "TIMESTAMP".into(),
        Ok(SqlType::Timestamptz) => "TIMESTAMPTZ".into(),
        Ok(SqlType::Uuid) => "UUID".into(),
        Ok(SqlType::Bytea) => "BLOB".into(),
        _ => ty.trim().to_ascii_uppercase(),
    }
}

fn is_json(ty: &str) -> bool {
    matches!(SqlType::parse(ty), Ok(SqlType::Json | SqlType::Jsonb))
}

/// `CREATE TABLE` for a table of the model.
pub fn create_table(name: &str, table: &Table) -> String {
    let pk = table.primary_key_columns();
    let single_pk: Option<&str> = match pk.as_slice() {
        [only] => Some(only.as_str()),
        _ => None,
    };
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|(col, c)| column_def(col, c, single_pk == Some(col.as_str())))
        .collect();
    let composite: Vec<&String> = if pk.len() > 1 {
        pk.iter().collect()
    } else {
        Vec::new()
    };
    if !composite.is_empty() {
        lines.push(format!("PRIMARY KEY ({})", ident_list(&composite)));
    }
    for (uname, unique) in &table.unique {
        let columns = unique.columns();
        lines.push(format!(
            "CONSTRAINT {} UNIQUE ({})",
            ident(uname),
            ident_list(columns)
        ));
    }
    for (fname, fk) in &table.foreign_keys {
        let referenced = fk.references.rsplit('.').next().unwrap_or(&fk.references);
        let mut line = format!(
            "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}",
            ident(fname),
            ident_list(&fk.columns),
            ident(referenced)
        );
        if !fk.referenced_columns.is_empty() {
            line.push_str(&format!(" ({})", ident_list(&fk.referenced_columns)));
        }
        push_actions(&mut line, fk.on_delete, fk.on_update, fk.deferrable);
        lines.push(line);
    }
    for (cname, check) in &table.checks {
        let expression = check.expression();
        lines.push(format!(
            "CONSTRAINT {} CHECK ({})",
            ident(cname),
            expression.trim()
        ));
    }
    format!(
        "CREATE TABLE {} (\n  {}\n)",
        ident(name),
        lines.join(",\n  ")
    )
}

fn column_def(name: &str, c: &Column, inline_pk: bool) -> String {
    let mut out = format!("{} {}", ident(name), declared_type(&c.ty));
    if inline_pk {
        out.push_str(" PRIMARY KEY");
    }
    let nullable = c.nullable.unwrap_or(!(c.primary_key || inline_pk));
    if !nullable && !inline_pk {
        out.push_str(" NOT NULL");
    }
    if c.unique {
        out.push_str(" UNIQUE");
    }
    if let Some(default) = &c.default {
        out.push_str(&format!(" DEFAULT {}", default_sql(default)));
    }
    if let Some(expression) = &c.generated {
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) STORED",
            expression.trim()
        ));
    }
    if let Some(check) = &c.check {
        out.push_str(&format!(" CHECK ({})", check.trim()));
    }
    if is_json(&c.ty) {
        out.push_str(&format!(" CHECK (json_valid({}))", ident(name)));
    }
    if let Some(r) = &c.references {
        out.push_str(&format!(" REFERENCES {}", ident(&r.table)));
        if let Some(column) = &r.column {
            out.push_str(&format!(" ({})", ident(column)));
        }
        push_actions(&mut out, r.on_delete, r.on_update, r.deferrable);
    }
    out
}

fn push_actions(
    out: &mut String,
    on_delete: Option<FkAction>,
    on_update: Option<FkAction>,
    deferrable: bool,
) {
    if let Some(action) = on_delete {
        out.push_str(&format!(" ON DELETE {}", action.sql()));
    }
    if let Some(action) = on_update {
        out.push_str(&format!(" ON UPDATE {}", action.sql()));
    }
    if deferrable {
        out.push_str(" DEFERRABLE INITIALLY DEFERRED");
    }
}

/// A default as SQLite takes it: literals and the `CURRENT_*` keywords bare, any other
/// expression in parentheses (SQLite's grammar requires them).
pub fn default_sql(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Bool(b) => (if *b { "1" } else { "0" }).into(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Null => "NULL".into(),
        serde_json::Value::String(text) => {
            let t = text.trim();
            let upper = t.to_ascii_uppercase();
            let bare = matches!(
                upper.as_str(),
                "CURRENT_TIMESTAMP" | "CURRENT_DATE" | "CURRENT_TIME" | "NULL" | "TRUE" | "FALSE"
            ) || t.parse::<f64>().is_ok()
                || (t.starts_with('\'')
                    && t.ends_with('\'')
                    && t.len() >= 2
                    && !t[1..t.len() - 1].contains('\''))
                || (t.starts_with('(') && t.ends_with(')'));
            if bare {
                t.to_string()
            } else {
                format!("({t})")
            }
        }
        other => format!("({other})"),
    }
}

fn create_index(name: &str, table: &str, index: &Index) -> String {
    let keys: Vec<String> = index
        .columns
        .iter()
        .map(|column| {
            let spec = match column {
                IndexColumn::Name(n) => return ident(n),
                IndexColumn::Spec(spec) => spec,
            };
            let mut key = match (&spec.column, &spec.expression) {
                (Some(c), _) => ident(c),
                (None, Some(e)) => e.trim().to_string(),
                (None, None) => String::new(),
            };
            if let Some(collate) = &spec.collate {
                key.push_str(&format!(" COLLATE {collate}"));
            }
            match spec.order {
                Some(SortOrder::Desc) => key.push_str(" DESC"),
                Some(SortOrder::Asc) => key.push_str(" ASC"),
                None => {}
            }
            key
        })
        .collect();
    let mut out = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(name),
        ident(table),
        keys.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {}", predicate.trim()));
    }
    out
}

fn create_trigger(name: &str, table: &str, trigger: &Trigger) -> String {
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let event = match trigger.events.first() {
        Some(TriggerEvent::Insert) => "INSERT".to_string(),
        Some(TriggerEvent::Delete) => "DELETE".to_string(),
        Some(TriggerEvent::Update) | None if trigger.update_of.is_empty() => "UPDATE".to_string(),
        Some(TriggerEvent::Update) | None => {
            format!("UPDATE OF {}", ident_list(&trigger.update_of))
        }
        Some(TriggerEvent::Truncate) => "TRUNCATE".to_string(),
    };
    let mut out = format!(
        "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW",
        ident(name),
        ident(table)
    );
    if let Some(condition) = &trigger.condition {
        out.push_str(&format!(" WHEN {}", condition.trim()));
    }
    let body = trigger.body.as_deref().unwrap_or("").trim();
    let body = if body.ends_with(';') {
        body.to_string()
    } else {
        format!("{body};")
    };
    out.push_str(&format!("\nBEGIN\n  {body}\nEND"));
    out
}

/// The whole model as one script (what `plan` prints with no database).
pub fn script(model: &Model) -> String {
    let mut out = String::from("BEGIN;\n\n");
    for object in objects(model) {
        out.push_str(&format!(
            "-- create {} {}\n{};\n\n",
            object.kind.keyword().to_lowercase(),
            object.name,
            object.sql
        ));
    }
    out.push_str("COMMIT;\n");
    out
}
