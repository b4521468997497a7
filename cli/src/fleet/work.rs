//! What a fleet command does to one target: plan it (and apply the plan), run its
//! pending migrations, or compare it with the model.
//!
//! Each target is planned on its own connection under its advisory lock, so an empty
//! plan means the target is current: a rerun skips what an earlier run finished.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::anyhow;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::OnceCell;

use crate::catalog::{Catalog, from_model};
use crate::db;
use crate::diff::{Hazard, Hints};
use crate::execute;
use crate::introspect::{self, Options};
use crate::model::Model;

use super::targets::Target;

/// What the fleet command does to each target.
#[derive(Debug, Clone)]
pub enum Operation {
    /// Plan and apply, refusing steps with hazards not in the list.
    Apply { allowed: Vec<Hazard> },
    /// Apply the pending versioned migrations of a directory.
    MigrateUp { dir: PathBuf },
    /// Plan only: does the target match the model?
    Drift,
}

impl Operation {
    pub fn name(&self) -> &'static str {
        match self {
            Operation::Apply { .. } => "apply",
            Operation::MigrateUp { .. } => "migrate up",
            Operation::Drift => "drift",
        }
    }
}

/// How one target ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Steps (or migrations) were applied and committed.
    Changed,
    /// It already matched the model: nothing to do.
    Unchanged,
    /// `drift`: it differs from the model.
    Drifted,
    /// Hazardous steps were not allowed: nothing was applied.
    Refused,
    /// It could not be reached, or a statement failed (its transaction was rolled back).
    Failed,
    /// Not attempted: the canary group failed, or the failure limit was reached.
    Skipped,
}

/// A target's result: its state, how many steps (or migrations) it took or would take,
/// and the reason or summary.
#[derive(Debug, Clone)]
pub struct Done {
    pub state: State,
    pub steps: usize,
    pub detail: String,
}

impl Done {
    fn new(state: State, steps: usize, detail: impl Into<String>) -> Done {
        Done {
            state,
            steps,
            detail: detail.into(),
        }
    }
}

/// The model's normalized catalog per server (`host:port`), built once per run.
type DesiredCache = Mutex<HashMap<String, Arc<OnceCell<Result<Arc<Catalog>, String>>>>>;

/// What every target's work shares: the model, its tenant schema, the operation and the
/// normalized model per server.
pub struct Work {
    pub model: Model,
    pub tenant_schema: Option<String>,
    pub operation: Operation,
    hints: Hints,
    desired: DesiredCache,
}

impl Work {
    pub fn new(model: Model, tenant_schema: Option<String>, operation: Operation) -> Work {
        let hints = Hints::from_model(&model);
        Work {
            model,
            tenant_schema,
            operation,
            hints,
            desired: Mutex::new(HashMap::new()),
        }
    }

    /// Does the operation to `target`; every error becomes a failed (or refused) result.
    pub async fn run(&self, target: &Target) -> Done {
        let result = match &self.operation {
            Operation::MigrateUp { dir } => self.migrate_up(target, dir).await,
            Operation::Apply { allowed } => self.apply(target, Some(allowed)).await,
            Operation::Drift => self.apply(target, None).await,
        };
        result.unwrap_or_else(|err| Done::new(State::Failed, 0, failure_reason(&err)))
    }

    async fn migrate_up(&self, target: &Target, dir: &std::path::Path) -> anyhow::Result<Done> {
        let conn = crate::migrate::run::connect(&target.url).await?;
        let owner = self.model.database.owner.as_deref();
        let applied = crate::migrate::run::up(&conn, dir, None, owner).await?;
        let _ = conn.close().await;
        Ok(match applied.len() {
            0 => Done::new(State::Unchanged, 0, "no pending migrations"),
            n => Done::new(State::Changed, n, applied.join(", ")),
        })
    }

