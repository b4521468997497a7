//! schemactl's code generation: SeaORM entity crates, migration files and documents
//! rendered from the catalog through minijinja templates, which live in this package
//! (`templates/`) and are built into it.
//!
//! Rendering is pure (catalog + templates → a map of relative paths to contents), so
//! that `--check`, the tests and the benchmark share it; only [`write`] and [`check`]
//! touch the disk. What needs a database (a view's columns, resolved by the server) is the
//! CLI's (`schemactl::generate`), which passes the result in as [`ViewColumns`].

pub mod docs;
pub mod entities;
pub mod sqlite_types;
pub mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use minijinja::{AutoEscape, Environment, Value};

pub use entities::{CrateCtx, Dialect, Options, ViewColumns};

use schemactl_core::catalog::{self, Catalog};
use schemactl_model as model;

/// The templates of a SQLite entity crate; `--templates DIR` replaces them file by file.
pub const SQLITE_ENTITY_TEMPLATES: &[(&str, &str)] = &[
    (
        "sqlite_lib.rs.j2",
        include_str!("../templates/entity/sqlite_lib.rs.j2"),
    ),
    (
        "prelude.rs.j2",
        include_str!("../templates/entity/prelude.rs.j2"),
    ),
    (
        "entity.rs.j2",
        include_str!("../templates/entity/entity.rs.j2"),
    ),
];

/// One versioned migration of a generated sea-orm-migration crate.
pub const MIGRATION_TEMPLATE: &str = include_str!("../templates/migration/migration.rs.j2");
/// The `lib.rs` of a generated migration crate, listing its migrations.
pub const MIGRATION_LIB_TEMPLATE: &str = include_str!("../templates/migration/lib.rs.j2");

/// Relative path → contents.
pub type Files = BTreeMap<PathBuf, String>;

/// Templates built into the binary; `--templates DIR` replaces them file by file.
const ENTITY_TEMPLATES: &[(&str, &str)] = &[
    ("lib.rs.j2", include_str!("../templates/entity/lib.rs.j2")),
    ("mod.rs.j2", include_str!("../templates/entity/mod.rs.j2")),
    (
        "prelude.rs.j2",
        include_str!("../templates/entity/prelude.rs.j2"),
    ),
    (
        "entity.rs.j2",
        include_str!("../templates/entity/entity.rs.j2"),
    ),
    (
        "sea_orm_active_enums.rs.j2",
        include_str!("../templates/entity/sea_orm_active_enums.rs.j2"),
    ),
];

const DOC_TEMPLATES: &[(&str, &str)] = &[
    (
        "data-dictionary.md.j2",
        include_str!("../templates/docs/data-dictionary.md.j2"),
    ),
    ("er.md.j2", include_str!("../templates/docs/er.md.j2")),
];

/// A template environment over the built-in set, or over `dir` when given (a file
/// missing from `dir` is an error: a partial copy would silently mix two versions).
pub fn environment(
    builtin: &'static [(&'static str, &'static str)],
    dir: Option<&Path>,
) -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in builtin {
        match dir {
            Some(dir) => {
                let path = dir.join(name);
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading template {}", path.display()))?;
                env.add_template_owned(*name, text)
                    .with_context(|| format!("parsing template {}", path.display()))?;
            }
            None => env
                .add_template(name, source)
                .with_context(|| format!("parsing built-in template {name}"))?,
        }
    }
    Ok(env)
}

/// Renders template `name` of `env` with `ctx`.
pub fn render(env: &Environment<'_>, name: &str, ctx: Value) -> anyhow::Result<String> {
    let template = env.get_template(name)?;
    template
        .render(ctx)
        .map_err(|e| anyhow::anyhow!("rendering template {name}: {e:#}"))
}

/// Every file of the entity crate's `src/` directory.
pub fn entity_files(
    catalog: &Catalog,
    views: &ViewColumns,
    templates: Option<&Path>,
) -> anyhow::Result<Files> {
    let env = environment(ENTITY_TEMPLATES, templates)?;
    let ctx = entities::build(catalog, views, &Options::default());
    render_entities(&env, &ctx)
}

