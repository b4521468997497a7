#![cfg(feature = "duckdb")]
//! DuckDB through the binary on real files: provision, an empty plan, drift and apply
//! with their exit codes; a model DuckDB cannot host refused at its line and column with
//! nothing created; a failing apply that leaves the file as it was; and the repository's
//! research model.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common_files::{scratch, text};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn schemactl(schema: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("--schema")
        .arg(schema)
        .args(args)
        .env_remove("DATABASE_URL")
        .current_dir(repo())
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, yaml: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, yaml).unwrap();
    path
}

/// Every row of `sql` as JSON text.
fn rows(file: &Path, sql: &str) -> Vec<String> {
    let conn = schemactl_duckdb::open(file, false).unwrap();
    let wrapped = format!("SELECT CAST(to_json(q) AS VARCHAR) FROM ({sql}) AS q");
    let mut stmt = conn.prepare(&wrapped).unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// What the file holds: DuckDB's catalog and the rows of the events table.
fn snapshot(file: &Path) -> Vec<String> {
    let mut out = rows(
        file,
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() \
         WHERE database_name = current_database() ORDER BY ALL",
    );
    out.extend(rows(
        file,
        "SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints() \
         ORDER BY ALL",
    ));
    out.extend(rows(
        file,
        "SELECT index_name, sql FROM duckdb_indexes() ORDER BY ALL",
    ));
    out.extend(rows(
        file,
        r#"SELECT * FROM research."BehavioralEvent" ORDER BY id"#,
    ));
    out
}

const MODEL: &str = r#"database:
  name: research
  target: duckdb
schemas:
  research:
    tables:
      BehavioralEvent:
        columns:
          id: { type: text, primary_key: true }
          userId: { type: text, nullable: false }
          eventType: { type: text, nullable: false }
          eventData: { type: jsonb }
          timestamp: { type: timestamptz, nullable: false }
        indexes:
          idx_events_user_time: { columns: [userId, timestamp] }
"#;

#[test]
fn provision_plan_drift_apply() {
    let dir = scratch("duckdb-cli", "provision");
    let file = dir.join("research.duckdb");
    let url = format!("duckdb://{}", file.display());
    let schema = write(&dir, "model.yaml", MODEL);

    let out = schemactl(&schema, &["plan"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("CREATE TABLE research.\"BehavioralEvent\""),
        "{}",
        text(&out)
    );

    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("created with"), "{}", text(&out));
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("already matches"), "{}", text(&out));

    let out = schemactl(&schema, &["plan", "--database-url", &url, "--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = schemactl(&schema, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Drift: a column added behind the model's back.
    schemactl_duckdb::open(&file, false)
        .unwrap()
        .execute_batch(r#"ALTER TABLE research."BehavioralEvent" ADD COLUMN extra VARCHAR"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = schemactl(&schema, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    // DuckDB drops no column of an indexed table: the plan rebuilds it without `extra`.
    assert!(
        text(&out).contains("rebuild table research.BehavioralEvent")
            && text(&out).contains("data-loss"),
        "{}",
        text(&out)
    );
    let out = schemactl(&schema, &["plan", "--database-url", &url, "--exit-code"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));

    // Dropping it loses data (and rebuilds the indexed table): refused unless allowed.
    let out = schemactl(&schema, &["apply", "--database-url", &url, "--yes"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    assert!(text(&out).contains("data-loss"), "{}", text(&out));
    let out = schemactl(
        &schema,
        &[
            "apply",
            "--database-url",
            &url,
            "--yes",
            "--allow-hazard",
            "data-loss",
            "--allow-hazard",
            "table-rewrite",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = schemactl(&schema, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // A PostgreSQL URL with a DuckDB model, and the reverse: usage errors.
    let out = schemactl(
        &schema,
        &["plan", "--database-url", "postgres://localhost/x"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let pg = write(&dir, "pg.yaml", "database: { name: x }\n");
    let out = schemactl(&pg, &["plan", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // Commands without a DuckDB implementation say so.
    let out = schemactl(&schema, &["generate", "entities"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("does not support DuckDB"),
        "{}",
        text(&out)
    );
}

#[test]
fn unsupported_feature_is_refused_at_its_line_and_column() {
    let dir = scratch("duckdb-cli", "refused");
    let file = dir.join("research.duckdb");
    let url = format!("duckdb://{}", file.display());
    let model = MODEL.replace(
        "          eventType: { type: text, nullable: false }\n",
        "          eventType: { type: \"varchar(32)\", nullable: false }\n          seq: { type: serial }\n",
    );
    let schema = write(&dir, "model.yaml", &model);
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("model.yaml:11:30") && shown.contains("DuckDB cannot host a length limit"),
        "{shown}"
    );
    assert!(
        shown.contains("model.yaml:12:24") && shown.contains("DuckDB cannot host serial columns"),
        "{shown}"
    );
    assert!(!file.exists(), "a refused model created {}", file.display());
    let out = schemactl(&schema, &["validate"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn failing_apply_leaves_the_file_as_it_was() {
    let dir = scratch("duckdb-cli", "failing");
    let file = dir.join("research.duckdb");
    let url = format!("duckdb://{}", file.display());
    let schema = write(&dir, "model.yaml", MODEL);
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    schemactl_duckdb::open(&file, false)
        .unwrap()
        .execute_batch(
            r#"INSERT INTO research."BehavioralEvent" VALUES
               ('e1', 'u1', 'click', NULL, TIMESTAMPTZ '2026-11-01 10:00:00+00'),
               ('e2', 'u1', 'click', NULL, TIMESTAMPTZ '2026-11-01 10:00:00+00')"#,
        )
        .unwrap();
    let before = snapshot(&file);
    // A new column first (it would succeed), then a unique key the rows break: the
    // rebuild's copy fails, and the whole plan goes back.
    let model = MODEL
        .replace(
            "          timestamp: { type: timestamptz, nullable: false }\n",
            "          timestamp: { type: timestamptz, nullable: false, unique: true }\n          source: { type: text }\n",
        )
        .replace(
            "      BehavioralEvent:\n",
            "      BehavioralEvent:\n        comment: changed\n",
        );
    let schema = write(&dir, "unique.yaml", &model);
    let out = schemactl(
        &schema,
        &[
            "apply",
            "--database-url",
            &url,
            "--yes",
            "--allow-hazard",
            "table-rewrite",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(text(&out).contains("nothing was applied"), "{}", text(&out));
    assert_eq!(snapshot(&file), before, "{}", text(&out));
    let comment = rows(
        &file,
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'BehavioralEvent'",
    );
    assert_eq!(comment, vec![r#"{"comment":null}"#.to_string()]);
}

#[test]
fn research_model_provisions_and_matches() {
    let dir = scratch("duckdb-cli", "research");
    let file = dir.join("analytics.duckdb");
    let url = format!("duckdb://{}", file.display());
    let schema = repo().join("models/research.duckdb.yaml");
    let out = schemactl(&schema, &["provision", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = schemactl(&schema, &["drift", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let columns = rows(
        &file,
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'research' \
         AND table_name = 'behavioral_events'",
    );
    assert_eq!(columns.len(), 15, "{columns:?}");
    let indexes = rows(
        &file,
        "SELECT index_name FROM duckdb_indexes() WHERE schema_name = 'research' ORDER BY 1",
    );
    assert_eq!(indexes.len(), 3, "{indexes:?}");
}
