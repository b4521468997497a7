//! Standalone sequences: created before the tables whose defaults call them, owned once
//! their column exists, released before that column goes, altered in place, dropped
//! after the tables that used them.

/// A new sequence with every option, its comment and grant, a table whose default draws
/// from it, and a second sequence owned by one of the table's columns.
#[test]
fn sequence_created_with_its_table() {
    case!()
        .before(
            r#"
            roles:
              billing_app: {}
            schemas:
              billing: {}
            "#,
        )
        .after(
            r#"
            roles:
              billing_app: {}
            schemas:
              billing:
                sequences:
                  invoice_number:
                    start: 100000
                    cache: 20
                    comment: Shared by invoices and credit notes
                    grants:
                      - { to: [billing_app], privileges: [usage, select] }
                  Reminder Seq:
                    type: integer
                    increment: -1
                    min_value: -1000
                    cycle: true
                    owned_by: invoices.reminded_at
                tables:
                  invoices:
                    columns:
                      id: { type: bigint, primary_key: true }
                      number: { type: text, default: "'INV-' || nextval('billing.invoice_number')" }
                      reminded_at: { type: date }
            "#,
        )
        .check();
}

/// Options changed: one ALTER SEQUENCE with every option, nothing restarted.
#[test]
fn sequence_options_altered() {
    case!()
        .before(
            r#"
            schemas:
              billing:
                sequences:
                  invoice_number: { start: 1000 }
            "#,
        )
        .after(
            r#"
            schemas:
              billing:
                sequences:
                  invoice_number: { type: integer, start: 1000, increment: 10, cache: 50, max_value: 900000000 }
            "#,
        )
        .check();
}

/// The owning column is dropped but the sequence stays: it is released first, or the
/// column's drop would take it along.
#[test]
fn sequence_released_before_its_owning_column_goes() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                sequences:
                  ticket_no: { owned_by: tickets.legacy_no }
                tables:
                  tickets:
                    columns:
                      id: { type: bigint, primary_key: true }
                      legacy_no: { type: bigint }
                      number: { type: bigint }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                sequences:
                  ticket_no: { owned_by: tickets.number }
                tables:
                  tickets:
                    columns:
                      id: { type: bigint, primary_key: true }
                      number: { type: bigint }
            "#,
        )
        .check();
}

/// A sequence and the table whose default used it both go: the table first, then the
/// sequence (released from its owning column so that the table's drop leaves it).
#[test]
fn sequence_dropped_after_the_table_using_it() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                sequences:
                  order_no: { owned_by: orders.id }
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true, default: "nextval('shop.order_no') + 0" }
            "#,
        )
        .after(
            r#"
            schemas:
              shop: {}
            "#,
        )
        .check();
}
