//! Throwaway PostgreSQL databases for test suites that check migrations.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! let db = testkit::TestDatabase::start().await?;
//! // db.url(), db.conn(): a database of its own, dropped with `db`.
//! testkit::assert_migrations_roundtrip::<migration::Migrator>(&db, "schema.yaml").await?;
//! # Ok(())
//! # }
//! ```
//!
//! The backend comes from `SCHEMACTL_TEST_BACKEND` (`server`, `docker` or `local`), else:
//! `server` when `SCHEMACTL_TEST_DATABASE_URL` is set, `docker` when `SCHEMACTL_TEST_IMAGE`
//! is set, `local` when the project-local binaries are installed, else `docker` with the
//! public image [`DEFAULT_IMAGE`].
//!
//! Whatever the backend, every test database is cloned from a template database
//! (`schemactl_template_<hash>`) that holds the model's roles (cluster-wide), extensions
//! and, when asked, the applied migrations: cloning is much faster than building.

mod assert;
mod backend;
mod template;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use sea_orm_migration::MigratorTrait;

pub use assert::{apply_seed_rows, assert_migrations_roundtrip, assert_no_drift, leftovers};
pub use backend::{Backend, DEFAULT_IMAGE};
use schemactl::local::LocalServer;

/// Selects the backend: `server`, `docker` or `local`.
pub const BACKEND_ENV: &str = "SCHEMACTL_TEST_BACKEND";
/// Admin URL of an existing server for the `server` backend.
pub const DATABASE_URL_ENV: &str = "SCHEMACTL_TEST_DATABASE_URL";
/// Image (`name:tag`) for the `docker` backend.
pub const IMAGE_ENV: &str = "SCHEMACTL_TEST_IMAGE";
/// Model file; the default is `schema.yaml` in the workspace root.
pub const MODEL_ENV: &str = "SCHEMACTL_TEST_MODEL";

/// Prefix of every per-test database, so that leftovers of a killed run are easy to find.
pub const DATABASE_PREFIX: &str = "schemactl_test_";

/// Migrates a template database; a function pointer so that the builder needs no type
/// parameter.
type MigrateFn = for<'a> fn(
    &'a DatabaseConnection,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(), sea_orm::DbErr>> + Send + 'a>,
>;

fn migrate_up<M: MigratorTrait + 'static>(
    conn: &DatabaseConnection,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sea_orm::DbErr>> + Send + '_>> {
    Box::pin(M::up(conn, None))
}

/// How to make a [`TestDatabase`]; [`TestDatabase::start`] uses the defaults.
#[derive(Clone, Default)]
pub struct Builder {
    backend: Option<Backend>,
    model: Option<PathBuf>,
    passwords: BTreeMap<String, String>,
    local: Option<LocalServer>,
    image: Option<String>,
    server_url: Option<String>,
    migrate: Option<(MigrateFn, Vec<String>)>,
    fingerprint: Vec<PathBuf>,
}

impl Builder {
    /// Overrides `SCHEMACTL_TEST_BACKEND` and the automatic choice.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = Some(backend);
        self
    }

    /// The model whose roles and extensions the template gets (default: `SCHEMACTL_TEST_MODEL`,
    /// else `schema.yaml` in the workspace root, else none: a bare database).
    pub fn model(mut self, path: impl Into<PathBuf>) -> Self {
        self.model = Some(path.into());
        self
    }

    /// A role's password. Roles without one here read the environment variable the model
    /// names, else get `testkit-<role>`. On a shared server an existing role's password is
    /// reset to this one, as `schemactl provision` does.
    pub fn password(mut self, role: &str, password: &str) -> Self {
        self.passwords
            .insert(role.to_string(), password.to_string());
        self
    }

    /// The `local` backend's cluster, e.g. a PostgreSQL 16 one; implies that backend.
    pub fn local_server(mut self, server: LocalServer) -> Self {
        self.local = Some(server);
        self.backend = Some(Backend::Local);
        self
    }

    /// The `server` backend's admin URL, overriding `SCHEMACTL_TEST_DATABASE_URL`; implies
    /// that backend.
    pub fn server_url(mut self, url: &str) -> Self {
        self.server_url = Some(url.to_string());
        self.backend = Some(Backend::Server);
        self
    }

    /// The `docker` backend's image, overriding `SCHEMACTL_TEST_IMAGE`.
    pub fn image(mut self, image: &str) -> Self {
        self.image = Some(image.to_string());
        self
    }

    /// Applies `M`'s migrations in the template, so every test database starts migrated.
    /// The template is rebuilt when the migration names or the files given to
    /// [`Builder::fingerprint`] change.
    pub fn migrated<M: MigratorTrait + 'static>(mut self) -> Self {
        let names = M::migrations()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        self.migrate = Some((migrate_up::<M>, names));
        self
    }

    /// Files or directories whose content is part of the template's identity (typically
    /// the migration crate), so that editing a migration in place rebuilds the template.
    pub fn fingerprint(mut self, path: impl Into<PathBuf>) -> Self {
        self.fingerprint.push(path.into());
        self
    }

    pub async fn start(self) -> anyhow::Result<TestDatabase> {
        let started = std::time::Instant::now();
        let model_path = match &self.model {
            Some(path) => Some(path.clone()),
            None => default_model(),
        };
        let model = match &model_path {
            Some(path) => Some(load_model(path)?),
            None => None,
        };
        let backend = match self.backend {
            Some(backend) => backend,
            None => Backend::from_env()?,
        };
        let server = backend::start(
            backend,
            self.local.clone(),
            self.image.clone(),
            self.server_url.clone(),
        )
        .await?;
        let spec = template::Spec {
            model: model.as_ref(),
            model_text: match &model_path {
                Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
                None => String::new(),
            },
            passwords: template::passwords(model.as_ref(), &self.passwords),
            migrate: self.migrate.as_ref(),
            fingerprint: &self.fingerprint,
        };
        let prepared = template::ensure(&server.admin_url, &spec, server.shared)
            .await
            .with_context(|| {
                format!(
                    "cannot prepare the template database on {}",
                    schemactl::db::redact(&server.admin_url)
                )
            })?;
        let name = unique_name();
        let admin = connect_once(&server.admin_url).await?;
        let owner = match &prepared.owner {
            Some((role, _)) => format!(" OWNER {}", schemactl::sql::ident(role)),
            None => String::new(),
        };
        admin
            .execute_unprepared(&format!(
                "CREATE DATABASE {} TEMPLATE {}{owner}",
                schemactl::sql::ident(&name),
                schemactl::sql::ident(&prepared.template)
            ))
            .await
            .with_context(|| format!("cannot create the test database {name}"))?;
        admin.close().await.ok();
        let admin_url = schemactl::db::with_database(&server.admin_url, &name)?;
        let url = match &prepared.owner {
            Some((role, password)) => schemactl::db::with_credentials(&admin_url, role, password)?,
            None => admin_url.clone(),
        };
        let mut cleanup = Cleanup {
            server_admin_url: server.admin_url.clone(),
            database: name.clone(),
            drop_database: server.container.is_none(),
        };
        let conn = match connect_pool(&url).await {
            Ok(conn) => conn,
            Err(err) => {
                cleanup.run();
                cleanup.drop_database = false;
                return Err(err);
            }
        };
        tracing::debug!(
            database = %name,
            backend = ?backend,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "test database ready"
        );
        Ok(TestDatabase {
            name,
            url,
            admin_url,
            backend,
            model: model_path,
            conn: Some(conn),
            cleanup,
            _container: server.container,
        })
    }
}

