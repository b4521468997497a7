//! The cluster phase of `provision` (roles, memberships, passwords, the database) and the
//! connection errors, against the real project-local PostgreSQL 18.
//!
//! Every test uses its own role and database names (process id + counter), so the tests run
//! in parallel with each other and with other test binaries on the shared server, and a
//! guard drops what a test made even when an assertion fails.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use schemactl::db::{self, DbError};
use schemactl::model::Model;
use schemactl::provision::cluster::{
    self, Change, ClusterStep, execute_cluster, plan_cluster, read_passwords,
};
use schemactl::provision::summary::Summary;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, QueryResult, Statement};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name no other test (or test process) uses.
fn unique(tag: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("sc_{tag}_{}_{n}", std::process::id())
}

async fn admin_url() -> String {
    tokio::task::spawn_blocking(schemactl::local::test_admin_url)
        .await
        .unwrap()
        .unwrap()
}

fn model(yaml: &str) -> Model {
    match schemactl::load::load_str(Path::new("test.yaml"), yaml.to_string()) {
        Ok(loaded) => loaded.model,
        Err((_, diagnostics)) => panic!("test model does not load: {diagnostics:?}"),
    }
}

async fn row(conn: &DatabaseConnection, sql: &str) -> Option<QueryResult> {
    conn.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn exists(conn: &DatabaseConnection, sql: &str) -> bool {
    row(conn, sql).await.is_some()
}

/// Drops the databases, then the roles, a test made, also when the test panics. It runs
/// on a thread of its own because Drop cannot await.
struct Cleanup {
    url: String,
    databases: Vec<String>,
    roles: Vec<String>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let mut sql = Vec::new();
        for d in &self.databases {
            sql.push(format!("DROP DATABASE IF EXISTS \"{d}\" WITH (FORCE)"));
        }
        for r in &self.roles {
            sql.push(format!("DROP ROLE IF EXISTS \"{r}\""));
        }
        let url = self.url.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let conn = sea_orm::Database::connect(&url).await.unwrap();
                for statement in sql {
                    if let Err(e) = conn.execute_unprepared(&statement).await {
                        eprintln!("cleanup: {statement}: {e}");
                    }
                }
            });
        })
        .join();
    }
}

fn passwords(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(r, p)| (r.to_string(), p.to_string()))
        .collect()
}

fn displays(steps: &[ClusterStep]) -> Vec<&str> {
    steps.iter().map(|s| s.display.as_str()).collect()
}

