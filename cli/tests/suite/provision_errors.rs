//! `provision` on bad input: a clear message, a non-zero exit, and nothing left behind.
//! Also the non-superuser admin (the seed's `GRANT app_user TO admin_user` case).

use crate::common_pg;

use common_pg::*;

/// A small model with its own roles, so each test can check that they were (not) created.
fn small_model(tag: &str, extra_schema_objects: &str) -> String {
    format!(
        r#"
database: {{ name: {tag}, owner: {tag}_owner, encoding: UTF8 }}
roles:
  {tag}_owner: {{ login: true, password_env: {upper}_OWNER_PW }}
  {tag}_reader: {{ login: true, password_env: {upper}_READER_PW }}
schemas:
  app:
    owner: {tag}_owner
    grants: [{{ to: [{tag}_reader], privileges: [usage] }}]
    tables:
      items:
        columns:
          id: {{ type: integer, primary_key: true }}
          label: {{ type: text, nullable: false }}
        grants: [{{ to: [{tag}_reader], privileges: [select] }}]
        row_level_security:
          policies:
            everyone: {{ using: "true", with_check: "true" }}
        seed:
          rows:
            - {{ id: 1, label: first }}
{extra_schema_objects}
"#,
        upper = tag.to_ascii_uppercase()
    )
}

fn passwords_for(tag: &str) -> Vec<(String, String)> {
    let upper = tag.to_ascii_uppercase();
    vec![
        (format!("{upper}_OWNER_PW"), "owner-pw".to_string()),
        (format!("{upper}_READER_PW"), "reader-pw".to_string()),
    ]
}

fn run(model: &std::path::Path, args: &[&str], env: &[(String, String)]) -> std::process::Output {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    schemactl_env(model, args, &env)
}

async fn role_exists(name: &str) -> bool {
    let admin = connect(&admin_url()).await;
    scalar_i64(
        &admin,
        &format!(
            "SELECT count(*) FROM pg_roles WHERE rolname = {}",
            schemactl::sql::literal(name)
        ),
    )
    .await
        == 1
}

async fn drop_roles(names: &[String]) {
    let admin = connect(&admin_url()).await;
    // A plan against an existing database normalizes the model in a scratch database
    // owned by the model's owner, kept for the next plan: it goes with its roles.
    for name in names {
        for database in strings(
            &admin,
            &format!(
                "SELECT datname::text FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba \
                 WHERE r.rolname = {} AND datname LIKE 'schemactl\\_%'",
                schemactl::sql::literal(name)
            ),
        )
        .await
        {
            drop_database(&database).await;
        }
    }
    for name in names {
        exec(
            &admin,
            &format!("DROP ROLE IF EXISTS {}", schemactl::sql::ident(name)),
        )
        .await;
    }
}

#[tokio::test]
async fn missing_password_variable_is_reported_before_anything_runs() {
    let tag = unique("t_nopw");
    let model = write_model(&tag, &small_model(&tag, ""));
    let mut env = passwords_for(&tag);
    env.pop(); // the reader's password is missing
    let output = run(&model, &["provision"], &env);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(&format!("{}_READER_PW", tag.to_ascii_uppercase())),
        "{err}"
    );
    assert!(
        !role_exists(&format!("{tag}_owner")).await,
        "no role was created"
    );
    assert!(!database_exists(&tag).await, "no database was created");
}

#[tokio::test]
async fn unreachable_server_gets_a_clear_message_without_the_password() {
    let tag = unique("t_unreach");
    let model = write_model(&tag, &small_model(&tag, ""));
    let output = run(
        &model,
        &[
            "provision",
            "--admin-url",
            "postgres://postgres:topsecret@127.0.0.1:1/postgres",
        ],
        &passwords_for(&tag),
    );
    assert_eq!(
        output.status.code(),
        Some(4),
        "unreachable is a database error"
    );
    let err = stderr(&output);
    assert!(err.contains("127.0.0.1:1"), "names the server: {err}");
    assert!(
        err.to_lowercase().contains("cannot reach") || err.contains("refused"),
        "{err}"
    );
    assert!(
        !err.contains("topsecret"),
        "the password is never printed: {err}"
    );
}

