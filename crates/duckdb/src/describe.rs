//! A DuckDB database as a catalog, read from DuckDB's own catalog functions
//! (`duckdb_schemas()`, `duckdb_tables()`, `duckdb_columns()`, `duckdb_constraints()`,
//! `duckdb_indexes()`, `duckdb_views()`; the queries are the `.sql` files beside this one).
//! Constraints get the names [`crate::names`] gives them, so a database describes the
//! same whoever created it. The schema `schemactl` (schemactl's own tables) is left out.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use duckdb::Connection;

use schemactl_core::catalog::{
    Catalog, CheckDef, ColumnDef, DatabaseDef, ForeignKeyDef, IndexDef, IndexKeyDef, KeyDef, QName,
    SchemaDef, TableDef, UniqueDef, ViewDef,
};
use schemactl_model::{FkAction, IndexMethod};

use crate::names;

const SCHEMAS: &str = include_str!("describe/schemas.sql");
const TABLES: &str = include_str!("describe/tables.sql");
const COLUMNS: &str = include_str!("describe/columns.sql");
const CONSTRAINTS: &str = include_str!("describe/constraints.sql");
const INDEXES: &str = include_str!("describe/indexes.sql");

mod parse;
const VIEWS: &str = include_str!("describe/views.sql");

/// Describes the database behind `conn` (named `name` in the catalog, for messages).
pub fn describe(conn: &Connection, name: &str) -> anyhow::Result<Catalog> {
    let mut catalog = Catalog {
        database: DatabaseDef {
            name: name.to_string(),
            ..DatabaseDef::default()
        },
        ..Catalog::default()
    };
    for (schema, comment) in rows2::<String, Option<String>>(conn, SCHEMAS)? {
        catalog.schemas.insert(
            schema,
            SchemaDef {
                comment,
                ..SchemaDef::default()
            },
        );
    }
    for (schema, table, comment) in rows3::<String, String, Option<String>>(conn, TABLES)? {
        catalog.tables.insert(
            QName::new(schema, table),
            TableDef {
                comment,
                ..TableDef::default()
            },
        );
    }
    columns(conn, &mut catalog)?;
    constraints(conn, &mut catalog)?;
    indexes(conn, &mut catalog)?;
    views(conn, &mut catalog)?;
    Ok(catalog)
}

fn query_error(sql: &str) -> String {
    let first = sql.lines().find(|l| !l.starts_with("--")).unwrap_or(sql);
    format!("cannot read DuckDB's catalog (`{first} …`)")
}

fn rows2<A: duckdb::types::FromSql, B: duckdb::types::FromSql>(
    conn: &Connection,
    sql: &str,
) -> anyhow::Result<Vec<(A, B)>> {
    let mut stmt = conn.prepare(sql).with_context(|| query_error(sql))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .with_context(|| query_error(sql))?;
    rows.collect::<Result<_, _>>()
        .with_context(|| query_error(sql))
}

fn rows3<A: duckdb::types::FromSql, B: duckdb::types::FromSql, C: duckdb::types::FromSql>(
    conn: &Connection,
    sql: &str,
) -> anyhow::Result<Vec<(A, B, C)>> {
    let mut stmt = conn.prepare(sql).with_context(|| query_error(sql))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .with_context(|| query_error(sql))?;
    rows.collect::<Result<_, _>>()
        .with_context(|| query_error(sql))
}

/// A list of names, as the queries hand them over (`to_json(list)`).
fn names_of(json: &str, what: &str) -> anyhow::Result<Vec<String>> {
    serde_json::from_str(json).with_context(|| format!("reading {what} from {json}"))
}

fn columns(conn: &Connection, catalog: &mut Catalog) -> anyhow::Result<()> {
    let mut stmt = conn
        .prepare(COLUMNS)
        .with_context(|| query_error(COLUMNS))?;
    let mut rows = stmt.query([]).with_context(|| query_error(COLUMNS))?;
    while let Some(r) = rows.next()? {
        let q = QName::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?);
        let Some(table) = catalog.tables.get_mut(&q) else {
            continue;
        };
        table.columns.push(ColumnDef {
            name: r.get(2)?,
            ty: r.get(3)?,
            serial: None,
            nullable: r.get(4)?,
            default: r.get(5)?,
            generated: None,
            identity: None,
            identity_options: None,
            comment: r.get(6)?,
            collation: None,
        });
    }
    Ok(())
}

