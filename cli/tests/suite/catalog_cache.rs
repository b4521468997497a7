//! The caches behind a fast `plan`: a validated model is reused for the same text, the
//! live catalog while the database's system catalogs are unchanged, and the normalized
//! model per server. A cache that hid a change would make `plan` and `drift` lie, so
//! every out-of-band change below, each touching different system catalogs, must be
//! seen by the very next `drift`.

use crate::common_pg;

use std::path::{Path, PathBuf};
use std::process::Output;

use common_pg::*;

const LIVE_HIT: &str = "live catalog unchanged since it was cached";
const DESIRED_HIT: &str = "desired catalog from the local cache";
const MODEL_HIT: &str = "model from the cache";

fn cache_dir(tag: &str) -> PathBuf {
    let dir = workspace().join("target").join("test-cache").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `schemactl drift` (or any command) with its own cache directory and debug logging.
fn run(cache: &Path, args: &[&str]) -> Output {
    let dir = cache.to_string_lossy().into_owned();
    schemactl_env(
        &schema_path(),
        args,
        &[
            ("SCHEMACTL_CACHE_DIR", dir.as_str()),
            ("SCHEMACTL_LOG", "schemactl=debug,sqlx=warn"),
        ],
    )
}

fn drift(cache: &Path, url: &str) -> (i32, String) {
    let out = run(cache, &["drift", "--database-url", url]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn restore(cache: &Path, url: &str) {
    let out = run(
        cache,
        &[
            "apply",
            "--database-url",
            url,
            "--yes",
            "--allow-hazard",
            "data-loss",
            "--allow-hazard",
            "table-rewrite",
            "--allow-hazard",
            "access-exclusive-lock",
            "--allow-hazard",
            "authorization",
        ],
    );
    assert!(out.status.success(), "apply failed:\n{}", stderr(&out));
}

#[tokio::test]
async fn every_out_of_band_change_is_seen_through_the_caches() {
    let database = unique("t_catalog_cache");
    drop_database(&database).await;
    provision(&database);
    let url = db_url(&database);
    let cache = cache_dir(&database);

    // First run fills the caches, the second reads all three.
    let (code, text) = drift(&cache, &url);
    assert_eq!(code, 0, "freshly provisioned database drifts:\n{text}");
    assert!(!text.contains(LIVE_HIT), "nothing was cached yet:\n{text}");
    // Entries hold the schema's definitions: the directory is the user's alone.
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&cache).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o700, "cache directory mode {mode:o}");
    // Other tests share the cluster; a role they create between two runs changes the
    // fingerprint (roles are cluster-wide). So one of the next three runs must hit.
    let mut last = String::new();
    let hit_all = (0..3).any(|_| {
        let (code, text) = drift(&cache, &url);
        assert_eq!(code, 0, "{text}");
        last = text;
        [LIVE_HIT, DESIRED_HIT, MODEL_HIT]
            .iter()
            .all(|hit| last.contains(hit))
    });
    assert!(hit_all, "no later drift used all three caches:\n{last}");

    let admin = connect(&url).await;
    let policy = scalar_string(
        &admin,
        "SELECT format('%I ON %I.%I', policyname, schemaname, tablename) FROM pg_policies \
         WHERE schemaname = 'ims' ORDER BY 1 LIMIT 1",
    )
    .await;
    let view_body = scalar_string(
        &admin,
        "SELECT rtrim(pg_get_viewdef('ims.v_recent_errors'::regclass, true), ';')",
    )
    .await;
    let function = scalar_string(
        &admin,
        "SELECT replace(pg_get_functiondef('ims.update_updated_at'::regproc), \
                        'BEGIN', 'BEGIN PERFORM 1;')",
    )
    .await;
    let enum_type = scalar_string(
        &admin,
        "SELECT format('%I.%I', n.nspname, t.typname) FROM pg_type t \
         JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typtype = 'e' AND n.nspname IN ('steam', 'ims', 'streaming') \
         ORDER BY 1 LIMIT 1",
    )
    .await;
    // (what changes, the statement, a word the drift report must contain)
    let changes: Vec<(&str, String, &str)> = vec![
        (
            "a table comment (pg_description)",
            "COMMENT ON TABLE ims.issues IS 'changed by hand'".into(),
            "COMMENT ON TABLE",
        ),
        (
            "a view body (pg_rewrite)",
            format!(
                "CREATE OR REPLACE VIEW ims.v_recent_errors AS \
                 SELECT * FROM ({view_body}) s WHERE true"
            ),
            "v_recent_errors",
        ),
        ("a function body (pg_proc)", function, "update_updated_at"),
        (
            "a policy expression (pg_policy)",
            format!("ALTER POLICY {policy} USING (false)"),
            "POLICY",
        ),
        (
            "an index dropped (rows deleted only)",
            "DROP INDEX ims.idx_issues_custom_fields".into(),
            "idx_issues_custom_fields",
        ),
        (
            "a column default (pg_attrdef)",
            "ALTER TABLE ims.issues ALTER COLUMN crawl_count SET DEFAULT 2".into(),
            "crawl_count",
        ),
        (
            "a grant revoked (an ACL in pg_class)",
            "REVOKE INSERT ON ims.issues FROM ims_user".into(),
            "ims_user",
        ),
        (
            "an enum value added (pg_enum)",
            format!("ALTER TYPE {enum_type} ADD VALUE 'zz_added_by_hand'"),
            // Removing a value recreates the type without it.
            "ALTER TYPE",
        ),
    ];
    for (what, statement, expected) in &changes {
        exec(&admin, statement).await;
        let (code, text) = drift(&cache, &url);
        assert_eq!(code, 3, "{what}: drift missed the change:\n{text}");
        assert!(
            !text.contains(LIVE_HIT),
            "{what}: the stale live catalog was used:\n{text}"
        );
        assert!(
            text.contains(expected),
            "{what}: the report does not mention `{expected}`:\n{text}"
        );
        restore(&cache, &url);
        let (code, text) = drift(&cache, &url);
        assert_eq!(code, 0, "{what}: apply did not restore the model:\n{text}");
    }
    drop(admin);
    drop_database(&database).await;
    let _ = std::fs::remove_dir_all(&cache);
}

/// The model cache stores the model as JSON: that must give back the very same model.
#[test]
fn models_survive_the_cache_format_unchanged() {
    for path in [schema_path(), workspace().join("examples/igdb/schema.yaml")] {
        let loaded = schemactl::load::load_file(&path).unwrap().unwrap();
        let json = serde_json::to_string(&loaded.model).unwrap();
        let back: schemactl::model::Model = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back,
            loaded.model,
            "{} changed through JSON",
            path.display()
        );
    }
}

