//! `schemactl lint` through the binary: the repository's own migrations lint clean (so CI
//! fails on a hand-edited migration that breaks a rule), a bad file exits 6 naming its
//! file, line, column and rule, JSON output, invalid SQL and unknown rules exit 1, and
//! `migrate new` writes allow comments for what the plan chose but not for a hand edit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the cli crate sits inside the workspace")
        .to_path_buf()
}

fn schemactl_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(args)
        .current_dir(dir)
        .env_remove("SCHEMACTL_SCHEMA")
        .env_remove("SCHEMACTL_LOG")
        .output()
        .expect("schemactl runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("schemactl exits, not killed")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch directory under target/, emptied first.
fn scratch(tag: &str) -> PathBuf {
    let dir = repo_root().join("target/lint-cli-tests").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_repository_migrations_lint_clean() {
    let out = schemactl_in(&repo_root(), &["lint"]);
    assert_eq!(
        code(&out),
        0,
        "`schemactl lint` on migration/ must pass (allow comments where a hazard is \
         intended):\n{}",
        stderr(&out)
    );
    let migrations = std::fs::read_dir(repo_root().join("migration/sql"))
        .unwrap()
        .count();
    assert!(migrations >= 1);
    assert!(stdout(&out).contains("no problems"), "{}", stdout(&out));
}

const BAD: &str = "SET lock_timeout = '5s';\n\
                   -- Backfilled later.\n\
                   ALTER TABLE \"Sales\".\"Orders\"\n    \
                   ADD COLUMN state text NOT NULL;\n\
                   CREATE INDEX orders_state_idx ON \"Sales\".\"Orders\" (state);\n";

#[test]
fn a_bad_file_exits_6_with_file_line_column_and_rule() {
    let dir = scratch("bad");
    let file = dir.join("0042_order_state.sql");
    std::fs::write(&file, BAD).unwrap();
    let out = schemactl_in(&dir, &["lint", "0042_order_state.sql"]);
    assert_eq!(code(&out), 6, "stderr:\n{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "0042_order_state.sql:4:16: error[add-column-not-null-without-default]: ADD COLUMN state text NOT NULL"
        ),
        "{err}"
    );
    assert!(
        err.contains("0042_order_state.sql:5:1: error[create-index-without-concurrently]"),
        "{err}"
    );
    assert!(
        err.contains("4 |     ADD COLUMN state text NOT NULL;"),
        "{err}"
    );
    assert!(err.contains("= fix:"), "{err}");
    assert!(
        err.contains("error: lint found 2 problems in 1 SQL file"),
        "{err}"
    );

    // JSON on stdout, the same exit code.
    let out = schemactl_in(&dir, &["lint", "--format", "json", "0042_order_state.sql"]);
    assert_eq!(code(&out), 6);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let first = &report["findings"][0];
    assert_eq!(first["rule"], "add-column-not-null-without-default");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(4), Some(16))
    );
    assert_eq!(report["files"], 1);

    // The same statements, allowed, pass.
    let allowed = BAD
        .replace(
            "-- Backfilled later.",
            "-- schemactl-lint: allow add-column-not-null-without-default the table is empty in every environment",
        )
        .replace(
            "CREATE INDEX",
            "-- schemactl-lint: allow create-index-without-concurrently\nCREATE INDEX",
        );
    std::fs::write(&file, allowed).unwrap();
    let out = schemactl_in(&dir, &["lint", "."]);
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));
}

#[test]
fn invalid_sql_and_unknown_rules_exit_1_and_missing_paths_exit_2() {
    let dir = scratch("invalid");
    std::fs::write(
        dir.join("broken.sql"),
        "SELECT 1;\nALTER TABLE t ADD COLUMN;\n",
    )
    .unwrap();
    let out = schemactl_in(&dir, &["lint", "broken.sql"]);
    assert_eq!(code(&out), 1, "stderr:\n{}", stderr(&out));
    assert!(
        stderr(&out).contains("broken.sql:2:1: error: syntax error"),
        "{}",
        stderr(&out)
    );
    std::fs::write(
        dir.join("typo.sql"),
        "-- schemactl-lint: allow drop-tables\nDROP TABLE t;\n",
    )
    .unwrap();
    let out = schemactl_in(&dir, &["lint", "typo.sql"]);
    assert_eq!(code(&out), 1, "stderr:\n{}", stderr(&out));
    assert!(
        stderr(&out).contains("typo.sql:1:1: error: unknown rule `drop-tables`"),
        "{}",
        stderr(&out)
    );
    let out = schemactl_in(&dir, &["lint", "no-such.sql"]);
    assert_eq!(code(&out), 2, "stderr:\n{}", stderr(&out));
}

