//! Helpers of the export tests: the events model (the repository's `americano` schema and
//! a snake_case twin), bad rows, and the independent readers (pyarrow, the DuckDB CLI).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common_pg::*;

/// The repository model's `americano` schema, so the tests follow the model as it changes.
fn americano_block() -> String {
    let text = std::fs::read_to_string(schema_path()).unwrap();
    let mut lines = text.lines().skip_while(|l| *l != "  americano:");
    let mut block = vec![lines.next().expect("schema.yaml has the americano schema")];
    // Up to the next schema (a two-space key) or top-level key.
    block.extend(lines.take_while(|l| {
        let indent = l.len() - l.trim_start().len();
        l.trim().is_empty() || l.trim_start().starts_with('#') || indent > 2
    }));
    block.join("\n")
}

/// The snake_case twin (a Prisma schema with `@@map`/`@map`): the same data, other names.
const SNAKE_TWIN: &str = r#"
      behavioral_events:
        comment: The snake_case twin of "BehavioralEvent"
        columns:
          id: { type: text, primary_key: true }
          user_id: { type: text, nullable: false }
          event_type: { type: EventType, nullable: false }
          event_data: { type: jsonb, nullable: false, default: "'{}'::jsonb" }
          timestamp: { type: timestamp, nullable: false, default: CURRENT_TIMESTAMP }
          experiment_phase: { type: ExperimentPhase }
          session_id: { type: text }
          session_performance_score: { type: integer, check: "session_performance_score BETWEEN 0 AND 100" }
          engagement_level: { type: EngagementLevel }
          completion_quality: { type: CompletionQuality }
          cognitive_load: { type: double precision, check: "cognitive_load BETWEEN 0 AND 1" }
          time_of_day: { type: integer, check: "time_of_day BETWEEN 0 AND 23" }
          day_of_week: { type: integer, check: "day_of_week BETWEEN 0 AND 6" }
          duration_ms: { type: integer, check: "duration_ms >= 0" }
          content_type: { type: text }
        indexes:
          behavioral_events_user_id_timestamp_idx: { columns: [user_id, timestamp] }
"#;

/// The events model for database `db`: the repository's schema plus the twin.
pub fn events_model(db: &str) -> PathBuf {
    let yaml = format!(
        "database: {{ name: {db}, owner: app_owner }}\nroles:\n  app_owner: {{ login: true, \
         password_env: APP_OWNER_PASSWORD }}\nschemas:\n{}{SNAKE_TWIN}",
        americano_block().trim_end()
    );
    write_model(db, &yaml)
}

pub fn run(model: &Path, args: &[&str]) -> Output {
    schemactl(model, args)
}

/// Provisions the events model into a new database `db`.
pub fn provision_events(db: &str) -> PathBuf {
    let model = events_model(db);
    let out = run(&model, &["provision", db, "--recreate", "--yes"]);
    assert!(out.status.success(), "provision: {}", stderr(&out));
    model
}

pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = workspace()
        .join("target")
        .join("test-export")
        .join(format!("{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn python_dir() -> PathBuf {
    let dir = workspace().join("target").join("python");
    assert!(
        dir.join("pyarrow").is_dir() && dir.join("bin").join("duckdb").is_file(),
        "pyarrow and duckdb-cli are missing: run scripts/install-python-deps.sh (scripts/test.sh does)"
    );
    dir
}

/// The Parquet file as pyarrow reads it.
pub fn pyarrow(file: &Path) -> Value {
    let python = python_dir();
    let out = Command::new("python3")
        .arg(workspace().join("cli/tests/suite/export/read_parquet.py"))
        .arg(file)
        .env("PYTHONPATH", &python)
        .env_remove("LD_PRELOAD")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pyarrow: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Rows of a query run by the DuckDB CLI (its JSON output mode) on `file`, read-only.
pub fn duckdb_cli(file: &Path, sql: &str) -> Vec<Value> {
    let python = python_dir();
    let out = Command::new(python.join("bin").join("duckdb"))
        .args(["-json", "-readonly"])
        .arg(file)
        .args(["-c", sql])
        .env("PYTHONPATH", &python)
        .env_remove("LD_PRELOAD")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "duckdb {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return Vec::new();
    }
    match serde_json::from_str::<Value>(&text).unwrap() {
        Value::Array(rows) => rows,
        other => vec![other],
    }
}

pub fn duckdb_count(file: &Path, table: &str) -> i64 {
    let rows = duckdb_cli(file, &format!("SELECT count(*) AS n FROM {table}"));
    rows[0]["n"].as_i64().unwrap()
}

/// The columns of the Prisma table, as text in the form the readers print: timestamps
/// `YYYY-MM-DDTHH:MM:SS.ffffff`, everything else as PostgreSQL writes it.
pub const PRISMA_TEXT: &str = r#"json_build_array(id, "userId", "eventType"::text, "eventData"::text,
    to_char("timestamp", 'YYYY-MM-DD"T"HH24:MI:SS.US'), "experimentPhase"::text, "sessionId",
    "sessionPerformanceScore"::text, "engagementLevel"::text, "completionQuality"::text,
    "cognitiveLoad"::text, "timeOfDay"::text, "dayOfWeek"::text, "durationMs"::text, "contentType")"#;