#[tokio::test]
async fn roles_memberships_and_database_then_a_second_plan_is_empty() {
    let url = admin_url().await;
    let (group, user, reader, database) =
        (unique("grp"), unique("usr"), unique("ro"), unique("db"));
    let _cleanup = Cleanup {
        url: url.clone(),
        databases: vec![database.clone()],
        roles: vec![user.clone(), reader.clone(), group.clone()],
    };
    let model = model(&format!(
        "database: {{ name: {database}, owner: {group}, encoding: UTF8 }}
roles:
  {user}:
    login: true
    createdb: true
    connection_limit: 7
    bypassrls: true
    member_of: [{group}]
    password_env: SC_TEST_USER_PASSWORD
    comment: the application's login
  {group}: {{ inherit: false, createrole: true }}
  {reader}: {{ login: true, member_of: [{group}] }}
"
    ));
    let admin = db::connect(&url).await.unwrap();
    let pw = passwords(&[(&user, "first 'secret'")]);

    let steps = plan_cluster(&admin, &model, &database, &pw, false)
        .await
        .unwrap();
    let shown = displays(&steps);
    assert_eq!(
        shown,
        [
            format!(
                "CREATE ROLE {user} WITH LOGIN CREATEDB BYPASSRLS CONNECTION LIMIT 7 PASSWORD '***'"
            ),
            format!("COMMENT ON ROLE {user} IS 'the application''s login'"),
            format!("CREATE ROLE {group} WITH NOLOGIN NOINHERIT CREATEROLE"),
            format!("CREATE ROLE {reader} WITH LOGIN"),
            format!("GRANT {group} TO {user}"),
            format!("GRANT {group} TO {reader}"),
            format!("CREATE DATABASE {database} OWNER {group} ENCODING 'UTF8' TEMPLATE template0"),
        ]
    );
    assert!(steps.iter().all(|s| !s.display.contains("secret")));
    assert_eq!(steps[0].object, user);
    assert_eq!(steps.last().unwrap().object, database);
    // The password travels as its SCRAM verifier, computed by schemactl.
    assert!(
        steps[0].sql.contains("PASSWORD 'SCRAM-SHA-256$4096:") && !steps[0].sql.contains("secret"),
        "{}",
        steps[0].sql
    );

    let mut summary = Summary::default();
    execute_cluster(&admin, &steps, &mut summary).await.unwrap();
    assert_eq!(summary.created.get("role"), Some(&3));
    assert_eq!(summary.created.get("role membership"), Some(&2));
    assert_eq!(summary.created.get("database"), Some(&1));
    // The comment on the new database is part of creating it, not a change.
    assert_eq!(summary.changed, Default::default());

    let r = row(
        &admin,
        &format!(
            "SELECT rolcanlogin, rolinherit, rolcreatedb, rolcreaterole, rolbypassrls, \
             rolconnlimit FROM pg_roles WHERE rolname = '{user}'"
        ),
    )
    .await
    .unwrap();
    assert!(r.try_get::<bool>("", "rolcanlogin").unwrap());
    assert!(r.try_get::<bool>("", "rolinherit").unwrap());
    assert!(r.try_get::<bool>("", "rolcreatedb").unwrap());
    assert!(!r.try_get::<bool>("", "rolcreaterole").unwrap());
    assert!(r.try_get::<bool>("", "rolbypassrls").unwrap());
    assert_eq!(r.try_get::<i32>("", "rolconnlimit").unwrap(), 7);
    let g = row(
        &admin,
        &format!(
            "SELECT rolcanlogin, rolinherit, rolcreaterole FROM pg_roles WHERE rolname = '{group}'"
        ),
    )
    .await
    .unwrap();
    assert!(!g.try_get::<bool>("", "rolcanlogin").unwrap());
    assert!(!g.try_get::<bool>("", "rolinherit").unwrap());
    assert!(g.try_get::<bool>("", "rolcreaterole").unwrap());
    for member in [&user, &reader] {
        assert!(
            exists(
                &admin,
                &format!(
                    "SELECT 1 FROM pg_auth_members a JOIN pg_roles p ON p.oid = a.roleid \
                     JOIN pg_roles m ON m.oid = a.member \
                     WHERE p.rolname = '{group}' AND m.rolname = '{member}'"
                ),
            )
            .await,
            "{member} is not a member of {group}"
        );
    }
    let d = row(
        &admin,
        &format!(
            "SELECT pg_get_userbyid(datdba)::text AS owner, \
             pg_encoding_to_char(encoding)::text AS enc FROM pg_database \
             WHERE datname = '{database}'"
        ),
    )
    .await
    .unwrap();
    assert_eq!(d.try_get::<String>("", "owner").unwrap(), group);
    assert_eq!(d.try_get::<String>("", "enc").unwrap(), "UTF8");

    // The password works: log in as the role to the new database.
    let as_user = db::with_credentials(
        &db::with_database(&url, &database).unwrap(),
        &user,
        "first 'secret'",
    )
    .unwrap();
    let conn = db::connect(&as_user).await.unwrap();
    let who = row(&conn, "SELECT current_user::text AS u").await.unwrap();
    assert_eq!(who.try_get::<String>("", "u").unwrap(), user);
    conn.close().await.unwrap();

    let again = plan_cluster(&admin, &model, &database, &pw, false)
        .await
        .unwrap();
    assert!(again.is_empty(), "second plan: {:?}", displays(&again));
}

