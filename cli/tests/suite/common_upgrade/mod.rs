//! Upgrade ≡ fresh, shared by the upgrade test files: for an edit of a base model,
//! provision the old model, apply the diff to the new one, and compare
//! `pg_dump --schema-only` with the new model provisioned fresh; a plan against the
//! upgraded database must then be empty. Then the reverse diff (the migration's down),
//! and the same edit as generated migrations, run as the owner and as a superuser.
#![allow(dead_code)]

use std::path::Path;

use crate::common_pg::*;
use schemactl::catalog::{Catalog, from_model};
use schemactl::diff::{Hazard, Hints};
use schemactl::plan::Plan;

/// The engine's plan between two model catalogs, objects made as `owner`.
pub fn diff(old: &Catalog, new: &Catalog, hints: &Hints, owner: &str) -> Plan {
    Plan::Postgres {
        steps: schemactl_postgres::plan(old, new, hints).unwrap_or_else(|e| panic!("{e}")),
        owner: Some(owner.to_string()),
    }
}

/// A base model with what its databases need: role passwords, owner, extensions.
pub struct Base {
    pub text: &'static str,
    pub env: &'static [(&'static str, &'static str)],
    pub owner: &'static str,
    /// Created by the admin before migrations run (pgvector is not trusted).
    pub extensions: &'static [&'static str],
}

impl Base {
    pub fn edited(&self, edits: &[(&str, &str)]) -> String {
        let mut text = self.text.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "the base model contains {from:?}");
            text = text.replacen(from, to, 1);
        }
        text
    }

    pub fn provision(&self, database: &str, text: &str) {
        let path = write_model(database, text);
        let output = schemactl_env(
            &path,
            &["provision", database, "--recreate", "--yes"],
            self.env,
        );
        assert!(
            output.status.success(),
            "provision {database}:\n{}",
            stderr(&output)
        );
    }

    /// Runs `schemactl` with this base's passwords on a model text.
    pub fn schemactl(&self, name: &str, text: &str, args: &[&str]) -> std::process::Output {
        schemactl_env(&write_model(name, text), args, self.env)
    }

    /// `schemactl apply --yes` of a model text to database `database`, allowing each
    /// hazard of `allowed` (`table-rewrite`, …).
    pub fn apply(&self, database: &str, text: &str, allowed: &[&str]) -> std::process::Output {
        let url = crate::common_pg::db_url(database);
        let mut args = vec!["apply", "--database-url", url.as_str(), "--yes"];
        for hazard in allowed {
            args.extend(["--allow-hazard", hazard]);
        }
        self.schemactl(database, text, &args)
    }
}

pub fn load(name: &str, text: &str) -> schemactl::model::Model {
    let loaded = schemactl::load::load_str(Path::new(name), text.to_string())
        .unwrap_or_else(|(source, d)| panic!("{}", schemactl::diag::render_all(&d, &source)));
    let problems = schemactl::validate::validate(&loaded);
    assert!(
        problems.is_empty(),
        "{}",
        schemactl::diag::render_all(&problems, &loaded.source)
    );
    loaded.model
}

/// One connection (the advisory lock and the transaction belong to one session).
pub async fn single(database: &str) -> sea_orm::DatabaseConnection {
    let mut options = sea_orm::ConnectOptions::new(db_url(database));
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    sea_orm::Database::connect(options).await.unwrap()
}

/// Applies a plan as `apply` does: connected as the admin, objects made as the owner.
pub async fn apply(database: &str, plan: &Plan) {
    let conn = single(database).await;
    schemactl::execute::run(&conn, &plan.script().unwrap())
        .await
        .unwrap_or_else(|e| panic!("applying to {database} failed: {e:#}\n{}", plan.sql()));
}

/// The plan from the live database to `model` (what `plan --database-url` prints).
pub async fn live_plan(model: &schemactl::model::Model, database: &str) -> Plan {
    schemactl::upgrade::plan(model, &db_url(database))
        .await
        .unwrap()
}

