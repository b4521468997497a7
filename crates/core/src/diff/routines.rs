//! Functions and views: replaced in place when the server allows, else dropped and
//! created again together with what depends on them.

use std::collections::BTreeSet;

use super::Differ;
use crate::catalog::{FunctionDef, IndexDef, QName, RoutineId, RoutineKind, ViewDef};
use crate::deps::{self, Node};
use crate::step::{Step, Target};

impl Differ<'_> {
    pub(super) fn functions(&mut self) {
        let recreated = self.functions_to_recreate();
        for (q, f) in &self.next.functions {
            let target = Target::Function { name: q.clone() };
            let Some(previous) = self.previous.functions.get(q) else {
                self.create_function(q, f);
                continue;
            };
            if recreated.contains(q) {
                self.dropped_functions.insert(q.clone());
                self.push(Step::DropFunctionForReplacement { name: q.clone() });
                self.create_function(q, f);
                continue;
            }
            if !same_function(previous, f) {
                self.push(Step::ReplaceFunction { name: q.clone() });
                self.check_body(q, f);
            }
            self.comment(
                target.clone(),
                previous.comment.as_ref(),
                f.comment.as_ref(),
            );
            self.function_grants(&target, &previous.grants, &f.grants);
        }
        for (q, f) in &self.previous.functions {
            if !self.next.functions.contains_key(q) {
                self.dropped_functions.insert(q.clone());
                let name = q.clone();
                // Early too when another overload keeps the name: what calls the name
                // (a view created again) must not bind to the routine that goes.
                let early =
                    self.signature_uses_replaced_type(q, f) || self.next.has_routine_named(&q.name);
                self.push(if early {
                    Step::DropFunctionEarly { name }
                } else {
                    Step::DropFunction { name }
                });
            }
        }
    }

    /// The routines that stay but must be dropped and created again: changed beyond what
    /// `CREATE OR REPLACE` can do, naming a replaced enum, domain or composite type in
    /// their signature (renamed aside, it must go), or aggregates over a support function that
    /// is itself dropped and created (PostgreSQL refuses to drop it under them).
    fn functions_to_recreate(&self) -> BTreeSet<RoutineId> {
        let mut out: BTreeSet<RoutineId> = self
            .next
            .functions
            .iter()
            .filter(|(q, f)| {
                self.previous.functions.get(*q).is_some_and(|previous| {
                    self.signature_uses_replaced_type(q, previous)
                        || (!same_function(previous, f) && !can_replace(previous, f))
                })
            })
            .map(|(q, _)| q.clone())
            .collect();
        let over_recreated: Vec<RoutineId> = self
            .next
            .functions
            .iter()
            .filter(|(q, _)| self.previous.functions.contains_key(*q))
            .filter(|(_, f)| {
                f.aggregate
                    .as_ref()
                    .is_some_and(|a| a.functions().any(|s| out.iter().any(|id| &id.name == s)))
            })
            .map(|(q, _)| q.clone())
            .collect();
        out.extend(over_recreated);
        out
    }

    fn signature_uses_replaced_type(&self, id: &RoutineId, f: &FunctionDef) -> bool {
        let q = &id.name;
        deps::references(&f.signature_text()).iter().any(|r| {
            let ty = QName::new(r.schema.as_deref().unwrap_or(&q.schema), &r.name);
            if let (Some(p), Some(n)) = (self.previous.enums.get(&ty), self.next.enums.get(&ty)) {
                return !super::containers::is_subsequence(&p.values, &n.values);
            }
            let domain = (self.previous.domains.get(&ty), self.next.domains.get(&ty));
            let composite = (
                self.previous.composite_types.get(&ty),
                self.next.composite_types.get(&ty),
            );
            match (domain, composite) {
                ((Some(p), Some(n)), _) => p.replaced_by(n),
                (_, (Some(p), Some(n))) => !super::composite::alterable_in_place(p, n),
                _ => false,
            }
        })
    }

    /// A new function with its comment, and its grants: a function the model grants to
    /// someone is no longer executable by everyone.
    fn create_function(&mut self, q: &RoutineId, f: &FunctionDef) {
        self.push(Step::CreateFunction { name: q.clone() });
        self.check_body(q, f);
        let target = Target::Function { name: q.clone() };
        self.comment(target.clone(), None, f.comment.as_ref());
        if !f.grants.is_empty() {
            self.push(Step::RevokeFromPublic {
                function: q.clone(),
            });
        }
        self.grants(&target, &[], &f.grants);
    }

    /// Bodies in languages whose validator checks them (SQL and PL/pgSQL) are checked
    /// once the plan's objects exist; other languages check at call time only.
    fn check_body(&mut self, q: &RoutineId, f: &FunctionDef) {
        if f.body_validator().is_some() {
            self.push(Step::CheckFunctionBody { name: q.clone() });
        }
    }

    /// Views: the changed ones, and every view over something that changes under it, are
    /// dropped (dependents first) and created again (dependencies first).
    pub(super) fn views(&mut self) {
        let previous_deps = deps::dependencies(self.previous);
        let rebuild = self.views_to_rebuild(&previous_deps);
        let drop_order: Vec<QName> = deps::order(&previous_deps)
            .into_iter()
            .rev()
            .filter_map(|n| match n {
                Node::View(q) if rebuild.contains(&q) => Some(q),
                _ => None,
            })
            .collect();
        for q in drop_order {
            if let Some(v) = self.previous.views.get(&q) {
                self.push(Step::DropView {
                    name: q.clone(),
                    materialized: v.materialized,
                });
            }
        }
        let next_views: Vec<(QName, &ViewDef)> = self
            .next
            .views
            .iter()
            .map(|(q, v)| (q.clone(), v))
            .collect();
        for (q, v) in next_views {
            match self.previous.views.get(&q) {
                Some(previous) if !rebuild.contains(&q) => self.view_attachments(&q, previous, v),
                _ => self.create_view(&q, v),
            }
        }
    }

    fn views_to_rebuild(
        &self,
        previous_deps: &std::collections::BTreeMap<Node, BTreeSet<Node>>,
    ) -> BTreeSet<QName> {
        let mut rebuild: BTreeSet<QName> = BTreeSet::new();
        for (q, v) in &self.previous.views {
            let changed = match self.next.views.get(q) {
                None => true,
                Some(d) => !same_view(v, d),
            };
            let over_changed = previous_deps.get(&Node::View(q.clone())).is_some_and(|ds| {
                ds.iter().any(|n| match n {
                    Node::Table(t) => self.changes_under(v, t),
                    Node::Function(f) => self.dropped_functions.contains(f),
                    // A view casting to a domain holds it: it goes before a replaced or
                    // dropped domain does.
                    Node::Domain(d) => {
                        match (self.previous.domains.get(d), self.next.domains.get(d)) {
                            (Some(p), Some(n)) => p.replaced_by(n),
                            _ => true,
                        }
                    }
                    Node::Type(t) => match (
                        self.previous.composite_types.get(t),
                        self.next.composite_types.get(t),
                    ) {
                        (Some(p), Some(n)) => p.attributes != n.attributes,
                        _ => true,
                    },
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
                .previous
                .views
                .keys()
                .filter(|q| !rebuild.contains(*q))
                .filter(|q| {
                    previous_deps
                        .get(&Node::View((*q).clone()))
                        .is_some_and(|ds| {
                            ds.iter()
                                .any(|n| matches!(n, Node::View(v) if rebuild.contains(v)))
                        })
                })
                .cloned()
                .collect();
            if more.is_empty() {
                return rebuild;
            }
            rebuild.extend(more);
        }
    }

    fn create_view(&mut self, q: &QName, v: &ViewDef) {
        self.push(Step::CreateView { name: q.clone() });
        let empty = ViewDef {
            owner: None,
            comment: None,
            grants: Vec::new(),
            column_comments: Vec::new(),
            indexes: v
                .indexes
                .iter()
                .map(|i| IndexDef {
                    comment: None,
                    ..i.clone()
                })
                .collect(),
            ..v.clone()
        };
        self.view_attachments(q, &empty, v);
    }

    /// Comments and grants of a view that stays, or of one just created.
    fn view_attachments(&mut self, q: &QName, previous: &ViewDef, v: &ViewDef) {
        let target = if v.materialized {
            Target::MaterializedView { name: q.clone() }
        } else {
            Target::View { name: q.clone() }
        };
        self.comment(
            target.clone(),
            previous.comment.as_ref(),
            v.comment.as_ref(),
        );
        for (column, comment) in &v.column_comments {
            let before = previous
                .column_comments
                .iter()
                .find(|(c, _)| c == column)
                .map(|(_, text)| text);
            self.comment(
                Target::ViewColumn {
                    view: q.clone(),
                    column: column.clone(),
                },
                before,
                Some(comment),
            );
        }
        for (column, _) in &previous.column_comments {
            if !v.column_comments.iter().any(|(c, _)| c == column) {
                let before = previous
                    .column_comments
                    .iter()
                    .find(|(c, _)| c == column)
                    .map(|(_, text)| text);
                self.comment(
                    Target::ViewColumn {
                        view: q.clone(),
                        column: column.clone(),
                    },
                    before,
                    None,
                );
            }
        }
        self.grants(&target, &previous.grants, &v.grants);
        for index in &v.indexes {
            let before = previous
                .indexes
                .iter()
                .find(|i| i.name == index.name)
                .and_then(|i| i.comment.as_ref());
            self.comment(
                Target::Index {
                    name: QName::new(&q.schema, &index.name),
                },
                before,
                index.comment.as_ref(),
            );
        }
    }
}

fn same_function(a: &FunctionDef, b: &FunctionDef) -> bool {
    a.kind == b.kind
        && a.args == b.args
        && a.returns == b.returns
        && a.language == b.language
        && a.volatility == b.volatility
        && a.security_definer == b.security_definer
        && a.strict == b.strict
        && a.parallel == b.parallel
        && a.set == b.set
        && a.body == b.body
        && a.aggregate == b.aggregate
}

/// `CREATE OR REPLACE` keeps the kind, argument types, names, defaults and the result
/// type. An aggregate is always dropped and created: its result type follows from its
/// support functions, which the catalog does not compare.
fn can_replace(a: &FunctionDef, b: &FunctionDef) -> bool {
    a.kind == b.kind
        && a.kind != RoutineKind::Aggregate
        && a.args == b.args
        && a.returns == b.returns
}

fn same_view(a: &ViewDef, b: &ViewDef) -> bool {
    a.materialized == b.materialized
        && a.query == b.query
        && a.security_barrier == b.security_barrier
        && a.security_invoker == b.security_invoker
        && uncommented(&a.indexes) == uncommented(&b.indexes)
}

/// Index definitions without their comments, which change without a rebuild.
fn uncommented(indexes: &[IndexDef]) -> Vec<IndexDef> {
    indexes
        .iter()
        .map(|i| IndexDef {
            comment: None,
            ..i.clone()
        })
        .collect()
}

impl Differ<'_> {
    pub(super) fn touch_column(&mut self, table: &QName, column: &str) {
        self.touched_columns
            .entry(table.clone())
            .or_default()
            .insert(column.to_string());
    }

    /// Whether the plan changes something of `table` that the view `view` may use: the
    /// whole table, or a column its query may name (or select with `*`). A table named in
    /// `depends_on` counts whole, since the query text need not show how it is used.
    fn changes_under(&self, view: &ViewDef, table: &QName) -> bool {
        self.touched_tables.contains(table)
            || self.touched_columns.get(table).is_some_and(|columns| {
                view.declared_deps.contains(table)
                    || columns.iter().any(|c| deps::may_use_column(&view.query, c))
            })
    }
}
