//! Tables on SQLite: created, renamed, columns added in place where `ALTER TABLE` can,
//! and rebuilt (SQLite's 12 steps) for everything it cannot.

const GAMES: &str = r#"
    schemas:
      main:
        tables:
          games:
            columns:
              id: { type: integer, primary_key: true }
              name: { type: text, nullable: false }
              rating: { type: real }
"#;

/// A new file: tables with inline keys, a foreign key, a JSON check and a keyword-named
/// column, an index, a trigger and a view.
#[test]
fn create_from_empty() {
    case!()
        .after(
            r#"
            schemas:
              main:
                tables:
                  studios:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false, unique: true }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
                      studio_id: { type: integer, references: { table: studios, on_delete: cascade } }
                      order: { type: integer, check: "\"order\" >= 0" }
                      genres: { type: json }
                      updated_at: { type: timestamp, nullable: false, default: CURRENT_TIMESTAMP }
                    indexes:
                      idx_games_studio: { columns: [studio_id, { column: order, order: desc }] }
                    triggers:
                      trg_games_touch:
                        timing: after
                        events: [update]
                        when: NEW.updated_at = OLD.updated_at
                        body: UPDATE games SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
                views:
                  studio_games:
                    query: SELECT s.name AS studio, g.name FROM games g JOIN studios s ON s.id = g.studio_id
            "#,
        )
        .check();
}

/// A nullable column at the end: `ALTER TABLE … ADD COLUMN`, no rebuild.
#[test]
fn add_column_in_place() {
    case!()
        .before(GAMES)
        .after(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
                      rating: { type: real }
                      released: { type: date }
                      players: { type: integer, nullable: false, default: 1 }
            "#,
        )
        .check();
}

/// A column in the middle: ADD COLUMN appends, so the table is rebuilt to keep the
/// model's column order.
#[test]
fn add_column_in_the_middle_rebuilds() {
    case!()
        .before(GAMES)
        .after(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      slug: { type: text }
                      name: { type: text, nullable: false }
                      rating: { type: real }
            "#,
        )
        .check();
}

/// SQLite refuses `CURRENT_TIMESTAMP` as an added column's default: rebuilt.
#[test]
fn add_column_with_current_timestamp_rebuilds() {
    case!()
        .before(GAMES)
        .after(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
                      rating: { type: real }
                      added_at: { type: timestamp, nullable: false, default: CURRENT_TIMESTAMP }
            "#,
        )
        .check();
}

/// A type change SQLite's ALTER cannot make: rebuilt, the values converted by `using`.
#[test]
fn change_type_rebuilds_with_using() {
    case!()
        .before(GAMES)
        .after(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
                      rating: { type: integer, using: "CAST(round(rating) AS INTEGER)" }
            "#,
        )
        .check();
}

/// A dropped column that carried a foreign key: rebuilt without it (data-loss).
#[test]
fn drop_column_with_foreign_key_rebuilds() {
    case!()
        .before(
            r#"
            schemas:
              main:
                tables:
                  studios:
                    columns:
                      id: { type: integer, primary_key: true }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
                      studio_id: { type: integer, references: { table: studios } }
            "#,
        )
        .after(
            r#"
            schemas:
              main:
                tables:
                  studios:
                    columns:
                      id: { type: integer, primary_key: true }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
            "#,
        )
        .check();
}

/// A foreign key added to an existing column: SQLite writes them into CREATE TABLE
/// only, so the table is rebuilt, with foreign keys off around the transaction and
/// checked before the commit.
#[test]
fn add_foreign_key_rebuilds() {
    case!()
        .before(
            r#"
            schemas:
              main:
                tables:
                  studios:
                    columns:
                      id: { type: integer, primary_key: true }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      studio_id: { type: integer }
            "#,
        )
        .after(
            r#"
            schemas:
              main:
                tables:
                  studios:
                    columns:
                      id: { type: integer, primary_key: true }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      studio_id: { type: integer, references: { table: studios, on_delete: set_null } }
            "#,
        )
        .check();
}

/// A unique constraint and a changed check: rebuilt.
#[test]
fn constraints_changed_rebuild() {
    case!()
        .before(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
                      rating: { type: real, check: "rating >= 0" }
            "#,
        )
        .after(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false, unique: true }
                      rating: { type: real, check: "rating BETWEEN 0 AND 100" }
            "#,
        )
        .check();
}

/// Renamed table and column: `ALTER TABLE … RENAME`, the other table's foreign key
/// follows (SQLite rewrites it), nothing is rebuilt.
#[test]
fn rename_table_and_column() {
    case!()
        .before(
            r#"
            schemas:
              main:
                tables:
                  developers:
                    columns:
                      id: { type: integer, primary_key: true }
                      title: { type: text }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      developer_id: { type: integer, references: { table: developers } }
            "#,
        )
        .after(
            r#"
            schemas:
              main:
                tables:
                  studios:
                    renamed_from: developers
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, renamed_from: title }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      developer_id: { type: integer, references: { table: studios } }
            "#,
        )
        .check();
}

/// Renamed and retyped: renamed in place first, then rebuilt, the copy naming the
/// column by its new name.
#[test]
fn rename_and_retype_column() {
    case!()
        .before(GAMES)
        .after(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      name: { type: text, nullable: false }
                      score: { type: integer, renamed_from: rating, using: "CAST(score * 10 AS INTEGER)" }
            "#,
        )
        .check();
}

/// Columns named after keywords are quoted in the rebuilt table, the copy and the index.
#[test]
fn keyword_columns_quoted_in_rebuild() {
    case!()
        .before(
            r#"
            schemas:
              main:
                tables:
                  order:
                    columns:
                      id: { type: integer, primary_key: true }
                      group: { type: text }
                      select: { type: integer }
                    indexes:
                      idx_order_group: { columns: [group] }
            "#,
        )
        .after(
            r#"
            schemas:
              main:
                tables:
                  order:
                    columns:
                      id: { type: integer, primary_key: true }
                      group: { type: text, nullable: false, default: "'none'" }
                      select: { type: integer }
                    indexes:
                      idx_order_group: { columns: [group] }
            "#,
        )
        .check();
}

/// Tables the model no longer has, one referencing the other and holding rows that do:
/// foreign key checks are deferred to the commit, so the drops go in any order.
#[test]
fn tables_dropped() {
    case!()
        .rows(
            "INSERT INTO developers (id) VALUES (1); \
             INSERT INTO games (id, developer_id) VALUES (10, 1);",
        )
        .before(
            r#"
            schemas:
              main:
                tables:
                  developers:
                    columns:
                      id: { type: integer, primary_key: true }
                  games:
                    columns:
                      id: { type: integer, primary_key: true }
                      developer_id: { type: integer, references: { table: developers } }
                  tags:
                    columns:
                      id: { type: integer, primary_key: true }
            "#,
        )
        .after(
            r#"
            schemas:
              main:
                tables:
                  tags:
                    columns:
                      id: { type: integer, primary_key: true }
            "#,
        )
        .check();
}
