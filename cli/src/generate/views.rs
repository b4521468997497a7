//! Column names and types of views, from a scratch "dev database".
//!
//! The model gives a view's query, not its columns; inferring types from SQL text is the
//! trap the design notes warn about. So the schema objects are created in a throwaway
//! database (no roles, grants, policies or seed rows: those need passwords and add
//! nothing to the types) and PostgreSQL's own answer is read back from `pg_attribute`.

use anyhow::Context;
use sea_orm::{ConnectionTrait, TransactionTrait};

use super::entities::ViewColumns;
use crate::catalog::{Catalog, QName};
use crate::db;
use crate::render::{self, ObjectKind};
use crate::sql;

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
pub async fn resolve(catalog: &Catalog, admin_url: Option<&str>) -> anyhow::Result<ViewColumns> {
    let mut out = ViewColumns::new();
    if catalog.views.is_empty() {
        return Ok(out);
    }
    let admin_url = db::resolve_admin_url(admin_url)?;
    let admin = db::connect(&admin_url).await?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let scratch = format!("schemactl_gen_{}_{stamp}", std::process::id());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {}", sql::ident(&scratch)))
        .await
        .with_context(|| format!("creating the scratch database {scratch} for view columns"))?;
    let result = read_columns(catalog, &admin_url, &scratch).await;
    let dropped = admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            sql::ident(&scratch)
        ))
        .await;
    let rows = result?;
    dropped.with_context(|| format!("dropping the scratch database {scratch}"))?;
    for (schema, name, column, ty) in rows {
        let q = QName::new(schema, name);
        if catalog.views.contains_key(&q) {
            out.entry(q).or_default().push((column, ty));
        }
    }
    Ok(out)
}

async fn read_columns(
    catalog: &Catalog,
    admin_url: &str,
    scratch: &str,
) -> anyhow::Result<Vec<(String, String, String, String)>> {
    let conn = db::connect(&db::with_database(admin_url, scratch)?).await?;
    let txn = conn.begin().await?;
    for statement in scratch_statements(catalog) {
        txn.execute_unprepared(&statement)
            .await
            .map_err(|e| anyhow::anyhow!("{}\n  in: {statement}", db::describe(&e)))
            .context("creating the model in the scratch database")?;
    }
    let rows = db::query_all(&txn, COLUMNS_SQL, Vec::new()).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push((
            row.try_get_by_index::<String>(0)?,
            row.try_get_by_index::<String>(1)?,
            row.try_get_by_index::<String>(2)?,
            row.try_get_by_index::<String>(3)?,
        ));
    }
    txn.rollback().await?;
    conn.close().await?;
    Ok(out)
}
