//! One file streamed through validation into COPY: a reader thread parses and checks each
//! record and encodes the good ones in COPY's text format, in chunks, while the async side
//! sends the chunks to the server. Checking and copying overlap instead of running one
//! after the other.
//!
//! The whole load is one transaction. The first bad record stops the stream: the COPY is
//! aborted, the transaction rolls back, and nothing is loaded. The reader keeps checking
//! the rest of the file (without encoding), so the report lists every bad record up to
//! [`MAX_PROBLEMS`], each with its file, line, column and column name.
//!
//! A record the server refuses (a foreign key that points nowhere, a key already in the
//! table) fails the COPY; the caller then locates it with the full check of
//! [`super::load`], which names the record.

use std::time::{Duration, Instant};

use anyhow::anyhow;
use sea_orm::sqlx::postgres::PgConnection;
use serde_json::Value;
use tokio::sync::mpsc;

use super::check::{Checker, json_records, kind_name};
use super::load::{Format, MAX_PROBLEMS, Problem, Source};
use super::pg;
use super::types::Input;
use crate::catalog::{Catalog, QName, TableDef};
use crate::sql;

/// Bytes of COPY data per message: large enough that a send is cheap, small enough that
/// the server starts early and memory stays flat.
const CHUNK: usize = 1 << 20;

/// Chunks in flight between the reader and the sender.
const IN_FLIGHT: usize = 4;

enum Msg {
    /// A COPY with these columns starts.
    Start(Vec<String>),
    Data(Vec<u8>),
    /// The current COPY is complete.
    End,
    /// The reader is done: the file's problems (none when every record was sent).
    Finished(Checked),
}

pub(super) struct Checked {
    pub problems: Vec<Problem>,
    pub total: usize,
    /// COPY columns of the file (for the sequences of serial columns).
    pub columns: Vec<String>,
    /// Time the reader spent parsing, checking and encoding (not waiting for the server).
    pub busy: Duration,
}

pub(super) enum Failure {
    /// Bad records: nothing was loaded.
    Invalid(Checked),
    /// The server refused the data; SQLSTATE and its words.
    Server(Option<String>, String),
    Other(anyhow::Error),
}

/// What a streamed file loaded.
pub(super) struct Streamed {
    pub rows: u64,
    pub columns: Vec<String>,
    pub busy: Duration,
}

/// Streams `source` into its table on `conn` (inside the caller's transaction).
pub(super) async fn stream_file(
    conn: &mut PgConnection,
    catalog: &Catalog,
    source: &Source,
) -> Result<Streamed, Failure> {
    let table = catalog
        .tables
        .get(&source.table)
        .ok_or_else(|| Failure::Other(anyhow!("the model has no table {}", source.table)))?
        .clone();
    // The reader needs the enums and domains only (column kinds), not the whole catalog.
    let types = Catalog {
        enums: catalog.enums.clone(),
        domains: catalog.domains.clone(),
        ..Catalog::default()
    };
    let (tx, mut rx) = mpsc::channel(IN_FLIGHT);
    let job = source.clone();
    let reader = std::thread::spawn(move || read(&job, &table, &types, &tx));
    let mut rows = 0;
    let result = loop {
        match rx.recv().await {
            Some(Msg::Start(columns)) => {
                match copy_batch(conn, &source.table, &columns, &mut rx).await {
                    Ok(n) => rows += n,
                    Err(failure) => break Err(failure),
                }
            }
            Some(Msg::Finished(checked)) if checked.total > 0 => {
                break Err(Failure::Invalid(checked));
            }
            Some(Msg::Finished(checked)) => {
                break Ok(Streamed {
                    rows,
                    columns: checked.columns,
                    busy: checked.busy,
                });
            }
            Some(Msg::Data(_) | Msg::End) | None => {
                break Err(Failure::Other(anyhow!(
                    "{}: the reader stopped unexpectedly",
                    source.path.display()
                )));
            }
        }
    };
    // Dropping the receiver stops a reader still sending.
    drop(rx);
    let _ = reader.join();
    result
}

