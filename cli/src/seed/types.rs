//! Column types as the loader sees them, and the conversion of one input value into the
//! text that PostgreSQL's COPY (text format) reads.
//!
//! Values are checked here, before anything reaches the server, so that a bad record is
//! reported with its file, record number and column rather than as a COPY line number.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

use crate::catalog::Catalog;

/// What the loader needs to know about a column type.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Bool,
    /// Signed integer of 16, 32 or 64 bits.
    Int(u8),
    /// `numeric(p, s)`: at most `p - s` digits before the point.
    Numeric(Option<(u32, u32)>),
    Float,
    /// Text, optionally limited to a number of characters.
    Text(Option<usize>),
    Uuid,
    Date,
    Timestamp,
    TimestampTz,
    Json,
    Vector(Option<usize>),
    Array(Box<Kind>),
    Enum(Vec<String>),
    /// A type the loader passes through unchecked; the server validates it.
    Other,
}

/// The kind of a column type in the catalog's spelling (`character varying(255)`,
/// `steam.app_type`, `bigint[]`).
pub fn kind_of(ty: &str, catalog: &Catalog) -> Kind {
    let t = ty.trim();
    if let Some(inner) = t.strip_suffix("[]") {
        return Kind::Array(Box::new(kind_of(inner, catalog)));
    }
    if let Some((_, e)) = catalog.enums.iter().find(|(q, _)| q.sql() == t) {
        return Kind::Enum(e.values.clone());
    }
    // A domain's values are its base type's (its checks are the server's to apply).
    let base = catalog.base_type(t);
    if base != t {
        return kind_of(&base, catalog);
    }
    let lower = t.to_ascii_lowercase();
    let (base, args) = match lower.split_once('(') {
        Some((b, rest)) => (b.trim(), rest.trim_end_matches(')').trim()),
        None => (lower.as_str(), ""),
    };
    let nums: Vec<u32> = args
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    match base {
        "boolean" | "bool" => Kind::Bool,
        "smallint" | "int2" | "smallserial" => Kind::Int(16),
        "integer" | "int" | "int4" | "serial" => Kind::Int(32),
        "bigint" | "int8" | "bigserial" => Kind::Int(64),
        "numeric" | "decimal" => Kind::Numeric(match nums.as_slice() {
            [p] => Some((*p, 0)),
            [p, s] => Some((*p, *s)),
            _ => None,
        }),
        "real" | "float4" | "double precision" | "float8" => Kind::Float,
        "text" | "citext" => Kind::Text(None),
        "character varying" | "varchar" | "character" | "char" => {
            Kind::Text(nums.first().map(|n| *n as usize))
        }
        "uuid" => Kind::Uuid,
        "date" => Kind::Date,
        "timestamp" | "timestamp without time zone" => Kind::Timestamp,
        "timestamptz" | "timestamp with time zone" => Kind::TimestampTz,
        "json" | "jsonb" => Kind::Json,
        "vector" => Kind::Vector(nums.first().map(|n| *n as usize)),
        _ => Kind::Other,
    }
}

/// One input value: a JSON value (NDJSON, JSON arrays) or a CSV field.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Json(&'a Value),
    Text(&'a str),
}

impl Input<'_> {
    pub fn is_null(&self) -> bool {
        matches!(self, Input::Json(Value::Null))
    }
}

/// The value in PostgreSQL's input syntax (`None` is NULL), or why it does not fit.
pub fn convert(kind: &Kind, input: Input<'_>) -> Result<Option<String>, String> {
    if input.is_null() {
        return Ok(None);
    }
    // CSV cannot tell an empty string from a missing value; like PostgreSQL's CSV
    // format, an empty field is NULL.
    if let Input::Text("") = input {
        return Ok(None);
    }
    convert_value(kind, input).map(Some)
}

