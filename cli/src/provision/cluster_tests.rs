//! Unit tests of the parent module, kept apart to keep it short.
use super::*;

#[test]
fn password_is_masked_in_display() {
    let step = with_password(
        "a",
        "CREATE ROLE a WITH LOGIN".into(),
        Some("it's secret".into()),
        "role",
        Change::Created,
    )
    .unwrap();
    assert!(
        step.sql
            .starts_with("CREATE ROLE a WITH LOGIN PASSWORD 'SCRAM-SHA-256$4096:"),
        "{}",
        step.sql
    );
    assert!(!step.sql.contains("secret"), "{}", step.sql);
    assert_eq!(step.display, "CREATE ROLE a WITH LOGIN PASSWORD '***'");
}

#[test]
fn attribute_diff() {
    let role = Role {
        login: true,
        inherit: false,
        createdb: true,
        connection_limit: 5,
        ..Role::default()
    };
    assert_eq!(
        attribute_changes(&role, &LiveRole::DEFAULT),
        ["NOINHERIT", "CREATEDB", "CONNECTION LIMIT 5"]
    );
    assert!(same_encoding("UTF-8", "UTF8"));
}
