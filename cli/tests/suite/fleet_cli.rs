//! `--fleet` refusals that need no server: each exits with its code before any target is
//! contacted (the targets point at a port nothing listens on, so reaching one would
//! fail differently).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/fleet-cli-test")
        .join(std::process::id().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(model: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("--schema")
        .arg(model)
        .args(args)
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .env_remove("FLEET_TEST_UNSET")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

const MODEL: &str = "database: { name: saas }
schemas:
  tenant:
    tables:
      orders:
        columns:
          id: { type: bigint, primary_key: true }
    views:
      recent:
        query: SELECT id FROM tenant.orders
";

const FLEETS: &str = "fleets:
  shops:
    targets:
      - { url: \"postgres://nobody@127.0.0.1:9/saas\", schema: acme }
  unset:
    targets: [\"postgres://nobody:${FLEET_TEST_UNSET}@127.0.0.1:9/saas\"]
";

#[test]
fn fleet_commands_refuse_before_touching_a_target() {
    let dir = dir();
    let model = write(&dir, "schema.yaml", MODEL);
    write(&dir, "fleets.yaml", FLEETS);

    // A tenant body that names the tenant schema: exit 1 at the view's query.
    let (code, text) = run(&model, &["drift", "--fleet", "shops"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("schema.yaml:10:16: error: `tenant.orders` names the tenant schema"),
        "{text}"
    );

    let fixed = write(
        &dir,
        "schema.yaml",
        &MODEL.replace("FROM tenant.orders", "FROM orders"),
    );
    // apply --fleet without --yes; an unknown fleet; an unset variable: exit 2.
    let (code, text) = run(&fixed, &["apply", "--fleet", "shops"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("pass --yes"), "{text}");
    let (code, text) = run(&fixed, &["drift", "--fleet", "nope"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("declares no fleet `nope` (it declares: shops, unset)"),
        "{text}"
    );
    let (code, text) = run(&fixed, &["drift", "--fleet", "unset"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("fleets.yaml:6:15: environment variable FLEET_TEST_UNSET is not set"),
        "{text}"
    );
    // migrate up runs SQL files written for the model's schema names: no schema targets.
    let (code, text) = run(&fixed, &["migrate", "up", "--fleet", "shops"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("127.0.0.1:9/saas/acme is a schema target"),
        "{text}"
    );
    // Neither a database nor a fleet.
    let (code, text) = run(&fixed, &["apply", "--yes"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("--fleet NAME"), "{text}");

    // A fleet file with a mistake: exit 1, at its line and column.
    write(
        &dir,
        "fleets.yaml",
        "fleets:\n  shops:\n    targets: [\"postgres://h/d\"]\n    canary: 3\n",
    );
    let (code, text) = run(&fixed, &["drift", "--fleet", "shops"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("fleets.yaml:4:5: error: unknown key `canary` in fleet `shops`"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
