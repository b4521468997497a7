//! `provision`: bring a server in line with the model, from roles to seed rows.
//!
//! Cluster phase (roles, memberships, the database) on the admin connection, then the
//! database itself: either the versioned migrations, or the plan from what the database
//! holds to the model (the create script for a new database; for an existing one the
//! same plan `apply` computes, refused when it has hazards not allowed) together with the
//! seed rows in ONE transaction; then a refresh of the materialized views. A failure in
//! the transaction leaves the database as it was; when this run created the database or
//! roles, they are dropped again, so a failed first provision leaves nothing behind.

pub mod cluster;
mod pointer;
pub mod progress;
pub mod scram;
pub mod seed;
pub mod summary;

use anyhow::{Context, anyhow};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

pub use pointer::model_pointer;
pub use progress::Progress;
pub use summary::Summary;

use crate::catalog::{Catalog, QName};
use crate::db;
use crate::deps;
use crate::diff::Hazard;
use crate::model::Model;
use crate::plan::Plan;
use crate::sql;
use cluster::{Change, ClusterStep};
use schemactl_core::statement::RenderedStep;
use schemactl_core::step::Step;

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
    /// Hazards a plan on an existing database may have besides authorization (changing
    /// who may do what is what provisioning is for).
    pub allow_hazards: Vec<Hazard>,
    /// Where the run shows its progress (hidden by default).
    pub progress: Progress,
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

    /// The closing summary, one line per verb, then the database and the time, e.g.
    /// `created: 1 database, 4 roles` … `database gamedata provisioned in 2.31s`.
    pub fn report(&self, elapsed: std::time::Duration) -> Vec<String> {
        let secs = elapsed.as_secs_f64();
        if !self.changed_anything() {
            return vec![format!(
                "database {} already matches the model: no change ({secs:.2}s)",
                self.database
            )];
        }
        let mut lines = self.summary.lines();
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if self.seeded_rows > 0 {
            lines.push(format!(
                "seeded: {}",
                plural(self.seeded_rows, "row", "rows")
            ));
        }
        if self.refreshed_views > 0 {
            let n = self.refreshed_views as u64;
            let views = plural(n, "materialized view", "materialized views");
            lines.push(format!("refreshed: {views}"));
        }
        lines.push(format!(
            "database {} provisioned in {secs:.2}s",
            self.database
        ));
        lines
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
        let plan = schema_plan(model, &catalog, &db_url, creates_database).await?;
        if let Some(script) = plan.script() {
            outcome.statements.extend(statement_texts(&script));
        }
        for table in seed::seed_statements(&catalog) {
            outcome.statements.extend(table.upserts);
        }
        return Ok(outcome);
    }

    let progress = &options.progress;
    progress.phase("roles and database", cluster_steps.len());
    cluster::execute_cluster(&admin, &cluster_steps, &mut outcome.summary).await?;
    progress.done(cluster_steps.len());
    let result = match &options.migrations {
        Some(dir) => apply_migrations(model, &db_url, dir, &catalog, progress, &mut outcome).await,
        None => {
            let allowed = &options.allow_hazards;
            apply_plan(
                model,
                &db_url,
                &catalog,
                creates_database,
                allowed,
                progress,
                &mut outcome,
            )
            .await
        }
    };
    if let Err(err) = result {
        undo_cluster(&admin, &cluster_steps, &database, creates_database).await;
        return Err(err);
    }
    outcome.refreshed_views =
        refresh_materialized_views(&db_url, &catalog, progress, &outcome).await?;
    Ok(outcome)
}

/// The plan that takes the database to the model: the create script for a database this
/// run creates (nothing to compare with), else the plan `apply` would compute.
async fn schema_plan(
    model: &Model,
    catalog: &Catalog,
    db_url: &str,
    creates_database: bool,
) -> anyhow::Result<Plan> {
    if creates_database {
        Ok(Plan::Postgres {
            steps: schemactl_postgres::create_script(catalog)?,
            owner: catalog.database.owner.clone(),
        })
    } else {
        crate::upgrade::plan(model, db_url).await
    }
}

