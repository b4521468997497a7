//! Bulk mode for large loads: a table's secondary indexes and its own foreign keys are set
//! aside inside the load's transaction and put back, exactly as they were, before it commits.
//!
//! Maintaining a GIN or B-tree index row by row, and checking a foreign key with one
//! trigger query per row, costs several times more than building the index once from the
//! loaded rows and validating the foreign key with one anti-join. Because everything happens
//! in the caller's transaction, a failure anywhere (including a row that breaks a foreign
//! key, found by the validation) rolls the drops back with the rows: the database is as it
//! was. The price is the locks: readers of the tables wait until the commit.
//!
//! Kept in place: unique indexes and indexes that back a constraint (an upsert needs them
//! as its arbiter, and they enforce keys), the replica identity index, and everything on
//! partitioned tables and partitions (their indexes and keys are inherited).

use anyhow::{Context, anyhow};
use sea_orm::sqlx::postgres::PgConnection;
use sea_orm::sqlx::{self, Row as _};

use super::pg::{self, exec, server_message};
use crate::catalog::QName;

/// Memory for the index builds and FK validations of a bulk load, when the server's
/// setting is lower: a B-tree or GIN build that fits in memory sorts once.
const MAINTENANCE_WORK_MEM: &str = "256MB";

/// Indexes and foreign keys set aside, with the statements that put them back.
#[derive(Debug, Default)]
pub struct SetAside {
    /// `CREATE INDEX …` statements, each followed by its comment if it had one.
    indexes: Vec<Rebuild>,
    /// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …`, each followed by its comment.
    foreign_keys: Vec<String>,
    pub index_count: usize,
    pub foreign_key_count: usize,
}

/// One index to build again, with what follows its creation (comment, clustering).
#[derive(Debug)]
struct Rebuild {
    create: String,
    then: Vec<String>,
    /// For vector indexes (HNSW, IVFFlat): a query that tells whether the table holds few
    /// vectors. Such a build is done serially: a parallel one first sets up shared memory
    /// of `maintenance_work_mem`'s size, which costs more than indexing a few vectors.
    few_vectors: Option<String>,
}

/// Below this many vectors, a vector index is built without parallel workers.
const FEW_VECTORS: u32 = 10_000;

/// Whether bulk mode pays off: the table is an ordinary one the session owns, and the load
/// at least doubles it (fewer than `new_rows` rows exist). Rebuilding costs in proportion
/// to the whole table, per-row maintenance only to the new rows.
pub async fn worthwhile(
    conn: &mut PgConnection,
    table: &QName,
    new_rows: u64,
) -> anyhow::Result<bool> {
    if new_rows == 0 {
        return Ok(false);
    }
    let eligible: bool = sqlx::query_scalar(
        "SELECT c.relkind = 'r' AND NOT c.relispartition
                AND pg_has_role(current_user, c.relowner, 'USAGE')
           FROM pg_class c WHERE c.oid = to_regclass($1)",
    )
    .bind(table.sql())
    .fetch_optional(&mut *conn)
    .await
    .map_err(|e| anyhow!("cannot inspect {table}: {}", server_message(&e)))?
    .unwrap_or(false);
    if !eligible {
        return Ok(false);
    }
    // Counts at most `new_rows` existing rows: cheap on a large table.
    let limit = i64::try_from(new_rows).unwrap_or(i64::MAX);
    let existing: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM (SELECT 1 FROM {} LIMIT $1) s",
        table.sql()
    )))
    .bind(limit)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| anyhow!("cannot count the rows of {table}: {}", server_message(&e)))?;
    Ok(existing < limit)
}

/// Raises `maintenance_work_mem` for the rest of the transaction when it is lower.
pub async fn tune(conn: &mut PgConnection) -> anyhow::Result<()> {
    exec(
        conn,
        &format!(
            "SELECT set_config('maintenance_work_mem', '{MAINTENANCE_WORK_MEM}', true)
              WHERE pg_size_bytes(current_setting('maintenance_work_mem'))
                    < pg_size_bytes('{MAINTENANCE_WORK_MEM}')"
        ),
    )
    .await?;
    Ok(())
}

