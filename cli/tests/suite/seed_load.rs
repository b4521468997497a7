//! `schemactl load`: files are validated record by record before anything is written, and
//! loaded by COPY in one transaction.

use crate::common_pg;

use std::path::PathBuf;

use common_pg::*;

const U1: &str = "0E2B7C1E-8A4D-4C6B-9E21-5D7A0C9B1F42";
const U2: &str = "7d1f3c5a-1111-4b6b-9e21-000000000002";
const T1: &str = "aaaaaaaa-0000-4000-8000-000000000001";
const T2: &str = "aaaaaaaa-0000-4000-8000-000000000002";

fn write(name: &str, text: &str) -> PathBuf {
    let dir = workspace()
        .join("target")
        .join("seed-load-tests")
        .join(std::process::id().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn load(db: &str, args: &[String]) -> (bool, String, String) {
    let url = db_url(db);
    let mut all: Vec<&str> = vec!["load", "--database-url", &url];
    all.extend(args.iter().map(String::as_str));
    let out = schemactl(&schema_path(), &all);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(&out),
    )
}

fn spec(table: &str, path: &std::path::Path) -> String {
    format!("{table}={}", path.display())
}

fn users_csv() -> PathBuf {
    write(
        "users.csv",
        &format!(
            "user_id,name,email,age,city,registration_date\n\
             {U1},\"Kim, Minjun\",minjun@example.com,34,Seoul,2025-03-01 09:30:00\n\
             {U2},\"Quote \"\"Q\"\" Tab\",,,\"Multi\nline\",2025-03-02T10:00:00\n"
        ),
    )
}

fn transactions_ndjson(amount2: &str, user2: &str) -> PathBuf {
    write(
        "transactions.ndjson",
        &format!(
            "{{\"transaction_id\": \"{T1}\", \"user_id\": \"{}\", \"amount\": 19.99, \"transaction_date\": \"2025-03-05 12:00:00\", \"status\": \"completed\"}}\n\
             {{\"transaction_id\": \"{T2}\", \"user_id\": \"{user2}\", \"amount\": {amount2}, \"status\": null}}\n",
            U1.to_lowercase()
        ),
    )
}

#[tokio::test]
async fn loads_validates_and_rolls_back() {
    let db = unique("seed_load");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;

    // Parents and children in one load: the transactions' user ids resolve against the
    // CSV of users, the line items' against both files.
    let users = users_csv();
    let items = write(
        "items.json",
        &format!(
            "[{{\"transaction_id\": \"{T1}\", \"user_id\": \"{U1}\", \"product_name\": \"Laptop\", \"quantity\": 1, \"unit_price\": \"999.00\"}},\
              {{\"transaction_id\": \"{T2}\", \"user_id\": \"{U2}\", \"product_name\": \"Mouse\", \"quantity\": 2, \"unit_price\": 12.5}}]"
        ),
    );
    let good = transactions_ndjson("5", U2);
    let (ok, out, err) = load(
        &db,
        &[
            spec("streaming.detailed_transactions", &items),
            spec("streaming.transactions", &good),
            spec("streaming.users", &users),
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("loaded 2 row(s) into streaming.users"),
        "{out}"
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM streaming.users").await,
        2
    );
    assert_eq!(
        scalar_string(
            &conn,
            &format!("SELECT name FROM streaming.users WHERE user_id = '{U2}'")
        )
        .await,
        "Quote \"Q\" Tab"
    );
    assert_eq!(
        scalar_string(
            &conn,
            &format!("SELECT city FROM streaming.users WHERE user_id = '{U2}'")
        )
        .await,
        "Multi\nline"
    );
    assert_eq!(
        scalar_i64(&conn, &format!("SELECT count(*) FROM streaming.users WHERE user_id = '{U2}' AND email IS NULL AND age IS NULL")).await,
        1
    );
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT registration_date::text FROM streaming.users WHERE age = 34"
        )
        .await,
        "2025-03-01 09:30:00"
    );
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT sum(quantity * unit_price)::text FROM streaming.detailed_transactions"
        )
        .await,
        "1024.00"
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM streaming.detailed_transactions WHERE id IS NOT NULL AND created_at IS NOT NULL").await,
        2
    );

    // A bad value in the last record: the file, record and column are named, and
    // nothing of either file is loaded.
    let more_users = write(
        "more_users.csv",
        "user_id,name\n11111111-2222-4333-8444-555555555555,New person\n",
    );
    let bad = write(
        "bad.ndjson",
        &format!(
            "{{\"transaction_id\": \"bbbbbbbb-0000-4000-8000-000000000001\", \"user_id\": \"{U2}\", \"amount\": 1}}\n\
             {{\"transaction_id\": \"bbbbbbbb-0000-4000-8000-000000000002\", \"user_id\": \"{U2}\", \"amount\": \"12x\"}}\n"
        ),
    );
    let (ok, _, err) = load(
        &db,
        &[
            spec("streaming.users", &more_users),
            spec("streaming.transactions", &bad),
        ],
    );
    assert!(!ok);
    // Line 2, where the "amount" key is, of the file.
    assert!(
        err.contains("bad.ndjson:2:111: record 2, column amount"),
        "{err}"
    );
    assert!(err.contains("nothing was loaded"), "{err}");
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM streaming.users").await,
        2
    );

    // A foreign key that resolves nowhere, a numeric too wide for numeric(10,2), and a
    // primary key repeated inside the file.
    let orphan = transactions_ndjson("123456789.5", "99999999-0000-4000-8000-000000000000");
    let (ok, _, err) = load(&db, &[spec("streaming.transactions", &orphan)]);
    assert!(!ok);
    assert!(
        err.contains("transactions.ndjson:2:") && err.contains(": record 2, column amount"),
        "{err}"
    );
    let orphan = transactions_ndjson("1", "99999999-0000-4000-8000-000000000000");
    let (ok, _, err) = load(&db, &[spec("streaming.transactions", &orphan)]);
    assert!(!ok);
    assert!(
        err.contains("record 2, column user_id: no streaming.users row"),
        "{err}"
    );
    let dup = write(
        "dup.csv",
        "user_id,name\n11111111-2222-4333-8444-555555555555,A\n11111111-2222-4333-8444-555555555555,B\n",
    );
    let (ok, _, err) = load(&db, &[spec("streaming.users", &dup)]);
    assert!(!ok);
    assert!(
        err.contains("dup.csv:3:1: record 2, column user_id: duplicate primary key"),
        "{err}"
    );
    assert!(err.contains("first seen in record 1"), "{err}");

    // Unknown and generated columns, and a required column left out.
    let wrong = write("wrong.csv", "nmae,created_at\nX,2025-01-01\n");
    let (ok, _, err) = load(&db, &[spec("steam.developers", &wrong)]);
    assert!(!ok);
    assert!(
        err.contains("column nmae: the table has no such column (did you mean name?)"),
        "{err}"
    );
    assert!(err.contains("column name: required"), "{err}");
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM streaming.transactions").await,
        2
    );

    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn loads_steam_types_with_deferred_indexes() {
    let db = unique("seed_load_steam");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    let vector: Vec<f64> = (0..384).map(|i| f64::from(i) / 384.0).collect();
    let apps = serde_json::json!([
        {
            "appid": 10, "name": "Counter-Strike", "type": "game", "is_free": false,
            "price_overview": {"currency": "USD", "final": 999}, "dlc_appids": [20, 30],
            "description_embedding": vector, "release_date": "2000-11-01",
            "updated_at": 1_700_000_000
        },
        { "appid": 20, "name": "DLC \\ with backslash\tand tab", "type": "dlc", "is_free": true, "dlc_appids": [] }
    ]);
    let path = write("apps.json", &apps.to_string());
    let (ok, out, err) = load(
        &db,
        &["--defer-indexes".into(), spec("steam.applications", &path)],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("idx_applications_description_embedding"),
        "{out}"
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT vector_dims(description_embedding)::bigint FROM steam.applications WHERE appid = 10").await,
        384
    );
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT dlc_appids::text FROM steam.applications WHERE appid = 10"
        )
        .await,
        "{20,30}"
    );
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT (price_overview->>'final') FROM steam.applications WHERE appid = 10"
        )
        .await,
        "999"
    );
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT name FROM steam.applications WHERE appid = 20"
        )
        .await,
        "DLC \\ with backslash\tand tab"
    );
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT updated_at AT TIME ZONE 'UTC' || '' FROM steam.applications WHERE appid = 10"
        )
        .await,
        "2023-11-14 22:13:20"
    );
    // The deferred indexes are back.
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'steam' AND indexname IN ('idx_applications_description_embedding', 'idx_applications_name_trgm')").await,
        2
    );

    let bad = serde_json::json!([{ "appid": 30, "type": "gaem" }, { "appid": 40, "description_embedding": [1, 2, 3] }]);
    let path = write("bad_apps.json", &bad.to_string());
    let (ok, _, err) = load(&db, &[spec("steam.applications", &path)]);
    assert!(!ok);
    assert!(
        err.contains(
            "bad_apps.json:1:14: record 1, column type: \"gaem\" is not one of the enum's values"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "record 2, column description_embedding: vector of 3 dimensions, the column has 384"
        ),
        "{err}"
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM steam.applications").await,
        2
    );

    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn upsert_updates_rows_whose_primary_key_exists() {
    let db = unique("seed_load_upsert");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    let users = users_csv();
    let (ok, _, err) = load(&db, &[spec("streaming.users", &users)]);
    assert!(ok, "{err}");

    // U1 moves to Busan and loses its age; U3 is new; U2 is not in the file.
    const U3: &str = "7d1f3c5a-1111-4b6b-9e21-000000000003";
    let changed = write(
        "users_changed.csv",
        &format!(
            "user_id,name,email,age,city,registration_date\n\
             {U1},\"Kim, Minjun\",minjun@example.com,,Busan,2025-03-01 09:30:00\n\
             {U3},Lee Jiwoo,jiwoo@example.com,28,Incheon,2025-04-01 08:00:00\n"
        ),
    );
    // Without --upsert the existing key fails the load, and nothing of it stays.
    let (ok, _, err) = load(&db, &[spec("streaming.users", &changed)]);
    assert!(!ok);
    assert!(err.contains("duplicate key"), "{err}");
    assert!(err.contains("nothing was loaded"), "{err}");
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM streaming.users").await,
        2
    );

    let state = "SELECT string_agg(user_id || ' ' || name || ' ' || coalesce(age::text, '-') || ' ' \
                 || city, E'\\n' ORDER BY user_id) FROM streaming.users";
    for run in 0..2 {
        let (ok, out, err) = load(&db, &["--upsert".into(), spec("streaming.users", &changed)]);
        assert!(ok, "run {run}: {err}");
        assert!(
            out.contains("inserted or updated 2 row(s) of streaming.users"),
            "{out}"
        );
        // The same result after the first and the second run.
        assert_eq!(
            scalar_string(&conn, state).await,
            format!(
                "{} Kim, Minjun - Busan\n{U2} Quote \"Q\" Tab - Multi\nline\n{U3} Lee Jiwoo 28 Incheon",
                U1.to_lowercase()
            ),
            "run {run}"
        );
    }
    drop(conn);
    drop_database(&db).await;
}

