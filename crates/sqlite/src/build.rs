//! A model with `target: sqlite` as a catalog, in SQLite's terms: declared types SQLite
//! stores (`INTEGER`, `TEXT`, …), JSON as TEXT with a `json_valid` check, every
//! constraint named (SQLite keeps no names for inline ones, so inline constraints are
//! given the names PostgreSQL would: `<table>_<column>_key`, `_check`, `_fkey`, and
//! `_json` for the JSON check). Comments are documentation only: SQLite has nowhere to
//! keep them, so the catalog has none.

use serde_json::Value;

use schemactl_core::catalog::{
    Catalog, CheckDef, ColumnDef, DatabaseDef, ForeignKeyDef, IndexDef, IndexKeyDef, KeyDef, QName,
    SchemaDef, TableDef, TriggerDef, UniqueDef, ViewDef,
};
use schemactl_model::types::SqlType;
use schemactl_model::validate::sqlite::MAIN_SCHEMA;
use schemactl_model::{Column, FkAction, IndexMethod, Model, Table, TriggerEvent, TriggerLevel};

use crate::keywords::ident;

/// The catalog a SQLite model describes.
pub fn from_model(model: &Model) -> Catalog {
    let mut catalog = Catalog {
        database: DatabaseDef {
            name: model.database.name.clone(),
            ..DatabaseDef::default()
        },
        ..Catalog::default()
    };
    catalog
        .schemas
        .insert(MAIN_SCHEMA.to_string(), SchemaDef::default());
    let Some(schema) = model.schemas.get(MAIN_SCHEMA) else {
        return catalog;
    };
    for (name, table) in &schema.tables {
        catalog
            .tables
            .insert(QName::new(MAIN_SCHEMA, name), table_def(name, table));
    }
    for (name, view) in &schema.views {
        catalog.views.insert(
            QName::new(MAIN_SCHEMA, name),
            ViewDef {
                owner: None,
                materialized: false,
                query: view.query.trim().to_string(),
                comment: None,
                security_barrier: false,
                security_invoker: false,
                indexes: Vec::new(),
                grants: Vec::new(),
                column_comments: Vec::new(),
                declared_deps: Vec::new(),
            },
        );
    }
    catalog
}

/// The declared type SQLite stores for a model type. JSON is TEXT (checked with
/// `json_valid`); the other names keep their meaning for readers and for entity types,
/// and each keeps the affinity of its meaning (INTEGER, TEXT, REAL, NUMERIC, BLOB).
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

