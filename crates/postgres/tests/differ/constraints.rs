//! Keys, unique constraints, checks and foreign keys on tables that stay.

/// A primary key added to a table that had none: it builds an index under a strong lock.
#[test]
fn add_primary_key() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  audit:
                    columns:
                      id: { type: bigint, nullable: false }
                      what: { type: text }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  audit:
                    columns:
                      id: { type: bigint, primary_key: true }
                      what: { type: text }
            "#,
        )
        .check();
}

/// Only the primary key's name changes: renamed, not rebuilt.
#[test]
fn rename_primary_key() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  audit:
                    columns:
                      id: { type: bigint, primary_key: true }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  audit:
                    primary_key_name: audit_id_pk
                    columns:
                      id: { type: bigint, primary_key: true }
            "#,
        )
        .check();
}

/// The primary key gains a column while another table's foreign key references it:
/// the foreign key (which follows the key's columns) goes before the key it depends on
/// and comes back after the new key exists.
#[test]
fn change_primary_key_referenced_by_foreign_key() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  regions:
                    columns:
                      code: { type: text, primary_key: true }
                      country: { type: text, nullable: false }
                  stores:
                    columns:
                      id: { type: bigint, primary_key: true }
                      region: { type: text, references: { table: regions } }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  regions:
                    primary_key: [code, country]
                    columns:
                      code: { type: text }
                      country: { type: text, nullable: false }
                  stores:
                    columns:
                      id: { type: bigint, primary_key: true }
                      region: { type: text }
                      country: { type: text }
                    foreign_keys:
                      stores_region_fkey:
                        columns: [region, country]
                        references: regions
            "#,
        )
        .check();
}

/// Unique constraints: one added (index build under lock), one dropped, one whose
/// columns change (dropped and added).
#[test]
fn unique_constraints_added_dropped_changed() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                      email: { type: text }
                      phone: { type: text, unique: true }
                      tenant: { type: integer }
                      handle: { type: text }
                    unique:
                      customers_handle_key: [handle]
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                      email: { type: text, unique: true }
                      phone: { type: text }
                      tenant: { type: integer }
                      handle: { type: text }
                    unique:
                      customers_handle_key: { columns: [tenant, handle], nulls_not_distinct: true }
            "#,
        )
        .check();
}

/// Checks: a new one is added NOT VALID and validated; a changed one is dropped and
/// added; a dropped one goes.
#[test]
fn checks_added_changed_dropped() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      price: { type: "numeric(10,2)", check: "price > 0" }
                      stock: { type: integer }
                      weight: { type: real }
                    checks:
                      products_weight_sane: "weight < 1000"
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
                      price: { type: "numeric(10,2)", check: "price >= 0" }
                      stock: { type: integer, check: "stock >= 0" }
                      weight: { type: real }
            "#,
        )
        .check();
}

/// A foreign key added to an existing table: NOT VALID (no scan under the strong lock),
/// then validated.
#[test]
fn add_foreign_key_to_existing_table() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint, references: { table: customers, on_delete: cascade } }
            "#,
        )
        .check();
}

/// The referential action changes: dropped and added again.
#[test]
fn change_foreign_key_action() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint, references: { table: customers } }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id:
                        type: bigint
                        references: { table: customers, on_delete: set_null, on_update: cascade, deferrable: true }
            "#,
        )
        .check();
}

/// The referenced table is renamed: PostgreSQL's foreign key follows it (it holds the
/// table by oid), so the plan renames the table and leaves the foreign key alone.
#[test]
fn foreign_key_follows_table_rename() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  clients:
                    columns:
                      id: { type: bigint, primary_key: true }
                      name: { type: text, nullable: false }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint, references: { table: clients, name: orders_customer_id_fkey } }
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
                      name: { type: text, nullable: false }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint, references: { table: customers, name: orders_customer_id_fkey } }
            "#,
        )
        .check();
}

/// A live database holds a foreign key added NOT VALID by an interrupted plan (a shape
/// the model cannot write): the plan validates it and changes nothing else.
#[test]
fn validate_foreign_key_left_not_valid() {
    let model = r#"
        schemas:
          shop:
            tables:
              customers:
                columns:
                  id: { type: bigint, primary_key: true }
              orders:
                columns:
                  id: { type: bigint, primary_key: true }
                  customer_id: { type: bigint, references: { table: customers } }
    "#;
    case!()
        .before(model)
        .adjust_before(|catalog| {
            let orders = schemactl_core::catalog::QName::new("shop", "orders");
            let table = catalog.tables.get_mut(&orders).expect("orders");
            table.not_valid.push("orders_customer_id_fkey".to_string());
        })
        .after(model)
        .check();
}

/// Tables that reference each other are dropped in one statement.
#[test]
fn drop_tables_that_reference_each_other() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                      favourite_order: { type: bigint, references: { table: orders } }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      customer_id: { type: bigint, references: { table: customers } }
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
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
            "#,
        )
        .check();
}

/// A unique constraint is replaced (it becomes NULLS NOT DISTINCT) while a foreign key
/// that stays the same references its columns: the foreign key depends on the
/// constraint's index, so it is dropped before and added again after.
#[test]
fn unique_replaced_under_unchanged_foreign_key() {
    let model = |nulls_not_distinct: bool| {
        format!(
            r#"
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      sku: {{ type: text }}
                    unique:
                      products_sku_key: {{ columns: [sku], nulls_not_distinct: {nulls_not_distinct} }}
                  stock:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      sku: {{ type: text, references: {{ table: products, column: sku }} }}
            "#
        )
    };
    case!().before(&model(false)).after(&model(true)).check();
}

