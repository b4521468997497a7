//! Multi-file models: `include:` merges roles, schemas, extensions and unmanaged entries
//! from other files, a name defined twice is an error naming both places, and every
//! diagnostic, structural or semantic, points at the file, line and column it is about.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `files` (relative path, text) into a fresh directory; returns the directory.
fn model_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/test-models")
        .join(format!("include_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `schemactl validate` of `root`: (exit code, stdout, stderr).
fn validate(root: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("--schema")
        .arg(root)
        .arg("validate")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ROOT: &str = "include:\n  - roles.yaml\n  - schemas/shop.yaml\n  - schemas/billing.yaml\ndatabase: { name: shopdb, owner: shop_owner }\nextensions: [pg_trgm]\n";
const ROLES: &str = "roles:\n  shop_owner: {}\n  shop_app: { login: true }\n";
const SHOP: &str = "\
extensions: [vector]
schemas:
  shop:
    tables:
      orders:
        columns:
          order_id: { type: bigint, primary_key: true }
          total: { type: \"numeric(10,2)\" }
        grants:
          - { to: [shop_app], privileges: [select] }
";
const BILLING: &str = "\
schemas:
  billing:
    tables:
      invoices:
        columns:
          invoice_id: { type: bigint, primary_key: true }
          order_id: { type: bigint, references: { schema: shop, table: orders } }
";

fn files<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![
        ("model.yaml", ROOT),
        ("roles.yaml", ROLES),
        ("schemas/shop.yaml", SHOP),
        ("schemas/billing.yaml", BILLING),
    ];
    for (path, text) in changes {
        match all.iter_mut().find(|(p, _)| p == path) {
            Some(entry) => entry.1 = text,
            None => all.push((path, text)),
        }
    }
    all
}

#[test]
fn included_files_merge_into_one_model() {
    let dir = model_dir("merge", &files(&[]));
    let (code, out, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("valid (2 schemas, 2 tables, 2 roles)"),
        "{out}"
    );
    let loaded = schemactl::load::load_file(&dir.join("model.yaml"))
        .unwrap()
        .unwrap();
    assert_eq!(loaded.model.extensions, ["pg_trgm", "vector"]);
    assert_eq!(
        loaded.model.schemas.keys().collect::<Vec<_>>(),
        ["shop", "billing"]
    );
}

#[test]
fn semantic_diagnostics_point_into_the_included_file() {
    let shop = SHOP.replace("to: [shop_app]", "to: [shop_ap]");
    let billing = BILLING.replace("table: orders", "table: order");
    let dir = model_dir(
        "semantic",
        &files(&[
            ("schemas/shop.yaml", &shop),
            ("schemas/billing.yaml", &billing),
        ]),
    );
    let (code, _, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 1, "{err}");
    let shop_file = dir.join("schemas/shop.yaml");
    let billing_file = dir.join("schemas/billing.yaml");
    assert!(
        err.contains(&format!(
            "{}:10:20: error: unknown role `shop_ap`",
            shop_file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:7:72: error: foreign key on `invoices` references table `shop.order`",
            billing_file.display()
        )),
        "{err}"
    );
    // The source line shown is the included file's.
    assert!(
        err.contains("10 |           - { to: [shop_ap], privileges: [select] }"),
        "{err}"
    );
}

#[test]
fn structural_diagnostics_point_into_the_included_file() {
    let billing = format!("{BILLING}extensions: [7]\nbogus: true\n");
    let dir = model_dir("structure", &files(&[("schemas/billing.yaml", &billing)]));
    let (code, _, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 1, "{err}");
    let file = dir.join("schemas/billing.yaml");
    // The list item is the third of the merged list, found in the file that wrote it.
    assert!(
        err.contains(&format!(
            "{}:8:14: error: expected a string in `extensions.2`",
            file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:9:1: error: unknown key `bogus`",
            file.display()
        )),
        "{err}"
    );
}

#[test]
fn a_name_defined_twice_is_an_error_naming_both_places() {
    let billing = format!("{BILLING}  shop: {{}}\nroles:\n  shop_app: {{ login: false }}\n");
    let dir = model_dir("twice", &files(&[("schemas/billing.yaml", &billing)]));
    let (code, _, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 1, "{err}");
    let file = dir.join("schemas/billing.yaml");
    assert!(
        err.contains(&format!(
            "{}:8:3: error: `schemas.shop` is defined twice",
            file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "the first definition is at {}:3:3",
            dir.join("schemas/shop.yaml").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "the first definition is at {}:3:3",
            dir.join("roles.yaml").display()
        )),
        "{err}"
    );
}

#[test]
fn misplaced_unreadable_and_malformed_includes_are_located() {
    let roles = format!("database: {{ name: other }}\ninclude: [x.yaml]\n{ROLES}");
    let root = ROOT.replace(
        "  - schemas/billing.yaml\n",
        "  - schemas/missing.yaml\n  - broken.yaml\n",
    );
    let dir = model_dir(
        "misplaced",
        &files(&[
            ("model.yaml", &root),
            ("roles.yaml", &roles),
            ("broken.yaml", "schemas:\n  x: [unclosed\n"),
        ]),
    );
    let (code, _, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 1, "{err}");
    let roles_file = dir.join("roles.yaml");
    assert!(
        err.contains(&format!(
            "{}:1:1: error: `database` belongs in the root model file",
            roles_file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:2:1: error: `include` belongs in the root model file",
            roles_file.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:4:5: error: cannot read included file {}",
            dir.join("model.yaml").display(),
            dir.join("schemas/missing.yaml").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}:", dir.join("broken.yaml").display()))
            && err.contains("malformed YAML"),
        "{err}"
    );
}

/// Large models are cached once validated; an included file changing must not be
/// served from the cache.
#[test]
fn a_changed_included_file_is_never_served_from_the_cache() {
    let padding = format!("# {}\n", "x".repeat(100)).repeat(700);
    let root = format!("{ROOT}{padding}");
    let dir = model_dir("cache", &files(&[("model.yaml", &root)]));
    let (code, _, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 0, "{err}");
    std::fs::write(
        dir.join("schemas/shop.yaml"),
        SHOP.replace("to: [shop_app]", "to: [nobody]"),
    )
    .unwrap();
    let (code, _, err) = validate(&dir.join("model.yaml"));
    assert_eq!(code, 1, "a stale cached model was used: {err}");
    assert!(err.contains("unknown role `nobody`"), "{err}");
}
