//! One line of PostgreSQL's `COPY ... TO STDOUT (FORMAT text)`: fields separated by tabs,
//! `\N` for NULL, backslash escapes for tab, newline, carriage return and backslash.

/// The fields of the current line, unescaped into one reused buffer.
#[derive(Debug, Default)]
pub struct Fields {
    text: String,
    spans: Vec<Option<(usize, usize)>>,
}

impl Fields {
    /// Reads one line (with or without its final `\n`).
    pub fn parse(&mut self, line: &[u8]) -> Result<(), String> {
        self.text.clear();
        self.spans.clear();
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = std::str::from_utf8(line)
            .map_err(|e| format!("the server sent a line that is not UTF-8: {e}"))?;
        for field in line.split('\t') {
            if field == "\\N" {
                self.spans.push(None);
                continue;
            }
            let start = self.text.len();
            if field.contains('\\') {
                unescape(field, &mut self.text)?;
            } else {
                self.text.push_str(field);
            }
            self.spans.push(Some((start, self.text.len())));
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i`, `None` for NULL (and for a field the line does not have).
    pub fn get(&self, i: usize) -> Option<&str> {
        let (start, end) = (*self.spans.get(i)?)?;
        self.text.get(start..end)
    }
}

fn unescape(field: &str, out: &mut String) -> Result<(), String> {
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            return Err("a field ends with a lone backslash".into());
        };
        match next {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '0'..='7' => {
                let mut value = next.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(ascii(value)?);
            }
            'x' => {
                let mut value = 0;
                let mut digits = 0;
                while digits < 2 {
                    match chars.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d;
                            chars.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    out.push('x');
                } else {
                    out.push(ascii(value)?);
                }
            }
            other => out.push(other),
        }
    }
    Ok(())
}

/// A byte given by an octal or hex escape: the server's text output only escapes ASCII.
fn ascii(value: u32) -> Result<char, String> {
    char::from_u32(value)
        .filter(char::is_ascii)
        .ok_or_else(|| format!("escaped byte {value:#x} is not ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_nulls_and_escapes() {
        let mut f = Fields::default();
        f.parse(b"a\\tb\t\\N\tline\\nbreak \\\\ done\t\\101\\x42\t\n")
            .unwrap();
        assert_eq!(f.len(), 5);
        assert_eq!(f.get(0), Some("a\tb"));
        assert_eq!(f.get(1), None);
        assert_eq!(f.get(2), Some("line\nbreak \\ done"));
        assert_eq!(f.get(3), Some("AB"));
        assert_eq!(f.get(4), Some(""));
        f.parse("é\t1".as_bytes()).unwrap();
        assert_eq!((f.get(0), f.get(1), f.len()), (Some("é"), Some("1"), 2));
    }
}
