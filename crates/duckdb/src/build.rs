//! A model with `target: duckdb` as a catalog, in DuckDB's terms: DuckDB's type names
//! (`VARCHAR`, `DOUBLE`, `TIMESTAMP WITH TIME ZONE`, …) and constraints named the way the
//! describer names them ([`crate::names`]): DuckDB keeps no constraint names, so the
//! model's names are labels only. The model is assumed valid (`validate::duckdb` refused
//! what DuckDB cannot host).

use serde_json::Value;

use schemactl_core::catalog::{
    Catalog, CheckDef, ColumnDef, DatabaseDef, ForeignKeyDef, IndexDef, IndexKeyDef, KeyDef, QName,
    SchemaDef, TableDef, UniqueDef, ViewDef,
};
use schemactl_model::types::SqlType;
use schemactl_model::validate::duckdb::MAIN_SCHEMA;
use schemactl_model::validate::split_qualified;
use schemactl_model::{Column, FkAction, IndexMethod, Model, Table};

use crate::names;

/// The catalog a DuckDB model describes.
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
    for (schema_name, schema) in &model.schemas {
        catalog.schemas.insert(
            schema_name.clone(),
            SchemaDef {
                comment: schema.comment.clone(),
                ..SchemaDef::default()
            },
        );
        for (name, table) in &schema.tables {
            catalog.tables.insert(
                QName::new(schema_name, name),
                table_def(model, schema_name, table),
            );
        }
        for (name, view) in &schema.views {
            catalog.views.insert(
                QName::new(schema_name, name),
                ViewDef {
                    owner: None,
                    materialized: false,
                    query: view.query.trim().trim_end_matches(';').trim().to_string(),
                    comment: view.comment.clone(),
                    security_barrier: false,
                    security_invoker: false,
                    indexes: Vec::new(),
                    grants: Vec::new(),
                    column_comments: Vec::new(),
                    declared_deps: view
                        .depends_on
                        .iter()
                        .map(|d| {
                            let (s, n) = split_qualified(d, schema_name);
                            QName::new(s, n)
                        })
                        .collect(),
                },
            );
        }
    }
    catalog
}

/// The DuckDB type for a model type (the validator refused the others; what is left
/// unknown is passed on upper-cased, for DuckDB to judge).
pub fn duckdb_type(ty: &str) -> String {
    match SqlType::parse(ty) {
        Ok(parsed) => type_of(&parsed).unwrap_or_else(|| ty.trim().to_ascii_uppercase()),
        Err(_) => ty.trim().to_ascii_uppercase(),
    }
}

fn type_of(ty: &SqlType) -> Option<String> {
    Some(match ty {
        SqlType::SmallInt => "SMALLINT".into(),
        SqlType::Integer => "INTEGER".into(),
        SqlType::BigInt => "BIGINT".into(),
        SqlType::Text | SqlType::Varchar(None) => "VARCHAR".into(),
        SqlType::Boolean => "BOOLEAN".into(),
        SqlType::Numeric(Some((p, s))) => format!("DECIMAL({p},{s})"),
        SqlType::Real => "FLOAT".into(),
        SqlType::Double => "DOUBLE".into(),
        SqlType::Date => "DATE".into(),
        SqlType::Time => "TIME".into(),
        SqlType::Timestamp => "TIMESTAMP".into(),
        SqlType::Timestamptz => "TIMESTAMP WITH TIME ZONE".into(),
        SqlType::Interval => "INTERVAL".into(),
        SqlType::Uuid => "UUID".into(),
        SqlType::Json | SqlType::Jsonb => "JSON".into(),
        SqlType::Bytea => "BLOB".into(),
        SqlType::Array(element) => format!("{}[]", type_of(element)?),
        _ => return None,
    })
}