#[tokio::test]
async fn changed_attributes_and_passwords_are_applied() {
    let url = admin_url().await;
    let (user, database) = (unique("chg"), unique("chgdb"));
    let _cleanup = Cleanup {
        url: url.clone(),
        databases: vec![database.clone()],
        roles: vec![user.clone()],
    };
    let yaml = |limit: i32| {
        format!(
            "database: {{ name: {database}, owner: {user} }}
roles:
  {user}: {{ login: true, connection_limit: {limit}, password_env: SC_TEST_PW }}
"
        )
    };
    let admin = db::connect(&url).await.unwrap();
    let old = passwords(&[(&user, "old-password")]);
    let first = model(&yaml(-1));
    let steps = plan_cluster(&admin, &first, &database, &old, false)
        .await
        .unwrap();
    execute_cluster(&admin, &steps, &mut Summary::default())
        .await
        .unwrap();

    // A new password in the environment and a new limit in the model.
    let new = passwords(&[(&user, "new-password")]);
    let second = model(&yaml(3));
    let steps = plan_cluster(&admin, &second, &database, &new, false)
        .await
        .unwrap();
    assert_eq!(
        displays(&steps),
        [
            format!("ALTER ROLE {user} WITH CONNECTION LIMIT 3"),
            format!("ALTER ROLE {user} WITH PASSWORD '***'"),
        ]
    );
    assert_eq!(steps[1].kind, "role password");
    assert_eq!(steps[1].change, Change::Changed);
    let mut summary = Summary::default();
    execute_cluster(&admin, &steps, &mut summary).await.unwrap();
    assert_eq!(summary.changed.get("role"), Some(&1));
    assert_eq!(summary.changed.get("role password"), Some(&1));

    let db_url = db::with_database(&url, &database).unwrap();
    db::connect(&db::with_credentials(&db_url, &user, "new-password").unwrap())
        .await
        .unwrap()
        .close()
        .await
        .unwrap();
    let err = db::connect(&db::with_credentials(&db_url, &user, "old-password").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Authentication { .. }), "{err}");

    let again = plan_cluster(&admin, &second, &database, &new, false)
        .await
        .unwrap();
    assert!(again.is_empty(), "{:?}", displays(&again));
}

#[tokio::test]
async fn missing_password_variables_are_all_reported_before_anything_runs() {
    let url = admin_url().await;
    let (a, b, c, database) = (unique("mpa"), unique("mpb"), unique("mpc"), unique("mpdb"));
    let _cleanup = Cleanup {
        url: url.clone(),
        databases: vec![database.clone()],
        roles: vec![a.clone(), b.clone(), c.clone()],
    };
    let missing_a = format!("SC_UNSET_{}", a.to_uppercase());
    let missing_b = format!("SC_UNSET_{}", b.to_uppercase());
    // PATH is set in every test environment; it stands for a variable that is present.
    let model = model(&format!(
        "database: {{ name: {database} }}
roles:
  {a}: {{ login: true, password_env: {missing_a} }}
  {b}: {{ login: true, password_env: {missing_b} }}
  {c}: {{ login: true, password_env: PATH }}
"
    ));

    // The order `provision` follows: passwords first, then connect, plan and execute.
    let outcome: anyhow::Result<()> = async {
        let passwords = read_passwords(&model)?;
        let admin = db::connect(&url).await?;
        let steps = plan_cluster(&admin, &model, &database, &passwords, false).await?;
        execute_cluster(&admin, &steps, &mut Summary::default()).await
    }
    .await;
    let message = outcome.unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "role \"{a}\": environment variable {missing_a} is not set\n\
             role \"{b}\": environment variable {missing_b} is not set"
        )
    );

    let admin = db::connect(&url).await.unwrap();
    for role in [&a, &b, &c] {
        assert!(
            !exists(
                &admin,
                &format!("SELECT 1 FROM pg_roles WHERE rolname = '{role}'")
            )
            .await,
            "role {role} was created"
        );
    }
}

