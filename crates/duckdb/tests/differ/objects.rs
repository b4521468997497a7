//! Schemas, indexes, views and comments on DuckDB.

const EVENTS: &str = r#"
    schemas:
      research:
        tables:
          events:
            columns:
              id: { type: bigint, primary_key: true }
              user_id: { type: text }
              kind: { type: text }
              at: { type: timestamp }
            indexes:
              idx_events_user_time: { columns: [user_id, at] }
              idx_events_kind: { columns: [kind] }
"#;

/// The same model twice: no steps.
#[test]
fn identical_models_give_no_steps() {
    case!().before(EVENTS).after(EVENTS).check();
}

/// An index added, one dropped, one changed (dropped and built again).
#[test]
fn indexes_added_dropped_changed() {
    case!()
        .before(EVENTS)
        .after(
            r#"
            schemas:
              research:
                tables:
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: text }
                      kind: { type: text }
                      at: { type: timestamp }
                    indexes:
                      idx_events_user_time: { columns: [user_id, kind, at] }
                      idx_events_at: { columns: [at], unique: true }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'u1', 'click', TIMESTAMP '2026-01-01 10:00:00')")
        .check();
}

/// A view added and one changed (dropped and created again).
#[test]
fn views_added_and_changed() {
    case!()
        .before(
            r#"
            schemas:
              research:
                tables:
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      kind: { type: text }
                views:
                  kinds:
                    query: SELECT DISTINCT kind FROM research.events
            "#,
        )
        .after(
            r#"
            schemas:
              research:
                tables:
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      kind: { type: text }
                views:
                  kinds:
                    query: SELECT kind, count(*) AS n FROM research.events GROUP BY kind
                  clicks:
                    query: SELECT id FROM research.events WHERE kind = 'click'
            "#,
        )
        .check();
}

/// Comments on a table, a column and a view set, changed and removed.
#[test]
fn comments_changed() {
    case!()
        .before(
            r#"
            schemas:
              research:
                tables:
                  events:
                    comment: One row per event
                    columns:
                      id: { type: bigint, primary_key: true, comment: "the event's id" }
                      kind: { type: text }
                views:
                  kinds:
                    query: SELECT DISTINCT kind FROM research.events
            "#,
        )
        .after(
            r#"
            schemas:
              research:
                tables:
                  events:
                    comment: One row per event, as exported
                    columns:
                      id: { type: bigint, primary_key: true }
                      kind: { type: text, comment: click or view }
                views:
                  kinds:
                    comment: The kinds of event seen
                    query: SELECT DISTINCT kind FROM research.events
            "#,
        )
        .check();
}

/// A schema added with a table, another dropped with its table.
#[test]
fn schemas_added_and_dropped() {
    case!()
        .before(
            r#"
            schemas:
              staging:
                tables:
                  raw:
                    columns:
                      line: { type: text }
            "#,
        )
        .after(
            r#"
            schemas:
              research:
                tables:
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
            "#,
        )
        .check();
}
