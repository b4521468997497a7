//! The API `export --sync` uses, on the repository's research model: the plan applied
//! inside the caller's transaction with the index builds deferred until after a load,
//! and the model's index statements.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use schemactl_duckdb::{ApplyOptions, duckdb::Connection};
use schemactl_model::Model;

fn research_model() -> Model {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/research.duckdb.yaml");
    let loaded = schemactl_model::load::load_file(&path)
        .unwrap()
        .unwrap_or_else(|(_, d)| panic!("the research model does not load: {d:?}"));
    let problems = schemactl_model::validate::validate(&loaded);
    assert!(problems.is_empty(), "{problems:?}");
    loaded.model
}

#[test]
fn apply_in_the_callers_transaction_with_deferred_indexes() {
    let model = research_model();
    let mut conn = Connection::open_in_memory().unwrap();
    let tx = conn.transaction().unwrap();
    let applied = schemactl_duckdb::apply_in(
        &tx,
        &model,
        &ApplyOptions {
            defer_indexes: true,
        },
    )
    .unwrap();
    assert_eq!(applied.deferred_indexes.len(), 3);
    tx.execute_batch(
        r#"INSERT INTO research.behavioral_events (id, "userId", "eventType", "eventData", "timestamp", "experimentPhase")
           VALUES ('e1', 'u1', 'CARD_REVIEWED', '{"card": 7}', TIMESTAMP '2026-11-01 10:00:00', 'baseline_1')"#,
    )
    .unwrap();
    schemactl_duckdb::run_in(&tx, &applied.deferred_indexes).unwrap();
    tx.commit().unwrap();
    assert!(
        schemactl_duckdb::plan_model(&conn, &model)
            .unwrap()
            .is_empty()
    );
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM duckdb_indexes() WHERE schema_name = 'research'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 3);
    // A row the model's checks refuse.
    let refused = conn.execute_batch(
        r#"INSERT INTO research.behavioral_events (id, "userId", "eventType", "eventData", "timestamp")
           VALUES ('e2', 'u1', 'NOT_AN_EVENT', '{}', TIMESTAMP '2026-11-01 10:00:00')"#,
    );
    assert!(refused.is_err());
}

#[test]
fn index_statements_of_a_model_table() {
    let model = research_model();
    let indexes = schemactl_duckdb::table_indexes(&model, "research", "behavioral_events");
    let create: Vec<&str> = indexes.iter().map(|i| i.create.as_str()).collect();
    assert_eq!(
        create,
        [
            r#"CREATE INDEX idx_events_user_time ON research.behavioral_events ("userId", "timestamp")"#,
            r#"CREATE INDEX idx_events_type ON research.behavioral_events ("eventType")"#,
            r#"CREATE INDEX idx_events_phase ON research.behavioral_events ("experimentPhase")"#,
        ]
    );
    assert_eq!(
        indexes[0].drop,
        "DROP INDEX IF EXISTS research.idx_events_user_time"
    );
    assert!(schemactl_duckdb::table_indexes(&model, "research", "missing").is_empty());
}
