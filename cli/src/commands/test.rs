//! `schemactl test`: the model's access tests in a throwaway database (`crate::access`).

use std::path::Path;

pub use crate::access::TestArgs;

pub fn run(schema: &Path, args: &TestArgs) -> u8 {
    crate::access::run(schema, args)
}
