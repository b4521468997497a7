#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]
//! The committed `src/` is what `schemactl generate entities` writes for the example
//! model (CI's `--check`), and rustfmt-clean.

use std::path::{Path, PathBuf};
use std::process::Command;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn committed_sources_are_current_and_rustfmt_clean() {
    let loaded = schemactl::load::load_file(&crate_dir().join("../schema.yaml"))
        .unwrap()
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)));
    let files = schemactl::generate::sqlite::files(&loaded.model, None)
        .await
        .unwrap();
    assert!(files.contains_key(Path::new("top_rated_games.rs")));
    let src = crate_dir().join("src");
    let drift = schemactl::generate::check(&src, &files, "rs").unwrap();
    assert!(
        drift.is_empty(),
        "examples/igdb/entity/src is not current; run \
         `schemactl --schema examples/igdb/schema.yaml generate entities --out examples/igdb/entity/src`:\n{}",
        drift.diffs.join("\n")
    );
    let paths: Vec<PathBuf> = files.keys().map(|rel| src.join(rel)).collect();
    let output = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(&paths)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "not rustfmt-clean:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
