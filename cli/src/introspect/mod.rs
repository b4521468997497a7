//! Live database → [`Catalog`]: the same IR the model builds, read from the system catalogs.
//!
//! Every object kind is read by ONE query over all requested schemas (the `.sql` files
//! beside this module), so the number of round trips is fixed whatever the size of the
//! schema. All queries run in one read-only REPEATABLE READ transaction, so the catalog is
//! a consistent snapshot, with `search_path` set to `public` only: PostgreSQL qualifies
//! every name it prints (types, view bodies, defaults) from the search path, and a fixed
//! one makes two databases introspect to the same text whoever connects.
//!
//! Normalization, so that two databases built from one model compare equal:
//! - lists whose order carries no meaning are sorted: constraints, indexes, policies,
//!   triggers and partitions by name, grants by grantee (then privileges and columns),
//!   privileges in [`Privilege`](crate::model::Privilege) order, trigger events in
//!   INSERT, UPDATE, DELETE, TRUNCATE order, policy roles, memberships and granted columns
//!   by name. The model side keeps YAML order instead, so compare those as sets against
//!   `from_model`;
//! - columns keep their table order, enum labels their sort order, extensions their
//!   creation order (plpgsql, present everywhere, is left out);
//! - a serial column (integer default `nextval` of a sequence OWNED BY it) reads as
//!   `serial: Some(kind)` with its storage type and no default, as the model builds it;
//! - a privilege set that is complete for its object kind reads as `[All]` when the kind
//!   has more than one privilege (so `EXECUTE` stays `EXECUTE`). An ACL never changed
//!   (NULL: the built-in defaults, e.g. PUBLIC's EXECUTE on functions) reads as no grants;
//! - default privileges `FOR ROLE` the schema owner read as `for_role: None`;
//! - a policy for PUBLIC reads with no roles; `PARALLEL UNSAFE` (the default) as `None`;
//!   ASC and the default NULLS placement as `None`; a default operator class as `None`;
//! - SQL text (defaults, checks, predicates, view and policy bodies, function results,
//!   partition bounds) is PostgreSQL's own deparsed form, which differs from the model's
//!   spelling (`'2026-01-01'` reads `'2026-01-01 00:00:00+00'` on a timestamptz key in a
//!   UTC session): compare it only against another introspected database (the
//!   scratch-database approach of design.md);
//! - what a live database cannot tell is left empty: `password_env`, `declared_deps`,
//!   `seed`.
//!
//! Constraints created `NOT VALID` and not validated yet are listed in
//! [`TableDef::not_valid`](crate::catalog::TableDef::not_valid).
//!
//! What the IR cannot hold is not read into it: objects that belong to an extension,
//! window functions and the aggregates the model cannot write (ordered-set,
//! moving-aggregate, …), partitions of partitions, INITIALLY DEFERRED (only DEFERRABLE is kept), and a partition's owner
//! (the model gives it its table's). Owners are read as `None` for the database owner
//! ([`normalize_owners`](crate::catalog::normalize_owners)). PostgreSQL 18's
//! virtual generated columns read as generated columns. [`inventory`] lists every such
//! object and attribute by kind and name, and `plan`, `drift` and `pull` print that list:
//! nothing is skipped silently. A catalog code this build does not know (a policy
//! command, a volatility, a constraint kind, …) is an error naming the object and the
//! value, never a default.

mod acl;
mod cached;
pub mod citus;
pub mod inventory;
mod parse;
mod relations;
mod routines;

use std::collections::BTreeSet;

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    IsolationLevel, QueryResult, Statement, TransactionTrait, Value,
};

use crate::catalog::Catalog;
use crate::db::describe;

pub use cached::introspect_cached;
pub use parse::{parse_bound, strip_outer_parens};

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// PostgreSQL schemas to read.
    pub schemas: Vec<String>,
    /// Roles to read besides those the objects refer to (owners, grantees, policy roles,
    /// default privileges) and their memberships.
    pub roles: Vec<String>,
    /// Read every role of the cluster but the `pg_*` ones: the model manages them all
    /// (`role_management: exclusive`).
    pub all_roles: bool,
    /// A schema to put before `public` on the search path while reading: PostgreSQL then
    /// prints that schema's names unqualified, so that a fleet's tenant schemas, described
    /// each with its own first, compare equal whatever their names. `None`: `public` only.
    pub search_path: Option<String>,
}

/// A catalog and what reading it cost.
#[derive(Debug, Clone)]
pub struct Introspection {
    pub catalog: Catalog,
    /// SQL statements sent, transaction control included. Independent of the number of
    /// objects: that is the point of reading each kind in one query.
    pub queries: usize,
}

/// Reads `schemas` (and the roles their objects refer to) into a catalog.
pub async fn introspect(conn: &DatabaseConnection, schemas: &[String]) -> anyhow::Result<Catalog> {
    let options = Options {
        schemas: schemas.to_vec(),
        ..Options::default()
    };
    Ok(introspect_with(conn, &options).await?.catalog)
}

/// [`introspect`] with an explicit role list, reporting the number of queries.
pub async fn introspect_with(
    conn: &DatabaseConnection,
    options: &Options,
) -> anyhow::Result<Introspection> {
    let mut session = Session::begin(conn, options.search_path.as_deref()).await?;
    let (catalog, _) = read_all(&mut session, options).await?;
    let queries = session.finish().await?;
    Ok(Introspection { catalog, queries })
}

/// [`introspect_with`] inside `txn`, an open transaction (a savepoint of it): what the
/// transaction created and has not committed is read too. The incremental normalization
/// builds objects in a transaction, reads them here and rolls back.
pub async fn introspect_in(
    txn: &DatabaseTransaction,
    options: &Options,
) -> anyhow::Result<Introspection> {
    let mut session = Session::nested(txn, options.search_path.as_deref()).await?;
    let (catalog, _) = read_all(&mut session, options).await?;
    let queries = session.finish().await?;
    Ok(Introspection { catalog, queries })
}

