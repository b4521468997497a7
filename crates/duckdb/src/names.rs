//! The names of constraints. DuckDB keeps no constraint names (it reports names made
//! from the columns, numbered on collisions), so the catalog names each constraint from
//! what it is, the same way for the model and for a live database: `pkey`,
//! `<columns>_key`, `<columns>_fkey`, and `check<n>` for the n-th check of the table (in
//! the order `CREATE TABLE` writes them). The names leave the table out, so a renamed
//! table keeps them; [`follow_renames`] carries them over renamed columns.

use schemactl_core::catalog::TableDef;

pub fn primary_key() -> String {
    "pkey".to_string()
}

pub fn unique(columns: &[String]) -> String {
    format!("{}_key", columns.join("_"))
}

pub fn foreign_key(columns: &[String]) -> String {
    format!("{}_fkey", columns.join("_"))
}

/// The `n`th (from 1) check of a table.
pub fn check(n: usize) -> String {
    format!("check{n}")
}

/// `def` as it reads once its columns are renamed as `columns` says (old → new): the
/// names of its unique constraints and foreign keys follow their columns.
pub fn follow_renames(columns: &[(String, String)], def: &TableDef) -> TableDef {
    let rename = |c: &String| {
        columns
            .iter()
            .find(|(old, _)| old == c)
            .map_or_else(|| c.clone(), |(_, new)| new.clone())
    };
    let mut out = def.clone();
    for u in &mut out.uniques {
        let renamed: Vec<String> = u.columns.iter().map(rename).collect();
        u.name = unique(&renamed);
    }
    for fk in &mut out.foreign_keys {
        let renamed: Vec<String> = fk.columns.iter().map(rename).collect();
        fk.name = foreign_key(&renamed);
    }
    out
}
