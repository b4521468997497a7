//! The steps from one SQLite schema to another.
//!
//! Both sides are lists of `CREATE` statements (from `sqlite_schema`, or rendered from a
//! model). Tables are compared by structure, parsed with sqlparser, so that the text
//! SQLite rewrites after `ADD COLUMN` or `RENAME COLUMN` compares equal to a fresh
//! rendering; indexes, views and triggers by their normalized statement.
//!
//! SQLite's `ALTER TABLE` only renames and adds columns, so every other table change is
//! the 12-step rebuild (<https://www.sqlite.org/lang_altertable.html#otheralter>): create
//! the new shape under a temporary name, copy the rows, drop the old table, rename, then
//! recreate the table's indexes and triggers. It runs with foreign keys switched off
//! around the transaction and `PRAGMA foreign_key_check` before the commit (see
//! `Plan::foreign_keys_off`). Views and triggers that mention a rebuilt table are dropped
//! first and recreated after, because SQLite refuses a rename while a view names a
//! missing table.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use sqlparser::ast::{ColumnOption, Expr, GeneratedAs, Statement};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer, Word};

use super::render::{Kind, Object};
use crate::catalog::QName;
use crate::diff::{Change, Hazard, Hints, Plan};
use crate::sql::{ident, ident_list};
use crate::validate::sqlite::MAIN_SCHEMA;

/// The table a name of the one schema stands for in the shared [`Hints`].
fn qname(table: &str) -> QName {
    QName::new(MAIN_SCHEMA, table)
}

/// A table's structure: column definitions by name (in order) and table constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    columns: IndexMap<String, String>,
    /// Whether `ALTER TABLE ADD COLUMN` can add each column.
    addable: IndexMap<String, bool>,
    constraints: BTreeSet<String>,
}

fn shape(sql: &str) -> Option<Shape> {
    let statements = Parser::parse_sql(&SQLiteDialect {}, &unquote(sql)).ok()?;
    let Some(Statement::CreateTable(create)) = statements.into_iter().next() else {
        return None;
    };
    let mut columns = IndexMap::new();
    let mut addable = IndexMap::new();
    for column in &create.columns {
        let options: Vec<String> = column.options.iter().map(|o| o.to_string()).collect();
        columns.insert(
            column.name.value.clone(),
            format!("{} {}", column.data_type, options.join(" ")),
        );
        addable.insert(column.name.value.clone(), can_add(column));
    }
    let constraints = create.constraints.iter().map(|c| c.to_string()).collect();
    Some(Shape {
        columns,
        addable,
        constraints,
    })
}

/// SQLite's rules for `ADD COLUMN`: no key, no UNIQUE, no stored generated column, a
/// constant default, and a non-NULL default when the column is NOT NULL or a reference.
fn can_add(column: &sqlparser::ast::ColumnDef) -> bool {
    let mut not_null = false;
    let mut references = false;
    let mut default: Option<&Expr> = None;
    for option in &column.options {
        match &option.option {
            ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) => return false,
            ColumnOption::Generated { generated_as, .. }
                if !matches!(generated_as, GeneratedAs::ExpStored) =>
            {
                // Virtual generated columns can be added; stored ones cannot.
            }
            ColumnOption::Generated { .. } => return false,
            ColumnOption::NotNull => not_null = true,
            ColumnOption::ForeignKey(_) => references = true,
            ColumnOption::Default(expr) => default = Some(expr),
            _ => {}
        }
    }
    let constant = match default {
        None => true,
        Some(Expr::Value(_)) | Some(Expr::UnaryOp { .. }) => true,
        Some(_) => false,
    };
    let non_null_default = matches!(default, Some(Expr::Value(v)) if !v.to_string().eq_ignore_ascii_case("NULL"))
        || matches!(default, Some(Expr::UnaryOp { .. }));
    constant && (!not_null || non_null_default) && (!references || default.is_none())
}

