//! `export --sync duckdb://FILE`: the Parquet file into the DuckDB model's table.

use std::path::{Path, PathBuf};

use clap::Args;
use schemactl_export::Outcome;

use super::query::Query;
use crate::catalog::QName;
use crate::cli::{EXIT_OK, EXIT_USAGE};

#[derive(Debug, Clone, Args)]
pub struct SyncArgs {
    /// Then load the Parquet file into this DuckDB database (duckdb://FILE): the DuckDB
    /// model's table created or upgraded, the rows replaced (or appended with
    /// --incremental) and its indexes built, in one transaction.
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
    /// Export only rows newer than the last export's watermark recorded in the DuckDB file,
    /// and append them.
    #[arg(long, requires = "sync")]
    pub incremental: bool,
}

/// The sync to run after the export, prepared before it.
pub struct SyncPlan {
    incremental: bool,
}

impl SyncPlan {
    pub fn prepare(args: &SyncArgs) -> Result<SyncPlan, u8> {
        if args.sync.is_some() {
            eprintln!("error: --sync: this build has no DuckDB support");
            return Err(EXIT_USAGE);
        }
        Ok(SyncPlan {
            incremental: args.incremental,
        })
    }

    pub fn incremental(&self) -> bool {
        self.incremental
    }

    /// The last export's watermark for `table`, when incremental.
    pub fn watermark(&self, _table: &QName) -> anyhow::Result<Option<i64>> {
        Ok(None)
    }

    pub fn run(&self, _parquet: &Path, _query: &Query, _outcome: &Outcome, _progress: bool) -> u8 {
        EXIT_OK
    }
}
