//! `schemactl dev list` and `dev clean`: the scratch databases plans and `generate` leave
//! on the dev server, listed and removed (`crate::scratch` finds and drops them).

use std::time::Duration;

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use sea_orm::DatabaseConnection;

use crate::cli::{EXIT_OK, EXIT_USAGE};
use crate::db;
use crate::scratch;

#[derive(Debug, Clone, Subcommand)]
pub enum DevCommand {
    /// List the scratch databases plans and `generate` keep on the dev server: name, what
    /// made it, size, age and open connections.
    List(ServerArgs),
    /// Remove scratch databases (default: all but the newest 8 per kind). Never forced: one
    /// in use by a running plan is reported and kept.
    Clean(CleanArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Admin URL of the server holding the scratch databases (default: --dev-url /
    /// SCHEMACTL_DEV_URL, then SCHEMACTL_ADMIN_URL, then the project-local server).
    #[arg(long)]
    pub admin_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    pub server: ServerArgs,
    /// Remove only these scratch databases (names as `dev list` prints them).
    #[arg(value_name = "DATABASE", conflicts_with_all = ["all", "older_than", "keep"])]
    pub names: Vec<String>,
    /// Remove every scratch database, half-built ones included.
    #[arg(long, conflicts_with_all = ["older_than", "keep"])]
    pub all: bool,
    /// Remove those created longer ago than this: 90s, 30m, 12h, 7d.
    #[arg(long, value_name = "AGE", value_parser = parse_age, conflicts_with = "keep")]
    pub older_than: Option<Duration>,
    /// Keep the newest N complete scratch databases of each kind, remove the rest.
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,
    /// Print nothing (for the background prune).
    #[arg(long)]
    pub quiet: bool,
}

/// `90s`, `30m`, `12h`, `7d` (a bare number is seconds).
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("expected an age like 30m, 12h or 7d, got {text:?}"))?;
    let secs = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use s, m, h or d"
            ));
        }
    };
    Ok(Duration::from_secs(n.saturating_mul(secs)))
}

fn server_url(args: &ServerArgs) -> anyhow::Result<String> {
    if let Some(url) = args.admin_url.as_deref().filter(|u| !u.trim().is_empty()) {
        return Ok(url.to_string());
    }
    match crate::dev::explicit() {
        Some(url) => Ok(url),
        None => db::resolve_admin_url(None),
    }
}

fn human_bytes(bytes: i64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else {
        format!("{mb:.1} MB")
    }
}

fn human_age(age: Option<Duration>) -> String {
    let Some(age) = age else {
        return "?".into();
    };
    let s = age.as_secs();
    match s {
        0..120 => format!("{s}s"),
        120..7200 => format!("{}m", s / 60),
        7200..172_800 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// Runs a `dev` subcommand.
pub fn run(command: &DevCommand) -> u8 {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return EXIT_USAGE;
        }
    };
    let result = rt.block_on(async {
        match command {
            DevCommand::List(args) => run_list(args).await,
            DevCommand::Clean(args) => run_clean(args).await,
        }
    });
    match result {
        Ok(()) => EXIT_OK,
        Err(err) => crate::exit::report(&err, crate::exit::EXIT_DATABASE),
    }
}

async fn connect(args: &ServerArgs) -> anyhow::Result<DatabaseConnection> {
    let url = server_url(args)?;
    db::connect_single(&url).await.map_err(|e| {
        anyhow!(
            "cannot connect to the dev server {}: {e:#}",
            db::redact(&url)
        )
    })
}

async fn run_list(args: &ServerArgs) -> anyhow::Result<()> {
    let server = connect(args).await?;
    let all = scratch::list(&server).await?;
    if all.is_empty() {
        println!("no scratch databases");
        return Ok(());
    }
    println!(
        "{:<46} {:<9} {:>10} {:>6} {:>5}",
        "database", "made by", "size", "age", "conns"
    );
    for d in &all {
        let name = if d.building {
            format!("{} (half-built)", d.name)
        } else {
            d.name.clone()
        };
        println!(
            "{name:<46} {:<9} {:>10} {:>6} {:>5}",
            d.made_by,
            human_bytes(d.bytes),
            human_age(d.age),
            d.connections
        );
    }
    let total: i64 = all.iter().map(|d| d.bytes).sum();
    println!("{} scratch database(s), {}", all.len(), human_bytes(total));
    Ok(())
}

async fn run_clean(args: &CleanArgs) -> anyhow::Result<()> {
    let selection = match (args.all, args.older_than, args.keep) {
        _ if !args.names.is_empty() => scratch::Selection::Named(&args.names),
        (true, None, None) => scratch::Selection::All,
        (false, Some(age), None) => scratch::Selection::OlderThan(age),
        (false, None, keep) => scratch::Selection::KeepNewest(keep.unwrap_or(scratch::KEPT)),
        _ => bail!("--all, --older-than and --keep exclude each other"),
    };
    let server = connect(&args.server).await?;
    let all = scratch::list(&server).await?;
    let chosen = scratch::select(&all, selection);
    if let scratch::Selection::Named(names) = selection
        && let Some(missing) = names.iter().find(|n| !chosen.iter().any(|d| d.name == **n))
    {
        bail!("{missing} is not a scratch database on this server (see `schemactl dev list`)");
    }
    let removed = scratch::remove(&server, &chosen).await;
    if args.quiet {
        return Ok(());
    }
    for d in &removed.dropped {
        println!("dropped {} ({})", d.name, human_bytes(d.bytes));
    }
    for (d, why) in &removed.kept {
        println!("kept {}: {}", d.name, why.lines().next().unwrap_or(""));
    }
    println!(
        "dropped {} of {} scratch database(s), freed {}; {} left",
        removed.dropped.len(),
        all.len(),
        human_bytes(removed.bytes_freed()),
        all.len() - removed.dropped.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse_with_their_unit() {
        assert_eq!(parse_age("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_age("7d"), Ok(Duration::from_secs(604_800)));
        assert_eq!(parse_age("90"), Ok(Duration::from_secs(90)));
        assert!(parse_age("7y").is_err());
    }
}
