//! Plausible values for one column of a synthetic row: by type, nudged by the column's name
//! (emails look like emails) and bounded by the simple checks the model declares.

use fastrand::Rng;

use super::types::{self, Input, Kind};

/// What a simple check allows for one column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Allowed {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// `col IN ('a', 'b')`.
    pub one_of: Option<Vec<String>>,
}

/// Reads the checks a generator can honour: `c >= n`, `c > n`, `c <= n`, `c < n`,
/// `c BETWEEN a AND b`, `c IN ('a', …)`. Returns the column and what it allows, or
/// `None` for anything else.
pub fn simple_check(expression: &str) -> Option<(String, Allowed)> {
    let t = expression.trim();
    let e = match t.strip_prefix('(').and_then(|i| i.strip_suffix(')')) {
        Some(inner) => inner.trim(),
        None => t,
    };
    let lower = e.to_ascii_lowercase();
    let (token, rest) = e.split_once(char::is_whitespace)?;
    let column = token.trim_matches('"').to_string();
    if !column
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let rest_lower = lower[token.len()..].trim().to_string();
    let rest = rest.trim();
    let mut allowed = Allowed::default();
    if let Some(range) = rest_lower.strip_prefix("between ") {
        let (a, b) = range.split_once(" and ")?;
        allowed.min = Some(a.trim().parse().ok()?);
        allowed.max = Some(b.trim().parse().ok()?);
    } else if rest_lower.starts_with("in ") || rest_lower.starts_with("in(") {
        let list = rest[2..].trim().strip_prefix('(')?.strip_suffix(')')?;
        let values: Option<Vec<String>> = list
            .split(',')
            .map(|v| {
                let v = v.trim();
                v.strip_prefix('\'')
                    .and_then(|v| v.strip_suffix('\''))
                    .map(|v| v.replace("''", "'"))
            })
            .collect();
        allowed.one_of = Some(values?);
    } else {
        let (op, n) = [">=", "<=", ">", "<"]
            .iter()
            .find_map(|op| rest.strip_prefix(op).map(|n| (*op, n.trim())))?;
        let n: f64 = n.parse().ok()?;
        match op {
            ">=" => allowed.min = Some(n),
            ">" => allowed.min = Some(n + 1.0),
            "<=" => allowed.max = Some(n),
            _ => allowed.max = Some(n - 1.0),
        }
    }
    Some((column, allowed))
}

const FIRST: &[&str] = &[
    "Ava", "Liam", "Mia", "Noah", "Yuna", "Minjun", "Sofia", "Lucas", "Amara", "Kenji", "Elena",
    "Omar", "Priya", "Mateo", "Hana", "Jonas", "Chloe", "Ravi", "Ines", "Tomas",
];
const LAST: &[&str] = &[
    "Kim", "Smith", "Garcia", "Müller", "Tanaka", "Rossi", "Dubois", "Nowak", "Silva", "Khan",
    "Park", "Johnson", "Lee", "O'Brien", "Novak", "Haddad", "Larsen", "Costa", "Ivanova", "Chen",
];
const CITIES: &[&str] = &[
    "Seoul",
    "Berlin",
    "São Paulo",
    "Tokyo",
    "Lagos",
    "Toronto",
    "Mumbai",
    "Madrid",
    "Sydney",
    "Austin",
    "Warsaw",
    "Nairobi",
    "Lyon",
    "Busan",
    "Oslo",
    "Lima",
];
const PRODUCTS: &[&str] = &[
    "Laptop",
    "Headphones",
    "Keyboard",
    "Monitor",
    "Mouse",
    "Webcam",
    "Desk Lamp",
    "USB-C Hub",
    "Game Pad",
    "Microphone",
    "Speaker",
    "Tablet",
    "Charger",
    "SSD 1TB",
    "Router",
];
const STATUSES: &[&str] = &["pending", "completed", "failed", "refunded"];
const WORDS: &[&str] = &[
    "quick", "batch", "timeout", "river", "signal", "amber", "orbit", "pixel", "harbor", "quiet",
    "ledger", "cobalt", "meadow", "vector", "summit", "lantern", "gravel", "echo", "falcon",
    "mosaic",
];

