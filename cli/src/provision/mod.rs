//! `provision`: bring a server in line with the model, from roles to seed rows.
//!
//! Cluster phase (roles, memberships, the database) on the admin connection, then every
//! schema object, grant, policy and seed row in ONE transaction on the new database, then
//! a refresh of the materialized views. A failure in the transaction leaves the database
//! as it was; when this run created the database or roles, they are dropped again, so a
//! failed first provision leaves nothing behind.

pub mod cluster;
mod existing;
pub mod seed;
pub mod summary;

use std::collections::HashSet;

use anyhow::{Context, anyhow};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

pub use existing::existing_objects;
pub use summary::Summary;

use crate::catalog::{Catalog, QName};
use crate::db;
use crate::model::Model;
use crate::render::{self, ObjectKey, Step};
use crate::sql;
use cluster::{Change, ClusterStep};

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Database to provision; defaults to the model's database name.
    pub database: Option<String>,
    /// Admin connection URL; defaults to `SCHEMACTL_ADMIN_URL`, then the local server.
    pub admin_url: Option<String>,
    pub recreate: bool,
    pub yes: bool,
    pub dry_run: bool,
    /// Role passwords by role name, for library callers; `None` reads the environment
    /// variables the model names.
    pub passwords: Option<std::collections::BTreeMap<String, String>>,
    /// Versioned migrations to apply instead of creating objects directly (the
    /// `migration/` directory beside the model, when it has steps).
    pub migrations: Option<std::path::PathBuf>,
}

/// What a run did or, with `dry_run`, would do.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub database: String,
    pub summary: Summary,
    /// Every statement in execution order (passwords masked).
    pub statements: Vec<String>,
    /// Seed rows inserted or changed.
    pub seeded_rows: u64,
    pub refreshed_views: usize,
}

impl Outcome {
    pub fn changed_anything(&self) -> bool {
        !self.summary.is_empty() || self.seeded_rows > 0
    }
}

pub async fn provision(model: &Model, options: &Options) -> anyhow::Result<Outcome> {
    let database = options
        .database
        .clone()
        .unwrap_or_else(|| model.database.name.clone());
    // Before any statement: a missing password must not leave half a cluster behind.
    if let Some(dir) = &options.migrations
        && !crate::migrate::is_current(dir, model)?
    {
        return Err(crate::exit::UsageError(format!(
            "the migrations in {} are behind the model: run `schemactl migrate new NAME` to \
             write the next one, then provision again (nothing was changed)",
            dir.display()
        ))
        .into());
    }
    let passwords = match &options.passwords {
        Some(given) => given.clone(),
        None => cluster::read_passwords(model)?,
    };
    if options.recreate {
        cluster::confirm_recreate(&database, options.yes)?;
    }
    let admin_url = db::resolve_admin_url(options.admin_url.as_deref())?;
    let admin = db::connect(&admin_url).await?;
    let cluster_steps =
        cluster::plan_cluster(&admin, model, &database, &passwords, options.recreate).await?;
    let catalog = crate::catalog::from_model(model);
    let creates_database = cluster_steps
        .iter()
        .any(|s| s.kind == "database" && s.change == Change::Created);
    let mut outcome = Outcome {
        database: database.clone(),
        ..Default::default()
    };
    outcome
        .statements
        .extend(cluster_steps.iter().map(|s| s.display.clone()));
    let db_url = db::with_database(&admin_url, &database)?;

    if options.dry_run {
        let existing = if creates_database {
            HashSet::new()
        } else {
            existing_objects(&db::connect(&db_url).await?).await?
        };
        let steps = pending_steps(&catalog, &existing);
        outcome
            .statements
            .extend(steps.iter().map(|s| s.sql.clone()));
        for table in seed::seed_statements(&catalog) {
            outcome.statements.extend(table.upserts);
        }
        return Ok(outcome);
    }

    cluster::execute_cluster(&admin, &cluster_steps, &mut outcome.summary).await?;
    let result = match &options.migrations {
        Some(dir) => apply_migrations(model, &db_url, dir, &catalog, &mut outcome).await,
        None => apply_in_database(&db_url, &catalog, &mut outcome).await,
    };
    if let Err(err) = result {
        undo_cluster(&admin, &cluster_steps, &database, creates_database).await;
        return Err(err);
    }
    outcome.refreshed_views = refresh_materialized_views(&db_url, &catalog, &outcome).await?;
    Ok(outcome)
}

/// The script's steps for objects that do not exist yet. Session settings are kept only
/// when some object step remains, so a no-op run executes nothing.
pub fn pending_steps(catalog: &Catalog, existing: &HashSet<ObjectKey>) -> Vec<Step> {
    let steps: Vec<Step> = render::create_script(catalog)
        .into_iter()
        .filter(|s| s.object.as_ref().is_none_or(|k| !existing.contains(k)))
        .collect();
    if steps.iter().all(|s| s.object.is_none()) {
        Vec::new()
    } else {
        steps
    }
}