#[tokio::test]
async fn wrong_credentials_get_a_clear_message_without_the_password() {
    let tag = unique("t_badpw");
    let model = write_model(&tag, &small_model(&tag, ""));
    let url = schemactl::db::with_credentials(&admin_url(), "postgres", "wrong-password").unwrap();
    let output = run(
        &model,
        &["provision", "--admin-url", &url],
        &passwords_for(&tag),
    );
    assert_eq!(
        output.status.code(),
        Some(4),
        "authentication failed is a database error"
    );
    let err = stderr(&output);
    assert!(err.contains("authentication failed"), "{err}");
    assert!(!err.contains("wrong-password"), "{err}");
    assert!(!database_exists(&tag).await);
}

#[tokio::test]
async fn failure_in_a_fresh_database_leaves_nothing() {
    let tag = unique("t_failfresh");
    let broken_view =
        "    views:\n      broken:\n        query: SELECT no_such_column FROM app.items\n";
    let model = write_model(&tag, &small_model(&tag, broken_view));
    let output = run(&model, &["provision"], &passwords_for(&tag));
    assert_eq!(output.status.code(), Some(4));
    let err = stderr(&output);
    assert!(
        err.contains("no_such_column"),
        "the server's message: {err}"
    );
    assert!(err.contains("app.broken"), "names the object: {err}");
    let text = std::fs::read_to_string(&model).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("query: SELECT no_such_column"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("{}:{line}:9: error:", model.display())),
        "points at the view in the model: {err}"
    );
    assert!(
        !database_exists(&tag).await,
        "the database this run created is gone"
    );
    assert!(
        !role_exists(&format!("{tag}_owner")).await,
        "roles this run created are gone"
    );
}

#[tokio::test]
async fn failure_in_an_existing_database_rolls_back_everything() {
    let tag = unique("t_failexisting");
    let good = write_model(&tag, &small_model(&tag, ""));
    let output = run(&good, &["provision"], &passwords_for(&tag));
    assert!(output.status.success(), "{}", stderr(&output));
    let before = schema_dump(&tag);

    let additions = "      extra:\n        columns:\n          id: { type: integer, primary_key: true }\n    \
                     views:\n      broken:\n        query: SELECT no_such_column FROM app.extra\n";
    let bad = write_model(&format!("{tag}_v2"), &small_model(&tag, additions));
    let output = run(&bad, &["provision"], &passwords_for(&tag));
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("rolled back"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        before,
        schema_dump(&tag),
        "the failed run left the schema as it was"
    );
    let conn = connect(&db_url(&tag)).await;
    assert_eq!(scalar_i64(&conn, "SELECT count(*) FROM app.items").await, 1);
    drop(conn);
    drop_database(&tag).await;
    drop_roles(&[format!("{tag}_owner"), format!("{tag}_reader")]).await;
}

#[tokio::test]
async fn non_superuser_admin_with_createdb_createrole_provisions() {
    let tag = unique("t_nsu");
    let admin_role = format!("{tag}_admin");
    let superuser = connect(&admin_url()).await;
    exec(
        &superuser,
        &format!(
            "DROP ROLE IF EXISTS {admin_role}; CREATE ROLE {admin_role} LOGIN CREATEDB CREATEROLE PASSWORD 'nsu-admin-pw'"
        ),
    )
    .await;
    let admin_url =
        schemactl::db::with_credentials(&admin_url(), &admin_role, "nsu-admin-pw").unwrap();
    let model = write_model(&tag, &small_model(&tag, ""));
    let output = run(
        &model,
        &["provision", "--admin-url", &admin_url],
        &passwords_for(&tag),
    );
    assert!(output.status.success(), "{}", stderr(&output));

    let owner = scalar_string(
        &superuser,
        &format!(
            "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = {}",
            schemactl::sql::literal(&tag)
        ),
    )
    .await;
    assert_eq!(
        owner,
        format!("{tag}_owner"),
        "CREATE DATABASE … OWNER worked for a non-superuser"
    );
    let reader = connect_as(&tag, &format!("{tag}_reader"), "reader-pw").await;
    assert_eq!(
        scalar_string(&reader, "SELECT label FROM app.items WHERE id = 1").await,
        "first"
    );
    drop(reader);

    // A second run by the same admin changes nothing.
    let again = run(
        &model,
        &["provision", "--admin-url", &admin_url],
        &passwords_for(&tag),
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("no change"), "{}", stdout(&again));

    drop(superuser);
    drop_database(&tag).await;
    drop_roles(&[format!("{tag}_owner"), format!("{tag}_reader"), admin_role]).await;
}