/// Reads the catalog; also returns the role names it asked for (found or not), which is
/// what the catalog's role part depends on.
async fn read_all(
    session: &mut Session,
    options: &Options,
) -> anyhow::Result<(Catalog, Vec<String>)> {
    let schemas = Value::from(options.schemas.clone());
    let (database, extensions) = acl::database(session).await?;
    let mut catalog = Catalog {
        database,
        extensions,
        ..Default::default()
    };
    acl::schemas(session, &schemas, &mut catalog).await?;
    acl::default_privileges(session, &schemas, &mut catalog).await?;
    routines::enums(session, &schemas, &mut catalog).await?;
    routines::domains(session, &schemas, &mut catalog).await?;
    routines::composite_types(session, &schemas, &mut catalog).await?;
    routines::sequences(session, &schemas, &mut catalog).await?;
    let mut roles = relations::read(session, &schemas, &mut catalog).await?;
    let functions = routines::functions(session, &schemas, &mut catalog, &mut roles).await?;
    acl::grants(session, &schemas, &functions, &mut catalog).await?;
    citus::read(session, &schemas, &mut catalog).await?;
    roles.extend(referenced_roles(&catalog));
    roles.extend(options.roles.iter().cloned());
    if options.all_roles {
        roles.extend(acl::cluster_roles(session).await?);
    }
    catalog.protected_roles = acl::protected_roles(session).await?;
    // Predefined roles (pg_database_owner owns `public`, pg_read_all_data may be granted)
    // are the server's: no model declares them, so the catalog leaves them out rather
    // than have a plan drop them. CREATE ROLE refuses the prefix, so none is a user's.
    roles.retain(|r| !r.starts_with("pg_"));
    let requested: Vec<String> = roles.into_iter().collect();
    acl::roles(session, requested.clone(), &mut catalog).await?;
    crate::catalog::normalize_owners(&mut catalog);
    Ok((catalog, requested))
}

/// Roles the catalog mentions: the database and schema owners, grantees, policy roles and
/// default privileges' roles. PUBLIC is not a role.
fn referenced_roles(catalog: &Catalog) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.extend(catalog.database.owner.iter().cloned());
    out.extend(catalog.object_owners().cloned());
    for schema in catalog.schemas.values() {
        out.extend(schema.owner.iter().cloned());
        out.extend(schema.grants.iter().map(|g| g.grantee.clone()));
        for dp in &schema.default_privileges {
            out.insert(dp.grantee.clone());
            out.extend(dp.for_role.iter().cloned());
        }
    }
    for table in catalog.tables.values() {
        out.extend(table.grants.iter().map(|g| g.grantee.clone()));
        for policy in &table.policies {
            out.extend(policy.roles.iter().cloned());
        }
    }
    for view in catalog.views.values() {
        out.extend(view.grants.iter().map(|g| g.grantee.clone()));
    }
    for function in catalog.functions.values() {
        out.extend(function.grants.iter().map(|g| g.grantee.clone()));
    }
    for sequence in catalog.sequences.values() {
        out.extend(sequence.grants.iter().map(|g| g.grantee.clone()));
    }
    out.remove("public");
    out
}

/// The introspection transaction, counting what it sends.
struct Session {
    tx: DatabaseTransaction,
    queries: usize,
}

impl Session {
    async fn begin(conn: &DatabaseConnection, first: Option<&str>) -> anyhow::Result<Session> {
        let tx = conn
            .begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot start the introspection transaction: {}",
                    describe(&e)
                )
            })?;
        Session::with_search_path(tx, first).await
    }

    /// A session in a savepoint of `outer`: isolation and access mode are the outer
    /// transaction's.
    async fn nested(outer: &DatabaseTransaction, first: Option<&str>) -> anyhow::Result<Session> {
        let tx = outer.begin().await.map_err(|e| {
            anyhow::anyhow!("cannot start the introspection savepoint: {}", describe(&e))
        })?;
        Session::with_search_path(tx, first).await
    }

    async fn with_search_path(
        tx: DatabaseTransaction,
        first: Option<&str>,
    ) -> anyhow::Result<Session> {
        let mut session = Session { tx, queries: 1 };
        let search_path = match first {
            Some(schema) => format!("{}, public", crate::sql::ident(schema)),
            None => "public".to_string(),
        };
        session
            .rows(
                "SELECT set_config('search_path', $1, true)",
                vec![search_path.into()],
            )
            .await?;
        Ok(session)
    }

    /// Ends the transaction; returns the number of statements sent, COMMIT included.
    async fn finish(self) -> anyhow::Result<usize> {
        // Read-only: ending it either way is the same, and a commit error is worth reporting.
        self.tx
            .commit()
            .await
            .map_err(|e| anyhow::anyhow!("introspection transaction failed: {}", describe(&e)))?;
        Ok(self.queries + 1)
    }

    async fn rows(&mut self, sql: &str, values: Vec<Value>) -> anyhow::Result<Vec<QueryResult>> {
        self.queries += 1;
        let statement = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
        self.tx.query_all_raw(statement).await.map_err(|e| {
            let first = sql.lines().next().unwrap_or_default();
            anyhow::anyhow!("catalog query failed ({first}): {}", describe(&e))
        })
    }
}

/// A column of a catalog row, with the column named in the error.
fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> anyhow::Result<T> {
    row.try_get("", column)
        .map_err(|e| anyhow::anyhow!("catalog column `{column}`: {e}"))
}
