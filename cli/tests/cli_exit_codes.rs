//! The binary's contract with scripts and CI: exit 0 for a valid model, 1 for an invalid
//! one (malformed YAML included), 2 for usage and I/O errors; a JSON Schema that matches
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
