//! Grants, default privileges and comments: what the other diffs attach to objects.

use std::collections::{BTreeMap, BTreeSet};

use schemactl_model::Privilege;

use super::Differ;
use crate::catalog::GrantDef;
use crate::step::{Step, Target};

impl Differ<'_> {
    /// A comment step when the comment changed.
    pub(super) fn comment(
        &mut self,
        target: Target,
        previous: Option<&String>,
        next: Option<&String>,
    ) {
        if previous != next {
            self.push(Step::SetComment {
                target,
                comment: next.cloned(),
            });
        }
    }

    /// GRANTs and REVOKEs that take `previous` to `next` on `target`, privilege by
    /// privilege, regrouped per grantee. A grant of ALL is expanded against what the
    /// object kind has, so that revoking one privilege keeps the others.
    ///
    /// Revokes come first: a REVOKE also takes the privilege from every column and takes
    /// its grant option, so whatever a grantee keeps of a revoked privilege (on columns,
    /// or the privilege itself without or with the grant option) is granted again after.
    pub(super) fn grants(&mut self, target: &Target, previous: &[GrantDef], next: &[GrantDef]) {
        let had = expand(previous, target);
        let wants = expand(next, target);
        let removed: BTreeSet<&GrantKey> = had.difference(&wants).collect();
        let touched: BTreeSet<(&String, Privilege)> = removed.iter().map(|k| (&k.0, k.3)).collect();
        for grant in regroup(removed.iter().copied()) {
            self.push(Step::Revoke {
                target: target.clone(),
                grant,
            });
        }
        let granted = wants
            .iter()
            .filter(|k| !had.contains(*k) || touched.contains(&(&k.0, k.3)));
        for grant in regroup(granted) {
            self.push(Step::Grant {
                target: target.clone(),
                grant,
            });
        }
    }

    /// A function's grants. A function nobody was granted anything on is executable by
    /// PUBLIC (the model says no grants); one with grants is not. So grants that appear
    /// revoke PUBLIC's EXECUTE, and grants that all go give it back.
    pub(super) fn function_grants(
        &mut self,
        target: &Target,
        previous: &[GrantDef],
        next: &[GrantDef],
    ) {
        let effective = |grants: &[GrantDef]| {
            if grants.is_empty() {
                vec![GrantDef {
                    grantee: "public".to_string(),
                    privileges: vec![Privilege::Execute],
                    columns: Vec::new(),
                    with_grant_option: false,
                }]
            } else {
                grants.to_vec()
            }
        };
        self.grants(target, &effective(previous), &effective(next));
    }

    pub(super) fn default_privileges(&mut self) {
        for (name, schema) in &self.next.schemas {
            let previous = self
                .previous
                .schemas
                .get(name)
                .map(|s| s.default_privileges.clone())
                .unwrap_or_default();
            let had: BTreeSet<_> = previous.iter().collect();
            let wants: BTreeSet<_> = schema.default_privileges.iter().collect();
            for dp in wants.difference(&had) {
                self.push(Step::GrantDefaultPrivileges {
                    schema: name.clone(),
                    privileges: (*dp).clone(),
                });
            }
            for dp in had.difference(&wants) {
                self.push(Step::RevokeDefaultPrivileges {
                    schema: name.clone(),
                    privileges: (*dp).clone(),
                });
            }
        }
    }
}

/// One privilege of one grantee (on some columns, or the whole object when empty).
type GrantKey = (String, Vec<String>, bool, Privilege);

fn expand(grants: &[GrantDef], target: &Target) -> BTreeSet<GrantKey> {
    let mut out = BTreeSet::new();
    for g in grants {
        let mut columns = g.columns.clone();
        columns.sort();
        for p in &g.privileges {
            let privileges = match p {
                Privilege::All => all_privileges(target),
                other => vec![*other],
            };
            for privilege in privileges {
                out.insert((
                    g.grantee.clone(),
                    columns.clone(),
                    g.with_grant_option,
                    privilege,
                ));
            }
        }
    }
    out
}

/// What `ALL` stands for on each kind of object.
fn all_privileges(target: &Target) -> Vec<Privilege> {
    use Privilege::*;
    match target {
        Target::Schema { .. } => vec![Usage, Create],
        // MAINTAIN exists since PostgreSQL 17; live catalogs read a complete set as ALL.
        Target::Table { .. } | Target::View { .. } | Target::MaterializedView { .. } => {
            vec![
                Select, Insert, Update, Delete, Truncate, References, Trigger, Maintain,
            ]
        }
        Target::Column { .. } | Target::ViewColumn { .. } => {
            vec![Select, Insert, Update, References]
        }
        Target::Function { .. } => vec![Execute],
        Target::Sequence { .. } => vec![Usage, Select, Update],
        Target::Type { .. } => vec![Usage],
        Target::Index { .. } | Target::Trigger { .. } => vec![All],
    }
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
