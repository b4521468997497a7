//! The hazards of each kind of step. They follow from the step and the two catalogs,
//! never from the SQL a flavour renders for it.

use crate::catalog::Catalog;
use crate::step::{ConstraintKind, Conversion, Hazard, Pair, Step};

pub(crate) fn of(step: &Step, pair: Pair<&Catalog>) -> Vec<Hazard> {
    use Hazard::*;
    use Step::*;
    match step {
        CreateRole { .. }
        | AlterRole { .. }
        | GrantMembership { .. }
        | RevokeMembership { .. }
        | DropRole { .. }
        | DropPolicy { .. }
        | CreatePolicy { .. }
        | SetRowLevelSecurity { .. }
        | AlterSchemaOwner { .. }
        | AlterOwner { .. }
        | Grant { .. }
        | Revoke { .. }
        | RevokeFromPublic { .. }
        | GrantDefaultPrivileges { .. }
        | RevokeDefaultPrivileges { .. } => vec![Authorization],
        DropExtension { .. }
        | DropSchema { .. }
        | DropType { .. }
        | DropColumn { .. }
        | DropTables { .. }
        | DropDetachedPartition { .. }
        | DropSequence { .. }
        | DropDomain { .. }
        | DropCompositeType { .. }
        | DropAttribute { .. }
        | RenameEnumAside { .. } => vec![DataLoss],
        // Every column of the domain is checked under a lock that blocks writes.
        AddDomainCheck { name, .. }
        | SetDomainNullability {
            name,
            not_null: true,
        } if pair.previous.domains.contains_key(name) => vec![AccessExclusiveLock],
        UndistributeTable { table } | DistributeTable { table } | AlterDistribution { table }
            if pair.previous.tables.contains_key(table) =>
        {
            vec![TableRewrite, AccessExclusiveLock]
        }
        UndistributeSchema { name } | DistributeSchema { name }
            if pair.previous.tables.keys().any(|q| q.schema == *name) =>
        {
            vec![TableRewrite, AccessExclusiveLock]
        }
        DropConstraint {
            kind: ConstraintKind::PrimaryKey,
            ..
        }
        | DropIndex { .. } => vec![AccessExclusiveLock],
        // The whole table is copied (and, to become logged, written to the WAL).
        SetPersistence { .. } => vec![TableRewrite, AccessExclusiveLock],
        AddConstraint {
            on,
            kind: ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion,
            ..
        } if pair.previous.tables.contains_key(&on.table) => vec![AccessExclusiveLock],
        CreateIndex { on } if pair.previous.tables.contains_key(&on.table) => {
            vec![AccessExclusiveLock]
        }
        AddColumn { column } => {
            let rewrites = pair
                .next
                .tables
                .get(&column.table)
                .and_then(|t| t.column(&column.column))
                // Values computed row by row: a generation expression, a volatile
                // default, or a sequence (serial, identity) numbering the existing rows.
                .is_some_and(|c| {
                    c.generated.is_some()
                        || c.serial.is_some()
                        || c.identity.is_some()
                        || c.default.as_deref().is_some_and(is_volatile)
                });
            if rewrites {
                vec![TableRewrite, AccessExclusiveLock]
            } else {
                Vec::new()
            }
        }
        AlterColumnType {
            column,
            from,
            conversion,
        } => {
            let to = pair
                .next
                .tables
                .get(&column.table)
                .and_then(|t| t.column(&column.column))
                .map(|c| c.ty.as_str())
                .unwrap_or_default();
            let mut hazards = Vec::new();
            let distributed_by =
                pair.previous
                    .tables
                    .get(&column.table)
                    .and_then(|t| match &t.citus {
                        Some(crate::catalog::Distribution::Hash { column, .. }) => {
                            Some(column.as_str())
                        }
                        _ => None,
                    });
            if distributed_by == Some(column.column.as_str()) {
                hazards.push(DistributionColumn);
            }
            if *conversion == Conversion::ViaText {
                hazards.push(DataLoss);
            }
            if *conversion == Conversion::ReplacedDomain {
                // Another base type: every value is cast and written again.
                hazards.extend([TableRewrite, AccessExclusiveLock]);
                return hazards;
            }
            if from == to && *conversion == Conversion::Cast {
                // Only the collation changes (a replaced enum of the same name converts
                // through text): no rewrite, the column's indexes are rebuilt.
                hazards.push(AccessExclusiveLock);
            } else if !is_binary_widening(from, to) {
                hazards.extend([TableRewrite, AccessExclusiveLock]);
            }
            hazards
        }
        SetGenerationExpression { .. } | RebindPartitions { .. } => {
            vec![TableRewrite, AccessExclusiveLock]
        }
        RebuildTable { previous, keep, .. } => {
            // The old table by its name before the plan, its columns by theirs.
            let kept = |column: &str| {
                keep.iter()
                    .any(|k| k.renamed_from.as_deref().unwrap_or(&k.column) == column)
            };
            let loses_columns = pair.previous.tables.get(previous).is_some_and(|t| {
                t.columns
                    .iter()
                    .any(|c| c.generated.is_none() && !kept(&c.name))
            });
            let mut hazards = vec![TableRewrite, AccessExclusiveLock];
            if loses_columns {
                hazards.insert(0, DataLoss);
            }
            hazards
        }
        _ => Vec::new(),
    }
}

/// Type changes PostgreSQL makes without rewriting the table.
pub fn is_binary_widening(from: &str, to: &str) -> bool {
    let varchar_len = |t: &str| {
        t.strip_prefix("character varying(")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|n| n.parse::<u32>().ok())
    };
    match (varchar_len(from), varchar_len(to)) {
        (Some(a), Some(b)) => b >= a,
        (Some(_), None) => to == "text" || to == "character varying",
        _ => from == "character varying" && to == "text",
    }
}

/// Defaults evaluated per row force a rewrite when a column is added.
pub fn is_volatile(expr: &str) -> bool {
    let lower = expr.to_ascii_lowercase();
    [
        "random(",
        "gen_random_uuid(",
        "clock_timestamp(",
        "nextval(",
        "uuidv7(",
    ]
    .iter()
    .any(|f| lower.contains(f))
}
