//! The export of one result: lines of COPY text in, checked rows out as row groups of the
//! Parquet file, refused rows to the rejected file (or, strict, the export stopped at the
//! first bad rows with nothing written).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::anyhow;

use crate::batch::{BatchBuilder, Reason};
use crate::columns::ExportSchema;
use crate::copy_text::Fields;
use crate::parse::Value;
use crate::sink::{ParquetDone, ParquetSink, RejectSink, Rejected};

/// Bad rows a strict export shows before it stops.
pub const SHOWN_BAD_ROWS: usize = 5;

/// How the export treats a bad row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Stop after the first [`SHOWN_BAD_ROWS`] bad rows; write nothing.
    Strict,
    /// Write the good rows; the bad ones, with their reasons, to this JSON-lines file.
    Rejecting(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub mode: Mode,
    /// Rows per Arrow batch, and so per Parquet row group.
    pub batch_rows: usize,
    /// The column whose largest value among the written rows is the run's watermark.
    pub time_column: Option<String>,
}

/// One refused row, for the report.
#[derive(Debug, Clone)]
pub struct BadRow {
    pub row: u64,
    /// The primary key's values, `column=value`.
    pub key: String,
    pub reasons: Vec<Reason>,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}", self.row)?;
        if !self.key.is_empty() {
            write!(f, " ({})", self.key)?;
        }
        let reasons: Vec<String> = self.reasons.iter().map(ToString::to_string).collect();
        write!(f, ": {}", reasons.join("; "))
    }
}

/// What happened, once the input ended (or a strict export stopped).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub read: u64,
    pub written: u64,
    pub rejected: u64,
    /// Up to [`SHOWN_BAD_ROWS`] refused rows, in the order read.
    pub first_bad: Vec<BadRow>,
    /// Largest value of the time column among the written rows (microseconds).
    pub watermark: Option<i64>,
    pub parquet: ParquetDone,
    /// False when a strict export stopped: no file was written.
    pub wrote: bool,
}

/// An export in progress.
pub struct Exporter {
    schema: Arc<ExportSchema>,
    builder: BatchBuilder,
    fields: Fields,
    parquet: Option<ParquetSink>,
    rejects: Option<RejectSink>,
    strict: bool,
    batch_rows: usize,
    time_column: Option<usize>,
    key: Vec<usize>,
    outcome: Outcome,
}

/// Whether to read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// A strict export found its bad rows: stop reading, then call `finish`.
    Stop,
}

impl Exporter {
    pub fn start(schema: ExportSchema, options: &Options) -> anyhow::Result<Exporter> {
        let schema = Arc::new(schema);
        let time_column = match &options.time_column {
            Some(name) => Some(
                schema
                    .position(name)
                    .ok_or_else(|| anyhow!("{} has no column {name}", schema.table))?,
            ),
            None => None,
        };
        let key = schema
            .key
            .iter()
            .filter_map(|k| schema.position(k))
            .collect();
        let builder = BatchBuilder::new(schema.clone(), options.batch_rows.max(1));
        let parquet = ParquetSink::create(&options.out, builder.arrow_schema())?;
        let (strict, rejects) = match &options.mode {
            Mode::Strict => (true, None),
            Mode::Rejecting(path) => (false, Some(RejectSink::create(path)?)),
        };
        Ok(Exporter {
            schema,
            builder,
            fields: Fields::default(),
            parquet: Some(parquet),
            rejects,
            strict,
            batch_rows: options.batch_rows.max(1),
            time_column,
            key,
            outcome: Outcome::default(),
        })
    }

    /// Rows read so far.
    pub fn read(&self) -> u64 {
        self.outcome.read
    }

    /// Takes one line of COPY text.
    pub fn line(&mut self, line: &[u8]) -> anyhow::Result<Flow> {
        self.fields
            .parse(line)
            .map_err(|e| anyhow!("{}: {e}", self.schema.table))?;
        self.outcome.read += 1;
        let reasons = self
            .builder
            .check(&self.fields)
            .map_err(|e| anyhow!("{}: {e}", self.schema.table))?;
        if reasons.is_empty() {
            if self.strict && !self.outcome.first_bad.is_empty() {
                // Nothing will be written: no need to build it.
                return Ok(Flow::Continue);
            }
            self.builder.append(&self.fields);
            self.outcome.written += 1;
            if let Some(i) = self.time_column
                && let Some(Value::Micros(t)) = self.builder_value(i)
            {
                self.outcome.watermark = Some(self.outcome.watermark.map_or(t, |w| w.max(t)));
            }
            if self.builder.rows() >= self.batch_rows {
                self.flush()?;
            }
            return Ok(Flow::Continue);
        }
        self.refuse(reasons)
    }

    fn builder_value(&self, i: usize) -> Option<Value> {
        self.builder.value(i)
    }

    fn refuse(&mut self, reasons: Vec<Reason>) -> anyhow::Result<Flow> {
        self.outcome.rejected += 1;
        let row = self.outcome.read;
        if let Some(rejects) = &mut self.rejects {
            let values = self
                .schema
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let v = self.fields.get(i).map_or(serde_json::Value::Null, |t| {
                        serde_json::Value::String(t.to_string())
                    });
                    (c.name.clone(), v)
                })
                .collect();
            rejects.write(&Rejected {
                row,
                reasons: &reasons,
                values,
            })?;
        }
        if self.outcome.first_bad.len() < SHOWN_BAD_ROWS {
            let key = self
                .key
                .iter()
                .filter_map(|i| {
                    let column = self.schema.columns.get(*i)?;
                    Some(format!(
                        "{}={}",
                        column.name,
                        self.fields.get(*i).unwrap_or("NULL")
                    ))
                })
                .collect::<Vec<_>>()
                .join(", ");
            self.outcome.first_bad.push(BadRow { row, key, reasons });
        }
        if self.strict && self.outcome.first_bad.len() >= SHOWN_BAD_ROWS {
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if self.builder.rows() == 0 {
            return Ok(());
        }
        let batch = self
            .builder
            .finish()
            .map_err(|e| anyhow!("{}: cannot build a batch: {e}", self.schema.table))?;
        match &mut self.parquet {
            Some(sink) => sink.write(batch),
            None => Err(anyhow!("the Parquet file is closed")),
        }
    }

    /// Ends the export: the files moved into place, or (a strict export with bad rows)
    /// removed.
    pub fn finish(mut self) -> anyhow::Result<Outcome> {
        if self.strict && self.outcome.rejected > 0 {
            if let Some(sink) = self.parquet.take() {
                sink.abort();
            }
            self.outcome.written = 0;
            self.outcome.watermark = None;
            return Ok(self.outcome);
        }
        self.flush()?;
        let sink = self
            .parquet
            .take()
            .ok_or_else(|| anyhow!("the Parquet file is closed"))?;
        self.outcome.parquet = sink.finish()?;
        if let Some(rejects) = self.rejects.take() {
            rejects.finish()?;
        }
        self.outcome.wrote = true;
        Ok(self.outcome)
    }
}

/// `OUT.rejected.jsonl` beside `OUT.parquet`.
pub fn rejected_path(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    out.with_file_name(format!("{stem}.rejected.jsonl"))
}
