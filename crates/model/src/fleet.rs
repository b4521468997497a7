//! The fleet file (`fleets.yaml` beside the model): named groups of databases, or of
//! schemas, that one model is rolled out to (`apply --fleet NAME`, `migrate up --fleet`,
//! `drift --fleet`).
//!
//! Each target is a database (the whole model applies to it) or a schema of a database
//! (the model's tenant schema, named by `tenant_schema`, applies to it under the target's
//! name). Targets are listed (`targets`) or found when the command runs (`discover`):
//! every schema whose name matches a `LIKE` pattern, or the rows of a query.
//!
//! The file is read like the model: YAML with the position of every node, and every
//! problem reported at once at its line and column. URLs may hold `${VARIABLE}`
//! placeholders, filled from the environment when the fleet is resolved, so that
//! passwords stay out of the file.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::Model;
use crate::diag::Diagnostic;
use crate::load::{Source, escape_pointer, load_document};

/// The fleets declared in a fleet file, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetFile {
    pub fleets: IndexMap<String, Fleet>,
}

/// One named fleet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fleet {
    /// JSON pointer of the fleet in the file, for diagnostics.
    pub pointer: String,
    pub description: Option<String>,
    /// The model schema that a schema target receives under its own name.
    pub tenant_schema: Option<String>,
    pub targets: Vec<StaticTarget>,
    pub discover: Vec<Discovery>,
}

/// A target listed in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticTarget {
    pub pointer: String,
    /// The database URL, `${VARIABLE}` placeholders not filled yet.
    pub url: String,
    /// `None`: the database is the target; else this schema of it.
    pub schema: Option<String>,
}

/// Targets found when the command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    pub pointer: String,
    /// The database the discovery connects to, `${VARIABLE}` placeholders not filled yet.
    pub url: String,
    pub kind: DiscoveryKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryKind {
    /// Every schema of the database whose name matches this `LIKE` pattern.
    Schemas { pattern: String },
    /// A query whose rows are targets: a column `url` (text, required; NULL: the
    /// discovery's own database) and a column `schema` (text, optional; NULL or absent: the
    /// database is the target).
    Query { sql: String },
}

const ROOT_KEYS: &[&str] = &["fleets"];
const FLEET_KEYS: &[&str] = &["description", "tenant_schema", "targets", "discover"];
const TARGET_KEYS: &[&str] = &["url", "schema"];
const DISCOVER_KEYS: &[&str] = &["url", "schemas", "query"];
/// PostgreSQL truncates longer identifiers (NAMEDATALEN - 1).
const MAX_IDENTIFIER: usize = 63;

/// Reads and checks a fleet file; every problem is a positioned diagnostic.
pub fn load(path: &Path, text: String) -> Result<(Source, FleetFile), (Source, Vec<Diagnostic>)> {
    let (source, value) = load_document(path, text)?;
    let mut reader = Reader {
        source: &source,
        diagnostics: Vec::new(),
    };
    let file = reader.file(&value);
    let diagnostics = reader.diagnostics;
    if diagnostics.is_empty() {
        Ok((source, file))
    } else {
        Err((source, diagnostics))
    }
}

/// The checks that need the model: the tenant schema is one of its schemas, and a fleet
/// with schema targets knows which model schema they receive.
pub fn check_against_model(file: &FleetFile, model: &Model) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (name, fleet) in &file.fleets {
        if let Some(tenant) = &fleet.tenant_schema
            && !model.schemas.contains_key(tenant)
        {
            let known: Vec<&str> = model.schemas.keys().map(String::as_str).collect();
            diagnostics.push(
                Diagnostic::new(
                    format!("{}/tenant_schema", fleet.pointer),
                    format!("fleet `{name}`: the model has no schema `{tenant}`"),
                )
                .with_hint(format!("the model's schemas: {}", known.join(", "))),
            );
        }
        let schema_target = fleet.targets.iter().find(|t| t.schema.is_some());
        let schema_discovery = fleet
            .discover
            .iter()
            .find(|d| matches!(d.kind, DiscoveryKind::Schemas { .. }));
        let pointer = schema_target
            .map(|t| t.pointer.clone())
            .or_else(|| schema_discovery.map(|d| d.pointer.clone()));
        if let Some(pointer) = pointer
            && fleet.tenant_schema.is_none()
            && model.schemas.len() != 1
        {
            diagnostics.push(
                Diagnostic::new(
                    pointer,
                    format!(
                        "fleet `{name}` has schema targets, but the model has {} schemas and \
                         the fleet names none of them as its tenant schema",
                        model.schemas.len()
                    ),
                )
                .with_hint("add `tenant_schema: NAME` to the fleet: the model schema each target schema receives"),
            );
        }
    }
    diagnostics
}

