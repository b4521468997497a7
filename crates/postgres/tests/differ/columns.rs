//! Columns of a table that stays: added, dropped, renamed, retyped, nullability,
//! defaults, identity and generation.

const ORDERS: &str = r#"
    schemas:
      shop:
        tables:
          orders:
            columns:
              id: { type: bigint, primary_key: true }
              total: { type: integer }
"#;

/// A nullable column without a default: a catalog-only change, no hazard.
#[test]
fn add_nullable_column() {
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
                      total: { type: integer }
                      note: { type: text, comment: Said by the customer }
            "#,
        )
        .check();
}

/// NOT NULL with a constant default: added in one statement, no rewrite.
#[test]
fn add_not_null_column_with_constant_default() {
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
                      total: { type: integer }
                      currency: { type: "char(3)", nullable: false, default: "'EUR'" }
            "#,
        )
        .check();
}

/// A volatile default is evaluated per row: the table is rewritten.
#[test]
fn add_column_with_volatile_default() {
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
                      total: { type: integer }
                      token: { type: uuid, nullable: false, default: gen_random_uuid() }
            "#,
        )
        .check();
}

/// A dropped column loses its data.
#[test]
fn drop_column() {
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
            "#,
        )
        .check();
}

/// `renamed_from`: renamed in place, and the NOT NULL constraint PostgreSQL 18 names
/// after the column follows it.
#[test]
fn rename_column() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      placed: { type: timestamptz, nullable: false }
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
                      placed_at: { type: timestamptz, nullable: false, renamed_from: placed }
            "#,
        )
        .check();
}

/// Renamed and retyped with `using`: the rename runs first, so the expression names the
/// column by its new name.
#[test]
fn rename_and_convert_with_using() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      price: { type: "numeric(10,2)" }
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
                      price_cents:
                        type: bigint
                        renamed_from: price
                        using: "round(price_cents * 100)::bigint"
            "#,
        )
        .check();
}

/// integer → bigint without `using`: the server's cast, a rewrite.
#[test]
fn change_type_with_cast() {
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
                      total: { type: bigint }
            "#,
        )
        .check();
}

/// varchar(n) to a longer varchar and to text: binary-compatible, no rewrite hazard.
#[test]
fn widen_varchar_without_rewrite() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                      name: { type: "varchar(50)" }
                      city: { type: "varchar(40)" }
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
                      name: { type: "varchar(200)" }
                      city: { type: text }
            "#,
        )
        .check();
}

/// A column with a default changes type: the default goes first (it may not cast) and
/// comes back after.
#[test]
fn change_type_of_column_with_default() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      quantity: { type: text, default: "'1'" }
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
                      quantity: { type: integer, default: 1, using: "quantity::integer" }
            "#,
        )
        .check();
}

/// NOT NULL on (checked by a NOT VALID check first, so SET NOT NULL scans nothing under
/// its lock) and off.
#[test]
fn set_and_drop_not_null() {
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
                      phone: { type: text, nullable: false }
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
                      email: { type: text, nullable: false }
                      phone: { type: text }
            "#,
        )
        .check();
}

/// Defaults set, changed and dropped.
#[test]
fn defaults_set_changed_and_dropped() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      placed_at: { type: timestamptz }
                      channel: { type: text, default: "'web'" }
                      priority: { type: integer, default: 0 }
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
                      placed_at: { type: timestamptz, default: now() }
                      channel: { type: text, default: "'store'" }
                      priority: { type: integer }
            "#,
        )
        .check();
}

/// Identity added to a plain column, changed from ALWAYS to BY DEFAULT, and dropped.
#[test]
fn identity_added_changed_and_dropped() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  tickets:
                    columns:
                      id: { type: bigint, nullable: false }
                      seq: { type: bigint, identity: always }
                      legacy_no: { type: integer, identity: by_default }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  tickets:
                    columns:
                      id: { type: bigint, identity: always }
                      seq: { type: bigint, identity: by_default }
                      legacy_no: { type: integer, nullable: false }
            "#,
        )
        .check();
}

