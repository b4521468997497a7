//! `migrate new` lints what it writes. A statement the plan chose that a lint rule reports
//! (a drop the model asks for, an index dropped in the transaction, …) gets an allow
//! comment naming the rule, so that `schemactl lint` passes on the files as written and
//! fails on a hand edit that adds a new hazard. Each such statement is listed for the user,
//! with the hazards the plan reports for its step (or the note that it reports none, where
//! the lint sees more than the plan).

use std::path::{Path, PathBuf};

use anyhow::bail;
use schemactl_core::step::Hazard;
use schemactl_lint::{Execution, Finding, Options, Rule, SqlSource, lint_sequence, render};
use schemactl_postgres::script::{self, Line};

/// A finding in a written file, allowed by the comment written before its statement.
#[derive(Debug, Clone)]
pub struct AllowedFinding {
    pub finding: Finding,
    /// The hazards the plan reports for the statement's step.
    pub step_hazards: Vec<Hazard>,
}

impl AllowedFinding {
    /// `path:line:column: rule: message (the plan reports: …)`.
    pub fn line(&self) -> String {
        let f = &self.finding;
        let plan = if self.step_hazards.is_empty() {
            "the plan reports no hazard for this step: check it".to_string()
        } else {
            let names: Vec<&str> = self.step_hazards.iter().map(|h| h.name()).collect();
            format!("the plan reports: {}", names.join(", "))
        };
        format!(
            "{}:{}:{}: {}: {} ({plan})",
            f.path.display(),
            f.pos.line,
            f.pos.column,
            f.rule,
            f.message
        )
    }
}

/// One file of a direction: where it goes and its lines.
pub(super) struct Part<'a> {
    pub path: PathBuf,
    pub lines: &'a [Line],
}

/// The texts of a direction's files (in the runner's order), with allow comments before
/// the statements the lint reports, and those findings.
pub(super) fn annotate(parts: &[Part]) -> anyhow::Result<(Vec<String>, Vec<AllowedFinding>)> {
    let options = Options::default();
    // Each line's text, so a finding's offset leads back to its line.
    let chunks: Vec<Vec<String>> = parts
        .iter()
        .map(|p| {
            p.lines
                .iter()
                .map(|l| script::lines_sql(std::slice::from_ref(l)))
                .collect()
        })
        .collect();
    let plain: Vec<SqlSource> = parts
        .iter()
        .zip(&chunks)
        .map(|(p, c)| SqlSource::new(&p.path, c.concat()))
        .collect();
    let findings = lint(&plain, &options)?;
    // The rules to allow before each line.
    let mut allows: Vec<Vec<Vec<Rule>>> =
        chunks.iter().map(|c| vec![Vec::new(); c.len()]).collect();
    for finding in &findings {
        let (part, line) = locate(&plain, &chunks, &finding.path, finding.offset)?;
        if !allows[part][line].contains(&finding.rule) {
            allows[part][line].push(finding.rule);
        }
    }
    let mut texts = Vec::new();
    let mut annotated = Vec::new();
    // Per part: where each line's text (with its allow comment) ends in the written file.
    let mut line_ends: Vec<Vec<usize>> = Vec::new();
    for (p, part) in parts.iter().enumerate() {
        let mut text = String::new();
        let mut ends = Vec::new();
        for (i, chunk) in chunks[p].iter().enumerate() {
            if !allows[p][i].is_empty() {
                text.push_str(&render::allow_comment(&allows[p][i]));
                text.push_str(" (written by migrate new: the plan chose this statement)\n");
            }
            text.push_str(chunk);
            ends.push(text.len());
        }
        annotated.push(SqlSource::new(&part.path, text.clone()));
        texts.push(text);
        line_ends.push(ends);
    }
    // The comments must cover every finding: read the files as `schemactl lint` will.
    let mut allowed = Vec::new();
    for finding in lint(&annotated, &options)? {
        if !finding.allowed {
            bail!(
                "internal error: the allow comment written for {} at {}:{}:{} does not cover it",
                finding.rule,
                finding.path.display(),
                finding.pos.line,
                finding.pos.column
            );
        }
        let part = part_of(&annotated, &finding.path)?;
        let line = line_ends[part].partition_point(|&end| end <= finding.offset);
        allowed.push(AllowedFinding {
            step_hazards: step_hazards(parts[part].lines, line),
            finding,
        });
    }
    Ok((texts, allowed))
}

fn lint(sources: &[SqlSource], options: &Options) -> anyhow::Result<Vec<Finding>> {
    let sequence: Vec<(&SqlSource, Execution)> = sources
        .iter()
        .map(|s| (s, Execution::of_path(&s.path)))
        .collect();
    Ok(lint_sequence(&sequence, options)?)
}

fn part_of(sources: &[SqlSource], path: &Path) -> anyhow::Result<usize> {
    match sources.iter().position(|s| s.path == path) {
        Some(i) => Ok(i),
        None => bail!(
            "internal error: a finding in {}, which was not linted",
            path.display()
        ),
    }
}

/// The part and line index whose text holds `offset`.
fn locate(
    sources: &[SqlSource],
    chunks: &[Vec<String>],
    path: &Path,
    offset: usize,
) -> anyhow::Result<(usize, usize)> {
    let part = part_of(sources, path)?;
    let mut end = 0;
    for (i, chunk) in chunks[part].iter().enumerate() {
        end += chunk.len();
        if offset < end {
            return Ok((part, i));
        }
    }
    bail!(
        "internal error: a finding past the end of {}",
        path.display()
    )
}

/// The hazards the plan reports for the step that line `index` belongs to (the last
/// `Line::Step` at or before it).
fn step_hazards(lines: &[Line], index: usize) -> Vec<Hazard> {
    lines
        .iter()
        .take(index + 1)
        .rev()
        .find_map(|l| match l {
            Line::Step { hazards, .. } => Some(hazards.clone()),
            _ => None,
        })
        .unwrap_or_default()
}