/// The same for DuckDB's table (camelCase columns, JSON and TIMESTAMP types).
pub const DUCK_TEXT: &str = r#"SELECT id, "userId", "eventType", "eventData"::VARCHAR AS "eventData",
    strftime("timestamp", '%Y-%m-%dT%H:%M:%S.%f') AS ts, "experimentPhase", "sessionId",
    "sessionPerformanceScore"::VARCHAR AS s, "engagementLevel", "completionQuality",
    "cognitiveLoad"::VARCHAR AS c, "timeOfDay"::VARCHAR AS h, "dayOfWeek"::VARCHAR AS d,
    "durationMs"::VARCHAR AS ms, "contentType" FROM research.behavioral_events ORDER BY id"#;

/// PostgreSQL's rows (`expr` is a json_build_array over the table) sorted by id.
pub async fn pg_rows(db: &str, table: &str, expr: &str, filter: &str) -> Vec<Vec<Value>> {
    let conn = connect(&db_url(db)).await;
    let text = scalar_string(
        &conn,
        &format!("SELECT coalesce(json_agg({expr} ORDER BY id), '[]')::text FROM {table} {filter}"),
    )
    .await;
    let rows: Vec<Vec<Value>> = serde_json::from_str(&text).unwrap();
    rows
}

/// Equal row by row; JSON payloads (column 3) compared as JSON, floats as numbers.
pub fn assert_same_rows(left: &[Vec<Value>], right: &[Vec<Value>], what: &str) {
    assert_eq!(left.len(), right.len(), "{what}: row counts");
    for (l, r) in left.iter().zip(right) {
        assert_eq!(l.len(), r.len(), "{what}: widths");
        for (i, (a, b)) in l.iter().zip(r).enumerate() {
            let same = match (a.as_str(), b.as_str()) {
                (Some(x), Some(y)) if i == 3 => {
                    serde_json::from_str::<Value>(x).ok() == serde_json::from_str::<Value>(y).ok()
                }
                (Some(x), Some(y)) => {
                    x == y
                        || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
                }
                _ => a == b,
            };
            assert!(same, "{what}: row {} column {i}: {a} != {b}", l[0]);
        }
    }
}

/// DuckDB CLI rows (objects) as arrays in column order.
pub fn duck_rows(rows: &[Value]) -> Vec<Vec<Value>> {
    rows.iter()
        .map(|r| match r {
            Value::Object(map) => map.values().cloned().collect(),
            other => vec![other.clone()],
        })
        .collect()
}

/// The pyarrow rows.
pub fn parquet_rows(read: &Value) -> Vec<Vec<Value>> {
    serde_json::from_value(read["rows"].clone()).unwrap()
}

/// Makes the live Prisma table looser than the model (as a legacy table is) and adds rows
/// that break the model in seven ways; returns their ids.
pub async fn add_bad_rows(db: &str) -> Vec<&'static str> {
    let conn = connect(&db_url(db)).await;
    for sql in [
        r#"ALTER TABLE americano."BehavioralEvent"
             DROP CONSTRAINT "BehavioralEvent_timeOfDay_check",
             DROP CONSTRAINT "BehavioralEvent_dayOfWeek_check",
             DROP CONSTRAINT "BehavioralEvent_sessionPerformanceScore_check",
             DROP CONSTRAINT "BehavioralEvent_eventData_object",
             ALTER COLUMN "userId" DROP NOT NULL,
             ALTER COLUMN "eventType" TYPE text,
             ALTER COLUMN "experimentPhase" TYPE text"#,
        r#"INSERT INTO americano."BehavioralEvent" (id, "userId", "eventType", "eventData", "timestamp",
             "experimentPhase", "timeOfDay", "dayOfWeek", "sessionPerformanceScore") VALUES
           ('bad0000000000000000000001', 'cuser1', 'CARD_REVIEWED', '{}', '2026-01-01', NULL, 24, 1, 10),
           ('bad0000000000000000000002', 'cuser1', 'BOGUS', '{}', '2026-01-01', NULL, 1, 1, 10),
           ('bad0000000000000000000003', NULL, 'CARD_REVIEWED', '{}', '2026-01-01', NULL, 1, 1, 10),
           ('bad0000000000000000000004', 'cuser1', 'CARD_REVIEWED', '[1, 2]', '2026-01-01', NULL, 1, 1, 10),
           ('bad0000000000000000000005', 'cuser1', 'CARD_REVIEWED', '{}', '2026-01-01', NULL, 1, 1, 150),
           ('bad0000000000000000000006', 'cuser1', 'CARD_REVIEWED', '{}', '2026-01-01', 'baseline_3', 1, 1, 10),
           ('bad0000000000000000000007', 'cuser1', 'CARD_REVIEWED', '{}', '2026-01-01', NULL, 1, -1, 10)"#,
    ] {
        exec(&conn, sql).await;
    }
    vec![
        "bad0000000000000000000001",
        "bad0000000000000000000002",
        "bad0000000000000000000003",
        "bad0000000000000000000004",
        "bad0000000000000000000005",
        "bad0000000000000000000006",
        "bad0000000000000000000007",
    ]
}