#[test]
fn list_rules_names_every_rule() {
    let out = schemactl_in(&repo_root(), &["lint", "--list-rules"]);
    assert_eq!(code(&out), 0);
    for rule in schemactl_lint::Rule::ALL {
        assert!(stdout(&out).contains(rule.name()), "{rule} missing");
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `migrate new` on a copy of the project whose model drops a column and adds an index:
/// the written files lint clean (the drop carries an allow comment, the index is built
/// concurrently outside the transaction), and a hazard added by hand fails the lint.
#[test]
fn migrate_new_allows_what_the_plan_chose_and_lint_catches_a_hand_edit() {
    let dir = scratch("migrate-new");
    std::fs::copy(repo_root().join("schema.yaml"), dir.join("schema.yaml")).unwrap();
    copy_tree(&repo_root().join("migration"), &dir.join("migration"));
    let model = std::fs::read_to_string(dir.join("schema.yaml")).unwrap();
    let edited = model
        .replacen(
            "          idx_application_developers_developer:\n            columns: [developer_id]\n",
            "          idx_application_developers_developer:\n            columns: [developer_id]\n          idx_application_developers_appid:\n            columns: [appid]\n",
            1,
        )
        .replacen(
            "          header_image:\n            type: text\n            comment: URL of the header image\n",
            "",
            1,
        );
    assert_ne!(edited, model, "the model edit must apply");
    std::fs::write(dir.join("schema.yaml"), edited).unwrap();

    let out = schemactl_in(&dir, &["migrate", "new", "drop_header_image"]);
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains("drop-column: DROP COLUMN header_image")
            && printed.contains("(the plan reports: data-loss)"),
        "{printed}"
    );
    let sql = dir.join("migration/sql");
    let version = std::fs::read_dir(&sql)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .max()
        .unwrap();
    let up = std::fs::read_to_string(sql.join(&version).join("up.sql")).unwrap();
    let allow_line = up
        .lines()
        .find(|l| l.starts_with("-- schemactl-lint: allow"))
        .unwrap_or_else(|| panic!("no allow comment in up.sql:\n{up}"));
    assert!(
        allow_line.contains("drop-column") && up.contains("DROP COLUMN header_image"),
        "{up}"
    );
    let concurrent = std::fs::read_to_string(sql.join(&version).join("up_concurrent.sql")).unwrap();
    assert!(
        concurrent.contains("CREATE INDEX CONCURRENTLY") && !concurrent.contains("schemactl-lint"),
        "the concurrent index needs no allow comment:\n{concurrent}"
    );
    let out = schemactl_in(&dir, &["lint"]);
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));

    // A hand edit: another column dropped without an allow comment.
    std::fs::write(
        sql.join(&version).join("up.sql"),
        format!("{up}\nALTER TABLE steam.applications DROP COLUMN website;\n"),
    )
    .unwrap();
    let out = schemactl_in(&dir, &["lint"]);
    assert_eq!(code(&out), 6, "stderr:\n{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{version}/up.sql:"))
            && stderr(&out).contains("error[drop-column]: DROP COLUMN website"),
        "{}",
        stderr(&out)
    );
}

/// The example in docs/cli.md (the file, then what `schemactl lint` prints for it) is what
/// the binary prints, and every rule is documented there with the why and fix it prints.
#[test]
fn the_documented_example_and_rules_match_the_binary() {
    let docs = std::fs::read_to_string(repo_root().join("docs/cli.md")).unwrap();
    let section = &docs[docs.find("## `schemactl lint`").unwrap()..];
    let example = section
        .split("$ cat 0042_order_state.sql\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .unwrap();
    let (file, printed) = example
        .split_once("$ schemactl lint 0042_order_state.sql\n")
        .unwrap();
    let dir = scratch("docs-example");
    std::fs::write(dir.join("0042_order_state.sql"), file).unwrap();
    let out = schemactl_in(&dir, &["lint", "0042_order_state.sql"]);
    assert_eq!(code(&out), 6);
    assert_eq!(stderr(&out).trim_end(), printed.trim_end());
    for rule in schemactl_lint::Rule::ALL {
        let info = rule.info();
        let heading = format!(
            "#### `{}`\n\nWhy: {}.\n\nFix: {}.\n",
            info.name, info.why, info.fix
        );
        assert!(
            section.contains(&heading),
            "docs/cli.md does not document {} with the why and fix the binary prints",
            info.name
        );
    }
}
