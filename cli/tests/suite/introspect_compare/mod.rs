//! Comparing catalogs with a readable report.
//!
//! `structural_diff` compares the model's catalog with an introspected one on everything
//! that is not SQL text (SQL text is only compared for presence), after putting both in
//! one normal form: lists the model keeps in YAML order are sorted, ALL is expanded into
//! the privileges it stands for, the model's default privileges are added to the grants of
//! the objects they apply to, and midnight timestamps in partition bounds are written as
//! dates. `full_diff` shows where two catalogs differ in full.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use schemactl::catalog::{Catalog, GrantDef, IndexDef, IndexKeyDef, QName, TableDef, ViewDef};
use schemactl::model::partitions::Bound;
use schemactl::model::{DefaultPrivilegeObject, Privilege};

type Facts = BTreeMap<String, String>;

/// Mismatches between the model's catalog and an introspected one, one line each.
pub fn structural_diff(model: &Catalog, live: &Catalog) -> Vec<String> {
    let left = facts(model, model, true);
    let right = facts(live, model, false);
    let mut out = Vec::new();
    for key in left.keys().chain(right.keys()).collect::<BTreeSet<_>>() {
        match (left.get(key), right.get(key)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => out.push(format!(
                "{key}\n    model: {}\n    live:  {}",
                a.map_or("(absent)", String::as_str),
                b.map_or("(absent)", String::as_str)
            )),
        }
    }
    out
}

/// Where two catalogs differ, object by object, with the differing lines of each side.
pub fn full_diff(a: &Catalog, b: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    diff_value("database", &a.database, &b.database, &mut out);
    diff_value("extensions", &a.extensions, &b.extensions, &mut out);
    diff_map("role", &a.roles, &b.roles, &mut out);
    diff_map("schema", &a.schemas, &b.schemas, &mut out);
    diff_map("enum", &a.enums, &b.enums, &mut out);
    diff_map("table", &a.tables, &b.tables, &mut out);
    diff_map("view", &a.views, &b.views, &mut out);
    diff_map("function", &a.functions, &b.functions, &mut out);
    out
}

fn diff_map<K: Ord + Debug, V: PartialEq + Debug>(
    kind: &str,
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
    out: &mut Vec<String>,
) {
    for key in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
        match (a.get(key), b.get(key)) {
            (Some(x), Some(y)) => diff_value(&format!("{kind} {key:?}"), x, y, out),
            (Some(_), None) => out.push(format!("{kind} {key:?}: only on the left")),
            (None, Some(_)) => out.push(format!("{kind} {key:?}: only on the right")),
            (None, None) => {}
        }
    }
}

fn diff_value<V: PartialEq + Debug>(what: &str, a: &V, b: &V, out: &mut Vec<String>) {
    if a == b {
        return;
    }
    let left = format!("{a:#?}");
    let right = format!("{b:#?}");
    let left_lines: BTreeSet<&str> = left.lines().collect();
    let right_lines: BTreeSet<&str> = right.lines().collect();
    let mut report = format!("{what} differs:");
    for line in left.lines().filter(|l| !right_lines.contains(l)) {
        report.push_str(&format!("\n  - {}", line.trim()));
    }
    for line in right.lines().filter(|l| !left_lines.contains(l)) {
        report.push_str(&format!("\n  + {}", line.trim()));
    }
    out.push(report);
}

