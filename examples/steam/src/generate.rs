//! A Steam-shaped sample, since the real data set is not available: applications as the
//! appdetails API returns them (nested developers, publishers, genres, categories,
//! price_overview, requirements) with their reviews as the appreviews API returns them,
//! author statistics included. Some playtimes exceed 2^31, the overflow seed 000 found.
//!
//! The same seed always gives the same file.

use fastrand::Rng;
use serde_json::{Value, json};

use crate::texts;

/// Sizes of seed 000's sample.
pub const DEFAULT_APPS: usize = 8_711;
pub const DEFAULT_REVIEWS: usize = 36_265;
pub const DEFAULT_SEED: u64 = 42;

const ADJECTIVES: &[&str] = &[
    "Red",
    "Silent",
    "Iron",
    "Lucky",
    "Hidden",
    "Golden",
    "Brave",
    "Crimson",
    "Frozen",
    "Wild",
    "Electric",
    "Lonely",
    "Ancient",
    "Neon",
    "Paper",
    "Tiny",
    "Hollow",
    "Clever",
    "Rusty",
    "Velvet",
    "Cosmic",
    "Broken",
    "Quiet",
    "Savage",
    "Bright",
    "Little",
    "Northern",
    "Pixel",
    "Shadow",
    "Solar",
    "Happy",
    "Mad",
    "Second",
    "Blue",
    "Last",
    "Stone",
    "Glass",
    "Wandering",
    "Lunar",
    "Sleepy",
];
const NOUNS: &[&str] = &[
    "Fox", "Anvil", "Lantern", "Owl", "Forge", "Harbor", "Raven", "Comet", "Badger", "Tower",
    "Garden", "Engine", "Beacon", "Otter", "Kite", "Wolf", "Mountain", "Spark", "Tortoise",
    "Dragon", "Falcon", "Cactus", "Orchid", "Bear", "Cloud", "River", "Castle", "Robot", "Goblin",
    "Whale", "Monk", "Circuit", "Moth", "Lynx", "Pine", "Ember", "Crow", "Yeti", "Compass",
    "Meteor", "Squid", "Hammer", "Maple", "Rocket", "Panda", "Sphinx", "Willow", "Quasar", "Bison",
    "Wren", "Koi", "Marble", "Thistle", "Gecko", "Glacier", "Saber", "Phoenix", "Acorn", "Heron",
    "Atlas", "Cobra", "Lotus", "Orbit", "Pebble", "Cinder", "Harp", "Mantis", "Nomad", "Puffin",
    "Shark", "Tundra", "Vortex", "Walrus", "Zephyr", "Badlands",
];
const DEV_SUFFIX: &[&str] = &[
    "Studios",
    "Games",
    "Interactive",
    "Softworks",
    "Labs",
    "Entertainment",
    "Works",
];
const PUB_SUFFIX: &[&str] = &[
    "Publishing",
    "Digital",
    "Media",
    "Entertainment",
    "Interactive",
];
const GAME_WORDS: &[&str] = &[
    "Chronicles",
    "Legends",
    "Odyssey",
    "Tactics",
    "Simulator",
    "Rising",
    "Origins",
    "Frontier",
    "Dungeon",
    "Kingdom",
    "Survivors",
    "Racing",
    "Defense",
    "Quest",
    "Arena",
    "Island",
    "Empire",
    "Protocol",
    "Nights",
    "Saga",
    "Heist",
    "Colony",
    "Drift",
    "Tycoon",
    "Horizon",
];

/// Steam's genres with their ids (the API gives the id as a string).
pub const GENRES: &[(&str, &str)] = &[
    ("1", "Action"),
    ("2", "Strategy"),
    ("3", "RPG"),
    ("4", "Casual"),
    ("9", "Racing"),
    ("18", "Sports"),
    ("23", "Indie"),
    ("25", "Adventure"),
    ("28", "Simulation"),
    ("29", "Massively Multiplayer"),
    ("37", "Free to Play"),
    ("51", "Animation & Modeling"),
    ("52", "Audio Production"),
    ("53", "Design & Illustration"),
    ("54", "Education"),
    ("55", "Photo Editing"),
    ("56", "Software Training"),
    ("57", "Utilities"),
    ("58", "Video Production"),
    ("59", "Web Publishing"),
    ("60", "Game Development"),
    ("70", "Early Access"),
    ("71", "Sexual Content"),
    ("72", "Nudity"),
    ("73", "Violent"),
    ("74", "Gore"),
    ("81", "Documentary"),
    ("84", "Tutorial"),
    ("85", "Short"),
];

