//! `schemactl export`: PostgreSQL (the Prisma table and its snake_case twin) to Parquet,
//! read back by pyarrow, and synced into DuckDB (read back by the DuckDB CLI): values and
//! types equal, the three indexes, empty exports, strict and non-strict validation,
//! incremental appends, and filters bound as values.
//! Built with the `duckdb` feature only (`--sync` needs it; see decision 25): the
//! Parquet pipeline without DuckDB is tested in `crates/export`.
#![cfg(feature = "duckdb")]

use crate::common_pg;
use crate::export;

use std::path::Path;

use common_pg::*;
use export::*;
use serde_json::{Value, json};

const PRISMA: &str = "americano.BehavioralEvent";
const PRISMA_SQL: &str = r#"americano."BehavioralEvent""#;

fn export_args<'a>(url: &'a str, table: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["export", table, "--database-url", url, "--out", out];
    args.extend_from_slice(extra);
    args
}

fn duck_url(file: &Path) -> String {
    format!("duckdb://{}", file.display())
}

fn duck_model() -> String {
    workspace()
        .join("models/research.duckdb.yaml")
        .display()
        .to_string()
}

/// The three indexes of research.behavioral_events, by name.
fn duck_indexes(file: &Path) -> Vec<String> {
    duckdb_cli(
        file,
        "SELECT index_name FROM duckdb_indexes() WHERE schema_name = 'research' \
         AND table_name = 'behavioral_events' ORDER BY index_name",
    )
    .iter()
    .map(|r| r["index_name"].as_str().unwrap().to_string())
    .collect()
}

/// The DuckDB file holds what the DuckDB model declares, and nothing else of a sync's: no
/// drift (the primary key a full sync adds after the load, the checks, the indexes), and
/// no table left under a load name.
fn assert_no_drift(file: &Path) {
    let model = duck_model();
    let out = run(
        Path::new(&model),
        &["drift", "--database-url", &duck_url(file)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "drift: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let tables = duckdb_cli(
        file,
        "SELECT schema_name || '.' || table_name AS t FROM duckdb_tables() ORDER BY t",
    );
    let tables: Vec<&str> = tables.iter().map(|r| r["t"].as_str().unwrap()).collect();
    assert_eq!(
        tables,
        ["research.behavioral_events", "schemactl.export_runs"]
    );
}

const EXPECTED_FIELDS: &str = r#"[
    ["id", "string", false], ["userId", "string", false], ["eventType", "string", false],
    ["eventData", "string", false], ["timestamp", "timestamp[us]", false],
    ["experimentPhase", "string", true], ["sessionId", "string", true],
    ["sessionPerformanceScore", "int32", true], ["engagementLevel", "string", true],
    ["completionQuality", "string", true], ["cognitiveLoad", "double", true],
    ["timeOfDay", "int32", true], ["dayOfWeek", "int32", true], ["durationMs", "int32", true],
    ["contentType", "string", true]]"#;

