//! PostgreSQL rendering: each typed step as the statements that make it, each statement
//! carrying its object, transaction mode and role.

mod access;
mod citus;
mod composite;
mod domains;
mod objects;
mod owners;
mod rebuild;
mod sequences;
pub mod statements;
mod tables;

use schemactl_core::catalog::{Catalog, QName, TableDef, ViewDef};
use schemactl_core::diff::Plan;
use schemactl_core::statement::{RenderError, RenderedStep, Statement};
use schemactl_core::step::{Pair, Step};

/// The statements of every step of `plan`, in order.
pub fn render_plan(plan: &Plan, pair: Pair<&Catalog>) -> Result<Vec<RenderedStep>, RenderError> {
    let owners = has_owners(pair);
    plan.steps
        .iter()
        .map(|step| {
            Ok(RenderedStep {
                step: step.clone(),
                description: step.describe_in(pair),
                hazards: step.hazards(pair),
                statements: render_step(step, pair, owners)?,
            })
        })
        .collect()
}

/// The statements that make one step.
pub fn render(step: &Step, pair: Pair<&Catalog>) -> Result<Vec<Statement>, RenderError> {
    render_step(step, pair, has_owners(pair))
}

fn render_step(
    step: &Step,
    pair: Pair<&Catalog>,
    owners: bool,
) -> Result<Vec<Statement>, RenderError> {
    let r = Renderer { step, pair, owners };
    let statements = r.render()?;
    r.with_owners(statements)
}

/// Whether an object of either catalog has an owner of its own: without one, no step
/// looks for owners (finding an index's table is a scan of every table).
fn has_owners(pair: Pair<&Catalog>) -> bool {
    pair.previous.object_owners().next().is_some() || pair.next.object_owners().next().is_some()
}

/// One step being rendered, with the catalogs it reads names and definitions from.
pub(crate) struct Renderer<'a> {
    pub step: &'a Step,
    pub pair: Pair<&'a Catalog>,
    /// Whether either catalog has an object with an owner of its own.
    pub owners: bool,
}

impl<'a> Renderer<'a> {
    fn render(&self) -> Result<Vec<Statement>, RenderError> {
        use Step::*;
        match self.step {
            CreateRole { .. } | AlterRole { .. } | GrantMembership { .. } | DropRole { .. } => {
                self.role()
            }
            RevokeMembership { .. } => self.role(),
            CreateExtension { .. }
            | DropExtension { .. }
            | CreateSchema { .. }
            | DropSchema { .. }
            | AlterSchemaOwner { .. } => self.container(),
            CreateEnum { .. }
            | AddEnumValue { .. }
            | RenameEnumAside { .. }
            | CreateReplacementEnum { .. }
            | DropType { .. }
            | DropReplacedEnum { .. } => self.enum_type(),
            CreateDomain { .. }
            | RenameDomainAside { .. }
            | AlterDomainDefault { .. }
            | SetDomainNullability { .. }
            | AddDomainCheck { .. }
            | DropDomainCheck { .. }
            | DropDomain { .. }
            | DropReplacedDomain { .. } => self.domain(),
            CreateCompositeType { .. }
            | RenameCompositeTypeAside { .. }
            | AddAttribute { .. }
            | AlterAttributeType { .. }
            | DropAttribute { .. }
            | DropCompositeType { .. }
            | DropReplacedCompositeType { .. } => self.composite_type(),
            CreateSequence { .. }
            | AlterSequence { .. }
            | DisownSequence { .. }
            | SetSequenceOwner { .. }
            | DropSequence { .. } => self.sequence(),
            CreateFunction { .. }
            | ReplaceFunction { .. }
            | DropFunction { .. }
            | DropFunctionEarly { .. }
            | DropFunctionForReplacement { .. }
            | CheckFunctionBody { .. } => self.function(),
            CreateView { .. } | DropView { .. } => self.view(),
            RebuildTable {
                name,
                previous,
                keep,
            } => self.rebuild(name, previous, keep),
            RebindPartitions {
                table,
                rebound,
                added,
                default,
            } => self.rebind_partitions(table, rebound, added, default.as_ref()),
            Grant { .. }
            | Revoke { .. }
            | RevokeFromPublic { .. }
            | GrantDefaultPrivileges { .. }
            | RevokeDefaultPrivileges { .. }
            | SetComment { .. } => self.access(),
            AlterOwner { .. } => self.alter_owner(),
            DistributeTable { .. }
            | AlterDistribution { .. }
            | UndistributeTable { .. }
            | DistributeSchema { .. }
            | UndistributeSchema { .. } => self.citus(),
            _ => self.table_step(),
        }
    }

    pub fn error(&self, reason: impl Into<String>) -> RenderError {
        RenderError {
            step: self.step.describe(),
            reason: reason.into(),
        }
    }

    /// A table of the catalog before the plan.
    pub fn previous_table(&self, q: &QName) -> Result<&'a TableDef, RenderError> {
        self.pair
            .previous
            .tables
            .get(q)
            .ok_or_else(|| self.error(format!("table {q} is not in the current catalog")))
    }

    /// A table of the catalog after the plan.
    pub fn next_table(&self, q: &QName) -> Result<&'a TableDef, RenderError> {
        self.pair
            .next
            .tables
            .get(q)
            .ok_or_else(|| self.error(format!("table {q} is not in the desired catalog")))
    }

    pub fn next_view(&self, q: &QName) -> Result<&'a ViewDef, RenderError> {
        self.pair
            .next
            .views
            .get(q)
            .ok_or_else(|| self.error(format!("view {q} is not in the desired catalog")))
    }
}
