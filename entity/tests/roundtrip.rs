#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]
//! The generated entities against real PostgreSQL: the real model is provisioned into a
//! unique database of the test cluster (never the cluster `provision` uses by default), then one row per table is inserted and read back through the
//! entities, every view is selected, and relations are followed.

use std::fs::File;
use std::path::{Path, PathBuf};

use entity::{ims, steam, streaming};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, QueryOrder};
use serde_json::json;

/// The passwords every test of the workspace provisions with (cli/tests/common_pg).
const PASSWORDS: &[(&str, &str)] = &[
    ("APP_OWNER_PASSWORD", "testkit-app_owner"),
    ("IMS_ADMIN_PASSWORD", "testkit-ims_admin"),
    ("IMS_USER_PASSWORD", "testkit-ims_user"),
    ("IMS_READONLY_PASSWORD", "testkit-ims_readonly"),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Provisions the real model through the library, holding the workspace's cluster lock
/// (roles are cluster-wide).
async fn provision(database: &str) {
    let lock = File::create(workspace().join("target").join("schemactl-tests.lock")).unwrap();
    lock.lock().unwrap();
    let loaded = schemactl::load::load_file(&workspace().join("schema.yaml"))
        .unwrap()
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)));
    let by_variable: std::collections::BTreeMap<&str, &str> = PASSWORDS.iter().copied().collect();
    let passwords = loaded
        .model
        .roles
        .iter()
        .filter_map(|(role, r)| {
            let var = r.password_env.as_deref()?;
            Some((role.clone(), String::from(*by_variable.get(var)?)))
        })
        .collect();
    let options = schemactl::provision::Options {
        database: Some(database.to_string()),
        admin_url: Some(schemactl::local::test_admin_url().unwrap()),
        passwords: Some(passwords),
        ..Default::default()
    };
    schemactl::provision::provision(&loaded.model, &options)
        .await
        .unwrap_or_else(|e| panic!("provision failed: {e:#}"));
}

async fn drop_database(name: &str) {
    let admin = schemactl::db::connect(&schemactl::local::test_admin_url().unwrap())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            schemactl::sql::ident(name)
        ))
        .await
        .unwrap();
}

fn ts(s: &str) -> DateTimeWithTimeZone {
    DateTimeWithTimeZone::parse_from_rfc3339(s).unwrap()
}

/// Drops the test's database when the test ends, also when it fails and unwinds.
struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let name = self.0.clone();
        // Drop cannot await: a thread with a runtime of its own does.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|runtime| runtime.block_on(drop_database(&name)))
        })
        .join();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_table_round_trips_through_the_generated_entities() {
    let database = format!("entity_roundtrip_{}", std::process::id());
    let _cleanup = DropDatabase(database.clone());
    drop_database(&database).await;
    provision(&database).await;
    let url = schemactl::db::with_database(&schemactl::local::test_admin_url().unwrap(), &database)
        .unwrap();
    let db = schemactl::db::connect(&url).await.unwrap();
    // The enum lives in `steam`, which is not on the search_path: SeaQL #2581.
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SHOW search_path",
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(!row.try_get_by_index::<String>(0).unwrap().contains("steam"));

    steam_tables(&db).await;
    ims_tables(&db).await;
    streaming_tables(&db).await;
    views(&db).await;
    db.close().await.unwrap();
    drop_database(&database).await;
}