    /// Plans `target` and, unless `allowed` is `None` (drift), applies the plan, all on one
    /// connection under the target's advisory lock.
    async fn apply(&self, target: &Target, allowed: Option<&Vec<Hazard>>) -> anyhow::Result<Done> {
        let url = match &target.schema {
            Some(schema) => db::with_search_path(&target.url, schema)?,
            None => target.url.clone(),
        };
        let started = std::time::Instant::now();
        // The search-path option is ours, not the user's: messages name the URL as given.
        let conn = db::connect_single(&url).await.map_err(|err| {
            anyhow!(
                "{}",
                format!("{err:#}").replace(&db::redact(&url), &db::redact(&target.url))
            )
        })?;
        let writing = allowed.is_some();
        if writing {
            lock(&conn, target.schema.as_deref()).await?;
        }
        tracing::debug!(
            "{}: connected and locked at {:.3}s",
            target.label,
            started.elapsed().as_secs_f64()
        );
        let result = self.plan_and_apply(&conn, target, allowed).await;
        if writing {
            // Closing the session releases its locks in any case.
            let _ = unlock(&conn, target.schema.as_deref()).await;
        }
        let _ = conn.close().await;
        result
    }

    async fn plan_and_apply(
        &self,
        conn: &DatabaseConnection,
        target: &Target,
        allowed: Option<&Vec<Hazard>>,
    ) -> anyhow::Result<Done> {
        let roles: Vec<String> = self.model.roles.keys().cloned().collect();
        let options = Options {
            schemas: match &target.schema {
                Some(schema) => vec![schema.clone()],
                None => crate::upgrade::schemas_of(&self.model),
            },
            roles,
            search_path: target.schema.clone(),
            ..Options::default()
        };
        let scope = match &target.schema {
            Some(schema) => format!("{} schema {schema}", db::redact(&target.url)),
            None => db::redact(&target.url),
        };
        let started = std::time::Instant::now();
        let mut current = introspect::introspect_cached(conn, &options, &scope)
            .await?
            .catalog;
        let described = started.elapsed().as_secs_f64();
        let normalized = self.desired_for(target).await?;
        let (desired, hints) = match (&target.schema, &self.tenant_schema) {
            (Some(schema), Some(tenant)) => {
                let mut desired = normalized.tenant(tenant, schema);
                // A schema target receives the tenant schema only: roles, extensions and
                // the database are the database's (provisioned once, not per tenant).
                desired.roles = current.roles.clone();
                desired.extensions = current.extensions.clone();
                desired.database = current.database.clone();
                (desired, self.hints.tenant(tenant, schema))
            }
            (Some(_), None) => {
                return Err(anyhow!("a schema target needs the fleet's tenant schema"));
            }
            (None, _) => {
                // Roles are cluster-wide: a role the model does not declare (the owner the
                // databases were created by, say) is not this fleet's to drop.
                current
                    .roles
                    .retain(|name, _| normalized.roles.contains_key(name));
                ((*normalized).clone(), self.hints.clone())
            }
        };
        let steps = schemactl_postgres::plan(&current, &desired, &hints)?;
        tracing::debug!(
            "{}: described in {described:.3}s, planned at {:.3}s",
            target.label,
            started.elapsed().as_secs_f64()
        );
        if steps.is_empty() {
            return Ok(Done::new(State::Unchanged, 0, "matches the model"));
        }
        let Some(allowed) = allowed else {
            let first = steps
                .first()
                .map(|s| s.description.clone())
                .unwrap_or_default();
            return Ok(Done::new(
                State::Drifted,
                steps.len(),
                format!("first: {first}"),
            ));
        };
        let refused: Vec<String> = steps
            .iter()
            .filter(|s| s.hazards.iter().any(|h| !allowed.contains(h)))
            .map(|s| {
                let kinds: Vec<String> = s.hazards.iter().map(Hazard::to_string).collect();
                format!("{} [{}]", s.description, kinds.join(", "))
            })
            .collect();
        if !refused.is_empty() {
            return Ok(Done::new(
                State::Refused,
                steps.len(),
                format!(
                    "hazards not allowed, nothing applied: {}",
                    refused.join("; ")
                ),
            ));
        }
        let script =
            schemactl_postgres::script::layout(&steps, self.model.database.owner.as_deref());
        execute::run(conn, &script).await?;
        Ok(Done::new(
            State::Changed,
            steps.len(),
            format!("applied {} step(s)", steps.len()),
        ))
    }

