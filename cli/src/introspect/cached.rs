//! Introspection that reuses the catalog of an earlier run while the database's system
//! catalogs are unchanged (`fingerprint.sql` says how that is detected). A no-op `plan`
//! against a large database then costs one cheap query instead of the catalog queries.

use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};

use super::{Introspection, Options, Session, get, read_all};
use crate::cache;
use crate::catalog::Catalog;

const FINGERPRINT: &str = include_str!("fingerprint.sql");
const CACHE_KIND: &str = "catalog";

#[derive(Deserialize)]
struct Entry {
    fingerprint: String,
    catalog: Catalog,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    fingerprint: &'a str,
    catalog: &'a Catalog,
}

/// [`super::introspect_with`], through the on-disk cache. `scope` names the database
/// (its redacted URL): one entry is kept per database and options, replaced when the
/// fingerprint changes.
pub async fn introspect_cached(
    conn: &DatabaseConnection,
    options: &Options,
    scope: &str,
) -> anyhow::Result<Introspection> {
    let mut session = Session::begin(conn).await?;
    let rows = session.rows(FINGERPRINT, Vec::new()).await?;
    let fingerprint: String = match rows.first() {
        Some(row) => get(row, "fingerprint")?,
        None => anyhow::bail!("the catalog fingerprint query returned no row"),
    };
    let key = cache::key(&(scope, &options.schemas, &options.roles));
    if let Some(entry) = cache::read::<Entry>(CACHE_KIND, &key)
        && entry.fingerprint == fingerprint
    {
        let queries = session.finish().await?;
        tracing::debug!("live catalog unchanged since it was cached");
        return Ok(Introspection {
            catalog: entry.catalog,
            queries,
        });
    }
    let catalog = read_all(&mut session, options).await?;
    let queries = session.finish().await?;
    cache::write(
        CACHE_KIND,
        &key,
        &EntryRef {
            fingerprint: &fingerprint,
            catalog: &catalog,
        },
    );
    Ok(Introspection { catalog, queries })
}
