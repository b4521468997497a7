//! The export's query, built from the model: the table's declared columns, one boolean
//! per model check (evaluated by the server, `(expr) IS NOT FALSE`), and the filters.
//!
//! Filter values never become SQL text: each is parsed as its column's kind, set as a
//! transaction-local setting by a bound parameter (`set_config($1, $2, true)`), and the
//! query reads it back with `current_setting('schemactl.export_N')::type`. COPY takes
//! no parameters; this keeps both COPY's speed and bound values.

use anyhow::{anyhow, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use schemactl_export::parse::{self as values, Value};
use schemactl_export::{ColumnKind, ExportColumn, ExportSchema};

use crate::catalog::{Catalog, ColumnDef, QName, TableDef};
use crate::exit::UsageError;
use crate::seed::types::{self, Kind};
use crate::sql;

/// What rows to export.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Rows whose time column is at or after this instant (microseconds, UTC).
    pub since: Option<i64>,
    /// Rows whose time column is after this instant: the last run's watermark.
    pub after: Option<i64>,
    /// `COLUMN=VALUE`, as given.
    pub wheres: Vec<String>,
}

/// The query and the settings it reads.
#[derive(Debug, Clone)]
pub struct Query {
    pub schema: ExportSchema,
    /// `COPY (SELECT …) TO STDOUT (FORMAT text)`.
    pub copy: String,
    /// `(setting name, value)` pairs to set before the COPY.
    pub settings: Vec<(String, String)>,
    pub time_column: Option<String>,
    pub time_kind: Option<ColumnKind>,
}

/// The export's view of a model column.
pub fn column_kind(column: &ColumnDef, catalog: &Catalog) -> ColumnKind {
    match types::kind_of(&column.ty, catalog) {
        Kind::Bool => ColumnKind::Bool,
        Kind::Int(16) => ColumnKind::Int16,
        Kind::Int(32) => ColumnKind::Int32,
        Kind::Int(_) => ColumnKind::Int64,
        Kind::Numeric(Some((p, s))) if (1..=38).contains(&p) => ColumnKind::Decimal {
            precision: p as u8,
            scale: s as i8,
        },
        Kind::Float if matches!(column.ty.as_str(), "real" | "float4") => ColumnKind::Float32,
        Kind::Float => ColumnKind::Float64,
        Kind::Text(max_chars) => ColumnKind::Text { max_chars },
        Kind::Uuid => ColumnKind::Uuid,
        Kind::Date => ColumnKind::Date,
        Kind::Timestamp => ColumnKind::Timestamp,
        Kind::TimestampTz => ColumnKind::TimestampTz,
        Kind::Json => ColumnKind::Json,
        Kind::Enum(labels) => ColumnKind::Enum(labels),
        Kind::Numeric(_) | Kind::Vector(_) | Kind::Array(_) | Kind::Other => ColumnKind::PgText,
    }
}

/// The table as the export sees it.
pub fn export_schema(catalog: &Catalog, table: &QName, def: &TableDef) -> ExportSchema {
    ExportSchema {
        table: table.to_string(),
        columns: def
            .columns
            .iter()
            .map(|c| ExportColumn {
                name: c.name.clone(),
                kind: column_kind(c, catalog),
                nullable: c.nullable,
                model_type: c.ty.clone(),
            })
            .collect(),
        checks: def.checks.iter().map(|c| c.name.clone()).collect(),
        key: def
            .primary_key
            .as_ref()
            .map(|k| k.columns.clone())
            .unwrap_or_default(),
    }
}

fn is_time(kind: &ColumnKind) -> bool {
    matches!(
        kind,
        ColumnKind::Timestamp | ColumnKind::TimestampTz | ColumnKind::Date
    )
}

/// The time column: the one named, else the table's only NOT NULL timestamp column.
pub fn time_column(
    schema: &ExportSchema,
    named: Option<&str>,
) -> Result<Option<ExportColumn>, UsageError> {
    if let Some(name) = named {
        let column = schema
            .columns
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| {
                UsageError(format!(
                    "--time-column {name}: {} has no such column{}",
                    schema.table,
                    closest(name, schema)
                ))
            })?;
        if !is_time(&column.kind) {
            return Err(UsageError(format!(
                "--time-column {name}: the column is {}, not a date or timestamp",
                column.model_type
            )));
        }
        return Ok(Some(column.clone()));
    }
    let candidates: Vec<&ExportColumn> = schema
        .columns
        .iter()
        .filter(|c| {
            !c.nullable && matches!(c.kind, ColumnKind::Timestamp | ColumnKind::TimestampTz)
        })
        .collect();
    Ok(match candidates.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    })
}

fn closest(name: &str, schema: &ExportSchema) -> String {
    schema
        .columns
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &c.name.to_lowercase()),
                &c.name,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!(" (did you mean {c}?)"))
        .unwrap_or_default()
}

