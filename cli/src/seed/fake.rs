//! `schemactl seed --fake schema.table=N,…`: synthetic rows for any table of the model.
//!
//! Exactly N rows per named table, parents before children, in one transaction. Foreign
//! keys take their values from the parent's rows as they are at that point of the
//! transaction (existing rows plus the ones just generated), so there are no orphans.
//! Keys never collide across runs: UUIDs are random, integer keys continue after the
//! largest existing one, text keys carry a per-run tag, and serial or identity columns are
//! left to their sequences.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use fastrand::Rng;
use sea_orm::sqlx::postgres::{PgConnection, PgPool};
use sea_orm::sqlx::{self};

use super::bulk;
use super::fake_values::{self as values, Allowed};
use super::load::table_name;
use super::pg;
use super::types::{self, Kind};
use crate::catalog::{Catalog, ColumnDef, QName, TableDef};
use crate::sql;

/// Rows generated and sent per COPY chunk: memory stays flat on large counts.
const BATCH: usize = 20_000;

/// Attempts at a fresh combination for a unique key made of picked values.
const RETRIES: usize = 100;

/// Share of nullable columns left NULL.
const NULL_SHARE: f64 = 0.1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeSpec {
    pub table: QName,
    pub rows: u64,
}

/// Parses `schema.table=N` items (a list may also come comma-separated in one item).
pub fn parse_specs(items: &[String], catalog: &Catalog) -> anyhow::Result<Vec<FakeSpec>> {
    let mut out: Vec<FakeSpec> = Vec::new();
    for item in items
        .iter()
        .flat_map(|i| i.split(','))
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        let (table, n) = item
            .split_once('=')
            .ok_or_else(|| anyhow!("expected schema.table=N, got {item:?}"))?;
        let rows: u64 = n
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|_| anyhow!("{item:?}: the row count must be a whole number"))?;
        let table = table_name(table.trim(), catalog)?;
        if out.iter().any(|s| s.table == table) {
            bail!("{table} is named twice in --fake");
        }
        out.push(FakeSpec { table, rows });
    }
    if out.is_empty() {
        bail!("--fake needs at least one schema.table=N");
    }
    Ok(out)
}

#[derive(Debug, Clone, Default)]
pub struct FakeReport {
    pub tables: Vec<(QName, u64)>,
    pub elapsed: Duration,
}

/// How one column of a synthetic row gets its value.
#[derive(Debug, Clone)]
enum Source {
    /// Part of a unique key: a fresh integer after the largest existing one.
    NextInt,
    /// Part of a unique key: text with a per-run tag and a counter.
    Tagged,
    /// Position within the chosen parent row of foreign key `fk`.
    Parent {
        fk: usize,
        part: usize,
    },
    Random {
        kind: Kind,
        allowed: Allowed,
        nullable: bool,
    },
    Null,
}

struct Plan {
    columns: Vec<String>,
    sources: Vec<Source>,
    /// Parent key tuples per foreign key of the table (empty for FKs not used).
    parents: Vec<Vec<Vec<String>>>,
    fk_nullable: Vec<bool>,
    /// Unique keys whose values are picked rather than counted: column positions and the
    /// tuples already taken.
    picked_uniques: Vec<(Vec<usize>, HashSet<String>)>,
    next_int: Vec<i64>,
}

