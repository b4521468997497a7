//! The Steam sample's records as the API shapes them, and their encoding into COPY rows
//! of `steam.applications` and `steam.reviews`.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use schemactl::seed::types::push_row;

#[derive(Debug, Deserialize)]
pub(crate) struct App {
    pub(crate) appid: i64,
    pub(crate) name: Option<String>,
    #[serde(rename = "type")]
    pub(crate) ty: Option<String>,
    #[serde(default)]
    pub(crate) is_free: bool,
    #[serde(default)]
    pub(crate) required_age: Value,
    pub(crate) short_description: Option<String>,
    pub(crate) detailed_description: Option<String>,
    pub(crate) about_the_game: Option<String>,
    pub(crate) supported_languages: Option<String>,
    pub(crate) header_image: Option<String>,
    pub(crate) capsule_image: Option<String>,
    pub(crate) website: Option<String>,
    pub(crate) controller_support: Option<String>,
    pub(crate) price_overview: Option<Value>,
    pub(crate) platforms: Option<Value>,
    pub(crate) metacritic: Option<Metacritic>,
    pub(crate) recommendations: Option<Total>,
    pub(crate) release_date: Option<ReleaseDate>,
    pub(crate) pc_requirements: Option<Value>,
    pub(crate) mac_requirements: Option<Value>,
    pub(crate) linux_requirements: Option<Value>,
    pub(crate) achievements: Option<Total>,
    pub(crate) background: Option<String>,
    pub(crate) content_descriptors: Option<Value>,
    #[serde(default)]
    pub(crate) dlc: Vec<i64>,
    #[serde(default)]
    pub(crate) developers: Vec<String>,
    #[serde(default)]
    pub(crate) publishers: Vec<String>,
    #[serde(default)]
    pub(crate) genres: Vec<Named>,
    #[serde(default)]
    pub(crate) categories: Vec<Named>,
    #[serde(default)]
    pub(crate) reviews: Vec<Review>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Metacritic {
    pub(crate) score: Option<i64>,
    pub(crate) url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Total {
    pub(crate) total: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReleaseDate {
    #[serde(default)]
    pub(crate) coming_soon: bool,
    pub(crate) date: Option<String>,
}

/// A genre or category: Steam gives genre ids as strings and category ids as numbers.
#[derive(Debug, Deserialize)]
pub(crate) struct Named {
    pub(crate) id: Value,
    pub(crate) description: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Review {
    pub(crate) recommendationid: Value,
    #[serde(default)]
    pub(crate) author: Author,
    pub(crate) language: Option<String>,
    pub(crate) review: Option<String>,
    pub(crate) timestamp_created: Option<i64>,
    pub(crate) timestamp_updated: Option<i64>,
    pub(crate) voted_up: Option<bool>,
    pub(crate) votes_up: Option<i64>,
    pub(crate) votes_funny: Option<i64>,
    pub(crate) weighted_vote_score: Option<Value>,
    pub(crate) comment_count: Option<i64>,
    pub(crate) steam_purchase: Option<bool>,
    pub(crate) received_for_free: Option<bool>,
    pub(crate) written_during_early_access: Option<bool>,
    pub(crate) primarily_steam_deck: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Author {
    pub(crate) steamid: Option<String>,
    pub(crate) num_games_owned: Option<i64>,
    pub(crate) num_reviews: Option<i64>,
    pub(crate) playtime_forever: Option<i64>,
    pub(crate) playtime_last_two_weeks: Option<i64>,
    pub(crate) playtime_at_review: Option<i64>,
    pub(crate) last_played: Option<i64>,
}

pub(crate) const APP_COLUMNS: &[&str] = &[
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

pub(crate) const REVIEW_COLUMNS: &[&str] = &[
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

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref()
}

fn json(v: &Option<Value>) -> Option<String> {
    v.as_ref().filter(|v| !v.is_null()).map(Value::to_string)
}

pub(crate) fn push_app(buf: &mut Vec<u8>, app: &App) {
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

/// Encodes one review and returns its id.
pub(crate) fn push_review(buf: &mut Vec<u8>, appid: i64, r: &Review) -> String {
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
        Some(id.clone()),
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
    id
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
        assert_eq!(crate::report::thousands(36265), "36,265");
    }
}
