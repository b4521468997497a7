//! One DuckDB differ case: two small models (before, after) built into catalogs the way
//! `migrate new` would (no database), diffed with DuckDB's capabilities and rendered. The
//! snapshot shows the model change and the plan: each step with its hazards, each
//! statement. Every case also checks, in an in-memory DuckDB, that upgrading a database
//! built from `before` gives the database a fresh build of `after` gives.

use std::fmt::Write as _;

use schemactl_core::catalog::Catalog;
use schemactl_core::diff::Hints;
use schemactl_core::statement::RenderedStep;
use schemactl_duckdb::build::from_model;
use schemactl_duckdb::duckdb::Connection;
use schemactl_model::Model;
use schemactl_model::diag::render_all;
use schemactl_model::load::load_str;
use schemactl_model::validate::validate;

/// Prepended to a case's model when it has no `database` key of its own.
const DATABASE: &str = "database: { name: catalog, target: duckdb }\n";

pub struct Case {
    name: String,
    /// `None`: a new database file.
    before: Option<String>,
    after: String,
    /// Inserted into the database built from `before`, before it is upgraded.
    rows: Option<String>,
}

impl Case {
    pub fn new(name: &str) -> Case {
        Case {
            name: name.to_string(),
            before: None,
            after: String::new(),
            rows: None,
        }
    }

    /// Rows the `before` database holds when it is upgraded (SQL statements).
    pub fn rows(mut self, sql: &str) -> Case {
        self.rows = Some(sql.to_string());
        self
    }

    pub fn before(mut self, yaml: &str) -> Case {
        self.before = Some(dedent(yaml));
        self
    }

    pub fn after(mut self, yaml: &str) -> Case {
        self.after = dedent(yaml);
        self
    }

    /// Snapshots the plan and checks, for every case:
    /// - the plan renders (every step has DuckDB statements);
    /// - a second run is empty: before → before and after → after give no step;
    /// - the way back renders too;
    /// - upgrade ≡ fresh: in an in-memory database created from `before` (holding the
    ///   case's rows), the plan from what the database holds to `after` (normalized, as
    ///   `apply` computes it) runs, and the database then describes exactly as one
    ///   created from `after`.
    ///
    /// Returns the rendered steps for assertions a case adds.
    pub fn check(self) -> Vec<RenderedStep> {
        let steps = self.plan();
        let after_model = model(&self.name, "after", &self.after);
        let after = from_model(&after_model);
        let before = self.before_catalog(&after);
        let hints = Hints::from_model(&after_model);
        for (label, catalog) in [("before", &before), ("after", &after)] {
            let again =
                schemactl_duckdb::plan(catalog, catalog, &Hints::default()).unwrap_or_else(|e| {
                    panic!("{}: {label} → {label} does not render: {e}", self.name)
                });
            assert!(
                again.is_empty(),
                "{}: {label} → {label} is not empty:\n{}",
                self.name,
                plan_text(&again)
            );
        }
        schemactl_duckdb::plan(&after, &before, &hints.reversed())
            .unwrap_or_else(|e| panic!("{}: the way back does not render: {e}", self.name));
        upgrade_equals_fresh(&self.name, (&before, self.rows.as_deref()), &after, &hints);
        self.snapshot(&steps);
        steps
    }

    /// The plan between the two models, without running anything (a case whose plan
    /// DuckDB refuses checks the error with [`Case::plan_error`]).
    fn plan(&self) -> Vec<RenderedStep> {
        let after_model = model(&self.name, "after", &self.after);
        let after = from_model(&after_model);
        let before = self.before_catalog(&after);
        schemactl_duckdb::plan(&before, &after, &Hints::from_model(&after_model))
            .unwrap_or_else(|e| panic!("{}: the plan does not render: {e}", self.name))
    }

    /// The error the plan between the two models fails with.
    pub fn plan_error(self) -> String {
        let after_model = model(&self.name, "after", &self.after);
        let after = from_model(&after_model);
        let before = self.before_catalog(&after);
        match schemactl_duckdb::plan(&before, &after, &Hints::from_model(&after_model)) {
            Ok(steps) => panic!("{}: the plan renders:\n{}", self.name, plan_text(&steps)),
            Err(e) => e.to_string(),
        }
    }

