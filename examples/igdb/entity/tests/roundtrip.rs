#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]
//! The generated IGDB entities against real SQLite: the example model is provisioned into
//! a fresh file, rows go in and come back out through the entities (JSON, REAL, default
//! timestamps, the touch trigger), relations are followed both ways, the view is read,
//! the triggers keep `game_genres` in step with `games.genres`, and the constraints the
//! file enforces (foreign key, `json_valid`) are shown to hold.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{NaiveDate, Utc};
use igdb_entity::{game_genres, games, ingestion_log, processing_status, top_rated_games};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait, QueryOrder};
use serde_json::json;

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.yaml")
}

/// A database file of its own under the temp directory, removed on drop.
struct TempDb {
    path: PathBuf,
}

impl TempDb {
    fn new(name: &str) -> TempDb {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "igdb-entity-{name}-{}-{nanos}.db",
            std::process::id()
        ));
        TempDb { path }
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.path.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = schemactl::sqlite::remove_database(&self.path);
    }
}

/// Provisions the example model into a fresh file and opens it (foreign keys on).
async fn provisioned(name: &str) -> (TempDb, DatabaseConnection) {
    let loaded = schemactl::load::load_file(&schema_path())
        .unwrap()
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)));
    let db = TempDb::new(name);
    let provisioned = schemactl::sqlite::provision(&loaded.model, &db.url(), true)
        .await
        .unwrap_or_else(|e| panic!("provision failed: {e:#}"));
    assert!(provisioned.created);
    let conn = schemactl::sqlite::connect(&db.url(), false).await.unwrap();
    (db, conn)
}

fn game(id: i64, name: &str, rating: Option<f64>, count: i64) -> games::ActiveModel {
    games::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        rating: Set(rating),
        rating_count: Set(count),
        ..Default::default()
    }
}

/// Four games: two rated often enough for the view, one with few ratings, one unrated.
async fn insert_games(conn: &DatabaseConnection) {
    let mut elden = game(1, "Elden Ring", Some(95.5), 1500);
    elden.genres = Set(Some(json!(["Role-playing (RPG)", "Adventure"])));
    elden.platforms = Set(Some(json!({"pc": true, "ps5": true})));
    elden.first_release_date = Set(Some(1_645_747_200));
    elden.summary = Set(Some("Rise, Tarnished.".to_string()));
    let inserted = elden.insert(conn).await.unwrap();
    assert_eq!(inserted.id, 1);
    assert_eq!(
        inserted.genres,
        Some(json!(["Role-playing (RPG)", "Adventure"]))
    );
    for model in [
        game(2, "Hollow Knight", Some(90.25), 800),
        game(3, "Obscure Gem", Some(99.0), 3),
        game(4, "Unrated", None, 0),
    ] {
        games::Entity::insert(model).exec(conn).await.unwrap();
    }
}

