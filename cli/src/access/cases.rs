//! The cases `schemactl test` runs: the model's written `access_tests`, and the ones
//! derived from its policies and grants (each located at the policy, grant or table it
//! comes from).

use std::collections::{BTreeSet, HashSet};

use crate::load::pointer;
use crate::model::{
    AccessTest, DefaultPrivilegeObject, Expectation, Grant, Model, Policy, PolicyCommand,
    Privilege, Table,
};
use crate::sql::qualified;

/// The role's session before the statement: transaction settings, then setup statements
/// run as the role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Context {
    pub settings: Vec<(String, String)>,
    pub setup: Vec<String>,
}

impl Context {
    fn of(test: &AccessTest) -> Context {
        Context {
            settings: test
                .settings
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            setup: test.setup.clone(),
        }
    }

    /// ` (with SELECT ims.set_current_user(2))`, or nothing for a bare session.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .settings
            .iter()
            .map(|(k, v)| format!("{k} = '{v}'"))
            .collect();
        parts.extend(self.setup.iter().map(|s| s.trim().to_string()));
        if parts.is_empty() {
            String::new()
        } else {
            format!(" (with {})", parts.join("; "))
        }
    }
}

/// A table the generated checks read or write, with what an INSERT or UPDATE of a whole
/// row may name.
#[derive(Debug, Clone)]
pub struct Target {
    /// `schema.table`, quoted.
    pub qualified: String,
    /// The table's own name, quoted: its whole-row reference.
    pub row: String,
    /// Columns an INSERT may give (not generated).
    pub insertable: Vec<String>,
    /// Columns an UPDATE may set (neither generated nor `GENERATED ALWAYS` identity).
    pub updatable: Vec<String>,
    /// Whether an INSERT of an identity column needs `OVERRIDING SYSTEM VALUE`.
    pub identity: bool,
}

#[derive(Debug, Clone)]
pub enum Check {
    /// A test the model states.
    Written { sql: String, expect: Expectation },
    /// The rows the role sees are exactly those the predicate (its policies' USING)
    /// allows.
    Visible { target: Target, predicate: String },
    /// A row the predicate (its policies' WITH CHECK) refuses cannot be written: an
    /// INSERT of it, or an UPDATE of a visible row into it, fails with an RLS violation.
    Refused {
        target: Target,
        predicate: String,
        update: bool,
        /// Whether the role may read the table: the refused row is then looked for as
        /// the role, else as the dev server's user.
        reads: bool,
    },
    /// The statement fails for want of a privilege (SQLSTATE 42501).
    Denied { sql: String },
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// Where the case comes from in the model (a JSON pointer).
    pub pointer: String,
    /// Report the key's position (a policy, a table) rather than the value's.
    pub at_key: bool,
    pub generated: bool,
    pub role: String,
    pub context: Context,
    pub check: Check,
}

/// The written tests, then (unless `written_only`) the generated ones.
pub fn all(model: &Model, written_only: bool) -> Vec<Case> {
    let mut cases: Vec<Case> = model
        .access_tests
        .iter()
        .enumerate()
        .map(|(i, test)| Case {
            name: test.name.clone(),
            pointer: pointer(["access_tests".to_string(), i.to_string()]),
            at_key: false,
            generated: false,
            role: test.role.clone(),
            context: Context::of(test),
            check: Check::Written {
                sql: test.sql.clone(),
                expect: test.expect.clone(),
            },
        })
        .collect();
    if !written_only {
        cases.extend(generated(model));
    }
    cases
}

/// The roles the generated checks run as: declared, not the owner of the objects, not
/// exempt from row-level security.
fn subject_roles(model: &Model) -> Vec<&str> {
    let owner = model.database.owner.as_deref();
    model
        .roles
        .iter()
        .filter(|(name, role)| Some(name.as_str()) != owner && !role.bypassrls)
        .map(|(name, _)| name.as_str())
        .collect()
}

