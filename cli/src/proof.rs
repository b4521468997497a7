//! `apply --proof`: before the target sees a plan, the plan runs on a copy of the
//! target's schema in a database on the dev server, and the copy must then match the
//! model. A plan that would fail, or that would leave drift behind (a step the renderer
//! gets wrong, an ordering the server refuses), is caught there and the target is not
//! touched.
//!
//! The copy is the target's whole schema as `pg_dump --schema-only` writes it (owners,
//! grants, and what the model does not express included), so it holds the target's
//! structure, not its rows: a step that fails only because of data (a NOT NULL on a
//! column holding nulls) still fails on the target, inside its transaction.
//! Roles are cluster-wide: the proof neither runs role steps nor compares roles, and
//! refuses to run when the plan creates roles on a dev server that is the target's.

use std::io::Write as _;
use std::process::{Command, Stdio};

use anyhow::{anyhow, bail};
use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;
use crate::db;
use crate::diff::Hints;
use crate::introspect::{self, Options};
use crate::model::Model;
use crate::plan::Plan;
use schemactl_core::statement::RenderedStep;
use schemactl_core::step::Step;
use schemactl_postgres::script;

/// The plan did not survive its rehearsal on the copy: nothing was applied to the target.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProofFailed(pub String);

/// What the rehearsal did, for the report.
#[derive(Debug)]
pub struct Proven {
    pub dev_database: String,
    pub steps: usize,
    pub seconds: f64,
}

