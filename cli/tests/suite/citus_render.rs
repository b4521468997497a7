//! Citus rendering and plan hazards, as snapshots: Citus cannot be installed from the
//! registries this project reaches, so the SQL is checked here as text (the catalog
//! queries' guard runs for real in `introspect.rs`). The model is
//! `tests/valid/citus.yaml`, the worked example of docs/schema-reference.md.

use std::path::Path;

use schemactl::catalog::{Catalog, from_model};
use schemactl::diff::Hints;
use schemactl::load::load_str;
use schemactl_core::statement::RenderedStep;

fn model_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/valid/citus.yaml"))
        .unwrap()
}

fn catalog(yaml: &str) -> Catalog {
    let loaded = load_str(Path::new("citus.yaml"), yaml.to_string())
        .unwrap_or_else(|(_, d)| panic!("{d:?}"));
    let diagnostics = schemactl::validate::validate(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    from_model(&loaded.model)
}

/// Each step: its description, hazards and statements.
fn show(steps: &[RenderedStep]) -> String {
    let mut out = String::new();
    for step in steps {
        let hazards: Vec<String> = step.hazards.iter().map(ToString::to_string).collect();
        out.push_str(&format!(
            "-- {} [{}]\n",
            step.description,
            hazards.join(", ")
        ));
        for statement in &step.statements {
            out.push_str(&statement.sql);
            out.push_str(";\n");
        }
    }
    out
}

fn plan(from: &str, to: &str) -> Vec<RenderedStep> {
    schemactl_postgres::plan(&catalog(from), &catalog(to), &Hints::default()).unwrap()
}

#[test]
fn the_create_script_distributes_in_the_order_citus_needs() {
    let steps = schemactl_postgres::create_script(&catalog(&model_text())).unwrap();
    let text = show(&steps);
    let position = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in\n{text}"))
    };
    // Tables exist before they are distributed; reference tables before the distributed
    // tables that reference them; a group's first table before its colocated tables;
    // foreign keys after every distribution.
    assert!(position("CREATE TABLE app.orders") < position("create_reference_table"));
    assert!(
        position("create_reference_table") < position("create_distributed_table('app.customers'")
    );
    assert!(
        position("create_distributed_table('app.customers'")
            < position("create_distributed_table('app.orders'")
    );
    assert!(position("create_distributed_table('app.orders'") < position("FOREIGN KEY"));
    insta::assert_snapshot!(text);
}

#[test]
fn distributing_existing_tables_rewrites_them() {
    let model = model_text();
    let local = model
        .lines()
        .filter(|l| !l.contains("citus:"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(show(&plan(&local, &model)));
}

#[test]
fn changed_distributions_are_altered_or_redone() {
    let model = model_text();
    let changed = model
        .replace(
            "citus: { distribute_by: customer_id, colocate_with: customers }",
            "citus: { distribute_by: customer_id }",
        )
        .replace(
            "citus: { reference: true }",
            "citus: { distribute_by: code }",
        )
        .replace("    citus: { distributed: true }\n", "");
    insta::assert_snapshot!(show(&plan(&model, &changed)));
}

#[test]
fn a_distribution_column_type_change_is_a_hazard() {
    let model = model_text();
    // Both sides of the colocation and of the foreign key, so the model stays valid.
    let retyped = model
        .replace(
            "customer_id: { type: bigint, references",
            "customer_id: { type: numeric, references",
        )
        .replacen(
            "id: { type: bigint, primary_key: true }",
            "id: { type: numeric, primary_key: true }",
            1,
        );
    let steps = plan(&model, &retyped);
    let step = steps
        .iter()
        .find(|s| s.description.contains("app.orders.customer_id"))
        .expect("a type change of app.orders.customer_id");
    assert!(
        step.hazards
            .contains(&schemactl::diff::Hazard::DistributionColumn),
        "{:?}",
        step.hazards
    );
    insta::assert_snapshot!(show(&steps));
}
