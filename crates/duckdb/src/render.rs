//! DuckDB rendering: the steps DuckDB can take, as DuckDB statements. The differ asks
//! [`crate::Duckdb`]'s capabilities first, so a table change `ALTER TABLE` cannot make
//! arrives here as one [`Step::RebuildTable`]; a step DuckDB has no statement for is an
//! error naming it, never a silent skip.

use schemactl_core::catalog::{Catalog, ColumnDef, IndexDef, IndexKeyDef, QName, TableDef};
use schemactl_core::diff::Plan;
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, RenderedStep, Statement};
use schemactl_core::step::{
    ColumnKey, Conversion, CopiedColumn, CopySource, Hazard, Pair, Step, Target,
};

use crate::sql::{ident, ident_list, literal, qualified};

/// The statements of every step of `plan`, in order. A rebuilt table that the plan also
/// renames (or whose columns it renames) is built under its new names straight from the
/// old table, since DuckDB would refuse those renames on a table with indexes: the rename
/// steps are left out and the rebuild's copy maps the old names ([`rebuild`]).
pub fn render_plan(plan: &Plan, pair: Pair<&Catalog>) -> Result<Vec<RenderedStep>, RenderError> {
    let absorbed = absorbed_renames(&plan.steps);
    let steps: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|step| !absorbed.contains(step))
        .collect();
    referenced_first(steps, pair.next)
        .into_iter()
        .map(|step| {
            // A DuckDB file has one writer at a time: the lock hazard, which tells
            // PostgreSQL's statements apart by the lock they take, says nothing here.
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

/// The steps with each new table created after the new tables its foreign keys
/// reference: DuckDB writes foreign keys into `CREATE TABLE`, and the referenced table
/// must exist by then. The other steps keep their places.
fn referenced_first<'s>(steps: Vec<&'s Step>, next: &Catalog) -> Vec<&'s Step> {
    let created = |q: &QName| {
        steps
            .iter()
            .position(|s| matches!(s, Step::CreateTable { name } if name == q))
    };
    let mut out: Vec<&Step> = Vec::with_capacity(steps.len());
    let mut placed = vec![false; steps.len()];
    fn place<'s>(
        i: usize,
        steps: &[&'s Step],
        next: &Catalog,
        created: &dyn Fn(&QName) -> Option<usize>,
        placed: &mut [bool],
        out: &mut Vec<&'s Step>,
    ) {
        if placed[i] {
            return;
        }
        placed[i] = true;
        if let Step::CreateTable { name } = steps[i]
            && let Some(t) = next.tables.get(name)
        {
            for fk in &t.foreign_keys {
                if let Some(j) = created(&fk.references).filter(|j| *j != i) {
                    place(j, steps, next, created, placed, out);
                }
            }
        }
        out.push(steps[i]);
    }
    for i in 0..steps.len() {
        place(i, &steps, next, &created, &mut placed, &mut out);
    }
    out
}

/// The renames of tables the plan rebuilds (the table's and its columns'): the rebuild
/// makes them ([`rebuild`]).
fn absorbed_renames(steps: &[Step]) -> Vec<&Step> {
    let rebuilt: Vec<(&QName, &QName)> = steps
        .iter()
        .filter_map(|s| match s {
            Step::RebuildTable { name, previous, .. } => Some((name, previous)),
            _ => None,
        })
        .collect();
    steps
        .iter()
        .filter(|s| match s {
            Step::RenameTable { from, to } => rebuilt
                .iter()
                .any(|(name, previous)| *previous == from && name.name == *to),
            Step::RenameColumn { table, .. } => rebuilt.iter().any(|(name, _)| *name == table),
            _ => false,
        })
        .collect()
}

struct Ctx<'a> {
    step: &'a Step,
    pair: Pair<&'a Catalog>,
}

impl<'a> Ctx<'a> {
    fn error(&self, reason: impl Into<String>) -> RenderError {
        RenderError {
            step: self.step.describe(),
            reason: reason.into(),
        }
    }

    fn table(&self, catalog: &'a Catalog, q: &QName) -> Result<&'a TableDef, RenderError> {
        catalog
            .tables
            .get(q)
            .ok_or_else(|| self.error(format!("table {q} is not in the catalog")))
    }

    fn column(&self, key: &ColumnKey) -> Result<&'a ColumnDef, RenderError> {
        self.table(self.pair.next, &key.table)?
            .column(&key.column)
            .ok_or_else(|| self.error(format!("no column {} in {}", key.column, key.table)))
    }
}

