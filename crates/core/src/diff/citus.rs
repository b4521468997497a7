//! Citus distributions: what is undistributed, distributed or redistributed, in the
//! order Citus needs (see [`Phase::Distribution`](crate::step::Phase::Distribution)).
//! A table the plan drops needs nothing: `DROP TABLE` removes its shards.

use crate::catalog::Distribution;
use crate::step::Step;

use super::Differ;

impl Differ<'_> {
    pub(crate) fn citus(&mut self) {
        let (previous, next) = (self.previous, self.next);
        for (name, schema) in &previous.schemas {
            if schema.distributed && next.schemas.get(name).is_some_and(|s| !s.distributed) {
                self.push(Step::UndistributeSchema { name: name.clone() });
            }
        }
        for (table, def) in &previous.tables {
            let (Some(was), Some(now)) = (&def.citus, next.tables.get(table)) else {
                continue;
            };
            let same_kind = matches!(
                (was, &now.citus),
                (Distribution::Hash { .. }, Some(Distribution::Hash { .. }))
                    | (Distribution::Reference, Some(Distribution::Reference))
            );
            if !same_kind {
                self.push(Step::UndistributeTable {
                    table: table.clone(),
                });
            }
        }
        for (name, schema) in &next.schemas {
            let was = previous.schemas.get(name).is_some_and(|s| s.distributed);
            if schema.distributed && !was {
                self.push(Step::DistributeSchema { name: name.clone() });
            }
        }
        let (mut references, mut heads, mut members, mut altered) =
            (vec![], vec![], vec![], vec![]);
        for (table, def) in &next.tables {
            let Some(want) = &def.citus else { continue };
            let was = previous.tables.get(table).and_then(|t| t.citus.as_ref());
            match (was, want) {
                (Some(was), want) if was.matches(want) => {}
                (Some(Distribution::Hash { .. }), Distribution::Hash { .. }) => {
                    altered.push(table.clone());
                }
                (_, Distribution::Reference) => references.push(table.clone()),
                (
                    _,
                    Distribution::Hash {
                        colocate_with: None,
                        ..
                    },
                ) => heads.push(table.clone()),
                (_, Distribution::Hash { .. }) => members.push(table.clone()),
            }
        }
        for table in references.into_iter().chain(heads).chain(members) {
            self.push(Step::DistributeTable { table });
        }
        for table in altered {
            self.push(Step::AlterDistribution { table });
        }
    }
}