/// Line (1-based) of the first line of `model` containing `needle`.
fn line_of(model: &std::path::Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(model).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[tokio::test]
async fn function_body_that_does_not_parse_is_refused_at_the_function() {
    let tag = unique("t_badbody");
    // Bodies are created with check_function_bodies off (order never matters), then each
    // is checked by its language's validator: this one must not be installed.
    let functions = "    functions:\n      score:\n        returns: integer\n        language: plpgsql\n        \
                     body: |\n          BEGIN\n            RETURN 1 +;\n          END;\n";
    let model = write_model(&tag, &small_model(&tag, functions));
    let output = run(&model, &["provision"], &passwords_for(&tag));
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("syntax error"), "the server's message: {err}");
    assert!(err.contains("app.score"), "names the function: {err}");
    // The pointer is the function's mapping, which starts at its first key.
    let line = line_of(&model, "returns: integer");
    assert!(
        err.contains(&format!("{}:{line}:9: error:", model.display())),
        "points at the function in the model (line {line}): {err}"
    );
    assert!(!database_exists(&tag).await, "nothing was left behind");
}

#[tokio::test]
async fn function_body_checked_also_in_an_existing_database() {
    let tag = unique("t_badbody2");
    let good = write_model(&tag, &small_model(&tag, ""));
    let output = run(&good, &["provision"], &passwords_for(&tag));
    assert!(output.status.success(), "{}", stderr(&output));
    let before = schema_dump(&tag);
    let functions = "    functions:\n      total:\n        returns: bigint\n        language: sql\n        \
                     body: SELECT count(*) FROM app.no_such_table\n";
    let bad = write_model(&format!("{tag}_v2"), &small_model(&tag, functions));
    let output = run(&bad, &["provision"], &passwords_for(&tag));
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("no_such_table"), "the server's message: {err}");
    assert!(err.contains("app.total"), "names the function: {err}");
    assert_eq!(before, schema_dump(&tag), "nothing was applied");
    drop_database(&tag).await;
    drop_roles(&[format!("{tag}_owner"), format!("{tag}_reader")]).await;
}

#[tokio::test]
async fn check_that_does_not_parse_is_reported_at_the_constraint() {
    let tag = unique("t_badcheck");
    let tables = "      orders:\n        columns:\n          id: { type: integer, primary_key: true }\n          \
                  qty: { type: integer }\n          note: { type: text }\n        checks:\n          \
                  orders_note_short: \"length(note) < 100\"\n          orders_qty_positive: \"qty >> > 0\"\n";
    let model = write_model(&tag, &small_model(&tag, tables));
    let output = run(&model, &["provision"], &passwords_for(&tag));
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("syntax error"), "the server's message: {err}");
    assert!(
        err.contains("orders_qty_positive"),
        "names the constraint: {err}"
    );
    assert!(
        err.contains("CHECK (qty >> > 0)"),
        "echoes the constraint's line of the statement: {err}"
    );
    let line = line_of(&model, "orders_qty_positive:");
    assert!(
        err.contains(&format!("{}:{line}:", model.display())),
        "points at the check in the model (line {line}): {err}"
    );
    assert!(!database_exists(&tag).await, "nothing was left behind");
}
