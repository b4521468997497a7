//! Large models: a 10,000-table model loads and validates within the parser's limits,
//! and a file over the node limit is refused with the limit named, never with a hint
//! about indentation.

use crate::common_pg;

use std::fmt::Write as _;

use common_pg::*;

/// A model of `tables` tables over four schemas, ten columns each, a foreign key to the
/// previous table, an index and a check: the shape of scripts/gen_synthetic_model.py.
fn big_model(tables: usize) -> String {
    let mut out = String::from("database: { name: big_model }\nschemas:\n");
    let per_schema = tables / 4;
    for s in 0..4 {
        writeln!(out, "  s{s}:\n    tables:").unwrap();
        if s == 0 {
            // A text no earlier run validated, so the model cache cannot answer.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            out = out.replace("  s0:\n", &format!("  s0:\n    comment: \"run {nanos}\"\n"));
        }
        for t in 0..per_schema {
            writeln!(out, "      t_{t:05}:\n        columns:").unwrap();
            writeln!(out, "          id: {{ type: bigint, primary_key: true }}").unwrap();
            if t > 0 {
                writeln!(
                    out,
                    "          parent_id: {{ type: bigint, references: {{ table: t_{:05} }} }}",
                    t - 1
                )
                .unwrap();
            }
            for c in 0..8 {
                writeln!(out, "          c{c}: {{ type: text, nullable: true }}").unwrap();
            }
            writeln!(
                out,
                "        indexes:\n          t_{t:05}_c0: {{ columns: [c0] }}"
            )
            .unwrap();
            writeln!(
                out,
                "        checks:\n          t_{t:05}_c1: \"length(c1) < 100\""
            )
            .unwrap();
        }
    }
    out
}

#[test]
fn a_model_of_10000_tables_loads_and_validates() {
    let path = write_model("model_size_10k", &big_model(10_000));
    let out = schemactl(&path, &["validate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("10000 tables"), "{}", stdout(&out));
}

/// Reaching the real limit takes 2,000,000 nodes, a minute or two of a debug build on a
/// busy machine; the same path with the limit set lower by its variable.
#[test]
fn a_file_over_the_node_limit_names_the_limit() {
    let limit = 100_000;
    let mut text = String::from("database: { name: too_big }\nschemas:\n  s:\n    comment: [");
    for _ in 0..limit {
        text.push_str("1,");
    }
    text.push_str("1]\n");
    let path = write_model("model_size_over", &text);
    let variable = schemactl::model::limits::MAX_NODES_ENV;
    let value = limit.to_string();
    let mut env: Vec<(&str, &str)> = PASSWORDS.to_vec();
    env.push((variable, &value));
    let out = schemactl_env(&path, &["validate"], &env);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "the model exceeds the parser's limit of {limit} nodes"
        )),
        "{err}"
    );
    assert!(err.contains("model_size_over"), "names the file: {err}");
    assert!(!err.contains("indent"), "never blames indentation: {err}");
    assert!(!err.contains("malformed"), "{err}");
    assert!(err.contains(variable), "says how to raise it: {err}");
    // Under the default limit the same file loads (and fails validation later, if at all,
    // for what it says, not for its size).
    let out = schemactl(&path, &["validate"]);
    assert!(
        !stderr(&out).contains("exceeds the parser's limit"),
        "{}",
        stderr(&out)
    );
}