/// Rehearses `plan` (computed against the target at `url`) on a copy of the target in a
/// new database on the dev server, checks that the copy then matches the model, and drops
/// the copy.
pub async fn prove(model: &Model, url: &str, plan: &Plan) -> anyhow::Result<Proven> {
    let started = std::time::Instant::now();
    let Plan::Postgres { steps, owner } = plan else {
        return Err(crate::exit::UsageError(
            "--proof rehearses PostgreSQL plans; a SQLite plan already runs in one transaction \
             of the file"
                .into(),
        )
        .into());
    };
    let comparison = crate::upgrade::compare(model, url, None).await?;
    let target = db::connect(url).await?;
    let server = crate::upgrade::server_identity(&target).await?;
    target.close().await.ok();
    let dev = crate::dev::server_for(url, crate::upgrade::server_major(&server))?;
    let same_server = db::host_of(&dev) == db::host_of(url);
    let rehearsed: Vec<RenderedStep> = steps
        .iter()
        .filter(|s| !is_role_step(&s.step))
        .cloned()
        .collect();
    if same_server
        && steps
            .iter()
            .any(|s| matches!(s.step, Step::CreateRole { .. }))
    {
        return Err(ProofFailed(
            "--proof cannot rehearse a plan that creates roles when the dev server is the \
             target's own server (the roles would be created there before the real apply); \
             pass --dev-url with a separate server"
                .into(),
        )
        .into());
    }
    // Named after the target, so that `dev` listings say whose it is; cut to PostgreSQL's
    // 63 bytes of identifier.
    let target_name: String = db::database_of(url)
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(36)
        .collect();
    let name = format!("schemactl_proof_{target_name}_{:08x}", fastrand::u32(..));
    let admin = db::connect_single(&dev).await?;
    if !same_server {
        placeholder_roles(url, &admin).await?;
    }
    let result = rehearse(
        model,
        url,
        &comparison.desired,
        &dev,
        &name,
        owner.as_deref(),
        &rehearsed,
    )
    .await;
    if let Err(e) = db::drop_database_forced(&admin, &name).await {
        tracing::warn!("the proof database stays: {e:#}");
    }
    result?;
    Ok(Proven {
        dev_database: format!("{}/{name}", db::redact(&dev)),
        steps: rehearsed.len(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn is_role_step(step: &Step) -> bool {
    matches!(
        step,
        Step::CreateRole { .. }
            | Step::AlterRole { .. }
            | Step::GrantMembership { .. }
            | Step::RevokeMembership { .. }
            | Step::DropRole { .. }
    )
}

/// Builds the copy, runs the plan on it, and compares the result with the model.
async fn rehearse(
    model: &Model,
    target: &str,
    desired: &Catalog,
    dev: &str,
    name: &str,
    owner: Option<&str>,
    rehearsed: &[RenderedStep],
) -> anyhow::Result<()> {
    let admin = db::connect_single(dev).await?;
    db::create_database(
        &admin,
        name,
        owner,
        "--proof cannot create its database on the dev server",
    )
    .await?;
    let copy_url = db::with_database(dev, name)?;
    copy_schema(target, &copy_url).map_err(|err| {
        anyhow!(
            "--proof cannot copy the target's schema to the dev server ({}): {err:#}; the \
             target was not touched",
            db::redact(dev)
        )
    })?;
    let copy = db::connect_single(&copy_url).await?;
    let plan_script = script::layout(rehearsed, owner);
    if let Err(err) = crate::execute::run(&copy, &plan_script).await {
        return Err(ProofFailed(format!(
            "the plan failed on a copy of the target's schema (database {name} on the dev \
             server); the target was not touched:\n{err:#}"
        ))
        .into());
    }
    let options = Options {
        schemas: crate::upgrade::schemas_of(model),
        roles: model.roles.keys().cloned().collect(),
        all_roles: false,
        search_path: None,
    };
    let mut after = introspect::introspect_with(&copy, &options).await?.catalog;
    copy.close().await.ok();
    // Roles live on the dev server, not in the copy: only the schema is proven.
    after.roles.clone_from(&desired.roles);
    let left = schemactl_postgres::plan(&after, desired, &Hints::from_model(model))?;
    if !left.is_empty() {
        let steps: Vec<String> = left
            .iter()
            .map(|s| format!("  - {}", s.step.describe()))
            .collect();
        return Err(ProofFailed(format!(
            "the plan does not converge: after it ran on a copy of the target's schema, {} \
             step(s) still separate the copy from the model; the target was not touched:\n{}",
            left.len(),
            steps.join("\n")
        ))
        .into());
    }
    Ok(())
}

/// The target's whole schema, as `pg_dump --schema-only` writes it (owners, grants and
/// what the model does not express included), restored into the copy with psql.
fn copy_schema(target: &str, copy_url: &str) -> anyhow::Result<()> {
    let bin = crate::local::bin_dir()?;
    let dump = Command::new(bin.join("pg_dump"))
        .args(["--schema-only", "--no-subscriptions", "-d", target])
        .output()
        .map_err(|e| anyhow!("cannot run pg_dump: {e}"))?;
    if !dump.status.success() {
        bail!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&dump.stderr).trim()
        );
    }
    let mut restore = Command::new(bin.join("psql"))
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            copy_url,
            "-f",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow!("cannot run psql: {e}"))?;
    if let Some(mut stdin) = restore.stdin.take() {
        stdin.write_all(&dump.stdout)?;
    }
    let restored = restore.wait_with_output()?;
    if !restored.status.success() {
        bail!(
            "restoring the dump failed: {}",
            String::from_utf8_lossy(&restored.stderr).trim()
        );
    }
    Ok(())
}

/// On a dev server that is not the target's, every role of the target's server is created
/// as a `NOLOGIN` placeholder when missing, so that the dump's owners and grants restore.
async fn placeholder_roles(target: &str, dev: &DatabaseConnection) -> anyhow::Result<()> {
    let conn = db::connect(target).await?;
    let rows = db::query_all(
        &conn,
        "SELECT rolname::text AS name FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1",
        vec![],
    )
    .await?;
    conn.close().await.ok();
    let names: Vec<String> = rows
        .iter()
        .filter_map(|row| row.try_get::<String>("", "name").ok())
        .collect();
    crate::upgrade::create_missing_roles(dev, &names).await
}
