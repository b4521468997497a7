//! Expanding a table's `partitions` block into concrete partitions with bounds.

use chrono::{Datelike, Months, NaiveDate};

use super::{PartitionBound, PartitionInterval, Table};

/// One partition as it will exist in the database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExpandedPartition {
    pub name: String,
    pub bound: Bound,
}

/// A partition bound with SQL literals already rendered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Bound {
    Range { from: Vec<String>, to: Vec<String> },
    List(Vec<String>),
    Hash { modulus: u32, remainder: u32 },
    Default,
}

impl Bound {
    /// The `FOR VALUES …` / `DEFAULT` clause.
    pub fn sql(&self) -> String {
        match self {
            Bound::Range { from, to } => {
                format!(
                    "FOR VALUES FROM ({}) TO ({})",
                    from.join(", "),
                    to.join(", ")
                )
            }
            Bound::List(values) => format!("FOR VALUES IN ({})", values.join(", ")),
            Bound::Hash { modulus, remainder } => {
                format!("FOR VALUES WITH (MODULUS {modulus}, REMAINDER {remainder})")
            }
            Bound::Default => "DEFAULT".to_string(),
        }
    }
}

/// Expands named, generated and default partitions, in that order. Errors name the
/// problem; the caller knows where in the file it is.
pub fn expand(table_name: &str, table: &Table) -> Result<Vec<ExpandedPartition>, String> {
    let Some(partitions) = &table.partitions else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, bound) in &partitions.named {
        let bound = match bound {
            PartitionBound::Range { from, to } => Bound::Range {
                from: from.iter().map(bound_literal).collect(),
                to: to.iter().map(bound_literal).collect(),
            },
            PartitionBound::List { values } => {
                Bound::List(values.iter().map(bound_literal).collect())
            }
            PartitionBound::Hash { modulus, remainder } => {
                if remainder >= modulus {
                    return Err(format!(
                        "partition `{name}`: remainder {remainder} must be below modulus {modulus}"
                    ));
                }
                Bound::Hash {
                    modulus: *modulus,
                    remainder: *remainder,
                }
            }
        };
        out.push(ExpandedPartition {
            name: name.clone(),
            bound,
        });
    }
    if let Some(generate) = &partitions.generate {
        let start = parse_start(&generate.from, generate.every)?;
        let mut current = start;
        for _ in 0..generate.count {
            let next = step(current, generate.every)
                .ok_or_else(|| format!("partition dates overflow after {current}"))?;
            out.push(ExpandedPartition {
                name: generated_name(table_name, current, generate.every),
                bound: Bound::Range {
                    from: vec![quote_literal(&current.to_string())],
                    to: vec![quote_literal(&next.to_string())],
                },
            });
            current = next;
        }
    }
    if partitions.default {
        out.push(ExpandedPartition {
            name: format!("{table_name}_default"),
            bound: Bound::Default,
        });
    }
    Ok(out)
}

fn parse_start(from: &str, every: PartitionInterval) -> Result<NaiveDate, String> {
    let parsed = match every {
        PartitionInterval::Year => from
            .parse::<i32>()
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
        PartitionInterval::Month => {
            NaiveDate::parse_from_str(&format!("{from}-01"), "%Y-%m-%d").ok()
        }
        PartitionInterval::Week | PartitionInterval::Day => {
            NaiveDate::parse_from_str(from, "%Y-%m-%d").ok()
        }
    };
    parsed.ok_or_else(|| {
        let expected = match every {
            PartitionInterval::Year => "YYYY",
            PartitionInterval::Month => "YYYY-MM",
            PartitionInterval::Week | PartitionInterval::Day => "YYYY-MM-DD",
        };
        format!("`from: {from}` is not a date of the form {expected}")
    })
}

fn step(date: NaiveDate, every: PartitionInterval) -> Option<NaiveDate> {
    match every {
        PartitionInterval::Day => date.succ_opt(),
        PartitionInterval::Week => date.checked_add_days(chrono::Days::new(7)),
        PartitionInterval::Month => date.checked_add_months(Months::new(1)),
        PartitionInterval::Year => date.checked_add_months(Months::new(12)),
    }
}

fn generated_name(table: &str, date: NaiveDate, every: PartitionInterval) -> String {
    match every {
        PartitionInterval::Year => format!("{table}_{}", date.year()),
        PartitionInterval::Month => format!("{table}_{}_{:02}", date.year(), date.month()),
        PartitionInterval::Week | PartitionInterval::Day => {
            format!(
                "{table}_{}_{:02}_{:02}",
                date.year(),
                date.month(),
                date.day()
            )
        }
    }
}

/// A bound value: strings are quoted literals unless MINVALUE/MAXVALUE.
fn bound_literal(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => {
            let upper = s.to_ascii_uppercase();
            if upper == "MINVALUE" || upper == "MAXVALUE" {
                upper
            } else {
                quote_literal(s)
            }
        }
        serde_json::Value::Null => "NULL".to_string(),
        other => other.to_string(),
    }
}

/// A SQL string literal with quotes doubled.
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GeneratePartitions, Partitions};

    #[test]
    fn monthly_with_default() {
        let table = Table {
            partitions: Some(Partitions {
                default: true,
                generate: Some(GeneratePartitions {
                    every: PartitionInterval::Month,
                    from: "2026-11".into(),
                    count: 3,
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let parts = expand("t", &table).unwrap_or_default();
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["t_2026_11", "t_2026_12", "t_2027_01", "t_default"]);
        assert_eq!(
            parts[1].bound.sql(),
            "FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')"
        );
    }
}
