//! Structural checks: the document against the format's JSON Schema, every violation
//! reported with the position of the offending key or value.

use std::collections::HashSet;
use std::sync::OnceLock;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::Model;
use crate::diag::Diagnostic;
use crate::load::{escape_pointer, format_validator};

pub fn check(document: &Value) -> Vec<Diagnostic> {
    let mut found = Found::default();
    for error in format_validator().iter_errors(document) {
        describe(&error, &mut found);
    }
    let Found {
        mut out,
        missing,
        suggested,
    } = found;
    // A misspelt key is reported once, as unknown with a suggestion; the "missing
    // required key" for the same object would only repeat it.
    out.extend(
        missing
            .into_iter()
            .filter(|(at, name, _)| !suggested.contains(&(at.clone(), name.clone())))
            .map(|(_, _, diag)| diag),
    );
    out.dedup();
    out
}

#[derive(Default)]
struct Found {
    out: Vec<Diagnostic>,
    /// Missing required keys: (object pointer, key, diagnostic).
    missing: Vec<(String, String, Diagnostic)>,
    /// Suggestions made for unknown keys: (object pointer, suggested key).
    suggested: HashSet<(String, String)>,
}

fn schema_root() -> &'static Value {
    static ROOT: OnceLock<Value> = OnceLock::new();
    ROOT.get_or_init(Model::json_schema)
}

fn describe(error: &ValidationError<'_>, found: &mut Found) {
    let out = &mut found.out;
    let at = error.instance_path().as_str().to_string();
    let what = describe_location(&at);
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known = known_keys(error.schema_path().as_str());
            for key in unexpected {
                let pointer = format!("{at}/{}", escape_pointer(key));
                let mut diag = Diagnostic::at_key(pointer, format!("unknown key `{key}` {what}"));
                diag.hint = Some(match closest(key, &known) {
                    Some(near) => {
                        found.suggested.insert((at.clone(), near.to_string()));
                        format!("did you mean `{near}`?")
                    }
                    None if known.is_empty() => "remove it".to_string(),
                    None => format!("expected one of: {}", known.join(", ")),
                });
                out.push(diag);
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let diag = Diagnostic::new(at.clone(), format!("missing required key `{name}` {what}"))
                .with_hint(format!("add `{name}:`"));
            found.missing.push((at.clone(), name.to_string(), diag));
        }
        ValidationErrorKind::Type { kind } => {
            let mut names: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(ts) => ts.iter().map(|t| t.to_string()).collect(),
            };
            // `null` is how the schema spells an optional key; leaving the key out is
            // the way to say "none", so it is noise in the message.
            if names.len() > 1 {
                names.retain(|n| n != "null");
            }
            let expected: Vec<String> = names.iter().map(|n| article(n)).collect();
            let mut diag = Diagnostic::new(
                at.clone(),
                format!(
                    "expected {} {what}, found {}",
                    expected.join(" or "),
                    shape(error.instance())
                ),
            );
            if names == ["boolean"] {
                let yaml11 = error.instance().as_str().is_some_and(|s| {
                    ["yes", "no", "on", "off", "y", "n"].contains(&s.to_ascii_lowercase().as_str())
                });
                diag = diag.with_hint(if yaml11 {
                    "write `true` or `false`: schema.yaml is read as YAML 1.2, where `yes`, `no`, \
                     `on` and `off` are strings"
                } else {
                    "write `true` or `false`"
                });
            }
            out.push(diag);
        }
        ValidationErrorKind::Enum { options } => {
            let choices: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(render_scalar).collect())
                .unwrap_or_default();
            let plain: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let hint = match error.instance().as_str().and_then(|v| closest(v, &plain)) {
                Some(near) => format!(
                    "did you mean `{near}`? expected one of: {}",
                    choices.join(", ")
                ),
                None => format!("expected one of: {}", choices.join(", ")),
            };
            out.push(
                Diagnostic::new(
                    at.clone(),
                    format!("invalid value {} {what}", render_scalar(error.instance())),
                )
                .with_hint(hint),
            );
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // An untagged form (`[a, b]` or `{columns: …}`): report the branch that matched
            // the value's shape, so the user sees the real mistake rather than "no match".
            let fitting: Vec<&Vec<ValidationError<'static>>> = context
                .iter()
                .filter(|branch| {
                    !branch.iter().any(|e| {
                        e.instance_path().as_str() == at
                            && matches!(e.kind(), ValidationErrorKind::Type { .. })
                    })
                })
                .collect();
            if let [branch] = fitting.as_slice() {
                for inner in branch.iter() {
                    describe(inner, found);
                }
            } else {
                out.push(Diagnostic::new(
                    at.clone(),
                    format!(
                        "{} does not fit any accepted form {what}",
                        shape(error.instance())
                    ),
                ));
            }
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            out.push(Diagnostic::new(
                at.clone(),
                format!(
                    "value {} is below the minimum {limit} {what}",
                    error.instance()
                ),
            ));
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            out.push(Diagnostic::new(
                at.clone(),
                format!(
                    "value {} is above the maximum {limit} {what}",
                    error.instance()
                ),
            ));
        }
        _ => out.push(Diagnostic::new(at.clone(), format!("{error} {what}"))),
    }
}

/// "in `schemas.steam.tables.reviews`", from a JSON pointer.
fn describe_location(pointer: &str) -> String {
    if pointer.is_empty() {
        return "at the top level".to_string();
    }
    let dotted: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    format!("in `{}`", dotted.join("."))
}

/// The keys the schema allows where an unknown key was found.
fn known_keys(schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let mut keys: Vec<String> = schema_root()
        .pointer(parent)
        .and_then(|node| node.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

fn closest<'a>(key: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k.as_str())
}

fn shape(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".to_string(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

fn article(kind: &str) -> String {
    match kind {
        "object" => "a mapping".to_string(),
        "array" => "a list".to_string(),
        "integer" => "an integer".to_string(),
        other => format!("a {other}"),
    }
}

fn render_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}
