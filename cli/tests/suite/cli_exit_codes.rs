//! The binary's contract with scripts and CI: every exit code of the one mapping in
//! `schemactl::exit` (0 ok, 1 invalid model, 2 usage or I/O, 3 differences found,
//! 4 database, 5 refused, 6 lint findings; 7, a failed access test, is reached by
//! `access_cli.rs` on a real server), each reached through the binary; a JSON Schema that matches
//! the committed `docs/schema.json`; and `--help` on every command.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the cli crate sits inside the workspace")
        .to_path_buf()
}

/// Runs schemactl from the repository root, isolated from the caller's environment.
fn schemactl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(args)
        .current_dir(repo_root())
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

#[test]
fn valid_model_exits_0() {
    let out = schemactl(&["validate", "--schema", "tests/valid/minimal.yaml"]);
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));
    assert!(stdout(&out).contains("tests/valid/minimal.yaml: valid"));
}

#[test]
fn schema_path_comes_from_the_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("validate")
        .current_dir(repo_root())
        .env("SCHEMACTL_SCHEMA", "tests/valid/minimal.yaml")
        .output()
        .expect("schemactl runs");
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));
}

#[test]
fn invalid_model_exits_1_with_located_diagnostic() {
    let out = schemactl(&[
        "--schema",
        "tests/invalid/07_unknown_column_type.yaml",
        "validate",
    ]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "tests/invalid/07_unknown_column_type.yaml:8:30: error: unknown type `datetime`"
        ),
        "stderr:\n{err}"
    );
}

#[test]
fn malformed_yaml_exits_1() {
    let out = schemactl(&[
        "validate",
        "--schema",
        "tests/invalid/02_unclosed_bracket.yaml",
    ]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("malformed YAML"), "{}", stderr(&out));
}

#[test]
fn missing_file_exits_2() {
    let out = schemactl(&["validate", "--schema", "tests/no/such/schema.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("tests/no/such/schema.yaml"),
        "the error names the file: {}",
        stderr(&out)
    );
}

#[test]
fn unknown_flag_exits_2() {
    let out = schemactl(&["validate", "--no-such-flag"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--no-such-flag"), "{}", stderr(&out));
}

#[test]
fn missing_subcommand_exits_2() {
    let out = schemactl(&[]);
    assert_eq!(code(&out), 2);
}

#[test]
fn lint_findings_exit_6() {
    let dir = repo_root().join("target/cli-exit-codes");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("drop_reviews.sql");
    std::fs::write(
        &file,
        "SET lock_timeout = '5s';\nDROP TABLE steam.reviews;\n",
    )
    .unwrap();
    let out = schemactl(&["lint", file.to_str().unwrap()]);
    assert_eq!(code(&out), 6, "stderr:\n{}", stderr(&out));
    assert!(stderr(&out).contains("drop_reviews.sql:2:1: error[drop-table]"));
}

#[test]
fn json_schema_matches_docs() {
    let out = schemactl(&["json-schema"]);
    assert_eq!(code(&out), 0, "stderr:\n{}", stderr(&out));
    let committed = std::fs::read_to_string(repo_root().join("docs/schema.json"))
        .expect("docs/schema.json exists");
    assert!(
        stdout(&out) == committed,
        "docs/schema.json is out of date with the model types; regenerate it with\n    \
         cargo run -p schemactl -- json-schema > docs/schema.json"
    );
}

/// The subcommands listed under "Commands:" in a help text, `help` excepted.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Deeper-indented lines continue a wrapped description.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Walks the command tree from the top-level help, so a new command is covered without
/// touching this test.
#[test]
fn help_works_on_every_command() {
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    let mut checked = 0;
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = schemactl(&args);
        let text = stdout(&out);
        assert_eq!(code(&out), 0, "`schemactl {}` failed", args.join(" "));
        assert!(
            text.contains("Usage:"),
            "`schemactl {}`: {text}",
            args.join(" ")
        );
        checked += 1;
        for sub in subcommands(&text) {
            let mut child = path.clone();
            child.push(sub);
            pending.push(child);
        }
    }
    // The top level, validate, json-schema, local and its four subcommands at least.
    assert!(checked >= 8, "only {checked} help texts found");
}

/// A SQLite model in a directory of its own (no `migration/` beside it), so that the
/// database-side codes need no server.
struct SqliteProject {
    dir: PathBuf,
}

const SQLITE_MODEL: &str = r#"
database: { name: exits, target: sqlite }
schemas:
  main:
    tables:
      items:
        columns:
          id: { type: integer, primary_key: true }
          label: { type: text }
        indexes:
          items_label_idx: { columns: [label] }
"#;

impl SqliteProject {
    fn new(label: &str) -> SqliteProject {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("exit-codes-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("schema.yaml"), SQLITE_MODEL).unwrap();
        SqliteProject { dir }
    }

    fn model(&self) -> String {
        self.dir.join("schema.yaml").display().to_string()
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.dir.join("exits.db").display())
    }

    fn run(&self, args: &[&str]) -> Output {
        let model = self.model();
        let mut all = vec!["--schema", model.as_str()];
        all.extend_from_slice(args);
        schemactl(&all)
    }

    /// Provisions the file, then changes it behind the model's back: the index is dropped
    /// and a column is added, so the plan back has a data-loss step.
    fn provisioned_then_changed(&self) {
        let url = self.url();
        let out = self.run(&["provision", "--database-url", &url]);
        assert_eq!(code(&out), 0, "provision: {}", stderr(&out));
        self.execute("DROP INDEX items_label_idx; ALTER TABLE items ADD COLUMN extra text");
    }

    /// Runs SQL on the file directly, as someone working by hand would.
    fn execute(&self, sql: &str) {
        use sea_orm::ConnectionTrait;
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let conn = schemactl::sqlite::connect(&self.url(), false)
                .await
                .unwrap();
            conn.execute_unprepared(sql).await.unwrap();
            conn.close().await.unwrap();
        });
    }
}