#[tokio::test]
async fn prisma_events_to_parquet_and_duckdb_then_incremental() {
    let db = unique("t_export_full");
    let model = provision_events(&db);
    let url = db_url(&db);
    let out = run(
        &model,
        &[
            "seed",
            "--database-url",
            &url,
            "--fake",
            "americano.BehavioralEvent=3000",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = scratch_dir("full");
    let parquet = dir.join("events.parquet");
    let duck = dir.join("analytics.duckdb");
    let (p, d, m) = (parquet.display().to_string(), duck_url(&duck), duck_model());
    let out = run(
        &model,
        &export_args(&url, PRISMA, &p, &["--sync", &d, "--duckdb-model", &m]),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains("read 3000 row(s), wrote 3000"),
        "{printed}"
    );
    assert!(printed.contains("rejected 0"), "{printed}");
    assert!(
        printed.contains("synced 3000 row(s) into research.behavioral_events"),
        "{printed}"
    );

    // pyarrow: the declared types, snappy, and every value as PostgreSQL holds it.
    let read = pyarrow(&parquet);
    assert_eq!(read["num_rows"], 3000);
    assert_eq!(read["codecs"], json!(["SNAPPY"]));
    assert_eq!(
        read["fields"],
        serde_json::from_str::<Value>(EXPECTED_FIELDS).unwrap()
    );
    let pg = pg_rows(&db, PRISMA_SQL, PRISMA_TEXT, "").await;
    assert_same_rows(&pg, &parquet_rows(&read), "parquet");

    // DuckDB: the same rows, the model's types, the three indexes.
    assert_same_rows(&pg, &duck_rows(&duckdb_cli(&duck, DUCK_TEXT)), "duckdb");
    assert_eq!(
        duck_indexes(&duck),
        [
            "idx_events_phase",
            "idx_events_type",
            "idx_events_user_time"
        ]
    );
    let types: Vec<String> = duckdb_cli(&duck, "DESCRIBE research.behavioral_events")
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["column_name"].as_str().unwrap(),
                r["column_type"].as_str().unwrap()
            )
        })
        .collect();
    for expected in [
        "userId VARCHAR",
        "eventData JSON",
        "timestamp TIMESTAMP",
        "cognitiveLoad DOUBLE",
        "timeOfDay INTEGER",
    ] {
        assert!(
            types.iter().any(|t| t == expected),
            "{expected} in {types:?}"
        );
    }

    assert_no_drift(&duck);

    // A sync DuckDB refuses (here a model whose key, userId, repeats in the rows) leaves the
    // file's tables as they were: the loaded table is dropped, the old one kept.
    let dir_model = dir.join("userid-key.duckdb.yaml");
    let yaml = std::fs::read_to_string(&m).unwrap();
    let yaml = yaml
        .replace(
            "id: { type: text, primary_key: true,",
            "id: { type: text, nullable: false,",
        )
        .replace(
            "userId: { type: text, nullable: false,",
            "userId: { type: text, primary_key: true,",
        );
    std::fs::write(&dir_model, yaml).unwrap();
    let refused = dir.join("refused.parquet").display().to_string();
    let out = run(
        &model,
        &export_args(
            &url,
            PRISMA,
            &refused,
            &[
                "--sync",
                &d,
                "--duckdb-model",
                &dir_model.display().to_string(),
            ],
        ),
    );
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stderr(&out).contains("primary key"), "{}", stderr(&out));
    assert_eq!(duckdb_count(&duck, "research.behavioral_events"), 3000);
    assert_eq!(duckdb_count(&duck, "schemactl.export_runs"), 1);
    assert_no_drift(&duck);

    // Incremental: only rows newer than the watermark are read and appended.
    let conn = connect(&url).await;
    exec(
        &conn,
        r#"INSERT INTO americano."BehavioralEvent" (id, "userId", "eventType", "eventData", "timestamp")
           SELECT 'cnew' || g, 'cuser-new', 'SESSION_ENDED', '{"n": 1}', TIMESTAMP '2027-06-01' + g * INTERVAL '1 minute'
             FROM generate_series(1, 5) g"#,
    )
    .await;
    let p2 = dir.join("increment.parquet").display().to_string();
    let out = run(
        &model,
        &export_args(
            &url,
            PRISMA,
            &p2,
            &["--sync", &d, "--duckdb-model", &m, "--incremental"],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("read 5 row(s), wrote 5"),
        "{}",
        stdout(&out)
    );
    assert_eq!(pyarrow(Path::new(&p2))["num_rows"], 5);
    assert_eq!(duckdb_count(&duck, "research.behavioral_events"), 3005);
    let pg = pg_rows(&db, PRISMA_SQL, PRISMA_TEXT, "").await;
    assert_same_rows(
        &pg,
        &duck_rows(&duckdb_cli(&duck, DUCK_TEXT)),
        "duckdb after the increment",
    );

    // Nothing new: an empty increment, nothing appended, the watermark kept.
    let out = run(
        &model,
        &export_args(
            &url,
            PRISMA,
            &p2,
            &["--sync", &d, "--duckdb-model", &m, "--incremental"],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("read 0 row(s)"), "{}", stdout(&out));
    assert_eq!(duckdb_count(&duck, "research.behavioral_events"), 3005);
    let runs = duckdb_cli(
        &duck,
        "SELECT rows_written, strftime(watermark, '%Y-%m-%d %H:%M') AS w FROM schemactl.export_runs ORDER BY finished_at",
    );
    assert_eq!(runs.len(), 3, "{runs:?}");
    assert_eq!(runs[1]["w"], "2027-06-01 00:05");
    assert_eq!(runs[2]["w"], "2027-06-01 00:05");
    assert_eq!(duck_indexes(&duck).len(), 3);
    assert_no_drift(&duck);
}

#[tokio::test]
async fn strict_stops_at_bad_rows_and_non_strict_rejects_exactly_them() {
    let db = unique("t_export_bad");
    let model = provision_events(&db);
    let url = db_url(&db);
    let out = run(
        &model,
        &[
            "seed",
            "--database-url",
            &url,
            "--fake",
            "americano.BehavioralEvent=500",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = scratch_dir("bad");
    let parquet = dir.join("events.parquet");
    let duck = dir.join("analytics.duckdb");
    let (p, d, m) = (parquet.display().to_string(), duck_url(&duck), duck_model());
    let out = run(
        &model,
        &export_args(&url, PRISMA, &p, &["--sync", &d, "--duckdb-model", &m]),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(duckdb_count(&duck, "research.behavioral_events"), 500);
    let bad = add_bad_rows(&db).await;

    // Strict: exit 1, the first five bad rows shown, no file, DuckDB as it was.
    std::fs::remove_file(&parquet).unwrap();
    let out = run(
        &model,
        &export_args(&url, PRISMA, &p, &["--sync", &d, "--duckdb-model", &m]),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let shown: Vec<&str> = err.lines().filter(|l| l.contains("(id=bad")).collect();
    assert_eq!(shown.len(), 5, "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!parquet.exists() && !dir.join("events.parquet.partial").exists());
    assert_eq!(duckdb_count(&duck, "research.behavioral_events"), 500);
    assert_eq!(duckdb_count(&duck, "schemactl.export_runs"), 1);

    // Non-strict: the good rows written, exactly the seven bad ones rejected with reasons.
    let out = run(
        &model,
        &export_args(
            &url,
            PRISMA,
            &p,
            &["--non-strict", "--sync", &d, "--duckdb-model", &m],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("read 507 row(s), wrote 500"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("rejected 7"), "{}", stdout(&out));
    assert_eq!(pyarrow(&parquet)["num_rows"], 500);
    let rejected = std::fs::read_to_string(dir.join("events.rejected.jsonl")).unwrap();
    let lines: Vec<Value> = rejected
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut ids: Vec<&str> = lines
        .iter()
        .map(|l| l["values"]["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, bad);
    let reason = |id: &str| -> String {
        let line = lines.iter().find(|l| l["values"]["id"] == id).unwrap();
        line["reasons"].to_string()
    };
    assert!(
        reason(bad[0]).contains("BehavioralEvent_timeOfDay_check"),
        "{}",
        reason(bad[0])
    );
    assert!(
        reason(bad[1]).contains("eventType") && reason(bad[1]).contains("BOGUS"),
        "{}",
        reason(bad[1])
    );
    assert!(reason(bad[2]).contains("NOT NULL"), "{}", reason(bad[2]));
    assert!(
        reason(bad[3]).contains("BehavioralEvent_eventData_object"),
        "{}",
        reason(bad[3])
    );
    assert!(reason(bad[5]).contains("baseline_3"), "{}", reason(bad[5]));
    assert_eq!(duckdb_count(&duck, "research.behavioral_events"), 500);
    assert_eq!(duckdb_count(&duck, "schemactl.export_runs"), 2);
}

#[tokio::test]
async fn empty_export_writes_the_full_schema_and_an_empty_duckdb_table() {
    let db = unique("t_export_empty");
    let model = provision_events(&db);
    let url = db_url(&db);
    let dir = scratch_dir("empty");
    let parquet = dir.join("none.parquet");
    let duck = dir.join("empty.duckdb");
    let (p, d, m) = (parquet.display().to_string(), duck_url(&duck), duck_model());
    let out = run(
        &model,
        &export_args(
            &url,
            PRISMA,
            &p,
            &[
                "--where",
                "userId=nobody",
                "--sync",
                &d,
                "--duckdb-model",
                &m,
            ],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("read 0 row(s), wrote 0"),
        "{}",
        stdout(&out)
    );
    let read = pyarrow(&parquet);
    assert_eq!(read["num_rows"], 0);
    assert_eq!(
        read["fields"],
        serde_json::from_str::<Value>(EXPECTED_FIELDS).unwrap()
    );
    assert_eq!(duckdb_count(&duck, "research.behavioral_events"), 0);
    assert_eq!(duck_indexes(&duck).len(), 3);
    assert_no_drift(&duck);
}

#[tokio::test]
async fn snake_case_twin_filters_and_json_validity() {
    let db = unique("t_export_snake");
    let model = provision_events(&db);
    let url = db_url(&db);
    let conn = connect(&url).await;
    exec(
        &conn,
        r#"INSERT INTO americano.behavioral_events (id, user_id, event_type, event_data, "timestamp",
             experiment_phase, time_of_day, cognitive_load) VALUES
           ('c01', 'cuser-a', 'CARD_REVIEWED', '{"deck": 1}', now() - interval '2 days', 'baseline_1', 9, 0.25),
           ('c02', 'cuser-a', 'SESSION_ENDED', '{"s": "x''y"}', now() - interval '40 days', 'intervention_A_1', 10, 0.5),
           ('c03', 'cuser-b', 'CARD_REVIEWED', '{}', now() - interval '1 day', NULL, NULL, NULL),
           ('c04', 'cuser-b', 'GRAPH_VIEWED', '{"tab\there": "line\nbreak \\ done"}', now() - interval '3 days', 'baseline_2', 23, 1)"#,
    )
    .await;
    let dir = scratch_dir("snake");
    let p = dir.join("snake.parquet").display().to_string();
    let ids = |read: &Value| -> Vec<String> {
        parquet_rows(read)
            .iter()
            .map(|r| r[0].as_str().unwrap().to_string())
            .collect()
    };

    let out = run(
        &model,
        &export_args(&url, "americano.behavioral_events", &p, &["--days", "30"]),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ids(&pyarrow(Path::new(&p))), ["c01", "c03", "c04"]);
    let out = run(
        &model,
        &export_args(
            &url,
            "americano.behavioral_events",
            &p,
            &["--where", "user_id=cuser-a"],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ids(&pyarrow(Path::new(&p))), ["c01", "c02"]);
    let out = run(
        &model,
        &export_args(
            &url,
            "americano.behavioral_events",
            &p,
            &[
                "--where",
                "user_id=cuser-b",
                "--where",
                "event_type=GRAPH_VIEWED",
            ],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ids(&pyarrow(Path::new(&p))), ["c04"]);
    // A value is a value: quotes in it select nothing and change nothing.
    let out = run(
        &model,
        &export_args(
            &url,
            "americano.behavioral_events",
            &p,
            &["--where", "user_id=x' OR '1'='1"],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(pyarrow(Path::new(&p))["num_rows"], 0);
    // Escapes survive: tab, newline and backslash inside JSON text.
    let out = run(
        &model,
        &export_args(&url, "americano.behavioral_events", &p, &[]),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = parquet_rows(&pyarrow(Path::new(&p)));
    let c04: Value = serde_json::from_str(rows[3][3].as_str().unwrap()).unwrap();
    assert_eq!(c04["tab\there"], "line\nbreak \\ done");

    // Snake_case names fill DuckDB's camelCase table.
    let duck = dir.join("snake.duckdb");
    let (d, m) = (duck_url(&duck), duck_model());
    let out = run(
        &model,
        &export_args(
            &url,
            "americano.behavioral_events",
            &p,
            &["--sync", &d, "--duckdb-model", &m],
        ),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let users = duckdb_cli(
        &duck,
        r#"SELECT id, "userId", "timeOfDay" FROM research.behavioral_events ORDER BY id"#,
    );
    assert_eq!(users.len(), 4);
    assert_eq!(users[1]["userId"], "cuser-a");
    assert_eq!(users[3]["timeOfDay"], 23);

    // A text column holding what the model declares jsonb: invalid JSON is refused.
    exec(
        &conn,
        "ALTER TABLE americano.behavioral_events ALTER COLUMN event_data TYPE text",
    )
    .await;
    exec(&conn, r#"INSERT INTO americano.behavioral_events (id, user_id, event_type, event_data) VALUES ('c05', 'cuser-c', 'CARD_REVIEWED', '{"open": ')"#).await;
    let out = run(
        &model,
        &export_args(&url, "americano.behavioral_events", &p, &["--non-strict"]),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("rejected 1"), "{}", stdout(&out));
    let rejected = std::fs::read_to_string(dir.join("snake.rejected.jsonl")).unwrap();
    assert!(
        rejected.contains("\"c05\"") && rejected.contains("expected JSON"),
        "{rejected}"
    );
}

#[tokio::test]
async fn filters_name_declared_columns_with_values_of_their_type() {
    let db = unique("t_export_args");
    let model = provision_events(&db);
    let url = db_url(&db);
    let dir = scratch_dir("args");
    let p = dir.join("x.parquet").display().to_string();
    for (extra, message) in [
        (vec!["--where", "userID=cm3"], "did you mean userId?"),
        (vec!["--where", "timeOfDay=noon"], "a 32-bit integer"),
        (
            vec!["--where", "eventType=NOT_A_TYPE"],
            "one of MISSION_STARTED",
        ),
        (vec!["--where", "userId"], "expected COLUMN=VALUE"),
        (vec!["--since", "yesterday"], "expected a date"),
        (
            vec!["--time-column", "userId", "--days", "3"],
            "not a date or timestamp",
        ),
    ] {
        let out = run(&model, &export_args(&url, PRISMA, &p, &extra));
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(message),
            "{extra:?}: {}",
            stderr(&out)
        );
        assert!(!Path::new(&p).exists());
    }
    let out = run(
        &model,
        &export_args(&url, "americano.BehavioralEvents", &p, &[]),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean americano.BehavioralEvent?"),
        "{}",
        stderr(&out)
    );
}
