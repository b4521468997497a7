//! `schemactl seed --fake`: exact counts, no orphans, and repeated runs that keep growing.

use crate::common_pg;

use common_pg::*;

fn fake(db: &str, spec: &str) -> (bool, String, String) {
    let url = db_url(db);
    let out = schemactl(
        &schema_path(),
        &["seed", "--database-url", &url, "--fake", spec],
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(&out),
    )
}

const ORPHANS: &str = "SELECT
    (SELECT count(*) FROM streaming.transactions t WHERE NOT EXISTS (SELECT 1 FROM streaming.users u WHERE u.user_id = t.user_id) AND t.user_id IS NOT NULL)
  + (SELECT count(*) FROM streaming.detailed_transactions d WHERE NOT EXISTS (SELECT 1 FROM streaming.transactions t WHERE t.transaction_id = d.transaction_id) AND d.transaction_id IS NOT NULL)
  + (SELECT count(*) FROM streaming.detailed_transactions d WHERE NOT EXISTS (SELECT 1 FROM streaming.users u WHERE u.user_id = d.user_id) AND d.user_id IS NOT NULL)";

/// Every index and foreign key of the streaming schema: a large load sets some aside and
/// must put them back exactly.
const DEFINITIONS: &str = "SELECT string_agg(d, E'\\n' ORDER BY d) FROM (
    SELECT pg_get_indexdef(i.indexrelid) AS d
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     WHERE c.relnamespace = 'streaming'::regnamespace AND i.indisvalid AND i.indisready
    UNION ALL
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
      FROM pg_constraint WHERE connamespace = 'streaming'::regnamespace) s";

#[tokio::test]
async fn streaming_loads_grow_exactly_without_orphans() {
    let db = unique("seed_fake");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    let definitions = scalar_string(&conn, DEFINITIONS).await;

    // Children alone cannot point anywhere yet.
    let (ok, _, err) = fake(&db, "streaming.transactions=5");
    assert!(!ok);
    assert!(err.contains("add streaming.users=N"), "{err}");

    for run in 1..=3_i64 {
        let (ok, out, err) = fake(
            &db,
            "streaming.detailed_transactions=100,streaming.users=10,streaming.transactions=30",
        );
        assert!(ok, "run {run}: {err}");
        assert!(
            out.contains("added 100 synthetic row(s) to streaming.detailed_transactions"),
            "{out}"
        );
        assert_eq!(
            scalar_i64(&conn, "SELECT count(*) FROM streaming.users").await,
            10 * run
        );
        assert_eq!(
            scalar_i64(&conn, "SELECT count(*) FROM streaming.transactions").await,
            30 * run
        );
        assert_eq!(
            scalar_i64(
                &conn,
                "SELECT count(*) FROM streaming.detailed_transactions"
            )
            .await,
            100 * run
        );
        assert_eq!(scalar_i64(&conn, ORPHANS).await, 0);
        assert_eq!(scalar_string(&conn, DEFINITIONS).await, definitions);
    }
    // Later runs reference earlier parents too, and nullable columns are sometimes NULL.
    assert!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM streaming.users WHERE email IS NULL OR city IS NULL"
        )
        .await
            > 0
    );
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT max(id)::bigint FROM streaming.detailed_transactions"
        )
        .await,
        300
    );
    assert!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM streaming.users WHERE age < 0 OR email NOT LIKE '%@%'"
        )
        .await
            == 0
    );
    // Children alone now point at existing parents.
    let (ok, _, err) = fake(&db, "streaming.detailed_transactions=50");
    assert!(ok, "{err}");
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM streaming.detailed_transactions"
        )
        .await,
        350
    );
    assert_eq!(scalar_i64(&conn, ORPHANS).await, 0);
    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn steam_tables_respect_enums_checks_and_unique_keys() {
    let db = unique("seed_fake_steam");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    for _ in 0..2 {
        let (ok, _, err) = fake(
            &db,
            "steam.applications=40,steam.developers=5,steam.application_developers=60,steam.reviews=100",
        );
        assert!(ok, "{err}");
    }
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.applications").await,
        80
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.developers").await,
        10
    );
    // Pairs are unique even though both sides are picked.
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.application_developers").await,
        120
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.reviews").await,
        200
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.reviews r WHERE NOT EXISTS (SELECT 1 FROM steam.applications a WHERE a.appid = r.appid)").await,
        0
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.applications WHERE metacritic_score NOT BETWEEN 0 AND 100 OR required_age < 0").await,
        0
    );
    assert!(scalar_i64(&conn, "SELECT count(DISTINCT type) FROM steam.applications").await > 3);
    drop(conn);
    drop_database(&db).await;
}

/// A large synthetic load (bulk mode: the child's foreign keys are set aside and added
/// back, which makes the server validate every row): the engine's own foreign keys exist
/// afterwards, are validated, hold for every row, and still refuse a row that points
/// nowhere.
#[tokio::test]
async fn large_fake_loads_satisfy_the_engines_foreign_keys() {
    let db = unique("seed_fake_big");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    let (ok, _, err) = fake(&db, "streaming.users=2000,streaming.transactions=20000");
    assert!(ok, "{err}");
    let (ok, out, err) = fake(&db, "streaming.detailed_transactions=200000");
    assert!(ok, "{err}");
    assert!(
        out.contains("added 200000 synthetic row(s) to streaming.detailed_transactions"),
        "{out}"
    );
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM streaming.detailed_transactions"
        )
        .await,
        200_000
    );
    // Both foreign keys are there and validated by the server.
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'streaming.detailed_transactions'::regclass
               AND contype = 'f' AND convalidated"
        )
        .await,
        2
    );
    assert_eq!(scalar_i64(&conn, ORPHANS).await, 0);
    // Most rows point somewhere (a nullable key is NULL now and then, as in real data).
    assert!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM streaming.detailed_transactions WHERE transaction_id IS NOT NULL AND user_id IS NOT NULL"
        )
        .await
            > 150_000
    );
    let refused = exec_err(
        &conn,
        "INSERT INTO streaming.detailed_transactions (transaction_id) VALUES ('99999999-0000-4000-8000-000000000000')",
    )
    .await;
    assert!(refused.contains("foreign key"), "{refused}");
    drop(conn);
    drop_database(&db).await;
}