impl Drop for SqliteProject {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn plan_exit_code_without_a_database_is_a_usage_error_2() {
    let out = schemactl(&[
        "plan",
        "--exit-code",
        "--schema",
        "tests/valid/minimal.yaml",
    ]);
    assert_eq!(code(&out), 2, "stdout:\n{}", stdout(&out));
    assert!(stdout(&out).is_empty(), "no script is printed");
    assert!(
        stderr(&out).contains("--exit-code compares the model with a live database"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn differences_exit_3_and_no_differences_exit_0() {
    let project = SqliteProject::new("changes");
    project.provisioned_then_changed();
    let url = project.url();
    let out = project.run(&["plan", "--exit-code", "--database-url", &url]);
    assert_eq!(code(&out), 3, "plan --exit-code: {}", stderr(&out));
    assert!(stdout(&out).contains("items_label_idx"), "{}", stdout(&out));
    let out = project.run(&["drift", "--database-url", &url]);
    assert_eq!(code(&out), 3, "drift: {}", stderr(&out));
    assert!(stdout(&out).starts_with("drift:"), "{}", stdout(&out));

    let out = project.run(&[
        "apply",
        "--database-url",
        &url,
        "--yes",
        "--allow-hazard",
        "data-loss",
        "--allow-hazard",
        "table-rewrite",
    ]);
    assert_eq!(code(&out), 0, "apply: {}", stderr(&out));
    let out = project.run(&["plan", "--exit-code", "--database-url", &url]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = project.run(&["drift", "--database-url", &url]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn generate_check_finds_differences_exit_3() {
    let project = SqliteProject::new("generate");
    let docs = project.dir.join("docs");
    let docs = docs.display().to_string();
    let out = project.run(&["generate", "docs", "--out", &docs]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = project.run(&["generate", "docs", "--out", &docs, "--check"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dictionary = project.dir.join("docs/data-dictionary.md");
    std::fs::write(&dictionary, "edited by hand\n").unwrap();
    let out = project.run(&["generate", "docs", "--out", &docs, "--check"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn apply_refusing_a_hazard_exits_5() {
    let project = SqliteProject::new("refused");
    project.provisioned_then_changed();
    let url = project.url();
    let out = project.run(&["apply", "--database-url", &url, "--yes"]);
    assert_eq!(code(&out), 5, "{}", stderr(&out));
    assert!(stderr(&out).contains("--allow-hazard"), "{}", stderr(&out));
}

/// Nothing listens on port 1: "cannot connect" must not look like "the database differs".
#[test]
fn unreachable_database_exits_4() {
    let url = "postgres://nobody:pw@127.0.0.1:1/nowhere";
    for args in [
        vec!["drift", "--database-url", url],
        vec!["plan", "--exit-code", "--database-url", url],
        vec!["apply", "--yes", "--database-url", url],
        vec!["migrate", "status", "--database-url", url],
        vec!["seed", "--database-url", url],
    ] {
        let mut all = vec!["--schema", "tests/valid/minimal.yaml"];
        all.extend(args.iter().copied());
        let out = schemactl(&all);
        assert_eq!(code(&out), 4, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot reach PostgreSQL at 127.0.0.1:1"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_statement_the_database_refuses_exits_4() {
    let project = SqliteProject::new("refuses");
    let url = project.url();
    let out = project.run(&["provision", "--database-url", &url]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // A row the new CHECK rejects: the rebuild's copy fails inside its transaction.
    project.execute("INSERT INTO items VALUES (1, '')");
    let model = SQLITE_MODEL.replace(
        "label: { type: text }",
        "label: { type: text, check: \"label <> ''\" }",
    );
    std::fs::write(project.dir.join("schema.yaml"), model).unwrap();
    let out = project.run(&[
        "apply",
        "--database-url",
        &url,
        "--yes",
        "--allow-hazard",
        "table-rewrite",
    ]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
}
