//! Connecting to PostgreSQL: where the admin URL comes from, URL surgery (another database,
//! another login), and connection errors a DBA can act on.
//!
//! Every URL that reaches a message or a log goes through [`redact`] first: passwords never
//! appear in output.

use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgDatabaseError};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, QueryResult,
    RuntimeErr, Statement, Value,
};

/// The environment variable that names the admin connection when `--admin-url` is absent.
pub const ADMIN_URL_ENV: &str = "SCHEMACTL_ADMIN_URL";

/// How long to wait for a server before calling it unreachable. Short, because the usual
/// cause is a wrong host or port, and a DBA should hear about it at once.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection that could not be made, worded for the person who typed the URL.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("cannot reach PostgreSQL at {addr}: {reason} ({url})")]
    Unreachable {
        addr: String,
        reason: String,
        url: String,
    },
    #[error("authentication failed for user \"{user}\" at {addr}{} ({url})", detail_suffix(.detail))]
    Authentication {
        user: String,
        addr: String,
        /// 28P01 (wrong password) or 28000 (rejected by pg_hba.conf, or NOLOGIN).
        code: &'static str,
        /// The server's own words when they add something (e.g. a pg_hba.conf rejection).
        detail: Option<String>,
        url: String,
    },
    #[error("database \"{database}\" does not exist at {addr} ({url})")]
    MissingDatabase {
        database: String,
        addr: String,
        url: String,
    },
    #[error("PostgreSQL at {addr} refused the connection: {message} ({url})")]
    Server {
        addr: String,
        /// SQLSTATE, when the server sent one.
        code: Option<String>,
        message: String,
        url: String,
    },
}

/// A statement the server refused (or a connection lost while it ran), in the server's
/// words: the exit code mapping (`crate::exit`) tells it from a usage error by this type.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StatementError(pub String);

impl StatementError {
    /// `context: <the server's message>`.
    pub fn error(context: impl std::fmt::Display, err: &DbErr) -> anyhow::Error {
        anyhow::Error::new(StatementError(format!("{context}: {}", describe(err))))
    }
}

impl DbError {
    /// The SQLSTATE behind the error, when the server sent one.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            DbError::Authentication { code, .. } => Some(code),
            DbError::MissingDatabase { .. } => Some("3D000"),
            DbError::Server { code, .. } => code.as_deref(),
            DbError::InvalidUrl { .. } | DbError::Unreachable { .. } => None,
        }
    }
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_ref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

/// The admin URL: the `--admin-url` flag, else `SCHEMACTL_ADMIN_URL`, else the project-local
/// server. `.env` files are loaded by the CLI at start-up, so they count as environment here.
pub fn resolve_admin_url(flag: Option<&str>) -> anyhow::Result<String> {
    if let Some(url) = flag.filter(|u| !u.trim().is_empty()) {
        return Ok(url.to_string());
    }
    match std::env::var(ADMIN_URL_ENV) {
        Ok(url) if !url.trim().is_empty() => return Ok(url),
        Ok(_) | Err(std::env::VarError::NotPresent) => {}
        Err(std::env::VarError::NotUnicode(_)) => {
            anyhow::bail!("environment variable {ADMIN_URL_ENV} is not valid UTF-8")
        }
    }
    crate::local::admin_url()
}

/// Connects and checks the connection at once, so that a wrong host, port, password or
/// database name is reported as such rather than as a pool timeout later.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbError> {
    let options = parse_options(url)?;
    let target = Target::of(&options, url);
    // sqlx's pool retries a refused connection until its acquire timeout and then reports
    // only "pool timed out". One direct connection first gives the real cause immediately.
    let probe = open(&options, &target).await?;
    let _ = probe.close().await;

    let mut opts = ConnectOptions::new(url);
    opts.connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(CONNECT_TIMEOUT)
        .min_connections(0)
        .max_connections(4)
        .sqlx_logging(false);
    Database::connect(opts)
        .await
        .map_err(|err| match sqlx_error(&err) {
            Some(e) => target.classify(e),
            None => target.server(None, err.to_string()),
        })
}

