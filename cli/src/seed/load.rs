//! `schemactl load TABLE=FILE…`: CSV, NDJSON or JSON arrays into tables by COPY.
//!
//! Every file is read, converted and checked before the first byte reaches the server:
//! column types, required columns, primary keys unique inside the file, and foreign keys
//! that resolve against the database or the other files of the same load. Any problem
//! stops the load with nothing written; otherwise all files go in through COPY in one
//! transaction, parents before children. With `upsert`, rows whose primary key is already
//! in the table update it instead of failing (see [`super::upsert`]).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use sea_orm::sqlx::postgres::PgPool;
use serde_json::Value;

use super::check::{Checker, json_records, kind_name};
use super::pg;
use super::stream;
use super::types::Input;
use super::upsert::UpsertLoad;
use crate::catalog::{Catalog, ColumnDef, QName, TableDef};
use crate::sql;

/// Problems reported before giving up; the rest are only counted.
pub(super) const MAX_PROBLEMS: usize = 50;

/// Separates the parts of a composite key in the sets of keys.
pub(super) const KEY_SEP: char = '\u{1f}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Ndjson,
    Json,
}

impl Format {
    /// From the file name: `.csv`, `.ndjson`/`.jsonl`, `.json`.
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// One file to load into one table.
#[derive(Debug, Clone)]
pub struct Source {
    pub table: QName,
    pub path: PathBuf,
    pub format: Format,
}

impl Source {
    /// Parses `schema.table=path`.
    pub fn parse(spec: &str, format: Option<Format>, catalog: &Catalog) -> anyhow::Result<Source> {
        let (table, path) = spec.split_once('=').ok_or_else(|| {
            anyhow!("expected TABLE=FILE (e.g. steam.developers=devs.csv), got {spec:?}")
        })?;
        let table = table_name(table, catalog)?;
        let path = PathBuf::from(path);
        let format = format.or_else(|| Format::of_path(&path)).ok_or_else(|| {
            anyhow!(
                "cannot tell the format of {} from its name: use --format csv|ndjson|json",
                path.display()
            )
        })?;
        Ok(Source {
            table,
            path,
            format,
        })
    }
}

/// A table of the model from `schema.table`.
pub fn table_name(text: &str, catalog: &Catalog) -> anyhow::Result<QName> {
    let (schema, name) = text
        .split_once('.')
        .ok_or_else(|| anyhow!("expected a schema-qualified table (schema.table), got {text:?}"))?;
    let q = QName::new(schema, name);
    if catalog.tables.contains_key(&q) {
        Ok(q)
    } else {
        let known: Vec<String> = catalog.tables.keys().map(|k| k.to_string()).collect();
        let hint = strsim_closest(text, &known)
            .map(|c| format!(" (did you mean {c}?)"))
            .unwrap_or_default();
        bail!("the model has no table {text}{hint}")
    }
}

pub(super) fn strsim_closest<'a>(text: &str, candidates: &'a [String]) -> Option<&'a String> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(text, c), c))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A record that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based data record (the CSV header is not a record); 0 for the file as a whole.
    pub record: usize,
    pub column: Option<String>,
    pub message: String,
    /// 1-based line and column in the file where the record (or its field) starts; 0 when
    /// unknown (problems of the file as a whole, and the full check after a refusal).
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col.max(1))?;
        }
        if self.record > 0 {
            write!(f, ": record {}", self.record)?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The data did not pass validation; nothing was loaded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the data; nothing was loaded", .total)]
pub struct InvalidData {
    pub problems: Vec<Problem>,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Drop HNSW/GIN/GiST indexes for the load and rebuild them before the commit.
    pub defer_indexes: bool,
    /// Rows whose primary key exists update the existing row (every loaded column but the
    /// key) instead of failing: loading the same file twice changes nothing the second time.
    pub upsert: bool,
}

#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Table, rows loaded, indexes deferred and rebuilt.
    pub tables: Vec<(QName, u64, Vec<String>)>,
    /// Checking the records. Streamed: the reader's busy time, overlapped with `load`.
    pub validation: Duration,
    pub load: Duration,
    /// Checked and copied in one stream (`load` is then the whole time).
    pub streamed: bool,
}

impl LoadReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n, _)| n).sum()
    }
}

