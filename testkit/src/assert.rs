//! The checks a migration suite makes. Each returns an error that carries what went
//! wrong (the offending plan, the objects left behind), so that `?` in a test prints the
//! diff and not only "assertion failed".

use std::path::Path;

use anyhow::{Context as _, anyhow, bail};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use sea_orm_migration::MigratorTrait;

use schemactl::model::Model;

use crate::{TestDatabase, load_model};

/// Fails with the upgrade plan (`schemactl upgrade`'s SQL) when the database differs from
/// the model at `model_path`.
pub async fn assert_no_drift(
    db: &TestDatabase,
    model_path: impl AsRef<Path>,
) -> anyhow::Result<()> {
    let model_path = model_path.as_ref();
    let model = load_model(model_path)?;
    // Planning builds the model in a scratch database: on this throwaway server, with the
    // admin's CREATEDB, never on the developer's own.
    let plan = schemactl::upgrade::plan_on(&model, db.admin_url(), Some(db.admin_url()))
        .await
        .with_context(|| format!("cannot compare {} with {}", db.name(), model_path.display()))?;
    if !plan.is_empty() {
        bail!(
            "database {} drifts from {}; the statements that would fix it:\n{}",
            db.name(),
            model_path.display(),
            plan.sql()
        );
    }
    Ok(())
}

/// Applies every migration, checks there is no drift from the model, reverts every
/// migration and checks that nothing but the migration history is left, then applies
/// them all again (and checks drift once more).
pub async fn assert_migrations_roundtrip<M: MigratorTrait>(
    db: &TestDatabase,
    model_path: impl AsRef<Path>,
) -> anyhow::Result<()> {
    let model_path = model_path.as_ref();
    let conn = db.conn();
    let total = M::migrations().len();
    M::up(conn, None)
        .await
        .map_err(|e| anyhow!("applying the migrations failed: {e}"))?;
    expect_pending::<M>(db, 0, "after applying every migration").await?;
    assert_no_drift(db, model_path)
        .await
        .context("after applying every migration")?;

    M::down(conn, None)
        .await
        .map_err(|e| anyhow!("reverting the migrations failed: {e}"))?;
    expect_pending::<M>(db, total, "after reverting every migration").await?;
    let left = leftovers(db).await?;
    if !left.is_empty() {
        bail!(
            "after reverting all {total} migration(s), {} still holds:\n  {}",
            db.name(),
            left.join("\n  ")
        );
    }

    M::up(conn, None)
        .await
        .map_err(|e| anyhow!("applying the migrations again after reverting them failed: {e}"))?;
    expect_pending::<M>(db, 0, "after applying the migrations again").await?;
    assert_no_drift(db, model_path)
        .await
        .context("after reverting every migration and applying them again")
}

async fn expect_pending<M: MigratorTrait>(
    db: &TestDatabase,
    expected: usize,
    when: &str,
) -> anyhow::Result<()> {
    let pending = M::get_pending_migrations(db.conn())
        .await
        .map_err(|e| anyhow!("cannot read the migration history {when}: {e}"))?;
    if pending.len() != expected {
        let names: Vec<&str> = pending.iter().map(|m| m.name()).collect();
        bail!(
            "{when}: expected {expected} pending migration(s), found {}: {names:?}",
            pending.len()
        );
    }
    Ok(())
}

/// Objects in the database that no extension owns, apart from the migration history
/// tables: what a full `down` must leave behind (nothing). One line per object.
pub async fn leftovers(db: &TestDatabase) -> anyhow::Result<Vec<String>> {
    let rows = db
        .conn()
        .query_all_raw(Statement::from_string(DbBackend::Postgres, LEFTOVERS))
        .await
        .context("cannot list the objects left in the database")?;
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0).map_err(Into::into))
        .collect()
}

const LEFTOVERS: &str = r"
WITH user_ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'
), objects AS (
    SELECT 'schema ' || nspname AS what, oid, 'pg_namespace'::regclass AS cls
    FROM user_ns WHERE nspname <> 'public'
    UNION ALL
    SELECT CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view '
        WHEN 'S' THEN 'sequence ' WHEN 'f' THEN 'foreign table ' ELSE 'table ' END
        || n.nspname || '.' || c.relname, c.oid, 'pg_class'::regclass
    FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT (n.nspname = 'public'
               AND c.relname IN ('seaql_migrations', 'schemactl_migration_marks'))
    UNION ALL
    SELECT 'function ' || n.nspname || '.' || p.proname, p.oid, 'pg_proc'::regclass
    FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
    UNION ALL
    SELECT 'type ' || n.nspname || '.' || t.typname, t.oid, 'pg_type'::regclass
    FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r', 'm')
       OR (t.typtype = 'c'
           AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
)
SELECT what FROM objects o
WHERE NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = o.cls AND d.objid = o.oid AND d.deptype = 'e'
)
ORDER BY what";

/// Inserts (or updates) the rows the model declares under `seed:`, in foreign-key order,
/// in one transaction; returns the number of rows written.
pub async fn apply_seed_rows(db: &TestDatabase, model: &Model) -> anyhow::Result<u64> {
    let catalog = schemactl::catalog::from_model(model);
    let seeds = schemactl::provision::seed::seed_statements(&catalog);
    let txn = db.conn().begin().await?;
    let mut written = 0;
    for table in &seeds {
        for upsert in &table.upserts {
            let result = txn.execute_unprepared(upsert).await.map_err(|e| {
                anyhow!(
                    "seed row for {} failed: {e}\n  statement: {upsert}",
                    table.table
                )
            })?;
            written += result.rows_affected();
        }
        for fix in &table.sequence_fixes {
            txn.execute_unprepared(fix)
                .await
                .map_err(|e| anyhow!("{fix}: {e}"))?;
        }
    }
    txn.commit().await?;
    Ok(written)
}