/// A statement in a form where spacing and keyword case do not matter.
pub fn normalize(sql: &str) -> String {
    let sql = unquote(sql);
    match Parser::parse_sql(&SQLiteDialect {}, &sql) {
        Ok(statements) if statements.len() == 1 => statements[0].to_string(),
        _ => sql.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// The statement with quotes dropped from identifiers that do not need them. SQLite
/// quotes the names it writes into stored statements (`RENAME` rewrites references as
/// `"name"`), while the renderer quotes only where needed; both mean the same.
fn unquote(sql: &str) -> String {
    map_words(sql, |word| {
        (word.quote_style.is_some() && ident(&word.value) == word.value).then(|| word.value.clone())
    })
}

/// The statement with every identifier naming a renamed table replaced by its new name.
fn rename_references(sql: &str, renamed: &BTreeMap<String, String>) -> String {
    map_words(sql, |word| {
        renamed
            .iter()
            .find(|(old, _)| old.eq_ignore_ascii_case(&word.value))
            .map(|(_, new)| ident(new))
    })
}

/// The statement re-joined from its tokens, with the words `replace` gives text for
/// replaced; unchanged when it does not tokenize.
fn map_words(sql: &str, replace: impl Fn(&Word) -> Option<String>) -> String {
    let Ok(tokens) = Tokenizer::new(&SQLiteDialect {}, sql).tokenize() else {
        return sql.to_string();
    };
    tokens
        .into_iter()
        .map(|token| match &token {
            Token::Word(word) => replace(word).unwrap_or_else(|| token.to_string()),
            _ => token.to_string(),
        })
        .collect()
}

/// Whether `text` names `name` as an identifier (outside literals and comments). SQLite
/// compares identifiers case-insensitively, quoted or not.
fn mentions(text: &str, name: &str) -> bool {
    crate::deps::references(text)
        .iter()
        .any(|r| r.name.eq_ignore_ascii_case(name))
}

/// The plan from `current` to `desired`.
pub fn diff(current: &[Object], desired: &[Object], hints: &Hints) -> Plan {
    let find = |list: &[Object], kind: Kind, name: &str| -> Option<Object> {
        list.iter()
            .find(|o| o.kind == kind && o.name == name)
            .cloned()
    };
    let tables = |list: &[Object]| -> Vec<Object> {
        list.iter()
            .filter(|o| o.kind == Kind::Table)
            .cloned()
            .collect()
    };
    let mut steps = Steps::default();

    // Tables: renames first, so that the rest compares like with like.
    let mut current_tables: IndexMap<String, Object> = tables(current)
        .into_iter()
        .map(|o| (o.name.clone(), o))
        .collect();
    let desired_tables = tables(desired);
    let mut renamed_tables: BTreeMap<String, String> = BTreeMap::new();
    for table in &desired_tables {
        if current_tables.contains_key(&table.name) {
            continue;
        }
        if let Some(old) = hints.tables.get(&qname(&table.name))
            && let Some(mut object) = current_tables.shift_remove(old)
        {
            steps.tables.push(Change::new(
                format!("rename table {old} to {}", table.name),
                format!(
                    "ALTER TABLE {} RENAME TO {}",
                    ident(old),
                    ident(&table.name)
                ),
            ));
            object.name = table.name.clone();
            object.table = table.name.clone();
            current_tables.insert(table.name.clone(), object);
            renamed_tables.insert(old.clone(), table.name.clone());
        }
    }
    // SQLite rewrites references to a renamed table in other tables' foreign keys, in
    // views and in triggers; compare with what the rename will leave.
    let renamed_current: Vec<Object>;
    let current: &[Object] = if renamed_tables.is_empty() {
        current
    } else {
        renamed_current = current
            .iter()
            .map(|o| Object {
                sql: rename_references(&o.sql, &renamed_tables),
                ..o.clone()
            })
            .collect();
        for object in current_tables.values_mut() {
            object.sql = rename_references(&object.sql, &renamed_tables);
        }
        &renamed_current
    };
    let mut rebuilt: BTreeSet<String> = BTreeSet::new();
    let mut created: BTreeSet<String> = BTreeSet::new();
    for table in &desired_tables {
        match current_tables.get(&table.name) {
            None => {
                steps.tables.push(Change::new(
                    format!("create table {}", table.name),
                    table.sql.clone(),
                ));
                created.insert(table.name.clone());
            }
            Some(old) => {
                if !alter_table(&mut steps, old, table, hints) {
                    rebuilt.insert(table.name.clone());
                }
            }
        }
    }
    let dropped_tables: Vec<String> = current_tables
        .keys()
        .filter(|name| !desired_tables.iter().any(|t| &&t.name == name))
        .cloned()
        .collect();

    // Views and triggers that name a rebuilt or dropped table go first and come back after.
    let affected: Vec<&String> = rebuilt.iter().chain(dropped_tables.iter()).collect();
    let mut recreate: BTreeSet<(Kind, String)> = BTreeSet::new();
    for object in current
        .iter()
        .filter(|o| matches!(o.kind, Kind::View | Kind::Trigger))
    {
        let on_rebuilt = object.kind == Kind::Trigger
            && rebuilt.contains(renamed_tables.get(&object.table).unwrap_or(&object.table));
        if on_rebuilt || affected.iter().any(|t| mentions(&object.sql, t)) {
            recreate.insert((object.kind, object.name.clone()));
        }
    }
    // Views over views: anything mentioning a view that goes is recreated too.
    loop {
        let before = recreate.len();
        let going: Vec<String> = recreate
            .iter()
            .filter(|(k, _)| *k == Kind::View)
            .map(|(_, n)| n.clone())
            .collect();
        for object in current
            .iter()
            .filter(|o| matches!(o.kind, Kind::View | Kind::Trigger))
        {
            if going
                .iter()
                .any(|v| v != &object.name && mentions(&object.sql, v))
            {
                recreate.insert((object.kind, object.name.clone()));
            }
        }
        if recreate.len() == before {
            break;
        }
    }

    for kind in [Kind::Trigger, Kind::View, Kind::Index] {
        for old in current.iter().filter(|o| o.kind == kind) {
            let owner = renamed_tables.get(&old.table).unwrap_or(&old.table);
            // Indexes and triggers on a rebuilt or dropped table go with the table.
            if kind != Kind::View && (rebuilt.contains(owner) || dropped_tables.contains(owner)) {
                continue;
            }
            let wanted = find(desired, kind, &old.name);
            let same = wanted
                .as_ref()
                .is_some_and(|w| normalize(&w.sql) == normalize(&old.sql) && w.table == *owner);
            if !same || recreate.contains(&(kind, old.name.clone())) {
                steps.drops.push(Change::new(
                    format!("drop {} {}", kind.keyword().to_lowercase(), old.name),
                    format!("DROP {} {}", kind.keyword(), ident(&old.name)),
                ));
            }
        }
    }
    for name in &dropped_tables {
        steps.table_drops.push(
            Change::new(
                format!("drop table {name}"),
                format!("DROP TABLE {}", ident(name)),
            )
            .hazard(Hazard::DataLoss),
        );
    }
    for kind in [Kind::Index, Kind::View, Kind::Trigger] {
        for object in desired.iter().filter(|o| o.kind == kind) {
            let old = find(current, kind, &object.name);
            let owner_rebuilt = kind != Kind::View
                && (rebuilt.contains(&object.table) || created.contains(&object.table));
            let unchanged = old.as_ref().is_some_and(|o| {
                normalize(&o.sql) == normalize(&object.sql)
                    && renamed_tables.get(&o.table).unwrap_or(&o.table) == &object.table
            });
            if owner_rebuilt || !unchanged || recreate.contains(&(kind, object.name.clone())) {
                steps.creates.push(Change::new(
                    format!("create {} {}", kind.keyword().to_lowercase(), object.name),
                    object.sql.clone(),
                ));
            }
        }
    }
    let foreign_keys_off = !rebuilt.is_empty();
    let mut changes = steps.drops;
    changes.extend(steps.tables);
    changes.extend(steps.table_drops);
    changes.extend(steps.creates);
    Plan {
        changes,
        foreign_keys_off,
    }
}

#[derive(Default)]
struct Steps {
    drops: Vec<Change>,
    tables: Vec<Change>,
    table_drops: Vec<Change>,
    creates: Vec<Change>,
}

/// Alters `old` into `new` with `RENAME COLUMN` and `ADD COLUMN` where that is enough;
/// otherwise writes the rebuild and returns false.
fn alter_table(steps: &mut Steps, old: &Object, new: &Object, hints: &Hints) -> bool {
    let (Some(before), Some(after)) = (shape(&old.sql), shape(&new.sql)) else {
        if normalize(&old.sql) != normalize(&new.sql) {
            rebuild(steps, old, new, hints, None, None);
            return false;
        }
        return true;
    };
    let table = &new.name;
    let old_name_of = |column: &str| -> String {
        match hints.columns.get(&(qname(table), column.to_string())) {
            Some(old)
                if before.columns.contains_key(old) && !before.columns.contains_key(column) =>
            {
                old.clone()
            }
            _ => column.to_string(),
        }
    };
    // The old columns, renamed as the model says, must come first and unchanged.
    let renamed: Vec<(String, String)> = after
        .columns
        .keys()
        .filter_map(|c| {
            let old = old_name_of(c);
            (old != *c).then(|| (old, c.clone()))
        })
        .collect();
    let before_names: Vec<String> = before
        .columns
        .keys()
        .map(|c| {
            renamed
                .iter()
                .find(|(o, _)| o == c)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| c.clone())
        })
        .collect();
    let prefix_kept = before_names.len() <= after.columns.len()
        && before_names
            .iter()
            .zip(after.columns.keys())
            .all(|(b, a)| b == a)
        && before_names.iter().all(|name| {
            let old = renamed
                .iter()
                .find(|(_, n)| n == name)
                .map(|(o, _)| o.as_str())
                .unwrap_or(name);
            before.columns.get(old) == after.columns.get(name)
        });
    let added: Vec<&String> = after.columns.keys().skip(before_names.len()).collect();
    let in_place = prefix_kept
        && before.constraints == after.constraints
        && added.iter().all(|c| after.addable.get(*c) == Some(&true));
    if !in_place {
        rebuild(steps, old, new, hints, Some(&before), Some(&after));
        return false;
    }
    if before == after && renamed.is_empty() {
        return true;
    }
    for (old_column, new_column) in &renamed {
        steps.tables.push(Change::new(
            format!("rename column {table}.{old_column} to {new_column}"),
            format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                ident(table),
                ident(old_column),
                ident(new_column)
            ),
        ));
    }
    let definitions = column_definitions(&new.sql);
    for column in added {
        let definition = definitions
            .get(column)
            .cloned()
            .unwrap_or_else(|| ident(column));
        steps.tables.push(Change::new(
            format!("add column {table}.{column}"),
            format!("ALTER TABLE {} ADD COLUMN {definition}", ident(table)),
        ));
    }
    true
}

