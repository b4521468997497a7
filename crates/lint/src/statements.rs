//! A file split into statements by PostgreSQL's own parser (libpg_query), each with its
//! exact position and the rules its allow comments name.
//!
//! Allow comments: `-- schemactl-lint: allow rule[, rule]… [reason]` (or the same inside
//! `/* … */`). A comment applies to the statement it precedes (any comment between the
//! previous statement and this one) or that carries it (inside the statement, or after it
//! on the line where it ends).

use pg_query::NodeEnum;
use pg_query::protobuf::Token;

use crate::SourceError;
use crate::rules::Rule;
use crate::source::SqlSource;

/// The marker that starts an allow comment.
pub const ALLOW_MARKER: &str = "schemactl-lint:";

/// One parsed statement.
#[derive(Debug)]
pub(crate) struct Statement {
    pub node: NodeEnum,
    /// Byte offset of its first token.
    pub start: usize,
    /// Byte offset just after its last token (its `;` excluded).
    pub end: usize,
    /// Rules its allow comments name.
    pub allows: Vec<Rule>,
}

/// A comment's byte range.
#[derive(Debug, Clone, Copy)]
struct Comment {
    start: usize,
    end: usize,
}

/// Parses a whole file. A syntax error is reported at the statement that fails to parse.
pub(crate) fn parse(source: &SqlSource) -> Result<Vec<Statement>, SourceError> {
    let text = &source.text;
    let tokens = pg_query::scan_tokens(text)
        .map_err(|err| source_error(source, 0, format!("cannot read the SQL: {err}")))?;
    let parsed = pg_query::parse(text, 0).map_err(|err| syntax_error(source, err))?;
    let comments: Vec<Comment> = tokens
        .iter()
        .filter(|t| t.token == Token::SqlComment as i32 || t.token == Token::CComment as i32)
        .map(|t| Comment {
            start: offset(t.start),
            end: offset(t.end),
        })
        .collect();
    let code: Vec<(usize, usize)> = tokens
        .iter()
        .filter(|t| t.token != Token::SqlComment as i32 && t.token != Token::CComment as i32)
        .map(|t| (offset(t.start), offset(t.end)))
        .collect();
    let mut statements = Vec::new();
    for raw in parsed.protobuf.stmts {
        let Some(node) = raw.stmt.and_then(|n| n.node) else {
            continue;
        };
        let from = offset(raw.stmt_location);
        let to = if raw.stmt_len > 0 {
            from + offset(raw.stmt_len)
        } else {
            text.len()
        };
        // The statement's own tokens: from its first to its last code token in the range
        // (tokens are in text order), its `;` excluded.
        let first = code.partition_point(|(s, _)| *s < from);
        let last = code.partition_point(|(_, e)| *e <= to);
        let inside = code
            .get(first..last.max(first))
            .unwrap_or_default()
            .iter()
            .filter(|(s, e)| text[*s..*e] != *";");
        let (Some(first), Some(last)) = (inside.clone().next(), inside.clone().next_back()) else {
            continue;
        };
        statements.push(Statement {
            node,
            start: first.0,
            end: last.1,
            allows: Vec::new(),
        });
    }
    attach_allows(source, &mut statements, &comments)?;
    Ok(statements)
}

/// Gives each statement the rules named by the allow comments that precede or carry it.
fn attach_allows(
    source: &SqlSource,
    statements: &mut [Statement],
    comments: &[Comment],
) -> Result<(), SourceError> {
    let line_of = |offset: usize| source.pos(offset).line;
    for comment in comments {
        let body = &source.text[comment.start..comment.end];
        let Some(rules) = allow_rules(body).map_err(|m| source_error(source, comment.start, m))?
        else {
            continue;
        };
        // Inside a statement, or after it on the line where it ends: that statement's.
        // Otherwise: the next statement's.
        let owner = statements
            .iter()
            .position(|s| comment.start >= s.start && comment.start < s.end)
            .or_else(|| {
                statements.iter().rposition(|s| {
                    s.end <= comment.start && line_of(s.end) == line_of(comment.start)
                })
            })
            .or_else(|| statements.iter().position(|s| s.start >= comment.end));
        match owner {
            Some(i) => statements[i].allows.extend(rules),
            None => {
                return Err(source_error(
                    source,
                    comment.start,
                    "this allow comment is followed by no statement it could apply to".into(),
                ));
            }
        }
    }
    Ok(())
}

