//! Transaction blocks, `SET lock_timeout`, and which statements wait for a lock that
//! blocks other sessions.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    AlterTableStmt, AlterTableType, ConstrType, Node, ObjectType, TransactionStmt,
    TransactionStmtKind, VariableSetKind, VariableSetStmt,
};

use super::names::{RelName, string_value};
use super::{Scope, State};

pub(super) fn transaction(stmt: &TransactionStmt, state: &mut State) {
    use TransactionStmtKind::*;
    match TransactionStmtKind::try_from(stmt.kind) {
        Ok(TransStmtBegin | TransStmtStart) => state.begin(),
        Ok(TransStmtCommit | TransStmtRollback | TransStmtPrepare) => state.end_transaction(),
        _ => {}
    }
}

pub(super) fn set(stmt: &VariableSetStmt, state: &mut State) {
    let scope = if stmt.is_local {
        Scope::Transaction
    } else {
        Scope::Session
    };
    match VariableSetKind::try_from(stmt.kind) {
        Ok(VariableSetKind::VarSetValue) if stmt.name == "lock_timeout" => {
            let disabled = stmt.args.first().is_some_and(is_zero);
            state.set_lock_timeout((!disabled).then_some(scope));
        }
        Ok(VariableSetKind::VarSetDefault | VariableSetKind::VarReset)
            if stmt.name == "lock_timeout" =>
        {
            state.set_lock_timeout(None);
        }
        Ok(VariableSetKind::VarResetAll) => state.set_lock_timeout(None),
        _ => {}
    }
}

/// `SELECT set_config('lock_timeout', '5s', is_local)`.
pub(super) fn set_config(node: &NodeEnum, state: &mut State) {
    for (n, ..) in node.nodes() {
        let pg_query::NodeRef::FuncCall(call) = n else {
            continue;
        };
        if call.funcname.last().and_then(string_value) != Some("set_config") {
            continue;
        }
        let [name, value, local] = call.args.as_slice() else {
            continue;
        };
        if string_constant(name) != Some("lock_timeout") {
            continue;
        }
        let local = matches!(
            local.node.as_ref(),
            Some(NodeEnum::AConst(c)) if matches!(
                c.val, Some(pg_query::protobuf::a_const::Val::Boolval(ref b)) if b.boolval
            )
        );
        let scope = if local {
            Scope::Transaction
        } else {
            Scope::Session
        };
        state.set_lock_timeout((!is_zero(value)).then_some(scope));
    }
}

fn string_constant(node: &Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::AConst(c) => match c.val.as_ref()? {
            pg_query::protobuf::a_const::Val::Sval(s) => Some(&s.sval),
            _ => None,
        },
        _ => None,
    }
}

/// `0` or `'0'` (with or without a unit): lock_timeout off.
fn is_zero(node: &Node) -> bool {
    match node.node.as_ref() {
        Some(NodeEnum::AConst(c)) => match c.val.as_ref() {
            Some(pg_query::protobuf::a_const::Val::Ival(i)) => i.ival == 0,
            Some(pg_query::protobuf::a_const::Val::Sval(s)) => s
                .sval
                .trim()
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .trim()
                .parse::<f64>()
                .is_ok_and(|v| v == 0.0),
            _ => false,
        },
        _ => false,
    }
}

