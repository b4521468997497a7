//! Diff of everything but tables: roles, extensions, schemas, enums, functions, views,
//! default privileges, plus the grant and comment helpers tables use too.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Differ, Hazard};
use crate::catalog::{Catalog, FunctionDef, GrantDef, QName, ViewDef};
use crate::model::Privilege;
use crate::render::Step;
use crate::render::deps::{self, Node};
use crate::render::objects::{Renderer, default_privilege_sql, view_kind};
use crate::render::statements::{
    comment_sql, function_sql, function_target, grant_sql, revoke_sql,
};
use crate::sql::{ident, literal};

impl Differ<'_> {
    pub(super) fn roles(&mut self) {
        for (name, role) in &self.desired.roles {
            let attrs = |r: &crate::catalog::RoleDef| {
                format!(
                    "{} {} {} {} {} CONNECTION LIMIT {}",
                    if r.login { "LOGIN" } else { "NOLOGIN" },
                    if r.inherit { "INHERIT" } else { "NOINHERIT" },
                    if r.createdb { "CREATEDB" } else { "NOCREATEDB" },
                    if r.createrole {
                        "CREATEROLE"
                    } else {
                        "NOCREATEROLE"
                    },
                    if r.bypassrls {
                        "BYPASSRLS"
                    } else {
                        "NOBYPASSRLS"
                    },
                    r.connection_limit
                )
            };
            let current = self.current.roles.get(name);
            match current {
                None => self.phases.setup.push(
                    Change::new(
                        format!("create role {name}"),
                        format!("CREATE ROLE {} WITH {}", ident(name), attrs(role)),
                    )
                    .hazard(Hazard::Authorization)
                    .as_admin(),
                ),
                Some(c) if attrs(c) != attrs(role) => self.phases.setup.push(
                    Change::new(
                        format!("alter role {name}"),
                        format!("ALTER ROLE {} WITH {}", ident(name), attrs(role)),
                    )
                    .hazard(Hazard::Authorization)
                    .as_admin(),
                ),
                Some(_) => {}
            }
            let had: BTreeSet<&String> = current
                .map(|c| c.member_of.iter().collect())
                .unwrap_or_default();
            let wants: BTreeSet<&String> = role.member_of.iter().collect();
            for parent in wants.difference(&had) {
                self.phases.setup.push(
                    Change::new(
                        format!("grant role {parent} to {name}"),
                        format!("GRANT {} TO {}", ident(parent), ident(name)),
                    )
                    .hazard(Hazard::Authorization)
                    .as_admin(),
                );
            }
            for parent in had.difference(&wants) {
                self.phases.access.push(
                    Change::new(
                        format!("revoke role {parent} from {name}"),
                        format!("REVOKE {} FROM {}", ident(parent), ident(name)),
                    )
                    .hazard(Hazard::Authorization)
                    .as_admin(),
                );
            }
        }
        for name in self.current.roles.keys() {
            if !self.desired.roles.contains_key(name) {
                self.phases.container_drops.push(
                    Change::new(
                        format!("drop role {name}"),
                        format!("DROP ROLE {}", ident(name)),
                    )
                    .hazard(Hazard::Authorization)
                    .as_admin(),
                );
            }
        }
    }

    pub(super) fn extensions(&mut self) {
        for ext in &self.desired.extensions {
            if !self.current.extensions.contains(ext) {
                self.phases.setup.push(Change::new(
                    format!("create extension {ext}"),
                    format!("CREATE EXTENSION IF NOT EXISTS {}", ident(ext)),
                ));
            }
        }
        for ext in &self.current.extensions {
            if !self.desired.extensions.contains(ext) {
                self.phases.container_drops.push(
                    Change::new(
                        format!("drop extension {ext}"),
                        format!("DROP EXTENSION {}", ident(ext)),
                    )
                    .hazard(Hazard::DataLoss)
                    // Shared by whatever else uses it: dropped only by an admin, never
                    // by a migration's down step.
                    .as_admin(),
                );
            }
        }
    }

    pub(super) fn schemas(&mut self) {
        for (name, schema) in &self.desired.schemas {
            let Some(current) = self.current.schemas.get(name) else {
                let steps = render_with(self.desired, |r| r.schema(name));
                self.phases.setup.extend(steps);
                continue;
            };
            let target = format!("SCHEMA {}", ident(name));
            if current.owner != schema.owner
                && let Some(owner) = &schema.owner
            {
                self.phases.access.push(
                    Change::new(
                        format!("change owner of schema {name}"),
                        format!("ALTER SCHEMA {} OWNER TO {}", ident(name), ident(owner)),
                    )
                    .hazard(Hazard::Authorization),
                );
            }
            self.comment(&target, &current.comment, &schema.comment);
            self.grants(&target, &current.grants, &schema.grants);
        }
        for name in self.current.schemas.keys() {
            if !self.desired.schemas.contains_key(name) {
                self.phases.container_drops.push(
                    Change::new(
                        format!("drop schema {name}"),
                        format!("DROP SCHEMA {}", ident(name)),
                    )
                    .hazard(Hazard::DataLoss),
                );
            }
        }
    }

    pub(super) fn enums(&mut self) {
        for (q, e) in &self.desired.enums {
            let Some(current) = self.current.enums.get(q) else {
                let steps = render_with(self.desired, |r| r.enum_type(q));
                self.phases.setup.extend(steps);
                continue;
            };
            let in_place = is_subsequence(&current.values, &e.values);
            // A replaced type starts without a comment; the old one's goes with it.
            let comment_before = if in_place { &current.comment } else { &None };
            self.comment(&format!("TYPE {}", q.sql()), comment_before, &e.comment);
            if current.values == e.values {
                continue;
            }
            if in_place {
                for (i, value) in e.values.iter().enumerate() {
                    if current.values.contains(value) {
                        continue;
                    }
                    let position = match (i.checked_sub(1), e.values.get(i + 1)) {
                        (Some(prev), _) => format!(" AFTER {}", literal(&e.values[prev])),
                        (None, Some(next)) => format!(" BEFORE {}", literal(next)),
                        (None, None) => String::new(),
                    };
                    self.phases.setup.push(Change::new(
                        format!("add value {value} to enum {q}"),
                        format!(
                            "ALTER TYPE {} ADD VALUE {}{position}",
                            q.sql(),
                            literal(value)
                        ),
                    ));
                }
            } else {
                self.replace_enum(q, &e.values);
            }
        }
        for q in self.current.enums.keys() {
            if !self.desired.enums.contains_key(q) {
                self.phases.late_drops.push(
                    Change::new(format!("drop type {q}"), format!("DROP TYPE {}", q.sql()))
                        .hazard(Hazard::DataLoss),
                );
            }
        }
    }

    /// Values removed or reordered: PostgreSQL cannot do that in place, so the type is
    /// renamed, created anew, every column converted through text, and the old one dropped.
    fn replace_enum(&mut self, q: &QName, values: &[String]) {
        let old = QName::new(&q.schema, format!("{}__old", q.name));
        self.phases.setup.push(
            Change::new(
                format!("rename enum {q} to replace it"),
                format!("ALTER TYPE {} RENAME TO {}", q.sql(), ident(&old.name)),
            )
            .hazard(Hazard::DataLoss),
        );
        let labels: Vec<String> = values.iter().map(|v| literal(v)).collect();
        self.phases.setup.push(Change::new(
            format!("create enum {q} with its new values"),
            format!("CREATE TYPE {} AS ENUM ({})", q.sql(), labels.join(", ")),
        ));
        let type_sql = q.sql();
        for (tq, t) in &self.current.tables {
            for c in &t.columns {
                let array = c.ty == format!("{type_sql}[]");
                if c.ty != type_sql && !array {
                    continue;
                }
                self.touched_tables.insert(tq.clone());
                let col = ident(&c.name);
                let target_type = if array {
                    format!("{type_sql}[]")
                } else {
                    type_sql.clone()
                };
                if c.default.is_some() {
                    self.phases.tables.push(Change::new(
                        format!("drop default of {tq}.{} for the type change", c.name),
                        format!("ALTER TABLE {} ALTER COLUMN {col} DROP DEFAULT", tq.sql()),
                    ));
                }
                self.phases.tables.push(
                    Change::new(
                        format!("convert {tq}.{} to the new {q}", c.name),
                        format!(
                            "ALTER TABLE {} ALTER COLUMN {col} TYPE {target_type} USING {col}::text::{target_type}",
                            tq.sql()
                        ),
                    )
                    .hazard(Hazard::DataLoss)
                    .hazard(Hazard::TableRewrite)
                    .hazard(Hazard::AccessExclusiveLock),
                );
                let desired_default = self
                    .desired
                    .tables
                    .get(tq)
                    .and_then(|dt| dt.column(&c.name))
                    .and_then(|dc| dc.default.clone());
                if let Some(default) = desired_default {
                    self.phases.tables.push(Change::new(
                        format!("restore default of {tq}.{}", c.name),
                        format!(
                            "ALTER TABLE {} ALTER COLUMN {col} SET DEFAULT {default}",
                            tq.sql()
                        ),
                    ));
                }
            }
        }
        self.phases.late_drops.push(Change::new(
            format!("drop the replaced enum {old}"),
            format!("DROP TYPE {}", old.sql()),
        ));
    }

    pub(super) fn functions(&mut self) {
        for (q, f) in &self.desired.functions {
            let Some(current) = self.current.functions.get(q) else {
                let steps = render_with(self.desired, |r| r.function(q));
                self.phases.functions.extend(steps);
                continue;
            };
            let target = function_target(q, f);
            if !same_function(current, f) {
                if can_replace(current, f) {
                    self.phases.functions.push(Change::new(
                        format!("replace function {q}"),
                        function_sql(q, f, true),
                    ));
                } else {
                    self.dropped_functions.insert(q.clone());
                    self.phases.teardown.push(Change::new(
                        format!("drop function {q} (signature or result changes)"),
                        format!("DROP {}", function_target(q, current)),
                    ));
                    let steps = render_with(self.desired, |r| r.function(q));
                    self.phases.functions.extend(steps);
                    continue;
                }
            }
            self.comment(&target, &current.comment, &f.comment);
            self.grants(&target, &current.grants, &f.grants);
        }
        for (q, f) in &self.current.functions {
            if !self.desired.functions.contains_key(q) {
                self.dropped_functions.insert(q.clone());
                self.phases.late_drops.push(Change::new(
                    format!("drop function {q}"),
                    format!("DROP {}", function_target(q, f)),
                ));
            }
        }
    }

    /// Views: the changed ones, and every view over something that changes under it,
    /// are dropped (dependents first) and created again (dependencies first).
    pub(super) fn views(&mut self) {
        let current_deps = deps::dependencies(self.current);
        let mut rebuild: BTreeSet<QName> = BTreeSet::new();
        for (q, v) in &self.current.views {
            let changed = match self.desired.views.get(q) {
                None => true,
                Some(d) => !same_view(v, d),
            };
            let over_changed = current_deps.get(&Node::View(q.clone())).is_some_and(|ds| {
                ds.iter().any(|n| match n {
                    Node::Table(t) => self.touched_tables.contains(t),
                    Node::Function(f) => self.dropped_functions.contains(f),
                    Node::View(_) => false,
                })
            });
            if changed || over_changed {
                rebuild.insert(q.clone());
            }
        }
        // Views over views being rebuilt must go too, transitively.
        loop {
            let more: Vec<QName> = self
                .current
                .views
                .keys()
                .filter(|q| !rebuild.contains(*q))
                .filter(|q| {
                    current_deps
                        .get(&Node::View((*q).clone()))
                        .is_some_and(|ds| {
                            ds.iter()
                                .any(|n| matches!(n, Node::View(v) if rebuild.contains(v)))
                        })
                })
                .cloned()
                .collect();
            if more.is_empty() {
                break;
            }
            rebuild.extend(more);
        }
        let drop_order: Vec<QName> = deps::order(&current_deps)
            .into_iter()
            .rev()
            .filter_map(|n| match n {
                Node::View(q) if rebuild.contains(&q) => Some(q),
                _ => None,
            })
            .collect();
        for q in &drop_order {
            if let Some(v) = self.current.views.get(q) {
                let noun = if v.materialized {
                    "MATERIALIZED VIEW"
                } else {
                    "VIEW"
                };
                self.phases.teardown.push(Change::new(
                    format!("drop {} {q} to rebuild it", noun.to_ascii_lowercase()),
                    format!("DROP {noun} {}", q.sql()),
                ));
            }
        }
        for node in deps::order(&deps::dependencies(self.desired)) {
            let Node::View(q) = node else { continue };
            let Some(v) = self.desired.views.get(&q) else {
                continue;
            };
            match self.current.views.get(&q) {
                Some(current) if !rebuild.contains(&q) => {
                    let noun = if v.materialized {
                        "MATERIALIZED VIEW"
                    } else {
                        "VIEW"
                    };
                    self.comment(&format!("{noun} {}", q.sql()), &current.comment, &v.comment);
                    self.grants(&format!("TABLE {}", q.sql()), &current.grants, &v.grants);
                    for index in &v.indexes {
                        let before = current
                            .indexes
                            .iter()
                            .find(|i| i.name == index.name)
                            .and_then(|i| i.comment.clone());
                        let iq = QName::new(&q.schema, &index.name);
                        self.comment(&format!("INDEX {}", iq.sql()), &before, &index.comment);
                    }
                    let _ = view_kind(v);
                }
                _ => {
                    let steps = render_with(self.desired, |r| r.view(&q));
                    self.phases.dependents.extend(steps);
                }
            }
        }
    }

    pub(super) fn default_privileges(&mut self) {
        for (name, schema) in &self.desired.schemas {
            let current: Vec<_> = self
                .current
                .schemas
                .get(name)
                .map(|s| s.default_privileges.clone())
                .unwrap_or_default();
            let had: BTreeSet<_> = current.iter().collect();
            let wants: BTreeSet<_> = schema.default_privileges.iter().collect();
            for dp in wants.difference(&had) {
                self.phases.access.push(
                    Change::new(
                        format!("default privileges in schema {name} for {}", dp.grantee),
                        default_privilege_sql(name, dp, true),
                    )
                    .hazard(Hazard::Authorization),
                );
            }
            for dp in had.difference(&wants) {
                self.phases.access.push(
                    Change::new(
                        format!(
                            "revoke default privileges in schema {name} from {}",
                            dp.grantee
                        ),
                        default_privilege_sql(name, dp, false),
                    )
                    .hazard(Hazard::Authorization),
                );
            }
        }
    }

    /// `COMMENT ON target` when the comment changed.
    pub(super) fn comment(
        &mut self,
        target: &str,
        current: &Option<String>,
        desired: &Option<String>,
    ) {
        if current != desired {
            self.phases.access.push(Change::new(
                format!("comment on {}", target.to_ascii_lowercase()),
                comment_sql(target, desired.as_deref()),
            ));
        }
    }

    /// GRANTs and REVOKEs that take `current` to `desired` on `target`.
    pub(super) fn grants(&mut self, target: &str, current: &[GrantDef], desired: &[GrantDef]) {
        let had = expand(current);
        let wants = expand(desired);
        for g in regroup(wants.difference(&had)) {
            self.phases.access.push(
                Change::new(
                    format!("grant on {} to {}", target.to_ascii_lowercase(), g.grantee),
                    grant_sql(&g, target),
                )
                .hazard(Hazard::Authorization),
            );
        }
        for g in regroup(had.difference(&wants)) {
            self.phases.access.push(
                Change::new(
                    format!(
                        "revoke on {} from {}",
                        target.to_ascii_lowercase(),
                        g.grantee
                    ),
                    revoke_sql(&g, target),
                )
                .hazard(Hazard::Authorization),
            );
        }
    }
}