/// Steam's store categories with their ids.
pub const CATEGORIES: &[(i64, &str)] = &[
    (1, "Multi-player"),
    (2, "Single-player"),
    (8, "Valve Anti-Cheat enabled"),
    (9, "Co-op"),
    (13, "Captions available"),
    (14, "Commentary available"),
    (15, "Stats"),
    (16, "Includes Source SDK"),
    (17, "Includes level editor"),
    (18, "Partial Controller Support"),
    (20, "MMO"),
    (21, "Downloadable Content"),
    (22, "Steam Achievements"),
    (23, "Steam Cloud"),
    (24, "Shared/Split Screen"),
    (25, "Steam Leaderboards"),
    (27, "Cross-Platform Multiplayer"),
    (28, "Full controller support"),
    (29, "Steam Trading Cards"),
    (30, "Steam Workshop"),
    (31, "VR Support"),
    (32, "Steam Turn Notifications"),
    (35, "In-App Purchases"),
    (36, "Online PvP"),
    (37, "Shared/Split Screen PvP"),
    (38, "Online Co-op"),
    (39, "Shared/Split Screen Co-op"),
    (40, "SteamVR Collectibles"),
    (41, "Remote Play on Phone"),
    (42, "Remote Play on Tablet"),
    (43, "Remote Play on TV"),
    (44, "Remote Play Together"),
    (47, "LAN PvP"),
    (48, "LAN Co-op"),
    (49, "PvP"),
    (50, "Additional High-Quality Audio"),
    (51, "Steam Workshop"),
    (52, "Tracked Controller Support"),
    (53, "VR Supported"),
    (54, "VR Only"),
    (55, "Steam Timeline"),
    (61, "HDR available"),
    (62, "Family Sharing"),
];

const LANGUAGES: &[&str] = &[
    "english",
    "schinese",
    "russian",
    "spanish",
    "german",
    "brazilian",
    "french",
    "koreana",
    "japanese",
    "polish",
];
const REVIEW_PHRASES: &[&str] = &[
    "Great game, highly recommend.",
    "The combat feels tight and rewarding.",
    "Runs poorly on my machine after the last patch.",
    "Way too short for the price.",
    "Hundreds of hours in and I still find new things.",
    "Co-op with friends is the best part.",
    "The story kept me hooked until the end.",
    "Crashes on startup, refunded.",
    "Beautiful art direction and a great soundtrack.",
    "Needs more content, but the devs are active.",
    "Grindy, but in a satisfying way.",
    "Controls are clunky with a gamepad.",
];

/// Applications by type, roughly as in seed 000's sample (5,000 games and 2,341 DLC of 8,711).
const TYPES: &[(&str, f64)] = &[
    ("game", 0.574),
    ("dlc", 0.2687),
    ("demo", 0.05),
    ("music", 0.04),
    ("video", 0.02),
    ("mod", 0.01),
    ("application", 0.01),
    ("tool", 0.01),
    ("series", 0.005),
    ("episode", 0.005),
    ("hardware", 0.0013),
    ("advertising", 0.001),
];

fn pick<'a, T>(rng: &mut Rng, list: &'a [T]) -> &'a T {
    &list[rng.usize(..list.len())]
}

/// An index into a pool of `n`, skewed so that a few entries get most of the picks.
fn skewed(rng: &mut Rng, n: usize) -> usize {
    ((rng.f64().powi(3)) * n as f64) as usize % n.max(1)
}

fn studio(i: usize, suffixes: &[&str]) -> String {
    let a = ADJECTIVES[i % ADJECTIVES.len()];
    let n = NOUNS[(i / ADJECTIVES.len()) % NOUNS.len()];
    let s = suffixes[(i / (ADJECTIVES.len() * NOUNS.len())) % suffixes.len()];
    format!("{a} {n} {s}")
}

