//! Aggregates: created after their support functions, dropped before them, and dropped
//! and created again (with the views over them) on any change.

/// A new aggregate over the model's own functions and a built-in one, with a zero-argument
/// aggregate (`(*)`), a comment and a grant: created after the functions it names,
/// commented as an AGGREGATE, granted as a FUNCTION.
#[test]
fn aggregates_created_after_their_support_functions() {
    case!()
        .before(
            r#"
            roles:
              analyst: {}
            schemas:
              stats: {}
            "#,
        )
        .after(
            r#"
            roles:
              analyst: {}
            schemas:
              stats:
                functions:
                  z_accumulate:
                    args: [{ name: state, type: "numeric[]" }, { name: value, type: numeric }]
                    returns: "numeric[]"
                    language: sql
                    volatility: immutable
                    body: SELECT state || value
                  a_middle:
                    args: [{ name: state, type: "numeric[]" }]
                    returns: numeric
                    language: sql
                    volatility: immutable
                    body: SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM unnest(state) v
                aggregates:
                  median:
                    args: [numeric]
                    state_function: z_accumulate
                    state_type: "numeric[]"
                    initial_condition: "{}"
                    final_function: a_middle
                    combine_function: pg_catalog.array_cat
                    parallel: safe
                    comment: The middle value
                    grants: [{ to: [analyst], privileges: [execute] }]
                  "Row Count":
                    state_function: int8inc
                    state_type: bigint
                    initial_condition: "0"
            "#,
        )
        .check();
}

/// A support function the plan drops with the aggregate over it.
const OLD_KEEP: &str = r#"
                  old_keep:
                    args: [{ name: state, type: integer }, { name: value, type: integer }]
                    returns: integer
                    language: sql
                    body: SELECT greatest(state, value)
"#;

/// A changed aggregate is dropped (after the view over it) and created again; one over a
/// support function whose signature changes is dropped before that function and created
/// after it; a removed aggregate is dropped before its support function.
#[test]
fn aggregates_recreated_and_dropped_in_dependency_order() {
    let functions = |bound_type: &str| {
        format!(
            r#"
                functions:
                  clamp_sum:
                    args: [{{ name: state, type: {bound_type} }}, {{ name: value, type: {bound_type} }}]
                    returns: {bound_type}
                    language: sql
                    volatility: immutable
                    body: SELECT least(state + value, 1000)
                  keep_max:
                    args: [{{ name: state, type: integer }}, {{ name: value, type: integer }}]
                    returns: integer
                    language: sql
                    volatility: immutable
                    body: SELECT greatest(state, value)
            "#
        )
    };
    let before = format!(
        r#"
            schemas:
              stats:
                tables:
                  readings:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      value: {{ type: integer }}
                views:
                  capped:
                    query: SELECT stats.capped_sum(value) AS total FROM stats.readings
                {}
                aggregates:
                  capped_sum:
                    args: [integer]
                    state_function: clamp_sum
                    state_type: integer
                    initial_condition: "0"
                  maximum:
                    args: [integer]
                    state_function: keep_max
                    state_type: integer
                  old_max:
                    args: [integer]
                    state_function: old_keep
                    state_type: integer
            "#,
        functions("integer") + OLD_KEEP
    );
    let after = format!(
        r#"
            schemas:
              stats:
                tables:
                  readings:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      value: {{ type: integer }}
                views:
                  capped:
                    query: SELECT stats.capped_sum(value) AS total FROM stats.readings
                {}
                aggregates:
                  capped_sum:
                    args: [bigint]
                    state_function: clamp_sum
                    state_type: bigint
                    initial_condition: "0"
                  maximum:
                    args: [integer]
                    state_function: keep_max
                    state_type: integer
                    initial_condition: "-2147483648"
            "#,
        functions("bigint")
    );
    case!().before(&before).after(&after).check();
}
