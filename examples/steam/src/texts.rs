//! Store texts that say what an application is about: its descriptions are drawn from
//! phrases of its genres, the way real store pages read, so that sentence embeddings of
//! the sample cluster by genre as those of the real catalogue do (the semantic-search
//! test and `scripts/steam-semantic-search.sh` depend on it).

use fastrand::Rng;

/// Phrases per genre id (ids as in [`crate::generate::GENRES`]).
const GENRE_PHRASES: &[(&str, &[&str])] = &[
    (
        "1",
        &[
            "fast-paced combat against waves of enemies",
            "shoot your way through explosive firefights",
            "dodge, parry and strike in brutal melee battles",
            "chain combos and unleash devastating special attacks",
            "fight through hordes of soldiers with an arsenal of weapons",
            "a relentless action shooter with intense boss fights",
        ],
    ),
    (
        "2",
        &[
            "command armies and outwit rival generals",
            "plan every move in turn-based tactical battles",
            "manage resources, expand territory and conquer the map",
            "build an empire through diplomacy, trade and war",
            "real-time strategy with base building and unit control",
            "grand strategy across centuries of history",
        ],
    ),
    (
        "3",
        &[
            "create your hero and level up through an epic quest",
            "explore a vast fantasy world full of dungeons and dragons",
            "choose your class, learn spells and gather loot",
            "a party-based role-playing game with a branching story",
            "recruit companions and make choices that shape the kingdom",
            "deep character progression, skill trees and legendary gear",
        ],
    ),
    (
        "4",
        &[
            "relaxing puzzles you can play in short sessions",
            "match colourful tiles and clear the board",
            "a cozy, easy to learn game for all ages",
            "pick up and play levels with simple one-button controls",
            "a charming little game to unwind after work",
            "hidden object scenes and gentle brain teasers",
        ],
    ),
    (
        "9",
        &[
            "tear around the track in souped-up cars",
            "drift through hairpin turns at full throttle",
            "upgrade your engine, tires and turbo between races",
            "compete in street races and championship seasons",
            "arcade racing with nitro boosts and shortcuts",
            "realistic driving physics on famous circuits",
        ],
    ),
    (
        "18",
        &[
            "lead your football club to the league title",
            "a basketball simulation with real tactics and transfers",
            "train athletes and compete in tournaments",
            "score goals, win matches and manage your team",
            "tennis, golf and more with precise swing controls",
            "career mode from rookie season to the championship",
        ],
    ),
    (
        "23",
        &[
            "a handcrafted indie game made by a tiny team",
            "hand-drawn pixel art and an original soundtrack",
            "an experimental indie project with a unique art style",
            "a personal story told through minimalist design",
            "a small studio's passion project with quirky humour",
            "retro-inspired indie gameplay with a modern twist",
        ],
    ),
    (
        "25",
        &[
            "explore mysterious places and uncover their secrets",
            "a narrative adventure about friendship and loss",
            "solve riddles and talk to strange characters on your journey",
            "point-and-click adventure through a haunted town",
            "follow clues across a sprawling island",
            "a story-driven journey with memorable characters",
        ],
    ),
    (
        "28",
        &[
            "build and manage your own farm, city or factory",
            "a detailed simulator of trains, trucks and planes",
            "design production lines and optimise your business",
            "run a hospital, zoo or theme park tycoon style",
            "realistic simulation of everyday jobs and machines",
            "plant crops, raise animals and grow your homestead",
        ],
    ),
    (
        "29",
        &[
            "join thousands of players in a persistent online world",
            "form guilds, raid together and fight in massive battles",
            "a massively multiplayer online world with player trading",
            "team up with friends in large-scale online PvP wars",
            "an MMO with seasonal events and a living economy",
            "meet adventurers from around the world on shared servers",
        ],
    ),
    (
        "37",
        &[
            "free to play with optional cosmetic items",
            "play for free and unlock new heroes over time",
            "no cost to start, earn rewards by playing daily",
            "free to play online matches with a battle pass",
            "download for free and jump into quick matches",
            "a free game supported by optional in-game purchases",
        ],
    ),
    (
        "51",
        &[
            "3D modeling, rigging and animation software",
            "sculpt characters and animate them with keyframes",
            "professional tools for modeling and rendering scenes",
            "create 3D assets and export them to game engines",
            "an animation suite with timelines, bones and skinning",
            "render photorealistic images from your 3D models",
        ],
    ),
    (
        "52",
        &[
            "record, mix and master music with a digital audio workstation",
            "synthesizers, samplers and audio effects for producers",
            "edit audio tracks and compose songs with MIDI",
            "professional audio production and sound design tools",
            "a music studio with virtual instruments and mixing console",
            "create beats, loops and soundtracks",
        ],
    ),
    (
        "53",
        &[
            "digital painting and illustration software with brushes and layers",
            "draw comics and concept art with a pressure-sensitive tablet",
            "vector design tools for logos and posters",
            "an art program for sketching, inking and colouring",
            "create pixel art sprites and tilesets",
            "graphic design software for illustrators",
        ],
    ),
    (
        "54",
        &[
            "learn mathematics and science through interactive lessons",
            "an educational program that teaches languages to students",
            "study history and geography with quizzes",
            "teaching software for classrooms and homeschooling",
            "practice typing, spelling and reading skills",
            "lessons and exercises that make learning fun for children",
        ],
    ),
    (
        "57",
        &[
            "a utility to monitor system performance and temperatures",
            "record your screen and benchmark your hardware",
            "tools to manage files, backups and system settings",
            "customise your desktop with wallpapers and widgets",
            "an overlay utility for FPS counters and hotkeys",
            "software to remap controllers and keyboard shortcuts",
        ],
    ),
    (
        "58",
        &[
            "edit videos with timelines, transitions and colour grading",
            "video production software for streamers and creators",
            "cut, trim and export footage in high resolution",
            "add effects, titles and audio to your video projects",
            "a video editor for YouTube content and films",
            "motion graphics and compositing for video",
        ],
    ),
    (
        "60",
        &[
            "a game engine for building your own 2D and 3D games",
            "create games without coding using visual scripting",
            "level editor and asset tools for game developers",
            "prototype, test and publish games from one editor",
            "game development toolkit with physics and sprites",
            "make your own role-playing game with a simple maker tool",
        ],
    ),
    (
        "70",
        &[
            "in early access: new content arrives with every update",
            "still in development, shaped by community feedback",
            "early access build with a roadmap of planned features",
            "help test and improve the game before full release",
        ],
    ),
    (
        "73",
        &[
            "graphic violence and bloody battles",
            "brutal fights with weapons and explosions",
            "violent combat intended for mature audiences",
            "savage warfare with realistic injuries",
        ],
    ),
    (
        "81",
        &[
            "a documentary film about the history of video games",
            "interviews and archive footage in a documentary series",
            "a documentary about the people behind a famous studio",
            "real stories told in a documentary format",
        ],
    ),
];