/// The sample: a JSON array of applications, each with its `reviews`.
pub fn generate(apps: usize, reviews: usize, seed: u64) -> Value {
    let mut rng = Rng::with_seed(seed);
    let developers = (apps as f64 * 0.327).ceil() as usize;
    let publishers = (apps as f64 * 0.221).ceil() as usize;
    let mut appid: i64 = 10;
    let mut out: Vec<Value> = Vec::with_capacity(apps);
    let mut types: Vec<&str> = Vec::with_capacity(apps);
    for _ in 0..apps {
        appid += 10 * rng.i64(1..40);
        let ty = app_type(&mut rng);
        types.push(ty);
        out.push(application(
            &mut rng,
            appid,
            ty,
            developers.max(1),
            publishers.max(1),
        ));
    }
    let dlc_ids: Vec<i64> = out
        .iter()
        .zip(&types)
        .filter(|(_, t)| **t == "dlc")
        .filter_map(|(a, _)| a["appid"].as_i64())
        .collect();
    let mut per_app: Vec<Vec<Value>> = vec![Vec::new(); apps];
    let mut recommendation: i64 = 150_000_000;
    for _ in 0..reviews {
        recommendation += rng.i64(1..5_000);
        let index = skewed(&mut rng, apps);
        per_app[index].push(review(&mut rng, recommendation));
    }
    for ((app, ty), app_reviews) in out.iter_mut().zip(&types).zip(per_app) {
        if *ty == "game" && !dlc_ids.is_empty() && rng.f64() < 0.2 {
            let n = rng.usize(1..4);
            let dlc: Vec<i64> = (0..n).map(|_| *pick(&mut rng, &dlc_ids)).collect();
            app["dlc"] = json!(dlc);
        }
        app["reviews"] = Value::Array(app_reviews);
    }
    Value::Array(out)
}

fn app_type(rng: &mut Rng) -> &'static str {
    let mut x = rng.f64();
    for (ty, share) in TYPES {
        if x < *share {
            return ty;
        }
        x -= share;
    }
    "game"
}

fn application(rng: &mut Rng, appid: i64, ty: &str, developers: usize, publishers: usize) -> Value {
    let title = format!("{} {}", pick(rng, ADJECTIVES), pick(rng, GAME_WORDS));
    let name = match ty {
        "dlc" => format!("{title} - {} Pack", pick(rng, NOUNS)),
        "demo" => format!("{title} Demo"),
        "music" => format!("{title} Soundtrack"),
        _ => title,
    };
    let is_free = rng.f64() < 0.12;
    let dev_count = if rng.f64() < 0.85 { 1 } else { 2 };
    let devs: Vec<String> = (0..dev_count)
        .map(|_| studio(skewed(rng, developers), DEV_SUFFIX))
        .collect();
    let pubs: Vec<String> = if rng.f64() < 0.3 {
        devs.clone()
    } else {
        vec![studio(skewed(rng, publishers), PUB_SUFFIX)]
    };
    // The main genre is one the texts can speak of; further genres are any.
    let described: Vec<&str> = texts::described_genres().collect();
    let mut genre_ids: Vec<&str> = vec![*pick(rng, &described)];
    for _ in 0..rng.usize(..3) {
        let (id, _) = pick(rng, GENRES);
        if !genre_ids.contains(id) {
            genre_ids.push(id);
        }
    }
    let genres: Vec<Value> = genre_ids
        .iter()
        .filter_map(|id| GENRES.iter().find(|(g, _)| g == id))
        .map(|(id, description)| json!({ "id": id, "description": description }))
        .collect();
    let short = texts::short_description(rng, &genre_ids);
    let about = texts::about(rng, &genre_ids);
    let categories: Vec<Value> = (0..1 + rng.usize(..5))
        .map(|_| {
            let (id, description) = pick(rng, CATEGORIES);
            json!({ "id": id, "description": description })
        })
        .collect();
    let mut app = json!({
        "appid": appid,
        "type": ty,
        "name": name,
        "required_age": if rng.f64() < 0.05 { 18 } else { 0 },
        "is_free": is_free,
        "detailed_description": format!("<h1>{name}</h1><p>{about}</p>"),
        "about_the_game": format!("<p>{about}</p>"),
        "short_description": short,
        "supported_languages": "English<strong>*</strong>, French, German, Korean<br><strong>*</strong>languages with full audio support",
        "header_image": format!("https://shared.steamstatic.example/store_item_assets/steam/apps/{appid}/header.jpg"),
        "capsule_image": format!("https://shared.steamstatic.example/store_item_assets/steam/apps/{appid}/capsule_231x87.jpg"),
        "website": if rng.bool() { Value::String(format!("https://{}.example.com", appid)) } else { Value::Null },
        "pc_requirements": { "minimum": "<strong>Minimum:</strong><br><ul><li>OS: Windows 10</li><li>Memory: 8 GB RAM</li></ul>" },
        "mac_requirements": if rng.f64() < 0.2 { json!({ "minimum": "<strong>Minimum:</strong> macOS 12" }) } else { json!([]) },
        "linux_requirements": json!([]),
        "developers": devs,
        "publishers": pubs,
        "platforms": { "windows": true, "mac": rng.f64() < 0.2, "linux": rng.f64() < 0.15 },
        "categories": categories,
        "genres": genres,
        "release_date": release_date(rng),
        "background": format!("https://store.steamstatic.example/images/storepagebackground/app/{appid}"),
        "content_descriptors": { "ids": [], "notes": Value::Null },
    });
    if !is_free && ty != "hardware" {
        let initial = [499, 999, 1499, 1999, 2999, 3999, 5999][rng.usize(..7)];
        let discount = if rng.f64() < 0.25 {
            [10, 25, 50, 75][rng.usize(..4)]
        } else {
            0
        };
        let final_price = initial * (100 - discount) / 100;
        app["price_overview"] = json!({
            "currency": "USD", "initial": initial, "final": final_price, "discount_percent": discount,
            "initial_formatted": if discount > 0 { format!("${:.2}", initial as f64 / 100.0) } else { String::new() },
            "final_formatted": format!("${:.2}", final_price as f64 / 100.0),
        });
    }
    if rng.f64() < 0.3 {
        app["controller_support"] = json!(if rng.bool() { "full" } else { "partial" });
    }
    if ty == "game" && rng.f64() < 0.25 {
        let score = 40 + rng.i64(0..59);
        app["metacritic"] = json!({ "score": score, "url": format!("https://www.metacritic.example/game/{appid}") });
    }
    if rng.f64() < 0.6 {
        app["recommendations"] = json!({ "total": rng.i64(0..200_000) });
    }
    if rng.f64() < 0.5 {
        app["achievements"] = json!({ "total": rng.i64(0..120) });
    }
    app
}

