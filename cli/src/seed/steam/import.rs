//! The two-pass Steam import of seed 000, by COPY.
//!
//! Pass 1 collects every developer, publisher, genre and category name and inserts the new
//! ones, then reads back their ids into maps. Pass 2 streams the applications, reviews and
//! junction rows through COPY into staging tables and upserts them, so that importing the
//! same file twice updates rather than fails. Everything runs in one transaction: a bad
//! record anywhere leaves the database as it was.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use sea_orm::sqlx::postgres::{PgConnection, PgPool};
use sea_orm::sqlx::{self, Row as _};
use serde::Deserialize;
use serde_json::Value;

use crate::catalog::QName;
use crate::seed::pg;
use crate::seed::types::push_row;

#[derive(Debug, Deserialize)]
struct App {
    appid: i64,
    name: Option<String>,
    #[serde(rename = "type")]
    ty: Option<String>,
    #[serde(default)]
    is_free: bool,
    #[serde(default)]
    required_age: Value,
    short_description: Option<String>,
    detailed_description: Option<String>,
    about_the_game: Option<String>,
    supported_languages: Option<String>,
    header_image: Option<String>,
    capsule_image: Option<String>,
    website: Option<String>,
    controller_support: Option<String>,
    price_overview: Option<Value>,
    platforms: Option<Value>,
    metacritic: Option<Metacritic>,
    recommendations: Option<Total>,
    release_date: Option<ReleaseDate>,
    pc_requirements: Option<Value>,
    mac_requirements: Option<Value>,
    linux_requirements: Option<Value>,
    achievements: Option<Total>,
    background: Option<String>,
    content_descriptors: Option<Value>,
    #[serde(default)]
    dlc: Vec<i64>,
    #[serde(default)]
    developers: Vec<String>,
    #[serde(default)]
    publishers: Vec<String>,
    #[serde(default)]
    genres: Vec<Named>,
    #[serde(default)]
    categories: Vec<Named>,
    #[serde(default)]
    reviews: Vec<Review>,
}