/// Generic phrases any store page may carry, mixed in so that texts are not pure genre.
const FILLER: &[&str] = &[
    "Available in several languages.",
    "Supports controllers and keyboard.",
    "Steam achievements and cloud saves included.",
    "Play at your own pace.",
    "Regular updates and new content.",
    "Made with love for our community.",
];

/// Phrases for the genre with this id, when it has any.
fn phrases(genre_id: &str) -> Option<&'static [&'static str]> {
    GENRE_PHRASES
        .iter()
        .find(|(id, _)| *id == genre_id)
        .map(|(_, phrases)| *phrases)
}

/// Genre ids that have phrases: an application's first (main) genre is one of these.
pub fn described_genres() -> impl Iterator<Item = &'static str> {
    GENRE_PHRASES.iter().map(|(id, _)| *id)
}

/// The short description: two phrases of the main genre and one generic sentence.
pub fn short_description(rng: &mut Rng, genre_ids: &[&str]) -> String {
    let main = genre_ids
        .first()
        .and_then(|id| phrases(id))
        .unwrap_or(FILLER);
    let first = main[rng.usize(..main.len())];
    let mut second = main[rng.usize(..main.len())];
    if second == first {
        second = main[(main.iter().position(|p| *p == first).unwrap_or(0) + 1) % main.len()];
    }
    format!(
        "{}, {second}. {}",
        capitalize(first),
        FILLER[rng.usize(..FILLER.len())]
    )
}

/// The about text: a sentence for each genre, main genre first.
pub fn about(rng: &mut Rng, genre_ids: &[&str]) -> String {
    let mut sentences: Vec<String> = genre_ids
        .iter()
        .filter_map(|id| phrases(id))
        .map(|list| format!("{}.", capitalize(list[rng.usize(..list.len())])))
        .collect();
    sentences.push(FILLER[rng.usize(..FILLER.len())].to_string());
    sentences.join(" ")
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_described_genre_is_a_steam_genre() {
        for id in described_genres() {
            assert!(
                crate::generate::GENRES.iter().any(|(g, _)| *g == id),
                "{id}"
            );
        }
    }

    #[test]
    fn descriptions_speak_of_the_main_genre() {
        let mut rng = Rng::with_seed(1);
        let text = short_description(&mut rng, &["9", "1"]);
        assert!(
            phrases("9")
                .unwrap()
                .iter()
                .any(|p| text.to_lowercase().contains(p)),
            "{text}"
        );
    }
}
