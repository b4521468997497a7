//! `pull` round trips against the real PostgreSQL 18 test cluster: each fixture under
//! `tests/fixtures/pull/` is applied to a database, pulled, provisioned into an empty
//! database, and the two must dump the same schema with an empty plan between the source
//! and the pulled model, which validates without a diagnostic. Between them the fixtures
//! hold every kind the model covers: several schemas, quoted names, enums, identity,
//! serial and generated columns, keys, checks, foreign keys across schemas, indexes of
//! every method (HNSW, IVFFlat, partial, expression, covering), range, list and hash
//! partitions, row-level security, roles, grants, default privileges, views, materialized
//! views, functions and triggers.

use crate::common_pg;
use crate::common_pull;

use common_pg::*;
use common_pull::*;

async fn fixture_round_trip(name: &str) {
    let source = unique(&format!("t_pull_{name}"));
    let copy = format!("{source}_copy");
    database_from(&source, &[&fixture(name)]).await;
    assert_round_trip(&source, &copy, &[]);
}

#[tokio::test]
async fn shop_round_trips() {
    fixture_round_trip("shop").await;
}

#[tokio::test]
async fn crawler_round_trips() {
    fixture_round_trip("crawler").await;
}

#[tokio::test]
async fn vectors_round_trip() {
    fixture_round_trip("vectors").await;
}

#[tokio::test]
async fn odd_names_round_trip() {
    fixture_round_trip("odd_names").await;
}

#[tokio::test]
async fn ledger_round_trips() {
    fixture_round_trip("ledger").await;
}

#[tokio::test]
async fn saas_round_trips() {
    fixture_round_trip("saas").await;
}

#[tokio::test]
async fn analytics_round_trips() {
    fixture_round_trip("analytics").await;
}

#[tokio::test]
async fn library_round_trips() {
    fixture_round_trip("library").await;
}

/// The database `provision` builds from the repository's schema.yaml pulls into a model
/// that provisions to the same database, as far as PostgreSQL's own text allows: a
/// `status IN ('a', 'b')` check on a varchar column is printed (by pg_dump as by the
/// catalog functions) as `(status)::text = ANY ((ARRAY['a'::character varying, …])::text[])`,
/// and that text parses into a different tree, printed with the casts inside the array.
/// So every difference between the source and the pulled copy must be one that
/// `pg_dump --schema-only` restored into a new database shows too, and no other.
#[tokio::test]
async fn repository_model_round_trips() {
    let source = unique("t_pull_repo");
    let copy = format!("{source}_copy");
    let restored = format!("{source}_restored");
    drop_database(&source).await;
    provision(&source);
    let model = pull_and_provision(&source, &copy, &[]);
    let text = std::fs::read_to_string(&model).unwrap();
    // The seed rows are data, not schema: the pulled model does not carry them.
    assert!(!text.contains("seed:"), "{text}");
    restore_dump(&source, &restored).await;
    let source_dump = sorted_dump(&source);
    let pulled = dump_difference(&source_dump, &sorted_dump(&copy));
    let by_pg_dump = dump_difference(&source_dump, &sorted_dump(&restored));
    let only_pull: Vec<&String> = pulled.iter().filter(|l| !by_pg_dump.contains(l)).collect();
    assert!(
        only_pull.is_empty(),
        "the pulled copy differs from the source where a pg_dump restore does not:\n{}",
        only_pull
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // What differs is PostgreSQL's spelling of the same expressions: the pulled model
    // reads back as itself.
    assert_empty_plan(&model, &copy);
}

/// `pull --split` writes a root file and one file per schema; the model they make round
/// trips like the single file.
#[tokio::test]
async fn split_model_round_trips() {
    let source = unique("t_pull_split");
    let copy = format!("{source}_copy");
    database_from(&source, &[&fixture("saas")]).await;
    let dir = workspace()
        .join("target/test-models")
        .join(format!("split_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("model.yaml");
    let pulled = pull(&source, &model, &["--split"]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    for file in ["schemas/app.yaml", "schemas/tenancy.yaml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.contains("schemas:"), "{file}: {text}");
    }
    let root = std::fs::read_to_string(&model).unwrap();
    assert!(
        root.contains("include: [schemas/app.yaml, schemas/tenancy.yaml]"),
        "{root}"
    );
    assert!(!root.contains("tables:"), "{root}");
    let provisioned = schemactl(&model, &["provision", &copy]);
    assert!(provisioned.status.success(), "{}", stderr(&provisioned));
    let difference = dump_difference(&sorted_dump(&source), &sorted_dump(&copy));
    assert!(difference.is_empty(), "{}", difference.join("\n"));
    assert_empty_plan(&model, &source);
}
