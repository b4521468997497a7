//! SQLite rendering: the steps SQLite can take, as SQLite statements. The differ asks
//! [`crate::Sqlite`]'s capabilities first, so a table change `ALTER TABLE` cannot make
//! arrives here as one [`Step::RebuildTable`]; a step SQLite has no statement for is an
//! error naming it, never a silent skip.

use schemactl_core::catalog::{Catalog, IndexDef, IndexKeyDef, QName, TableDef, TriggerDef};
use schemactl_core::diff::Plan;
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, RenderedStep, Statement};
use schemactl_core::step::{CopiedColumn, CopySource, Hazard, OnTable, Pair, Step};
use schemactl_model::{FkAction, SortOrder, TriggerEvent, TriggerTiming};

use crate::keywords::{ident, ident_list};
use crate::names;

/// The statements of every step of `plan`, in order.
pub fn render_plan(plan: &Plan, pair: Pair<&Catalog>) -> Result<Vec<RenderedStep>, RenderError> {
    plan.steps
        .iter()
        .map(|step| {
            // Any write transaction locks the whole SQLite database, so the lock hazard,
            // which tells PostgreSQL's statements apart by the lock they take, says nothing.
            let hazards = step
                .hazards(pair)
                .into_iter()
                .filter(|h| *h != Hazard::AccessExclusiveLock)
                .collect();
            Ok(RenderedStep {
                step: step.clone(),
                description: step.describe(),
                hazards,
                statements: render(step, pair)?,
            })
        })
        .collect()
}

/// The statements that make one step.
pub fn render(step: &Step, pair: Pair<&Catalog>) -> Result<Vec<Statement>, RenderError> {
    let error = |reason: String| RenderError {
        step: step.describe(),
        reason,
    };
    let table = |catalog: &'_ Catalog, q: &QName| -> Result<TableDef, RenderError> {
        catalog
            .tables
            .get(q)
            .cloned()
            .ok_or_else(|| error(format!("table {} is not in the catalog", q.name)))
    };
    let key = |kind: ObjectKind, name: &str| ObjectKey::new(kind, &QName::new("main", name));
    let on = |kind: ObjectKind, on: &OnTable| ObjectKey::on_table(kind, &on.table, &on.name);
    Ok(match step {
        Step::CreateTable { name } => vec![Statement::new(
            key(ObjectKind::Table, &name.name),
            table_sql(&name.name, &name.name, &table(pair.next, name)?),
        )],
        Step::DropTables { names } => {
            let mut out = Vec::new();
            // DROP TABLE deletes the rows first, which fails while a table dropped later
            // still references them: the checks wait for the commit, when both are gone
            // (and a reference left dangling still fails the plan).
            let references_another = names.iter().any(|q| {
                pair.previous.tables.get(q).is_some_and(|t| {
                    t.foreign_keys
                        .iter()
                        .any(|fk| &fk.references != q && names.contains(&fk.references))
                })
            });
            if let Some(first) = names.first().filter(|_| references_another) {
                out.push(Statement::new(
                    key(ObjectKind::Table, &first.name),
                    "PRAGMA defer_foreign_keys = ON",
                ));
            }
            out.extend(names.iter().map(|q| {
                Statement::new(
                    key(ObjectKind::Table, &q.name),
                    format!("DROP TABLE {}", ident(&q.name)),
                )
            }));
            out
        }
        Step::RenameTable { from, to } => vec![Statement::new(
            key(ObjectKind::Table, to),
            format!("ALTER TABLE {} RENAME TO {}", ident(&from.name), ident(to)),
        )],
        Step::AddColumn { column } => {
            let t = table(pair.next, &column.table)?;
            let c = t
                .column(&column.column)
                .ok_or_else(|| error(format!("no column {}", column.column)))?;
            vec![Statement::new(
                ObjectKey::on_table(ObjectKind::Column, &column.table, &column.column),
                format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    ident(&column.table.name),
                    column_sql(c)
                ),
            )]
        }
        Step::RenameColumn { table: t, from, to } => vec![Statement::new(
            ObjectKey::on_table(ObjectKind::Column, t, to),
            format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                ident(&t.name),
                ident(from),
                ident(to)
            ),
        )],
        Step::RebuildTable { name, keep, .. } => rebuild(name, &table(pair.next, name)?, keep),
        Step::CreateIndex { on: o } => {
            let t = table(pair.next, &o.table)?;
            let index = t
                .indexes
                .iter()
                .find(|i| i.name == o.name)
                .ok_or_else(|| error(format!("no index {}", o.name)))?;
            vec![Statement::new(
                key(ObjectKind::Index, &o.name),
                index_sql(&o.table.name, index),
            )]
        }
        Step::DropIndex { name } => vec![Statement::new(
            key(ObjectKind::Index, &name.name),
            format!("DROP INDEX {}", ident(&name.name)),
        )],
        Step::CreateView { name } => {
            let v = pair
                .next
                .views
                .get(name)
                .ok_or_else(|| error(format!("view {} is not in the catalog", name.name)))?;
            vec![Statement::new(
                key(ObjectKind::View, &name.name),
                format!("CREATE VIEW {} AS {}", ident(&name.name), v.query),
            )]
        }
        Step::DropView { name, .. } => vec![Statement::new(
            key(ObjectKind::View, &name.name),
            format!("DROP VIEW {}", ident(&name.name)),
        )],
        Step::CreateTrigger { on: o } | Step::ReplaceTrigger { on: o } => {
            let t = table(pair.next, &o.table)?;
            let tr = t
                .triggers
                .iter()
                .find(|tr| tr.name == o.name)
                .ok_or_else(|| error(format!("no trigger {}", o.name)))?;
            let create = Statement::new(
                on(ObjectKind::Trigger, o),
                trigger_sql(&o.table.name, tr).map_err(error)?,
            );
            if matches!(step, Step::ReplaceTrigger { .. }) {
                // SQLite has no CREATE OR REPLACE TRIGGER.
                vec![
                    Statement::new(
                        on(ObjectKind::Trigger, o),
                        format!("DROP TRIGGER {}", ident(&o.name)),
                    ),
                    create,
                ]
            } else {
                vec![create]
            }
        }
        Step::DropTrigger { on: o } => vec![Statement::new(
            on(ObjectKind::Trigger, o),
            format!("DROP TRIGGER {}", ident(&o.name)),
        )],
        other => {
            return Err(error(format!(
                "SQLite has no statement for this step ({:?} phase); the model validation \
                 should have refused what needs it",
                other.phase()
            )));
        }
    })
}

