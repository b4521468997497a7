//! Domains: created in dependency order (after the function a check calls, before the
//! tables and functions that use them), altered in place where ALTER DOMAIN can,
//! replaced (renamed aside, created, columns cast, old one dropped) where it cannot,
//! dropped after what used them.

/// A domain whose check calls a function, another over an enum, a table and a function
/// that use them: function, domains, then table and the function taking a domain.
#[test]
fn domains_created_between_the_functions_they_call_and_their_users() {
    case!()
        .before(
            r#"
            schemas:
              crm: {}
            "#,
        )
        .after(
            r#"
            schemas:
              crm:
                enums:
                  tier: [free, paid]
                domains:
                  email:
                    type: text
                    collation: C
                    checks:
                      email_is_valid: crm.is_email(VALUE)
                    comment: An address with one @
                  Paid Tier:
                    type: tier
                    not_null: true
                    default: "'paid'"
                  amount:
                    type: numeric(12,2)
                    default: 0
                    checks:
                      amount_positive: VALUE >= 0
                      amount_bounded: VALUE < 1000000
                functions:
                  is_email:
                    args: [{ name: address, type: text }]
                    returns: boolean
                    language: sql
                    volatility: immutable
                    body: SELECT address ~ '^[^@]+@[^@]+$'
                  domain_of:
                    args: [{ name: address, type: email }]
                    returns: text
                    language: sql
                    body: SELECT split_part(address, '@', 2)
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                      email: { type: email }
                      tier: { type: '"Paid Tier"' }
                      balances: { type: "amount[]" }
            "#,
        )
        .check();
}

/// Default, NOT NULL and checks change in place: a changed check is dropped (teardown)
/// and added again (constraints), NOT NULL set once the tables' changes ran.
#[test]
fn domain_altered_in_place() {
    case!()
        .before(
            r#"
            schemas:
              crm:
                domains:
                  amount:
                    type: numeric(12,2)
                    default: 0
                    checks:
                      amount_positive: VALUE >= 0
                      amount_small: VALUE < 1000
                    comment: Money
                tables:
                  invoices:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: amount }
            "#,
        )
        .after(
            r#"
            schemas:
              crm:
                domains:
                  amount:
                    type: numeric(12,2)
                    not_null: true
                    checks:
                      amount_positive: VALUE >= 0
                      amount_small: VALUE < 1000000
                      amount_cents: VALUE = round(VALUE, 2)
                    comment: Money, never NULL
                tables:
                  invoices:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: amount, default: 0 }
            "#,
        )
        .check();
}

/// A new base type: renamed aside, created again, the column (default dropped around
/// the cast) converted, the old domain dropped; the view over the column is rebuilt, and
/// the function taking the domain is dropped and created again (its signature would
/// otherwise hold the old domain).
#[test]
fn domain_replaced_when_its_base_type_changes() {
    case!()
        .before(
            r#"
            schemas:
              crm:
                domains:
                  code: { type: varchar(8), default: "'none'" }
                functions:
                  code_label:
                    args: [{ name: c, type: code }]
                    returns: text
                    language: sql
                    body: SELECT 'code ' || c
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      code: { type: code, default: "'new'" }
                views:
                  product_codes:
                    query: SELECT id, code::text AS code FROM crm.products
            "#,
        )
        .after(
            r#"
            schemas:
              crm:
                domains:
                  code: { type: text, default: "'none'" }
                functions:
                  code_label:
                    args: [{ name: c, type: code }]
                    returns: text
                    language: sql
                    body: SELECT 'code ' || c
                tables:
                  products:
                    columns:
                      id: { type: bigint, primary_key: true }
                      code: { type: code, default: "'new'" }
                views:
                  product_codes:
                    query: SELECT id, code::text AS code FROM crm.products
            "#,
        )
        .check();
}

/// Dropped with its table, its function and the function its check called: the table
/// goes first, then the function taking the domain, the domain, the function it called.
#[test]
fn domain_dropped_between_its_users_and_what_it_calls() {
    case!()
        .before(
            r#"
            schemas:
              crm:
                domains:
                  email:
                    type: text
                    checks:
                      email_is_valid: crm.is_email(VALUE)
                functions:
                  is_email:
                    args: [{ name: address, type: text }]
                    returns: boolean
                    language: sql
                    body: SELECT address ~ '@'
                  domain_of:
                    args: [{ name: address, type: email }]
                    returns: text
                    language: sql
                    body: SELECT split_part(address, '@', 2)
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                      email: { type: email }
            "#,
        )
        .after(
            r#"
            schemas:
              crm: {}
            "#,
        )
        .check();
}