#[tokio::test]
async fn wrong_credentials_unreachable_server_and_missing_database_are_clear() {
    let url = admin_url().await;
    let password = "wrong-password-that-must-not-show";

    let err = db::connect(&db::with_credentials(&url, "postgres", password).unwrap())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, DbError::Authentication { .. }), "{text}");
    // host:port of the local server, whatever port it was given.
    let addr = url
        .split_once('@')
        .and_then(|(_, rest)| rest.split('/').next())
        .unwrap()
        .to_string();
    assert!(
        text.starts_with(&format!(
            "authentication failed for user \"postgres\" at {addr}"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("postgres://postgres:***@{addr}/")),
        "{text}"
    );
    assert!(!text.contains(password), "{text}");

    // A port nobody listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = format!("postgres://postgres:{password}@127.0.0.1:{port}/postgres");
    let started = std::time::Instant::now();
    let err = db::connect(&unreachable).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, DbError::Unreachable { .. }), "{text}");
    assert!(
        text.starts_with(&format!(
            "cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused"
        )),
        "{text}"
    );
    assert!(!text.contains(password), "{text}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "not fast"
    );

    let missing = unique("nodb");
    let err = db::connect(&db::with_database(&url, &missing).unwrap())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, DbError::MissingDatabase { .. }), "{text}");
    assert!(
        text.starts_with(&format!(
            "database \"{missing}\" does not exist at 127.0.0.1:"
        )),
        "{text}"
    );
    let admin_password = url
        .split_once("://postgres:")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(pw, _)| pw)
        .unwrap();
    assert!(!text.contains(admin_password), "{text}");
    assert_eq!(err.sqlstate(), Some("3D000"));
}

#[tokio::test]
async fn recreate_drops_and_recreates_the_database() {
    let url = admin_url().await;
    let (owner, database) = (unique("rcown"), unique("rcdb"));
    let _cleanup = Cleanup {
        url: url.clone(),
        databases: vec![database.clone()],
        roles: vec![owner.clone()],
    };
    let model = model(&format!(
        "database: {{ name: {database}, owner: {owner}, encoding: UTF8, locale: C.UTF-8 }}
roles:
  {owner}: {{}}
"
    ));
    let admin = db::connect(&url).await.unwrap();
    let none = BTreeMap::new();
    let steps = plan_cluster(&admin, &model, &database, &none, false)
        .await
        .unwrap();
    assert_eq!(
        steps.last().unwrap().display,
        format!(
            "CREATE DATABASE {database} OWNER {owner} ENCODING 'UTF8' LOCALE 'C.UTF-8' \
             TEMPLATE template0"
        )
    );
    execute_cluster(&admin, &steps, &mut Summary::default())
        .await
        .unwrap();

    // Leave a marker and an open session in the database: FORCE must end the session.
    let inside = db::connect(&db::with_database(&url, &database).unwrap())
        .await
        .unwrap();
    inside
        .execute_unprepared("CREATE TABLE marker (id int)")
        .await
        .unwrap();

    let steps = plan_cluster(&admin, &model, &database, &none, true)
        .await
        .unwrap();
    assert_eq!(
        displays(&steps),
        [
            format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
            format!(
                "CREATE DATABASE {database} OWNER {owner} ENCODING 'UTF8' LOCALE 'C.UTF-8' \
                 TEMPLATE template0"
            ),
        ]
    );
    let mut summary = Summary::default();
    execute_cluster(&admin, &steps, &mut summary).await.unwrap();
    assert_eq!(summary.dropped.get("database"), Some(&1));
    assert_eq!(summary.created.get("database"), Some(&1));
    assert_eq!(summary.changed, Default::default());

    let fresh = db::connect(&db::with_database(&url, &database).unwrap())
        .await
        .unwrap();
    assert!(!exists(&fresh, "SELECT 1 FROM pg_class WHERE relname = 'marker'").await);
    fresh.close().await.unwrap();

    // Without --yes and without a terminal to ask on, recreate is refused.
    cluster::confirm_recreate(&database, true).unwrap();
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let err = cluster::confirm_recreate(&database, false).unwrap_err();
        assert!(err.to_string().contains("--yes"), "{err}");
    }

    // Recreating the database the admin is connected to cannot work: say so.
    let inside_admin = db::connect(&db::with_database(&url, &database).unwrap())
        .await
        .unwrap();
    let err = plan_cluster(&inside_admin, &model, &database, &none, true)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("admin connection is using it"),
        "{err}"
    );
    inside_admin.close().await.unwrap();
}

