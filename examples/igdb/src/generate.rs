//! IGDB-shaped games for development and benchmarks: sparse ids, names built from word
//! lists (with sequels and subtitles), summaries, IGDB's genre, platform and theme names
//! fitting the release era, ratings for about 60% of games with heavy-tailed counts.
//! The same seed gives the same file.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::records::Layout;

pub const DEFAULT_SEED: u64 = 2;

/// One generated game, in the field order IGDB's API returns.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedGame {
    pub id: i64,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub genres: Vec<&'static str>,
    pub platforms: Vec<&'static str>,
    pub themes: Vec<&'static str>,
    pub rating: Option<f64>,
    pub rating_count: i64,
    pub first_release_date: Option<i64>,
}

const GENRES: &[&str] = &[
    "Point-and-click",
    "Fighting",
    "Shooter",
    "Music",
    "Platform",
    "Puzzle",
    "Racing",
    "Real Time Strategy (RTS)",
    "Role-playing (RPG)",
    "Simulator",
    "Sport",
    "Strategy",
    "Turn-based strategy (TBS)",
    "Tactical",
    "Hack and slash/Beat 'em up",
    "Quiz/Trivia",
    "Pinball",
    "Adventure",
    "Indie",
    "Arcade",
    "Visual Novel",
    "Card & Board Game",
    "MOBA",
];

const THEMES: &[&str] = &[
    "Action",
    "Fantasy",
    "Science fiction",
    "Horror",
    "Thriller",
    "Survival",
    "Historical",
    "Stealth",
    "Comedy",
    "Business",
    "Drama",
    "Non-fiction",
    "Sandbox",
    "Educational",
    "Kids",
    "Open world",
    "Warfare",
    "Party",
    "4X (explore, expand, exploit, and exterminate)",
    "Mystery",
    "Romance",
];

/// Platforms by the year they were current: (first year, last year, name).
const PLATFORMS: &[(i32, i32, &str)] = &[
    (1977, 1992, "Atari 2600"),
    (1983, 1995, "Nintendo Entertainment System"),
    (1985, 1998, "Amiga"),
    (1988, 1997, "Sega Mega Drive/Genesis"),
    (1989, 2003, "Game Boy"),
    (1990, 1999, "Super Nintendo Entertainment System"),
    (1994, 2006, "PlayStation"),
    (1996, 2002, "Nintendo 64"),
    (2000, 2013, "PlayStation 2"),
    (2001, 2008, "Game Boy Advance"),
    (2001, 2008, "Xbox"),
    (2004, 2014, "Nintendo DS"),
    (2005, 2016, "Xbox 360"),
    (2006, 2017, "PlayStation 3"),
    (2006, 2014, "Wii"),
    (2008, 2030, "iOS"),
    (2008, 2030, "Android"),
    (2011, 2020, "Nintendo 3DS"),
    (2013, 2024, "PlayStation 4"),
    (2013, 2024, "Xbox One"),
    (2017, 2030, "Nintendo Switch"),
    (2020, 2030, "PlayStation 5"),
    (2020, 2030, "Xbox Series X|S"),
    (1980, 2030, "PC (Microsoft Windows)"),
    (1984, 2030, "Mac"),
    (1995, 2030, "Linux"),
    (1995, 2030, "Web browser"),
];

const FIRST: &[&str] = &[
    "Shadow",
    "Crystal",
    "Iron",
    "Lost",
    "Eternal",
    "Silent",
    "Crimson",
    "Hollow",
    "Star",
    "Dragon",
    "Neon",
    "Ancient",
    "Broken",
    "Golden",
    "Frozen",
    "Savage",
    "Hidden",
    "Final",
    "Wild",
    "Dark",
    "Infinite",
    "Rogue",
    "Sacred",
    "Cyber",
    "Solar",
    "Arcane",
    "Steel",
    "Pixel",
    "Mystic",
    "Last",
    "Forgotten",
    "Burning",
    "Galactic",
    "Tiny",
    "Super",
    "Mega",
    "Grand",
];

const SECOND: &[&str] = &[
    "Legends",
    "Quest",
    "Knights",
    "Empire",
    "Odyssey",
    "Chronicles",
    "Frontier",
    "Tactics",
    "Racer",
    "Dungeon",
    "Heroes",
    "Saga",
    "Realms",
    "Warriors",
    "Kingdom",
    "Horizon",
    "Arena",
    "Escape",
    "Island",
    "Garden",
    "Station",
    "Colony",
    "Hunter",
    "Drift",
    "Protocol",
    "Fortress",
    "Voyage",
    "Rebellion",
    "Spirits",
    "Tales",
    "Siege",
    "Valley",
    "League",
    "Party",
    "Factory",
];

const SUBTITLES: &[&str] = &[
    "Origins",
    "Reborn",
    "The Awakening",
    "Rise of the Fallen",
    "Beyond the Veil",
    "Director's Cut",
    "Remastered",
    "Gold Edition",
    "The Lost Chapter",
    "Definitive Edition",
    "Retribution",
    "Dawn of War",
];

const SEQUELS: &[&str] = &["2", "3", "4", "II", "III", "IV", "Zero", "2077", "HD"];

const OPENINGS: &[&str] = &[
    "Explore a vast world",
    "Lead a band of unlikely heroes",
    "Build and manage your own",
    "Race against time",
    "Uncover the secrets",
    "Fight your way through",
    "Solve hand-crafted puzzles",
    "Survive the night",
    "Command armies",
    "Experience the story",
];