/// The bare session and every distinct one the written tests use for `role`.
fn contexts(model: &Model, role: &str) -> Vec<Context> {
    let mut out = vec![Context::default()];
    for test in model.access_tests.iter().filter(|t| t.role == role) {
        let context = Context::of(test);
        if !out.contains(&context) {
            out.push(context);
        }
    }
    out
}

fn generated(model: &Model) -> Vec<Case> {
    let mut cases = Vec::new();
    let roles = subject_roles(model);
    for (schema_name, schema) in &model.schemas {
        for (table_name, table) in &schema.tables {
            let at = pointer(["schemas", schema_name, "tables", table_name]);
            let target = target(schema_name, table_name, table);
            for role in &roles {
                let closure = role_closure(model, role);
                let privileges = privileges(model, schema_name, &table.grants, &closure);
                if table.row_level_security.is_some() {
                    policy_cases(model, &at, table, &target, role, &closure, &privileges)
                        .into_iter()
                        .for_each(|c| cases.push(c));
                }
                if let Some(case) = grant_case(&at, &target, role, &privileges) {
                    cases.push(case);
                }
            }
        }
        let views = schema.views.iter().map(|(n, v)| (n, "views", &v.grants));
        let materialized = schema
            .materialized_views
            .iter()
            .map(|(n, v)| (n, "materialized_views", &v.grants));
        for (name, key, grants) in views.chain(materialized) {
            let at = pointer(["schemas", schema_name, key, name]);
            for role in &roles {
                let closure = role_closure(model, role);
                let granted = privileges(model, schema_name, grants, &closure);
                if granted.table.is_empty() && !granted.columns {
                    cases.push(unreadable(&at, &qualified(schema_name, name), role));
                }
            }
        }
    }
    cases
}

/// A role granted nothing on a relation cannot read it.
fn unreadable(at: &str, relation: &str, role: &str) -> Case {
    Case {
        name: format!("{role} cannot read {relation} (no grant)"),
        pointer: at.to_string(),
        at_key: true,
        generated: true,
        role: role.to_string(),
        context: Context::default(),
        check: Check::Denied {
            sql: format!("SELECT count(*) FROM {relation}"),
        },
    }
}

fn target(schema: &str, name: &str, table: &Table) -> Target {
    use crate::model::Identity;
    let insertable: Vec<String> = table
        .columns
        .iter()
        .filter(|(_, c)| c.generated.is_none())
        .map(|(n, _)| n.clone())
        .collect();
    let updatable = table
        .columns
        .iter()
        .filter(|(_, c)| c.generated.is_none() && c.identity != Some(Identity::Always))
        .map(|(n, _)| n.clone())
        .collect();
    Target {
        qualified: qualified(schema, name),
        row: crate::sql::ident(name),
        insertable,
        updatable,
        identity: table.columns.values().any(|c| c.identity.is_some()),
    }
}

/// The role and every role whose privileges it inherits (`member_of`, with INHERIT),
/// plus `public`.
fn role_closure(model: &Model, role: &str) -> HashSet<String> {
    let mut seen: HashSet<String> = HashSet::from([role.to_string(), "public".to_string()]);
    let mut todo = vec![role.to_string()];
    while let Some(name) = todo.pop() {
        let Some(def) = model.roles.get(&name) else {
            continue;
        };
        if !def.inherit {
            continue;
        }
        for parent in &def.member_of {
            if seen.insert(parent.clone()) {
                todo.push(parent.clone());
            }
        }
    }
    seen
}

/// What the model grants the roles on a table: (privilege, pointer of the grant).
struct Granted {
    table: BTreeSet<Privilege>,
    /// A column-level grant of any privilege.
    columns: bool,
    /// Where the SELECT comes from.
    select_at: Option<String>,
}

