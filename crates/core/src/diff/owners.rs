//! Owners: `ALTER … OWNER TO` for an object whose owner changes, and for one the plan
//! creates (again) that has an owner of its own, before the plan or after it: the admin
//! creates such an object (see the PostgreSQL renderer) and hands it over here, in the
//! Access phase, after the schema grants: a role that takes an object over must be able
//! to create in its schema, unless the admin is a superuser.

use super::Differ;
use crate::catalog::{CatalogKey, OwnedKind, RoutineId};
use crate::step::{Step, Target};

impl Differ<'_> {
    pub(super) fn owners(&mut self) {
        for target in self.owner_changes() {
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
    fn owner_changes(&self) -> Vec<Target> {
        let database_before = self.previous.database.owner.as_ref();
        let database_after = self.next.database.owner.as_ref().or(database_before);
        let mut out = Vec::new();
        for kind in OwnedKind::ALL {
            for (key, after) in self.next.owners(kind) {
                let target = self.target(kind, key);
                let Some(before) = self.previous.owner(kind, key) else {
                    // New: created by the admin when it has an owner of its own.
                    if after.is_some() {
                        out.push(target);
                    }
                    continue;
                };
                let changed =
                    before.as_ref().or(database_before) != after.as_ref().or(database_after);
                // Created again by this plan, by the admin, when it has an owner of its
                // own on either side (asked last: it reads every step).
                let recreated = (before.is_some() || after.is_some()) && self.creates(&target);
                if changed || recreated {
                    out.push(target);
                }
            }
        }
        out
    }

    /// What an `ALTER … OWNER` names: a materialized view says so.
    fn target(&self, kind: OwnedKind, key: CatalogKey<'_>) -> Target {
        let q = match key {
            CatalogKey::Routine(id) => return Target::Function { name: id.clone() },
            CatalogKey::Name(q) => q,
        };
        let name = q.clone();
        match kind {
            OwnedKind::Enum | OwnedKind::Domain | OwnedKind::CompositeType => Target::Type { name },
            OwnedKind::Sequence => Target::Sequence { name },
            OwnedKind::Table => Target::Table { name },
            OwnedKind::View if self.next.views.get(q).is_some_and(|v| v.materialized) => {
                Target::MaterializedView { name }
            }
            OwnedKind::View => Target::View { name },
            // The catalog keys routines by identity (above); a bare name is the routine
            // without arguments.
            OwnedKind::Function => Target::Function {
                name: RoutineId::no_args(q),
            },
        }
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
