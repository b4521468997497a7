//! Whole models created in a fresh database (`plan` without a database), and the plan
//! between identical models.

/// Two schemas with owners, an extension, an enum, tables that reference each other
/// across schemas, an index, a view, a function and a trigger: each in its phase, the
/// referenced table's key before the foreign key, grants and comments last.
#[test]
fn create_two_schemas_from_empty() {
    case!()
        .after(
            r#"
            database: { name: shop, owner: shop_owner }
            extensions: [pg_trgm]
            roles:
              shop_owner: { login: true }
              shop_reader: {}
            schemas:
              crm:
                owner: shop_owner
                comment: Customers
                tables:
                  customers:
                    columns:
                      id: { type: bigint, identity: always, primary_key: true }
                      email: { type: text, nullable: false, unique: true }
                      updated_at: { type: timestamptz, nullable: false, default: now() }
                    triggers:
                      customers_touch:
                        timing: before
                        events: [update]
                        function: touch
                functions:
                  touch:
                    returns: trigger
                    body: |
                      BEGIN
                        NEW.updated_at := now();
                        RETURN NEW;
                      END;
              sales:
                owner: shop_owner
                grants:
                  - { to: [shop_reader], privileges: [usage] }
                enums:
                  order_status: [new, paid, shipped]
                tables:
                  orders:
                    comment: One row per order
                    columns:
                      id: { type: bigserial, primary_key: true }
                      customer_id: { type: bigint, nullable: false, references: { schema: crm, table: customers } }
                      status: { type: order_status, nullable: false, default: "'new'" }
                      note: { type: text, comment: Free text from the customer }
                    indexes:
                      orders_note_trgm:
                        using: gin
                        columns: [{ column: note, opclass: gin_trgm_ops }]
                    grants:
                      - { to: [shop_reader], privileges: [select] }
                views:
                  open_orders:
                    query: SELECT id, customer_id FROM sales.orders WHERE status <> 'shipped'
                    grants:
                      - { to: [shop_reader], privileges: [select] }
            "#,
        )
        .check();
}

/// Names that need quoting everywhere they appear: spaces, double quotes, dollar signs,
/// mixed case and a keyword; a label and comments with single quotes; a function body
/// that holds `$$`.
#[test]
fn create_quoted_names() {
    case!()
        .after(
            r#"
            schemas:
              Sales Data:
                comment: "Bob's schema"
                enums:
                  Mood: ["it's fine", "so-so"]
                tables:
                  Order "Items":
                    comment: It's "quoted"
                    columns:
                      CustomerID: { type: bigint, primary_key: true }
                      price$usd: { type: "numeric(10,2)", check: "\"price$usd\" >= 0" }
                      user: { type: text }
                      mood: { type: Mood }
                    indexes:
                      by price$usd:
                        columns: [price$usd]
                functions:
                  Dollar Fn:
                    returns: text
                    language: sql
                    body: "SELECT '$$ and $x$ inside'::text"
            "#,
        )
        .check();
}

/// The `public` schema exists in a fresh database: the model's tables go into it
/// without a CREATE SCHEMA, and its comment is set to the model's. A JSON default is
/// written as a typed literal.
#[test]
fn create_in_public_schema() {
    case!()
        .after(
            r#"
            schemas:
              public:
                comment: Application tables
                tables:
                  settings:
                    columns:
                      key: { type: text, primary_key: true }
                      value: { type: jsonb, nullable: false, default: { theme: dark } }
            "#,
        )
        .check();
}

/// Identical models: no step at all.
#[test]
fn identical_models_give_no_steps() {
    let model = r#"
        roles:
          shop_reader: {}
        schemas:
          shop:
            grants:
              - { to: [shop_reader], privileges: [usage] }
            enums:
              status: [new, done]
            tables:
              orders:
                columns:
                  id: { type: bigint, identity: by_default, primary_key: true }
                  status: { type: status, nullable: false, default: "'new'" }
                  total: { type: "numeric(12,2)", check: "total >= 0" }
                indexes:
                  orders_status: { columns: [status], where: "status = 'new'" }
                grants:
                  - { to: [shop_reader], privileges: [select] }
            views:
              new_orders:
                query: SELECT id FROM shop.orders WHERE status = 'new'
    "#;
    let steps = case!().before(model).after(model).check();
    assert!(steps.is_empty());
}
