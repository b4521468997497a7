//! `generate entities` for a SQLite model: the golden file of every type mapping (one
//! module per table at the crate root, no `schema_name`), rustfmt-cleanliness, and each
//! mapped Rust type decoding what a real SQLite file holds for its column.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use schemactl::generate::{self, Files, ViewColumns};
use schemactl::model::Model;
use sea_orm::prelude::Uuid;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

const TYPES: &str = r#"
database: { name: t, target: sqlite, comment: Every type a SQLite model can use }
schemas:
  main:
    tables:
      everything:
        comment: One column per type mapping
        columns:
          id: { type: integer, primary_key: true }
          small: { type: smallint }
          big: { type: bigint, nullable: false, default: 0 }
          txt: { type: text, comment: "Free text\nover two lines" }
          vc: { type: varchar(20), unique: true }
          ch: { type: char(2) }
          flag: { type: boolean }
          num: { type: "numeric(10,2)" }
          r: { type: real }
          d: { type: double precision }
          day: { type: date }
          clock: { type: time }
          ts: { type: timestamp, nullable: false, default: CURRENT_TIMESTAMP }
          tstz: { type: timestamptz, nullable: false, default: CURRENT_TIMESTAMP }
          id2: { type: uuid }
          j: { type: json }
          jb: { type: jsonb }
          raw: { type: bytea }
          type: { type: text, comment: A Rust keyword }
      tag:
        columns:
          name: { type: text, primary_key: true }
      everything_tag:
        comment: Junction table (many-to-many)
        columns:
          everything_id: { type: integer, references: { table: everything, on_delete: cascade } }
          tag: { type: text, references: { table: tag } }
        primary_key: [everything_id, tag]
"#;

fn model() -> Model {
    let loaded = schemactl::load::load_str(Path::new("model.yaml"), TYPES.to_string())
        .unwrap_or_else(|(_, d)| panic!("model does not load: {d:?}"));
    let diagnostics = schemactl::validate::validate(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    loaded.model
}

fn render() -> Files {
    generate::sqlite::entity_files(&model(), &ViewColumns::new(), None).unwrap()
}

fn joined(files: &Files) -> String {
    files
        .iter()
        .map(|(path, text)| format!("===== {}\n{text}", path.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_sqlite_type_mapping() {
    let files = render();
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "everything.rs",
            "everything_tag.rs",
            "lib.rs",
            "prelude.rs",
            "tag.rs"
        ]
    );
    assert!(!joined(&files).contains("schema_name"));
    insta::assert_snapshot!("generate_sqlite_types", joined(&files));
}

fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("test-generate")
        .join(format!("sqlite_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn sqlite_entities_render_rustfmt_clean() {
    let dir = scratch();
    let mut paths = Vec::new();
    for (rel, text) in render() {
        let path = dir.join(rel);
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let output = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(&paths)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "not rustfmt-clean:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Each Rust type of the mapping, written through sqlx-sqlite and decoded back from the
/// column of the declared type the model gives, plus the `CURRENT_TIMESTAMP` defaults.
#[tokio::test]
async fn every_mapped_type_decodes_what_sqlite_stores() {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let path = std::env::temp_dir().join(format!(
        "schemactl-sqlite-types-{}-{nanos}.db",
        std::process::id()
    ));
    let url = format!("sqlite://{}", path.display());
    schemactl::sqlite::provision(&model(), &url, true)
        .await
        .unwrap_or_else(|e| panic!("provision failed: {e:#}"));
    let conn = schemactl::sqlite::connect(&url, false).await.unwrap();

    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let clock = NaiveTime::from_hms_opt(23, 59, 58).unwrap();
    let uuid = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    let doc = serde_json::json!({"a": [1, 2.5, "x"], "b": null});
    let values: Vec<Value> = vec![
        7i64.into(),
        (-3i64).into(),
        (i64::MAX).into(),
        "hello".into(),
        "vc".into(),
        "ch".into(),
        true.into(),
        12.25f64.into(),
        0.5f64.into(),
        1e-300f64.into(),
        day.into(),
        clock.into(),
        uuid.into(),
        doc.clone().into(),
        serde_json::json!([true]).into(),
        vec![0u8, 255, 10].into(),
        "kw".into(),
    ];
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT INTO everything (id, small, big, txt, vc, ch, flag, num, r, d, day, clock, \
         id2, j, jb, raw, type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values,
    ))
    .await
    .unwrap();
    let row = conn
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT * FROM everything",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "id").unwrap(), 7);
    assert_eq!(row.try_get::<i64>("", "small").unwrap(), -3);
    assert_eq!(row.try_get::<i64>("", "big").unwrap(), i64::MAX);
    assert_eq!(row.try_get::<String>("", "txt").unwrap(), "hello");
    assert_eq!(row.try_get::<String>("", "vc").unwrap(), "vc");
    assert_eq!(row.try_get::<String>("", "ch").unwrap(), "ch");
    assert!(row.try_get::<bool>("", "flag").unwrap());
    assert_eq!(row.try_get::<f64>("", "num").unwrap(), 12.25);
    assert_eq!(row.try_get::<f64>("", "r").unwrap(), 0.5);
    assert_eq!(row.try_get::<f64>("", "d").unwrap(), 1e-300);
    assert_eq!(row.try_get::<NaiveDate>("", "day").unwrap(), day);
    assert_eq!(row.try_get::<NaiveTime>("", "clock").unwrap(), clock);
    assert_eq!(row.try_get::<Uuid>("", "id2").unwrap(), uuid);
    assert_eq!(row.try_get::<serde_json::Value>("", "j").unwrap(), doc);
    assert_eq!(
        row.try_get::<serde_json::Value>("", "jb").unwrap(),
        serde_json::json!([true])
    );
    assert_eq!(
        row.try_get::<Vec<u8>>("", "raw").unwrap(),
        vec![0u8, 255, 10]
    );
    assert_eq!(row.try_get::<String>("", "type").unwrap(), "kw");
    // The defaults are SQLite's "YYYY-MM-DD HH:MM:SS" text, in UTC.
    let ts: NaiveDateTime = row.try_get("", "ts").unwrap();
    let tstz: DateTime<Utc> = row.try_get("", "tstz").unwrap();
    let now = Utc::now();
    assert!((now.naive_utc() - ts).num_seconds().abs() < 60, "{ts}");
    assert!((now - tstz).num_seconds().abs() < 60, "{tstz}");
    let _ = conn.close().await;
    let _ = schemactl::sqlite::remove_database(&path);
}
