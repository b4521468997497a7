//! `schemactl validate`: every problem of the model with its file, line and column.

use std::path::Path;

use crate::cli::{EXIT_OK, load_and_validate};

pub fn run(path: &Path) -> u8 {
    match load_and_validate(path) {
        Ok(loaded) => {
            let m = &loaded.model;
            let tables: usize = m.schemas.values().map(|s| s.tables.len()).sum();
            println!(
                "{}: valid ({} schemas, {} tables, {} roles)",
                path.display(),
                m.schemas.len(),
                tables,
                m.roles.len()
            );
            EXIT_OK
        }
        Err(code) => code,
    }
}