/// The rules an allow comment names; `None` when the comment is not an allow comment.
/// An unknown rule name is an error (a typo would silently allow nothing).
fn allow_rules(comment: &str) -> Result<Option<Vec<Rule>>, String> {
    let body = comment
        .strip_prefix("--")
        .or_else(|| {
            comment
                .strip_prefix("/*")
                .map(|c| c.strip_suffix("*/").unwrap_or(c))
        })
        .unwrap_or(comment)
        .trim();
    let Some(rest) = body.strip_prefix(ALLOW_MARKER) else {
        return Ok(None);
    };
    let Some(list) = rest.trim_start().strip_prefix("allow") else {
        return Err(format!(
            "`{ALLOW_MARKER}` must be followed by `allow RULE[, RULE]…`"
        ));
    };
    let mut rules = Vec::new();
    let mut words = list.split_whitespace().peekable();
    // rule[,] [, rule]…: a rule list ends at the first name not followed by a comma; what
    // follows is a free-text reason.
    while let Some(word) = words.next() {
        let continues = word.ends_with(',') || words.peek().is_some_and(|w| w.starts_with(','));
        for name in word.split(',').filter(|n| !n.is_empty()) {
            let rule = Rule::from_name(name).ok_or_else(|| {
                format!(
                    "unknown rule `{name}` in allow comment (rules: {})",
                    Rule::ALL.map(|r| r.name()).join(", ")
                )
            })?;
            rules.push(rule);
        }
        if !continues {
            break;
        }
    }
    if rules.is_empty() {
        return Err("an allow comment names no rule: `schemactl-lint: allow RULE`".into());
    }
    Ok(Some(rules))
}

/// libpg_query reports offsets as i32; a negative one means "unknown".
pub(crate) fn offset(value: i32) -> usize {
    usize::try_from(value).unwrap_or(0)
}

fn source_error(source: &SqlSource, offset: usize, message: String) -> SourceError {
    let pos = source.pos(offset);
    SourceError {
        path: source.path.clone(),
        line: pos.line,
        column: pos.column,
        message,
    }
}

/// A syntax error, placed at the first statement that does not parse on its own (the
/// library reports the message without its position).
fn syntax_error(source: &SqlSource, err: pg_query::Error) -> SourceError {
    let message = match err {
        pg_query::Error::Parse(m) => m,
        other => other.to_string(),
    };
    let text = &source.text;
    let failing = pg_query::split_with_scanner(text).ok().and_then(|parts| {
        parts
            .into_iter()
            .find(|part| pg_query::parse(part, 0).is_err())
            .map(|part| {
                let at = part.as_ptr() as usize - text.as_ptr() as usize;
                at + (part.len() - part.trim_start().len())
            })
    });
    source_error(source, failing.unwrap_or(0), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_comments_name_rules_and_may_give_a_reason() {
        assert_eq!(allow_rules("-- just a comment").unwrap(), None);
        assert_eq!(
            allow_rules("-- schemactl-lint: allow drop-table").unwrap(),
            Some(vec![Rule::DropTable])
        );
        assert_eq!(
            allow_rules("-- schemactl-lint: allow drop-table, drop-column the old app is gone")
                .unwrap(),
            Some(vec![Rule::DropTable, Rule::DropColumn])
        );
        assert_eq!(
            allow_rules("/* schemactl-lint: allow rename-column,rename-table */").unwrap(),
            Some(vec![Rule::RenameColumn, Rule::RenameTable])
        );
        assert!(
            allow_rules("-- schemactl-lint: allow drop-tables")
                .unwrap_err()
                .contains("unknown rule `drop-tables`")
        );
        assert!(allow_rules("-- schemactl-lint: ignore drop-table").is_err());
    }

    #[test]
    fn statements_get_the_comments_before_them_or_on_their_last_line() {
        let src = SqlSource::new(
            "x.sql",
            "-- schemactl-lint: allow drop-table\nDROP TABLE a;\nDROP TABLE b; -- schemactl-lint: allow drop-column\n\
             ALTER TABLE c /* schemactl-lint: allow rename-table */ RENAME TO d;\nSELECT 1;\n",
        );
        let statements = parse(&src).unwrap();
        let allows: Vec<_> = statements.iter().map(|s| s.allows.clone()).collect();
        assert_eq!(
            allows,
            vec![
                vec![Rule::DropTable],
                vec![Rule::DropColumn],
                vec![Rule::RenameTable],
                vec![]
            ]
        );
        assert_eq!(src.pos(statements[1].start).line, 3);
        assert_eq!(
            &src.text[statements[2].start..statements[2].end],
            "ALTER TABLE c /* schemactl-lint: allow rename-table */ RENAME TO d"
        );
    }

    #[test]
    fn a_syntax_error_points_at_the_statement_that_fails() {
        let src = SqlSource::new(
            "bad.sql",
            "SELECT 1;\n\n  ALTER TABLE t ADD COLUMN;\nSELECT 2;",
        );
        let err = parse(&src).unwrap_err();
        assert_eq!((err.line, err.column), (3, 3));
        assert!(err.message.contains("syntax error"), "{}", err.message);
    }
}
