//! Runs one case in a transaction that is always rolled back: settings, `SET LOCAL ROLE`,
//! setup, the check.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use super::cases::{Case, Check, Context, Target};
use crate::db;
use crate::model::{Denial, Expectation};
use crate::sql::{ident, literal};

/// SQLSTATE insufficient_privilege: missing privileges and policy violations alike.
const INSUFFICIENT_PRIVILEGE: &str = "42501";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail(String),
    /// Nothing to try (no row a policy refuses, no row the role may update).
    Skip(String),
}

/// A statement's error, as the checks compare it.
struct Failure {
    sqlstate: Option<String>,
    message: String,
}

impl Failure {
    fn of(err: &DbErr) -> Failure {
        Failure {
            sqlstate: db::sqlstate(err),
            message: db::describe(err),
        }
    }

    /// Policy violations and missing privileges share SQLSTATE 42501; only the message
    /// (in English: the session sets `lc_messages = 'C'`) tells them apart.
    fn is_rls(&self) -> bool {
        self.message.contains("row-level security")
    }

    fn denial(&self) -> Option<Denial> {
        match self.sqlstate.as_deref() {
            Some(INSUFFICIENT_PRIVILEGE) if self.is_rls() => Some(Denial::RlsViolation),
            Some(INSUFFICIENT_PRIVILEGE) => Some(Denial::PermissionDenied),
            _ => None,
        }
    }

    fn show(&self) -> String {
        format!(
            "{} (SQLSTATE {})",
            self.message.lines().next().unwrap_or_default(),
            self.sqlstate.as_deref().unwrap_or("none")
        )
    }
}

async fn exec(conn: &DatabaseConnection, sql: &str) -> Result<u64, Failure> {
    tracing::debug!("{sql}");
    conn.execute_unprepared(sql)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| Failure::of(&e))
}

async fn counts(conn: &DatabaseConnection, sql: &str) -> Result<Vec<i64>, Failure> {
    tracing::debug!("{sql}");
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            sql.to_string(),
        ))
        .await
        .map_err(|e| Failure::of(&e))?;
    let Some(row) = row else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut i = 0;
    while let Ok(value) = row.try_get_by_index::<i64>(i) {
        out.push(value);
        i += 1;
    }
    Ok(out)
}

async fn text(conn: &DatabaseConnection, sql: &str) -> Result<Option<String>, Failure> {
    tracing::debug!("{sql}");
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            sql.to_string(),
        ))
        .await
        .map_err(|e| Failure::of(&e))?;
    Ok(row.and_then(|r| r.try_get_by_index::<String>(0).ok()))
}

/// Runs a case; the connection is back outside any transaction afterwards.
pub async fn run(conn: &DatabaseConnection, case: &Case) -> anyhow::Result<Verdict> {
    exec(conn, "BEGIN")
        .await
        .map_err(|f| anyhow::anyhow!("cannot begin a transaction: {}", f.show()))?;
    let verdict = match enter(conn, &case.role, &case.context).await {
        Err(why) => Verdict::Fail(why),
        Ok(()) => check(conn, case).await,
    };
    exec(conn, "ROLLBACK")
        .await
        .map_err(|f| anyhow::anyhow!("cannot roll back: {}", f.show()))?;
    Ok(verdict)
}

async fn enter(conn: &DatabaseConnection, role: &str, context: &Context) -> Result<(), String> {
    for (name, value) in &context.settings {
        let sql = format!(
            "SELECT set_config({}, {}, true)",
            literal(name),
            literal(value)
        );
        exec(conn, &sql)
            .await
            .map_err(|f| format!("setting {name} failed: {}", f.show()))?;
    }
    exec(conn, &format!("SET LOCAL ROLE {}", ident(role)))
        .await
        .map_err(|f| format!("SET ROLE {role} failed: {}", f.show()))?;
    for setup in &context.setup {
        exec(conn, setup)
            .await
            .map_err(|f| format!("setup `{}` failed: {}", setup.trim(), f.show()))?;
    }
    Ok(())
}

