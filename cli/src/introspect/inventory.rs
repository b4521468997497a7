//! The inventory of what a database holds in the managed schemas that the model cannot
//! express (`inventory.sql`): window functions, aggregates it cannot write, extended statistics, …
//! by kind and name. Introspection does not read these into the catalog, so
//! a plan would neither keep nor drop them knowingly; `plan`, `drift` and `pull` print
//! this list instead, every time.

use std::fmt;

use sea_orm::{DatabaseConnection, Value};

use super::{Session, get};
use crate::model::{Unmanaged, UnmanagedKind};

const INVENTORY: &str = include_str!("inventory.sql");

/// One object or attribute the model cannot express.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    pub kind: UnmanagedKind,
    /// Schema-qualified and quoted as PostgreSQL quotes it.
    pub name: String,
    /// What makes it unexpressible.
    pub detail: String,
}

impl Item {
    /// The model entry that records it.
    pub fn to_unmanaged(&self) -> Unmanaged {
        Unmanaged {
            kind: self.kind,
            name: self.name.clone(),
            detail: (!self.detail.is_empty()).then(|| self.detail.clone()),
        }
    }

    /// Whether the model records this item under `unmanaged`.
    pub fn recorded_in(&self, recorded: &[Unmanaged]) -> bool {
        recorded
            .iter()
            .any(|u| u.kind == self.kind && u.name == self.name)
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.as_str(), self.name)?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// Lists what the schemas `schemas` hold that the model cannot express, sorted by kind
/// and name. A kind the query reports that this build does not know is an error.
pub async fn inventory(conn: &DatabaseConnection, schemas: &[String]) -> anyhow::Result<Vec<Item>> {
    let mut session = Session::begin(conn, None).await?;
    let items = read(&mut session, schemas).await?;
    session.finish().await?;
    Ok(items)
}

pub(super) async fn read(session: &mut Session, schemas: &[String]) -> anyhow::Result<Vec<Item>> {
    let rows = session
        .rows(INVENTORY, vec![Value::from(schemas.to_vec())])
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = get(&row, "kind")?;
        let name: String = get(&row, "name")?;
        let kind = UnmanagedKind::parse(&kind)
            .ok_or_else(|| anyhow::anyhow!("inventory: unknown kind `{kind}` for {name}"))?;
        items.push(Item {
            kind,
            name,
            detail: get::<Option<String>>(&row, "detail")?.unwrap_or_default(),
        });
    }
    items.sort();
    items.dedup();
    Ok(items)
}

/// The report `plan` and `drift` print: each item, marked as recorded in the model or not.
/// Empty when there is nothing to report.
pub fn report(items: &[Item], recorded: &[Unmanaged]) -> Vec<String> {
    if items.is_empty() {
        return Vec::new();
    }
    let unrecorded = items.iter().filter(|i| !i.recorded_in(recorded)).count();
    let mut lines = vec![format!(
        "not managed by the model: {} object(s) or attribute(s) in its schemas, {} of them \
         not recorded under `unmanaged` (plans never create, change or drop these):",
        items.len(),
        unrecorded
    )];
    for item in items {
        let mark = if item.recorded_in(recorded) {
            "recorded"
        } else {
            "NOT RECORDED"
        };
        lines.push(format!("  {mark:<12} {item}"));
    }
    lines
}

/// Items the model does not record.
pub fn unrecorded<'a>(items: &'a [Item], recorded: &[Unmanaged]) -> Vec<&'a Item> {
    items.iter().filter(|i| !i.recorded_in(recorded)).collect()
}
