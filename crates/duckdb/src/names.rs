//! The names of constraints. DuckDB keeps no constraint names (it reports names made
//! from the columns, numbered on collisions), so the catalog names each constraint from
//! what it is, the same way for the model and for a live database: `pkey`,
//! `<columns>_key`, `<columns>_fkey`, and `check<n>` for the n-th check of the table (in
//! the order `CREATE TABLE` writes them). The names leave the table out, so a renamed
//! table keeps them; [`follow_renames`] carries them (and the constraints' columns) over
//! renamed columns.

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

/// `def` as it reads once its columns are renamed as `columns` says (old → new), as
/// DuckDB's `RENAME COLUMN` leaves it: the key, unique constraints and foreign keys name
/// the new columns, and the names of unique constraints and foreign keys follow.
pub fn follow_renames(columns: &[(String, String)], def: &TableDef) -> TableDef {
    let rename = |c: &String| {
        columns
            .iter()
            .find(|(old, _)| old == c)
            .map_or_else(|| c.clone(), |(_, new)| new.clone())
    };
    let mut out = def.clone();
    if let Some(pk) = &mut out.primary_key {
        pk.columns = pk.columns.iter().map(rename).collect();
    }
    for u in &mut out.uniques {
        u.columns = u.columns.iter().map(rename).collect();
        u.name = unique(&u.columns);
    }
    for fk in &mut out.foreign_keys {
        fk.columns = fk.columns.iter().map(rename).collect();
        fk.name = foreign_key(&fk.columns);
    }
    out
}