#[tokio::test]
async fn rows_round_trip_through_the_generated_entities() {
    let (_db, conn) = provisioned("roundtrip").await;
    let before = Utc::now().naive_utc() - chrono::Duration::seconds(5);
    insert_games(&conn).await;

    // Read back: JSON as a document, REAL as f64, the defaults the database filled in.
    let elden = games::Entity::find_by_id(1)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(elden.name, "Elden Ring");
    assert_eq!(elden.summary.as_deref(), Some("Rise, Tarnished."));
    assert_eq!(
        elden.genres,
        Some(json!(["Role-playing (RPG)", "Adventure"]))
    );
    assert_eq!(elden.platforms, Some(json!({"pc": true, "ps5": true})));
    assert_eq!(elden.themes, None);
    assert_eq!(elden.rating, Some(95.5));
    assert_eq!(elden.rating_count, 1500);
    assert_eq!(elden.first_release_date, Some(1_645_747_200));
    let after = Utc::now().naive_utc() + chrono::Duration::seconds(5);
    assert!(
        elden.created_at >= before && elden.created_at <= after,
        "created_at {} is not CURRENT_TIMESTAMP",
        elden.created_at
    );
    assert_eq!(elden.updated_at, elden.created_at);

    // JSON is stored as TEXT; the default timestamp is SQLite's own text form.
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT typeof(genres) AS t, genres, created_at FROM games WHERE id = 1",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "t").unwrap(), "text");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&row.try_get::<String>("", "genres").unwrap())
            .unwrap(),
        json!(["Role-playing (RPG)", "Adventure"])
    );
    let text: String = row.try_get("", "created_at").unwrap();
    assert_eq!(
        text,
        elden.created_at.format("%Y-%m-%d %H:%M:%S").to_string()
    );

    // A row without an id gets the next rowid.
    let numbered = games::ActiveModel {
        id: NotSet,
        name: Set("Numbered".to_string()),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .unwrap();
    assert_eq!(numbered.id, 5);
    assert_eq!(numbered.rating_count, 0);

    // Filters and order.
    let popular: Vec<(String, Option<f64>)> = games::Entity::find()
        .filter(games::Column::RatingCount.gte(10))
        .order_by_desc(games::Column::Rating)
        .all(&conn)
        .await
        .unwrap()
        .into_iter()
        .map(|g| (g.name, g.rating))
        .collect();
    assert_eq!(
        popular,
        vec![
            ("Elden Ring".to_string(), Some(95.5)),
            ("Hollow Knight".to_string(), Some(90.25)),
        ]
    );
    let unrated: Vec<i64> = games::Entity::find()
        .filter(games::Column::Rating.is_null())
        .order_by_asc(games::Column::Id)
        .all(&conn)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(unrated, vec![4, 5]);

    // The touch trigger: an update that leaves updated_at alone sets it to now.
    let mut old = games::ActiveModel::from(elden.clone());
    let long_ago = NaiveDate::from_ymd_opt(2001, 2, 3)
        .unwrap()
        .and_hms_opt(4, 5, 6)
        .unwrap();
    old.updated_at = Set(long_ago);
    old.update(&conn).await.unwrap();
    let stamped = games::Entity::find_by_id(1)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stamped.updated_at, long_ago);
    let mut rerate = games::ActiveModel::from(stamped);
    rerate.rating = Set(Some(96.0));
    rerate.update(&conn).await.unwrap();
    let touched = games::Entity::find_by_id(1)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(touched.rating, Some(96.0));
    assert!(touched.updated_at >= before, "{}", touched.updated_at);
    assert_eq!(touched.created_at, elden.created_at);
}

/// A `top_rated_games` row: id, name, rating, rating_count, first_release_date.
type TopRow = (i64, Option<String>, Option<f64>, Option<i64>, Option<i64>);

