//! Composite types: created after the domains of their attributes and before the tables
//! and functions using them; attributes dropped, retyped and appended in place; replaced
//! when the attributes that stay change order; dropped after their users.

/// A composite type with a domain attribute and a collated one, a table column and a
/// function result of that type.
#[test]
fn composite_type_created_between_its_domain_and_its_users() {
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
                domains:
                  postcode: { type: varchar(10), checks: { postcode_set: "VALUE <> ''" } }
                composite_types:
                  address:
                    attributes:
                      street: text
                      city: { type: text, collation: C }
                      postcode: postcode
                    comment: A postal address
                functions:
                  home_of:
                    args: [{ name: customer, type: bigint }]
                    returns: address
                    language: sql
                    body: SELECT ROW('Main St 1', 'Berlin', '10115')::crm.address
                tables:
                  customers:
                    columns:
                      id: { type: bigint, primary_key: true }
                      home: { type: address }
                      previous_homes: { type: "address[]" }
            "#,
        )
        .check();
}

/// An attribute dropped, one retyped, one appended: ALTER TYPE in place, in that order.
#[test]
fn composite_type_attributes_altered_in_place() {
    case!()
        .before(
            r#"
            schemas:
              crm:
                composite_types:
                  money_amount:
                    attributes:
                      amount: numeric(10,2)
                      note: text
                      currency: char(3)
            "#,
        )
        .after(
            r#"
            schemas:
              crm:
                composite_types:
                  money_amount:
                    attributes:
                      amount: numeric(14,4)
                      currency: char(3)
                      rate_date: date
                    comment: An amount in a currency
            "#,
        )
        .check();
}

/// The attributes that stay change order: the type is replaced (renamed aside, created,
/// the old one dropped), and the function returning it is created again around it.
#[test]
fn composite_type_replaced_when_its_attributes_are_reordered() {
    case!()
        .before(
            r#"
            schemas:
              crm:
                composite_types:
                  pair: { attributes: { a: integer, b: integer } }
                functions:
                  swap:
                    args: [{ name: p, type: pair }]
                    returns: pair
                    language: sql
                    body: SELECT ROW(p.b, p.a)::crm.pair
            "#,
        )
        .after(
            r#"
            schemas:
              crm:
                composite_types:
                  pair: { attributes: { b: integer, a: integer } }
                functions:
                  swap:
                    args: [{ name: p, type: pair }]
                    returns: pair
                    language: sql
                    body: SELECT ROW(p.a, p.b)::crm.pair
            "#,
        )
        .check();
}

/// Dropped with the function returning it and the domain of its attribute: function,
/// type, then domain.
#[test]
fn composite_type_dropped_between_its_users_and_its_domain() {
    case!()
        .before(
            r#"
            schemas:
              crm:
                domains:
                  postcode: { type: varchar(10) }
                composite_types:
                  address: { attributes: { street: text, postcode: postcode } }
                functions:
                  nowhere:
                    returns: address
                    language: sql
                    body: SELECT NULL::crm.address
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