/// A cached model is only used for the same text: an edit that breaks the model is
/// reported even though the file's earlier version was cached.
#[test]
fn an_edited_model_is_validated_again() {
    let cache = cache_dir(&unique("t_model_cache"));
    let text = std::fs::read_to_string(schema_path()).unwrap();
    let model = write_model("model_cache", &text);
    let validate = |path: &Path| {
        let dir = cache.to_string_lossy().into_owned();
        schemactl_env(
            path,
            &["validate"],
            &[
                ("SCHEMACTL_CACHE_DIR", dir.as_str()),
                ("SCHEMACTL_LOG", "schemactl=debug"),
            ],
        )
    };
    assert!(validate(&model).status.success());
    let again = validate(&model);
    assert!(again.status.success());
    assert!(stderr(&again).contains(MODEL_HIT), "{}", stderr(&again));

    let broken = text.replacen("owner: app_owner", "owner: no_such_role", 1);
    assert_ne!(broken, text);
    std::fs::write(&model, &broken).unwrap();
    let out = validate(&model);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains(MODEL_HIT), "{}", stderr(&out));
    assert!(stderr(&out).contains("no_such_role"), "{}", stderr(&out));
    let _ = std::fs::remove_file(&model);
    let _ = std::fs::remove_dir_all(&cache);
}

