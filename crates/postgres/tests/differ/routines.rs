//! Functions and triggers: created, replaced in place, or dropped and created again with
//! what depends on them when their signature changes.

/// A new function the model grants to a role: created, PUBLIC's EXECUTE revoked, the
/// role's granted, with its comment.
#[test]
fn function_created_with_grants() {
    case!()
        .before(
            r#"
            roles:
              shop_app: {}
            schemas:
              shop: {}
            "#,
        )
        .after(
            r#"
            roles:
              shop_app: {}
            schemas:
              shop:
                functions:
                  order_total:
                    args:
                      - { name: p_order_id, type: bigint }
                      - { name: p_with_tax, type: boolean, default: true }
                    returns: "numeric(12,2)"
                    language: sql
                    volatility: stable
                    security_definer: true
                    strict: true
                    parallel: safe
                    set: { search_path: "shop, pg_temp" }
                    comment: Sum of an order's lines
                    body: SELECT 0::numeric(12,2)
                    grants:
                      - { to: [shop_app], privileges: [execute] }
            "#,
        )
        .check();
}

/// Same signature and result, new body and volatility: CREATE OR REPLACE.
#[test]
fn function_body_replaced() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                functions:
                  tax_rate:
                    args: [{ name: country, type: text }]
                    returns: numeric
                    language: sql
                    body: SELECT 0.2
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                functions:
                  tax_rate:
                    args: [{ name: country, type: text }]
                    returns: numeric
                    language: sql
                    volatility: immutable
                    body: "SELECT CASE country WHEN 'DE' THEN 0.19 ELSE 0.2 END"
            "#,
        )
        .check();
}

/// The argument list changes: CREATE OR REPLACE cannot do it. The function is dropped
/// (after the view and the trigger that use it) and created again, and both come back.
#[test]
fn function_signature_change_rebuilds_dependents() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: integer }
                    triggers:
                      orders_check:
                        timing: before
                        events: [insert, update]
                        function: check_order
                views:
                  taxed:
                    query: SELECT id, shop.with_tax(total) AS gross FROM shop.orders
                functions:
                  with_tax:
                    args: [{ name: amount, type: integer }]
                    returns: integer
                    language: sql
                    body: SELECT amount * 12 / 10
                  check_order:
                    returns: trigger
                    body: |
                      BEGIN
                        IF shop.with_tax(NEW.total) < 0 THEN RAISE EXCEPTION 'negative'; END IF;
                        RETURN NEW;
                      END;
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
                      total: { type: integer }
                    triggers:
                      orders_check:
                        timing: before
                        events: [insert, update]
                        function: check_order
                views:
                  taxed:
                    query: SELECT id, shop.with_tax(total) AS gross FROM shop.orders
                functions:
                  with_tax:
                    args: [{ name: amount, type: integer }, { name: rate, type: integer, default: 20 }]
                    returns: integer
                    language: sql
                    body: SELECT amount * (100 + rate) / 100
                  check_order:
                    returns: trigger
                    body: |
                      BEGIN
                        IF shop.with_tax(NEW.total) < 0 THEN RAISE EXCEPTION 'negative'; END IF;
                        RETURN NEW;
                      END;
            "#,
        )
        .check();
}

/// A function a policy calls changes its signature: the policy goes before the function
/// is dropped and comes back after it is created.
#[test]
fn policy_rebuilt_around_function_signature_change() {
    let model = |args: &str| {
        format!(
            r#"
            roles:
              shop_user: {{}}
            schemas:
              shop:
                tables:
                  carts:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      user_id: {{ type: bigint, nullable: false }}
                    row_level_security:
                      policies:
                        own_carts:
                          to: [shop_user]
                          using: "user_id = shop.current_user_id()"
                functions:
                  current_user_id:
                    args: {args}
                    returns: bigint
                    language: sql
                    volatility: stable
                    body: "SELECT nullif(current_setting('shop.user_id', true), '')::bigint"
            "#
        )
    };
    case!()
        .before(&model("[]"))
        .after(&model("[{ name: fallback, type: bigint, default: 0 }]"))
        .check();
}

/// A function the model no longer has is dropped late, after what used it.
#[test]
fn function_dropped() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                    triggers:
                      orders_touch:
                        timing: before
                        events: [update]
                        function: touch
                functions:
                  touch:
                    returns: trigger
                    body: "BEGIN RETURN NEW; END;"
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
            "#,
        )
        .check();
}

