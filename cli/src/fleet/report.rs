//! The end of a fleet command: a table per target (or JSON for CI), a summary line, and
//! the exit code.

use serde::Serialize;

use crate::exit::{EXIT_CHANGES, EXIT_DATABASE, EXIT_OK, EXIT_REFUSED};

use super::rollout::Outcome;
use super::work::State;

/// How the result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FleetFormat {
    /// A table, one row per target, and a summary line.
    Table,
    /// One JSON document: the summary and every target.
    Json,
}

/// Counts per state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub targets: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub drifted: usize,
    pub refused: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut summary = Summary {
            targets: outcomes.len(),
            ..Summary::default()
        };
        for outcome in outcomes {
            let count = match outcome.done.state {
                State::Changed => &mut summary.changed,
                State::Unchanged => &mut summary.unchanged,
                State::Drifted => &mut summary.drifted,
                State::Refused => &mut summary.refused,
                State::Failed => &mut summary.failed,
                State::Skipped => &mut summary.skipped,
            };
            *count += 1;
        }
        summary
    }

    /// 4 when a target failed (or was skipped after failures), else 5 when one was refused,
    /// else 3 when one drifted, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.failed > 0 {
            EXIT_DATABASE
        } else if self.refused > 0 {
            EXIT_REFUSED
        } else if self.skipped > 0 {
            EXIT_DATABASE
        } else if self.drifted > 0 {
            EXIT_CHANGES
        } else {
            EXIT_OK
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    fleet: &'a str,
    operation: &'a str,
    seconds: f64,
    summary: &'a Summary,
    targets: Vec<JsonTarget<'a>>,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    target: &'a str,
    server: &'a str,
    database: &'a str,
    schema: Option<&'a str>,
    state: State,
    steps: usize,
    seconds: f64,
    detail: &'a str,
}

/// Prints the report on stdout and returns the exit code.
pub fn print(
    fleet: &str,
    operation: &str,
    outcomes: &[Outcome],
    seconds: f64,
    format: FleetFormat,
) -> u8 {
    let summary = Summary::of(outcomes);
    match format {
        FleetFormat::Json => {
            let report = JsonReport {
                fleet,
                operation,
                seconds: round(seconds),
                summary: &summary,
                targets: outcomes
                    .iter()
                    .map(|o| JsonTarget {
                        target: &o.target.label,
                        server: &o.target.server,
                        database: &o.target.database,
                        schema: o.target.schema.as_deref(),
                        state: o.done.state,
                        steps: o.done.steps,
                        seconds: round(o.seconds),
                        detail: &o.done.detail,
                    })
                    .collect(),
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        FleetFormat::Table => {
            print!("{}", table(outcomes));
            println!("{}", summary_line(fleet, operation, &summary, seconds));
        }
    }
    summary.exit_code()
}

fn round(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

fn state_word(state: State) -> &'static str {
    match state {
        State::Changed => "changed",
        State::Unchanged => "unchanged",
        State::Drifted => "drifted",
        State::Refused => "refused",
        State::Failed => "failed",
        State::Skipped => "skipped",
    }
}

/// One row per target: target, state, steps, seconds, detail.
pub fn table(outcomes: &[Outcome]) -> String {
    let width = outcomes
        .iter()
        .map(|o| o.target.label.len())
        .max()
        .unwrap_or(0)
        .max("TARGET".len());
    let mut out = format!(
        "{:<width$}  {:<9}  {:>5}  {:>7}  DETAIL\n",
        "TARGET", "STATE", "STEPS", "SECONDS"
    );
    for o in outcomes {
        out.push_str(&format!(
            "{:<width$}  {:<9}  {:>5}  {:>7.2}  {}\n",
            o.target.label,
            state_word(o.done.state),
            o.done.steps,
            o.seconds,
            o.done.detail
        ));
    }
    out
}

fn summary_line(fleet: &str, operation: &str, s: &Summary, seconds: f64) -> String {
    let mut parts = vec![
        format!("{} changed", s.changed),
        format!("{} unchanged", s.unchanged),
    ];
    for (count, word) in [
        (s.drifted, "drifted"),
        (s.refused, "refused"),
        (s.failed, "failed"),
        (s.skipped, "skipped"),
    ] {
        if count > 0 || word == "failed" {
            parts.push(format!("{count} {word}"));
        }
    }
    format!(
        "{operation} --fleet {fleet}: {} target(s): {} in {seconds:.2}s",
        s.targets,
        parts.join(", ")
    )
}
