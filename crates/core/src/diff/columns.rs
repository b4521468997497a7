//! Diff of a table's columns: added, renamed, dropped, retyped, nullability, defaults,
//! generation expressions, identity and comments.

use super::Differ;
use crate::catalog::{ColumnDef, QName, TableDef};
use crate::deps;
use crate::step::{ColumnKey, Conversion, Step, Target};

impl Differ<'_> {
    pub(super) fn columns(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        let mut matched: Vec<&str> = Vec::new();
        let regenerated = self.regenerated_columns(q, previous, next);
        for c in &regenerated {
            self.touch_column(q, &c.name);
            self.push(Step::DropColumn {
                table: q.clone(),
                column: c.name.clone(),
            });
        }
        for d in &next.columns {
            let found = self.previous_column(q, previous, &d.name);
            let key = ColumnKey {
                table: q.clone(),
                column: d.name.clone(),
            };
            if let Some(c) = found.filter(|c| regenerated.iter().any(|r| r.name == c.name)) {
                matched.push(c.name.as_str());
                continue;
            }
            let Some(c) = found else {
                self.push(Step::AddColumn {
                    column: key.clone(),
                });
                self.comment(Target::Column { column: key }, None, d.comment.as_ref());
                continue;
            };
            matched.push(c.name.as_str());
            if c.name != d.name {
                self.touch_column(q, &c.name);
                self.push(Step::RenameColumn {
                    table: q.clone(),
                    from: c.name.clone(),
                    to: d.name.clone(),
                });
            }
            self.alter_column(&key, c, d);
        }
        for c in &previous.columns {
            if !matched.contains(&c.name.as_str()) {
                self.touch_column(q, &c.name);
                self.push(Step::DropColumn {
                    table: q.clone(),
                    column: c.name.clone(),
                });
            }
        }
        let added_again: Vec<&ColumnDef> = next
            .columns
            .iter()
            .filter(|d| {
                self.previous_column(q, previous, &d.name)
                    .is_some_and(|c| regenerated.iter().any(|r| r.name == c.name))
            })
            .collect();
        for d in added_again {
            let key = ColumnKey {
                table: q.clone(),
                column: d.name.clone(),
            };
            self.push(Step::AddColumn {
                column: key.clone(),
            });
            self.comment(Target::Column { column: key }, None, d.comment.as_ref());
        }
    }

    /// The column of `previous` that the model's column `name` is: the same name, or the
    /// one it is renamed from.
    fn previous_column<'t>(
        &self,
        q: &QName,
        previous: &'t TableDef,
        name: &str,
    ) -> Option<&'t ColumnDef> {
        let old_name = self.hints.columns.get(&(q.clone(), name.to_string()));
        previous.column(name).or_else(|| {
            old_name
                .and_then(|old| previous.column(old))
                .filter(|_| previous.column(name).is_none())
        })
    }

    /// Generated columns that stay generated but read a column whose type changes:
    /// PostgreSQL refuses the type change while they depend on it, so they are dropped
    /// before it and added again after (their values are computed again).
    fn regenerated_columns<'t>(
        &self,
        q: &QName,
        previous: &'t TableDef,
        next: &TableDef,
    ) -> Vec<&'t ColumnDef> {
        let retyped: Vec<&str> = next
            .columns
            .iter()
            .filter_map(|d| {
                let c = self.previous_column(q, previous, &d.name)?;
                (c.ty != d.ty).then_some(c.name.as_str())
            })
            .collect();
        next.columns
            .iter()
            .filter(|d| d.generated.is_some())
            .filter_map(|d| self.previous_column(q, previous, &d.name))
            .filter(|c| {
                c.generated
                    .as_deref()
                    .is_some_and(|g| retyped.iter().any(|r| deps::may_use_column(g, r)))
            })
            .collect()
    }

    fn alter_column(&mut self, key: &ColumnKey, c: &ColumnDef, d: &ColumnDef) {
        // A new collation is ALTER … TYPE too, with what depends on the column around it.
        let retyped = c.ty != d.ty || c.collation != d.collation;
        if retyped {
            self.touch_column(&key.table, &c.name);
            self.retype(&key.table, &[&c.name, &d.name]);
            if c.default.is_some() && c.serial.is_none() {
                self.push(Step::DropColumnDefault {
                    column: key.clone(),
                });
            }
            let conversion = match self.hints.using.get(&(key.table.clone(), d.name.clone())) {
                Some(expr) => Conversion::Using(expr.clone()),
                None => Conversion::Cast,
            };
            self.push(Step::AlterColumnType {
                column: key.clone(),
                from: c.ty.clone(),
                conversion,
            });
        }
        let default_changed = c.default != d.default || (retyped && c.default.is_some());
        if default_changed && d.serial.is_none() {
            self.push(match d.default {
                Some(_) => Step::SetColumnDefault {
                    column: key.clone(),
                },
                None => Step::DropColumnDefault {
                    column: key.clone(),
                },
            });
        }
        // An identity column is NOT NULL while it is one: its identity goes before NULL is
        // allowed (and comes after NOT NULL is set, below).
        if c.identity.is_some() && d.identity.is_none() {
            self.push(Step::DropIdentity {
                column: key.clone(),
            });
        }
        if c.nullable && !d.nullable {
            self.push(Step::SetNotNull {
                column: key.clone(),
            });
        } else if !c.nullable && d.nullable {
            self.push(Step::DropNotNull {
                column: key.clone(),
            });
        }
        match (&c.generated, &d.generated) {
            (Some(a), Some(b)) if a != b => self.push(Step::SetGenerationExpression {
                column: key.clone(),
            }),
            (Some(_), None) => self.push(Step::DropGenerationExpression {
                column: key.clone(),
            }),
            (None, Some(_)) => {
                // A column cannot become generated in place: dropped and added again.
                self.touch_column(&key.table, &c.name);
                self.push(Step::DropColumn {
                    table: key.table.clone(),
                    column: d.name.clone(),
                });
                self.push(Step::AddColumn {
                    column: key.clone(),
                });
            }
            _ => {}
        }
        match (c.identity, d.identity) {
            (None, Some(_)) => self.push(Step::AddIdentity {
                column: key.clone(),
            }),
            (Some(a), Some(b)) if a != b || c.identity_options != d.identity_options => {
                self.push(Step::AlterIdentity {
                    column: key.clone(),
                })
            }
            _ => {}
        }
        self.comment(
            Target::Column {
                column: key.clone(),
            },
            c.comment.as_ref(),
            d.comment.as_ref(),
        );
    }
}
