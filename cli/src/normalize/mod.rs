//! Incremental normalization: the model as the server would hold it, rebuilt only where
//! the model changed.
//!
//! The normalized form of every unit (an enum, a table, a view, a function: see
//! [`units`]) is kept in the on-disk cache under a key that covers the unit's model
//! definition, the definitions of what it names and the database-wide context. A model
//! version whose units are all known is put together without touching a server. The units
//! not known yet are built, with helpers for what they name, in a *workspace database*
//! (`schemactl_scratch_ws_<hash>`, one per context and server, holding the schemas and
//! extensions only) inside a transaction that is read and then rolled back: nothing stays,
//! and no database is created or dropped for a model version.
//!
//! The first plan of a context builds every unit the same way. Should the workspace path
//! fail (a unit that does not come back under its model name, statements that cannot run
//! in one transaction), the whole model is built in a scratch database of its own, as
//! before, and its units are kept for the next version.

mod owners;
pub mod units;

pub use owners::with_owners;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{anyhow, bail};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use tracing::Instrument;

use crate::cache;
use crate::catalog::Catalog;
use crate::db;
use crate::diff::Hints;
use crate::model::Model;
use schemactl_postgres::script::{self, Line};
use units::{Context, UnitDef, UnitId};

const STORE_KIND: &str = "units";
/// Contexts (and their units) a store keeps besides the current one.
const CONTEXTS_KEPT: usize = 4;
const WORKSPACE_PREFIX: &str = "schemactl_scratch_ws_";
/// About how many relation locks one build transaction may take: the server's lock table
/// holds `max_locks_per_transaction` (64 by default) times `max_connections` for all
/// sessions together, and creating a table locks it, its indexes, sequences and TOAST
/// table. A model larger than this is built in several transactions.
const LOCKS_PER_BUILD: usize = 3_000;

/// The normalized units of one server (cache kind `units`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Store {
    contexts: BTreeMap<String, Context>,
    units: HashMap<String, UnitDef>,
}

impl Store {
    /// The store of the dev server `scope` from the on-disk cache (empty when none).
    pub fn load(scope: &str) -> Store {
        cache::read(STORE_KIND, &cache::key(&(STORE_KIND, scope))).unwrap_or_default()
    }

    /// Whether the store holds the unit normalized under `key`.
    pub fn knows(&self, key: &str) -> bool {
        self.units.contains_key(key)
    }

    pub fn save(&self, scope: &str) {
        cache::write(STORE_KIND, &cache::key(&(STORE_KIND, scope)), self);
    }

    /// Keeps the units of `plan` and, while the store stays under about twice its size,
    /// those of earlier versions (so switching back to one stays cheap).
    fn prune(&mut self, plan: &units::Plan) {
        let limit = plan.keys.len() * 2 + 256;
        if self.units.len() > limit {
            let current: BTreeSet<&String> = plan.keys.values().collect();
            self.units.retain(|k, _| current.contains(k));
        }
        if self.contexts.len() > CONTEXTS_KEPT {
            let keep = plan.context.clone();
            let mut others: Vec<String> = self
                .contexts
                .keys()
                .filter(|k| **k != keep)
                .cloned()
                .collect();
            others.truncate(self.contexts.len() - CONTEXTS_KEPT);
            for k in others {
                self.contexts.remove(&k);
            }
        }
    }
}

/// Where and how to build: the dev server's admin URL, and whether the model's roles
/// must be created there as placeholders (a dev server that is not the target's).
pub struct Dev<'a> {
    pub url: &'a str,
    pub placeholder_roles: bool,
}

