//! `schemactl local …`: the project-local PostgreSQL server under `target/`
//! (`crate::local`).

use crate::exit::{EXIT_OK, EXIT_USAGE};
use crate::local::LocalCommand;

pub fn run(command: &LocalCommand) -> u8 {
    match crate::local::run(command) {
        Ok(()) => EXIT_OK,
        Err(err) => crate::exit::report(&err, EXIT_USAGE),
    }
}
