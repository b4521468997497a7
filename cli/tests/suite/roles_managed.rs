//! Only roles the model declares are managed: a role the model does not declare (an
//! owner or grantee it merely meets, or one it declared before) is never dropped, unless
//! the model opts into `database.role_management: exclusive`; and even then the
//! bootstrap superuser and the connected role never are.

use crate::common_pg;

use common_pg::*;

fn model(tag: &str, roles: &str, database_extra: &str) -> String {
    format!(
        r#"
database: {{ name: {tag}{database_extra} }}
{roles}
schemas:
  "Billing Data":
    tables:
      invoice:
        columns:
          id: {{ type: bigint, identity: by_default, primary_key: true }}
          total_cents: {{ type: bigint, nullable: false }}
"#
    )
}

fn plan(tag: &str, yaml: &str, suffix: &str) -> std::process::Output {
    let path = write_model(&format!("{tag}_{suffix}"), yaml);
    let url = db_url(tag);
    schemactl_env(&path, &["plan", "--database-url", &url], &[])
}

async fn connected_and_bootstrap_roles() -> Vec<String> {
    let admin = connect(&admin_url()).await;
    strings(
        &admin,
        "SELECT rolname::text FROM pg_roles WHERE oid = 10 UNION SELECT current_user::text",
    )
    .await
}

#[tokio::test]
async fn a_model_without_roles_plans_no_role_drop() {
    let tag = unique("t_noroles");
    let yaml = model(&tag, "", "");
    let path = write_model(&tag, &yaml);
    let out = schemactl_env(&path, &["provision"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The table is owned by the connecting superuser, whom the model never declares.
    let out = plan(&tag, &yaml, "plan");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("DROP ROLE"), "no role is dropped:\n{text}");
    for role in connected_and_bootstrap_roles().await {
        assert!(
            !text.contains(&format!("role {role}")),
            "{role} untouched:\n{text}"
        );
    }
}

#[tokio::test]
async fn a_role_left_out_of_the_model_is_kept_unless_roles_are_exclusive() {
    let tag = unique("t_rolesgone");
    let reader = format!("{tag}_reader");
    let declared = format!("roles:\n  {reader}: {{ login: false }}\n");
    let yaml = model(&tag, &declared, "");
    let path = write_model(&tag, &yaml);
    let out = schemactl_env(&path, &["provision"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let conn = connect(&db_url(&tag)).await;
    exec(
        &conn,
        &format!("GRANT SELECT ON \"Billing Data\".invoice TO {reader}"),
    )
    .await;

    // Declared management (the default): the reader is no longer the model's business.
    let without = model(&tag, "", "");
    let out = plan(&tag, &without, "declared");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("DROP ROLE"), "{text}");
    assert!(
        text.contains(&format!(
            "REVOKE SELECT ON TABLE \"Billing Data\".invoice FROM {reader}"
        )),
        "the grant on a managed table still converges:\n{text}"
    );

    // Exclusive management: the reader goes, the superuser and the connected role stay.
    let exclusive = model(&tag, "", ", role_management: exclusive");
    let out = plan(&tag, &exclusive, "exclusive");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(&format!("DROP ROLE {reader}")), "{text}");
    for role in connected_and_bootstrap_roles().await {
        assert!(
            !text.contains(&format!("DROP ROLE {role};")),
            "{role} is never dropped:\n{text}"
        );
    }
    assert!(!text.contains("DROP ROLE pg_"), "{text}");
    drop(conn);
    drop_database(&tag).await;
    let admin = connect(&admin_url()).await;
    exec(&admin, &format!("DROP ROLE IF EXISTS {reader}")).await;
}

#[test]
fn an_unknown_role_management_is_refused_at_its_line() {
    let yaml = "database: { name: x, role_management: everything }\nschemas: {}\n";
    let path = write_model("t_rolemgmt_bad", yaml);
    let out = schemactl(&path, &["validate"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an invalid model exits 1: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("everything"), "{err}");
    assert!(err.contains(&format!("{}:1:39:", path.display())), "{err}");
}

#[tokio::test]
async fn passwords_reach_the_server_as_scram_verifiers() {
    let tag = unique("t_scram");
    let login = format!("{tag}_login");
    let roles = format!("roles:\n  {login}: {{ login: true, password_env: T_SCRAM_PW }}\n");
    let yaml = model(&tag, &roles, "");
    let path = write_model(&tag, &yaml);
    // The admin session asks the server for MD5 hashing: a verifier the server computed
    // from a plain password would be `md5…`; one computed by schemactl is stored as sent.
    let admin = format!(
        "{}{}options=-c%20password_encryption%3Dmd5",
        admin_url(),
        if admin_url().contains('?') { "&" } else { "?" }
    );
    let out = schemactl_env(
        &path,
        &["provision"],
        &[
            ("T_SCRAM_PW", "n0t in the log, s'il vous plaît"),
            ("SCHEMACTL_ADMIN_URL", &admin),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("n0t in the log"), "{}", stderr(&out));
    let conn = connect(&admin_url()).await;
    let stored = scalar_string(
        &conn,
        &format!("SELECT rolpassword FROM pg_authid WHERE rolname = '{login}'"),
    )
    .await;
    assert!(stored.starts_with("SCRAM-SHA-256$4096:"), "{stored}");
    let user = connect_as(&tag, &login, "n0t in the log, s'il vous plaît").await;
    assert_eq!(
        scalar_string(&user, "SELECT current_user::text").await,
        login
    );
    drop(user);
    drop(conn);
    drop_database(&tag).await;
    let admin = connect(&admin_url()).await;
    exec(&admin, &format!("DROP ROLE IF EXISTS {login}")).await;
}