/// The normalized catalog of `model` (whose catalog is `catalog`) through `store`: the
/// units it lacks are built on `dev` and added to it. `scope` names the server.
pub async fn desired(
    model: &Model,
    catalog: &Catalog,
    scope: &str,
    dev: &Dev<'_>,
    store: &mut Store,
) -> anyhow::Result<Catalog> {
    let started = std::time::Instant::now();
    let plan = units::Plan::new(catalog, scope);
    let missing: BTreeSet<UnitId> = plan
        .keys
        .iter()
        .filter(|(_, key)| !store.units.contains_key(*key))
        .map(|(id, _)| id.clone())
        .collect();
    tracing::debug!(
        units = plan.keys.len(),
        missing = missing.len(),
        "units keyed in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    let known = store.contexts.get(&plan.context).cloned();
    let targets = if known.is_some() {
        missing
    } else {
        plan.keys.keys().cloned().collect()
    };
    for batch in plan.batches(&targets, LOCKS_PER_BUILD) {
        let span = tracing::info_span!("normalize", units = batch.len());
        let (context, built) = build(model, catalog, &plan, &batch, dev)
            .instrument(span)
            .await?;
        for (id, def) in built {
            if let Some(key) = plan.keys.get(&id) {
                store.units.insert(key.clone(), def);
            }
        }
        store
            .contexts
            .entry(plan.context.clone())
            .or_insert(context);
    }
    if !targets.is_empty() {
        store.prune(&plan);
    }
    let context = store
        .contexts
        .get(&plan.context)
        .ok_or_else(|| anyhow!("the normalized context went missing"))?;
    let mut parts = Vec::with_capacity(plan.keys.len());
    for (id, key) in &plan.keys {
        let def = store
            .units
            .get(key)
            .ok_or_else(|| anyhow!("unit {id:?} was not normalized"))?;
        parts.push((id, def));
    }
    let normalized = units::with_sequences(units::compose(context, parts), catalog);
    tracing::debug!(
        "normalized incrementally in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    Ok(normalized)
}

/// Adds the units of `normalized`, a whole model normalized elsewhere (a scratch
/// database), to `store`. Nothing is added when its units are not the model's.
pub fn remember(catalog: &Catalog, normalized: &Catalog, scope: &str, store: &mut Store) {
    if !units::same_units(catalog, normalized) {
        return;
    }
    let plan = units::Plan::new(catalog, scope);
    let all: BTreeSet<UnitId> = plan.keys.keys().cloned().collect();
    let Ok(defs) = units::take(normalized, &all) else {
        return;
    };
    for (id, def) in defs {
        if let Some(key) = plan.keys.get(&id) {
            store.units.insert(key.clone(), def);
        }
    }
    store
        .contexts
        .insert(plan.context.clone(), units::context_of(normalized));
    store.prune(&plan);
}

/// The workspace database of a context.
fn workspace_name(plan: &units::Plan) -> String {
    format!("{WORKSPACE_PREFIX}{}", &plan.context[..16])
}

/// The workspace database where units of `catalog` are built for the server `scope`.
pub fn workspace_database(catalog: &Catalog, scope: &str) -> String {
    format!(
        "{WORKSPACE_PREFIX}{}",
        &units::context_key(catalog, scope)[..16]
    )
}

/// Builds `targets` (whole) and their helpers in the workspace database inside a
/// transaction, reads them back and rolls back.
async fn build(
    model: &Model,
    catalog: &Catalog,
    plan: &units::Plan,
    targets: &BTreeSet<UnitId>,
    dev: &Dev<'_>,
) -> anyhow::Result<(Context, BTreeMap<UnitId, UnitDef>)> {
    let started = std::time::Instant::now();
    let owner = model.database.owner.as_deref();
    // Default privileges come last in a fresh database's script, after the objects (which
    // so get none of them): the workspace holds the schemas without them, and each build
    // adds them after its units, as the diff orders it.
    let mut context = units::context_only(catalog);
    for schema in context.schemas.values_mut() {
        schema.default_privileges.clear();
    }
    let name = workspace_name(plan);
    let workspace = db::with_database(dev.url, &name)?;
    // The workspace usually exists: connect first, build it only when that fails.
    let conn = match db::connect_single(&workspace).await {
        Ok(conn) => conn,
        Err(_) => {
            let context_script =
                script::layout(&schemactl_postgres::create_script(&context)?, owner);
            crate::upgrade::ensure_scratch(
                model,
                &context_script,
                &name,
                dev.url,
                dev.placeholder_roles,
            )
            .await?;
            db::connect_single(&workspace).await?
        }
    };
    let sub = plan.build_catalog(catalog, targets);
    let steps = schemactl_postgres::plan(&context, &sub, &Hints::default())?;
    let script = script::layout(&steps, owner);
    let statements = |lines: &[Line]| lines.iter().any(|l| matches!(l, Line::Statement { .. }));
    if statements(&script.first) || statements(&script.outside) {
        bail!("the units need statements outside one transaction");
    }
    // One round trip: the script's lines as one text (a failure here falls back to the
    // whole-model build, which names the statement).
    let txn = conn
        .begin()
        .await
        .map_err(|e| anyhow!("cannot begin the normalization build: {}", db::describe(&e)))?;
    if let Err(e) = txn
        .execute_unprepared(&script::lines_sql(&script.transaction))
        .await
    {
        let _ = txn.rollback().await;
        bail!("the normalization build failed: {}", db::describe(&e));
    }
    tracing::debug!("units created in {:.3}s", started.elapsed().as_secs_f64());
    let read = async {
        // The script switched roles: read as the connecting role, like a scratch database.
        txn.execute_unprepared("RESET ROLE")
            .await
            .map_err(|e| anyhow!("RESET ROLE: {}", db::describe(&e)))?;
        crate::introspect::introspect_in(&txn, &crate::upgrade::introspect_options(model)).await
    }
    .await;
    let _ = txn.rollback().await;
    let _ = conn.close().await;
    let normalized = read?.catalog;
    tracing::debug!("units read in {:.3}s", started.elapsed().as_secs_f64());
    let defs = units::take(&normalized, targets).map_err(|unit| {
        anyhow!(
            "{unit} was built in the workspace database but did not read back under its \
             model name (for a routine: its argument types as PostgreSQL prints them)"
        )
    })?;
    Ok((units::context_of(&normalized), defs))
}

/// Whether `name` is a workspace database (for listings of scratch databases).
pub fn is_workspace(name: &str) -> bool {
    name.starts_with(WORKSPACE_PREFIX)
}