fn convert_value(kind: &Kind, input: Input<'_>) -> Result<String, String> {
    match kind {
        Kind::Bool => match input {
            Input::Json(Value::Bool(b)) => Ok(b.to_string()),
            Input::Json(Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {
                Ok((n.as_i64() == Some(1)).to_string())
            }
            _ => match scalar(input)?.to_ascii_lowercase().as_str() {
                "t" | "true" | "yes" | "y" | "on" | "1" => Ok("true".into()),
                "f" | "false" | "no" | "n" | "off" | "0" => Ok("false".into()),
                other => Err(format!("expected a boolean, found {other:?}")),
            },
        },
        Kind::Int(bits) => {
            let text = scalar(input)?;
            let n: i64 = text
                .trim()
                .parse()
                .map_err(|_| format!("expected an integer, found {text:?}"))?;
            let (min, max) = match bits {
                16 => (i64::from(i16::MIN), i64::from(i16::MAX)),
                32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
                _ => (i64::MIN, i64::MAX),
            };
            if n < min || n > max {
                return Err(format!(
                    "{n} is out of range for a {bits}-bit integer (use bigint for larger values)"
                ));
            }
            Ok(n.to_string())
        }
        Kind::Numeric(limits) => {
            let text = scalar(input)?.trim().to_string();
            numeric(&text, *limits)?;
            Ok(text)
        }
        Kind::Float => {
            let text = scalar(input)?.trim().to_string();
            text.parse::<f64>()
                .map_err(|_| format!("expected a number, found {text:?}"))?;
            Ok(text)
        }
        Kind::Text(limit) => {
            let text = scalar(input)?;
            if let Some(max) = limit
                && text.chars().count() > *max
            {
                return Err(format!(
                    "{} characters, longer than the column's {max}",
                    text.chars().count()
                ));
            }
            Ok(text)
        }
        Kind::Uuid => uuid(&scalar(input)?),
        Kind::Date => {
            let text = scalar(input)?;
            let t = text.trim();
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(|d| d.to_string())
                .ok()
                .or_else(|| timestamp(t).map(|ts| ts.date_naive().to_string()))
                .ok_or_else(|| format!("expected a date (YYYY-MM-DD), found {text:?}"))
        }
        Kind::Timestamp | Kind::TimestampTz => {
            let ts = match input {
                Input::Json(Value::Number(n)) => n
                    .as_i64()
                    .and_then(|secs| Utc.timestamp_opt(secs, 0).single())
                    .ok_or_else(|| format!("{n} is not a Unix time in seconds"))?,
                _ => {
                    if let Some(fast) = text_of(input).and_then(|t| timestamp_fast(t.trim(), kind))
                    {
                        return Ok(fast);
                    }
                    let text = scalar(input)?;
                    timestamp(text.trim()).ok_or_else(|| {
                        format!(
                            "expected a timestamp (RFC 3339 or YYYY-MM-DD HH:MM:SS), found {text:?}"
                        )
                    })?
                }
            };
            Ok(if *kind == Kind::TimestampTz {
                ts.to_rfc3339()
            } else {
                ts.naive_utc().to_string()
            })
        }
        Kind::Json => match input {
            Input::Json(v) => Ok(v.to_string()),
            Input::Text(t) => serde_json::from_str::<Value>(t)
                .map(|_| t.to_string())
                .map_err(|e| format!("invalid JSON: {e}")),
        },
        Kind::Vector(dim) => {
            let items: Vec<Value> = match (input, text_of(input)) {
                (Input::Json(Value::Array(items)), _) => items.clone(),
                (_, Some(s)) => match serde_json::from_str::<Value>(s) {
                    Ok(Value::Array(items)) => items,
                    _ => return Err(format!("expected a vector like [0.1, 0.2], found {s:?}")),
                },
                (other, None) => return Err(format!("expected a vector, found {other:?}")),
            };
            if let Some(d) = dim
                && items.len() != *d
            {
                return Err(format!(
                    "vector of {} dimensions, the column has {d}",
                    items.len()
                ));
            }
            if items.iter().any(|i| !i.is_number()) {
                return Err("a vector holds numbers only".into());
            }
            Ok(Value::Array(items).to_string())
        }
        Kind::Array(element) => match (input, text_of(input)) {
            (Input::Json(Value::Array(items)), _) => array_literal(element, items),
            (_, Some(s)) => {
                let t = s.trim();
                if t.starts_with('[') {
                    match serde_json::from_str::<Value>(t) {
                        Ok(Value::Array(items)) => array_literal(element, &items),
                        _ => Err(format!("invalid JSON array {t:?}")),
                    }
                } else if t.starts_with('{') && t.ends_with('}') {
                    // PostgreSQL's own array syntax; the server checks the elements.
                    Ok(t.to_string())
                } else {
                    Err(format!("expected an array ([..] or {{..}}), found {t:?}"))
                }
            }
            (other, None) => Err(format!("expected an array, found {other:?}")),
        },
        Kind::Enum(values) => {
            let text = scalar(input)?;
            if values.contains(&text) {
                Ok(text)
            } else {
                Err(format!(
                    "{text:?} is not one of the enum's values ({})",
                    values.join(", ")
                ))
            }
        }
        Kind::Other => match input {
            Input::Json(Value::Object(_) | Value::Array(_)) => match input {
                Input::Json(v) => Ok(v.to_string()),
                Input::Text(t) => Ok(t.to_string()),
            },
            _ => scalar(input),
        },
    }
}

/// The text of a string value or CSV field.
fn text_of(input: Input<'_>) -> Option<&str> {
    match input {
        Input::Text(t) => Some(t),
        Input::Json(Value::String(s)) => Some(s.as_str()),
        Input::Json(_) => None,
    }
}

/// A scalar as text: strings as they are, numbers and booleans in their JSON spelling.
fn scalar(input: Input<'_>) -> Result<String, String> {
    match input {
        Input::Text(t) => Ok(t.to_string()),
        Input::Json(Value::String(s)) => Ok(s.clone()),
        Input::Json(Value::Number(n)) => Ok(n.to_string()),
        Input::Json(Value::Bool(b)) => Ok(b.to_string()),
        Input::Json(other) => Err(format!("expected a single value, found {other}")),
    }
}

fn numeric(text: &str, limits: Option<(u32, u32)>) -> Result<(), String> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = !(int.is_empty() && frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        // Exponent forms and NaN are valid numerics; let the server judge those.
        return match text.parse::<f64>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("expected a number, found {text:?}")),
        };
    }
    if let Some((precision, scale)) = limits {
        let int_digits = int.trim_start_matches('0').len() as u32;
        if int_digits > precision.saturating_sub(scale) {
            return Err(format!(
                "{text} does not fit numeric({precision},{scale}): at most {} digit(s) before the point",
                precision.saturating_sub(scale)
            ));
        }
    }
    Ok(())
}

