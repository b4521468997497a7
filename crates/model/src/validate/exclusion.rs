//! Exclusion constraints: elements that resolve (one of column and expression, a known
//! column, an operator), an access method that can enforce one, `initially_deferred` only
//! with `deferrable`, the partition key compared with `=` on a partitioned table, and
//! only on PostgreSQL.

use super::Validator;
use crate::diag::Diagnostic;
use crate::load::{escape_pointer, pointer};
use crate::{Exclusion, IndexMethod, Table, Target};

impl Validator<'_> {
    pub(super) fn exclusions(&mut self, schema_name: &str, table_name: &str, table: &Table) {
        let table_at = pointer(["schemas", schema_name, "tables", table_name]);
        for (name, exclusion) in &table.exclusions {
            let at = format!("{table_at}/exclusions/{}", escape_pointer(name));
            self.identifier(&at, name, true);
            let flavour = match self.model.database.target {
                Target::Sqlite => Some("SQLite"),
                Target::Duckdb => Some("DuckDB"),
                _ => None,
            };
            if let Some(flavour) = flavour {
                self.error(
                    Diagnostic::at_key(
                        at.clone(),
                        format!("{flavour} has no exclusion constraints (`{name}`)"),
                    )
                    .with_hint("exclusion constraints are PostgreSQL's; remove `exclusions`"),
                );
                continue;
            }
            if !matches!(
                exclusion.using,
                IndexMethod::Gist | IndexMethod::Spgist | IndexMethod::Btree | IndexMethod::Hash
            ) {
                self.error(
                    Diagnostic::new(
                        format!("{at}/using"),
                        format!(
                            "exclusion constraint `{name}` cannot use `{}`",
                            exclusion.using.sql()
                        ),
                    )
                    .with_hint("an exclusion constraint uses gist, spgist, btree or hash"),
                );
            }
            if exclusion.elements.is_empty() {
                self.error(Diagnostic::at_key(
                    at.clone(),
                    format!("exclusion constraint `{name}` has no `elements`"),
                ));
            }
            for (i, element) in exclusion.elements.iter().enumerate() {
                let element_at = format!("{at}/elements/{i}");
                match (&element.column, &element.expression) {
                    (Some(_), Some(_)) | (None, None) => self.error(Diagnostic::new(
                        element_at.clone(),
                        format!(
                            "exclusion constraint `{name}`: give exactly one of `column` and `expression`"
                        ),
                    )),
                    (Some(column), None) if !table.columns.contains_key(column) => {
                        self.unknown_column(
                            &format!("{element_at}/column"),
                            table_name,
                            table,
                            column,
                        );
                    }
                    _ => {}
                }
                if element.with.trim().is_empty() {
                    self.error(
                        Diagnostic::new(
                            format!("{element_at}/with"),
                            format!("exclusion constraint `{name}`: an element needs an operator"),
                        )
                        .with_hint("e.g. `with: \"=\"` or `with: \"&&\"`"),
                    );
                }
            }
            self.column_list(
                &format!("{at}/include"),
                table_name,
                table,
                &exclusion.include,
            );
            self.partition_key_compared(&at, name, table_name, table, exclusion);
            if exclusion.initially_deferred && !exclusion.deferrable {
                self.error(
                    Diagnostic::new(
                        format!("{at}/initially_deferred"),
                        "an exclusion constraint that is not deferrable cannot be initially deferred",
                    )
                    .with_hint("add `deferrable: true`"),
                );
            }
        }
    }

    /// PostgreSQL's rule for a partitioned table: every partition key column is an
    /// element compared with `=`, so that each partition can enforce the constraint alone.
    fn partition_key_compared(
        &mut self,
        at: &str,
        name: &str,
        table_name: &str,
        table: &Table,
        exclusion: &Exclusion,
    ) {
        let Some(by) = &table.partition_by else {
            return;
        };
        let missing: Vec<&str> = by
            .columns()
            .iter()
            .filter(|key| {
                !exclusion
                    .elements
                    .iter()
                    .any(|e| e.column.as_deref() == Some(key.as_str()) && e.with.trim() == "=")
            })
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            self.error(
                Diagnostic::at_key(
                    at,
                    format!(
                        "exclusion constraint `{name}` on partitioned table `{table_name}` must compare the partition key with `=` ({})",
                        missing.join(", ")
                    ),
                )
                .with_hint("add `{ column: KEY, with: \"=\" }` for each partition key column"),
            );
        }
    }
}
