//! Loading `schema.yaml`: YAML → JSON → JSON Schema check → `Model`.
//!
//! serde stops at the first error, but a user fixing a model wants every mistake at once.
//! So the document is first read into JSON, checked against the format's JSON Schema
//! (which reports every violation), and only then deserialized. Any check can point at a
//! key or value by its JSON pointer: the positions of the nodes are read from the text
//! when a diagnostic needs them (see [`yaml`]), and most loads print none.

mod yaml;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::Model;
use crate::diag::{Diagnostic, Pos};

pub(crate) use yaml::{locate, parse_tree, parse_value, tree_to_json};

/// JSON pointer → (position of the key, position of the value).
pub(crate) type Positions = HashMap<String, (Pos, Pos)>;

/// A model read from disk, with the positions of its nodes.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub source: Source,
}

/// The text of a model's root file, the files it includes, and where each node sits.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// Read from the text when a diagnostic first needs a position (most runs print
    /// none); filled while loading only when loading itself found problems.
    positions: OnceLock<Box<Positions>>,
    /// The files `include:` names, in order.
    pub includes: Vec<Included>,
}

/// A file the root model includes, and where its nodes sit in the merged document.
#[derive(Debug, Clone, Default)]
pub struct Included {
    pub path: PathBuf,
    pub text: String,
    /// Lists this file extends (`/extensions`, `/unmanaged`) and the index its first item
    /// takes in the merged list: its pointers are moved by that much.
    pub(crate) offsets: Vec<(String, usize)>,
    positions: OnceLock<Box<Positions>>,
}

impl Included {
    pub(crate) fn new(path: PathBuf, text: String, offsets: Vec<(String, usize)>) -> Included {
        Included {
            path,
            text,
            offsets,
            positions: OnceLock::new(),
        }
    }

    pub(crate) fn set_positions(&self, positions: Positions) {
        let _ = self.positions.set(Box::new(positions));
    }

    fn positions(&self) -> &Positions {
        self.positions
            .get_or_init(|| Box::new(crate::include::shift(locate(&self.text), &self.offsets)))
    }

    /// Where the key holding `pointer` is in this file, if it is here.
    pub(crate) fn key_pos(&self, pointer: &str) -> Option<Pos> {
        self.positions().get(pointer).map(|p| p.0)
    }
}

/// One file of a model: the root (`index` 0) or an included one.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    pub index: usize,
    pub path: &'a Path,
    pub text: &'a str,
}

impl Source {
    /// Where the value at `pointer` starts. Falls back to the nearest located ancestor.
    pub fn value_pos(&self, pointer: &str) -> Pos {
        self.value_at(pointer).1
    }

    /// Where the key that holds the value at `pointer` starts.
    pub fn key_pos(&self, pointer: &str) -> Pos {
        self.key_at(pointer).1
    }

    /// The file and position of the value at `pointer` (or its nearest located ancestor).
    pub fn value_at(&self, pointer: &str) -> (File<'_>, Pos) {
        match self.lookup(pointer) {
            Some((file, (_, value))) => (file, value),
            None => (self.file(0), Pos::default()),
        }
    }

    /// The file and position of the key that holds the value at `pointer`.
    pub fn key_at(&self, pointer: &str) -> (File<'_>, Pos) {
        match self.lookup(pointer) {
            Some((file, (key, _))) => (file, key),
            None => (self.file(0), Pos::default()),
        }
    }

    /// File `index`: 0 the root, then the included files in order.
    pub fn file(&self, index: usize) -> File<'_> {
        match index.checked_sub(1).and_then(|i| self.includes.get(i)) {
            Some(inc) => File {
                index,
                path: &inc.path,
                text: &inc.text,
            },
            None => File {
                index: 0,
                path: &self.path,
                text: &self.text,
            },
        }
    }

    /// A source whose positions are read from `text` when first asked for.
    pub fn unlocated(path: PathBuf, text: String) -> Self {
        Source {
            path,
            text,
            positions: OnceLock::new(),
            includes: Vec::new(),
        }
    }

    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| Box::new(locate(&self.text)))
    }

    /// Every file's positions, the root first.
    fn all_positions(&self) -> impl Iterator<Item = (usize, &Positions)> {
        std::iter::once((0, self.positions())).chain(
            self.includes
                .iter()
                .enumerate()
                .map(|(i, inc)| (i + 1, inc.positions())),
        )
    }

    /// The most specific located pointer at or above `pointer`, in whichever file holds
    /// it: a name is defined in one file only (a second definition is an error).
    fn lookup(&self, pointer: &str) -> Option<(File<'_>, (Pos, Pos))> {
        let mut current = pointer;
        loop {
            for (index, positions) in self.all_positions() {
                if let Some(found) = positions.get(current) {
                    return Some((self.file(index), *found));
                }
            }
            let cut = current.rfind('/')?;
            current = &current[..cut];
        }
    }

    pub fn contains(&self, pointer: &str) -> bool {
        self.all_positions().any(|(_, p)| p.contains_key(pointer))
    }
}

