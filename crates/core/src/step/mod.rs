//! The steps of a plan: what changes, as typed values. Flavours render them into
//! statements; nothing downstream reads SQL text to learn what a step is.
//!
//! A step names the objects it touches by their keys (schema-qualified names, and the
//! table for what lives on a table); the renderer looks them up in the catalog the step
//! says (`previous` for what is torn down, `next` for what is built), through
//! [`Pair`]. Execution order is the order of [`Phase`]s, and a step's phase follows
//! from its variant ([`Step::phase`]); within a phase the differ emits steps in
//! dependency order. Hazards follow from the variant and the two catalogs
//! ([`Step::hazards`]).

mod phase;
mod subject;

pub use subject::Subject;

use serde::Serialize;

use crate::catalog::{Catalog, DefaultPrivilegeDef, GrantDef, QName, RoutineId};

/// The catalog before and the catalog after a plan.
#[derive(Debug, Clone, Copy)]
pub struct Pair<T> {
    pub previous: T,
    pub next: T,
}

impl<T> Pair<T> {
    pub fn new(previous: T, next: T) -> Pair<T> {
        Pair { previous, next }
    }

    pub fn as_ref(&self) -> Pair<&T> {
        Pair {
            previous: &self.previous,
            next: &self.next,
        }
    }
}

/// What can go wrong when a step runs against a live database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hazard {
    /// Rows, columns or objects are deleted.
    DataLoss,
    /// The table is rewritten (all rows copied), which takes time proportional to its size.
    TableRewrite,
    /// Readers and writers wait while the step holds an ACCESS EXCLUSIVE (or write-blocking) lock.
    AccessExclusiveLock,
    /// Who may do what changes: grants, revokes, owners, roles, policies.
    Authorization,
    /// The type of a Citus distribution column changes, which Citus refuses: undistribute
    /// the table (`citus` removed from the model), change the type, distribute it again.
    DistributionColumn,
}

impl Hazard {
    pub const ALL: [Hazard; 5] = [
        Hazard::DataLoss,
        Hazard::TableRewrite,
        Hazard::AccessExclusiveLock,
        Hazard::Authorization,
        Hazard::DistributionColumn,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Hazard::DataLoss => "data-loss",
            Hazard::TableRewrite => "table-rewrite",
            Hazard::AccessExclusiveLock => "access-exclusive-lock",
            Hazard::Authorization => "authorization",
            Hazard::DistributionColumn => "distribution-column",
        }
    }
}

impl std::fmt::Display for Hazard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// When steps run, in execution order. Each constraint on the order is a comment here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Roles and memberships: cluster-wide, run by the admin; objects below may be owned
    /// by or granted to them.
    Roles,
    /// Extensions, schemas, new enum types and enum values: containers and types that
    /// tables and functions use.
    Containers,
    /// What depends on something about to change or go: views over changed tables,
    /// triggers and policies on replaced functions, replaced constraints and indexes,
    /// functions whose signature changes. Names are the previous catalog's.
    Teardown,
    /// Functions, tables (with their columns and partitions) and views, created or
    /// altered in dependency order: a default may call a function, a function may
    /// return a table's row type, a view reads both.
    Objects,
    /// Citus: schemas and tables distributed once they exist and before foreign keys
    /// are added, as Citus needs: undistributions first, then schemas, reference tables
    /// (distributed tables may reference them), then each colocation group's first table
    /// before the tables colocated with it.
    Distribution,
    /// Keys, checks, foreign keys and indexes on tables that exist by now, so that the
    /// order of tables in the model never matters.
    Constraints,
    /// Triggers, row-level security and policies: the functions they call exist.
    Dependents,
    /// Owners, grants, default privileges and comments on what now exists. Default
    /// privileges come after the model's own objects: they are for objects created later.
    Access,
    /// Tables and partitions the model no longer has.
    Drops,
    /// Functions and types, once no table or view uses them.
    LateDrops,
    /// Schemas, extensions and roles, once nothing inside them is left.
    ContainerDrops,
    /// The bodies of created and replaced functions, checked by their language's
    /// validator once every object they may name exists (they are created with
    /// `check_function_bodies` off, like pg_dump does, so that order never matters).
    BodyChecks,
    /// Outside the transaction, after it commits: `CONCURRENTLY` cannot run in one.
    Concurrent,
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ColumnKey {
    pub table: QName,
    pub column: String,
}

/// Something that lives on a table and is named per table: a constraint, trigger,
/// policy, partition (partitions and indexes are named per schema, but belong to a table).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OnTable {
    pub table: QName,
    pub name: String,
}

