//! A model as readable YAML, written through serde-saphyr (decision 1): keys in the order
//! of the model reference, values the format defaults to left out, short leaves on one
//! line (`{ type: bigint, primary_key: true }`, `[select, insert]`), SQL text of several
//! lines as literal blocks, and a blank line between tables, views and functions.
//!
//! The model is first serialized to JSON (its serde form, field order kept), then shaped
//! here; [`to_yaml`]'s caller loads the text back and compares, so a formatting choice
//! can never change what the model says.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use crate::model::Model;

/// Longest one-line (flow) collection, indentation not counted.
const FLOW_WIDTH: usize = 100;

/// The model as YAML text, with a header comment.
pub fn to_yaml(model: &Model, header: &str) -> anyhow::Result<String> {
    value_to_yaml(serde_json::to_value(model)?, header)
}

/// A model document (the root or a part of one, in the model's serde form) as YAML.
pub fn value_to_yaml(mut value: Value, header: &str) -> anyhow::Result<String> {
    shape(&mut value, &[]);
    let options = serde_saphyr::ser_options! {
        // Long SQL stays on one line rather than folded: a folded scalar reads back
        // with different whitespace when a line starts with spaces.
        folded_wrap_chars: usize::MAX / 2,
    };
    let body = serde_saphyr::to_string_with_options(&Node::new(&value, "", 0), options)
        .map_err(|e| anyhow::anyhow!("cannot write the model as YAML: {e}"))?;
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(format!("# {line}").trim_end());
        out.push('\n');
    }
    if !header.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    Ok(out)
}

/// Drops the values the format defaults to and puts keys in the reference's order.
/// `path` holds the keys from the root (map keys of names included).
fn shape(value: &mut Value, path: &[&str]) {
    match value {
        Value::Object(map) => {
            let kind = kind_of(path);
            drop_defaults(map, kind);
            if let Some(order) = key_order(kind) {
                reorder(map, order);
            }
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let mut child_path = path.to_vec();
                child_path.push(key.as_str());
                if let Some(child) = map.get_mut(&key) {
                    shape(child, &child_path);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                let mut child_path = path.to_vec();
                child_path.push("[]");
                shape(item, &child_path);
            }
        }
        _ => {}
    }
}

/// What kind of model object a map at `path` is, by its place in the format.
fn kind_of(path: &[&str]) -> &'static str {
    match path {
        ["database"] => "database",
        ["roles", _] => "role",
        ["schemas", _, "tables", _] => "table",
        ["schemas", _, "tables", _, "columns", _] => "column",
        ["schemas", _, "tables", _, "columns", _, "references"] => "references",
        [
            "schemas",
            _,
            "tables" | "materialized_views",
            _,
            "indexes",
            _,
        ] => "index",
        ["schemas", _, "tables", _, "partitions"] => "partitions",
        ["schemas", _, "tables", _, "row_level_security"] => "rls",
        [
            "schemas",
            _,
            "tables",
            _,
            "row_level_security",
            "policies",
            _,
        ] => "policy",
        ["schemas", _, "tables", _, "triggers", _] => "trigger",
        ["schemas", _, "functions", _] | ["schemas", _, "functions", _, "[]"] => "function",
        ["schemas", _, "procedures", _] | ["schemas", _, "procedures", _, "[]"] => "procedure",
        ["schemas", _, "aggregates", _] | ["schemas", _, "aggregates", _, "[]"] => "aggregate",
        [.., "grants", "[]"] => "grant",
        _ => "",
    }
}

/// Keys whose value the format fills in when absent, with that value.
fn defaults(kind: &str) -> &'static [(&'static str, &'static str)] {
    match kind {
        "database" => &[("target", "\"postgres\"")],
        "role" => &[
            ("login", "false"),
            ("inherit", "true"),
            ("createdb", "false"),
            ("createrole", "false"),
            ("bypassrls", "false"),
            ("connection_limit", "-1"),
        ],
        "index" => &[("using", "\"btree\"")],
        "policy" => &[("command", "\"all\"")],
        "trigger" => &[("for_each", "\"row\"")],
        "function" => &[("language", "\"plpgsql\""), ("volatility", "\"volatile\"")],
        "procedure" => &[("language", "\"plpgsql\"")],
        "rls" => &[("enabled", "true"), ("force", "false")],
        "grant" => &[("with_grant_option", "false")],
        _ => &[],
    }
}

fn drop_defaults(map: &mut Map<String, Value>, kind: &str) {
    for (key, default) in defaults(kind) {
        let is_default = map
            .get(*key)
            .is_some_and(|v| serde_json::from_str::<Value>(default).is_ok_and(|d| &d == v));
        if is_default {
            map.shift_remove(*key);
        }
    }
}

