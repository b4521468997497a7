//! What a step does, in words, for plans and logs.

use crate::catalog::{Catalog, RoutineId};
use crate::step::{
    ConstraintKind, Conversion, EnumPosition, Pair, RlsSwitch, Step, Target, Validation,
};

/// What a routine of the plan is called: `function` or `procedure`, from its name and
/// whether the step drops it (then the current catalog knows it best).
type RoutineNoun<'a> = &'a dyn Fn(&RoutineId, bool) -> &'static str;

/// [`step`], with a routine called a procedure when the catalogs say it is one.
pub(crate) fn step_in(step: &Step, pair: Pair<&Catalog>) -> String {
    let noun = |name: &RoutineId, dropped: bool| {
        let (first, second) = if dropped {
            (pair.previous, pair.next)
        } else {
            (pair.next, pair.previous)
        };
        first
            .functions
            .get(name)
            .or_else(|| second.functions.get(name))
            .map(|f| f.kind)
            .unwrap_or_default()
            .noun()
    };
    let text = step_with(step, &noun);
    match step {
        // The role the object goes to, when the step names no other.
        Step::AlterOwner { target } => {
            let owner = target
                .subject()
                .and_then(|s| s.owner(pair.next).cloned())
                .or_else(|| pair.next.database.owner.clone())
                .or_else(|| pair.previous.database.owner.clone());
            match owner {
                Some(owner) => format!("{text} to {owner}"),
                None => text,
            }
        }
        _ => text,
    }
}

pub(crate) fn step(step: &Step) -> String {
    step_with(step, &|_, _| "function")
}

