//! The `seed` and `load` commands: arguments and what they print.

use std::path::Path;

use clap::Args;

use super::{declared, fake, load, pg};
use crate::cli::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, load_and_validate};

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// Target database (default: DATABASE_URL, then the model's database on the admin server).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Synthetic rows instead of the declared ones: schema.table=N[,schema.table=N…].
    #[arg(long, value_name = "TABLE=N", value_delimiter = ',')]
    pub fake: Vec<String>,
    /// Random seed for --fake values (keys stay random, so repeated runs never collide).
    #[arg(long, requires = "fake")]
    pub rng_seed: Option<u64>,
}

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

fn runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Runtime::new().map_err(|err| {
        eprintln!("error: cannot start the async runtime: {err}");
        EXIT_USAGE
    })
}

/// A failure after the input was checked: the database's, unless typed otherwise.
fn fail(err: &anyhow::Error) -> u8 {
    crate::exit::report(err, crate::exit::EXIT_DATABASE)
}

pub fn run_seed(schema: &Path, args: &SeedArgs) -> u8 {
    let loaded = match load_and_validate(schema) {
        Ok(l) => l,
        Err(code) => return code,
    };
    match crate::sqlite::selected(&loaded.model, args.database_url.as_deref()) {
        Ok(true) => {
            return crate::sqlite::seed::run(
                &loaded.model,
                args.database_url.as_deref(),
                &args.fake,
            );
        }
        Ok(false) => {}
        Err(e) => {
            eprintln!("error: {e:#}");
            return EXIT_USAGE;
        }
    }
    let catalog = crate::catalog::from_model(&loaded.model);
    let specs = if args.fake.is_empty() {
        None
    } else {
        match fake::parse_specs(&args.fake, &catalog) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("error: {e:#}");
                return EXIT_USAGE;
            }
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let result = rt.block_on(async {
        let url = pg::resolve_url(args.database_url.as_deref(), &loaded.model)?;
        let pool = pg::pool(&url).await?;
        match &specs {
            Some(specs) => {
                let report = fake::fake(&pool, &catalog, specs, args.rng_seed).await?;
                let secs = report.elapsed.as_secs_f64();
                let total: u64 = report.tables.iter().map(|(_, n)| n).sum();
                for (table, n) in &report.tables {
                    println!("added {n} synthetic row(s) to {table}");
                }
                println!(
                    "{total} row(s) in {secs:.2}s ({:.0} rows/s)",
                    total as f64 / secs.max(1e-9)
                );
            }
            None => {
                declared::seed(&pool, &catalog).await?.print();
            }
        }
        anyhow::Ok(())
    });
    match result {
        Ok(()) => EXIT_OK,
        Err(e) => fail(&e),
    }
}

pub fn run_load(schema: &Path, args: &LoadArgs) -> u8 {
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
    let rt = match runtime() {
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
            None => fail(&e),
        },
    }
}
