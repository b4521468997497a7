//! `steam-import generate | import`: seed 000's Steam sample on the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use schemactl::exit::{EXIT_DATABASE, EXIT_OK, EXIT_USAGE};
use schemactl::seed::pg;

#[derive(Debug, Parser)]
#[command(
    name = "steam-import",
    version,
    about = "Seed 000's Steam sample: generate a realistic one, or import one into the steam \
             schema of a database provisioned from the model (two passes, one transaction)",
    long_about = "A program built on schemactl's load API (examples/steam). `generate` writes \
                  a Steam-shaped sample as a JSON array; `import` loads one into the steam \
                  schema: lookups first, then applications, reviews and junction rows through \
                  the id maps, all in one transaction. SCHEMACTL_LOG (an EnvFilter, e.g. \
                  SCHEMACTL_LOG=info) sets what is logged on stderr."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a realistic Steam-shaped sample (appdetails + reviews) as a JSON array.
    Generate {
        /// Output file.
        #[arg(long, short = 'o', default_value = "steam_sample.json")]
        output: PathBuf,
        #[arg(long, default_value_t = steam_example::DEFAULT_APPS)]
        apps: usize,
        #[arg(long, default_value_t = steam_example::DEFAULT_REVIEWS)]
        reviews: usize,
        /// The same seed gives the same file.
        #[arg(long, default_value_t = steam_example::DEFAULT_SEED)]
        seed: u64,
    },
    /// Import a sample into the steam schema: lookups first, then applications, reviews and
    /// junction rows through the id maps, all in one transaction. Importing a file again
    /// updates the rows it holds.
    Import {
        file: PathBuf,
        /// The model the database was provisioned from (its steam schema, database name and
        /// owner).
        #[arg(long, env = "SCHEMACTL_SCHEMA", default_value = "schema.yaml")]
        schema: PathBuf,
        /// Target database (default: DATABASE_URL, then the model's database on the admin
        /// server: SCHEMACTL_ADMIN_URL or the project-local one).
        #[arg(long)]
        database_url: Option<String>,
        /// Drop the HNSW/GIN indexes of applications and reviews during the import and
        /// rebuild them before the commit.
        #[arg(long)]
        defer_indexes: bool,
    },
}

fn main() -> ExitCode {
    // A .env file is a convenience for local work; its absence is normal.
    let _ = dotenvy::dotenv();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("SCHEMACTL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
    ExitCode::from(match cli.command {
        Command::Generate {
            output,
            apps,
            reviews,
            seed,
        } => generate(&output, apps, reviews, seed),
        Command::Import {
            file,
            schema,
            database_url,
            defer_indexes,
        } => import(&file, &schema, database_url.as_deref(), defer_indexes),
    })
}

fn generate(output: &Path, apps: usize, reviews: usize, seed: u64) -> u8 {
    let sample = steam_example::generate(apps, reviews, seed);
    let text = match serde_json::to_vec(&sample) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if let Err(e) = std::fs::write(output, text) {
        eprintln!("error: cannot write {}: {e}", output.display());
        return EXIT_USAGE;
    }
    println!(
        "wrote {apps} applications and {reviews} reviews to {} (seed {seed})",
        output.display()
    );
    EXIT_OK
}

fn import(file: &Path, schema: &Path, database_url: Option<&str>, defer_indexes: bool) -> u8 {
    let loaded = match schemactl::cli::load_and_validate(schema) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = schemactl::catalog::from_model(&loaded.model);
    let runtime = match schemactl::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let options = steam_example::ImportOptions { defer_indexes };
    let result = runtime.block_on(async {
        let url = pg::resolve_url(database_url, &loaded.model)?;
        let pool = pg::pool(&url).await?;
        steam_example::import_file(&pool, &catalog, file, &options).await
    });
    match result {
        Ok(report) => {
            print!("{}", report.summary());
            EXIT_OK
        }
        Err(e) => schemactl::exit::report(&e, EXIT_DATABASE),
    }
}