fn statement_texts(script: &schemactl_postgres::script::Script) -> Vec<String> {
    use schemactl_postgres::script::Line;
    script
        .first
        .iter()
        .chain(&script.transaction)
        .chain(&script.outside)
        .filter_map(|line| match line {
            Line::Statement { sql, .. } | Line::Setting(sql) => Some(sql.clone()),
            _ => None,
        })
        .collect()
}

/// Hazards provisioning refuses unless allowed: authorization changes are its purpose.
fn refused_steps(plan: &Plan, allowed: &[Hazard]) -> Vec<String> {
    plan.summaries()
        .into_iter()
        .filter_map(|s| {
            let refused: Vec<&str> = s
                .hazards
                .iter()
                .filter(|h| **h != Hazard::Authorization && !allowed.contains(h))
                .map(|h| h.name())
                .collect();
            (!refused.is_empty()).then(|| format!("{} [{}]", s.description, refused.join(", ")))
        })
        .collect()
}

/// Applies the plan and the seed rows in one transaction (the concurrent index builds
/// of an existing database's plan after it), under the advisory lock.
async fn apply_plan(
    model: &Model,
    db_url: &str,
    catalog: &Catalog,
    creates_database: bool,
    allowed: &[Hazard],
    progress: &Progress,
    outcome: &mut Outcome,
) -> anyhow::Result<()> {
    progress.phase("planning", 0);
    let plan = schema_plan(model, catalog, db_url, creates_database).await?;
    let refused = refused_steps(&plan, allowed);
    if !refused.is_empty() {
        return Err(crate::exit::Refused(format!(
            "the plan for this existing database has hazardous steps that were not allowed:\n  - {}\n\
             nothing was changed in the database; review them with `schemactl plan --database-url …` \
             and pass --allow-hazard KIND to proceed",
            refused.join("\n  - ")
        ))
        .into());
    }
    if let Plan::Postgres { steps, .. } = &plan {
        count_steps(steps, &mut outcome.summary);
    }
    let script = plan.script().unwrap_or_default();
    outcome.statements.extend(statement_texts(&script));
    let seeds = seed::seed_statements(catalog);
    progress.phase("schema objects and seed rows", plan.len() + seeds.len());
    let conn = db::connect_single(db_url).await?;
    crate::execute::lock(&conn).await?;
    let result = async {
        crate::execute::commit_first(&conn, &script).await?;
        let what = "the schema transaction";
        let seeded = crate::lock_wait::retrying(what, || async {
            let txn = crate::execute::begin_with(&conn, &script.transaction, what).await?;
            let seeded = apply_seeds(&txn, catalog, &seeds).await?;
            crate::execute::commit(txn).await?;
            anyhow::Ok(seeded)
        })
        .await?;
        crate::execute::outside(&conn, &script).await?;
        progress.done(plan.len() + seeds.len());
        anyhow::Ok(seeded)
    }
    .await;
    let unlocked = crate::execute::unlock(&conn).await;
    outcome.seeded_rows += result?;
    unlocked
}

