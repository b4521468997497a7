//! `schemactl load`: CSV, NDJSON or JSON files into tables by COPY, every record checked
//! against the model first; arguments and what it prints.

use std::path::Path;

use clap::Args;

use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, load_and_validate};
use crate::seed::{load, pg};

#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Files to load: schema.table=FILE (CSV with a header, NDJSON, or a JSON array).
    #[arg(required = true, value_name = "TABLE=FILE")]
    pub sources: Vec<String>,
    /// Format of every file (default: from the extension: .csv, .ndjson/.jsonl, .json).
    #[arg(long, value_enum)]
    pub format: Option<load::Format>,
    /// Target database (default: DATABASE_URL, then the model's database on the admin server).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Drop HNSW/GIN/GiST indexes of the loaded tables during the load and rebuild them in
    /// the same transaction (readers of those tables wait until the commit).
    #[arg(long)]
    pub defer_indexes: bool,
    /// Rows whose primary key is already in the table update it (every loaded column but
    /// the key) instead of failing the load; new keys are inserted.
    #[arg(long)]
    pub upsert: bool,
}

pub fn run(schema: &Path, args: &LoadArgs) -> u8 {
    let loaded = match load_and_validate(schema) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = crate::catalog::from_model(&loaded.model);
    let mut sources = Vec::new();
    for spec in &args.sources {
        match load::Source::parse(spec, args.format, &catalog) {
            Ok(s) => sources.push(s),
            Err(e) => {
                eprintln!("error: {e:#}");
                return EXIT_USAGE;
            }
        }
    }
    let rt = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    if args.upsert
        && let Err(e) = load::upsert_keys(&catalog, &sources)
    {
        eprintln!("error: {e:#}");
        return EXIT_USAGE;
    }
    let options = load::LoadOptions {
        defer_indexes: args.defer_indexes,
        upsert: args.upsert,
    };
    let result = rt.block_on(async {
        let url = pg::resolve_url(args.database_url.as_deref(), &loaded.model)?;
        let pool = pg::pool(&url).await?;
        load::load(&pool, &catalog, &sources, options).await
    });
    match result {
        Ok(report) => {
            let secs = if report.streamed {
                report.load.as_secs_f64()
            } else {
                (report.validation + report.load).as_secs_f64()
            };
            for (table, rows, deferred) in &report.tables {
                if args.upsert {
                    println!("inserted or updated {rows} row(s) of {table}");
                } else {
                    println!("loaded {rows} row(s) into {table}");
                }
                if !deferred.is_empty() {
                    println!("  rebuilt deferred index(es): {}", deferred.join(", "));
                }
            }
            if report.streamed {
                println!(
                    "{} row(s) in {secs:.2}s (checked while copying: validation busy {:.2}s, {:.0} rows/s)",
                    report.rows(),
                    report.validation.as_secs_f64(),
                    report.rows() as f64 / secs.max(1e-9)
                );
            } else {
                println!(
                    "{} row(s) in {secs:.2}s (validation {:.2}s, COPY {:.2}s, {:.0} rows/s)",
                    report.rows(),
                    report.validation.as_secs_f64(),
                    report.load.as_secs_f64(),
                    report.rows() as f64 / secs.max(1e-9)
                );
            }
            EXIT_OK
        }
        Err(e) => match e.downcast_ref::<load::InvalidData>() {
            Some(invalid) => {
                for p in &invalid.problems {
                    eprintln!("error: {p}");
                }
                if invalid.total > invalid.problems.len() {
                    eprintln!("… and {} more", invalid.total - invalid.problems.len());
                }
                eprintln!("error: {invalid}");
                EXIT_INVALID
            }
            None => super::seed::fail(&e),
        },
    }
}
