//! The cluster-level phase of `provision`: roles, their memberships and passwords, the
//! admin's access to the owners, and the database itself. It runs on the admin connection
//! before anything inside the database.
//!
//! It is split into a plan ([`plan_cluster`], which only reads the catalogs) and its
//! execution ([`execute_cluster`]), so that `--dry-run` prints exactly the statements a real
//! run would execute and changes nothing. Each step is computed from what the server already
//! has, so a second run plans nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, IsTerminal as _, Write as _};

use anyhow::{Context as _, anyhow, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};

use crate::db::{self, query_all, query_one, query_opt};
use crate::model::{Model, Role};
use crate::provision::summary::Summary;
use crate::sql;

/// Whether a step makes something new or alters something that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Changed,
    Dropped,
    /// Part of creating an object this run creates (the comment on a new role): not
    /// counted on its own.
    PartOfCreation,
}

/// One statement of the cluster phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterStep {
    /// The statement to execute; may contain a password literal, so never print it.
    pub sql: String,
    /// The statement as it may be shown and logged: password literals are `'***'`.
    pub display: String,
    /// What the summary counts it as: "role", "role password", "role membership",
    /// "database", "comment".
    pub kind: &'static str,
    pub change: Change,
    /// The role or database the step acts on, unquoted (for a membership, the member), so
    /// that callers need not parse `sql`.
    pub object: String,
}

impl ClusterStep {
    fn new(object: &str, sql: String, kind: &'static str, change: Change) -> ClusterStep {
        ClusterStep {
            display: sql.clone(),
            sql,
            kind,
            change,
            object: object.to_string(),
        }
    }

    /// `CREATE DATABASE` and `DROP DATABASE` refuse to run inside a transaction block.
    pub fn needs_own_transaction(&self) -> bool {
        self.sql.starts_with("CREATE DATABASE")
            || self.sql.starts_with("DROP DATABASE")
            || self.sql.starts_with("SELECT pg_terminate_backend")
    }
}

/// Every role password the model names that the environment does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.lines().join("\n"))]
pub struct MissingPasswords {
    pub missing: Vec<MissingPassword>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingPassword {
    pub role: String,
    pub variable: String,
    /// "is not set", "is empty" or "is not valid UTF-8".
    pub problem: &'static str,
}

impl MissingPasswords {
    fn lines(&self) -> Vec<String> {
        self.missing
            .iter()
            .map(|m| {
                format!(
                    "role \"{}\": environment variable {} {}",
                    m.role, m.variable, m.problem
                )
            })
            .collect()
    }
}

/// Reads every role's password variable up front, so that a missing one is reported (all of
/// them at once) before any statement runs. Keyed by role name.
pub fn read_passwords(model: &Model) -> Result<BTreeMap<String, String>, MissingPasswords> {
    let mut found = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, role) in &model.roles {
        let Some(variable) = &role.password_env else {
            continue;
        };
        let problem = match std::env::var(variable) {
            // PostgreSQL turns an empty password into "no password" with only a notice.
            Ok(value) if value.is_empty() => "is empty",
            Ok(value) => {
                found.insert(name.clone(), value);
                continue;
            }
            Err(std::env::VarError::NotPresent) => "is not set",
            Err(std::env::VarError::NotUnicode(_)) => "is not valid UTF-8",
        };
        missing.push(MissingPassword {
            role: name.clone(),
            variable: variable.clone(),
            problem,
        });
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(MissingPasswords { missing })
    }
}

/// With `--yes`, go ahead. Otherwise ask on a terminal, and refuse when nobody can answer.
pub fn confirm_recreate(database: &str, yes: bool) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(crate::exit::UsageError(format!(
            "refusing to drop database \"{database}\" without confirmation: pass --yes to \
             recreate it non-interactively"
        ))
        .into());
    }
    let mut stderr = std::io::stderr();
    write!(stderr, "Drop and recreate database {database}? [y/N] ")?;
    stderr.flush()?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(crate::exit::Refused(format!(
            "not recreating database \"{database}\": not confirmed"
        ))
        .into()),
    }
}

