//! Standalone sequences: `CREATE SEQUENCE` objects that no serial or identity column
//! stands for (those are the column's business: `serial`, `identity`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Grant;

/// A sequence of a schema. Every option PostgreSQL would default is optional, and the
/// defaults are PostgreSQL's: for an ascending sequence `min_value` 1, `max_value` the
/// type's largest value and `start` the minimum; for a descending one (negative
/// `increment`) `min_value` the type's smallest value, `max_value` -1 and `start` the
/// maximum.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    /// The role that owns the sequence; a sequence `owned_by` a column has its table's owner and
    /// takes none of its own (`ALTER … OWNER TO`); the database owner, which
    /// provisioning creates everything as, when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The values' type: `smallint`, `integer` or `bigint` (the default).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub data_type: Option<SequenceType>,
    /// The first value `nextval` returns (`START WITH`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// The step between values (`INCREMENT BY`, default 1); negative counts down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    /// `MINVALUE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// `MAXVALUE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// How many values a session reserves at once (`CACHE`, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    /// Wrap around past the last value instead of failing (`CYCLE`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
    /// `table.column` of the same schema that owns the sequence (`OWNED BY`): the sequence
    /// goes when that column or its table is dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges on the sequence: `usage`, `select`, `update` or `all`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// The integer types a sequence can count in.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum SequenceType {
    Smallint,
    Integer,
    #[default]
    Bigint,
}

impl SequenceType {
    /// The type as SQL writes it.
    pub fn sql(self) -> &'static str {
        match self {
            SequenceType::Smallint => "smallint",
            SequenceType::Integer => "integer",
            SequenceType::Bigint => "bigint",
        }
    }

    /// The smallest and largest value of the type.
    pub fn range(self) -> (i64, i64) {
        match self {
            SequenceType::Smallint => (i16::MIN.into(), i16::MAX.into()),
            SequenceType::Integer => (i32::MIN.into(), i32::MAX.into()),
            SequenceType::Bigint => (i64::MIN, i64::MAX),
        }
    }

    /// The type of an identity column's sequence: the column's, when it is an integer
    /// type of the model's spelling (`int`, `bigint`, …).
    pub fn of_column(ty: &str) -> Option<SequenceType> {
        match crate::types::SqlType::parse(ty).ok()? {
            crate::types::SqlType::SmallInt => Some(SequenceType::Smallint),
            crate::types::SqlType::Integer => Some(SequenceType::Integer),
            crate::types::SqlType::BigInt => Some(SequenceType::Bigint),
            _ => None,
        }
    }

    /// The type PostgreSQL's `format_type` prints.
    pub fn parse(text: &str) -> Option<SequenceType> {
        match text {
            "smallint" | "int2" => Some(SequenceType::Smallint),
            "integer" | "int4" | "int" => Some(SequenceType::Integer),
            "bigint" | "int8" => Some(SequenceType::Bigint),
            _ => None,
        }
    }
}

/// The options of an identity column's sequence (`GENERATED … AS IDENTITY (START WITH
/// 1000)`): a standalone sequence's, counting in the column's type, with PostgreSQL's
/// defaults for what is left out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IdentityOptions {
    /// The first value (`START WITH`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// The step between values (`INCREMENT BY`, default 1); negative counts down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    /// `MINVALUE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// `MAXVALUE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// How many values a session reserves at once (`CACHE`, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    /// Wrap around past the last value instead of failing (`CYCLE`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
}

impl IdentityOptions {
    /// These options as a sequence of `data_type`, whose defaults and checks they share.
    pub fn sequence(&self, data_type: SequenceType) -> Sequence {
        Sequence {
            data_type: Some(data_type),
            start: self.start,
            increment: self.increment,
            min_value: self.min_value,
            max_value: self.max_value,
            cache: self.cache,
            cycle: self.cycle,
            ..Sequence::default()
        }
    }