fn privileges(
    model: &Model,
    schema_name: &str,
    grants: &[Grant],
    roles: &HashSet<String>,
) -> Granted {
    let applies = |to: &[String]| {
        to.iter()
            .any(|r| roles.contains(r) || roles.contains(&r.to_ascii_lowercase()))
    };
    let mut granted = Granted {
        table: BTreeSet::new(),
        columns: false,
        select_at: None,
    };
    let add = |privileges: &[Privilege], at: String, granted: &mut Granted| {
        for p in expand(privileges) {
            if p == Privilege::Select && granted.select_at.is_none() {
                granted.select_at = Some(at.clone());
            }
            granted.table.insert(p);
        }
    };
    for (i, grant) in grants.iter().enumerate() {
        if !applies(&grant.to) {
            continue;
        }
        if grant.columns.is_empty() {
            let at = format!("/grants/{i}");
            add(&grant.privileges, at, &mut granted);
        } else {
            granted.columns = true;
        }
    }
    let owner = model.database.owner.as_deref();
    if let Some(schema) = model.schemas.get(schema_name) {
        for (i, dp) in schema.default_privileges.iter().enumerate() {
            let creator = dp.for_role.as_deref().or(owner);
            if dp.on == DefaultPrivilegeObject::Tables && creator == owner && applies(&dp.to) {
                let at = pointer(["schemas", schema_name, "default_privileges", &i.to_string()]);
                add(&dp.privileges, format!("!{at}"), &mut granted);
            }
        }
    }
    granted
}

fn expand(privileges: &[Privilege]) -> Vec<Privilege> {
    use Privilege as P;
    privileges
        .iter()
        .flat_map(|p| match p {
            P::All => vec![
                P::Select,
                P::Insert,
                P::Update,
                P::Delete,
                P::Truncate,
                P::References,
                P::Trigger,
            ],
            other => vec![*other],
        })
        .collect()
}

/// Resolves a privilege's pointer: relative to the table (`/grants/N`), or absolute
/// (marked `!`, a schema's default privileges).
fn grant_pointer(table_at: &str, at: &str) -> String {
    match at.strip_prefix('!') {
        Some(absolute) => absolute.to_string(),
        None => format!("{table_at}{at}"),
    }
}

/// Only SELECT: an INSERT is refused. No privilege at all: a SELECT is refused.
fn grant_case(table_at: &str, target: &Target, role: &str, granted: &Granted) -> Option<Case> {
    use Privilege as P;
    let writes = [P::Insert, P::Update, P::Delete, P::Truncate];
    if granted.table.is_empty() && !granted.columns {
        return Some(unreadable(table_at, &target.qualified, role));
    }
    let (name, sql, pointer) = if granted.table.contains(&P::Select)
        && !granted.columns
        && !writes.iter().any(|p| granted.table.contains(p))
    {
        (
            format!(
                "{role} cannot insert into {} (only SELECT)",
                target.qualified
            ),
            format!("INSERT INTO {} DEFAULT VALUES", target.qualified),
            grant_pointer(table_at, granted.select_at.as_deref().unwrap_or("")),
        )
    } else {
        return None;
    };
    Some(Case {
        name,
        pointer,
        at_key: false,
        generated: true,
        role: role.to_string(),
        context: Context::default(),
        check: Check::Denied { sql },
    })
}

/// The policies of a table that apply to the role (through `to`, PUBLIC or membership)
/// for a command.
fn applying<'t>(
    table: &'t Table,
    roles: &HashSet<String>,
    commands: &[PolicyCommand],
) -> Vec<(&'t str, &'t Policy)> {
    let Some(rls) = &table.row_level_security else {
        return Vec::new();
    };
    rls.policies
        .iter()
        .filter(|(_, p)| commands.contains(&p.command))
        .filter(|(_, p)| p.to.is_empty() || p.to.iter().any(|r| roles.contains(r)))
        .map(|(n, p)| (n.as_str(), p))
        .collect()
}

