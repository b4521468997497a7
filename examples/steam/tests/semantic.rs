#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]
//! Semantic search for real: the Steam sample's descriptions embedded by a real sentence
//! model (all-MiniLM-L6-v2 through `scripts/embed.py`), nearest neighbours found through
//! the model's HNSW index, and those neighbours share the query's genre far more often
//! than chance. `scripts/steam-semantic-search.sh` runs the same on the whole sample.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

const APPS: &str = "300";
const QUERIES: usize = 60;
const NEIGHBOURS: usize = 10;

/// `id<TAB>[v1,...]` lines from `scripts/embed.py` for `(id, text)` pairs.
fn embed(texts: &[(i64, String)]) -> Vec<(i64, String)> {
    let python_path = workspace().join("target/python");
    assert!(
        python_path.join(".installed").is_file(),
        "the sentence model is missing: run scripts/install-python-deps.sh (scripts/test.sh does)"
    );
    let mut child = Command::new("python3")
        .arg(workspace().join("scripts/embed.py"))
        .env("PYTHONPATH", &python_path)
        .env("HF_HUB_OFFLINE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for (id, text) in texts {
        input.push_str(&serde_json::json!({ "id": id, "text": text }).to_string());
        input.push('\n');
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "embed.py: {}", stderr(&output));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (id, vector) = line.split_once('\t').unwrap();
            (id.parse().unwrap(), vector.to_string())
        })
        .collect()
}

fn stmt(sql: &str) -> Statement {
    Statement::from_string(DbBackend::Postgres, sql)
}

#[tokio::test]
async fn nearest_neighbours_through_hnsw_share_the_genre() {
    let db = unique("steam_semantic");
    provision(&db);
    let dir = workspace().join("target/steam-semantic-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let sample = dir.join(format!("sample_{}.json", std::process::id()));
    let out = steam_import(&[
        "generate",
        "--apps",
        APPS,
        "--reviews",
        "100",
        "-o",
        sample.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = db_url(&db);
    let schema = schema_path();
    let out = steam_import(&[
        "import",
        sample.to_str().unwrap(),
        "--schema",
        schema.to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let conn = connect(&url).await;
    let rows = conn
        .query_all_raw(stmt(
            "SELECT appid, combined_text FROM steam.applications ORDER BY appid",
        ))
        .await
        .unwrap();
    let texts: Vec<(i64, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get_by_index(0).unwrap(),
                r.try_get_by_index(1).unwrap(),
            )
        })
        .collect();
    assert_eq!(texts.len().to_string(), APPS);
    let vectors = embed(&texts);
    assert_eq!(vectors.len(), texts.len());
    let values: Vec<String> = vectors
        .iter()
        .map(|(id, v)| format!("({id}, '{v}'::vector(384))"))
        .collect();
    exec(
        &conn,
        &format!(
            "UPDATE steam.applications a SET description_embedding = e.v \
             FROM (VALUES {}) AS e(appid, v) WHERE a.appid = e.appid",
            values.join(",")
        ),
    )
    .await;
    exec(&conn, "ANALYZE steam.applications").await;

    let mut genres: BTreeMap<i64, BTreeSet<i32>> = BTreeMap::new();
    for row in conn
        .query_all_raw(stmt("SELECT appid, genre_id FROM steam.application_genres"))
        .await
        .unwrap()
    {
        genres
            .entry(row.try_get_by_index(0).unwrap())
            .or_default()
            .insert(row.try_get_by_index(1).unwrap());
    }
    let shares = |a: i64, b: i64| match (genres.get(&a), genres.get(&b)) {
        (Some(x), Some(y)) => !x.is_disjoint(y),
        _ => false,
    };

    let txn = conn.begin().await.unwrap();
    // At a few hundred rows the planner would sort a sequential scan; the point here is
    // the index, as on the full catalogue.
    exec(&txn, "SET LOCAL enable_seqscan = off").await;
    let query = |appid: i64| {
        format!(
            "SELECT appid FROM steam.applications WHERE appid <> {appid} \
             ORDER BY description_embedding <=> \
             (SELECT description_embedding FROM steam.applications WHERE appid = {appid}) \
             LIMIT {NEIGHBOURS}"
        )
    };
    let explain = strings(&txn, &format!("EXPLAIN {}", query(texts[0].0))).await;
    assert!(
        explain
            .iter()
            .any(|l| l.contains("Index Scan using idx_applications_description_embedding")),
        "the HNSW index is not used:\n{}",
        explain.join("\n")
    );

    let step = texts.len() / QUERIES;
    let (mut hits, mut total) = (0usize, 0usize);
    for (appid, _) in texts.iter().step_by(step).take(QUERIES) {
        let neighbours = txn.query_all_raw(stmt(&query(*appid))).await.unwrap();
        assert_eq!(neighbours.len(), NEIGHBOURS);
        for row in neighbours {
            let other: i64 = row.try_get_by_index(0).unwrap();
            total += 1;
            hits += usize::from(shares(*appid, other));
        }
    }
    txn.rollback().await.unwrap();

    let ids: Vec<i64> = texts.iter().map(|(id, _)| *id).collect();
    let (mut chance_hits, mut pairs) = (0usize, 0usize);
    for a in &ids {
        for b in &ids {
            if a != b {
                pairs += 1;
                chance_hits += usize::from(shares(*a, *b));
            }
        }
    }
    let rate = hits as f64 / total as f64;
    let chance = chance_hits as f64 / pairs as f64;
    eprintln!("neighbours sharing a genre: {rate:.3}; any two apps: {chance:.3}");
    assert!(
        rate > 0.4 && rate > 3.0 * chance,
        "neighbours share a genre {rate:.3} of the time, against {chance:.3} by chance"
    );
    drop(conn);
    let _ = std::fs::remove_file(sample);
}
