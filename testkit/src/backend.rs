//! Where the PostgreSQL server comes from: an existing one, a container, or the
//! project-local binaries.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use sea_orm::ConnectionTrait;
use testcontainers::core::{IntoContainerPort, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, GenericImage, ImageExt};

use schemactl::local::LocalServer;

use crate::{BACKEND_ENV, DATABASE_URL_ENV, IMAGE_ENV};

/// The public PostgreSQL + pgvector image the docker backend uses by default.
pub const DEFAULT_IMAGE: &str = "pgvector/pgvector:pg18";

/// The superuser password of containers we start; they listen on localhost only.
const CONTAINER_PASSWORD: &str = "postgres";

/// How long a container may take from "ready" in its log to accepting our login. The
/// official images log "ready" once for a temporary init server before the real one.
const CONTAINER_LOGIN_TIMEOUT: Duration = Duration::from_secs(60);

pub(crate) type Container = ContainerAsync<GenericImage>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An existing server: `SCHEMACTL_TEST_DATABASE_URL` (an admin URL).
    Server,
    /// A container per test database, from `SCHEMACTL_TEST_IMAGE` or [`DEFAULT_IMAGE`].
    Docker,
    /// The project-local test cluster (`schemactl::local::LocalServer::tests_pg18`: its own
    /// data directory and port under target/, not the cluster `provision` uses), started
    /// when needed.
    Local,
}

impl Backend {
    /// `SCHEMACTL_TEST_BACKEND`, else the first that applies: `server` when
    /// `SCHEMACTL_TEST_DATABASE_URL` is set, `docker` when `SCHEMACTL_TEST_IMAGE` is set,
    /// `local` when the project-local binaries are installed, else `docker`.
    pub fn from_env() -> anyhow::Result<Backend> {
        if let Ok(text) = std::env::var(BACKEND_ENV) {
            return text.parse();
        }
        if std::env::var_os(DATABASE_URL_ENV).is_some() {
            return Ok(Backend::Server);
        }
        if std::env::var_os(IMAGE_ENV).is_some() {
            return Ok(Backend::Docker);
        }
        let local_installed = LocalServer::tests_pg18()
            .is_ok_and(|server| server.bin_dir().join("postgres").is_file());
        Ok(if local_installed {
            Backend::Local
        } else {
            Backend::Docker
        })
    }
}

impl std::str::FromStr for Backend {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Backend> {
        match text.trim().to_ascii_lowercase().as_str() {
            "server" => Ok(Backend::Server),
            "docker" | "testcontainers" => Ok(Backend::Docker),
            "local" => Ok(Backend::Local),
            other => bail!("{BACKEND_ENV}={other:?}: expected server, docker or local"),
        }
    }
}

/// A running server and how to administer it.
pub(crate) struct Server {
    pub admin_url: String,
    pub container: Option<Container>,
    /// Whether other test processes share this server's roles, so creating them must be
    /// serialized with the rest of this repository's suite.
    pub shared: bool,
}

pub(crate) async fn start(
    backend: Backend,
    local: Option<LocalServer>,
    image: Option<String>,
    server_url: Option<String>,
) -> anyhow::Result<Server> {
    match backend {
        Backend::Server => {
            let url = match server_url {
                Some(url) => url,
                None => std::env::var(DATABASE_URL_ENV).with_context(|| {
                    format!("the server backend needs {DATABASE_URL_ENV} (an admin URL)")
                })?,
            };
            Ok(Server {
                admin_url: url,
                container: None,
                shared: true,
            })
        }
        Backend::Local => {
            let server = match local {
                Some(server) => server,
                None => LocalServer::tests_pg18()?,
            };
            // Starting may install binaries and run initdb: seconds of blocking work.
            let admin_url = tokio::task::spawn_blocking(move || -> anyhow::Result<String> {
                server.start()?;
                server.url()
            })
            .await
            .context("the local server start was cancelled")??;
            Ok(Server {
                admin_url,
                container: None,
                shared: true,
            })
        }
        Backend::Docker => {
            let image = match image {
                Some(image) => image,
                None => std::env::var(IMAGE_ENV).unwrap_or_else(|_| DEFAULT_IMAGE.to_string()),
            };
            start_container(&image).await
        }
    }
}

