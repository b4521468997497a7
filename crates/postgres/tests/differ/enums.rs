//! Enum types: values added in place (committed before the plan's transaction), values
//! removed or reordered (the type replaced), types created and dropped.

/// New values at the end and in the middle: ADD VALUE, each committed first.
#[test]
fn enum_values_added() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, paid, shipped]
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                enums:
                  status: [draft, new, paid, packed, shipped, returned]
            "#,
        )
        .check();
}

/// A value added and used in the same edit (a default, a check, a view): the value is
/// committed in its own transaction before the plan's, which then may use it.
#[test]
fn enum_value_added_and_used() {
    let steps = case!()
        .before(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, active, closed]
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      status: { type: status, nullable: false, default: "'new'" }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, active, on_hold, closed]
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      status: { type: status, nullable: false, default: "'on_hold'" }
                    checks:
                      orders_hold_reason: "status <> 'on_hold' OR id > 0"
                views:
                  held_orders:
                    query: SELECT id FROM shop.orders WHERE status = 'on_hold'
            "#,
        )
        .check();
    // The laid-out script: the ADD VALUE's own transaction commits before the plan's.
    let script = schemactl_postgres::script::layout(&steps, Some("shop_owner")).to_sql();
    crate::harness::snapshot("enum_value_added_and_used_script", &script);
}

/// A value removed: the type steps aside, a new one is created, each column converts
/// through text (its default dropped and set again), and the old type is dropped.
#[test]
fn enum_value_removed_replaces_the_type() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, legacy, paid]
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      status: { type: status, nullable: false, default: "'new'" }
                      history: { type: "status[]" }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, paid]
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      status: { type: status, nullable: false, default: "'new'" }
                      history: { type: "status[]" }
            "#,
        )
        .check();
}

/// A value removed from an enum a function takes and returns: the function is dropped
/// (by its signature, while the type still has its name) before the type steps aside, and
/// created again over the new type; the replacement is created after the rename.
#[test]
fn enum_value_removed_under_a_function_signature() {
    let model = |values: &str| {
        format!(
            r#"
            schemas:
              shop:
                enums:
                  status: [{values}]
                tables:
                  orders:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      status: {{ type: status, nullable: false }}
                functions:
                  next_status:
                    args: [{{ name: current, type: status }}]
                    returns: status
                    language: sql
                    volatility: immutable
                    body: "SELECT CASE current WHEN 'new' THEN 'paid'::shop.status ELSE current END"
            "#
        )
    };
    case!()
        .before(&model("new, legacy, paid"))
        .after(&model("new, paid"))
        .check();
}

/// A value removed from an enum, and the function whose signature names it removed in
/// the same edit: the function goes in the teardown, by its signature while the type
/// still has its name, not among the late drops (where the name means the new type).
#[test]
fn enum_value_removed_with_a_function_over_it() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, legacy, paid]
                functions:
                  is_open:
                    args: [{ name: s, type: status }]
                    returns: boolean
                    language: sql
                    body: SELECT s = 'new'
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, paid]
            "#,
        )
        .check();
}

/// An enum no column uses any more is dropped after the column that used it.
#[test]
fn enum_dropped_after_its_column() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                enums:
                  size:
                    values: [s, m, l]
                    comment: T-shirt sizes
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      size: { type: size }
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

/// A value is removed from an enum that a check, a partial index and a policy compare
/// against literals: the constraint and index definitions name the old type once it is
/// renamed aside, so they are dropped before the columns convert and created again
/// after; the policy (which blocks any type change of its column) likewise.
#[test]
fn enum_value_removed_under_check_index_and_policy() {
    let model = |values: &str| {
        format!(
            r#"
            roles:
              shop_user: {{}}
            schemas:
              shop:
                enums:
                  status: {values}
                tables:
                  orders:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      status: {{ type: status, nullable: false }}
                    checks:
                      orders_status_known: "status IN ('new', 'paid')"
                    indexes:
                      orders_new: {{ columns: [id], where: "status = 'new'" }}
                      orders_status: {{ columns: [status] }}
                    row_level_security:
                      policies:
                        paid_only: {{ to: [shop_user], using: "status = 'paid'" }}
            "#
        )
    };
    case!()
        .before(&model("[new, legacy, paid]"))
        .after(&model("[new, paid]"))
        .check();
}

/// A value is removed while the table that used the enum is dropped and another column
/// using it is renamed: only columns that stay are converted, under their new names.
#[test]
fn enum_value_removed_with_table_dropped_and_column_renamed() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, legacy, paid]
                tables:
                  old_orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      status: { type: status }
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      state: { type: status }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, paid]
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      status: { type: status, renamed_from: state }
            "#,
        )
        .check();
}

/// A new value used at once by a new table's default and check.
#[test]
fn enum_value_added_and_used_by_new_table() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, paid]
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                enums:
                  status: [new, paid, refunded]
                tables:
                  refunds:
                    columns:
                      id: { type: bigint, primary_key: true }
                      status: { type: status, nullable: false, default: "'refunded'", check: "status = 'refunded'" }
            "#,
        )
        .check();
}