/// Pool options holding a single connection: session state (an advisory lock, `SET ROLE`,
/// SQLite PRAGMAs) then covers every statement, and every connection to
/// `sqlite::memory:` is a database of its own.
pub fn single_connection(url: String) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    options
}

/// A pool of [`single_connection`] to `url`. PostgreSQL URLs are probed first, as in
/// [`connect`], so a wrong host, port or password is named at once, not after the pool's
/// 30-second acquire timeout.
pub async fn connect_single(url: &str) -> anyhow::Result<DatabaseConnection> {
    if !crate::sqlite::is_url(url) {
        let options = parse_options(url)?;
        let target = Target::of(&options, url);
        let probe = open(&options, &target).await?;
        let _ = probe.close().await;
    }
    Database::connect(single_connection(url.to_string()))
        .await
        .map_err(|e| StatementError::error(format_args!("cannot connect to {}", redact(url)), &e))
}

/// Opens one plain connection (no pool) with the connect timeout. Used for the connection
/// check above and to test whether a role can log in with a given password.
pub(crate) async fn open(
    options: &PgConnectOptions,
    target: &Target,
) -> Result<PgConnection, DbError> {
    let options = options.clone().disable_statement_logging();
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(err)) => Err(target.classify(&err)),
        Err(_) => Err(DbError::Unreachable {
            addr: target.addr.clone(),
            reason: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            url: target.url.clone(),
        }),
    }
}

/// One plain connection (no pool) to `url`, for a command that streams on it (`export`).
pub async fn connect_plain(url: &str) -> Result<PgConnection, DbError> {
    let options = parse_options(url)?;
    let target = Target::of(&options, url);
    open(&options, &target).await
}

fn parse_options(url: &str) -> Result<PgConnectOptions, DbError> {
    url.parse::<PgConnectOptions>()
        .map_err(|err| DbError::InvalidUrl {
            url: redact(url),
            reason: match err {
                sqlx::Error::Configuration(e) => e.to_string(),
                other => other.to_string(),
            },
        })
}

/// What a connection was aimed at, already redacted, for error messages.
pub(crate) struct Target {
    pub(crate) addr: String,
    pub(crate) user: String,
    pub(crate) database: String,
    pub(crate) url: String,
}

impl Target {
    pub(crate) fn of(options: &PgConnectOptions, url: &str) -> Target {
        let addr = match options.get_socket() {
            Some(socket) => socket.display().to_string(),
            None => format!("{}:{}", options.get_host(), options.get_port()),
        };
        let user = options.get_username().to_string();
        Target {
            addr,
            database: options.get_database().unwrap_or(&user).to_string(),
            user,
            url: redact(url),
        }
    }

    fn server(&self, code: Option<String>, message: String) -> DbError {
        DbError::Server {
            addr: self.addr.clone(),
            code,
            message,
            url: self.url.clone(),
        }
    }

    /// Sorts a connection failure by its SQLSTATE or I/O kind, not by its wording, which
    /// changes between versions and languages.
    pub(crate) fn classify(&self, err: &sqlx::Error) -> DbError {
        match err {
            sqlx::Error::Io(io) => DbError::Unreachable {
                addr: self.addr.clone(),
                reason: io_reason(io),
                url: self.url.clone(),
            },
            sqlx::Error::PoolTimedOut => DbError::Unreachable {
                addr: self.addr.clone(),
                reason: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
                url: self.url.clone(),
            },
            sqlx::Error::Tls(e) => DbError::Unreachable {
                addr: self.addr.clone(),
                reason: format!("TLS failed: {e}"),
                url: self.url.clone(),
            },
            sqlx::Error::Configuration(e) => DbError::InvalidUrl {
                url: self.url.clone(),
                reason: e.to_string(),
            },
            sqlx::Error::Database(db) => {
                let code = db.code().map(|c| c.into_owned());
                match code.as_deref() {
                    Some("28P01") => DbError::Authentication {
                        user: self.user.clone(),
                        addr: self.addr.clone(),
                        code: "28P01",
                        detail: None,
                        url: self.url.clone(),
                    },
                    // 28000 covers pg_hba.conf rejections and NOLOGIN roles; the server's
                    // message says which.
                    Some("28000") => DbError::Authentication {
                        user: self.user.clone(),
                        addr: self.addr.clone(),
                        code: "28000",
                        detail: Some(db.message().to_string()),
                        url: self.url.clone(),
                    },
                    Some("3D000") => DbError::MissingDatabase {
                        database: self.database.clone(),
                        addr: self.addr.clone(),
                        url: self.url.clone(),
                    },
                    _ => self.server(code, db.message().to_string()),
                }
            }
            other => self.server(None, other.to_string()),
        }
    }
}

fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::ConnectionRefused => "connection refused".to_string(),
        ErrorKind::TimedOut => "connection timed out".to_string(),
        ErrorKind::ConnectionReset => "connection reset by the server".to_string(),
        ErrorKind::NotFound => "no such socket".to_string(),
        _ => err.to_string(),
    }
}

/// The sqlx error under a sea-orm error, when there is one.
pub fn sqlx_error(err: &DbErr) -> Option<&sqlx::Error> {
    match err {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e.as_ref()),
        _ => None,
    }
}

/// The SQLSTATE of a statement that failed on the server.
pub fn sqlstate(err: &DbErr) -> Option<String> {
    sqlx_error(err)?
        .as_database_error()?
        .code()
        .map(|c| c.into_owned())
}

/// The server's message for a failed statement, with its detail and hint, without the
/// wrapper text of the client libraries.
pub fn describe(err: &DbErr) -> String {
    let Some(db) = sqlx_error(err).and_then(|e| e.as_database_error()) else {
        return err.to_string();
    };
    let mut out = db.message().to_string();
    if let Some(pg) = db.try_downcast_ref::<PgDatabaseError>() {
        if let Some(detail) = pg.detail() {
            out.push_str("\nDETAIL: ");
            out.push_str(detail);
        }
        if let Some(hint) = pg.hint() {
            out.push_str("\nHINT: ");
            out.push_str(hint);
        }
    }
    out
}

/// Where in the statement the server found the error (1-based, in characters).
pub fn error_position(err: &DbErr) -> Option<usize> {
    let db = sqlx_error(err).and_then(|e| e.as_database_error())?;
    let pg = db.try_downcast_ref::<PgDatabaseError>()?;
    match pg.position()? {
        sqlx::postgres::PgErrorPosition::Original(p) => Some(p),
        sqlx::postgres::PgErrorPosition::Internal { .. } => None,
    }
}

/// Runs a catalog query with bound parameters (`$1`, …); errors carry the server's words.
pub async fn query_all<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> anyhow::Result<Vec<QueryResult>> {
    let statement = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    conn.query_all_raw(statement)
        .await
        .map_err(|e| StatementError::error("catalog query failed", &e))
}

/// Like [`query_all`], for at most one row.
pub async fn query_opt<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> anyhow::Result<Option<QueryResult>> {
    let statement = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    conn.query_one_raw(statement)
        .await
        .map_err(|e| StatementError::error("catalog query failed", &e))
}

/// Like [`query_all`], for exactly one row.
pub async fn query_one<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> anyhow::Result<QueryResult> {
    query_opt(conn, sql, values)
        .await?
        .ok_or_else(|| anyhow::anyhow!("catalog query returned no row: {sql}"))
}

/// Creates the empty database `name` from `template0`, owned by `owner` when given: the
/// throwaway databases of scratch normalization, `apply --proof` and `import`. The error
/// carries the server's words after `what` (e.g. "cannot create a scratch database").
pub async fn create_database<C: ConnectionTrait>(
    server: &C,
    name: &str,
    owner: Option<&str>,
    what: &str,
) -> anyhow::Result<()> {
    let owner = owner
        .map(|o| format!(" OWNER {}", crate::sql::ident(o)))
        .unwrap_or_default();
    server
        .execute_unprepared(&format!(
            "CREATE DATABASE {}{owner} TEMPLATE template0",
            crate::sql::ident(name)
        ))
        .await
        .map(drop)
        .map_err(|e| anyhow::anyhow!("{what}: {}", describe(&e)))
}

