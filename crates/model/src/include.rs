//! Multi-file models: the root file's `include:` lists YAML files (relative to the root
//! file) whose `roles`, `schemas`, `extensions` and `unmanaged` merge into the model.
//!
//! Each included file is read into JSON with the positions of its nodes, like the root.
//! A name (a role, a schema) may be defined in one file only: a second definition is an
//! error at its key, naming the first. Lists are concatenated in file order, and the
//! pointers of an included file's list items are moved to their index in the merged list,
//! so that every later diagnostic (JSON Schema or semantic) finds the file, line and
//! column it is about.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::diag::{Anchor, Diagnostic, Pos};
use crate::load::{Included, Positions, Source, escape_pointer};

/// Top-level keys whose maps merge by name.
const MAPS: &[&str] = &["roles", "schemas"];
/// Top-level keys whose lists are concatenated.
const LISTS: &[&str] = &["extensions", "unmanaged"];

/// Reads the files `value`'s `include` names and merges them into `value`. Problems go to
/// `diagnostics`; the included files are returned for the source either way.
pub(crate) fn merge(
    root_path: &Path,
    value: &mut Value,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Included> {
    // A malformed `include` (not a list of strings) is the JSON Schema check's to report.
    let names: Vec<String> = match value.get("include").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        None => return Vec::new(),
    };
    let dir = root_path.parent().unwrap_or(Path::new(""));
    let mut includes: Vec<Included> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let file_index = includes.len() + 1;
        let path = dir.join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) => {
                diagnostics.push(
                    Diagnostic::new(
                        format!("/include/{i}"),
                        format!("cannot read included file {}: {err}", path.display()),
                    )
                    .with_hint("`include` paths are relative to the file that lists them"),
                );
                continue;
            }
        };
        if includes.iter().any(|inc| inc.path == path) {
            diagnostics.push(Diagnostic::new(
                format!("/include/{i}"),
                format!("{} is included twice", path.display()),
            ));
            continue;
        }
        let in_file = |pos: Pos| Anchor::InFile {
            file: file_index,
            pos,
        };
        // Positions are only read (from the text) when a diagnostic needs one, as for
        // the root file; a duplicate key or malformed YAML is reported from the located
        // tree.
        let positions = OnceCell::new();
        let part = match crate::load::parse_value(&text) {
            Some(part) => part,
            None => match located(&text, in_file, diagnostics) {
                Some((part, located)) => {
                    let _ = positions.set(located);
                    part
                }
                None => {
                    includes.push(Included::new(path, text, Vec::new()));
                    continue;
                }
            },
        };
        let key_pos = |pointer: &str| {
            positions
                .get_or_init(|| crate::load::locate(&text))
                .get(pointer)
                .map(|p| p.0)
                .unwrap_or_default()
        };
        let offsets = merge_part(
            value,
            part,
            &key_pos,
            file_index,
            source,
            &includes,
            diagnostics,
        );
        let included = Included::new(path, text, offsets.clone());
        if let Some(positions) = positions.into_inner() {
            included.set_positions(shift(positions, &offsets));
        }
        includes.push(included);
    }
    includes
}

/// An included file read with positions: its JSON and positions, or `None` when it does
/// not parse. Its problems (malformed YAML, duplicate keys) go to `diagnostics`.
fn located(
    text: &str,
    in_file: impl Fn(Pos) -> Anchor,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Value, Positions)> {
    let tree = match crate::load::parse_tree(text) {
        Ok(tree) => tree,
        Err(err) => {
            let pos = err
                .location()
                .map(|l| Pos::new(l.line(), l.column()))
                .unwrap_or_default();
            let (message, hint) = crate::load::yaml_problem(&err, text, pos);
            diagnostics.push(Diagnostic {
                anchor: in_file(pos),
                message,
                hint: Some(hint),
            });
            return None;
        }
    };
    let mut positions = HashMap::new();
    let mut own = Vec::new();
    let part = crate::load::tree_to_json(tree, &mut positions, &mut own);
    // Duplicate keys inside the included file are positions in that file.
    diagnostics.extend(own.into_iter().map(|mut d| {
        if let Anchor::Pos(pos) = d.anchor {
            d.anchor = in_file(pos);
        }
        d
    }));
    Some((part, positions))
}

