//! `export --sync duckdb://FILE`: the Parquet file into the DuckDB model's table: the
//! table created or upgraded to the model (schemactl-duckdb's `apply_in`), the rows
//! replaced (loaded into a new table that takes the old one's place, so a full sync never
//! meets its own keys) or appended (`--incremental`), the key and indexes built after the
//! load, and the run recorded with its watermark in `schemactl.export_runs`. A failure
//! leaves the file's tables as they were ([`sync`] says how).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use schemactl_duckdb::duckdb::{self, params};
use schemactl_duckdb::{ApplyOptions, BulkTable, qualified};
use schemactl_export::{ExportSchema, Outcome};

use crate::exit::UsageError;
use crate::model::Model;

/// Where runs are recorded: the schema `schemactl` is DuckDB's reserved bookkeeping
/// schema, which plans, apply and drift never see.
const RUNS: &str = "schemactl.export_runs";

const CREATE_RUNS: &str = "CREATE SCHEMA IF NOT EXISTS {catalog}.schemactl;
CREATE TABLE IF NOT EXISTS {catalog}.schemactl.export_runs (
    source VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    incremental BOOLEAN NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_written BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    watermark TIMESTAMP,
    parquet VARCHAR NOT NULL
)";

/// The storage format DuckDB files are written in: DuckDB 2.0 writes a format that DuckDB
/// 1.5 (its CLI on PyPI, most analysts' tools) cannot open; this one both read.
const STORAGE_VERSION: &str = "v1.5.0";

/// Opens (or creates) the DuckDB file, new data written in [`STORAGE_VERSION`]'s format.
fn open(path: &Path) -> anyhow::Result<duckdb::Connection> {
    let config = duckdb::Config::default()
        .with("storage_compatibility_version", STORAGE_VERSION)
        .context("cannot configure DuckDB")?;
    duckdb::Connection::open_with_flags(path, config)
        .with_context(|| format!("cannot open the DuckDB database {}", path.display()))
}

/// The file's catalog, quoted: names are qualified with it, since DuckDB names the catalog
/// after the file, and a file named `schemactl.duckdb` or `research.duckdb` would make
/// `schemactl.export_runs` or `research.behavioral_events` ambiguous.
fn catalog(conn: &duckdb::Connection) -> anyhow::Result<String> {
    let name: String = conn
        .query_row("SELECT current_database()", [], |r| r.get(0))
        .context("cannot read the DuckDB catalog's name")?;
    Ok(schemactl_duckdb::ident(&name))
}

/// The DuckDB side of a sync: its file, model and table.
pub struct Target {
    pub url: String,
    pub path: PathBuf,
    pub model: Model,
    pub schema: String,
    pub table: String,
}

impl Target {
    pub fn new(url: &str, model: Model, named: Option<&str>) -> anyhow::Result<Target> {
        let path = schemactl_duckdb::path_of(url)?;
        let tables: Vec<(String, String)> = model
            .schemas
            .iter()
            .flat_map(|(s, schema)| schema.tables.keys().map(move |t| (s.clone(), t.clone())))
            .collect();
        let (schema, table) = match named {
            Some(name) => {
                let (s, t) = name.split_once('.').ok_or_else(|| {
                    UsageError(format!("--duckdb-table {name}: expected schema.table"))
                })?;
                tables
                    .iter()
                    .find(|(ms, mt)| ms == s && mt == t)
                    .cloned()
                    .ok_or_else(|| UsageError(format!("the DuckDB model has no table {name}")))?
            }
            None => match tables.as_slice() {
                [one] => one.clone(),
                _ => bail!(UsageError(format!(
                    "the DuckDB model has {} tables: name one with --duckdb-table",
                    tables.len()
                ))),
            },
        };
        Ok(Target {
            url: url.to_string(),
            path,
            model,
            schema,
            table,
        })
    }

    fn qualified(&self) -> String {
        qualified(&self.schema, &self.table)
    }

    fn key(&self) -> String {
        format!("{}.{}", self.schema, self.table)
    }

