//! `pull --split`: one file per schema under `schemas/` beside the root file, which keeps
//! the database, extensions, roles and unmanaged entries and includes the schema files.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::model::Model;

/// The files of a split model: the root and each schema's, with their text.
pub struct SplitModel {
    /// The model as it reads back: the pulled one with its `include` list.
    pub model: Model,
    pub files: Vec<(PathBuf, String)>,
}

/// Splits `model` into a root file at `root` and one file per schema.
pub fn split(model: &Model, root: &Path, header: &str) -> anyhow::Result<SplitModel> {
    let dir = root.parent().unwrap_or(Path::new(""));
    let mut files = Vec::new();
    let mut include = Vec::new();
    for (name, schema) in &model.schemas {
        let relative = unique_file(&include, name);
        let mut schemas = Map::new();
        schemas.insert(name.clone(), serde_json::to_value(schema)?);
        let mut document = Map::new();
        document.insert("schemas".to_string(), Value::Object(schemas));
        let text = super::yaml::value_to_yaml(
            Value::Object(document),
            &format!("Schema {name}, included by {}.", file_name(root)),
        )?;
        files.push((dir.join(&relative), text));
        include.push(relative);
    }
    let mut whole = model.clone();
    whole.include = include;
    let mut top = whole.clone();
    top.schemas.clear();
    let text = super::yaml::to_yaml(&top, header)?;
    files.insert(0, (root.to_path_buf(), text));
    Ok(SplitModel {
        model: whole,
        files,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `schemas/<name>.yaml`, the name reduced to characters every file system takes and
/// numbered when two schemas reduce to the same.
fn unique_file(taken: &[String], schema: &str) -> String {
    let safe: String = schema
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut candidate = format!("schemas/{safe}.yaml");
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        candidate = format!("schemas/{safe}-{n}.yaml");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_distinct() {
        let mut taken = Vec::new();
        for name in ["shop", "Sales Data", "sales_data", "a/b"] {
            let file = unique_file(&taken, name);
            taken.push(file);
        }
        assert_eq!(
            taken,
            [
                "schemas/shop.yaml",
                "schemas/Sales_Data.yaml",
                "schemas/sales_data-2.yaml",
                "schemas/a_b.yaml"
            ]
        );
    }
}