pub fn render_entities(env: &Environment<'_>, ctx: &CrateCtx) -> anyhow::Result<Files> {
    let mut files = Files::new();
    let banner = &ctx.banner;
    files.insert(
        PathBuf::from("lib.rs"),
        render(env, "lib.rs.j2", minijinja::context! { banner, schemas => Value::from(minijinja::value::Serde(&ctx.schemas)) })?,
    );
    for schema in &ctx.schemas {
        let dir = PathBuf::from(&schema.name);
        let mut modules: Vec<String> = schema.entities.iter().map(|e| e.module.clone()).collect();
        if !schema.enums.is_empty() {
            modules.push("sea_orm_active_enums".to_string());
            files.insert(
                dir.join("sea_orm_active_enums.rs"),
                render(env, "sea_orm_active_enums.rs.j2", minijinja::context! { banner, schema => Value::from(minijinja::value::Serde(schema)) })?,
            );
        }
        // rustfmt sorts `mod` declarations; so do we, to stay rustfmt-clean.
        modules.sort_by(|a, b| a.trim_start_matches("r#").cmp(b.trim_start_matches("r#")));
        files.insert(
            dir.join("mod.rs"),
            render(env, "mod.rs.j2", minijinja::context! { banner, schema => Value::from(minijinja::value::Serde(schema)), modules })?,
        );
        files.insert(
            dir.join("prelude.rs"),
            render(env, "prelude.rs.j2", minijinja::context! { banner, schema => Value::from(minijinja::value::Serde(schema)) })?,
        );
        for e in &schema.entities {
            files.insert(
                dir.join(&e.file),
                render(
                    env,
                    "entity.rs.j2",
                    minijinja::context! { banner, e => Value::from(minijinja::value::Serde(e)) },
                )?,
            );
        }
    }
    Ok(files)
}

/// The data dictionary and one ER diagram per schema, relative to the docs directory.
pub fn doc_files(catalog: &Catalog, templates: Option<&Path>) -> anyhow::Result<Files> {
    let env = environment(DOC_TEMPLATES, templates)?;
    docs::render_all(&env, catalog)
}

/// What differs between `files` and the directory `out`.
#[derive(Debug, Default)]
pub struct Drift {
    /// Unified diffs, one per changed, new or stale file.
    pub diffs: Vec<String>,
    pub changed: Vec<PathBuf>,
    /// Generated files on disk that the model no longer produces.
    pub stale: Vec<PathBuf>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }
}

const GENERATED_MARK: &str = "@generated";

/// Compares without writing. Stale files are only those that carry the `@generated`
/// banner and have the extension of the generated set, so hand-written files are safe.
pub fn check(out: &Path, files: &Files, stale_ext: &str) -> anyhow::Result<Drift> {
    let mut drift = Drift::default();
    for (rel, want) in files {
        let path = out.join(rel);
        let have = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        if &have != want {
            drift.diffs.push(unified(&path, &have, want));
            drift.changed.push(rel.clone());
        }
    }
    for rel in existing_generated(out, stale_ext)? {
        if !files.contains_key(&rel) {
            let path = out.join(&rel);
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            drift.diffs.push(unified(&path, &have, ""));
            drift.stale.push(rel);
        }
    }
    Ok(drift)
}

fn unified(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

fn existing_generated(out: &Path, ext: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = out.join(&rel);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
        };
        for entry in entries {
            let entry = entry?;
            let child = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(child);
            } else if child.extension().is_some_and(|e| e == ext)
                && std::fs::read_to_string(out.join(&child))
                    .is_ok_and(|t| t.lines().take(3).any(|l| l.contains(GENERATED_MARK)))
            {
                found.push(child);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes what changed and removes stale generated files; returns the drift it fixed.
pub fn write(out: &Path, files: &Files, stale_ext: &str) -> anyhow::Result<Drift> {
    let drift = check(out, files, stale_ext)?;
    for rel in &drift.changed {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, &files[rel])
            .with_context(|| format!("writing {}", path.display()))?;
    }
    for rel in &drift.stale {
        let path = out.join(rel);
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(drift)
}