/// The outcome of loading: a model, or every problem found.
pub type LoadResult = Result<Loaded, (Source, Vec<Diagnostic>)>;

#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct ReadError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Reads and loads a model file. I/O errors are kept apart from model errors because
/// they exit with a different code.
pub fn load_file(path: &Path) -> Result<LoadResult, ReadError> {
    Ok(load_str(path, read_text(path)?))
}

pub fn read_text(path: &Path) -> Result<String, ReadError> {
    std::fs::read_to_string(path).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })
}

/// Below this size a model loads in a few milliseconds and is not worth a cache entry.
const CACHE_FROM_BYTES: usize = 64 * 1024;
const CACHE_KIND: &str = "model";

/// A validated model and the exact text it came from (with the included files'); borrowed
/// when written, owned when read.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedModel<'a> {
    text: Cow<'a, str>,
    model: Cow<'a, Model>,
    includes: Vec<CachedInclude>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CachedInclude {
    path: PathBuf,
    text: String,
    offsets: Vec<(String, usize)>,
}

/// The model for `text` as an earlier run of this build loaded and validated it. The
/// whole text is compared, so an entry is only used for the very same bytes.
pub fn cached(path: &Path, text: &str) -> Option<Loaded> {
    if text.len() < CACHE_FROM_BYTES {
        return None;
    }
    let entry: CachedModel = schemactl_cache::read(CACHE_KIND, &schemactl_cache::key(text))?;
    if entry.text != text {
        return None;
    }
    // The included files must be unchanged too.
    let mut includes = Vec::with_capacity(entry.includes.len());
    for inc in entry.includes {
        if std::fs::read_to_string(&inc.path).ok()? != inc.text {
            return None;
        }
        includes.push(Included::new(inc.path, inc.text, inc.offsets));
    }
    tracing::debug!("model from the cache (validated before, same text)");
    let mut source = Source::unlocated(path.to_path_buf(), entry.text.into_owned());
    source.includes = includes;
    Some(Loaded {
        model: entry.model.into_owned(),
        source,
    })
}

/// Stores a model that passed validation for [`cached`].
pub fn remember(loaded: &Loaded) {
    let text = &loaded.source.text;
    if text.len() < CACHE_FROM_BYTES {
        return;
    }
    let entry = CachedModel {
        text: Cow::Borrowed(text),
        model: Cow::Borrowed(&loaded.model),
        includes: loaded
            .source
            .includes
            .iter()
            .map(|inc| CachedInclude {
                path: inc.path.clone(),
                text: inc.text.clone(),
                offsets: inc.offsets.clone(),
            })
            .collect(),
    };
    schemactl_cache::write(CACHE_KIND, &schemactl_cache::key(text.as_str()), &entry);
}

/// Loads a model from its root file's text; files it includes are read relative to
/// `path`'s directory.
pub fn load_str(path: &Path, text: String) -> LoadResult {
    let (mut source, mut value) = load_document(path, text)?;
    let mut diagnostics = Vec::new();
    let started = std::time::Instant::now();
    source.includes = crate::include::merge(path, &mut value, &source, &mut diagnostics);
    tracing::debug!("includes merged in {:.3}s", started.elapsed().as_secs_f64());
    if !diagnostics.is_empty() {
        return Err((source, diagnostics));
    }
    let started = std::time::Instant::now();
    diagnostics.extend(crate::validate::structure::check(&value));
    tracing::debug!(
        "JSON Schema checked in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    if !diagnostics.is_empty() {
        return Err((source, diagnostics));
    }
    let started = std::time::Instant::now();
    let model = serde_json::from_value::<Model>(value);
    tracing::debug!(
        "model deserialized in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    match model {
        Ok(model) => Ok(Loaded { model, source }),
        Err(err) => {
            let diag = Diagnostic::new("", format!("invalid model: {err}"));
            Err((source, vec![diag]))
        }
    }
}

/// Any YAML document of the project (the model, the fleet file) as JSON, its source
/// locating nodes on demand; malformed YAML and duplicate keys are diagnostics.
pub fn load_document(
    path: &Path,
    text: String,
) -> Result<(Source, serde_json::Value), (Source, Vec<Diagnostic>)> {
    let source = Source::unlocated(path.to_path_buf(), text);
    let started = std::time::Instant::now();
    if let Some(value) = parse_value(&source.text) {
        // Positions are read from the text again if a diagnostic needs one.
        tracing::debug!("YAML read in {:.3}s", started.elapsed().as_secs_f64());
        return Ok((source, value));
    }
    let root = match parse_tree(&source.text) {
        Ok(node) => node,
        Err(err) => {
            let pos = err
                .location()
                .map(|l| Pos::new(l.line(), l.column()))
                .unwrap_or_default();
            let (message, hint) = yaml_problem(&err, &source.text, pos);
            let diag = Diagnostic::at_pos(pos, message).with_hint(hint);
            return Err((source, vec![diag]));
        }
    };
    let mut diagnostics = Vec::new();
    let mut positions = HashMap::new();
    let value = tree_to_json(root, &mut positions, &mut diagnostics);
    let _ = source.positions.set(Box::new(positions));
    if !diagnostics.is_empty() {
        return Err((source, diagnostics));
    }
    Ok((source, value))
}

