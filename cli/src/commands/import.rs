//! `schemactl import FILE.sql…`: the path from a legacy SQL schema to a model. The files
//! (`pg_dump --schema-only` output, or a project's hand-written scripts) run with psql in
//! a throwaway database on the admin server (the project-local one by default), the
//! result is pulled, and the database is dropped, whatever happened.

use std::path::PathBuf;
use std::process::Command;

use sea_orm::ConnectionTrait;

use crate::db;
use crate::exit::{EXIT_INVALID, report};
use crate::sql;

use super::pull::{OutputArgs, write};
use crate::pull::Options;

#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// SQL files to run, in order (psql runs them, so pg_dump's output works as it is).
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// The database name the model gets (default: the first file's name without its
    /// extension).
    #[arg(long)]
    pub name: Option<String>,
    /// Server for the throwaway database (default: SCHEMACTL_ADMIN_URL, then the
    /// project-local server). Roles the files need must exist there, or be created by a
    /// file given first (`pg_dumpall --roles-only`): roles are cluster-wide and stay.
    #[arg(long)]
    pub admin_url: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// A SQL file that did not run: what psql said.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ScriptError(String);

pub fn run(args: &ImportArgs) -> u8 {
    let runtime = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let options = Options {
        schemas: args.output.schemas.clone(),
    };
    let pulled = runtime.block_on(import(args, &options));
    match pulled {
        Ok(mut pulled) => {
            pulled.model.database.name = model_name(args);
            write(pulled, &args.output, started)
        }
        Err(err) if err.is::<ScriptError>() => report(&err, EXIT_INVALID),
        Err(err) => report(&err, crate::exit::EXIT_DATABASE),
    }
}

fn model_name(args: &ImportArgs) -> String {
    args.name.clone().unwrap_or_else(|| {
        args.files
            .first()
            .and_then(|f| f.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".to_string())
    })
}

async fn import(args: &ImportArgs, options: &Options) -> anyhow::Result<crate::pull::Pulled> {
    for file in &args.files {
        if !file.is_file() {
            return Err(crate::exit::UsageError(format!("no SQL file {}", file.display())).into());
        }
    }
    let admin_url = db::resolve_admin_url(args.admin_url.as_deref())?;
    let admin = db::connect(&admin_url).await?;
    let name = format!(
        "schemactl_import_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default()
    );
    db::create_database(&admin, &name, None, "cannot create a throwaway database").await?;
    let url = db::with_database(&admin_url, &name)?;
    let result = async {
        run_files(&url, &args.files)?;
        let conn = db::connect(&url).await?;
        adopt_owner(&conn, &name).await?;
        let pulled = crate::pull::pull(&conn, options).await;
        conn.close().await.ok();
        pulled
    }
    .await;
    // Dropped whatever happened: the database was only ever a place to read the files.
    if let Err(e) = db::drop_database_forced(&admin, &name).await {
        tracing::warn!("the throwaway database stays: {e:#}");
    }
    admin.close().await.ok();
    result
}

/// Runs the files with psql, stopping at the first error, which is reported with psql's
/// `file:line` prefix.
fn run_files(url: &str, files: &[PathBuf]) -> anyhow::Result<()> {
    let psql = crate::local::bin_dir()?.join("psql");
    let mut command = Command::new(&psql);
    command.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]);
    for file in files {
        command.arg("-f").arg(file);
    }
    let output = command
        .output()
        .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", psql.display()))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("ERROR:") || l.contains("FATAL:") || l.starts_with("HINT:"))
        .collect();
    let shown = if errors.is_empty() {
        stderr.trim().to_string()
    } else {
        errors.join("\n")
    };
    Err(ScriptError(format!(
        "the SQL files did not run (nothing was pulled):\n{shown}\n{}",
        hint(&shown)
    ))
    .into())
}

fn hint(errors: &str) -> &'static str {
    if errors.contains("role") && errors.contains("does not exist") {
        "hint: the files name roles this server does not have; create them first, e.g. by \
         giving `pg_dumpall --roles-only` output as the first file"
    } else {
        "hint: the files must run on an empty database of the server, in the order given"
    }
}

/// A dump restores every object with the owner it had; provisioning creates them as the
/// database owner. When one role owns everything in the user schemas, that role owned
/// the database the files came from: the throwaway database is given to it, so that the
/// pulled model says so (and the inventory does not list every object's owner).
async fn adopt_owner(conn: &sea_orm::DatabaseConnection, name: &str) -> anyhow::Result<()> {
    let row = db::query_one(conn, OWNERS, Vec::new()).await?;
    let owners: Vec<String> = row.try_get("", "owners")?;
    if let [owner] = owners.as_slice() {
        conn.execute_unprepared(&format!(
            "ALTER DATABASE {} OWNER TO {}",
            sql::ident(name),
            sql::ident(owner)
        ))
        .await
        .map_err(|e| {
            anyhow::anyhow!("cannot hand the database to {owner}: {}", db::describe(&e))
        })?;
    }
    Ok(())
}

/// The owners of the schemas, relations, functions and types outside the system and
/// extensions (the `public` schema's pg_database_owner aside).
const OWNERS: &str = "\
SELECT ARRAY(
  SELECT DISTINCT pg_get_userbyid(o.owner)::text FROM (
    SELECT n.nspowner AS owner, n.oid AS oid, 'pg_namespace'::regclass AS classid
    FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
      AND pg_get_userbyid(n.nspowner) <> 'pg_database_owner'
    UNION ALL
    SELECT c.relowner, c.oid, 'pg_class'::regclass FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    UNION ALL
    SELECT p.proowner, p.oid, 'pg_proc'::regclass FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  ) o
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = o.classid AND d.objid = o.oid AND d.deptype = 'e')
) AS owners";