    /// The model as this target's server normalizes it, built once per server: for schema
    /// targets the tenant schema described with itself first on the search path.
    async fn desired_for(&self, target: &Target) -> anyhow::Result<Arc<Catalog>> {
        let cell = {
            let mut cache = self
                .desired
                .lock()
                .map_err(|_| anyhow!("the normalized model cache was poisoned"))?;
            // Database and schema targets describe the model differently (the search
            // path), so a fleet of both has one of each per server.
            let kind = if target.schema.is_some() {
                "schemas"
            } else {
                "databases"
            };
            let key = format!("{} {kind}", target.server);
            Arc::clone(cache.entry(key).or_default())
        };
        let built = cell
            .get_or_init(|| async {
                self.normalize(target)
                    .await
                    .map(Arc::new)
                    .map_err(|err| format!("{err:#}"))
            })
            .await;
        built
            .clone()
            .map_err(|err| anyhow!("cannot normalize the model on {}: {err}", target.server))
    }

    async fn normalize(&self, target: &Target) -> anyhow::Result<Catalog> {
        let conn = db::connect(&target.url).await?;
        let server = crate::upgrade::server_identity(&conn).await?;
        let _ = conn.close().await;
        let tenant = match (&target.schema, &self.tenant_schema) {
            (Some(_), Some(tenant)) => tenant,
            (Some(_), None) => {
                return Err(anyhow!("a schema target needs the fleet's tenant schema"));
            }
            (None, _) => {
                return crate::upgrade::desired(&self.model, &target.url, &server, None).await;
            }
        };
        let model_catalog = from_model(&self.model);
        let scratch = match crate::upgrade::scratch_url(&self.model, &target.url).await {
            Ok(url) => url,
            Err(err) => {
                tracing::warn!(
                    "no scratch database on {} ({err:#}); comparing SQL bodies as written in the model",
                    target.server
                );
                return Ok(model_catalog);
            }
        };
        let conn = db::connect(&scratch).await?;
        let options = Options {
            schemas: vec![tenant.clone()],
            search_path: Some(tenant.clone()),
            ..Options::default()
        };
        let mut catalog = introspect::introspect_with(&conn, &options).await?.catalog;
        let _ = conn.close().await;
        catalog.roles = model_catalog.roles;
        Ok(catalog)
    }
}

/// A database target takes the lock every schemactl writer takes. A schema target takes
/// it shared, so that tenants of one database roll out side by side while a whole-database
/// `apply` or `migrate` still excludes them, and a lock of its own schema.
async fn lock(conn: &DatabaseConnection, schema: Option<&str>) -> anyhow::Result<()> {
    let Some(schema) = schema else {
        return execute::lock(conn).await;
    };
    advisory(
        conn,
        "pg_advisory_lock_shared($1)",
        execute::ADVISORY_LOCK_KEY.into(),
    )
    .await?;
    advisory(
        conn,
        "pg_advisory_lock(hashtextextended($1, 0))",
        schema_key(schema).into(),
    )
    .await
}

async fn unlock(conn: &DatabaseConnection, schema: Option<&str>) -> anyhow::Result<()> {
    let Some(schema) = schema else {
        return execute::unlock(conn).await;
    };
    advisory(
        conn,
        "pg_advisory_unlock(hashtextextended($1, 0))",
        schema_key(schema).into(),
    )
    .await?;
    advisory(
        conn,
        "pg_advisory_unlock_shared($1)",
        execute::ADVISORY_LOCK_KEY.into(),
    )
    .await
}

fn schema_key(schema: &str) -> String {
    format!("schemactl schema {schema}")
}

async fn advisory(
    conn: &DatabaseConnection,
    call: &str,
    key: sea_orm::Value,
) -> anyhow::Result<()> {
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!("SELECT {call}"),
        [key],
    ))
    .await
    .map_err(|e| anyhow!("{call}: {}", db::describe(&e)))?;
    Ok(())
}

/// The first line of an error chain's message, with the failing statement when there is
/// one: what a report's table has room for.
fn failure_reason(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("failed").to_string();
    match lines.find(|l| l.starts_with("statement:")) {
        Some(statement) => format!("{first} ({statement})"),
        None => first,
    }
}
