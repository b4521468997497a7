//! `plan --database-url`, `apply` and `drift`: the live database against the model.
//!
//! Comparing SQL text written in the model with PostgreSQL's deparsed text would report
//! differences that are not there. So the desired state is the model applied to a scratch
//! database on the same server and introspected, like the live one. The scratch database
//! is named after a hash of the script that builds it and kept, so a later plan for the
//! same model only introspects. When the server will not let us create it (no CREATEDB,
//! or an untrusted extension without superuser), the model's own catalog is used instead
//! and bodies are compared as written.

use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::anyhow;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tracing::Instrument;

use crate::cache;
use crate::catalog::{Catalog, from_model};
use crate::db;
use crate::diff::Hints;
use crate::introspect::{self, Options};
use crate::model::Model;
use crate::normalize;
use crate::plan::Plan;
use crate::sql;
use schemactl_postgres::script::{self, Script};

const SCRATCH_PREFIX: &str = "schemactl_scratch_";
const DESIRED_CACHE: &str = "desired";

/// The two sides of a comparison; the desired one always went through a scratch
/// database (normalized SQL): there is no comparison without it.
pub struct Comparison {
    pub current: Catalog,
    pub desired: Catalog,
}

pub fn schemas_of(model: &Model) -> Vec<String> {
    model.schemas.keys().cloned().collect()
}

pub(crate) fn introspect_options(model: &Model) -> Options {
    Options {
        schemas: schemas_of(model),
        roles: model.roles.keys().cloned().collect(),
        all_roles: model.database.role_management == crate::model::RoleManagement::Exclusive,
        search_path: None,
    }
}

/// Names the server for the cache of normalized models: its version, and its system
/// identifier where the role may read it (a new cluster then gets new entries).
pub(crate) async fn server_identity(conn: &DatabaseConnection) -> anyhow::Result<String> {
    let row = db::query_opt(
        conn,
        "SELECT current_setting('server_version_num') || '/' || \
                CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE') \
                     THEN (SELECT system_identifier::text FROM pg_control_system()) \
                     ELSE '' END AS id",
        vec![],
    )
    .await?
    .ok_or_else(|| anyhow!("the server identity query returned no row"))?;
    Ok(row.try_get::<String>("", "id")?)
}

/// The major version in a [`server_identity`] (`160004/…` is 16); 0 when unreadable.
pub(crate) fn server_major(identity: &str) -> u32 {
    identity
        .split('/')
        .next()
        .and_then(|num| num.parse::<u32>().ok())
        .map_or(0, |num| num / 10000)
}

