//! Diff of a table's columns: added, renamed, dropped, retyped, nullability, defaults,
//! generation expressions, identity and comments.

use super::Differ;
use crate::catalog::{ColumnDef, QName, TableDef};
use crate::step::{ColumnKey, Conversion, Step, Target};

impl Differ<'_> {
    pub(super) fn columns(&mut self, q: &QName, previous: &TableDef, next: &TableDef) {
        let mut matched: Vec<&str> = Vec::new();
        for d in &next.columns {
            let old_name = self.hints.columns.get(&(q.clone(), d.name.clone()));
            let found = previous.column(&d.name).or_else(|| {
                old_name
                    .and_then(|old| previous.column(old))
                    .filter(|_| previous.column(&d.name).is_none())
            });
            let key = ColumnKey {
                table: q.clone(),
                column: d.name.clone(),
            };
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
    }

    fn alter_column(&mut self, key: &ColumnKey, c: &ColumnDef, d: &ColumnDef) {
        let retyped = c.ty != d.ty;
        if retyped {
            self.touch_column(&key.table, &c.name);
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
            (Some(_), None) => self.push(Step::DropIdentity {
                column: key.clone(),
            }),
            (Some(a), Some(b)) if a != b => self.push(Step::AlterIdentity {
                column: key.clone(),
            }),
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
