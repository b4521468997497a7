//! `schemactl test`: the model's access tests (what each role may see and do), written
//! under `access_tests` and derived from its policies and grants, run in a throwaway
//! database provisioned from the model with its seed rows on the dev server.
//!
//! Each case runs in its own transaction, always rolled back: settings
//! (`set_config(…, true)`), `SET LOCAL ROLE`, the setup statements, the check. The
//! throwaway database is dropped afterwards, whatever happened.

pub mod cases;
pub mod run;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;
use clap::Args;
use sea_orm::ConnectionTrait;

use crate::db;
use crate::exit::{EXIT_DATABASE, EXIT_OK, EXIT_TESTS, EXIT_USAGE};
use crate::load::Loaded;
use crate::model::{Model, Target};
use cases::Case;
use run::Verdict;

/// Prefix of the throwaway databases, so that leftovers of a killed run are easy to find.
pub const DATABASE_PREFIX: &str = "schemactl_access_";

#[derive(Debug, Args)]
#[command(
    after_help = "The throwaway database is created on the dev server (--dev-url or \
                  SCHEMACTL_DEV_URL, else the project-local server), never on a target; \
                  its user must be able to SET ROLE to the model's roles (a superuser).\n\
                  Exit codes: 0 every test passed, 7 a test failed, 1 the model is invalid, \
                  4 the database could not be provisioned. Keys: docs/schema-reference.md \
                  (access_tests)."
)]
pub struct TestArgs {
    /// Run only the tests written under `access_tests`, none derived from the policies
    /// and grants.
    #[arg(long)]
    pub written_only: bool,
    /// Run only the tests whose name contains this text.
    #[arg(long)]
    pub filter: Option<String>,
    /// Keep the throwaway database (its name is printed) instead of dropping it.
    #[arg(long)]
    pub keep: bool,
}

/// A case's outcome, with its model position.
struct Outcome<'c> {
    case: &'c Case,
    location: String,
    verdict: Verdict,
}

pub fn run(schema: &Path, args: &TestArgs) -> u8 {
    let loaded = match crate::cli::load_and_validate(schema) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if loaded.model.database.target == Target::Sqlite {
        eprintln!(
            "error: {} targets SQLite; access tests check PostgreSQL roles and policies",
            schema.display()
        );
        return EXIT_USAGE;
    }
    let mut cases = cases::all(&loaded.model, args.written_only);
    if let Some(filter) = &args.filter {
        cases.retain(|c| c.name.contains(filter.as_str()));
    }
    if cases.is_empty() {
        println!("no access tests to run");
        return EXIT_OK;
    }
    let runtime = match crate::cli::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = Instant::now();
    let outcomes = match runtime.block_on(run_all(&loaded, &cases, args.keep)) {
        Ok(outcomes) => outcomes,
        Err(err) => return crate::exit::report(&err, EXIT_DATABASE),
    };
    report(&outcomes, started.elapsed().as_secs_f64())
}

fn report(outcomes: &[Outcome<'_>], secs: f64) -> u8 {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for o in outcomes {
        let origin = if o.case.generated { " [generated]" } else { "" };
        match &o.verdict {
            Verdict::Pass => {
                passed += 1;
                println!("{}: ok: {}{origin}", o.location, o.case.name);
            }
            Verdict::Skip(why) => {
                skipped += 1;
                println!("{}: skipped: {}{origin}: {why}", o.location, o.case.name);
            }
            Verdict::Fail(why) => {
                failed += 1;
                println!("{}: FAILED: {}{origin}", o.location, o.case.name);
                println!("    as {}: {why}", o.case.role);
            }
        }
    }
    let written = outcomes.iter().filter(|o| !o.case.generated).count();
    println!(
        "test result: {}. {passed} passed, {failed} failed, {skipped} skipped ({written} \
         written, {} generated) in {secs:.2}s",
        if failed == 0 { "ok" } else { "FAILED" },
        outcomes.len() - written
    );
    if failed == 0 { EXIT_OK } else { EXIT_TESTS }
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

async fn run_all<'c>(
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
    admin
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            crate::sql::ident(name)
        ))
        .await?;
    admin.close().await.ok();
    Ok(())
}
