//! What goes before a change and comes back after it, because the change cannot happen
//! while it exists: foreign keys on a replaced key, triggers that name a rebuilt table,
//! checks and indexes over a column converted to a replaced enum.

use super::Differ;
use crate::catalog::{IndexDef, IndexKeyDef, QName};
use crate::deps::{self, references};
use crate::step::{ConstraintKind, Conversion, OnTable, Step, Target};

impl Differ<'_> {
    /// Foreign keys the model keeps as they are, on tables altered in place, that
    /// reference a primary key or unique constraint this plan drops (to replace it or for
    /// good): PostgreSQL refuses to drop the key while they depend on its index, so they
    /// go first and come back once the key is there again.
    pub(super) fn foreign_keys_on_replaced_keys(&mut self) {
        if self.capabilities.foreign_keys_inline() {
            return;
        }
        let replaced = std::mem::take(&mut self.replaced_keys);
        let mut around: Vec<(QName, String)> = Vec::new();
        for (referenced, columns) in replaced
            .iter()
            .filter(|(q, _)| !self.rebuilt_tables.contains(q))
        {
            for (q, table) in &self.previous.tables {
                let altered_in_place =
                    self.next.tables.contains_key(q) && !self.rebuilt_tables.contains(q);
                for fk in &table.foreign_keys {
                    let depends = &fk.references == referenced
                        && same_column_set(&fk.referenced_columns, columns);
                    let kept = self
                        .next
                        .tables
                        .get(q)
                        .is_some_and(|t| t.foreign_keys.contains(fk));
                    let entry = (q.clone(), fk.name.clone());
                    if depends && kept && altered_in_place && !around.contains(&entry) {
                        around.push(entry);
                    }
                }
            }
        }
        for (q, name) in around {
            self.push(Step::DropConstraint {
                on: OnTable::new(&q, &name),
                kind: ConstraintKind::ForeignKey,
            });
            self.add_foreign_key(&q, &name);
        }
    }

    /// Triggers on tables that stay whose program or condition names a table the plan
    /// rebuilds: SQLite's rename of the rebuilt table into place refuses while a trigger
    /// names a table that does not exist (and the old table's triggers go with it anyway).
    /// They are dropped before the rebuild and created again after it.
    pub(super) fn triggers_over_rebuilt_tables(&mut self) {
        if self.rebuilt_tables.is_empty() {
            return;
        }
        let mut around: Vec<(QName, String, Option<QName>)> = Vec::new();
        for (q, table) in &self.previous.tables {
            if self.rebuilt_tables.contains(q) {
                continue;
            }
            let now = self.name_after_plan(q);
            for trigger in &table.triggers {
                let text = format!(
                    "{} {}",
                    trigger.body.as_deref().unwrap_or(""),
                    trigger.condition.as_deref().unwrap_or("")
                );
                let names_rebuilt = references(&text).iter().any(|r| {
                    let schema = r.schema.clone().unwrap_or_else(|| q.schema.clone());
                    self.rebuilt_tables
                        .contains(&QName::new(schema, r.name.clone()))
                });
                if names_rebuilt {
                    let kept = now.clone().filter(|n| {
                        self.next
                            .tables
                            .get(n)
                            .is_some_and(|t| t.triggers.iter().any(|d| d.name == trigger.name))
                    });
                    around.push((q.clone(), trigger.name.clone(), kept));
                }
            }
        }
        for (q, name, kept) in around {
            let before = OnTable::new(&q, &name);
            if !self
                .steps
                .iter()
                .any(|s| matches!(s, Step::DropTrigger { on } if *on == before))
            {
                self.push(Step::DropTrigger { on: before });
            }
            let Some(table) = kept else { continue };
            let after = OnTable::new(&table, &name);
            // A changed trigger is created rather than replaced: it is gone by then.
            let replaced = self
                .steps
                .iter()
                .position(|s| matches!(s, Step::ReplaceTrigger { on } if *on == after));
            if let Some(i) = replaced {
                self.steps[i] = Step::CreateTrigger { on: after };
            } else if !self
                .steps
                .iter()
                .any(|s| matches!(s, Step::CreateTrigger { on } if *on == after))
            {
                self.push(Step::CreateTrigger { on: after.clone() });
                let comment = self.next.tables.get(&table).and_then(|t| {
                    t.triggers
                        .iter()
                        .find(|d| d.name == name)
                        .and_then(|d| d.comment.clone())
                });
                self.comment(Target::Trigger { on: after }, None, comment.as_ref());
            }
        }
    }

    /// Checks and indexes (predicates, expressions) that may compare a column converted to
    /// a replaced enum type with its labels: their stored definitions name the old type
    /// once it is renamed aside, and the conversion fails rebuilding them ('operator does
    /// not exist'). They are dropped before (an index in the transaction) and created
    /// again after.
    pub(super) fn constraints_over_replaced_enums(&mut self) {
        // (table before, table after, name, kept by the model)
        let mut checks: Vec<(QName, QName, String, bool)> = Vec::new();
        let mut indexes: Vec<(QName, QName, String, bool)> = Vec::new();
        let through_text = self
            .type_conversions
            .iter()
            .filter(|c| c.conversion == Conversion::ViaText);
        for conversion in through_text {
            let (q, column) = (&conversion.previous.table, &conversion.previous.column);
            let now = &conversion.next.table;
            let (Some(previous), Some(next)) =
                (self.previous.tables.get(q), self.next.tables.get(now))
            else {
                continue;
            };
            for c in &previous.checks {
                let kept = next.checks.iter().any(|d| d.name == c.name);
                if deps::may_use_column(&c.expression, column) {
                    checks.push((q.clone(), now.clone(), c.name.clone(), kept));
                }
            }
            for index in &previous.indexes {
                let kept = next.indexes.iter().any(|d| d.name == index.name);
                if index_may_use(index, column) {
                    indexes.push((q.clone(), now.clone(), index.name.clone(), kept));
                }
            }
        }
        for (q, now, name, kept) in checks {
            let before = OnTable::new(&q, &name);
            if !self
                .steps
                .iter()
                .any(|s| matches!(s, Step::DropConstraint { on, .. } if *on == before))
            {
                self.push(Step::DropConstraint {
                    on: before,
                    kind: ConstraintKind::Check,
                });
            }
            let after = OnTable::new(&now, &name);
            let added = self
                .steps
                .iter()
                .any(|s| matches!(s, Step::AddConstraint { on, .. } if *on == after));
            if kept && !added {
                self.add_checked(&now, &name, ConstraintKind::Check);
            }
        }
        for (q, now, name, kept) in indexes {
            let iq = QName::new(&q.schema, &name);
            let dropped = self.steps.iter().position(|s| {
                matches!(s, Step::DropIndex { name } | Step::DropIndexConcurrently { name } if *name == iq)
            });
            match dropped {
                // After the commit would be too late: the conversion runs in the transaction.
                Some(i) => self.steps[i] = Step::DropIndex { name: iq.clone() },
                None => self.push(Step::DropIndex { name: iq.clone() }),
            }
            let after = OnTable::new(&now, &name);
            let created = self.steps.iter().any(|s| {
                matches!(s, Step::CreateIndex { on } | Step::CreateIndexConcurrently { on } if *on == after)
            });
            if kept && !created {
                self.push(Step::CreateIndex { on: after });
                let comment = self.next.tables.get(&now).and_then(|t| {
                    t.indexes
                        .iter()
                        .find(|i| i.name == name)
                        .and_then(|i| i.comment.clone())
                });
                self.comment(
                    Target::Index {
                        name: QName::new(&now.schema, &name),
                    },
                    None,
                    comment.as_ref(),
                );
            }
        }
    }

    /// A table's name once the plan ran (renamed per the hints), if the model keeps it.
    pub(super) fn name_after_plan(&self, q: &QName) -> Option<QName> {
        let renamed = self
            .hints
            .tables
            .iter()
            .find(|(new, old)| new.schema == q.schema && **old == q.name)
            .map(|(new, _)| new.clone())
            .filter(|new| !self.previous.tables.contains_key(new));
        renamed
            .or_else(|| Some(q.clone()))
            .filter(|n| self.next.tables.contains_key(n))
    }
}

/// An index's predicate or expression keys may name `column` (plain column keys are
/// converted by the server itself).
fn index_may_use(index: &IndexDef, column: &str) -> bool {
    index
        .predicate
        .as_deref()
        .is_some_and(|p| deps::may_use_column(p, column))
        || index.keys.iter().any(|k| match k {
            IndexKeyDef::Expression { sql, .. } => deps::may_use_column(sql, column),
            IndexKeyDef::Column { .. } => false,
        })
}

/// The same columns in any order: a foreign key uses the unique index over its
/// referenced columns whatever their order.
fn same_column_set(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}
