//! `provision` against the real project-local PostgreSQL 18: idempotence, --recreate, and
//! every kind of object checked through the catalog and through behaviour.

use crate::common_pg;

use common_pg::*;
use sea_orm::TransactionTrait;

#[tokio::test]
async fn fresh_provision_then_second_run_changes_nothing() {
    let db = unique("t_prov_idem");
    drop_database(&db).await;
    let first = provision(&db);
    let summary = stdout(&first);
    assert!(
        summary.contains("created:"),
        "first run reports what it created:\n{summary}"
    );

    let conn = connect(&db_url(&db)).await;
    let tables = scalar_i64(
        &conn,
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname IN ('steam', 'ims', 'streaming') AND c.relkind IN ('r', 'p') \
         AND NOT c.relispartition",
    )
    .await;
    assert_eq!(tables, 27, "12 steam + 12 ims + 3 streaming tables");
    let partitions = scalar_i64(
        &conn,
        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'ims.crawl_sessions'::regclass",
    )
    .await;
    assert_eq!(partitions, 13, "12 monthly partitions and the default");
    let ims_indexes = scalar_i64(
        &conn,
        "SELECT count(*) FROM pg_indexes WHERE schemaname = 'ims'",
    )
    .await;
    assert!(
        ims_indexes >= 40,
        "ims has 40+ indexes, found {ims_indexes}"
    );
    let functions = strings(
        &conn,
        "SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'ims' ORDER BY 1",
    )
    .await;
    assert_eq!(functions.len(), 7, "{functions:?}");
    let owner = scalar_string(
        &conn,
        "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'steam.applications'::regclass",
    )
    .await;
    assert_eq!(owner, "app_owner", "objects belong to the database owner");
    drop(conn);

    let before = schema_dump(&db);
    let second = provision(&db);
    let summary = stdout(&second);
    assert!(
        summary.contains("no change"),
        "second run says it changed nothing:\n{summary}"
    );
    assert!(!summary.contains("created:"), "{summary}");
    assert_eq!(
        before,
        schema_dump(&db),
        "pg_dump --schema-only identical after a second run"
    );
    drop_database(&db).await;
}

