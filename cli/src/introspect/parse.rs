//! Reading the few things PostgreSQL only prints as SQL text: partition bounds, a
//! trigger's WHEN clause, argument defaults, storage options.

use crate::model::partitions::Bound;
use crate::sql;

/// A partition bound as `pg_get_expr(relpartbound, …)` prints it.
pub fn parse_bound(text: &str) -> Option<Bound> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("DEFAULT") {
        return Some(Bound::Default);
    }
    let rest = text.strip_prefix("FOR VALUES ")?;
    if let Some(rest) = rest.strip_prefix("FROM ") {
        let (from, rest) = group(rest)?;
        let (to, rest) = group(rest.trim_start().strip_prefix("TO ")?)?;
        return rest.trim().is_empty().then(|| Bound::Range {
            from: split_top_level(from),
            to: split_top_level(to),
        });
    }
    if let Some(rest) = rest.strip_prefix("IN ") {
        let (values, rest) = group(rest)?;
        return rest
            .trim()
            .is_empty()
            .then(|| Bound::List(split_top_level(values)));
    }
    let (inner, rest) = group(rest.strip_prefix("WITH ")?)?;
    if !rest.trim().is_empty() {
        return None;
    }
    let mut modulus = None;
    let mut remainder = None;
    for item in split_top_level(inner) {
        let (key, value) = item.split_once(' ')?;
        let value: u32 = value.trim().parse().ok()?;
        match key.to_ascii_lowercase().as_str() {
            "modulus" => modulus = Some(value),
            "remainder" => remainder = Some(value),
            _ => return None,
        }
    }
    Some(Bound::Hash {
        modulus: modulus?,
        remainder: remainder?,
    })
}

/// The condition of `CREATE TRIGGER … WHEN (condition) EXECUTE …` from pg_get_triggerdef.
pub fn trigger_when(definition: &str) -> Option<String> {
    // Look after FOR EACH so that a quoted trigger or table name cannot fool the search.
    let after = definition.find(" FOR EACH ")?;
    let start = after + definition[after..].find(" WHEN (")? + " WHEN ".len();
    group(&definition[start..]).map(|(inner, _)| inner.trim().to_string())
}

/// `(a + b)` → `a + b` when the parentheses enclose the whole text.
pub fn strip_outer_parens(text: &str) -> String {
    let text = text.trim();
    match group(text) {
        Some((inner, "")) => inner.trim().to_string(),
        _ => text.to_string(),
    }
}

/// Each printed argument's default, cut out of pg_get_function_arguments. `prefixes` are
/// the arguments as printed before ` DEFAULT` (mode, quoted name, type), in order. `None`
/// when the text does not have that shape.
pub fn function_defaults(text: &str, prefixes: &[String]) -> Option<Vec<Option<String>>> {
    let mut out = Vec::with_capacity(prefixes.len());
    let mut pos = 0;
    for (i, prefix) in prefixes.iter().enumerate() {
        if i > 0 {
            pos += text[pos..].strip_prefix(", ").map(|_| 2)?;
        }
        if !text[pos..].starts_with(prefix.as_str()) {
            return None;
        }
        pos += prefix.len();
        let Some(rest) = text[pos..].strip_prefix(" DEFAULT ") else {
            out.push(None);
            continue;
        };
        let start = text.len() - rest.len();
        let end = match prefixes.get(i + 1) {
            // The default ends at the top-level comma that starts the next argument.
            Some(next) => top_level(rest, ',')
                .into_iter()
                .map(|c| start + c)
                .find(|&c| {
                    text[c..]
                        .strip_prefix(", ")
                        .is_some_and(|t| t.starts_with(next.as_str()))
                })?,
            None => text.len(),
        };
        out.push(Some(text[start..end].trim().to_string()));
        pos = end;
    }
    (pos == text.len()).then_some(out)
}

/// `key=value` of a reloptions entry.
pub fn split_option(option: &str) -> (&str, &str) {
    option.split_once('=').unwrap_or((option, ""))
}