/// What a plan creates and changes, by kind of object, for the closing summary. Comments,
/// grants and default privileges on an object the plan creates (or on a column of a table
/// it creates) are part of that creation, not changes of their own.
fn count_steps(steps: &[RenderedStep], summary: &mut Summary) {
    let created: std::collections::HashSet<(&str, &str)> = steps
        .iter()
        .filter(|step| creates(&step.step))
        .filter_map(|step| step.statements.first())
        .map(|s| (s.object.schema.as_str(), s.object.name.as_str()))
        .collect();
    for step in steps {
        let Some(object) = step.statements.first().map(|s| &s.object) else {
            continue;
        };
        let noun = object.kind.noun();
        let owner = (
            object.schema.as_str(),
            object.table.as_deref().unwrap_or(&object.name),
        );
        let part_of_creation = created.contains(&owner);
        match &step.step {
            Step::CreateTable { .. }
            | Step::CreatePartition { .. }
            | Step::CreateView { .. }
            | Step::CreateFunction { .. }
            | Step::CreateEnum { .. }
            | Step::CreateSequence { .. }
            | Step::CreateDomain { .. }
            | Step::CreateCompositeType { .. }
            | Step::CreateSchema { .. }
            | Step::CreateExtension { .. }
            | Step::CreateIndex { .. }
            | Step::CreateIndexConcurrently { .. }
            | Step::CreateTrigger { .. }
            | Step::CreatePolicy { .. } => summary.created(noun),
            Step::AddConstraint { kind, .. } => summary.created(kind.noun()),
            Step::SetComment { .. }
            | Step::Grant { .. }
            | Step::Revoke { .. }
            | Step::RevokeFromPublic { .. }
            | Step::GrantDefaultPrivileges { .. }
            | Step::RevokeDefaultPrivileges { .. }
                if part_of_creation => {}
            Step::SetComment { .. } => summary.changed("comment"),
            Step::Grant { .. } | Step::Revoke { .. } | Step::RevokeFromPublic { .. } => {
                summary.changed("grant")
            }
            Step::GrantDefaultPrivileges { .. } | Step::RevokeDefaultPrivileges { .. } => {
                summary.changed("default privilege")
            }
            Step::ValidateConstraint { .. } | Step::CheckFunctionBody { .. } => {}
            _ => summary.changed(noun),
        }
    }
}

/// Steps that create an object other steps may then comment on or grant on.
fn creates(step: &Step) -> bool {
    matches!(
        step,
        Step::CreateTable { .. }
            | Step::CreatePartition { .. }
            | Step::CreateView { .. }
            | Step::CreateFunction { .. }
            | Step::CreateEnum { .. }
            | Step::CreateSequence { .. }
            | Step::CreateDomain { .. }
            | Step::CreateCompositeType { .. }
            | Step::CreateSchema { .. }
            | Step::CreateExtension { .. }
            | Step::CreateIndex { .. }
            | Step::CreateIndexConcurrently { .. }
            | Step::CreateTrigger { .. }
            | Step::CreatePolicy { .. }
    )
}

/// Brings the database to the model through the versioned migrations, then seeds, then
/// checks that the result has no drift from the model.
async fn apply_migrations(
    model: &Model,
    db_url: &str,
    dir: &std::path::Path,
    catalog: &Catalog,
    progress: &Progress,
    outcome: &mut Outcome,
) -> anyhow::Result<()> {
    let conn = crate::migrate::run::connect(db_url).await?;
    // Extensions need the admin (pgvector is not trusted); the migrations, run as the
    // owner, then find them present.
    for ext in &catalog.extensions {
        let present = db::query_opt(
            &conn,
            "SELECT 1 AS present FROM pg_extension WHERE extname = $1",
            vec![ext.clone().into()],
        )
        .await?
        .is_some();
        if !present {
            conn.execute_unprepared(&format!(
                "CREATE EXTENSION IF NOT EXISTS {}",
                sql::ident(ext)
            ))
            .await
            .map_err(|e| {
                anyhow::Error::new(db::StatementError(format!(
                    "cannot create extension {ext}: {}",
                    db::describe(&e)
                )))
            })?;
            outcome.summary.created("extension");
        }
    }
    progress.phase("migrations", crate::migrate::versions(dir)?.len());
    let applied =
        crate::migrate::run::up(&conn, dir, None, catalog.database.owner.as_deref()).await?;
    progress.done(crate::migrate::versions(dir)?.len());
    for version in &applied {
        tracing::info!("applied migration {version}");
        outcome.summary.applied("migration");
    }
    let seeds = seed::seed_statements(catalog);
    progress.phase("seed rows", seeds.len());
    let txn = conn
        .begin()
        .await
        .context("cannot begin the seed transaction")?;
    outcome.seeded_rows += apply_seeds(&txn, catalog, &seeds).await?;
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", db::describe(&e)))?;
    progress.done(seeds.len());
    progress.phase("checking for drift", 0);
    let drift = crate::upgrade::plan(model, db_url).await?;
    if !drift.is_empty() {
        return Err(anyhow!(
            "after the migrations the database still differs from the model:\n{}",
            drift.sql()
        ));
    }
    Ok(())
}