async fn steam_tables(db: &DatabaseConnection) {
    use steam::sea_orm_active_enums::AppType;
    let mut embedding = vec![0.0f32; 384];
    embedding[0] = 0.5;
    let app = steam::applications::ActiveModel {
        appid: Set(9_000_001),
        name: Set(Some("Roundtrip".into())),
        r#type: Set(Some(AppType::Dlc)),
        short_description: Set(Some("short".into())),
        about_the_game: Set(Some("about".into())),
        price_overview: Set(Some(json!({"currency": "EUR", "final": 1999}))),
        dlc_appids: Set(Some(vec![1, 2, 3])),
        description_embedding: Set(Some(PgVector::from(embedding.clone()))),
        release_date: Set(Some(Date::from_ymd_opt(2026, 3, 1).unwrap())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert_eq!(app.combined_text.as_deref(), Some("Roundtrip short about"));
    let found = steam::applications::Entity::find()
        .filter(steam::applications::Column::Type.eq(AppType::Dlc))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.r#type, Some(AppType::Dlc));
    assert_eq!(found.dlc_appids, Some(vec![1, 2, 3]));
    assert_eq!(
        found.description_embedding.unwrap().as_slice(),
        &embedding[..]
    );
    assert_eq!(found.price_overview.unwrap()["final"], 1999);

    let review = steam::reviews::ActiveModel {
        recommendationid: Set("r-1".into()),
        appid: Set(app.appid),
        weighted_vote_score: Set(Some(Decimal::new(8731, 4))),
        author_playtime_forever: Set(Some(5_000_000_000)),
        review_embedding: Set(Some(PgVector::from(embedding.clone()))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert_eq!(review.weighted_vote_score, Some(Decimal::new(8731, 4)));

    let developer = steam::developers::ActiveModel {
        name: Set("Dev".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let publisher = steam::publishers::ActiveModel {
        name: Set("Pub".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let genre = steam::genres::ActiveModel {
        name: Set("Roundtrip Genre".into()),
        steam_genre_id: Set(Some(77)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let category = steam::categories::ActiveModel {
        name: Set("Roundtrip Category".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    steam::application_developers::ActiveModel {
        appid: Set(app.appid),
        developer_id: Set(developer.developer_id),
    }
    .insert(db)
    .await
    .unwrap();
    steam::application_publishers::ActiveModel {
        appid: Set(app.appid),
        publisher_id: Set(publisher.publisher_id),
    }
    .insert(db)
    .await
    .unwrap();
    steam::application_genres::ActiveModel {
        appid: Set(app.appid),
        genre_id: Set(genre.genre_id),
    }
    .insert(db)
    .await
    .unwrap();
    steam::application_categories::ActiveModel {
        appid: Set(app.appid),
        category_id: Set(category.category_id),
    }
    .insert(db)
    .await
    .unwrap();
    steam::application_screenshots::ActiveModel {
        appid: Set(app.appid),
        screenshot_id: Set(1),
        path_thumbnail: Set("t.jpg".into()),
        path_full: Set("f.jpg".into()),
    }
    .insert(db)
    .await
    .unwrap();
    let movie = steam::application_movies::ActiveModel {
        movie_id: Set(42),
        appid: Set(app.appid),
        mp4: Set(Some(json!({"480": "a.mp4"}))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert!(!movie.highlight);

    // One-to-many over the FK, and many-to-many through the junction table.
    let with_reviews = steam::applications::Entity::find_by_id(app.appid)
        .find_with_related(steam::reviews::Entity)
        .all(db)
        .await
        .unwrap();
    assert_eq!(with_reviews.len(), 1);
    assert_eq!(with_reviews[0].1[0].recommendationid, "r-1");
    let with_genres = steam::applications::Entity::find_by_id(app.appid)
        .find_with_related(steam::genres::Entity)
        .all(db)
        .await
        .unwrap();
    assert_eq!(with_genres[0].1.len(), 1);
    assert_eq!(with_genres[0].1[0].name, "Roundtrip Genre");
    let back = steam::genres::Entity::find_by_id(genre.genre_id)
        .find_with_related(steam::applications::Entity)
        .all(db)
        .await
        .unwrap();
    assert_eq!(back[0].1[0].appid, app.appid);
}

async fn ims_tables(db: &DatabaseConnection) {
    let started = ts("2026-03-05T10:00:00+00:00");
    let user = ims::users::ActiveModel {
        user_id: Set(1000),
        username: Set("roundtrip".into()),
        preferences: Set(json!({"theme": "light"})),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert_eq!(user.role, "user");
    let session = ims::crawl_sessions::ActiveModel {
        session_id: Set(1000),
        session_uuid: Set(Uuid::from_u128(0x1234)),
        user_id: Set(user.user_id),
        query_text: Set("timeouts".into()),
        started_at: Set(started),
        duration_seconds: Set(Some(Decimal::new(15525, 2))),
        client_ip: Set(Some("10.1.2.3/32".parse().unwrap())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert_eq!(session.duration_seconds, Some(Decimal::new(15525, 2)));
    let read = ims::crawl_sessions::Entity::find_by_id((1000, started))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.client_ip.unwrap().to_string(), "10.1.2.3/32");
    let issue = ims::issues::ActiveModel {
        issue_pk: Set(1000),
        issue_id: Set("IMS-RT".into()),
        title: Set("Round trip".into()),
        labels: Set(vec!["a".into(), "b".into()]),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert_eq!(issue.labels, vec!["a".to_string(), "b".to_string()]);
    ims::session_issues::ActiveModel {
        session_issue_id: Set(1000),
        session_id: Set(session.session_id),
        session_started_at: Set(started),
        issue_pk: Set(issue.issue_pk),
        relevance_score: Set(Some(Decimal::new(5, 1))),
        matched_keywords: Set(Some(vec!["timeout".into()])),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ims::issue_comments::ActiveModel {
        comment_id: Set(1000),
        issue_pk: Set(issue.issue_pk),
        content: Set("c".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ims::issue_history::ActiveModel {
        history_id: Set(1000),
        issue_pk: Set(issue.issue_pk),
        field_name: Set("status".into()),
        details: Set(Some(json!({"k": 1}))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ims::attachments::ActiveModel {
        attachment_id: Set(1000),
        issue_pk: Set(issue.issue_pk),
        session_id: Set(Some(session.session_id)),
        session_started_at: Set(Some(started)),
        file_name: Set("log.txt".into()),
        file_size: Set(Some(10)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ims::search_queries::ActiveModel {
        query_id: Set(1000),
        user_id: Set(user.user_id),
        original_query: Set("q".into()),
        parsing_confidence: Set(Some(Decimal::new(925, 3))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ims::session_errors::ActiveModel {
        error_id: Set(1000),
        session_id: Set(session.session_id),
        session_started_at: Set(started),
        error_type: Set("Timeout".into()),
        error_message: Set("timed out".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ims::analytics_daily::ActiveModel {
        stat_id: Set(1000),
        user_id: Set(user.user_id),
        stat_date: Set(Date::from_ymd_opt(2026, 3, 5).unwrap()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    ims::analytics_monthly::ActiveModel {
        stat_id: Set(1000),
        user_id: Set(user.user_id),
        year: Set(2026),
        month: Set(3),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let audit = ims::audit_log::ActiveModel {
        log_id: Set(1000),
        user_id: Set(Some(user.user_id)),
        action: Set("roundtrip".into()),
        ip_address: Set(Some("192.168.0.0/24".parse().unwrap())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert!(audit.success);
    let sessions = ims::users::Entity::find_by_id(user.user_id)
        .find_with_related(ims::crawl_sessions::Entity)
        .all(db)
        .await
        .unwrap();
    assert_eq!(sessions[0].1[0].session_uuid, Uuid::from_u128(0x1234));
}

async fn streaming_tables(db: &DatabaseConnection) {
    let user = streaming::users::ActiveModel {
        name: Set(Some("Stream".into())),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let txn = streaming::transactions::ActiveModel {
        user_id: Set(Some(user.user_id)),
        amount: Set(Some(Decimal::new(1999, 2))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let line = streaming::detailed_transactions::ActiveModel {
        transaction_id: Set(Some(txn.transaction_id)),
        user_id: Set(Some(user.user_id)),
        quantity: Set(Some(2)),
        unit_price: Set(Some(Decimal::new(999, 2))),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assert!(line.id > 0);
    assert!(line.created_at.is_some());
}

async fn views(db: &DatabaseConnection) {
    for mv in [
        "steam.developer_analytics",
        "steam.publisher_analytics",
        "steam.genre_analytics",
        "ims.mv_issue_trends",
        "ims.mv_product_statistics",
    ] {
        db.execute_unprepared(&format!("REFRESH MATERIALIZED VIEW {mv}"))
            .await
            .unwrap();
    }
    let dev = steam::developer_analytics::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dev.developer_name.as_deref(), Some("Dev"));
    assert_eq!(dev.total_apps, Some(1));
    assert_eq!(
        steam::publisher_analytics::Entity::find()
            .all(db)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        steam::genre_analytics::Entity::find()
            .all(db)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        !ims::mv_issue_trends::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !ims::mv_product_statistics::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    let detail = ims::v_session_detail::Entity::find()
        .order_by_asc(ims::v_session_detail::Column::SessionId)
        .all(db)
        .await
        .unwrap();
    assert!(
        detail
            .iter()
            .any(|d| d.session_id == 1000 && d.linked_issues == Some(1))
    );
    assert!(
        !ims::v_user_dashboard::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !ims::v_issue_search::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !ims::v_product_stats::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !ims::v_recent_errors::Entity::find()
            .all(db)
            .await
            .unwrap()
            .is_empty()
    );

    // Views are read-only entities: the hook refuses before any SQL reaches the server.
    let err = ims::v_product_stats::ActiveModel {
        product: Set("x".into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}