/// Drops the database `name`, ending the sessions still connected to it (`WITH (FORCE)`):
/// for a throwaway database whose work is over, used by no one else.
pub async fn drop_database_forced<C: ConnectionTrait>(
    server: &C,
    name: &str,
) -> anyhow::Result<()> {
    server
        .execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            crate::sql::ident(name)
        ))
        .await
        .map(drop)
        .map_err(|e| anyhow::anyhow!("cannot drop database {name}: {}", describe(&e)))
}

/// The URL with its password (in the user info or a `password=` parameter) replaced by
/// `***`.
pub fn redact(url: &str) -> String {
    match Url::parse(url) {
        Some(mut parts) => {
            if parts.password.is_some() {
                parts.password = Some("***".to_string());
            }
            parts.query = parts.query.map(|q| redact_query(&q));
            parts.render()
        }
        // A key/value connection string (`host=… password=…`), or something unparseable:
        // mask every password value and anything that looks like user info.
        None => match url.rfind('@') {
            Some(at) if !url.contains('=') => format!("***{}", &url[at..]),
            _ => redact_keyvalue(url),
        },
    }
}

fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn redact_keyvalue(text: &str) -> String {
    text.split_whitespace()
        .map(|token| match token.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => token.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `host[:port]` part of a URL, to tell servers apart.
pub fn host_of(url: &str) -> Option<String> {
    Url::parse(url).map(|parts| parts.host)
}

/// The same server and credentials, another database. Query parameters are kept, except a
/// `dbname` that would override the path.
pub fn with_database(url: &str, database: &str) -> anyhow::Result<String> {
    let mut parts =
        Url::parse(url).ok_or_else(|| anyhow::anyhow!("not a PostgreSQL URL: {}", redact(url)))?;
    parts.path = Some(percent_encode(database));
    parts.query = parts.query.and_then(|q| drop_params(&q, &["dbname"]));
    Ok(parts.render())
}

/// The same server and database, logged in as another role.
pub fn with_credentials(url: &str, user: &str, password: &str) -> anyhow::Result<String> {
    let mut parts =
        Url::parse(url).ok_or_else(|| anyhow::anyhow!("not a PostgreSQL URL: {}", redact(url)))?;
    parts.user = Some(percent_encode(user));
    parts.password = Some(percent_encode(password));
    parts.query = parts
        .query
        .and_then(|q| drop_params(&q, &["user", "password"]));
    Ok(parts.render())
}

/// The same URL, with `schema` before `public` on the session's search path from the
/// start of each connection, so that `RESET search_path` returns to it too.
pub fn with_search_path(url: &str, schema: &str) -> anyhow::Result<String> {
    let mut parts =
        Url::parse(url).ok_or_else(|| anyhow::anyhow!("not a PostgreSQL URL: {}", redact(url)))?;
    let value = format!("{}, public", crate::sql::ident(schema));
    let param = format!("options%5Bsearch_path%5D={}", percent_encode(&value));
    parts.query = Some(match parts.query.take() {
        Some(query) => format!("{query}&{param}"),
        None => param,
    });
    Ok(parts.render())
}

/// The database a URL names (its path), if it names one.
pub fn database_of(url: &str) -> Option<String> {
    Url::parse(url).and_then(|parts| parts.path)
}

/// The server a URL connects to, as `host:port` (the port as written, if any), for
/// grouping targets by server.
pub fn server_of(url: &str) -> Option<String> {
    Url::parse(url).map(|parts| parts.host)
}

fn drop_params(query: &str, keys: &[&str]) -> Option<String> {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(k, _)| k);
            !pair.is_empty() && !keys.iter().any(|k| k.eq_ignore_ascii_case(key))
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join("&"))
}