/// Whether the admin connection's role is a superuser.
pub async fn admin_is_superuser(admin: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(server_facts(admin).await?.superuser)
}

/// What the plan needs to know about the admin session.
struct ServerFacts {
    user: String,
    database: String,
    version: i32,
    superuser: bool,
}

async fn server_facts(admin: &DatabaseConnection) -> anyhow::Result<ServerFacts> {
    let row = query_one(
        admin,
        "SELECT current_user::text AS usr, current_database()::text AS db, \
         current_setting('server_version_num')::int AS version, \
         (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser",
        vec![],
    )
    .await?;
    Ok(ServerFacts {
        user: row.try_get("", "usr")?,
        database: row.try_get("", "db")?,
        version: row.try_get("", "version")?,
        superuser: row
            .try_get::<Option<bool>>("", "superuser")?
            .unwrap_or(false),
    })
}

/// A role as the server has it.
struct LiveRole {
    login: bool,
    inherit: bool,
    createdb: bool,
    createrole: bool,
    bypassrls: bool,
    connection_limit: i32,
    comment: Option<String>,
}

async fn live_roles(
    admin: &DatabaseConnection,
    names: &[String],
) -> anyhow::Result<BTreeMap<String, LiveRole>> {
    let rows = query_all(
        admin,
        "SELECT rolname::text AS name, rolcanlogin, rolinherit, rolcreatedb, rolcreaterole, \
         rolbypassrls, rolconnlimit, shobj_description(oid, 'pg_authid') AS comment \
         FROM pg_roles WHERE rolname = ANY($1)",
        vec![names.to_vec().into()],
    )
    .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        out.insert(
            row.try_get("", "name")?,
            LiveRole {
                login: row.try_get("", "rolcanlogin")?,
                inherit: row.try_get("", "rolinherit")?,
                createdb: row.try_get("", "rolcreatedb")?,
                createrole: row.try_get("", "rolcreaterole")?,
                bypassrls: row.try_get("", "rolbypassrls")?,
                connection_limit: row.try_get("", "rolconnlimit")?,
                comment: row.try_get("", "comment")?,
            },
        );
    }
    Ok(out)
}

/// `(parent, member)` pairs among the model's roles.
async fn live_memberships(
    admin: &DatabaseConnection,
    members: &[String],
) -> anyhow::Result<BTreeSet<(String, String)>> {
    let rows = query_all(
        admin,
        "SELECT p.rolname::text AS parent, m.rolname::text AS member \
         FROM pg_auth_members a \
         JOIN pg_roles p ON p.oid = a.roleid \
         JOIN pg_roles m ON m.oid = a.member \
         WHERE m.rolname = ANY($1)",
        vec![members.to_vec().into()],
    )
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "parent")?, row.try_get("", "member")?)))
        .collect()
}

/// The statements that bring the cluster in line with the model, in execution order.
/// Nothing is changed; see [`execute_cluster`].
pub async fn plan_cluster(
    admin: &DatabaseConnection,
    model: &Model,
    database: &str,
    passwords: &BTreeMap<String, String>,
    recreate: bool,
) -> anyhow::Result<Vec<ClusterStep>> {
    let facts = server_facts(admin).await?;
    let names: Vec<String> = model.roles.keys().cloned().collect();
    let live = live_roles(admin, &names).await?;
    let memberships = live_memberships(admin, &names).await?;
    let stale = stale_passwords(admin, &facts, model, &live, passwords).await?;

    let mut steps = Vec::new();
    role_steps(model, &live, passwords, &stale, &mut steps)?;
    membership_steps(model, &live, &memberships, &mut steps);
    admin_access_steps(admin, &facts, model, &live, &mut steps).await?;
    database_steps(admin, &facts, model, database, recreate, &mut steps).await?;
    Ok(steps)
}

