//! Tables on DuckDB: created, renamed, columns added, dropped and changed in place where
//! `ALTER TABLE` can, and rebuilt for everything it cannot (constraints, columns in the
//! middle, changes to tables with indexes).

const EVENTS: &str = r#"
    schemas:
      research:
        tables:
          events:
            columns:
              id: { type: bigint, primary_key: true }
              kind: { type: text, nullable: false }
              score: { type: real }
"#;

/// A new file: a schema, mixed-case names, keys, a foreign key, checks, JSON, a list,
/// indexes, comments and a view.
#[test]
fn create_from_empty() {
    case!()
        .after(
            r#"
            schemas:
              research:
                tables:
                  User:
                    columns:
                      id: { type: text, primary_key: true }
                      email: { type: text, nullable: false, unique: true }
                  BehavioralEvent:
                    comment: One row per event
                    columns:
                      id: { type: text, primary_key: true }
                      userId: { type: text, nullable: false, references: { table: User } }
                      eventType: { type: text, nullable: false, check: "\"eventType\" <> ''" }
                      eventData: { type: jsonb }
                      timestamp: { type: timestamptz, nullable: false, default: now() }
                      durationMs: { type: integer, check: "\"durationMs\" >= 0" }
                      score: { type: "numeric(5,2)" }
                      tags: { type: "text[]", comment: Free-form labels }
                      order: { type: integer, default: 0 }
                    indexes:
                      idx_events_user_time: { columns: [userId, timestamp] }
                      idx_events_type: { columns: [eventType] }
                views:
                  user_counts:
                    comment: Events per user
                    query: SELECT "userId", max("timestamp") AS latest, count(*) AS n FROM research."BehavioralEvent" GROUP BY ALL
            "#,
        )
        .check();
}

/// A nullable column at the end: `ALTER TABLE … ADD COLUMN`, no rebuild.
#[test]
fn add_column_in_place() {
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
                      kind: { type: text, nullable: false }
                      score: { type: real }
                      note: { type: text }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click', 0.5), (2, 'view', NULL)")
        .check();
}

/// A NOT NULL column with a default: added with its default (which fills the rows),
/// then made NOT NULL.
#[test]
fn add_not_null_column_with_default() {
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
                      kind: { type: text, nullable: false }
                      score: { type: real }
                      phase: { type: text, nullable: false, default: "'baseline'" }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click', 0.5)")
        .check();
}

/// ADD COLUMN appends: a column in the middle rebuilds the table, rows kept.
#[test]
fn add_column_in_the_middle_rebuilds() {
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
                      session: { type: text }
                      kind: { type: text, nullable: false }
                      score: { type: real }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click', 0.5)")
        .check();
}

/// A dropped column: `DROP COLUMN` in place.
#[test]
fn drop_column_in_place() {
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
                      kind: { type: text, nullable: false }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click', 0.5)")
        .check();
}

/// Renames to mixed-case names, in place; the unique constraint follows its column.
#[test]
fn rename_table_and_column() {
    case!()
        .before(
            r#"
            schemas:
              research:
                tables:
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: text, unique: true }
            "#,
        )
        .after(
            r#"
            schemas:
              research:
                tables:
                  BehavioralEvent:
                    renamed_from: events
                    columns:
                      id: { type: bigint, primary_key: true }
                      userId: { type: text, unique: true, renamed_from: user_id }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'u1'), (2, 'u2')")
        .check();
}

/// A type change with a conversion, a default set and a column made nullable: in place.
#[test]
fn retype_default_and_nullability_in_place() {
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
                      kind: { type: text, default: "'view'" }
                      score: { type: integer, using: "CAST(round(score * 10) AS INTEGER)" }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click', 0.56)")
        .check();
}

/// A check added: DuckDB adds no constraint to an existing table, so it is rebuilt.
#[test]
fn add_check_rebuilds() {
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
                      kind: { type: text, nullable: false, check: "kind IN ('click', 'view')" }
                      score: { type: real }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click', 0.5)")
        .check();
}

/// A unique constraint dropped: rebuilt too.
#[test]
fn drop_unique_rebuilds() {
    case!()
        .before(
            r#"
            schemas:
              research:
                tables:
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      kind: { type: text, unique: true }
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
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click')")
        .check();
}

/// A column added to a table with an index: DuckDB refuses to alter it, so the table is
/// rebuilt and its index built again.
#[test]
fn change_to_indexed_table_rebuilds() {
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
                    indexes:
                      idx_events_kind: { columns: [kind] }
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
                      note: { type: text }
                    indexes:
                      idx_events_kind: { columns: [kind] }
            "#,
        )
        .rows("INSERT INTO research.events VALUES (1, 'click'), (2, 'view')")
        .check();
}

/// Tables dropped, the referencing one first.
#[test]
fn tables_dropped() {
    case!()
        .before(
            r#"
            schemas:
              research:
                tables:
                  users:
                    columns:
                      id: { type: text, primary_key: true }
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: text, references: { table: users } }
                  kept:
                    columns:
                      id: { type: bigint, primary_key: true }
            "#,
        )
        .after(
            r#"
            schemas:
              research:
                tables:
                  kept:
                    columns:
                      id: { type: bigint, primary_key: true }
            "#,
        )
        .rows("INSERT INTO research.users VALUES ('u1'); INSERT INTO research.events VALUES (1, 'u1')")
        .check();
}

/// A table another table's foreign key references cannot be rebuilt in DuckDB: the plan
/// fails before anything runs, and says what to do.
#[test]
fn rebuild_of_referenced_table_is_refused() {
    let error = case!()
        .before(
            r#"
            schemas:
              research:
                tables:
                  users:
                    columns:
                      id: { type: text, primary_key: true }
                      name: { type: text }
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: text, references: { table: users } }
            "#,
        )
        .after(
            r#"
            schemas:
              research:
                tables:
                  users:
                    columns:
                      id: { type: text, primary_key: true }
                      name: { type: text, unique: true }
                  events:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: text, references: { table: users } }
            "#,
        )
        .plan_error();
    assert!(
        error.contains("cannot rebuild table research.users")
            && error.contains("user_id_fkey of table research.events"),
        "{error}"
    );
}
