#![cfg(feature = "duckdb")]
//! DuckDB upgrades on real database files: for each edit, a file provisioned from the old
//! model, holding rows, then upgraded by `apply` must have the same structure as a file
//! provisioned fresh from the new model (both as schemactl describes it and as DuckDB's
//! own catalog functions list it), keep its rows, and plan nothing more.

use std::path::Path;

use crate::common_files::{model, scratch};

use schemactl::duck;

const BASE: &str = r#"
database:
  name: research
  target: duckdb
schemas:
  research:
    tables:
      users:
        columns:
          id: { type: text, primary_key: true }
          email: { type: text, nullable: false, unique: true }
      BehavioralEvent:
        columns:
          id: { type: text, primary_key: true }
          userId: { type: text, nullable: false }
          eventType: { type: text, nullable: false, check: "\"eventType\" IN ('click', 'view', 'submit')" }
          eventData: { type: json }
          timestamp: { type: timestamptz, nullable: false }
          durationMs: { type: integer }
          score: { type: "numeric(5,2)" }
        indexes:
          idx_events_user_time: { columns: [userId, timestamp] }
          idx_events_type: { columns: [eventType] }
      sessions:
        columns:
          id: { type: bigint, primary_key: true }
          userId: { type: text, references: { table: users } }
          startedAt: { type: timestamp }
          note: { type: text }
    views:
      event_counts:
        query: SELECT "eventType", count(*) AS n FROM research."BehavioralEvent" GROUP BY "eventType"
"#;

const ROWS: &str = r#"
INSERT INTO research.users VALUES ('u1', 'a@example.org'), ('u2', 'b@example.org');
INSERT INTO research."BehavioralEvent" VALUES
  ('e1', 'u1', 'click', '{"page": "home"}', TIMESTAMPTZ '2026-11-01 10:00:00+00', 120, 4.50),
  ('e2', 'u1', 'view', NULL, TIMESTAMPTZ '2026-11-02 11:30:00+00', NULL, NULL),
  ('e3', 'u2', 'submit', '{"answer": 42}', TIMESTAMPTZ '2026-11-03 09:15:00+00', 3000, 99.99);
INSERT INTO research.sessions VALUES (1, 'u1', TIMESTAMP '2026-11-01 09:59:00', 'first'),
  (2, 'u2', NULL, NULL);
"#;

fn edit(from: &str, to: &str) -> String {
    assert!(
        BASE.contains(from),
        "scenario edits text the base lacks: {from}"
    );
    BASE.replacen(from, to, 1)
}

fn url(path: &Path) -> String {
    format!("duckdb://{}", path.display())
}

/// Every row of `sql`, each value as text.
fn rows(path: &Path, sql: &str) -> Vec<String> {
    let conn = schemactl_duckdb::open(path, false).unwrap();
    let wrapped = format!("SELECT CAST(to_json(q) AS VARCHAR) FROM ({sql}) AS q");
    let mut stmt = conn.prepare(&wrapped).unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The structure as DuckDB's catalog functions list it (independent of schemactl's
/// describer): columns, constraints, indexes and views.
fn catalog_rows(path: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() \
         AND NOT internal ORDER BY 1",
        "SELECT schema_name, table_name, column_index, column_name, data_type, is_nullable, \
         column_default, comment FROM duckdb_columns() WHERE database_name = current_database() \
         AND NOT internal ORDER BY ALL",
        "SELECT schema_name, table_name, constraint_type, constraint_text FROM \
         duckdb_constraints() WHERE database_name = current_database() ORDER BY ALL",
        "SELECT schema_name, table_name, index_name, is_unique, sql FROM duckdb_indexes() \
         WHERE database_name = current_database() ORDER BY ALL",
        "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE database_name = \
         current_database() AND NOT internal ORDER BY ALL",
    ] {
        out.extend(rows(path, sql));
    }
    out
}

fn described(path: &Path) -> schemactl::catalog::Catalog {
    let conn = schemactl_duckdb::open(path, false).unwrap();
    schemactl_duckdb::describe::describe(&conn, "research").unwrap()
}

struct Scenario {
    name: &'static str,
    new: String,
    /// A query whose result must survive the upgrade unchanged.
    kept: &'static str,
    /// The same query under the new names, when the edit renames.
    kept_after: Option<&'static str>,
    /// Whether the plan rebuilds a table.
    rebuilds: bool,
}

fn run(scenario: Scenario) {
    let dir = scratch("duckdb-upgrade", scenario.name);
    let old = model(&dir, "old.yaml", BASE);
    let new = model(&dir, "new.yaml", &scenario.new);

    let fresh = dir.join("fresh.duckdb");
    duck::provision(&new, &url(&fresh), true).unwrap();

    let upgraded = dir.join("upgraded.duckdb");
    duck::provision(&old, &url(&upgraded), true).unwrap();
    schemactl_duckdb::open(&upgraded, false)
        .unwrap()
        .execute_batch(ROWS)
        .unwrap();
    let before = rows(&upgraded, scenario.kept);
    let plan = duck::plan(&new, &url(&upgraded)).unwrap();
    let script = duck::script_sql(&plan);
    assert!(!plan.is_empty(), "{}: the edit gave no plan", scenario.name);
    assert_eq!(
        schemactl_duckdb::rebuilds(&plan),
        scenario.rebuilds,
        "{}: rebuild expected: {}\n{script}",
        scenario.name,
        scenario.rebuilds
    );
    duck::apply(&url(&upgraded), &plan)
        .unwrap_or_else(|e| panic!("{}: apply fails: {e:#}\n{script}", scenario.name));
    assert_eq!(
        described(&upgraded),
        described(&fresh),
        "{}: apply ≠ fresh (described)\n{script}",
        scenario.name
    );
    assert_eq!(
        catalog_rows(&upgraded),
        catalog_rows(&fresh),
        "{}: apply ≠ fresh (DuckDB's catalog)\n{script}",
        scenario.name
    );
    let again = duck::plan(&new, &url(&upgraded)).unwrap();
    assert!(
        again.is_empty(),
        "{}: plan after apply is not empty:\n{}",
        scenario.name,
        duck::script_sql(&again)
    );
    assert_eq!(
        rows(&upgraded, scenario.kept_after.unwrap_or(scenario.kept)),
        before,
        "{}: rows changed\n{script}",
        scenario.name
    );
}

