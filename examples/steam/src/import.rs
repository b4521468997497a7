//! The two-pass Steam import of seed 000, by COPY, on `schemactl::seed`.
//!
//! Pass 1 collects every developer, publisher, genre and category name and inserts the new
//! ones, then reads back their ids into maps (`seed::lookup`). Pass 2 streams the
//! applications, reviews and junction rows through COPY: straight into a table when none of
//! the file's keys are there yet, otherwise into a staging table and upserted from there
//! (`seed::upsert`), so that importing the same file twice updates rather than fails. A
//! large import sets the tables' secondary indexes and foreign keys aside and builds and
//! validates them once at the end (`seed::bulk`). Everything runs in one transaction: a bad
//! record anywhere leaves the database as it was.
//!
//! The tables, columns and key types come from the model: a model without the columns the
//! import writes is refused before anything is read.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use schemactl::catalog::{Catalog, QName, TableDef};
use schemactl::seed::bulk::{self, SetAside};
use schemactl::seed::lookup::Lookup;
use schemactl::seed::pg;
use schemactl::seed::types::push_row;
use schemactl::seed::upsert::{ExistingKeys, OnConflict, UpsertLoad};
use sea_orm::sqlx::postgres::{PgConnection, PgPool};
use serde_json::Value;

use crate::records::{APP_COLUMNS, App, REVIEW_COLUMNS, push_app, push_review};
pub use crate::report::ImportReport;

/// The schema the import writes.
pub const SCHEMA: &str = "steam";

/// The lookup tables, in pass 1's order: table, name column, id column, the column for
/// Steam's own id (genres and categories have one), and the junction table that links
/// applications to it.
const LOOKUPS: [(&str, &str, Option<&str>, &str); 4] = [
    ("developers", "developer_id", None, "application_developers"),
    ("publishers", "publisher_id", None, "application_publishers"),
    (
        "genres",
        "genre_id",
        Some("steam_genre_id"),
        "application_genres",
    ),
    (
        "categories",
        "category_id",
        Some("steam_category_id"),
        "application_categories",
    ),
];

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Drop HNSW/GIN indexes of applications and reviews and rebuild them before commit.
    pub defer_indexes: bool,
}

