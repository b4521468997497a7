//! Overloads: routines of one name told apart by their argument types, each created,
//! replaced, granted and dropped on its own by its signature.

use schemactl_core::step::{Step, Target};

/// Two overloads of `area` and a procedure sharing the name `scale` with a function:
/// one overload goes (first, since the name stays), one is replaced in place, one is new
/// with a grant of its own. Only the new one loses PUBLIC's EXECUTE, and the drop names
/// its argument types.
#[test]
fn overloads_created_replaced_and_dropped_one_by_one() {
    let steps = case!()
        .before(
            r#"
            roles:
              atlas_app: {}
            schemas:
              geo:
                composite_types:
                  disc: { attributes: { r: double precision } }
                  rect: { attributes: { w: double precision, h: double precision } }
                functions:
                  area:
                    - args: [{ name: d, type: disc }]
                      returns: double precision
                      language: sql
                      body: SELECT pi() * (d).r ^ 2
                    - args: [{ name: b, type: rect }]
                      returns: double precision
                      language: sql
                      body: SELECT (b).w * (b).h
                  scale:
                    args: [{ name: x, type: int }]
                    returns: integer
                    language: sql
                    body: SELECT x * 2
            "#,
        )
        .after(
            r#"
            roles:
              atlas_app: {}
            schemas:
              geo:
                composite_types:
                  disc: { attributes: { r: double precision } }
                  rect: { attributes: { w: double precision, h: double precision } }
                functions:
                  area:
                    - args: [{ name: b, type: rect }]
                      returns: double precision
                      language: sql
                      volatility: immutable
                      body: SELECT abs((b).w * (b).h)
                    - args: [{ name: side, type: double precision }, { name: n, type: integer }]
                      returns: double precision
                      language: sql
                      comment: A regular polygon's area
                      body: SELECT n * side ^ 2 / (4 * tan(pi() / n))
                      grants:
                        - { to: [atlas_app], privileges: [execute] }
                  scale:
                    args: [{ name: x, type: integer }]
                    returns: integer
                    language: sql
                    body: SELECT x * 2
                procedures:
                  scale:
                    args: [{ name: x, type: bigint }]
                    body: "BEGIN RAISE NOTICE 'scaled %', x * 2; END;"
            "#,
        )
        .check();
    let routines: Vec<String> = steps
        .iter()
        .filter_map(|s| match &s.step {
            Step::CreateFunction { name } => Some(format!("create {name}")),
            Step::ReplaceFunction { name } => Some(format!("replace {name}")),
            Step::DropFunction { name } => Some(format!("drop {name}")),
            Step::DropFunctionEarly { name } => Some(format!("drop early {name}")),
            Step::RevokeFromPublic { function } => Some(format!("revoke {function}")),
            Step::Grant {
                target: Target::Function { name },
                ..
            } => Some(format!("grant {name}")),
            _ => None,
        })
        .collect();
    assert_eq!(
        routines,
        [
            // Before the overloads that stay are created or replaced: nothing created
            // again may bind to it.
            "drop early geo.area(geo.disc)",
            "create geo.area(double precision, integer)",
            "replace geo.area(geo.rect)",
            "create geo.scale(bigint)",
            "revoke geo.area(double precision, integer)",
            "grant geo.area(double precision, integer)",
        ]
        .map(String::from),
        "{routines:#?}"
    );
}

/// A trigger runs the overload without arguments: dropping another overload of its
/// function's name leaves the trigger alone, and changing the trigger function's own
/// signature is impossible (it has none), so only the other overload goes.
#[test]
fn dropping_an_overload_leaves_the_trigger_of_another_alone() {
    crate::harness::Case::new("overload_dropped_beside_a_trigger_function")
        .before(
            r#"
            schemas:
              shop:
                functions:
                  touch:
                    - returns: trigger
                      body: "BEGIN NEW.updated_at := now(); RETURN NEW; END;"
                    - args: [{ name: at, type: timestamptz }]
                      returns: timestamptz
                      language: sql
                      body: SELECT at
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      updated_at: { type: timestamptz }
                    triggers:
                      orders_touch: { timing: before, events: [update], function: touch }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                functions:
                  touch:
                    - returns: trigger
                      body: "BEGIN NEW.updated_at := now(); RETURN NEW; END;"
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      updated_at: { type: timestamptz }
                    triggers:
                      orders_touch: { timing: before, events: [update], function: touch }
            "#,
        )
        .check();
}