/// Identity sequence options: set on a column that stays an identity one (every option
/// spelled out, with the kind in the same statement), taken back to the defaults, given to
/// a column made an identity one, and written inline on a new table.
#[test]
fn identity_options_set_reset_and_added() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  tickets:
                    columns:
                      id: { type: bigint, identity: always }
                      seq: { type: integer, identity: always, identity_options: { start: 100, cache: 10 } }
                      legacy_no: { type: integer, nullable: false }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  tickets:
                    columns:
                      id: { type: bigint, identity: by_default, identity_options: { start: 1000, increment: 10 } }
                      seq: { type: integer, identity: always }
                      legacy_no: { type: integer, identity: by_default, identity_options: { min_value: -5, increment: -1 } }
                  invoices:
                    columns:
                      invoice_no: { type: bigint, identity: always, identity_options: { start: 20260001, cycle: true }, primary_key: true }
            "#,
        )
        .check();
}

/// A column renamed in the edit that also changes its identity: the statement names the
/// new name and sets the kind and every option (the previous catalog knows the column by
/// its old name only).
#[test]
fn identity_changed_on_a_renamed_column() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  tickets:
                    columns:
                      id: { type: bigint, identity: always }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  tickets:
                    columns:
                      ticket_id: { type: bigint, identity: by_default, identity_options: { start: 500 }, renamed_from: id }
            "#,
        )
        .check();
}

/// Generated columns: a new expression (rewrite), one that stops being generated, and a
/// plain column that becomes generated (dropped and added again).
#[test]
fn generated_columns() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  lines:
                    columns:
                      id: { type: bigint, primary_key: true }
                      quantity: { type: integer, nullable: false }
                      unit_price: { type: "numeric(10,2)", nullable: false }
                      total: { type: "numeric(12,2)", generated: quantity * unit_price }
                      label: { type: text, generated: "'line ' || id" }
                      search: { type: text }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  lines:
                    columns:
                      id: { type: bigint, primary_key: true }
                      quantity: { type: integer, nullable: false }
                      unit_price: { type: "numeric(10,2)", nullable: false }
                      total: { type: "numeric(12,2)", generated: "round(quantity * unit_price, 2)" }
                      label: { type: text }
                      search: { type: text, generated: "lower('line ' || id)" }
            "#,
        )
        .check();
}

/// A serial column added to a table whose grantee may insert: the sequence gets USAGE.
#[test]
fn add_serial_column_with_insert_grant() {
    case!()
        .before(
            r#"
            roles:
              shop_writer: {}
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      name: { type: text, nullable: false }
                    grants:
                      - { to: [shop_writer], privileges: [select, insert] }
            "#,
        )
        .after(
            r#"
            roles:
              shop_writer: {}
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      name: { type: text, nullable: false }
                      seq: { type: bigserial }
                    grants:
                      - { to: [shop_writer], privileges: [select, insert] }
            "#,
        )
        .check();
}

/// An identity column added to an existing table: every row gets a value from the new
/// sequence, so the table is rewritten.
#[test]
fn add_identity_column_rewrites() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      name: { type: text, nullable: false }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      name: { type: text, nullable: false }
                      id: { type: bigint, identity: always }
            "#,
        )
        .check();
}

/// A column whose type changes is used by a policy, by a trigger's UPDATE OF and by
/// another trigger's WHEN: PostgreSQL refuses to retype a column any of them depends on,
/// so they go before the type change and come back after it.
#[test]
fn change_type_under_policy_and_triggers() {
    let model = |total: &str| {
        format!(
            r#"
            roles:
              shop_user: {{}}
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      total: {{ type: {total} }}
                    row_level_security:
                      policies:
                        positive_only: {{ to: [shop_user], using: "total > 0" }}
                    triggers:
                      orders_total_changed:
                        timing: after
                        events: [update]
                        update_of: [total]
                        function: audit
                      orders_big:
                        timing: before
                        events: [insert]
                        when: "NEW.total > 1000"
                        function: audit
                functions:
                  audit:
                    returns: trigger
                    body: "BEGIN RETURN NEW; END;"
            "#
        )
    };
    case!()
        .before(&model("integer"))
        .after(&model("bigint"))
        .check();
}

/// A column a generated column reads changes type: PostgreSQL refuses while the
/// generated column depends on it, so that one is dropped before and added again after
/// (its values are computed again).
#[test]
fn change_type_under_generated_column() {
    let model = |quantity: &str| {
        format!(
            r#"
            schemas:
              shop:
                tables:
                  lines:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      quantity: {{ type: {quantity}, nullable: false }}
                      doubled: {{ type: bigint, generated: quantity * 2 }}
            "#
        )
    };
    case!()
        .before(&model("integer"))
        .after(&model("bigint"))
        .check();
}
