//! `generate entities` and `generate docs`: golden files per type mapping and relation
//! shape, the committed `entity/` crate and `docs/` being current (what CI's `--check`
//! means), rustfmt-cleanliness, and the command's `--check` exit code.

use crate::common_pg;

use std::path::{Path, PathBuf};
use std::process::Command;

use schemactl::catalog::{self, Catalog};
use schemactl::generate::{self, Files, ViewColumns};

fn catalog_of(yaml: &str) -> Catalog {
    let loaded = schemactl::load::load_str(Path::new("model.yaml"), yaml.to_string())
        .unwrap_or_else(|(_, d)| panic!("model does not load: {d:?}"));
    let diagnostics = schemactl::validate::validate(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    catalog::from_model(&loaded.model)
}

fn render(yaml: &str) -> Files {
    generate::entity_files(&catalog_of(yaml), &ViewColumns::new(), None).unwrap()
}

/// All files of a small model as one snapshot, each under its path.
fn joined(files: &Files) -> String {
    files
        .iter()
        .map(|(path, text)| format!("===== {}\n{text}", path.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

const TYPES: &str = r#"
database: { name: t }
schemas:
  app:
    enums:
      mood: [happy, "so-so", "2nd"]
    domains:
      email: { type: text, checks: { email_has_at: "VALUE LIKE '%@%'" } }
      amount: { type: "numeric(10,2)" }
      calm_mood: { type: mood }
    composite_types:
      point2: { attributes: { x: double precision, y: double precision } }
    tables:
      everything:
        comment: One column per type mapping
        columns:
          id: { type: bigserial, primary_key: true }
          small: { type: smallint }
          int_nn: { type: integer, nullable: false }
          big: { type: bigint }
          txt: { type: text, comment: "Free text\nover two lines" }
          vc: { type: varchar(20), unique: true }
          ch: { type: char(2) }
          flag: { type: boolean }
          num: { type: numeric }
          money: { type: "numeric(10,2)" }
          r: { type: real }
          d: { type: double precision }
          day: { type: date }
          clock: { type: time }
          ts: { type: timestamp }
          tstz: { type: timestamptz }
          span: { type: interval }
          id2: { type: uuid }
          j: { type: json }
          jb: { type: jsonb }
          emb: { type: vector(3) }
          tsv: { type: tsvector }
          ip: { type: inet }
          net: { type: cidr }
          raw: { type: bytea }
          feeling: { type: mood }
          feelings: { type: "mood[]" }
          tags: { type: "text[]" }
          nums: { type: "integer[]" }
          type: { type: text, comment: A Rust keyword }
          total: { type: integer, generated: "small + 1" }
          contact: { type: email, comment: A domain over text }
          amounts: { type: "amount[]" }
          calm: { type: calm_mood, comment: A domain over an enum }
          at: { type: point2, comment: "A composite type, read as text" }
"#;

#[test]
fn every_type_mapping() {
    insta::assert_snapshot!("generate_types", joined(&render(TYPES)));
}

const RELATIONS: &str = r#"
database: { name: r }
schemas:
  shop:
    tables:
      cake:
        columns:
          id: { type: serial, primary_key: true }
          name: { type: text }
      filling:
        columns:
          id: { type: integer, identity: always, primary_key: true }
      cake_filling:
        comment: Junction table (many-to-many)
        columns:
          cake_id: { type: integer, references: { table: cake, on_delete: cascade, on_update: cascade } }
          filling_id: { type: integer, references: { table: filling, on_delete: cascade } }
        primary_key: [cake_id, filling_id]
      profile:
        comment: One-to-one through a unique foreign key
        columns:
          id: { type: integer, primary_key: true }
          cake_id: { type: integer, unique: true, references: { table: cake } }
      parent:
        columns:
          id1: { type: integer }
          id2: { type: integer }
        primary_key: [id1, id2]
      child:
        comment: Composite foreign key
        columns:
          id: { type: integer, primary_key: true }
          p1: { type: integer }
          p2: { type: integer }
        foreign_keys:
          child_parent_fkey: { columns: [p1, p2], references: parent, referenced_columns: [id1, id2], on_delete: set_null }
      employee:
        comment: Self reference, and two references to the same table
        columns:
          id: { type: integer, primary_key: true }
          manager_id: { type: integer, references: { table: employee } }
          home_cake: { type: integer, references: { table: cake } }
          work_cake: { type: integer, references: { table: cake } }
  audit:
    tables:
      event:
        comment: Cross-schema reference
        columns:
          id: { type: uuid, primary_key: true }
          cake_id: { type: integer, nullable: false, references: { schema: shop, table: cake, on_delete: restrict } }
        unique:
          event_pair_key: [id, cake_id]
"#;

#[test]
fn every_relation_shape() {
    insta::assert_snapshot!("generate_relations", joined(&render(RELATIONS)));
}

#[test]
fn the_same_model_renders_the_same_bytes() {
    assert_eq!(render(RELATIONS), render(RELATIONS));
    assert_eq!(render(TYPES), render(TYPES));
}

fn scratch(name: &str) -> PathBuf {
    let dir = common_pg::workspace()
        .join("target")
        .join("test-generate")
        .join(format!("{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_all(dir: &Path, files: &Files) -> Vec<PathBuf> {
    files
        .iter()
        .map(|(rel, text)| {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

fn assert_rustfmt_clean(name: &str, files: &Files) {
    let dir = scratch(name);
    let paths = write_all(&dir, files);
    let output = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(&paths)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "not rustfmt-clean:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn small_models_render_rustfmt_clean() {
    assert_rustfmt_clean("types", &render(TYPES));
    assert_rustfmt_clean("relations", &render(RELATIONS));
}

fn real_entity_files() -> Files {
    let loaded = schemactl::load::load_file(&common_pg::schema_path())
        .unwrap()
        .unwrap_or_else(|_| panic!("schema.yaml loads"));
    let catalog = catalog::from_model(&loaded.model);
    let admin = common_pg::admin_url();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let views = runtime
        .block_on(generate::views::resolve(&catalog, Some(&admin)))
        .unwrap();
    generate::entity_files(&catalog, &views, None).unwrap()
}

#[test]
fn committed_entity_crate_is_current_and_rustfmt_clean() {
    let files = real_entity_files();
    let out = common_pg::workspace().join("entity").join("src");
    let drift = generate::check(&out, &files, "rs").unwrap();
    assert!(
        drift.is_empty(),
        "entity/src is not current; run `schemactl generate entities`:\n{}",
        drift.diffs.join("\n")
    );
    assert_rustfmt_clean("real", &files);
}

#[test]
fn committed_docs_are_current() {
    let loaded = schemactl::load::load_file(&common_pg::schema_path())
        .unwrap()
        .unwrap_or_else(|_| panic!("schema.yaml loads"));
    let files = generate::doc_files(&catalog::from_model(&loaded.model), None).unwrap();
    let drift = generate::check(&common_pg::workspace().join("docs"), &files, "md").unwrap();
    assert!(
        drift.is_empty(),
        "docs are not current; run `schemactl generate docs`:\n{}",
        drift.diffs.join("\n")
    );
}

#[test]
fn check_exits_1_with_a_diff_and_writes_nothing() {
    let dir = scratch("check");
    let model = common_pg::write_model("generate_check", RELATIONS);
    let out = dir.join("src");
    let run = |extra: &[&str]| {
        let mut args = vec!["generate", "entities", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        common_pg::schemactl(&model, &args)
    };
    let first = run(&["--check"]);
    assert_eq!(
        first.status.code(),
        Some(3),
        "{}",
        common_pg::stderr(&first)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("+++ b/"));
    assert!(!out.exists(), "--check wrote files");
    assert!(run(&[]).status.success());
    assert_eq!(run(&["--check"]).status.code(), Some(0));
    // A hand edit is drift; a stale generated file is too.
    let cake = out.join("shop").join("cake.rs");
    std::fs::write(&cake, "// edited\n").unwrap();
    std::fs::write(
        out.join("shop").join("gone.rs"),
        "//! `SeaORM` Entity, @generated by sea-orm-codegen 2.0\n",
    )
    .unwrap();
    let drifted = run(&["--check"]);
    assert_eq!(drifted.status.code(), Some(3));
    let diff = String::from_utf8_lossy(&drifted.stdout);
    assert!(
        diff.contains("-// edited") && diff.contains("gone.rs"),
        "{diff}"
    );
    assert!(run(&[]).status.success());
    assert!(!out.join("shop").join("gone.rs").exists());
    assert_eq!(run(&["--check"]).status.code(), Some(0));
}

#[test]
fn templates_dir_replaces_the_built_in_templates() {
    let dir = scratch("templates");
    let source = common_pg::workspace()
        .join("crates/codegen/templates")
        .join("entity");
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let prelude = dir.join("prelude.rs.j2");
    let text = std::fs::read_to_string(&prelude).unwrap();
    std::fs::write(
        &prelude,
        text.replace("{{ banner }}", "{{ banner }}\n// custom"),
    )
    .unwrap();
    let files =
        generate::entity_files(&catalog_of(RELATIONS), &ViewColumns::new(), Some(&dir)).unwrap();
    assert!(files[Path::new("shop/prelude.rs")].contains("// custom"));
    std::fs::remove_file(dir.join("mod.rs.j2")).unwrap();
    let err = generate::entity_files(&catalog_of(RELATIONS), &ViewColumns::new(), Some(&dir))
        .unwrap_err();
    assert!(format!("{err:#}").contains("mod.rs.j2"), "{err:#}");
}
