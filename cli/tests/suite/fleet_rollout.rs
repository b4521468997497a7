//! `apply --fleet` / `drift --fleet` against 210 schema targets on three PostgreSQL
//! servers of their own (ports: the local port + 10, + 11, + 12): one server is stopped
//! and one target holds a conflicting object, so its apply fails mid-way. The others
//! converge, the failed target is rolled back and reported, the canary group and the
//! failure limit stop a rollout, and a rerun after the fix completes only what was left.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::Value;

use schemactl::local::LocalServer;

/// Schemas per server: 3 × 70 = 210 targets.
const PER_SERVER: usize = 70;
const DATABASE: &str = "saas";
/// The target whose apply fails: a composite type takes the name of a table the model
/// creates after two others, so the failure comes in the middle of its transaction.
const BROKEN: &str = "tenant_042";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The three servers, stopped when the test ends, also when it fails.
struct Servers(Vec<LocalServer>);

impl Drop for Servers {
    fn drop(&mut self) {
        for server in &self.0 {
            let _ = server.stop();
        }
    }
}

fn servers() -> Vec<LocalServer> {
    let local: u16 = std::env::var("SCHEMACTL_LOCAL_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(54318);
    (0..3u16)
        .map(|i| {
            let root = workspace().join(format!("target/schemactl-pg/fleet-{i}"));
            // Odd ports (+ 11, 13, 15): outgoing connections take even ones first.
            LocalServer::new(root, local + 11 + 2 * i, 18).expect("a local server")
        })
        .collect()
}

fn url(server: &LocalServer, database: &str) -> String {
    schemactl::db::with_database(&server.url().unwrap(), database).unwrap()
}

async fn connect(url: &str) -> DatabaseConnection {
    Database::connect(url).await.expect("connects")
}

async fn exec(conn: &DatabaseConnection, sql: &str) {
    conn.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn count(conn: &DatabaseConnection, sql: &str) -> i64 {
    let row = conn
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// A fresh `saas` database on `server` with schemas `<prefix>_001` … `<prefix>_070`.
async fn prepare(server: &LocalServer, prefix: &str) -> DatabaseConnection {
    server.start().expect("the fleet test server starts");
    let admin = connect(&server.url().unwrap()).await;
    exec(
        &admin,
        &format!("DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"),
    )
    .await;
    exec(&admin, &format!("CREATE DATABASE {DATABASE}")).await;
    drop(admin);
    let conn = connect(&url(server, DATABASE)).await;
    exec(
        &conn,
        &format!(
            "DO $$ BEGIN FOR i IN 1..{PER_SERVER} LOOP \
             EXECUTE format('CREATE SCHEMA %I', '{prefix}_' || lpad(i::text, 3, '0')); \
             END LOOP; END $$"
        ),
    )
    .await;
    conn
}

fn schemactl(fleets: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schemactl"));
    command
        .arg("--schema")
        .arg(workspace().join("tests/fleet/schema.yaml"))
        .args(args)
        .args(["--fleets"])
        .arg(fleets)
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// Runs a fleet command with `--format json`; returns the exit code and the report.
fn run_json(fleets: &Path, args: &[&str], env: &[(&str, String)]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--fleet", "shops", "--format", "json"]);
    let output = schemactl(fleets, &all, env);
    let text = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), report)
}

/// The targets of a report in `state`, as `database/schema` labels without the server.
fn in_state(report: &Value, state: &str) -> BTreeSet<String> {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["state"] == state)
        .map(|t| t["schema"].as_str().unwrap_or("").to_string())
        .collect()
}

fn summary(report: &Value, key: &str) -> u64 {
    report["summary"][key].as_u64().unwrap()
}

fn schemas(prefix: &str) -> BTreeSet<String> {
    (1..=PER_SERVER)
        .map(|i| format!("{prefix}_{i:03}"))
        .collect()
}

/// How many of the model's relations schema `schema` holds.
async fn relations(conn: &DatabaseConnection, schema: &str) -> i64 {
    count(
        conn,
        &format!(
            "SELECT count(*)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = '{schema}' AND c.relname IN \
             ('customers', 'orders', 'order_lines', 'open_orders')"
        ),
    )
    .await
}

/// The fleet file: server C's schemas listed behind a `${VARIABLE}`, server A's found
/// by pattern, server B's read from a tenants table on server A (with B's password: a
/// discovered URL is used as it is). Returns the file and the environment it needs.
async fn fleet_file(
    a: &LocalServer,
    b: &LocalServer,
    c: &LocalServer,
    conn_a: &DatabaseConnection,
) -> (PathBuf, Vec<(&'static str, String)>) {
    exec(conn_a, "CREATE SCHEMA control").await;
    exec(
        conn_a,
        "CREATE TABLE control.tenants (url text NOT NULL, schema text NOT NULL)",
    )
    .await;
    let b_url = url(b, DATABASE).replace('\'', "''");
    exec(
        conn_a,
        &format!(
            "INSERT INTO control.tenants SELECT '{b_url}', 'acct_' || lpad(i::text, 3, '0') \
             FROM generate_series(1, {PER_SERVER}) AS i"
        ),
    )
    .await;
    let mut yaml = String::from("fleets:\n  shops:\n    tenant_schema: tenant\n    targets:\n");
    for schema in schemas("shop") {
        yaml.push_str(&format!(
            "      - {{ url: \"${{FLEET_C_URL}}\", schema: {schema} }}\n"
        ));
    }
    yaml.push_str(
        "    discover:\n      - { url: \"${FLEET_A_URL}\", schemas: \"tenant\\\\_%\" }\n      \
         - { url: \"${FLEET_A_URL}\", query: \"SELECT url, schema FROM control.tenants ORDER BY schema\" }\n",
    );
    let dir = workspace().join("target/fleet-test");
    std::fs::create_dir_all(&dir).unwrap();
    let fleets = dir.join("fleets.yaml");
    std::fs::write(&fleets, yaml).unwrap();
    let env = vec![
        ("FLEET_A_URL", url(a, DATABASE)),
        ("FLEET_C_URL", url(c, DATABASE)),
    ];
    (fleets, env)
}

/// The first rollout: A and B converge except the broken target, C is unreachable; the
/// broken target is rolled back. Returns the targets that failed.
async fn first_rollout(
    fleets: &Path,
    env: &[(&str, String)],
    conn_a: &DatabaseConnection,
    conn_b: &DatabaseConnection,
) -> BTreeSet<String> {
    let (code, report) = run_json(fleets, &["apply", "--yes", "--parallel", "8"], env);
    assert_eq!(code, 4, "{report:#}");
    assert_eq!(summary(&report, "targets"), 210);
    let mut converged = schemas("tenant");
    converged.remove(BROKEN);
    converged.extend(schemas("acct"));
    assert_eq!(in_state(&report, "changed"), converged);
    let mut failed = schemas("shop");
    failed.insert(BROKEN.to_string());
    assert_eq!(in_state(&report, "failed"), failed);
    let broken = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["schema"] == BROKEN)
        .unwrap();
    let reason = broken["detail"].as_str().unwrap();
    assert!(reason.contains("order_lines"), "{reason}");
    // Read back: converged schemas hold the model, the broken one holds nothing of it.
    for schema in ["tenant_001", "tenant_070"] {
        assert_eq!(relations(conn_a, schema).await, 4, "{schema}");
    }
    for schema in ["acct_001", "acct_035", "acct_070"] {
        assert_eq!(relations(conn_b, schema).await, 4, "{schema}");
    }
    assert_eq!(
        relations(conn_a, BROKEN).await,
        0,
        "no relation of the model"
    );
    let conflicting = count(
        conn_a,
        &format!("SELECT count(*)::bigint FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = '{BROKEN}' AND t.typname = 'order_lines'"),
    )
    .await;
    assert_eq!(conflicting, 1, "only the conflicting type is left");
    let enums = count(
        conn_a,
        &format!("SELECT count(*)::bigint FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = '{BROKEN}' AND t.typname = 'order_status'"),
    )
    .await;
    assert_eq!(enums, 0, "the failed target's transaction was rolled back");
    failed
}

/// The canary group (the first 5 targets: server C's) fails, so nothing else is tried;
/// the failure limit stops a one-at-a-time rollout after 3.
fn stop_rules(fleets: &Path, env: &[(&str, String)]) {
    let (code, report) = run_json(fleets, &["apply", "--yes", "--canary", "5"], env);
    assert_eq!(code, 4);
    assert_eq!(summary(&report, "failed"), 5);
    assert_eq!(summary(&report, "skipped"), 205);
    let (code, report) = run_json(
        fleets,
        &["apply", "--yes", "--parallel", "1", "--max-failures", "3"],
        env,
    );
    assert_eq!(code, 4);
    assert_eq!(summary(&report, "failed"), 3);
    assert_eq!(summary(&report, "skipped"), 207);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fleet_of_210_schemas_on_three_servers_converges_and_resumes() {
    let started = std::time::Instant::now();
    let guard = Servers(servers());
    let [a, b, c] = [&guard.0[0], &guard.0[1], &guard.0[2]];
    let conn_a = prepare(a, "tenant").await;
    let conn_b = prepare(b, "acct").await;
    let conn_c = prepare(c, "shop").await;
    let (fleets, env) = fleet_file(a, b, c, &conn_a).await;
    // A range type: not a kind the model expresses, so no plan drops it, and its name
    // takes the row type name a table of that name needs.
    exec(
        &conn_a,
        &format!("CREATE TYPE {BROKEN}.order_lines AS RANGE (subtype = integer)"),
    )
    .await;
    c.stop().unwrap();

    let failed = first_rollout(&fleets, &env, &conn_a, &conn_b).await;
    stop_rules(&fleets, &env);
    // Drift sees every target's state without changing any; the table names the totals.
    let output = schemactl(
        &fleets,
        &["drift", "--fleet", "shops", "--parallel", "8"],
        &env,
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(4),
        "a server is unreachable: {text}"
    );
    assert!(
        text.contains(
            "drift --fleet shops: 210 target(s): 0 changed, 139 unchanged, 1 drifted, 70 failed"
        ),
        "{text}"
    );
    let drifted: Vec<&str> = text.lines().filter(|l| l.contains(" drifted ")).collect();
    assert_eq!(drifted.len(), 1, "{text}");
    assert!(drifted[0].contains(&format!("/saas/{BROKEN} ")), "{text}");

    // The fix: the conflicting type goes, server C comes back. The rerun completes only
    // what was left.
    exec(&conn_a, &format!("DROP TYPE {BROKEN}.order_lines")).await;
    c.start().unwrap();
    let (code, report) = run_json(&fleets, &["apply", "--yes", "--parallel", "8"], &env);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(in_state(&report, "changed"), failed);
    assert_eq!(summary(&report, "unchanged"), 139);
    assert_eq!(relations(&conn_a, BROKEN).await, 4);
    drop(conn_c);
    let conn_c = connect(&url(c, DATABASE)).await;
    assert_eq!(relations(&conn_c, "shop_060").await, 4);

    eprintln!("fleet test took {:.1}s", started.elapsed().as_secs_f64());
    drop((conn_a, conn_b, conn_c));
}
