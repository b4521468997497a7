//! Reading and checking an IGDB games file before anything is loaded: NDJSON (one game per
//! line) or a JSON array, each record checked field by field. A problem names the file,
//! the record (and for NDJSON its line) and the field.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Problems listed before the rest are only counted.
pub const MAX_PROBLEMS: usize = 20;

/// A checked game, ready to bind: JSON columns already as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Game {
    pub id: i64,
    pub name: String,
    pub summary: Option<String>,
    pub genres: Option<String>,
    pub platforms: Option<String>,
    pub themes: Option<String>,
    pub rating: Option<f64>,
    pub rating_count: i64,
    pub first_release_date: Option<i64>,
}

/// The file's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Ndjson,
    Array,
}

impl Layout {
    /// `.json` is an array, `.ndjson`/`.jsonl` one record per line; otherwise the first
    /// character decides.
    pub fn of(path: &Path, first: Option<u8>) -> Layout {
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Layout::Array,
            Some("ndjson" | "jsonl") => Layout::Ndjson,
            _ if first == Some(b'[') => Layout::Array,
            _ => Layout::Ndjson,
        }
    }
}

/// One problem in the file.
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based record number.
    pub record: usize,
    /// The line of an NDJSON record.
    pub line: Option<usize>,
    pub field: Option<&'static str>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: record {}", self.file.display(), self.record)?;
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        if let Some(field) = self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The file did not pass: the first problems and how many there were. Nothing was loaded.
#[derive(Debug, Clone)]
pub struct InvalidFile {
    pub problems: Vec<Problem>,
    pub total: usize,
    /// Records with at least one problem.
    pub records: usize,
}

impl fmt::Display for InvalidFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        if self.total > self.problems.len() {
            write!(
                f,
                "\n… and {} more problem(s)",
                self.total - self.problems.len()
            )?;
        }
        write!(
            f,
            "\n{} problem(s) in {} record(s): nothing was loaded",
            self.total, self.records
        )
    }
}

impl std::error::Error for InvalidFile {}

/// A record as read: the fields ingestion uses, each kept as JSON so that a wrong type is
/// reported by field. `Some(Null)` is an explicit null, `None` a missing field; other
/// fields of the record (IGDB has many) are ignored.
#[derive(Debug, Default, Deserialize)]
struct Raw {
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    name: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    summary: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    genres: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    platforms: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    themes: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    rating: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    rating_count: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    first_release_date: Option<Value>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Reads and checks a whole file. Every record is checked even after a problem, so one run
/// lists them all (up to [`MAX_PROBLEMS`]).
pub fn read(path: &Path) -> anyhow::Result<Vec<Game>> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let first = reader
        .fill_buf()
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let mut checker = Checker {
        file: path.to_path_buf(),
        games: Vec::new(),
        problems: Vec::new(),
        total: 0,
        bad_records: 0,
        last_bad: 0,
    };
    match Layout::of(path, first) {
        Layout::Ndjson => read_ndjson(reader, &mut checker)?,
        Layout::Array => read_array(reader, &mut checker)?,
    }
    if checker.total > 0 {
        return Err(InvalidFile {
            problems: checker.problems,
            total: checker.total,
            records: checker.bad_records,
        }
        .into());
    }
    Ok(checker.games)
}

struct Checker {
    file: PathBuf,
    games: Vec<Game>,
    problems: Vec<Problem>,
    total: usize,
    bad_records: usize,
    last_bad: usize,
}

impl Checker {
    fn problem(
        &mut self,
        record: usize,
        line: Option<usize>,
        field: Option<&'static str>,
        message: String,
    ) {
        self.total += 1;
        if self.last_bad != record {
            self.last_bad = record;
            self.bad_records += 1;
        }
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem {
                file: self.file.clone(),
                record,
                line,
                field,
                message,
            });
        }
    }

    fn record(&mut self, record: usize, line: Option<usize>, raw: Raw) {
        match check(raw) {
            Ok(game) => self.games.push(game),
            Err(problems) => {
                for (field, message) in problems {
                    self.problem(record, line, Some(field), message);
                }
            }
        }
    }
}

fn read_ndjson(reader: impl BufRead, checker: &mut Checker) -> anyhow::Result<()> {
    let mut record = 0;
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| {
            anyhow::anyhow!(
                "cannot read {} at line {}: {e}",
                checker.file.display(),
                i + 1
            )
        })?;
        if line.trim().is_empty() {
            continue;
        }
        record += 1;
        match serde_json::from_str::<Raw>(&line) {
            Ok(raw) => checker.record(record, Some(i + 1), raw),
            Err(e) => checker.problem(record, Some(i + 1), None, json_error(&e)),
        }
    }
    Ok(())
}

/// serde_json's words without its position: a record is one line or one array element, so
/// the column is all that helps.
fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let words = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(w, _)| w);
    let at = if e.column() > 0 {
        format!(" at column {}", e.column())
    } else {
        String::new()
    };
    if e.is_data() {
        format!("not a JSON object with the game's fields{at}: {words}")
    } else {
        format!("invalid JSON{at}: {words}")
    }
}

