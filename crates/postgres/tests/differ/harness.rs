//! One differ case: two small models (before, after), built into catalogs the way
//! `migrate new` builds them (no database), diffed with PostgreSQL's capabilities and
//! rendered. The snapshot shows the model change and the plan: each step with its
//! hazards, each statement with its transaction mode. Every case also checks properties
//! that need no server (see [`Case::check`]).

use std::fmt::Write as _;

use schemactl_core::catalog::{Catalog, from_model};
use schemactl_core::diff::Hints;
use schemactl_core::statement::{Precondition, RenderedStep, RunAs, TxMode};
use schemactl_model::Model;
use schemactl_model::diag::render_all;
use schemactl_model::load::load_str;
use schemactl_model::validate::validate;

/// Prepended to a case's model when it has no `database` key of its own.
const DATABASE: &str = "database: { name: shop }\n";

/// Adjusts a catalog built from a model into a shape a model cannot express (what a live
/// database may hold).
type Adjust = Box<dyn FnOnce(&mut Catalog)>;

pub struct Case {
    name: String,
    /// `None`: a fresh database (what `plan` without a database starts from).
    before: Option<String>,
    after: String,
    adjust_before: Option<Adjust>,
}

impl Case {
    pub fn new(name: &str) -> Case {
        Case {
            name: name.to_string(),
            before: None,
            after: String::new(),
            adjust_before: None,
        }
    }

    pub fn before(mut self, yaml: &str) -> Case {
        self.before = Some(dedent(yaml));
        self
    }

    pub fn after(mut self, yaml: &str) -> Case {
        self.after = dedent(yaml);
        self
    }

    /// Changes the catalog built from the `before` model (a live database's shape).
    pub fn adjust_before(mut self, adjust: impl FnOnce(&mut Catalog) + 'static) -> Case {
        self.adjust_before = Some(Box::new(adjust));
        self
    }

    /// Snapshots the plan and checks, for every case:
    /// - the plan renders (every step has statements PostgreSQL takes);
    /// - a second run is empty: before → before and after → after give no step (before
    ///   as its model builds it);
    /// - the way back renders too (`migrate new` writes it as the down migration);
    /// - the create script of the `after` model renders (`plan` without a database).
    ///
    /// Returns the rendered steps for assertions a case adds.
    pub fn check(self) -> Vec<RenderedStep> {
        let after_model = model(&self.name, "after", &self.after);
        let after = from_model(&after_model);
        let modelled = match &self.before {
            Some(text) => from_model(&model(&self.name, "before", text)),
            None => schemactl_postgres::fresh_database(&after),
        };
        let mut before = modelled.clone();
        if let Some(adjust) = self.adjust_before {
            adjust(&mut before);
        }
        let hints = Hints::from_model(&after_model);
        let steps = schemactl_postgres::plan(&before, &after, &hints)
            .unwrap_or_else(|e| panic!("{}: the plan does not render: {e}", self.name));

        // The modelled side: a live shape may hold what only a plan resolves (NOT VALID).
        for (label, catalog) in [("before", &modelled), ("after", &after)] {
            let again = schemactl_postgres::plan(catalog, catalog, &Hints::default())
                .unwrap_or_else(|e| {
                    panic!("{}: {label} → {label} does not render: {e}", self.name)
                });
            assert!(
                again.is_empty(),
                "{}: {label} → {label} is not empty:\n{}",
                self.name,
                plan_text(&again)
            );
        }
        schemactl_postgres::plan(&after, &before, &hints.reversed())
            .unwrap_or_else(|e| panic!("{}: the way back does not render: {e}", self.name));
        schemactl_postgres::create_script(&after)
            .unwrap_or_else(|e| panic!("{}: the create script does not render: {e}", self.name));

        let change = match &self.before {
            Some(text) => model_change(text, &self.after),
            None => model_change("", &self.after),
        };
        let text = format!(
            "{}\n{}",
            change,
            if steps.is_empty() {
                "no steps\n".to_string()
            } else {
                plan_text(&steps)
            }
        );
        snapshot(&self.name, &text);
        steps
    }
}

/// `snapshots/<name>.snap`.
pub fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// A case's model text: loaded and validated like `schemactl validate` does, or the test
/// fails with the diagnostics.
fn model(case: &str, side: &str, text: &str) -> Model {
    let text = if text.lines().any(|l| l.starts_with("database:")) {
        text.to_string()
    } else {
        format!("{DATABASE}{text}")
    };
    let path = std::path::PathBuf::from(format!("{case}.{side}.yaml"));
    match load_str(&path, text) {
        Ok(loaded) => {
            let diagnostics = validate(&loaded);
            assert!(
                diagnostics.is_empty(),
                "{}",
                render_all(&diagnostics, &loaded.source)
            );
            loaded.model
        }
        Err((source, diagnostics)) => panic!("{}", render_all(&diagnostics, &source)),
    }
}

/// The indentation common to every non-blank line removed, and blank lines around.
pub fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in text.lines().skip_while(|l| l.trim().is_empty()) {
        out.push_str(line.get(indent..).unwrap_or("").trim_end());
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The two models as one text, each line marked: `-` only before, `+` only after.
fn model_change(before: &str, after: &str) -> String {
    let mut out = String::from("model (- before, + after):\n");
    let diff = similar::TextDiff::from_lines(before, after);
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => '-',
            similar::ChangeTag::Insert => '+',
            similar::ChangeTag::Equal => ' ',
        };
        let _ = write!(out, "{sign} {}", change.value());
        if change.missing_newline() {
            out.push('\n');
        }
    }
    out
}

/// The plan: each step with its hazards, each statement with its transaction mode (and
/// `admin` when it does not run as the database owner).
pub fn plan_text(steps: &[RenderedStep]) -> String {
    let mut out = String::from("plan:\n");
    for (i, step) in steps.iter().enumerate() {
        let _ = write!(out, "{:>2}. {}", i + 1, step.description);
        if !step.hazards.is_empty() {
            let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
            let _ = write!(out, "  [hazard: {}]", names.join(", "));
        }
        out.push('\n');
        for statement in &step.statements {
            let mode = match statement.mode {
                TxMode::CommitFirst => "commit first",
                TxMode::Transaction => "transaction",
                TxMode::Outside => "outside",
            };
            let admin = if statement.run_as == RunAs::Admin {
                ", admin"
            } else {
                ""
            };
            if let Some(Precondition::DropInvalidIndex { index }) = &statement.precondition {
                let _ = writeln!(
                    out,
                    "    (first: drop {index} if an interrupted build left it invalid)"
                );
            }
            let sql = statement.sql.replace('\n', "\n        ");
            let _ = writeln!(out, "    [{mode}{admin}] {sql}");
        }
    }
    out
}
