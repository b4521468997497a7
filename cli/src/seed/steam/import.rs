//! The two-pass Steam import of seed 000, by COPY.
//!
//! Pass 1 collects every developer, publisher, genre and category name and inserts the new
//! ones, then reads back their ids into maps. Pass 2 streams the applications, reviews and
//! junction rows through COPY: straight into a table when none of the file's keys are there
//! yet, otherwise into a staging table and upserted from there, so that importing the same
//! file twice updates rather than fails. A large import sets the tables' secondary indexes
//! and foreign keys aside and builds and validates them once at the end. Everything runs in
//! one transaction: a bad record anywhere leaves the database as it was.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, anyhow};
use sea_orm::sqlx::postgres::{PgConnection, PgPool};
use sea_orm::sqlx::{self, Row as _};
use serde_json::Value;

use super::records::{APP_COLUMNS, App, REVIEW_COLUMNS, push_app, push_review};
pub use super::report::{ImportReport, thousands};
use crate::catalog::QName;
use crate::seed::bulk::{self, SetAside};
use crate::seed::pg;
use crate::seed::types::push_row;

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Drop HNSW/GIN indexes of applications and reviews and rebuild them before commit.
    pub defer_indexes: bool,
    /// The role to write as (the model's database owner), when the session may.
    pub owner: Option<String>,
}
/// Reads and imports a sample file.
pub async fn import_file(
    pool: &PgPool,
    path: &Path,
    options: &ImportOptions,
) -> anyhow::Result<ImportReport> {
    let started = Instant::now();
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
    let mut report = import(pool, &apps, options).await.map_err(|e| {
        anyhow!(
            "{}: {e:#}\nnothing was imported: the transaction was rolled back",
            path.display()
        )
    })?;
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn import(
    pool: &PgPool,
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
    if let Some(owner) = &options.owner {
        pg::set_role(&mut txn, owner).await?;
    }
    let scan = pg::progress(apps.len() as u64, "scan lookups", "apps");

    // Pass 1: every lookup value, first-seen order, then their ids.
    let mut developers: Vec<&str> = Vec::new();
    let mut publishers: Vec<&str> = Vec::new();
    let mut genres: BTreeMap<&str, Option<i64>> = BTreeMap::new();
    let mut categories: BTreeMap<&str, Option<i64>> = BTreeMap::new();
    {
        let mut seen_dev = std::collections::HashSet::new();
        let mut seen_pub = std::collections::HashSet::new();
        for app in apps {
            developers.extend(
                app.developers
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty() && seen_dev.insert(*s)),
            );
            publishers.extend(
                app.publishers
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty() && seen_pub.insert(*s)),
            );
            for g in &app.genres {
                genres
                    .entry(g.description.as_str())
                    .or_insert_with(|| id_of(&g.id));
            }
            for c in &app.categories {
                categories
                    .entry(c.description.as_str())
                    .or_insert_with(|| id_of(&c.id));
            }
            scan.inc(1);
        }
    }
    scan.finish_and_clear();
    report.developers = developers.len();
    report.publishers = publishers.len();
    report.genres = genres.len();
    report.categories = categories.len();
    let dev_ids = lookup(
        &mut txn,
        "developers",
        "developer_id",
        None,
        &developers,
        &[],
        &mut report,
    )
    .await?;
    let pub_ids = lookup(
        &mut txn,
        "publishers",
        "publisher_id",
        None,
        &publishers,
        &[],
        &mut report,
    )
    .await?;
    let (names, ids): (Vec<&str>, Vec<Option<i64>>) = genres.into_iter().unzip();
    let genre_ids = lookup(
        &mut txn,
        "genres",
        "genre_id",
        Some("steam_genre_id"),
        &names,
        &ids,
        &mut report,
    )
    .await?;
    let (names, ids): (Vec<&str>, Vec<Option<i64>>) = categories.into_iter().unzip();
    let category_ids = lookup(
        &mut txn,
        "categories",
        "category_id",
        Some("steam_category_id"),
        &names,
        &ids,
        &mut report,
    )
    .await?;

    // Pass 2: main rows and junction rows, encoded for COPY through the id maps.
    let mut app_data = Vec::new();
    let mut review_data = Vec::new();
    let mut review_ids: Vec<String> = Vec::new();
    let mut junctions: [(&str, &str, Vec<u8>); 4] = [
        ("application_developers", "developer_id", Vec::new()),
        ("application_publishers", "publisher_id", Vec::new()),
        ("application_genres", "genre_id", Vec::new()),
        ("application_categories", "category_id", Vec::new()),
    ];
    let mut junction_count = [0u64; 4];
    for app in apps {
        push_app(&mut app_data, app);
        *report
            .by_type
            .entry(app.ty.clone().unwrap_or_else(|| "unknown".into()))
            .or_default() += 1;
        let appid = app.appid.to_string();
        let groups: [Vec<i32>; 4] = [
            app.developers
                .iter()
                .filter_map(|d| dev_ids.get(d.trim()).copied())
                .collect(),
            app.publishers
                .iter()
                .filter_map(|p| pub_ids.get(p.trim()).copied())
                .collect(),
            app.genres
                .iter()
                .filter_map(|g| genre_ids.get(g.description.as_str()).copied())
                .collect(),
            app.categories
                .iter()
                .filter_map(|c| category_ids.get(c.description.as_str()).copied())
                .collect(),
        ];
        for (i, mut ids) in groups.into_iter().enumerate() {
            // The API repeats a category now and then; a junction row exists once.
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                push_row(
                    &mut junctions[i].2,
                    [Some(appid.as_str()), Some(id.to_string().as_str())],
                );
                junction_count[i] += 1;
            }
        }
        for review in &app.reviews {
            review_ids.push(push_review(&mut review_data, app.appid, review));
            report.reviews += 1;
        }
    }
    report.applications = apps.len() as u64;

    let app_table = QName::new("steam", "applications");
    let review_table = QName::new("steam", "reviews");
    let appids: Vec<String> = apps.iter().map(|a| a.appid.to_string()).collect();

    // Large loads set the secondary indexes and foreign keys of the tables aside and put
    // them back before the commit (see `bulk`).
    let mut set_aside = SetAside::default();
    let mut loads = vec![
        (app_table.clone(), report.applications),
        (review_table.clone(), report.reviews),
    ];
    for ((table, _, _), count) in junctions.iter().zip(junction_count) {
        loads.push((QName::new("steam", *table), count));
    }
    for (table, rows) in &loads {
        if bulk::worthwhile(&mut txn, table, *rows).await? {
            set_aside.extend(bulk::set_aside(&mut txn, table).await?);
        }
    }
    let mut deferred = Vec::new();
    if options.defer_indexes {
        for t in [&app_table, &review_table] {
            deferred.push(pg::defer_heavy_indexes(&mut txn, t).await?);
        }
    }

    let app_updates = APP_COLUMNS
        .iter()
        .skip(1)
        .copied()
        .chain(["updated_at"])
        .collect::<Vec<_>>();
    let target = Target {
        table: &app_table,
        columns: APP_COLUMNS,
        key: "appid",
        key_type: "bigint",
        updates: Some(&app_updates),
    };
    target
        .load(&mut txn, &app_data, apps.len(), &appids)
        .await?;
    let review_updates = REVIEW_COLUMNS.iter().skip(1).copied().collect::<Vec<_>>();
    let target = Target {
        table: &review_table,
        columns: REVIEW_COLUMNS,
        key: "recommendationid",
        key_type: "text",
        updates: Some(&review_updates),
    };
    target
        .load(&mut txn, &review_data, review_ids.len(), &review_ids)
        .await?;
    for ((table, id_column, data), count) in junctions.iter().zip(junction_count) {
        let q = QName::new("steam", *table);
        // A junction row names an application: when none of the file's applications has
        // rows in the junction yet, every row is new.
        let target = Target {
            table: &q,
            columns: &["appid", id_column],
            key: "appid",
            key_type: "bigint",
            updates: None,
        };
        target.load(&mut txn, data, count as usize, &appids).await?;
        report.junction_rows += count;
    }
    set_aside.restore(&mut txn).await?;
    for d in deferred {
        d.restore(&mut txn).await?;
    }
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", pg::server_message(&e)))?;
    Ok(report)
}

