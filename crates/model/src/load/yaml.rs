//! Reading YAML into JSON: quickly without positions, or as a tree whose nodes know
//! where they are (for diagnostics).

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{Positions, escape_pointer};
use crate::diag::{Diagnostic, Pos};

/// The document as JSON, without positions; `None` when it does not parse or repeats a
/// key. Recording a position for each of a large model's million nodes is most of the
/// time and memory a load takes, and a valid model needs none of them, so this is tried
/// first; on `None`, [`parse_tree`] reads the text again and reports the problem where
/// it is. Both read with the same parser and options, so they agree on every value.
pub(crate) fn parse_value(text: &str) -> Option<serde_json::Value> {
    serde_saphyr::from_str_with_options::<Plain>(text, parser_options())
        .ok()
        .map(|plain| plain.0)
}

/// The document as a tree whose nodes know where they are.
pub(crate) fn parse_tree(text: &str) -> Result<Spanned<Node>, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options(text, parser_options())
}

fn parser_options() -> serde_saphyr::Options {
    // YAML 1.2 booleans only: with YAML 1.1's `yes/no/on/off`, the key `on:` of a
    // default privilege turns into `true:` and a seeded country code `NO` into `false`.
    // The JSON Schema (and so an editor's completion) speaks YAML 1.2 as well.
    // The size limits are the project's, not the parser's defaults (see `limits`).
    // Duplicate keys pass through so that the located tree can report each of them.
    serde_saphyr::options! {
        budget: Some(crate::limits::budget()),
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        strict_booleans: true,
    }
}

/// The positions of every node of a model text that loads (empty when it does not parse).
pub(crate) fn locate(text: &str) -> Positions {
    let mut positions = HashMap::new();
    if let Ok(root) = parse_tree(text) {
        let pos = spanned_pos(&root);
        root.value
            .record(&mut String::new(), pos, pos, &mut positions);
    }
    positions
}

/// The document as JSON, recording where each node sits (and duplicate keys).
pub(crate) fn tree_to_json(
    root: Spanned<Node>,
    positions: &mut Positions,
    diagnostics: &mut Vec<Diagnostic>,
) -> serde_json::Value {
    let root_pos = Pos::new(root.referenced.line(), root.referenced.column());
    root.value
        .into_json(String::new(), root_pos, root_pos, positions, diagnostics)
}

/// A YAML node whose map keys and values carry their positions.
#[derive(Debug)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Key>, Spanned<Node>)>),
}

/// A map key; YAML allows numbers and booleans as keys, the model reads them as text.
#[derive(Debug)]
pub(crate) struct Key(String);

impl Node {
    /// Records where this node and the nodes under it sit, as [`Node::into_json`] does
    /// (a repeated key keeps its first position), without building their JSON: only a
    /// diagnostic asks, and the JSON has been read already.
    fn record(self, pointer: &mut String, key_pos: Pos, value_pos: Pos, positions: &mut Positions) {
        let len = pointer.len();
        match self {
            Node::Seq(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    let pos = spanned_pos(&item);
                    item.value.record(pointer, pos, pos, positions);
                    pointer.truncate(len);
                }
            }
            Node::Map(entries) => {
                for (key, item) in entries {
                    pointer.push('/');
                    pointer.push_str(&escape_pointer(&key.value.0));
                    if !positions.contains_key(pointer.as_str()) {
                        let (kpos, vpos) = (spanned_pos(&key), spanned_pos(&item));
                        item.value.record(pointer, kpos, vpos, positions);
                    }
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        positions.insert(pointer.clone(), (key_pos, value_pos));
    }

    fn into_json(
        self,
        pointer: String,
        key_pos: Pos,
        value_pos: Pos,
        positions: &mut Positions,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> serde_json::Value {
        use serde_json::Value;
        let value = match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Int(i) => Value::from(i),
            Node::UInt(u) => Value::from(u),
            Node::Float(x) => serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number),
            Node::Str(s) => Value::String(s),
            Node::Seq(items) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let pos = spanned_pos(&item);
                        let child = format!("{pointer}/{i}");
                        item.value
                            .into_json(child, pos, pos, positions, diagnostics)
                    })
                    .collect(),
            ),
            Node::Map(entries) => {
                let mut map = serde_json::Map::new();
                for (key, item) in entries {
                    let kpos = spanned_pos(&key);
                    let name = key.value.0;
                    let child = format!("{pointer}/{}", escape_pointer(&name));
                    if let Some((first, _)) = positions.get(&child) {
                        diagnostics.push(
                            Diagnostic::at_pos(kpos, format!("duplicate key `{name}`")).with_hint(
                                format!(
                                    "`{name}` is already defined at line {}, column {}",
                                    first.line, first.column
                                ),
                            ),
                        );
                        continue;
                    }
                    let vpos = spanned_pos(&item);
                    let converted =
                        item.value
                            .into_json(child.clone(), kpos, vpos, positions, diagnostics);
                    map.insert(name, converted);
                }
                Value::Object(map)
            }
        };
        positions.insert(pointer, (key_pos, value_pos));
        value
    }
}

