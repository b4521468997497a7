//! Diff of tables: renames, columns, constraints, indexes, partitions, triggers, RLS and
//! policies, grants and comments; a rebuild where the flavour cannot alter in place.

use super::{Differ, TableChange};
use crate::catalog::{IndexDef, QName, RoutineId, TableDef};
use crate::deps::references;
use crate::step::{
    ConstraintKind, CopiedColumn, CopySource, OnTable, RlsSwitch, Step, Target, Validation,
};
use schemactl_model::partitions::Bound;

impl Differ<'_> {
    pub(super) fn tables(&mut self) {
        let mut renamed_away: Vec<QName> = Vec::new();
        let next_tables: Vec<(&QName, &TableDef)> = self.next.tables.iter().collect();
        for (q, next) in next_tables {
            let renamed_from = self
                .hints
                .tables
                .get(q)
                .map(|old| QName::new(&q.schema, old))
                .filter(|old| {
                    !self.previous.tables.contains_key(q) && self.previous.tables.contains_key(old)
                });
            let previous_name = renamed_from.clone().unwrap_or_else(|| q.clone());
            let Some(previous) = self.previous.tables.get(&previous_name) else {
                self.create_table(q, next);
                continue;
            };
            let start = self.steps.len();
            if let Some(old) = &renamed_from {
                renamed_away.push(old.clone());
                self.touched_tables.insert(old.clone());
                self.push(Step::RenameTable {
                    from: old.clone(),
                    to: q.name.clone(),
                });
            }
            if previous.partition_by != next.partition_by {
                self.steps.truncate(start);
                self.rebuild_table(q, &previous_name, previous, next);
                continue;
            }
            self.alter_table(q, previous, next);
            if let Some(old) = &renamed_from {
                self.teardown_by_previous_name(start, q, old);
            }
            if self.needs_rebuild(&self.steps[start..], &previous_name, previous) {
                self.steps.truncate(start);
                self.rebuild_table(q, &previous_name, previous, next);
            }
        }
        self.foreign_keys_on_replaced_keys();
        self.convert_replaced_type_columns();
        self.constraints_over_replaced_enums();
        self.triggers_over_rebuilt_tables();
        let dropped: Vec<QName> = self
            .previous
            .tables
            .keys()
            .filter(|q| !self.next.tables.contains_key(*q) && !renamed_away.contains(q))
            .cloned()
            .collect();
        if !dropped.is_empty() {
            self.touched_tables.extend(dropped.iter().cloned());
            self.push(Step::DropTables { names: dropped });
        }
    }

    /// Everything that changes on a table that stays.
    fn alter_table(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        self.columns(q, previous, next);
        self.storage(q, previous, next);
        self.keys(q, previous, next);
        self.indexes(q, previous, next);
        self.partitions(q, previous, next);
        self.triggers_and_policies(q, previous, next);
        let target = Target::Table { name: q.clone() };
        self.comment(
            target.clone(),
            previous.comment.as_ref(),
            next.comment.as_ref(),
        );
        self.grants(&target, &previous.grants, &next.grants);
        self.sequence_grants(q, previous, next);
    }

    /// The teardown runs before the table is renamed: what it drops on the table names
    /// the table as it is then.
    fn teardown_by_previous_name(&mut self, from: usize, now: &QName, before: &QName) {
        for step in &mut self.steps[from..] {
            let on = match step {
                Step::DropConstraint { on, .. }
                | Step::DropTrigger { on }
                | Step::DropPolicy { on }
                | Step::DetachPartition { on } => on,
                _ => continue,
            };
            if on.table == *now {
                on.table = before.clone();
            }
        }
    }

    /// Whether the flavour must rebuild the table to make these steps' changes.
    fn needs_rebuild(&self, steps: &[Step], previous_name: &QName, previous: &TableDef) -> bool {
        steps.iter().any(|step| {
            self.table_change(step, previous).is_some_and(|change| {
                !self.capabilities.alters_table_in_place(
                    &change,
                    step,
                    previous_name,
                    self.previous,
                )
            })
        })
    }

    fn table_change(&self, step: &Step, previous: &TableDef) -> Option<TableChange> {
        Some(match step {
            Step::AddColumn { column } => TableChange::AddColumn {
                plain: self.is_plain_addition(&column.table, &column.column),
                at_end: self.is_added_at_end(&column.table, &column.column, previous),
            },
            Step::RenameColumn { .. } => TableChange::RenameColumn,
            Step::DropColumn { .. } => TableChange::DropColumn,
            Step::RenameTable { .. } => TableChange::RenameTable,
            Step::AlterColumnType { .. } => TableChange::AlterColumnType,
            Step::SetColumnDefault { .. } | Step::DropColumnDefault { .. } => {
                TableChange::ColumnDefault
            }
            Step::SetNotNull { .. } | Step::DropNotNull { .. } => TableChange::Nullability,
            Step::SetGenerationExpression { .. } | Step::DropGenerationExpression { .. } => {
                TableChange::Generation
            }
            Step::AddIdentity { .. } | Step::AlterIdentity { .. } | Step::DropIdentity { .. } => {
                TableChange::Identity
            }
            Step::AddConstraint { .. }
            | Step::DropConstraint { .. }
            | Step::ValidateConstraint { .. }
            | Step::RenameConstraint { .. } => TableChange::Constraint,
            _ => return None,
        })
    }

    /// Every column after `column` in the model is new as well.
    fn is_added_at_end(&self, table: &QName, column: &str, previous: &TableDef) -> bool {
        let Some(t) = self.next.tables.get(table) else {
            return false;
        };
        let Some(position) = t.columns.iter().position(|c| c.name == column) else {
            return false;
        };
        t.columns[position + 1..].iter().all(|c| {
            let old = self
                .hints
                .columns
                .get(&(table.clone(), c.name.clone()))
                .map_or(c.name.as_str(), String::as_str);
            previous.column(&c.name).is_none() && previous.column(old).is_none()
        })
    }

    /// A column `ALTER TABLE ADD COLUMN` can add everywhere: no key, no unique
    /// constraint, no generation, at most a constant default.
    fn is_plain_addition(&self, table: &QName, column: &str) -> bool {
        let Some(t) = self.next.tables.get(table) else {
            return false;
        };
        let Some(c) = t.column(column) else {
            return false;
        };
        let in_key = t
            .primary_key
            .as_ref()
            .is_some_and(|k| k.columns.iter().any(|n| n == column))
            || t.uniques
                .iter()
                .any(|u| u.columns.iter().any(|n| n == column));
        let referencing = t
            .foreign_keys
            .iter()
            .any(|fk| fk.columns.iter().any(|n| n == column));
        // SQLite refuses CURRENT_* and parenthesized expressions as an added column's
        // default; PostgreSQL would rewrite the table for a volatile one.
        let constant_default = c.default.as_deref().is_none_or(|d| {
            let upper = d.trim().to_ascii_uppercase();
            (!d.contains('(') || d.starts_with('\'')) && !upper.starts_with("CURRENT_")
        });
        !in_key
            && !referencing
            && c.generated.is_none()
            && c.identity.is_none()
            && constant_default
            && (c.nullable || c.default.is_some())
    }

    /// A new table with everything on it; it is empty, so plain index builds and
    /// immediately valid constraints cost nothing.
    fn create_table(&mut self, q: &QName, t: &TableDef) {
        self.push(Step::CreateTable { name: q.clone() });
        for p in &t.partitions {
            self.push(Step::CreatePartition {
                on: OnTable::new(q, &p.name),
            });
        }
        self.new_table_dependents(q, t);
        self.new_table_attachments(q, t);
    }

    /// Comments and grants of a table that is new to the database (created or rebuilt).
    fn new_table_attachments(&mut self, q: &QName, t: &TableDef) {
        let target = Target::Table { name: q.clone() };
        self.comment(target.clone(), None, t.comment.as_ref());
        for c in &t.columns {
            self.comment(
                Target::Column {
                    column: crate::step::ColumnKey {
                        table: q.clone(),
                        column: c.name.clone(),
                    },
                },
                None,
                c.comment.as_ref(),
            );
        }
        self.grants(&target, &[], &t.grants);
        self.sequence_grants(q, &TableDef::default(), t);
    }

    /// What a table created (or rebuilt) in this plan gets once it exists: foreign keys
    /// (unless the flavour writes them into the table), indexes, triggers, row-level
    /// security and policies.
    fn new_table_dependents(&mut self, q: &QName, t: &TableDef) {
        if !self.capabilities.foreign_keys_inline() {
            for fk in &t.foreign_keys {
                self.push(Step::AddConstraint {
                    on: OnTable::new(q, &fk.name),
                    kind: ConstraintKind::ForeignKey,
                    validation: Validation::Immediate,
                });
            }
        }
        for index in &t.indexes {
            self.push(Step::CreateIndex {
                on: OnTable::new(q, &index.name),
            });
            self.comment(
                Target::Index {
                    name: QName::new(&q.schema, &index.name),
                },
                None,
                index.comment.as_ref(),
            );
        }
        for tr in &t.triggers {
            self.push(Step::CreateTrigger {
                on: OnTable::new(q, &tr.name),
            });
            self.comment(
                Target::Trigger {
                    on: OnTable::new(q, &tr.name),
                },
                None,
                tr.comment.as_ref(),
            );
        }
        if t.rls_enabled {
            self.push(Step::SetRowLevelSecurity {
                table: q.clone(),
                switch: RlsSwitch::Enable,
            });
        }
        if t.rls_forced {
            self.push(Step::SetRowLevelSecurity {
                table: q.clone(),
                switch: RlsSwitch::Force,
            });
        }
        for p in &t.policies {
            self.push(Step::CreatePolicy {
                on: OnTable::new(q, &p.name),
            });
        }
    }

    /// The table is built anew beside (or in place of) the old one and the rows copied:
    /// a change of partitioning, or a change the flavour cannot make with ALTER TABLE.
    fn rebuild_table(
        &mut self,
        q: &QName,
        previous_name: &QName,
        previous: &TableDef,
        next: &TableDef,
    ) {
        self.touched_tables.insert(q.clone());
        self.touched_tables.insert(previous_name.clone());
        self.rebuilt_tables.insert(q.clone());
        self.rebuilt_tables.insert(previous_name.clone());
        if !self.capabilities.foreign_keys_inline() {
            self.referencing_foreign_keys_around(previous_name, q);
        }
        if previous_name != q {
            self.push(Step::RenameTable {
                from: previous_name.clone(),
                to: q.name.clone(),
            });
        }
        // Renamed columns are renamed in place first (every flavour can), so that the copy
        // and the model's `using` expressions name them as the model does.
        let mut kept_names: Vec<&str> = Vec::new();
        let mut renames: Vec<(&str, &String)> = Vec::new();
        for c in next.columns.iter().filter(|c| c.generated.is_none()) {
            let renamed = self.hints.columns.get(&(q.clone(), c.name.clone()));
            match renamed {
                Some(old)
                    if previous.column(&c.name).is_none() && previous.column(old).is_some() =>
                {
                    self.push(Step::RenameColumn {
                        table: q.clone(),
                        from: old.clone(),
                        to: c.name.clone(),
                    });
                    kept_names.push(&c.name);
                    renames.push((&c.name, old));
                }
                _ if previous
                    .column(&c.name)
                    .is_some_and(|p| p.generated.is_none()) =>
                {
                    kept_names.push(&c.name);
                }
                _ => {}
            }
        }
        let keep: Vec<CopiedColumn> = next
            .columns
            .iter()
            .filter(|c| c.generated.is_none())
            .filter_map(|c| {
                let using = self.hints.using.get(&(q.clone(), c.name.clone()));
                let from = match using {
                    Some(expr) => CopySource::Expression(expr.clone()),
                    None if kept_names.contains(&c.name.as_str()) => CopySource::Column,
                    None => return None,
                };
                Some(CopiedColumn {
                    column: c.name.clone(),
                    from,
                    renamed_from: renames
                        .iter()
                        .find(|(new, _)| *new == c.name)
                        .map(|(_, old)| (*old).clone()),
                })
            })
            .collect();
        self.push(Step::RebuildTable {
            name: q.clone(),
            previous: previous_name.clone(),
            keep,
        });
        self.new_table_dependents(q, next);
        self.new_table_attachments(q, next);
    }

    /// Foreign keys of other tables that reference a rebuilt table: dropped before, added
    /// again after (they would otherwise follow the old table).
    fn referencing_foreign_keys_around(&mut self, previous_name: &QName, q: &QName) {
        let mut around = Vec::new();
        for (other_q, other) in &self.previous.tables {
            if other_q == previous_name {
                continue;
            }
            for fk in &other.foreign_keys {
                if &fk.references == previous_name {
                    around.push((other_q.clone(), fk.name.clone()));
                }
            }
        }
        for (other_q, name) in around {
            self.push(Step::DropConstraint {
                on: OnTable::new(&other_q, &name),
                kind: ConstraintKind::ForeignKey,
            });
            let still_there = self.next.tables.get(&other_q).is_some_and(|t| {
                t.foreign_keys
                    .iter()
                    .any(|f| f.name == name && &f.references == q)
            });
            if still_there {
                self.add_foreign_key(&other_q, &name);
            }
        }
    }

    fn keys(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        let renamed_only = match (&previous.primary_key, &next.primary_key) {
            (Some(c), Some(d)) => {
                c.columns == d.columns
                    && c.deferral == d.deferral
                    && c.index == d.index
                    && c.name != d.name
            }
            _ => false,
        };
        if renamed_only && let (Some(c), Some(d)) = (&previous.primary_key, &next.primary_key) {
            self.push(Step::RenameConstraint {
                table: q.clone(),
                from: c.name.clone(),
                to: d.name.clone(),
                kind: ConstraintKind::PrimaryKey,
            });
        } else if previous.primary_key != next.primary_key {
            if let Some(pk) = &previous.primary_key {
                self.replaced_keys.push((q.clone(), pk.columns.clone()));
                self.push(Step::DropConstraint {
                    on: OnTable::new(q, &pk.name),
                    kind: ConstraintKind::PrimaryKey,
                });
            }
            if let Some(pk) = &next.primary_key {
                self.push(Step::AddConstraint {
                    on: OnTable::new(q, &pk.name),
                    kind: ConstraintKind::PrimaryKey,
                    validation: Validation::Immediate,
                });
            }
        }
        for u in &previous.uniques {
            if !next.uniques.contains(u) {
                self.replaced_keys.push((q.clone(), u.columns.clone()));
                self.push(Step::DropConstraint {
                    on: OnTable::new(q, &u.name),
                    kind: ConstraintKind::Unique,
                });
            }
        }
        for u in &next.uniques {
            if !previous.uniques.contains(u) {
                self.push(Step::AddConstraint {
                    on: OnTable::new(q, &u.name),
                    kind: ConstraintKind::Unique,
                    validation: Validation::Immediate,
                });
            }
        }
        for c in &previous.checks {
            if !next.checks.contains(c) {
                self.push(Step::DropConstraint {
                    on: OnTable::new(q, &c.name),
                    kind: ConstraintKind::Check,
                });
            }
        }
        for c in &next.checks {
            if !previous.checks.contains(c) {
                self.add_checked(q, &c.name, ConstraintKind::Check);
            }
        }
        // Changed in any way (elements, method, predicate, timing): dropped and added, as
        // PostgreSQL has no ALTER for them. Never NOT VALID (PostgreSQL cannot defer the
        // index build), so adding one to a filled table scans it under the lock.
        for x in &previous.exclusions {
            if !next.exclusions.contains(x) {
                self.push(Step::DropConstraint {
                    on: OnTable::new(q, &x.name),
                    kind: ConstraintKind::Exclusion,
                });
            }
        }
        for x in &next.exclusions {
            if !previous.exclusions.contains(x) {
                self.push(Step::AddConstraint {
                    on: OnTable::new(q, &x.name),
                    kind: ConstraintKind::Exclusion,
                    validation: Validation::Immediate,
                });
            }
        }
        for fk in &previous.foreign_keys {
            if !next.foreign_keys.contains(fk) {
                self.push(Step::DropConstraint {
                    on: OnTable::new(q, &fk.name),
                    kind: ConstraintKind::ForeignKey,
                });
            }
        }
        for fk in &next.foreign_keys {
            if !previous.foreign_keys.contains(fk) {
                self.add_foreign_key(q, &fk.name);
            } else if previous.not_valid.contains(&fk.name) {
                self.push(Step::ValidateConstraint {
                    on: OnTable::new(q, &fk.name),
                    kind: ConstraintKind::ForeignKey,
                });
            }
        }
    }

    /// Added `NOT VALID` (no scan under the strong lock), then validated (a scan under a
    /// lock that lets reads and writes go on).
    pub(super) fn add_foreign_key(&mut self, q: &QName, name: &str) {
        self.add_checked(q, name, ConstraintKind::ForeignKey);
    }

    pub(super) fn add_checked(&mut self, q: &QName, name: &str, kind: ConstraintKind) {
        self.push(Step::AddConstraint {
            on: OnTable::new(q, name),
            kind,
            validation: Validation::NotValid,
        });
        self.push(Step::ValidateConstraint {
            on: OnTable::new(q, name),
            kind,
        });
    }

    fn indexes(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        // CREATE INDEX CONCURRENTLY is not supported on partitioned tables.
        let concurrently = next.partition_by.is_none() && self.capabilities.concurrent_indexes();
        // An index may use an operator class or type of an extension the plan drops, in
        // its transaction: then index drops cannot wait until after the commit.
        let drop_concurrently = concurrently && !self.drops_extensions();
        for c in &previous.indexes {
            let replaced = next.indexes.iter().find(|d| d.name == c.name);
            if replaced.is_some_and(|d| same_index(c, d)) {
                continue;
            }
            let name = QName::new(&q.schema, &c.name);
            self.push(if drop_concurrently {
                Step::DropIndexConcurrently { name }
            } else {
                Step::DropIndex { name }
            });
        }
        for d in &next.indexes {
            let existing = previous.indexes.iter().find(|c| c.name == d.name);
            let target = Target::Index {
                name: QName::new(&q.schema, &d.name),
            };
            if let Some(c) = existing
                && same_index(c, d)
            {
                self.comment(target, c.comment.as_ref(), d.comment.as_ref());
                continue;
            }
            if concurrently {
                // Its comment comes with it, outside the transaction.
                self.push(Step::CreateIndexConcurrently {
                    on: OnTable::new(q, &d.name),
                });
            } else {
                self.push(Step::CreateIndex {
                    on: OnTable::new(q, &d.name),
                });
                self.comment(target, None, d.comment.as_ref());
            }
        }
    }

    /// Partitions by name: new ones created, gone ones detached and dropped, and ones
    /// whose bounds change rebuilt with their rows ([`Step::RebindPartitions`]).
    fn partitions(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        let mut rebound = Vec::new();
        for p in &previous.partitions {
            match next.partitions.iter().find(|n| n.name == p.name) {
                Some(n) if n.bound == p.bound => {}
                Some(n) => rebound.push(n.name.clone()),
                None => {
                    self.push(Step::DetachPartition {
                        on: OnTable::new(q, &p.name),
                    });
                    self.push(Step::DropDetachedPartition {
                        name: QName::new(&q.schema, &p.name),
                    });
                }
            }
        }
        let added: Vec<String> = next
            .partitions
            .iter()
            .filter(|n| !previous.partitions.iter().any(|p| p.name == n.name))
            .map(|n| n.name.clone())
            .collect();
        if rebound.is_empty() {
            for name in added {
                self.push(Step::CreatePartition {
                    on: OnTable::new(q, &name),
                });
            }
            return;
        }
        let default = previous
            .partitions
            .iter()
            .find(|p| p.bound == Bound::Default && next.partitions.contains(p))
            .map(|p| p.name.clone());
        self.push(Step::RebindPartitions {
            table: q.clone(),
            rebound,
            added,
            default,
        });
    }

    fn triggers_and_policies(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        for c in &previous.triggers {
            let kept = next.triggers.iter().any(|d| d.name == c.name);
            let on_dropped = self.trigger_recreated(q, c);
            if !kept || on_dropped {
                self.push(Step::DropTrigger {
                    on: OnTable::new(q, &c.name),
                });
            }
        }
        for d in &next.triggers {
            let previous_trigger = previous.triggers.iter().find(|c| c.name == d.name);
            let recreated = previous_trigger.is_some_and(|c| self.trigger_recreated(q, c))
                || self.trigger_recreated(q, d);
            let on = OnTable::new(q, &d.name);
            match previous_trigger {
                Some(c) if !recreated => {
                    let same = c.name == d.name
                        && c.timing == d.timing
                        && c.events == d.events
                        && c.update_of == d.update_of
                        && c.level == d.level
                        && c.function == d.function
                        && c.body == d.body
                        && c.args == d.args
                        && c.condition == d.condition;
                    if !same {
                        self.push(Step::ReplaceTrigger { on: on.clone() });
                    }
                    self.comment(
                        Target::Trigger { on },
                        c.comment.as_ref(),
                        d.comment.as_ref(),
                    );
                }
                _ => {
                    self.push(Step::CreateTrigger { on: on.clone() });
                    self.comment(Target::Trigger { on }, None, d.comment.as_ref());
                }
            }
        }
        self.row_level_security(q, previous, next);
        let uses_dropped = |p: &crate::catalog::PolicyDef| {
            let text = format!(
                "{} {}",
                p.using.as_deref().unwrap_or(""),
                p.with_check.as_deref().unwrap_or("")
            );
            // A policy on a column whose type changes blocks the change, too.
            self.uses_retyped(q, &text)
                || references(&text).iter().any(|r| {
                    let schema = r.schema.clone().unwrap_or_else(|| q.schema.clone());
                    self.drops_routine_named(&QName::new(schema, r.name.clone()))
                })
        };
        let mut drops = Vec::new();
        let mut creates = Vec::new();
        for c in &previous.policies {
            if !next.policies.contains(c) || uses_dropped(c) {
                drops.push(c.name.clone());
            }
        }
        for d in &next.policies {
            if !previous.policies.contains(d) || uses_dropped(d) {
                creates.push(d.name.clone());
            }
        }
        for name in drops {
            self.push(Step::DropPolicy {
                on: OnTable::new(q, &name),
            });
        }
        for name in creates {
            self.push(Step::CreatePolicy {
                on: OnTable::new(q, &name),
            });
        }
    }

    /// A trigger whose function is dropped, or that depends on a column whose type
    /// changes (UPDATE OF, WHEN): it goes before and is created again after.
    fn trigger_recreated(&self, q: &QName, t: &crate::catalog::TriggerDef) -> bool {
        t.function
            .as_ref()
            .is_some_and(|f| self.dropped_functions.contains(&RoutineId::no_args(f)))
            || t.update_of
                .iter()
                .any(|c| self.uses_retyped(q, &crate::sql::ident(c)))
            || t.condition
                .as_deref()
                .is_some_and(|w| self.uses_retyped(q, w))
    }

    fn row_level_security(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        if previous.rls_enabled != next.rls_enabled {
            self.push(Step::SetRowLevelSecurity {
                table: q.clone(),
                switch: if next.rls_enabled {
                    RlsSwitch::Enable
                } else {
                    RlsSwitch::Disable
                },
            });
        }
        if previous.rls_forced != next.rls_forced {
            self.push(Step::SetRowLevelSecurity {
                table: q.clone(),
                switch: if next.rls_forced {
                    RlsSwitch::Force
                } else {
                    RlsSwitch::NoForce
                },
            });
        }
    }

    /// Serial columns' sequences: a grantee that may insert needs USAGE to call
    /// nextval(); identity columns need nothing.
    fn sequence_grants(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        for c in next.columns.iter().filter(|c| c.serial.is_some()) {
            let target = Target::Sequence {
                name: QName::new(&q.schema, format!("{}_{}_seq", q.name, c.name)),
            };
            let had_serial = previous.column(&c.name).is_some_and(|p| p.serial.is_some());
            let before = if had_serial {
                sequence_usage(previous)
            } else {
                Vec::new()
            };
            self.grants(&target, &before, &sequence_usage(next));
        }
    }
}

/// USAGE on a serial column's sequence for every grantee that may insert.
fn sequence_usage(t: &TableDef) -> Vec<crate::catalog::GrantDef> {
    use schemactl_model::Privilege;
    let mut grantees: Vec<String> = t
        .grants
        .iter()
        .filter(|g| g.columns.is_empty())
        .filter(|g| {
            g.privileges
                .iter()
                .any(|p| matches!(p, Privilege::Insert | Privilege::All))
        })
        .map(|g| g.grantee.clone())
        .collect();
    grantees.sort();
    grantees.dedup();
    grantees
        .into_iter()
        .map(|grantee| crate::catalog::GrantDef {
            grantee,
            privileges: vec![Privilege::Usage],
            columns: Vec::new(),
            with_grant_option: false,
        })
        .collect()
}

pub(super) fn same_index(a: &IndexDef, b: &IndexDef) -> bool {
    a.method == b.method
        && a.keys == b.keys
        && a.unique == b.unique
        && a.predicate == b.predicate
        && a.include == b.include
        && a.with == b.with
        && a.nulls_not_distinct == b.nulls_not_distinct
}