/// One file, checked and encoded for COPY.
struct Prepared {
    source: Source,
    /// COPY batches: columns, data, rows. Records that leave out different defaulted
    /// columns go in different batches, so that the server fills those defaults.
    batches: Vec<(Vec<String>, Vec<u8>, usize)>,
    /// Key tuples the file provides, for column lists other files' foreign keys point at.
    provided: HashMap<Vec<String>, HashSet<String>>,
    /// Per foreign key (index into the table's list): value tuple → first record using it.
    references: Vec<(usize, HashMap<String, usize>)>,
}

/// Loads every source in one transaction. Without `upsert`, each file streams through
/// validation into COPY ([`super::stream`]); an upsert checks every file first (its rows
/// go through a staging table).
pub async fn load(
    pool: &PgPool,
    catalog: &Catalog,
    sources: &[Source],
    options: LoadOptions,
) -> anyhow::Result<LoadReport> {
    if options.upsert {
        upsert_keys(catalog, sources)?;
        return load_checked_first(pool, catalog, sources, options).await;
    }
    let started = Instant::now();
    for source in sources {
        if !catalog.tables.contains_key(&source.table) {
            bail!("the model has no table {}", source.table);
        }
    }
    let order = pg::fk_order(
        catalog,
        &sources.iter().map(|s| s.table.clone()).collect::<Vec<_>>(),
    );
    let mut txn = pool.begin().await.map_err(|e| {
        anyhow!(
            "cannot begin the load transaction: {}",
            pg::server_message(&e)
        )
    })?;
    let mut deferred = HashMap::new();
    if options.defer_indexes {
        pg::as_owner(&mut txn, catalog).await?;
        for table in &order {
            deferred.insert(
                table.clone(),
                pg::defer_heavy_indexes(&mut txn, table).await?,
            );
        }
    }
    let mut report = LoadReport::default();
    for table in &order {
        for source in sources.iter().filter(|s| s.table == *table) {
            let streamed = match stream::stream_file(&mut txn, catalog, source).await {
                Ok(s) => s,
                Err(failure) => {
                    // Nothing stays: the rollback undoes every file loaded so far.
                    let _ = txn.rollback().await;
                    return Err(refused(pool, catalog, sources, source, failure).await);
                }
            };
            report.validation += streamed.busy;
            fix_sequences(&mut txn, catalog, table, &streamed.columns).await?;
            report
                .tables
                .push((table.clone(), streamed.rows, Vec::new()));
        }
    }
    for (table, indexes) in deferred {
        let names = indexes.names.clone();
        indexes.restore(&mut txn).await?;
        if let Some(entry) = report.tables.iter_mut().find(|(t, _, _)| *t == table) {
            entry.2 = names;
        }
    }
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", pg::server_message(&e)))?;
    report.load = started.elapsed();
    report.streamed = true;
    Ok(report)
}

/// The error for a streamed file that did not load. Bad records are reported as they
/// are; a refusal by the server (a foreign key or key conflict) is located by the full
/// check of every file, which names the records; anything else in the server's words.
async fn refused(
    pool: &PgPool,
    catalog: &Catalog,
    sources: &[Source],
    source: &Source,
    failure: stream::Failure,
) -> anyhow::Error {
    let file = source.path.display();
    match failure {
        stream::Failure::Invalid(checked) => InvalidData {
            problems: checked.problems,
            total: checked.total,
        }
        .into(),
        stream::Failure::Server(state, message) => {
            if matches!(state.as_deref(), Some("23503" | "23505")) {
                match check_all(pool, catalog, sources).await {
                    Ok((_, problems, total)) if total > 0 => {
                        return InvalidData { problems, total }.into();
                    }
                    Ok(_) => {}
                    Err(err) => return err,
                }
            }
            anyhow!(
                "{file}: COPY into {} failed: {message}\nnothing was loaded: the transaction was rolled back",
                source.table
            )
        }
        stream::Failure::Other(err) => err.context(format!(
            "{file}: nothing was loaded: the transaction was rolled back"
        )),
    }
}