impl OnTable {
    pub fn new(table: &QName, name: &str) -> OnTable {
        OnTable {
            table: table.clone(),
            name: name.to_string(),
        }
    }
}

/// The kinds of table constraint a step adds or drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    Exclusion,
    ForeignKey,
}

impl ConstraintKind {
    pub fn noun(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique constraint",
            ConstraintKind::Check => "check",
            ConstraintKind::Exclusion => "exclusion constraint",
            ConstraintKind::ForeignKey => "foreign key",
        }
    }
}

/// How a constraint on an existing table is added: `NOT VALID` first (no scan under
/// the strong lock) and validated by a later step, or at once (a new, empty table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validation {
    Immediate,
    NotValid,
}

/// What a grant, revoke or comment is on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Schema {
        name: String,
    },
    Type {
        name: QName,
    },
    Table {
        name: QName,
    },
    Column {
        column: ColumnKey,
    },
    View {
        name: QName,
    },
    MaterializedView {
        name: QName,
    },
    ViewColumn {
        view: QName,
        column: String,
    },
    Function {
        name: RoutineId,
    },
    Index {
        name: QName,
    },
    Trigger {
        on: OnTable,
    },
    /// Serial columns' sequences: inserting calls nextval(), which needs USAGE.
    Sequence {
        name: QName,
    },
}

/// Where a new enum value goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumPosition {
    After(String),
    Before(String),
    End,
}

/// How a column gets its new type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conversion {
    /// `USING column::type`, the server's own cast.
    Cast,
    /// `USING (expression)` from the model's `using`, which names columns by their new
    /// names (renames run first).
    Using(String),
    /// Through text: enum values that keep their labels in a replaced enum type.
    ViaText,
    /// A cast from a replaced domain to its new definition (`USING column::type`).
    ReplacedDomain,
}

/// A column of a rebuilt table and where its values come from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CopiedColumn {
    pub column: String,
    pub from: CopySource,
    /// The column's name in the previous catalog, when the plan renames it before the
    /// copy: what the rebuild keeps of the old table (its hazards say what it loses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CopySource {
    /// The old table's column of the same name.
    Column,
    /// The model's `using` expression, over the old table's columns (by their new names).
    Expression(String),
}

/// Row-level security switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RlsSwitch {
    Enable,
    Disable,
    Force,
    NoForce,
}

