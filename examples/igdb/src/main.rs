//! `igdb-ingest generate | ingest`: seed 002's IGDB games on the command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use igdb_example::{IngestOptions, InvalidFile, generate};
use schemactl::exit::{EXIT_DATABASE, EXIT_INVALID, EXIT_OK, EXIT_USAGE};

#[derive(Debug, Parser)]
#[command(
    name = "igdb-ingest",
    version,
    about = "IGDB games on SQLite (seed 002): generate a sample, or ingest a file with dedup by id",
    long_about = "A program built on schemactl's library (examples/igdb). `generate` writes \
                  IGDB-shaped games; `ingest` loads a games file into a SQLite database \
                  provisioned from examples/igdb/schema.yaml, deduplicated by id, with one \
                  ingestion_log row per run. SCHEMACTL_LOG (an EnvFilter) sets what is logged \
                  on stderr."
)]
struct Cli {
    #[command(subcommand)]
    command: IgdbCommand,
}

#[derive(Debug, Clone, Subcommand)]
enum IgdbCommand {
    /// Write IGDB-shaped games (id, name, summary, genres, platforms, themes, rating,
    /// rating_count, first_release_date): NDJSON, or a JSON array for a .json file.
    Generate {
        /// Number of games.
        #[arg(long, default_value_t = 100)]
        count: usize,
        /// Output file (.json: a JSON array; anything else: NDJSON).
        #[arg(long, short = 'o', default_value = "games.ndjson")]
        out: PathBuf,
        /// The same seed gives the same file.
        #[arg(long, default_value_t = generate::DEFAULT_SEED)]
        seed: u64,
    },
    /// Load a games file into the IGDB SQLite database (examples/igdb/schema.yaml), deduplicated
    /// by id: new games are inserted, known ones updated only when a field changed. Every
    /// record is checked first; one transaction; one ingestion_log row per run.
    Ingest {
        /// NDJSON or JSON array of games (the layout `igdb-ingest generate` writes).
        file: PathBuf,
        /// The database, as sqlite://FILE (provisioned from the IGDB model).
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        /// Target count: take only the games missing to reach N in the database (none when
        /// it already holds N).
        #[arg(long, value_name = "N")]
        limit: Option<u64>,
        /// The run's ingestion_log.batch_id (default: the file name and the start time).
        #[arg(long, value_name = "ID")]
        batch_id: Option<String>,
    },
}

fn main() -> ExitCode {
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
    ExitCode::from(run(&cli.command))
}

fn run(command: &IgdbCommand) -> u8 {
    match command {
        IgdbCommand::Generate { count, out, seed } => {
            let started = std::time::Instant::now();
            match generate::write(out, *count, *seed) {
                Ok(()) => {
                    println!(
                        "wrote {count} games to {} (seed {seed}) in {:.2}s",
                        out.display(),
                        started.elapsed().as_secs_f64()
                    );
                    EXIT_OK
                }
                Err(err) => {
                    eprintln!("error: {err:#}");
                    EXIT_USAGE
                }
            }
        }
        IgdbCommand::Ingest {
            file,
            database_url,
            limit,
            batch_id,
        } => {
            if !schemactl::sqlite::is_url(database_url) {
                eprintln!(
                    "error: igdb-ingest loads a SQLite database: give --database-url sqlite://FILE"
                );
                return EXIT_USAGE;
            }
            let runtime = match schemactl::cli::runtime() {
                Ok(rt) => rt,
                Err(code) => return code,
            };
            let options = IngestOptions {
                limit: *limit,
                batch_id: batch_id.clone(),
                progress: std::io::stderr().is_terminal(),
            };
            match runtime.block_on(igdb_example::ingest_file(database_url, file, &options)) {
                Ok(report) => {
                    print!("{}", report.summary());
                    EXIT_OK
                }
                Err(err) => match err.downcast_ref::<InvalidFile>() {
                    Some(invalid) => {
                        for line in invalid.to_string().lines() {
                            eprintln!("error: {line}");
                        }
                        EXIT_INVALID
                    }
                    None => schemactl::exit::report(&err, EXIT_DATABASE),
                },
            }
        }
    }
}