/// The order of keys in docs/schema-reference.md where it differs from the field order
/// of the model's types.
fn key_order(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "table" => &[
            "columns",
            "comment",
            "renamed_from",
            "primary_key",
            "primary_key_name",
            "unique",
            "checks",
            "exclusions",
            "foreign_keys",
            "indexes",
            "partition_by",
            "partitions",
            "unlogged",
            "with",
            "row_level_security",
            "triggers",
            "grants",
            "seed",
        ],
        "index" => &[
            "columns",
            "using",
            "unique",
            "where",
            "include",
            "with",
            "nulls_not_distinct",
            "comment",
        ],
        "references" => &[
            "table",
            "schema",
            "column",
            "on_delete",
            "on_update",
            "name",
            "deferrable",
            "initially_deferred",
        ],
        "partitions" => &["generate", "named", "default"],
        _ => return None,
    })
}

fn reorder(map: &mut Map<String, Value>, order: &[&str]) {
    let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    entries.sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(order.len()));
    map.extend(entries);
}

/// A value with its layout decided: flow for short leaves, block otherwise, and a blank
/// line between the entries of a map of schemas, tables, views or functions.
struct Node<'a> {
    value: &'a Value,
    /// The key that holds it ("" for list items and the root).
    key: &'a str,
    depth: usize,
}

impl<'a> Node<'a> {
    fn new(value: &'a Value, key: &'a str, depth: usize) -> Node<'a> {
        Node { value, key, depth }
    }

    /// Maps keyed by object names stay in block style, one object per entry.
    fn is_name_map(&self) -> bool {
        matches!(
            self.key,
            "columns"
                | "tables"
                | "views"
                | "materialized_views"
                | "functions"
                | "procedures"
                | "aggregates"
                | "indexes"
                | "foreign_keys"
                | "triggers"
                | "policies"
                | "enums"
                | "domains"
                | "composite_types"
                | "roles"
                | "schemas"
                | "named"
        )
    }

    fn is_spaced(&self) -> bool {
        (self.depth == 1 && self.key == "schemas")
            || (self.depth == 3
                && matches!(
                    self.key,
                    "tables"
                        | "views"
                        | "materialized_views"
                        | "functions"
                        | "procedures"
                        | "aggregates"
                ))
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Array(items) => {
                if self.depth > 0 && flow_width(self.value).is_some() {
                    return serde_saphyr::FlowSeq(Flow(self.value)).serialize(serializer);
                }
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Node::new(item, "", self.depth + 1))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let flow = self.depth > 1 && !map.is_empty() && !self.is_name_map();
                if flow && flow_width(self.value).is_some() {
                    return serde_saphyr::FlowMap(Flow(self.value)).serialize(serializer);
                }
                let spaced = self.is_spaced();
                let mut out = serializer.serialize_map(Some(map.len()))?;
                let count = map.len();
                for (i, (key, child)) in map.iter().enumerate() {
                    let node = Node::new(child, key, self.depth + 1);
                    if spaced && i + 1 < count {
                        out.serialize_entry(key, &serde_saphyr::SpaceAfter(node))?;
                    } else {
                        out.serialize_entry(key, &node)?;
                    }
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// A value inside a flow collection: plain serde, nested collections in flow style too.
struct Flow<'a>(&'a Value);

impl Serialize for Flow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Flow(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, child) in map {
                    match child {
                        Value::Array(_) => {
                            out.serialize_entry(key, &serde_saphyr::FlowSeq(Flow(child)))?
                        }
                        Value::Object(_) => {
                            out.serialize_entry(key, &serde_saphyr::FlowMap(Flow(child)))?
                        }
                        _ => out.serialize_entry(key, child)?,
                    }
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// The width of `value` written on one line, or `None` when it does not belong on one:
/// too long, a string of several lines, or nesting deeper than a map of lists.
fn flow_width(value: &Value) -> Option<usize> {
    fn width(value: &Value, depth: usize) -> Option<usize> {
        match value {
            Value::String(s) if s.contains('\n') => None,
            Value::String(s) => Some(s.len() + 2),
            Value::Array(items) if depth < 3 => items
                .iter()
                .map(|i| width(i, depth + 1).map(|w| w + 2))
                .sum::<Option<usize>>()
                .map(|w| w + 2),
            Value::Object(map) if depth < 2 => map
                .iter()
                .map(|(k, v)| width(v, depth + 1).map(|w| w + k.len() + 4))
                .sum::<Option<usize>>()
                .map(|w| w + 4),
            Value::Array(_) | Value::Object(_) => None,
            other => Some(other.to_string().len()),
        }
    }
    width(value, 0).filter(|w| *w <= FLOW_WIDTH)
}
