//! `schemactl seed`: declared rows are upserted in one transaction, and a second run
//! changes nothing and says so.

use crate::common_pg;

use common_pg::*;

fn seed(db: &str) -> (bool, String, String) {
    let url = db_url(db);
    let out = schemactl(&schema_path(), &["seed", "--database-url", &url]);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(&out),
    )
}

#[tokio::test]
async fn seed_restores_declared_rows_and_is_idempotent() {
    let db = unique("seed_declared");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    let users = scalar_i64(&conn, "SELECT count(*) FROM ims.users").await;

    // Provision already seeded: nothing to do, and the command says so.
    let (ok, out, err) = seed(&db);
    assert!(ok, "{err}");
    assert!(out.contains("no change"), "{out}");

    // A changed and a deleted seed row come back; nothing else is touched.
    exec(
        &conn,
        "UPDATE ims.users SET display_name = 'Someone else' WHERE user_id = 1",
    )
    .await;
    exec(&conn, "DELETE FROM ims.issue_history WHERE history_id = 1").await;
    let (ok, out, err) = seed(&db);
    assert!(ok, "{err}");
    assert!(out.contains("seeded 1 row(s) into ims.users"), "{out}");
    assert!(
        out.contains("seeded 1 row(s) into ims.issue_history"),
        "{out}"
    );
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT display_name FROM ims.users WHERE user_id = 1"
        )
        .await,
        "IMS Administrator"
    );
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM ims.issue_history WHERE history_id = 1"
        )
        .await,
        1
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM ims.users").await,
        users
    );

    let (ok, out, _) = seed(&db);
    assert!(ok);
    assert!(out.contains("no change"), "{out}");

    drop(conn);
    drop_database(&db).await;
}

#[tokio::test]
async fn seed_failure_rolls_back_everything() {
    let db = unique("seed_declared_fail");
    drop_database(&db).await;
    provision(&db);
    let conn = connect(&db_url(&db)).await;
    // A seeded row changed, and a later seeded table made to reject its rows: the
    // earlier upsert must not survive the failure.
    exec(
        &conn,
        "UPDATE ims.users SET display_name = 'Changed' WHERE user_id = 1",
    )
    .await;
    exec(&conn, "DELETE FROM ims.issue_history WHERE history_id = 1").await;
    exec(
        &conn,
        "ALTER TABLE ims.issue_history ADD CONSTRAINT reject_all CHECK (history_id < 0) NOT VALID",
    )
    .await;
    let (ok, _, err) = seed(&db);
    assert!(!ok);
    assert!(err.contains("rolled back"), "{err}");
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT display_name FROM ims.users WHERE user_id = 1"
        )
        .await,
        "Changed"
    );
    drop(conn);
    drop_database(&db).await;
}