fn spanned_pos<T>(s: &Spanned<T>) -> Pos {
    Pos::new(s.referenced.line(), s.referenced.column())
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Key>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar map key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Key, E> {
                Ok(Key(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Err(E::custom("a map key cannot be null"))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// A document read as JSON without positions (see [`parse_value`]). Reads every value as
/// [`Node`] does, through the same visits; a repeated key is an error here, so that the
/// located reading reports it.
pub(crate) struct Plain(serde_json::Value);

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PlainVisitor).map(Plain)
    }
}

struct PlainVisitor;

impl<'de> Visitor<'de> for PlainVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Plain::deserialize(d).map(|p| p.0)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(serde_json::Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(serde_json::Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v)
            .map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Plain(item)) = seq.next_element::<Plain>()? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = serde_json::Map::new();
        while let Some(Key(key)) = map.next_key::<Key>()? {
            let Plain(value) = map.next_value::<Plain>()?;
            if entries.insert(key, value).is_some() {
                return Err(de::Error::custom("duplicate key"));
            }
        }
        Ok(serde_json::Value::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scalars of every kind, quoting, block scalars, numeric and boolean keys, flow
    /// collections, anchors, aliases and a merge key.
    const VARIED: &str = r#"
database: {name: "shop", owner: app}
base: &base
  type: integer
  nullable: false
schemas:
  s:
    tables:
      t:
        comment: |
          Two lines,
          kept.
        columns:
          id: {type: bigint, primary_key: true}
          n:
            <<: *base
            default: -12
          big: {type: numeric, default: 18446744073709551615}
          ratio: {type: real, default: 0.25, check: "ratio >= 0"}
          flag: {type: boolean, default: false}
          code: {type: text, default: 'NO'}
          yes: {type: text, default: on}
          nothing: ~
          1: one
          true: two
        indexes:
          t_idx: {columns: [id, "n", 'ratio']}
list: [1, -2, 3.5, null, "x", [a, b], {k: v}]
"#;

    fn located(text: &str) -> (serde_json::Value, Positions, Vec<Diagnostic>) {
        let mut positions = HashMap::new();
        let mut diagnostics = Vec::new();
        let tree = parse_tree(text).expect("parses");
        let value = tree_to_json(tree, &mut positions, &mut diagnostics);
        (value, positions, diagnostics)
    }

    #[test]
    fn the_plain_reading_equals_the_located_one() {
        let (value, _, diagnostics) = located(VARIED);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let plain = parse_value(VARIED).expect("no duplicate keys");
        assert_eq!(plain, value);
        // Key order is kept, as the located reading keeps it.
        let keys = |v: &serde_json::Value| -> Vec<String> {
            v.pointer("/schemas/s/tables/t/columns")
                .and_then(serde_json::Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        assert_eq!(keys(&plain), keys(&value));
        assert_eq!(
            plain.pointer("/schemas/s/tables/t/columns/yes/default"),
            Some(&"on".into())
        );
        assert_eq!(
            plain.pointer("/schemas/s/tables/t/columns/n/type"),
            Some(&"integer".into())
        );
    }

    #[test]
    fn a_repeated_key_or_malformed_text_is_left_to_the_located_reading() {
        let repeated = "schemas:\n  s: {}\n  t: {}\n  s: {}\n";
        assert!(parse_value(repeated).is_none());
        let (_, _, diagnostics) = located(repeated);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].message, "duplicate key `s`");
        assert!(parse_value("a: [1, 2\n").is_none());
    }

    #[test]
    fn positions_read_on_demand_equal_the_located_reading() {
        for text in [VARIED, "a: 1\nb: {c: [x, {d: 2}]}\na: {e: 3}\nf~/g: 4\n"] {
            let (_, positions, _) = located(text);
            assert_eq!(locate(text), positions, "{text}");
        }
    }

    #[test]
    fn positions_read_on_demand_point_at_nested_keys() {
        let positions = locate(VARIED);
        let key = |p: &str| positions.get(p).map(|found| found.0);
        let value = |p: &str| positions.get(p).map(|found| found.1);
        assert_eq!(
            key("/schemas/s/tables/t/columns/ratio"),
            Some(Pos::new(19, 11))
        );
        assert_eq!(
            value("/schemas/s/tables/t/columns/ratio/default"),
            Some(Pos::new(19, 40))
        );
        assert_eq!(
            value("/schemas/s/tables/t/indexes/t_idx/columns/1"),
            Some(Pos::new(27, 33))
        );
        assert_eq!(value("/list/5/1"), Some(Pos::new(28, 35)));
        assert!(locate("a: [1, 2\n").is_empty());
    }
}
