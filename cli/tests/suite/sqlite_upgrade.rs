//! SQLite upgrades: for each edit, a database built from the old model and upgraded (by
//! `apply` and by a generated migration) must have the same structure as one built fresh
//! from the new model, keep its rows, and go back with the migration's down.

use std::path::Path;

use crate::common_files::{model, scratch};

use schemactl::model::Model;
use schemactl::sqlite;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

const BASE: &str = r#"
database:
  name: catalog
  target: sqlite
schemas:
  main:
    tables:
      studios:
        columns:
          id: { type: integer, primary_key: true }
          name: { type: text, nullable: false }
      games:
        columns:
          id: { type: integer, primary_key: true }
          name: { type: text, nullable: false }
          studio_id:
            type: integer
            references: { table: studios, on_delete: cascade }
          rating: { type: real }
          genres: { type: json }
          year: { type: integer }
          updated_at: { type: timestamp, nullable: false, default: CURRENT_TIMESTAMP }
        indexes:
          idx_games_rating:
            columns: [{ column: rating, order: desc }]
            where: rating IS NOT NULL
        triggers:
          trg_games_touch:
            timing: after
            events: [update]
            when: NEW.updated_at = OLD.updated_at
            body: UPDATE games SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
      tags:
        columns:
          id: { type: integer, primary_key: true }
          label: { type: text, nullable: false, unique: true }
    views:
      rated_games:
        query: SELECT id, name, rating FROM games WHERE rating IS NOT NULL
      top_games:
        query: SELECT id, name FROM rated_games WHERE rating > 90
"#;

fn edit(from: &str, to: &str) -> String {
    assert!(
        BASE.contains(from),
        "scenario edits text the base lacks: {from}"
    );
    BASE.replacen(from, to, 1)
}

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn rows(conn: &DatabaseConnection, sql: &str) -> Vec<Vec<String>> {
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (0..)
                .map_while(|i| {
                    row.try_get_by_index::<Option<String>>(i)
                        .map(|v| v.unwrap_or_else(|| "NULL".into()))
                        .or_else(|_| {
                            row.try_get_by_index::<Option<i64>>(i)
                                .map(|v| v.map(|n| n.to_string()).unwrap_or_else(|| "NULL".into()))
                        })
                        .or_else(|_| {
                            row.try_get_by_index::<Option<f64>>(i)
                                .map(|v| v.map(|n| n.to_string()).unwrap_or_else(|| "NULL".into()))
                        })
                        .ok()
                })
                .collect()
        })
        .collect()
}

/// The structure SQLite reports, independent of how the statements were written: columns,
/// foreign keys and indexes from the PRAGMAs, views and triggers as normalized text.
async fn structure(path: &Path) -> Vec<String> {
    let conn = sqlite::connect(&url(path), false).await.unwrap();
    let mut out = Vec::new();
    let objects = rows(
        &conn,
        "SELECT type, name, tbl_name, sql FROM sqlite_schema \
         WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY type, name",
    )
    .await;
    for object in objects {
        let (kind, name, sql) = (&object[0], &object[1], &object[3]);
        match kind.as_str() {
            "table" => {
                for pragma in ["table_xinfo", "foreign_key_list", "index_list"] {
                    for row in
                        rows(&conn, &format!("SELECT * FROM pragma_{pragma}('{name}')")).await
                    {
                        // index_list's first column is a sequence number, not structure.
                        let row = if pragma == "index_list" {
                            &row[1..]
                        } else {
                            &row[..]
                        };
                        out.push(format!("{name} {pragma} {row:?}"));
                    }
                }
                // CHECK constraints are only in the statement.
                let checks = sql.matches("CHECK").count();
                out.push(format!("{name} checks {checks}"));
            }
            "index" => {
                for row in rows(
                    &conn,
                    &format!("SELECT * FROM pragma_index_xinfo('{name}')"),
                )
                .await
                {
                    out.push(format!("index {name} {row:?}"));
                }
                out.push(format!("index {name} {}", normalize(sql)));
            }
            _ => out.push(format!("{kind} {name} {}", normalize(sql))),
        }
    }
    conn.close().await.unwrap();
    // Creation order (index_list's order) is not structure; the rows carry positions
    // where order matters (table_xinfo's cid).
    out.sort();
    out
}