/// Structural facts, keyed by where they are. `model` decides which roles count (the
/// live side has more roles than the model declares) and supplies default privileges.
fn facts(c: &Catalog, model: &Catalog, is_model: bool) -> Facts {
    let mut f = Facts::new();
    f.insert("database owner".into(), format!("{:?}", c.database.owner));
    if model.database.encoding.is_some() {
        f.insert(
            "database encoding".into(),
            format!("{:?}", c.database.encoding),
        );
    }
    f.insert("extensions".into(), sorted_debug(&c.extensions));
    for (name, role) in c.roles.iter().filter(|(n, _)| model.roles.contains_key(*n)) {
        let mut member_of = role.member_of.clone();
        member_of.sort();
        f.insert(
            format!("role {name}"),
            format!(
                "login={} inherit={} createdb={} createrole={} bypassrls={} limit={} member_of={member_of:?} comment={:?}",
                role.login,
                role.inherit,
                role.createdb,
                role.createrole,
                role.bypassrls,
                role.connection_limit,
                role.comment
            ),
        );
    }
    for (name, s) in &c.schemas {
        f.insert(format!("schema {name} owner"), format!("{:?}", s.owner));
        f.insert(format!("schema {name} comment"), format!("{:?}", s.comment));
        f.insert(
            format!("schema {name} grants"),
            grants(&s.grants, &[Privilege::Usage, Privilege::Create], &[]),
        );
        let mut dps: Vec<String> = s
            .default_privileges
            .iter()
            .map(|d| {
                let owner_default = d.for_role.is_none() || d.for_role == s.owner;
                format!(
                    "{:?} to {} {}: {:?}",
                    d.on,
                    d.grantee,
                    if owner_default {
                        "by owner"
                    } else {
                        "by other"
                    },
                    d.privileges.iter().collect::<BTreeSet<_>>()
                )
            })
            .collect();
        dps.sort();
        f.insert(
            format!("schema {name} default privileges"),
            format!("{dps:?}"),
        );
    }
    for (q, e) in &c.enums {
        f.insert(
            format!("enum {q}"),
            format!("{:?} comment={:?}", e.values, e.comment),
        );
    }
    for (q, t) in &c.tables {
        let extra = if is_model {
            default_grants(model, &q.schema, DefaultPrivilegeObject::Tables)
        } else {
            Vec::new()
        };
        table_facts(&mut f, q, t, &extra);
    }
    for (q, v) in &c.views {
        let extra = if is_model {
            default_grants(model, &q.schema, DefaultPrivilegeObject::Tables)
        } else {
            Vec::new()
        };
        view_facts(&mut f, q, v, &extra);
    }
    for (q, func) in &c.functions {
        let args: Vec<String> = func
            .args
            .iter()
            .map(|a| {
                let mode = a.mode.as_deref().filter(|m| *m != "IN").unwrap_or("");
                format!(
                    "{mode} {}: {} default={}",
                    a.name,
                    a.ty,
                    a.default.is_some()
                )
            })
            .collect();
        f.insert(format!("function {q} args"), format!("{args:?}"));
        // `returns` is SQL text (`TABLE(a varchar)` reads back as `TABLE(a character
        // varying)`), so only whether it is a set is compared.
        let returns = func.returns.trim_start().to_ascii_lowercase();
        f.insert(
            format!("function {q} returns a set"),
            (returns.starts_with("table") || returns.starts_with("setof")).to_string(),
        );
        f.insert(
            format!("function {q} attributes"),
            format!(
                "language={} volatility={:?} security_definer={} strict={} parallel={:?} set={:?}",
                func.language,
                func.volatility,
                func.security_definer,
                func.strict,
                func.parallel.as_deref().filter(|p| *p != "UNSAFE"),
                func.set
            ),
        );
        f.insert(format!("function {q} body"), func.body.clone());
        f.insert(
            format!("function {q} comment"),
            format!("{:?}", func.comment),
        );
        let extra = if is_model {
            default_grants(model, &q.name.schema, DefaultPrivilegeObject::Functions)
        } else {
            Vec::new()
        };
        let mut all = func.grants.clone();
        // PUBLIC's default EXECUTE is revoked when the model lists grants; otherwise the
        // ACL stays NULL and default privileges do not matter to the comparison.
        if !func.grants.is_empty() {
            all.extend(extra);
        }
        f.insert(
            format!("function {q} grants"),
            grants(&all, &[Privilege::Execute], &[]),
        );
    }
    f
}

fn table_facts(f: &mut Facts, q: &QName, t: &TableDef, extra_grants: &[GrantDef]) {
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    f.insert(format!("table {q} columns"), format!("{names:?}"));
    for c in &t.columns {
        f.insert(
            format!("table {q} column {}", c.name),
            format!(
                "{} nullable={} identity={:?} serial={:?} default={} generated={} comment={:?}",
                c.ty,
                c.nullable,
                c.identity,
                c.serial,
                c.default.is_some(),
                c.generated.is_some(),
                c.comment
            ),
        );
    }
    f.insert(format!("table {q} comment"), format!("{:?}", t.comment));
    f.insert(
        format!("table {q} primary key"),
        format!("{:?}", t.primary_key),
    );
    for u in &t.uniques {
        f.insert(
            format!("table {q} unique {}", u.name),
            format!(
                "{:?} nulls_not_distinct={}",
                u.columns, u.nulls_not_distinct
            ),
        );
    }
    for c in &t.checks {
        f.insert(
            format!("table {q} check {}", c.name),
            format!("no_inherit={}", c.no_inherit),
        );
    }
    for fk in &t.foreign_keys {
        f.insert(
            format!("table {q} foreign key {}", fk.name),
            format!(
                "{:?} -> {}{:?} on_delete={:?} on_update={:?} deferrable={}",
                fk.columns,
                fk.references,
                fk.referenced_columns,
                fk.on_delete,
                fk.on_update,
                fk.deferrable
            ),
        );
    }
    for i in &t.indexes {
        index_facts(f, q, i);
    }
    f.insert(
        format!("table {q} partition by"),
        format!("{:?}", t.partition_by),
    );
    for p in &t.partitions {
        f.insert(format!("table {q} partition {}", p.name), bound(&p.bound));
    }
    f.insert(
        format!("table {q} row level security"),
        format!("enabled={} forced={}", t.rls_enabled, t.rls_forced),
    );
    for p in &t.policies {
        let roles: BTreeSet<&String> = p.roles.iter().filter(|r| *r != "public").collect();
        f.insert(
            format!("table {q} policy {}", p.name),
            format!(
                "{:?} to {roles:?} restrictive={} using={} with_check={}",
                p.command,
                p.restrictive,
                p.using.is_some(),
                p.with_check.is_some()
            ),
        );
    }
    for tr in &t.triggers {
        let events: BTreeSet<String> = tr.events.iter().map(|e| format!("{e:?}")).collect();
        f.insert(
            format!("table {q} trigger {}", tr.name),
            format!(
                "{:?} {events:?} of {:?} for each {:?} -> {}({:?}) when={} comment={:?}",
                tr.timing,
                tr.update_of,
                tr.level,
                tr.function
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                tr.args,
                tr.condition.is_some(),
                tr.comment
            ),
        );
    }
    let mut all = t.grants.clone();
    all.extend(extra_grants.iter().cloned());
    f.insert(
        format!("table {q} grants"),
        grants(&all, TABLE_PRIVILEGES, COLUMN_PRIVILEGES),
    );
}

