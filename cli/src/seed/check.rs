//! Checking the records of a file before anything is loaded: each field converted to its
//! column's type, required columns present, keys unique within the file, and the values
//! that foreign keys need collected for the check against the database.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::load::{Format, KEY_SEP, MAX_PROBLEMS, Problem, optional, strsim_closest};
use super::types::{self, Input, Kind};
use crate::catalog::{Catalog, TableDef};

pub(super) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn json_records(bytes: &[u8], format: Format, check: &mut Checker<'_>) -> Vec<Value> {
    if format == Format::Json {
        return match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Array(items)) => items,
            Ok(other) => {
                check.problem(
                    0,
                    None,
                    format!(
                        "expected a JSON array of objects, found {}",
                        kind_name(&other)
                    ),
                );
                Vec::new()
            }
            Err(e) => {
                check.problem(
                    0,
                    None,
                    format!(
                        "invalid JSON at line {}, column {}: {e}",
                        e.line(),
                        e.column()
                    ),
                );
                Vec::new()
            }
        };
    }
    let mut out = Vec::new();
    let text = String::from_utf8_lossy(bytes);
    for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        match serde_json::from_str::<Value>(line) {
            Ok(v) => out.push(v),
            Err(e) => {
                check.problem(i + 1, None, format!("invalid JSON: {e}"));
                out.push(Value::Null);
            }
        }
    }
    out
}

/// Checks records one by one and encodes the good ones.
pub(super) struct Checker<'a> {
    pub(super) file: String,
    pub(super) table: &'a TableDef,
    pub(super) catalog: &'a Catalog,
    /// Columns of the COPY, in file order, with their kinds.
    pub(super) copy_names: Vec<String>,
    pub(super) kinds: Vec<Kind>,
    /// For CSV: the field index of each COPY column.
    pub(super) from_file: Vec<usize>,
    pub(super) required: Vec<bool>,
    /// Positions of the primary key columns in the COPY list, when the file provides them.
    pub(super) pk: Option<Vec<usize>>,
    pub(super) pk_seen: HashMap<String, usize>,
    pub(super) provided: Vec<(Vec<String>, Vec<usize>, HashSet<String>)>,
    pub(super) references: Vec<(usize, Vec<usize>, HashMap<String, usize>)>,
    pub(super) wanted_keys: Vec<Vec<String>>,
    /// Whether the server has a default for the column (default, serial, identity).
    pub(super) defaulted: Vec<bool>,
    /// Per set of left-out defaulted columns: COPY data and row count.
    pub(super) batches: Vec<(Vec<bool>, Vec<u8>, usize)>,
    pub(super) omitted: Vec<bool>,
    pub(super) problems: Vec<Problem>,
    pub(super) fields: Vec<Option<String>>,
    /// Streaming into COPY (`super::stream`): rows are encoded only while no problem was
    /// found (the COPY is aborted anyway), and foreign key values are not collected (the
    /// server checks them, and a refusal is located by the full check).
    pub(super) streaming: bool,
}

impl<'a> Checker<'a> {
    pub(super) fn new(
        file: String,
        table: &'a TableDef,
        catalog: &'a Catalog,
        wanted_keys: Vec<Vec<String>>,
    ) -> Self {
        Checker {
            file,
            table,
            catalog,
            copy_names: Vec::new(),
            kinds: Vec::new(),
            from_file: Vec::new(),
            required: Vec::new(),
            pk: None,
            pk_seen: HashMap::new(),
            provided: Vec::new(),
            references: Vec::new(),
            wanted_keys,
            defaulted: Vec::new(),
            batches: Vec::new(),
            omitted: Vec::new(),
            problems: Vec::new(),
            fields: Vec::new(),
            streaming: false,
        }
    }

    pub(super) fn problem(&mut self, record: usize, column: Option<&str>, message: String) {
        self.problems.push(Problem {
            file: self.file.clone(),
            record,
            column: column.map(str::to_string),
            message,
            line: 0,
            col: 0,
        });
    }

