//! The objects a step's statements act on, for what depends on who owns them: a step on
//! an object owned by a role other than the database owner runs as the admin, which can
//! act for that owner, instead of as the database owner, which may not.

use super::{OnTable, Step, Target};
use crate::catalog::{Catalog, CatalogKey, OwnedKind, QName, RoutineId};

/// An object with an owner of its own, as a step names it. Partitions and indexes are
/// known by their own names; their table's owner is theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Table(QName),
    View(QName),
    Function(RoutineId),
    /// An enum, a domain or a composite type.
    Type(QName),
    Sequence(QName),
    Partition(QName),
    Index(QName),
}

impl Subject {
    /// The object's owner in `catalog`, when it has one other than the database owner.
    pub fn owner<'c>(&self, catalog: &'c Catalog) -> Option<&'c String> {
        match self {
            Subject::Table(q) => catalog
                .owner(OwnedKind::Table, CatalogKey::Name(q))?
                .as_ref(),
            Subject::View(q) => catalog
                .owner(OwnedKind::View, CatalogKey::Name(q))?
                .as_ref(),
            Subject::Function(id) => catalog
                .owner(OwnedKind::Function, CatalogKey::Routine(id))?
                .as_ref(),
            Subject::Type(q) => [OwnedKind::Enum, OwnedKind::Domain, OwnedKind::CompositeType]
                .into_iter()
                .find_map(|kind| catalog.owner(kind, CatalogKey::Name(q)))?
                .as_ref(),
            Subject::Sequence(q) => catalog
                .owner(OwnedKind::Sequence, CatalogKey::Name(q))?
                .as_ref(),
            Subject::Partition(q) => catalog
                .tables
                .iter()
                .find(|(t, def)| {
                    t.schema == q.schema && def.partitions.iter().any(|p| p.name == q.name)
                })?
                .1
                .owner
                .as_ref(),
            Subject::Index(q) => {
                let table = catalog.tables.iter().find(|(t, def)| {
                    t.schema == q.schema && def.indexes.iter().any(|i| i.name == q.name)
                });
                match table {
                    Some((_, def)) => def.owner.as_ref(),
                    None => catalog
                        .views
                        .iter()
                        .find(|(v, def)| {
                            v.schema == q.schema && def.indexes.iter().any(|i| i.name == q.name)
                        })?
                        .1
                        .owner
                        .as_ref(),
                }
            }
        }
    }
}

impl Target {
    /// The object a grant, comment or owner change on this target acts on.
    pub fn subject(&self) -> Option<Subject> {
        Some(match self {
            Target::Schema { .. } => return None,
            Target::Type { name } => Subject::Type(name.clone()),
            Target::Table { name } => Subject::Table(name.clone()),
            Target::Column { column } => Subject::Table(column.table.clone()),
            Target::View { name } | Target::MaterializedView { name } => {
                Subject::View(name.clone())
            }
            Target::ViewColumn { view, .. } => Subject::View(view.clone()),
            Target::Function { name } => Subject::Function(name.clone()),
            Target::Index { name } => Subject::Index(name.clone()),
            Target::Trigger { on } => Subject::Table(on.table.clone()),
            Target::Sequence { name } => Subject::Sequence(name.clone()),
        })
    }
}

impl Step {
    /// The objects with owners this step's statements act on (the previous catalog's
    /// names and the next one's where they differ).
    pub fn subjects(&self) -> Vec<Subject> {
        use Step::*;
        let table = |q: &QName| vec![Subject::Table(q.clone())];
        let on = |on: &OnTable| vec![Subject::Table(on.table.clone())];
        match self {
            CreateRole { .. }
            | AlterRole { .. }
            | GrantMembership { .. }
            | RevokeMembership { .. }
            | DropRole { .. }
            | CreateExtension { .. }
            | DropExtension { .. }
            | CreateSchema { .. }
            | DropSchema { .. }
            | AlterSchemaOwner { .. }
            | UndistributeSchema { .. }
            | DistributeSchema { .. }
            | GrantDefaultPrivileges { .. }
            | RevokeDefaultPrivileges { .. } => Vec::new(),
            CreateEnum { name }
            | AddEnumValue { name, .. }
            | RenameEnumAside { name }
            | CreateReplacementEnum { name }
            | RenameDomainAside { name }
            | RenameCompositeTypeAside { name }
            | DropDomainCheck { name, .. }
            | CreateDomain { name }
            | AlterDomainDefault { name }
            | CreateCompositeType { name }
            | DropAttribute { name, .. }
            | AlterAttributeType { name, .. }
            | AddAttribute { name, .. }
            | AddDomainCheck { name, .. }
            | SetDomainNullability { name, .. }
            | DropType { name }
            | DropReplacedEnum { name }
            | DropDomain { name }
            | DropReplacedDomain { name }
            | DropCompositeType { name }
            | DropReplacedCompositeType { name } => vec![Subject::Type(name.clone())],
            CreateSequence { name }
            | AlterSequence { name }
            | DisownSequence { name }
            | SetSequenceOwner { name }
            | DropSequence { name } => vec![Subject::Sequence(name.clone())],
            DropView { name, .. } | CreateView { name } => vec![Subject::View(name.clone())],
            DropFunctionForReplacement { name }
            | DropFunctionEarly { name }
            | CreateFunction { name }
            | ReplaceFunction { name }
            | DropFunction { name }
            | CheckFunctionBody { name } => vec![Subject::Function(name.clone())],
            RevokeFromPublic { function } => vec![Subject::Function(function.clone())],
            DropTrigger { on: o }
            | DropPolicy { on: o }
            | DropConstraint { on: o, .. }
            | DetachPartition { on: o }
            | CreatePartition { on: o }
            | AddConstraint { on: o, .. }
            | ValidateConstraint { on: o, .. }
            | CreateIndex { on: o }
            | CreateTrigger { on: o }
            | ReplaceTrigger { on: o }
            | CreatePolicy { on: o }
            | CreateIndexConcurrently { on: o } => on(o),
            DropIndex { name } | DropIndexConcurrently { name } => {
                vec![Subject::Index(name.clone())]
            }
            RenameTable { from, to } => vec![
                Subject::Table(from.clone()),
                Subject::Table(QName::new(&from.schema, to)),
            ],
            RebuildTable { name, previous, .. } => {
                vec![
                    Subject::Table(name.clone()),
                    Subject::Table(previous.clone()),
                ]
            }
            RebindPartitions { table: t, .. }
            | RenameColumn { table: t, .. }
            | DropColumn { table: t, .. }
            | RenameConstraint { table: t, .. }
            | SetPersistence { table: t, .. }
            | SetStorageParameters { table: t }
            | UndistributeTable { table: t }
            | DistributeTable { table: t }
            | AlterDistribution { table: t }
            | SetRowLevelSecurity { table: t, .. }
            | CreateTable { name: t } => table(t),
            AddColumn { column }
            | DropColumnDefault { column }
            | AlterColumnType { column, .. }
            | SetColumnDefault { column }
            | SetNotNull { column }
            | DropNotNull { column }
            | SetGenerationExpression { column }
            | DropGenerationExpression { column }
            | AddIdentity { column }
            | AlterIdentity { column }
            | DropIdentity { column } => table(&column.table),
            Grant { target, .. }
            | Revoke { target, .. }
            | SetComment { target, .. }
            | AlterOwner { target } => target.subject().into_iter().collect(),
            DropTables { names } => names.iter().cloned().map(Subject::Table).collect(),
            DropDetachedPartition { name } => vec![Subject::Partition(name.clone())],
        }
    }
}