#[derive(Debug, Deserialize)]
struct Metacritic {
    score: Option<i64>,
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Total {
    total: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct ReleaseDate {
    #[serde(default)]
    coming_soon: bool,
    date: Option<String>,
}

/// A genre or category: Steam gives genre ids as strings and category ids as numbers.
#[derive(Debug, Deserialize)]
struct Named {
    id: Value,
    description: String,
}

#[derive(Debug, Deserialize)]
struct Review {
    recommendationid: Value,
    #[serde(default)]
    author: Author,
    language: Option<String>,
    review: Option<String>,
    timestamp_created: Option<i64>,
    timestamp_updated: Option<i64>,
    voted_up: Option<bool>,
    votes_up: Option<i64>,
    votes_funny: Option<i64>,
    weighted_vote_score: Option<Value>,
    comment_count: Option<i64>,
    steam_purchase: Option<bool>,
    received_for_free: Option<bool>,
    written_during_early_access: Option<bool>,
    primarily_steam_deck: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct Author {
    steamid: Option<String>,
    num_games_owned: Option<i64>,
    num_reviews: Option<i64>,
    playtime_forever: Option<i64>,
    playtime_last_two_weeks: Option<i64>,
    playtime_at_review: Option<i64>,
    last_played: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Drop HNSW/GIN indexes of applications and reviews and rebuild them before commit.
    pub defer_indexes: bool,
    /// The role to write as (the model's database owner), when the session may.
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub applications: u64,
    pub by_type: BTreeMap<String, u64>,
    pub reviews: u64,
    pub developers: usize,
    pub publishers: usize,
    pub genres: usize,
    pub categories: usize,
    /// Lookup rows that did not exist before, per table.
    pub new_lookups: Vec<(&'static str, u64)>,
    pub junction_rows: u64,
    pub elapsed: Duration,
}

impl ImportReport {
    /// The summary in the shape of seed 000's report.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let line = "=".repeat(64);
        out.push_str(&format!(
            "{line}\n{:^64}\n{line}\n",
            "IMPORT SUMMARY REPORT"
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Total Applications:",
            thousands(self.applications)
        ));
        let mut types: Vec<(&String, &u64)> = self.by_type.iter().collect();
        types.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (ty, n) in types {
            out.push_str(&format!(
                "{:<34}{:>12}\n",
                format!("  - {}:", label(ty)),
                thousands(*n)
            ));
        }
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Total Reviews:",
            thousands(self.reviews)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Unique Developers Imported:",
            thousands(self.developers as u64)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Unique Publishers Imported:",
            thousands(self.publishers as u64)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Genres / Categories:",
            format!("{} / {}", self.genres, self.categories)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Junction Rows:",
            thousands(self.junction_rows)
        ));
        let rows = self.applications + self.reviews + self.junction_rows;
        let secs = self.elapsed.as_secs_f64();
        out.push_str(&format!(
            "{:<34}{:>12}\n{line}\n",
            "Elapsed:",
            format!(
                "{secs:.2}s ({} rows/s)",
                thousands((rows as f64 / secs.max(1e-9)) as u64)
            )
        ));
        out
    }
}

fn label(ty: &str) -> String {
    match ty {
        "game" => "Games",
        "dlc" => "DLC",
        "demo" => "Demos",
        "mod" => "Mods",
        "music" => "Music",
        "video" => "Videos",
        "episode" => "Episodes",
        "application" => "Applications",
        "tool" => "Tools",
        "series" => "Series",
        "hardware" => "Hardware",
        "advertising" => "Advertising",
        other => other,
    }
    .to_string()
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const APP_COLUMNS: &[&str] = &[
    "appid",
    "name",
    "type",
    "is_free",
    "required_age",
    "short_description",
    "detailed_description",
    "about_the_game",
    "supported_languages",
    "header_image",
    "capsule_image",
    "website",
    "controller_support",
    "price_overview",
    "platforms",
    "metacritic_score",
    "metacritic_url",
    "recommendations_total",
    "release_date",
    "coming_soon",
    "pc_requirements",
    "mac_requirements",
    "linux_requirements",
    "achievements_total",
    "background",
    "content_descriptors",
    "dlc_appids",
];

const REVIEW_COLUMNS: &[&str] = &[
    "recommendationid",
    "appid",
    "author_steamid",
    "author_num_games_owned",
    "author_num_reviews",
    "author_playtime_forever",
    "author_playtime_last_two_weeks",
    "author_playtime_at_review",
    "author_last_played",
    "review",
    "language",
    "voted_up",
    "votes_up",
    "votes_funny",
    "weighted_vote_score",
    "comment_count",
    "steam_purchase",
    "received_for_free",
    "written_during_early_access",
    "primarily_steam_deck",
    "timestamp_created",
    "timestamp_updated",
];

/// Reads and imports a sample file.
pub async fn import_file(
    pool: &PgPool,
    path: &Path,
    options: &ImportOptions,
) -> anyhow::Result<ImportReport> {
    let started = Instant::now();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let apps: Vec<App> = serde_json::from_slice(&bytes).map_err(|e| {
        anyhow!(
            "{}: line {}, column {}: not a Steam sample (a JSON array of applications): {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
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
            push_review(&mut review_data, app.appid, review);
            report.reviews += 1;
        }
    }
    report.applications = apps.len() as u64;

    let tables = [
        QName::new("steam", "applications"),
        QName::new("steam", "reviews"),
    ];
    let mut deferred = Vec::new();
    if options.defer_indexes {
        for t in &tables {
            deferred.push(pg::defer_heavy_indexes(&mut txn, t).await?);
        }
    }
    let app_updates = APP_COLUMNS
        .iter()
        .skip(1)
        .copied()
        .chain(["updated_at"])
        .collect::<Vec<_>>();
    stage_and_upsert(
        &mut txn,
        &tables[0],
        APP_COLUMNS,
        &app_data,
        apps.len(),
        "appid",
        Some(&app_updates),
    )
    .await?;
    let review_updates = REVIEW_COLUMNS.iter().skip(1).copied().collect::<Vec<_>>();
    stage_and_upsert(
        &mut txn,
        &tables[1],
        REVIEW_COLUMNS,
        &review_data,
        report.reviews as usize,
        "recommendationid",
        Some(&review_updates),
    )
    .await?;
    for ((table, id_column, data), count) in junctions.iter().zip(junction_count) {
        let q = QName::new("steam", *table);
        stage_and_upsert(
            &mut txn,
            &q,
            &["appid", id_column],
            data,
            count as usize,
            "",
            None,
        )
        .await?;
        report.junction_rows += count;
    }
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

/// COPY into a temporary table shaped like the target, then one INSERT … ON CONFLICT.
/// `updates` lists the columns an existing row takes from the file; `None` keeps it.
async fn stage_and_upsert(
    conn: &mut PgConnection,
    table: &QName,
    columns: &[&str],
    data: &[u8],
    rows: usize,
    key: &str,
    updates: Option<&[&str]>,
) -> anyhow::Result<()> {
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
    let columns_owned: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    pg::copy_in(conn, &stage, &columns_owned, data, rows).await?;
    let list = crate::sql::ident_list(columns);
    let conflict = match updates {
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
            format!("ON CONFLICT ({key}) DO UPDATE SET {}", sets.join(", "))
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

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref()
}

fn json(v: &Option<Value>) -> Option<String> {
    v.as_ref().filter(|v| !v.is_null()).map(Value::to_string)
}

fn push_app(buf: &mut Vec<u8>, app: &App) {
    let required_age = match &app.required_age {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .unwrap_or(0)
    .to_string();
    let release = app.release_date.as_ref();
    let date = release
        .and_then(|r| r.date.as_deref())
        .and_then(parse_release_date)
        .map(|d| d.to_string());
    let dlc = (!app.dlc.is_empty()).then(|| {
        format!(
            "{{{}}}",
            app.dlc
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )
    });
    let fields: [Option<String>; 27] = [
        Some(app.appid.to_string()),
        app.name.clone(),
        app.ty.clone(),
        Some(app.is_free.to_string()),
        Some(required_age),
        text(&app.short_description).map(str::to_string),
        text(&app.detailed_description).map(str::to_string),
        text(&app.about_the_game).map(str::to_string),
        text(&app.supported_languages).map(str::to_string),
        text(&app.header_image).map(str::to_string),
        text(&app.capsule_image).map(str::to_string),
        text(&app.website).map(str::to_string),
        text(&app.controller_support).map(str::to_string),
        json(&app.price_overview),
        json(&app.platforms),
        app.metacritic
            .as_ref()
            .and_then(|m| m.score)
            .map(|s| s.to_string()),
        app.metacritic.as_ref().and_then(|m| m.url.clone()),
        app.recommendations
            .as_ref()
            .and_then(|r| r.total)
            .map(|t| t.to_string()),
        date,
        Some(release.is_some_and(|r| r.coming_soon).to_string()),
        requirements(&app.pc_requirements),
        requirements(&app.mac_requirements),
        requirements(&app.linux_requirements),
        app.achievements
            .as_ref()
            .and_then(|a| a.total)
            .map(|t| t.to_string()),
        text(&app.background).map(str::to_string),
        json(&app.content_descriptors),
        dlc,
    ];
    push_row(buf, fields.iter().map(|f| f.as_deref()));
}

/// The API sends `[]` for platforms without requirements; that is "none", not a value.
fn requirements(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::Array(a)) if a.is_empty() => None,
        other => json(other),
    }
}

/// Store dates as the API writes them: "Sep 2, 2025", "2 Sep, 2025", "Sep 2025".
fn parse_release_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    ["%b %e, %Y", "%e %b, %Y", "%B %e, %Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .or_else(|| NaiveDate::parse_from_str(&format!("1 {t}"), "%e %b %Y").ok())
}

fn epoch(secs: Option<i64>) -> Option<String> {
    secs.filter(|s| *s > 0)
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| t.to_rfc3339())
}

fn push_review(buf: &mut Vec<u8>, appid: i64, r: &Review) {
    let id = match &r.recommendationid {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let score = match &r.weighted_vote_score {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let n = |v: Option<i64>| v.map(|x| x.to_string());
    let b = |v: Option<bool>| v.map(|x| x.to_string());
    let a = &r.author;
    let fields: [Option<String>; 22] = [
        Some(id),
        Some(appid.to_string()),
        a.steamid.clone(),
        n(a.num_games_owned),
        n(a.num_reviews),
        n(a.playtime_forever),
        n(a.playtime_last_two_weeks),
        n(a.playtime_at_review),
        n(a.last_played),
        r.review.clone(),
        r.language.clone(),
        b(r.voted_up),
        Some(r.votes_up.unwrap_or(0).to_string()),
        Some(r.votes_funny.unwrap_or(0).to_string()),
        score,
        Some(r.comment_count.unwrap_or(0).to_string()),
        b(r.steam_purchase),
        b(r.received_for_free),
        b(r.written_during_early_access),
        b(r.primarily_steam_deck),
        epoch(r.timestamp_created),
        epoch(r.timestamp_updated),
    ];
    push_row(buf, fields.iter().map(|f| f.as_deref()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_dates() {
        assert_eq!(
            parse_release_date("Sep 2, 2025"),
            NaiveDate::from_ymd_opt(2025, 9, 2)
        );
        assert_eq!(
            parse_release_date("2 Sep, 2025"),
            NaiveDate::from_ymd_opt(2025, 9, 2)
        );
        assert_eq!(parse_release_date("Coming soon"), None);
        assert_eq!(thousands(36265), "36,265");
    }
}