/// SQLite's 12-step table change (<https://www.sqlite.org/lang_altertable.html#otheralter>):
/// the new shape under a temporary name, the rows copied, the old table dropped and the
/// new one renamed. Indexes and triggers are steps of their own, after this one. The
/// executor switches foreign keys off around a plan that rebuilds, and checks them
/// before the commit.
fn rebuild(name: &QName, def: &TableDef, keep: &[CopiedColumn]) -> Vec<Statement> {
    let temp = format!("schemactl_new_{}", name.name);
    let key = ObjectKey::new(ObjectKind::Table, name);
    let to: Vec<&str> = keep.iter().map(|k| k.column.as_str()).collect();
    let from: Vec<String> = keep
        .iter()
        .map(|k| match &k.from {
            CopySource::Column => ident(&k.column),
            CopySource::Expression(expr) => format!("({expr})"),
        })
        .collect();
    vec![
        Statement::new(key.clone(), table_sql(&temp, &name.name, def)),
        Statement::new(
            key.clone(),
            format!(
                "INSERT INTO {} ({}) SELECT {} FROM {}",
                ident(&temp),
                ident_list(&to),
                from.join(", "),
                ident(&name.name)
            ),
        ),
        Statement::new(key.clone(), format!("DROP TABLE {}", ident(&name.name))),
        Statement::new(
            key,
            format!(
                "ALTER TABLE {} RENAME TO {}",
                ident(&temp),
                ident(&name.name)
            ),
        ),
    ]
}

