//! `schemactl export`: arguments, the run, and what it prints.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use schemactl_export::{Mode, Options, Outcome, pipeline};

use crate::cli::{EXIT_DATABASE, EXIT_INVALID, EXIT_OK, EXIT_USAGE, load_and_validate};
use crate::exit::UsageError;
use crate::export::query::{self, Filters};
use crate::export::read;
use crate::seed::{load::table_name, pg};

#[derive(Debug, Clone, Args)]
#[command(after_long_help = "Examples:\n  \
    schemactl export americano.BehavioralEvent --out events.parquet --days 30\n  \
    schemactl export americano.BehavioralEvent --out events.parquet --where userId=cm3abc123\n  \
    schemactl export americano.BehavioralEvent --out events.parquet --non-strict \\\n    \
    --sync duckdb://target/analytics.duckdb --incremental")]
pub struct ExportArgs {
    /// The model's table to export, as schema.table (e.g. americano.BehavioralEvent).
    pub table: String,
    /// The Parquet file to write (snappy). Written beside as FILE.partial and renamed at the
    /// end: a failed export leaves no file.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Source database (default: DATABASE_URL, then the model's database on the admin server).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Only rows whose time column is at or after this instant: a date (2026-12-01), a date
    /// and time in UTC (2026-12-01 08:00:00) or RFC 3339 with an offset.
    #[arg(long, conflicts_with = "days")]
    pub since: Option<String>,
    /// Only rows of the last N days (time column at or after now minus N days).
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// The column --since, --days and --incremental compare (default: the table's only NOT
    /// NULL timestamp column).
    #[arg(long, value_name = "COLUMN")]
    pub time_column: Option<String>,
    /// Only rows where a declared column equals a value (repeatable, all must hold), e.g.
    /// --where userId=cm3abc123. The value is checked as the column's type and bound as a
    /// parameter, never pasted into SQL.
    #[arg(long = "where", value_name = "COLUMN=VALUE")]
    pub wheres: Vec<String>,
    /// Write the good rows and put the bad ones, with their reasons, in a separate file
    /// (default: stop at the first bad rows, show five, write nothing).
    #[arg(long)]
    pub non_strict: bool,
    /// With --non-strict: the rejected rows' file (JSON lines; default OUT's name with
    /// `.rejected.jsonl`).
    #[arg(long, requires = "non_strict", value_name = "FILE")]
    pub rejected: Option<PathBuf>,
    /// Rows per Arrow batch and Parquet row group (memory grows with it).
    #[arg(long, default_value_t = 65_536, value_name = "N")]
    pub batch_rows: usize,
    #[command(flatten)]
    pub sync: crate::export::SyncArgs,
}

/// The run's figures, for the summary.
struct Run {
    outcome: Outcome,
    seconds: f64,
}

pub fn run(schema: &Path, args: &ExportArgs, show_progress: bool) -> u8 {
    let loaded = match load_and_validate(schema) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = crate::catalog::from_model(&loaded.model);
    let table = match table_name(&args.table, &catalog) {
        Ok(t) => t,
        Err(e) => return crate::exit::report(&e, EXIT_USAGE),
    };
    let sync = match crate::export::SyncPlan::prepare(&args.sync) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let mut filters = Filters {
        wheres: args.wheres.clone(),
        ..Filters::default()
    };
    filters.since = match (&args.since, args.days) {
        (Some(text), _) => match query::parse_since(text) {
            Ok(t) => Some(t),
            Err(e) => return crate::exit::report(&e.into(), EXIT_USAGE),
        },
        (None, Some(days)) => {
            Some(chrono::Utc::now().timestamp_micros() - i64::from(days) * 86_400_000_000)
        }
        (None, None) => None,
    };
    let runtime = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = Instant::now();
    let result = runtime.block_on(async {
        filters.after = sync.watermark(&table)?;
        let query = query::build(&catalog, &table, args.time_column.as_deref(), &filters)?;
        if sync.incremental() && query.time_column.is_none() {
            anyhow::bail!(UsageError(format!(
                "--incremental needs the time column of {table}: name it with --time-column"
            )));
        }
        let url = pg::resolve_url(args.database_url.as_deref(), &loaded.model)?;
        let options = Options {
            out: args.out.clone(),
            mode: match (&args.non_strict, &args.rejected) {
                (false, _) => Mode::Strict,
                (true, Some(path)) => Mode::Rejecting(path.clone()),
                (true, None) => Mode::Rejecting(pipeline::rejected_path(&args.out)),
            },
            batch_rows: args.batch_rows,
            time_column: query.time_column.clone(),
        };
        let bar = read::spinner(show_progress, &format!("export {table}"));
        let outcome = read::export(&url, &query, &options, &bar).await;
        bar.finish_and_clear();
        anyhow::Ok((outcome?, options, query))
    });
    let (outcome, options, query) = match result {
        Ok(done) => done,
        Err(e) => return crate::exit::report(&e, EXIT_DATABASE),
    };
    let run = Run {
        seconds: started.elapsed().as_secs_f64(),
        outcome,
    };
    if !run.outcome.wrote {
        return strict_failure(&table.to_string(), &run.outcome);
    }
    print_summary(&args.out, &options, &run);
    sync.run(&args.out, &query, &run.outcome, show_progress)
}

fn strict_failure(table: &str, outcome: &Outcome) -> u8 {
    for bad in &outcome.first_bad {
        eprintln!("error: {table}: {bad}");
    }
    let stopped = outcome.first_bad.len() >= pipeline::SHOWN_BAD_ROWS;
    eprintln!(
        "error: {table}: {}{} row(s) break what the model declares ({} row(s) read{}); \
         nothing was written (--non-strict writes the good rows, and the bad ones with their \
         reasons to a separate file)",
        if stopped { "at least " } else { "" },
        outcome.rejected,
        outcome.read,
        if stopped {
            ", stopped at the first ones"
        } else {
            ""
        }
    );
    EXIT_INVALID
}

fn print_summary(out: &Path, options: &Options, run: &Run) {
    let o = &run.outcome;
    println!(
        "read {} row(s), wrote {} to {} ({:.1} MB, {} row group(s)), rejected {}, in {:.2}s \
         ({:.0} rows/s)",
        o.read,
        o.written,
        out.display(),
        o.parquet.bytes as f64 / 1e6,
        o.parquet.row_groups,
        o.rejected,
        run.seconds,
        o.read as f64 / run.seconds.max(1e-9)
    );
    if let Mode::Rejecting(path) = &options.mode {
        println!("rejected rows: {}", path.display());
        for bad in &o.first_bad {
            println!("  {bad}");
        }
        if o.rejected > o.first_bad.len() as u64 {
            println!("  … and {} more", o.rejected - o.first_bad.len() as u64);
        }
    }
    let _ = EXIT_OK;
}