/// A database of its own for one test, dropped (with its container, if any) on drop.
pub struct TestDatabase {
    name: String,
    url: String,
    admin_url: String,
    backend: Backend,
    model: Option<PathBuf>,
    conn: Option<DatabaseConnection>,
    cleanup: Cleanup,
    // Dropped after `cleanup` ran: the database lives in it.
    _container: Option<backend::Container>,
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("name", &self.name)
            .field("url", &schemactl::db::redact(&self.url))
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl TestDatabase {
    /// A database from the backend the environment selects, with the default model.
    pub async fn start() -> anyhow::Result<TestDatabase> {
        Builder::default().start().await
    }

    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Connection URL, logged in as the model's database owner when the model has one
    /// (migrations should run as the owner), else as the admin.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The same database as the server's admin (a superuser on the docker and local
    /// backends); `schemactl::upgrade::plan` needs it for its scratch database.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// A pool connected as [`TestDatabase::url`].
    pub fn conn(&self) -> &DatabaseConnection {
        // Only `Drop` takes it.
        self.conn.as_ref().unwrap_or_else(|| unreachable!())
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The model file the template was built from, if any.
    pub fn model_path(&self) -> Option<&Path> {
        self.model.as_deref()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Close our sessions first: DROP ... WITH (FORCE) would kill them anyway, but a
        // pool that sees its connections die may log noise into the test output.
        drop(self.conn.take());
        self.cleanup.run();
    }
}

struct Cleanup {
    server_admin_url: String,
    database: String,
    drop_database: bool,
}

impl Cleanup {
    /// Drops the database from a thread with its own runtime: `Drop` cannot await, and
    /// blocking on the test's runtime would deadlock a current-thread one.
    fn run(&mut self) {
        if !std::mem::take(&mut self.drop_database) {
            return;
        }
        let url = self.server_admin_url.clone();
        let database = self.database.clone();
        let worker = std::thread::spawn(move || -> anyhow::Result<()> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = connect_once(&url).await?;
                admin
                    .execute_unprepared(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        schemactl::sql::ident(&database)
                    ))
                    .await?;
                admin.close().await.ok();
                Ok(())
            })
        });
        match worker.join() {
            Ok(Ok(())) => {}
            Ok(Err(err)) => eprintln!(
                "testkit: could not drop the test database {}: {err:#}",
                self.database
            ),
            Err(_) => eprintln!(
                "testkit: the cleanup of the test database {} panicked",
                self.database
            ),
        }
    }
}

/// Unique across threads (the counter), processes (the pid) and machines sharing one
/// server (the random suffix).
fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "{DATABASE_PREFIX}{}_{}_{:06x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        fastrand::u32(..0x100_0000)
    )
}

fn default_model() -> Option<PathBuf> {
    if let Ok(path) = std::env::var(MODEL_ENV) {
        return Some(PathBuf::from(path));
    }
    let path = schemactl::local::workspace_root().join("schema.yaml");
    path.is_file().then_some(path)
}

pub(crate) fn load_model(path: &Path) -> anyhow::Result<schemactl::model::Model> {
    match schemactl::load::load_file(path)? {
        Ok(loaded) => Ok(loaded.model),
        Err((source, diagnostics)) => anyhow::bail!(
            "the model {} is invalid:\n{}",
            path.display(),
            schemactl::diag::render_all(&diagnostics, &source)
        ),
    }
}

/// One session, for administrative statements (`CREATE DATABASE` cannot share a pool's
/// transaction-less connection handling with anything else, and one is all they need).
pub(crate) async fn connect_once(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(1)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to {}", schemactl::db::redact(url)))
}

async fn connect_pool(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(5)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to {}", schemactl::db::redact(url)))
}
