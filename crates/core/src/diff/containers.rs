//! Roles, extensions, schemas and enum types: what the rest is created in or with.

use std::collections::BTreeSet;

use super::Differ;
use crate::catalog::{QName, RoleDef};
use crate::step::{ColumnKey, Conversion, EnumPosition, Step, Target};

impl Differ<'_> {
    pub(super) fn roles(&mut self) {
        for (name, role) in &self.next.roles {
            match self.previous.roles.get(name) {
                None => self.push(Step::CreateRole { role: name.clone() }),
                Some(p) if !same_attributes(p, role) => {
                    self.push(Step::AlterRole { role: name.clone() })
                }
                Some(_) => {}
            }
        }
        // Once every role exists: a role may be a member of one that sorts after it.
        for (name, role) in &self.next.roles {
            let previous = self.previous.roles.get(name);
            let had: BTreeSet<&String> = previous
                .map(|p| p.member_of.iter().collect())
                .unwrap_or_default();
            for parent in &role.member_of {
                if !had.contains(parent) {
                    self.push(Step::GrantMembership {
                        role: name.clone(),
                        parent: parent.clone(),
                    });
                }
            }
        }
        // Only a model that owns the cluster's roles drops the ones it does not declare;
        // roles the catalog merely mentions (owners, grantees) are someone else's.
        if !self.hints.exclusive_roles {
            return;
        }
        for name in self.previous.roles.keys() {
            if !self.next.roles.contains_key(name)
                && !self.previous.protected_roles.contains(name)
                && !name.starts_with("pg_")
            {
                self.push(Step::DropRole { role: name.clone() });
            }
        }
    }

    /// Memberships the model no longer lists, revoked once grants that relied on them are
    /// settled.
    pub(super) fn memberships_revoked(&mut self) {
        for (name, role) in &self.next.roles {
            let Some(previous) = self.previous.roles.get(name) else {
                continue;
            };
            for parent in &previous.member_of {
                if !role.member_of.contains(parent) {
                    self.push(Step::RevokeMembership {
                        role: name.clone(),
                        parent: parent.clone(),
                    });
                }
            }
        }
    }

    pub(super) fn extensions(&mut self) {
        for ext in &self.next.extensions {
            if !self.previous.extensions.contains(ext) {
                self.push(Step::CreateExtension { name: ext.clone() });
            }
        }
        for ext in &self.previous.extensions {
            if !self.next.extensions.contains(ext) {
                self.push(Step::DropExtension { name: ext.clone() });
            }
        }
    }

    /// The plan drops an extension (in its transaction, once nothing uses it).
    pub(super) fn drops_extensions(&self) -> bool {
        self.previous
            .extensions
            .iter()
            .any(|e| !self.next.extensions.contains(e))
    }

    pub(super) fn schemas(&mut self) {
        for (name, schema) in &self.next.schemas {
            let target = Target::Schema { name: name.clone() };
            let Some(previous) = self.previous.schemas.get(name) else {
                self.push(Step::CreateSchema { name: name.clone() });
                self.comment(target.clone(), None, schema.comment.as_ref());
                self.grants(&target, &[], &schema.grants);
                continue;
            };
            if previous.owner != schema.owner && schema.owner.is_some() {
                self.push(Step::AlterSchemaOwner { name: name.clone() });
            }
            self.comment(
                target.clone(),
                previous.comment.as_ref(),
                schema.comment.as_ref(),
            );
            self.grants(&target, &previous.grants, &schema.grants);
        }
        for name in self.previous.schemas.keys() {
            if !self.next.schemas.contains_key(name) {
                self.push(Step::DropSchema { name: name.clone() });
            }
        }
    }

    pub(super) fn enums(&mut self) {
        for (q, e) in &self.next.enums {
            let target = Target::Type { name: q.clone() };
            let Some(previous) = self.previous.enums.get(q) else {
                self.push(Step::CreateEnum { name: q.clone() });
                self.comment(target, None, e.comment.as_ref());
                continue;
            };
            let in_place = is_subsequence(&previous.values, &e.values);
            // A replaced type starts without a comment; the old one's goes with it.
            let comment_before = if in_place {
                previous.comment.as_ref()
            } else {
                None
            };
            if previous.values != e.values {
                if in_place {
                    self.add_enum_values(q, &previous.values, &e.values);
                } else {
                    self.replace_enum(q);
                }
            }
            self.comment(target, comment_before, e.comment.as_ref());
        }
        for q in self.previous.enums.keys() {
            if !self.next.enums.contains_key(q) {
                self.push(Step::DropType { name: q.clone() });
            }
        }
    }

    fn add_enum_values(&mut self, q: &QName, had: &[String], wants: &[String]) {
        for (i, value) in wants.iter().enumerate() {
            if had.contains(value) {
                continue;
            }
            let position = match (i.checked_sub(1), wants.get(i + 1)) {
                (Some(prev), _) => EnumPosition::After(wants[prev].clone()),
                (None, Some(next)) => EnumPosition::Before(next.clone()),
                (None, None) => EnumPosition::End,
            };
            self.push(Step::AddEnumValue {
                name: q.clone(),
                value: value.clone(),
                position,
            });
        }
    }

    /// Values removed or reordered: PostgreSQL cannot do that in place, so the type is
    /// renamed, created anew, every column that keeps it converted through text (once the
    /// tables' own steps ran, so that renamed columns have their new names: see
    /// [`Differ::convert_replaced_type_columns`]), and the old one dropped.
    fn replace_enum(&mut self, q: &QName) {
        self.push(Step::RenameEnumAside { name: q.clone() });
        self.push(Step::CreateReplacementEnum { name: q.clone() });
        self.convert_columns_of(q, Conversion::ViaText);
        self.push(Step::DropReplacedEnum { name: q.clone() });
    }

    /// The columns that keep type `q` across the plan, converted to its new definition
    /// with `conversion`.
    pub(super) fn convert_columns_of(&mut self, q: &QName, conversion: Conversion) {
        let mut conversions = Vec::new();
        for (tq, t) in &self.previous.tables {
            for c in t.columns.iter().filter(|c| c.is_of_type(q)) {
                // A column the plan drops, or retypes to something else, needs none.
                let Some(next) = self.column_after_plan(tq, &c.name) else {
                    continue;
                };
                let keeps_type = self
                    .next
                    .tables
                    .get(&next.table)
                    .and_then(|t| t.column(&next.column))
                    .is_some_and(|d| d.is_of_type(q) && d.ty == c.ty);
                if keeps_type {
                    conversions.push(TypeConversion {
                        previous: ColumnKey {
                            table: tq.clone(),
                            column: c.name.clone(),
                        },
                        next,
                        from: c.ty.clone(),
                        had_default: c.default.is_some(),
                        conversion: conversion.clone(),
                    });
                }
            }
        }
        for conversion in &conversions {
            let (previous, next) = (&conversion.previous, &conversion.next);
            self.touch_column(&previous.table, &previous.column);
            self.retype(&previous.table, &[&previous.column]);
            self.retype(&next.table, &[&next.column]);
        }
        self.type_conversions.extend(conversions);
    }

    /// The columns of replaced enums and domains converted, under the names they have
    /// once the tables' renames ran: the default dropped first (it may not cast) and set
    /// again after.
    pub(super) fn convert_replaced_type_columns(&mut self) {
        for conversion in self.type_conversions.clone() {
            let key = conversion.next;
            if conversion.had_default {
                self.push(Step::DropColumnDefault {
                    column: key.clone(),
                });
            }
            self.push(Step::AlterColumnType {
                column: key.clone(),
                from: conversion.from,
                conversion: conversion.conversion,
            });
            let default_now = self
                .next
                .tables
                .get(&key.table)
                .and_then(|t| t.column(&key.column))
                .is_some_and(|c| c.default.is_some());
            if default_now {
                self.push(Step::SetColumnDefault { column: key });
            }
        }
    }

    /// A column of the previous catalog as the model has it after the plan (its table and
    /// itself renamed per the hints), if the model keeps it.
    fn column_after_plan(&self, table: &QName, column: &str) -> Option<ColumnKey> {
        let next_table = self.name_after_plan(table)?;
        let next = self.next.tables.get(&next_table)?;
        let previous = self.previous.tables.get(table)?;
        let renamed = self
            .hints
            .columns
            .iter()
            .find(|((t, new), old)| {
                *t == next_table
                    && *old == column
                    && next.column(new).is_some()
                    && previous.column(new).is_none()
            })
            .map(|((_, new), _)| new.clone());
        let name = match renamed {
            Some(new) => new,
            None if next.column(column).is_some() => column.to_string(),
            None => return None,
        };
        Some(ColumnKey {
            table: next_table,
            column: name,
        })
    }
}

/// A column converted to a replaced enum or domain, under its names before and after the
/// plan.
#[derive(Debug, Clone)]
pub(crate) struct TypeConversion {
    pub previous: ColumnKey,
    pub next: ColumnKey,
    pub from: String,
    pub had_default: bool,
    pub conversion: Conversion,
}

fn same_attributes(a: &RoleDef, b: &RoleDef) -> bool {
    a.login == b.login
        && a.inherit == b.inherit
        && a.createdb == b.createdb
        && a.createrole == b.createrole
        && a.bypassrls == b.bypassrls
        && a.connection_limit == b.connection_limit
}

/// Whether `long` keeps every value of `short` in order: an enum changed in place.
pub(super) fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}