/// Whether the statement waits for a lock that, while queued or held, blocks other
/// sessions' reads or writes of a relation that existed before the migration: the
/// statements `lock_timeout` is for.
pub(super) fn takes_blocking_lock(node: &NodeEnum, state: &State) -> bool {
    let existing = |rel: Option<&pg_query::protobuf::RangeVar>| {
        rel.is_some_and(|r| !state.is_new(&RelName::of(r)))
    };
    match node {
        NodeEnum::AlterTableStmt(stmt) => alter_table_locks(stmt, state),
        NodeEnum::IndexStmt(stmt) => !stmt.concurrent && existing(stmt.relation.as_ref()),
        NodeEnum::DropStmt(stmt) => {
            let kind = ObjectType::try_from(stmt.remove_type);
            let relation_kind = matches!(
                kind,
                Ok(ObjectType::ObjectTable
                    | ObjectType::ObjectView
                    | ObjectType::ObjectMatview
                    | ObjectType::ObjectSequence
                    | ObjectType::ObjectForeignTable)
            );
            let index = kind == Ok(ObjectType::ObjectIndex) && !stmt.concurrent;
            let on_relation = matches!(
                kind,
                Ok(ObjectType::ObjectTrigger | ObjectType::ObjectPolicy | ObjectType::ObjectRule)
            );
            let names: Vec<RelName> = stmt
                .objects
                .iter()
                .filter_map(|o| match o.node.as_ref()? {
                    NodeEnum::List(list) => RelName::from_parts(&list.items),
                    _ => None,
                })
                .collect();
            (relation_kind && names.iter().any(|n| !state.is_new(n)))
                || (index && names.iter().any(|n| !state.created.has_index(n)))
                || on_relation
        }
        NodeEnum::RenameStmt(stmt) => existing(stmt.relation.as_ref()),
        NodeEnum::AlterObjectSchemaStmt(stmt) => existing(stmt.relation.as_ref()),
        NodeEnum::CreateTrigStmt(stmt) => existing(stmt.relation.as_ref()),
        NodeEnum::CreatePolicyStmt(stmt) => existing(stmt.table.as_ref()),
        NodeEnum::AlterPolicyStmt(stmt) => existing(stmt.table.as_ref()),
        NodeEnum::RuleStmt(stmt) => existing(stmt.relation.as_ref()),
        NodeEnum::ClusterStmt(_) | NodeEnum::LockStmt(_) => true,
        NodeEnum::TruncateStmt(stmt) => stmt.relations.iter().any(|r| match r.node.as_ref() {
            Some(NodeEnum::RangeVar(r)) => !state.is_new(&RelName::of(r)),
            _ => false,
        }),
        NodeEnum::VacuumStmt(stmt) => stmt.options.iter().any(|o| {
            matches!(o.node.as_ref(), Some(NodeEnum::DefElem(d)) if d.defname == "full")
        }),
        NodeEnum::ReindexStmt(stmt) => !stmt.params.iter().any(|p| {
            matches!(p.node.as_ref(), Some(NodeEnum::DefElem(d)) if d.defname == "concurrently")
        }),
        NodeEnum::RefreshMatViewStmt(stmt) => !stmt.concurrent && existing(stmt.relation.as_ref()),
        NodeEnum::CreateStmt(stmt) => {
            // PARTITION OF / INHERITS an existing parent locks it; so does a foreign key to
            // an existing table.
            let parent = stmt.inh_relations.iter().any(|r| match r.node.as_ref() {
                Some(NodeEnum::RangeVar(r)) => !state.is_new(&RelName::of(r)),
                _ => false,
            });
            let creating = stmt.relation.as_ref().map(RelName::of);
            let references = stmt
                .table_elts
                .iter()
                .chain(&stmt.constraints)
                .any(|n| references_existing(n, creating.as_ref(), state));
            parent || references
        }
        _ => false,
    }
}

/// Whether an `ALTER TABLE` takes a lock that blocks reads or writes: any command but the
/// few that take SHARE UPDATE EXCLUSIVE (validation, statistics, detaching concurrently).
fn alter_table_locks(stmt: &AlterTableStmt, state: &State) -> bool {
    let Some(relation) = &stmt.relation else {
        return false;
    };
    if stmt.objtype == ObjectType::ObjectIndex as i32 {
        return false;
    }
    let table_exists = !state.is_new(&RelName::of(relation));
    stmt.cmds.iter().any(|c| {
        let Some(NodeEnum::AlterTableCmd(cmd)) = c.node.as_ref() else {
            return false;
        };
        use AlterTableType::*;
        let weak = match AlterTableType::try_from(cmd.subtype) {
            Ok(AtValidateConstraint | AtSetStatistics | AtClusterOn | AtDropCluster) => true,
            Ok(AtDetachPartition) => matches!(
                cmd.def.as_ref().and_then(|d| d.node.as_ref()),
                Some(NodeEnum::PartitionCmd(p)) if p.concurrent
            ),
            _ => false,
        };
        (table_exists && !weak)
            || cmd
                .def
                .as_deref()
                .is_some_and(|d| references_existing(d, None, state))
    })
}

/// A foreign key (a constraint, or a column carrying one) to a table that existed before
/// (`creating`, the table a CREATE TABLE makes, may reference itself).
fn references_existing(node: &Node, creating: Option<&RelName>, state: &State) -> bool {
    let constraints: Vec<&pg_query::protobuf::Constraint> = match node.node.as_ref() {
        Some(NodeEnum::Constraint(c)) => vec![c.as_ref()],
        Some(NodeEnum::ColumnDef(col)) => col
            .constraints
            .iter()
            .filter_map(|c| match c.node.as_ref()? {
                NodeEnum::Constraint(c) => Some(c.as_ref()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    constraints.into_iter().any(|c| {
        c.contype == ConstrType::ConstrForeign as i32
            && c.pktable.as_ref().is_some_and(|t| {
                let target = RelName::of(t);
                !state.is_new(&target) && !creating.is_some_and(|c| c.same(&target))
            })
    })
}