/// A statement with spacing ignored and identifiers unquoted where quotes are not needed:
/// SQLite quotes the names it writes into stored statements after a rename.
fn normalize(sql: &str) -> String {
    use sqlparser::dialect::SQLiteDialect;
    use sqlparser::tokenizer::{Token, Tokenizer};
    Tokenizer::new(&SQLiteDialect {}, sql)
        .tokenize()
        .unwrap()
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .map(|t| match t {
            Token::Word(w)
                if w.quote_style.is_some() && schemactl_sqlite::ident(&w.value) == w.value =>
            {
                w.value
            }
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

async fn fill(path: &Path) {
    let conn = sqlite::connect(&url(path), false).await.unwrap();
    conn.execute_unprepared(
        "INSERT INTO studios (id, name) VALUES (1, 'Valve'), (2, 'Nintendo');
         INSERT INTO games (id, name, studio_id, rating, genres, year) VALUES
           (10, 'Portal', 1, 95.5, '[\"puzzle\"]', 2007),
           (11, 'Zelda', 2, 97.0, '[\"adventure\"]', 1986),
           (12, 'Unrated', 2, NULL, NULL, NULL);
         INSERT INTO tags (label) VALUES ('indie'), ('classic');",
    )
    .await
    .unwrap();
    conn.close().await.unwrap();
}

struct Scenario {
    name: &'static str,
    new: String,
    /// A query whose result must survive the upgrade unchanged.
    kept: &'static str,
    hazards_allowed: bool,
}

async fn run(scenario: Scenario) {
    let dir = scratch("sqlite-upgrade", scenario.name);
    let old = model(&dir, "old.yaml", BASE);
    let new = model(&dir, "new.yaml", &scenario.new);

    // Fresh build of the new model.
    let fresh = dir.join("fresh.db");
    sqlite::provision(&new, &url(&fresh), true).await.unwrap();
    let expected = structure(&fresh).await;

    // Old model, rows, then apply.
    let upgraded = dir.join("upgraded.db");
    sqlite::provision(&old, &url(&upgraded), true)
        .await
        .unwrap();
    fill(&upgraded).await;
    let before = {
        let conn = sqlite::connect(&url(&upgraded), false).await.unwrap();
        rows(&conn, scenario.kept).await
    };
    let plan = sqlite::plan(&new, &url(&upgraded)).await.unwrap();
    assert!(
        !plan.is_empty(),
        "{}: the edit produced no plan",
        scenario.name
    );
    if !scenario.hazards_allowed {
        assert!(
            plan.iter().all(|s| s.hazards.is_empty()),
            "{}: unexpected hazards in\n{}",
            scenario.name,
            schemactl_sqlite::script_sql(&plan)
        );
    }
    sqlite::apply(&url(&upgraded), &plan).await.unwrap();
    assert_eq!(
        structure(&upgraded).await,
        expected,
        "{}: apply ≠ fresh\n{}",
        scenario.name,
        schemactl_sqlite::script_sql(&plan)
    );
    let again = sqlite::plan(&new, &url(&upgraded)).await.unwrap();
    assert!(
        again.is_empty(),
        "{}: plan after apply is not empty:\n{}",
        scenario.name,
        schemactl_sqlite::script_sql(&again)
    );
    let conn = sqlite::connect(&url(&upgraded), false).await.unwrap();
    assert_eq!(
        rows(&conn, scenario.kept).await,
        before,
        "{}: rows changed",
        scenario.name
    );
    let broken = rows(&conn, "SELECT * FROM pragma_foreign_key_check").await;
    assert!(
        broken.is_empty(),
        "{}: broken references {broken:?}",
        scenario.name
    );
    conn.close().await.unwrap();

    // The same edit as versioned migrations, then back down.
    let migrations = dir.join("migration");
    let write =
        |m: &Model, name: &str| match schemactl::migrate::new_migration(&migrations, m, name)
            .unwrap()
        {
            schemactl::migrate::NewOutcome::Written { version, .. } => version,
            schemactl::migrate::NewOutcome::NoChange => {
                panic!("{}: no migration for {name}", scenario.name)
            }
        };
    write(&old, "initial");
    // Versions are timestamped to the second.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write(&new, "edit");
    let migrated = dir.join("migrated.db");
    let conn = sqlite::connect(&url(&migrated), true).await.unwrap();
    schemactl::migrate::run::up(&conn, &migrations, Some(1), None)
        .await
        .unwrap();
    conn.close().await.unwrap();
    fill(&migrated).await;
    let conn = sqlite::connect(&url(&migrated), false).await.unwrap();
    schemactl::migrate::run::up(&conn, &migrations, None, None)
        .await
        .unwrap();
    let kept = rows(&conn, scenario.kept).await;
    conn.close().await.unwrap();
    let mut migrated_structure = structure(&migrated).await;
    migrated_structure.retain(|line| !line.starts_with("seaql_migrations"));
    assert_eq!(
        migrated_structure, expected,
        "{}: migration ≠ fresh",
        scenario.name
    );
    assert_eq!(kept, before, "{}: migration changed rows", scenario.name);

    let conn = sqlite::connect(&url(&migrated), false).await.unwrap();
    schemactl::migrate::run::down(&conn, &migrations, 1, None)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let old_fresh = dir.join("old-fresh.db");
    sqlite::provision(&old, &url(&old_fresh), true)
        .await
        .unwrap();
    let mut reverted = structure(&migrated).await;
    reverted.retain(|line| !line.starts_with("seaql_migrations"));
    assert_eq!(
        reverted,
        structure(&old_fresh).await,
        "{}: down ≠ old",
        scenario.name
    );
}

macro_rules! scenario {
    ($test:ident, $new:expr, $kept:expr, $hazards:expr) => {
        #[tokio::test]
        async fn $test() {
            run(Scenario {
                name: stringify!($test),
                new: $new,
                kept: $kept,
                hazards_allowed: $hazards,
            })
            .await;
        }
    };
}

const GAMES: &str = "SELECT id, name, studio_id, rating FROM games ORDER BY id";
const LAST_COLUMN: &str = "default: CURRENT_TIMESTAMP }\n";

scenario!(
    add_nullable_column,
    edit(
        LAST_COLUMN,
        "default: CURRENT_TIMESTAMP }\n          summary: { type: text }\n"
    ),
    GAMES,
    false
);
scenario!(
    add_not_null_column_with_default,
    edit(
        LAST_COLUMN,
        "default: CURRENT_TIMESTAMP }\n          rating_count: { type: integer, nullable: false, default: 0 }\n"
    ),
    GAMES,
    false
);
scenario!(
    rename_column,
    edit(
        "          year: { type: integer }\n",
        "          release_year: { type: integer, renamed_from: year }\n"
    ),
    GAMES,
    false
);
scenario!(
    drop_column_rebuilds,
    edit("          year: { type: integer }\n", ""),
    GAMES,
    true
);
scenario!(
    type_change_rebuild_keeps_data,
    edit(
        "          rating: { type: real }\n",
        "          rating: { type: text, using: \"printf('%.1f', rating)\" }\n"
    ),
    "SELECT id, name FROM games ORDER BY id",
    true
);
scenario!(
    not_null_added_with_using,
    edit(
        "          year: { type: integer }\n",
        "          year: { type: integer, nullable: false, default: 0, using: \"coalesce(year, 0)\" }\n"
    ),
    GAMES,
    true
);
scenario!(
    unique_added,
    edit(
        "          name: { type: text, nullable: false }\n      games:",
        "          name: { type: text, nullable: false, unique: true }\n      games:"
    ),
    "SELECT id, name FROM studios ORDER BY id",
    true
);
scenario!(
    check_added,
    edit(
        "          rating: { type: real }\n",
        "          rating: { type: real, check: rating BETWEEN 0 AND 100 }\n"
    ),
    GAMES,
    true
);
scenario!(
    parent_rebuilt_children_kept,
    edit(
        "          name: { type: text, nullable: false }\n      games:",
        "          name: { type: text, nullable: false, check: length(name) > 0 }\n      games:"
    ),
    GAMES,
    true
);
scenario!(
    partial_index_predicate_changed,
    edit(
        "            where: rating IS NOT NULL\n",
        "            where: rating >= 50\n"
    ),
    GAMES,
    false
);
scenario!(
    index_added,
    edit(
        "        triggers:\n",
        "          idx_games_name:\n            columns: [{ column: name, collate: NOCASE }]\n        triggers:\n"
    ),
    GAMES,
    false
);
scenario!(
    view_with_dependent_view_changed,
    edit(
        "query: SELECT id, name, rating FROM games WHERE rating IS NOT NULL",
        "query: SELECT id, name, rating, year FROM games WHERE rating IS NOT NULL"
    ),
    GAMES,
    false
);
scenario!(
    trigger_body_changed,
    edit(
        "body: UPDATE games SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;",
        "body: UPDATE games SET updated_at = datetime('now') WHERE id = NEW.id;"
    ),
    GAMES,
    false
);
scenario!(
    table_renamed,
    edit(
        "      studios:\n        columns:",
        "      developers:\n        renamed_from: studios\n        columns:"
    )
    .replacen(
        "references: { table: studios",
        "references: { table: developers",
        1
    ),
    GAMES,
    false
);
scenario!(
    table_added_with_reference,
    edit(
        "    views:\n",
        "      reviews:\n        columns:\n          id: { type: integer, primary_key: true }\n          game_id: { type: integer, nullable: false, references: { table: games } }\n          body: { type: text }\n    views:\n"
    ),
    GAMES,
    false
);
scenario!(
    table_dropped,
    edit(
        "      tags:\n        columns:\n          id: { type: integer, primary_key: true }\n          label: { type: text, nullable: false, unique: true }\n",
        ""
    ),
    GAMES,
    true
);
