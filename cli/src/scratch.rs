//! Scratch databases on the dev server: listing and removing them (for `schemactl dev list`
//! and `dev clean`, `crate::commands::dev`), and pruning outside a plan's timed path.
//!
//! `plan` normalizes each model version in a scratch database named after a hash of its
//! create script (`schemactl_scratch_<16 hex digits>`, built as `…_building` and renamed
//! when whole), incremental normalization a workspace database per model context
//! (`schemactl_scratch_ws_<16 hex digits>`); `generate` keeps its own for view columns
//! (`schemactl_gen_…`). Only
//! databases whose whole name has that shape are ever listed or dropped here: no other
//! database of the server is touched. A drop is never forced: a database that a running
//! plan reads has a connection, its `DROP DATABASE` fails, and it stays (reported as busy).

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::db;
use crate::sql;

/// The name prefixes of scratch databases, by what made them.
pub const PREFIXES: &[(&str, &str)] = &[
    // The workspace database of incremental normalization (one per model context).
    ("schemactl_scratch_ws_", "workspace"),
    ("schemactl_scratch_", "plan"),
    ("schemactl_gen_", "generate"),
];

/// How many complete scratch databases per prefix `dev clean` keeps by default (and
/// [`prune`] keeps): one per recent model version, for plans to reuse.
pub const KEPT: usize = 8;

/// Half-built databases (`…_building`) younger than this may belong to a build in
/// progress: `dev clean` leaves them unless `--all`.
pub const BUILDING_GRACE: Duration = Duration::from_secs(3600);

/// One scratch database on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScratchDb {
    pub name: String,
    /// What made it: `plan`, `workspace` (plan's incremental normalization) or `generate`.
    pub made_by: &'static str,
    /// A build that did not finish (or is running now).
    pub building: bool,
    pub bytes: i64,
    /// Time since it was created; `None` when the server does not let this role read it
    /// (`pg_stat_file` needs superuser or `pg_read_server_files`).
    pub age: Option<Duration>,
    /// Open connections to it now.
    pub connections: i64,
}

/// Whether `name` is a scratch database by its whole shape: a known prefix, 16 lowercase
/// hex digits, optionally `_building`. Returns what made it and whether it is half-built.
pub fn classify(name: &str) -> Option<(&'static str, bool)> {
    PREFIXES.iter().find_map(|(prefix, made_by)| {
        let rest = name.strip_prefix(prefix)?;
        let (hash, building) = match rest.strip_suffix("_building") {
            Some(hash) => (hash, true),
            None => (rest, false),
        };
        let hex = hash.len() == 16
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        hex.then_some((*made_by, building))
    })
}

/// Every scratch database on the server of `server`, newest first.
pub async fn list(server: &DatabaseConnection) -> anyhow::Result<Vec<ScratchDb>> {
    // The age comes from the database's PG_VERSION file, written when it was created;
    // reading it needs a privilege the role may lack, so it is asked for separately.
    let rows = db::query_all(
        server,
        "SELECT d.datname::text AS name, pg_database_size(d.oid) AS bytes, \
                (SELECT count(*) FROM pg_stat_activity a WHERE a.datid = d.oid) AS connections, \
                CASE WHEN pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') \
                       OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \
                     THEN extract(epoch FROM now() - (pg_stat_file( \
                            'base/' || d.oid || '/PG_VERSION', true)).modification)::float8 \
                END AS age \
           FROM pg_database d \
          WHERE d.datname LIKE 'schemactl\\_%' \
          ORDER BY d.oid DESC",
        vec![],
    )
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        let Some((made_by, building)) = classify(&name) else {
            continue;
        };
        let age: Option<f64> = row.try_get("", "age")?;
        out.push(ScratchDb {
            name,
            made_by,
            building,
            bytes: row.try_get("", "bytes")?,
            age: age.map(|s| Duration::from_secs_f64(s.max(0.0))),
            connections: row.try_get("", "connections")?,
        });
    }
    Ok(out)
}

/// Which scratch databases to remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection<'a> {
    /// Every one, half-built ones included.
    All,
    /// These, by name.
    Named(&'a [String]),
    /// Those created longer ago than this (unknown ages are kept).
    OlderThan(Duration),
    /// All but the newest N complete ones per prefix, and half-built ones older than
    /// [`BUILDING_GRACE`].
    KeepNewest(usize),
}

