//! Diff of a table's columns: added, renamed, dropped, retyped, nullability, defaults,
//! generation expressions, identity and comments.

use super::tables::{rename_not_null, truncate_identifier};
use super::{Change, Differ, Hazard};
use crate::catalog::{ColumnDef, QName, TableDef};
use crate::model::Identity;
use crate::render::statements::{column_sql, comment_sql};
use crate::sql::ident;

impl Differ<'_> {
    pub(super) fn columns(&mut self, q: &QName, current: &TableDef, desired: &TableDef) {
        let table = q.sql();
        let mut matched: Vec<&str> = Vec::new();
        for d in &desired.columns {
            let old_name = self.hints.columns.get(&(q.clone(), d.name.clone()));
            let found = current.column(&d.name).or_else(|| {
                old_name
                    .and_then(|old| current.column(old))
                    .filter(|_| current.column(&d.name).is_none())
            });
            let Some(c) = found else {
                let mut change = Change::new(
                    format!("add column {q}.{}", d.name),
                    format!("ALTER TABLE {table} ADD COLUMN {}", column_sql(d)),
                );
                if d.generated.is_some() || d.default.as_deref().is_some_and(is_volatile) {
                    change = change
                        .hazard(Hazard::TableRewrite)
                        .hazard(Hazard::AccessExclusiveLock);
                }
                self.phases.tables.push(change);
                if let Some(comment) = &d.comment {
                    self.phases.access.push(Change::new(
                        format!("comment on column {q}.{}", d.name),
                        comment_sql(&format!("COLUMN {table}.{}", ident(&d.name)), Some(comment)),
                    ));
                }
                continue;
            };
            matched.push(c.name.as_str());
            if c.name != d.name {
                self.touched_tables.insert(q.clone());
                self.phases.tables.push(Change::new(
                    format!("rename column {q}.{} to {}", c.name, d.name),
                    format!(
                        "ALTER TABLE {table} RENAME COLUMN {} TO {}",
                        ident(&c.name),
                        ident(&d.name)
                    ),
                ));
                if !c.nullable {
                    self.phases
                        .tables
                        .push(rename_not_null(q, &q.name, &q.name, &c.name, &d.name));
                }
            }
            self.alter_column(q, c, d);
        }
        for c in &current.columns {
            if !matched.contains(&c.name.as_str()) {
                self.touched_tables.insert(q.clone());
                self.phases.tables.push(
                    Change::new(
                        format!("drop column {q}.{}", c.name),
                        format!("ALTER TABLE {table} DROP COLUMN {}", ident(&c.name)),
                    )
                    .hazard(Hazard::DataLoss),
                );
            }
        }
    }

    fn alter_column(&mut self, q: &QName, c: &ColumnDef, d: &ColumnDef) {
        let table = q.sql();
        let col = ident(&d.name);
        let at = format!("{q}.{}", d.name);
        let retyped = c.ty != d.ty;
        if retyped {
            self.touched_tables.insert(q.clone());
            if c.default.is_some() && c.serial.is_none() {
                self.phases.tables.push(Change::new(
                    format!("drop default of {at} for the type change"),
                    format!("ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"),
                ));
            }
            let using = self
                .desired_using(q, &d.name)
                .unwrap_or_else(|| format!("{col}::{}", d.ty));
            let mut change = Change::new(
                format!("change type of {at} from {} to {}", c.ty, d.ty),
                format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} TYPE {} USING {using}",
                    d.ty
                ),
            );
            if !is_binary_widening(&c.ty, &d.ty) {
                change = change
                    .hazard(Hazard::TableRewrite)
                    .hazard(Hazard::AccessExclusiveLock);
            }
            self.phases.tables.push(change);
        }
        if (c.default != d.default || (retyped && c.default.is_some())) && d.serial.is_none() {
            let sql = match &d.default {
                Some(expr) => format!("ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {expr}"),
                None => format!("ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"),
            };
            self.phases
                .tables
                .push(Change::new(format!("default of {at}"), sql));
        }
        if c.nullable && !d.nullable {
            // A validated CHECK lets SET NOT NULL skip its full-table scan under lock.
            // Not `<table>_<column>_not_null`: PostgreSQL 18 names its own NOT NULL
            // constraints that way, and SET NOT NULL must be free to take the name.
            let check = ident(&truncate_identifier(format!(
                "schemactl_not_null_{}",
                d.name
            )));
            self.phases.tables.push(Change::new(
                format!("require {at} (check added NOT VALID)"),
                format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID"
                ),
            ));
            self.phases.tables.push(Change::new(
                format!("validate that {at} has no NULLs"),
                format!("ALTER TABLE {table} VALIDATE CONSTRAINT {check}"),
            ));
            self.phases.tables.push(Change::new(
                format!("set {at} NOT NULL"),
                format!("ALTER TABLE {table} ALTER COLUMN {col} SET NOT NULL"),
            ));
            self.phases.tables.push(Change::new(
                format!("drop the helper check of {at}"),
                format!("ALTER TABLE {table} DROP CONSTRAINT {check}"),
            ));
        } else if !c.nullable && d.nullable {
            self.phases.tables.push(Change::new(
                format!("allow NULL in {at}"),
                format!("ALTER TABLE {table} ALTER COLUMN {col} DROP NOT NULL"),
            ));
        }
        match (&c.generated, &d.generated) {
            (Some(a), Some(b)) if a != b => self.phases.tables.push(
                Change::new(
                    format!("new generation expression for {at}"),
                    format!("ALTER TABLE {table} ALTER COLUMN {col} SET EXPRESSION AS ({b})"),
                )
                .hazard(Hazard::TableRewrite)
                .hazard(Hazard::AccessExclusiveLock),
            ),
            (Some(_), None) => self.phases.tables.push(Change::new(
                format!("{at} is no longer generated"),
                format!("ALTER TABLE {table} ALTER COLUMN {col} DROP EXPRESSION"),
            )),
            (None, Some(b)) => {
                self.touched_tables.insert(q.clone());
                self.phases.tables.push(
                    Change::new(
                        format!("drop {at} to add it as generated"),
                        format!("ALTER TABLE {table} DROP COLUMN {col}"),
                    )
                    .hazard(Hazard::DataLoss),
                );
                self.phases.tables.push(
                    Change::new(
                        format!("add {at} as generated from {b}"),
                        format!("ALTER TABLE {table} ADD COLUMN {}", column_sql(d)),
                    )
                    .hazard(Hazard::TableRewrite)
                    .hazard(Hazard::AccessExclusiveLock),
                );
            }
            _ => {}
        }
        match (c.identity, d.identity) {
            (None, Some(kind)) => self.phases.tables.push(Change::new(
                format!("make {at} an identity column"),
                format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} ADD {} AS IDENTITY",
                    identity_sql(kind)
                ),
            )),
            (Some(_), None) => self.phases.tables.push(Change::new(
                format!("{at} is no longer an identity column"),
                format!("ALTER TABLE {table} ALTER COLUMN {col} DROP IDENTITY"),
            )),
            (Some(a), Some(b)) if a != b => self.phases.tables.push(Change::new(
                format!("identity kind of {at}"),
                format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} SET {}",
                    identity_sql(b)
                ),
            )),
            _ => {}
        }
        if c.comment != d.comment {
            self.phases.access.push(Change::new(
                format!("comment on column {at}"),
                comment_sql(&format!("COLUMN {table}.{col}"), d.comment.as_deref()),
            ));
        }
    }

    fn desired_using(&self, q: &QName, column: &str) -> Option<String> {
        self.hints
            .using
            .get(&(q.clone(), column.to_string()))
            .map(|u| format!("({u})"))
    }
}

fn identity_sql(kind: Identity) -> &'static str {
    match kind {
        Identity::Always => "GENERATED ALWAYS",
        Identity::ByDefault => "GENERATED BY DEFAULT",
    }
}

/// Type changes PostgreSQL makes without rewriting the table.
fn is_binary_widening(from: &str, to: &str) -> bool {
    let varchar_len = |t: &str| {
        t.strip_prefix("character varying(")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|n| n.parse::<u32>().ok())
    };
    match (varchar_len(from), varchar_len(to)) {
        (Some(a), Some(b)) => b >= a,
        (Some(_), None) => to == "text" || to == "character varying",
        _ => from == "character varying" && to == "text",
    }
}

/// Defaults evaluated per row force a rewrite when a column is added.
fn is_volatile(expr: &str) -> bool {
    let lower = expr.to_ascii_lowercase();
    [
        "random(",
        "gen_random_uuid(",
        "clock_timestamp(",
        "nextval(",
        "uuidv7(",
    ]
    .iter()
    .any(|f| lower.contains(f))
}
