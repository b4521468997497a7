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
use crate::render::{self, ObjectKind};

/// Scratch databases for view columns: one per model version, kept for reuse.
const SCRATCH_PREFIX: &str = "schemactl_gen_";

const COLUMNS_SQL: &str = "\
SELECT n.nspname::text, c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY 1, 2, a.attnum";

/// The statements that give the scratch database every table, type, function and view.
fn scratch_statements(catalog: &Catalog) -> Vec<String> {
    render::create_script(catalog)
        .into_iter()
        .filter_map(|step| match &step.object {
            None if step.sql.contains("check_function_bodies") => Some(step.sql),
            None => None,
            Some(key) if !step.creates || key.kind == ObjectKind::Policy => None,
            // The owner role need not exist in the scratch cluster.
            Some(key) if key.kind == ObjectKind::Schema => {
                step.sql.split(" AUTHORIZATION ").next().map(str::to_string)
            }
            Some(_) => Some(step.sql),
        })
        .collect()
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
    let statements = scratch_statements(catalog);
    let mut hasher = DefaultHasher::new();
    statements.hash(&mut hasher);
    let scratch = format!("{SCRATCH_PREFIX}{:016x}", hasher.finish());
    if !crate::upgrade::database_exists(&admin, &scratch).await? {
        crate::upgrade::build_scratch(&admin, &admin_url, &scratch, None, &statements)
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