const MIDDLES: &[&str] = &[
    "across procedurally generated lands",
    "in a city on the brink of collapse",
    "with friends in local and online co-op",
    "through dozens of challenging levels",
    "in a richly detailed open world",
    "where every choice matters",
    "inspired by classic arcade games",
    "set in a forgotten kingdom",
];

const ENDINGS: &[&str] = &[
    "Features a branching story with multiple endings.",
    "Includes a level editor and online leaderboards.",
    "Master deep combat systems and unlock new abilities.",
    "Collect, craft and upgrade hundreds of items.",
    "A love letter to the classics of the genre.",
    "Play solo or compete in ranked matches.",
    "",
];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

/// Distinct picks, 0..=max of them, in list order.
fn some_of(
    rng: &mut fastrand::Rng,
    items: &[&'static str],
    min: usize,
    max: usize,
) -> Vec<&'static str> {
    let n = rng.usize(min..=max);
    let mut chosen: Vec<usize> = Vec::with_capacity(n);
    while chosen.len() < n.min(items.len()) {
        let i = rng.usize(..items.len());
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| items[i]).collect()
}

/// The i-th game for a random source already positioned.
fn game(rng: &mut fastrand::Rng, id: i64) -> GeneratedGame {
    let mut name = format!("{} {}", pick(rng, FIRST), pick(rng, SECOND));
    match rng.u8(..10) {
        0..=1 => name = format!("{name} {}", pick(rng, SEQUELS)),
        2..=3 => name = format!("{name}: {}", pick(rng, SUBTITLES)),
        4 => name = format!("The {name}"),
        _ => {}
    }
    // Release years lean recent, as IGDB's catalogue does (most games are from the 2010s).
    let released = rng.u8(..10) != 0;
    let year = 2025 - ((rng.f64() * rng.f64()) * 48.0) as i32;
    let first_release_date = released.then(|| {
        let day = rng.i64(0..365);
        // Days since 1970-01-01 for 1 January of `year`, close enough for synthetic data.
        let days = (i64::from(year) - 1970) * 365 + (i64::from(year) - 1969) / 4 + day;
        days * 86_400
    });
    let current: Vec<&'static str> = PLATFORMS
        .iter()
        .filter(|(from, to, _)| *from <= year && year <= *to)
        .map(|(_, _, name)| *name)
        .collect();
    let platforms = if current.is_empty() {
        vec!["PC (Microsoft Windows)"]
    } else {
        some_of(rng, &current, 1, 4.min(current.len()))
    };
    let summary = (rng.u8(..10) != 0).then(|| {
        let ending = pick(rng, ENDINGS);
        let text = format!("{} {}. {}", pick(rng, OPENINGS), pick(rng, MIDDLES), ending);
        text.trim_end().to_string()
    });
    let rated = rng.u8(..10) < 6;
    let (rating, rating_count) = if rated {
        // Roughly normal around 70, two decimals as IGDB shows them.
        let sum: f64 = (0..4).map(|_| rng.f64()).sum();
        let r = (70.0 + (sum - 2.0) * 20.0).clamp(5.0, 100.0);
        let count = (rng.f64() * 7.5).exp() as i64;
        (Some((r * 100.0).round() / 100.0), count.max(1))
    } else {
        (None, 0)
    };
    GeneratedGame {
        id,
        name,
        summary,
        genres: some_of(rng, GENRES, 1, 3),
        platforms,
        themes: some_of(rng, THEMES, 0, 3),
        rating,
        rating_count,
        first_release_date,
    }
}

/// `count` games with increasing, sparse ids (as IGDB's are).
pub fn games(count: usize, seed: u64) -> impl Iterator<Item = GeneratedGame> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut id = 0i64;
    (0..count).map(move |_| {
        id += rng.i64(1..=3);
        game(&mut rng, id)
    })
}

/// Writes `count` games to `out`: a JSON array for `.json`, NDJSON otherwise.
pub fn write(out: &Path, count: usize, seed: u64) -> anyhow::Result<()> {
    let layout = Layout::of(out, None);
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let write_err = |e: std::io::Error| anyhow::anyhow!("cannot write {}: {e}", out.display());
    if layout == Layout::Array {
        w.write_all(b"[\n").map_err(write_err)?;
    }
    for (i, game) in games(count, seed).enumerate() {
        if layout == Layout::Array && i > 0 {
            w.write_all(b",\n").map_err(write_err)?;
        }
        serde_json::to_writer(&mut w, &game)?;
        if layout == Layout::Ndjson {
            w.write_all(b"\n").map_err(write_err)?;
        }
    }
    if layout == Layout::Array {
        w.write_all(b"\n]\n").map_err(write_err)?;
    }
    w.flush().map_err(write_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_plausible() {
        let a: Vec<_> = games(500, 7)
            .map(|g| serde_json::to_string(&g).unwrap())
            .collect();
        let b: Vec<_> = games(500, 7)
            .map(|g| serde_json::to_string(&g).unwrap())
            .collect();
        assert_eq!(a, b);
        let c: Vec<_> = games(500, 8)
            .map(|g| serde_json::to_string(&g).unwrap())
            .collect();
        assert_ne!(a, c);
        let all: Vec<_> = games(2000, 1).collect();
        assert!(all.windows(2).all(|w| w[0].id < w[1].id));
        assert!(
            all.iter()
                .all(|g| !g.genres.is_empty() && !g.platforms.is_empty())
        );
        assert!(
            all.iter()
                .all(|g| g.rating.is_none_or(|r| (0.0..=100.0).contains(&r)))
        );
        let rated = all.iter().filter(|g| g.rating_count >= 10).count();
        assert!(rated > 200 && rated < 1500, "{rated}");
    }
}
