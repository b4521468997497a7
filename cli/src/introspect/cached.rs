//! Introspection that reuses the catalog of an earlier run while the database's system
//! catalogs are unchanged (`fingerprint.sql` says how that is detected). A no-op `plan`
//! against a large database then costs one cheap query instead of the catalog queries.

use sea_orm::{ConnectionTrait, DatabaseConnection};
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
    let Some(fingerprint) = fingerprint(&mut session).await else {
        let catalog = read_all(&mut session, options).await?;
        let queries = session.finish().await?;
        return Ok(Introspection { catalog, queries });
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

/// The fingerprint, or `None` when this server will not compute it (a catalog the role
/// may not read, on some managed services): then the catalog is read without the cache.
/// A savepoint keeps the transaction, and so its snapshot, usable after such an error.
async fn fingerprint(session: &mut Session) -> Option<String> {
    session
        .tx
        .execute_unprepared("SAVEPOINT schemactl_fingerprint")
        .await
        .ok()?;
    let read = session.rows(FINGERPRINT, Vec::new()).await;
    match read.as_ref().map(|rows| rows.first()) {
        Ok(Some(row)) => get::<String>(row, "fingerprint").ok(),
        Ok(None) => None,
        Err(err) => {
            tracing::debug!("no catalog fingerprint ({err:#}); reading without the cache");
            let _ = session
                .tx
                .execute_unprepared("ROLLBACK TO SAVEPOINT schemactl_fingerprint")
                .await;
            None
        }
    }
}