/// `CREATE TABLE` for the table `table` (created as `create_as`, a rebuild's temporary
/// name). Constraints with their default names are written without one, on their column
/// where they have one ([`crate::names`]); others are named. A one-column primary key is
/// written on its column (so an INTEGER key is the rowid).
pub fn table_sql(create_as: &str, table: &str, t: &TableDef) -> String {
    let mut inline: Vec<Vec<String>> = vec![Vec::new(); t.columns.len()];
    let column_index = |name: &str| t.columns.iter().position(|c| c.name == name);
    let mut lines: Vec<String> = Vec::new();
    let named = |name: &str, default: &str| {
        if name == default {
            String::new()
        } else {
            format!("CONSTRAINT {} ", ident(name))
        }
    };
    if let Some(pk) = &t.primary_key {
        let prefix = named(&pk.name, &names::primary_key(table));
        match pk.columns.as_slice() {
            [only] if column_index(only).is_some() => {
                let i = column_index(only).unwrap_or_default();
                inline[i].push(format!("{prefix}PRIMARY KEY"));
            }
            columns => lines.push(format!("{prefix}PRIMARY KEY ({})", ident_list(columns))),
        }
    }
    for u in &t.uniques {
        let default = names::unique(table, &u.columns);
        match u.columns.as_slice() {
            [only] if u.name == default && column_index(only).is_some() => {
                inline[column_index(only).unwrap_or_default()].push("UNIQUE".into());
            }
            columns => lines.push(format!(
                "{}UNIQUE ({})",
                named(&u.name, &default),
                ident_list(columns)
            )),
        }
    }
    let mut table_checks = 0;
    for c in &t.checks {
        match names::check_column(table, &c.name, t).and_then(column_index) {
            Some(i) => inline[i].push(format!("CHECK ({})", c.expression)),
            None => {
                table_checks += 1;
                let default = names::table_check(table, table_checks);
                lines.push(format!(
                    "{}CHECK ({})",
                    named(&c.name, &default),
                    c.expression
                ));
            }
        }
    }
    for fk in &t.foreign_keys {
        let default = names::foreign_key(table, &fk.columns);
        let mut target = format!("REFERENCES {}", ident(&fk.references.name));
        if !fk.referenced_columns.is_empty() {
            target.push_str(&format!(" ({})", ident_list(&fk.referenced_columns)));
        }
        if fk.on_delete != FkAction::NoAction {
            target.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
        }
        if fk.on_update != FkAction::NoAction {
            target.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
        }
        if fk.deferrable {
            target.push_str(" DEFERRABLE INITIALLY DEFERRED");
        }
        match fk.columns.as_slice() {
            [only] if fk.name == default && column_index(only).is_some() => {
                inline[column_index(only).unwrap_or_default()].push(target);
            }
            columns => lines.push(format!(
                "{}FOREIGN KEY ({}) {target}",
                named(&fk.name, &default),
                ident_list(columns)
            )),
        }
    }
    let mut all: Vec<String> = t
        .columns
        .iter()
        .zip(&inline)
        .map(|(c, constraints)| {
            let mut line = column_sql(c);
            for constraint in constraints {
                line.push(' ');
                line.push_str(constraint);
            }
            line
        })
        .collect();
    all.extend(lines);
    format!(
        "CREATE TABLE {} (\n  {}\n)",
        ident(create_as),
        all.join(",\n  ")
    )
}

/// A column definition: name, declared type, NOT NULL, DEFAULT and generation.
fn column_sql(c: &schemactl_core::catalog::ColumnDef) -> String {
    let mut out = format!("{} {}", ident(&c.name), c.ty);
    if !c.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &c.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    if let Some(expression) = &c.generated {
        out.push_str(&format!(" GENERATED ALWAYS AS ({expression}) STORED"));
    }
    out
}

/// `CREATE [UNIQUE] INDEX … ON table (keys) [WHERE …]`.
pub fn index_sql(table: &str, index: &IndexDef) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|k| {
            let (mut key, order, collate) = match k {
                IndexKeyDef::Column {
                    name,
                    order,
                    collate,
                    ..
                } => (ident(name), order, collate),
                IndexKeyDef::Expression {
                    sql,
                    order,
                    collate,
                    ..
                } => (sql.clone(), order, collate),
            };
            if let Some(collate) = collate {
                key.push_str(&format!(" COLLATE {collate}"));
            }
            match order {
                Some(SortOrder::Desc) => key.push_str(" DESC"),
                Some(SortOrder::Asc) => key.push_str(" ASC"),
                None => {}
            }
            key
        })
        .collect();
    let mut out = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        ident(table),
        keys.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {predicate}"));
    }
    out
}

/// `CREATE TRIGGER … BEGIN program END`; SQLite triggers fire once per row.
pub fn trigger_sql(table: &str, trigger: &TriggerDef) -> Result<String, String> {
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let event = match trigger.events.as_slice() {
        [TriggerEvent::Insert] => "INSERT".to_string(),
        [TriggerEvent::Delete] => "DELETE".to_string(),
        [TriggerEvent::Update] if trigger.update_of.is_empty() => "UPDATE".to_string(),
        [TriggerEvent::Update] => format!("UPDATE OF {}", ident_list(&trigger.update_of)),
        other => {
            return Err(format!(
                "a SQLite trigger fires on one event, not {other:?}"
            ));
        }
    };
    let body = trigger
        .body
        .as_deref()
        .ok_or_else(|| format!("trigger {} has no program", trigger.name))?;
    let mut out = format!(
        "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW",
        ident(&trigger.name),
        ident(table)
    );
    if let Some(condition) = &trigger.condition {
        out.push_str(&format!(" WHEN {condition}"));
    }
    out.push_str(&format!("\nBEGIN\n  {body}\nEND"));
    Ok(out)
}
