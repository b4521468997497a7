//! A rendered plan laid out for execution: the statements committed first, the plan's
//! one transaction, then what runs outside any transaction, with the session settings
//! each part needs (role, search_path, function body checks). The executor runs these
//! lines and `plan` prints them; both read the same typed lines.

use schemactl_core::sql::ident;
use schemactl_core::statement::{Precondition, RenderedStep, RunAs, Statement, TxMode};
use schemactl_core::step::Hazard;

/// One line of a script part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A step begins: its description and hazards, as a comment in the text form.
    Step {
        description: String,
        hazards: Vec<Hazard>,
    },
    /// A session setting the script inserted (role, search_path, body checks).
    Setting(String),
    /// A statement of a step, with the object it belongs to (for error messages that
    /// point at the model).
    Statement {
        sql: String,
        object: schemactl_core::statement::ObjectKey,
        /// Where the statement's columns and inline constraints sit in `sql`.
        parts: Vec<schemactl_core::statement::Part>,
    },
    /// Done by the executor before the next statement; printed as a comment.
    Precondition(Precondition),
}

/// The three parts of a plan, in execution order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// One transaction, committed before the plan's (new enum values).
    pub first: Vec<Line>,
    /// The plan's transaction.
    pub transaction: Vec<Line>,
    /// After the commit, outside any transaction, one statement at a time.
    pub outside: Vec<Line>,
}

impl Script {
    pub fn is_empty(&self) -> bool {
        !self
            .first
            .iter()
            .chain(&self.transaction)
            .chain(&self.outside)
            .any(|l| matches!(l, Line::Statement { .. }))
    }

    /// The script as SQL text: each transactional part between BEGIN and COMMIT.
    pub fn to_sql(&self) -> String {
        let mut out = String::new();
        if has_statements(&self.first) {
            out.push_str(
                "-- A new enum value must be committed before it can be used.\nBEGIN;\n\n",
            );
            write_lines(&mut out, &self.first);
            out.push_str("COMMIT;\n\n");
        }
        if has_statements(&self.transaction) {
            out.push_str("BEGIN;\n\n");
            write_lines(&mut out, &self.transaction);
            out.push_str("COMMIT;\n");
        }
        if has_statements(&self.outside) {
            out.push_str("\n-- CONCURRENTLY cannot run inside a transaction block.\n\n");
            write_lines(&mut out, &self.outside);
        }
        out
    }
}

/// One part's lines as SQL text, without BEGIN and COMMIT: for files whose runner supplies
/// the transaction (versioned migrations).
pub fn lines_sql(lines: &[Line]) -> String {
    let mut out = String::new();
    write_lines(&mut out, lines);
    out
}

fn has_statements(lines: &[Line]) -> bool {
    lines.iter().any(|l| matches!(l, Line::Statement { .. }))
}

fn write_lines(out: &mut String, lines: &[Line]) {
    for line in lines {
        match line {
            Line::Step {
                description,
                hazards,
            } => {
                out.push_str(&format!("-- {description}"));
                if !hazards.is_empty() {
                    let names: Vec<&str> = hazards.iter().map(|h| h.name()).collect();
                    out.push_str(&format!(" [hazard: {}]", names.join(", ")));
                }
                out.push('\n');
            }
            Line::Setting(sql) => {
                out.push_str(sql);
                out.push_str(";\n");
            }
            Line::Statement { sql, .. } => {
                out.push_str(sql);
                out.push_str(";\n\n");
            }
            Line::Precondition(Precondition::DropInvalidIndex { index }) => {
                out.push_str(&format!(
                    "-- an invalid {} left by an interrupted build is dropped first\nDROP INDEX CONCURRENTLY IF EXISTS {};\n",
                    index,
                    index.sql()
                ));
            }
        }
    }
}

/// Lays out rendered steps. With `owner`, statements that create objects run as that
/// role (it then owns them) and admin statements as the connecting role.
pub fn layout(steps: &[RenderedStep], owner: Option<&str>) -> Script {
    layout_from(steps, owner, Some(false))
}

/// [`layout`] for a script whose runner may already have switched to the owner role (a
/// migration file): its transactional parts say the role of their first statement too.
pub fn layout_for_any_role(steps: &[RenderedStep], owner: Option<&str>) -> Script {
    layout_from(steps, owner, None)
}

