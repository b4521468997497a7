//! The template database every test database is cloned from.
//!
//! It is built once per server and content (model, migrations, fingerprint files) and
//! reused by later runs: its name carries a hash of that content. A PostgreSQL advisory
//! lock serializes builders across threads, processes and machines; a template is marked
//! `IS_TEMPLATE` only when complete, so one left half-built by a killed run is rebuilt.

use std::collections::{BTreeMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Context as _;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use schemactl::model::Model;
use schemactl::sql::{ident, literal};

use crate::{MigrateFn, connect_once};

/// Bumped when what a template holds changes meaning, so old templates are not reused.
const FORMAT: u32 = 1;
pub const TEMPLATE_PREFIX: &str = "schemactl_template_";

pub(crate) struct Spec<'a> {
    pub model: Option<&'a Model>,
    pub model_text: String,
    pub passwords: BTreeMap<String, String>,
    pub migrate: Option<&'a (MigrateFn, Vec<String>)>,
    pub fingerprint: &'a [PathBuf],
}

pub(crate) struct Prepared {
    pub template: String,
    /// The database owner and its password, when the model declares one we can log in as.
    pub owner: Option<(String, String)>,
}

/// Explicit passwords, else the model's environment variables, else `testkit-<role>`.
pub(crate) fn passwords(
    model: Option<&Model>,
    explicit: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let Some(model) = model else {
        return explicit.clone();
    };
    model
        .roles
        .iter()
        .filter(|(_, role)| role.login)
        .map(|(name, role)| {
            let password = explicit
                .get(name)
                .cloned()
                .or_else(|| {
                    role.password_env
                        .as_ref()
                        .and_then(|var| std::env::var(var).ok())
                        .filter(|p| !p.is_empty())
                })
                .unwrap_or_else(|| format!("testkit-{name}"));
            (name.clone(), password)
        })
        .collect()
}

fn template_name(spec: &Spec<'_>) -> anyhow::Result<String> {
    let mut hasher = DefaultHasher::new();
    FORMAT.hash(&mut hasher);
    spec.model_text.hash(&mut hasher);
    if let Some((_, names)) = spec.migrate {
        names.hash(&mut hasher);
    }
    for path in spec.fingerprint {
        hash_path(path, &mut hasher)
            .with_context(|| format!("cannot read the fingerprint {}", path.display()))?;
    }
    Ok(format!("{TEMPLATE_PREFIX}{:016x}", hasher.finish()))
}

fn hash_path(path: &Path, hasher: &mut DefaultHasher) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for entry in entries {
            // Build output changes on every build and says nothing about the schema.
            if entry.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            hash_path(&entry, hasher)?;
        }
    } else {
        path.file_name().hash(hasher);
        std::fs::read(path)?.hash(hasher);
    }
    Ok(())
}

/// Templates this process already knows to be complete, keyed by server and name: the
/// warm path then costs one `CREATE DATABASE`.
static READY: Mutex<Option<HashSet<(String, String)>>> = Mutex::new(None);

fn known_ready(key: &(String, String)) -> bool {
    READY
        .lock()
        .map(|set| set.as_ref().is_some_and(|s| s.contains(key)))
        .unwrap_or(false)
}

fn remember_ready(key: (String, String)) {
    if let Ok(mut set) = READY.lock() {
        set.get_or_insert_with(HashSet::new).insert(key);
    }
}

pub(crate) async fn ensure(
    admin_url: &str,
    spec: &Spec<'_>,
    shared: bool,
) -> anyhow::Result<Prepared> {
    let template = template_name(spec)?;
    let owner = spec
        .model
        .and_then(|m| m.database.owner.clone())
        .and_then(|owner| spec.passwords.get(&owner).map(|p| (owner, p.clone())));
    let key = (admin_url.to_string(), template.clone());
    if !known_ready(&key) {
        let admin = connect_once(admin_url).await?;
        let lock_key = advisory_key(&template);
        admin
            .execute_unprepared(&format!("SELECT pg_advisory_lock({lock_key})"))
            .await?;
        let built = build(&admin, admin_url, &template, spec, owner.as_ref(), shared).await;
        admin
            .execute_unprepared(&format!("SELECT pg_advisory_unlock({lock_key})"))
            .await
            .ok();
        admin.close().await.ok();
        built?;
        remember_ready(key);
    }
    Ok(Prepared { template, owner })
}

fn advisory_key(template: &str) -> i64 {
    let mut hasher = DefaultHasher::new();
    template.hash(&mut hasher);
    // Reinterpreting the bits is the point: advisory lock keys are any bigint.
    hasher.finish() as i64
}