async fn apply_in_database(
    db_url: &str,
    catalog: &Catalog,
    outcome: &mut Outcome,
) -> anyhow::Result<()> {
    let conn = db::connect(db_url).await?;
    let existing = existing_objects(&conn).await?;
    let steps = pending_steps(catalog, &existing);
    let seeds = seed::seed_statements(catalog);
    let txn = conn
        .begin()
        .await
        .context("cannot begin the schema transaction")?;
    for step in &steps {
        run(&txn, &step.sql, step.object.as_ref()).await?;
        if step.creates
            && let Some(key) = &step.object
        {
            outcome.summary.created(key.kind.noun());
        }
        outcome.statements.push(step.sql.clone());
    }
    apply_seeds(&txn, catalog, &seeds, outcome).await?;
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", db::describe(&e)))?;
    Ok(())
}

/// Brings the database to the model through the versioned migrations, then seeds, then
/// checks that the result has no drift from the model.
async fn apply_migrations(
    model: &Model,
    db_url: &str,
    dir: &std::path::Path,
    catalog: &Catalog,
    outcome: &mut Outcome,
) -> anyhow::Result<()> {
    let conn = crate::migrate::run::connect(db_url).await?;
    // Extensions need the admin (pgvector is not trusted); the migrations, run as the
    // owner, then find them present.
    let existing = existing_objects(&conn).await?;
    for ext in &catalog.extensions {
        let key = ObjectKey {
            kind: render::ObjectKind::Extension,
            schema: String::new(),
            name: ext.clone(),
            table: None,
        };
        if !existing.contains(&key) {
            run(
                &conn,
                &format!("CREATE EXTENSION IF NOT EXISTS {}", sql::ident(ext)),
                Some(&key),
            )
            .await?;
            outcome.summary.created("extension");
        }
    }
    let applied =
        crate::migrate::run::up(&conn, dir, None, catalog.database.owner.as_deref()).await?;
    for version in &applied {
        tracing::info!("applied migration {version}");
        outcome.summary.created("migration");
    }
    let seeds = seed::seed_statements(catalog);
    let txn = conn
        .begin()
        .await
        .context("cannot begin the seed transaction")?;
    apply_seeds(&txn, catalog, &seeds, outcome).await?;
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", db::describe(&e)))?;
    let drift = crate::upgrade::plan(model, db_url).await?;
    if !drift.is_empty() {
        return Err(anyhow!(
            "after the migrations the database still differs from the model:\n{}",
            drift.sql()
        ));
    }
    Ok(())
}

/// Upserts the declared seed rows, as the owner, inside the caller's transaction.
async fn apply_seeds<C: ConnectionTrait>(
    txn: &C,
    catalog: &Catalog,
    seeds: &[seed::TableSeed],
    outcome: &mut Outcome,
) -> anyhow::Result<()> {
    if !seeds.is_empty() {
        if let Some(owner) = &catalog.database.owner {
            // Rows are written as the owner, like the objects, so that RLS applies to the
            // seeding exactly as the model's policies say.
            txn.execute_unprepared(&format!("SET LOCAL ROLE {}", sql::ident(owner)))
                .await
                .map_err(|e| anyhow!("cannot switch to the owner role: {}", db::describe(&e)))?;
        }
        for table in seeds {
            let mut rows = 0;
            for upsert in &table.upserts {
                let result = txn.execute_unprepared(upsert).await.map_err(|e| {
                    anyhow!(
                        "seed row for {} failed: {}\n  statement: {upsert}",
                        table.table,
                        db::describe(&e)
                    )
                })?;
                rows += result.rows_affected();
            }
            if rows > 0 {
                for fix in &table.sequence_fixes {
                    run(txn, fix, None).await?;
                }
                tracing::info!("seeded {rows} row(s) into {}", table.table);
            }
            outcome.seeded_rows += rows;
        }
    }
    Ok(())
}

/// A statement that failed while applying the schema, with the object it was creating,
/// so that the CLI can point at the object's place in the model.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ApplyError {
    pub object: Option<ObjectKey>,
    pub message: String,
}

async fn run<C: ConnectionTrait>(
    conn: &C,
    statement: &str,
    object: Option<&ObjectKey>,
) -> anyhow::Result<()> {
    conn.execute_unprepared(statement).await.map(|_| ()).map_err(|e| {
        let what = match object {
            Some(k) => format!(" while creating {} {}", k.kind.noun(), object_name(k)),
            None => String::new(),
        };
        // Enough of the statement to recognise it; the whole text is in `plan`.
        let excerpt: Vec<&str> = statement.lines().take(4).collect();
        anyhow::Error::new(ApplyError {
            object: object.cloned(),
            message: format!(
                "statement failed{what}: {}\n  statement: {}\nnothing was applied: the transaction was rolled back",
                db::describe(&e),
                excerpt.join("\n             ")
            ),
        })
    })
}

