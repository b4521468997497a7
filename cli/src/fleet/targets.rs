//! A fleet's targets: the listed ones, then those its discoveries find, in that order
//! (the canary group is the first ones), each once.

use std::collections::BTreeSet;

use anyhow::{Context, anyhow};
use serde::Serialize;

use schemactl_model::fleet::{Discovery, DiscoveryKind, Fleet, expand_env};
use schemactl_model::load::Source;

use crate::db;
use crate::exit::UsageError;

/// One database, or one schema of a database, that the model is rolled out to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// `host:port/database`, or `host:port/database/schema`: how reports name it.
    pub label: String,
    /// The connection URL, password included: never printed (see `label`).
    #[serde(skip)]
    pub url: String,
    /// `host:port`: targets of one server share its normalized model.
    pub server: String,
    pub database: String,
    pub schema: Option<String>,
}

impl Target {
    pub fn new(url: String, schema: Option<String>) -> anyhow::Result<Target> {
        let server = db::server_of(&url)
            .ok_or_else(|| UsageError(format!("not a PostgreSQL URL: {}", db::redact(&url))))?;
        let database = db::database_of(&url).unwrap_or_else(|| "postgres".to_string());
        let mut label = format!("{server}/{database}");
        if let Some(schema) = &schema {
            label.push('/');
            label.push_str(schema);
        }
        Ok(Target {
            label,
            url,
            server,
            database,
            schema,
        })
    }
}

/// Every target of `fleet`: the listed ones with `${VARIABLE}`s filled from the
/// environment, then what each discovery finds now.
pub async fn resolve(fleet: &Fleet, source: &Source) -> anyhow::Result<Vec<Target>> {
    let mut targets = Vec::new();
    let mut seen = BTreeSet::new();
    let mut add = |target: Target, targets: &mut Vec<Target>| {
        if seen.insert((target.url.clone(), target.schema.clone())) {
            targets.push(target);
        }
    };
    for listed in &fleet.targets {
        let url = expand(&listed.url, source, &listed.pointer)?;
        add(Target::new(url, listed.schema.clone())?, &mut targets);
    }
    for discovery in &fleet.discover {
        for target in discover(discovery, source).await? {
            add(target, &mut targets);
        }
    }
    Ok(targets)
}

fn expand(url: &str, source: &Source, pointer: &str) -> anyhow::Result<String> {
    expand_env(url, |name| std::env::var(name).ok()).map_err(|problem| {
        let pos = source.value_pos(pointer);
        anyhow::Error::new(UsageError(format!(
            "{}:{}:{}: {problem}",
            source.path.display(),
            pos.line,
            pos.column
        )))
    })
}

async fn discover(discovery: &Discovery, source: &Source) -> anyhow::Result<Vec<Target>> {
    let url = expand(
        &discovery.url,
        source,
        &format!("{}/url", discovery.pointer),
    )?;
    let pos = source.value_pos(&discovery.pointer);
    let at = format!("{}:{}:{}", source.path.display(), pos.line, pos.column);
    let conn = db::connect(&url)
        .await
        .with_context(|| format!("{at}: the discovery cannot reach its database"))?;
    let targets = match &discovery.kind {
        DiscoveryKind::Schemas { pattern } => {
            let rows = db::query_all(
                &conn,
                "SELECT nspname::text AS name FROM pg_namespace \
                 WHERE nspname LIKE $1 ORDER BY nspname",
                vec![pattern.clone().into()],
            )
            .await
            .with_context(|| format!("{at}: cannot list the schemas like `{pattern}`"))?;
            rows.iter()
                .map(|row| {
                    let schema: String = row.try_get("", "name")?;
                    Target::new(url.clone(), Some(schema))
                })
                .collect::<anyhow::Result<Vec<_>>>()?
        }
        DiscoveryKind::Query { sql } => {
            let rows = db::query_all(&conn, sql, vec![])
                .await
                .with_context(|| format!("{at}: the discovery query failed"))?;
            let mut targets = Vec::with_capacity(rows.len());
            for row in &rows {
                let found: Option<String> = row.try_get("", "url").map_err(|_| {
                    UsageError(format!(
                        "{at}: the discovery query returns no text column `url` \
                         (NULL in it means the discovery's own database)"
                    ))
                })?;
                let schema: Option<String> = row.try_get("", "schema").ok().flatten();
                targets.push(Target::new(found.unwrap_or_else(|| url.clone()), schema)?);
            }
            targets
        }
    };
    let _ = conn.close().await;
    if targets.is_empty() {
        tracing::warn!("{at}: the discovery found no target");
    }
    Ok(targets)
}

/// Refuses a fleet with schema targets for a command that applies SQL files written for
/// the model's own schema names (`migrate up`).
pub fn databases_only(targets: &[Target], command: &str) -> anyhow::Result<()> {
    match targets.iter().find(|t| t.schema.is_some()) {
        Some(target) => Err(anyhow!(UsageError(format!(
            "{command} runs migration files written for the model's schema names, so a fleet \
             of schemas cannot use it ({} is a schema target); use `schemactl apply --fleet`",
            target.label
        )))),
        None => Ok(()),
    }
}