fn table_def(model: &Model, schema: &str, table: &Table) -> TableDef {
    let pk = table.primary_key_columns();
    let mut def = TableDef {
        columns: table
            .columns
            .iter()
            .map(|(name, c)| column_def(name, c, pk.contains(name)))
            .collect(),
        primary_key: (!pk.is_empty()).then(|| KeyDef {
            name: names::primary_key(),
            columns: pk.clone(),
            deferral: Default::default(),
            index: Default::default(),
        }),
        comment: table.comment.clone(),
        ..TableDef::default()
    };
    let mut checks: Vec<String> = Vec::new();
    for (col, c) in &table.columns {
        if c.unique {
            def.uniques.push(unique(std::slice::from_ref(col)));
        }
        if let Some(check) = &c.check {
            checks.push(check.trim().to_string());
        }
        if let Some(r) = &c.references {
            let referenced_columns = match &r.column {
                Some(column) => vec![column.clone()],
                None => referenced_key(model, r.schema.as_deref().unwrap_or(schema), &r.table),
            };
            def.foreign_keys.push(foreign_key(
                std::slice::from_ref(col),
                QName::new(r.schema.as_deref().unwrap_or(schema), &r.table),
                referenced_columns,
            ));
        }
    }
    for unique_constraint in table.unique.values() {
        def.uniques.push(unique(unique_constraint.columns()));
    }
    checks.extend(
        table
            .checks
            .values()
            .map(|c| c.expression().trim().to_string()),
    );
    def.checks = checks
        .into_iter()
        .enumerate()
        .map(|(i, expression)| CheckDef {
            name: names::check(i + 1),
            expression,
            no_inherit: false,
        })
        .collect();
    for fk in table.foreign_keys.values() {
        let (target_schema, t) = split_qualified(&fk.references, schema);
        let referenced_columns = if fk.referenced_columns.is_empty() {
            referenced_key(model, target_schema, t)
        } else {
            fk.referenced_columns.clone()
        };
        def.foreign_keys.push(foreign_key(
            &fk.columns,
            QName::new(target_schema, t),
            referenced_columns,
        ));
    }
    def.indexes = table
        .indexes
        .iter()
        .map(|(name, index)| IndexDef {
            name: name.clone(),
            method: IndexMethod::Btree,
            keys: index
                .columns
                .iter()
                .filter_map(|c| c.spec().column)
                .map(|name| IndexKeyDef::Column {
                    name,
                    opclass: None,
                    order: None,
                    nulls: None,
                    collate: None,
                })
                .collect(),
            unique: index.unique,
            predicate: None,
            include: Vec::new(),
            with: Vec::new(),
            nulls_not_distinct: false,
            comment: None,
        })
        .collect();
    def
}

/// The primary key of a table of the model: what a reference without columns names.
fn referenced_key(model: &Model, schema: &str, table: &str) -> Vec<String> {
    model
        .schemas
        .get(schema)
        .and_then(|s| s.tables.get(table))
        .map(Table::primary_key_columns)
        .unwrap_or_default()
}

fn unique(columns: &[String]) -> UniqueDef {
    UniqueDef {
        name: names::unique(columns),
        columns: columns.to_vec(),
        nulls_not_distinct: false,
        deferral: Default::default(),
        index: Default::default(),
    }
}

fn foreign_key(columns: &[String], references: QName, referenced: Vec<String>) -> ForeignKeyDef {
    ForeignKeyDef {
        name: names::foreign_key(columns),
        columns: columns.to_vec(),
        references,
        referenced_columns: referenced,
        // DuckDB only checks references (NO ACTION); the validator refused other actions.
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        deferrable: false,
        initially_deferred: false,
    }
}

fn column_def(name: &str, c: &Column, in_key: bool) -> ColumnDef {
    ColumnDef {
        name: name.to_string(),
        ty: duckdb_type(&c.ty),
        serial: None,
        nullable: c.nullable.unwrap_or(!in_key) && !in_key,
        default: c.default.as_ref().map(default_sql),
        generated: None,
        identity: None,
        identity_options: None,
        comment: c.comment.clone(),
        collation: None,
    }
}

/// A default as DuckDB takes it: YAML numbers and booleans as literals, strings as the
/// SQL expression they are.
pub fn default_sql(value: &Value) -> String {
    match value {
        Value::Bool(b) => (if *b { "true" } else { "false" }).into(),
        Value::Number(n) => n.to_string(),
        Value::Null => "NULL".into(),
        Value::String(text) => text.trim().to_string(),
        other => other.to_string(),
    }
}