/// The common spelling `YYYY-MM-DD HH:MM:SS[.ffffff]` (or with `T`), checked by hand:
/// ten times cheaper than trying chrono's formats in turn, which matters at a million
/// rows. A timestamp keeps the text (the server reads it as written); a timestamptz gets
/// `+00`, since a value without a zone means UTC here. `None` for anything else (zones,
/// other spellings), which takes the general path.
fn timestamp_fast(text: &str, kind: &Kind) -> Option<String> {
    let b = text.as_bytes();
    if b.len() < 19 || b.len() > 26 {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let separators = b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
        && b[16] == b':';
    if !separators {
        return None;
    }
    let fraction = &b[19..];
    if !fraction.is_empty()
        && (fraction[0] != b'.'
            || fraction.len() < 2
            || !fraction[1..].iter().all(u8::is_ascii_digit))
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut out = String::with_capacity(b.len() + 3);
    out.push_str(&text[..10]);
    out.push(' ');
    out.push_str(&text[11..]);
    if *kind == Kind::TimestampTz {
        out.push_str("+00");
    }
    Some(out)
}

fn uuid(text: &str) -> Result<String, String> {
    // The canonical spelling, checked without building an intermediate string.
    let b = text.as_bytes();
    if b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
    {
        return Ok(text.to_ascii_lowercase());
    }
    let hex: String = text
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .chars()
        .filter(|c| *c != '-')
        .collect();
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("expected a UUID, found {text:?}"));
    }
    let h = hex.to_ascii_lowercase();
    // The canonical form, so that keys compare equal whatever case or braces the file used.
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// Parses the timestamp spellings files commonly hold; a missing zone means UTC.
pub fn timestamp(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(ts) = DateTime::parse_from_rfc3339(text) {
        return Some(ts.with_timezone(&Utc));
    }
    let with_zone = ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%z"];
    for candidate in [text.to_string(), format!("{text}:00")] {
        for format in with_zone {
            if let Ok(ts) = DateTime::parse_from_str(&candidate, format) {
                return Some(ts.with_timezone(&Utc));
            }
        }
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(ts) = NaiveDateTime::parse_from_str(text, format) {
            return Some(ts.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|ts| ts.and_utc())
}

fn array_literal(element: &Kind, items: &[Value]) -> Result<String, String> {
    let mut out = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match convert(element, Input::Json(item)).map_err(|e| format!("element {}: {e}", i + 1))? {
            None => out.push_str("NULL"),
            Some(text) => {
                out.push('"');
                for c in text.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
        }
    }
    out.push('}');
    Ok(out)
}

/// Appends one field in COPY text format: `\N` for NULL, backslash escapes otherwise.
pub fn push_field(buf: &mut Vec<u8>, value: Option<&str>) {
    let Some(text) = value else {
        buf.extend_from_slice(b"\\N");
        return;
    };
    for &b in text.as_bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => buf.push(b),
        }
    }
}

