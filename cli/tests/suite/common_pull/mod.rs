//! Helpers for the `pull` tests: fixture databases built from SQL scripts with psql, the
//! binary's `pull`, and the round trip every fixture must survive (pull → provision into
//! an empty database → the same `pg_dump --schema-only`, an empty plan, no diagnostic).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common_pg::*;

pub fn fixture(name: &str) -> PathBuf {
    workspace()
        .join("cli/tests/fixtures/pull")
        .join(format!("{name}.sql"))
}

/// Runs SQL files on `database` with psql as the admin, stopping at the first error.
pub fn psql_files(database: &str, files: &[&Path]) {
    let bin = schemactl::local::bin_dir().unwrap();
    let mut command = Command::new(bin.join("psql"));
    command.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"]);
    command.arg(db_url(database));
    for file in files {
        command.arg("-f").arg(file);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "psql on {database} failed:\n{}",
        stderr(&output)
    );
}

/// A new database `name` (dropped first) holding what `files` create.
pub async fn database_from(name: &str, files: &[&Path]) {
    drop_database(name).await;
    let admin = connect(&admin_url()).await;
    exec(
        &admin,
        &format!("CREATE DATABASE {}", schemactl::sql::ident(name)),
    )
    .await;
    drop(admin);
    // Roles are cluster-wide and the fixtures create theirs: one at a time.
    let _lock = cluster_lock();
    psql_files(name, files);
}

/// `schemactl pull` of `database` into `out`, with extra arguments.
pub fn pull(database: &str, out: &Path, args: &[&str]) -> Output {
    let url = db_url(database);
    let out = out.to_string_lossy().into_owned();
    let mut all = vec![
        "pull",
        "--database-url",
        url.as_str(),
        "--out",
        out.as_str(),
    ];
    all.extend_from_slice(args);
    // `--schema` is a global option every command takes; pull does not read it.
    schemactl(Path::new("unused.yaml"), &all)
}

pub fn model_path(name: &str) -> PathBuf {
    let dir = workspace().join("target").join("test-models");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("pulled_{name}_{}.yaml", std::process::id()))
}

/// The schema dump of `database`, its lines sorted, without comments and blank lines:
/// pg_dump's order follows object ids, which differ between two builds of one schema.
pub fn sorted_dump(database: &str) -> Vec<String> {
    let mut lines: Vec<String> = schema_dump(database)
        .lines()
        .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Lines only one of two sorted dumps has, marked `-` (left) or `+` (right).
pub fn dump_difference(left: &[String], right: &[String]) -> Vec<String> {
    let left: Vec<&str> = left.iter().map(String::as_str).collect();
    let right: Vec<&str> = right.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::from_slices(&left, &right);
    diff.iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| {
            let sign = if c.tag() == similar::ChangeTag::Delete {
                "-"
            } else {
                "+"
            };
            format!("{sign} {}", c.value())
        })
        .collect()
}

/// Pulls `source`, checks that the model validates without a diagnostic and provisions
/// it into `copy`. Returns the model file.
pub fn pull_and_provision(source: &str, copy: &str, pull_args: &[&str]) -> PathBuf {
    let model = model_path(source);
    let pulled = pull(source, &model, pull_args);
    assert!(
        pulled.status.success(),
        "pull of {source} failed:\n{}",
        stderr(&pulled)
    );
    assert!(
        !stderr(&pulled).contains("WARN"),
        "pull warned:\n{}",
        stderr(&pulled)
    );
    let validated = schemactl(&model, &["validate"]);
    assert!(
        validated.status.success() && stderr(&validated).is_empty(),
        "the pulled model does not validate cleanly:\n{}{}",
        stdout(&validated),
        stderr(&validated)
    );
    let provisioned = schemactl(&model, &["provision", copy]);
    assert!(
        provisioned.status.success(),
        "provisioning the pulled model failed:\n{}\nmodel:\n{}",
        stderr(&provisioned),
        std::fs::read_to_string(&model).unwrap()
    );
    model
}

/// The plan from `database` to `model` is empty.
pub fn assert_empty_plan(model: &Path, database: &str) {
    let plan = schemactl(
        model,
        &["plan", "--database-url", &db_url(database), "--exit-code"],
    );
    assert!(
        plan.status.code() == Some(0),
        "the plan from {database} to the pulled model is not empty:\n{}{}",
        stdout(&plan),
        stderr(&plan)
    );
}

/// Pulls `source`, provisions the model into `copy`, and asserts the same schema dump and
/// an empty plan against the source. Returns the model file.
pub fn assert_round_trip(source: &str, copy: &str, pull_args: &[&str]) -> PathBuf {
    let model = pull_and_provision(source, copy, pull_args);
    let difference = dump_difference(&sorted_dump(source), &sorted_dump(copy));
    assert!(
        difference.is_empty(),
        "pg_dump --schema-only of {source} (-) and of its pulled copy {copy} (+) differ:\n{}\nmodel:\n{}",
        difference.join("\n"),
        std::fs::read_to_string(&model).unwrap()
    );
    assert_empty_plan(&model, source);
    model
}

/// Restores `pg_dump --schema-only` of `source` into a new database `target`.
pub async fn restore_dump(source: &str, target: &str) {
    let dump = schema_dump(source);
    database_from(target, &[]).await;
    let bin = schemactl::local::bin_dir().unwrap();
    let mut child = Command::new(bin.join("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(db_url(target))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dump.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "restoring the dump of {source} failed:\n{}",
        stderr(&output)
    );
}
