//! The migration workflow on a copy of the project: `migrate new` with and without
//! changes, `provision` refusing when the migrations are behind, then catching up.

use crate::common_pg;

use std::path::{Path, PathBuf};

use common_pg::*;

/// A project directory with the repository's model and migrations.
fn project_copy(tag: &str) -> PathBuf {
    let dir = workspace().join("target").join("test-projects").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("migration").join("src")).unwrap();
    std::fs::copy(schema_path(), dir.join("schema.yaml")).unwrap();
    copy_tree(
        &workspace().join("migration").join("sql"),
        &dir.join("migration").join("sql"),
    );
    std::fs::copy(
        workspace().join("migration").join("schema.snapshot.json"),
        dir.join("migration").join("schema.snapshot.json"),
    )
    .unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[tokio::test]
async fn migrations_behind_the_model_stop_provisioning_until_caught_up() {
    let tag = unique("t_migflow");
    let dir = project_copy(&tag);
    let schema = dir.join("schema.yaml");

    let out = schemactl(&schema, &["migrate", "new", "nothing"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("nothing written"), "{}", stdout(&out));
    let steps_before = schemactl::migrate::versions(&dir.join("migration"))
        .unwrap()
        .len();

    // Edit the model: a new column on streaming.users.
    let text = std::fs::read_to_string(&schema).unwrap();
    let anchor = "      users:\n";
    let at = text.rfind(anchor).expect("streaming.users in schema.yaml");
    let columns_at =
        at + text[at..].find("        columns:\n").unwrap() + "        columns:\n".len();
    let mut edited = text.clone();
    edited.insert_str(columns_at, "          nickname: { type: text }\n");
    std::fs::write(&schema, &edited).unwrap();

    drop_database(&tag).await;
    let out = schemactl(&schema, &["provision", &tag]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("migrate new"), "{}", stderr(&out));
    assert!(!database_exists(&tag).await, "nothing was changed");

    let out = schemactl(&schema, &["migrate", "new", "add_nickname"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let versions = schemactl::migrate::versions(&dir.join("migration")).unwrap();
    assert_eq!(versions.len(), steps_before + 1);
    let newest = versions.last().unwrap();
    assert!(newest.ends_with("_add_nickname"));
    let up =
        std::fs::read_to_string(dir.join("migration/sql").join(newest).join("up.sql")).unwrap();
    assert!(up.contains("ADD COLUMN nickname text"), "{up}");
    let lib = std::fs::read_to_string(dir.join("migration/src/lib.rs")).unwrap();
    assert!(
        lib.contains(&format!("mod {newest};")),
        "lib.rs lists the new step"
    );
    assert!(
        dir.join("migration/src")
            .join(format!("{newest}.rs"))
            .exists()
    );

    let out = schemactl(&schema, &["provision", &tag]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = connect(&db_url(&tag)).await;
    let columns = strings(
        &conn,
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = 'streaming' AND table_name = 'users' AND column_name = 'nickname'",
    )
    .await;
    assert_eq!(columns, ["nickname"]);
    let recorded = scalar_i64(&conn, "SELECT count(*) FROM seaql_migrations").await;
    assert_eq!(recorded as usize, versions.len());
    drop(conn);

    let out = schemactl(
        &schema,
        &["migrate", "status", "--database-url", &db_url(&tag)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("pending"), "{}", stdout(&out));
    let out = schemactl(
        &schema,
        &["migrate", "down", "--database-url", &db_url(&tag)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = connect(&db_url(&tag)).await;
    let columns = strings(
        &conn,
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = 'streaming' AND table_name = 'users' AND column_name = 'nickname'",
    )
    .await;
    assert!(columns.is_empty(), "down removed the column");
    drop(conn);
    drop_database(&tag).await;
}

/// `docs/cli.md` says to run migrations as the database owner: `status`, `down` and `up`
/// work as the owner on a database an admin provisioned, the bookkeeping tables belong to
/// the owner, and a history table left to another role by an older schemactl is named,
/// with the fix, instead of "permission denied".
#[tokio::test]
async fn the_database_owner_runs_migrate_status_down_and_up() {
    let tag = unique("t_migowner");
    let dir = project_copy(&tag);
    let schema = dir.join("schema.yaml");
    // A column and an index on streaming.users: the index is built CONCURRENTLY, so the
    // step also uses schemactl_migration_marks.
    let text = std::fs::read_to_string(&schema).unwrap();
    let at = text.rfind("      users:\n").unwrap();
    let columns_at =
        at + text[at..].find("        columns:\n").unwrap() + "        columns:\n".len();
    let mut edited = text.clone();
    edited.insert_str(columns_at, "          nickname: { type: text }\n");
    let indexes_at =
        at + edited[at..].find("        indexes:\n").unwrap() + "        indexes:\n".len();
    edited.insert_str(
        indexes_at,
        "          users_nickname_idx: { columns: [nickname] }\n",
    );
    std::fs::write(&schema, &edited).unwrap();
    let out = schemactl(&schema, &["migrate", "new", "add_nickname"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let newest = schemactl::migrate::versions(&dir.join("migration"))
        .unwrap()
        .pop()
        .unwrap();
    assert!(
        dir.join("migration/sql")
            .join(&newest)
            .join("up_concurrent.sql")
            .exists(),
        "the index step runs concurrently"
    );

    drop_database(&tag).await;
    let out = schemactl(&schema, &["provision", &tag]);
    assert!(out.status.success(), "{}", stderr(&out));
    let owner_url =
        schemactl::db::with_credentials(&db_url(&tag), "app_owner", password("APP_OWNER_PASSWORD"))
            .unwrap();
    let as_owner = |command: &str| {
        let out = schemactl(&schema, &["migrate", command, "--database-url", &owner_url]);
        assert!(
            out.status.success(),
            "migrate {command} as the owner: {}",
            stderr(&out)
        );
        stdout(&out)
    };
    let status = as_owner("status");
    assert!(!status.contains("pending"), "{status}");
    let down = as_owner("down");
    assert!(down.contains(&newest), "{down}");
    let status = as_owner("status");
    assert!(status.contains(&format!("pending {newest}")), "{status}");
    let up = as_owner("up");
    assert!(up.contains(&newest), "{up}");

    let conn = connect(&db_url(&tag)).await;
    let owners = strings(
        &conn,
        "SELECT c.relname || ' ' || pg_get_userbyid(c.relowner) FROM pg_class c \
         WHERE c.oid IN (to_regclass('public.seaql_migrations'), \
                         to_regclass('public.schemactl_migration_marks')) ORDER BY 1",
    )
    .await;
    assert_eq!(
        owners,
        [
            "schemactl_migration_marks app_owner",
            "seaql_migrations app_owner"
        ]
    );
    let index = strings(
        &conn,
        "SELECT indexname::text FROM pg_indexes WHERE indexname = 'users_nickname_idx'",
    )
    .await;
    assert_eq!(
        index,
        ["users_nickname_idx"],
        "up as the owner built the index"
    );

    // A history table that belongs to someone else (as older versions left it).
    exec(
        &conn,
        "ALTER TABLE public.seaql_migrations OWNER TO postgres",
    )
    .await;
    let out = schemactl(
        &schema,
        &["migrate", "status", "--database-url", &owner_url],
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("seaql_migrations belongs to postgres")
            && err.contains("ALTER TABLE public.seaql_migrations OWNER TO app_owner"),
        "{err}"
    );
    // Run once by the admin, it hands the table to the owner.
    let out = schemactl(
        &schema,
        &["migrate", "status", "--database-url", &db_url(&tag)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    as_owner("status");
    drop(conn);
    drop_database(&tag).await;
}

/// Writes the next migration for `edit` applied to the model of a fresh project copy, and
/// returns the project's model, the new version and its `up.sql` and `down.sql`.
fn migration_for(tag: &str, edit: impl Fn(&str) -> String) -> (PathBuf, String, String, String) {
    let dir = project_copy(tag);
    let schema = dir.join("schema.yaml");
    let text = std::fs::read_to_string(&schema).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed the model");
    std::fs::write(&schema, edited).unwrap();
    let out = schemactl(&schema, &["migrate", "new", "edit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let version = schemactl::migrate::versions(&dir.join("migration"))
        .unwrap()
        .pop()
        .unwrap();
    let read = |file: &str| {
        std::fs::read_to_string(dir.join("migration/sql").join(&version).join(file)).unwrap()
    };
    (schema, version.clone(), read("up.sql"), read("down.sql"))
}

const DEVELOPERS_CREATED_AT: &str = "          created_at:\n            type: timestamptz\n            nullable: false\n            default: now()\n\n      publishers:";

/// Applies the project's migrations by provisioning, then reverts the newest one: the
/// server itself checks that the steps respect what depends on the columns.
async fn provision_and_revert(tag: &str, schema: &Path) {
    drop_database(tag).await;
    let out = schemactl(schema, &["provision", tag]);
    assert!(out.status.success(), "provision: {}", stderr(&out));
    let out = schemactl(schema, &["migrate", "down", "--database-url", &db_url(tag)]);
    assert!(out.status.success(), "migrate down: {}", stderr(&out));
    drop_database(tag).await;
}

/// A column and an index on steam.developers: steam.developer_analytics reads that table
/// but not the new column, so neither direction drops and recreates it.
#[tokio::test]
async fn migrate_new_leaves_views_alone_that_do_not_use_the_changed_column() {
    let tag = unique("t_migviews_unused");
    let (schema, _, up, down) = migration_for(&tag, |text| {
        text.replacen(
            DEVELOPERS_CREATED_AT,
            "          created_at:\n            type: timestamptz\n            nullable: false\n            default: now()\n          website:\n            type: text\n        indexes:\n          developers_website_idx: { columns: [website] }\n\n      publishers:",
            1,
        )
    });
    assert!(up.contains("ADD COLUMN website text"), "{up}");
    assert!(down.contains("DROP COLUMN website"), "{down}");
    for (direction, sql) in [("up", &up), ("down", &down)] {
        assert!(
            !sql.contains("MATERIALIZED VIEW"),
            "{direction} rebuilds a view that does not use the column:\n{sql}"
        );
    }
    provision_and_revert(&tag, &schema).await;
}

/// The other side: a column the materialized view does use changes type, so the view is
/// dropped before and created after, in both directions.
#[tokio::test]
async fn migrate_new_rebuilds_views_that_use_the_changed_column() {
    let tag = unique("t_migviews_used");
    let (schema, _, up, down) = migration_for(&tag, |text| {
        let at = text.find("      developers:\n").unwrap();
        let name_at = at
            + text[at..]
                .find("          name:\n            type: text\n")
                .unwrap();
        let mut edited = text.to_string();
        edited.replace_range(
            name_at..name_at + "          name:\n            type: text\n".len(),
            "          name:\n            type: varchar(300)\n",
        );
        edited
    });
    for (direction, sql) in [("up", &up), ("down", &down)] {
        assert!(
            sql.contains("DROP MATERIALIZED VIEW steam.developer_analytics")
                && sql.contains("CREATE MATERIALIZED VIEW steam.developer_analytics"),
            "{direction} must rebuild the view over the retyped column:\n{sql}"
        );
        assert!(
            !sql.contains("steam.publisher_analytics"),
            "{direction} rebuilds a view over another table:\n{sql}"
        );
    }
    provision_and_revert(&tag, &schema).await;
}