/// Checks every file as a whole (types, keys, foreign keys against the database and the
/// other files): the prepared files, the first problems and their total.
async fn check_all(
    pool: &PgPool,
    catalog: &Catalog,
    sources: &[Source],
) -> anyhow::Result<(Vec<Prepared>, Vec<Problem>, usize)> {
    let wanted = referenced_keys(catalog, sources);
    let mut problems = Vec::new();
    let mut total = 0;
    let mut prepared = Vec::new();
    for source in sources {
        let table = catalog
            .tables
            .get(&source.table)
            .ok_or_else(|| anyhow!("the model has no table {}", source.table))?;
        let keys = wanted.get(&source.table).cloned().unwrap_or_default();
        let (file, found) = prepare(source, table, catalog, keys)?;
        total += found.len();
        problems.extend(found);
        prepared.push(file);
    }
    if total == 0 {
        let found = check_references(pool, catalog, &prepared).await?;
        total += found.len();
        problems.extend(found);
    }
    problems.truncate(MAX_PROBLEMS);
    Ok((prepared, problems, total))
}

/// Checks every file, then loads them all in one transaction (the upsert path).
async fn load_checked_first(
    pool: &PgPool,
    catalog: &Catalog,
    sources: &[Source],
    options: LoadOptions,
) -> anyhow::Result<LoadReport> {
    let started = Instant::now();
    let (prepared, problems, total) = check_all(pool, catalog, sources).await?;
    if total > 0 {
        return Err(InvalidData { problems, total }.into());
    }
    let validation = started.elapsed();

    let loading = Instant::now();
    let order = pg::fk_order(
        catalog,
        &prepared
            .iter()
            .map(|p| p.source.table.clone())
            .collect::<Vec<_>>(),
    );
    let mut txn = pool.begin().await.map_err(|e| {
        anyhow!(
            "cannot begin the load transaction: {}",
            pg::server_message(&e)
        )
    })?;
    let mut deferred = HashMap::new();
    if options.defer_indexes {
        // Dropping an index needs the table's owner.
        pg::as_owner(&mut txn, catalog).await?;
        for table in &order {
            deferred.insert(
                table.clone(),
                pg::defer_heavy_indexes(&mut txn, table).await?,
            );
        }
    }
    let mut report = LoadReport {
        validation,
        ..Default::default()
    };
    for table in &order {
        for file in prepared.iter().filter(|p| p.source.table == *table) {
            let rows = load_file(&mut txn, catalog, file, options.upsert).await?;
            report.tables.push((table.clone(), rows, Vec::new()));
        }
    }
    for (table, indexes) in deferred {
        let names = indexes.names.clone();
        indexes.restore(&mut txn).await?;
        if let Some(entry) = report.tables.iter_mut().find(|(t, _, _)| *t == table) {
            entry.2 = names;
        }
    }
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", pg::server_message(&e)))?;
    report.load = loading.elapsed();
    Ok(report)
}

/// COPYs one checked file's batches into its table (through [`UpsertLoad`] with `upsert`)
/// and returns the rows written.
async fn load_file(
    conn: &mut sea_orm::sqlx::PgConnection,
    catalog: &Catalog,
    file: &Prepared,
    upsert: bool,
) -> anyhow::Result<u64> {
    let table = &file.source.table;
    let mut rows = 0;
    for (columns, data, count) in &file.batches {
        let copied = if upsert {
            let def = catalog
                .tables
                .get(table)
                .ok_or_else(|| anyhow!("the model has no table {table}"))?;
            UpsertLoad::for_primary_key(table, def, columns)?
                .run(conn, data, *count, None)
                .await
        } else {
            pg::copy_in(conn, table, columns, data, *count).await
        };
        rows += copied.map_err(|e| {
            anyhow!(
                "{}: {e}\nnothing was loaded: the transaction was rolled back",
                file.source.path.display()
            )
        })?;
        fix_sequences(conn, catalog, table, columns).await?;
    }
    Ok(rows)
}

/// With `upsert`, every loaded table needs a primary key in the model to match rows on.
pub fn upsert_keys(catalog: &Catalog, sources: &[Source]) -> anyhow::Result<()> {
    for source in sources {
        let has_key = catalog
            .tables
            .get(&source.table)
            .is_some_and(|t| t.primary_key.is_some());
        if !has_key {
            bail!(
                "{} has no primary key in the model: --upsert matches rows by primary key",
                source.table
            );
        }
    }
    Ok(())
}

