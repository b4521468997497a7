//! The names SQLite leaves out. SQLite keeps a constraint's name only when the statement
//! writes one, so constraints written without a name are known by these defaults (the
//! names PostgreSQL would give them): the describer gives them, the renderer leaves the
//! default names out (writing the constraint on its column where it has one), and a
//! renamed table or column carries its default-named constraints along, as SQLite does.

use schemactl_core::catalog::{QName, TableDef};

pub fn primary_key(table: &str) -> String {
    format!("{table}_pkey")
}

pub fn unique(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_key", columns.join("_"))
}

pub fn column_check(table: &str, column: &str) -> String {
    format!("{table}_{column}_check")
}

pub fn json_check(table: &str, column: &str) -> String {
    format!("{table}_{column}_json")
}

/// The `n`th (from 1) check written on the table without a name.
pub fn table_check(table: &str, n: usize) -> String {
    format!("{table}_check{n}")
}

pub fn foreign_key(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_fkey", columns.join("_"))
}

/// The column a check is written on, when its name is a column check's default.
pub fn check_column<'t>(table: &str, name: &str, def: &'t TableDef) -> Option<&'t str> {
    def.columns
        .iter()
        .map(|c| c.name.as_str())
        .find(|c| name == column_check(table, c) || name == json_check(table, c))
}

/// `def` (named `from` before) as it reads once renamed to `to` and its columns renamed
/// as `columns` says (old → new): default-named constraints follow.
pub fn follow_renames(
    from: &str,
    to: &str,
    columns: &[(String, String)],
    def: &TableDef,
) -> TableDef {
    let mut out = def.clone();
    let rename_column = |c: &str| {
        columns
            .iter()
            .find(|(old, _)| old == c)
            .map_or_else(|| c.to_string(), |(_, new)| new.clone())
    };
    if let Some(pk) = &mut out.primary_key
        && pk.name == primary_key(from)
    {
        pk.name = primary_key(to);
    }
    for u in &mut out.uniques {
        if u.name == unique(from, &u.columns) {
            let renamed: Vec<String> = u.columns.iter().map(|c| rename_column(c)).collect();
            u.name = unique(to, &renamed);
        }
    }
    for fk in &mut out.foreign_keys {
        if fk.name == foreign_key(from, &fk.columns) {
            let renamed: Vec<String> = fk.columns.iter().map(|c| rename_column(c)).collect();
            fk.name = foreign_key(to, &renamed);
        }
    }
    let mut n = 0;
    for c in &mut out.checks {
        let column = def
            .columns
            .iter()
            .map(|col| col.name.as_str())
            .find(|col| c.name == column_check(from, col) || c.name == json_check(from, col));
        if let Some(col) = column {
            let json = c.name == json_check(from, col);
            let new = rename_column(col);
            c.name = if json {
                json_check(to, &new)
            } else {
                column_check(to, &new)
            };
        } else if c.name.starts_with(&format!("{from}_check")) {
            n += 1;
            c.name = table_check(to, n);
        }
    }
    out
}

/// The name of the table `q` in the one schema.
pub fn bare(q: &QName) -> &str {
    &q.name
}