#[tokio::test]
async fn relations_and_the_view_read_back() {
    let (_db, conn) = provisioned("relations").await;
    insert_games(&conn).await;
    let done = processing_status::ActiveModel {
        game_id: Set(1),
        feature_extraction_status: Set("done".to_string()),
        last_processed_at: Set(Some(
            NaiveDate::from_ymd_opt(2024, 5, 6)
                .unwrap()
                .and_hms_opt(7, 8, 9)
                .unwrap(),
        )),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .unwrap();
    assert_eq!(done.model_training_status, "pending");
    processing_status::Entity::insert(processing_status::ActiveModel {
        game_id: Set(2),
        ..Default::default()
    })
    .exec(&conn)
    .await
    .unwrap();

    let pending: Vec<i64> = processing_status::Entity::find()
        .filter(processing_status::Column::FeatureExtractionStatus.ne("done"))
        .all(&conn)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.game_id)
        .collect();
    assert_eq!(pending, vec![2]);

    // Game → its status (has_one), every game, with or without one.
    let with_status = games::Entity::find()
        .find_with_related(processing_status::Entity)
        .order_by_asc(games::Column::Id)
        .all(&conn)
        .await
        .unwrap();
    let shape: Vec<(i64, Vec<String>)> = with_status
        .iter()
        .map(|(g, s)| {
            (
                g.id,
                s.iter()
                    .map(|p| p.feature_extraction_status.clone())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            (1, vec!["done".to_string()]),
            (2, vec!["pending".to_string()]),
            (3, vec![]),
            (4, vec![]),
        ]
    );

    // Status → its game (belongs_to).
    let also = processing_status::Entity::find()
        .find_also_related(games::Entity)
        .order_by_asc(processing_status::Column::GameId)
        .all(&conn)
        .await
        .unwrap();
    assert_eq!(also.len(), 2);
    let (status, game) = &also[0];
    assert_eq!(
        status.last_processed_at.map(|t| t.to_string()).as_deref(),
        Some("2024-05-06 07:08:09")
    );
    assert_eq!(game.as_ref().map(|g| g.name.as_str()), Some("Elden Ring"));
    let hollow = games::Entity::find_by_id(2)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    let related = hollow
        .find_related(processing_status::Entity)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(related.game_id, 2);
    assert_eq!(related.last_processed_at, None);

    // The view: games with at least ten ratings, read through its entity.
    let top = top_rated_games::Entity::find()
        .order_by_desc(top_rated_games::Column::Rating)
        .all(&conn)
        .await
        .unwrap();
    let rows: Vec<TopRow> = top
        .iter()
        .map(|t| {
            (
                t.id,
                t.name.clone(),
                t.rating,
                t.rating_count,
                t.first_release_date,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                1,
                Some("Elden Ring".to_string()),
                Some(95.5),
                Some(1500),
                Some(1_645_747_200)
            ),
            (
                2,
                Some("Hollow Knight".to_string()),
                Some(90.25),
                Some(800),
                None
            ),
        ]
    );
    // … and it refuses writes before any SQL is sent.
    let err = top_rated_games::ActiveModel::from(top[0].clone())
        .delete(&conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");

    // ON DELETE CASCADE through the foreign key.
    games::Entity::delete_by_id(2).exec(&conn).await.unwrap();
    assert!(
        processing_status::Entity::find_by_id(2)
            .one(&conn)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        processing_status::Entity::find()
            .count(&conn)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_file_enforces_its_constraints() {
    let (_db, conn) = provisioned("constraints").await;
    insert_games(&conn).await;

    // A status for a game that does not exist: the foreign key refuses it.
    let err = processing_status::ActiveModel {
        game_id: Set(999),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("FOREIGN KEY constraint failed"),
        "{err}"
    );
    assert_eq!(
        processing_status::Entity::find()
            .count(&conn)
            .await
            .unwrap(),
        0
    );

    // Text that is not JSON in a JSON column: the json_valid check refuses it.
    let err = conn
        .execute_unprepared("INSERT INTO games (id, name, genres) VALUES (10, 'Bad', 'not json')")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
    assert!(
        games::Entity::find_by_id(10)
            .one(&conn)
            .await
            .unwrap()
            .is_none()
    );

    // A rating out of range: the column check refuses it through the entity too.
    let err = games::Entity::insert(game(11, "Too good", Some(101.0), 10))
        .exec(&conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");

    // ingestion_log: defaults, the status check and the unique batch id.
    let run = ingestion_log::ActiveModel {
        batch_id: Set("2024-05-06T07:00".to_string()),
        games_fetched: Set(500),
        games_new: Set(120),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .unwrap();
    assert_eq!(run.id, 1);
    assert_eq!(run.status, "running");
    assert_eq!(run.games_updated, 0);
    assert_eq!(run.completed_at, None);
    let err = ingestion_log::ActiveModel {
        batch_id: Set("2024-05-06T07:00".to_string()),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("UNIQUE constraint failed"),
        "{err}"
    );
    let err = ingestion_log::ActiveModel {
        batch_id: Set("other".to_string()),
        status: Set("lost".to_string()),
        ..Default::default()
    }
    .insert(&conn)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
    assert_eq!(ingestion_log::Entity::find().count(&conn).await.unwrap(), 1);
}

/// `game_genres` of one game, by genre: (genre, first_release_date, rating).
async fn genres_of(conn: &DatabaseConnection, id: i64) -> Vec<(String, Option<i64>, Option<f64>)> {
    game_genres::Entity::find()
        .filter(game_genres::Column::GameId.eq(id))
        .order_by_asc(game_genres::Column::Genre)
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.genre, r.first_release_date, r.rating))
        .collect()
}

/// The rowids of a game's `game_genres` rows: new ones when the rows were rewritten.
async fn genre_rowids(conn: &DatabaseConnection, id: i64) -> Vec<i64> {
    conn.query_all_raw(sea_orm::Statement::from_string(
        conn.get_database_backend(),
        format!("SELECT rowid AS r FROM game_genres WHERE game_id = {id} ORDER BY rowid"),
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get::<i64>("", "r").unwrap())
    .collect()
}

#[tokio::test]
async fn triggers_keep_game_genres_in_step_with_games() {
    let (_db, conn) = provisioned("genres").await;
    insert_games(&conn).await;
    let date = Some(1_645_747_200);

    // Inserting a game through the entity fills its genres, with the copied columns; a
    // game without genres has none.
    assert_eq!(
        genres_of(&conn, 1).await,
        vec![
            ("Adventure".to_string(), date, Some(95.5)),
            ("Role-playing (RPG)".to_string(), date, Some(95.5)),
        ]
    );
    assert!(genres_of(&conn, 2).await.is_empty());
    let elden = games::Entity::find_by_id(1)
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    let related = elden
        .find_related(game_genres::Entity)
        .count(&conn)
        .await
        .unwrap();
    assert_eq!(related, 2);

    // Updating genres replaces them; updating the rating rewrites the copies.
    let mut regenre = games::ActiveModel::from(elden);
    regenre.genres = Set(Some(json!(["Adventure", "Souls-like"])));
    regenre.rating = Set(Some(96.0));
    regenre.update(&conn).await.unwrap();
    assert_eq!(
        genres_of(&conn, 1).await,
        vec![
            ("Adventure".to_string(), date, Some(96.0)),
            ("Souls-like".to_string(), date, Some(96.0)),
        ]
    );

    // A repeated genre and a null element are skipped, not refused. (Inserted after
    // game 1's rows, so that rewriting those would give them new rowids.)
    let mut odd = game(6, "Odd Lists", None, 0);
    odd.genres = Set(Some(json!(["Indie", "Indie", null, "Puzzle"])));
    odd.insert(&conn).await.unwrap();
    let names: Vec<String> = genres_of(&conn, 6).await.into_iter().map(|g| g.0).collect();
    assert_eq!(names, ["Indie", "Puzzle"]);

    // An UPDATE that sets genres, release date and rating to what they were (as an upsert
    // of a changed name does) leaves the rows alone: same rowids.
    let rowids = genre_rowids(&conn, 1).await;
    conn.execute_unprepared(
        "UPDATE games SET name = 'Elden Ring GOTY', genres = genres, \
         first_release_date = first_release_date, rating = rating WHERE id = 1",
    )
    .await
    .unwrap();
    assert_eq!(genre_rowids(&conn, 1).await, rowids);

    // Clearing genres clears the rows; deleting a game deletes its rows (cascade).
    conn.execute_unprepared("UPDATE games SET genres = NULL WHERE id = 6")
        .await
        .unwrap();
    assert!(genres_of(&conn, 6).await.is_empty());
    games::Entity::delete_by_id(1).exec(&conn).await.unwrap();
    assert_eq!(game_genres::Entity::find().count(&conn).await.unwrap(), 0);
}
