//! `export --sync duckdb://FILE`: the arguments, and the sync prepared before the export
//! (the DuckDB model loaded, the last watermark read) and run after it ([`super::duck`]).

#[cfg(feature = "duckdb")]
use std::cell::Cell;
use std::path::{Path, PathBuf};

use clap::Args;
use schemactl_export::Outcome;

use super::query::Query;
use crate::catalog::QName;
use crate::exit::{EXIT_DATABASE, EXIT_OK, EXIT_USAGE};

#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// Then load the Parquet file into this DuckDB database (duckdb://FILE): the DuckDB
    /// model's table created or upgraded, the rows replaced (or appended with
    /// --incremental) and its indexes built; a failure leaves its tables as they were.
    #[arg(long, value_name = "duckdb://FILE")]
    pub sync: Option<String>,
    /// The DuckDB model (database.target: duckdb) whose table receives the rows.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "models/research.duckdb.yaml"
    )]
    pub duckdb_model: PathBuf,
    /// The table of the DuckDB model, as schema.table (default: the model's only table).
    #[arg(long, value_name = "SCHEMA.TABLE")]
    pub duckdb_table: Option<String>,
    /// Export only rows newer than the last export's watermark recorded in the DuckDB file
    /// (schemactl.export_runs), and append them.
    #[arg(long, requires = "sync")]
    pub incremental: bool,
}

/// The sync to run after the export, prepared before it.
pub struct SyncPlan {
    #[cfg(feature = "duckdb")]
    target: Option<super::duck::Target>,
    incremental: bool,
    /// The watermark read before the export, appended after (DuckDB files only).
    #[cfg(feature = "duckdb")]
    previous: Cell<Option<i64>>,
}

impl SyncPlan {
    pub fn prepare(args: &SyncArgs) -> Result<SyncPlan, u8> {
        #[cfg(feature = "duckdb")]
        let target = match &args.sync {
            None => None,
            Some(url) => {
                let loaded = crate::startup::load_and_validate(&args.duckdb_model)?;
                if let Err(e) = crate::duck::selected(&loaded.model, Some(url)) {
                    eprintln!("error: {}: {e:#}", args.duckdb_model.display());
                    return Err(EXIT_USAGE);
                }
                match super::duck::Target::new(url, loaded.model, args.duckdb_table.as_deref()) {
                    Ok(t) => Some(t),
                    Err(e) => return Err(crate::exit::report(&e, EXIT_USAGE)),
                }
            }
        };
        #[cfg(not(feature = "duckdb"))]
        if args.sync.is_some() {
            eprintln!("error: --sync: this schemactl was built without the duckdb feature");
            return Err(EXIT_USAGE);
        }
        Ok(SyncPlan {
            #[cfg(feature = "duckdb")]
            target,
            incremental: args.incremental,
            #[cfg(feature = "duckdb")]
            previous: Cell::new(None),
        })
    }

    pub fn incremental(&self) -> bool {
        self.incremental
    }

    /// With --incremental, the last export's watermark for `table` (rows after it only).
    pub fn watermark(&self, table: &QName) -> anyhow::Result<Option<i64>> {
        #[cfg(feature = "duckdb")]
        if let (true, Some(target)) = (self.incremental, &self.target) {
            let previous = target.watermark(&table.to_string())?;
            self.previous.set(previous);
            return Ok(previous);
        }
        let _ = table;
        Ok(None)
    }

    /// Runs the sync (when --sync was given) and prints what it did.
    pub fn run(&self, parquet: &Path, query: &Query, outcome: &Outcome, progress: bool) -> u8 {
        #[cfg(feature = "duckdb")]
        if let Some(target) = &self.target {
            let bar = super::read::spinner(progress, &format!("sync {}", target.url));
            let result = super::duck::sync(
                target,
                &super::duck::Load {
                    parquet,
                    source: &query.schema,
                    outcome,
                    incremental: self.incremental,
                    previous: self.previous.get(),
                },
            );
            bar.finish_and_clear();
            return match result {
                Ok(done) => {
                    println!(
                        "synced {} row(s) into {}.{} of {} ({} in all; indexes {}) in {:.2}s",
                        done.rows,
                        target.schema,
                        target.table,
                        target.path.display(),
                        done.total,
                        done.indexes.join(", "),
                        done.seconds
                    );
                    EXIT_OK
                }
                Err(e) => crate::exit::report(&e, EXIT_DATABASE),
            };
        }
        let _ = (parquet, query, outcome, progress, EXIT_DATABASE);
        EXIT_OK
    }
}
