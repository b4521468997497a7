//! Deferred checking: `initially_deferred` only where `deferrable` is (PostgreSQL's rule),
//! not on SQLite foreign keys, whose `deferrable` already means INITIALLY DEFERRED, no
//! deferrable key or unique constraint on SQLite and DuckDB, and no foreign key to a key
//! that is only deferrable (PostgreSQL refuses to reference one).

use std::collections::BTreeSet;

use super::{Validator, split_qualified};
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::{Table, Target};

impl Validator<'_> {
    pub(super) fn deferral(&mut self, schema_name: &str, table_name: &str, table: &Table) {
        let at = pointer(["schemas", schema_name, "tables", table_name]);
        self.foreign_key_deferral(&at, table);
        self.key_deferral(&at, table);
        self.references_to_deferrable_keys(&at, schema_name, table);
    }

    fn foreign_key_deferral(&mut self, at: &str, table: &Table) {
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

    /// The primary key's and unique constraints' `deferrable` / `initially_deferred`.
    fn key_deferral(&mut self, at: &str, table: &Table) {
        let mut keys = vec![(
            format!("{at}/primary_key_deferrable"),
            format!("{at}/primary_key_initially_deferred"),
            table.primary_key_deferrable,
            table.primary_key_initially_deferred,
        )];
        for (name, unique) in &table.unique {
            let at = format!("{at}/unique/{}", crate::load::escape_pointer(name));
            keys.push((
                format!("{at}/deferrable"),
                format!("{at}/initially_deferred"),
                unique.deferrable(),
                unique.initially_deferred(),
            ));
        }
        let flavour = match self.model.database.target {
            Target::Sqlite => Some("SQLite"),
            Target::Duckdb => Some("DuckDB"),
            _ => None,
        };
        for (deferrable_at, deferred_at, deferrable, initially_deferred) in keys {
            if let Some(flavour) = flavour.filter(|_| deferrable || initially_deferred) {
                let at = if deferrable {
                    deferrable_at
                } else {
                    deferred_at
                };
                self.error(
                    Diagnostic::new(
                        at,
                        format!("{flavour} checks keys and unique constraints at once"),
                    )
                    .with_hint("remove `deferrable` and `initially_deferred`"),
                );
            } else if initially_deferred && !deferrable {
                self.error(
                    Diagnostic::new(
                        deferred_at,
                        "a key that is not deferrable cannot be initially deferred",
                    )
                    .with_hint("add `deferrable: true` (or `primary_key_deferrable: true`)"),
                );
            }
        }
    }

    /// A foreign key needs a key of the referenced columns that is checked at once.
    fn references_to_deferrable_keys(&mut self, at: &str, schema_name: &str, table: &Table) {
        // (where, schema, table, referenced columns: empty for the primary key)
        let mut references: Vec<(String, &str, &str, Vec<String>)> = Vec::new();
        for (name, column) in &table.columns {
            if let Some(r) = &column.references {
                let schema = r.schema.as_deref().unwrap_or(schema_name);
                let columns = r.column.iter().cloned().collect();
                let at = format!("{at}/columns/{name}/references");
                references.push((at, schema, r.table.as_str(), columns));
            }
        }
        for (name, fk) in &table.foreign_keys {
            let (schema, target) = split_qualified(&fk.references, schema_name);
            let at = format!("{at}/foreign_keys/{name}/references");
            references.push((at, schema, target, fk.referenced_columns.clone()));
        }
        for (at, schema, target, columns) in references {
            let Some(referenced) = self
                .model
                .schemas
                .get(schema)
                .and_then(|s| s.tables.get(target))
            else {
                continue; // reported where the reference is checked
            };
            let pk = referenced.primary_key_columns();
            let wanted: BTreeSet<&String> = if columns.is_empty() {
                pk.iter().collect()
            } else {
                columns.iter().collect()
            };
            // Every key over exactly these columns, with whether it is deferrable.
            let mut keys: Vec<bool> = Vec::new();
            if pk.iter().collect::<BTreeSet<_>>() == wanted {
                keys.push(referenced.primary_key_deferrable);
            }
            for (name, column) in &referenced.columns {
                if column.unique && wanted.len() == 1 && wanted.contains(name) {
                    keys.push(false);
                }
            }
            for unique in referenced.unique.values() {
                if unique.columns().iter().collect::<BTreeSet<_>>() == wanted {
                    keys.push(unique.deferrable());
                }
            }
            if !keys.is_empty() && keys.iter().all(|deferrable| *deferrable) {
                self.error(
                    Diagnostic::new(
                        at,
                        format!(
                            "foreign key references `{schema}.{target}` through a deferrable key"
                        ),
                    )
                    .with_hint(
                        "PostgreSQL cannot reference a deferrable primary key or unique \
                         constraint: make that key not deferrable, or add a unique \
                         constraint over the same columns that is not",
                    ),
                );
            }
        }
    }
}