/// Creates `role`, an admin with CREATEDB and CREATEROLE but no superuser, and returns
/// its URL on the server of `url`.
async fn non_superuser_admin(superuser: &DatabaseConnection, url: &str, role: &str) -> String {
    superuser
        .execute_unprepared(&format!(
            "CREATE ROLE {role} WITH LOGIN CREATEDB CREATEROLE PASSWORD 'adm-pw'"
        ))
        .await
        .unwrap();
    db::with_credentials(url, role, "adm-pw").unwrap()
}

#[tokio::test]
async fn a_non_superuser_admin_with_createdb_createrole_can_provision() {
    let url = admin_url().await;
    let (admin_role, owner, user, database) =
        (unique("adm"), unique("own"), unique("app"), unique("nsdb"));
    let _cleanup = Cleanup {
        url: url.clone(),
        databases: vec![database.clone()],
        roles: vec![user.clone(), owner.clone(), admin_role.clone()],
    };
    let superuser = db::connect(&url).await.unwrap();
    let admin_url = non_superuser_admin(&superuser, &url, &admin_role).await;
    let admin = db::connect(&admin_url).await.unwrap();
    assert!(!cluster::admin_is_superuser(&admin).await.unwrap());
    assert!(cluster::admin_is_superuser(&superuser).await.unwrap());

    let model = model(&format!(
        "database: {{ name: {database}, owner: {owner} }}
roles:
  {owner}: {{}}
  {user}: {{ login: true, member_of: [{owner}], password_env: SC_APP_PW }}
"
    ));
    let pw = passwords(&[(&user, "app-pw")]);
    let steps = plan_cluster(&admin, &model, &database, &pw, false)
        .await
        .unwrap();
    assert_eq!(
        displays(&steps),
        [
            format!("CREATE ROLE {owner} WITH NOLOGIN"),
            format!("CREATE ROLE {user} WITH LOGIN PASSWORD '***'"),
            format!("GRANT {owner} TO {user}"),
            // The seed's fix, in its PostgreSQL 16+ form.
            format!("GRANT {owner} TO {admin_role} WITH INHERIT TRUE, SET TRUE"),
            format!("CREATE DATABASE {database} OWNER {owner} TEMPLATE template0"),
        ]
    );
    execute_cluster(&admin, &steps, &mut Summary::default())
        .await
        .unwrap();
    let d = row(
        &superuser,
        &format!(
            "SELECT pg_get_userbyid(datdba)::text AS owner FROM pg_database \
             WHERE datname = '{database}'"
        ),
    )
    .await
    .unwrap();
    assert_eq!(d.try_get::<String>("", "owner").unwrap(), owner);

    // The non-superuser can work in the database as its owner.
    let inside = db::connect(&db::with_database(&admin_url, &database).unwrap())
        .await
        .unwrap();
    inside
        .execute_unprepared(&format!(
            "CREATE SCHEMA app AUTHORIZATION {owner}; SET ROLE {owner}; CREATE TABLE app.t (id int)"
        ))
        .await
        .unwrap();
    inside.close().await.unwrap();

    let again = plan_cluster(&admin, &model, &database, &pw, false)
        .await
        .unwrap();
    assert!(again.is_empty(), "{:?}", displays(&again));
    admin.close().await.unwrap();
}

#[tokio::test]
async fn a_failing_role_statement_leaves_no_role_behind() {
    let url = admin_url().await;
    let first = unique("txa");
    let _cleanup = Cleanup {
        url: url.clone(),
        databases: vec![],
        roles: vec![first.clone()],
    };
    let admin = db::connect(&url).await.unwrap();
    let steps = vec![
        ClusterStep {
            sql: format!("CREATE ROLE {first}"),
            display: format!("CREATE ROLE {first}"),
            kind: "role",
            change: Change::Created,
            object: first.clone(),
        },
        ClusterStep {
            sql: format!("GRANT sc_no_such_role_anywhere TO {first}"),
            display: format!("GRANT sc_no_such_role_anywhere TO {first}"),
            kind: "role membership",
            change: Change::Created,
            object: first.clone(),
        },
    ];
    let mut summary = Summary::default();
    let err = execute_cluster(&admin, &steps, &mut summary)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("role \"sc_no_such_role_anywhere\" does not exist"),
        "{err}"
    );
    assert!(summary.is_empty());
    assert!(
        !exists(
            &admin,
            &format!("SELECT 1 FROM pg_roles WHERE rolname = '{first}'")
        )
        .await
    );
}