macro_rules! scenario {
    ($test:ident, $new:expr, kept: $kept:expr, after: $after:expr, rebuilds: $rebuilds:expr) => {
        #[test]
        fn $test() {
            run(Scenario {
                name: stringify!($test),
                new: $new,
                kept: $kept,
                kept_after: $after,
                rebuilds: $rebuilds,
            });
        }
    };
    ($test:ident, $new:expr, $kept:expr, rebuilds: $rebuilds:expr) => {
        scenario!($test, $new, kept: $kept, after: None, rebuilds: $rebuilds);
    };
}

const EVENTS: &str = r#"SELECT id, "userId", "eventType", "eventData", "timestamp", "durationMs", score FROM research."BehavioralEvent" ORDER BY id"#;
const SESSIONS: &str = r#"SELECT id, "userId", "startedAt" FROM research.sessions ORDER BY id"#;
const NOTE: &str = "          note: { type: text }\n";

scenario!(
    add_nullable_column,
    edit(NOTE, "          note: { type: text }\n          device: { type: text }\n"),
    SESSIONS,
    rebuilds: false
);
scenario!(
    add_not_null_column_with_default,
    edit(
        NOTE,
        "          note: { type: text }\n          attempts: { type: integer, nullable: false, default: 1 }\n"
    ),
    SESSIONS,
    rebuilds: false
);
scenario!(
    rename_column_to_mixed_case,
    edit(NOTE, "          sessionNote: { type: text, renamed_from: note }\n"),
    kept: "SELECT id, note FROM research.sessions ORDER BY id",
    after: Some(r#"SELECT id, "sessionNote" AS note FROM research.sessions ORDER BY id"#),
    rebuilds: false
);
scenario!(
    drop_column,
    edit(NOTE, ""),
    SESSIONS,
    rebuilds: false
);
scenario!(
    default_and_not_null_in_place,
    edit(
        "          userId: { type: text, references: { table: users } }\n          startedAt: { type: timestamp }\n          note: { type: text }\n",
        "          userId: { type: text, nullable: false, references: { table: users } }\n          startedAt: { type: timestamp }\n          note: { type: text, default: \"'none'\" }\n"
    ),
    SESSIONS,
    rebuilds: false
);
scenario!(
    retype_column_of_indexed_table_rebuilds,
    edit(
        "          durationMs: { type: integer }\n",
        "          durationMs: { type: bigint }\n"
    ),
    EVENTS,
    rebuilds: true
);
scenario!(
    add_check_rebuilds_and_keeps_indexes,
    edit(
        "          durationMs: { type: integer }\n",
        "          durationMs: { type: integer, check: \"\\\"durationMs\\\" >= 0\" }\n"
    ),
    EVENTS,
    rebuilds: true
);
scenario!(
    add_index,
    edit(
        "          note: { type: text }\n    views:",
        "          note: { type: text }\n        indexes:\n          idx_sessions_started: { columns: [startedAt] }\n    views:"
    ),
    SESSIONS,
    rebuilds: false
);
scenario!(
    drop_and_change_indexes,
    edit(
        "          idx_events_user_time: { columns: [userId, timestamp] }\n          idx_events_type: { columns: [eventType] }\n",
        "          idx_events_user_time: { columns: [userId, eventType, timestamp] }\n"
    ),
    EVENTS,
    rebuilds: false
);
scenario!(
    change_view,
    edit(
        "GROUP BY \"eventType\"\n",
        "WHERE \"durationMs\" IS NOT NULL GROUP BY \"eventType\"\n"
    ),
    EVENTS,
    rebuilds: false
);
scenario!(
    rename_table_to_mixed_case,
    edit(
        "      BehavioralEvent:\n",
        "      BehavioralEvents:\n        renamed_from: BehavioralEvent\n"
    )
    .replace("research.\"BehavioralEvent\" GROUP", "research.\"BehavioralEvents\" GROUP"),
    kept: EVENTS,
    after: Some(r#"SELECT id, "userId", "eventType", "eventData", "timestamp", "durationMs", score FROM research."BehavioralEvents" ORDER BY id"#),
    rebuilds: true
);
scenario!(
    new_schema_and_table,
    format!(
        "{BASE}  staging:\n    tables:\n      raw_events:\n        columns:\n          line: {{ type: text }}\n          tags: {{ type: \"text[]\" }}\n"
    ),
    EVENTS,
    rebuilds: false
);
scenario!(
    drop_table,
    edit(
        "      sessions:\n        columns:\n          id: { type: bigint, primary_key: true }\n          userId: { type: text, references: { table: users } }\n          startedAt: { type: timestamp }\n          note: { type: text }\n",
        ""
    ),
    EVENTS,
    rebuilds: false
);