/// `as_owner`: whether the session runs as the owner when a part starts (`None`: unknown).
fn layout_from(steps: &[RenderedStep], owner: Option<&str>, as_owner: Option<bool>) -> Script {
    let mut script = Script::default();
    let mut first = Part::new(owner, true, as_owner);
    let mut transaction = Part::new(owner, true, as_owner);
    let mut outside = Part::new(owner, false, Some(false));
    let creates_functions = steps.iter().any(|s| {
        matches!(
            s.step,
            schemactl_core::step::Step::CreateFunction { .. }
                | schemactl_core::step::Step::ReplaceFunction { .. }
        )
    });
    if creates_functions {
        // Function bodies may use tables created later in the plan; like pg_dump, check
        // them when they run rather than when they are created.
        transaction.lines.push(Line::Setting(
            "SET LOCAL check_function_bodies = off".into(),
        ));
    }
    let mut checking_bodies = false;
    for step in steps {
        if !checking_bodies
            && matches!(
                step.step,
                schemactl_core::step::Step::CheckFunctionBody { .. }
            )
        {
            // The validators check bodies only with the setting on.
            transaction
                .lines
                .push(Line::Setting("SET LOCAL check_function_bodies = on".into()));
            checking_bodies = true;
        }
        for (i, statement) in step.statements.iter().enumerate() {
            let part = match statement.mode {
                TxMode::CommitFirst => &mut first,
                TxMode::Transaction => &mut transaction,
                TxMode::Outside => &mut outside,
            };
            if i == 0 || part.last_step.as_deref() != Some(step.description.as_str()) {
                part.lines.push(Line::Step {
                    description: step.description.clone(),
                    hazards: step.hazards.clone(),
                });
                part.last_step = Some(step.description.clone());
            }
            part.push(statement);
        }
    }
    script.first = first.finish();
    script.transaction = transaction.finish();
    script.outside = outside.finish();
    script
}

/// One part being laid out, tracking the session state its settings have established.
struct Part<'a> {
    owner: Option<&'a str>,
    /// `SET LOCAL` inside a transaction; plain `SET` (and a reset at the end) outside.
    local: bool,
    lines: Vec<Line>,
    /// Whether the session runs as the owner now (`None`: not known yet).
    as_owner: Option<bool>,
    search_path: Option<String>,
    last_step: Option<String>,
}

impl<'a> Part<'a> {
    fn new(owner: Option<&'a str>, local: bool, as_owner: Option<bool>) -> Part<'a> {
        Part {
            owner,
            local,
            lines: Vec::new(),
            as_owner,
            search_path: None,
            last_step: None,
        }
    }

    fn set(&self) -> &'static str {
        if self.local { "SET LOCAL" } else { "SET" }
    }

    fn push(&mut self, statement: &Statement) {
        if let Some(owner) = self.owner {
            let wants_owner = statement.run_as == RunAs::Owner;
            if Some(wants_owner) != self.as_owner {
                self.lines.push(Line::Setting(if wants_owner {
                    format!("{} ROLE {}", self.set(), ident(owner))
                } else {
                    "RESET ROLE".to_string()
                }));
                self.as_owner = Some(wants_owner);
            }
        }
        if let Some(schema) = &statement.search_path
            && self.search_path.as_ref() != Some(schema)
        {
            self.lines.push(Line::Setting(format!(
                "{} search_path TO {}, public",
                self.set(),
                ident(schema)
            )));
            self.search_path = Some(schema.clone());
        }
        if let Some(pre) = &statement.precondition {
            self.lines.push(Line::Precondition(pre.clone()));
        }
        self.lines.push(Line::Statement {
            sql: statement.sql.clone(),
            object: statement.object.clone(),
            parts: statement.parts.clone(),
        });
    }

    fn finish(mut self) -> Vec<Line> {
        if !self.local {
            if self.as_owner == Some(true) {
                self.lines.push(Line::Setting("RESET ROLE".into()));
            }
            if self.search_path.is_some() {
                self.lines.push(Line::Setting("RESET search_path".into()));
            }
        }
        if has_statements(&self.lines) {
            self.lines
        } else {
            Vec::new()
        }
    }
}