/// Merges one included document into the model; returns the list offsets it took.
/// `key_pos` finds a key in the included file (its top-level keys and the names under
/// them, which no list offset moves).
fn merge_part(
    value: &mut Value,
    part: Value,
    key_pos: &dyn Fn(&str) -> Pos,
    file_index: usize,
    source: &Source,
    earlier: &[Included],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, usize)> {
    let at_key = |pointer: &str, message: String| Diagnostic {
        anchor: Anchor::InFile {
            file: file_index,
            pos: key_pos(pointer),
        },
        message,
        hint: None,
    };
    let Value::Object(part) = part else {
        diagnostics.push(at_key(
            "",
            "an included file holds a mapping of `roles`, `schemas`, `extensions` and \
             `unmanaged`"
                .into(),
        ));
        return Vec::new();
    };
    let Some(root) = value.as_object_mut() else {
        return Vec::new();
    };
    let mut offsets = Vec::new();
    for (key, item) in part {
        let pointer = format!("/{}", escape_pointer(&key));
        if key == "include" || key == "database" {
            diagnostics.push(
                at_key(&pointer, format!("`{key}` belongs in the root model file"))
                    .with_hint("an included file holds roles, schemas, extensions and unmanaged"),
            );
            continue;
        }
        if LISTS.contains(&key.as_str())
            && let Value::Array(items) = item
        {
            let target = root
                .entry(key.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = target {
                offsets.push((pointer, list.len()));
                list.extend(items);
            }
            continue;
        }
        if MAPS.contains(&key.as_str())
            && let Value::Object(entries) = item
        {
            let target = root
                .entry(key.clone())
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            let Value::Object(map) = target else {
                continue;
            };
            for (name, entry) in entries {
                let entry_pointer = format!("{pointer}/{}", escape_pointer(&name));
                if map.contains_key(&name) {
                    let first = first_definition(source, earlier, &entry_pointer);
                    diagnostics.push(
                        at_key(&entry_pointer, format!("`{key}.{name}` is defined twice"))
                            .with_hint(format!("the first definition is at {first}")),
                    );
                    continue;
                }
                map.insert(name, entry);
            }
            continue;
        }
        if root.contains_key(&key) {
            diagnostics.push(at_key(&pointer, format!("`{key}` is defined twice")));
            continue;
        }
        // An unknown key: the JSON Schema check reports it, in this file.
        root.insert(key, item);
    }
    offsets
}

/// `path:line:column` of the earlier definition of `pointer` (the root or an earlier
/// included file).
fn first_definition(source: &Source, earlier: &[Included], pointer: &str) -> String {
    if source.contains(pointer) {
        let pos = source.key_pos(pointer);
        return format!("{}:{}:{}", source.path.display(), pos.line, pos.column);
    }
    for inc in earlier {
        if let Some(pos) = inc.key_pos(pointer) {
            return format!("{}:{}:{}", inc.path.display(), pos.line, pos.column);
        }
    }
    "an earlier file".to_string()
}

/// Moves the pointers of list items by their list's offset in the merged document.
pub(crate) fn shift(positions: Positions, offsets: &[(String, usize)]) -> Positions {
    if offsets.iter().all(|(_, o)| *o == 0) {
        return positions;
    }
    positions
        .into_iter()
        .map(|(pointer, pos)| {
            for (list, offset) in offsets {
                if let Some(rest) = pointer.strip_prefix(&format!("{list}/")) {
                    let (index, tail) = rest.split_once('/').map_or((rest, ""), |(i, t)| (i, t));
                    if let Ok(i) = index.parse::<usize>() {
                        let tail = if tail.is_empty() {
                            String::new()
                        } else {
                            format!("/{tail}")
                        };
                        return (format!("{list}/{}{tail}", i + offset), pos);
                    }
                }
            }
            (pointer, pos)
        })
        .collect()
}
