//! The `migrate` subcommands.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::cli::{EXIT_DATABASE, EXIT_OK, EXIT_USAGE, load_and_validate};

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Migrations directory (default: `migration/` beside the model).
    #[arg(long, global = true)]
    pub dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: MigrateCommand,
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Write the next migration from the last migration's state to the model (offline).
    New {
        /// Name of the step: lower-case letters, digits and `_`.
        name: String,
    },
    /// Apply pending migrations; with --fleet, to every database of a fleet.
    Up {
        /// The database (not needed with --fleet).
        #[arg(long, env = "DATABASE_URL")]
        database_url: Option<String>,
        /// Apply at most this many.
        #[arg(short = 'n', long, conflicts_with = "fleet")]
        steps: Option<usize>,
        #[command(flatten)]
        fleet: crate::fleet::FleetArgs,
        #[command(flatten)]
        rollout: crate::fleet::RolloutArgs,
    },
    /// Revert the last migrations (one by default).
    Down {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(short = 'n', long, default_value_t = 1)]
        steps: usize,
    },
    /// List migrations and whether each is applied.
    Status {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
}

pub fn run(schema: &Path, args: &MigrateArgs, verbose: u8) -> u8 {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| crate::migrate::default_dir(schema));
    if let MigrateCommand::Up {
        fleet,
        rollout,
        database_url,
        ..
    } = &args.command
    {
        if fleet.fleet.is_some() {
            return crate::fleet::run(
                schema,
                fleet,
                rollout.rollout(fleet.parallel),
                crate::fleet::Operation::MigrateUp { dir },
                crate::cli::show_progress(verbose),
            );
        }
        if database_url.is_none() {
            return crate::cli::missing_target("migrate up");
        }
    }
    let loaded = match load_and_validate(schema) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let owner = loaded.model.database.owner.clone();
    if let MigrateCommand::New { name } = &args.command {
        return match crate::migrate::new_migration(&dir, &loaded.model, name) {
            Ok(crate::migrate::NewOutcome::NoChange) => {
                println!("no changes since the last migration: nothing written");
                EXIT_OK
            }
            Ok(crate::migrate::NewOutcome::Written {
                version,
                up_steps,
                down_steps,
                lint,
            }) => {
                println!(
                    "wrote {} ({up_steps} step(s) up, {down_steps} down)",
                    dir.join("sql").join(&version).display()
                );
                if !lint.is_empty() {
                    println!(
                        "lint: {} statement(s) the plan chose are hazardous; each carries an \
                         allow comment naming its rule (`schemactl lint` still fails on new ones):",
                        lint.len()
                    );
                    for finding in &lint {
                        println!("  {}", finding.line());
                    }
                }
                EXIT_OK
            }
            Err(err) => {
                eprintln!("error: {err:#}");
                EXIT_USAGE
            }
        };
    }
    let rt = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let result = rt.block_on(async {
        match &args.command {
            MigrateCommand::New { .. } | MigrateCommand::Up { database_url: None, .. } => Ok(()),
            MigrateCommand::Up {
                database_url: Some(database_url),
                steps,
                ..
            } => {
                let conn = crate::migrate::run::connect(database_url).await?;
                let done = crate::migrate::run::up(&conn, &dir, *steps, owner.as_deref()).await?;
                if done.is_empty() {
                    println!("no pending migrations");
                } else {
                    println!("applied {} migration(s): {}", done.len(), done.join(", "));
                }
                Ok(())
            }
            MigrateCommand::Down { database_url, steps } => {
                let conn = crate::migrate::run::connect(database_url).await?;
                let done = crate::migrate::run::down(&conn, &dir, *steps, owner.as_deref()).await?;
                println!("reverted {} migration(s): {}", done.len(), done.join(", "));
                Ok(())
            }
            MigrateCommand::Status { database_url } => {
                let conn = crate::migrate::run::connect(database_url).await?;
                for step in crate::migrate::run::status(&conn, &dir, owner.as_deref()).await? {
                    println!("{} {}", if step.applied { "applied" } else { "pending" }, step.version);
                }
                if !crate::migrate::is_current(&dir, &loaded.model)? {
                    println!("the model has changes no migration covers: run `schemactl migrate new NAME`");
                }
                anyhow::Ok(())
            }
        }
    });
    match result {
        Ok(()) => EXIT_OK,
        Err(err) => crate::exit::report(&err, EXIT_DATABASE),
    }
}
