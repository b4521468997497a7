//! Rows checked against the model and gathered into Arrow record batches.

use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float32Builder, Float64Builder,
    Int16Builder, Int32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::SchemaRef;

use crate::columns::{ColumnKind, ExportSchema};
use crate::copy_text::Fields;
use crate::parse::{self, Value};

/// Why a row is refused: a column's value (type, NOT NULL, enum, JSON) or a check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reason {
    /// The column, or `None` for a table check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The check's name, for a check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.column, &self.check) {
            (Some(column), _) => write!(f, "{column}: {}", self.message),
            (None, Some(check)) => write!(f, "check {check}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

enum Builder {
    Bool(BooleanBuilder),
    I16(Int16Builder),
    I32(Int32Builder),
    I64(Int64Builder),
    F32(Float32Builder),
    F64(Float64Builder),
    Decimal(Decimal128Builder, u8, i8),
    Text(StringBuilder),
    Date(Date32Builder),
    Micros(TimestampMicrosecondBuilder, bool),
}

impl Builder {
    fn new(kind: &ColumnKind, capacity: usize) -> Builder {
        match kind {
            ColumnKind::Bool => Builder::Bool(BooleanBuilder::with_capacity(capacity)),
            ColumnKind::Int16 => Builder::I16(Int16Builder::with_capacity(capacity)),
            ColumnKind::Int32 => Builder::I32(Int32Builder::with_capacity(capacity)),
            ColumnKind::Int64 => Builder::I64(Int64Builder::with_capacity(capacity)),
            ColumnKind::Float32 => Builder::F32(Float32Builder::with_capacity(capacity)),
            ColumnKind::Float64 => Builder::F64(Float64Builder::with_capacity(capacity)),
            ColumnKind::Decimal { precision, scale } => Builder::Decimal(
                Decimal128Builder::with_capacity(capacity),
                *precision,
                *scale,
            ),
            ColumnKind::Date => Builder::Date(Date32Builder::with_capacity(capacity)),
            ColumnKind::Timestamp => {
                Builder::Micros(TimestampMicrosecondBuilder::with_capacity(capacity), false)
            }
            ColumnKind::TimestampTz => {
                Builder::Micros(TimestampMicrosecondBuilder::with_capacity(capacity), true)
            }
            ColumnKind::Text { .. }
            | ColumnKind::Uuid
            | ColumnKind::Json
            | ColumnKind::Enum(_)
            | ColumnKind::PgText => {
                Builder::Text(StringBuilder::with_capacity(capacity, capacity * 16))
            }
        }
    }

    /// Appends a value already checked against this builder's kind.
    fn append(&mut self, value: Value, text: Option<&str>) {
        match (self, value) {
            (Builder::Bool(b), Value::Bool(v)) => b.append_value(v),
            (Builder::I16(b), Value::Int(v)) => b.append_value(v as i16),
            (Builder::I32(b), Value::Int(v)) => b.append_value(v as i32),
            (Builder::I64(b), Value::Int(v)) => b.append_value(v),
            (Builder::F32(b), Value::Float(v)) => b.append_value(v as f32),
            (Builder::F64(b), Value::Float(v)) => b.append_value(v),
            (Builder::Decimal(b, ..), Value::Decimal(v)) => b.append_value(v),
            (Builder::Date(b), Value::Date(v)) => b.append_value(v),
            (Builder::Micros(b, _), Value::Micros(v)) => b.append_value(v),
            (Builder::Text(b), Value::Text) => b.append_value(text.unwrap_or_default()),
            (b, _) => b.append_null(),
        }
    }

    fn append_null(&mut self) {
        match self {
            Builder::Bool(b) => b.append_null(),
            Builder::I16(b) => b.append_null(),
            Builder::I32(b) => b.append_null(),
            Builder::I64(b) => b.append_null(),
            Builder::F32(b) => b.append_null(),
            Builder::F64(b) => b.append_null(),
            Builder::Decimal(b, ..) => b.append_null(),
            Builder::Text(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::Micros(b, _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> Result<ArrayRef, arrow_schema::ArrowError> {
        Ok(match self {
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::I16(b) => Arc::new(b.finish()),
            Builder::I32(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::F32(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::Decimal(b, p, s) => Arc::new(b.finish().with_precision_and_scale(*p, *s)?),
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Micros(b, false) => Arc::new(b.finish()),
            Builder::Micros(b, true) => Arc::new(b.finish().with_timezone("UTC")),
        })
    }

    fn len(&self) -> usize {
        match self {
            Builder::Bool(b) => b.len(),
            Builder::I16(b) => b.len(),
            Builder::I32(b) => b.len(),
            Builder::I64(b) => b.len(),
            Builder::F32(b) => b.len(),
            Builder::F64(b) => b.len(),
            Builder::Decimal(b, ..) => b.len(),
            Builder::Text(b) => b.len(),
            Builder::Date(b) => b.len(),
            Builder::Micros(b, _) => b.len(),
        }
    }
}

/// Checks rows against the schema and gathers the good ones.
pub struct BatchBuilder {
    schema: Arc<ExportSchema>,
    arrow: SchemaRef,
    builders: Vec<Builder>,
    values: Vec<Value>,
    capacity: usize,
}

impl BatchBuilder {
    pub fn new(schema: Arc<ExportSchema>, capacity: usize) -> BatchBuilder {
        let builders = schema
            .columns
            .iter()
            .map(|c| Builder::new(&c.kind, capacity))
            .collect();
        BatchBuilder {
            arrow: schema.arrow(),
            values: Vec::with_capacity(schema.columns.len()),
            schema,
            builders,
            capacity,
        }
    }

    pub fn arrow_schema(&self) -> SchemaRef {
        self.arrow.clone()
    }

    /// Rows gathered since the last [`BatchBuilder::finish`].
    pub fn rows(&self) -> usize {
        self.builders.first().map_or(0, Builder::len)
    }

    /// Checks one line: every column against its kind and nullability, then the checks'
    /// results. `Err` for a line that does not have the expected fields (the query's
    /// fault, not the data's).
    pub fn check(&mut self, fields: &Fields) -> Result<Vec<Reason>, String> {
        if fields.len() != self.schema.width() {
            return Err(format!(
                "the server sent {} field(s) in a row, {} expected",
                fields.len(),
                self.schema.width()
            ));
        }
        let mut reasons = Vec::new();
        self.values.clear();
        for (i, column) in self.schema.columns.iter().enumerate() {
            let value = match fields.get(i) {
                None if column.nullable => Value::Null,
                None => {
                    reasons.push(Reason {
                        column: Some(column.name.clone()),
                        check: None,
                        message: "NULL in a NOT NULL column".into(),
                    });
                    Value::Null
                }
                Some(text) => parse::parse(&column.kind, text).unwrap_or_else(|message| {
                    reasons.push(Reason {
                        column: Some(column.name.clone()),
                        check: None,
                        message,
                    });
                    Value::Null
                }),
            };
            self.values.push(value);
        }
        for (i, check) in self.schema.checks.iter().enumerate() {
            match fields.get(self.schema.columns.len() + i) {
                Some("t") => {}
                Some("f") => reasons.push(Reason {
                    column: None,
                    check: Some(check.clone()),
                    message: "the row violates the check".into(),
                }),
                other => return Err(format!("check {check} evaluated to {other:?}")),
            }
        }
        Ok(reasons)
    }

    /// Value `i` of the line last passed to [`BatchBuilder::check`].
    pub fn value(&self, i: usize) -> Option<Value> {
        self.values.get(i).copied()
    }

    /// Appends the line last passed to [`BatchBuilder::check`] (which found no reason).
    pub fn append(&mut self, fields: &Fields) {
        for (i, (builder, value)) in self.builders.iter_mut().zip(&self.values).enumerate() {
            builder.append(*value, fields.get(i));
        }
    }

    /// The gathered rows as a batch; the builder starts over.
    pub fn finish(&mut self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let columns = self
            .builders
            .iter_mut()
            .map(Builder::finish)
            .collect::<Result<Vec<_>, _>>()?;
        for (builder, column) in self.builders.iter_mut().zip(&self.schema.columns) {
            *builder = Builder::new(&column.kind, self.capacity);
        }
        RecordBatch::try_new(self.arrow.clone(), columns)
    }
}