fn view_facts(f: &mut Facts, q: &QName, v: &ViewDef, extra_grants: &[GrantDef]) {
    f.insert(
        format!("view {q}"),
        format!(
            "materialized={} security_barrier={} security_invoker={} comment={:?}",
            v.materialized, v.security_barrier, v.security_invoker, v.comment
        ),
    );
    let mut comments = v.column_comments.clone();
    comments.sort();
    f.insert(format!("view {q} column comments"), format!("{comments:?}"));
    for i in &v.indexes {
        index_facts(f, q, i);
    }
    let mut all = v.grants.clone();
    all.extend(extra_grants.iter().cloned());
    f.insert(
        format!("view {q} grants"),
        grants(&all, TABLE_PRIVILEGES, COLUMN_PRIVILEGES),
    );
}

fn index_facts(f: &mut Facts, q: &QName, i: &IndexDef) {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| match k {
            IndexKeyDef::Column {
                name,
                opclass,
                order,
                nulls,
                collate,
            } => format!("{name} {opclass:?} {order:?} {nulls:?} {collate:?}"),
            IndexKeyDef::Expression {
                opclass,
                order,
                nulls,
                collate,
                ..
            } => format!("(expression) {opclass:?} {order:?} {nulls:?} {collate:?}"),
        })
        .collect();
    f.insert(
        format!("relation {q} index {}", i.name),
        format!(
            "{:?} unique={} nulls_not_distinct={} keys={keys:?} include={:?} with={:?} where={} comment={:?}",
            i.method,
            i.unique,
            i.nulls_not_distinct,
            i.include,
            i.with,
            i.predicate.is_some(),
            i.comment
        ),
    );
}

const TABLE_PRIVILEGES: &[Privilege] = &[
    Privilege::Select,
    Privilege::Insert,
    Privilege::Update,
    Privilege::Delete,
    Privilege::Truncate,
    Privilege::References,
    Privilege::Trigger,
    Privilege::Maintain,
];

const COLUMN_PRIVILEGES: &[Privilege] = &[
    Privilege::Select,
    Privilege::Insert,
    Privilege::Update,
    Privilege::References,
];

/// Grants as `grantee [columns] grant-option: {privileges}`, with ALL expanded and
/// repeated grants to one grantee merged.
fn grants(list: &[GrantDef], full: &[Privilege], column_full: &[Privilege]) -> String {
    let mut merged: BTreeMap<(String, Vec<String>, bool), BTreeSet<Privilege>> = BTreeMap::new();
    for g in list {
        let mut columns = g.columns.clone();
        columns.sort();
        let all = if columns.is_empty() {
            full
        } else {
            column_full
        };
        let entry = merged
            .entry((g.grantee.clone(), columns, g.with_grant_option))
            .or_default();
        for p in &g.privileges {
            if *p == Privilege::All {
                entry.extend(all.iter().copied());
            } else {
                entry.insert(*p);
            }
        }
    }
    format!("{merged:?}")
}

/// The model's default privileges of a schema, as grants on an object created later.
fn default_grants(model: &Catalog, schema: &str, on: DefaultPrivilegeObject) -> Vec<GrantDef> {
    let Some(s) = model.schemas.get(schema) else {
        return Vec::new();
    };
    s.default_privileges
        .iter()
        .filter(|d| d.on == on)
        .map(|d| GrantDef {
            grantee: d.grantee.clone(),
            privileges: d.privileges.clone(),
            columns: Vec::new(),
            with_grant_option: false,
        })
        .collect()
}

/// A bound with midnight timestamps (as PostgreSQL prints a date bound on a timestamp
/// column, in the server's UTC) written as the date the model gives.
fn bound(b: &Bound) -> String {
    let text = b.sql();
    text.replace(" 00:00:00+00'", "'")
        .replace(" 00:00:00'", "'")
}

fn sorted_debug<T: Ord + Debug + Clone>(items: &[T]) -> String {
    let mut v = items.to_vec();
    v.sort();
    format!("{v:?}")
}
