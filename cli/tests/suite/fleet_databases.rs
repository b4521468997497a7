//! A fleet of databases on the test cluster: `migrate up --fleet` applies the versioned
//! migrations to each and skips them on a rerun, `apply --fleet` rolls a model change
//! out to every database, and `drift --fleet` agrees with both.

use crate::common_pg;

use std::path::Path;

use common_pg::*;

/// Runs schemactl in `dir` (the model and fleets.yaml are there) and returns the exit
/// code and stdout.
fn run_in(dir: &Path, args: &[&str], base: &str) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .env("NO_COLOR", "1")
        .env("FLEET_BASE_URL", base)
        .env_remove("DATABASE_URL")
        .env_remove("SCHEMACTL_SCHEMA")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let errors = String::from_utf8_lossy(&output.stderr);
    (output.status.code(), format!("{text}{errors}"))
}

#[tokio::test]
async fn a_fleet_of_databases_migrates_applies_and_reports() {
    let db = unique("t_fleet_dbs");
    let names: Vec<String> = (1..=3).map(|i| format!("{db}_{i}")).collect();
    let admin = connect(&admin_url()).await;
    for name in &names {
        exec(&admin, &format!("CREATE DATABASE {name}")).await;
    }
    let dir = workspace().join("target/fleet-dbs-test").join(&*db);
    std::fs::create_dir_all(&dir).unwrap();
    let model = std::fs::read_to_string(workspace().join("tests/fleet/schema.yaml")).unwrap();
    std::fs::write(dir.join("schema.yaml"), &model).unwrap();
    let base = admin_url();
    let base = base.rsplit_once('/').unwrap().0.to_string();
    // One database listed (its URL from a variable), two found by a query on the
    // cluster's catalog (a discovered URL is used as it is).
    let quoted_base = base.replace('\'', "''");
    std::fs::write(
        dir.join("fleets.yaml"),
        format!(
            "fleets:\n  dbs:\n    targets: [\"${{FLEET_BASE_URL}}/{first}\"]\n    discover:\n      \
             - {{ url: \"${{FLEET_BASE_URL}}/postgres\", query: \"SELECT '{quoted_base}/' || datname AS url \
             FROM pg_database WHERE datname IN ('{second}', '{third}') ORDER BY datname\" }}\n",
            first = names[0],
            second = names[1],
            third = names[2]
        ),
    )
    .unwrap();
    let (code, text) = run_in(&dir, &["migrate", "new", "init"], &base);
    assert_eq!(code, Some(0), "{text}");

    let (code, text) = run_in(&dir, &["migrate", "up", "--fleet", "dbs"], &base);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("migrate up --fleet dbs: 3 target(s): 3 changed, 0 unchanged"),
        "{text}"
    );
    let (code, text) = run_in(&dir, &["migrate", "up", "--fleet", "dbs"], &base);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("3 target(s): 0 changed, 3 unchanged"),
        "{text}"
    );
    let (code, text) = run_in(&dir, &["drift", "--fleet", "dbs"], &base);
    assert_eq!(code, Some(0), "{text}");

    // A model change, rolled out with apply; drift agrees afterwards.
    let v2 = model.replace(
        "      email: { type: text, unique: true }",
        "      email: { type: text, unique: true }\n          nickname: { type: text }",
    );
    assert_ne!(v2, model, "the fixture changed: adjust the edit");
    std::fs::write(dir.join("schema.yaml"), &v2).unwrap();
    let (code, text) = run_in(&dir, &["drift", "--fleet", "dbs"], &base);
    assert_eq!(code, Some(3), "{text}");
    let (code, text) = run_in(
        &dir,
        &["apply", "--fleet", "dbs", "--yes", "--parallel", "2"],
        &base,
    );
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("3 changed, 0 unchanged"), "{text}");
    for name in &names {
        let conn = connect(&db_url(name)).await;
        let found = scalar_i64(
            &conn,
            "SELECT count(*)::bigint FROM information_schema.columns \
             WHERE table_schema = 'tenant' AND table_name = 'customers' AND column_name = 'nickname'",
        )
        .await;
        assert_eq!(found, 1, "{name}");
        conn.close().await.unwrap();
    }
    let (code, text) = run_in(&dir, &["drift", "--fleet", "dbs"], &base);
    assert_eq!(code, Some(0), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