/// Runs one scenario; returns the upgrade plan for scenario-specific assertions.
pub async fn scenario(base: &Base, name: &str, edits: &[(&str, &str)]) -> Plan {
    let old_text = base.text.to_string();
    let new_text = base.edited(edits);
    let old = load("old.yaml", &old_text);
    let new = load("new.yaml", &new_text);
    let up = diff(
        &from_model(&old),
        &from_model(&new),
        &Hints::from_model(&new),
        base.owner,
    );
    assert!(!up.is_empty(), "{name}: the edit produces a plan");
    let down = diff(
        &from_model(&new),
        &from_model(&old),
        &Hints::from_model(&new).reversed(),
        base.owner,
    );

    let upgraded = format!("up_{name}_{}", std::process::id());
    let fresh = format!("fr_{name}_{}", std::process::id());
    base.provision(&upgraded, &old_text);
    let old_dump = schema_dump(&upgraded);
    apply(&upgraded, &up).await;
    base.provision(&fresh, &new_text);
    let upgraded_dump = schema_dump(&upgraded);
    let fresh_dump = schema_dump(&fresh);
    assert_dumps_equal(name, "upgrade", &up, &upgraded_dump, &fresh_dump);
    let again = live_plan(&new, &upgraded).await;
    assert!(
        again.is_empty(),
        "{name}: a second plan after the upgrade is empty:\n{}",
        again.sql()
    );

    apply(&upgraded, &down).await;
    assert_dumps_equal(name, "down", &down, &schema_dump(&upgraded), &old_dump);

    // The same edit as a generated migration, run by the migration runner. Role changes
    // are cluster-level and left to `provision`, so a roles-only edit has no migration.
    let cluster_only = match &up {
        Plan::Postgres { steps, .. } => steps.iter().all(|s| s.step.cluster_level()),
        _ => false,
    };
    if cluster_only {
        drop_database(&upgraded).await;
        drop_database(&fresh).await;
        return up;
    }
    let dir = workspace()
        .join("target")
        .join("test-migrations")
        .join(format!("mg_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for (model, step) in [(&old, "base"), (&new, "edit")] {
        match schemactl::migrate::new_migration(&dir, model, step).unwrap() {
            schemactl::migrate::NewOutcome::Written { .. } => {}
            schemactl::migrate::NewOutcome::NoChange => panic!("{name}: migration {step} is empty"),
        }
        // Versions are timestamped to the second.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    // As the runner does it (objects made as the owner), and as a superuser who runs the
    // SQL as it is: both must give the fresh database.
    for (prefix, owner) in [("mg", Some(base.owner)), ("ms", None)] {
        let migrated = format!("{prefix}_{name}_{}", std::process::id());
        let runner = empty_database(base, &migrated).await;
        let applied = schemactl::migrate::run::up(&runner, &dir, None, owner)
            .await
            .unwrap_or_else(|e| panic!("{name}: migrate up ({prefix}): {e:#}"));
        assert_eq!(applied.len(), 2, "{name}: both migrations applied");
        let what = format!("the generated migration ({prefix})");
        assert_dumps_equal(name, &what, &up, &schema_dump(&migrated), &fresh_dump);
        schemactl::migrate::run::down(&runner, &dir, 1, owner)
            .await
            .unwrap();
        let what = format!("the migration's down ({prefix})");
        assert_dumps_equal(name, &what, &down, &schema_dump(&migrated), &old_dump);
        drop(runner);
        drop_database(&migrated).await;
    }
    drop_database(&upgraded).await;
    drop_database(&fresh).await;
    up
}

/// An empty database owned by the base's owner, with its extensions, and a runner
/// connection to it as the admin.
pub async fn empty_database(base: &Base, name: &str) -> sea_orm::DatabaseConnection {
    let admin = connect(&admin_url()).await;
    exec(
        &admin,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    )
    .await;
    exec(
        &admin,
        &format!("CREATE DATABASE {name} OWNER {}", base.owner),
    )
    .await;
    let conn = connect(&db_url(name)).await;
    for ext in base.extensions {
        exec(&conn, &format!("CREATE EXTENSION {ext}")).await;
    }
    schemactl::migrate::run::connect(&db_url(name))
        .await
        .unwrap()
}

pub fn assert_dumps_equal(name: &str, what: &str, plan: &Plan, got: &str, want: &str) {
    if got == want {
        return;
    }
    let diff: Vec<String> = similar_lines(want, got);
    panic!(
        "{name}: {what} differs from the fresh database\n--- plan ---\n{}\n--- dump difference (- fresh, + after {what}) ---\n{}",
        plan.sql(),
        diff.join("\n")
    );
}

fn similar_lines(want: &str, got: &str) -> Vec<String> {
    let want: Vec<&str> = want.lines().collect();
    let got: Vec<&str> = got.lines().collect();
    let mut out = Vec::new();
    for line in &want {
        if !got.contains(line) {
            out.push(format!("- {line}"));
        }
    }
    for line in &got {
        if !want.contains(line) {
            out.push(format!("+ {line}"));
        }
    }
    out
}

pub fn has_hazard(plan: &Plan, hazard: Hazard) -> bool {
    plan.summaries().iter().any(|s| s.hazards.contains(&hazard))
}