fn table_def(name: &str, table: &Table) -> TableDef {
    let pk = table.primary_key_columns();
    let inline_pk = pk.len() == 1;
    let mut def = TableDef {
        columns: table
            .columns
            .iter()
            .map(|(col, c)| column_def(col, c, inline_pk && pk[0] == *col))
            .collect(),
        primary_key: (!pk.is_empty()).then(|| KeyDef {
            name: table
                .primary_key_name
                .clone()
                .unwrap_or_else(|| format!("{name}_pkey")),
            columns: pk.clone(),
            deferral: Default::default(),
            index: Default::default(),
        }),
        ..TableDef::default()
    };
    for (col, c) in &table.columns {
        if c.unique {
            def.uniques.push(UniqueDef {
                name: format!("{name}_{col}_key"),
                columns: vec![col.clone()],
                nulls_not_distinct: false,
                deferral: Default::default(),
                index: Default::default(),
            });
        }
        if let Some(check) = &c.check {
            def.checks.push(CheckDef {
                name: format!("{name}_{col}_check"),
                expression: check.trim().to_string(),
                no_inherit: false,
            });
        }
        if is_json(&c.ty) {
            def.checks.push(CheckDef {
                name: format!("{name}_{col}_json"),
                expression: format!("json_valid({})", ident(col)),
                no_inherit: false,
            });
        }
        if let Some(r) = &c.references {
            def.foreign_keys.push(ForeignKeyDef {
                name: r
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{name}_{col}_fkey")),
                columns: vec![col.clone()],
                references: QName::new(MAIN_SCHEMA, &r.table),
                referenced_columns: r.column.iter().cloned().collect(),
                on_delete: r.on_delete.unwrap_or(FkAction::NoAction),
                on_update: r.on_update.unwrap_or(FkAction::NoAction),
                deferrable: r.deferrable,
                initially_deferred: false,
            });
        }
    }
    for (uname, unique) in &table.unique {
        def.uniques.push(UniqueDef {
            name: uname.clone(),
            columns: unique.columns().to_vec(),
            nulls_not_distinct: false,
            deferral: Default::default(),
            index: Default::default(),
        });
    }
    for (cname, check) in &table.checks {
        def.checks.push(CheckDef {
            name: cname.clone(),
            expression: check.expression().trim().to_string(),
            no_inherit: false,
        });
    }
    for (fname, fk) in &table.foreign_keys {
        let referenced = fk.references.rsplit('.').next().unwrap_or(&fk.references);
        def.foreign_keys.push(ForeignKeyDef {
            name: fname.clone(),
            columns: fk.columns.clone(),
            references: QName::new(MAIN_SCHEMA, referenced),
            referenced_columns: fk.referenced_columns.clone(),
            on_delete: fk.on_delete.unwrap_or(FkAction::NoAction),
            on_update: fk.on_update.unwrap_or(FkAction::NoAction),
            deferrable: fk.deferrable,
            initially_deferred: false,
        });
    }
    def.indexes = table
        .indexes
        .iter()
        .map(|(iname, index)| IndexDef {
            name: iname.clone(),
            method: IndexMethod::Btree,
            keys: index
                .columns
                .iter()
                .map(|c| {
                    let spec = c.spec();
                    match (spec.column, spec.expression) {
                        (Some(column), _) => IndexKeyDef::Column {
                            name: column,
                            opclass: None,
                            order: spec.order,
                            nulls: None,
                            collate: spec.collate,
                        },
                        (None, expression) => IndexKeyDef::Expression {
                            sql: expression.unwrap_or_default().trim().to_string(),
                            opclass: None,
                            order: spec.order,
                            nulls: None,
                            collate: spec.collate,
                        },
                    }
                })
                .collect(),
            unique: index.unique,
            predicate: index.predicate.as_ref().map(|p| p.trim().to_string()),
            include: Vec::new(),
            with: Vec::new(),
            nulls_not_distinct: false,
            comment: None,
        })
        .collect();
    def.triggers = table
        .triggers
        .iter()
        .map(|(tname, t)| TriggerDef {
            name: tname.clone(),
            timing: t.timing,
            events: t.events.first().copied().into_iter().collect(),
            update_of: if t.events.first() == Some(&TriggerEvent::Update) {
                t.update_of.clone()
            } else {
                Vec::new()
            },
            level: TriggerLevel::Row,
            function: None,
            body: t.body.as_deref().map(program),
            args: Vec::new(),
            condition: t.condition.as_ref().map(|c| c.trim().to_string()),
            comment: None,
        })
        .collect();
    def
}

/// A trigger program as SQLite keeps it: the statements, the last one ending in `;`.
pub fn program(body: &str) -> String {
    let body = body.trim();
    if body.ends_with(';') {
        body.to_string()
    } else {
        format!("{body};")
    }
}

fn column_def(name: &str, c: &Column, inline_pk: bool) -> ColumnDef {
    // A key column is NOT NULL unless the model says otherwise; the inline (rowid) key is
    // written without it, as SQLite needs nothing there.
    let nullable = c.nullable.unwrap_or(!(c.primary_key || inline_pk));
    ColumnDef {
        name: name.to_string(),
        ty: declared_type(&c.ty),
        serial: None,
        nullable: nullable || inline_pk,
        default: c.default.as_ref().map(default_sql),
        generated: c.generated.as_ref().map(|g| g.trim().to_string()),
        identity: None,
        identity_options: None,
        comment: None,
        collation: None,
    }
}

/// A default as SQLite takes it: literals and the `CURRENT_*` keywords bare, any other
/// expression in parentheses (SQLite's grammar requires them).
pub fn default_sql(value: &Value) -> String {
    match value {
        Value::Bool(b) => (if *b { "1" } else { "0" }).into(),
        Value::Number(n) => n.to_string(),
        Value::Null => "NULL".into(),
        Value::String(text) => {
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
