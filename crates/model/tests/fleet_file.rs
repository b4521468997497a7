//! The fleet file's diagnostics: every problem at once, at its line and column.

// Test helpers outside #[test] functions unwrap too: a panic is the failure report.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

use std::path::Path;

use schemactl_model::diag::render_all_in;
use schemactl_model::fleet::{self, DiscoveryKind};
use schemactl_model::load::load_str;

fn problems(yaml: &str) -> String {
    match fleet::load(Path::new("fleets.yaml"), yaml.to_string()) {
        Ok(_) => panic!("expected problems in:\n{yaml}"),
        Err((source, diagnostics)) => render_all_in(&diagnostics, &source, "the fleet file"),
    }
}

#[test]
fn a_valid_file_reads_in_order() {
    let yaml = r#"
fleets:
  shops:
    tenant_schema: tenant
    targets:
      - "postgres://app:${PW}@db1/saas"
      - { url: "postgres://app@db1/saas", schema: acme }
    discover:
      - { url: "postgres://app@db1/saas", schemas: "tenant\\_%" }
      - { url: "postgres://app@db2/control", query: "SELECT url, schema FROM tenants" }
"#;
    let (_, file) = fleet::load(Path::new("fleets.yaml"), yaml.to_string()).unwrap();
    let shops = &file.fleets["shops"];
    assert_eq!(shops.tenant_schema.as_deref(), Some("tenant"));
    assert_eq!(shops.targets.len(), 2);
    assert_eq!(shops.targets[0].schema, None);
    assert_eq!(shops.targets[1].schema.as_deref(), Some("acme"));
    assert_eq!(
        shops.discover[0].kind,
        DiscoveryKind::Schemas {
            pattern: "tenant\\_%".into()
        }
    );
    assert!(matches!(
        shops.discover[1].kind,
        DiscoveryKind::Query { .. }
    ));
}

#[test]
fn every_mistake_is_reported_at_its_place() {
    let yaml = r#"fleets:
  Shops:
    tenant_schema: tenant
    target:
      - postgres://db1/saas
  eu:
    targets:
      - "postgres://app@db1/saas"
      - { url: "mysql://db2/saas", schema: acme }
      - "postgres://app@db1/saas"
      - { url: "postgres://${1PW}@db3/saas" }
    discover:
      - { url: "postgres://db1/saas", schemas: "t_%", query: "SELECT 1" }
      - { url: "postgres://db1/saas" }
  empty: {}
"#;
    insta::assert_snapshot!(problems(yaml));
}

#[test]
fn malformed_yaml_and_duplicate_fleets() {
    insta::assert_snapshot!(problems(
        "fleets:\n  a:\n    targets:\n      - \"postgres://x/y\n"
    ));
    insta::assert_snapshot!(problems(
        "fleets:\n  a: { targets: [\"postgres://h/d\"] }\n  a: { targets: [\"postgres://h/e\"] }\n"
    ));
}

#[test]
fn the_tenant_schema_is_checked_against_the_model() {
    let model = load_str(
        Path::new("schema.yaml"),
        "database: { name: saas }\nschemas:\n  tenant: {}\n  shared: {}\n".to_string(),
    )
    .unwrap()
    .model;
    let yaml = r#"fleets:
  named:
    tenant_schema: tenants
    targets: [{ url: "postgres://h/d", schema: acme }]
  unnamed:
    discover: [{ url: "postgres://h/d", schemas: "t%" }]
  databases:
    targets: ["postgres://h/d"]
"#;
    let (source, file) = fleet::load(Path::new("fleets.yaml"), yaml.to_string()).unwrap();
    let diagnostics = fleet::check_against_model(&file, &model);
    insta::assert_snapshot!(render_all_in(&diagnostics, &source, "the fleet file"));
}
