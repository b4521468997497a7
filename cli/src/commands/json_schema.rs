//! `schemactl json-schema`: the JSON Schema of the model format (kept at
//! `docs/schema.json`).

use crate::exit::EXIT_OK;
use crate::model::Model;

pub fn run() -> u8 {
    let text = serde_json::to_string_pretty(&Model::json_schema()).unwrap_or_default();
    println!("{text}");
    EXIT_OK
}