fn id_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Inserts the names that are new and returns every name's id.
async fn lookup(
    conn: &mut PgConnection,
    table: &str,
    id_column: &str,
    steam_id_column: Option<&str>,
    names: &[&str],
    steam_ids: &[Option<i64>],
    report: &mut ImportReport,
) -> anyhow::Result<HashMap<String, i32>> {
    let q = QName::new("steam", table);
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let insert = match steam_id_column {
        Some(col) => format!(
            "INSERT INTO {} (name, {col}) SELECT * FROM unnest($1::text[], $2::integer[]) ON CONFLICT (name) DO NOTHING",
            q.sql()
        ),
        None => format!(
            "INSERT INTO {} (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING",
            q.sql()
        ),
    };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(insert)).bind(&names);
    if steam_id_column.is_some() {
        let ids: Vec<Option<i32>> = steam_ids
            .iter()
            .map(|i| i.and_then(|v| i32::try_from(v).ok()))
            .collect();
        query = query.bind(ids);
    }
    let inserted = query
        .execute(&mut *conn)
        .await
        .map_err(|e| anyhow!("cannot insert into {q}: {}", pg::server_message(&e)))?
        .rows_affected();
    report.new_lookups.push((static_name(table), inserted));
    tracing::info!("populated {inserted} new record(s) into {q}");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT name, {id_column} FROM {} WHERE name = ANY($1)",
        q.sql()
    )))
    .bind(&names)
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| anyhow!("cannot read the ids of {q}: {}", pg::server_message(&e)))?;
    let mut map = HashMap::with_capacity(rows.len());
    for row in rows {
        map.insert(row.try_get::<String, _>(0)?, row.try_get::<i32, _>(1)?);
    }
    Ok(map)
}