/// The model as PostgreSQL would hold it: from the local cache when this server already
/// normalized the same script, else from the units of earlier versions plus the ones
/// this version changed (see [`crate::normalize`]), else via a scratch database of the
/// whole model. Roles are cluster-wide, so the scratch database sees the live server's
/// roles: what the roles should be comes from the model.
pub async fn desired(
    model: &Model,
    url: &str,
    server: &str,
    dev: Option<&str>,
) -> anyhow::Result<Catalog> {
    let started = std::time::Instant::now();
    let catalog = from_model(model);
    // The model's catalog determines its script. The URL (without password) is part of the
    // key: the system identifier may be unknown.
    let key = cache::key_of(&(server, db::redact(url), DESIRED_CACHE), &catalog);
    tracing::debug!(
        "model built and keyed in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    if let Some(mut normalized) = cache::read::<Catalog>(DESIRED_CACHE, &key) {
        tracing::debug!(
            "desired catalog from the local cache in {:.3}s",
            started.elapsed().as_secs_f64()
        );
        normalized.roles = catalog.roles;
        return Ok(normalized);
    }
    let major = server_major(server);
    let dev = match dev {
        Some(dev) => dev.to_string(),
        None => crate::dev::server_for(url, major)?,
    };
    let on_target = db::host_of(&dev) == db::host_of(url);
    let mut normalized = if cache::dir().is_some() {
        incremental(model, &catalog, server, &dev, !on_target).await?
    } else {
        whole(model, &catalog, &dev, !on_target).await?.0
    };
    cache::write(DESIRED_CACHE, &key, &normalized);
    tracing::debug!(
        "desired catalog normalized in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    normalized.roles = catalog.roles;
    Ok(normalized)
}

/// The model normalized through the store of units (on-disk cache); when the workspace
/// path fails, through a scratch database of the whole model, whose units are kept.
async fn incremental(
    model: &Model,
    catalog: &Catalog,
    server: &str,
    dev: &str,
    placeholder_roles: bool,
) -> anyhow::Result<Catalog> {
    // One store and one workspace per dev server, whatever database or role plans.
    let scope = cache::key(&(server, db::host_of(dev)));
    let mut store = normalize::Store::load(&scope);
    let on = normalize::Dev {
        url: dev,
        placeholder_roles,
    };
    let normalized = match normalize::desired(model, catalog, &scope, &on, &mut store).await {
        Ok(normalized) => normalized,
        Err(err) => {
            tracing::debug!("incremental normalization failed ({err:#}); building the whole model");
            let normalized = whole(model, catalog, dev, placeholder_roles).await?.0;
            normalize::remember(catalog, &normalized, &scope, &mut store);
            normalized
        }
    };
    store.save(&scope);
    Ok(normalize::with_owners(normalized, catalog))
}

/// The whole model normalized in a scratch database of its own (kept for reuse); also
/// returns the scratch database's name.
async fn whole(
    model: &Model,
    catalog: &Catalog,
    dev: &str,
    placeholder_roles: bool,
) -> anyhow::Result<(Catalog, String)> {
    let steps = schemactl_postgres::create_script(catalog)?;
    let script = script::layout(&steps, model.database.owner.as_deref());
    // The scratch database's name stands for the script.
    let name = scratch_name(&script);
    scratch_catalog(model, &script, &name, dev, placeholder_roles)
        .await
        .map(|normalized| (normalized, name))
        .map_err(|err| {
            // Comparing the model's text with the server's deparsed text would report
            // differences that are not there: no plan without normalization.
            anyhow!(
                "cannot normalize the model in a scratch database on {}: {err:#}",
                db::redact(dev)
            )
        })
}

/// The whole model normalized in a scratch database (no cache, no units): what the
/// incremental path must always agree with. Returns the scratch database's name too.
pub async fn desired_whole(model: &Model, dev: &str) -> anyhow::Result<(Catalog, String)> {
    let catalog = from_model(model);
    let (normalized, name) = whole(model, &catalog, dev, false).await?;
    let mut normalized = normalize::with_owners(normalized, &catalog);
    normalized.roles = catalog.roles;
    Ok((normalized, name))
}

/// The live database at `url` and the model as that server would hold it, normalized
/// on the dev server `dev` (default: [`crate::dev::server_for`]).
pub async fn compare(model: &Model, url: &str, dev: Option<&str>) -> anyhow::Result<Comparison> {
    let started = std::time::Instant::now();
    let conn = db::connect(url).await?;
    let server = server_identity(&conn).await?;
    tracing::debug!("connected at {:.3}s", started.elapsed().as_secs_f64());
    // The live read runs on another worker thread, so that its queries and its cache
    // parsing overlap the rendering and normalizing of the model on this one.
    let options = introspect_options(model);
    let scope = db::redact(url);
    let live = tokio::spawn(async move {
        let read = introspect::introspect_cached(&conn, &options, &scope).await;
        tracing::debug!(
            "live database introspected at {:.3}s",
            started.elapsed().as_secs_f64()
        );
        read
    });
    let desired = desired(model, url, &server, dev).await;
    let current = live
        .await
        .map_err(|e| anyhow!("the live catalog read stopped: {e}"))??
        .catalog;
    Ok(Comparison {
        current,
        desired: desired?,
    })
}

pub async fn plan(model: &Model, url: &str) -> anyhow::Result<Plan> {
    plan_on(model, url, None).await
}

/// [`plan`] with the scratch database on the dev server `dev` (an admin URL), e.g. a test
/// harness's own throwaway server.
pub async fn plan_on(model: &Model, url: &str, dev: Option<&str>) -> anyhow::Result<Plan> {
    // A DuckDB model or URL: DuckDB's plan (without the feature, `selected` says so).
    #[cfg(feature = "duckdb")]
    if crate::duck::selected(model, Some(url))? {
        return Ok(Plan::Duckdb(crate::duck::plan(model, url)?));
    }
    #[cfg(not(feature = "duckdb"))]
    crate::duck::selected(model, Some(url))?;
    if crate::sqlite::selected(model, Some(url))? {
        return Ok(Plan::Sqlite(crate::sqlite::plan(model, url).await?));
    }
    let c = compare(model, url, dev).await?;
    let started = std::time::Instant::now();
    let steps = schemactl_postgres::plan(&c.current, &c.desired, &Hints::from_model(model))?;
    tracing::debug!("diff in {:.3}s", started.elapsed().as_secs_f64());
    Ok(Plan::Postgres {
        steps,
        owner: model.database.owner.clone(),
    })
}

/// The scratch database's name for a create script: a hash of its text.
fn scratch_name(script: &Script) -> String {
    let mut hasher = DefaultHasher::new();
    script.to_sql().hash(&mut hasher);
    format!("{SCRATCH_PREFIX}{:016x}", hasher.finish())
}

/// The URL of the scratch database holding `model` on the server of `url`, built when
/// missing (a fleet describes it in its own way, see `fleet::desired`).
pub(crate) async fn scratch_url(model: &Model, url: &str) -> anyhow::Result<String> {
    let steps = schemactl_postgres::create_script(&from_model(model))?;
    let script = script::layout(&steps, model.database.owner.as_deref());
    let name = scratch_name(&script);
    ensure_scratch(model, &script, &name, url, false).await?;
    db::with_database(url, &name)
}

async fn scratch_catalog(
    model: &Model,
    script: &Script,
    name: &str,
    url: &str,
    placeholder_roles: bool,
) -> anyhow::Result<Catalog> {
    let exists = ensure_scratch(model, script, name, url, placeholder_roles).await?;
    let scratch_url = db::with_database(url, name)?;
    let read = async {
        let scratch = db::connect(&scratch_url).await?;
        cached_catalog(&scratch, model).await
    }
    .await;
    match read {
        Ok(catalog) => Ok(catalog),
        // Gone between the check and the read (dropped by another run): build it again.
        Err(_) if exists => {
            let server = db::connect_single(url).await?;
            build_scratch(&server, url, name, model.database.owner.as_deref(), script).await?;
            let scratch = db::connect(&scratch_url).await?;
            cached_catalog(&scratch, model).await
        }
        Err(err) => Err(err),
    }
}

/// Builds scratch database `name` unless it exists; returns whether it existed.
pub(crate) async fn ensure_scratch(
    model: &Model,
    script: &Script,
    name: &str,
    url: &str,
    placeholder_roles: bool,
) -> anyhow::Result<bool> {
    // Advisory locks belong to a database: runs planning against different databases of
    // one server must meet in the same one to exclude each other, so the lock is taken in
    // the server's maintenance database when the role may connect to it.
    let maintenance = db::with_database(url, "postgres")?;
    let server = match db::connect_single(&maintenance).await {
        Ok(conn) => conn,
        Err(_) => db::connect_single(url).await?,
    };
    if placeholder_roles {
        create_placeholder_roles(&server, model).await?;
    }
    // Runs planning the same model at once would build the same scratch database, each
    // dropping the other's half-built one: one builds it while the others wait.
    scratch_lock(&server, name, "pg_advisory_lock").await?;
    let built = async {
        let exists = database_exists(&server, name).await?;
        if !exists {
            // Old scratch databases stay: dropping one forces a checkpoint, which has no
            // place in a plan (`schemactl dev` lists and removes them).
            build_scratch(&server, url, name, model.database.owner.as_deref(), script).await?;
        }
        anyhow::Ok(exists)
    }
    .await;
    scratch_lock(&server, name, "pg_advisory_unlock").await?;
    built
}

/// On a dev server that is not the target's, the model's roles may not exist: the
/// scratch database needs them by name only (owners, grants), so they are created
/// without login or attributes.
async fn create_placeholder_roles(
    server: &DatabaseConnection,
    model: &Model,
) -> anyhow::Result<()> {
    let names: Vec<String> = model.roles.keys().cloned().collect();
    create_missing_roles(server, &names).await
}

/// Creates each of `names` missing on `server` as a `NOLOGIN` role without attributes:
/// a placeholder that owners and grants can name.
pub(crate) async fn create_missing_roles(
    server: &DatabaseConnection,
    names: &[String],
) -> anyhow::Result<()> {
    let existing = db::query_all(
        server,
        "SELECT rolname::text AS name FROM pg_roles WHERE rolname = ANY($1)",
        vec![names.to_vec().into()],
    )
    .await?;
    let existing: Vec<String> = existing
        .iter()
        .filter_map(|row| row.try_get::<String>("", "name").ok())
        .collect();
    for name in names.iter().filter(|n| !existing.contains(n)) {
        server
            .execute_unprepared(&format!("CREATE ROLE {} NOLOGIN", sql::ident(name)))
            .await
            .map_err(|e| {
                anyhow!(
                    "cannot create role {name} on the dev server: {}",
                    db::describe(&e)
                )
            })?;
    }
    Ok(())
}

/// Takes or releases (`function`) the session advisory lock for building scratch database
/// `name`.
async fn scratch_lock(
    server: &DatabaseConnection,
    name: &str,
    function: &str,
) -> anyhow::Result<()> {
    let key = format!("schemactl scratch {name}");
    server
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            format!("SELECT {function}(hashtextextended($1, 0))"),
            [key.into()],
        ))
        .await
        .map_err(|e| anyhow!("{function} for the scratch database: {}", db::describe(&e)))?;
    Ok(())
}

