//! What the model no longer has goes, dependants first: views, then tables, then the
//! functions and types they used, then schemas and extensions.

/// A whole schema goes: its view first, its tables together, then its function and
/// enum, the schema last. The extension goes too: the index in another schema that uses
/// its operator class is dropped in the transaction, before it (not CONCURRENTLY after
/// the commit, when DROP EXTENSION would already have failed).
#[test]
fn schema_dropped_dependants_first() {
    case!()
        .before(
            r#"
            extensions: [pg_trgm]
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      name: { type: text }
                    indexes:
                      products_name_trgm:
                        using: gin
                        columns: [{ column: name, opclass: gin_trgm_ops }]
              archive:
                enums:
                  reason: [returned, lost]
                tables:
                  old_orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      reason: { type: reason }
                  old_lines:
                    columns:
                      id: { type: bigint, primary_key: true }
                      order_id: { type: bigint, references: { table: old_orders } }
                views:
                  old_summary:
                    query: SELECT archive.label(o.id) AS label, count(l.id) AS lines FROM archive.old_orders o JOIN archive.old_lines l ON l.order_id = o.id GROUP BY o.id
                functions:
                  label:
                    args: [{ name: id, type: bigint }]
                    returns: text
                    language: sql
                    body: "SELECT 'order ' || id"
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      name: { type: text }
            "#,
        )
        .check();
}

/// An extension and a schema appear; the extension comes first.
#[test]
fn extension_and_schema_added() {
    case!()
        .before(
            r#"
            schemas:
              shop: {}
            "#,
        )
        .after(
            r#"
            extensions: [citext]
            schemas:
              shop: {}
              crm:
                tables:
                  contacts:
                    columns:
                      email: { type: citext, primary_key: true }
            "#,
        )
        .check();
}

/// A table and the view over it both get new names. Views have no `renamed_from`: the
/// old view is dropped before the table is renamed, the new one created over it after.
#[test]
fn table_renamed_view_replaced() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  items:
                    columns:
                      id: { type: bigint, primary_key: true }
                      name: { type: text, nullable: false }
                views:
                  item_names:
                    query: SELECT name FROM shop.items
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  products:
                    renamed_from: items
                    columns:
                      id: { type: bigint, primary_key: true }
                      name: { type: text, nullable: false }
                views:
                  product_names:
                    query: SELECT name FROM shop.products
            "#,
        )
        .check();
}