    fn before_catalog(&self, after: &Catalog) -> Catalog {
        match &self.before {
            Some(text) => from_model(&model(&self.name, "before", text)),
            None => schemactl_duckdb::fresh_database(after),
        }
    }

    fn snapshot(&self, steps: &[RenderedStep]) {
        let change = model_change(self.before.as_deref().unwrap_or(""), &self.after);
        let plan = if steps.is_empty() {
            "no steps\n".to_string()
        } else {
            plan_text(steps)
        };
        let text = format!("{change}\n{plan}");
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(self.name.as_str(), text));
    }
}

/// A database built from `before` (with `rows`), upgraded the way `apply` does it,
/// describes as one built from `after`; and a second plan is empty.
fn upgrade_equals_fresh(
    name: &str,
    (before, rows): (&Catalog, Option<&str>),
    after: &Catalog,
    hints: &Hints,
) {
    let fresh = schemactl_duckdb::execute::normalize(after)
        .unwrap_or_else(|e| panic!("{name}: the after model does not create: {e:#}"));
    let mut conn = Connection::open_in_memory().expect("an in-memory DuckDB");
    let create = schemactl_duckdb::create_script(before).expect("the before model renders");
    schemactl_duckdb::execute::run(&mut conn, &create)
        .unwrap_or_else(|e| panic!("{name}: the before model does not create: {e:#}"));
    if let Some(rows) = rows {
        conn.execute_batch(rows)
            .unwrap_or_else(|e| panic!("{name}: the rows do not insert: {e}"));
    }
    let current = describe(&conn);
    let steps = schemactl_duckdb::plan(&current, &fresh, hints)
        .unwrap_or_else(|e| panic!("{name}: the live plan does not render: {e}"));
    schemactl_duckdb::execute::run(&mut conn, &steps)
        .unwrap_or_else(|e| panic!("{name}: the upgrade fails: {e:#}\n{}", plan_text(&steps)));
    let upgraded = describe(&conn);
    if upgraded != fresh {
        let diff = similar::TextDiff::from_lines(&format!("{fresh:#?}"), &format!("{upgraded:#?}"))
            .unified_diff()
            .header("fresh", "upgraded")
            .to_string();
        panic!(
            "{name}: the upgraded database differs from a fresh one:\n{diff}\nplan:\n{}",
            plan_text(&steps)
        );
    }
    let again = schemactl_duckdb::plan(&upgraded, &fresh, &Hints::default())
        .unwrap_or_else(|e| panic!("{name}: the second plan does not render: {e}"));
    assert!(
        again.is_empty(),
        "{name}: a second run is not empty:\n{}",
        plan_text(&again)
    );
}

fn describe(conn: &Connection) -> Catalog {
    schemactl_duckdb::describe::describe(conn, "catalog").expect("the database describes")
}

/// A case's model text: loaded and validated like `schemactl validate` does, or the test
/// fails with the diagnostics.
pub fn model(case: &str, side: &str, text: &str) -> Model {
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
fn dedent(text: &str) -> String {
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
    for change in similar::TextDiff::from_lines(before, after).iter_all_changes() {
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

/// The plan: each step with its hazards, then its statements (all in the one
/// transaction).
pub fn plan_text(steps: &[RenderedStep]) -> String {
    let mut out = String::from("plan (one transaction):\n");
    for (i, step) in steps.iter().enumerate() {
        let _ = write!(out, "{:>2}. {}", i + 1, step.description);
        if !step.hazards.is_empty() {
            let names: Vec<&str> = step.hazards.iter().map(|h| h.name()).collect();
            let _ = write!(out, "  [hazard: {}]", names.join(", "));
        }
        out.push('\n');
        for statement in &step.statements {
            let sql = statement.sql.replace('\n', "\n      ");
            let _ = writeln!(out, "    {sql}");
        }
    }
    out
}