async fn check(conn: &DatabaseConnection, case: &Case) -> Verdict {
    match &case.check {
        Check::Written { sql, expect } => written(conn, sql, expect).await,
        Check::Denied { sql } => denied(exec(conn, sql).await, Denial::PermissionDenied),
        Check::Visible { target, predicate } => visible(conn, &case.role, target, predicate).await,
        Check::Refused {
            target,
            predicate,
            update,
            reads,
        } => {
            let reader = reads.then_some(case.role.as_str());
            refused(conn, reader, target, predicate, *update).await
        }
    }
}

/// The verdict on a statement expected to be refused with `denial`.
fn denied(result: Result<u64, Failure>, denial: Denial) -> Verdict {
    match result {
        Ok(rows) => Verdict::Fail(format!(
            "the statement succeeded ({rows} row(s)); expected {}",
            denial.as_str()
        )),
        Err(failure) => match failure.denial() {
            Some(got) if denial == Denial::Denied || got == denial => Verdict::Pass,
            Some(got) => Verdict::Fail(format!(
                "expected {}, got {}: {}",
                denial.as_str(),
                got.as_str(),
                failure.show()
            )),
            None => Verdict::Fail(format!(
                "expected {}, got another error: {}",
                denial.as_str(),
                failure.show()
            )),
        },
    }
}

/// The statement without the semicolon and blanks that end it, to be nested in a query.
fn nested(sql: &str) -> &str {
    sql.trim().trim_end_matches(';').trim_end()
}

async fn written(conn: &DatabaseConnection, sql: &str, expect: &Expectation) -> Verdict {
    if let Some(denial) = expect.fails {
        return denied(exec(conn, sql).await, denial);
    }
    if let Some(code) = &expect.sqlstate {
        return match exec(conn, sql).await {
            Ok(rows) => Verdict::Fail(format!(
                "the statement succeeded ({rows} row(s)); expected SQLSTATE {code}"
            )),
            Err(f) if f.sqlstate.as_deref() == Some(code.as_str()) => Verdict::Pass,
            Err(f) => Verdict::Fail(format!("expected SQLSTATE {code}, got: {}", f.show())),
        };
    }
    let (rows, outside) = match &expect.all {
        Some(all) => {
            let query = format!(
                "SELECT count(*), count(*) FILTER (WHERE NOT coalesce(({all}), false)) \
                 FROM ({}) AS t",
                nested(sql)
            );
            match counts(conn, &query).await {
                Ok(c) if c.len() == 2 => (c[0] as u64, c[1]),
                Ok(_) => return Verdict::Fail("the count returned no row".into()),
                Err(f) => return Verdict::Fail(format!("the query failed: {}", f.show())),
            }
        }
        None => match exec(conn, sql).await {
            Ok(rows) => (rows, 0),
            Err(f) => return Verdict::Fail(format!("the statement failed: {}", f.show())),
        },
    };
    let mut problems = Vec::new();
    if let Some(want) = expect.rows
        && want != rows
    {
        problems.push(format!("{rows} row(s), expected {want}"));
    }
    if outside > 0 {
        let all = expect.all.as_deref().unwrap_or_default();
        problems.push(format!("{outside} of {rows} row(s) do not satisfy `{all}`"));
    }
    if problems.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Fail(problems.join("; "))
    }
}

/// Switches the table's row-level security off and the role (when given, else the dev
/// server's user) back on, inside a savepoint that [`probe_end`] rolls back (restoring
/// both).
async fn probe_start(
    conn: &DatabaseConnection,
    role: Option<&str>,
    target: &Target,
) -> Result<(), String> {
    let mut enter = vec![
        "SAVEPOINT schemactl_probe".to_string(),
        "RESET ROLE".to_string(),
        format!(
            "ALTER TABLE {} DISABLE ROW LEVEL SECURITY",
            target.qualified
        ),
    ];
    enter.extend(role.map(|r| format!("SET LOCAL ROLE {}", ident(r))));
    for sql in &enter {
        exec(conn, sql)
            .await
            .map_err(|f| format!("`{sql}` failed: {}", f.show()))?;
    }
    Ok(())
}