    /// The watermark of the last run from `source` into this table (microseconds), when
    /// the file and the record exist.
    pub fn watermark(&self, source: &str) -> anyhow::Result<Option<i64>> {
        if !self.path.exists() {
            return Ok(None);
        }
        let conn = open(&self.path)?;
        let catalog = catalog(&conn)?;
        let recorded: i64 = conn
            .query_row(
                "SELECT count(*) FROM information_schema.tables WHERE table_catalog = \
                 current_database() AND table_schema = 'schemactl' AND table_name = 'export_runs'",
                [],
                |row| row.get(0),
            )
            .context("cannot read the DuckDB catalog")?;
        if recorded == 0 {
            return Ok(None);
        }
        conn.query_row(
            &format!(
                "SELECT epoch_us(max(watermark)) FROM {catalog}.{RUNS} WHERE source = ? AND target = ?"
            ),
            params![source, self.key()],
            |row| row.get::<_, Option<i64>>(0),
        )
        .with_context(|| format!("cannot read the last watermark from {RUNS}"))
    }

    /// Each DuckDB column with the Parquet column it takes: the same name, else the same
    /// once case and underscores are ignored (`user_id` fills `userId`).
    fn mapping(&self, source: &ExportSchema) -> anyhow::Result<Vec<(String, Option<String>)>> {
        let table = self
            .model
            .schemas
            .get(&self.schema)
            .and_then(|s| s.tables.get(&self.table))
            .ok_or_else(|| anyhow!("the DuckDB model has no table {}", self.key()))?;
        let fold = |name: &str| name.replace('_', "").to_lowercase();
        let mut out = Vec::new();
        for (name, column) in &table.columns {
            let found = source
                .columns
                .iter()
                .find(|c| c.name == *name)
                .or_else(|| source.columns.iter().find(|c| fold(&c.name) == fold(name)));
            let nullable = column.nullable.unwrap_or(!column.primary_key);
            match found {
                Some(c) => out.push((name.clone(), Some(c.name.clone()))),
                None if nullable => out.push((name.clone(), None)),
                None => bail!(UsageError(format!(
                    "{} column {name} is NOT NULL and {} has no column of that name",
                    self.key(),
                    source.table
                ))),
            }
        }
        Ok(out)
    }
}

/// What a sync did.
#[derive(Debug, Clone)]
pub struct Synced {
    pub rows: usize,
    pub total: i64,
    pub indexes: Vec<String>,
    pub seconds: f64,
}

/// What a sync loads, and the run it records.
pub struct Load<'a> {
    pub parquet: &'a Path,
    pub source: &'a ExportSchema,
    pub outcome: &'a Outcome,
    pub incremental: bool,
    /// The watermark read before the export (kept when this run adds no rows).
    pub previous: Option<i64>,
}

/// The name a full sync loads the rows under before the table takes the old one's place.
fn load_name(table: &str) -> String {
    format!("{table}__schemactl_load")
}

/// Loads the Parquet file into the target table.
///
/// A full sync (and an incremental one that finds no table) takes two transactions: the
/// rows into a new table of the model's shape without its key, committed; then the old
/// table dropped, the new one renamed into its place and given its key and indexes. DuckDB
/// builds a key or index in bulk, on every thread, only over committed rows: over rows its
/// transaction inserted it inserts them one by one at commit, several times slower (see
/// docs/benchmarks.md, export). A failure of the second transaction rolls it back and
/// drops the loaded table, so the file's tables are as they were.
///
/// An increment (and a table that cannot be loaded so, see
/// [`schemactl_duckdb::bulk_table`]) is appended in one transaction.
pub fn sync(target: &Target, load: &Load<'_>) -> anyhow::Result<Synced> {
    let started = Instant::now();
    let mapping = target.mapping(load.source)?;
    let mut conn = open(&target.path)?;
    let catalog = catalog(&conn)?;
    let bulk = if load.incremental && exists(&conn, target)? {
        None
    } else {
        schemactl_duckdb::bulk_table(
            &target.model,
            &target.schema,
            &target.table,
            &load_name(&target.table),
        )
    };
    let Some(bulk) = bulk else {
        let tx = conn
            .transaction()
            .context("cannot begin the DuckDB transaction")?;
        return finish(tx, &catalog, target, load, &mapping, None, started);
    };
    let staged = stage(&mut conn, &catalog, target, load.parquet, &bulk, &mapping)?;
    let tx = conn
        .transaction()
        .context("cannot begin the DuckDB transaction")?;
    let done = finish(tx, &catalog, target, load, &mapping, Some(&staged), started);
    if done.is_err() {
        // The transaction was rolled back when `finish` dropped it.
        let _ = conn.execute_batch(&staged.drop);
    }
    done
}

