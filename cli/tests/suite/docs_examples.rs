//! The documentation's examples and figures, checked against the code: the `validate`
//! line in docs/cli.md, the dependencies docs/testing.md lists for its Rust examples
//! (which `cargo test --doc -p schemactl-testkit` compiles), and the README's model loop
//! and row-level-security example run on a copy of the project.

use crate::common_pg;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common_pg::*;

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative)).unwrap()
}

/// The fenced blocks of `lang` in a Markdown text, after the heading `after` when given.
fn blocks(markdown: &str, lang: &str, after: Option<&str>) -> Vec<String> {
    let start = after.map_or(0, |heading| {
        markdown
            .find(heading)
            .unwrap_or_else(|| panic!("no heading `{heading}`"))
    });
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown[start..].lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) if info.trim() == lang => current = Some(String::new()),
            (Some(block), Some("")) => {
                out.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn the_documented_validate_line_is_what_validate_prints() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("validate")
        .current_dir(workspace())
        .env_remove("SCHEMACTL_SCHEMA")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    let printed = printed.trim();
    let docs = read("docs/cli.md");
    let documented: Vec<&str> = docs
        .lines()
        .filter(|l| l.starts_with("schema.yaml: valid"))
        .collect();
    assert_eq!(
        documented,
        [printed],
        "docs/cli.md shows another validate line"
    );
}

/// Every crate the Rust examples of docs/testing.md name is among the dependencies its
/// Cargo.toml example lists.
#[test]
fn the_testing_guide_lists_every_crate_its_examples_use() {
    let guide = read("docs/testing.md");
    let toml = blocks(&guide, "toml", None).join("\n");
    let listed: BTreeSet<String> = toml
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(key, _)| key.trim().replace('-', "_"))
        })
        .filter(|key| !key.is_empty() && !key.starts_with('#') && !key.starts_with('['))
        .collect();
    let mut used = BTreeSet::new();
    for code in blocks(&guide, "rust", None) {
        let code: String = code
            .lines()
            .map(|l| l.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        let bytes = code.as_bytes();
        for (at, _) in code.match_indices("::") {
            let root_end = at;
            let root_start = code[..root_end]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |i| i + 1);
            let root = &code[root_start..root_end];
            // Not a path segment (`a::b`), a method's turbofish (`.f::<T>`) or a field.
            let after_path = root_start >= 2 && &bytes[root_start - 2..root_start] == b"::";
            let method = root_start >= 1 && bytes[root_start - 1] == b'.';
            let turbofish = bytes.get(at + 2) == Some(&b'<');
            let lowercase = root.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            let keyword = ["std", "crate", "self", "super"].contains(&root);
            if !after_path && !method && !turbofish && lowercase && !keyword {
                used.insert(root.to_string());
            }
        }
    }
    assert!(
        used.contains("testkit") && used.contains("schemactl"),
        "{used:?}"
    );
    let missing: Vec<&String> = used.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "docs/testing.md's examples use {missing:?}, which its Cargo.toml does not list \
         (listed: {listed:?})"
    );
    assert!(
        !toml.contains('…'),
        "a placeholder in the Cargo.toml example:\n{toml}"
    );
}

/// A copy of the project's model, migrations, entities and generated docs.
fn project_copy(tag: &str) -> PathBuf {
    let dir = workspace().join("target/test-projects").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["migration/sql", "entity/src", "docs"] {
        copy_tree(&workspace().join(sub), &dir.join(sub));
    }
    std::fs::create_dir_all(dir.join("migration/src")).unwrap();
    for file in ["schema.yaml", "migration/schema.snapshot.json"] {
        std::fs::copy(workspace().join(file), dir.join(file)).unwrap();
    }
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

/// The README's "Changing the model" commands after an edit leave nothing stale: the
/// generated entities and docs pass their `--check`, and the migrations cover the model.
/// Then its row-level-security example gives the counts it states, as `ims_user`.
#[tokio::test]
async fn the_readme_model_loop_and_rls_example_hold() {
    let readme = read("README.md");
    let commands: Vec<Vec<String>> = blocks(&readme, "sh", Some("## Changing the model"))
        .first()
        .expect("a sh block under \"Changing the model\"")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("cargo run -p schemactl -- "))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect();
    let names: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    assert!(
        names.contains(&"generate") && names.contains(&"migrate"),
        "{names:?}"
    );

    let tag = unique("t_readme_loop");
    let dir = project_copy(&tag);
    let schema = dir.join("schema.yaml");
    let text = std::fs::read_to_string(&schema).unwrap();
    let anchor = "      developers:\n        comment: Developer names, deduplicated on import\n        columns:\n";
    assert!(text.contains(anchor));
    std::fs::write(
        &schema,
        text.replacen(
            anchor,
            &format!("{anchor}          website: {{ type: text, comment: Home page }}\n"),
            1,
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_schemactl"));
        command
            .args(args)
            .current_dir(&dir)
            .env("SCHEMACTL_ADMIN_URL", admin_url())
            .env_remove("SCHEMACTL_SCHEMA");
        for (var, value) in PASSWORDS {
            command.env(var, value);
        }
        let _lock = cluster_lock();
        command.output().unwrap()
    };
    for command in &commands {
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        if args == ["provision"] {
            args.push(&tag); // a database of this test's own
        }
        let out = run(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    for check in [
        vec!["generate", "entities", "--check"],
        vec!["generate", "docs", "--check"],
    ] {
        let out = run(&check);
        assert_eq!(out.status.code(), Some(0), "{check:?}:\n{}", stdout(&out));
    }
    let out = run(&["migrate", "new", "nothing_left"]);
    assert!(stdout(&out).contains("nothing written"), "{}", stdout(&out));

    // The RLS example, statement by statement, as ims_user.
    let sql = blocks(&readme, "sql", Some("## The local server"))
        .first()
        .expect("the sql example")
        .clone();
    let conn = connect_as(&tag, "ims_user", password("IMS_USER_PASSWORD")).await;
    for line in sql.lines().filter(|l| !l.trim().is_empty()) {
        let (statement, expected) = match line.split_once("--") {
            Some((s, comment)) => (s.trim(), comment.trim().split(':').next()),
            None => (line.trim(), None),
        };
        match expected {
            Some(count) if statement.starts_with("SELECT count") => {
                let got = scalar_i64(&conn, statement.trim_end_matches(';')).await;
                assert_eq!(got.to_string(), count, "{line}");
            }
            _ => exec(&conn, statement).await,
        }
    }
    drop(conn);
    drop_database(&tag).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The Rust example of docs/testing.md is, verbatim, testkit/tests/testing_guide.rs, which
/// the test suite compiles and runs: the example keeps compiling and passing.
#[test]
fn the_testing_guide_example_is_a_test_that_runs() {
    let guide = read("docs/testing.md");
    let examples = blocks(&guide, "rust", None);
    assert_eq!(examples.len(), 1, "one Rust example, kept in one test file");
    assert_eq!(
        examples[0],
        read("testkit/tests/testing_guide.rs"),
        "docs/testing.md's example and testkit/tests/testing_guide.rs differ: copy one to \
         the other"
    );
}

/// The model reference once called SQLite models "not supported yet" while the README
/// showed one working: the example validates, and no document says so any more.
#[test]
fn sqlite_models_are_documented_as_supported() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(["--schema", "examples/igdb/schema.yaml", "validate"])
        .current_dir(workspace())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for doc in ["README.md", "docs/schema-reference.md", "docs/cli.md"] {
        let text = read(doc);
        assert!(
            !text.contains("not supported yet"),
            "{doc} still says something is not supported yet"
        );
    }
}