/// For each loaded table, the column lists that foreign keys of loaded tables point at.
fn referenced_keys(catalog: &Catalog, sources: &[Source]) -> HashMap<QName, Vec<Vec<String>>> {
    let loaded: HashSet<&QName> = sources.iter().map(|s| &s.table).collect();
    let mut out: HashMap<QName, Vec<Vec<String>>> = HashMap::new();
    for source in sources {
        let Some(table) = catalog.tables.get(&source.table) else {
            continue;
        };
        for fk in &table.foreign_keys {
            if loaded.contains(&fk.references) {
                let lists = out.entry(fk.references.clone()).or_default();
                if !lists.contains(&fk.referenced_columns) {
                    lists.push(fk.referenced_columns.clone());
                }
            }
        }
    }
    out
}

/// Sets a serial or identity sequence past the largest loaded value, so that later
/// inserts that rely on the default do not collide with loaded keys.
async fn fix_sequences(
    conn: &mut sea_orm::sqlx::PgConnection,
    catalog: &Catalog,
    table: &QName,
    columns: &[String],
) -> anyhow::Result<()> {
    let Some(def) = catalog.tables.get(table) else {
        return Ok(());
    };
    for c in def
        .columns
        .iter()
        .filter(|c| (c.serial.is_some() || c.identity.is_some()) && columns.contains(&c.name))
    {
        pg::exec(
            conn,
            &format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), GREATEST((SELECT max({}) FROM {}), 1))",
                sql::literal(&table.sql()),
                sql::literal(&c.name),
                sql::ident(&c.name),
                table.sql()
            ),
        )
        .await?;
    }
    Ok(())
}

/// Whether a column may be left out of a file: the server fills it.
pub(super) fn optional(c: &ColumnDef) -> bool {
    c.nullable || c.default.is_some() || c.serial.is_some() || c.identity.is_some()
}

fn prepare(
    source: &Source,
    table: &TableDef,
    catalog: &Catalog,
    wanted_keys: Vec<Vec<String>>,
) -> anyhow::Result<(Prepared, Vec<Problem>)> {
    let file = source.path.display().to_string();
    let bytes = std::fs::read(&source.path).with_context(|| format!("cannot read {file}"))?;
    let bar = pg::progress(
        bytes.len() as u64 / 64,
        &format!("check {}", source.table),
        "",
    );
    let mut check = Checker::new(file.clone(), table, catalog, wanted_keys);
    match source.format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(bytes.as_slice());
            let header: Vec<String> = reader
                .headers()
                .with_context(|| format!("{file}: cannot read the CSV header"))?
                .iter()
                .map(|h| h.trim().to_string())
                .collect();
            check.set_columns(&header);
            let mut record = csv::StringRecord::new();
            let mut n = 0;
            loop {
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        n += 1;
                        let inputs: Vec<Option<Input<'_>>> = check
                            .from_file
                            .iter()
                            .map(|i| Some(Input::Text(record.get(*i).unwrap_or(""))))
                            .collect();
                        check.record(n, &inputs);
                        if n % 4096 == 0 {
                            bar.set_position(record.position().map(|p| p.byte() / 64).unwrap_or(0));
                        }
                    }
                    Err(e) => {
                        check.problem(n + 1, None, format!("malformed CSV: {e}"));
                        break;
                    }
                }
            }
        }
        Format::Ndjson | Format::Json => {
            let records = json_records(&bytes, source.format, &mut check);
            let mut names: Vec<String> = Vec::new();
            let mut seen = HashSet::new();
            for value in &records {
                if let Value::Object(map) = value {
                    for k in map.keys() {
                        if seen.insert(k.clone()) {
                            names.push(k.clone());
                        }
                    }
                }
            }
            check.set_columns(&names);
            for (i, value) in records.iter().enumerate() {
                let Value::Object(map) = value else {
                    check.problem(
                        i + 1,
                        None,
                        format!("expected a JSON object, found {}", kind_name(value)),
                    );
                    continue;
                };
                let inputs: Vec<Option<Input<'_>>> = check
                    .copy_names
                    .iter()
                    .map(|c| map.get(c).map(Input::Json))
                    .collect();
                check.record(i + 1, &inputs);
                if i % 4096 == 0 {
                    bar.set_position(i as u64);
                }
            }
        }
    }
    bar.finish_and_clear();
    let problems = std::mem::take(&mut check.problems);
    Ok((
        Prepared {
            source: source.clone(),
            batches: check
                .batches
                .into_iter()
                .map(|(omitted, data, rows)| {
                    let columns = check
                        .copy_names
                        .iter()
                        .zip(&omitted)
                        .filter(|(_, o)| !**o)
                        .map(|(c, _)| c.clone())
                        .collect();
                    (columns, data, rows)
                })
                .collect(),
            provided: check
                .provided
                .into_iter()
                .map(|(cols, _, set)| (cols, set))
                .collect(),
            references: check
                .references
                .into_iter()
                .map(|(fk, _, map)| (fk, map))
                .collect(),
        },
        problems,
    ))
}