/// The rows of a full sync, committed in a table of their own.
struct Staged {
    /// `catalog.schema.table__schemactl_load`.
    name: String,
    rows: usize,
    add_primary_key: Option<String>,
    /// Drops the loaded table (and the schema, when this sync created it).
    drop: String,
}

/// The first transaction of a full sync: the loaded table created (`bulk.create`, the
/// model's columns and checks, no key) and filled.
fn stage(
    conn: &mut duckdb::Connection,
    catalog: &str,
    target: &Target,
    parquet: &Path,
    bulk: &BulkTable,
    mapping: &[(String, Option<String>)],
) -> anyhow::Result<Staged> {
    let schema = format!("{catalog}.{}", schemactl_duckdb::ident(&target.schema));
    let name = format!(
        "{catalog}.{}",
        qualified(&target.schema, &load_name(&target.table))
    );
    let schema_exists: i64 = conn
        .query_row(
            "SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() \
             AND schema_name = ?",
            params![target.schema],
            |r| r.get(0),
        )
        .context("cannot read duckdb_schemas()")?;
    let mut drop = format!("DROP TABLE IF EXISTS {name};");
    if schema_exists == 0 {
        drop.push_str(&format!(" DROP SCHEMA IF EXISTS {schema};"));
    }
    let tx = conn
        .transaction()
        .context("cannot begin the DuckDB transaction")?;
    // A load name left by an interrupted sync is this sync's to replace.
    tx.execute_batch(&format!(
        "CREATE SCHEMA IF NOT EXISTS {schema}; DROP TABLE IF EXISTS {name}"
    ))
    .with_context(|| format!("cannot prepare {}", target.key()))?;
    tx.execute_batch(&bulk.create)
        .with_context(|| format!("cannot create the table loading {}", target.key()))?;
    let rows = tx
        .execute(&insert_sql(&name, mapping, parquet), [])
        .with_context(|| format!("cannot load {} into {}", parquet.display(), target.key()))?;
    tx.commit()
        .context("cannot commit the DuckDB transaction")?;
    Ok(Staged {
        name,
        rows,
        add_primary_key: bulk.add_primary_key.clone(),
        drop,
    })
}

