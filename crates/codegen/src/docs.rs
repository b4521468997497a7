//! Catalog → the data dictionary and the Mermaid ER diagrams (`docs/`).

use std::path::PathBuf;

use minijinja::Environment;
use serde::Serialize;

use super::Files;
use crate::catalog::{Catalog, IndexDef, IndexKeyDef, QName, TableDef};

#[derive(Debug, Serialize)]
struct SchemaDoc {
    name: String,
    comment: String,
    enums: Vec<EnumDoc>,
    tables: Vec<TableDoc>,
    views: Vec<ViewDoc>,
    er_entities: Vec<ErEntity>,
    er_links: Vec<ErLink>,
}

#[derive(Debug, Serialize)]
struct EnumDoc {
    name: String,
    values: String,
    comment: String,
}

#[derive(Debug, Serialize)]
struct TableDoc {
    name: String,
    comment: String,
    partitioned: String,
    columns: Vec<ColumnDoc>,
    primary_key: String,
    uniques: Vec<String>,
    foreign_keys: Vec<String>,
    checks: Vec<String>,
    indexes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ColumnDoc {
    name: String,
    ty: String,
    nullable: &'static str,
    default: String,
    keys: String,
    comment: String,
}

#[derive(Debug, Serialize)]
struct ViewDoc {
    name: String,
    kind: &'static str,
    comment: String,
    indexes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ErEntity {
    name: String,
    attributes: Vec<ErAttribute>,
}

#[derive(Debug, Serialize)]
struct ErAttribute {
    ty: String,
    name: String,
    keys: String,
}

#[derive(Debug, Serialize)]
struct ErLink {
    parent: String,
    child: String,
    cardinality: &'static str,
    label: String,
}

/// Markdown table cells: one line, no column separators.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn code(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("`{}`", cell(text).replace('`', "'"))
    }
}

fn index_line(index: &IndexDef) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|k| match k {
            IndexKeyDef::Column { name, .. } => name.clone(),
            IndexKeyDef::Expression { sql, .. } => format!("({sql})"),
        })
        .collect();
    let mut line = format!(
        "`{}`: {}{} ({})",
        index.name,
        if index.unique { "unique " } else { "" },
        format!("{:?}", index.method).to_lowercase(),
        cell(&keys.join(", ")).replace('`', "'")
    );
    if let Some(predicate) = &index.predicate {
        line.push_str(&format!(" where {}", code(predicate)));
    }
    if let Some(comment) = &index.comment {
        line.push_str(&format!(": {}", cell(comment)));
    }
    line
}

fn column_keys(table: &TableDef, column: &str) -> String {
    let mut keys = Vec::new();
    if table
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.iter().any(|c| c == column))
    {
        keys.push("PK");
    }
    if table
        .foreign_keys
        .iter()
        .any(|f| f.columns.iter().any(|c| c == column))
    {
        keys.push("FK");
    }
    if table
        .uniques
        .iter()
        .any(|u| u.columns.iter().any(|c| c == column))
    {
        keys.push("UK");
    }
    keys.join(", ")
}

/// Mermaid attribute types are single words.
fn er_type(ty: &str, schema: &str) -> String {
    let ty = ty
        .strip_prefix(&format!("{schema}."))
        .unwrap_or(ty)
        .replace("character varying", "varchar")
        .replace("timestamp with time zone", "timestamptz")
        .replace("timestamp without time zone", "timestamp")
        .replace("double precision", "double");
    ty.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_end_matches('_')
        .to_string()
}

