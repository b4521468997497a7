//! Introspection that reuses the catalog of an earlier run while the database's system
//! catalogs and the roles the catalog read are unchanged (`fingerprint.sql` and
//! `roles_fingerprint.sql` say how that is detected). A no-op `plan` against a large
//! database then costs two cheap queries instead of the catalog queries.

use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use serde::{Deserialize, Serialize};

use super::{Introspection, Options, Session, get, read_all};
use crate::cache;
use crate::catalog::Catalog;

const FINGERPRINT: &str = include_str!("fingerprint.sql");
const ROLES_FINGERPRINT: &str = include_str!("roles_fingerprint.sql");
const CACHE_KIND: &str = "catalog";

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    /// The roles the catalog asked for, and the fingerprint of their rows.
    roles: Vec<String>,
    roles_fingerprint: String,
    catalog: Catalog,
}

/// [`super::introspect_with`], through the on-disk cache. `scope` names the database
/// (its redacted URL): one entry is kept per database and options, replaced when a
/// fingerprint changes.
pub async fn introspect_cached(
    conn: &DatabaseConnection,
    options: &Options,
    scope: &str,
) -> anyhow::Result<Introspection> {
    let mut session = Session::begin(conn, options.search_path.as_deref()).await?;
    // A catalog of every cluster role is not cached: a role created anywhere changes it.
    let fingerprint = if options.all_roles {
        None
    } else {
        guarded(&mut session, FINGERPRINT, Vec::new()).await
    };
    let Some(fingerprint) = fingerprint else {
        let (catalog, _) = read_all(&mut session, options).await?;
        let queries = session.finish().await?;
        return Ok(Introspection { catalog, queries });
    };
    let key = cache::key(&(
        scope,
        &options.schemas,
        &options.roles,
        &options.search_path,
    ));
    if let Some(entry) = cache::read::<Entry>(CACHE_KIND, &key)
        && entry.fingerprint == fingerprint
        && guarded(
            &mut session,
            ROLES_FINGERPRINT,
            vec![entry.roles.clone().into()],
        )
        .await
            == Some(entry.roles_fingerprint)
    {
        let queries = session.finish().await?;
        tracing::debug!("live catalog unchanged since it was cached");
        return Ok(Introspection {
            catalog: entry.catalog,
            queries,
        });
    }
    let (catalog, roles) = read_all(&mut session, options).await?;
    let roles_fingerprint =
        guarded(&mut session, ROLES_FINGERPRINT, vec![roles.clone().into()]).await;
    let queries = session.finish().await?;
    if let Some(roles_fingerprint) = roles_fingerprint {
        let entry = Entry {
            fingerprint,
            roles,
            roles_fingerprint,
            catalog,
        };
        cache::write(CACHE_KIND, &key, &entry);
        return Ok(Introspection {
            catalog: entry.catalog,
            queries,
        });
    }
    Ok(Introspection { catalog, queries })
}

/// The `fingerprint` column of `sql`, or `None` when this server will not compute it (a
/// catalog the role may not read, on some managed services): then the catalog is read
/// without the cache. A savepoint keeps the transaction, and so its snapshot, usable
/// after such an error.
async fn guarded(session: &mut Session, sql: &str, values: Vec<Value>) -> Option<String> {
    session
        .tx
        .execute_unprepared("SAVEPOINT schemactl_fingerprint")
        .await
        .ok()?;
    let read = session.rows(sql, values).await;
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