/// One COPY: data until `End`. A `Finished` with problems in the middle aborts it.
async fn copy_batch(
    conn: &mut PgConnection,
    table: &QName,
    columns: &[String],
    rx: &mut mpsc::Receiver<Msg>,
) -> Result<u64, Failure> {
    let statement = format!(
        "COPY {} ({}) FROM STDIN (FORMAT text)",
        table.sql(),
        sql::ident_list(columns)
    );
    let server = |e: &sea_orm::sqlx::Error| {
        let state = e
            .as_database_error()
            .and_then(|d| d.code())
            .map(|c| c.into_owned());
        Failure::Server(state, pg::server_message(e))
    };
    let mut copy = conn.copy_in_raw(&statement).await.map_err(|e| server(&e))?;
    loop {
        match rx.recv().await {
            Some(Msg::Data(data)) => {
                if let Err(e) = copy.send(data).await {
                    let failure = server(&e);
                    let _ = copy.abort("client error").await;
                    return Err(failure);
                }
            }
            Some(Msg::End) => return copy.finish().await.map_err(|e| server(&e)),
            Some(Msg::Finished(checked)) => {
                let _ = copy.abort("invalid data: nothing is loaded").await;
                return Err(Failure::Invalid(checked));
            }
            Some(Msg::Start(_)) | None => {
                let _ = copy.abort("reader stopped").await;
                return Err(Failure::Other(anyhow!("the reader of {table} stopped")));
            }
        }
    }
}

/// The reader thread: parse, check, encode, send. Returns when the file is done or the
/// receiver is gone.
fn read(source: &Source, table: &TableDef, types: &Catalog, tx: &mpsc::Sender<Msg>) {
    let started = Instant::now();
    let file = source.path.display().to_string();
    let mut check = Checker::new(file.clone(), table, types, Vec::new());
    check.streaming = true;
    let mut out = Sink {
        tx,
        started: false,
        gone: false,
        waited: Duration::ZERO,
    };
    let bytes = match std::fs::read(&source.path) {
        Ok(b) => b,
        Err(e) => {
            check.problem(0, None, format!("cannot read the file: {e}"));
            Vec::new()
        }
    };
    let bar = pg::progress(
        bytes.len() as u64 / 64,
        &format!("load {}", source.table),
        "",
    );
    if !bytes.is_empty() {
        match source.format {
            Format::Csv => read_csv(&bytes, &mut check, &mut out, &bar),
            Format::Ndjson => read_ndjson(&bytes, &mut check, &mut out),
            Format::Json => read_json(&bytes, &mut check, &mut out),
        }
    }
    bar.finish_and_clear();
    if check.problems.is_empty() && !out.gone {
        out.finish(&mut check);
    }
    let total = check.problems.len();
    let mut problems = std::mem::take(&mut check.problems);
    problems.truncate(MAX_PROBLEMS);
    let _ = tx.blocking_send(Msg::Finished(Checked {
        problems,
        total,
        columns: check.copy_names.clone(),
        busy: started.elapsed().saturating_sub(out.waited),
    }));
}

/// The sending end of the reader.
struct Sink<'a> {
    tx: &'a mpsc::Sender<Msg>,
    /// Whether the COPY of the first batch was started.
    started: bool,
    /// The receiver is gone (the COPY failed): stop.
    gone: bool,
    /// Time spent waiting for the sender (the server is slower than the reader).
    waited: Duration,
}