/// Triggers: one added (with a comment), one changed (CREATE OR REPLACE TRIGGER), one
/// dropped.
#[test]
fn triggers_added_changed_dropped() {
    let table = |triggers: &str| {
        format!(
            r#"
            schemas:
              shop:
                tables:
                  orders:
                    columns:
                      id: {{ type: bigint, primary_key: true }}
                      status: {{ type: text }}
                    triggers:{triggers}
                functions:
                  log_change:
                    returns: trigger
                    body: "BEGIN RETURN NEW; END;"
            "#
        )
    };
    case!()
        .before(&table(
            r#"
                      orders_status_log:
                        timing: after
                        events: [update]
                        function: log_change
                      orders_insert_log:
                        timing: after
                        events: [insert]
                        function: log_change"#,
        ))
        .after(&table(
            r#"
                      orders_status_log:
                        timing: after
                        events: [update]
                        update_of: [status]
                        when: "OLD.status IS DISTINCT FROM NEW.status"
                        function: log_change
                        args: [status]
                      orders_truncate_log:
                        timing: after
                        events: [truncate]
                        for_each: statement
                        function: log_change
                        comment: Truncations are audited"#,
        ))
        .check();
}

/// A function granted to a role changes signature: created again, PUBLIC's EXECUTE is
/// revoked again and the role's grant comes back.
#[test]
fn function_signature_change_keeps_grants() {
    let model = |args: &str| {
        format!(
            r#"
            roles:
              shop_app: {{}}
            schemas:
              shop:
                functions:
                  ping:
                    args: {args}
                    returns: text
                    language: sql
                    body: SELECT 'pong'
                    comment: Liveness
                    grants:
                      - {{ to: [shop_app], privileges: [execute] }}
            "#
        )
    };
    case!()
        .before(&model("[]"))
        .after(&model("[{ name: who, type: text, default: \"'me'\" }]"))
        .check();
}

/// Procedures: one created with a grant (EXECUTE revoked from PUBLIC first), one whose
/// body changes (CREATE OR REPLACE PROCEDURE), one that becomes a function (PostgreSQL
/// cannot replace a routine's kind: dropped and created), and one dropped.
#[test]
fn procedures_created_replaced_retyped_and_dropped() {
    case!()
        .before(
            r#"
            roles:
              clerk: {}
            schemas:
              ledger:
                tables:
                  entries:
                    columns:
                      id: { type: bigint, primary_key: true }
                      amount: { type: numeric }
                procedures:
                  purge:
                    args: [{ name: p_before, type: bigint }]
                    body: BEGIN DELETE FROM ledger.entries WHERE id < p_before; COMMIT; END
                  total:
                    args: [{ name: result, type: numeric, mode: inout }]
                    language: sql
                    body: SELECT sum(amount) FROM ledger.entries
                  old_job:
                    body: BEGIN NULL; END
            "#,
        )
        .after(
            r#"
            roles:
              clerk: {}
            schemas:
              ledger:
                tables:
                  entries:
                    columns:
                      id: { type: bigint, primary_key: true }
                      amount: { type: numeric }
                functions:
                  total:
                    args: [{ name: result, type: numeric, mode: inout }]
                    returns: numeric
                    language: sql
                    body: SELECT sum(amount) FROM ledger.entries
                procedures:
                  purge:
                    args: [{ name: p_before, type: bigint }]
                    security_definer: true
                    set: { search_path: "ledger, pg_temp" }
                    body: BEGIN DELETE FROM ledger.entries WHERE id <= p_before; COMMIT; END
                    comment: Deletes old entries, committing as it goes
                  "Close Books":
                    args: [{ name: p_until, type: date, default: CURRENT_DATE }]
                    body: BEGIN RAISE NOTICE 'closing until %', p_until; END
                    grants: [{ to: [clerk], privileges: [execute] }]
            "#,
        )
        .check();
}

/// An argument's default is resolved when the function is created: the function it calls
/// comes first, although its name sorts after.
#[test]
fn function_created_after_the_function_its_default_calls() {
    let steps = case!()
        .after(
            r#"
            schemas:
              ledger:
                functions:
                  company_total:
                    args:
                      - { name: p_company, type: integer, default: ledger.home_company() }
                    returns: numeric
                    language: sql
                    body: SELECT 0::numeric
                  home_company:
                    returns: integer
                    language: sql
                    body: SELECT 1
            "#,
        )
        .check();
    let created: Vec<String> = steps
        .iter()
        .filter_map(|s| match &s.step {
            schemactl_core::step::Step::CreateFunction { name } => Some(name.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        created,
        ["ledger.home_company()", "ledger.company_total(integer)"]
    );
}