/// A JSON array, read element by element so that only the checked games stay in memory.
fn read_array(reader: impl Read, checker: &mut Checker) -> anyhow::Result<()> {
    struct Elements<'a>(&'a mut Checker);
    impl<'de> DeserializeSeed<'de> for Elements<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Elements<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON array of game objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut record = 0;
            loop {
                record += 1;
                match seq.next_element::<Value>()? {
                    None => return Ok(()),
                    Some(value) => match Raw::deserialize(value) {
                        Ok(raw) => self.0.record(record, None, raw),
                        Err(e) => self.0.problem(record, None, None, json_error(&e)),
                    },
                }
            }
        }
    }
    let file = checker.file.clone();
    let mut de = serde_json::Deserializer::from_reader(reader);
    Elements(checker)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| anyhow::anyhow!("{}: invalid JSON array: {e}", file.display()))
}

type FieldProblems = Vec<(&'static str, String)>;

fn check(raw: Raw) -> Result<Game, FieldProblems> {
    let mut problems: FieldProblems = Vec::new();
    let id = match raw.id {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v > 0) => n.as_i64().unwrap_or(0),
        None | Some(Value::Null) => {
            problems.push(("id", "is required".into()));
            0
        }
        Some(other) => {
            problems.push((
                "id",
                format!("expected a positive integer, found {}", shown(&other)),
            ));
            0
        }
    };
    let name = match raw.name {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::String(_)) => {
            problems.push(("name", "is empty".into()));
            String::new()
        }
        None | Some(Value::Null) => {
            problems.push(("name", "is required".into()));
            String::new()
        }
        Some(other) => {
            problems.push((
                "name",
                format!("expected a string, found {}", shown(&other)),
            ));
            String::new()
        }
    };
    let summary = match raw.summary {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            problems.push((
                "summary",
                format!("expected a string or null, found {}", shown(&other)),
            ));
            None
        }
    };
    let genres = list("genres", raw.genres, &mut problems);
    let platforms = list("platforms", raw.platforms, &mut problems);
    let themes = list("themes", raw.themes, &mut problems);
    let rating = match raw.rating {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_f64().is_some_and(|r| (0.0..=100.0).contains(&r)) => {
            n.as_f64()
        }
        Some(other) => {
            problems.push((
                "rating",
                format!(
                    "expected a number from 0 to 100 or null, found {}",
                    shown(&other)
                ),
            ));
            None
        }
    };
    let rating_count = match raw.rating_count {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 0) => n.as_i64().unwrap_or(0),
        Some(other) => {
            problems.push((
                "rating_count",
                format!("expected a non-negative integer, found {}", shown(&other)),
            ));
            0
        }
    };
    let first_release_date = match raw.first_release_date {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
        Some(other) => {
            problems.push((
                "first_release_date",
                format!(
                    "expected a Unix time in seconds (an integer) or null, found {}",
                    shown(&other)
                ),
            ));
            None
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Game {
        id,
        name,
        summary,
        genres,
        platforms,
        themes,
        rating,
        rating_count,
        first_release_date,
    })
}

/// A list of names (or IGDB ids) as JSON text; null stays NULL.
fn list(field: &'static str, value: Option<Value>, problems: &mut FieldProblems) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            if let Some((i, bad)) = items
                .iter()
                .enumerate()
                .find(|(_, v)| !(v.is_string() || v.is_i64() || v.is_u64()))
            {
                problems.push((
                    field,
                    format!(
                        "element {} must be a name or an id, found {}",
                        i + 1,
                        shown(bad)
                    ),
                ));
                return None;
            }
            Some(Value::Array(items).to_string())
        }
        Some(other) => {
            problems.push((
                field,
                format!(
                    "expected an array of names or null, found {}",
                    shown(&other)
                ),
            ));
            None
        }
    }
}

/// A value for a message, kept short.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn raw(v: Value) -> Raw {
        Raw::deserialize(v).unwrap()
    }

    #[test]
    fn checks_each_field() {
        let game = check(raw(json!({
            "id": 7, "name": "Quake", "genres": ["Shooter"], "rating": 88.5,
            "rating_count": 12, "first_release_date": 835142400, "cover": 5
        })))
        .unwrap();
        assert_eq!(game.genres.as_deref(), Some("[\"Shooter\"]"));
        assert_eq!(game.platforms, None);
        assert_eq!(game.rating, Some(88.5));

        let problems = check(raw(json!({"id": 7, "rating": "abc"}))).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "rating"]);
        assert!(problems[1].1.contains("\"abc\""), "{problems:?}");

        let problems = check(raw(json!({"id": -1, "name": "x", "rating": 101}))).unwrap_err();
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn layout() {
        assert_eq!(Layout::of(Path::new("a.json"), Some(b'{')), Layout::Array);
        assert_eq!(
            Layout::of(Path::new("a.ndjson"), Some(b'[')),
            Layout::Ndjson
        );
        assert_eq!(Layout::of(Path::new("a.txt"), Some(b'[')), Layout::Array);
        assert_eq!(Layout::of(Path::new("a"), Some(b'{')), Layout::Ndjson);
    }
}