/// Reads and imports a sample file into the database of `pool`, whose `steam` schema was
/// provisioned from `catalog`'s model.
pub async fn import_file(
    pool: &PgPool,
    catalog: &Catalog,
    path: &Path,
    options: &ImportOptions,
) -> anyhow::Result<ImportReport> {
    let started = Instant::now();
    let tables = Tables::of(catalog)?;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    tracing::debug!("read {} bytes in {:?}", bytes.len(), started.elapsed());
    let apps: Vec<App> = serde_json::from_slice(&bytes).map_err(|e| {
        anyhow!(
            "{}: line {}, column {}: not a Steam sample (a JSON array of applications): {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    tracing::debug!(
        "parsed {} applications at {:?}",
        apps.len(),
        started.elapsed()
    );
    let mut report = import(pool, catalog, &tables, &apps, options)
        .await
        .map_err(|e| {
            anyhow!(
                "{}: {e:#}\nnothing was imported: the transaction was rolled back",
                path.display()
            )
        })?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The model's tables the import writes, checked to have the columns it writes.
struct Tables<'a> {
    applications: &'a TableDef,
    reviews: &'a TableDef,
    lookups: Vec<Lookup>,
}

impl<'a> Tables<'a> {
    fn of(catalog: &'a Catalog) -> anyhow::Result<Tables<'a>> {
        let table = |name: &str, columns: &[&str]| -> anyhow::Result<&'a TableDef> {
            let q = QName::new(SCHEMA, name);
            let def = catalog.tables.get(&q).ok_or_else(|| {
                anyhow!("the model has no table {q}: steam-import writes seed 000's steam schema")
            })?;
            let missing: Vec<&str> = columns
                .iter()
                .copied()
                .filter(|c| def.column(c).is_none())
                .collect();
            if !missing.is_empty() {
                bail!(
                    "the model's table {q} lacks column(s) {}: steam-import writes seed 000's steam schema",
                    missing.join(", ")
                );
            }
            Ok(def)
        };
        let mut lookups = Vec::new();
        for (name, id_column, steam_id, junction) in LOOKUPS {
            let q = QName::new(SCHEMA, name);
            lookups.push(Lookup::new(
                &q,
                table(name, &[])?,
                "name",
                id_column,
                steam_id,
            )?);
            table(junction, &["appid", id_column])?;
        }
        Ok(Tables {
            applications: table("applications", &[APP_COLUMNS, &["updated_at"]].concat())?,
            reviews: table("reviews", REVIEW_COLUMNS)?,
            lookups,
        })
    }
}

/// Pass 1's input: every lookup value in first-seen order, with Steam's id when it has one.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    steam_ids: Vec<Option<String>>,
    seen: HashSet<String>,
}

impl Names {
    fn add(&mut self, name: &str, steam_id: Option<&Value>) {
        let name = name.trim();
        if !name.is_empty() && self.seen.insert(name.to_string()) {
            self.names.push(name.to_string());
            self.steam_ids
                .push(steam_id.and_then(id_of).map(|i| i.to_string()));
        }
    }
}

/// Every lookup value of the file, per lookup table in [`LOOKUPS`] order.
fn collect_names(apps: &[App]) -> [Names; 4] {
    let scan = pg::progress(apps.len() as u64, "scan lookups", "apps");
    let mut out: [Names; 4] = Default::default();
    for app in apps {
        for d in &app.developers {
            out[0].add(d, None);
        }
        for p in &app.publishers {
            out[1].add(p, None);
        }
        for g in &app.genres {
            out[2].add(&g.description, Some(&g.id));
        }
        for c in &app.categories {
            out[3].add(&c.description, Some(&c.id));
        }
        scan.inc(1);
    }
    scan.finish_and_clear();
    out
}

async fn import(
    pool: &PgPool,
    catalog: &Catalog,
    tables: &Tables<'_>,
    apps: &[App],
    options: &ImportOptions,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut txn = pool.begin().await.map_err(|e| {
        anyhow!(
            "cannot begin the import transaction: {}",
            pg::server_message(&e)
        )
    })?;
    pg::as_owner(&mut txn, catalog).await?;

    // Pass 1: every lookup value, then their ids.
    let names = collect_names(apps);
    let mut ids: Vec<HashMap<String, i64>> = Vec::new();
    for (lookup, names) in tables.lookups.iter().zip(&names) {
        let resolved = lookup
            .resolve(&mut txn, &names.names, &names.steam_ids)
            .await?;
        report
            .new_lookups
            .push((lookup.table.name.clone(), resolved.inserted));
        ids.push(resolved.ids);
    }
    [
        report.developers,
        report.publishers,
        report.genres,
        report.categories,
    ] = [0, 1, 2, 3].map(|i| names[i].names.len());

    // Pass 2: main rows and junction rows, encoded for COPY through the id maps.
    let rows = encode(apps, &ids, &mut report);
    load(&mut txn, tables, apps, rows, options).await?;
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", pg::server_message(&e)))?;
    Ok(report)
}

/// Pass 2's COPY data.
struct Encoded {
    applications: Vec<u8>,
    reviews: Vec<u8>,
    review_ids: Vec<String>,
    /// Per lookup in [`LOOKUPS`] order: the junction rows and their count.
    junctions: [(Vec<u8>, u64); 4],
}

fn encode(apps: &[App], ids: &[HashMap<String, i64>], report: &mut ImportReport) -> Encoded {
    let mut out = Encoded {
        applications: Vec::new(),
        reviews: Vec::new(),
        review_ids: Vec::new(),
        junctions: Default::default(),
    };
    for app in apps {
        push_app(&mut out.applications, app);
        *report
            .by_type
            .entry(app.ty.clone().unwrap_or_else(|| "unknown".into()))
            .or_default() += 1;
        let appid = app.appid.to_string();
        let named: [Vec<&str>; 4] = [
            app.developers.iter().map(|d| d.trim()).collect(),
            app.publishers.iter().map(|p| p.trim()).collect(),
            app.genres.iter().map(|g| g.description.trim()).collect(),
            app.categories
                .iter()
                .map(|c| c.description.trim())
                .collect(),
        ];
        for (i, names) in named.into_iter().enumerate() {
            let mut linked: Vec<i64> = names
                .into_iter()
                .filter_map(|n| ids[i].get(n).copied())
                .collect();
            // The API repeats a category now and then; a junction row exists once.
            linked.sort_unstable();
            linked.dedup();
            for id in linked {
                let (data, count) = &mut out.junctions[i];
                push_row(data, [Some(appid.as_str()), Some(id.to_string().as_str())]);
                *count += 1;
            }
        }
        for review in &app.reviews {
            out.review_ids
                .push(push_review(&mut out.reviews, app.appid, review));
            report.reviews += 1;
        }
    }
    report.applications = apps.len() as u64;
    report.junction_rows = out.junctions.iter().map(|(_, n)| n).sum();
    out
}

/// COPYs pass 2's rows in, with bulk mode for large loads and the heavy indexes deferred
/// when asked.
async fn load(
    txn: &mut PgConnection,
    tables: &Tables<'_>,
    apps: &[App],
    rows: Encoded,
    options: &ImportOptions,
) -> anyhow::Result<()> {
    let app_table = QName::new(SCHEMA, "applications");
    let review_table = QName::new(SCHEMA, "reviews");
    let appids: Vec<String> = apps.iter().map(|a| a.appid.to_string()).collect();

    // Large loads set the secondary indexes and foreign keys of the tables aside and put
    // them back before the commit (see `seed::bulk`).
    let mut set_aside = SetAside::default();
    let mut loads = vec![
        (app_table.clone(), apps.len() as u64),
        (review_table.clone(), rows.review_ids.len() as u64),
    ];
    for ((_, _, _, junction), (_, count)) in LOOKUPS.iter().zip(&rows.junctions) {
        loads.push((QName::new(SCHEMA, *junction), *count));
    }
    for (table, n) in &loads {
        if bulk::worthwhile(txn, table, *n).await? {
            set_aside.extend(bulk::set_aside(txn, table).await?);
        }
    }
    let mut deferred = Vec::new();
    if options.defer_indexes {
        for t in [&app_table, &review_table] {
            deferred.push(pg::defer_heavy_indexes(txn, t).await?);
        }
    }

    write_rows(txn, tables, &appids, &rows).await?;
    set_aside.restore(txn).await?;
    for d in deferred {
        d.restore(txn).await?;
    }
    Ok(())
}

/// Pass 2's writes: applications and reviews upserted by their keys, junction rows kept
/// when they exist; each COPYed straight in when none of the file's keys is there yet.
async fn write_rows(
    txn: &mut PgConnection,
    tables: &Tables<'_>,
    appids: &[String],
    rows: &Encoded,
) -> anyhow::Result<()> {
    let app_table = QName::new(SCHEMA, "applications");
    let review_table = QName::new(SCHEMA, "reviews");
    let columns = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let key_type = |table: &TableDef, column: &str| {
        table
            .column(column)
            .map(|c| c.ty.clone())
            .unwrap_or_else(|| "text".into())
    };
    // An application's row takes every field of the file again, and its updated_at moves.
    let app_type = key_type(tables.applications, "appid");
    let upsert = UpsertLoad {
        table: app_table.clone(),
        columns: columns(APP_COLUMNS),
        key: columns(&["appid"]),
        on_conflict: OnConflict::Update {
            columns: columns(&[&APP_COLUMNS[1..], &["updated_at"]].concat()),
            touch: Some("updated_at".into()),
        },
    };
    let probe = ExistingKeys {
        column: "appid",
        ty: &app_type,
        values: appids,
    };
    upsert
        .run(txn, &rows.applications, appids.len(), Some(probe))
        .await?;
    let review_type = key_type(tables.reviews, "recommendationid");
    let upsert = UpsertLoad {
        table: review_table,
        columns: columns(REVIEW_COLUMNS),
        key: columns(&["recommendationid"]),
        on_conflict: OnConflict::Update {
            columns: columns(&REVIEW_COLUMNS[1..]),
            touch: None,
        },
    };
    let probe = ExistingKeys {
        column: "recommendationid",
        ty: &review_type,
        values: &rows.review_ids,
    };
    upsert
        .run(txn, &rows.reviews, rows.review_ids.len(), Some(probe))
        .await?;
    for ((_, id_column, _, junction), (data, count)) in LOOKUPS.iter().zip(&rows.junctions) {
        // A junction row names an application: when none of the file's applications has
        // rows in the junction yet, every row is new.
        let upsert = UpsertLoad {
            table: QName::new(SCHEMA, *junction),
            columns: columns(&["appid", id_column]),
            key: columns(&["appid", id_column]),
            on_conflict: OnConflict::Keep,
        };
        let probe = ExistingKeys {
            column: "appid",
            ty: &app_type,
            values: appids,
        };
        upsert.run(txn, data, *count as usize, Some(probe)).await?;
    }
    Ok(())
}

fn id_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    // Steam's ids fit the model's integer columns; one that does not is unknown.
    .filter(|v| i32::try_from(*v).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(text: &str) -> Catalog {
        match schemactl::load::load_str(Path::new("model.yaml"), text.to_string()) {
            Ok(loaded) => schemactl::catalog::from_model(&loaded.model),
            Err((_, diagnostics)) => panic!("{diagnostics:?}"),
        }
    }

    #[test]
    fn the_repository_model_has_what_the_import_writes() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let catalog = catalog(&text);
        let tables = Tables::of(&catalog).unwrap();
        let names: Vec<String> = tables.lookups.iter().map(|l| l.table.sql()).collect();
        assert_eq!(
            names,
            [
                "steam.developers",
                "steam.publishers",
                "steam.genres",
                "steam.categories"
            ]
        );
    }

    #[test]
    fn a_model_without_the_steam_tables_is_refused() {
        let err = Tables::of(&catalog(
            "database: { name: shop }\nschemas:\n  steam:\n    tables:\n      developers:\n        \
             columns:\n          developer_id: { type: serial, primary_key: true }\n          \
             name: { type: text, nullable: false }\n",
        ))
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.contains("steam.developers.name is not unique in the model"),
            "{err}"
        );
        let err = Tables::of(&catalog("database: { name: shop }\n"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("the model has no table steam.developers"),
            "{err}"
        );
    }
}
