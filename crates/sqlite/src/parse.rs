//! Reading the `CREATE` statements SQLite keeps in `sqlite_schema`. SQLite has no catalog
//! of constraints, generation expressions, index expressions or trigger programs beyond
//! that text, so describing a database means parsing it: tables and indexes with
//! sqlparser's SQLite dialect, views and triggers with its tokenizer (their bodies are
//! kept as written). This reads the database's own schema, which may have been written
//! by anyone; it is not a stage reading back text another stage generated.

use anyhow::{Context, anyhow, bail};
use sqlparser::ast::{
    ColumnOption, CreateIndex, CreateTable, Expr, ForeignKeyConstraint, OrderBySort,
    ReferentialAction, Statement, TableConstraint,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use schemactl_core::catalog::IndexKeyDef;
use schemactl_model::{FkAction, SortOrder, TriggerEvent, TriggerTiming};

/// What the statement of a table says beyond `PRAGMA table_xinfo`.
#[derive(Debug, Default)]
pub struct ParsedTable {
    pub primary_key_name: Option<String>,
    /// (name, columns); unnamed ones have `None`.
    pub uniques: Vec<(Option<String>, Vec<String>)>,
    /// (name, the column it is written on, expression).
    pub checks: Vec<(Option<String>, Option<String>, String)>,
    pub foreign_keys: Vec<ParsedForeignKey>,
    /// Column → generation expression.
    pub generated: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct ParsedForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub table: String,
    pub referenced_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub deferrable: bool,
}

fn parse_one(sql: &str) -> anyhow::Result<Statement> {
    let mut statements = Parser::parse_sql(&SQLiteDialect {}, sql)
        .with_context(|| format!("cannot parse `{}`", first_line(sql)))?;
    if statements.len() != 1 {
        bail!("expected one statement in `{}`", first_line(sql));
    }
    statements
        .pop()
        .ok_or_else(|| anyhow!("no statement in `{}`", first_line(sql)))
}

fn first_line(sql: &str) -> &str {
    sql.lines().next().unwrap_or_default()
}

pub fn table(sql: &str) -> anyhow::Result<ParsedTable> {
    let Statement::CreateTable(CreateTable {
        columns,
        constraints,
        ..
    }) = parse_one(sql)?
    else {
        bail!("not a CREATE TABLE: `{}`", first_line(sql));
    };
    let mut out = ParsedTable::default();
    for column in &columns {
        let name = column.name.value.clone();
        for option in &column.options {
            let constraint_name = option.name.as_ref().map(|n| n.value.clone());
            match &option.option {
                ColumnOption::PrimaryKey(_) => out.primary_key_name = constraint_name,
                ColumnOption::Unique(_) => out.uniques.push((constraint_name, vec![name.clone()])),
                ColumnOption::Check(check) => {
                    out.checks
                        .push((constraint_name, Some(name.clone()), check.expr.to_string()))
                }
                ColumnOption::ForeignKey(fk) => {
                    let mut parsed = foreign_key(fk, constraint_name);
                    if parsed.columns.is_empty() {
                        parsed.columns = vec![name.clone()];
                    }
                    out.foreign_keys.push(parsed);
                }
                ColumnOption::Generated {
                    generation_expr: Some(expr),
                    ..
                } => out.generated.push((name.clone(), expr.to_string())),
                _ => {}
            }
        }
    }
    for constraint in &constraints {
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                out.primary_key_name = pk.name.as_ref().map(|n| n.value.clone());
            }
            TableConstraint::Unique(u) => out.uniques.push((
                u.name.as_ref().map(|n| n.value.clone()),
                u.columns
                    .iter()
                    .map(|c| c.column.expr.to_string())
                    .map(unquote)
                    .collect(),
            )),
            TableConstraint::Check(c) => out.checks.push((
                c.name.as_ref().map(|n| n.value.clone()),
                None,
                c.expr.to_string(),
            )),
            TableConstraint::ForeignKey(fk) => {
                let name = fk.name.as_ref().map(|n| n.value.clone());
                out.foreign_keys.push(foreign_key(fk, name));
            }
            other => bail!("a table constraint schemactl cannot model: `{other}`"),
        }
    }
    Ok(out)
}