/// The time given to `--since`: a date, a date and time (UTC), or RFC 3339 with an offset.
pub fn parse_since(text: &str) -> Result<i64, UsageError> {
    let t = text.trim();
    let parsed = DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
            .or_else(|| {
                NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
            .map(|n| n.and_utc())
        });
    parsed.map(|d| d.timestamp_micros()).ok_or_else(|| {
        UsageError(format!(
            "--since {text:?}: expected a date (2026-12-01), a date and time in UTC \
             (2026-12-01 08:00:00) or RFC 3339 (2026-12-01T08:00:00+01:00)"
        ))
    })
}

/// An instant as the time column's text input.
pub fn time_text(micros: i64, kind: &ColumnKind) -> String {
    let at = DateTime::from_timestamp_micros(micros).unwrap_or_default();
    match kind {
        ColumnKind::Date => at.format("%Y-%m-%d").to_string(),
        ColumnKind::TimestampTz => at.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string(),
        _ => at.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
    }
}

/// Builds the query for `table`.
pub fn build(
    catalog: &Catalog,
    table: &QName,
    named_time_column: Option<&str>,
    filters: &Filters,
) -> anyhow::Result<Query> {
    let def = catalog
        .tables
        .get(table)
        .ok_or_else(|| anyhow!("the model has no table {table}"))?;
    let schema = export_schema(catalog, table, def);
    let time = time_column(&schema, named_time_column)?;
    let mut conditions = Vec::new();
    let mut settings = Vec::new();
    let setting = |value: String, settings: &mut Vec<(String, String)>| {
        let name = format!("schemactl.export_{}", settings.len() + 1);
        settings.push((name.clone(), value));
        sql::literal(&name)
    };
    for (bound, op) in [(filters.since, ">="), (filters.after, ">")] {
        let Some(micros) = bound else { continue };
        let Some(column) = &time else {
            bail!(UsageError(format!(
                "{table} has {} NOT NULL timestamp column(s): name the one to filter on with \
                 --time-column",
                if time_candidates(&schema) == 0 {
                    "no"
                } else {
                    "several"
                }
            )));
        };
        let name = setting(time_text(micros, &column.kind), &mut settings);
        conditions.push(format!(
            "{} {op} current_setting({name})::{}",
            sql::ident(&column.name),
            column.model_type
        ));
    }
    for item in &filters.wheres {
        let (column, value) = where_filter(&schema, item)?;
        let name = setting(value, &mut settings);
        conditions.push(format!(
            "{} = current_setting({name})::{}",
            sql::ident(&column.name),
            column.model_type
        ));
    }
    let mut select: Vec<String> = schema.columns.iter().map(|c| sql::ident(&c.name)).collect();
    select.extend(
        def.checks
            .iter()
            .map(|c| format!("({}) IS NOT FALSE", c.expression)),
    );
    let mut text = format!("SELECT {} FROM {}", select.join(", "), table.sql());
    if !conditions.is_empty() {
        text.push_str(&format!(" WHERE {}", conditions.join(" AND ")));
    }
    Ok(Query {
        copy: format!("COPY ({text}) TO STDOUT (FORMAT text)"),
        settings,
        time_kind: time.as_ref().map(|c| c.kind.clone()),
        time_column: time.map(|c| c.name),
        schema,
    })
}

fn time_candidates(schema: &ExportSchema) -> usize {
    schema
        .columns
        .iter()
        .filter(|c| {
            !c.nullable && matches!(c.kind, ColumnKind::Timestamp | ColumnKind::TimestampTz)
        })
        .count()
}

/// `COLUMN=VALUE` on a declared column, the value checked as the column's kind.
fn where_filter<'a>(
    schema: &'a ExportSchema,
    item: &str,
) -> Result<(&'a ExportColumn, String), UsageError> {
    let (name, value) = item.split_once('=').ok_or_else(|| {
        UsageError(format!(
            "--where {item:?}: expected COLUMN=VALUE (e.g. userId=cm3abc)"
        ))
    })?;
    let name = name.trim();
    let column = schema
        .columns
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            UsageError(format!(
                "--where {item:?}: {} declares no column {name}{}",
                schema.table,
                closest(name, schema)
            ))
        })?;
    if column.kind == ColumnKind::PgText {
        return Err(UsageError(format!(
            "--where {item:?}: filters on {} columns are not supported",
            column.model_type
        )));
    }
    match values::parse(&column.kind, value) {
        Ok(Value::Null) | Err(_) => Err(UsageError(format!(
            "--where {item:?}: {name} is {}, the value is not",
            column.kind.expected()
        ))),
        Ok(_) => Ok((column, value.to_string())),
    }
}