fn static_name(table: &str) -> &'static str {
    match table {
        "developers" => "developers",
        "publishers" => "publishers",
        "genres" => "genres",
        _ => "categories",
    }
}

/// A table of pass 2 and how its rows go in.
struct Target<'a> {
    table: &'a QName,
    columns: &'a [&'a str],
    /// The column whose values tell whether a file's rows may exist already, and its type.
    key: &'a str,
    key_type: &'a str,
    /// The columns an existing row takes from the file; `None` keeps it.
    updates: Option<&'a [&'a str]>,
}

impl Target<'_> {
    /// COPY straight into the table when none of `keys` is there yet; otherwise COPY into
    /// a temporary table shaped like it, then one INSERT … ON CONFLICT, so that importing
    /// the same file twice updates rather than fails.
    async fn load(
        &self,
        conn: &mut PgConnection,
        data: &[u8],
        rows: usize,
        keys: &[String],
    ) -> anyhow::Result<()> {
        let columns: Vec<String> = self.columns.iter().map(|c| c.to_string()).collect();
        if rows == 0 {
            return Ok(());
        }
        if self.keys_absent(conn, keys).await? {
            pg::copy_in(conn, self.table, &columns, data, rows).await?;
            return Ok(());
        }
        let table = self.table;
        let stage = QName::new("pg_temp", format!("stage_{}", table.name));
        pg::exec(
            conn,
            &format!(
                "CREATE TEMP TABLE {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP",
                stage.sql(),
                table.sql()
            ),
        )
        .await?;
        pg::copy_in(conn, &stage, &columns, data, rows).await?;
        let list = crate::sql::ident_list(self.columns);
        let conflict = match self.updates {
            Some(cols) => {
                let sets: Vec<String> = cols
                    .iter()
                    .map(|c| {
                        if *c == "updated_at" {
                            "updated_at = now()".to_string()
                        } else {
                            format!("{0} = EXCLUDED.{0}", crate::sql::ident(c))
                        }
                    })
                    .collect();
                format!(
                    "ON CONFLICT ({}) DO UPDATE SET {}",
                    self.key,
                    sets.join(", ")
                )
            }
            None => "ON CONFLICT DO NOTHING".to_string(),
        };
        pg::exec(
            conn,
            &format!(
                "INSERT INTO {} ({list}) SELECT {list} FROM {} {conflict}",
                table.sql(),
                stage.sql()
            ),
        )
        .await
        .map_err(|e| anyhow!("{table}: {e}"))?;
        Ok(())
    }

    /// Whether no row of the table has one of `keys` in the key column.
    async fn keys_absent(&self, conn: &mut PgConnection, keys: &[String]) -> anyhow::Result<bool> {
        let table = self.table;
        let statement = format!(
            "SELECT NOT EXISTS (SELECT 1 FROM {t}) OR NOT EXISTS (SELECT 1 FROM {t} WHERE {k} = ANY($1::{ty}[]))",
            t = table.sql(),
            k = crate::sql::ident(self.key),
            ty = self.key_type
        );
        sqlx::query_scalar::<_, bool>(sqlx::AssertSqlSafe(statement))
            .bind(keys)
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| {
                anyhow!(
                    "cannot look for existing rows in {table}: {}",
                    pg::server_message(&e)
                )
            })
    }
}
