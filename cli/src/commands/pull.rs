//! `schemactl pull`: arguments, the refusals, the self-check and where the YAML goes.

use std::path::{Path, PathBuf};

use crate::exit::{EXIT_DATABASE, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, report};
use crate::load;
use crate::model::Model;
use crate::validate;

use crate::pull::{Options, Pulled};

#[derive(Debug, Clone, clap::Args)]
pub struct PullArgs {
    /// The database to describe.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What to pull and where the model goes: shared by `pull` and `import`.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Schemas to pull, comma-separated (default: every schema but the system's, those of
    /// extensions, and `public` when nothing was ever put in it).
    #[arg(long, value_delimiter = ',')]
    pub schemas: Vec<String>,
    /// Where to write the model (default: standard output). With --split, the root file;
    /// the schema files go beside it.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// What the model cannot express (domains, standalone sequences, procedures, storage
    /// parameters, …): `refuse` to write a model that would not reproduce the database, or
    /// `record` each under the model's `unmanaged` list, which plans leave alone.
    #[arg(long, value_enum, default_value_t = UnmanagedPolicy::Refuse)]
    pub unmanaged: UnmanagedPolicy,
    /// Write one file per schema under `schemas/` beside the --out file, which includes
    /// them (`include:`) and keeps the database, extensions, roles and unmanaged entries.
    #[arg(long, requires = "out")]
    pub split: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnmanagedPolicy {
    Refuse,
    Record,
}

pub fn run(args: &PullArgs) -> u8 {
    let runtime = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let options = Options {
        schemas: args.output.schemas.clone(),
    };
    let started = std::time::Instant::now();
    let pulled = runtime.block_on(async {
        let conn = crate::db::connect(&args.database_url).await?;
        let pulled = crate::pull::pull(&conn, &options).await;
        conn.close().await.ok();
        pulled
    });
    match pulled {
        Ok(pulled) => write(pulled, &args.output, started),
        Err(err) => report(&err, EXIT_DATABASE),
    }
}

/// Refuses, or writes the model where `output` says; the exit code.
pub fn write(mut pulled: Pulled, output: &OutputArgs, started: std::time::Instant) -> u8 {
    if let Some(code) = refusal(&pulled, output.unmanaged) {
        return code;
    }
    if output.unmanaged == UnmanagedPolicy::Record {
        pulled.record_unmanaged();
    }
    let header = format!(
        "The model of database {}, written by `schemactl pull`.",
        pulled.model.database.name
    );
    let code = match &output.out {
        Some(out) if output.split => write_split(&pulled.model, out, &header),
        Some(out) => write_one(&pulled.model, out, &header),
        None => match crate::pull::yaml::to_yaml(&pulled.model, &header)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                self_check(Path::new("pulled.yaml"), &text, &pulled.model)?;
                Ok(text)
            }) {
            Ok(text) => {
                print!("{text}");
                EXIT_OK
            }
            Err(message) => refused_check(&message),
        },
    };
    if code == EXIT_OK {
        eprintln!(
            "{}",
            summary(&pulled.model, output.out.as_deref(), started.elapsed())
        );
    }
    code
}

fn refused_check(message: &str) -> u8 {
    eprintln!("error: the pulled model does not read back as pulled:\n{message}");
    eprintln!("no model was written");
    EXIT_REFUSED
}

/// Writes the model to `out` if it reads back as itself; nothing otherwise.
fn write_one(model: &Model, out: &Path, header: &str) -> u8 {
    let started = std::time::Instant::now();
    let text = match crate::pull::yaml::to_yaml(model, header) {
        Ok(text) => text,
        Err(err) => return report(&err, EXIT_REFUSED),
    };
    tracing::debug!("YAML in {:.3}s", started.elapsed().as_secs_f64());
    if let Err(message) = self_check(out, &text, model) {
        return refused_check(&message);
    }
    tracing::debug!(
        "read back and validated at {:.3}s",
        started.elapsed().as_secs_f64()
    );
    if let Err(err) = std::fs::write(out, &text) {
        eprintln!("error: cannot write {}: {err}", out.display());
        return EXIT_USAGE;
    }
    EXIT_OK
}