impl Sink<'_> {
    fn send(&mut self, msg: Msg) {
        let waiting = Instant::now();
        if !self.gone && self.tx.blocking_send(msg).is_err() {
            self.gone = true;
        }
        self.waited += waiting.elapsed();
    }

    /// Sends the first batch's data once a chunk is full. Rows that leave out other
    /// defaulted columns wait in their own batches until the end.
    fn flush(&mut self, check: &mut Checker<'_>, force: bool) {
        if !check.problems.is_empty() || self.gone {
            return;
        }
        let Some(first) = check.batches.first_mut() else {
            return;
        };
        if !force && first.1.len() < CHUNK {
            return;
        }
        if !self.started {
            let columns = batch_columns(&check.copy_names, &check.batches[0].0);
            self.send(Msg::Start(columns));
            self.started = true;
        }
        let data = std::mem::take(&mut check.batches[0].1);
        if !data.is_empty() {
            self.send(Msg::Data(data));
        }
    }

    /// Sends the rest: the first batch's tail, then each other batch as a COPY of its own.
    fn finish(&mut self, check: &mut Checker<'_>) {
        if check.batches.is_empty() {
            return;
        }
        self.flush(check, true);
        self.send(Msg::End);
        for (omitted, data, _) in check.batches.drain(1..).collect::<Vec<_>>() {
            self.send(Msg::Start(batch_columns(&check.copy_names, &omitted)));
            self.send(Msg::Data(data));
            self.send(Msg::End);
        }
    }
}

fn batch_columns(names: &[String], omitted: &[bool]) -> Vec<String> {
    names
        .iter()
        .zip(omitted)
        .filter(|(_, o)| !**o)
        .map(|(c, _)| c.clone())
        .collect()
}

fn read_csv(
    bytes: &[u8],
    check: &mut Checker<'_>,
    out: &mut Sink<'_>,
    bar: &indicatif::ProgressBar,
) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) => {
            check.problem(0, None, format!("cannot read the CSV header: {e}"));
            return;
        }
    };
    check.set_columns(&header);
    if !check.problems.is_empty() {
        return;
    }
    let mut record = csv::StringRecord::new();
    let mut n = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                n += 1;
                let before = check.problems.len();
                let inputs: Vec<Option<Input<'_>>> = check
                    .from_file
                    .iter()
                    .map(|i| Some(Input::Text(record.get(*i).unwrap_or(""))))
                    .collect();
                check.record(n, &inputs);
                if check.problems.len() > before {
                    let start = record
                        .position()
                        .map(|p| (p.byte() as usize, p.line() as usize));
                    locate_csv(bytes, start, check, before);
                }
                out.flush(check, false);
                if n % 4096 == 0 {
                    bar.set_position(record.position().map(|p| p.byte() / 64).unwrap_or(0));
                }
                if out.gone {
                    return;
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                check.problem(n + 1, None, format!("malformed CSV: {e}"));
                if let Some(p) = check.problems.last_mut() {
                    p.line = line;
                }
                return;
            }
        }
    }
}

/// Line and column of the new problems (from `from` on) of a CSV record starting at
/// `start` (byte offset, line): the position where the named column's field starts.
fn locate_csv(bytes: &[u8], start: Option<(usize, usize)>, check: &mut Checker<'_>, from: usize) {
    let Some((offset, line)) = start else { return };
    for i in from..check.problems.len() {
        let field = check.problems[i]
            .column
            .as_ref()
            .and_then(|c| check.copy_names.iter().position(|n| n == c))
            .and_then(|j| check.from_file.get(j).copied());
        let (extra_lines, col) = field.map_or((0, 1), |f| field_start(bytes, offset, f));
        let p = &mut check.problems[i];
        p.line = line + extra_lines;
        p.col = col;
    }
}

/// Lines after the record's first and the 1-based column (in characters) where field
/// `field` of the CSV record at `offset` starts.
fn field_start(bytes: &[u8], offset: usize, field: usize) -> (usize, usize) {
    let (mut lines, mut col, mut current, mut quoted) = (0, 1, 0, false);
    for &b in bytes.get(offset..).unwrap_or_default() {
        if current == field {
            break;
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => current += 1,
            b'\n' if !quoted => break,
            b'\n' => {
                lines += 1;
                col = 0;
            }
            _ => {}
        }
        // Count characters, not the continuation bytes of UTF-8.
        if b & 0xC0 != 0x80 {
            col += 1;
        }
    }
    (lines, col)
}