/// Upserts the declared seed rows, as the owner, inside the caller's transaction;
/// returns how many rows were inserted or changed.
async fn apply_seeds<C: ConnectionTrait>(
    txn: &C,
    catalog: &Catalog,
    seeds: &[seed::TableSeed],
) -> anyhow::Result<u64> {
    let mut total = 0;
    if seeds.is_empty() {
        return Ok(0);
    }
    let fail = |what: String, e: sea_orm::DbErr| {
        anyhow::Error::new(db::StatementError(format!("{what}: {}", db::describe(&e))))
    };
    if let Some(owner) = &catalog.database.owner {
        // Rows are written as the owner, like the objects, so that RLS applies to the
        // seeding exactly as the model's policies say.
        txn.execute_unprepared(&format!("SET LOCAL ROLE {}", sql::ident(owner)))
            .await
            .map_err(|e| fail("cannot switch to the owner role".into(), e))?;
    }
    for table in seeds {
        let mut rows = 0;
        for upsert in &table.upserts {
            let result = txn.execute_unprepared(upsert).await.map_err(|e| {
                fail(
                    format!("seed row for {} failed (statement: {upsert})", table.table),
                    e,
                )
            })?;
            rows += result.rows_affected();
        }
        if rows > 0 {
            for fix in &table.sequence_fixes {
                txn.execute_unprepared(fix)
                    .await
                    .map_err(|e| fail(format!("sequence fix for {} failed", table.table), e))?;
            }
            tracing::info!("seeded {rows} row(s) into {}", table.table);
        }
        total += rows;
    }
    Ok(total)
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
            tracing::warn!("dropped database {database}, which this run had created");
        }
    }
    for step in steps.iter().rev() {
        if step.kind == "role" && step.change == Change::Created {
            let name = &step.object;
            let drop = format!("DROP ROLE IF EXISTS {}", sql::ident(name));
            if admin.execute_unprepared(&drop).await.is_ok() {
                tracing::warn!("dropped role {name}, which this run had created");
            }
        }
    }
}

/// Refreshes every materialized view in dependency order, concurrently where a unique
/// index allows it, when this run changed something they read.
async fn refresh_materialized_views(
    db_url: &str,
    catalog: &Catalog,
    progress: &Progress,
    outcome: &Outcome,
) -> anyhow::Result<usize> {
    if !outcome.changed_anything() {
        return Ok(0);
    }
    let views: Vec<QName> = deps::order(&deps::dependencies(catalog))
        .into_iter()
        .filter_map(|n| match n {
            deps::Node::View(q) if catalog.views.get(&q).is_some_and(|v| v.materialized) => Some(q),
            _ => None,
        })
        .collect();
    if views.is_empty() {
        return Ok(0);
    }
    progress.phase("materialized views", views.len());
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
        let refresh = format!(
            "REFRESH MATERIALIZED VIEW {}{}",
            if concurrent { "CONCURRENTLY " } else { "" },
            q.sql()
        );
        // A view with an owner of its own is the admin's to refresh (the refresh reads as
        // that owner), in the same round trip as the switches around it.
        let statement = match (
            &catalog.database.owner,
            catalog.views.get(q).and_then(|v| v.owner.as_ref()),
        ) {
            (Some(database_owner), Some(_)) => format!(
                "RESET ROLE; {refresh}; SET ROLE {}",
                sql::ident(database_owner)
            ),
            _ => refresh,
        };
        conn.execute_unprepared(&statement)
            .await
            .map_err(|e| anyhow!("refresh of {q} failed: {}", db::describe(&e)))?;
        tracing::info!(
            "refreshed materialized view {q}{}",
            if concurrent { " concurrently" } else { "" }
        );
        progress.done(1);
    }
    Ok(views.len())
}
