//! Entities for a model with `database.target: sqlite`.
//!
//! Same context builder as PostgreSQL (`entities::build` with [`Dialect::Sqlite`]), with
//! SQLite's type mapping (`sqlite_types`) and one difference in layout: SQLite has a
//! single schema, so the entity modules sit at the crate root next to `prelude`, and
//! `lib.rs` comes from `sqlite_lib.rs.j2`.
//!
//! View columns come from SQLite itself: the model's tables and views are created in an
//! in-memory database and `PRAGMA table_info` gives each view column's declared type
//! (the declared type of the column it selects; none for an expression).

use std::path::{Path, PathBuf};

use anyhow::Context;
use minijinja::{Environment, Value};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use super::entities::{self, CrateCtx, Dialect, Options, ViewColumns};
use super::{Files, environment, render};
use crate::catalog::{self, QName};
use crate::model::Model;

/// The columns of every view of the model, from an in-memory SQLite database.
pub async fn resolve_views(model: &Model) -> anyhow::Result<ViewColumns> {
    let catalog = schemactl_sqlite::build::from_model(model);
    let mut out = ViewColumns::new();
    if catalog.views.is_empty() {
        return Ok(out);
    }
    let options = crate::db::single_connection("sqlite::memory:".to_string());
    let conn = sea_orm::Database::connect(options)
        .await
        .context("opening an in-memory SQLite database for view columns")?;
    let steps = schemactl_sqlite::create_script(&catalog)?;
    schemactl_sqlite::execute::run(&conn, &steps)
        .await
        .context("creating the model in an in-memory SQLite database for view columns")?;
    for view in catalog.views.keys() {
        let sql = format!("PRAGMA table_info({})", schemactl_sqlite::ident(&view.name));
        let rows = conn
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .with_context(|| format!("reading the columns of view {}", view.name))?;
        let mut columns = Vec::with_capacity(rows.len());
        for row in rows {
            let name: String = row.try_get("", "name")?;
            let ty: String = row.try_get("", "type")?;
            columns.push((name, ty));
        }
        out.insert(
            QName::new(crate::validate::sqlite::MAIN_SCHEMA, view.name.as_str()),
            columns,
        );
    }
    let _ = conn.close().await;
    Ok(out)
}

/// Every file of the entity crate's `src/` directory, for resolved view columns.
pub fn entity_files(
    model: &Model,
    views: &ViewColumns,
    templates: Option<&Path>,
) -> anyhow::Result<Files> {
    let env = environment(super::SQLITE_ENTITY_TEMPLATES, templates)?;
    let options = Options {
        dialect: Dialect::Sqlite,
        ..Options::default()
    };
    let ctx = entities::build(&catalog::from_model(model), views, &options);
    render_entities(&env, &ctx, model.database.comment.as_deref())
}

/// [`resolve_views`], then [`entity_files`].
pub async fn files(model: &Model, templates: Option<&Path>) -> anyhow::Result<Files> {
    let views = resolve_views(model).await?;
    entity_files(model, &views, templates)
}

fn render_entities(
    env: &Environment<'_>,
    ctx: &CrateCtx,
    comment: Option<&str>,
) -> anyhow::Result<Files> {
    let mut files = Files::new();
    let banner = &ctx.banner;
    let doc: Vec<String> = comment
        .map(|c| c.lines().map(|l| l.trim_end().to_string()).collect())
        .unwrap_or_default();
    let mut modules = Vec::new();
    for schema in &ctx.schemas {
        files.insert(
            PathBuf::from("prelude.rs"),
            render(
                env,
                "prelude.rs.j2",
                minijinja::context! { banner, schema => Value::from(minijinja::value::Serde(schema)) },
            )?,
        );
        for e in &schema.entities {
            modules.push(e.module.clone());
            files.insert(
                PathBuf::from(&e.file),
                render(
                    env,
                    "entity.rs.j2",
                    minijinja::context! { banner, e => Value::from(minijinja::value::Serde(e)) },
                )?,
            );
        }
    }
    // rustfmt sorts `mod` declarations; so do we, to stay rustfmt-clean.
    modules.sort_by(|a, b| a.trim_start_matches("r#").cmp(b.trim_start_matches("r#")));
    files.insert(
        PathBuf::from("lib.rs"),
        render(
            env,
            "sqlite_lib.rs.j2",
            minijinja::context! { banner, doc, modules },
        )?,
    );
    Ok(files)
}