fn read_ndjson(bytes: &[u8], check: &mut Checker<'_>, out: &mut Sink<'_>) {
    let text = String::from_utf8_lossy(bytes);
    let mut records: Vec<(usize, Result<Value, String>)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // The column list is the union of the keys, so the records are parsed first.
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str::<Value>(line).map_err(|e| format!("invalid JSON: {e}"));
        if let Ok(Value::Object(map)) = &value {
            for k in map.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
        records.push((i + 1, value));
    }
    check.set_columns(&names);
    if !check.problems.is_empty() {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for (n, (line, value)) in records.iter().enumerate() {
        let before = check.problems.len();
        match value {
            Ok(value) => record_json(check, n + 1, value),
            Err(message) => check.problem(n + 1, None, message.clone()),
        }
        for p in &mut check.problems[before..] {
            p.line = *line;
            let text = lines.get(line - 1).copied().unwrap_or("");
            p.col = p
                .column
                .as_ref()
                .and_then(|c| text.find(&format!("\"{c}\"")))
                .map_or(1, |at| text[..at].chars().count() + 1);
        }
        out.flush(check, false);
        if out.gone {
            return;
        }
    }
}

fn read_json(bytes: &[u8], check: &mut Checker<'_>, out: &mut Sink<'_>) {
    let records = json_records(bytes, Format::Json, check);
    let mut names: Vec<String> = Vec::new();
    for value in &records {
        if let Value::Object(map) = value {
            for k in map.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
    }
    check.set_columns(&names);
    if !check.problems.is_empty() {
        return;
    }
    let starts = element_starts(bytes);
    for (i, value) in records.iter().enumerate() {
        let before = check.problems.len();
        record_json(check, i + 1, value);
        if check.problems.len() > before
            && let Some(&start) = starts.get(i)
        {
            let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
            for p in &mut check.problems[before..] {
                // The key's position inside the element, else the element's.
                let at = p
                    .column
                    .as_ref()
                    .and_then(|c| find(&bytes[start..end], format!("\"{c}\"").as_bytes()))
                    .map_or(start, |k| start + k);
                (p.line, p.col) = line_col(bytes, at);
            }
        }
        out.flush(check, false);
        if out.gone {
            return;
        }
    }
}

/// Byte offsets where the elements of a top-level JSON array start.
fn element_starts(bytes: &[u8]) -> Vec<usize> {
    let (mut depth, mut in_string, mut escaped, mut expect) = (0usize, false, false, false);
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if expect && depth == 1 && !b.is_ascii_whitespace() && b != b']' {
            out.push(i);
            expect = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    expect = true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect = true,
            _ => {}
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// 1-based line and column (in characters) of byte `at`.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let col = before[start..]
        .iter()
        .filter(|b| **b & 0xC0 != 0x80)
        .count()
        + 1;
    (line, col)
}

fn record_json(check: &mut Checker<'_>, n: usize, value: &Value) {
    let Value::Object(map) = value else {
        check.problem(
            n,
            None,
            format!("expected a JSON object, found {}", kind_name(value)),
        );
        return;
    };
    let inputs: Vec<Option<Input<'_>>> = check
        .copy_names
        .iter()
        .map(|c| map.get(c).map(Input::Json))
        .collect();
    check.record(n, &inputs);
}

#[cfg(test)]
mod tests {
    use super::field_start;

    #[test]
    fn json_array_positions() {
        let text = b"[\n  {\"a\": \"x,]\"},\n  {\"a\": [1, 2]}\n]";
        let starts = super::element_starts(text);
        assert_eq!(starts, vec![4, 20]);
        assert_eq!(super::line_col(text, 20), (3, 3));
    }

    #[test]
    fn csv_field_positions() {
        let text = b"a,b,c\n1,\"x,\ny\",z\n";
        // Record 1 starts at byte 6 on line 2.
        assert_eq!(field_start(text, 6, 0), (0, 1));
        assert_eq!(field_start(text, 6, 1), (0, 3));
        assert_eq!(field_start(text, 6, 2), (1, 4));
    }
}
