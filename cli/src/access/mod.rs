//! The model's access tests (what each role may see and do), written under
//! `access_tests` and derived from its policies and grants, run in a throwaway database
//! provisioned from the model with its seed rows on the dev server (`schemactl test`,
//! `crate::commands::test`).
//!
//! Each case runs in its own transaction, always rolled back: settings
//! (`set_config(…, true)`), `SET LOCAL ROLE`, the setup statements, the check. The
//! throwaway database is dropped afterwards, whatever happened.

pub mod cases;
pub mod run;

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Context as _;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::load::Loaded;
use crate::model::Model;
use cases::Case;
use run::Verdict;

/// Prefix of the throwaway databases, so that leftovers of a killed run are easy to find.
pub const DATABASE_PREFIX: &str = "schemactl_access_";

/// A case's outcome, with its model position.
pub struct Outcome<'c> {
    pub case: &'c Case,
    pub location: String,
    pub verdict: Verdict,
}

/// `file:line:column` of the case's origin in the model.
fn location(loaded: &Loaded, case: &Case) -> String {
    let (file, pos) = if case.at_key {
        loaded.source.key_at(&case.pointer)
    } else {
        loaded.source.value_at(&case.pointer)
    };
    format!("{}:{}:{}", file.path.display(), pos.line, pos.column)
}

/// The dev server's admin URL: `--dev-url` / `SCHEMACTL_DEV_URL`, else the project-local
/// server (started when needed).
fn dev_server() -> anyhow::Result<String> {
    match crate::dev::explicit() {
        Some(url) => Ok(url),
        None => crate::local::admin_url(),
    }
}

/// Provisions the throwaway database from the model, runs `cases` and drops it (unless
/// `keep`).
pub async fn run_all<'c>(
    loaded: &Loaded,
    cases: &'c [Case],
    keep: bool,
) -> anyhow::Result<Vec<Outcome<'c>>> {
    let admin_url = dev_server()?;
    let model = &loaded.model;
    let name = format!(
        "{DATABASE_PREFIX}{}_{}",
        std::process::id(),
        chrono::Utc::now().format("%H%M%S%3f")
    );
    let passwords = passwords(&admin_url, model).await?;
    let options = crate::provision::Options {
        database: Some(name.clone()),
        admin_url: Some(admin_url.clone()),
        yes: true,
        passwords: Some(passwords),
        ..Default::default()
    };
    tracing::info!("provisioning the throwaway database {name}");
    let started = Instant::now();
    let provisioned = crate::provision::provision(model, &options)
        .await
        .with_context(|| format!("cannot provision the throwaway database {name}"));
    tracing::info!(
        "provisioned {name} in {:.2}s",
        started.elapsed().as_secs_f64()
    );
    let result = match provisioned {
        Ok(_) => run_cases(loaded, &admin_url, &name, cases).await,
        Err(err) => Err(err),
    };
    if keep {
        eprintln!("kept the throwaway database {name}");
    } else if let Err(err) = drop_database(&admin_url, &name).await {
        eprintln!("warning: cannot drop the throwaway database {name}: {err:#}");
    }
    result
}

async fn run_cases<'c>(
    loaded: &Loaded,
    admin_url: &str,
    name: &str,
    cases: &'c [Case],
) -> anyhow::Result<Vec<Outcome<'c>>> {
    let url = db::with_database(admin_url, name)?;
    let conn = db::connect_single(&url).await?;
    // Policy violations and missing privileges share SQLSTATE 42501: their English
    // messages tell them apart.
    conn.execute_unprepared("SET lc_messages = 'C'")
        .await
        .context("cannot set lc_messages (the dev server's user must be a superuser)")?;
    let started = Instant::now();
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in cases {
        let verdict = run::run(&conn, case)
            .await
            .with_context(|| format!("access test `{}`", case.name))?;
        outcomes.push(Outcome {
            case,
            location: location(loaded, case),
            verdict,
        });
    }
    conn.close().await.ok();
    tracing::info!(
        "ran {} access test(s) in {:.2}s",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(outcomes)
}

/// Passwords for the roles the dev server lacks (the model's variable when set, else the
/// testkit's `testkit-<role>`); a role that exists keeps its password.
async fn passwords(admin_url: &str, model: &Model) -> anyhow::Result<BTreeMap<String, String>> {
    let admin = db::connect(admin_url).await?;
    let rows = db::query_all(
        &admin,
        "SELECT rolname::text AS name FROM pg_roles",
        Vec::new(),
    )
    .await?;
    admin.close().await.ok();
    let existing: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .collect();
    Ok(model
        .roles
        .iter()
        .filter(|(name, role)| role.password_env.is_some() && !existing.contains(*name))
        .map(|(name, role)| {
            let password = role
                .password_env
                .as_ref()
                .and_then(|var| std::env::var(var).ok())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| format!("testkit-{name}"));
            (name.clone(), password)
        })
        .collect())
}

async fn drop_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let admin = db::connect(admin_url).await?;
    let dropped = db::drop_database_forced(&admin, name).await;
    admin.close().await.ok();
    dropped
}
