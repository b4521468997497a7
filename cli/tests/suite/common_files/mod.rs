//! What the tests on database files (SQLite, DuckDB) share: a directory of their own per
//! call, a model written there and loaded (it must validate), and a command's output as
//! one text.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

use schemactl::model::Model;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// An empty directory under the tests' temporary directory, named `<prefix>-<pid>-<n>-<label>`:
/// unique to this process and this call, so tests running at once never share one.
pub fn scratch(prefix: &str, label: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{prefix}-{}-{}-{label}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `text` written to `dir/name`, loaded and validated; a model that does not load or
/// validate fails the test with its diagnostics.
pub fn model(dir: &Path, name: &str, text: &str) -> Model {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let loaded = schemactl::load::load_file(&path)
        .unwrap()
        .unwrap_or_else(|(_, d)| panic!("model does not load: {d:?}"));
    let problems = schemactl::validate::validate(&loaded);
    assert!(problems.is_empty(), "invalid model {name}: {problems:?}");
    loaded.model
}

/// A command's stdout and stderr, one after the other.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