/// An identifier as written in an expression, without its quotes.
fn unquote(text: String) -> String {
    let trimmed = text.trim();
    if trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"') {
        trimmed[1..trimmed.len() - 1].replace("\"\"", "\"")
    } else {
        trimmed.to_string()
    }
}

fn foreign_key(fk: &ForeignKeyConstraint, name: Option<String>) -> ParsedForeignKey {
    let action = |a: Option<ReferentialAction>| match a {
        Some(ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
        Some(ReferentialAction::NoAction) | None => FkAction::NoAction,
    };
    ParsedForeignKey {
        name,
        columns: fk.columns.iter().map(|c| c.value.clone()).collect(),
        table: fk
            .foreign_table
            .0
            .last()
            .map(|p| p.to_string())
            .map(unquote)
            .unwrap_or_default(),
        referenced_columns: fk
            .referred_columns
            .iter()
            .map(|c| c.value.clone())
            .collect(),
        on_delete: action(fk.on_delete),
        on_update: action(fk.on_update),
        deferrable: fk
            .characteristics
            .as_ref()
            .and_then(|c| c.deferrable)
            .unwrap_or(false),
    }
}

/// What an index's statement says: uniqueness, keys, predicate.
pub struct ParsedIndex {
    pub unique: bool,
    pub keys: Vec<IndexKeyDef>,
    pub predicate: Option<String>,
}

pub fn index(sql: &str) -> anyhow::Result<ParsedIndex> {
    let Statement::CreateIndex(CreateIndex {
        unique,
        columns,
        predicate,
        ..
    }) = parse_one(sql)?
    else {
        bail!("not a CREATE INDEX: `{}`", first_line(sql));
    };
    let keys = columns
        .into_iter()
        .map(|c| {
            let order = match c.column.options.sort {
                Some(OrderBySort::Desc) => Some(SortOrder::Desc),
                Some(OrderBySort::Asc) => Some(SortOrder::Asc),
                _ => None,
            };
            let (expr, collate) = match c.column.expr {
                Expr::Collate { expr, collation } => (*expr, Some(collation.to_string())),
                other => (other, None),
            };
            match expr {
                Expr::Identifier(ident) => IndexKeyDef::Column {
                    name: ident.value,
                    opclass: None,
                    order,
                    nulls: None,
                    collate,
                },
                other => IndexKeyDef::Expression {
                    sql: other.to_string(),
                    opclass: None,
                    order,
                    nulls: None,
                    collate,
                },
            }
        })
        .collect();
    Ok(ParsedIndex {
        unique,
        keys,
        predicate: predicate.map(|p| p.to_string()),
    })
}

fn tokens(sql: &str) -> anyhow::Result<Vec<TokenWithSpan>> {
    Tokenizer::new(&SQLiteDialect {}, sql)
        .tokenize_with_location()
        .map_err(|e| anyhow!("cannot read `{}`: {e}", first_line(sql)))
        .map(|all| {
            all.into_iter()
                .filter(|t| !matches!(t.token, Token::Whitespace(_)))
                .collect()
        })
}

/// The byte offset of a tokenizer location (1-based line and character column).
fn offset(sql: &str, at: Location) -> usize {
    let mut line = 1;
    let mut column = 1;
    for (i, c) in sql.char_indices() {
        if line == at.line && column == at.column {
            return i;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    sql.len()
}

fn keyword(t: &TokenWithSpan) -> Option<Keyword> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    }
}

/// The query of `CREATE VIEW name AS query`, as written.
pub fn view_query(sql: &str) -> anyhow::Result<String> {
    let all = tokens(sql)?;
    let as_token = all
        .iter()
        .position(|t| keyword(t) == Some(Keyword::AS))
        .ok_or_else(|| anyhow!("no AS in `{}`", first_line(sql)))?;
    let next = all
        .get(as_token + 1)
        .ok_or_else(|| anyhow!("no query in `{}`", first_line(sql)))?;
    Ok(sql[offset(sql, next.span.start)..].trim().to_string())
}

/// What a trigger's statement says.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedTrigger {
    pub timing: TriggerTiming,
    pub event: TriggerEvent,
    pub update_of: Vec<String>,
    pub condition: Option<String>,
    pub program: String,
}

