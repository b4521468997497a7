//! `schemactl lint [PATH…]`: hazardous statements in SQL files (crate `schemactl-lint`).
//!
//! Without paths it reads the project's migrations: every `*.sql` under `migration/`
//! beside the model (each step's `up.sql`, `up_first.sql`, `up_concurrent.sql` and their
//! `down` counterparts, linted as the runner runs them). A step whose statements live in
//! Rust rather than in `sql/<version>/` cannot be read, and is reported rather than
//! skipped.

use std::path::{Path, PathBuf};

use clap::Args;
use schemactl_lint::{Options, SqlSource, render};

use crate::exit::{EXIT_INVALID, EXIT_LINT, EXIT_OK, EXIT_USAGE};

#[derive(Debug, Args)]
#[command(
    after_help = "Allow a hazard that is intended with a comment before the statement \
                        (or on its last line): -- schemactl-lint: allow RULE[, RULE] [reason]\n\
                        Exit codes: 0 no problems, 6 problems found, 1 a file is not valid SQL \
                        or names an unknown rule, 2 a path cannot be read. Rules: --list-rules \
                        and docs/cli.md."
)]
pub struct LintArgs {
    /// SQL files, or directories whose `*.sql` files are read (default: the migrations
    /// directory beside the model, `migration/`).
    pub paths: Vec<PathBuf>,
    /// Output format: `text` (rustc-style, on stderr) or `json` (on stdout).
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    /// The oldest PostgreSQL major version the migrations must be safe on (rules about
    /// older servers report only below their version).
    #[arg(long, default_value_t = schemactl_lint::DEFAULT_PG_VERSION)]
    pub pg_version: u32,
    /// Print every rule with why it matters and how to fix it, then exit.
    #[arg(long)]
    pub list_rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
}

pub fn run(schema: &Path, args: &LintArgs) -> u8 {
    if args.list_rules {
        print!("{}", render::rule_list());
        return EXIT_OK;
    }
    let paths = if args.paths.is_empty() {
        if targets_sqlite(schema) {
            eprintln!(
                "error: {} targets SQLite; lint checks PostgreSQL migrations (give PostgreSQL \
                 SQL files to lint them)",
                schema.display()
            );
            return EXIT_USAGE;
        }
        let dir = crate::migrate::default_dir(schema);
        if !dir.is_dir() {
            eprintln!(
                "error: no migrations directory at {} (beside the model {}): give the SQL files \
                 or directories to lint",
                dir.display(),
                schema.display()
            );
            return EXIT_USAGE;
        }
        // `./migration` reads better without its `./` in every finding.
        vec![dir.strip_prefix(".").map(Path::to_path_buf).unwrap_or(dir)]
    } else {
        args.paths.clone()
    };
    let files = match sql_files(&paths) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("error: {err:#}");
            return EXIT_USAGE;
        }
    };
    let unreadable_steps = rust_only_steps(&paths);
    if !unreadable_steps.is_empty() {
        for (rust, expected) in &unreadable_steps {
            eprintln!(
                "{}:1:1: error: this migration's statements are not in {}: lint reads SQL files \
                 only; keep the step's SQL there (as `schemactl migrate new` writes it) or lint \
                 its SQL another way",
                rust.display(),
                expected.display()
            );
        }
        return EXIT_INVALID;
    }
    let mut sources = Vec::with_capacity(files.len());
    for file in &files {
        match SqlSource::read(file) {
            Ok(source) => sources.push(source),
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", file.display());
                return EXIT_USAGE;
            }
        }
    }
    let options = Options {
        pg_version: args.pg_version,
    };
    let findings = match schemactl_lint::lint_files(&sources, &options) {
        Ok(findings) => findings,
        Err(err) => {
            eprintln!("{err}");
            return EXIT_INVALID;
        }
    };
    match args.format {
        LintFormat::Json => println!("{}", render::json(&findings, sources.len())),
        LintFormat::Text if findings.is_empty() => {
            println!("{}", render::summary(0, sources.len()));
        }
        LintFormat::Text => eprint!("{}", render::text(&findings, &sources)),
    }
    if findings.is_empty() {
        EXIT_OK
    } else {
        EXIT_LINT
    }
}

/// Whether the model (when it exists and loads) targets SQLite, whose migrations are not
/// PostgreSQL's SQL. A model that does not load says nothing here: lint does not need it.
fn targets_sqlite(schema: &Path) -> bool {
    let Ok(text) = crate::load::read_text(schema) else {
        return false;
    };
    crate::load::load_str(schema, text)
        .is_ok_and(|loaded| loaded.model.database.target == crate::model::Target::Sqlite)
}

/// The files named, and the `*.sql` files under the directories named (sorted; hidden
/// directories and `target/` skipped).
fn sql_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", path.display()))?;
        if meta.is_dir() {
            collect_sql(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    files.dedup();
    Ok(files)
}

fn collect_sql(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if entry.is_dir() {
            if !name.starts_with('.') && name != "target" {
                collect_sql(&entry, out)?;
            }
        } else if entry.extension().is_some_and(|e| e == "sql") {
            out.push(entry);
        }
    }
    Ok(())
}

/// Migration steps (`src/m<version>.rs` in a migrations directory: one with `src/lib.rs`)
/// that have no `sql/<version>/` directory: their statements are Rust, which lint cannot
/// read. Returns each step's file and the directory its SQL was expected in.
fn rust_only_steps(paths: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in paths.iter().filter(|p| p.join("src/lib.rs").is_file()) {
        let Ok(entries) = std::fs::read_dir(dir.join("src")) else {
            continue;
        };
        let mut steps: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "rs")
                    && p.file_stem()
                        .and_then(|s| s.to_str())
                        .is_some_and(|s| s.starts_with('m') && s[1..].starts_with(char::is_numeric))
            })
            .collect();
        steps.sort();
        for step in steps {
            let Some(version) = step.file_stem() else {
                continue;
            };
            let sql = dir.join("sql").join(version);
            if !sql.is_dir() {
                out.push((step, sql));
            }
        }
    }
    out
}