/// Column definitions as written in a `CREATE TABLE`, by column name.
fn column_definitions(sql: &str) -> IndexMap<String, String> {
    let Ok(statements) = Parser::parse_sql(&SQLiteDialect {}, sql) else {
        return IndexMap::new();
    };
    match statements.into_iter().next() {
        Some(Statement::CreateTable(create)) => create
            .columns
            .iter()
            .map(|c| (c.name.value.clone(), c.to_string()))
            .collect(),
        _ => IndexMap::new(),
    }
}

/// The 12-step rebuild of `old` into the shape of `new`, keeping every row.
fn rebuild(
    steps: &mut Steps,
    old: &Object,
    new: &Object,
    hints: &Hints,
    before: Option<&Shape>,
    after: Option<&Shape>,
) {
    let table = &new.name;
    let temporary = format!("_schemactl_new_{table}");
    let mut targets = Vec::new();
    let mut sources = Vec::new();
    let mut copied = BTreeSet::new();
    for column in after.iter().flat_map(|s| s.columns.keys()) {
        let key = (qname(table), column.clone());
        let old_column = hints
            .columns
            .get(&key)
            .filter(|o| before.is_some_and(|b| b.columns.contains_key(*o)))
            .cloned()
            .unwrap_or_else(|| column.clone());
        if !before.is_some_and(|b| b.columns.contains_key(&old_column)) {
            continue;
        }
        targets.push(column.clone());
        sources.push(match hints.using.get(&key) {
            Some(expression) => expression.clone(),
            None => ident(&old_column),
        });
        copied.insert(old_column);
    }
    // Without both shapes no row can be copied: the rebuild then loses the table's rows.
    let lost_note = match before.zip(after) {
        None => " (rows are not copied: a statement could not be parsed)".to_string(),
        Some((before, _)) => {
            let lost: Vec<&str> = before
                .columns
                .keys()
                .filter(|c| !copied.contains(*c))
                .map(String::as_str)
                .collect();
            if lost.is_empty() {
                String::new()
            } else {
                format!(" (drops column {})", lost.join(", "))
            }
        }
    };
    let create = new.sql.replacen(
        &format!("CREATE TABLE {}", ident(table)),
        &format!("CREATE TABLE {}", ident(&temporary)),
        1,
    );
    let mut change = |description: String, sql: String| {
        let mut c = Change::new(description, sql).hazard(Hazard::TableRewrite);
        if !lost_note.is_empty() {
            c = c.hazard(Hazard::DataLoss);
        }
        steps.tables.push(c);
    };
    change(
        format!("rebuild table {table}: create the new shape"),
        create,
    );
    if !targets.is_empty() {
        change(
            format!("rebuild table {table}: copy the rows"),
            format!(
                "INSERT INTO {} ({}) SELECT {} FROM {}",
                ident(&temporary),
                ident_list(&targets),
                sources.join(", "),
                ident(&old.name)
            ),
        );
    }
    change(
        format!("rebuild table {table}: drop the old table{lost_note}"),
        format!("DROP TABLE {}", ident(&old.name)),
    );
    change(
        format!("rebuild table {table}: rename the new table"),
        format!(
            "ALTER TABLE {} RENAME TO {}",
            ident(&temporary),
            ident(table)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(sql: &str) -> Object {
        Object {
            kind: Kind::Table,
            name: "t".into(),
            table: "t".into(),
            sql: sql.into(),
        }
    }

    fn plan(old: &str, new: &str) -> Plan {
        diff(&[table(old)], &[table(new)], &Hints::default())
    }

    #[test]
    fn a_rebuild_that_drops_a_column_is_data_loss() {
        let p = plan(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, year INTEGER, name TEXT)",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        );
        assert!(p.hazards().contains(&Hazard::DataLoss), "{}", p.sql());
        assert!(p.sql().contains("(drops column year)"), "{}", p.sql());
        assert!(
            p.sql()
                .contains("INSERT INTO _schemactl_new_t (id, name) SELECT id, name FROM t"),
            "{}",
            p.sql()
        );
    }

    #[test]
    fn a_rebuild_that_keeps_every_column_is_only_a_rewrite() {
        let p = plan(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        );
        assert_eq!(
            p.hazards().into_iter().collect::<Vec<_>>(),
            [Hazard::TableRewrite],
            "{}",
            p.sql()
        );
        assert!(p.foreign_keys_off);
    }

    #[test]
    fn a_table_that_cannot_be_parsed_is_rebuilt_as_data_loss() {
        let p = plan(
            "CREATE TABLE t (id INTEGER PRIMARY KEY) ??? not sql",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)",
        );
        assert!(p.hazards().contains(&Hazard::DataLoss), "{}", p.sql());
        assert!(!p.sql().contains("INSERT INTO"), "{}", p.sql());
        assert!(p.sql().contains("rows are not copied"), "{}", p.sql());
    }
}
