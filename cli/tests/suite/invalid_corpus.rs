//! The invalid-model corpus (`tests/invalid/*.yaml`, one kind of mistake per file) must
//! be refused, every diagnostic placed on a real line and column, and the rendered
//! report must stay as reviewed in `snapshots/`. Valid models must load without a word.

use std::path::{Path, PathBuf};

use schemactl::diag::render_all;
use schemactl::load::{Source, load_file};
use schemactl::validate::validate;

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the cli crate sits inside the workspace");
    // insta's glob hands out canonical paths; compare like with like.
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// The path as a user in the repository root would type it, so that snapshots do not
/// depend on where the checkout lives.
fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(repo_root()).unwrap_or(path).to_path_buf()
}

/// Loads and validates a file; the source (with a relative path) and every diagnostic.
fn check(path: &Path) -> (Source, Vec<schemactl::diag::Diagnostic>) {
    let result = load_file(path).expect("the model file is readable");
    let (mut source, diagnostics) = match result {
        Ok(loaded) => {
            let diagnostics = validate(&loaded);
            (loaded.source, diagnostics)
        }
        Err(failure) => failure,
    };
    source.path = relative(path);
    (source, diagnostics)
}

/// Each corpus file is refused; snapshots are named `invalid_model@<file>.snap`.
#[test]
fn invalid_model() {
    insta::glob!("../../../tests/invalid", "*.yaml", |path| {
        let (source, diagnostics) = check(path);
        let name = source.path.display().to_string();
        assert!(!diagnostics.is_empty(), "{name} was accepted");
        for diag in &diagnostics {
            let pos = diag.pos(&source);
            assert!(
                pos.line > 0 && pos.column > 0,
                "{name}: diagnostic without a position: {}",
                diag.message
            );
        }
        insta::assert_snapshot!(render_all(&diagnostics, &source));
    });
}

#[test]
fn corpus_is_large_enough() {
    let files = std::fs::read_dir(repo_root().join("tests/invalid"))
        .expect("tests/invalid exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .count();
    assert!(
        files >= 28,
        "the corpus has {files} cases; keep at least 28"
    );
}

/// A file with mistakes of different kinds gets all of them in one run, not just the first.
#[test]
fn several_mistakes_are_reported_at_once() {
    let (source, diagnostics) = check(&repo_root().join("tests/invalid/36_several_mistakes.yaml"));
    let mut lines: Vec<u64> = diagnostics.iter().map(|d| d.pos(&source).line).collect();
    lines.dedup();
    assert!(
        lines.len() >= 5,
        "expected five separate problems, got:\n{}",
        render_all(&diagnostics, &source)
    );
}

fn assert_valid(path: &Path) {
    let (source, diagnostics) = check(path);
    assert!(
        diagnostics.is_empty(),
        "{} should be valid:\n{}",
        source.path.display(),
        render_all(&diagnostics, &source)
    );
}

#[test]
fn valid_fixtures_validate_clean() {
    let dir = repo_root().join("tests/valid");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/valid exists") {
        let path = entry.expect("readable directory entry").path();
        if path.extension().is_some_and(|x| x == "yaml") {
            assert_valid(&path);
            seen += 1;
        }
    }
    assert!(seen > 0, "no fixtures in {}", dir.display());
}

#[test]
fn project_schema_validates_clean() {
    assert_valid(&repo_root().join("schema.yaml"));
}