/// Foreign key values that neither the loaded files nor the database provide.
async fn check_references(
    pool: &PgPool,
    catalog: &Catalog,
    prepared: &[Prepared],
) -> anyhow::Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for file in prepared {
        let Some(table) = catalog.tables.get(&file.source.table) else {
            continue;
        };
        for (fk_index, values) in &file.references {
            let Some(fk) = table.foreign_keys.get(*fk_index) else {
                continue;
            };
            let in_files: Vec<&HashSet<String>> = prepared
                .iter()
                .filter(|p| p.source.table == fk.references)
                .filter_map(|p| p.provided.get(&fk.referenced_columns))
                .collect();
            let missing: Vec<&String> = values
                .keys()
                .filter(|k| !in_files.iter().any(|set| set.contains(*k)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let found = existing_keys(
                pool,
                catalog,
                &fk.references,
                &fk.referenced_columns,
                &missing,
            )
            .await?;
            let mut unresolved: Vec<(usize, &String)> = missing
                .into_iter()
                .filter(|k| !found.contains(*k))
                .filter_map(|k| values.get(k).map(|n| (*n, k)))
                .collect();
            unresolved.sort();
            for (record, key) in unresolved.into_iter().take(MAX_PROBLEMS) {
                problems.push(Problem {
                    file: file.source.path.display().to_string(),
                    record,
                    column: Some(fk.columns.join(", ")),
                    message: format!(
                        "no {} row with ({}) = ({}) in the database or the loaded files (foreign key {})",
                        fk.references,
                        fk.referenced_columns.join(", "),
                        key.replace(KEY_SEP, ", "),
                        fk.name
                    ),
                    line: 0,
                    col: 0,
                });
            }
        }
    }
    Ok(problems)
}

/// Which of `keys` exist in `table (columns)`. Keys are compared after casting to the
/// columns' types, so the file's spelling of a value does not matter.
async fn existing_keys(
    pool: &PgPool,
    catalog: &Catalog,
    table: &QName,
    columns: &[String],
    keys: &[&String],
) -> anyhow::Result<HashSet<String>> {
    let def = catalog.tables.get(table);
    let mut arrays: Vec<Vec<String>> = vec![Vec::with_capacity(keys.len()); columns.len()];
    for key in keys {
        for (i, part) in key.split(KEY_SEP).enumerate() {
            if let Some(a) = arrays.get_mut(i) {
                a.push(part.to_string());
            }
        }
    }
    let params: Vec<String> = (1..=columns.len())
        .map(|i| format!("${i}::text[]"))
        .collect();
    let aliases: Vec<String> = (1..=columns.len()).map(|i| format!("k{i}")).collect();
    let conditions: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let ty = def
                .and_then(|t| t.column(c))
                .map(|c| c.ty.as_str())
                .unwrap_or("text");
            format!("t.{} = u.k{}::{ty}", sql::ident(c), i + 1)
        })
        .collect();
    let statement = format!(
        "SELECT concat_ws(E'\\x1f', {}) FROM unnest({}) AS u({}) WHERE EXISTS (SELECT 1 FROM {} t WHERE {})",
        aliases
            .iter()
            .map(|a| format!("u.{a}"))
            .collect::<Vec<_>>()
            .join(", "),
        params.join(", "),
        aliases.join(", "),
        table.sql(),
        conditions.join(" AND ")
    );
    let mut query =
        sea_orm::sqlx::query_scalar::<_, String>(sea_orm::sqlx::AssertSqlSafe(statement));
    for array in arrays {
        query = query.bind(array);
    }
    let found = query
        .fetch_all(pool)
        .await
        .map_err(|e| anyhow!("cannot look up keys of {table}: {}", pg::server_message(&e)))?;
    Ok(found.into_iter().collect())
}