pub(crate) async fn database_exists(
    server: &DatabaseConnection,
    name: &str,
) -> anyhow::Result<bool> {
    Ok(db::query_opt(
        server,
        "SELECT 1 AS found FROM pg_database WHERE datname = $1",
        vec![name.to_string().into()],
    )
    .await?
    .is_some())
}

/// Creates a scratch database `name` (owned by `owner`) holding what `script` creates.
pub(crate) async fn build_scratch(
    server: &DatabaseConnection,
    url: &str,
    name: &str,
    owner: Option<&str>,
    script: &Script,
) -> anyhow::Result<()> {
    // Built under a temporary name and renamed when complete, so that a scratch database
    // that exists under its final name is always whole.
    let building = format!("{name}_building");
    // Only a run that stopped half-way leaves one behind: no DROP otherwise.
    if database_exists(server, &building).await? {
        db::drop_database_forced(server, &building).await?;
    }
    db::create_database(server, &building, owner, "cannot create a scratch database").await?;
    // Logged under a span, so that `-v` tells these statements from the target's.
    let span = tracing::info_span!("scratch", database = %building);
    let result = async {
        let conn = db::connect_single(&db::with_database(url, &building)?).await?;
        crate::execute::run(&conn, script).await?;
        drop(conn);
        anyhow::Ok(())
    }
    .instrument(span)
    .await;
    if let Err(err) = result {
        // The build's own error is the one to report; a leftover is dropped by the next.
        let _ = db::drop_database_forced(server, &building).await;
        return Err(err);
    }
    server
        .execute_unprepared(&format!(
            "ALTER DATABASE {} RENAME TO {}",
            sql::ident(&building),
            sql::ident(name)
        ))
        .await
        .map_err(|e| anyhow!("{}", db::describe(&e)))?;
    Ok(())
}

