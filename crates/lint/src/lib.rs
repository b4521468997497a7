//! Migration lint: reads SQL files, parses them with PostgreSQL's own parser (libpg_query,
//! through the `pg_query` crate) and reports statements that lock, rewrite or break a live
//! database, each with its file, line and column, a rule name, why it is hazardous and how
//! to write it instead.
//!
//! What a statement does depends on what ran before it in the same migration, so the checks
//! follow the file in order: objects created earlier in the migration are new (nothing reads
//! them yet: creating an index on them without CONCURRENTLY is fine), `BEGIN`/`COMMIT` and
//! the way the file is run ([`Execution`]) say whether a statement is inside a transaction
//! block, and `SET lock_timeout` is remembered for the statements after it.
//!
//! No database driver: the crate reads text and returns [`Finding`]s; the CLI and
//! `migrate new` print them ([`render`]).

mod check;
pub mod render;
pub mod rules;
pub mod source;
mod statements;

use std::path::{Path, PathBuf};

pub use rules::{Rule, RuleInfo};
pub use source::{Pos, SqlSource};
pub use statements::ALLOW_MARKER;

/// How a file's statements are run, which decides whether they are inside a transaction
/// block before any `BEGIN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Execution {
    /// The runner wraps the whole file in one transaction (a migration step's `up.sql`,
    /// `down.sql` and `*_first.sql`).
    Transaction,
    /// Each statement runs on its own unless the file says `BEGIN` (plain SQL files, a
    /// migration step's `*_concurrent.sql`).
    Autocommit,
}

impl Execution {
    /// How the runner of this project's migrations (and of sea-orm-migration, diesel and
    /// others that name their files `up.sql`/`down.sql`) runs a file, from its name.
    pub fn of_path(path: &Path) -> Execution {
        match path.file_name().and_then(|n| n.to_str()) {
            Some("up.sql" | "down.sql" | "up_first.sql" | "down_first.sql") => {
                Execution::Transaction
            }
            _ => Execution::Autocommit,
        }
    }
}

/// What the lint assumes about the target server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The oldest PostgreSQL major version the migrations must be safe on. Rules about
    /// old servers (`add-column-default-before-pg11`, `enum-add-value-in-transaction`)
    /// report only below their version.
    pub pg_version: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            pg_version: DEFAULT_PG_VERSION,
        }
    }
}

/// The oldest server this project tests against (PostgreSQL 16).
pub const DEFAULT_PG_VERSION: u32 = 16;

/// One hazardous statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: PathBuf,
    pub pos: Pos,
    /// Byte offset in the file (where `pos` points).
    pub offset: usize,
    pub rule: Rule,
    /// What this statement does, naming its objects.
    pub message: String,
    /// Whether an allow comment on the statement names the rule (such findings are left
    /// out of [`lint_files`]' result; `migrate new` uses them to explain its comments).
    pub allowed: bool,
}

/// A file that cannot be linted: unreadable SQL, or an allow comment that names no
/// known rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: error: {message}", path.display())]
pub struct SourceError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Lints files that run one after another as one migration direction (a step's
/// `up_first.sql`, `up.sql`, `up_concurrent.sql`): objects created by an earlier file are
/// new in the later ones. Returns every finding, allowed ones included (see
/// [`Finding::allowed`]).
pub fn lint_sequence(
    files: &[(&SqlSource, Execution)],
    options: &Options,
) -> Result<Vec<Finding>, SourceError> {
    let mut created = check::Created::default();
    let mut findings = Vec::new();
    for (source, execution) in files {
        let statements = statements::parse(source)?;
        for raw in check::check_file(&statements, *execution, options, &mut created) {
            let statement = &statements[raw.statement];
            findings.push(Finding {
                path: source.path.clone(),
                pos: source.pos(raw.offset),
                offset: raw.offset,
                rule: raw.rule,
                message: raw.message,
                allowed: statement.allows.contains(&raw.rule),
            });
        }
    }
    Ok(findings)
}

/// Lints one file on its own; allowed findings included (see [`Finding::allowed`]).
pub fn lint_source(
    source: &SqlSource,
    execution: Execution,
    options: &Options,
) -> Result<Vec<Finding>, SourceError> {
    lint_sequence(&[(source, execution)], options)
}

/// Lints files, grouping a migration step's files of one direction (`up_first.sql`,
/// `up.sql`, `up_concurrent.sql` in one directory) into one sequence; returns the findings
/// no allow comment covers, in file and position order.
pub fn lint_files(sources: &[SqlSource], options: &Options) -> Result<Vec<Finding>, SourceError> {
    let mut groups: Vec<(Option<StepDirection>, Vec<&SqlSource>)> = Vec::new();
    for source in sources {
        let key = step_direction(&source.path);
        match groups.iter_mut().find(|(k, _)| key.is_some() && *k == key) {
            Some((_, members)) => members.push(source),
            None => groups.push((key, vec![source])),
        }
    }
    let mut findings = Vec::new();
    for (_, mut members) in groups {
        members.sort_by_key(|s| run_order(&s.path));
        let sequence: Vec<(&SqlSource, Execution)> = members
            .into_iter()
            .map(|s| (s, Execution::of_path(&s.path)))
            .collect();
        findings.extend(
            lint_sequence(&sequence, options)?
                .into_iter()
                .filter(|f| !f.allowed),
        );
    }
    findings.sort_by(|a, b| (&a.path, a.pos).cmp(&(&b.path, b.pos)));
    Ok(findings)
}

/// A migration step's directory and direction (`up` or `down`).
type StepDirection = (PathBuf, &'static str);

/// The directory and direction of a migration step file (`…/<version>/up.sql` and its
/// `_first`/`_concurrent` parts), which run as one sequence.
fn step_direction(path: &Path) -> Option<StepDirection> {
    let name = path.file_name()?.to_str()?;
    let direction = match name {
        "up.sql" | "up_first.sql" | "up_concurrent.sql" => "up",
        "down.sql" | "down_first.sql" | "down_concurrent.sql" => "down",
        _ => return None,
    };
    Some((path.parent()?.to_path_buf(), direction))
}

/// The order the migration runner runs a step's parts in: first, main, concurrent.
fn run_order(path: &Path) -> u8 {
    match path.file_stem().and_then(|n| n.to_str()) {
        Some(stem) if stem.ends_with("_first") => 0,
        Some(stem) if stem.ends_with("_concurrent") => 2,
        _ => 1,
    }
}
