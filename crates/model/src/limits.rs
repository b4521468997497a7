//! The YAML parser's size limits, set deliberately (docs/schema-reference.md, "Size
//! limits").
//!
//! serde-saphyr guards against hostile documents with a budget; its defaults (250,000
//! nodes, 1,000,000 events) refuse a model of about 2,500 tables. A model is written by
//! its own team, so the limits here are sized for large models instead: 10,000 tables of
//! ten columns (about 1,000,000 nodes) load with room to spare, while the bound still
//! caps the memory one document can take. A breach is reported as what it is, with the
//! limit, never as a syntax mistake.

use serde_saphyr::budget::BudgetBreach;

/// Nodes (mappings, sequences and scalars) in one file: twice a 10,000-table model.
pub const MAX_NODES: usize = 2_000_000;

/// The variable that sets another node limit (a whole number), for a model larger still.
pub const MAX_NODES_ENV: &str = "SCHEMACTL_YAML_MAX_NODES";

/// The node limit in force: [`MAX_NODES_ENV`] when set to a number, else [`MAX_NODES`].
pub fn max_nodes() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var(MAX_NODES_ENV)
            .ok()
            .and_then(|v| v.trim().replace('_', "").parse().ok())
            .unwrap_or(MAX_NODES)
    })
}

/// Parser events in one file. Every node is at most two events (start and end), so the
/// node limit is always the one reached first.
pub fn max_events() -> usize {
    max_nodes().saturating_mul(2).saturating_add(16)
}

/// Bytes of scalar text (names, types, expressions, comments written as values) in one
/// file.
pub const MAX_SCALAR_BYTES: usize = 256 * 1024 * 1024;

/// Nesting of mappings and sequences. A model nests about eight levels deep.
pub const MAX_DEPTH: usize = 64;

/// The budget every YAML document of the project is parsed under.
pub fn budget() -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = max_nodes();
    budget.max_events = max_events();
    budget.max_total_scalar_bytes = MAX_SCALAR_BYTES;
    budget.max_depth = MAX_DEPTH;
    budget
}

/// The breach behind a parser error, if the parser stopped at a limit.
fn breach(err: &serde_saphyr::Error) -> Option<&BudgetBreach> {
    let mut err = err;
    loop {
        match err {
            serde_saphyr::Error::Budget { breach, .. } => return Some(breach),
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => err = error,
            _ => return None,
        }
    }
}

/// When the parser stopped at a size limit: the message and the hint, naming the limit.
/// `None` for every other parser error (those are mistakes in the text).
pub fn exceeded(err: &serde_saphyr::Error) -> Option<(String, String)> {
    let what = match breach(err)? {
        BudgetBreach::Nodes { .. } => {
            format!("{} nodes (mappings, sequences and scalars)", max_nodes())
        }
        BudgetBreach::Events { .. } => format!("{} parser events", max_events()),
        BudgetBreach::ScalarBytes { .. } => {
            format!("{} MiB of scalar text", MAX_SCALAR_BYTES >> 20)
        }
        BudgetBreach::Depth { .. } => format!("{MAX_DEPTH} levels of nesting"),
        other => format!("the parser's budget ({other:?})"),
    };
    let message = format!(
        "the model exceeds the parser's limit of {what} in one file; the parser stopped here"
    );
    let hint = format!(
        "the text may well be valid YAML: split the model into files with `include:` (each \
         file has its own limit) or set {MAX_NODES_ENV} to a larger number of nodes; see \
         docs/schema-reference.md, \"Size limits\""
    );
    Some((message, hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_breach_names_the_limit_not_the_indentation() {
        // The real limit takes 2,000,000 nodes to reach (cli/tests/suite/model_size.rs does);
        // the same error path with a small budget.
        let mut small = budget();
        small.max_nodes = 10;
        let options = serde_saphyr::options! { budget: Some(small) };
        let text = "schemas:\n  s:\n    comment: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n";
        let err = serde_saphyr::from_str_with_options::<serde_json::Value>(text, options)
            .expect_err("over the limit");
        let (message, hint) = exceeded(&err).expect("a budget breach");
        assert!(message.contains("limit of 2000000 nodes"), "{message}");
        assert!(!hint.contains("indent"), "{hint}");
        let malformed = crate::load::parse_tree("a: [1, 2\n").expect_err("malformed");
        assert!(exceeded(&malformed).is_none());
    }
}
