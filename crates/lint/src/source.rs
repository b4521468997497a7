//! A SQL file's text and the mapping from byte offsets (what the parser reports) to the
//! 1-based line and column a person reads (columns count characters, not bytes).

use std::path::{Path, PathBuf};

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// One SQL file (or any SQL text with a name to report it under).
#[derive(Debug, Clone)]
pub struct SqlSource {
    pub path: PathBuf,
    pub text: String,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl SqlSource {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SqlSource {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        SqlSource {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Reads a file.
    pub fn read(path: &Path) -> std::io::Result<SqlSource> {
        Ok(SqlSource::new(path, std::fs::read_to_string(path)?))
    }

    /// The line and column of a byte offset (clamped to the text; an offset inside a
    /// multi-byte character counts as that character).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..]
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .count();
        Pos {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_character_columns() {
        let src = SqlSource::new(
            "x.sql",
            "SELECT 1;\n  DROP TABLE \"café\".t;\r\n\nALTER TABLE é;",
        );
        assert_eq!(src.pos(0), Pos { line: 1, column: 1 });
        assert_eq!(
            src.pos(9),
            Pos {
                line: 1,
                column: 10
            }
        );
        assert_eq!(src.pos(10), Pos { line: 2, column: 1 });
        assert_eq!(src.pos(12), Pos { line: 2, column: 3 });
        // `t` after "café". (é is two bytes): column counts characters.
        let t = src.text.find("\".t").unwrap() + 2;
        assert_eq!(
            src.pos(t),
            Pos {
                line: 2,
                column: 21
            }
        );
        let alter = src.text.find("ALTER").unwrap();
        assert_eq!(src.pos(alter), Pos { line: 4, column: 1 });
        let e = src.text.rfind('é').unwrap();
        assert_eq!(
            src.pos(e),
            Pos {
                line: 4,
                column: 13
            }
        );
        assert_eq!(src.line_text(2), Some("  DROP TABLE \"café\".t;"));
        assert_eq!(src.line_text(3), Some(""));
        assert_eq!(src.line_text(9), None);
        assert_eq!(
            src.pos(10_000),
            Pos {
                line: 4,
                column: 15
            }
        );
    }
}
