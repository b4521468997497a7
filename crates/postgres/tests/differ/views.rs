//! Views and materialized views: rebuilt (dropped dependents first, created dependencies
//! first) when their query changes or something they use changes under them; left alone
//! otherwise.

/// Orders with two views: one reads `total`, the other does not.
fn orders_with_views(total_type: &str, extra_column: &str) -> String {
    format!(
        r#"
        schemas:
          shop:
            tables:
              orders:
                columns:
                  id: {{ type: bigint, primary_key: true }}
                  customer: {{ type: text }}
                  total: {{ type: {total_type} }}{extra_column}
            views:
              order_totals:
                query: SELECT id, total FROM shop.orders
              customers:
                query: SELECT DISTINCT customer FROM shop.orders
        "#
    )
}

/// `total` changes type: the view reading it is rebuilt around the change; the view
/// that does not read it stays.
#[test]
fn view_rebuilt_when_its_column_changes() {
    case!()
        .before(&orders_with_views("integer", ""))
        .after(&orders_with_views("bigint", ""))
        .check();
}

/// A column is added and one no view reads is dropped: neither view is rebuilt.
#[test]
fn views_untouched_by_unrelated_columns() {
    case!()
        .before(&orders_with_views(
            "integer",
            "\n                  legacy: { type: text }",
        ))
        .after(&orders_with_views(
            "integer",
            "\n                  note: { type: text }",
        ))
        .check();
}

/// A materialized view (with its index) over a view over the table: both rebuilt when
/// the column under them is renamed, the materialized view dropped first and created
/// last, its index with it.
#[test]
fn materialized_view_over_view_rebuilt_in_order() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      amount: { type: "numeric(12,2)" }
                views:
                  order_amounts:
                    query: SELECT id, amount FROM shop.orders
                materialized_views:
                  amount_stats:
                    query: SELECT count(*) AS n, sum(amount) AS total FROM shop.order_amounts
                    indexes:
                      amount_stats_n: { unique: true, columns: [n] }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: "numeric(12,2)", renamed_from: amount }
                views:
                  order_amounts:
                    query: SELECT id, total AS amount FROM shop.orders
                materialized_views:
                  amount_stats:
                    query: SELECT count(*) AS n, sum(amount) AS total FROM shop.order_amounts
                    indexes:
                      amount_stats_n: { unique: true, columns: [n] }
            "#,
        )
        .check();
}

/// The query changes: dropped and created. Only the comment, a column comment and a
/// grant change on another view: no rebuild.
#[test]
fn view_query_change_and_attachments_only() {
    case!()
        .before(
            r#"
            roles:
              analyst: {}
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: integer }
                views:
                  big_orders:
                    query: SELECT id FROM shop.orders WHERE total > 100
                  all_orders:
                    query: SELECT id, total FROM shop.orders
                    comment: Every order
            "#,
        )
        .after(
            r#"
            roles:
              analyst: {}
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: integer }
                views:
                  big_orders:
                    query: SELECT id, total FROM shop.orders WHERE total > 1000
                    security_invoker: true
                  all_orders:
                    query: SELECT id, total FROM shop.orders
                    comment: Every order, unfiltered
                    column_comments: { total: In cents }
                    grants:
                      - { to: [analyst], privileges: [select] }
            "#,
        )
        .check();
}

/// A table renamed under a view: the view is rebuilt over the new name.
#[test]
fn view_rebuilt_over_renamed_table() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  clients:
                    columns:
                      id: { type: bigint, primary_key: true }
                views:
                  client_ids:
                    query: SELECT id FROM shop.clients
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    renamed_from: clients
                    columns:
                      id: { type: bigint, primary_key: true }
                views:
                  client_ids:
                    query: SELECT id FROM shop.customers
            "#,
        )
        .check();
}

/// Rebuilt views get their grants, comments and column comments back.
#[test]
fn rebuilt_views_keep_grants_and_comments() {
    let model = |total: &str| {
        format!(
            r#"
            roles:
              analyst: {{}}
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      total: {{ type: {total} }}
                views:
                  order_totals:
                    query: SELECT id, total FROM shop.orders
                    comment: Totals
                    column_comments: {{ total: In cents }}
                    grants:
                      - {{ to: [analyst], privileges: [select] }}
                materialized_views:
                  total_sum:
                    query: SELECT sum(total) AS total FROM shop.order_totals
                    comment: One row
                    grants:
                      - {{ to: [analyst], privileges: [select] }}
            "#
        )
    };
    case!()
        .before(&model("integer"))
        .after(&model("bigint"))
        .check();
}
