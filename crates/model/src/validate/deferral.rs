//! `initially_deferred` on foreign keys: only on a deferrable one (PostgreSQL's rule), and
//! not on SQLite, whose `deferrable` already means INITIALLY DEFERRED.

use super::Validator;
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::{Table, Target};

impl Validator<'_> {
    pub(super) fn deferral(&mut self, schema_name: &str, table_name: &str, table: &Table) {
        let at = pointer(["schemas", schema_name, "tables", table_name]);
        let mut keys: Vec<(String, bool, bool)> = Vec::new();
        for (name, column) in &table.columns {
            if let Some(r) = &column.references {
                let at = format!("{at}/columns/{name}/references");
                keys.push((at, r.deferrable, r.initially_deferred));
            }
        }
        for (name, fk) in &table.foreign_keys {
            let at = format!("{at}/foreign_keys/{name}");
            keys.push((at, fk.deferrable, fk.initially_deferred));
        }
        let sqlite = self.model.database.target == Target::Sqlite;
        for (at, deferrable, initially_deferred) in keys {
            if !initially_deferred {
                continue;
            }
            if sqlite {
                self.error(
                    Diagnostic::new(
                        format!("{at}/initially_deferred"),
                        "SQLite models write `deferrable` alone",
                    )
                    .with_hint(
                        "in SQLite, `deferrable: true` is already DEFERRABLE INITIALLY DEFERRED",
                    ),
                );
            } else if !deferrable {
                self.error(
                    Diagnostic::new(
                        format!("{at}/initially_deferred"),
                        "a foreign key that is not deferrable cannot be initially deferred",
                    )
                    .with_hint("add `deferrable: true`"),
                );
            }
        }
    }
}
