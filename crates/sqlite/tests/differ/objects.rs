//! Indexes, views and triggers on SQLite, on their own and around a rebuilt table; and
//! the plan between identical models.

/// Indexes: one added, one dropped, one whose definition changes (dropped and created);
/// a partial and an expression index with a collation.
#[test]
fn indexes_added_dropped_changed() {
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
                      rating: { type: real }
                      year: { type: integer }
                    indexes:
                      idx_games_year: { columns: [year] }
                      idx_games_rating: { columns: [rating] }
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
                      name: { type: text, nullable: false }
                      rating: { type: real }
                      year: { type: integer }
                    indexes:
                      idx_games_rating:
                        columns: [{ column: rating, order: desc }]
                        where: rating IS NOT NULL
                      idx_games_name:
                        unique: true
                        columns: [{ expression: lower(name), collate: NOCASE }]
            "#,
        )
        .check();
}

/// A view added and one whose query changes (dropped and created); a view over a view
/// follows the one it reads.
#[test]
fn views_added_and_changed() {
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
                      rating: { type: real }
                views:
                  rated_games:
                    query: SELECT id, name, rating FROM games WHERE rating IS NOT NULL
                  top_games:
                    query: SELECT id, name FROM rated_games WHERE rating > 90
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
                      name: { type: text, nullable: false }
                      rating: { type: real }
                views:
                  rated_games:
                    query: SELECT id, name, rating FROM games WHERE rating > 0
                  top_games:
                    query: SELECT id, name FROM rated_games WHERE rating > 90
                  unrated_games:
                    query: SELECT id, name FROM games WHERE rating IS NULL
            "#,
        )
        .check();
}

/// The table under a view and a trigger is rebuilt: the view is dropped before and
/// created after; the trigger and index, dropped with the old table, are created again.
#[test]
fn view_trigger_and_index_around_a_rebuild() {
    let model = |rating: &str| {
        format!(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: {{ type: integer, primary_key: true }}
                      name: {{ type: text, nullable: false }}
                      rating: {rating}
                      updated_at: {{ type: timestamp }}
                    indexes:
                      idx_games_rating: {{ columns: [rating] }}
                    triggers:
                      trg_games_touch:
                        timing: after
                        events: [update]
                        update_of: [rating]
                        body: UPDATE games SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
                views:
                  rated_games:
                    query: SELECT id, name, rating FROM games WHERE rating IS NOT NULL
            "#
        )
    };
    case!()
        .before(&model("{ type: real }"))
        .after(&model("{ type: real, check: \"rating >= 0\" }"))
        .check();
}

/// A trigger added on one table, another dropped from another table.
#[test]
fn triggers_added_and_dropped() {
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
                      updated_at: { type: timestamp }
                  log:
                    columns:
                      id: { type: integer, primary_key: true }
                      what: { type: text }
                    triggers:
                      trg_log_insert:
                        timing: before
                        events: [insert]
                        body: SELECT 1;
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
                      name: { type: text, nullable: false }
                      updated_at: { type: timestamp }
                    triggers:
                      trg_games_deleted:
                        timing: after
                        events: [delete]
                        body: INSERT INTO log (what) VALUES ('deleted ' || OLD.name);
                  log:
                    columns:
                      id: { type: integer, primary_key: true }
                      what: { type: text }
            "#,
        )
        .check();
}

/// A trigger whose condition changes: SQLite has no CREATE OR REPLACE TRIGGER, so it is
/// dropped and created again.
#[test]
fn trigger_condition_changes() {
    let model = |when: &str| {
        format!(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: {{ type: integer, primary_key: true }}
                      rating: {{ type: real }}
                      updated_at: {{ type: timestamp }}
                    triggers:
                      trg_games_touch:
                        timing: after
                        events: [update]
                        when: {when}
                        body: UPDATE games SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
            "#
        )
    };
    case!()
        .before(&model("NEW.rating <> OLD.rating"))
        .after(&model("NEW.rating IS NOT OLD.rating"))
        .check();
}

/// Identical models: no step.
#[test]
fn identical_models_give_no_steps() {
    let model = r#"
        schemas:
          main:
            tables:
              games:
                columns:
                  id: { type: integer, primary_key: true }
                  name: { type: text, nullable: false, unique: true }
                  info: { type: json }
                  added: { type: timestamp, default: CURRENT_TIMESTAMP }
                indexes:
                  idx_games_added: { columns: [{ column: added, order: desc }] }
            views:
              named:
                query: SELECT id, name FROM games
    "#;
    let steps = case!().before(model).after(model).check();
    assert!(steps.is_empty());
}

/// A trigger on another table whose program writes to a rebuilt table: SQLite's rename
/// of the new table refuses while a trigger names a table that does not exist, so the
/// trigger goes before the rebuild and comes back after it.
#[test]
fn trigger_on_another_table_around_a_rebuild() {
    let model = |rating: &str| {
        format!(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: {{ type: integer, primary_key: true }}
                      rating: {rating}
                  reviews:
                    columns:
                      id: {{ type: integer, primary_key: true }}
                      game_id: {{ type: integer, nullable: false }}
                      score: {{ type: real, nullable: false }}
                    triggers:
                      trg_reviews_rate:
                        timing: after
                        events: [insert]
                        body: UPDATE games SET rating = NEW.score WHERE id = NEW.game_id;
            "#
        )
    };
    case!()
        .before(&model("{ type: real }"))
        .after(&model(
            "{ type: real, check: \"rating BETWEEN 0 AND 100\" }",
        ))
        .rows("INSERT INTO games (id, rating) VALUES (1, 50);")
        .check();
}

/// The same, with the trigger's program changed in the same edit: dropped before the
/// rebuild and created (not replaced) after it.
#[test]
fn changed_trigger_on_another_table_around_a_rebuild() {
    let model = |rating: &str, set: &str| {
        format!(
            r#"
            schemas:
              main:
                tables:
                  games:
                    columns:
                      id: {{ type: integer, primary_key: true }}
                      rating: {rating}
                  reviews:
                    columns:
                      id: {{ type: integer, primary_key: true }}
                      game_id: {{ type: integer, nullable: false }}
                      score: {{ type: real, nullable: false }}
                    triggers:
                      trg_reviews_rate:
                        timing: after
                        events: [insert]
                        body: UPDATE games SET rating = {set} WHERE id = NEW.game_id;
            "#
        )
    };
    case!()
        .before(&model("{ type: real }", "NEW.score"))
        .after(&model("{ type: integer }", "round(NEW.score)"))
        .check();
}