/// A role that may not read one of the fingerprinted catalogs still gets its plan: the
/// fingerprint fails inside a savepoint and the catalog is read without the cache.
#[tokio::test]
async fn a_role_that_cannot_fingerprint_still_plans() {
    let database = unique("t_no_fingerprint");
    drop_database(&database).await;
    provision(&database);
    let admin = connect(&db_url(&database)).await;
    // Catalog privileges are per database: this changes nothing outside the test's own.
    exec(
        &admin,
        "REVOKE SELECT ON pg_catalog.pg_init_privs FROM PUBLIC",
    )
    .await;
    let owner_url = schemactl::db::with_credentials(
        &db_url(&database),
        "app_owner",
        password("APP_OWNER_PASSWORD"),
    )
    .unwrap();
    let cache = cache_dir(&database);
    for _ in 0..2 {
        let out = run(&cache, &["plan", "--database-url", &owner_url]);
        let text = stderr(&out);
        assert!(out.status.success(), "plan failed:\n{text}");
        assert!(text.contains("no catalog fingerprint"), "{text}");
        assert!(!text.contains(LIVE_HIT), "{text}");
    }
    drop(admin);
    drop_database(&database).await;
    let _ = std::fs::remove_dir_all(&cache);
}

/// The roles part of the fingerprint follows every change of a role the catalog read, and
/// ignores roles it did not read (other tests and other databases create roles all the
/// time on a shared server).
#[tokio::test]
async fn the_roles_fingerprint_follows_only_the_roles_read() {
    const SQL: &str = include_str!("../../src/introspect/roles_fingerprint.sql");
    let tag = unique("t_fp_role");
    let (role, group, other) = (format!("{tag}_a"), format!("{tag}_g"), format!("{tag}_x"));
    let admin = connect(&admin_url()).await;
    for name in [&role, &group, &other] {
        exec(&admin, &format!("DROP ROLE IF EXISTS {name}")).await;
    }
    let fingerprint = |admin: &sea_orm::DatabaseConnection| {
        let statement = sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            SQL,
            vec![vec![role.clone()].into()],
        );
        let admin = admin.clone();
        async move {
            use sea_orm::ConnectionTrait;
            let row = admin.query_one_raw(statement).await.unwrap().unwrap();
            row.try_get::<String>("", "fingerprint").unwrap()
        }
    };
    let absent = fingerprint(&admin).await;
    exec(&admin, &format!("CREATE ROLE {role}")).await;
    exec(&admin, &format!("CREATE ROLE {group}")).await;
    let mut seen = vec![absent];
    let changes = [
        format!("CREATE ROLE {other} LOGIN"),
        format!("ALTER ROLE {role} CONNECTION LIMIT 3"),
        format!("COMMENT ON ROLE {role} IS 'changed'"),
        format!("GRANT {group} TO {role}"),
        format!("ALTER ROLE {group} RENAME TO {group}_renamed"),
        format!("GRANT {group}_renamed TO {other}"),
    ];
    for statement in &changes {
        let before = fingerprint(&admin).await;
        exec(&admin, statement).await;
        let after = fingerprint(&admin).await;
        if statement.contains(&other) {
            assert_eq!(before, after, "`{statement}` is about another role");
        } else {
            assert_ne!(before, after, "`{statement}` went unnoticed");
            assert!(
                !seen.contains(&after),
                "`{statement}` gave an earlier fingerprint"
            );
        }
        seen.push(after);
    }
    for name in [role, format!("{group}_renamed"), other] {
        exec(&admin, &format!("DROP ROLE IF EXISTS {name}")).await;
    }
}