/// The statements that make one step.
pub fn render(step: &Step, pair: Pair<&Catalog>) -> Result<Vec<Statement>, RenderError> {
    let cx = Ctx { step, pair };
    if let Some(statements) = column_step(&cx)? {
        return Ok(statements);
    }
    Ok(match step {
        Step::CreateSchema { name } => vec![Statement::new(
            ObjectKey::named(ObjectKind::Schema, name),
            format!("CREATE SCHEMA {}", ident(name)),
        )],
        Step::DropSchema { name } => vec![Statement::new(
            ObjectKey::named(ObjectKind::Schema, name),
            format!("DROP SCHEMA {}", ident(name)),
        )],
        Step::CreateTable { name } => vec![Statement::new(
            ObjectKey::new(ObjectKind::Table, name),
            table_sql(name, cx.table(pair.next, name)?),
        )],
        Step::DropTables { names } => drop_tables(names, pair.previous),
        Step::RenameTable { from, to } => vec![Statement::new(
            ObjectKey::new(ObjectKind::Table, &QName::new(&from.schema, to)),
            format!("ALTER TABLE {} RENAME TO {}", from.sql_duck(), ident(to)),
        )],
        Step::RebuildTable {
            name,
            previous,
            keep,
        } => rebuild(&cx, name, previous, keep)?,
        Step::CreateIndex { on } => {
            let t = cx.table(pair.next, &on.table)?;
            let index = t
                .indexes
                .iter()
                .find(|i| i.name == on.name)
                .ok_or_else(|| cx.error(format!("no index {}", on.name)))?;
            vec![Statement::new(
                ObjectKey::new(ObjectKind::Index, &QName::new(&on.table.schema, &on.name)),
                index_sql(&on.table, index),
            )]
        }
        Step::DropIndex { name } => vec![Statement::new(
            ObjectKey::new(ObjectKind::Index, name),
            format!("DROP INDEX {}", name.sql_duck()),
        )],
        Step::CreateView { name } => {
            let v = pair
                .next
                .views
                .get(name)
                .ok_or_else(|| cx.error(format!("view {name} is not in the catalog")))?;
            vec![Statement::new(
                ObjectKey::new(ObjectKind::View, name),
                format!("CREATE VIEW {} AS {}", name.sql_duck(), v.query),
            )]
        }
        Step::DropView {
            name,
            materialized: false,
        } => vec![Statement::new(
            ObjectKey::new(ObjectKind::View, name),
            format!("DROP VIEW {}", name.sql_duck()),
        )],
        Step::SetComment { target, comment } => vec![comment_sql(&cx, target, comment.as_deref())?],
        other => {
            return Err(cx.error(format!(
                "DuckDB has no statement for this step ({:?} phase); the model validation \
                 should have refused what needs it",
                other.phase()
            )));
        }
    })
}

/// The statements of a step that changes one column in place; `None` for other steps.
fn column_step(cx: &Ctx<'_>) -> Result<Option<Vec<Statement>>, RenderError> {
    let column_key = |c: &ColumnKey| ObjectKey::on_table(ObjectKind::Column, &c.table, &c.column);
    let alter_column = |c: &ColumnKey, action: String| {
        Statement::new(
            column_key(c),
            format!(
                "ALTER TABLE {} ALTER COLUMN {} {action}",
                c.table.sql_duck(),
                ident(&c.column)
            ),
        )
    };
    let statement = match cx.step {
        Step::AddColumn { column } => Statement::new(
            column_key(column),
            format!(
                "ALTER TABLE {} ADD COLUMN {}",
                column.table.sql_duck(),
                column_sql(cx.column(column)?)
            ),
        ),
        Step::RenameColumn { table, from, to } => Statement::new(
            ObjectKey::on_table(ObjectKind::Column, table, to),
            format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                table.sql_duck(),
                ident(from),
                ident(to)
            ),
        ),
        Step::DropColumn { table, column } => Statement::new(
            ObjectKey::on_table(ObjectKind::Column, table, column),
            format!(
                "ALTER TABLE {} DROP COLUMN {}",
                table.sql_duck(),
                ident(column)
            ),
        ),
        Step::DropColumnDefault { column } => alter_column(column, "DROP DEFAULT".into()),
        Step::SetColumnDefault { column } => {
            let c = cx.column(column)?;
            let default = c
                .default
                .as_deref()
                .ok_or_else(|| cx.error(format!("column {} has no default", c.name)))?;
            alter_column(column, format!("SET DEFAULT {default}"))
        }
        Step::SetNotNull { column } => alter_column(column, "SET NOT NULL".into()),
        Step::DropNotNull { column } => alter_column(column, "DROP NOT NULL".into()),
        Step::AlterColumnType {
            column, conversion, ..
        } => {
            let c = cx.column(column)?;
            let using = match conversion {
                Conversion::Cast | Conversion::ReplacedDomain => String::new(),
                Conversion::Using(expr) => format!(" USING ({expr})"),
                Conversion::ViaText => format!(" USING CAST({} AS VARCHAR)", ident(&c.name)),
            };
            alter_column(column, format!("SET DATA TYPE {}{using}", c.ty))
        }
        _ => return Ok(None),
    };
    Ok(Some(vec![statement]))
}

