//! What `provision` prints: by default a short summary on stdout whose counts are exact
//! (each object once, under what happened to it), nothing on stderr when it is not a
//! terminal; the statements with -v; a progress bar on a terminal.

use crate::common_pg;

use std::process::{Command, Output, Stdio};

use common_pg::*;

/// Two roles (one a login with a password), a database with a comment, a schema with a
/// comment and a grant, a table with comments on it and a column, an index and a grant:
/// a fresh provision creates each once and changes nothing.
/// The roles are `<roles>_owner` and `<roles>_reader`, removed first by [`remove_roles`].
fn model(tag: &str, roles: &str) -> String {
    format!(
        r#"
database: {{ name: {tag}, owner: {roles}_owner, comment: the output test }}
roles:
  {roles}_owner: {{ login: true, password_env: PO_OWNER_PW, comment: owns it }}
  {roles}_reader: {{ login: false, comment: reads it }}
schemas:
  app:
    owner: {roles}_owner
    comment: the application
    grants: [{{ to: [{roles}_reader], privileges: [usage] }}]
    tables:
      items:
        comment: one row per item
        grants: [{{ to: [{roles}_reader], privileges: [select] }}]
        columns:
          id: {{ type: integer, primary_key: true, comment: the key }}
          label: {{ type: text }}
        indexes:
          items_label_idx: {{ columns: [label] }}
"#
    )
}

/// Drops the roles of an earlier run with what they own (databases, scratch databases
/// included), so that the run creates them: roles are cluster-wide and outlive a test.
async fn remove_roles(roles: &str) {
    let _lock = cluster_lock();
    let admin = connect(&admin_url()).await;
    for role in [format!("{roles}_owner"), format!("{roles}_reader")] {
        let owned = strings(
            &admin,
            &format!(
                "SELECT datname::text FROM pg_database WHERE datdba = \
                 (SELECT oid FROM pg_roles WHERE rolname = '{role}')"
            ),
        )
        .await;
        for database in owned {
            drop_database(&database).await;
        }
        exec(&admin, &format!("DROP ROLE IF EXISTS {role}")).await;
    }
}

/// `schemactl provision` as a user runs it: no SCHEMACTL_LOG, `args` after the command.
fn provision_as_user(schema: &std::path::Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schemactl"));
    command
        .arg("--schema")
        .arg(schema)
        .arg("provision")
        .args(args)
        .stdin(Stdio::null())
        .env_remove("SCHEMACTL_LOG")
        .env("SCHEMACTL_ADMIN_URL", admin_url())
        .env("PO_OWNER_PW", "po-owner-pw")
        .env("NO_COLOR", "1");
    let _lock = cluster_lock();
    command.output().unwrap()
}

/// The summary without the closing line's time.
fn summary_lines(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .map(|line| match line.rsplit_once(" in ") {
            Some((head, _)) if line.starts_with("database ") => format!("{head} in …"),
            _ => line.to_string(),
        })
        .collect()
}

#[tokio::test]
async fn a_fresh_provision_prints_exact_counts_and_nothing_else() {
    let tag = unique("po_fresh");
    remove_roles("po_fresh").await;
    let schema = write_model(&tag, &model(&tag, "po_fresh"));
    let out = provision_as_user(&schema, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        summary_lines(&out),
        [
            "created: 1 database, 1 index, 2 roles, 1 schema, 1 table".to_string(),
            format!("database {tag} provisioned in …"),
        ]
    );
    assert_eq!(stderr(&out), "", "no bar and no log lines off a terminal");

    let again = provision_as_user(&schema, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    let line = stdout(&again);
    assert!(
        line.starts_with(&format!(
            "database {tag} already matches the model: no change ("
        )) && line.lines().count() == 1,
        "{line}"
    );

    // A changed comment is one change; -v logs its statement on stderr.
    let edited = write_model(
        &format!("{tag}_v2"),
        &model(&tag, "po_fresh").replace("one row per item", "one row per thing"),
    );
    let changed = provision_as_user(&edited, &["-v"]);
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert_eq!(
        summary_lines(&changed),
        [
            "changed: 1 comment".to_string(),
            format!("database {tag} provisioned in …"),
        ]
    );
    assert!(
        stderr(&changed).contains("COMMENT ON TABLE app.items IS 'one row per thing'"),
        "{}",
        stderr(&changed)
    );
    drop_database(&tag).await;
}

/// On a terminal (a pseudo-terminal from `script`), stderr shows the progress bar.
#[tokio::test]
async fn a_terminal_gets_a_progress_bar() {
    let tag = unique("po_tty");
    let schema = write_model(&tag, &model(&tag, "po_tty"));
    let shell = format!(
        "{} --schema {} provision",
        env!("CARGO_BIN_EXE_schemactl"),
        schema.display()
    );
    let out = {
        let _lock = cluster_lock();
        Command::new("script")
            .args(["-qec", &shell, "/dev/null"])
            .stdin(Stdio::null())
            .env_remove("SCHEMACTL_LOG")
            .env("SCHEMACTL_ADMIN_URL", admin_url())
            .env("PO_OWNER_PW", "po-owner-pw")
            .output()
            .unwrap()
    };
    assert!(out.status.success(), "{}", stderr(&out));
    let screen = stdout(&out);
    assert!(screen.contains("roles and database"), "{screen}");
    assert!(
        screen.contains("[=============================="),
        "{screen}"
    );
    assert!(screen.contains("created: 1 database"), "{screen}");
    drop_database(&tag).await;
}
