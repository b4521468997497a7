//! `provision` on a database that already exists (no versioned migrations beside the
//! model): it applies the same plan `apply` computes, refuses hazards that were not
//! allowed with nothing changed, and never reports "no change" while `drift` finds one.

use crate::common_pg;

use common_pg::*;

const MODEL: &str = r#"
database: { name: prov_existing, owner: pe_owner }
roles:
  pe_owner: { login: true, password_env: PE_OWNER_PW }
schemas:
  "Sales Data":
    owner: pe_owner
    tables:
      customer:
        columns:
          id: { type: bigint, identity: by_default, primary_key: true }
          "E-mail": { type: text }
          nickname: { type: text }
          legacy_code: { type: text }
        seed:
          rows:
            - { id: 1, "E-mail": a@example.com, nickname: ann, legacy_code: x1 }
"#;

const ENV: &[(&str, &str)] = &[("PE_OWNER_PW", "pe-owner-pw")];

fn run(model: &str, db: &str, extra: &[&str]) -> std::process::Output {
    let path = write_model(db, model);
    let mut args = vec!["provision", db];
    args.extend_from_slice(extra);
    schemactl_env(&path, &args, ENV)
}

fn drift(model: &str, db: &str) -> std::process::Output {
    let path = write_model(&format!("{db}_drift"), model);
    let url = db_url(db);
    schemactl_env(&path, &["drift", "--database-url", &url], ENV)
}

#[tokio::test]
async fn an_edited_model_is_applied_and_hazards_are_refused_until_allowed() {
    let db = unique("t_prov_existing");
    drop_database(&db).await;
    let first = run(MODEL, &db, &[]);
    assert!(first.status.success(), "{}", stderr(&first));

    // A new column, and an existing one made NOT NULL: no hazard, applied.
    let edited = MODEL
        .replace(
            "          nickname: { type: text }\n",
            "          nickname: { type: text, nullable: false }\n          joined_on: { type: date, default: CURRENT_DATE }\n",
        );
    let second = run(&edited, &db, &[]);
    let log = stderr(&second);
    assert!(second.status.success(), "{log}");
    assert!(!log.contains("no change"), "the edit was applied:\n{log}");
    let conn = connect(&db_url(&db)).await;
    let columns = strings(
        &conn,
        "SELECT column_name::text || ' ' || is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'Sales Data' AND table_name = 'customer' ORDER BY ordinal_position",
    )
    .await;
    assert_eq!(
        columns,
        [
            "id NO",
            "E-mail YES",
            "nickname NO",
            "legacy_code YES",
            "joined_on YES"
        ]
    );
    let out = drift(&edited, &db);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let again = run(&edited, &db, &[]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("no change"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );

    // Dropping a column loses data: refused, nothing changed, exit code 5.
    let dropped = edited.replace("          legacy_code: { type: text }\n", "");
    let dropped = dropped.replace(", legacy_code: x1", "");
    let refused = run(&dropped, &db, &[]);
    let log = stderr(&refused);
    assert_eq!(refused.status.code(), Some(5), "{log}");
    assert!(
        log.contains("drop column Sales Data.customer.legacy_code"),
        "{log}"
    );
    assert!(log.contains("data-loss"), "{log}");
    let still = scalar_i64(
        &conn,
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'Sales Data' \
         AND column_name = 'legacy_code'",
    )
    .await;
    assert_eq!(still, 1, "nothing was changed");
    let out = drift(&dropped, &db);
    assert_eq!(out.status.code(), Some(3), "drift sees the pending drop");

    let allowed = run(&dropped, &db, &["--allow-hazard", "data-loss"]);
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    let gone = scalar_i64(
        &conn,
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'Sales Data' \
         AND column_name = 'legacy_code'",
    )
    .await;
    assert_eq!(gone, 0);
    assert_eq!(
        scalar_string(
            &conn,
            "SELECT \"E-mail\" FROM \"Sales Data\".customer WHERE id = 1"
        )
        .await,
        "a@example.com",
        "the other data stays"
    );
    drop(conn);
    drop_database(&db).await;
}
