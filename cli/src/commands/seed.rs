//! `schemactl seed`: the model's declared seed rows, or with `--fake` synthetic rows;
//! arguments and what it prints.

use std::path::Path;

use clap::Args;

use crate::cli::{EXIT_OK, EXIT_USAGE, load_and_validate};
use crate::seed::{declared, fake, pg};

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

/// A failure after the input was checked: the database's, unless typed otherwise.
pub(super) fn fail(err: &anyhow::Error) -> u8 {
    crate::exit::report(err, crate::exit::EXIT_DATABASE)
}

pub fn run(schema: &Path, args: &SeedArgs) -> u8 {
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
    let rt = match crate::cli::runtime() {
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