/// Writes the root file and the schema files, then loads them back; when they do not
/// read back as the pulled model, they are removed again.
fn write_split(model: &Model, out: &Path, header: &str) -> u8 {
    let split = match crate::pull::split::split(model, out, header) {
        Ok(split) => split,
        Err(err) => return report(&err, EXIT_REFUSED),
    };
    for (path, text) in &split.files {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(path, text));
        if let Err(err) = written {
            eprintln!("error: cannot write {}: {err}", path.display());
            return EXIT_USAGE;
        }
    }
    let root_text = split.files.first().map(|f| f.1.clone()).unwrap_or_default();
    if let Err(message) = self_check(out, &root_text, &split.model) {
        for (path, _) in &split.files {
            let _ = std::fs::remove_file(path);
        }
        return refused_check(&message);
    }
    EXIT_OK
}

/// Prints why the model cannot be written, if it cannot, and returns the exit code; else
/// what `--unmanaged record` records.
fn refusal(pulled: &Pulled, policy: UnmanagedPolicy) -> Option<u8> {
    let inventory = &pulled.inventory;
    let record = policy == UnmanagedPolicy::Record;
    if pulled.unwritable.is_empty() && (record || inventory.is_empty()) {
        if !inventory.is_empty() {
            eprintln!(
                "recorded {} object(s) or attribute(s) the model cannot express under `unmanaged`:",
                inventory.len()
            );
            for item in inventory {
                eprintln!("  {item}");
            }
        }
        return None;
    }
    if !pulled.unwritable.is_empty() {
        eprintln!(
            "error: the model cannot write {} object(s) of this database, recorded or not:",
            pulled.unwritable.len()
        );
        for item in &pulled.unwritable {
            eprintln!("  {item}");
        }
    }
    if !inventory.is_empty() {
        let severity = if record { "note" } else { "error" };
        eprintln!(
            "{severity}: the database holds {} object(s) or attribute(s) the model cannot express:",
            inventory.len()
        );
        for item in inventory {
            eprintln!("  {item}");
        }
        if !record {
            eprintln!(
                "a model provisioned from this pull would not reproduce them; pass \
                 `--unmanaged record` to record them in the model as unmanaged (plans leave \
                 them alone)"
            );
        }
    }
    eprintln!("no model was written");
    Some(EXIT_REFUSED)
}

/// Loads `text` as the model loader does and validates it: it must validate without a
/// diagnostic and read back as `model`.
pub fn self_check(path: &Path, text: &str, model: &Model) -> Result<(), String> {
    let started = std::time::Instant::now();
    let loaded = match load::load_str(path, text.to_string()) {
        Ok(loaded) => loaded,
        Err((source, diagnostics)) => {
            return Err(crate::diag::render_all(&diagnostics, &source));
        }
    };
    tracing::debug!("read back in {:.3}s", started.elapsed().as_secs_f64());
    let diagnostics = validate::validate(&loaded);
    if !diagnostics.is_empty() {
        return Err(crate::diag::render_all(&diagnostics, &loaded.source));
    }
    tracing::debug!("validated at {:.3}s", started.elapsed().as_secs_f64());
    if &loaded.model != model {
        let written = serde_json::to_string_pretty(model).unwrap_or_default();
        let read = serde_json::to_string_pretty(&loaded.model).unwrap_or_default();
        let diff = similar::TextDiff::from_lines(&written, &read)
            .unified_diff()
            .header("pulled", "read back")
            .to_string();
        return Err(diff);
    }
    Ok(())
}

/// The routines under a schema's names, each overload counted.
fn routines<T>(map: &indexmap::IndexMap<String, crate::model::Overloads<T>>) -> usize {
    map.values().map(|list| list.as_slice().len()).sum()
}

fn summary(model: &Model, out: Option<&Path>, elapsed: std::time::Duration) -> String {
    let count =
        |f: fn(&crate::model::Schema) -> usize| -> usize { model.schemas.values().map(f).sum() };
    format!(
        "pulled {} schema(s), {} table(s), {} view(s), {} function(s), procedure(s) and aggregate(s), {} role(s){} in {:.2}s",
        model.schemas.len(),
        count(|s| s.tables.len()),
        count(|s| s.views.len() + s.materialized_views.len()),
        count(|s| routines(&s.functions) + routines(&s.procedures) + routines(&s.aggregates)),
        model.roles.len(),
        out.map(|p| format!(" into {}", p.display()))
            .unwrap_or_default(),
        elapsed.as_secs_f64()
    )
}
