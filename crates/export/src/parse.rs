//! One field of PostgreSQL's text output, read as the kind the model declares: the type
//! check of the validation. Hand-written for the hot kinds (integers, timestamps), which
//! a million-row export parses fifteen million times.

use serde::de::IgnoredAny;

use crate::columns::ColumnKind;

/// A field read as its kind. Text-like kinds keep their text in the line's buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Decimal(i128),
    /// The field's text, as it is.
    Text,
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since 1970-01-01 00:00:00 (UTC for `timestamptz`).
    Micros(i64),
}

/// Reads `text` as `kind`; the error says what was expected and what was found.
pub fn parse(kind: &ColumnKind, text: &str) -> Result<Value, String> {
    let value = match kind {
        ColumnKind::Bool => match text {
            "t" | "true" => Value::Bool(true),
            "f" | "false" => Value::Bool(false),
            _ => return Err(found(kind, text)),
        },
        ColumnKind::Int16 => int(text, i64::from(i16::MIN), i64::from(i16::MAX), kind)?,
        ColumnKind::Int32 => int(text, i64::from(i32::MIN), i64::from(i32::MAX), kind)?,
        ColumnKind::Int64 => int(text, i64::MIN, i64::MAX, kind)?,
        ColumnKind::Float32 | ColumnKind::Float64 => {
            Value::Float(text.parse().map_err(|_| found(kind, text))?)
        }
        ColumnKind::Decimal { precision, scale } => {
            Value::Decimal(decimal(text, *precision, *scale).ok_or_else(|| found(kind, text))?)
        }
        ColumnKind::Text { max_chars } => {
            if let Some(max) = max_chars
                && text.len() > *max
                && text.chars().count() > *max
            {
                return Err(format!(
                    "expected {}, found {} characters",
                    kind.expected(),
                    text.chars().count()
                ));
            }
            Value::Text
        }
        ColumnKind::Uuid if is_uuid(text) => Value::Text,
        ColumnKind::Uuid => return Err(found(kind, text)),
        ColumnKind::Json => {
            serde_json::from_str::<IgnoredAny>(text)
                .map_err(|e| format!("expected JSON, found {} ({e})", excerpt(text)))?;
            Value::Text
        }
        ColumnKind::Enum(values) if values.iter().any(|v| v == text) => Value::Text,
        ColumnKind::Enum(_) => return Err(found(kind, text)),
        ColumnKind::Date => Value::Date(date(text).ok_or_else(|| found(kind, text))?),
        ColumnKind::Timestamp => {
            Value::Micros(timestamp(text, false).ok_or_else(|| found(kind, text))?)
        }
        ColumnKind::TimestampTz => {
            Value::Micros(timestamp(text, true).ok_or_else(|| found(kind, text))?)
        }
        ColumnKind::PgText => Value::Text,
    };
    Ok(value)
}

fn found(kind: &ColumnKind, text: &str) -> String {
    format!("expected {}, found {}", kind.expected(), excerpt(text))
}

/// The value quoted for a message, cut at 60 characters.
pub fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

fn int(text: &str, min: i64, max: i64, kind: &ColumnKind) -> Result<Value, String> {
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Value::Int(n)),
        _ => Err(found(kind, text)),
    }
}