/// Renders one object of a catalog the way the create script would, as changes.
pub(super) fn render_with(catalog: &Catalog, f: impl FnOnce(&mut Renderer)) -> Vec<Change> {
    let mut r = Renderer::new(catalog);
    f(&mut r);
    r.finish().into_iter().map(step_change).collect()
}

fn step_change(step: Step) -> Change {
    let description = match &step.object {
        Some(k) if step.creates => format!("create {} {}", k.kind.noun(), display_name(k)),
        Some(k) => format!(
            "{} {}: {}",
            k.kind.noun(),
            display_name(k),
            first_words(&step.sql)
        ),
        None => format!("session: {}", first_words(&step.sql)),
    };
    Change::new(description, step.sql)
}

fn display_name(k: &crate::render::ObjectKey) -> String {
    match k.kind {
        crate::render::ObjectKind::Schema | crate::render::ObjectKind::Extension => k.name.clone(),
        _ => format!("{}{}", qualify(&k.schema), k.name),
    }
}

fn qualify(schema: &str) -> String {
    if schema.is_empty() {
        String::new()
    } else {
        format!("{schema}.")
    }
}

fn first_words(sql: &str) -> String {
    sql.split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

type GrantKey = (String, Vec<String>, bool, Privilege);

fn expand(grants: &[GrantDef]) -> BTreeSet<GrantKey> {
    let mut out = BTreeSet::new();
    for g in grants {
        let mut columns = g.columns.clone();
        columns.sort();
        for p in &g.privileges {
            out.insert((g.grantee.clone(), columns.clone(), g.with_grant_option, *p));
        }
    }
    out
}

fn regroup<'a>(keys: impl Iterator<Item = &'a GrantKey>) -> Vec<GrantDef> {
    let mut grouped: BTreeMap<(String, Vec<String>, bool), Vec<Privilege>> = BTreeMap::new();
    for (grantee, columns, option, p) in keys {
        grouped
            .entry((grantee.clone(), columns.clone(), *option))
            .or_default()
            .push(*p);
    }
    grouped
        .into_iter()
        .map(
            |((grantee, columns, with_grant_option), privileges)| GrantDef {
                grantee,
                privileges,
                columns,
                with_grant_option,
            },
        )
        .collect()
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}

fn same_function(a: &FunctionDef, b: &FunctionDef) -> bool {
    a.args == b.args
        && a.returns == b.returns
        && a.language == b.language
        && a.volatility == b.volatility
        && a.security_definer == b.security_definer
        && a.strict == b.strict
        && a.parallel == b.parallel
        && a.set == b.set
        && a.body == b.body
}

/// `CREATE OR REPLACE` keeps the argument types, names, defaults and the result type.
fn can_replace(a: &FunctionDef, b: &FunctionDef) -> bool {
    a.args == b.args && a.returns == b.returns
}

fn same_view(a: &ViewDef, b: &ViewDef) -> bool {
    a.materialized == b.materialized
        && a.query == b.query
        && a.security_barrier == b.security_barrier
        && a.security_invoker == b.security_invoker
        && uncommented(&a.indexes) == uncommented(&b.indexes)
}

/// Index definitions without their comments, which change without a rebuild.
fn uncommented(indexes: &[crate::catalog::IndexDef]) -> Vec<crate::catalog::IndexDef> {
    indexes
        .iter()
        .map(|i| crate::catalog::IndexDef {
            comment: None,
            ..i.clone()
        })
        .collect()
}