fn constraints(conn: &Connection, catalog: &mut Catalog) -> anyhow::Result<()> {
    let mut stmt = conn
        .prepare(CONSTRAINTS)
        .with_context(|| query_error(CONSTRAINTS))?;
    let mut rows = stmt.query([]).with_context(|| query_error(CONSTRAINTS))?;
    let mut checks: BTreeMap<QName, usize> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let q = QName::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?);
        let kind: String = r.get(2)?;
        let columns = names_of(&r.get::<_, String>(4)?, "constraint columns")?;
        let Some(table) = catalog.tables.get_mut(&q) else {
            continue;
        };
        match kind.as_str() {
            "PRIMARY KEY" => {
                table.primary_key = Some(KeyDef {
                    name: names::primary_key(),
                    columns,
                    deferral: Default::default(),
                    index: Default::default(),
                })
            }
            "UNIQUE" => table.uniques.push(UniqueDef {
                name: names::unique(&columns),
                columns,
                nulls_not_distinct: false,
                deferral: Default::default(),
                index: Default::default(),
            }),
            "CHECK" => {
                let n = checks.entry(q.clone()).or_default();
                *n += 1;
                table.checks.push(CheckDef {
                    name: names::check(*n),
                    expression: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    no_inherit: false,
                });
            }
            "FOREIGN KEY" => {
                let referenced: String = r.get(5)?;
                table.foreign_keys.push(ForeignKeyDef {
                    name: names::foreign_key(&columns),
                    columns,
                    // DuckDB reports the referenced table without its schema; a key
                    // references a table of its own schema (the validator sees to it).
                    references: QName::new(&q.schema, referenced),
                    referenced_columns: names_of(&r.get::<_, String>(6)?, "referenced columns")?,
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: false,
                    initially_deferred: false,
                });
            }
            "NOT NULL" => {}
            other => bail!("table {q} has a constraint of a kind schemactl does not know: {other}"),
        }
    }
    Ok(())
}

fn indexes(conn: &Connection, catalog: &mut Catalog) -> anyhow::Result<()> {
    let mut stmt = conn
        .prepare(INDEXES)
        .with_context(|| query_error(INDEXES))?;
    let mut rows = stmt.query([]).with_context(|| query_error(INDEXES))?;
    while let Some(r) = rows.next()? {
        let q = QName::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?);
        let name: String = r.get(2)?;
        let expressions: String = r.get(4)?;
        let Some(table) = catalog.tables.get_mut(&q) else {
            continue;
        };
        let keys = parse::index_keys(&expressions)
            .with_context(|| format!("reading the keys of index {name} on {q}"))?
            .into_iter()
            .map(|e| index_key(e, table))
            .collect();
        table.indexes.push(IndexDef {
            name,
            method: IndexMethod::Btree,
            keys,
            unique: r.get(3)?,
            predicate: None,
            include: Vec::new(),
            with: Vec::new(),
            nulls_not_distinct: false,
            comment: r.get(5)?,
        });
    }
    for t in catalog.tables.values_mut() {
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(())
}

/// An index key as DuckDB reports it: a column (DuckDB matches names without regard to
/// case) or an expression.
fn index_key(key: parse::IndexKey, table: &TableDef) -> IndexKeyDef {
    let column = match &key {
        parse::IndexKey::Name(name) => table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name)),
        parse::IndexKey::Expression(_) => None,
    };
    match (column, key) {
        (Some(c), _) => IndexKeyDef::Column {
            name: c.name.clone(),
            opclass: None,
            order: None,
            nulls: None,
            collate: None,
        },
        (None, parse::IndexKey::Name(sql) | parse::IndexKey::Expression(sql)) => {
            IndexKeyDef::Expression {
                sql,
                opclass: None,
                order: None,
                nulls: None,
                collate: None,
            }
        }
    }
}

fn views(conn: &Connection, catalog: &mut Catalog) -> anyhow::Result<()> {
    let mut stmt = conn.prepare(VIEWS).with_context(|| query_error(VIEWS))?;
    let mut rows = stmt.query([]).with_context(|| query_error(VIEWS))?;
    while let Some(r) = rows.next()? {
        let q = QName::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?);
        let sql: String = r.get(2)?;
        let query = parse::view_query(&sql).with_context(|| format!("reading view {q}"))?;
        catalog.views.insert(
            q,
            ViewDef {
                owner: None,
                materialized: false,
                query,
                comment: r.get(3)?,
                security_barrier: false,
                security_invoker: false,
                indexes: Vec::new(),
                grants: Vec::new(),
                column_comments: Vec::new(),
                declared_deps: Vec::new(),
            },
        );
    }
    Ok(())
}