fn table_doc(table: &TableDef, name: &str) -> TableDoc {
    TableDoc {
        name: name.to_string(),
        comment: table.comment.as_deref().map(cell).unwrap_or_default(),
        partitioned: table
            .partition_by
            .as_ref()
            .map(|p| {
                format!(
                    "Partitioned by {} ({}); {} partition(s).",
                    p.strategy.to_lowercase(),
                    p.columns.join(", "),
                    table.partitions.len()
                )
            })
            .unwrap_or_default(),
        columns: table
            .columns
            .iter()
            .map(|c| ColumnDoc {
                name: c.name.clone(),
                ty: match c.serial {
                    Some(_) => format!("{} (serial)", c.ty),
                    None => c.ty.clone(),
                },
                nullable: if c.nullable { "yes" } else { "no" },
                default: match (&c.generated, &c.identity, &c.default) {
                    (Some(expr), _, _) => format!("generated: {}", code(expr)),
                    (_, Some(identity), _) => format!("identity ({identity:?})")
                        .to_lowercase()
                        .replace("bydefault", "by default"),
                    (_, _, Some(d)) => code(d),
                    _ if c.serial.is_some() => "sequence".to_string(),
                    _ => String::new(),
                },
                keys: column_keys(table, &c.name),
                comment: c.comment.as_deref().map(cell).unwrap_or_default(),
            })
            .collect(),
        primary_key: table
            .primary_key
            .as_ref()
            .map(|k| format!("`{}` ({})", k.name, k.columns.join(", ")))
            .unwrap_or_default(),
        uniques: table
            .uniques
            .iter()
            .map(|u| format!("`{}` ({})", u.name, u.columns.join(", ")))
            .collect(),
        foreign_keys: table
            .foreign_keys
            .iter()
            .map(|f| {
                format!(
                    "`{}` ({}) → `{}` ({}), on delete {}",
                    f.name,
                    f.columns.join(", "),
                    f.references,
                    f.referenced_columns.join(", "),
                    format!("{:?}", f.on_delete).to_lowercase()
                )
            })
            .collect(),
        checks: table
            .checks
            .iter()
            .map(|c| format!("`{}`: {}", c.name, code(&c.expression)))
            .collect(),
        indexes: table.indexes.iter().map(index_line).collect(),
    }
}

fn schema_doc(catalog: &Catalog, schema: &str) -> SchemaDoc {
    let in_schema = |q: &QName| q.schema == schema;
    let mut er_entities = Vec::new();
    let mut er_links = Vec::new();
    let mut tables = Vec::new();
    for (q, table) in catalog.tables.iter().filter(|(q, _)| in_schema(q)) {
        tables.push(table_doc(table, &q.name));
        er_entities.push(ErEntity {
            name: q.name.clone(),
            attributes: table
                .columns
                .iter()
                .map(|c| ErAttribute {
                    ty: er_type(&c.ty, schema),
                    name: c.name.clone(),
                    keys: column_keys(table, &c.name),
                })
                .collect(),
        });
        for fk in &table.foreign_keys {
            let nullable = fk
                .columns
                .iter()
                .any(|c| table.column(c).is_some_and(|c| c.nullable));
            let parent = if fk.references.schema == schema {
                fk.references.name.clone()
            } else {
                format!("{}_{}", fk.references.schema, fk.references.name)
            };
            er_links.push(ErLink {
                parent,
                child: q.name.clone(),
                cardinality: if nullable { "|o--o{" } else { "||--o{" },
                label: fk.name.clone(),
            });
        }
    }
    SchemaDoc {
        name: schema.to_string(),
        comment: catalog
            .schemas
            .get(schema)
            .and_then(|s| s.comment.as_deref())
            .map(cell)
            .unwrap_or_default(),
        enums: catalog
            .enums
            .iter()
            .filter(|(q, _)| in_schema(q))
            .map(|(q, e)| EnumDoc {
                name: q.name.clone(),
                values: e
                    .values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                comment: e.comment.as_deref().map(cell).unwrap_or_default(),
            })
            .collect(),
        tables,
        views: catalog
            .views
            .iter()
            .filter(|(q, _)| in_schema(q))
            .map(|(q, v)| ViewDoc {
                name: q.name.clone(),
                kind: if v.materialized {
                    "materialized view"
                } else {
                    "view"
                },
                comment: v.comment.as_deref().map(cell).unwrap_or_default(),
                indexes: v.indexes.iter().map(index_line).collect(),
            })
            .collect(),
        er_entities,
        er_links,
    }
}

pub fn render_all(env: &Environment<'_>, catalog: &Catalog) -> anyhow::Result<Files> {
    let schemas: Vec<SchemaDoc> = catalog
        .schemas
        .keys()
        .map(|s| schema_doc(catalog, s))
        .collect();
    let mut files = Files::new();
    let database = &catalog.database.name;
    files.insert(
        PathBuf::from("data-dictionary.md"),
        super::render(
            env,
            "data-dictionary.md.j2",
            minijinja::context! { database, schemas => minijinja::Value::from(minijinja::value::Serde(&schemas)) },
        )?,
    );
    for schema in &schemas {
        files.insert(
            PathBuf::from(format!("er-{}.md", schema.name)),
            super::render(env, "er.md.j2", minijinja::context! { database, schema => minijinja::Value::from(minijinja::value::Serde(schema)) })?,
        );
    }
    Ok(files)
}