pub async fn fake(
    pool: &PgPool,
    catalog: &Catalog,
    specs: &[FakeSpec],
    seed: Option<u64>,
) -> anyhow::Result<FakeReport> {
    let started = Instant::now();
    let mut rng = seed.map(Rng::with_seed).unwrap_or_default();
    // Keys come from entropy even with a fixed seed, so repeated runs never collide.
    let mut key_rng = Rng::new();
    let tag = format!("{:06x}", key_rng.u32(..0x00ff_ffff));
    let order = pg::fk_order(
        catalog,
        &specs.iter().map(|s| s.table.clone()).collect::<Vec<_>>(),
    );
    let mut txn = pool
        .begin()
        .await
        .map_err(|e| anyhow!("cannot begin the transaction: {}", pg::server_message(&e)))?;
    pg::as_owner(&mut txn, catalog).await?;
    let mut report = FakeReport::default();
    for table in &order {
        let Some(spec) = specs.iter().find(|s| s.table == *table) else {
            continue;
        };
        let def = catalog
            .tables
            .get(table)
            .ok_or_else(|| anyhow!("the model has no table {table}"))?;
        let mut plan = plan(&mut txn, catalog, table, def).await?;
        // A load that at least doubles the table builds its indexes and validates its
        // foreign keys once, after the rows are in (see `bulk`).
        let set_aside = if bulk::worthwhile(&mut txn, table, spec.rows).await? {
            bulk::set_aside(&mut txn, table).await?
        } else {
            bulk::SetAside::default()
        };
        let rows = generate(
            &mut txn,
            table,
            &mut plan,
            spec.rows,
            &mut rng,
            &mut key_rng,
            &tag,
        )
        .await
        .map_err(|e| anyhow!("{e}\nnothing was added: the transaction was rolled back"))?;
        set_aside.restore(&mut txn).await.map_err(|e| {
            anyhow!("{table}: {e}\nnothing was added: the transaction was rolled back")
        })?;
        report.tables.push((table.clone(), rows));
    }
    txn.commit()
        .await
        .map_err(|e| anyhow!("commit failed: {}", pg::server_message(&e)))?;
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn plan(
    conn: &mut PgConnection,
    catalog: &Catalog,
    table: &QName,
    def: &TableDef,
) -> anyhow::Result<Plan> {
    let checks: Vec<(String, Allowed)> = def
        .checks
        .iter()
        .filter_map(|c| values::simple_check(&c.expression))
        .collect();
    // Columns named in checks the generator cannot read: NULL satisfies the usual
    // "x IS NULL OR x >= y" form, so nullable ones stay NULL.
    let opaque: HashSet<&str> = def
        .checks
        .iter()
        .filter(|c| values::simple_check(&c.expression).is_none())
        .flat_map(|c| {
            def.columns
                .iter()
                .filter(|col| mentions(&c.expression, &col.name))
                .map(|col| col.name.as_str())
        })
        .collect();
    let mut unique_keys: Vec<&Vec<String>> = def.uniques.iter().map(|u| &u.columns).collect();
    if let Some(pk) = &def.primary_key {
        unique_keys.push(&pk.columns);
    }
    let fk_of = |name: &str| -> Option<(usize, usize)> {
        def.foreign_keys
            .iter()
            .enumerate()
            .find_map(|(i, fk)| fk.columns.iter().position(|c| c == name).map(|p| (i, p)))
    };
    let mut plan = Plan {
        columns: Vec::new(),
        sources: Vec::new(),
        parents: vec![Vec::new(); def.foreign_keys.len()],
        fk_nullable: def
            .foreign_keys
            .iter()
            .map(|fk| {
                fk.columns
                    .iter()
                    .all(|c| def.column(c).is_some_and(|c| c.nullable))
            })
            .collect(),
        picked_uniques: Vec::new(),
        next_int: Vec::new(),
    };
    for column in &def.columns {
        if column.generated.is_some() || column.serial.is_some() || column.identity.is_some() {
            continue;
        }
        let kind = types::kind_of(&column.ty, catalog);
        let keyed = unique_keys.iter().any(|k| k.contains(&column.name));
        let source = if let Some((fk, part)) = fk_of(&column.name) {
            Source::Parent { fk, part }
        } else if keyed && matches!(kind, Kind::Int(_)) {
            let max = max_of(conn, table, column).await?;
            plan.next_int.push(max + 1);
            Source::NextInt
        } else if keyed && matches!(kind, Kind::Text(_)) {
            Source::Tagged
        } else if opaque.contains(column.name.as_str()) && column.nullable {
            Source::Null
        } else {
            let allowed = checks
                .iter()
                .find(|(c, _)| *c == column.name)
                .map(|(_, a)| a.clone())
                .unwrap_or_default();
            let generable =
                values::value(&mut Rng::with_seed(0), &kind, &column.name, &allowed).is_some();
            match (generable, column.nullable, column.default.is_some()) {
                (true, ..) => Source::Random {
                    kind,
                    allowed,
                    nullable: column.nullable && !keyed,
                },
                (false, _, true) => continue,
                (false, true, false) => Source::Null,
                (false, false, false) => bail!(
                    "{table}.{}: cannot generate values of type {} and the column is NOT NULL without a default",
                    column.name,
                    column.ty
                ),
            }
        };
        plan.columns.push(column.name.clone());
        plan.sources.push(source);
    }
    for (i, fk) in def.foreign_keys.iter().enumerate() {
        if !fk.columns.iter().all(|c| plan.columns.contains(c)) {
            continue;
        }
        let keys = key_tuples(conn, &fk.references, &fk.referenced_columns).await?;
        // A nullable key could stay NULL, but rows that point nowhere are rarely what a
        // synthetic load wants; only a self-reference may start empty.
        if keys.is_empty() && (fk.references != *table || !plan.fk_nullable[i]) {
            bail!(
                "{table}: {} has no rows for foreign key {} to point at; add {}=N to --fake",
                fk.references,
                fk.name,
                fk.references
            );
        }
        plan.parents[i] = keys
            .into_iter()
            .map(|k| k.split('\u{1f}').map(str::to_string).collect())
            .collect();
    }
    // A unique key without a counted or random-UUID column can repeat: remember what is
    // taken, in the database and in this run.
    for key in unique_keys {
        let positions: Option<Vec<usize>> = key
            .iter()
            .map(|c| plan.columns.iter().position(|n| n == c))
            .collect();
        let Some(positions) = positions else { continue };
        let counted = positions.iter().any(|p| {
            matches!(
                plan.sources.get(*p),
                Some(
                    Source::NextInt
                        | Source::Tagged
                        | Source::Random {
                            kind: Kind::Uuid,
                            ..
                        }
                )
            )
        });
        if !counted {
            let taken = key_tuples(conn, table, key).await?.into_iter().collect();
            plan.picked_uniques.push((positions, taken));
        }
    }
    Ok(plan)
}

fn mentions(expression: &str, column: &str) -> bool {
    expression
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| w == column)
}

