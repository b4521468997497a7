//! Which of a script's objects already exist, read in one query.
//!
//! This is what makes a repeated `provision` a no-op before the diff engine exists: a
//! step whose object is present is skipped together with its comments and grants.

use std::collections::HashSet;

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::render::{ObjectKey, ObjectKind};

const EXISTING_OBJECTS: &str = include_str!("existing.sql");

pub async fn existing_objects<C: ConnectionTrait>(conn: &C) -> anyhow::Result<HashSet<ObjectKey>> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            EXISTING_OBJECTS,
        ))
        .await?;
    let mut out = HashSet::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        let kind = match kind.as_str() {
            "schema" => ObjectKind::Schema,
            "extension" => ObjectKind::Extension,
            "type" => ObjectKind::Type,
            "index" => ObjectKind::Index,
            "partition" => ObjectKind::Partition,
            "table" => ObjectKind::Table,
            "view" => ObjectKind::View,
            "materialized_view" => ObjectKind::MaterializedView,
            "foreign_key" => ObjectKind::ForeignKey,
            "function" => ObjectKind::Function,
            "trigger" => ObjectKind::Trigger,
            "policy" => ObjectKind::Policy,
            other => anyhow::bail!("catalog query returned an unknown object kind `{other}`"),
        };
        out.insert(ObjectKey {
            kind,
            schema: row.try_get("", "schema_name")?,
            name: row.try_get("", "name")?,
            table: row.try_get("", "table_name")?,
        });
    }
    Ok(out)
}