fn split_image(image: &str) -> (&str, &str) {
    let name_start = image.rfind('/').map_or(0, |i| i + 1);
    match image[name_start..].rfind(':') {
        Some(i) => (&image[..name_start + i], &image[name_start + i + 1..]),
        None => (image, "latest"),
    }
}

async fn start_container(image: &str) -> anyhow::Result<Server> {
    let (name, tag) = split_image(image);
    let container = GenericImage::new(name, tag)
        .with_exposed_port(5432.tcp())
        .with_wait_for(WaitFor::message_on_stderr(
            "database system is ready to accept connections",
        ))
        .with_env_var("POSTGRES_PASSWORD", CONTAINER_PASSWORD)
        .with_startup_timeout(Duration::from_secs(120))
        .start()
        .await
        .map_err(|err| docker_error(image, &err))?;
    let host = container.get_host().await?;
    let port = container.get_host_port_ipv4(5432.tcp()).await?;
    let admin_url = format!("postgres://postgres:{CONTAINER_PASSWORD}@{host}:{port}/postgres");
    wait_for_login(&admin_url).await?;
    Ok(Server {
        admin_url,
        container: Some(container),
        shared: false,
    })
}

fn docker_error(image: &str, err: &testcontainers::TestcontainersError) -> anyhow::Error {
    let text = err.to_string();
    let hint = if docker_unreachable(&text) {
        "no Docker engine is reachable (is dockerd running, DOCKER_HOST set, the socket \
         readable?). The docker backend needs one; use SCHEMACTL_TEST_BACKEND=local or \
         =server to test without Docker"
    } else if text.contains("No such image") || text.contains("pull") {
        "the image is neither present nor pullable; offline, build one with \
         scripts/build-test-image.sh and set SCHEMACTL_TEST_IMAGE=schemactl-pgvector:18-local"
    } else {
        "the container did not start"
    };
    anyhow::anyhow!("testkit docker backend: {hint}\n  image: {image}\n  error: {text}")
}

fn docker_unreachable(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [
        "socket",
        "connect",
        "no such file",
        "connection refused",
        "docker host",
    ]
    .iter()
    .any(|needle| text.contains(needle))
        && !text.contains("no such image")
}

async fn wait_for_login(url: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + CONTAINER_LOGIN_TIMEOUT;
    loop {
        let attempt = async {
            let conn = crate::connect_once(url).await?;
            conn.execute_unprepared("SELECT 1").await?;
            conn.close().await.ok();
            anyhow::Ok(())
        };
        match attempt.await {
            Ok(()) => return Ok(()),
            Err(err) if Instant::now() >= deadline => {
                return Err(err.context(format!(
                    "the container never accepted a login within {CONTAINER_LOGIN_TIMEOUT:?}"
                )));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_split_at_the_tag() {
        assert_eq!(
            split_image("pgvector/pgvector:pg18"),
            ("pgvector/pgvector", "pg18")
        );
        assert_eq!(
            split_image("localhost:5000/pg:16"),
            ("localhost:5000/pg", "16")
        );
        assert_eq!(
            split_image("localhost:5000/pg"),
            ("localhost:5000/pg", "latest")
        );
        assert_eq!(
            split_image("schemactl-pgvector:18-local"),
            ("schemactl-pgvector", "18-local")
        );
    }

    #[test]
    fn backend_names_parse() {
        assert_eq!("Docker".parse::<Backend>().unwrap(), Backend::Docker);
        assert!("podman".parse::<Backend>().is_err());
    }
}