pub fn pick<'a>(rng: &mut Rng, list: &'a [&'a str]) -> &'a str {
    list.get(rng.usize(..list.len()))
        .copied()
        .unwrap_or_default()
}

/// A random version-4 UUID.
pub fn uuid(rng: &mut Rng) -> String {
    let a = rng.u64(..);
    let b = rng.u64(..);
    let a = (a & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) for Unix time `secs`, with `+00` for a timestamptz:
/// written by hand, several times cheaper than chrono's formatting per synthetic row.
fn timestamp_text(secs: i64, with_zone: bool) -> String {
    use std::fmt::Write as _;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut out = String::with_capacity(22);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if with_zone {
        out.push_str("+00");
    }
    out
}

/// A cuid-like id (`c` and 24 lower-case base-36 characters) made from `n`, so equal
/// numbers give equal ids.
pub fn cuid(n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut state = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5851_f42d_4c95_7f2d;
    let mut out = String::with_capacity(25);
    out.push('c');
    for _ in 0..24 {
        state ^= state >> 31;
        state = state.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        out.push(char::from(DIGITS[(state % 36) as usize]));
    }
    out
}

fn words(rng: &mut Rng, count: usize) -> String {
    (0..count)
        .map(|_| pick(rng, WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn bounded(kind_max: f64, allowed: &Allowed, default: (f64, f64)) -> (f64, f64) {
    let lo = allowed.min.unwrap_or(default.0).max(-kind_max);
    let hi = allowed.max.unwrap_or(default.1.max(lo)).min(kind_max);
    (lo, hi.max(lo))
}

/// A random value for a column, in PostgreSQL's input syntax; `None` when the kind has no
/// generator (the caller decides between NULL and an error).
pub fn value(rng: &mut Rng, kind: &Kind, column: &str, allowed: &Allowed) -> Option<String> {
    if let Some(values) = &allowed.one_of {
        return values.get(rng.usize(..values.len().max(1))).cloned();
    }
    let name = column.to_ascii_lowercase();
    Some(match kind {
        Kind::Bool => rng.bool().to_string(),
        Kind::Int(bits) => {
            let kind_max = match bits {
                16 => f64::from(i16::MAX),
                32 => f64::from(i32::MAX),
                _ => 9.0e18,
            };
            let default = if name.contains("age") {
                (18.0, 80.0)
            } else if name.contains("quantity") || name.contains("count") {
                (1.0, 10.0)
            } else if name.contains("year") {
                (2000.0, 2030.0)
            } else {
                (0.0, 10_000.0)
            };
            let (lo, hi) = bounded(kind_max, allowed, default);
            rng.i64(lo as i64..=hi as i64).to_string()
        }
        Kind::Numeric(limits) => {
            let scale = limits.map(|(_, s)| s).unwrap_or(2);
            let digits = limits.map(|(p, s)| p.saturating_sub(s)).unwrap_or(6).min(6);
            let top = 10f64.powi(digits as i32) - 1.0;
            let (lo, hi) = bounded(top, allowed, (0.0, top.min(1000.0)));
            let v = lo + rng.f64() * (hi - lo);
            format!("{v:.prec$}", prec = scale as usize)
        }
        Kind::Float => {
            let (lo, hi) = bounded(1.0e9, allowed, (0.0, 1000.0));
            format!("{:.4}", lo + rng.f64() * (hi - lo))
        }
        Kind::Text(limit) => {
            let text = if name.contains("email") {
                format!("{}.{}{}@example.com", pick(rng, FIRST), pick(rng, LAST), rng.u32(..100_000))
                    .to_ascii_lowercase()
                    .replace(['\'', 'ü'], "")
            } else if name == "name" || name.ends_with("_name") && !name.contains("product") && !name.contains("file") {
                format!("{} {}", pick(rng, FIRST), pick(rng, LAST))
            } else if name.contains("city") {
                pick(rng, CITIES).to_string()
            } else if name.contains("product") {
                pick(rng, PRODUCTS).to_string()
            } else if name == "status" {
                pick(rng, STATUSES).to_string()
            } else if name.contains("url") || name.contains("website") || name.contains("image") {
                format!("https://example.com/{}/{}", words(rng, 1), rng.u32(..1_000_000))
            } else if name.ends_with("id") {
                // Ids kept as text (Prisma's cuid): one of a few thousand, so that rows
                // share users and sessions as real events do.
                cuid(rng.u64(..5_000))
            } else if name.contains("language") {
                pick(rng, &["english", "korean", "german", "japanese", "spanish"]).to_string()
            } else {
                let count = rng.usize(2..7);
                words(rng, count)
            };
            match limit {
                Some(max) => text.chars().take(*max).collect(),
                None => text,
            }
        }
        Kind::Uuid => uuid(rng),
        Kind::Date => {
            let days = rng.i64(0..2_200);
            let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1)? + chrono::Duration::days(days);
            date.to_string()
        }
        Kind::Timestamp | Kind::TimestampTz => {
            // 2024-01-01 plus up to three years, so monthly partitions of recent years get rows.
            let secs = 1_704_067_200 + rng.i64(0..94_608_000);
            timestamp_text(secs, *kind == Kind::TimestampTz)
        }
        Kind::Json => serde_json::json!({ "source": "schemactl-fake", "n": rng.u32(..1000), "tag": pick(rng, WORDS) }).to_string(),
        Kind::Vector(dim) => {
            let d = dim.unwrap_or(3);
            let parts: Vec<String> = (0..d).map(|_| format!("{:.4}", rng.f32() * 2.0 - 1.0)).collect();
            format!("[{}]", parts.join(","))
        }
        Kind::Array(element) => {
            let n = rng.usize(0..4);
            let items: Vec<serde_json::Value> = (0..n)
                .filter_map(|_| value(rng, element, column, &Allowed::default()))
                .map(|v| match element.as_ref() {
                    Kind::Int(_) => v.parse::<i64>().map(serde_json::Value::from).unwrap_or(serde_json::Value::String(v)),
                    _ => serde_json::Value::String(v),
                })
                .collect();
            types::convert(kind, Input::Json(&serde_json::Value::Array(items))).ok()??
        }
        Kind::Enum(values) => values.get(rng.usize(..values.len().max(1)))?.clone(),
        Kind::Other => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        let (c, a) = simple_check("metacritic_score BETWEEN 0 AND 100").unwrap();
        assert_eq!(
            (c.as_str(), a.min, a.max),
            ("metacritic_score", Some(0.0), Some(100.0))
        );
        let (c, a) = simple_check("role IN ('admin', 'user', 'readonly')").unwrap();
        assert_eq!(c, "role");
        assert_eq!(a.one_of.unwrap(), ["admin", "user", "readonly"]);
        assert_eq!(simple_check("max_results > 0").unwrap().1.min, Some(1.0));
        let (c, a) = simple_check("\"timeOfDay\" BETWEEN 0 AND 23").unwrap();
        assert_eq!((c.as_str(), a.max), ("timeOfDay", Some(23.0)));
        assert!(simple_check("completed_at IS NULL OR completed_at >= started_at").is_none());
    }

    #[test]
    fn timestamps_match_chrono() {
        for secs in [0, 1_704_067_200, 1_709_210_096, 1_798_675_199, 951_782_400] {
            let chrono = chrono::DateTime::from_timestamp(secs, 0).unwrap();
            assert_eq!(timestamp_text(secs, false), chrono.naive_utc().to_string());
            assert_eq!(
                timestamp_text(secs, true),
                format!("{}+00", chrono.naive_utc())
            );
        }
    }

    #[test]
    fn uuids_are_v4() {
        let mut rng = Rng::with_seed(1);
        let u = uuid(&mut rng);
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(types::convert(&Kind::Uuid, Input::Text(&u)).is_ok());
    }
}
