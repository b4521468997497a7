// Test helpers outside #[test] functions unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

//! The corpus: `tests/corpus/<rule>/*.sql` each break that rule (and only it),
//! `tests/corpus/clean/*.sql` break none. Every file's rendered report is a snapshot.
//!
//! A corpus file may start with harness directives (comments, so the file stays plain
//! SQL): `-- corpus: pg-version N` lints for that server version, `-- corpus: transaction`
//! lints it as a file its runner wraps in a transaction (a migration's `up.sql`).

use std::path::{Path, PathBuf};

use schemactl_lint::{Execution, Options, Rule, SqlSource, lint_sequence, render};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(corpus_dir()).unwrap() {
        let dir = dir.unwrap().path();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "sql") {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

/// Lints a corpus file as its directives say; the report names it relative to the corpus.
fn lint(path: &Path) -> (SqlSource, Vec<schemactl_lint::Finding>) {
    let text = std::fs::read_to_string(path).unwrap();
    let relative = path.strip_prefix(corpus_dir()).unwrap();
    let source = SqlSource::new(relative, text.clone());
    let mut options = Options::default();
    let mut execution = Execution::Autocommit;
    for line in text.lines().filter_map(|l| l.strip_prefix("-- corpus:")) {
        let line = line.trim();
        if let Some(version) = line.strip_prefix("pg-version") {
            options.pg_version = version.trim().parse().unwrap();
        } else if line == "transaction" {
            execution = Execution::Transaction;
        } else {
            panic!("{}: unknown directive `{line}`", path.display());
        }
    }
    let findings = lint_sequence(&[(&source, execution)], &options)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|f| !f.allowed)
        .collect();
    (source, findings)
}

#[test]
fn every_corpus_file_reports_its_rule_and_only_it() {
    let files = corpus_files();
    assert!(files.len() >= 40, "the corpus has {} files", files.len());
    let mut covered = std::collections::BTreeSet::new();
    for path in &files {
        let dir = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let (_, findings) = lint(path);
        let rules: Vec<Rule> = findings.iter().map(|f| f.rule).collect();
        if dir == "clean" {
            assert!(
                rules.is_empty(),
                "{}: expected no finding, got {rules:?}",
                path.display()
            );
            continue;
        }
        let rule = Rule::from_name(dir)
            .unwrap_or_else(|| panic!("{}: directory is not a rule name", path.display()));
        assert!(
            !rules.is_empty() && rules.iter().all(|r| *r == rule),
            "{}: expected only {rule}, got {rules:?}",
            path.display()
        );
        covered.insert(rule);
    }
    let missing: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| !covered.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a corpus file: {missing:?}"
    );
}

#[test]
fn corpus_reports() {
    for path in corpus_files() {
        let (source, findings) = lint(&path);
        let report = render::text(&findings, std::slice::from_ref(&source));
        let name = source
            .path
            .to_str()
            .unwrap()
            .trim_end_matches(".sql")
            .replace('/', "__");
        insta::with_settings!({
            snapshot_path => "snapshots/corpus",
            prepend_module_to_snapshot => false,
            description => source.path.display().to_string(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, report);
        });
    }
}
