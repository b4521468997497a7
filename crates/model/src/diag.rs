//! Diagnostics: a problem in the model, where it is, and how to fix it.
//!
//! Rendered as `path:line:column: error: message`, then the source line with a caret
//! and the hint, in the style of rustc. Plain text, no colour, so that snapshots and CI
//! logs read the same.

use std::fmt::Write as _;

use crate::load::{File, Source};

/// A 1-based line and column; 0 means unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
}

impl Pos {
    pub fn new(line: u64, column: u64) -> Pos {
        Pos { line, column }
    }
}

/// Where a diagnostic points: a node of the document, or a resolved position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The value at this JSON pointer.
    Value(String),
    /// The key that holds the value at this JSON pointer.
    Key(String),
    /// A position in the root file.
    Pos(Pos),
    /// A position in file `file` of the source (0 the root, then the included files).
    InFile { file: usize, pos: Pos },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub anchor: Anchor,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with the value at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            anchor: Anchor::Value(pointer.into()),
            message: message.into(),
            hint: None,
        }
    }

    /// A problem with the key (the name) at `pointer`.
    pub fn at_key(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            anchor: Anchor::Key(pointer.into()),
            message: message.into(),
            hint: None,
        }
    }

    pub fn at_pos(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            anchor: Anchor::Pos(pos),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn pos(&self, source: &Source) -> Pos {
        self.located(source).1
    }

    /// The file the diagnostic is in, and where.
    pub fn located<'s>(&self, source: &'s Source) -> (File<'s>, Pos) {
        match &self.anchor {
            Anchor::Value(p) => source.value_at(p),
            Anchor::Key(p) => source.key_at(p),
            Anchor::Pos(pos) => (source.file(0), *pos),
            Anchor::InFile { file, pos } => (source.file(*file), *pos),
        }
    }

    /// `path:line:column: error: message`, the offending line with a caret, and the hint.
    pub fn render(&self, source: &Source) -> String {
        let (file, pos) = self.located(source);
        let path = file.path.display();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{path}:{}:{}: error: {}",
            pos.line, pos.column, self.message
        );
        let line_text = usize::try_from(pos.line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|l| file.text.lines().nth(l));
        if let Some(text) = line_text {
            let number = pos.line.to_string();
            let gutter = " ".repeat(number.len());
            let caret_at = usize::try_from(pos.column.saturating_sub(1)).unwrap_or(0);
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{number} | {text}");
            let _ = writeln!(out, "{gutter} | {}^", " ".repeat(caret_at));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        out
    }
}

/// Renders every diagnostic in source order, followed by a count.
pub fn render_all(diagnostics: &[Diagnostic], source: &Source) -> String {
    render_all_in(diagnostics, source, "the model")
}

/// [`render_all`] for another document (`what`: "the fleet file").
pub fn render_all_in(diagnostics: &[Diagnostic], source: &Source, what: &str) -> String {
    let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
    sorted.sort_by_key(|d| {
        let (file, pos) = d.located(source);
        (file.index, pos)
    });
    let mut out = String::new();
    for diag in sorted {
        out.push_str(&diag.render(source));
        out.push('\n');
    }
    let n = diagnostics.len();
    let _ = writeln!(
        out,
        "error: {} found {n} problem{} in {what}",
        source.path.display(),
        if n == 1 { "" } else { "s" }
    );
    out
}