async fn build(
    admin: &DatabaseConnection,
    admin_url: &str,
    template: &str,
    spec: &Spec<'_>,
    owner: Option<&(String, String)>,
    shared: bool,
) -> anyhow::Result<()> {
    let existing = admin
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT datistemplate FROM pg_database WHERE datname = {}",
                literal(template)
            ),
        ))
        .await?
        .map(|row| row.try_get_by_index::<bool>(0))
        .transpose()?;
    match existing {
        Some(true) => return Ok(()),
        Some(false) => {
            tracing::info!("dropping the half-built template {template}");
            admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    ident(template)
                ))
                .await?;
        }
        None => {}
    }
    let started = std::time::Instant::now();
    if let Some(model) = spec.model {
        // The file lock can be held for minutes by another suite's provisioning; when the
        // roles exist, only passwords may change, and then nothing races on creation.
        let missing = missing_roles(admin, model).await?;
        let _lock = if shared && missing {
            Some(cluster_lock()?)
        } else {
            None
        };
        create_roles(admin, model, template, &spec.passwords).await?;
    }
    let owner_clause = match owner {
        Some((role, _)) => format!(" OWNER {}", ident(role)),
        None => String::new(),
    };
    admin
        .execute_unprepared(&format!(
            "CREATE DATABASE {}{owner_clause} TEMPLATE template0",
            ident(template)
        ))
        .await
        .with_context(|| format!("cannot create the template database {template}"))?;
    let template_admin_url = schemactl::db::with_database(admin_url, template)?;
    if let Some(model) = spec.model.filter(|m| !m.extensions.is_empty()) {
        // Extensions such as pgvector are not trusted: the admin creates them, as
        // `schemactl provision` does, before the owner's migrations need them.
        let conn = connect_once(&template_admin_url).await?;
        for extension in &model.extensions {
            conn.execute_unprepared(&format!(
                "CREATE EXTENSION IF NOT EXISTS {}",
                ident(extension)
            ))
            .await
            .with_context(|| format!("cannot create the extension {extension}"))?;
        }
        conn.close().await.ok();
    }
    if let Some((migrate, _)) = spec.migrate {
        let url = match owner {
            Some((role, password)) => {
                schemactl::db::with_credentials(&template_admin_url, role, password)?
            }
            None => template_admin_url.clone(),
        };
        let conn = connect_once(&url).await?;
        migrate(&conn)
            .await
            .context("the migrations failed in the template database")?;
        conn.close().await.ok();
    }
    // Clones fail while anyone is connected to the template; forbidding connections
    // keeps a stray session (a developer's psql) from breaking every test.
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false",
            ident(template)
        ))
        .await?;
    tracing::info!(
        "built the template database {template} in {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}

/// The model's roles, memberships and passwords, without the model's database: the
/// cluster phase of `schemactl provision`, minus its database steps.
async fn create_roles(
    admin: &DatabaseConnection,
    model: &Model,
    database: &str,
    passwords: &BTreeMap<String, String>,
) -> anyhow::Result<()> {
    use schemactl::provision::cluster;
    let steps: Vec<cluster::ClusterStep> =
        cluster::plan_cluster(admin, model, database, passwords, false)
            .await?
            .into_iter()
            .filter(|step| step.kind != "database" && step.object != database)
            .collect();
    let mut summary = schemactl::provision::summary::Summary::default();
    cluster::execute_cluster(admin, &steps, &mut summary).await
}

async fn missing_roles(admin: &DatabaseConnection, model: &Model) -> anyhow::Result<bool> {
    if model.roles.is_empty() {
        return Ok(false);
    }
    let names: Vec<String> = model.roles.keys().map(|r| literal(r)).collect();
    let row = admin
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT count(*) FROM pg_roles WHERE rolname IN ({})",
                names.join(", ")
            ),
        ))
        .await?
        .context("no row from count(*)")?;
    let found: i64 = row.try_get_by_index(0)?;
    Ok(usize::try_from(found).unwrap_or(0) < model.roles.len())
}

/// The lock file this repository's tests hold while creating roles: roles are
/// cluster-wide, and two processes creating one role at once would race.
struct ClusterLock {
    _file: std::fs::File,
}

fn cluster_lock() -> anyhow::Result<ClusterLock> {
    let dir = schemactl::local::workspace_root().join("target");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("schemactl-tests.lock");
    let file =
        std::fs::File::create(&path).with_context(|| format!("cannot open {}", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock {}", path.display()))?;
    Ok(ClusterLock { _file: file })
}