/// A table with serial columns, a default-named key and unique constraint and an insert
/// grant (which covers the sequences) is renamed, and one serial column too: the key is
/// renamed, the unique constraint replaced under its new name, and the sequences renamed
/// as a fresh database names them, so that the grants on them find them.
#[test]
fn table_with_serial_key_renamed() {
    case!()
        .before(
            r#"
            roles:
              shop_app: {}
            schemas:
              shop:
                tables:
                  clients:
                    columns:
                      id: { type: bigserial, primary_key: true }
                      email: { type: text, unique: true }
                      ticket: { type: serial }
                    grants:
                      - { to: [shop_app], privileges: [insert] }
            "#,
        )
        .after(
            r#"
            roles:
              shop_app: {}
            schemas:
              shop:
                tables:
                  customers:
                    renamed_from: clients
                    columns:
                      id: { type: bigserial, primary_key: true }
                      email: { type: text, unique: true }
                      ticket_no: { type: serial, renamed_from: ticket }
                    grants:
                      - { to: [shop_app], privileges: [insert] }
            "#,
        )
        .check();
}

/// A foreign key made DEFERRABLE INITIALLY DEFERRED: dropped and added again with the new
/// timing (validated without blocking writes, like any foreign key added to a table).
#[test]
fn foreign_key_becomes_initially_deferred() {
    case!()
        .before(
            r#"
            schemas:
              ledger:
                tables:
                  currencies:
                    columns:
                      code: { type: "char(3)", primary_key: true }
                  accounts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      currency: { type: "char(3)", references: { table: currencies } }
            "#,
        )
        .after(
            r#"
            schemas:
              ledger:
                tables:
                  currencies:
                    columns:
                      code: { type: "char(3)", primary_key: true }
                  accounts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      currency:
                        type: "char(3)"
                        references: { table: currencies, deferrable: true, initially_deferred: true }
            "#,
        )
        .check();
}

/// A primary key made deferrable and a unique constraint made initially deferred: each is
/// dropped and added again with its new timing (a key's timing cannot be altered); a new
/// table writes the clauses inline.
#[test]
fn keys_become_deferrable() {
    case!()
        .before(
            r#"
            schemas:
              ledger:
                tables:
                  postings:
                    columns:
                      posting_id: { type: bigint, primary_key: true }
                      batch: { type: integer, nullable: false }
                      line: { type: integer, nullable: false }
                    unique:
                      postings_batch_line_key: [batch, line]
            "#,
        )
        .after(
            r#"
            schemas:
              ledger:
                tables:
                  postings:
                    primary_key_deferrable: true
                    columns:
                      posting_id: { type: bigint, primary_key: true }
                      batch: { type: integer, nullable: false }
                      line: { type: integer, nullable: false }
                    unique:
                      postings_batch_line_key:
                        columns: [batch, line]
                        deferrable: true
                        initially_deferred: true
                  batches:
                    primary_key: [batch, seq]
                    primary_key_deferrable: true
                    primary_key_initially_deferred: true
                    columns:
                      batch: { type: integer }
                      seq: { type: integer }
            "#,
        )
        .check();
}

/// Exclusion constraints: one added to a table that stays (built under its lock, never
/// NOT VALID), one whose predicate changes (dropped and added), one removed, and one on a
/// new table (inline in CREATE TABLE, with INCLUDE, storage parameters and timing).
#[test]
fn exclusion_constraints() {
    case!()
        .before(
            r#"
            extensions: [btree_gist]
            schemas:
              booking:
                tables:
                  reservations:
                    columns:
                      id: { type: bigint, primary_key: true }
                      room_id: { type: integer }
                      during: { type: tstzrange }
                      cancelled: { type: boolean, default: false }
                    exclusions:
                      reservations_no_overlap:
                        elements:
                          - { column: room_id, with: "=" }
                          - { column: during, with: "&&" }
                      reservations_one_per_id:
                        using: btree
                        elements: [{ column: id, with: "=" }]
                  rooms:
                    columns:
                      room_id: { type: integer, primary_key: true }
                      open: { type: daterange }
            "#,
        )
        .after(
            r#"
            extensions: [btree_gist]
            schemas:
              booking:
                tables:
                  reservations:
                    columns:
                      id: { type: bigint, primary_key: true }
                      room_id: { type: integer }
                      during: { type: tstzrange }
                      cancelled: { type: boolean, default: false }
                    exclusions:
                      reservations_no_overlap:
                        elements:
                          - { column: room_id, with: "=" }
                          - { column: during, with: "&&" }
                        where: NOT cancelled
                  rooms:
                    columns:
                      room_id: { type: integer, primary_key: true }
                      open: { type: daterange }
                    exclusions:
                      rooms_open_once:
                        elements: [{ expression: "daterange(lower(open), upper(open))", with: "&&" }]
                  "Maintenance Windows":
                    columns:
                      room_id: { type: integer }
                      during: { type: tstzrange }
                      crew: { type: text }
                    exclusions:
                      maintenance_no_overlap:
                        using: gist
                        elements:
                          - { column: room_id, with: "=" }
                          - { column: during, opclass: range_ops, with: "&&" }
                        include: [crew]
                        with: { fillfactor: 90 }
                        deferrable: true
                        initially_deferred: true
            "#,
        )
        .check();
}