fn step_with(step: &Step, routine: RoutineNoun<'_>) -> String {
    use Step::*;
    match step {
        CreateRole { role } => format!("create role {role}"),
        AlterRole { role } => format!("alter role {role}"),
        GrantMembership { role, parent } => format!("grant role {parent} to {role}"),
        CreateExtension { name } => format!("create extension {name}"),
        CreateSchema { name } => format!("create schema {name}"),
        CreateEnum { name } => format!("create enum {name}"),
        AddEnumValue {
            name,
            value,
            position,
        } => {
            let at = match position {
                EnumPosition::After(v) => format!(" after {v}"),
                EnumPosition::Before(v) => format!(" before {v}"),
                EnumPosition::End => String::new(),
            };
            format!("add value {value} to enum {name}{at} (committed first)")
        }
        RenameEnumAside { name } => format!("rename enum {name} to replace it"),
        CreateReplacementEnum { name } => format!("create enum {name} anew"),
        CreateSequence { name } => format!("create sequence {name}"),
        AlterSequence { name } => format!("alter sequence {name}"),
        DisownSequence { name } => format!("detach sequence {name} from its column"),
        SetSequenceOwner { name } => format!("set the column owning sequence {name}"),
        DropSequence { name } => format!("drop sequence {name}"),
        RenameDomainAside { name } => format!("rename domain {name} to replace it"),
        CreateDomain { name } => format!("create domain {name}"),
        AlterDomainDefault { name } => format!("default of domain {name}"),
        DropDomainCheck { name, check } => format!("drop check {check} of domain {name}"),
        AddDomainCheck { name, check } => {
            format!("add check {check} to domain {name} (checks its columns' values)")
        }
        SetDomainNullability { name, not_null } => {
            if *not_null {
                format!("set domain {name} NOT NULL (checks its columns' values)")
            } else {
                format!("drop NOT NULL of domain {name}")
            }
        }
        DropDomain { name } => format!("drop domain {name}"),
        DropReplacedDomain { name } => format!("drop the replaced domain {name}__old"),
        RenameCompositeTypeAside { name } => format!("rename composite type {name} to replace it"),
        CreateCompositeType { name } => format!("create composite type {name}"),
        AddAttribute { name, attribute } => format!("add attribute {attribute} to type {name}"),
        DropAttribute { name, attribute } => {
            format!("drop attribute {attribute} of type {name}")
        }
        AlterAttributeType { name, attribute } => {
            format!("change type of attribute {attribute} of type {name}")
        }
        DropCompositeType { name } => format!("drop composite type {name}"),
        DropReplacedCompositeType { name } => {
            format!("drop the replaced composite type {name}__old")
        }
        SetPersistence { table, unlogged } => format!(
            "make table {table} {}",
            if *unlogged { "unlogged" } else { "logged" }
        ),
        SetStorageParameters { table } => format!("set storage parameters of table {table}"),
        DropView { name, materialized } => format!(
            "drop {} {name}",
            if *materialized {
                "materialized view"
            } else {
                "view"
            }
        ),
        DropTrigger { on } => format!("drop trigger {} on {}", on.name, on.table),
        DropPolicy { on } => format!("drop policy {} on {}", on.name, on.table),
        DropConstraint { on, kind } => format!("drop {} {} of {}", kind.noun(), on.name, on.table),
        DropIndex { name } => format!("drop index {name}"),
        DropFunctionForReplacement { name } => {
            format!("drop {} {name} to create it again", routine(name, true))
        }
        DetachPartition { on } => format!("detach partition {}.{}", on.table.schema, on.name),
        CreateFunction { name } => format!("create {} {name}", routine(name, false)),
        ReplaceFunction { name } => format!("replace {} {name}", routine(name, false)),
        RenameTable { from, to } => format!("rename table {from} to {to}"),
        CreateTable { name } => format!("create table {name}"),
        UndistributeSchema { name } => format!("undistribute schema {name} (Citus)"),
        UndistributeTable { table } => format!("undistribute table {table} (Citus)"),
        DistributeSchema { name } => format!("distribute schema {name} (Citus)"),
        DistributeTable { table } => format!("distribute table {table} (Citus)"),
        AlterDistribution { table } => format!("alter the distribution of {table} (Citus)"),
        RebuildTable { name, .. } => format!("rebuild table {name} (new table, rows copied)"),
        CreatePartition { on } => format!("create partition {}.{}", on.table.schema, on.name),
        RebindPartitions { table, rebound, .. } => format!(
            "new bounds for partition{} {} of {table} (rebuilt, rows moved)",
            if rebound.len() == 1 { "" } else { "s" },
            rebound.join(", ")
        ),
        AddColumn { column } => format!("add column {}.{}", column.table, column.column),
        RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
        DropColumn { table, column } => format!("drop column {table}.{column}"),
        // Also before a type change, with the default set again after it.
        DropColumnDefault { column } => {
            format!("drop default of {}.{}", column.table, column.column)
        }
        AlterColumnType {
            column,
            from,
            conversion,
        } => {
            let how = match conversion {
                Conversion::Cast => String::new(),
                Conversion::Using(expr) => format!(" using {expr}"),
                Conversion::ViaText => " through text".to_string(),
                Conversion::ReplacedDomain => " to the replaced domain".to_string(),
            };
            format!(
                "change type of {}.{} from {from}{how}",
                column.table, column.column
            )
        }
        SetColumnDefault { column } => format!("default of {}.{}", column.table, column.column),
        SetNotNull { column } => format!(
            "set {}.{} NOT NULL (checked first without a long lock)",
            column.table, column.column
        ),
        DropNotNull { column } => format!("allow NULL in {}.{}", column.table, column.column),
        SetGenerationExpression { column } => format!(
            "new generation expression for {}.{}",
            column.table, column.column
        ),
        DropGenerationExpression { column } => {
            format!("{}.{} is no longer generated", column.table, column.column)
        }
        AddIdentity { column } => {
            format!("make {}.{} an identity column", column.table, column.column)
        }
        AlterIdentity { column } => format!("alter identity of {}.{}", column.table, column.column),
        DropIdentity { column } => format!(
            "{}.{} is no longer an identity column",
            column.table, column.column
        ),
        RenameConstraint {
            table,
            from,
            to,
            kind,
        } => format!("rename {} {from} of {table} to {to}", kind.noun()),
        CreateView { name } => format!("create view {name}"),
        AddConstraint {
            on,
            kind,
            validation,
        } => format!(
            "add {} {} to {}{}",
            kind.noun(),
            on.name,
            on.table,
            if *validation == Validation::NotValid {
                " (NOT VALID)"
            } else {
                ""
            }
        ),
        ValidateConstraint { on, kind } => {
            format!("validate {} {} of {}", kind.noun(), on.name, on.table)
        }
        CreateIndex { on } => format!("create index {}.{}", on.table.schema, on.name),
        CreateTrigger { on } => format!("create trigger {} on {}", on.name, on.table),
        ReplaceTrigger { on } => format!("replace trigger {} on {}", on.name, on.table),
        SetRowLevelSecurity { table, switch } => {
            let verb = match switch {
                RlsSwitch::Enable => "enable",
                RlsSwitch::Disable => "disable",
                RlsSwitch::Force => "force",
                RlsSwitch::NoForce => "no force",
            };
            format!("{verb} row level security on {table}")
        }
        CreatePolicy { on } => format!("create policy {} on {}", on.name, on.table),
        AlterSchemaOwner { name } => format!("change owner of schema {name}"),
        AlterOwner { target } => format!("change owner of {}", target_text_with(target, routine)),
        RevokeMembership { role, parent } => format!("revoke role {parent} from {role}"),
        Grant { target, grant } => format!(
            "grant {} on {} to {}",
            privileges(grant),
            target_text_with(target, routine),
            grant.grantee
        ),
        Revoke { target, grant } => format!(
            "revoke {} on {} from {}",
            privileges(grant),
            target_text_with(target, routine),
            grant.grantee
        ),
        RevokeFromPublic { function } => {
            format!(
                "revoke all on {} {function} from PUBLIC",
                routine(function, false)
            )
        }
        GrantDefaultPrivileges { schema, privileges } => format!(
            "default privileges in schema {schema} for {}",
            privileges.grantee
        ),
        RevokeDefaultPrivileges { schema, privileges } => format!(
            "revoke default privileges in schema {schema} from {}",
            privileges.grantee
        ),
        SetComment { target, comment } => match comment {
            Some(_) => format!("comment on {}", target_text_with(target, routine)),
            None => format!(
                "remove the comment on {}",
                target_text_with(target, routine)
            ),
        },
        DropTables { names } => {
            let names: Vec<String> = names.iter().map(ToString::to_string).collect();
            format!("drop table {}", names.join(", "))
        }
        DropDetachedPartition { name } => format!("drop detached partition {name}"),
        DropFunction { name } => format!("drop {} {name}", routine(name, true)),
        DropFunctionEarly { name } => format!(
            "drop {} {name} before what replaces it is created",
            routine(name, true)
        ),
        DropType { name } => format!("drop type {name}"),
        DropReplacedEnum { name } => format!("drop the replaced enum {name}__old"),
        DropSchema { name } => format!("drop schema {name}"),
        DropExtension { name } => format!("drop extension {name}"),
        DropRole { role } => format!("drop role {role}"),
        CheckFunctionBody { name } => {
            format!("check the body of {} {name}", routine(name, false))
        }
        DropIndexConcurrently { name } => format!("drop index {name} concurrently"),
        CreateIndexConcurrently { on } => {
            format!("create index {}.{} concurrently", on.table.schema, on.name)
        }
    }
}