/// `numeric(p, s)` text as the unscaled integer: at most `p - s` digits before the point
/// and `s` after it (fewer are padded).
pub fn decimal(text: &str, precision: u8, scale: i8) -> Option<i128> {
    let scale = u32::try_from(scale).ok()?;
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > usize::from(precision).saturating_sub(scale as usize) {
        return None;
    }
    if fraction.len() > scale as usize && fraction[scale as usize..].bytes().any(|b| b != b'0') {
        return None;
    }
    let mut value: i128 = 0;
    for b in whole.bytes() {
        value = value.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    for i in 0..scale as usize {
        let d = fraction.as_bytes().get(i).map_or(0, |b| b - b'0');
        value = value.checked_mul(10)?.checked_add(i128::from(d))?;
    }
    Some(if negative { -value } else { value })
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn digits(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(b - b'0');
    }
    Some(n)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// `YYYY-MM-DD` (ISO, as the server writes it with `DateStyle = ISO`).
fn date_days(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

fn date(text: &str) -> Option<i32> {
    i32::try_from(date_days(text.as_bytes())?).ok()
}

/// `YYYY-MM-DD HH:MM:SS[.ffffff]`, and with `zoned` a `+HH[:MM[:SS]]` offset (what the
/// server writes with `DateStyle = ISO`); `infinity` and BC dates are refused.
fn timestamp(text: &str, zoned: bool) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let days = date_days(&b[..10])?;
    let (h, m, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    let mut rest = &b[19..];
    let mut micros = 0;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 6 {
            return None;
        }
        micros = digits(&fraction[..n])? * 10_i64.pow(6 - n as u32);
        rest = &fraction[n..];
    }
    let offset = if zoned {
        offset_seconds(rest)?
    } else if rest.is_empty() {
        0
    } else {
        return None;
    };
    let seconds = days * 86_400 + h * 3_600 + m * 60 + s - offset;
    seconds.checked_mul(1_000_000)?.checked_add(micros)
}

fn offset_seconds(b: &[u8]) -> Option<i64> {
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let parts: Vec<&[u8]> = b[1..].split(|c| *c == b':').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let mut seconds = 0;
    for (i, part) in parts.iter().enumerate() {
        seconds += digits(part)? * [3_600, 60, 1][i];
    }
    Some(sign * seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp("1970-01-01 00:00:00", false), Some(0));
        assert_eq!(
            timestamp("2025-01-31 07:21:39.5", false),
            Some(1_738_308_099_500_000)
        );
        assert_eq!(
            timestamp("2025-01-31 08:21:39.123456+01", true),
            Some(1_738_308_099_123_456)
        );
        assert_eq!(
            timestamp("2025-01-31 07:21:39-05:30", true),
            Some(1_738_327_899_000_000)
        );
        assert_eq!(timestamp("2025-02-30 07:21:39", false), None);
        assert_eq!(timestamp("infinity", false), None);
        assert_eq!(timestamp("2025-01-31 07:21:39+00", false), None);
        assert_eq!(date("2024-02-29"), Some(19_782));
        assert_eq!(date("2023-02-29"), None);
    }

    #[test]
    fn kinds() {
        let int = ColumnKind::Int32;
        assert_eq!(parse(&int, "42"), Ok(Value::Int(42)));
        assert!(parse(&int, "3000000000").unwrap_err().contains("32-bit"));
        assert!(parse(&int, "abc").is_err());
        let phase = ColumnKind::Enum(vec!["baseline_1".into(), "baseline_2".into()]);
        assert_eq!(parse(&phase, "baseline_2"), Ok(Value::Text));
        assert!(
            parse(&phase, "BASELINE_2")
                .unwrap_err()
                .contains("one of baseline_1")
        );
        assert!(parse(&ColumnKind::Json, "{\"a\": 1").is_err());
        assert_eq!(
            parse(&ColumnKind::Json, "{\"a\": [1, null]}"),
            Ok(Value::Text)
        );
        let money = ColumnKind::Decimal {
            precision: 10,
            scale: 2,
        };
        assert_eq!(parse(&money, "-12.5"), Ok(Value::Decimal(-1250)));
        assert!(parse(&money, "123456789.00").is_err());
        assert!(parse(&money, "1.005").is_err());
        let short = ColumnKind::Text { max_chars: Some(3) };
        assert!(parse(&short, "äöü").is_ok());
        assert!(parse(&short, "abcd").is_err());
        assert!(parse(&ColumnKind::Uuid, "0b8a4f0e-6a57-4c8e-9d1c-2f0e6f3b7a11").is_ok());
        assert_eq!(
            parse(&ColumnKind::Float64, "NaN").map(|v| matches!(v, Value::Float(f) if f.is_nan())),
            Ok(true)
        );
    }
}
