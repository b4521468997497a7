#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]
//! The Steam sample through `steam-import`: a deterministic generator and the two-pass
//! import, which is all-or-nothing, against the repository's model on real PostgreSQL.

mod common;

use std::path::PathBuf;

use common::*;

fn sample(name: &str, args: &[&str]) -> PathBuf {
    let dir = workspace()
        .join("target")
        .join("seed-steam-tests")
        .join(std::process::id().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut all = vec!["generate", "-o", path.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = steam_import(&all);
    assert!(out.status.success(), "{}", stderr(&out));
    path
}

fn import(db: &str, path: &std::path::Path) -> (bool, String, String) {
    let url = db_url(db);
    let schema = schema_path();
    let out = steam_import(&[
        "import",
        path.to_str().unwrap(),
        "--schema",
        schema.to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(&out),
    )
}

/// Every index and constraint of the steam schema, as the server would recreate them: a
/// large import sets some aside and must put them back exactly, or not at all.
const DEFINITIONS: &str = "SELECT string_agg(d, E'\\n' ORDER BY d) FROM (
    SELECT pg_get_indexdef(i.indexrelid) || coalesce(' -- ' || obj_description(i.indexrelid, 'pg_class'), '') AS d
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     WHERE c.relnamespace = 'steam'::regnamespace AND i.indisvalid AND i.indisready
    UNION ALL
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
      FROM pg_constraint WHERE connamespace = 'steam'::regnamespace) s";

const COUNTS: &str = "SELECT (SELECT count(*) FROM steam.applications) * 1000000000
    + (SELECT count(*) FROM steam.reviews) * 10000 + (SELECT count(*) FROM steam.developers)";

#[tokio::test]
async fn imports_the_default_sample_twice_with_the_same_result() {
    let db = unique("seed_steam");
    provision(&db);
    let path = sample("sample.json", &[]);
    let again = sample("sample_again.json", &[]);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&again).unwrap(),
        "same seed, same file"
    );

    let conn = connect(&db_url(&db)).await;
    let definitions = scalar_string(&conn, DEFINITIONS).await;
    let (ok, out, err) = import(&db, &path);
    assert!(ok, "{err}");
    assert_eq!(scalar_string(&conn, DEFINITIONS).await, definitions);
    assert!(
        out.contains("Total Applications:") && out.contains("8,711"),
        "{out}"
    );
    assert!(
        out.contains("Total Reviews:") && out.contains("36,265"),
        "{out}"
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.applications").await,
        8711
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.reviews").await,
        36265
    );
    // Applications by type in the summary match the database.
    let games = scalar_i64(
        &conn,
        "SELECT count(*) FROM steam.applications WHERE type = 'game'",
    )
    .await;
    let games_line = out.lines().find(|l| l.contains("- Games:")).unwrap();
    assert!(
        games_line.ends_with(&steam_example::thousands(games as u64)),
        "{out}"
    );
    assert!(games > 4000, "{games}");
    // BIGINT statistics past the 32-bit range survived.
    assert!(
        scalar_i64(
            &conn,
            "SELECT max(author_playtime_forever) FROM steam.reviews"
        )
        .await
            > i64::from(i32::MAX)
    );
    // Every junction row points at existing rows, and every application has a developer.
    let orphans = scalar_i64(
        &conn,
        "SELECT (SELECT count(*) FROM steam.application_developers j LEFT JOIN steam.developers d USING (developer_id) WHERE d.developer_id IS NULL)
              + (SELECT count(*) FROM steam.application_genres j LEFT JOIN steam.genres g USING (genre_id) WHERE g.genre_id IS NULL)
              + (SELECT count(*) FROM steam.applications a WHERE NOT EXISTS (SELECT 1 FROM steam.application_developers j WHERE j.appid = a.appid))",
    )
    .await;
    assert_eq!(orphans, 0);
    assert!(scalar_i64(&conn, "SELECT count(*) FROM steam.application_categories").await > 8711);
    let price = scalar_i64(
        &conn,
        "SELECT count(*) FROM steam.applications WHERE (price_overview->>'final')::int > 0 AND release_date IS NOT NULL",
    )
    .await;
    assert!(price > 1000, "{price}");

    // A second import updates in place: same counts.
    let before = scalar_i64(&conn, COUNTS).await;
    let (ok, _, err) = import(&db, &path);
    assert!(ok, "{err}");
    assert_eq!(scalar_i64(&conn, COUNTS).await, before);
    assert_eq!(scalar_string(&conn, DEFINITIONS).await, definitions);
    drop(conn);
}

#[tokio::test]
async fn a_corrupt_last_record_leaves_the_database_as_before() {
    let db = unique("seed_steam_fail");
    provision(&db);
    let path = sample(
        "small.json",
        &["--apps", "200", "--reviews", "800", "--seed", "7"],
    );
    let mut apps: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let list = apps.as_array_mut().unwrap();
    let last = list.last_mut().unwrap();
    // Valid JSON and a valid shape; only the database's CHECK (0..100) rejects it, after
    // the lookups and every other row went in.
    last["metacritic"] = serde_json::json!({ "score": 150 });
    last["developers"] = serde_json::json!(["A Brand New Developer"]);
    let corrupt = path.with_file_name("corrupt.json");
    std::fs::write(&corrupt, apps.to_string()).unwrap();

    let conn = connect(&db_url(&db)).await;
    let before = scalar_i64(&conn, COUNTS).await;
    let definitions = scalar_string(&conn, DEFINITIONS).await;
    let (ok, _, err) = import(&db, &corrupt);
    assert!(!ok);
    assert!(err.contains("metacritic_score"), "{err}");
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(scalar_i64(&conn, COUNTS).await, before);
    // The indexes and foreign keys set aside for the load are back, as they were.
    assert_eq!(scalar_string(&conn, DEFINITIONS).await, definitions);
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM steam.developers WHERE name = 'A Brand New Developer'"
        )
        .await,
        0
    );

    // The same file without the bad record imports.
    apps.as_array_mut().unwrap().pop();
    std::fs::write(&corrupt, apps.to_string()).unwrap();
    let (ok, _, err) = import(&db, &corrupt);
    assert!(ok, "{err}");
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.applications").await,
        199
    );
    assert_eq!(scalar_string(&conn, DEFINITIONS).await, definitions);
    drop(conn);
}
