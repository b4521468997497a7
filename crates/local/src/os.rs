//! Processes, OS users and files for the local server: the parts that talk to the
//! operating system rather than to PostgreSQL.

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use anyhow::{Context, bail};

use super::SERVER_USER;

/// The OS user the server runs as.
pub(super) enum ServerUser {
    /// Not root: the server runs as us.
    Current,
    /// Root: the server runs as [`SERVER_USER`].
    Other { name: String, uid: u32, gid: u32 },
}

impl ServerUser {
    pub(super) fn resolve() -> anyhow::Result<Self> {
        if effective_uid()? != 0 {
            return Ok(Self::Current);
        }
        let name = SERVER_USER;
        if lookup_id(name, "-u").is_err() {
            tracing::info!("creating the system user {name} to run PostgreSQL (it refuses root)");
            let mut command = Command::new("useradd");
            command.args([
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                "--comment",
                "schemactl local PostgreSQL",
                name,
            ]);
            // Another process may have created it meanwhile; only its absence is an error.
            if let Err(err) = run_checked(&mut command)
                && lookup_id(name, "-u").is_err()
            {
                return Err(err.context(format!("cannot create the system user {name}")));
            }
        }
        Ok(Self::Other {
            name: name.to_string(),
            uid: lookup_id(name, "-u")?,
            gid: lookup_id(name, "-g")?,
        })
    }

    /// Fails, naming the directory to open up, when the server user cannot reach `path`.
    /// Checked up front because initdb's own "Permission denied" does not say where.
    pub(super) fn check_reachable(&self, path: &Path) -> anyhow::Result<()> {
        let Self::Other { name, .. } = self else {
            return Ok(());
        };
        let reachable = Command::new("runuser")
            .args(["-u", name, "--", "test", "-x"])
            .arg(path)
            .stdin(Stdio::null())
            .status()
            .with_context(|| format!("cannot run `runuser -u {name} -- test -x`"))?
            .success();
        if reachable {
            return Ok(());
        }
        // A guess from the mode bits (ACLs aside, and it owns none of these) to point at
        // the culprit.
        let mut dirs: Vec<&Path> = path.ancestors().skip(1).collect();
        dirs.reverse();
        let blocking = dirs
            .into_iter()
            .find(|dir| fs::metadata(dir).is_ok_and(|meta| meta.permissions().mode() & 0o001 == 0));
        let hint = blocking.map_or_else(String::new, |dir| {
            format!("; allow it with `chmod o+x {}`", dir.display())
        });
        bail!(
            "PostgreSQL refuses to run as root, so it runs as the user {name}, which cannot \
             reach {}{hint}",
            path.display()
        )
    }

    pub(super) fn give(&self, path: &Path) -> anyhow::Result<()> {
        match self {
            Self::Current => Ok(()),
            Self::Other { name, uid, gid } => {
                std::os::unix::fs::chown(path, Some(*uid), Some(*gid))
                    .with_context(|| format!("cannot give {} to the user {name}", path.display()))
            }
        }
    }
}

/// The effective uid, from `/proc` since `unsafe` (hence `geteuid`) is forbidden here.
fn effective_uid() -> anyhow::Result<u32> {
    if let Ok(status) = fs::read_to_string("/proc/self/status")
        && let Some(uid) = status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            .and_then(|id| id.parse().ok())
    {
        return Ok(uid);
    }
    let output = run_checked(Command::new("id").arg("-u"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse()
        .with_context(|| format!("`id -u` printed {text:?}, not a uid"))
}

fn lookup_id(name: &str, flag: &str) -> anyhow::Result<u32> {
    let output = run_checked(Command::new("id").args([flag, name]))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse()
        .with_context(|| format!("`id {flag} {name}` printed {text:?}, not an id"))
}

/// 32 hex digits from the kernel's CSPRNG.
pub(super) fn random_password() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    File::open("/dev/urandom")
        .and_then(|mut file| file.read_exact(&mut bytes))
        .context("cannot read /dev/urandom for the superuser password")?;
    let mut password = String::with_capacity(32);
    for byte in bytes {
        let _ = write!(password, "{byte:02x}");
    }
    Ok(password)
}

/// Writes `text` to a file only its owner can read, created with that mode so the
/// secret is never briefly world-readable.
pub(super) fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let _ = fs::remove_file(path);
    let mut file = OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(format!("{text}\n").as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

pub(super) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        let arg = arg.to_string_lossy();
        text.push(' ');
        // Quoted only when needed, so the line can be pasted into a shell to retry.
        if arg.is_empty()
            || arg.contains(|c: char| !(c.is_ascii_alphanumeric() || "-_./=:,@+%".contains(c)))
        {
            text.push_str(&shell_quote(&arg));
        } else {
            text.push_str(&arg);
        }
    }
    text
}

fn command_failed(command: &Command, output: &Output) -> anyhow::Error {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let detail = if stderr.trim().is_empty() {
        stdout.trim()
    } else {
        stderr.trim()
    };
    anyhow::anyhow!(
        "`{}` failed ({}): {detail}",
        describe(command),
        output.status
    )
}

/// Runs `command` to completion, capturing its output; a failure names the command and
/// carries its stderr.
pub(super) fn run_checked(command: &mut Command) -> anyhow::Result<Output> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run `{}`", describe(command)))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(command_failed(command, &output))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_for_the_shell() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn passwords_are_random_hex() {
        let a = random_password().unwrap();
        let b = random_password().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