/// Appends a whole row; fields are tab-separated and the row ends with a newline.
pub fn push_row<'a>(buf: &mut Vec<u8>, fields: impl IntoIterator<Item = Option<&'a str>>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            buf.push(b'\t');
        }
        push_field(buf, field);
    }
    buf.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conv(kind: &Kind, v: Value) -> Result<Option<String>, String> {
        convert(kind, Input::Json(&v))
    }

    #[test]
    fn conversions() {
        assert_eq!(
            conv(&Kind::Int(64), json!(5_000_000_000_i64)),
            Ok(Some("5000000000".into()))
        );
        assert!(conv(&Kind::Int(32), json!(5_000_000_000_i64)).is_err());
        assert_eq!(
            conv(&Kind::Uuid, json!("{0E2B7C1E-8A4D-4C6B-9E21-5D7A0C9B1F42}")),
            Ok(Some("0e2b7c1e-8a4d-4c6b-9e21-5d7a0c9b1f42".into()))
        );
        assert!(conv(&Kind::Numeric(Some((10, 2))), json!("123456789.5")).is_err());
        assert_eq!(
            conv(&Kind::Numeric(Some((10, 2))), json!(12.5)),
            Ok(Some("12.5".into()))
        );
        assert_eq!(
            conv(
                &Kind::Array(Box::new(Kind::Text(None))),
                json!(["a\"b", null])
            ),
            Ok(Some("{\"a\\\"b\",NULL}".into()))
        );
        assert!(conv(&Kind::Vector(Some(3)), json!([1, 2])).is_err());
        assert_eq!(
            conv(&Kind::Vector(Some(2)), json!("[1, 2.5]")),
            Ok(Some("[1,2.5]".into()))
        );
        assert_eq!(
            conv(&Kind::TimestampTz, json!(0)),
            Ok(Some("1970-01-01T00:00:00+00:00".into()))
        );
        assert_eq!(
            conv(&Kind::TimestampTz, json!("2026-01-03 10:00:00+09")),
            Ok(Some("2026-01-03T01:00:00+00:00".into()))
        );
        assert!(conv(&Kind::Enum(vec!["game".into()]), json!("dlcx")).is_err());
        // The fast path agrees with the general one.
        for (kind, text, want) in [
            (
                Kind::Timestamp,
                "2025-03-01 09:30:00",
                "2025-03-01 09:30:00",
            ),
            (
                Kind::Timestamp,
                "2025-03-01T09:30:00.25",
                "2025-03-01 09:30:00.25",
            ),
            (
                Kind::TimestampTz,
                "2025-03-01 09:30:00",
                "2025-03-01 09:30:00+00",
            ),
        ] {
            assert_eq!(convert(&kind, Input::Text(text)), Ok(Some(want.into())));
        }
        assert!(convert(&Kind::Timestamp, Input::Text("2025-02-30 09:30:00")).is_err());
        assert!(convert(&Kind::Timestamp, Input::Text("2025-03-01 24:30:00")).is_err());
        assert_eq!(
            convert(
                &Kind::Uuid,
                Input::Text("0E2B7C1E-8A4D-4C6B-9E21-5D7A0C9B1F42")
            ),
            Ok(Some("0e2b7c1e-8a4d-4c6b-9e21-5d7a0c9b1f42".into()))
        );
        assert!(
            convert(
                &Kind::Uuid,
                Input::Text("0E2B7C1E-8A4D-4C6B-9E21-5D7A0C9B1F4G")
            )
            .is_err()
        );
        assert_eq!(convert(&Kind::Text(None), Input::Text("")), Ok(None));
    }

    #[test]
    fn copy_escaping() {
        let mut buf = Vec::new();
        push_row(&mut buf, [Some("a\tb\\c\nd"), None]);
        assert_eq!(buf, b"a\\tb\\\\c\\nd\t\\N\n");
    }
}