/// How many scratch databases (one per model version) are kept for reuse.
const SCRATCH_KEPT: usize = 8;

/// Drops scratch databases beyond the newest few. Never forced: one that a concurrent
/// run is reading has a connection, and then its DROP fails and it stays.
pub(crate) async fn drop_stale_scratches(server: &DatabaseConnection, prefix: &str) {
    let pattern = format!("{}%", prefix.replace('_', "\\_"));
    let Ok(rows) = db::query_all(
        server,
        "SELECT datname::text AS name FROM pg_database \
         WHERE datname LIKE $1 AND datname NOT LIKE '%\\_building' \
         ORDER BY oid DESC",
        vec![pattern.into()],
    )
    .await
    else {
        return;
    };
    for row in rows.iter().skip(SCRATCH_KEPT) {
        let Ok(name) = row.try_get::<String>("", "name") else {
            continue;
        };
        let _ = server
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {}", sql::ident(&name)))
            .await;
    }
}

/// The scratch database's catalog, read once and then kept inside it as JSON: the
/// scratch database never changes, so later plans skip its introspection.
async fn cached_catalog(scratch: &DatabaseConnection, model: &Model) -> anyhow::Result<Catalog> {
    let cached = db::query_opt(
        scratch,
        "SELECT catalog::text AS catalog FROM public.schemactl_catalog LIMIT 1",
        vec![],
    )
    .await;
    if let Ok(Some(row)) = cached
        && let Ok(text) = row.try_get::<String>("", "catalog")
        && let Ok(catalog) = serde_json::from_str::<Catalog>(&text)
    {
        return Ok(catalog);
    }
    let catalog = introspect::introspect_with(scratch, &introspect_options(model))
        .await?
        .catalog;
    let json = serde_json::to_string(&catalog)?;
    // Best effort: without the cache the next plan introspects again.
    let _ = scratch
        .execute_unprepared(&format!(
            "CREATE TABLE IF NOT EXISTS public.schemactl_catalog (catalog jsonb NOT NULL); \
             TRUNCATE public.schemactl_catalog; \
             INSERT INTO public.schemactl_catalog VALUES ({}::jsonb)",
            sql::literal(&json)
        ))
        .await;
    Ok(catalog)
}

/// Applies a plan under the advisory lock, creating objects as the database owner.
pub async fn apply(url: &str, plan: &Plan) -> anyhow::Result<()> {
    let script = match plan {
        Plan::Sqlite(plan) => return crate::sqlite::apply(url, plan).await,
        #[cfg(feature = "duckdb")]
        Plan::Duckdb(plan) => return crate::duck::apply(url, plan),
        Plan::Postgres { .. } => plan.script().unwrap_or_default(),
    };
    let conn = db::connect_single(url).await?;
    crate::execute::lock(&conn).await?;
    let result = crate::execute::run(&conn, &script).await;
    let unlocked = crate::execute::unlock(&conn).await;
    result?;
    unlocked
}