/// Roles that exist, can log in, and whose model password must be (re)applied.
///
/// A password cannot be read back (`pg_authid` holds only a salted SCRAM verifier, and only
/// a superuser may read it), so the check is behavioural: a short login as the role, with
/// the environment's password, to the admin's database. If that login works, the password
/// is already right and nothing is planned, which keeps a second run a true no-op. If it
/// fails for any reason (wrong password, or a cause we cannot tell apart from one, such as
/// a revoked CONNECT), the password is set: setting it is always safe. The flip side: under
/// a `trust` rule in pg_hba.conf every login works, so a changed password goes unnoticed.
async fn stale_passwords(
    admin: &DatabaseConnection,
    facts: &ServerFacts,
    model: &Model,
    live: &BTreeMap<String, LiveRole>,
    passwords: &BTreeMap<String, String>,
) -> anyhow::Result<BTreeSet<String>> {
    let mut stale = BTreeSet::new();
    if admin.get_database_backend() != DbBackend::Postgres {
        bail!("the admin connection is not a PostgreSQL connection");
    }
    let base = admin
        .get_postgres_connection_pool()
        .connect_options()
        .as_ref()
        .clone()
        .database(&facts.database);
    // The logins are independent: trying them all at once costs one round of SCRAM.
    let mut checks = tokio::task::JoinSet::new();
    for (name, role) in &model.roles {
        let (Some(password), Some(current)) = (passwords.get(name), live.get(name)) else {
            continue;
        };
        if !role.login {
            continue;
        }
        if !current.login {
            // Becoming LOGIN in this run: the login cannot be tried, so set the password.
            stale.insert(name.clone());
            continue;
        }
        let options = base.clone().username(name).password(password);
        let name = name.clone();
        checks.spawn(async move {
            let target = db::Target::of(&options, "");
            match db::open(&options, &target).await {
                Ok(conn) => {
                    use sea_orm::sqlx::Connection as _;
                    let _ = conn.close().await;
                    None
                }
                Err(err) => {
                    tracing::debug!(role = %name, code = ?err.sqlstate(), "password check failed");
                    Some(name)
                }
            }
        });
    }
    while let Some(result) = checks.join_next().await {
        if let Some(name) = result? {
            stale.insert(name);
        }
    }
    Ok(stale)
}

/// CREATE ROLE for the missing, ALTER ROLE for attributes that differ, passwords, comments.
fn role_steps(
    model: &Model,
    live: &BTreeMap<String, LiveRole>,
    passwords: &BTreeMap<String, String>,
    stale: &BTreeSet<String>,
    steps: &mut Vec<ClusterStep>,
) -> anyhow::Result<()> {
    let password_of = |name: &str, role: &Role| -> anyhow::Result<Option<String>> {
        match (&role.password_env, passwords.get(name)) {
            (Some(_), Some(p)) => Ok(Some(p.clone())),
            (None, _) => Ok(None),
            (Some(var), None) => Err(anyhow!(
                "role \"{name}\": the password from {var} was not read (call read_passwords first)"
            )),
        }
    };
    for (name, role) in &model.roles {
        let Some(current) = live.get(name) else {
            let mut attrs = vec![if role.login { "LOGIN" } else { "NOLOGIN" }.to_string()];
            attrs.extend(attribute_changes(role, &LiveRole::DEFAULT));
            let head = format!("CREATE ROLE {} WITH {}", sql::ident(name), attrs.join(" "));
            let password = password_of(name, role)?;
            steps.push(with_password(
                name,
                head,
                password,
                "role",
                Change::Created,
            )?);
            if let Some(comment) = &role.comment {
                steps.push(role_comment(name, comment, Change::PartOfCreation));
            }
            continue;
        };
        let mut attrs = Vec::new();
        if role.login != current.login {
            attrs.push(if role.login { "LOGIN" } else { "NOLOGIN" }.to_string());
        }
        attrs.extend(attribute_changes(role, current));
        if !attrs.is_empty() {
            steps.push(ClusterStep::new(
                name,
                format!("ALTER ROLE {} WITH {}", sql::ident(name), attrs.join(" ")),
                "role",
                Change::Changed,
            ));
        }
        if stale.contains(name) {
            let head = format!("ALTER ROLE {} WITH", sql::ident(name));
            steps.push(with_password(
                name,
                head,
                password_of(name, role)?,
                "role password",
                Change::Changed,
            )?);
        }
        if let Some(comment) = &role.comment
            && current.comment.as_deref() != Some(comment.as_str())
        {
            steps.push(role_comment(name, comment, Change::Changed));
        }
    }
    Ok(())
}

