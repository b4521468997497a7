//! Findings as text, in the rustc style of the model validator (`path:line:column:
//! error[rule]: message`, the line with a caret, why, fix and how to allow it), or as JSON.
//! Plain text, no colour, so that snapshots and CI logs read the same.

use std::fmt::Write as _;

use serde::Serialize;

use crate::source::SqlSource;
use crate::statements::ALLOW_MARKER;
use crate::{Finding, Rule};

/// One finding as text. `source` is the file it points into (for the quoted line).
pub fn finding(finding: &Finding, source: Option<&SqlSource>) -> String {
    let info = finding.rule.info();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}:{}:{}: error[{}]: {}",
        finding.path.display(),
        finding.pos.line,
        finding.pos.column,
        info.name,
        finding.message
    );
    if let Some(text) = source.and_then(|s| s.line_text(finding.pos.line)) {
        let number = finding.pos.line.to_string();
        let gutter = " ".repeat(number.len());
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {text}");
        let _ = writeln!(
            out,
            "{gutter} | {}^",
            " ".repeat(finding.pos.column.saturating_sub(1))
        );
    }
    let _ = writeln!(out, "  = why: {}", info.why);
    let _ = writeln!(out, "  = fix: {}", info.fix);
    let _ = writeln!(
        out,
        "  = allow: if it is intended, put `{}` before the statement",
        allow_comment(&[finding.rule])
    );
    out
}

/// Every finding, in order, then a count line (`error: …` when there are any).
pub fn text(findings: &[Finding], sources: &[SqlSource]) -> String {
    let mut out = String::new();
    for f in findings {
        let source = sources.iter().find(|s| s.path == f.path);
        out.push_str(&finding(f, source));
        out.push('\n');
    }
    out.push_str(&summary(findings.len(), sources.len()));
    out.push('\n');
    out
}

/// `error: 3 problems in 2 of 5 files`, or `5 files, no problems`.
pub fn summary(findings: usize, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if findings == 0 {
        return format!("lint: {}, no problems", plural(files, "SQL file"));
    }
    format!(
        "error: lint found {} in {}",
        plural(findings, "problem"),
        plural(files, "SQL file")
    )
}

/// The comment that allows `rules` on the statement after it.
pub fn allow_comment(rules: &[Rule]) -> String {
    let names: Vec<&str> = rules.iter().map(|r| r.name()).collect();
    format!("-- {ALLOW_MARKER} allow {}", names.join(", "))
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: String,
    line: usize,
    column: usize,
    rule: &'static str,
    message: &'a str,
    why: &'static str,
    fix: &'static str,
}

/// `{"files": N, "findings": [{path, line, column, rule, message, why, fix}]}`.
pub fn json(findings: &[Finding], files: usize) -> String {
    let report = JsonReport {
        files,
        findings: findings
            .iter()
            .map(|f| {
                let info = f.rule.info();
                JsonFinding {
                    path: f.path.display().to_string(),
                    line: f.pos.line,
                    column: f.pos.column,
                    rule: info.name,
                    message: &f.message,
                    why: info.why,
                    fix: info.fix,
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// Every rule with its why and fix (`schemactl lint --list-rules`).
pub fn rule_list() -> String {
    let mut out = String::new();
    for rule in Rule::ALL {
        let info = rule.info();
        let _ = writeln!(
            out,
            "{}\n  why: {}\n  fix: {}\n",
            info.name, info.why, info.fix
        );
    }
    out
}