async fn max_of(conn: &mut PgConnection, table: &QName, column: &ColumnDef) -> anyhow::Result<i64> {
    let statement = format!(
        "SELECT COALESCE(max({})::bigint, 0) FROM {}",
        sql::ident(&column.name),
        table.sql()
    );
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(statement))
        .fetch_one(conn)
        .await
        .map_err(|e| {
            anyhow!(
                "cannot read the largest {table}.{}: {}",
                column.name,
                pg::server_message(&e)
            )
        })
}

/// Every key tuple of `table (columns)` as text, parts separated by U+001F.
async fn key_tuples(
    conn: &mut PgConnection,
    table: &QName,
    columns: &[String],
) -> anyhow::Result<Vec<String>> {
    let parts: Vec<String> = columns
        .iter()
        .map(|c| format!("{}::text", sql::ident(c)))
        .collect();
    let not_null: Vec<String> = columns
        .iter()
        .map(|c| format!("{} IS NOT NULL", sql::ident(c)))
        .collect();
    let statement = format!(
        "SELECT concat_ws(E'\\x1f', {}) FROM {} WHERE {}",
        parts.join(", "),
        table.sql(),
        not_null.join(" AND ")
    );
    sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(statement))
        .fetch_all(conn)
        .await
        .map_err(|e| {
            anyhow!(
                "cannot read the keys of {table}: {}",
                pg::server_message(&e)
            )
        })
}

/// Generates `rows` rows into a COPY of `table`: a generator thread writes COPY text in
/// chunks of [`BATCH`] rows while this task sends the previous chunk, so generation and
/// the server's work overlap. The random generators are handed back, so a fixed
/// `--rng-seed` stays reproducible across tables.
async fn generate(
    conn: &mut PgConnection,
    table: &QName,
    plan: &mut Plan,
    rows: u64,
    rng: &mut Rng,
    key_rng: &mut Rng,
    tag: &str,
) -> anyhow::Result<u64> {
    if rows == 0 {
        return Ok(0);
    }
    let statement = format!(
        "COPY {} ({}) FROM STDIN (FORMAT text)",
        table.sql(),
        sql::ident_list(&plan.columns)
    );
    let bar = pg::progress(rows, &format!("fake {table}"), "rows");
    let mut copy = conn.copy_in_raw(&statement).await.map_err(|e| {
        anyhow!(
            "COPY into {table} failed to start: {}",
            pg::server_message(&e)
        )
    })?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<anyhow::Result<(Vec<u8>, u64)>>(IN_FLIGHT);
    let mut job = Generator {
        plan: std::mem::replace(plan, Plan::empty()),
        rng: rng.clone(),
        key_rng: key_rng.clone(),
        tag: tag.to_string(),
        rows,
    };
    let worker = std::thread::spawn(move || {
        job.run(&tx);
        job
    });
    let mut done = 0;
    let mut failure = None;
    let mut busy = std::time::Duration::ZERO;
    while let Some(chunk) = rx.recv().await {
        let (buf, count) = match chunk {
            Ok(c) => c,
            Err(e) => {
                failure = Some(anyhow!("{table}: {e}"));
                break;
            }
        };
        let sending = Instant::now();
        if let Err(e) = copy.send(buf).await {
            failure = Some(anyhow!(
                "COPY into {table} failed: {}",
                pg::server_message(&e)
            ));
            break;
        }
        busy += sending.elapsed();
        done += count;
        bar.set_position(done);
    }
    drop(rx);
    let job = worker
        .join()
        .map_err(|_| anyhow!("the row generator for {table} panicked"))?;
    *plan = job.plan;
    *rng = job.rng;
    *key_rng = job.key_rng;
    if let Some(err) = failure {
        let _ = copy.abort("generation failed").await;
        return Err(err);
    }
    let count = copy
        .finish()
        .await
        .map_err(|e| anyhow!("COPY into {table} failed: {}", pg::server_message(&e)))?;
    bar.finish_and_clear();
    tracing::debug!("{table}: {count} rows, {busy:?} waiting on sends");
    Ok(count)
}