impl LiveRole {
    /// What CREATE ROLE gives when an attribute is not mentioned.
    const DEFAULT: LiveRole = LiveRole {
        login: false,
        inherit: true,
        createdb: false,
        createrole: false,
        bypassrls: false,
        connection_limit: -1,
        comment: None,
    };
}

/// The role options (other than LOGIN) whose model value differs from `current`.
fn attribute_changes(role: &Role, current: &LiveRole) -> Vec<String> {
    let flags = [
        (role.inherit, current.inherit, "INHERIT"),
        (role.createdb, current.createdb, "CREATEDB"),
        (role.createrole, current.createrole, "CREATEROLE"),
        (role.bypassrls, current.bypassrls, "BYPASSRLS"),
    ];
    let mut out: Vec<String> = flags
        .iter()
        .filter(|(want, have, _)| want != have)
        .map(|(want, _, word)| {
            if *want {
                word.to_string()
            } else {
                format!("NO{word}")
            }
        })
        .collect();
    if role.connection_limit != current.connection_limit {
        out.push(format!("CONNECTION LIMIT {}", role.connection_limit));
    }
    out
}

/// Appends `PASSWORD 'SCRAM-SHA-256$…'` to `head`, masked in the display text: the
/// password's verifier, computed here, as psql's `\password` does, so that the password
/// itself never reaches the server's statement log.
fn with_password(
    object: &str,
    head: String,
    password: Option<String>,
    kind: &'static str,
    change: Change,
) -> anyhow::Result<ClusterStep> {
    Ok(match password {
        Some(password) => ClusterStep {
            sql: format!(
                "{head} PASSWORD {}",
                sql::literal(&super::scram::verifier(&password)?)
            ),
            display: format!("{head} PASSWORD '***'"),
            kind,
            change,
            object: object.to_string(),
        },
        None => ClusterStep::new(object, head, kind, change),
    })
}

fn role_comment(name: &str, comment: &str, change: Change) -> ClusterStep {
    ClusterStep::new(
        name,
        format!(
            "COMMENT ON ROLE {} IS {}",
            sql::ident(name),
            sql::literal(comment)
        ),
        "comment",
        change,
    )
}

/// GRANT for every `member_of` the server does not have yet.
fn membership_steps(
    model: &Model,
    live: &BTreeMap<String, LiveRole>,
    memberships: &BTreeSet<(String, String)>,
    steps: &mut Vec<ClusterStep>,
) {
    for (name, role) in &model.roles {
        for parent in &role.member_of {
            let have =
                live.contains_key(name) && memberships.contains(&(parent.clone(), name.clone()));
            if !have {
                steps.push(ClusterStep::new(
                    name,
                    format!("GRANT {} TO {}", sql::ident(parent), sql::ident(name)),
                    "role membership",
                    Change::Created,
                ));
            }
        }
    }
}