    /// Decides the COPY column list from the file's column names.
    pub(super) fn set_columns(&mut self, names: &[String]) {
        for (i, name) in names.iter().enumerate() {
            match self.table.column(name) {
                None => {
                    let known: Vec<String> =
                        self.table.columns.iter().map(|c| c.name.clone()).collect();
                    let hint = strsim_closest(name, &known)
                        .map(|c| format!(" (did you mean {c}?)"))
                        .unwrap_or_default();
                    self.problem(0, Some(name), format!("the table has no such column{hint}"));
                }
                Some(c) if c.generated.is_some() => {
                    self.problem(
                        0,
                        Some(name),
                        "a generated column: the server computes it; leave it out of the file"
                            .into(),
                    );
                }
                Some(c) => {
                    self.copy_names.push(c.name.clone());
                    self.kinds.push(types::kind_of(&c.ty, self.catalog));
                    self.from_file.push(i);
                    self.required.push(!c.nullable);
                    self.defaulted
                        .push(c.default.is_some() || c.serial.is_some() || c.identity.is_some());
                }
            }
        }
        for c in &self.table.columns {
            if !optional(c) && c.generated.is_none() && !self.copy_names.contains(&c.name) {
                let message =
                    "required (NOT NULL without a default) but missing from the file".to_string();
                self.problem(0, Some(&c.name.clone()), message);
            }
        }
        let position = |cols: &[String]| -> Option<Vec<usize>> {
            cols.iter()
                .map(|c| self.copy_names.iter().position(|n| n == c))
                .collect()
        };
        self.pk = self
            .table
            .primary_key
            .as_ref()
            .and_then(|k| position(&k.columns));
        self.provided = self
            .wanted_keys
            .iter()
            .filter_map(|cols| position(cols).map(|p| (cols.clone(), p, HashSet::new())))
            .collect();
        self.references = self
            .table
            .foreign_keys
            .iter()
            .enumerate()
            .filter_map(|(i, fk)| position(&fk.columns).map(|p| (i, p, HashMap::new())))
            .filter(|_| !self.streaming)
            .collect();
    }

    /// Checks one record; `None` is a key the record does not have.
    pub(super) fn record(&mut self, n: usize, inputs: &[Option<Input<'_>>]) {
        if self.problems.len() >= MAX_PROBLEMS * 4 {
            return;
        }
        self.fields.clear();
        self.omitted.clear();
        let mut ok = true;
        for (j, input) in inputs.iter().enumerate() {
            let omitted = input.is_none() && self.defaulted[j];
            self.omitted.push(omitted);
            if omitted {
                self.fields.push(None);
                continue;
            }
            let input = input.unwrap_or(Input::Json(&serde_json::Value::Null));
            match types::convert(&self.kinds[j], input) {
                Ok(None) if self.required[j] => {
                    let column = self.copy_names[j].clone();
                    self.problem(n, Some(&column), "required (NOT NULL) but empty".into());
                    ok = false;
                    self.fields.push(None);
                }
                Ok(v) => self.fields.push(v),
                Err(message) => {
                    let column = self.copy_names[j].clone();
                    self.problem(n, Some(&column), message);
                    ok = false;
                    self.fields.push(None);
                }
            }
        }
        if !ok {
            return;
        }
        if let Some(pk) = &self.pk
            && let Some(key) = tuple(&self.fields, pk)
        {
            if let Some(first) = self.pk_seen.get(&key) {
                let columns: Vec<&str> = pk.iter().map(|i| self.copy_names[*i].as_str()).collect();
                let message = format!(
                    "duplicate primary key ({}) = ({}), first seen in record {first}",
                    columns.join(", "),
                    key.replace(KEY_SEP, ", ")
                );
                let column = columns.first().map(|c| c.to_string());
                self.problem(n, column.as_deref(), message);
                return;
            }
            self.pk_seen.insert(key, n);
        }
        for (_, positions, set) in &mut self.provided {
            if let Some(key) = tuple(&self.fields, positions) {
                set.insert(key);
            }
        }
        if self.streaming && !self.problems.is_empty() {
            return;
        }
        for (_, positions, map) in &mut self.references {
            if let Some(key) = tuple(&self.fields, positions) {
                map.entry(key).or_insert(n);
            }
        }
        let index = match self.batches.iter().position(|b| b.0 == self.omitted) {
            Some(i) => i,
            None => {
                self.batches.push((self.omitted.clone(), Vec::new(), 0));
                self.batches.len() - 1
            }
        };
        let omitted = &self.omitted;
        let row = self
            .fields
            .iter()
            .zip(omitted)
            .filter(|(_, o)| !**o)
            .map(|(f, _)| f.as_deref());
        let batch = &mut self.batches[index];
        types::push_row(&mut batch.1, row);
        batch.2 += 1;
    }
}

/// The values at `positions` joined into one key; `None` when any is NULL (MATCH SIMPLE).
fn tuple(fields: &[Option<String>], positions: &[usize]) -> Option<String> {
    let mut key = String::new();
    for (i, p) in positions.iter().enumerate() {
        if i > 0 {
            key.push(KEY_SEP);
        }
        key.push_str(fields.get(*p)?.as_deref()?);
    }
    Some(key)
}