fn privileges(grant: &crate::catalog::GrantDef) -> String {
    let names: Vec<&str> = grant.privileges.iter().map(|p| p.sql()).collect();
    let mut text = names.join(", ").to_ascii_lowercase();
    if !grant.columns.is_empty() {
        text.push_str(&format!(" ({})", grant.columns.join(", ")));
    }
    text
}

/// The target in words: `table steam.apps`, `column steam.apps.name`.
pub fn target_text(target: &Target) -> String {
    target_text_with(target, &|_, _| "function")
}

fn target_text_with(target: &Target, routine: RoutineNoun<'_>) -> String {
    match target {
        Target::Schema { name } => format!("schema {name}"),
        Target::Type { name } => format!("type {name}"),
        Target::Table { name } => format!("table {name}"),
        Target::Column { column } => format!("column {}.{}", column.table, column.column),
        Target::View { name } => format!("view {name}"),
        Target::MaterializedView { name } => format!("materialized view {name}"),
        Target::ViewColumn { view, column } => format!("column {view}.{column}"),
        Target::Function { name } => format!("{} {name}", routine(name, false)),
        Target::Index { name } => format!("index {name}"),
        Target::Trigger { on } => format!("trigger {} on {}", on.name, on.table),
        Target::Sequence { name } => format!("sequence {name}"),
    }
}

impl ConstraintKind {
    /// Whether adding it on an existing table can be split into NOT VALID + VALIDATE.
    pub fn can_be_not_valid(self) -> bool {
        matches!(self, ConstraintKind::Check | ConstraintKind::ForeignKey)
    }
}