/// `CREATE TRIGGER name {BEFORE|AFTER|INSTEAD OF} {INSERT|DELETE|UPDATE [OF cols]} ON table
/// [FOR EACH ROW] [WHEN condition] BEGIN program END`.
pub fn trigger(sql: &str) -> anyhow::Result<ParsedTrigger> {
    let all = tokens(sql)?;
    let find = |kw: Keyword, from: usize| {
        all.iter()
            .enumerate()
            .skip(from)
            .find(|(_, t)| keyword(t) == Some(kw))
            .map(|(i, _)| i)
    };
    let bad = || anyhow!("a trigger schemactl cannot read: `{}`", first_line(sql));
    let kw = |i: usize| all.get(i).and_then(keyword);
    let timing_at = all
        .iter()
        .position(|t| {
            matches!(
                keyword(t),
                Some(Keyword::BEFORE | Keyword::AFTER | Keyword::INSTEAD)
            )
        })
        .ok_or_else(bad)?;
    let (timing, event_at) = match kw(timing_at) {
        Some(Keyword::BEFORE) => (TriggerTiming::Before, timing_at + 1),
        Some(Keyword::AFTER) => (TriggerTiming::After, timing_at + 1),
        _ => (TriggerTiming::InsteadOf, timing_at + 2),
    };
    let event = match kw(event_at) {
        Some(Keyword::INSERT) => TriggerEvent::Insert,
        Some(Keyword::DELETE) => TriggerEvent::Delete,
        Some(Keyword::UPDATE) => TriggerEvent::Update,
        _ => return Err(bad()),
    };
    let on_at = find(Keyword::ON, event_at).ok_or_else(bad)?;
    let mut update_of = Vec::new();
    if kw(event_at + 1) == Some(Keyword::OF) {
        for t in &all[event_at + 2..on_at] {
            if let Token::Word(w) = &t.token {
                update_of.push(w.value.clone());
            }
        }
    }
    let begin_at = find(Keyword::BEGIN, on_at).ok_or_else(bad)?;
    let condition = find(Keyword::WHEN, on_at)
        .filter(|when| *when < begin_at)
        .map(|when| {
            let start = offset(sql, all[when + 1].span.start);
            let end = offset(sql, all[begin_at].span.start);
            sql[start..end].trim().to_string()
        });
    let end_at = all
        .iter()
        .rposition(|t| keyword(t) == Some(Keyword::END))
        .filter(|end| *end > begin_at)
        .ok_or_else(bad)?;
    let start = offset(sql, all[begin_at].span.end);
    let end = offset(sql, all[end_at].span.start);
    Ok(ParsedTrigger {
        timing,
        event,
        update_of,
        condition,
        program: sql[start..end].trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_trigger_as_written() {
        let parsed = trigger(
            "CREATE TRIGGER \"t\" AFTER UPDATE OF a, \"B\" ON games FOR EACH ROW WHEN NEW.a <> OLD.a\nBEGIN\n  UPDATE x SET y = 1; DELETE FROM z;\nEND",
        )
        .unwrap();
        assert_eq!(parsed.timing, TriggerTiming::After);
        assert_eq!(parsed.event, TriggerEvent::Update);
        assert_eq!(parsed.update_of, ["a", "B"]);
        assert_eq!(parsed.condition.as_deref(), Some("NEW.a <> OLD.a"));
        assert_eq!(parsed.program, "UPDATE x SET y = 1; DELETE FROM z;");
    }

    #[test]
    fn reads_a_view_query_as_written() {
        assert_eq!(
            view_query("CREATE VIEW \"v\" AS  SELECT a AS b FROM t").unwrap(),
            "SELECT a AS b FROM t"
        );
    }
}