/// PostgreSQL's combination: permissive policies OR-ed (none: no row), restrictive ones
/// AND-ed. `expr` picks a policy's expression; a permissive policy without one allows
/// nothing, a restrictive one restricts nothing.
fn combine(policies: &[(&str, &Policy)], expr: impl Fn(&Policy) -> Option<&String>) -> String {
    let permissive: Vec<String> = policies
        .iter()
        .filter(|(_, p)| !p.restrictive)
        .filter_map(|(_, p)| expr(p).map(|e| format!("({e})")))
        .collect();
    let mut parts = vec![if permissive.is_empty() {
        "false".to_string()
    } else {
        format!("({})", permissive.join(" OR "))
    }];
    parts.extend(
        policies
            .iter()
            .filter(|(_, p)| p.restrictive)
            .filter_map(|(_, p)| expr(p).map(|e| format!("({e})"))),
    );
    parts.join(" AND ")
}

fn policy_pointer(table_at: &str, name: &str) -> String {
    format!(
        "{table_at}/row_level_security/policies/{}",
        crate::load::escape_pointer(name)
    )
}

fn names(policies: &[(&str, &Policy)]) -> String {
    policies
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

fn policy_cases(
    model: &Model,
    table_at: &str,
    table: &Table,
    target: &Target,
    role: &str,
    closure: &HashSet<String>,
    granted: &Granted,
) -> Vec<Case> {
    use PolicyCommand as C;
    let mut cases = Vec::new();
    let can = |p: Privilege| granted.table.contains(&p);
    let reading = applying(table, closure, &[C::All, C::Select]);
    let push = |cases: &mut Vec<Case>, policies: &[(&str, &Policy)], name: String, check: Check| {
        for context in contexts(model, role) {
            cases.push(Case {
                name: format!("{name}{}", context.describe()),
                pointer: policy_pointer(table_at, policies[0].0),
                at_key: true,
                generated: true,
                role: role.to_string(),
                context,
                check: check.clone(),
            });
        }
    };
    if can(Privilege::Select) && !reading.is_empty() {
        let predicate = combine(&reading, |p| p.using.as_ref());
        let name = format!(
            "{role} sees only the rows of {} that {} allow(s)",
            target.qualified,
            names(&reading)
        );
        let check = Check::Visible {
            target: target.clone(),
            predicate,
        };
        push(&mut cases, &reading, name, check);
    }
    for (privilege, command, verb, update) in [
        (Privilege::Insert, C::Insert, "insert", false),
        (Privilege::Update, C::Update, "update", true),
    ] {
        let writing = applying(table, closure, &[C::All, command]);
        if !can(privilege) || writing.is_empty() || (update && !can(Privilege::Select)) {
            continue;
        }
        let check = |p: &Policy| match p.command {
            C::All | C::Update => p.with_check.clone().or(p.using.clone()),
            _ => p.with_check.clone(),
        };
        // A permissive policy whose check is `true` refuses no row: nothing to try.
        let allows_all = writing.iter().any(|(_, p)| {
            !p.restrictive && check(p).is_some_and(|e| e.trim().eq_ignore_ascii_case("true"))
        });
        if allows_all {
            continue;
        }
        let checks: Vec<(&str, Policy)> = writing
            .iter()
            .map(|(n, p)| {
                let mut p = (*p).clone();
                p.with_check = check(&p);
                (*n, p)
            })
            .collect();
        let borrowed: Vec<(&str, &Policy)> = checks.iter().map(|(n, p)| (*n, p)).collect();
        let predicate = combine(&borrowed, |p| p.with_check.as_ref());
        let name = format!(
            "{role} cannot {verb} a row of {} that {} refuse(s)",
            target.qualified,
            names(&writing)
        );
        let check = Check::Refused {
            target: target.clone(),
            predicate,
            update,
            reads: can(Privilege::Select),
        };
        push(&mut cases, &writing, name, check);
    }
    cases
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    fn model(text: &str) -> Model {
        match crate::load::load_str(std::path::Path::new("m.yaml"), text.to_string()) {
            Ok(loaded) => loaded.model,
            Err((_, diagnostics)) => panic!("{diagnostics:?}"),
        }
    }

    const SHOP: &str = r#"
database: { name: shop, owner: owner }
roles:
  owner: {}
  clerk: {}
  trainee: { member_of: [clerk] }
  auditor: {}
  stranger: {}
schemas:
  shop:
    tables:
      orders:
        columns:
          id: { type: bigint, primary_key: true }
          shop_id: { type: bigint }
          total: { type: numeric, generated: "1" }
        row_level_security:
          policies:
            own_shop: { to: [clerk], using: "shop_id = 1", with_check: "shop_id = 1" }
            open_only: { restrictive: true, using: "id > 0" }
            auditors: { command: select, to: [auditor], using: "true" }
        grants:
          - { to: [clerk], privileges: [select, insert] }
          - { to: [auditor], privileges: [select] }
access_tests:
  - name: clerk of shop 2
    as: clerk
    settings: { shop.id: "2" }
    sql: SELECT 1
    expect: { rows: 1 }
"#;

    fn find<'c>(cases: &'c [Case], name: &str) -> &'c Case {
        cases
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no case `{name}` in {:#?}", names_of(cases)))
    }

    fn names_of(cases: &[Case]) -> Vec<&str> {
        cases.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn policies_combine_as_postgres_does_and_membership_counts() {
        let cases = all(&model(SHOP), false);
        let clerk = find(
            &cases,
            "clerk sees only the rows of shop.orders that own_shop, open_only allow(s)",
        );
        let Check::Visible { predicate, .. } = &clerk.check else {
            panic!("{clerk:?}")
        };
        assert_eq!(predicate, "((shop_id = 1)) AND (id > 0)");
        assert_eq!(
            clerk.pointer,
            "/schemas/shop/tables/orders/row_level_security/policies/own_shop"
        );
        // The written test's session is a second session for clerk's generated tests.
        find(
            &cases,
            "clerk sees only the rows of shop.orders that own_shop, open_only allow(s) (with shop.id = '2')",
        );
        // trainee inherits clerk's grants and policies.
        find(
            &cases,
            "trainee sees only the rows of shop.orders that own_shop, open_only allow(s)",
        );
        let insert = find(
            &cases,
            "trainee cannot insert a row of shop.orders that own_shop, open_only refuse(s)",
        );
        let Check::Refused {
            predicate,
            target,
            update,
            ..
        } = &insert.check
        else {
            panic!("{insert:?}")
        };
        assert!(!update);
        assert_eq!(predicate, "((shop_id = 1)) AND (id > 0)");
        assert_eq!(
            target.insertable,
            ["id", "shop_id"],
            "generated columns are not written"
        );
    }

    #[test]
    fn grants_give_the_denial_cases_at_their_position() {
        let cases = all(&model(SHOP), false);
        let auditor = find(
            &cases,
            "auditor cannot insert into shop.orders (only SELECT)",
        );
        assert_eq!(auditor.pointer, "/schemas/shop/tables/orders/grants/1");
        let stranger = find(&cases, "stranger cannot read shop.orders (no grant)");
        assert_eq!(stranger.pointer, "/schemas/shop/tables/orders");
        assert!(stranger.at_key);
        // A permissive `true` refuses nothing, and the owner is never a subject.
        assert!(
            !names_of(&cases)
                .iter()
                .any(|n| n.starts_with("auditor cannot insert a row"))
        );
        assert!(!names_of(&cases).iter().any(|n| n.starts_with("owner ")));
        // clerk may insert: no "only SELECT" case.
        assert!(!names_of(&cases).contains(&"clerk cannot insert into shop.orders (only SELECT)"));
        assert_eq!(all(&model(SHOP), true).len(), 1, "--written-only");
    }
}