    /// What the model writes for `options`: only what differs from the defaults.
    pub fn written(options: &SequenceOptions) -> IdentityOptions {
        let defaults = SequenceOptions::identity_defaults(options.data_type);
        let increment = options.increment;
        // Bounds and start default by direction: compared with the defaults of the
        // sequence's own increment.
        let directed = IdentityOptions {
            increment: Some(increment),
            ..IdentityOptions::default()
        }
        .sequence(options.data_type)
        .options();
        let differs = |value: i64, default: i64| (value != default).then_some(value);
        IdentityOptions {
            start: differs(options.start, directed.start),
            increment: differs(increment, defaults.increment),
            min_value: differs(options.min_value, directed.min_value),
            max_value: differs(options.max_value, directed.max_value),
            cache: differs(options.cache, defaults.cache),
            cycle: options.cycle,
        }
    }
}

/// Every option of a sequence, the model's omissions filled in with PostgreSQL's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    pub data_type: SequenceType,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl SequenceOptions {
    /// What `AS IDENTITY` alone gives a column of `data_type`.
    pub fn identity_defaults(data_type: SequenceType) -> SequenceOptions {
        IdentityOptions::default().sequence(data_type).options()
    }

    /// An identity sequence's options as catalogs keep them: `None` when they are
    /// [`SequenceOptions::identity_defaults`], so that a model that writes no options and
    /// a database whose sequence has the defaults compare equal.
    pub fn unless_identity_defaults(self) -> Option<SequenceOptions> {
        (self != SequenceOptions::identity_defaults(self.data_type)).then_some(self)
    }
}

impl Sequence {
    /// The options PostgreSQL would give the sequence `CREATE SEQUENCE` makes from these.
    pub fn options(&self) -> SequenceOptions {
        let data_type = self.data_type.unwrap_or_default();
        let (lo, hi) = data_type.range();
        let increment = self.increment.unwrap_or(1);
        let ascending = increment > 0;
        let min_value = self.min_value.unwrap_or(if ascending { 1 } else { lo });
        let max_value = self.max_value.unwrap_or(if ascending { hi } else { -1 });
        let start = self
            .start
            .unwrap_or(if ascending { min_value } else { max_value });
        SequenceOptions {
            data_type,
            start,
            increment,
            min_value,
            max_value,
            cache: self.cache.unwrap_or(1),
            cycle: self.cycle,
        }
    }
}

fn is_false(value: &bool) -> bool {
    !value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn omitted_options_take_postgresql_defaults() {
        let up = Sequence::default().options();
        assert_eq!((up.min_value, up.max_value, up.start), (1, i64::MAX, 1));
        let down = Sequence {
            data_type: Some(SequenceType::Integer),
            increment: Some(-2),
            ..Sequence::default()
        }
        .options();
        assert_eq!(
            (down.min_value, down.max_value, down.start),
            (i32::MIN.into(), -1, -1)
        );
        let from = Sequence {
            min_value: Some(1000),
            ..Sequence::default()
        }
        .options();
        assert_eq!(from.start, 1000);
    }

    /// What pull writes for an identity sequence gives back the same options, and
    /// nothing for options that are all defaults.
    #[test]
    fn written_identity_options_round_trip() {
        let cases = [
            IdentityOptions::default(),
            IdentityOptions {
                start: Some(70000),
                increment: Some(10),
                cache: Some(5),
                ..IdentityOptions::default()
            },
            IdentityOptions {
                min_value: Some(0),
                max_value: Some(1_000_000),
                cycle: true,
                ..IdentityOptions::default()
            },
            IdentityOptions {
                increment: Some(-1),
                min_value: Some(-5),
                ..IdentityOptions::default()
            },
        ];
        for data_type in [
            SequenceType::Smallint,
            SequenceType::Integer,
            SequenceType::Bigint,
        ] {
            for case in &cases {
                let options = case.sequence(data_type).options();
                let written = IdentityOptions::written(&options);
                assert_eq!(written.sequence(data_type).options(), options, "{case:?}");
            }
        }
        let defaults = SequenceOptions::identity_defaults(SequenceType::Integer);
        assert_eq!(
            IdentityOptions::written(&defaults),
            IdentityOptions::default()
        );
        assert_eq!(defaults.unless_identity_defaults(), None);
    }
}
