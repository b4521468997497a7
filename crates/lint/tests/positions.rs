// Test helpers outside #[test] functions unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

//! Positions: byte offsets from the parser become the line and column (in characters) a
//! person finds in an editor, across multi-byte names, CRLF line ends, comments and
//! dollar-quoted bodies with semicolons inside.

use schemactl_lint::{Execution, Options, Pos, Rule, SqlSource, lint_source};

fn findings(text: &str) -> Vec<(Rule, Pos)> {
    let source = SqlSource::new("positions.sql", text);
    lint_source(&source, Execution::Autocommit, &Options::default())
        .unwrap()
        .into_iter()
        .filter(|f| !f.allowed)
        .map(|f| (f.rule, f.pos))
        .collect()
}

#[test]
fn statements_after_bodies_comments_and_multibyte_names_are_placed_exactly() {
    let text = "SET lock_timeout = '1s';\r\n\
        /* a block comment; with a semicolon */\r\n\
        CREATE FUNCTION \"naïve\".f() RETURNS void LANGUAGE sql AS $$ SELECT 1; SELECT 2; $$;\r\n\
        \r\n\
        -- café; crème\r\n\
        ALTER TABLE \"Café\".\"Crème brûlée\" ADD COLUMN \"Prix €\" numeric NOT NULL;\r\n\
        \x20\x20\x20DROP TABLE \"Café\".\"Tarte\";\r\n";
    assert_eq!(
        findings(text),
        vec![
            (
                Rule::AddColumnNotNullWithoutDefault,
                // `"Prix €"`: after 45 characters (more bytes) of the line.
                Pos {
                    line: 6,
                    column: 46
                }
            ),
            (Rule::DropTable, Pos { line: 7, column: 4 }),
        ]
    );
}

#[test]
fn two_statements_on_one_line_get_their_own_columns() {
    let text = "SET lock_timeout = '1s'; DROP TABLE a.b; ALTER TABLE a.c DROP COLUMN d;";
    assert_eq!(
        findings(text),
        vec![
            (
                Rule::DropTable,
                Pos {
                    line: 1,
                    column: 26
                }
            ),
            (
                Rule::DropColumn,
                Pos {
                    line: 1,
                    column: 42
                }
            ),
        ]
    );
}

/// An empty file, or one with only whitespace or comments, has no statement and no
/// finding (libpg_query returns no token array for it).
#[test]
fn empty_and_comment_only_files_have_no_findings() {
    assert!(findings("").is_empty());
    assert!(findings("  \n\t\n").is_empty());
    assert!(findings("-- nothing to do\n/* really */\n").is_empty());
}
