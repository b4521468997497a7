//! The project-local PostgreSQL 18 + pgvector cluster under `target/`.

use clap::Subcommand;

#[derive(Debug, Clone, Subcommand)]
pub enum LocalCommand {
    /// Start the project-local server (installing the binaries when missing).
    Start,
    /// Stop the project-local server.
    Stop,
    /// Say whether the project-local server is running.
    Status,
    /// Print the admin connection URL of the project-local server.
    Url,
}

pub fn run(_command: &LocalCommand) -> anyhow::Result<()> {
    anyhow::bail!("the project-local server is not available in this build")
}
