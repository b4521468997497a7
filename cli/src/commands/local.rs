//! `schemactl local …`: the project-local PostgreSQL server under `target/`
//! (`schemactl_local`).

use clap::Subcommand;

use crate::exit::{EXIT_OK, EXIT_USAGE};
use crate::local::LocalServer;

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

pub fn run(command: &LocalCommand) -> u8 {
    match local(command) {
        Ok(()) => EXIT_OK,
        Err(err) => crate::exit::report(&err, EXIT_USAGE),
    }
}

fn local(command: &LocalCommand) -> anyhow::Result<()> {
    let server = LocalServer::default_pg18()?;
    match command {
        LocalCommand::Start => {
            server.start()?;
            println!("{}", server.url()?);
        }
        LocalCommand::Stop => server.stop()?,
        LocalCommand::Status => print!("{}", server.status()?),
        LocalCommand::Url => println!("{}", server.url()?),
    }
    Ok(())
}
