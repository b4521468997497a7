//! Owners: `ALTER … OWNER TO` for an object whose owner changes, and for one the plan
//! creates (again) that has an owner of its own, before the plan or after it: the admin
//! creates such an object (see the PostgreSQL renderer) and hands it over here, in the
//! Access phase, after the schema grants: a role that takes an object over must be able
//! to create in its schema, unless the admin is a superuser.

use super::Differ;
use crate::catalog::QName;
use crate::step::{Step, Target};

impl Differ<'_> {
    pub(super) fn owners(&mut self) {
        let mut changed = Vec::new();
        let types = self.owner_pairs(|c| &c.enums, |d| &d.owner, type_target);
        changed.extend(types);
        changed.extend(self.owner_pairs(|c| &c.domains, |d| &d.owner, type_target));
        changed.extend(self.owner_pairs(|c| &c.composite_types, |d| &d.owner, type_target));
        changed.extend(self.owner_pairs(
            |c| &c.sequences,
            |d| &d.owner,
            |q| Target::Sequence { name: q.clone() },
        ));
        changed.extend(self.owner_pairs(
            |c| &c.tables,
            |d| &d.owner,
            |q| Target::Table { name: q.clone() },
        ));
        changed.extend(self.owner_pairs(
            |c| &c.views,
            |d| &d.owner,
            |q| Target::View { name: q.clone() },
        ));
        changed.extend(self.owner_pairs(
            |c| &c.functions,
            |d| &d.owner,
            |q| Target::Function { name: q.clone() },
        ));
        for target in changed {
            // A materialized view says so in its ALTER.
            let target = match target {
                Target::View { name }
                    if self.next.views.get(&name).is_some_and(|v| v.materialized) =>
                {
                    Target::MaterializedView { name }
                }
                other => other,
            };
            // A sequence a column owns has its table's owner: the table's ALTER moves it
            // (PostgreSQL refuses an ALTER of the sequence itself).
            if let Target::Sequence { name } = &target
                && self
                    .next
                    .sequences
                    .get(name)
                    .is_some_and(|s| s.owned_by.is_some())
            {
                continue;
            }
            self.push(Step::AlterOwner { target });
        }
    }

    /// Objects of the next catalog whose owner changes, or which the plan creates and
    /// which have an owner of their own on either side, as targets. `None` stands for the
    /// database owner on each side: the previous catalog's, and the next one's (the
    /// previous one's when the model names none).
    fn owner_pairs<D>(
        &self,
        map: impl Fn(&crate::catalog::Catalog) -> &std::collections::BTreeMap<QName, D>,
        owner: impl Fn(&D) -> &Option<String>,
        target: impl Fn(&QName) -> Target,
    ) -> Vec<Target> {
        let database_before = self.previous.database.owner.as_ref();
        let database_after = self.next.database.owner.as_ref().or(database_before);
        let previous = map(self.previous);
        map(self.next)
            .iter()
            .filter_map(|(q, next)| {
                let Some(before) = previous.get(q).map(&owner) else {
                    // New: created by the admin when it has an owner of its own.
                    return owner(next).is_some().then(|| target(q));
                };
                let after = owner(next);
                let changed =
                    before.as_ref().or(database_before) != after.as_ref().or(database_after);
                // Created again by this plan, by the admin, when it has an owner of its
                // own on either side (asked last: it reads every step).
                let recreated = (before.is_some() || after.is_some()) && self.creates(&target(q));
                (changed || recreated).then(|| target(q))
            })
            .collect()
    }

    /// Whether the plan creates the target's object anew (for a table: or one of its
    /// partitions, which `ALTER TABLE … OWNER` does not reach, so the step names them).
    fn creates(&self, target: &Target) -> bool {
        self.steps.iter().any(|step| match (step, target) {
            (
                Step::CreateTable { name }
                | Step::RebuildTable { name, .. }
                | Step::RebindPartitions { table: name, .. },
                Target::Table { name: t },
            ) => name == t,
            (Step::CreatePartition { on }, Target::Table { name: t }) => on.table == *t,
            (
                Step::CreateView { name },
                Target::View { name: t } | Target::MaterializedView { name: t },
            ) => name == t,
            (Step::CreateFunction { name }, Target::Function { name: t }) => name == t,
            (Step::CreateSequence { name }, Target::Sequence { name: t }) => name == t,
            (
                Step::CreateEnum { name }
                | Step::CreateReplacementEnum { name }
                | Step::CreateDomain { name }
                | Step::CreateCompositeType { name },
                Target::Type { name: t },
            ) => name == t,
            _ => false,
        })
    }
}

fn type_target(q: &QName) -> Target {
    Target::Type { name: q.clone() }
}