/// The seed's `GRANT app_user TO admin_user` fix, generalized. A non-superuser admin may
/// create a database for another owner, or hand a schema to another role, only if it can
/// SET ROLE to that owner (PostgreSQL 16+; membership before 16). Since 16, a CREATEROLE
/// admin that created a role holds it only WITH ADMIN OPTION, INHERIT FALSE, SET FALSE, so
/// the grant is needed even for roles this very run creates; the ADMIN OPTION is what lets
/// the admin grant it to itself. INHERIT TRUE lets the in-database phase use the owner's
/// privileges without switching roles.
async fn admin_access_steps(
    admin: &DatabaseConnection,
    facts: &ServerFacts,
    model: &Model,
    live: &BTreeMap<String, LiveRole>,
    steps: &mut Vec<ClusterStep>,
) -> anyhow::Result<()> {
    if facts.superuser {
        return Ok(());
    }
    let mut owners: BTreeSet<&str> = BTreeSet::new();
    owners.extend(model.database.owner.as_deref());
    for schema in model.schemas.values() {
        owners.extend(schema.owner.as_deref());
        // The admin hands objects over to their owners and acts for them afterwards.
        owners.extend(schema.owned_objects().iter().map(|o| o.owner));
        owners.extend(
            schema
                .default_privileges
                .iter()
                .filter_map(|d| d.for_role.as_deref()),
        );
    }
    owners.remove(facts.user.as_str());

    // Owners that exist already but are not in the model's roles are checked as well.
    let mut existing: Vec<String> = owners
        .iter()
        .filter(|o| live.contains_key(**o) || !model.roles.contains_key(**o))
        .map(|o| o.to_string())
        .collect();
    existing.sort();
    let usable = usable_roles(admin, facts, &existing).await?;

    for owner in owners {
        if usable.contains(owner) {
            continue;
        }
        let options = if facts.version >= 160_000 {
            " WITH INHERIT TRUE, SET TRUE"
        } else {
            ""
        };
        steps.push(ClusterStep::new(
            &facts.user,
            format!(
                "GRANT {} TO {}{options}",
                sql::ident(owner),
                sql::ident(&facts.user)
            ),
            "role membership",
            Change::Created,
        ));
    }
    Ok(())
}

/// Which of `roles` (that exist) the admin can already SET ROLE to and inherit from.
async fn usable_roles(
    admin: &DatabaseConnection,
    facts: &ServerFacts,
    roles: &[String],
) -> anyhow::Result<BTreeSet<String>> {
    if roles.is_empty() {
        return Ok(BTreeSet::new());
    }
    let test = if facts.version >= 160_000 {
        "pg_has_role(current_user, oid, 'SET') AND pg_has_role(current_user, oid, 'USAGE')"
    } else {
        "pg_has_role(current_user, oid, 'MEMBER')"
    };
    let rows = query_all(
        admin,
        &format!("SELECT rolname::text AS name FROM pg_roles WHERE rolname = ANY($1) AND {test}"),
        vec![roles.to_vec().into()],
    )
    .await?;
    rows.iter().map(|r| Ok(r.try_get("", "name")?)).collect()
}

