//! A SQLite database as a catalog: `PRAGMA table_xinfo` for columns (declared types and
//! defaults verbatim), the stored `CREATE` statements for what only they hold
//! (constraint names, checks, generation, index expressions, view queries, trigger
//! programs). Constraints written without a name get the names the model's builder
//! gives them, so a database describes the same whoever created it.

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement};

use schemactl_core::catalog::{
    Catalog, CheckDef, ColumnDef, DatabaseDef, ForeignKeyDef, IndexDef, KeyDef, QName, SchemaDef,
    TableDef, TriggerDef, UniqueDef, ViewDef,
};
use schemactl_model::validate::sqlite::MAIN_SCHEMA;
use schemactl_model::{IndexMethod, TriggerLevel};

use crate::keywords::ident;
use crate::names;
use crate::parse;

/// Tables schemactl keeps for itself: never part of a model.
pub const BOOKKEEPING: [&str; 2] = ["seaql_migrations", "schemactl_migration_marks"];

struct SchemaRow {
    kind: String,
    name: String,
    table: String,
    sql: String,
}

async fn query<C: ConnectionTrait>(conn: &C, sql: String) -> anyhow::Result<Vec<QueryResult>> {
    conn.query_all_raw(Statement::from_string(DbBackend::Sqlite, sql.clone()))
        .await
        .with_context(|| format!("cannot run `{sql}`"))
}

/// Describes the database behind `conn` (database name `name`, for messages).
pub async fn describe<C: ConnectionTrait>(conn: &C, name: &str) -> anyhow::Result<Catalog> {
    let rows = query(
        conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"
            .to_string(),
    )
    .await?;
    let mut objects = Vec::with_capacity(rows.len());
    for row in rows {
        let object = SchemaRow {
            kind: row.try_get("", "type")?,
            name: row.try_get("", "name")?,
            table: row.try_get("", "tbl_name")?,
            sql: row.try_get("", "sql")?,
        };
        if !BOOKKEEPING.contains(&object.table.as_str()) {
            objects.push(object);
        }
    }
    let mut catalog = Catalog {
        database: DatabaseDef {
            name: name.to_string(),
            ..DatabaseDef::default()
        },
        ..Catalog::default()
    };
    catalog
        .schemas
        .insert(MAIN_SCHEMA.to_string(), SchemaDef::default());
    for object in objects.iter().filter(|o| o.kind == "table") {
        if object
            .sql
            .to_ascii_uppercase()
            .starts_with("CREATE VIRTUAL")
        {
            bail!(
                "SQLite virtual table {} cannot be described as a model table",
                object.name
            );
        }
        let def = table(conn, object).await?;
        catalog
            .tables
            .insert(QName::new(MAIN_SCHEMA, &object.name), def);
    }
    for object in &objects {
        let table = QName::new(MAIN_SCHEMA, &object.table);
        match object.kind.as_str() {
            "index" => {
                let parsed = parse::index(&object.sql)?;
                if let Some(t) = catalog.tables.get_mut(&table) {
                    t.indexes.push(IndexDef {
                        name: object.name.clone(),
                        method: IndexMethod::Btree,
                        keys: parsed.keys,
                        unique: parsed.unique,
                        predicate: parsed.predicate,
                        include: Vec::new(),
                        with: Vec::new(),
                        nulls_not_distinct: false,
                        comment: None,
                    });
                }
            }
            "view" => {
                catalog.views.insert(
                    QName::new(MAIN_SCHEMA, &object.name),
                    ViewDef {
                        owner: None,
                        materialized: false,
                        query: parse::view_query(&object.sql)?,
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
            "trigger" => {
                let parsed = parse::trigger(&object.sql)?;
                if let Some(t) = catalog.tables.get_mut(&table) {
                    t.triggers.push(TriggerDef {
                        name: object.name.clone(),
                        timing: parsed.timing,
                        events: vec![parsed.event],
                        update_of: parsed.update_of,
                        level: TriggerLevel::Row,
                        function: None,
                        body: Some(parsed.program),
                        args: Vec::new(),
                        condition: parsed.condition,
                        comment: None,
                    });
                }
            }
            _ => {}
        }
    }
    for t in catalog.tables.values_mut() {
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        t.triggers.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(catalog)
}

async fn table<C: ConnectionTrait>(conn: &C, object: &SchemaRow) -> anyhow::Result<TableDef> {
    let name = &object.name;
    let parsed = parse::table(&object.sql)
        .with_context(|| format!("reading the statement of table {name}"))?;
    let mut def = TableDef::default();
    let mut key: Vec<(i64, String)> = Vec::new();
    for row in query(conn, format!("PRAGMA table_xinfo({})", ident(name))).await? {
        let column: String = row.try_get("", "name")?;
        let pk: i64 = row.try_get("", "pk")?;
        if pk > 0 {
            key.push((pk, column.clone()));
        }
        let generated = parsed
            .generated
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, e)| e.clone());
        def.columns.push(ColumnDef {
            name: column,
            ty: row.try_get("", "type")?,
            serial: None,
            nullable: row.try_get::<i64>("", "notnull")? == 0,
            // SQLite gives a parenthesized default without its parentheses; put them back
            // so that the catalog's default can be written again.
            default: row
                .try_get::<Option<String>>("", "dflt_value")?
                .map(|d| crate::build::default_sql(&serde_json::Value::String(d))),
            generated,
            identity: None,
            identity_options: None,
            comment: None,
            collation: None,
        });
    }
    key.sort();
    if !key.is_empty() {
        def.primary_key = Some(KeyDef {
            name: parsed
                .primary_key_name
                .clone()
                .unwrap_or_else(|| names::primary_key(name)),
            columns: key.into_iter().map(|(_, c)| c).collect(),
            deferral: Default::default(),
            index: Default::default(),
        });
    }
    for (constraint, columns) in &parsed.uniques {
        def.uniques.push(UniqueDef {
            name: constraint
                .clone()
                .unwrap_or_else(|| names::unique(name, columns)),
            columns: columns.clone(),
            nulls_not_distinct: false,
            deferral: Default::default(),
            index: Default::default(),
        });
    }
    let mut unnamed = 0;
    for (constraint, column, expression) in &parsed.checks {
        let synthesized = match column {
            Some(c) if is_json_check(expression, c) => names::json_check(name, c),
            Some(c) => names::column_check(name, c),
            None => {
                unnamed += 1;
                names::table_check(name, unnamed)
            }
        };
        def.checks.push(CheckDef {
            name: constraint.clone().unwrap_or(synthesized),
            expression: expression.clone(),
            no_inherit: false,
        });
    }
    for fk in &parsed.foreign_keys {
        def.foreign_keys.push(ForeignKeyDef {
            name: fk
                .name
                .clone()
                .unwrap_or_else(|| names::foreign_key(name, &fk.columns)),
            columns: fk.columns.clone(),
            references: QName::new(MAIN_SCHEMA, &fk.table),
            referenced_columns: fk.referenced_columns.clone(),
            on_delete: fk.on_delete,
            on_update: fk.on_update,
            deferrable: fk.deferrable,
            initially_deferred: false,
        });
    }
    Ok(def)
}

/// `json_valid(column)`, however quoted: the check the builder writes for JSON columns.
fn is_json_check(expression: &str, column: &str) -> bool {
    let compact: String = expression
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect();
    compact.eq_ignore_ascii_case(&format!("json_valid({column})"))
}