/// Fills `${VARIABLE}` placeholders from `lookup`; the error names the missing variable.
pub fn expand_env(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("`${{` without a closing `}}` in `{text}`"))?;
        let name = &after[..end];
        let value =
            lookup(name).ok_or_else(|| format!("environment variable {name} is not set"))?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The placeholders of `text` that are malformed: unclosed, or not a variable name.
fn placeholder_problem(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Some("a `${` placeholder is never closed with `}`".into());
        };
        let name = &after[..end];
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Some(format!(
                "`${{{name}}}` does not name an environment variable"
            ));
        }
        rest = &after[end + 1..];
    }
    None
}

struct Reader<'s> {
    /// For positions in hints ("listed first at line 3, column 9").
    source: &'s Source,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>, hint: Option<String>) {
        let mut diag = Diagnostic::new(pointer, message);
        if let Some(hint) = hint {
            diag = diag.with_hint(hint);
        }
        self.diagnostics.push(diag);
    }

    fn file(&mut self, value: &Value) -> FleetFile {
        let mut file = FleetFile::default();
        let Some(root) = self.mapping("", value, "the fleet file", ROOT_KEYS) else {
            return file;
        };
        let Some(fleets) = root.get("fleets") else {
            self.error(
                "",
                "the fleet file has no `fleets` key",
                Some("start with `fleets:` and one named fleet under it".into()),
            );
            return file;
        };
        let Some(fleets) = self.mapping("/fleets", fleets, "`fleets`", &[]) else {
            return file;
        };
        if fleets.is_empty() {
            self.error("/fleets", "`fleets` declares no fleet", None);
        }
        for (name, fleet) in fleets {
            let pointer = format!("/fleets/{}", escape_pointer(name));
            if !valid_fleet_name(name) {
                self.diagnostics.push(
                    Diagnostic::at_key(&pointer, format!("`{name}` is not a fleet name"))
                        .with_hint("use lower-case letters, digits, `_` and `-`"),
                );
            }
            if let Some(fleet) = self.fleet(&pointer, name, fleet) {
                file.fleets.insert(name.clone(), fleet);
            }
        }
        file
    }

    fn fleet(&mut self, pointer: &str, name: &str, value: &Value) -> Option<Fleet> {
        let what = format!("fleet `{name}`");
        let map = self.mapping(pointer, value, &what, FLEET_KEYS)?;
        let mut fleet = Fleet {
            pointer: pointer.to_string(),
            description: self.optional_text(pointer, map, "description"),
            tenant_schema: self.optional_text(pointer, map, "tenant_schema"),
            ..Fleet::default()
        };
        if let Some(tenant) = &fleet.tenant_schema {
            self.identifier(&format!("{pointer}/tenant_schema"), tenant);
        }
        if let Some(targets) = self.sequence(pointer, map, "targets") {
            for (i, item) in targets.iter().enumerate() {
                let at = format!("{pointer}/targets/{i}");
                if let Some(target) = self.target(&at, item) {
                    let duplicate = fleet
                        .targets
                        .iter()
                        .find(|t| t.url == target.url && t.schema == target.schema);
                    if let Some(first) = duplicate {
                        let pos = self.source.value_pos(&first.pointer);
                        let hint = format!(
                            "the same target is listed at line {}, column {}",
                            pos.line, pos.column
                        );
                        self.error(&at, format!("{what} lists a target twice"), Some(hint));
                    } else {
                        fleet.targets.push(target);
                    }
                }
            }
        }
        if let Some(discover) = self.sequence(pointer, map, "discover") {
            for (i, item) in discover.iter().enumerate() {
                let at = format!("{pointer}/discover/{i}");
                if let Some(discovery) = self.discovery(&at, item) {
                    fleet.discover.push(discovery);
                }
            }
        }
        if !map.contains_key("targets") && !map.contains_key("discover") {
            self.error(
                pointer,
                format!("{what} has no targets"),
                Some("add `targets:` (a list of database URLs) or `discover:`".into()),
            );
        }
        Some(fleet)
    }

    fn target(&mut self, pointer: &str, value: &Value) -> Option<StaticTarget> {
        if let Value::String(url) = value {
            self.url(pointer, url);
            return Some(StaticTarget {
                pointer: pointer.to_string(),
                url: url.clone(),
                schema: None,
            });
        }
        let map = self.mapping(pointer, value, "a target", TARGET_KEYS)?;
        let url = self.required_text(pointer, map, "url")?;
        self.url(&format!("{pointer}/url"), &url);
        let schema = self.optional_text(pointer, map, "schema");
        if let Some(schema) = &schema {
            self.identifier(&format!("{pointer}/schema"), schema);
        }
        Some(StaticTarget {
            pointer: pointer.to_string(),
            url,
            schema,
        })
    }

    fn discovery(&mut self, pointer: &str, value: &Value) -> Option<Discovery> {
        let map = self.mapping(pointer, value, "a discovery", DISCOVER_KEYS)?;
        let url = self.required_text(pointer, map, "url")?;
        self.url(&format!("{pointer}/url"), &url);
        let schemas = self.optional_text(pointer, map, "schemas");
        let query = self.optional_text(pointer, map, "query");
        let kind = match (schemas, query) {
            (Some(pattern), None) => DiscoveryKind::Schemas { pattern },
            (None, Some(sql)) => DiscoveryKind::Query { sql },
            (Some(_), Some(_)) => {
                self.error(
                    &format!("{pointer}/query"),
                    "a discovery has both `schemas` and `query`",
                    Some("split it into two discoveries".into()),
                );
                return None;
            }
            (None, None) => {
                self.error(
                    pointer,
                    "a discovery needs `schemas: PATTERN` or `query: SQL`",
                    Some("`schemas: 'tenant_%'` finds schemas by a LIKE pattern; `query` returns rows with a `url` and an optional `schema` column".into()),
                );
                return None;
            }
        };
        Some(Discovery {
            pointer: pointer.to_string(),
            url,
            kind,
        })
    }

    /// A mapping whose keys are among `allowed` (any key when `allowed` is empty).
    fn mapping<'v>(
        &mut self,
        pointer: &str,
        value: &'v Value,
        what: &str,
        allowed: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = value else {
            self.error(pointer, format!("{what} must be a mapping"), None);
            return None;
        };
        for key in map
            .keys()
            .filter(|k| !allowed.is_empty() && !allowed.contains(&k.as_str()))
        {
            let hint = match closest(key, allowed) {
                Some(near) => format!("did you mean `{near}`? {what} takes {}", list(allowed)),
                None => format!("{what} takes {}", list(allowed)),
            };
            let at = format!("{pointer}/{}", escape_pointer(key));
            self.diagnostics.push(
                Diagnostic::at_key(at, format!("unknown key `{key}` in {what}")).with_hint(hint),
            );
        }
        Some(map)
    }

    fn sequence<'v>(
        &mut self,
        pointer: &str,
        map: &'v Map<String, Value>,
        key: &str,
    ) -> Option<&'v Vec<Value>> {
        match map.get(key)? {
            Value::Array(items) => Some(items),
            _ => {
                self.error(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be a list"),
                    None,
                );
                None
            }
        }
    }

    fn optional_text(
        &mut self,
        pointer: &str,
        map: &Map<String, Value>,
        key: &str,
    ) -> Option<String> {
        match map.get(key)? {
            Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
            Value::String(_) => {
                self.error(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` is empty"),
                    None,
                );
                None
            }
            _ => {
                self.error(
                    &format!("{pointer}/{key}"),
                    format!("`{key}` must be text"),
                    None,
                );
                None
            }
        }
    }

    fn required_text(
        &mut self,
        pointer: &str,
        map: &Map<String, Value>,
        key: &str,
    ) -> Option<String> {
        if !map.contains_key(key) {
            self.error(pointer, format!("`{key}` is missing"), None);
            return None;
        }
        self.optional_text(pointer, map, key)
    }

    fn url(&mut self, pointer: &str, url: &str) {
        if let Some(problem) = placeholder_problem(url) {
            self.error(
                pointer,
                problem,
                Some("write `${NAME}` with NAME an environment variable".into()),
            );
            return;
        }
        // A URL that starts with a variable is checked once the variable is filled in.
        let from_variable = url.starts_with("${");
        if !from_variable && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            self.error(
                pointer,
                format!("`{url}` is not a PostgreSQL URL"),
                Some("write postgres://USER@HOST:PORT/DATABASE, passwords as ${VARIABLE}".into()),
            );
        }
    }

    fn identifier(&mut self, pointer: &str, name: &str) {
        if name.len() > MAX_IDENTIFIER {
            self.error(
                pointer,
                format!("`{name}` is longer than PostgreSQL's {MAX_IDENTIFIER}-byte names"),
                None,
            );
        }
    }
}

fn valid_fleet_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(key, a), *a))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a)
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_from_the_environment() {
        let lookup = |name: &str| (name == "PW").then(|| "s3cret".to_string());
        assert_eq!(
            expand_env("postgres://app:${PW}@h/db", lookup).as_deref(),
            Ok("postgres://app:s3cret@h/db")
        );
        assert_eq!(
            expand_env("postgres://${NOPE}@h/db", lookup),
            Err("environment variable NOPE is not set".to_string())
        );
        assert_eq!(
            placeholder_problem("a${B"),
            Some("a `${` placeholder is never closed with `}`".into())
        );
        assert!(placeholder_problem("${1X}").is_some());
        assert_eq!(placeholder_problem("postgres://${A_1}@h"), None);
    }
}