/// A storage parameter's value as the model renders it: numbers and booleans bare,
/// anything else as a string literal.
pub fn option_value(value: &str) -> String {
    let bare = value.parse::<f64>().is_ok() || matches!(value, "true" | "false");
    if bare {
        value.to_string()
    } else {
        sql::literal(value)
    }
}

/// Splits `'a', 'b, c', (1, 2)` at its top-level commas.
fn split_top_level(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for comma in top_level(text, ',') {
        out.push(text[start..comma].trim().to_string());
        start = comma + 1;
    }
    let last = text[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last.to_string());
    }
    out
}

/// Byte offsets of `target` outside quotes and parentheses.
fn top_level(text: &str, target: char) -> Vec<usize> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            // A doubled quote closes and reopens: the net effect is the same.
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                c if c == target && depth == 0 => out.push(i),
                _ => {}
            },
        }
    }
    out
}

/// For text starting with `(`: what is inside the matching `)`, and what follows it.
fn group(text: &str) -> Option<(&str, &str)> {
    if !text.starts_with('(') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((&text[1..i], &text[i + 1..]));
                    }
                }
                _ => {}
            },
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(
            parse_bound("FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')"),
            Some(Bound::Range {
                from: vec!["'2026-01-01 00:00:00+00'".into()],
                to: vec!["'2026-02-01 00:00:00+00'".into()],
            })
        );
        assert_eq!(
            parse_bound("FOR VALUES FROM (MINVALUE, 1) TO ('a,b', MAXVALUE)"),
            Some(Bound::Range {
                from: vec!["MINVALUE".into(), "1".into()],
                to: vec!["'a,b'".into(), "MAXVALUE".into()],
            })
        );
        assert_eq!(
            parse_bound("FOR VALUES IN ('it''s', 'x)')"),
            Some(Bound::List(vec!["'it''s'".into(), "'x)'".into()]))
        );
        assert_eq!(
            parse_bound("FOR VALUES WITH (modulus 4, remainder 3)"),
            Some(Bound::Hash {
                modulus: 4,
                remainder: 3
            })
        );
        assert_eq!(parse_bound("DEFAULT"), Some(Bound::Default));
        assert_eq!(parse_bound("FOR VALUES FROM ('a'"), None);
    }

    #[test]
    fn trigger_conditions() {
        let def = "CREATE TRIGGER t BEFORE UPDATE ON s.x FOR EACH ROW WHEN ((old.a IS DISTINCT FROM new.a)) EXECUTE FUNCTION s.f('(')";
        assert_eq!(
            trigger_when(def).as_deref(),
            Some("(old.a IS DISTINCT FROM new.a)")
        );
        assert_eq!(
            trigger_when("CREATE TRIGGER t AFTER INSERT ON x FOR EACH ROW EXECUTE FUNCTION f()"),
            None
        );
    }

    #[test]
    fn defaults() {
        let prefixes = [
            "p_query text".to_string(),
            "p_product text".to_string(),
            "p_limit integer".to_string(),
        ];
        assert_eq!(
            function_defaults(
                "p_query text, p_product text DEFAULT 'a, p_limit integer'::text, p_limit integer DEFAULT 50",
                &prefixes
            ),
            Some(vec![
                None,
                Some("'a, p_limit integer'::text".into()),
                Some("50".into())
            ])
        );
        assert_eq!(function_defaults("x int", &prefixes), None);
        assert_eq!(
            function_defaults("VARIADIC v text[]", &["VARIADIC v text[]".to_string()]),
            Some(vec![None])
        );
    }

    #[test]
    fn expressions_and_options() {
        assert_eq!(strip_outer_parens("(a + b)"), "a + b");
        assert_eq!(strip_outer_parens("(a) + (b)"), "(a) + (b)");
        assert_eq!(strip_outer_parens("lower(x)"), "lower(x)");
        assert_eq!(option_value("16"), "16");
        assert_eq!(option_value("off"), "'off'");
        assert_eq!(split_option("m=16"), ("m", "16"));
    }
}