/// The transaction that ends every sync: the table put in place (the staged one renamed,
/// or the rows appended), the model applied, the indexes built, the run recorded.
fn finish(
    tx: duckdb::Transaction<'_>,
    catalog: &str,
    target: &Target,
    load: &Load<'_>,
    mapping: &[(String, Option<String>)],
    staged: Option<&Staged>,
    started: Instant,
) -> anyhow::Result<Synced> {
    let table = format!("{catalog}.{}", target.qualified());
    if let Some(staged) = staged {
        tx.execute_batch(&format!(
            "DROP TABLE IF EXISTS {table}; ALTER TABLE {} RENAME TO {}",
            staged.name,
            schemactl_duckdb::ident(&target.table)
        ))
        .with_context(|| format!("cannot replace {}", target.key()))?;
        if let Some(add) = &staged.add_primary_key {
            tx.execute_batch(add)
                .with_context(|| format!("cannot add the primary key of {}", target.key()))?;
        }
    } else if !load.incremental {
        tx.execute_batch(&format!("DROP TABLE IF EXISTS {table}"))
            .with_context(|| format!("cannot replace {}", target.key()))?;
    }
    let applied = schemactl_duckdb::apply_in(
        &tx,
        &target.model,
        &ApplyOptions {
            defer_indexes: true,
        },
    )?;
    let rows = match staged {
        Some(staged) => staged.rows,
        None => tx
            .execute(&insert_sql(&table, mapping, load.parquet), [])
            .with_context(|| {
                format!(
                    "cannot load {} into {}",
                    load.parquet.display(),
                    target.key()
                )
            })?,
    };
    schemactl_duckdb::run_in(&tx, &applied.deferred_indexes)?;
    let indexes = build_indexes(&tx, target)?;
    record(&tx, catalog, target, load)?;
    let total: i64 = tx
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .context("cannot count the synced rows")?;
    tx.commit()
        .context("cannot commit the DuckDB transaction")?;
    Ok(Synced {
        rows,
        total,
        indexes,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Whether the target table exists in the file.
fn exists(conn: &duckdb::Connection, target: &Target) -> anyhow::Result<bool> {
    let found: i64 = conn
        .query_row(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() \
             AND schema_name = ? AND table_name = ?",
            params![target.schema, target.table],
            |r| r.get(0),
        )
        .context("cannot read duckdb_tables()")?;
    Ok(found > 0)
}

/// The INSERT of the Parquet file's rows into `into`: each DuckDB column from its Parquet
/// column, or NULL. No ORDER BY: the rows keep the export's order (PostgreSQL's).
fn insert_sql(into: &str, mapping: &[(String, Option<String>)], parquet: &Path) -> String {
    let columns: Vec<String> = mapping
        .iter()
        .map(|(name, _)| schemactl_duckdb::ident(name))
        .collect();
    let values: Vec<String> = mapping
        .iter()
        .map(|(_, from)| {
            from.as_deref()
                .map_or("NULL".into(), schemactl_duckdb::ident)
        })
        .collect();
    format!(
        "INSERT INTO {into} ({}) SELECT {} FROM read_parquet({})",
        columns.join(", "),
        values.join(", "),
        literal(&parquet.to_string_lossy())
    )
}

/// The run, with its watermark, in `schemactl.export_runs`.
fn record(
    tx: &duckdb::Transaction<'_>,
    catalog: &str,
    target: &Target,
    load: &Load<'_>,
) -> anyhow::Result<()> {
    let watermark = load.outcome.watermark.or(load.previous);
    tx.execute_batch(&CREATE_RUNS.replace("{catalog}", catalog))
        .with_context(|| format!("cannot create {RUNS}"))?;
    tx.execute(
        &format!(
            "INSERT INTO {catalog}.{RUNS} VALUES (?, ?, now()::TIMESTAMP, ?, ?, ?, ?, make_timestamp(?), ?)"
        ),
        params![
            load.source.table,
            target.key(),
            load.incremental,
            load.outcome.read as i64,
            load.outcome.written as i64,
            load.outcome.rejected as i64,
            watermark,
            load.parquet.to_string_lossy().to_string()
        ],
    )
    .with_context(|| format!("cannot record the run in {RUNS}"))?;
    Ok(())
}

/// Creates the model's indexes of the table that are not there yet; returns their names.
fn build_indexes(tx: &duckdb::Transaction<'_>, target: &Target) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    for index in schemactl_duckdb::table_indexes(&target.model, &target.schema, &target.table) {
        let present: i64 = tx
            .query_row(
                "SELECT count(*) FROM duckdb_indexes() WHERE schema_name = ? AND index_name = ?",
                params![target.schema, index.name],
                |r| r.get(0),
            )
            .context("cannot read duckdb_indexes()")?;
        if present == 0 {
            tx.execute_batch(&index.create)
                .with_context(|| format!("cannot build index {}", index.name))?;
        }
        names.push(index.name);
    }
    Ok(names)
}

/// A SQL string literal (DuckDB takes no parameter for a table function's file).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
