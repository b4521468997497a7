//! `pull`: a model of a live database that provisions back to the same database.
//!
//! The database is described into the catalog (`introspect`), the catalog is written as a
//! model ([`model`], [`tables`], [`types`]) and the model as YAML ([`yaml`]). Two lists
//! travel with the model: the [inventory](crate::introspect::inventory) of what the
//! schemas hold that no model can express, and the [`Unwritable`] objects the conversion
//! met. The command refuses to write a model that would not reproduce the database: an
//! unwritable object always, an inventory item unless `--unmanaged record` records it in
//! the model's `unmanaged` list.

mod aggregates;
mod model;
mod sequences;
pub mod split;
mod tables;
mod types;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{DatabaseConnection, Value};

use crate::catalog::{QName, RoleDef};
use crate::db;
use crate::introspect::{self, inventory};
use crate::model::Model;

pub use model::{Extra, Unwritable, to_model};

const SCHEMAS: &str = include_str!("schemas.sql");
const ROLES: &str = include_str!("roles.sql");
const INDEX_ORDER: &str = include_str!("index_order.sql");

/// What to pull.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Schemas to read; empty: every schema but the system's, extensions' and an untouched
    /// `public`.
    pub schemas: Vec<String>,
}

/// A pulled model with what it leaves out.
#[derive(Debug, Clone)]
pub struct Pulled {
    pub model: Model,
    /// What the schemas hold that the model cannot express.
    pub inventory: Vec<inventory::Item>,
    /// What the conversion could not write.
    pub unwritable: Vec<Unwritable>,
}

impl Pulled {
    /// Records every inventory item in the model's `unmanaged` list.
    pub fn record_unmanaged(&mut self) {
        self.model.unmanaged = self.inventory.iter().map(|i| i.to_unmanaged()).collect();
    }
}

/// Describes the database behind `conn` as a model.
pub async fn pull(conn: &DatabaseConnection, options: &Options) -> anyhow::Result<Pulled> {
    let started = std::time::Instant::now();
    let schemas = schemas(conn, &options.schemas).await?;
    let introspect_options = introspect::Options {
        schemas: schemas.clone(),
        ..introspect::Options::default()
    };
    // The catalog, the inventory and the index order are independent reads: they run at
    // once, on connections of the pool, so the server works on them in parallel.
    let (introspection, inventory, order, comment) = tokio::try_join!(
        introspect::introspect_with(conn, &introspect_options),
        inventory::inventory(conn, &schemas),
        index_order(conn, &schemas),
        database_comment(conn),
    )?;
    let mut catalog = introspection.catalog;
    creation_order(&order, &mut catalog);
    let (roles, superusers) = roles(conn, catalog.roles.keys().cloned().collect()).await?;
    catalog.roles = roles;
    tracing::debug!(
        "database described in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    let extra = Extra {
        database_comment: comment,
        superusers,
    };
    let (model, unwritable) = to_model(&catalog, &extra);
    tracing::debug!("model written at {:.3}s", started.elapsed().as_secs_f64());
    Ok(Pulled {
        model,
        inventory,
        unwritable,
    })
}

async fn database_comment(conn: &DatabaseConnection) -> anyhow::Result<Option<String>> {
    let row = db::query_one(
        conn,
        "SELECT shobj_description(d.oid, 'pg_database') AS comment FROM pg_database d \
         WHERE d.datname = current_database()",
        Vec::new(),
    )
    .await?;
    Ok(row.try_get::<Option<String>>("", "comment")?)
}

/// The schemas to read: those named (each must exist), or every user schema.
async fn schemas(conn: &DatabaseConnection, named: &[String]) -> anyhow::Result<Vec<String>> {
    let rows = db::query_all(conn, SCHEMAS, Vec::new()).await?;
    let mut candidates = BTreeMap::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        candidates.insert(name, row.try_get::<bool>("", "is_default_public")?);
    }
    if named.is_empty() {
        return Ok(candidates
            .into_iter()
            .filter(|(_, untouched_public)| !untouched_public)
            .map(|(name, _)| name)
            .collect());
    }
    let missing: Vec<&String> = named
        .iter()
        .filter(|n| !candidates.contains_key(*n))
        .collect();
    if !missing.is_empty() {
        let known: Vec<&String> = candidates.keys().collect();
        return Err(crate::exit::UsageError(format!(
            "no schema {} in the database (its schemas: {})",
            missing
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", "),
            known
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .into());
    }
    Ok(named.to_vec())
}

/// (table, index) → position in creation order.
type IndexOrder = std::collections::HashMap<(QName, String), usize>;

async fn index_order(conn: &DatabaseConnection, schemas: &[String]) -> anyhow::Result<IndexOrder> {
    let rows = db::query_all(conn, INDEX_ORDER, vec![Value::from(schemas.to_vec())]).await?;
    let mut rank = IndexOrder::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let table = QName::new(
            row.try_get::<String>("", "schema_name")?,
            row.try_get::<String>("", "table_name")?,
        );
        rank.insert((table, row.try_get::<String>("", "index_name")?), i);
    }
    Ok(rank)
}

/// Puts each table's and materialized view's indexes in the order they were created.
fn creation_order(rank: &IndexOrder, catalog: &mut crate::catalog::Catalog) {
    let order = |q: &QName, indexes: &mut Vec<crate::catalog::IndexDef>| {
        indexes.sort_by_key(|i| rank.get(&(q.clone(), i.name.clone())).copied());
    };
    for (q, table) in catalog.tables.iter_mut() {
        order(q, &mut table.indexes);
    }
    for (q, view) in catalog.views.iter_mut() {
        order(q, &mut view.indexes);
    }
}

/// The roles named and every role they belong to, and which of them are superusers.
async fn roles(
    conn: &DatabaseConnection,
    names: Vec<String>,
) -> anyhow::Result<(BTreeMap<String, RoleDef>, BTreeSet<String>)> {
    let mut roles = BTreeMap::new();
    let mut superusers = BTreeSet::new();
    for row in db::query_all(conn, ROLES, vec![Value::from(names)]).await? {
        let name: String = row.try_get("", "name")?;
        if row.try_get::<bool>("", "superuser")? {
            superusers.insert(name.clone());
        }
        let role = RoleDef {
            login: row.try_get("", "login")?,
            inherit: row.try_get("", "inherit")?,
            createdb: row.try_get("", "createdb")?,
            createrole: row.try_get("", "createrole")?,
            bypassrls: row.try_get("", "bypassrls")?,
            connection_limit: row.try_get("", "connection_limit")?,
            member_of: row.try_get("", "member_of")?,
            password_env: None,
            comment: row.try_get("", "comment")?,
        };
        roles.insert(name, role);
    }
    Ok((roles, superusers))
}