/// A parser error as a diagnostic's message and hint: a size limit reached is named as
/// such; anything else is malformed YAML, with a hint at the likely mistake.
pub(crate) fn yaml_problem(err: &serde_saphyr::Error, text: &str, pos: Pos) -> (String, String) {
    crate::limits::exceeded(err).unwrap_or_else(|| {
        (
            format!("malformed YAML: {}", yaml_error_message(err)),
            malformed_hint(text, pos),
        )
    })
}

/// serde-saphyr renders errors with their own snippet; only the first line is the message.
pub(crate) fn yaml_error_message(err: &serde_saphyr::Error) -> String {
    let rendered = err.without_snippet().to_string();
    let first = rendered.lines().next().unwrap_or("").trim();
    // Drop a trailing " at line X, column Y": the position is printed in front already.
    match first.find(" at line ") {
        Some(cut) => first[..cut].to_string(),
        None => first.to_string(),
    }
}

/// The parser reports where it gave up, which for an unclosed `[` or a misindented key
/// is often a line or more after the real mistake; name the likely cause.
pub(crate) fn malformed_hint(text: &str, pos: Pos) -> String {
    if let Some((open, at)) = unclosed_flow(text, pos) {
        let close = if open == '[' { ']' } else { '}' };
        return format!(
            "the `{open}` at line {}, column {} is never closed: add `{close}`",
            at.line, at.column
        );
    }
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    fn significant(line: &&&str) -> bool {
        let t = line.trim_start();
        !t.is_empty() && !t.starts_with('#')
    }
    let lines: Vec<&str> = text.lines().collect();
    let index = usize::try_from(pos.line).unwrap_or(0).saturating_sub(1);
    if let Some(line) = lines.get(index).filter(significant) {
        let own = indent(line);
        // The indentation of the enclosing blocks: walking up, each shallower line opens one.
        let mut levels = Vec::new();
        for above in lines[..index].iter().rev().filter(significant) {
            let level = indent(above);
            if levels.last().is_none_or(|&last| level < last) {
                levels.push(level);
            }
        }
        if let Some(&above) = levels.first()
            && !levels.contains(&own)
        {
            let spaces = |n: usize| format!("{n} space{}", if n == 1 { "" } else { "s" });
            return format!(
                "line {} is indented by {}, but the line above by {}: \
                 keys of one mapping must start in the same column",
                pos.line,
                spaces(own),
                spaces(above)
            );
        }
    }
    "check the indentation and quoting around this line".to_string()
}

/// The innermost flow collection (`[` or `{`) still open at `end`, if any. A heuristic
/// for the hint only: it skips quoted strings, comments and block scalars, and counts a
/// bracket as an opener only where a YAML value can start.
fn unclosed_flow(text: &str, end: Pos) -> Option<(char, Pos)> {
    let mut stack: Vec<(char, Pos)> = Vec::new();
    let mut quote: Option<char> = None;
    let mut block_scalar_indent: Option<usize> = None;
    for (l, line) in text.lines().enumerate() {
        let line_no = l as u64 + 1;
        if line_no > end.line {
            break;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar_indent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar_indent = None;
        }
        let mut previous = ' ';
        let mut value_start = true;
        for (c, ch) in line.chars().enumerate() {
            let here = Pos::new(line_no, c as u64 + 1);
            if here >= end {
                break;
            }
            match quote {
                Some(q) if ch == q => quote = None,
                Some(_) => {}
                None => match ch {
                    '#' if previous == ' ' => break,
                    '\'' | '"' if value_start => quote = Some(ch),
                    '[' | '{' if value_start || !stack.is_empty() => stack.push((ch, here)),
                    ']' | '}' if !stack.is_empty() => {
                        stack.pop();
                    }
                    _ => {}
                },
            }
            if ch != ' ' {
                value_start = matches!(ch, ':' | '-' | ',' | '[' | '{') && quote.is_none();
            }
            previous = ch;
        }
        let trimmed = line.trim_end();
        if stack.is_empty()
            && quote.is_none()
            && (trimmed.ends_with(": |")
                || trimmed.ends_with(": >")
                || trimmed.ends_with(": |-")
                || trimmed.ends_with(": >-"))
        {
            block_scalar_indent = Some(indent);
        }
    }
    stack.pop()
}

/// RFC 6901 escaping, the form jsonschema reports instance paths in.
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from plain segments.
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    segments
        .into_iter()
        .map(|s| format!("/{}", escape_pointer(s.as_ref())))
        .collect()
}

/// The compiled JSON Schema of the format, built once per process.
pub fn format_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        // The schema is generated from our own types; failing to compile it is a bug in
        // this program, not in the user's input.
        #[allow(clippy::expect_used)]
        jsonschema::validator_for(&Model::json_schema()).expect("the model's JSON Schema compiles")
    })
}
