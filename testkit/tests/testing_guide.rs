// tests/migrations.rs
use migration::Migrator;
use testkit::TestDatabase;

#[tokio::test]
async fn migrations_roundtrip() -> anyhow::Result<()> {
    let db = TestDatabase::start().await?;
    // up, no drift from schema.yaml, down to an empty schema, up again (and no drift).
    testkit::assert_migrations_roundtrip::<Migrator>(&db, "../schema.yaml").await
}

#[tokio::test]
async fn queries_against_a_migrated_database() -> anyhow::Result<()> {
    // The template gets the migrations once; every test clones it (tens of ms).
    let db = TestDatabase::builder()
        .migrated::<Migrator>()
        .fingerprint("../migration") // edits to migrations rebuild the template
        .start()
        .await?;
    let model = schemactl::load::load_file("../schema.yaml".as_ref())?
        .map_err(|_| anyhow::anyhow!("invalid model"))?
        .model;
    testkit::apply_seed_rows(&db, &model).await?;
    // db.conn() is a SeaORM DatabaseConnection logged in as the model's database owner;
    // db.url() is its URL, db.admin_url() the same database as the admin.
    testkit::assert_no_drift(&db, "../schema.yaml").await
}
