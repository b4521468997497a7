//! Which phase of a plan each kind of step runs in: the variant decides, nothing else.

use super::{Phase, Step};

impl Step {
    pub fn phase(&self) -> Phase {
        use Step::*;
        match self {
            CreateRole { .. } | AlterRole { .. } | GrantMembership { .. } => Phase::Roles,
            CreateExtension { .. }
            | CreateSchema { .. }
            | CreateEnum { .. }
            | AddEnumValue { .. }
            | CreateSequence { .. }
            | AlterSequence { .. } => Phase::Containers,
            DropView { .. }
            | DropTrigger { .. }
            | DropPolicy { .. }
            | DropConstraint { .. }
            | DropIndex { .. }
            | DropFunctionForReplacement { .. }
            | DropFunctionEarly { .. }
            | DisownSequence { .. }
            | DropDomainCheck { .. }
            | RenameEnumAside { .. }
            | CreateReplacementEnum { .. }
            | RenameDomainAside { .. }
            | RenameCompositeTypeAside { .. }
            | DetachPartition { .. } => Phase::Teardown,
            CreateDomain { .. }
            | AlterDomainDefault { .. }
            | CreateCompositeType { .. }
            | DropAttribute { .. }
            | AlterAttributeType { .. }
            | AddAttribute { .. }
            | CreateFunction { .. }
            | ReplaceFunction { .. }
            | RenameTable { .. }
            | CreateTable { .. }
            | RebuildTable { .. }
            | CreatePartition { .. }
            | RebindPartitions { .. }
            | AddColumn { .. }
            | RenameColumn { .. }
            | DropColumn { .. }
            | DropColumnDefault { .. }
            | AlterColumnType { .. }
            | SetColumnDefault { .. }
            | SetNotNull { .. }
            | DropNotNull { .. }
            | SetGenerationExpression { .. }
            | DropGenerationExpression { .. }
            | AddIdentity { .. }
            | AlterIdentity { .. }
            | DropIdentity { .. }
            | RenameConstraint { .. }
            | SetPersistence { .. }
            | SetStorageParameters { .. }
            | CreateView { .. } => Phase::Objects,
            UndistributeSchema { .. }
            | UndistributeTable { .. }
            | DistributeSchema { .. }
            | DistributeTable { .. }
            | AlterDistribution { .. } => Phase::Distribution,
            AddConstraint { .. }
            | ValidateConstraint { .. }
            | CreateIndex { .. }
            | SetSequenceOwner { .. }
            | AddDomainCheck { .. }
            | SetDomainNullability { .. } => Phase::Constraints,
            CreateTrigger { .. }
            | ReplaceTrigger { .. }
            | SetRowLevelSecurity { .. }
            | CreatePolicy { .. } => Phase::Dependents,
            AlterSchemaOwner { .. }
            | AlterOwner { .. }
            | RevokeMembership { .. }
            | Grant { .. }
            | Revoke { .. }
            | RevokeFromPublic { .. }
            | GrantDefaultPrivileges { .. }
            | RevokeDefaultPrivileges { .. }
            | SetComment { .. } => Phase::Access,
            DropTables { .. } | DropDetachedPartition { .. } => Phase::Drops,
            DropFunction { .. }
            | DropType { .. }
            | DropReplacedEnum { .. }
            | DropDomain { .. }
            | DropReplacedDomain { .. }
            | DropCompositeType { .. }
            | DropReplacedCompositeType { .. }
            | DropSequence { .. } => Phase::LateDrops,
            DropSchema { .. } | DropExtension { .. } | DropRole { .. } => Phase::ContainerDrops,
            CheckFunctionBody { .. } => Phase::BodyChecks,
            DropIndexConcurrently { .. } | CreateIndexConcurrently { .. } => Phase::Concurrent,
        }
    }
}