/// Everything but RFC 3986's unreserved characters is escaped, so any name survives.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `postgres://` URL split the way RFC 3986 does: the authority ends at the first `/`, `?`
/// or `#`, and the user info at the last `@` inside it. Components stay percent-encoded.
struct Url {
    scheme: String,
    user: Option<String>,
    password: Option<String>,
    host: String,
    path: Option<String>,
    query: Option<String>,
    fragment: Option<String>,
}

impl Url {
    fn parse(url: &str) -> Option<Url> {
        let (scheme, rest) = url.split_once("://")?;
        if !matches!(scheme, "postgres" | "postgresql") {
            return None;
        }
        let (rest, fragment) = match rest.split_once('#') {
            Some((r, f)) => (r, Some(f.to_string())),
            None => (rest, None),
        };
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (Some(u.to_string()), Some(p.to_string())),
                None => (Some(info.to_string()), None),
            },
            None => (None, None),
        };
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (tail, None),
        };
        let path = path.strip_prefix('/').unwrap_or(path);
        Some(Url {
            scheme: scheme.to_string(),
            user,
            password,
            host: host.to_string(),
            path: (!path.is_empty()).then(|| path.to_string()),
            query: query.filter(|q| !q.is_empty()),
            fragment,
        })
    }

    fn render(&self) -> String {
        let mut out = format!("{}://", self.scheme);
        if let Some(user) = &self.user {
            out.push_str(user);
            if let Some(password) = &self.password {
                out.push(':');
                out.push_str(password);
            }
            out.push('@');
        }
        out.push_str(&self.host);
        if let Some(path) = &self.path {
            out.push('/');
            out.push_str(path);
        }
        if let Some(query) = &self.query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = &self.fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins() {
        assert_eq!(
            resolve_admin_url(Some("postgres://a@b/c")).unwrap(),
            "postgres://a@b/c"
        );
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://postgres:s3cr%40t@127.0.0.1:54318/postgres"),
            "postgres://postgres:***@127.0.0.1:54318/postgres"
        );
        assert_eq!(
            redact("postgresql://u@h/db?password=x&sslmode=disable"),
            "postgresql://u@h/db?password=***&sslmode=disable"
        );
        assert_eq!(redact("postgres://h:5432/db"), "postgres://h:5432/db");
        assert_eq!(
            redact("host=h user=u password=secret"),
            "host=h user=u password=***"
        );
        assert!(!redact("weird:secret@host").contains("secret"));
    }

    #[test]
    fn swaps_database_and_credentials() {
        let url = "postgres://postgres:pw@127.0.0.1:54318/postgres?sslmode=disable&dbname=x";
        assert_eq!(
            with_database(url, "my db").unwrap(),
            "postgres://postgres:pw@127.0.0.1:54318/my%20db?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h", "d").unwrap(),
            "postgres://h/d"
        );
        assert_eq!(
            with_credentials(url, "ims_user", "p@ss:w/rd").unwrap(),
            "postgres://ims_user:p%40ss%3Aw%2Frd@127.0.0.1:54318/postgres?sslmode=disable&dbname=x"
        );
    }

    #[test]
    fn search_path_reaches_the_connection_options() {
        let url = with_search_path("postgres://a@h:5/d?sslmode=disable", "Tenant 1").unwrap();
        assert_eq!(server_of(&url).as_deref(), Some("h:5"));
        let options: PgConnectOptions = url.parse().unwrap();
        assert_eq!(
            options.get_options(),
            Some(r#"-c search_path="Tenant\ 1",\ public"#)
        );
    }

    #[test]
    fn encoded_credentials_parse_back() {
        let url = with_credentials("postgres://a:b@localhost:5432/d", "r", "p@ss:w/rd?#").unwrap();
        let options: PgConnectOptions = url.parse().unwrap();
        assert_eq!(options.get_username(), "r");
        assert_eq!(options.get_database(), Some("d"));
    }
}