trait DuckName {
    fn sql_duck(&self) -> String;
}

impl DuckName for QName {
    fn sql_duck(&self) -> String {
        qualified(&self.schema, &self.name)
    }
}

/// Tables the plan drops, one statement each (DuckDB drops one table per statement),
/// those that reference another of them first.
fn drop_tables(names: &[QName], previous: &Catalog) -> Vec<Statement> {
    let mut left: Vec<&QName> = names.iter().collect();
    let mut ordered: Vec<&QName> = Vec::new();
    while !left.is_empty() {
        // A table no other table left references goes now; a cycle goes as it is.
        let next =
            left.iter()
                .position(|q| {
                    !left.iter().any(|other| {
                        other != q
                            && previous.tables.get(*other).is_some_and(|t| {
                                t.foreign_keys.iter().any(|fk| fk.references == **q)
                            })
                    })
                })
                .unwrap_or(0);
        ordered.push(left.remove(next));
    }
    ordered
        .into_iter()
        .map(|q| {
            Statement::new(
                ObjectKey::new(ObjectKind::Table, q),
                format!("DROP TABLE {}", q.sql_duck()),
            )
        })
        .collect()
}

/// The table built anew: its rows (renamed columns under their new names, `using`
/// conversions applied) kept aside in a temporary table, the old table dropped (with its
/// indexes), the new one created under its name and filled. No table is renamed: DuckDB
/// refuses to rename a table with indexes, and a renamed table with foreign keys leaves
/// its old name in the referenced table. Its indexes are steps of their own, after this
/// one. DuckDB refuses to drop a table another table's foreign key references, so such a
/// rebuild is an error before anything runs.
fn rebuild(
    cx: &Ctx<'_>,
    name: &QName,
    previous: &QName,
    keep: &[CopiedColumn],
) -> Result<Vec<Statement>, RenderError> {
    let def = cx.table(cx.pair.next, name)?;
    let old = cx.table(cx.pair.previous, previous)?;
    for (other, t) in &cx.pair.previous.tables {
        if other == previous {
            continue;
        }
        if let Some(fk) = t.foreign_keys.iter().find(|fk| fk.references == *previous) {
            return Err(cx.error(format!(
                "DuckDB cannot rebuild table {previous}: the foreign key {} of table {other} \
                 references it (DuckDB can neither drop a referenced table nor add the key \
                 again later); drop the foreign key in one release and change the table in \
                 the next",
                fk.name
            )));
        }
    }
    let key = ObjectKey::new(ObjectKind::Table, name);
    let rows = format!(
        "temp.main.{}",
        ident(&format!("schemactl_rows_{}", name.name))
    );
    let mut out = Vec::new();
    if !keep.is_empty() {
        // The old table's columns under the names the model gives them now, so that
        // `using` expressions (which name the new names) read them.
        let renamed: Vec<String> = old
            .columns
            .iter()
            .map(|c| {
                match keep
                    .iter()
                    .find(|k| k.renamed_from.as_deref() == Some(c.name.as_str()))
                {
                    Some(k) => format!("{} AS {}", ident(&c.name), ident(&k.column)),
                    None => ident(&c.name),
                }
            })
            .collect();
        let values: Vec<String> = keep
            .iter()
            .map(|k| match &k.from {
                CopySource::Column => ident(&k.column),
                CopySource::Expression(expr) => format!("({expr}) AS {}", ident(&k.column)),
            })
            .collect();
        let source = if keep.iter().any(|k| k.renamed_from.is_some()) {
            format!(
                "(SELECT {} FROM {}) AS old",
                renamed.join(", "),
                previous.sql_duck()
            )
        } else {
            previous.sql_duck()
        };
        out.push(Statement::new(
            key.clone(),
            format!(
                "CREATE TEMP TABLE {rows} AS SELECT {} FROM {source}",
                values.join(", ")
            ),
        ));
    }
    out.push(Statement::new(
        key.clone(),
        format!("DROP TABLE {}", previous.sql_duck()),
    ));
    out.push(Statement::new(key.clone(), table_sql(name, def)));
    if !keep.is_empty() {
        let columns: Vec<&str> = keep.iter().map(|k| k.column.as_str()).collect();
        out.push(Statement::new(
            key.clone(),
            format!(
                "INSERT INTO {} ({}) SELECT {} FROM {rows}",
                name.sql_duck(),
                ident_list(&columns),
                ident_list(&columns),
            ),
        ));
        out.push(Statement::new(key, format!("DROP TABLE {rows}")));
    }
    Ok(out)
}