#[test]
fn upsert_needs_a_primary_key_in_the_model() {
    let dir = workspace()
        .join("target")
        .join("seed-load-tests")
        .join(format!("no-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("model.yaml");
    std::fs::write(
        &model,
        "database: { name: events }\n\
         schemas:\n  public:\n    tables:\n      events:\n        columns:\n          \
         name: { type: text }\n          at: { type: timestamptz }\n",
    )
    .unwrap();
    let file = dir.join("events.csv");
    std::fs::write(&file, "name,at\nstart,2025-01-01 00:00:00+00\n").unwrap();
    // Refused before any connection: the URL names no server.
    let out = schemactl(
        &model,
        &[
            "load",
            "--upsert",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            &format!("public.events={}", file.display()),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("public.events has no primary key in the model"),
        "{}",
        stderr(&out)
    );
}

/// A bad record in the middle of a large file: validation and COPY run as one stream, so
/// rows before it already reached the server; the COPY is aborted and the transaction
/// rolled back, so nothing is loaded, and the record is named with its line and column.
#[tokio::test]
async fn a_bad_record_in_the_middle_of_a_big_file_loads_nothing() {
    let db = unique("seed_load_big");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    let rows = 300_000;
    let bad = rows / 2;
    let mut text = String::from("user_id,name,email,age,city,registration_date\n");
    for i in 1..=rows {
        let age = if i == bad {
            "4x2".to_string()
        } else {
            (18 + i % 60).to_string()
        };
        text.push_str(&format!(
            "00000000-0000-4000-8000-{i:012x},User {i},u{i}@example.com,{age},Seoul,2025-03-01 09:30:00\n"
        ));
    }
    let path = write("big_users.csv", &text);
    let (ok, _, err) = load(&db, &[spec("streaming.users", &path)]);
    assert!(!ok, "the load fails");
    // Record N is on line N + 1 (after the header); age is the fourth field.
    let column =
        format!("00000000-0000-4000-8000-{bad:012x},User {bad},u{bad}@example.com,").len() + 1;
    let want = format!(
        "big_users.csv:{}:{column}: record {bad}, column age: expected an integer",
        bad + 1
    );
    assert!(err.contains(&want), "{want} in: {err}");
    assert!(err.contains("nothing was loaded"), "{err}");
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM streaming.users").await,
        0,
        "no row of the file was loaded"
    );

    // The same file without the bad record loads whole.
    let good = text.replace(",4x2,", ",42,");
    let path = write("big_users_good.csv", &good);
    let (ok, out, err) = load(&db, &[spec("streaming.users", &path)]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!("loaded {rows} row(s) into streaming.users")),
        "{out}"
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM streaming.users").await,
        rows as i64
    );
    drop(conn);
    drop_database(&db).await;
}