async fn probe_end(conn: &DatabaseConnection) -> Result<(), String> {
    exec(conn, "ROLLBACK TO SAVEPOINT schemactl_probe")
        .await
        .map(|_| ())
        .map_err(|f| format!("cannot roll back the probe: {}", f.show()))
}

async fn visible(
    conn: &DatabaseConnection,
    role: &str,
    target: &Target,
    predicate: &str,
) -> Verdict {
    let table = &target.qualified;
    let seen = format!(
        "SELECT count(*), count(*) FILTER (WHERE NOT coalesce(({predicate}), false)) FROM {table}"
    );
    let (visible, outside) = match counts(conn, &seen).await {
        Ok(c) if c.len() == 2 => (c[0], c[1]),
        Ok(_) => return Verdict::Fail("the count returned no row".into()),
        Err(f) => return Verdict::Fail(format!("reading {table} failed: {}", f.show())),
    };
    let allowed =
        format!("SELECT count(*) FILTER (WHERE coalesce(({predicate}), false)) FROM {table}");
    if let Err(why) = probe_start(conn, Some(role), target).await {
        return Verdict::Fail(why);
    }
    let read = counts(conn, &allowed).await;
    if let Err(why) = probe_end(conn).await {
        return Verdict::Fail(why);
    }
    let allowed = match read {
        Ok(c) => c.first().copied().unwrap_or(-1),
        Err(f) => return Verdict::Fail(format!("`{allowed}` failed: {}", f.show())),
    };
    if visible == allowed && outside == 0 {
        Verdict::Pass
    } else {
        Verdict::Fail(format!(
            "{visible} row(s) visible, {outside} of them outside the policies; the policies \
             allow {allowed} row(s) (USING: {predicate})"
        ))
    }
}

async fn refused(
    conn: &DatabaseConnection,
    reader: Option<&str>,
    target: &Target,
    predicate: &str,
    update: bool,
) -> Verdict {
    let table = &target.qualified;
    let find = format!(
        "SELECT {}::text FROM {table} WHERE NOT coalesce(({predicate}), false) LIMIT 1",
        target.row
    );
    if let Err(why) = probe_start(conn, reader, target).await {
        return Verdict::Fail(why);
    }
    let read = text(conn, &find).await;
    if let Err(why) = probe_end(conn).await {
        return Verdict::Fail(why);
    }
    let row = match read {
        Ok(Some(row)) => row,
        Ok(None) => {
            return Verdict::Skip(format!(
                "no seed row of {table} that the WITH CHECK refuses in this session"
            ));
        }
        Err(f) => return Verdict::Fail(format!("`{find}` failed: {}", f.show())),
    };
    let source = format!("(SELECT {}::{table} AS r) AS s", literal(&row));
    let statement = if update {
        let columns = &target.updatable;
        let values: Vec<String> = columns
            .iter()
            .map(|c| format!("(r).{}", ident(c)))
            .collect();
        format!(
            "UPDATE {table} SET ({}) = (SELECT {} FROM {source}) WHERE (tableoid, ctid) = \
             (SELECT tableoid, ctid FROM {table} LIMIT 1)",
            crate::sql::ident_list(columns),
            values.join(", ")
        )
    } else {
        let columns = &target.insertable;
        let values: Vec<String> = columns
            .iter()
            .map(|c| format!("(r).{}", ident(c)))
            .collect();
        let overriding = if target.identity {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        format!(
            "INSERT INTO {table} ({}){overriding} SELECT {} FROM {source}",
            crate::sql::ident_list(columns),
            values.join(", ")
        )
    };
    match exec(conn, &statement).await {
        Ok(0) if update => Verdict::Skip(format!("no row of {table} the role may update")),
        result => denied(result, Denial::RlsViolation),
    }
}