/// `CREATE TABLE` for `create_as` with the shape of `def`: columns, then
/// the key, unique constraints, checks and foreign keys, all written on the table.
pub fn table_sql(create_as: &QName, def: &TableDef) -> String {
    let mut lines: Vec<String> = def.columns.iter().map(column_sql).collect();
    if let Some(pk) = &def.primary_key {
        lines.push(format!("PRIMARY KEY ({})", ident_list(&pk.columns)));
    }
    for u in &def.uniques {
        lines.push(format!("UNIQUE ({})", ident_list(&u.columns)));
    }
    for c in &def.checks {
        lines.push(format!("CHECK ({})", c.expression));
    }
    for fk in &def.foreign_keys {
        let mut line = format!(
            "FOREIGN KEY ({}) REFERENCES {}",
            ident_list(&fk.columns),
            fk.references.sql_duck()
        );
        if !fk.referenced_columns.is_empty() {
            line.push_str(&format!(" ({})", ident_list(&fk.referenced_columns)));
        }
        lines.push(line);
    }
    format!(
        "CREATE TABLE {} (\n  {}\n)",
        create_as.sql_duck(),
        lines.join(",\n  ")
    )
}

/// A column definition: name, type, NOT NULL and DEFAULT.
fn column_sql(c: &ColumnDef) -> String {
    let mut out = format!("{} {}", ident(&c.name), c.ty);
    if !c.nullable {
        out.push_str(" NOT NULL");
    }
    if let Some(default) = &c.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    out
}

/// `CREATE [UNIQUE] INDEX name ON schema.table (columns)`: an ART index.
pub fn index_sql(table: &QName, index: &IndexDef) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|k| match k {
            IndexKeyDef::Column { name, .. } => ident(name),
            IndexKeyDef::Expression { sql, .. } => format!("({sql})"),
        })
        .collect();
    format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        table.sql_duck(),
        keys.join(", ")
    )
}

fn comment_sql(
    cx: &Ctx<'_>,
    target: &Target,
    comment: Option<&str>,
) -> Result<Statement, RenderError> {
    let (key, on) = match target {
        Target::Table { name } => (
            ObjectKey::new(ObjectKind::Table, name),
            format!("TABLE {}", name.sql_duck()),
        ),
        Target::Column { column } => (
            ObjectKey::on_table(ObjectKind::Column, &column.table, &column.column),
            format!(
                "COLUMN {}.{}",
                column.table.sql_duck(),
                ident(&column.column)
            ),
        ),
        Target::View { name } => (
            ObjectKey::new(ObjectKind::View, name),
            format!("VIEW {}", name.sql_duck()),
        ),
        other => {
            return Err(cx.error(format!(
                "DuckDB keeps no comment on this object ({other:?})"
            )));
        }
    };
    let text = comment.map_or_else(|| "NULL".to_string(), literal);
    Ok(Statement::new(key, format!("COMMENT ON {on} IS {text}")))
}
