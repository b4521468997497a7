//! `schemactl generate …`: argument types and the command runner.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use crate::cli::{EXIT_CHANGES, EXIT_OK, EXIT_USAGE};
use crate::model::Target;

#[derive(Debug, Clone, Subcommand)]
pub enum GenerateCommand {
    /// Write the SeaORM entity crate sources (one module per schema) from the model. For a
    /// SQLite model: one module per table and view at the crate root, view columns read
    /// from an in-memory SQLite database.
    Entities {
        /// Output directory (default: `entity/src` beside the model, so `schema.yaml` →
        /// `entity/src`, `examples/igdb/schema.yaml` → `examples/igdb/entity/src`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; exit 3 with a unified diff when the files on disk are not current.
        #[arg(long)]
        check: bool,
        /// Directory with a copy of crates/codegen/templates/entity/ to render instead of the built-in set.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Write the data dictionary and one Mermaid ER diagram per schema.
    Docs {
        /// Output directory.
        #[arg(long, default_value = "docs")]
        out: PathBuf,
        /// Write nothing; exit 3 with a unified diff when the files on disk are not current.
        #[arg(long)]
        check: bool,
        /// Directory with a copy of crates/codegen/templates/docs/ to render instead of the built-in set.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
}

pub fn run(schema: &Path, command: &GenerateCommand) -> u8 {
    let loaded = match crate::cli::load_and_validate(schema) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let catalog = crate::catalog::from_model(&loaded.model);
    let (out, check, files, ext) = match command {
        GenerateCommand::Entities {
            out,
            check,
            templates,
        } => {
            let out = out.clone().unwrap_or_else(|| {
                crate::migrate::default_dir(schema)
                    .with_file_name("entity")
                    .join("src")
            });
            if loaded.model.database.target == Target::Sqlite {
                let files = tokio::runtime::Runtime::new()
                    .map_err(anyhow::Error::from)
                    .and_then(|rt| {
                        rt.block_on(crate::generate::sqlite::files(
                            &loaded.model,
                            templates.as_deref(),
                        ))
                    });
                return finish(&out, *check, files, "rs");
            }
            let views = match resolve_views(&catalog, crate::dev::explicit().as_deref()) {
                Ok(views) => views,
                Err(err) => {
                    eprintln!("error: resolving view columns: {err:#}");
                    return EXIT_USAGE;
                }
            };
            let files = crate::generate::entity_files(&catalog, &views, templates.as_deref());
            (out, *check, files, "rs")
        }
        GenerateCommand::Docs {
            out,
            check,
            templates,
        } => (
            out.clone(),
            *check,
            crate::generate::doc_files(&catalog, templates.as_deref()),
            "md",
        ),
    };
    finish(&out, check, files, ext)
}

/// Compares (`--check`) or writes the rendered files; the exit code.
fn finish(out: &Path, check: bool, files: anyhow::Result<crate::generate::Files>, ext: &str) -> u8 {
    let files = match files {
        Ok(files) => files,
        Err(err) => {
            eprintln!("error: {err:#}");
            return EXIT_USAGE;
        }
    };
    if check {
        match crate::generate::check(out, &files, ext) {
            Ok(drift) if drift.is_empty() => {
                println!("{}: {} file(s) up to date", out.display(), files.len());
                EXIT_OK
            }
            Ok(drift) => {
                for diff in &drift.diffs {
                    print!("{diff}");
                }
                eprintln!(
                    "error: {} file(s) differ from what the model generates, {} stale; run `schemactl generate` without --check",
                    drift.changed.len(),
                    drift.stale.len()
                );
                EXIT_CHANGES
            }
            Err(err) => {
                eprintln!("error: {err:#}");
                EXIT_USAGE
            }
        }
    } else {
        match crate::generate::write(out, &files, ext) {
            Ok(drift) => {
                println!(
                    "{}: {} file(s) written, {} stale removed, {} unchanged",
                    out.display(),
                    drift.changed.len(),
                    drift.stale.len(),
                    files.len() - drift.changed.len()
                );
                EXIT_OK
            }
            Err(err) => {
                eprintln!("error: {err:#}");
                EXIT_USAGE
            }
        }
    }
}

fn resolve_views(
    catalog: &crate::catalog::Catalog,
    dev_url: Option<&str>,
) -> anyhow::Result<crate::generate::ViewColumns> {
    if catalog.views.is_empty() {
        return Ok(crate::generate::ViewColumns::new());
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(crate::generate::views::resolve(catalog, dev_url))
}