/// The databases of `all` (newest first, as [`list`] returns them) that `selection` picks.
pub fn select(all: &[ScratchDb], selection: Selection<'_>) -> Vec<ScratchDb> {
    let mut kept_per_prefix: Vec<(&str, usize)> = Vec::new();
    all.iter()
        .filter(|d| match selection {
            Selection::All => true,
            Selection::Named(names) => names.contains(&d.name),
            Selection::OlderThan(limit) => d.age.is_some_and(|age| age > limit),
            Selection::KeepNewest(keep) => {
                if d.building {
                    return d.age.is_some_and(|age| age > BUILDING_GRACE);
                }
                let count = match kept_per_prefix.iter_mut().find(|(p, _)| *p == d.made_by) {
                    Some((_, n)) => n,
                    None => {
                        kept_per_prefix.push((d.made_by, 0));
                        &mut kept_per_prefix.last_mut().expect("just pushed").1
                    }
                };
                *count += 1;
                *count > keep
            }
        })
        .cloned()
        .collect()
}

/// What [`remove`] did.
#[derive(Debug, Default, Clone)]
pub struct Removed {
    pub dropped: Vec<ScratchDb>,
    /// Still in use (a connection is open) or refused by the server, with its words.
    pub kept: Vec<(ScratchDb, String)>,
}

impl Removed {
    pub fn bytes_freed(&self) -> i64 {
        self.dropped.iter().map(|d| d.bytes).sum()
    }
}

/// Drops `databases` one by one, never forced. Names are checked again against
/// [`classify`], so no other database can be dropped through this function.
pub async fn remove(server: &DatabaseConnection, databases: &[ScratchDb]) -> Removed {
    let mut out = Removed::default();
    for d in databases {
        if classify(&d.name).is_none() {
            out.kept
                .push((d.clone(), "not a scratch database name".into()));
            continue;
        }
        let statement = format!("DROP DATABASE IF EXISTS {}", sql::ident(&d.name));
        match server.execute_unprepared(&statement).await {
            Ok(_) => out.dropped.push(d.clone()),
            Err(e) => out.kept.push((d.clone(), db::describe(&e))),
        }
    }
    out
}

/// Keeps the newest [`KEPT`] scratch databases per prefix and drops the others: the
/// pruning plans used to do inline. Errors are logged, never returned: pruning is
/// housekeeping.
pub async fn prune(server: &DatabaseConnection) -> Removed {
    match list(server).await {
        Ok(all) => remove(server, &select(&all, Selection::KeepNewest(KEPT))).await,
        Err(err) => {
            tracing::debug!("cannot list scratch databases: {err:#}");
            Removed::default()
        }
    }
}

/// Starts `schemactl dev clean --keep 8` against `admin_url` as a detached process and
/// returns at once: a plan prints its result without waiting for `DROP DATABASE` (and
/// the checkpoint it forces). The child's output is discarded; failures leave the
/// databases for the next prune or `dev clean`.
pub fn prune_in_background(admin_url: &str) {
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let spawned = std::process::Command::new(exe)
        .args(["dev", "clean", "--quiet", "--keep", &KEPT.to_string()])
        .arg("--admin-url")
        .arg(admin_url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(err) = spawned {
        tracing::debug!("cannot start the background prune: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(name: &str, age: u64) -> ScratchDb {
        let (made_by, building) = classify(name).expect("a scratch name");
        ScratchDb {
            name: name.into(),
            made_by,
            building,
            bytes: 1,
            age: Some(Duration::from_secs(age)),
            connections: 0,
        }
    }

    #[test]
    fn only_whole_scratch_names_are_scratch_databases() {
        assert_eq!(
            classify("schemactl_scratch_0123456789abcdef"),
            Some(("plan", false))
        );
        assert_eq!(
            classify("schemactl_scratch_ws_0123456789abcdef"),
            Some(("workspace", false))
        );
        assert_eq!(
            classify("schemactl_gen_0123456789abcdef_building"),
            Some(("generate", true))
        );
        for other in [
            "schemactl_scratch_0123456789abcde",
            "schemactl_scratch_0123456789ABCDEF",
            "schemactl_scratch_0123456789abcdef_x",
            "schemactl_scratch_mine",
            "gamedata",
        ] {
            assert_eq!(classify(other), None, "{other}");
        }
    }

    #[test]
    fn selections() {
        let all: Vec<ScratchDb> = (0..10)
            .map(|i| db(&format!("schemactl_scratch_{i:016x}"), 60 * (i + 1)))
            .chain([db("schemactl_gen_00000000000000aa", 10)])
            .chain([db("schemactl_scratch_00000000000000bb_building", 7200)])
            .collect();
        let names =
            |s: Selection| -> Vec<String> { select(&all, s).into_iter().map(|d| d.name).collect() };
        assert_eq!(names(Selection::All).len(), 12);
        let keep = names(Selection::KeepNewest(8));
        assert_eq!(keep.len(), 3, "{keep:?}");
        assert!(keep.contains(&"schemactl_scratch_00000000000000bb_building".to_string()));
        assert!(!keep.iter().any(|n| n.starts_with("schemactl_gen_")));
        assert_eq!(
            names(Selection::OlderThan(Duration::from_secs(300))).len(),
            6
        );
    }
}
