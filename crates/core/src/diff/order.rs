//! The final order of a plan's steps: by phase, then within a phase by the rules below,
//! then in the order the differ emitted them.

use std::collections::HashMap;

use crate::catalog::{Catalog, QName};
use crate::deps::{self, Node};
use crate::step::{Pair, Phase, Step};

pub(super) fn arrange(steps: Vec<Step>, pair: Pair<&Catalog>) -> Vec<Step> {
    let rank = ranks(pair.next);
    // Late drops, and routines the teardown drops, go in the reverse of the previous
    // catalog's order: what uses an object before the object (a domain before the
    // function its check calls, a function before the domain its argument has, an
    // aggregate before its support function).
    let drop_rank = if steps.iter().any(|s| late_drop_node(s).is_some()) {
        ranks(pair.previous)
    } else {
        HashMap::new()
    };
    let mut keyed: Vec<((Phase, u8, usize), Step)> = steps
        .into_iter()
        .map(|step| {
            let node_rank = match step.phase() {
                Phase::Objects => object_node(&step)
                    .and_then(|node| rank.get(&node).copied())
                    .unwrap_or(0),
                Phase::LateDrops | Phase::Teardown => late_drop_node(&step)
                    .and_then(|node| drop_rank.get(&node))
                    .map_or(0, |r| usize::MAX - r),
                _ => 0,
            };
            ((step.phase(), within_phase(&step), node_rank), step)
        })
        .collect();
    // Stable: steps with equal keys keep the differ's order (e.g. a table's columns).
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, step)| step).collect()
}

fn ranks(catalog: &Catalog) -> HashMap<Node, usize> {
    deps::order(&deps::dependencies(catalog))
        .into_iter()
        .enumerate()
        .map(|(i, node)| (node, i))
        .collect()
}

/// The domain, composite type or function a late drop removes (or a teardown drops to
/// create again: an aggregate before its support function), for reverse dependency order.
fn late_drop_node(step: &Step) -> Option<Node> {
    match step {
        Step::DropDomain { name } | Step::DropReplacedDomain { name } => {
            Some(Node::Domain(name.clone()))
        }
        Step::DropCompositeType { name } | Step::DropReplacedCompositeType { name } => {
            Some(Node::Type(name.clone()))
        }
        Step::DropFunction { name }
        | Step::DropFunctionForReplacement { name }
        | Step::DropFunctionEarly { name } => Some(Node::Function(name.clone())),
        _ => None,
    }
}

/// Order inside a phase. Teardown: views (already emitted dependents first), then what
/// lives on tables (foreign keys before the keys and indexes they use), then functions,
/// which nothing may use any more by then. Objects: table renames before anything names
/// the table by its new name.
fn within_phase(step: &Step) -> u8 {
    match step {
        Step::DropView { .. } => 0,
        Step::DropTrigger { .. } | Step::DropPolicy { .. } => 1,
        // A foreign key depends on the index of the key it references: it goes first.
        Step::DropConstraint {
            kind: crate::step::ConstraintKind::ForeignKey,
            ..
        } => 2,
        Step::DropConstraint { .. } | Step::DropIndex { .. } | Step::DetachPartition { .. } => 3,
        Step::DropFunctionForReplacement { .. } | Step::DropFunctionEarly { .. } => 4,
        // After the functions whose DROP names the type as it is.
        Step::RenameDomainAside { .. }
        | Step::RenameCompositeTypeAside { .. }
        | Step::RenameEnumAside { .. } => 5,
        Step::CreateReplacementEnum { .. } => 6,
        // Constraints: primary keys and unique constraints before the foreign keys that
        // reference them; validation after every constraint is added.
        Step::ValidateConstraint { .. } => 2,
        Step::AddConstraint {
            kind: crate::step::ConstraintKind::ForeignKey,
            ..
        } => 1,
        // Concurrent: drops before builds, so a replaced index's name is free.
        Step::CreateIndexConcurrently { .. } => 1,
        // Late drops: domains and functions (in reverse dependency order) before the
        // enums and sequences they may use.
        Step::DropType { .. } | Step::DropReplacedEnum { .. } | Step::DropSequence { .. } => 1,
        _ => 0,
    }
}

/// The function, table or view an `Objects` step belongs to, for dependency order.
fn object_node(step: &Step) -> Option<Node> {
    let table = |q: &QName| Some(Node::Table(q.clone()));
    match step {
        Step::CreateDomain { name } | Step::AlterDomainDefault { name } => {
            Some(Node::Domain(name.clone()))
        }
        Step::CreateCompositeType { name }
        | Step::DropAttribute { name, .. }
        | Step::AlterAttributeType { name, .. }
        | Step::AddAttribute { name, .. } => Some(Node::Type(name.clone())),
        Step::CreateFunction { name } | Step::ReplaceFunction { name } => {
            Some(Node::Function(name.clone()))
        }
        Step::CreateView { name } => Some(Node::View(name.clone())),
        Step::RenameTable { from, to } => table(&QName::new(&from.schema, to)),
        Step::CreateTable { name } | Step::RebuildTable { name, .. } => table(name),
        Step::CreatePartition { on } => table(&on.table),
        Step::RebindPartitions { table: t, .. } => table(t),
        Step::RenameColumn { table: t, .. }
        | Step::DropColumn { table: t, .. }
        | Step::RenameConstraint { table: t, .. }
        | Step::SetPersistence { table: t, .. }
        | Step::SetStorageParameters { table: t } => table(t),
        Step::AddColumn { column }
        | Step::DropColumnDefault { column }
        | Step::AlterColumnType { column, .. }
        | Step::SetColumnDefault { column }
        | Step::SetNotNull { column }
        | Step::DropNotNull { column }
        | Step::SetGenerationExpression { column }
        | Step::DropGenerationExpression { column }
        | Step::AddIdentity { column }
        | Step::AlterIdentity { column }
        | Step::DropIdentity { column } => table(&column.table),
        _ => None,
    }
}