/// DROP (with `recreate`), CREATE, or ALTER OWNER of the database, and its comment.
async fn database_steps(
    admin: &DatabaseConnection,
    facts: &ServerFacts,
    model: &Model,
    database: &str,
    recreate: bool,
    steps: &mut Vec<ClusterStep>,
) -> anyhow::Result<()> {
    let row = query_opt(
        admin,
        "SELECT pg_get_userbyid(datdba)::text AS owner, \
         pg_encoding_to_char(encoding)::text AS encoding, \
         shobj_description(oid, 'pg_database') AS comment \
         FROM pg_database WHERE datname = $1",
        vec![database.into()],
    )
    .await?;
    let mut exists = row.is_some();
    let name = sql::ident(database);
    let spec = &model.database;

    if recreate && exists {
        if facts.database == database {
            bail!(
                "cannot recreate database \"{database}\": the admin connection is using it; \
                 point the admin URL at another database (e.g. postgres)"
            );
        }
        if facts.version >= 130_000 {
            // FORCE terminates the other sessions itself, atomically with the drop.
            steps.push(ClusterStep::new(
                database,
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                "database",
                Change::Dropped,
            ));
        } else {
            steps.push(ClusterStep::new(
                database,
                format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = {} AND pid <> pg_backend_pid()",
                    sql::literal(database)
                ),
                "connection",
                Change::PartOfCreation,
            ));
            steps.push(ClusterStep::new(
                database,
                format!("DROP DATABASE IF EXISTS {name}"),
                "database",
                Change::Dropped,
            ));
        }
        exists = false;
    }

    let live_comment: Option<String> = match (&row, exists) {
        (Some(row), true) => {
            let owner: String = row.try_get("", "owner")?;
            let encoding: String = row.try_get("", "encoding")?;
            if let Some(want) = &spec.owner
                && *want != owner
            {
                steps.push(ClusterStep::new(
                    database,
                    format!("ALTER DATABASE {name} OWNER TO {}", sql::ident(want)),
                    "database",
                    Change::Changed,
                ));
            }
            if let Some(want) = &spec.encoding
                && !same_encoding(want, &encoding)
            {
                tracing::warn!(
                    "database \"{database}\" has encoding {encoding}, the model says {want}; \
                     an encoding cannot be changed in place (use --recreate)"
                );
            }
            row.try_get("", "comment")?
        }
        _ => {
            let mut create = format!("CREATE DATABASE {name}");
            if let Some(owner) = &spec.owner {
                create.push_str(&format!(" OWNER {}", sql::ident(owner)));
            }
            if let Some(encoding) = &spec.encoding {
                create.push_str(&format!(" ENCODING {}", sql::literal(encoding)));
            }
            if let Some(locale) = &spec.locale {
                create.push_str(&format!(" LOCALE {}", sql::literal(locale)));
            }
            // template0: template1 may carry local additions (extensions, objects) that
            // the model does not declare.
            create.push_str(" TEMPLATE template0");
            steps.push(ClusterStep::new(
                database,
                create,
                "database",
                Change::Created,
            ));
            None
        }
    };
    if let Some(comment) = &spec.comment
        && live_comment.as_deref() != Some(comment.as_str())
    {
        // A database created (or recreated) by this run gets its comment as part of that.
        let change = if exists {
            Change::Changed
        } else {
            Change::PartOfCreation
        };
        steps.push(ClusterStep::new(
            database,
            format!("COMMENT ON DATABASE {name} IS {}", sql::literal(comment)),
            "comment",
            change,
        ));
    }
    Ok(())
}

/// `UTF8`, `utf8` and `UTF-8` all name the same encoding to PostgreSQL.
fn same_encoding(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

/// Runs the planned steps, logging each (passwords masked) and counting it into `summary`.
///
/// Role statements up to the first database statement run in one transaction, so that a
/// failure leaves no half-made set of roles. CREATE/DROP DATABASE cannot run in a
/// transaction; they and what follows them run one by one.
pub async fn execute_cluster(
    admin: &DatabaseConnection,
    steps: &[ClusterStep],
    summary: &mut Summary,
) -> anyhow::Result<()> {
    let split = steps
        .iter()
        .position(ClusterStep::needs_own_transaction)
        .unwrap_or(steps.len());
    let (grouped, rest) = steps.split_at(split);
    if !grouped.is_empty() {
        let txn = admin.begin().await.context("cannot begin a transaction")?;
        for step in grouped {
            run_step(&txn, step).await?;
        }
        txn.commit()
            .await
            .map_err(|e| anyhow!("cannot commit the role changes: {}", db::describe(&e)))?;
        count(grouped, summary);
    }
    for step in rest {
        run_step(admin, step).await?;
        count(std::slice::from_ref(step), summary);
    }
    Ok(())
}

async fn run_step<C: ConnectionTrait>(conn: &C, step: &ClusterStep) -> anyhow::Result<()> {
    tracing::info!(kind = step.kind, "{}", step.display);
    conn.execute_unprepared(&step.sql)
        .await
        .map_err(|e| anyhow!("{} failed: {}", step.display, db::describe(&e)))?;
    Ok(())
}

fn count(steps: &[ClusterStep], summary: &mut Summary) {
    for step in steps {
        match step.change {
            Change::Created => summary.created(step.kind),
            Change::Changed => summary.changed(step.kind),
            Change::Dropped => summary.dropped(step.kind),
            Change::PartOfCreation => {}
        }
    }
}

#[cfg(test)]
#[path = "cluster_tests.rs"]
mod tests;