fn object_name(k: &ObjectKey) -> String {
    match (&k.table, k.schema.is_empty()) {
        (Some(t), _) => format!("{} on {}.{t}", k.name, k.schema),
        (None, true) => k.name.clone(),
        (None, false) => format!("{}.{}", k.schema, k.name),
    }
}

/// Where in the model an object is declared, as a JSON pointer into the document.
pub fn model_pointer(model: &Model, k: &ObjectKey) -> String {
    use crate::load::pointer;
    use crate::render::ObjectKind as K;
    let s = k.schema.as_str();
    match (k.kind, &k.table) {
        (K::Extension, _) => pointer(["extensions"]),
        (K::Schema, _) => pointer(["schemas", s]),
        (K::Type, _) => pointer(["schemas", s, "enums", &k.name]),
        (K::Function, _) => pointer(["schemas", s, "functions", &k.name]),
        (K::Table, _) => pointer(["schemas", s, "tables", &k.name]),
        (K::View, _) => pointer(["schemas", s, "views", &k.name]),
        (K::MaterializedView, _) => pointer(["schemas", s, "materialized_views", &k.name]),
        (K::ForeignKey, Some(t)) => pointer(["schemas", s, "tables", t]),
        (K::Trigger, Some(t)) => pointer(["schemas", s, "tables", t, "triggers", &k.name]),
        (K::Policy, Some(t)) => pointer([
            "schemas",
            s,
            "tables",
            t,
            "row_level_security",
            "policies",
            &k.name,
        ]),
        (K::Index, _) => {
            let schema = model.schemas.get(s);
            let on_table = schema.and_then(|sc| {
                sc.tables
                    .iter()
                    .find(|(_, t)| t.indexes.contains_key(&k.name))
                    .map(|(t, _)| pointer(["schemas", s, "tables", t, "indexes", &k.name]))
            });
            let on_view = schema.and_then(|sc| {
                sc.materialized_views
                    .iter()
                    .find(|(_, v)| v.indexes.contains_key(&k.name))
                    .map(|(v, _)| {
                        pointer(["schemas", s, "materialized_views", v, "indexes", &k.name])
                    })
            });
            on_table
                .or(on_view)
                .unwrap_or_else(|| pointer(["schemas", s]))
        }
        _ => pointer(["schemas", s]),
    }
}

/// Drops what this run created in the cluster phase, after a failure later on. Best
/// effort: the original error is what the user needs to see.
async fn undo_cluster(
    admin: &DatabaseConnection,
    steps: &[ClusterStep],
    database: &str,
    created_db: bool,
) {
    if created_db {
        let drop = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            sql::ident(database)
        );
        if let Err(e) = admin.execute_unprepared(&drop).await {
            tracing::warn!(
                "could not drop database {database} created by this run: {}",
                db::describe(&e)
            );
        } else {
            tracing::info!("dropped database {database}, which this run had created");
        }
    }
    for step in steps.iter().rev() {
        if step.kind == "role" && step.change == Change::Created {
            let name = &step.object;
            let drop = format!("DROP ROLE IF EXISTS {}", sql::ident(name));
            if admin.execute_unprepared(&drop).await.is_ok() {
                tracing::info!("dropped role {name}, which this run had created");
            }
        }
    }
}

/// Refreshes every materialized view in dependency order, concurrently where a unique
/// index allows it, when this run changed something they read.
async fn refresh_materialized_views(
    db_url: &str,
    catalog: &Catalog,
    outcome: &Outcome,
) -> anyhow::Result<usize> {
    if !outcome.changed_anything() {
        return Ok(0);
    }
    let views: Vec<QName> = render::deps::order(&render::deps::dependencies(catalog))
        .into_iter()
        .filter_map(|n| match n {
            render::deps::Node::View(q)
                if catalog.views.get(&q).is_some_and(|v| v.materialized) =>
            {
                Some(q)
            }
            _ => None,
        })
        .collect();
    if views.is_empty() {
        return Ok(0);
    }
    let conn = db::connect(db_url).await?;
    if let Some(owner) = &catalog.database.owner {
        conn.execute_unprepared(&format!("SET ROLE {}", sql::ident(owner)))
            .await
            .map_err(|e| anyhow!("cannot switch to the owner role: {}", db::describe(&e)))?;
    }
    for q in &views {
        let concurrent = catalog
            .views
            .get(q)
            .is_some_and(|v| v.indexes.iter().any(|i| i.unique && i.predicate.is_none()));
        let statement = format!(
            "REFRESH MATERIALIZED VIEW {}{}",
            if concurrent { "CONCURRENTLY " } else { "" },
            q.sql()
        );
        conn.execute_unprepared(&statement)
            .await
            .map_err(|e| anyhow!("refresh of {q} failed: {}", db::describe(&e)))?;
        tracing::info!(
            "refreshed materialized view {q}{}",
            if concurrent { " concurrently" } else { "" }
        );
    }
    Ok(views.len())
}
