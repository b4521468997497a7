//! Lookup tables resolved by name: pass 1 of a two-pass import.
//!
//! Source data names its developers, genres or tags by text, while the rows that use them
//! refer to a surrogate id. Pass 1 collects every distinct name the data uses, inserts the
//! new ones (`ON CONFLICT (name) DO NOTHING`, so names already there keep their ids) and
//! reads every name's id back into a map; pass 2 writes the referring rows through that map.
//! Two statements per lookup table, whatever the number of names.
//!
//! The columns and their types come from the model ([`Lookup::new`]): a name column the
//! model does not declare unique is refused, since the upsert needs it as its arbiter.

use std::collections::HashMap;

use anyhow::{anyhow, bail};
use sea_orm::sqlx::{self, Row as _, postgres::PgConnection};

use super::pg::server_message;
use crate::catalog::{QName, TableDef};
use crate::sql;

/// A lookup table: a unique name and the id other tables reference.
#[derive(Debug, Clone)]
pub struct Lookup {
    pub table: QName,
    pub name_column: String,
    pub id_column: String,
    /// Another column filled when a name is inserted (e.g. the source system's own id), with
    /// its SQL type.
    pub extra: Option<(String, String)>,
    /// The SQL type of the name column.
    name_type: String,
}

/// The ids of the names, and how many names were new.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub ids: HashMap<String, i64>,
    pub inserted: u64,
}

impl Lookup {
    /// The lookup `name_column → id_column` of `table` as the model declares it, with an
    /// optional `extra` column written on insert.
    pub fn new(
        name: &QName,
        table: &TableDef,
        name_column: &str,
        id_column: &str,
        extra: Option<&str>,
    ) -> anyhow::Result<Lookup> {
        let column = |c: &str| {
            table
                .column(c)
                .ok_or_else(|| anyhow!("the model's table {name} has no column {c}"))
        };
        let name_type = column(name_column)?.ty.clone();
        column(id_column)?;
        let extra = match extra {
            Some(c) => Some((c.to_string(), column(c)?.ty.clone())),
            None => None,
        };
        let unique = table
            .primary_key
            .iter()
            .map(|k| &k.columns)
            .chain(table.uniques.iter().map(|u| &u.columns))
            .any(|cols| cols.len() == 1 && cols[0] == name_column);
        if !unique {
            bail!(
                "{name}.{name_column} is not unique in the model: a lookup by name needs a \
                 unique key on it"
            );
        }
        Ok(Lookup {
            table: name.clone(),
            name_column: name_column.to_string(),
            id_column: id_column.to_string(),
            extra,
            name_type,
        })
    }

    /// Inserts the names that are new (with their `extra` value, one per name, when the
    /// lookup has an extra column) and returns every name's id.
    pub async fn resolve(
        &self,
        conn: &mut PgConnection,
        names: &[String],
        extra_values: &[Option<String>],
    ) -> anyhow::Result<Resolved> {
        let q = &self.table;
        let name = sql::ident(&self.name_column);
        let insert = match &self.extra {
            Some((column, ty)) => format!(
                "INSERT INTO {} ({name}, {}) SELECT * FROM unnest($1::{}[], $2::{ty}[]) \
                 ON CONFLICT ({name}) DO NOTHING",
                q.sql(),
                sql::ident(column),
                self.name_type
            ),
            None => format!(
                "INSERT INTO {} ({name}) SELECT unnest($1::{}[]) ON CONFLICT ({name}) DO NOTHING",
                q.sql(),
                self.name_type
            ),
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(insert)).bind(names);
        if self.extra.is_some() {
            if extra_values.len() != names.len() {
                bail!(
                    "{q}: {} extra value(s) for {} name(s)",
                    extra_values.len(),
                    names.len()
                );
            }
            query = query.bind(extra_values);
        }
        let inserted = query
            .execute(&mut *conn)
            .await
            .map_err(|e| anyhow!("cannot insert into {q}: {}", server_message(&e)))?
            .rows_affected();
        tracing::info!("populated {inserted} new record(s) into {q}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {name}::text, {}::bigint FROM {} WHERE {name} = ANY($1::{}[])",
            sql::ident(&self.id_column),
            q.sql(),
            self.name_type
        )))
        .bind(names)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| anyhow!("cannot read the ids of {q}: {}", server_message(&e)))?;
        let mut ids = HashMap::with_capacity(rows.len());
        for row in rows {
            ids.insert(row.try_get::<String, _>(0)?, row.try_get::<i64, _>(1)?);
        }
        Ok(Resolved { ids, inserted })
    }
}
