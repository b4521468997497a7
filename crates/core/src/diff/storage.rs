//! How a table is stored: `UNLOGGED` and its storage parameters.

use super::Differ;
use crate::catalog::{QName, TableDef};
use crate::step::Step;

impl Differ<'_> {
    pub(super) fn storage(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        if previous.unlogged != next.unlogged {
            self.push(Step::SetPersistence {
                table: q.clone(),
                unlogged: next.unlogged,
            });
        }
        if !same_parameters(&previous.with, &next.with) {
            self.push(Step::SetStorageParameters { table: q.clone() });
        }
    }
}

/// The same parameters with the same values, in any order (PostgreSQL keeps them in the
/// order they were last set).
pub(crate) fn same_parameters(a: &[(String, String)], b: &[(String, String)]) -> bool {
    let mut a: Vec<&(String, String)> = a.iter().collect();
    let mut b: Vec<&(String, String)> = b.iter().collect();
    a.sort();
    b.sort();
    a == b
}
