//! Diff of tables: renames, columns, constraints, indexes, partitions, triggers, RLS and
//! policies, grants and comments.

use super::objects::render_with;
use super::{Change, Differ, Hazard};
use crate::catalog::{IndexDef, QName, TableDef};
use crate::model::Identity;
use crate::render::deps::references;
use crate::render::statements::*;
use crate::sql::{ident, ident_list};

impl Differ<'_> {
    pub(super) fn tables(&mut self) {
        let mut renamed_away: Vec<QName> = Vec::new();
        for (q, desired) in &self.desired.tables {
            let renamed_from = self
                .hints
                .tables
                .get(q)
                .map(|old| QName::new(&q.schema, old))
                .filter(|old| {
                    !self.current.tables.contains_key(q) && self.current.tables.contains_key(old)
                });
            let current_name = renamed_from.clone().unwrap_or_else(|| q.clone());
            let Some(current) = self.current.tables.get(&current_name) else {
                self.create_table(q);
                continue;
            };
            if let Some(old) = &renamed_from {
                renamed_away.push(old.clone());
                self.touched_tables.insert(old.clone());
                self.phases.tables.push(Change::new(
                    format!("rename table {old} to {}", q.name),
                    format!("ALTER TABLE {} RENAME TO {}", old.sql(), ident(&q.name)),
                ));
                for c in current.columns.iter().filter(|c| !c.nullable) {
                    self.phases
                        .tables
                        .push(rename_not_null(q, &old.name, &q.name, &c.name, &c.name));
                }
            }
            if current.partition_by != desired.partition_by {
                self.rebuild_table(q, current);
                continue;
            }
            self.columns(q, current, desired);
            self.keys(q, current, desired);
            self.indexes(q, current, desired);
            self.partitions(q, current, desired);
            self.triggers_and_policies(q, current, desired);
            self.comment(
                &format!("TABLE {}", q.sql()),
                &current.comment,
                &desired.comment,
            );
            self.grants(
                &format!("TABLE {}", q.sql()),
                &current.grants,
                &desired.grants,
            );
        }
        let dropped: Vec<&QName> = self
            .current
            .tables
            .keys()
            .filter(|q| !self.desired.tables.contains_key(*q) && !renamed_away.contains(q))
            .collect();
        if !dropped.is_empty() {
            let names: Vec<String> = dropped.iter().map(|q| q.sql()).collect();
            let labels: Vec<String> = dropped.iter().map(|q| q.to_string()).collect();
            for q in &dropped {
                self.touched_tables.insert((*q).clone());
            }
            // One statement: tables that reference each other go together.
            self.phases.drops.push(
                Change::new(
                    format!("drop table {}", labels.join(", ")),
                    format!("DROP TABLE {}", names.join(", ")),
                )
                .hazard(Hazard::DataLoss),
            );
        }
    }

    /// A new table with everything on it; it is empty, so plain (non-concurrent) index
    /// builds and immediately valid constraints cost nothing.
    fn create_table(&mut self, q: &QName) {
        let steps = render_with(self.desired, |r| r.table(q));
        self.phases.tables.extend(steps);
        let Some(t) = self.desired.tables.get(q) else {
            return;
        };
        for fk in &t.foreign_keys {
            self.phases.constraints.push(Change::new(
                format!("add foreign key {} on {q}", fk.name),
                foreign_key_sql(q, fk, false),
            ));
        }
        self.new_table_dependents(q, t);
    }

    /// What a table created in this plan gets once it exists: its indexes (plain builds:
    /// the table is new), triggers, row-level security and policies.
    fn new_table_dependents(&mut self, q: &QName, t: &TableDef) {
        for index in &t.indexes {
            self.phases.constraints.push(Change::new(
                format!("create index {}.{}", q.schema, index.name),
                index_sql(q, index, false),
            ));
            if let Some(comment) = &index.comment {
                let iq = QName::new(&q.schema, &index.name);
                self.phases.constraints.push(Change::new(
                    format!("comment on index {iq}"),
                    comment_sql(&format!("INDEX {}", iq.sql()), Some(comment)),
                ));
            }
        }
        for tr in &t.triggers {
            self.phases.dependents.push(Change::new(
                format!("create trigger {} on {q}", tr.name),
                trigger_sql(q, tr, false),
            ));
        }
        if t.rls_enabled {
            self.phases.dependents.push(
                Change::new(
                    format!("enable row level security on {q}"),
                    format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY", q.sql()),
                )
                .hazard(Hazard::Authorization),
            );
        }
        if t.rls_forced {
            self.phases.dependents.push(
                Change::new(
                    format!("force row level security on {q}"),
                    format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY", q.sql()),
                )
                .hazard(Hazard::Authorization),
            );
        }
        for p in &t.policies {
            self.phases.dependents.push(
                Change::new(format!("create policy {} on {q}", p.name), policy_sql(q, p))
                    .hazard(Hazard::Authorization),
            );
        }
    }

    /// A change of partitioning cannot be made in place: build the new table beside the
    /// old one, copy the rows, drop the old one and take its name.
    fn rebuild_table(&mut self, q: &QName, current: &TableDef) {
        self.touched_tables.insert(q.clone());
        let old = QName::new(&q.schema, format!("{}__schemactl_old", q.name));
        let lock = |c: Change| {
            c.hazard(Hazard::TableRewrite)
                .hazard(Hazard::AccessExclusiveLock)
        };
        for (other_q, other) in &self.current.tables {
            for fk in &other.foreign_keys {
                if &fk.references == q && other_q != q {
                    self.phases.teardown.push(Change::new(
                        format!(
                            "drop foreign key {} on {other_q} while {q} is rebuilt",
                            fk.name
                        ),
                        format!(
                            "ALTER TABLE {} DROP CONSTRAINT {}",
                            other_q.sql(),
                            ident(&fk.name)
                        ),
                    ));
                    if let Some(d) = self.desired.tables.get(other_q)
                        && let Some(dfk) = d.foreign_keys.iter().find(|f| f.name == fk.name)
                    {
                        self.add_foreign_key(other_q, dfk);
                    }
                }
            }
        }
        self.phases.tables.push(lock(Change::new(
            format!("move {q} aside to rebuild it with new partitioning"),
            format!("ALTER TABLE {} RENAME TO {}", q.sql(), ident(&old.name)),
        )));
        for c in current.columns.iter().filter(|c| !c.nullable) {
            self.phases
                .tables
                .push(rename_not_null(&old, &q.name, &old.name, &c.name, &c.name));
        }
        // Index and constraint names are per schema: free them for the new table.
        let mut names: Vec<String> = current.indexes.iter().map(|i| i.name.clone()).collect();
        names.extend(current.primary_key.iter().map(|k| k.name.clone()));
        names.extend(current.uniques.iter().map(|u| u.name.clone()));
        for name in names {
            let iq = QName::new(&q.schema, &name);
            self.phases.tables.push(Change::new(
                format!("rename index {iq} of the old table"),
                format!(
                    "ALTER INDEX {} RENAME TO {}",
                    iq.sql(),
                    ident(&format!("{name}__schemactl_old"))
                ),
            ));
        }
        for c in current.columns.iter().filter(|c| c.serial.is_some()) {
            let seq = QName::new(&q.schema, format!("{}_{}_seq", q.name, c.name));
            self.phases.tables.push(Change::new(
                format!("rename sequence {seq} of the old table"),
                format!(
                    "ALTER SEQUENCE {} RENAME TO {}",
                    seq.sql(),
                    ident(&format!("{}__schemactl_old", seq.name))
                ),
            ));
        }
        let steps = render_with(self.desired, |r| r.table(q));
        self.phases.tables.extend(steps);
        let Some(desired) = self.desired.tables.get(q) else {
            return;
        };
        let common: Vec<&str> = desired
            .columns
            .iter()
            .filter(|c| c.generated.is_none() && current.column(&c.name).is_some())
            .map(|c| c.name.as_str())
            .collect();
        let overriding = if desired
            .columns
            .iter()
            .any(|c| c.identity == Some(Identity::Always))
        {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        self.phases.tables.push(lock(Change::new(
            format!("copy the rows of {q} into the rebuilt table"),
            format!(
                "INSERT INTO {} ({cols}){overriding} SELECT {cols} FROM {}",
                q.sql(),
                old.sql(),
                cols = ident_list(&common)
            ),
        )));
        for c in desired.columns.iter().filter(|c| c.serial.is_some()) {
            self.phases.tables.push(Change::new(
                format!("carry the sequence of {q}.{} over", c.name),
                format!(
                    "SELECT setval(pg_get_serial_sequence({}, {}), GREATEST((SELECT max({}) FROM {}), 1))",
                    crate::sql::literal(&q.sql()),
                    crate::sql::literal(&c.name),
                    ident(&c.name),
                    q.sql()
                ),
            ));
        }
        self.phases.drops.push(
            Change::new(
                format!("drop the old copy of {q}"),
                format!("DROP TABLE {}", old.sql()),
            )
            .hazard(Hazard::DataLoss),
        );
        for fk in &desired.foreign_keys {
            self.add_foreign_key(q, fk);
        }
        self.new_table_dependents(q, desired);
    }

    fn keys(&mut self, q: &QName, current: &TableDef, desired: &TableDef) {
        let table = q.sql();
        let renamed_only = match (&current.primary_key, &desired.primary_key) {
            (Some(c), Some(d)) => c.columns == d.columns && c.name != d.name,
            _ => false,
        };
        if renamed_only && let (Some(c), Some(d)) = (&current.primary_key, &desired.primary_key) {
            self.phases.tables.push(Change::new(
                format!("rename primary key of {q} to {}", d.name),
                format!(
                    "ALTER TABLE {table} RENAME CONSTRAINT {} TO {}",
                    ident(&c.name),
                    ident(&d.name)
                ),
            ));
        } else if current.primary_key != desired.primary_key {
            if let Some(pk) = &current.primary_key {
                self.phases.teardown.push(
                    Change::new(
                        format!("drop primary key {} of {q}", pk.name),
                        format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(&pk.name)),
                    )
                    .hazard(Hazard::AccessExclusiveLock),
                );
            }
            if let Some(pk) = &desired.primary_key {
                self.phases.constraints.push(
                    Change::new(
                        format!("add primary key {} to {q}", pk.name),
                        format!(
                            "ALTER TABLE {table} ADD CONSTRAINT {} PRIMARY KEY ({})",
                            ident(&pk.name),
                            ident_list(&pk.columns)
                        ),
                    )
                    .hazard(Hazard::AccessExclusiveLock),
                );
            }
        }
        for u in &current.uniques {
            if !desired.uniques.contains(u) {
                self.phases.teardown.push(Change::new(
                    format!("drop unique constraint {} of {q}", u.name),
                    format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(&u.name)),
                ));
            }
        }
        for u in &desired.uniques {
            if !current.uniques.contains(u) {
                self.phases.constraints.push(
                    Change::new(
                        format!("add unique constraint {} to {q}", u.name),
                        format!("ALTER TABLE {table} ADD {}", unique_clause(u)),
                    )
                    .hazard(Hazard::AccessExclusiveLock),
                );
            }
        }
        for c in &current.checks {
            if !desired.checks.contains(c) {
                self.phases.teardown.push(Change::new(
                    format!("drop check {} of {q}", c.name),
                    format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(&c.name)),
                ));
            }
        }
        for c in &desired.checks {
            if !current.checks.contains(c) {
                self.phases.constraints.push(Change::new(
                    format!("add check {} to {q} (NOT VALID)", c.name),
                    format!("ALTER TABLE {table} ADD {} NOT VALID", check_clause(c)),
                ));
                self.phases.constraints.push(Change::new(
                    format!("validate check {} of {q}", c.name),
                    format!("ALTER TABLE {table} VALIDATE CONSTRAINT {}", ident(&c.name)),
                ));
            }
        }
        for fk in &current.foreign_keys {
            if !desired.foreign_keys.contains(fk) {
                self.phases.teardown.push(Change::new(
                    format!("drop foreign key {} of {q}", fk.name),
                    format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(&fk.name)),
                ));
            }
        }
        for fk in &desired.foreign_keys {
            if !current.foreign_keys.contains(fk) {
                self.add_foreign_key(q, fk);
            } else if current.not_valid.contains(&fk.name) {
                self.phases.constraints.push(Change::new(
                    format!("validate foreign key {} of {q}", fk.name),
                    format!(
                        "ALTER TABLE {table} VALIDATE CONSTRAINT {}",
                        ident(&fk.name)
                    ),
                ));
            }
        }
    }

    /// Added `NOT VALID` (no scan under the strong lock), then validated (a scan under a
    /// lock that lets reads and writes go on).
    fn add_foreign_key(&mut self, q: &QName, fk: &crate::catalog::ForeignKeyDef) {
        self.phases.constraints.push(Change::new(
            format!("add foreign key {} to {q} (NOT VALID)", fk.name),
            foreign_key_sql(q, fk, true),
        ));
        self.phases.constraints.push(Change::new(
            format!("validate foreign key {} of {q}", fk.name),
            format!(
                "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                q.sql(),
                ident(&fk.name)
            ),
        ));
    }

    fn indexes(&mut self, q: &QName, current: &TableDef, desired: &TableDef) {
        // CREATE INDEX CONCURRENTLY is not supported on partitioned tables.
        let partitioned = desired.partition_by.is_some();
        for c in &current.indexes {
            let replaced = desired.indexes.iter().find(|d| d.name == c.name);
            if replaced.is_some_and(|d| same_index(c, d)) {
                continue;
            }
            let iq = QName::new(&q.schema, &c.name);
            if partitioned {
                self.phases.teardown.push(
                    Change::new(
                        format!("drop index {iq}"),
                        format!("DROP INDEX {}", iq.sql()),
                    )
                    .hazard(Hazard::AccessExclusiveLock),
                );
            } else {
                self.phases.concurrent_drops.push(
                    Change::new(
                        format!("drop index {iq}"),
                        format!("DROP INDEX CONCURRENTLY IF EXISTS {}", iq.sql()),
                    )
                    .concurrent(),
                );
            }
        }
        for d in &desired.indexes {
            let existing = current.indexes.iter().find(|c| c.name == d.name);
            let iq = QName::new(&q.schema, &d.name);
            match existing {
                Some(c) if same_index(c, d) => {
                    if c.comment != d.comment {
                        self.comment(&format!("INDEX {}", iq.sql()), &c.comment, &d.comment);
                    }
                    continue;
                }
                _ => {}
            }
            if partitioned {
                self.phases.constraints.push(
                    Change::new(format!("create index {iq}"), index_sql(q, d, false))
                        .hazard(Hazard::AccessExclusiveLock),
                );
            } else {
                self.phases.concurrent_creates.push(
                    Change::new(format!("create index {iq}"), index_sql(q, d, true)).concurrent(),
                );
            }
            if d.comment.is_some() {
                // After the concurrent build, so it runs outside the transaction as well.
                self.phases.concurrent_creates.push(
                    Change::new(
                        format!("comment on index {iq}"),
                        comment_sql(&format!("INDEX {}", iq.sql()), d.comment.as_deref()),
                    )
                    .concurrent(),
                );
            }
        }
    }

    fn partitions(&mut self, q: &QName, current: &TableDef, desired: &TableDef) {
        for p in &current.partitions {
            if desired.partitions.contains(p) {
                continue;
            }
            let pq = QName::new(&q.schema, &p.name);
            self.phases.teardown.push(Change::new(
                format!("detach partition {pq}"),
                format!("ALTER TABLE {} DETACH PARTITION {}", q.sql(), pq.sql()),
            ));
            self.phases.drops.push(
                Change::new(
                    format!("drop detached partition {pq}"),
                    format!("DROP TABLE {}", pq.sql()),
                )
                .hazard(Hazard::DataLoss),
            );
        }
        for p in &desired.partitions {
            if current.partitions.contains(p) {
                continue;
            }
            let pq = QName::new(&q.schema, &p.name);
            self.phases.tables.push(Change::new(
                format!("create partition {pq}"),
                format!(
                    "CREATE TABLE {} PARTITION OF {} {}",
                    pq.sql(),
                    q.sql(),
                    p.bound.sql()
                ),
            ));
        }
    }

    fn triggers_and_policies(&mut self, q: &QName, current: &TableDef, desired: &TableDef) {
        let table = q.sql();
        for c in &current.triggers {
            let kept = desired.triggers.iter().any(|d| d.name == c.name);
            if !kept || self.dropped_functions.contains(&c.function) {
                self.phases.teardown.push(Change::new(
                    format!("drop trigger {} on {q}", c.name),
                    format!("DROP TRIGGER {} ON {table}", ident(&c.name)),
                ));
            }
        }
        for d in &desired.triggers {
            let current_trigger = current.triggers.iter().find(|c| c.name == d.name);
            let rebuilt = self.dropped_functions.contains(&d.function);
            match current_trigger {
                Some(c) if c == d && !rebuilt => {}
                Some(_) if !rebuilt => self.phases.dependents.push(Change::new(
                    format!("replace trigger {} on {q}", d.name),
                    trigger_sql(q, d, true),
                )),
                _ => self.phases.dependents.push(Change::new(
                    format!("create trigger {} on {q}", d.name),
                    trigger_sql(q, d, false),
                )),
            }
        }
        if current.rls_enabled != desired.rls_enabled {
            let verb = if desired.rls_enabled {
                "ENABLE"
            } else {
                "DISABLE"
            };
            self.phases.dependents.push(
                Change::new(
                    format!("{} row level security on {q}", verb.to_ascii_lowercase()),
                    format!("ALTER TABLE {table} {verb} ROW LEVEL SECURITY"),
                )
                .hazard(Hazard::Authorization),
            );
        }
        if current.rls_forced != desired.rls_forced {
            let verb = if desired.rls_forced {
                "FORCE"
            } else {
                "NO FORCE"
            };
            self.phases.dependents.push(
                Change::new(
                    format!("{} row level security on {q}", verb.to_ascii_lowercase()),
                    format!("ALTER TABLE {table} {verb} ROW LEVEL SECURITY"),
                )
                .hazard(Hazard::Authorization),
            );
        }
        let uses_dropped = |p: &crate::catalog::PolicyDef| {
            let text = format!(
                "{} {}",
                p.using.as_deref().unwrap_or(""),
                p.with_check.as_deref().unwrap_or("")
            );
            references(&text).iter().any(|r| {
                let schema = r.schema.clone().unwrap_or_else(|| q.schema.clone());
                self.dropped_functions
                    .contains(&QName::new(schema, r.name.clone()))
            })
        };
        for c in &current.policies {
            let same = desired.policies.iter().any(|d| d == c);
            if !same || uses_dropped(c) {
                self.phases.teardown.push(
                    Change::new(
                        format!("drop policy {} on {q}", c.name),
                        format!("DROP POLICY {} ON {table}", ident(&c.name)),
                    )
                    .hazard(Hazard::Authorization),
                );
            }
        }
        for d in &desired.policies {
            let same = current.policies.iter().any(|c| c == d);
            if !same || uses_dropped(d) {
                self.phases.dependents.push(
                    Change::new(format!("create policy {} on {q}", d.name), policy_sql(q, d))
                        .hazard(Hazard::Authorization),
                );
            }
        }
    }
}