/// Chunks of generated rows in flight between the generator thread and the sender.
const IN_FLIGHT: usize = 4;

/// What the generator thread owns.
struct Generator {
    plan: Plan,
    rng: Rng,
    key_rng: Rng,
    tag: String,
    rows: u64,
}

impl Generator {
    fn run(&mut self, tx: &tokio::sync::mpsc::Sender<anyhow::Result<(Vec<u8>, u64)>>) {
        let mut fields: Vec<Option<String>> = Vec::with_capacity(self.plan.columns.len());
        let mut counter: u64 = 0;
        let mut done = 0;
        while done < self.rows {
            let batch = (self.rows - done).min(BATCH as u64);
            let mut buf = Vec::with_capacity(BATCH * 128);
            for _ in 0..batch {
                counter += 1;
                let made = row(
                    &mut self.plan,
                    &mut self.rng,
                    &mut self.key_rng,
                    &self.tag,
                    counter,
                    &mut fields,
                );
                if let Err(e) = made {
                    let _ = tx.blocking_send(Err(e));
                    return;
                }
                types::push_row(&mut buf, fields.iter().map(|f| f.as_deref()));
            }
            done += batch;
            if tx.blocking_send(Ok((buf, batch))).is_err() {
                return;
            }
        }
    }
}

impl Plan {
    fn empty() -> Plan {
        Plan {
            columns: Vec::new(),
            sources: Vec::new(),
            parents: Vec::new(),
            fk_nullable: Vec::new(),
            picked_uniques: Vec::new(),
            next_int: Vec::new(),
        }
    }
}

/// Fills `fields` with one row.
fn row(
    plan: &mut Plan,
    rng: &mut Rng,
    key_rng: &mut Rng,
    tag: &str,
    counter: u64,
    fields: &mut Vec<Option<String>>,
) -> anyhow::Result<()> {
    for _ in 0..RETRIES {
        fields.clear();
        let chosen: Vec<Option<usize>> = plan
            .parents
            .iter()
            .enumerate()
            .map(|(i, keys)| {
                if keys.is_empty() || (plan.fk_nullable[i] && rng.f64() < NULL_SHARE / 2.0) {
                    None
                } else {
                    Some(rng.usize(..keys.len()))
                }
            })
            .collect();
        let mut ints = 0;
        for source in &plan.sources {
            let value = match source {
                Source::NextInt => {
                    let v = plan.next_int.get_mut(ints).map(|n| {
                        let v = *n;
                        *n += 1;
                        v
                    });
                    ints += 1;
                    v.map(|v| v.to_string())
                }
                Source::Tagged => {
                    let column = plan.columns.get(fields.len()).map(String::as_str);
                    // Text ids look like Prisma's cuids: `c`, the run tag, a counter.
                    Some(match column {
                        Some(c) if c.to_ascii_lowercase().ends_with("id") => {
                            format!("c{tag}{counter:018}")
                        }
                        _ => format!("fake-{tag}-{counter}"),
                    })
                }
                Source::Parent { fk, part } => chosen
                    .get(*fk)
                    .copied()
                    .flatten()
                    .and_then(|i| plan.parents.get(*fk)?.get(i)?.get(*part).cloned()),
                Source::Random {
                    kind,
                    allowed,
                    nullable,
                } => {
                    if *nullable && rng.f64() < NULL_SHARE {
                        None
                    } else if *kind == Kind::Uuid {
                        Some(values::uuid(key_rng))
                    } else {
                        let column = plan
                            .columns
                            .get(fields.len())
                            .map(String::as_str)
                            .unwrap_or("");
                        values::value(rng, kind, column, allowed)
                    }
                }
                Source::Null => None,
            };
            fields.push(value);
        }
        let keys: Vec<Option<String>> = plan
            .picked_uniques
            .iter()
            .map(|(positions, _)| {
                let parts: Option<Vec<&str>> = positions
                    .iter()
                    .map(|p| fields.get(*p).and_then(|f| f.as_deref()))
                    .collect();
                parts.map(|p| p.join("\u{1f}"))
            })
            .collect();
        let fresh = plan
            .picked_uniques
            .iter()
            .zip(&keys)
            .all(|((_, taken), key)| key.as_ref().is_none_or(|k| !taken.contains(k)));
        if fresh {
            for ((_, taken), key) in plan.picked_uniques.iter_mut().zip(keys) {
                if let Some(key) = key {
                    taken.insert(key);
                }
            }
            return Ok(());
        }
    }
    bail!(
        "no unused combination for a unique key after {RETRIES} attempts: the parent tables have too few rows for this many"
    )
}