/// Objects owned by roles other than the database owner, provisioned by an admin that is
/// no superuser: the admin is granted each owner (not only the database owner), creates
/// the objects and hands them over once the schema grants that PostgreSQL asks of a new
/// owner are made. (No second run: its normalization would leave grants to these roles
/// in the shared dev server's workspace database, and the roles could not be dropped.)
#[tokio::test]
async fn a_non_superuser_admin_hands_objects_to_their_owners() {
    let url = admin_url().await;
    let (admin_role, owner, keeper, reader, database) = (
        unique("adm"),
        unique("own"),
        unique("keep"),
        unique("read"),
        unique("nsown"),
    );
    let _cleanup = Cleanup {
        url: url.clone(),
        databases: vec![database.clone()],
        roles: vec![
            keeper.clone(),
            reader.clone(),
            owner.clone(),
            admin_role.clone(),
        ],
    };
    let superuser = db::connect(&url).await.unwrap();
    let admin_url = non_superuser_admin(&superuser, &url, &admin_role).await;
    let text = format!(
        "database: {{ name: {database}, owner: {owner} }}
roles:
  {owner}: {{}}
  {keeper}: {{}}
  {reader}: {{}}
schemas:
  app:
    owner: {owner}
    # A role that takes an object over must be able to create in its schema.
    grants: [{{ to: [{keeper}, {reader}], privileges: [usage, create] }}]
    tables:
      ledger:
        owner: {keeper}
        columns:
          id: {{ type: bigserial, primary_key: true }}
          amount: {{ type: numeric, nullable: false }}
        indexes:
          ledger_amount: {{ columns: [amount] }}
        grants: [{{ to: [{reader}], privileges: [select] }}]
    views:
      totals:
        owner: {reader}
        query: SELECT sum(amount) AS total FROM app.ledger
    functions:
      ledger_size:
        owner: {keeper}
        returns: bigint
        language: sql
        volatility: stable
        body: SELECT count(*) FROM app.ledger
"
    );
    let path = crate::common_pg::write_model(&database, &text);
    let env = [("SCHEMACTL_ADMIN_URL", admin_url.as_str())];
    let args = ["provision", database.as_str(), "--recreate", "--yes"];
    let out = crate::common_pg::schemactl_env(&path, &args, &env);
    let err = crate::common_pg::stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("GRANT {keeper} TO {admin_role}")),
        "{err}"
    );

    let inside = db::connect(&db::with_database(&url, &database).unwrap())
        .await
        .unwrap();
    let owners = row(
        &inside,
        "SELECT string_agg(c.relname || ' ' || pg_get_userbyid(c.relowner), ', ' \
         ORDER BY c.relname)::text AS owners FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app'",
    )
    .await
    .unwrap();
    assert_eq!(
        owners.try_get::<String>("", "owners").unwrap(),
        format!(
            "ledger {keeper}, ledger_amount {keeper}, ledger_id_seq {keeper}, \
             ledger_pkey {keeper}, totals {reader}"
        )
    );
    assert!(
        exists(
            &inside,
            &format!(
                "SELECT 1 FROM pg_proc WHERE proname = 'ledger_size' \
                 AND pg_get_userbyid(proowner) = '{keeper}'"
            )
        )
        .await
    );
    assert!(
        exists(
            &inside,
            &format!("SELECT 1 WHERE has_table_privilege('{reader}', 'app.ledger', 'SELECT')")
        )
        .await
    );
    inside.close().await.unwrap();
}
