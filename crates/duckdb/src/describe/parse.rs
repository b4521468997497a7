//! The two places DuckDB's catalog hands over text rather than values: the keys of an
//! index (`duckdb_indexes().expressions`, a list printed as text: `[userId, '"timestamp"']`)
//! and the statement of a view (`CREATE VIEW research.v AS SELECT …;`). Both are
//! DuckDB's own rendering, read back here; nothing schemactl generated is parsed.

use anyhow::{Context, bail};

/// One key of an index: a column name, or an expression's SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexKey {
    Name(String),
    Expression(String),
}

/// The keys in `[a, 'b c', …]`: elements separated by `, `, quoted with `'` (and `\'`
/// inside) when DuckDB had to quote them.
pub fn index_keys(text: &str) -> anyhow::Result<Vec<IndexKey>> {
    let inner = text
        .trim()
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .with_context(|| format!("index keys `{text}` are not a list"))?;
    let mut keys = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut element = String::new();
        if first == '\'' {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => element.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => element.push(c),
                    None => bail!("index keys `{text}`: a quote is not closed"),
                }
            }
            while chars.peek().is_some_and(|c| *c != ',') {
                chars.next();
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                element.push(c);
                chars.next();
            }
        }
        chars.next(); // the comma, if any
        keys.push(key(element.trim()));
    }
    Ok(keys)
}

/// A key's SQL: a quoted or plain identifier names a column; anything else is an
/// expression.
fn key(sql: &str) -> IndexKey {
    if let Some(quoted) = sql
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .filter(|s| !s.replace("\"\"", "").contains('"'))
    {
        return IndexKey::Name(quoted.replace("\"\"", "\""));
    }
    let plain = !sql.is_empty()
        && sql
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !sql.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        IndexKey::Name(sql.to_string())
    } else {
        IndexKey::Expression(sql.to_string())
    }
}

/// The query of `CREATE VIEW name AS query;`: what follows the (qualified, possibly
/// quoted) name and `AS`.
pub fn view_query(sql: &str) -> anyhow::Result<String> {
    let text = sql.trim();
    let rest = strip_prefix_ci(text, "CREATE VIEW ")
        .with_context(|| format!("not a CREATE VIEW statement: {text}"))?;
    let mut chars = rest.char_indices().peekable();
    // The name: parts separated by dots, each plain or in double quotes.
    let mut end = 0;
    loop {
        match chars.peek() {
            Some((_, '"')) => {
                chars.next();
                loop {
                    match chars.next() {
                        Some((_, '"')) if chars.peek().map(|(_, c)| *c) == Some('"') => {
                            chars.next();
                        }
                        Some((i, '"')) => {
                            end = i + 1;
                            break;
                        }
                        Some(_) => {}
                        None => bail!("view statement: a quoted name is not closed: {text}"),
                    }
                }
            }
            Some(_) => {
                while let Some((i, c)) = chars.peek().copied() {
                    if c == '.' || c.is_whitespace() {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
            }
            None => bail!("view statement without a query: {text}"),
        }
        if chars.peek().map(|(_, c)| *c) == Some('.') {
            chars.next();
            continue;
        }
        break;
    }
    let after = rest[end..].trim_start();
    let query = strip_prefix_ci(after, "AS")
        .filter(|q| q.starts_with(char::is_whitespace))
        .with_context(|| format!("view statement without AS after its name: {text}"))?;
    Ok(query.trim().trim_end_matches(';').trim_end().to_string())
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keys_as_duckdb_prints_them() {
        assert_eq!(
            index_keys("[userId, '\"timestamp\"']").unwrap(),
            vec![
                IndexKey::Name("userId".into()),
                IndexKey::Name("timestamp".into())
            ]
        );
        assert_eq!(
            index_keys(r#"['"we,ird"', '"q\'x"', MiXed]"#).unwrap(),
            vec![
                IndexKey::Name("we,ird".into()),
                IndexKey::Name("q'x".into()),
                IndexKey::Name("MiXed".into())
            ]
        );
        assert_eq!(
            index_keys("['((id + 1))', k]").unwrap(),
            vec![
                IndexKey::Expression("((id + 1))".into()),
                IndexKey::Name("k".into())
            ]
        );
        assert!(index_keys("k").is_err());
    }

    #[test]
    fn view_queries() {
        assert_eq!(
            view_query("CREATE VIEW research.daily AS SELECT 1 AS a;").unwrap(),
            "SELECT 1 AS a"
        );
        assert_eq!(
            view_query("CREATE VIEW r.\"My \"\"AS\"\" View\" AS SELECT x AS y FROM t;").unwrap(),
            "SELECT x AS y FROM t"
        );
        assert!(view_query("SELECT 1").is_err());
    }
}
