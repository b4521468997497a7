//! Column names and types of views, from a scratch "dev database".
//!
//! The model gives a view's query, not its columns; inferring types from SQL text is the
//! trap the design notes warn about. So the schema objects are created in a throwaway
//! database (no roles, grants, policies or seed rows: those need passwords and add
//! nothing to the types) and PostgreSQL's own answer is read back from `pg_attribute`.

use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::Context;

use super::entities::ViewColumns;
use crate::catalog::{Catalog, QName};
use crate::db;

/// Scratch databases for view columns: one per model version, kept for reuse.
const SCRATCH_PREFIX: &str = "schemactl_gen_";

const COLUMNS_SQL: &str = "\
SELECT n.nspname::text, c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY 1, 2, a.attnum";

/// The catalog for the scratch database: every table, type, function and view, without
/// what names roles (owners, grants, policies): the roles need not exist in the scratch
/// cluster, and none of it changes a view's columns.
fn scratch_catalog(catalog: &Catalog) -> Catalog {
    let mut scratch = catalog.clone();
    scratch.database.owner = None;
    scratch.roles.clear();
    for schema in scratch.schemas.values_mut() {
        schema.owner = None;
        schema.grants.clear();
        schema.default_privileges.clear();
    }
    for table in scratch.tables.values_mut() {
        table.grants.clear();
        table.policies.clear();
        table.rls_enabled = false;
        table.rls_forced = false;
    }
    for view in scratch.views.values_mut() {
        view.grants.clear();
    }
    for function in scratch.functions.values_mut() {
        function.grants.clear();
    }
    scratch
}

/// Resolves the columns of every view of the catalog. Without views no server is needed.
///
/// The scratch database is named after a hash of the statements that build it and kept,
/// so regenerating for an unchanged model only reads `pg_attribute`.
pub async fn resolve(catalog: &Catalog, admin_url: Option<&str>) -> anyhow::Result<ViewColumns> {
    let mut out = ViewColumns::new();
    if catalog.views.is_empty() {
        return Ok(out);
    }
    let admin_url = db::resolve_admin_url(admin_url)?;
    let admin = db::connect(&admin_url).await?;
    let steps = schemactl_postgres::create_script(&scratch_catalog(catalog))?;
    let script = schemactl_postgres::script::layout(&steps, None);
    let mut hasher = DefaultHasher::new();
    script.to_sql().hash(&mut hasher);
    let scratch = format!("{SCRATCH_PREFIX}{:016x}", hasher.finish());
    if !crate::upgrade::database_exists(&admin, &scratch).await? {
        crate::upgrade::build_scratch(&admin, &admin_url, &scratch, None, &script)
            .await
            .context("creating the model in the scratch database for view columns")?;
        crate::upgrade::drop_stale_scratches(&admin, SCRATCH_PREFIX).await;
    }
    let rows = read_columns(&admin_url, &scratch).await?;
    for (schema, name, column, ty) in rows {
        let q = QName::new(schema, name);
        if catalog.views.contains_key(&q) {
            out.entry(q).or_default().push((column, ty));
        }
    }
    Ok(out)
}

async fn read_columns(
    admin_url: &str,
    scratch: &str,
) -> anyhow::Result<Vec<(String, String, String, String)>> {
    let conn = db::connect(&db::with_database(admin_url, scratch)?).await?;
    let rows = db::query_all(&conn, COLUMNS_SQL, Vec::new()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push((
            row.try_get_by_index::<String>(0)?,
            row.try_get_by_index::<String>(1)?,
            row.try_get_by_index::<String>(2)?,
            row.try_get_by_index::<String>(3)?,
        ));
    }
    conn.close().await?;
    Ok(out)
}
