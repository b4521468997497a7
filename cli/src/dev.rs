//! The dev server: where `plan` builds the scratch databases that normalize a model.
//! Never the target unless the target is one of this project's own local clusters: a
//! plan against production must not create databases there.

use std::sync::OnceLock;

use anyhow::bail;

use crate::db;
use crate::local::LocalServer;

/// The variable naming the dev server, like `--dev-url`.
pub const DEV_URL_ENV: &str = "SCHEMACTL_DEV_URL";

static EXPLICIT: OnceLock<String> = OnceLock::new();

/// Records `--dev-url` for this process (the command line wins over the variable).
pub fn set_explicit(url: &str) {
    let _ = EXPLICIT.set(url.to_string());
}

/// The dev server the user named: `--dev-url`, else `SCHEMACTL_DEV_URL`.
pub fn explicit() -> Option<String> {
    EXPLICIT
        .get()
        .cloned()
        .or_else(|| std::env::var(DEV_URL_ENV).ok())
        .filter(|url| !url.is_empty())
}

/// The admin URL of the server for scratch databases when planning against `target`
/// (whose server reports `target_major`): `--dev-url` / `SCHEMACTL_DEV_URL`; else the
/// target's own server when it is a project-local cluster (dev or test); else the
/// project-local dev server when it runs the same major version. Otherwise an error
/// saying what to pass.
pub fn server_for(target: &str, target_major: u32) -> anyhow::Result<String> {
    if let Some(url) = explicit() {
        return Ok(url);
    }
    let host = db::host_of(target);
    let local_clusters = [
        LocalServer::default_pg18(),
        LocalServer::tests_pg18(),
        LocalServer::tests_pg16(),
    ];
    for server in local_clusters.into_iter().flatten() {
        let port = server.port();
        let is_local = [format!("127.0.0.1:{port}"), format!("localhost:{port}")]
            .iter()
            .any(|h| host.as_deref() == Some(h.as_str()));
        if is_local {
            return Ok(target.to_string());
        }
    }
    let dev = LocalServer::default_pg18()?;
    if dev.major() == target_major && dev.is_running()? {
        return dev.url();
    }
    bail!(
        "planning against {} needs a dev server to normalize the model in a scratch \
         database, and schemactl never creates one on the target: pass --dev-url URL (or set \
         {DEV_URL_ENV}) naming a PostgreSQL {target_major} server where it may create \
         databases, or start the project-local server (`schemactl local start`, PostgreSQL {})",
        db::redact(target),
        dev.major()
    )
}