fn same_index(a: &IndexDef, b: &IndexDef) -> bool {
    a.method == b.method
        && a.keys == b.keys
        && a.unique == b.unique
        && a.predicate == b.predicate
        && a.include == b.include
        && a.with == b.with
        && a.nulls_not_distinct == b.nulls_not_distinct
}

/// PostgreSQL keeps the first 63 bytes of an identifier; cut on a character boundary.
pub(super) fn truncate_identifier(mut name: String) -> String {
    while name.len() > crate::validate::MAX_IDENTIFIER_BYTES {
        name.pop();
    }
    name
}

/// PostgreSQL 18 records NOT NULL as a constraint named `<table>_<column>_not_null`; a
/// fresh database names it after the current table and column, so renames carry the name
/// along. Older servers have no such constraint, and the block does nothing there.
pub(super) fn rename_not_null(
    table: &QName,
    old_table: &str,
    new_table: &str,
    old_column: &str,
    new_column: &str,
) -> Change {
    let from = truncate_identifier(format!("{old_table}_{old_column}_not_null"));
    let to = truncate_identifier(format!("{new_table}_{new_column}_not_null"));
    let sql = format!(
        "DO $$\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = {}::regclass AND conname = {}) THEN\n        ALTER TABLE {} RENAME CONSTRAINT {} TO {};\n    END IF;\nEND\n$$",
        crate::sql::literal(&table.sql()),
        crate::sql::literal(&from),
        table.sql(),
        ident(&from),
        ident(&to)
    );
    Change::new(
        format!("rename NOT NULL constraint {from} of {table} to {to}"),
        sql,
    )
}