/// One change of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    // Phase::Roles
    CreateRole {
        role: String,
    },
    AlterRole {
        role: String,
    },
    GrantMembership {
        role: String,
        parent: String,
    },

    // Phase::Containers
    CreateExtension {
        name: String,
    },
    CreateSchema {
        name: String,
    },
    CreateEnum {
        name: QName,
    },
    /// Committed in a transaction of its own before the plan's: a new enum value cannot
    /// be used in the transaction that adds it.
    AddEnumValue {
        name: QName,
        value: String,
        position: EnumPosition,
    },
    /// A standalone sequence, with every option.
    CreateSequence {
        name: QName,
    },
    /// New options for a sequence (`ALTER SEQUENCE`): its values so far are kept.
    AlterSequence {
        name: QName,
    },

    // Phase::Teardown (previous catalog's names)
    /// Values removed or reordered: the old type steps aside under `<name>__old` (once
    /// the functions whose signature names it are dropped), a new one is created
    /// ([`Step::CreateReplacementEnum`]), columns convert through text, and the old one
    /// is dropped.
    RenameEnumAside {
        name: QName,
    },
    /// The new definition of an enum renamed aside, before anything uses it.
    CreateReplacementEnum {
        name: QName,
    },
    DropView {
        name: QName,
        materialized: bool,
    },
    DropTrigger {
        on: OnTable,
    },
    DropPolicy {
        on: OnTable,
    },
    DropConstraint {
        on: OnTable,
        kind: ConstraintKind,
    },
    DropIndex {
        name: QName,
    },
    DropFunctionForReplacement {
        name: RoutineId,
    },
    /// A function the model removes whose signature names a type this plan replaces:
    /// dropped while the type still has its name (a late drop would name the new one);
    /// or one whose name another overload keeps: dropped before what calls the name is
    /// created again, which would bind to it while it exists.
    DropFunctionEarly {
        name: RoutineId,
    },
    /// `OWNED BY NONE` before its owning column changes or goes (which would take the
    /// sequence with it) or before the sequence itself goes.
    DisownSequence {
        name: QName,
    },
    /// Base type or collation changed (neither can be altered): the old domain steps
    /// aside under `<name>__old`, a new one is created, columns convert with a cast, and
    /// the old one is dropped. After the functions whose signature names it are dropped
    /// (a DROP FUNCTION names the type as it was).
    RenameDomainAside {
        name: QName,
    },
    /// Attributes reordered, or added before existing ones (`ADD ATTRIBUTE` appends): the
    /// old type steps aside under `<name>__old`, a new one is created, the old one dropped.
    RenameCompositeTypeAside {
        name: QName,
    },
    /// A check the domain no longer has, or whose expression changes.
    DropDomainCheck {
        name: QName,
        check: String,
    },
    DetachPartition {
        on: OnTable,
    },

    // Phase::Objects (next catalog's names unless said otherwise)
    /// With its default, NOT NULL and checks; ordered with the functions its checks call
    /// and before the tables and functions that use it.
    CreateDomain {
        name: QName,
    },
    /// `SET DEFAULT` or `DROP DEFAULT`, as the next catalog says.
    AlterDomainDefault {
        name: QName,
    },
    /// Ordered like a domain: after the domains and types of its attributes, before the
    /// tables and functions that use it.
    CreateCompositeType {
        name: QName,
    },
    DropAttribute {
        name: QName,
        attribute: String,
    },
    /// `ALTER ATTRIBUTE … TYPE`, with its collation.
    AlterAttributeType {
        name: QName,
        attribute: String,
    },
    /// `ADD ATTRIBUTE`, which appends.
    AddAttribute {
        name: QName,
        attribute: String,
    },
    CreateFunction {
        name: RoutineId,
    },
    ReplaceFunction {
        name: RoutineId,
    },
    RenameTable {
        from: QName,
        to: String,
    },
    CreateTable {
        name: QName,
    },
    /// Partitioning changed (or the flavour cannot alter the table in place): a new table
    /// beside the old, rows copied, the old dropped. `previous` is the table's name in
    /// the previous catalog; `keep` are the columns copied (renamed columns were renamed
    /// in place before, so a copy names them as the model does).
    RebuildTable {
        name: QName,
        previous: QName,
        keep: Vec<CopiedColumn>,
    },
    CreatePartition {
        on: OnTable,
    },
    /// Partitions whose bounds change (PostgreSQL cannot alter bounds in place): each is
    /// detached with its rows kept aside, dropped and created again with its new bounds;
    /// the default partition is emptied the same way (a partition cannot be created while
    /// the default holds rows its bounds cover); the `added` partitions are created then
    /// too; the kept rows go back in through the parent, which routes each row.
    RebindPartitions {
        table: QName,
        rebound: Vec<String>,
        added: Vec<String>,
        default: Option<String>,
    },
    AddColumn {
        column: ColumnKey,
    },
    RenameColumn {
        table: QName,
        from: String,
        to: String,
    },
    DropColumn {
        table: QName,
        column: String,
    },
    /// A default the model drops; or one that goes before a type change and comes back
    /// after it.
    DropColumnDefault {
        column: ColumnKey,
    },
    AlterColumnType {
        column: ColumnKey,
        from: String,
        conversion: Conversion,
    },
    SetColumnDefault {
        column: ColumnKey,
    },
    SetNotNull {
        column: ColumnKey,
    },
    DropNotNull {
        column: ColumnKey,
    },
    SetGenerationExpression {
        column: ColumnKey,
    },
    DropGenerationExpression {
        column: ColumnKey,
    },
    AddIdentity {
        column: ColumnKey,
    },
    AlterIdentity {
        column: ColumnKey,
    },
    DropIdentity {
        column: ColumnKey,
    },
    RenameConstraint {
        table: QName,
        from: String,
        to: String,
        kind: ConstraintKind,
    },
    /// `SET LOGGED` or `SET UNLOGGED`: the table is rewritten.
    SetPersistence {
        table: QName,
        unlogged: bool,
    },
    /// `SET (…)` for parameters added or changed, `RESET (…)` for those removed.
    SetStorageParameters {
        table: QName,
    },
    CreateView {
        name: QName,
    },

    // Phase::Distribution (Citus)
    /// `citus_schema_undistribute`.
    UndistributeSchema {
        name: String,
    },
    /// `undistribute_table`: the distribution goes, or changes kind.
    UndistributeTable {
        table: QName,
    },
    /// `citus_schema_distribute`: the schema's tables become single-shard tables.
    DistributeSchema {
        name: String,
    },
    /// `create_reference_table` or `create_distributed_table`, as the next catalog says.
    DistributeTable {
        table: QName,
    },
    /// `alter_distributed_table`: another distribution column, shard count or colocation.
    AlterDistribution {
        table: QName,
    },

    // Phase::Constraints
    AddConstraint {
        on: OnTable,
        kind: ConstraintKind,
        validation: Validation,
    },
    ValidateConstraint {
        on: OnTable,
        kind: ConstraintKind,
    },
    /// A plain build: on a new or partitioned table (CONCURRENTLY is not allowed there).
    CreateIndex {
        on: OnTable,
    },
    /// `OWNED BY table.column`, once the column exists.
    SetSequenceOwner {
        name: QName,
    },
    /// Checked against every value of the domain's columns, once the tables' own changes ran.
    AddDomainCheck {
        name: QName,
        check: String,
    },
    /// `SET NOT NULL` (checked against every column of the domain) or `DROP NOT NULL`.
    SetDomainNullability {
        name: QName,
        not_null: bool,
    },

    // Phase::Dependents
    CreateTrigger {
        on: OnTable,
    },
    ReplaceTrigger {
        on: OnTable,
    },
    SetRowLevelSecurity {
        table: QName,
        switch: RlsSwitch,
    },
    CreatePolicy {
        on: OnTable,
    },

    // Phase::Access
    AlterSchemaOwner {
        name: String,
    },
    /// `ALTER … OWNER TO` the object's owner in the next catalog (the database owner
    /// when it names none); a table's partitions go along.
    AlterOwner {
        target: Target,
    },
    RevokeMembership {
        role: String,
        parent: String,
    },
    Grant {
        target: Target,
        grant: GrantDef,
    },
    Revoke {
        target: Target,
        grant: GrantDef,
    },
    /// `REVOKE ALL … FROM PUBLIC` on a function whose grants the model lists: functions
    /// are executable by everyone unless revoked.
    RevokeFromPublic {
        function: RoutineId,
    },
    GrantDefaultPrivileges {
        schema: String,
        privileges: DefaultPrivilegeDef,
    },
    RevokeDefaultPrivileges {
        schema: String,
        privileges: DefaultPrivilegeDef,
    },
    SetComment {
        target: Target,
        comment: Option<String>,
    },

    // Phase::Drops (previous catalog's names)
    /// One statement, so tables that reference each other go together.
    DropTables {
        names: Vec<QName>,
    },
    DropDetachedPartition {
        name: QName,
    },

    // Phase::LateDrops
    DropFunction {
        name: RoutineId,
    },
    DropType {
        name: QName,
    },
    DropReplacedEnum {
        name: QName,
    },
    /// Before the functions its checks call and the types it is based on.
    DropDomain {
        name: QName,
    },
    DropReplacedDomain {
        name: QName,
    },
    DropCompositeType {
        name: QName,
    },
    DropReplacedCompositeType {
        name: QName,
    },
    /// After the tables whose defaults used it.
    DropSequence {
        name: QName,
    },

    // Phase::ContainerDrops
    DropSchema {
        name: String,
    },
    DropExtension {
        name: String,
    },
    DropRole {
        role: String,
    },

    // Phase::BodyChecks
    CheckFunctionBody {
        name: RoutineId,
    },
    // Phase::Concurrent
    DropIndexConcurrently {
        name: QName,
    },
    /// With its comment, which cannot be set before the index exists.
    CreateIndexConcurrently {
        on: OnTable,
    },
}

impl Step {
    /// Cluster-level: runs as the connecting admin, not as the database owner.
    pub fn cluster_level(&self) -> bool {
        matches!(
            self,
            Step::CreateRole { .. }
                | Step::AlterRole { .. }
                | Step::GrantMembership { .. }
                | Step::RevokeMembership { .. }
                | Step::DropRole { .. }
                | Step::DropExtension { .. }
        )
    }

    /// Adds a value to an enum: committed before the plan's transaction.
    pub fn commits_first(&self) -> bool {
        matches!(self, Step::AddEnumValue { .. })
    }

    /// What can go wrong when this step runs, from its kind and the two catalogs.
    pub fn hazards(&self, pair: Pair<&Catalog>) -> Vec<Hazard> {
        crate::hazards::of(self, pair)
    }

    /// For people: `add column steam.applications.rating`.
    pub fn describe(&self) -> String {
        crate::describe::step(self)
    }

    /// [`Step::describe`], naming a procedure as such (the step kinds are shared with
    /// functions).
    pub fn describe_in(&self, pair: Pair<&Catalog>) -> String {
        crate::describe::step_in(self, pair)
    }
}
