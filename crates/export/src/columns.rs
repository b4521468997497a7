//! What the export knows about a table: its columns with the kind each value is checked
//! against, and the Arrow schema of the Parquet file.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

/// Metadata key on each Arrow field: the column's type as the model declares it.
pub const MODEL_TYPE_KEY: &str = "schemactl.model_type";

/// How values of one column are read, checked and stored.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnKind {
    Bool,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    /// `numeric(p, s)` with `p <= 38`: Arrow Decimal128.
    Decimal {
        precision: u8,
        scale: i8,
    },
    /// Text, optionally limited to a number of characters (`varchar(n)`).
    Text {
        max_chars: Option<usize>,
    },
    Uuid,
    /// `json` / `jsonb`: UTF-8 text that must parse as JSON.
    Json,
    Date,
    /// Without time zone: microseconds, no zone in the Parquet schema.
    Timestamp,
    /// With time zone: microseconds since the epoch in UTC.
    TimestampTz,
    /// One of the labels.
    Enum(Vec<String>),
    /// A type with no Arrow counterpart here (arrays, vectors, intervals, unconstrained
    /// numeric, ...): PostgreSQL's text form, as UTF-8, checked by the server only.
    PgText,
}

impl ColumnKind {
    pub fn data_type(&self) -> DataType {
        match self {
            ColumnKind::Bool => DataType::Boolean,
            ColumnKind::Int16 => DataType::Int16,
            ColumnKind::Int32 => DataType::Int32,
            ColumnKind::Int64 => DataType::Int64,
            ColumnKind::Float32 => DataType::Float32,
            ColumnKind::Float64 => DataType::Float64,
            ColumnKind::Decimal { precision, scale } => DataType::Decimal128(*precision, *scale),
            ColumnKind::Date => DataType::Date32,
            ColumnKind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            ColumnKind::TimestampTz => {
                DataType::Timestamp(TimeUnit::Microsecond, Some(Arc::from("UTC")))
            }
            ColumnKind::Text { .. }
            | ColumnKind::Uuid
            | ColumnKind::Json
            | ColumnKind::Enum(_)
            | ColumnKind::PgText => DataType::Utf8,
        }
    }

    /// A short name for messages (`an integer`, `one of LOW, MEDIUM, HIGH`).
    pub fn expected(&self) -> String {
        match self {
            ColumnKind::Bool => "a boolean".into(),
            ColumnKind::Int16 => "a 16-bit integer".into(),
            ColumnKind::Int32 => "a 32-bit integer".into(),
            ColumnKind::Int64 => "a 64-bit integer".into(),
            ColumnKind::Float32 | ColumnKind::Float64 => "a number".into(),
            ColumnKind::Decimal { precision, scale } => format!("numeric({precision},{scale})"),
            ColumnKind::Text { max_chars: Some(n) } => format!("text of at most {n} characters"),
            ColumnKind::Text { max_chars: None } | ColumnKind::PgText => "text".into(),
            ColumnKind::Uuid => "a UUID".into(),
            ColumnKind::Json => "JSON".into(),
            ColumnKind::Date => "a date".into(),
            ColumnKind::Timestamp | ColumnKind::TimestampTz => "a timestamp".into(),
            ColumnKind::Enum(values) => format!("one of {}", values.join(", ")),
        }
    }
}

/// One exported column.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportColumn {
    pub name: String,
    pub kind: ColumnKind,
    pub nullable: bool,
    /// The type as the model declares it (kept in the Parquet field's metadata).
    pub model_type: String,
}

/// The exported table: its columns in order, and the names of the model's checks, whose
/// results arrive after the columns as booleans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportSchema {
    pub table: String,
    pub columns: Vec<ExportColumn>,
    pub checks: Vec<String>,
    /// The primary key's columns, to name a refused row.
    pub key: Vec<String>,
}

impl ExportSchema {
    /// The Arrow schema of the good rows: one field per column, nullable as declared.
    pub fn arrow(&self) -> SchemaRef {
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|c| {
                Field::new(&c.name, c.kind.data_type(), c.nullable).with_metadata(HashMap::from([
                    (MODEL_TYPE_KEY.to_string(), c.model_type.clone()),
                ]))
            })
            .collect();
        let metadata = HashMap::from([("schemactl.table".to_string(), self.table.clone())]);
        Arc::new(Schema::new_with_metadata(fields, metadata))
    }

    /// Fields each COPY line carries: the columns, then one boolean per check.
    pub fn width(&self) -> usize {
        self.columns.len() + self.checks.len()
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_types_follow_the_kinds() {
        let schema = ExportSchema {
            table: "americano.\"BehavioralEvent\"".into(),
            columns: vec![
                ExportColumn {
                    name: "userId".into(),
                    kind: ColumnKind::Text { max_chars: None },
                    nullable: false,
                    model_type: "text".into(),
                },
                ExportColumn {
                    name: "timestamp".into(),
                    kind: ColumnKind::Timestamp,
                    nullable: false,
                    model_type: "timestamp".into(),
                },
            ],
            checks: vec!["c".into()],
            key: vec![],
        };
        let arrow = schema.arrow();
        assert_eq!(arrow.field(0).name(), "userId");
        assert!(!arrow.field(0).is_nullable());
        assert_eq!(
            arrow.field(1).data_type(),
            &DataType::Timestamp(TimeUnit::Microsecond, None)
        );
        assert_eq!(schema.width(), 3);
    }
}