#[tokio::test]
async fn recreate_without_yes_on_a_non_terminal_is_refused() {
    let db = unique("t_prov_refuse");
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    exec(
        &conn,
        "CREATE TABLE public.marker (id int); INSERT INTO public.marker VALUES (1)",
    )
    .await;
    drop(conn);

    let output = schemactl(&schema_path(), &["provision", &db, "--recreate"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--yes"), "{}", stderr(&output));
    let conn = connect(&db_url(&db)).await;
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM public.marker").await,
        1,
        "nothing dropped"
    );
    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn recreate_with_yes_rebuilds_the_database() {
    let db = unique("t_prov_recreate");
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    exec(&conn, "CREATE TABLE public.marker (id int)").await;
    exec(&conn, "DELETE FROM ims.issue_comments").await;
    drop(conn);

    let output = schemactl(&schema_path(), &["provision", &db, "--recreate", "--yes"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let conn = connect(&db_url(&db)).await;
    let marker = scalar_i64(
        &conn,
        "SELECT count(*) FROM pg_class WHERE relname = 'marker'",
    )
    .await;
    assert_eq!(marker, 0, "the old database is gone");
    let comments = scalar_i64(&conn, "SELECT count(*) FROM ims.issue_comments").await;
    assert_eq!(comments, 2, "seed rows are back");
    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn dry_run_prints_statements_and_changes_nothing() {
    let db = unique("t_prov_dry");
    drop_database(&db).await;
    let output = schemactl(&schema_path(), &["provision", &db, "--dry-run"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains("CREATE DATABASE"), "{printed}");
    assert!(printed.contains("CREATE TABLE steam.applications"));
    assert!(
        !printed.contains("testkit-app_owner"),
        "passwords are never printed"
    );
    assert!(!database_exists(&db).await, "a dry run creates nothing");
}

#[tokio::test]
async fn objects_behave() {
    let db = unique("t_prov_behaviour");
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    let txn = conn.begin().await.unwrap();

    // HNSW: a nearest-neighbour query uses the index.
    exec(
        &txn,
        "INSERT INTO steam.applications (appid, name, short_description, description_embedding) \
         SELECT g, 'App ' || g, 'Short ' || g, \
                (SELECT array_agg(random())::real[]::vector(384) FROM generate_series(1, 384) WHERE g > 0) \
         FROM generate_series(1, 200) g",
    )
    .await;
    exec(&txn, "ANALYZE steam.applications").await;
    exec(&txn, "SET LOCAL enable_seqscan = off").await;
    let plan = strings(
        &txn,
        "EXPLAIN SELECT appid FROM steam.applications \
         ORDER BY description_embedding <=> (SELECT description_embedding FROM steam.applications WHERE appid = 7) LIMIT 5",
    )
    .await
    .join("\n");
    assert!(
        plan.contains("idx_applications_description_embedding"),
        "{plan}"
    );

    // The generated column is computed.
    let combined = scalar_string(
        &txn,
        "SELECT combined_text FROM steam.applications WHERE appid = 3",
    )
    .await;
    assert_eq!(combined, "App 3 Short 3 ");

    // Partition routing: a month's row lands in its partition, an out-of-range row in the default.
    exec(
        &txn,
        "INSERT INTO ims.crawl_sessions (session_id, user_id, query_text, started_at) VALUES \
         (1001, 1, 'march', '2026-03-15 10:00+00'), (1002, 1, 'far future', '2031-01-01 00:00+00')",
    )
    .await;
    let placed = strings(
        &txn,
        "SELECT tableoid::regclass::text FROM ims.crawl_sessions WHERE session_id IN (1001, 1002) ORDER BY session_id",
    )
    .await;
    assert_eq!(
        placed,
        ["ims.crawl_sessions_2026_03", "ims.crawl_sessions_default"]
    );

    // Triggers maintain updated_at, overriding what the statement wrote.
    exec(
        &txn,
        "UPDATE ims.users SET updated_at = '2000-01-01', display_name = 'Admin' WHERE user_id = 1",
    )
    .await;
    let updated = scalar_i64(
        &txn,
        "SELECT (updated_at > '2020-01-01')::int::bigint FROM ims.users WHERE user_id = 1",
    )
    .await;
    assert_eq!(updated, 1, "the trigger set updated_at to now()");

    // search_issues ranks the seeded issue first; get_database_stats answers.
    let found = strings(
        &txn,
        "SELECT issue_id::text FROM ims.search_issues('connection timeout')",
    )
    .await;
    assert!(!found.is_empty(), "search_issues finds the seeded issue");
    let ranks = scalar_i64(
        &txn,
        "SELECT count(*) FROM ims.search_issues('connection timeout') WHERE rank > 0",
    )
    .await;
    assert_eq!(
        ranks as usize,
        found.len(),
        "every hit carries a positive rank"
    );
    let apps = scalar_i64(
        &txn,
        "SELECT value FROM steam.get_database_stats() WHERE metric = 'applications'",
    )
    .await;
    assert_eq!(apps, 200);
    txn.rollback().await.unwrap();
    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn materialized_views_refresh_concurrently() {
    let db = unique("t_prov_mv");
    provision(&db);
    let conn = connect_as(&db, "app_owner", password("APP_OWNER_PASSWORD")).await;
    exec(
        &conn,
        "INSERT INTO steam.developers (name) VALUES ('Valve'); \
         INSERT INTO steam.applications (appid, name, type) VALUES (10, 'Counter-Strike', 'game'); \
         INSERT INTO steam.application_developers (appid, developer_id) \
         SELECT 10, developer_id FROM steam.developers WHERE name = 'Valve'",
    )
    .await;
    let before = scalar_i64(&conn, "SELECT count(*) FROM steam.developer_analytics").await;
    exec(
        &conn,
        "REFRESH MATERIALIZED VIEW CONCURRENTLY steam.developer_analytics",
    )
    .await;
    let after = scalar_i64(&conn, "SELECT count(*) FROM steam.developer_analytics").await;
    assert_eq!(
        (before, after),
        (0, 1),
        "the refresh picked up the new developer"
    );
    exec(&conn, "SELECT ims.refresh_materialized_views()").await;
    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn row_level_security_as_each_role() {
    let db = unique("t_prov_rls");
    provision(&db);

    // An IMS user sees and changes only their own rows.
    let user = connect_as(&db, "ims_user", password("IMS_USER_PASSWORD")).await;
    exec(&user, "SELECT ims.set_current_user(2)").await;
    let visible = strings(
        &user,
        "SELECT DISTINCT user_id::text FROM ims.crawl_sessions",
    )
    .await;
    assert_eq!(visible, ["2"], "only user 2's sessions");
    let users = scalar_i64(&user, "SELECT count(*) FROM ims.users").await;
    assert_eq!(users, 1, "a user sees only their own account");
    let err = exec_err(
        &user,
        "INSERT INTO ims.crawl_sessions (user_id, query_text, started_at) VALUES (3, 'not mine', '2026-02-01')",
    )
    .await;
    assert!(err.contains("row-level security"), "{err}");
    exec(
        &user,
        "INSERT INTO ims.crawl_sessions (user_id, query_text, started_at) VALUES (2, 'mine', '2026-02-01')",
    )
    .await;
    let changed = scalar_i64(
        &user,
        "WITH u AS (UPDATE ims.crawl_sessions SET status = 'cancelled' WHERE user_id = 3 RETURNING 1) SELECT count(*) FROM u",
    )
    .await;
    assert_eq!(changed, 0, "another user's rows cannot be updated");
    drop(user);

    // Readonly reads everything and writes nothing.
    let readonly = connect_as(&db, "ims_readonly", password("IMS_READONLY_PASSWORD")).await;
    let all_users = scalar_i64(&readonly, "SELECT count(*) FROM ims.users").await;
    assert_eq!(all_users, 3);
    let sessions = scalar_i64(&readonly, "SELECT count(*) FROM ims.crawl_sessions").await;
    assert_eq!(sessions, 2, "the seeded session and the user's new one");
    let err = exec_err(&readonly, "UPDATE ims.users SET display_name = 'x'").await;
    assert!(err.contains("permission denied"), "{err}");
    let err = exec_err(&readonly, "DELETE FROM ims.issues").await;
    assert!(err.contains("permission denied"), "{err}");
    drop(readonly);

    // Admin does everything.
    let admin = connect_as(&db, "ims_admin", password("IMS_ADMIN_PASSWORD")).await;
    exec(&admin, "UPDATE ims.users SET display_name = display_name").await;
    exec(
        &admin,
        "INSERT INTO ims.crawl_sessions (user_id, query_text, started_at) VALUES (3, 'admin for analyst', '2026-05-01')",
    )
    .await;
    let seen = scalar_i64(&admin, "SELECT count(*) FROM ims.crawl_sessions").await;
    assert_eq!(seen, 3);
    exec(
        &admin,
        "DELETE FROM ims.crawl_sessions WHERE query_text = 'admin for analyst'",
    )
    .await;
    drop(admin);
    drop_database(&db).await;
}

/// The README's first command, `schemactl provision` with no server configured, goes to
/// the project-local cluster: here the test cluster, aimed at through SCHEMACTL_LOCAL_DIR
/// and SCHEMACTL_LOCAL_PORT as a developer would aim at another, so the developer's own
/// cluster is left alone. It provisions the model's database, `gamedata`.
#[tokio::test]
async fn readme_provision_without_a_server_uses_the_local_cluster() {
    let test_cluster = schemactl::local::LocalServer::tests_pg18().unwrap();
    admin_url(); // started, as the README's run would start it
    let database = TestDb::named("gamedata");
    drop_database(&database).await;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_schemactl"));
    command
        .arg("provision")
        .current_dir(workspace())
        .stdin(std::process::Stdio::null())
        .env_remove("SCHEMACTL_ADMIN_URL")
        .env_remove("SCHEMACTL_SCHEMA")
        .env(schemactl::local::DIR_ENV, schemactl::local::TEST_DIR)
        .env(schemactl::local::PORT_ENV, test_cluster.port().to_string());
    for (var, value) in PASSWORDS {
        command.env(var, value);
    }
    let output = {
        let _lock = cluster_lock();
        command.output().unwrap()
    };
    assert!(output.status.success(), "{}", stderr(&output));
    let conn = connect(&db_url(&database)).await;
    let tables = scalar_i64(
        &conn,
        "SELECT count(*) FROM pg_tables WHERE schemaname IN ('steam', 'ims', 'streaming')",
    )
    .await;
    assert!(tables >= 27, "{tables} tables");
    drop(conn);
}