/// Drops the table's secondary indexes and foreign keys in the caller's transaction and
/// returns what puts them back.
pub async fn set_aside(conn: &mut PgConnection, table: &QName) -> anyhow::Result<SetAside> {
    let mut out = SetAside::default();
    // Foreign keys first: the table's own, not inherited, and only those the session may
    // add again (REFERENCES on the parent).
    let fks = sqlx::query(
        "SELECT quote_ident(k.conname),
                format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname,
                       pg_get_constraintdef(k.oid)),
                CASE WHEN d.description IS NOT NULL
                     THEN format('COMMENT ON CONSTRAINT %I ON %s IS %L', k.conname,
                                 k.conrelid::regclass, d.description) END
           FROM pg_constraint k
           LEFT JOIN pg_description d
                  ON d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass
          WHERE k.conrelid = to_regclass($1) AND k.contype = 'f' AND k.conparentid = 0
            AND has_table_privilege(k.confrelid, 'REFERENCES')
          ORDER BY k.conname",
    )
    .bind(table.sql())
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| {
        anyhow!(
            "cannot list the foreign keys of {table}: {}",
            server_message(&e)
        )
    })?;
    for row in fks {
        let name: String = row.try_get(0).context("constraint name")?;
        let add: String = row.try_get(1).context("constraint definition")?;
        let comment: Option<String> = row.try_get(2).context("constraint comment")?;
        exec(
            conn,
            &format!("ALTER TABLE {} DROP CONSTRAINT {name}", table.sql()),
        )
        .await?;
        out.foreign_keys.push(add);
        out.foreign_keys.extend(comment);
        out.foreign_key_count += 1;
    }
    let indexes = sqlx::query(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                pg_get_indexdef(i.indexrelid)
                  || CASE WHEN c.reltablespace <> 0
                          THEN ' TABLESPACE ' || quote_ident(t.spcname) ELSE '' END,
                CASE WHEN d.description IS NOT NULL
                     THEN format('COMMENT ON INDEX %s IS %L', i.indexrelid::regclass,
                                 d.description) END,
                CASE WHEN i.indisclustered
                     THEN format('ALTER TABLE %s CLUSTER ON %I', i.indrelid::regclass,
                                 c.relname) END,
                CASE WHEN am.amname IN ('hnsw', 'ivfflat')
                     THEN format('SELECT count(*) < $1 FROM (SELECT 1 FROM %s WHERE (%s) IS NOT NULL LIMIT $1) s',
                                 i.indrelid::regclass, pg_get_indexdef(i.indexrelid, 1, true)) END
           FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_am am ON am.oid = c.relam
           LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
           LEFT JOIN pg_description d
                  ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass
          WHERE i.indrelid = to_regclass($1)
            AND NOT i.indisunique AND NOT i.indisreplident AND i.indisvalid
            AND c.relkind = 'i'
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            AND NOT EXISTS (SELECT 1 FROM pg_depend p
                             WHERE p.classid = 'pg_class'::regclass
                               AND p.objid = i.indexrelid AND p.deptype = 'e')
          ORDER BY c.relname",
    )
    .bind(table.sql())
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| anyhow!("cannot list the indexes of {table}: {}", server_message(&e)))?;
    for row in indexes {
        let name: String = row.try_get(0).context("index name")?;
        let create: String = row.try_get(1).context("index definition")?;
        let comment: Option<String> = row.try_get(2).context("index comment")?;
        let cluster: Option<String> = row.try_get(3).context("index clustering")?;
        let few_vectors: Option<String> = row.try_get(4).context("index method")?;
        exec(conn, &format!("DROP INDEX {name}")).await?;
        out.indexes.push(Rebuild {
            create,
            then: comment.into_iter().chain(cluster).collect(),
            few_vectors,
        });
        out.index_count += 1;
    }
    if out.index_count + out.foreign_key_count > 0 {
        tracing::info!(
            "{table}: set aside {} index(es) and {} foreign key(s) for the load",
            out.index_count,
            out.foreign_key_count
        );
    }
    Ok(out)
}

impl SetAside {
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty() && self.foreign_keys.is_empty()
    }

    pub fn extend(&mut self, other: SetAside) {
        self.indexes.extend(other.indexes);
        self.foreign_keys.extend(other.foreign_keys);
        self.index_count += other.index_count;
        self.foreign_key_count += other.foreign_key_count;
    }

    /// Builds the indexes from the loaded rows, then adds the foreign keys back, each
    /// validated in one pass over the table. A row that points nowhere fails here, and
    /// with it the whole transaction.
    pub async fn restore(self, conn: &mut PgConnection) -> anyhow::Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        tune(conn).await?;
        for index in &self.indexes {
            let started = std::time::Instant::now();
            index.run(conn).await?;
            tracing::debug!("{} in {:?}", index.create, started.elapsed());
        }
        for statement in &self.foreign_keys {
            let started = std::time::Instant::now();
            pg::exec(conn, statement).await?;
            tracing::debug!("{statement} in {:?}", started.elapsed());
        }
        Ok(())
    }
}

impl Rebuild {
    async fn run(&self, conn: &mut PgConnection) -> anyhow::Result<()> {
        let serial = match &self.few_vectors {
            Some(probe) => sqlx::query_scalar::<_, bool>(sqlx::AssertSqlSafe(probe.as_str()))
                .bind(i64::from(FEW_VECTORS))
                .fetch_one(&mut *conn)
                .await
                .map_err(|e| anyhow!("cannot count vectors: {}", server_message(&e)))?,
            None => false,
        };
        if serial {
            let workers: String =
                sqlx::query_scalar("SELECT current_setting('max_parallel_maintenance_workers')")
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(|e| anyhow!("cannot read a setting: {}", server_message(&e)))?;
            exec(conn, "SET LOCAL max_parallel_maintenance_workers = 0").await?;
            exec(conn, &self.create).await?;
            sqlx::query("SELECT set_config('max_parallel_maintenance_workers', $1, true)")
                .bind(workers)
                .execute(&mut *conn)
                .await
                .map_err(|e| anyhow!("cannot restore a setting: {}", server_message(&e)))?;
        } else {
            exec(conn, &self.create).await?;
        }
        for statement in &self.then {
            exec(conn, statement).await?;
        }
        Ok(())
    }
}
