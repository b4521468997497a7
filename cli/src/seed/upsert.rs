//! Upsert loads: COPY data into a table that may already hold some of its rows.
//!
//! COPY cannot resolve conflicts, so rows that may exist go through a temporary table of the
//! loaded columns (dropped at once) and one `INSERT … SELECT … ON CONFLICT` from there. When the caller can say which key values the
//! data holds and none of them is in the table yet ([`ExistingKeys`]), the rows are COPYed
//! straight in: the common first load pays nothing for the upsert.
//!
//! Used by `schemactl load --upsert` (the conflict target is the table's primary key in the
//! model, every loaded column is updated) and by programs built on this library, such as
//! the Steam example's two-pass import (`examples/steam`).

use anyhow::{anyhow, bail};
use sea_orm::sqlx::{self, postgres::PgConnection};

use super::pg::{self, server_message};
use crate::catalog::{QName, TableDef};
use crate::sql;

/// What happens to a row whose key is already in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnConflict {
    /// The existing row stays as it is (`ON CONFLICT DO NOTHING`).
    Keep,
    /// The existing row takes these columns from the loaded one; `touch` names a column set
    /// to `now()` on such an update (an `updated_at` the data does not carry).
    Update {
        columns: Vec<String>,
        touch: Option<String>,
    },
}

/// How a batch of COPY rows goes into a table that may hold some of them.
#[derive(Debug, Clone)]
pub struct UpsertLoad {
    pub table: QName,
    /// The columns of the COPY data, in order.
    pub columns: Vec<String>,
    /// The conflict target: the columns of the primary key or of a unique key.
    pub key: Vec<String>,
    pub on_conflict: OnConflict,
}

/// The values of one key column the data holds, to tell whether any is in the table.
#[derive(Debug, Clone, Copy)]
pub struct ExistingKeys<'a> {
    pub column: &'a str,
    /// The column's SQL type, e.g. `bigint` (the model's spelling).
    pub ty: &'a str,
    pub values: &'a [String],
}

impl UpsertLoad {
    /// The model's answer for `table`: its primary key is the conflict target, and an
    /// existing row takes every loaded column that is not part of the key.
    pub fn for_primary_key(
        name: &QName,
        table: &TableDef,
        columns: &[String],
    ) -> anyhow::Result<UpsertLoad> {
        let Some(key) = &table.primary_key else {
            bail!("{name} has no primary key in the model: an upsert has no key to match rows on")
        };
        let updates: Vec<String> = columns
            .iter()
            .filter(|c| !key.columns.contains(c))
            .cloned()
            .collect();
        Ok(UpsertLoad {
            table: name.clone(),
            columns: columns.to_vec(),
            key: key.columns.clone(),
            on_conflict: if updates.is_empty() {
                OnConflict::Keep
            } else {
                OnConflict::Update {
                    columns: updates,
                    touch: None,
                }
            },
        })
    }

    /// Loads `data` (COPY text rows of [`UpsertLoad::columns`]; `rows` of them, for the
    /// progress bar) and returns the rows inserted or updated. With `probe`, the rows are
    /// COPYed straight in when none of its values is in the table yet.
    pub async fn run(
        &self,
        conn: &mut PgConnection,
        data: &[u8],
        rows: usize,
        probe: Option<ExistingKeys<'_>>,
    ) -> anyhow::Result<u64> {
        if rows == 0 {
            return Ok(0);
        }
        if let Some(probe) = probe
            && keys_absent(conn, &self.table, probe).await?
        {
            return pg::copy_in(conn, &self.table, &self.columns, data, rows).await;
        }
        let table = &self.table;
        let stage = QName::new("pg_temp", format!("stage_{}", table.name));
        let list = sql::ident_list(&self.columns);
        // Only the loaded columns, with their types and no constraints: the target's own
        // defaults, identities and checks apply when the rows reach it.
        pg::exec(
            conn,
            &format!(
                "CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {list} FROM {} WITH NO DATA",
                stage.sql(),
                table.sql()
            ),
        )
        .await?;
        pg::copy_in(conn, &stage, &self.columns, data, rows).await?;
        let changed = pg::exec(
            conn,
            &format!(
                "INSERT INTO {} ({list}) SELECT {list} FROM {} {}",
                table.sql(),
                stage.sql(),
                self.conflict_clause()
            ),
        )
        .await
        .map_err(|e| anyhow!("{table}: {e}"))?;
        // Dropped now rather than at commit, so that another batch for the same table in
        // the same transaction can stage again.
        pg::exec(conn, &format!("DROP TABLE {}", stage.sql())).await?;
        Ok(changed)
    }

    /// `ON CONFLICT (key) DO UPDATE SET …`, or `ON CONFLICT DO NOTHING`.
    pub fn conflict_clause(&self) -> String {
        match &self.on_conflict {
            OnConflict::Keep => "ON CONFLICT DO NOTHING".to_string(),
            OnConflict::Update { columns, touch } => {
                let mut sets: Vec<String> = columns
                    .iter()
                    .filter(|c| Some(*c) != touch.as_ref())
                    .map(|c| format!("{0} = EXCLUDED.{0}", sql::ident(c)))
                    .collect();
                if let Some(touch) = touch {
                    sets.push(format!("{} = now()", sql::ident(touch)));
                }
                format!(
                    "ON CONFLICT ({}) DO UPDATE SET {}",
                    sql::ident_list(&self.key),
                    sets.join(", ")
                )
            }
        }
    }
}

/// Whether no row of `table` has one of the probe's values in its column.
pub async fn keys_absent(
    conn: &mut PgConnection,
    table: &QName,
    probe: ExistingKeys<'_>,
) -> anyhow::Result<bool> {
    let statement = format!(
        "SELECT NOT EXISTS (SELECT 1 FROM {t}) OR NOT EXISTS (SELECT 1 FROM {t} WHERE {k} = ANY($1::{ty}[]))",
        t = table.sql(),
        k = sql::ident(probe.column),
        ty = probe.ty
    );
    sqlx::query_scalar::<_, bool>(sqlx::AssertSqlSafe(statement))
        .bind(probe.values)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| {
            anyhow!(
                "cannot look for existing rows in {table}: {}",
                server_message(&e)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(on_conflict: OnConflict) -> UpsertLoad {
        UpsertLoad {
            table: QName::new("steam", "applications"),
            columns: vec!["appid".into(), "name".into(), "type".into()],
            key: vec!["appid".into()],
            on_conflict,
        }
    }

    #[test]
    fn conflict_clauses() {
        assert_eq!(
            load(OnConflict::Keep).conflict_clause(),
            "ON CONFLICT DO NOTHING"
        );
        let update = load(OnConflict::Update {
            columns: vec!["name".into(), "type".into(), "updated_at".into()],
            touch: Some("updated_at".into()),
        });
        assert_eq!(
            update.conflict_clause(),
            "ON CONFLICT (appid) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, updated_at = now()"
        );
    }
}
