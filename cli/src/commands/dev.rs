//! `schemactl dev …`: the scratch databases plans leave on the dev server
//! (`crate::scratch`).

pub use crate::scratch::DevCommand;

pub fn run(command: &DevCommand) -> u8 {
    crate::scratch::run(command)
}