fn release_date(rng: &mut Rng) -> Value {
    if rng.f64() < 0.04 {
        return json!({ "coming_soon": true, "date": "Coming soon" });
    }
    const MONTHS: &[&str] = &[
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = format!(
        "{} {}, {}",
        pick(rng, MONTHS),
        1 + rng.usize(..28),
        2006 + rng.usize(..20)
    );
    json!({ "coming_soon": false, "date": date })
}

fn review(rng: &mut Rng, id: i64) -> Value {
    // Mostly ordinary players; a few accounts whose counters overflow a 32-bit INTEGER.
    let huge = rng.f64() < 0.004;
    let forever: i64 = if huge {
        i64::from(i32::MAX) + rng.i64(1..3_000_000_000)
    } else {
        (rng.f64().powi(3) * 200_000.0) as i64
    };
    let created: i64 = 1_400_000_000 + rng.i64(0..350_000_000);
    let updated = created
        + if rng.f64() < 0.2 {
            rng.i64(0..30_000_000)
        } else {
            0
        };
    let words = 1 + rng.usize(..6);
    let text: Vec<&str> = (0..words).map(|_| *pick(rng, REVIEW_PHRASES)).collect();
    json!({
        "recommendationid": id.to_string(),
        "author": {
            "steamid": format!("7656119{:010}", rng.u64(..10_000_000_000)),
            "num_games_owned": if huge { 2_500_000_000_i64 + rng.i64(0..1_000_000) } else { rng.i64(0..3000) },
            "num_reviews": rng.i64(1..400),
            "playtime_forever": forever,
            "playtime_last_two_weeks": rng.i64(0..(forever.min(20_160) + 1)),
            "playtime_at_review": forever / 2,
            "last_played": updated + rng.i64(0..10_000_000),
        },
        "language": pick(rng, LANGUAGES),
        "review": text.join(" "),
        "timestamp_created": created,
        "timestamp_updated": updated,
        "voted_up": rng.f64() < 0.78,
        "votes_up": rng.i64(0..500),
        "votes_funny": rng.i64(0..50),
        "weighted_vote_score": format!("{:.9}", rng.f64()),
        "comment_count": rng.i64(0..20),
        "steam_purchase": rng.f64() < 0.85,
        "received_for_free": rng.f64() < 0.05,
        "written_during_early_access": rng.f64() < 0.1,
        "primarily_steam_deck": rng.f64() < 0.06,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let a = generate(50, 200, 7);
        let b = generate(50, 200, 7);
        assert_eq!(a, b);
        let apps = a.as_array().unwrap();
        assert_eq!(apps.len(), 50);
        let reviews: usize = apps
            .iter()
            .map(|x| x["reviews"].as_array().unwrap().len())
            .sum();
        assert_eq!(reviews, 200);
        assert_ne!(a, generate(50, 200, 8));
    }

    #[test]
    fn studio_names_are_unique() {
        let names: std::collections::HashSet<String> =
            (0..3000).map(|i| studio(i, DEV_SUFFIX)).collect();
        assert_eq!(names.len(), 3000);
    }
}
