//! Who may do what: row-level security and policies, roles and memberships, grants,
//! default privileges, owners; and comments.

/// Row-level security switched on (and forced) on an existing table with two policies.
#[test]
fn rls_enabled_with_policies() {
    case!()
        .before(
            r#"
            roles:
              shop_user: {}
              shop_admin: {}
            schemas:
              shop:
                tables:
                  carts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: bigint, nullable: false }
            "#,
        )
        .after(
            r#"
            roles:
              shop_user: {}
              shop_admin: {}
            schemas:
              shop:
                tables:
                  carts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: bigint, nullable: false }
                    row_level_security:
                      force: true
                      policies:
                        own_carts:
                          command: all
                          to: [shop_user]
                          using: "user_id = current_setting('shop.user_id')::bigint"
                          with_check: "user_id = current_setting('shop.user_id')::bigint"
                        no_deletes:
                          command: delete
                          restrictive: true
                          using: "false"
                        admins:
                          to: [shop_admin]
                          using: "true"
            "#,
        )
        .check();
}

/// A policy's expression changes (dropped and created), one goes, forcing is switched
/// off and then security altogether.
#[test]
fn policies_changed_and_rls_disabled() {
    case!()
        .before(
            r#"
            roles:
              shop_user: {}
            schemas:
              shop:
                tables:
                  carts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: bigint }
                    row_level_security:
                      force: true
                      policies:
                        own_carts: { to: [shop_user], using: "user_id = 1" }
                  wishlists:
                    columns:
                      id: { type: bigint, primary_key: true }
                    row_level_security:
                      policies:
                        everyone: { using: "true" }
            "#,
        )
        .after(
            r#"
            roles:
              shop_user: {}
            schemas:
              shop:
                tables:
                  carts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      user_id: { type: bigint }
                    row_level_security:
                      policies:
                        own_carts: { to: [shop_user], using: "user_id = 2" }
                  wishlists:
                    columns:
                      id: { type: bigint, primary_key: true }
            "#,
        )
        .check();
}

/// Roles, memberships, grants and default privileges converge in one plan: a new role
/// and a changed one, a membership granted and one revoked (after the grants), a role
/// dropped; ALL narrowed to two privileges (the rest revoked), column grants, a grant
/// option, schema grants and default privileges added and removed.
#[test]
fn roles_grants_default_privileges_converge() {
    case!()
        .before(
            r#"
            roles:
              shop_owner: { login: true }
              readers: {}
              writers: {}
              alice: { login: true, member_of: [writers] }
              old_app: { login: true }
            schemas:
              shop:
                owner: shop_owner
                grants:
                  - { to: [readers, writers], privileges: [usage] }
                  - { to: [old_app], privileges: [all] }
                default_privileges:
                  - { on: tables, to: [readers], privileges: [select] }
                  - { on: tables, to: [old_app], privileges: [all] }
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: integer }
                    grants:
                      - { to: [writers], privileges: [all] }
                      - { to: [old_app], privileges: [select] }
            "#,
        )
        .after(
            r#"
            roles:
              shop_owner: { login: true }
              readers: {}
              writers: {}
              alice: { login: true, connection_limit: 5, member_of: [readers] }
              auditor: { login: true, member_of: [readers] }
            schemas:
              shop:
                owner: shop_owner
                grants:
                  - { to: [readers, writers], privileges: [usage] }
                default_privileges:
                  - { on: tables, to: [readers], privileges: [select] }
                  - { for_role: shop_owner, on: sequences, to: [writers], privileges: [usage, select] }
                tables:
                  orders:
                    columns:
                      id: { type: bigint, primary_key: true }
                      total: { type: integer }
                    grants:
                      - { to: [writers], privileges: [select, insert] }
                      - { to: [auditor], privileges: [select], columns: [id, total], with_grant_option: true }
            "#,
        )
        .check();
}

/// A schema changes owner.
#[test]
fn schema_owner_changes() {
    case!()
        .before(
            r#"
            roles:
              old_owner: {}
              new_owner: {}
            schemas:
              shop: { owner: old_owner }
            "#,
        )
        .after(
            r#"
            roles:
              old_owner: {}
              new_owner: {}
            schemas:
              shop: { owner: new_owner }
            "#,
        )
        .check();
}

/// Comments set, changed and removed on a schema, a type, a table, a column, a view, a
/// view's column, a function, an index and a trigger.
#[test]
fn comments_set_changed_removed() {
    let model = |comment: &str| {
        format!(
            r#"
            schemas:
              shop:
                comment: {comment}
                enums:
                  status:
                    values: [new, done]
                    comment: {comment}
                tables:
                  orders:
                    comment: {comment}
                    columns:
                      id: {{ type: bigint, primary_key: true, comment: {comment} }}
                      status: {{ type: status }}
                    indexes:
                      orders_status: {{ columns: [status], comment: {comment} }}
                    triggers:
                      orders_touch:
                        timing: before
                        events: [update]
                        function: touch
                        comment: {comment}
                views:
                  open_orders:
                    query: SELECT id FROM shop.orders WHERE status = 'new'
                    comment: {comment}
                    column_comments: {{ id: {comment} }}
                functions:
                  touch:
                    returns: trigger
                    body: "BEGIN RETURN NEW; END;"
                    comment: {comment}
            "#
        )
    };
    case!()
        .before(&model("\"Old text\""))
        .after(&model("\"New text, it's here\""))
        .check();
}

/// Every comment removed: COMMENT … IS NULL.
#[test]
fn comments_removed() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                comment: Shop
                tables:
                  orders:
                    comment: Orders
                    columns:
                      id: { type: bigint, primary_key: true, comment: Key }
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

/// New roles where one is a member of another that sorts after it: every role exists
/// before a membership names it.
#[test]
fn roles_created_with_memberships() {
    case!()
        .before(
            r#"
            roles:
              admin: { login: true }
            schemas:
              shop: {}
            "#,
        )
        .after(
            r#"
            roles:
              admin: { login: true, member_of: [staff] }
              app: { login: true, member_of: [staff, writers] }
              staff: { bypassrls: true }
              writers: { member_of: [staff] }
            schemas:
              shop: {}
            "#,
        )
        .check();
}
