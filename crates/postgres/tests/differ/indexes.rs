//! Indexes: built CONCURRENTLY outside the transaction on existing tables, plainly on new
//! and partitioned tables; replaced when their definition changes.

const ORDERS: &str = r#"
    schemas:
      shop:
        tables:
          orders:
            columns:
              id: { type: bigint, primary_key: true }
              customer_id: { type: bigint }
              email: { type: text }
              status: { type: text }
              placed_at: { type: timestamptz }
"#;

/// A plain index on an existing table: CONCURRENTLY, after the transaction, with the
/// invalid leftover of an interrupted build dropped first; its comment comes with it.
#[test]
fn plain_index_on_existing_table_is_concurrent() {
    case!()
        .before(ORDERS)
        .after(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint }
                      email: { type: text }
                      status: { type: text }
                      placed_at: { type: timestamptz }
                    indexes:
                      orders_customer_placed:
                        columns: [customer_id, { column: placed_at, order: desc, nulls: last }]
                        comment: Order history of a customer
            "#,
        )
        .check();
}

/// Unique, partial, expression and covering indexes on an existing table.
#[test]
fn unique_partial_expression_indexes() {
    case!()
        .before(ORDERS)
        .after(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint }
                      email: { type: text }
                      status: { type: text }
                      placed_at: { type: timestamptz }
                    indexes:
                      orders_email_lower:
                        unique: true
                        columns: [{ expression: lower(email) }]
                      orders_open:
                        columns: [placed_at]
                        include: [customer_id]
                        where: "status <> 'closed'"
            "#,
        )
        .check();
}

/// pgvector: an HNSW index with an operator class and storage parameters on a new
/// table (plain build, in the transaction).
#[test]
fn hnsw_index_on_new_table() {
    case!()
        .before(
            r#"
            extensions: [vector]
            schemas:
              shop: {}
            "#,
        )
        .after(
            r#"
            extensions: [vector]
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      embedding: { type: vector(384) }
                    indexes:
                      products_embedding_hnsw:
                        using: hnsw
                        columns: [{ column: embedding, opclass: vector_cosine_ops }]
                        with: { m: 16, ef_construction: 64 }
            "#,
        )
        .check();
}

/// The HNSW index's parameters and operator class change: dropped and built again,
/// both CONCURRENTLY, the drop first so that the name is free.
#[test]
fn hnsw_index_options_change() {
    case!()
        .before(
            r#"
            extensions: [vector]
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      embedding: { type: vector(384) }
                    indexes:
                      products_embedding_hnsw:
                        using: hnsw
                        columns: [{ column: embedding, opclass: vector_cosine_ops }]
                        with: { m: 16, ef_construction: 64 }
            "#,
        )
        .after(
            r#"
            extensions: [vector]
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      embedding: { type: vector(384) }
                    indexes:
                      products_embedding_hnsw:
                        using: hnsw
                        columns: [{ column: embedding, opclass: vector_l2_ops }]
                        with: { m: 32, ef_construction: 128 }
            "#,
        )
        .check();
}

/// Only the comment changes: no rebuild, a COMMENT in the transaction. A dropped index
/// goes CONCURRENTLY.
#[test]
fn index_comment_changes_and_index_dropped() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      email: { type: text }
                      status: { type: text }
                    indexes:
                      orders_email: { columns: [email], comment: Lookups by email }
                      orders_status: { columns: [status] }
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
                      email: { type: text }
                      status: { type: text }
                    indexes:
                      orders_email: { columns: [email], comment: Login by email }
            "#,
        )
        .check();
}

/// On a partitioned table CONCURRENTLY is not allowed: the replaced index is dropped
/// and created in the transaction.
#[test]
fn index_change_on_partitioned_table_is_plain() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      id: { type: bigint, nullable: false }
                      kind: { type: text }
                      at: { type: timestamptz, nullable: false }
                    partition_by: { range: [at] }
                    partitions:
                      generate: { every: month, from: 2026-01, count: 2 }
                    indexes:
                      events_kind: { columns: [kind] }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      id: { type: bigint, nullable: false }
                      kind: { type: text }
                      at: { type: timestamptz, nullable: false }
                    partition_by: { range: [at] }
                    partitions:
                      generate: { every: month, from: 2026-01, count: 2 }
                    indexes:
                      events_kind: { columns: [kind, at] }
            "#,
        )
        .check();
}

/// A column and the index on it both go: dropping the column drops the index in the
/// transaction, and the concurrent drop after it finds nothing (IF EXISTS).
#[test]
fn column_and_its_index_dropped() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint }
                      email: { type: text }
                      status: { type: text }
                      placed_at: { type: timestamptz }
                    indexes:
                      orders_email: { columns: [email] }
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
                      customer_id: { type: bigint }
                      status: { type: text }
                      placed_at: { type: timestamptz }
            "#,
        )
        .check();
}
