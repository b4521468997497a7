//! `ALTER TABLE`: added columns, constraints, NOT NULL, type changes, drops.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    AlterTableCmd, AlterTableStmt, AlterTableType, ColumnDef, ConstrType, Constraint, Node,
    NullTestType, ObjectType,
};

use super::names::{RelName, ident, string_value};
use super::{State, objects};
use crate::rules::Rule;
use crate::statements::offset;

pub(super) fn check(stmt: &AlterTableStmt, state: &mut State) {
    let Some(relation) = &stmt.relation else {
        return;
    };
    let table = RelName::of(relation);
    if stmt.objtype == ObjectType::ObjectIndex as i32 {
        return;
    }
    for cmd in stmt.cmds.iter().filter_map(|c| match c.node.as_ref()? {
        NodeEnum::AlterTableCmd(cmd) => Some(cmd),
        _ => None,
    }) {
        command(&table, cmd, state);
    }
}

fn command(table: &RelName, cmd: &AlterTableCmd, state: &mut State) {
    let new = state.is_new(table);
    let def = cmd.def.as_ref().and_then(|d| d.node.as_ref());
    let column = ident(&cmd.name);
    match AlterTableType::try_from(cmd.subtype) {
        Ok(AlterTableType::AtAddColumn) => {
            if let Some(NodeEnum::ColumnDef(col)) = def
                && !new
            {
                add_column(table, col, state);
            }
        }
        Ok(AlterTableType::AtAddConstraint) => {
            if let Some(NodeEnum::Constraint(constraint)) = def {
                add_constraint(table, constraint, new, state);
            }
        }
        Ok(AlterTableType::AtValidateConstraint) => {
            if state.was_added_not_valid_in_this_transaction(table, &cmd.name) {
                state.report(
                    Rule::ValidateInSameTransaction,
                    None,
                    format!(
                        "VALIDATE CONSTRAINT {column} on {table} runs in the transaction that \
                         added it NOT VALID"
                    ),
                );
            }
            state.validated(table, &cmd.name);
        }
        Ok(AlterTableType::AtDropConstraint) => state.dropped_constraint(table, &cmd.name),
        Ok(AlterTableType::AtSetNotNull)
            if !new && !state.has_validated_not_null_check(table, &cmd.name) =>
        {
            state.report(
                Rule::SetNotNullWithoutCheck,
                None,
                format!(
                    "ALTER COLUMN {column} SET NOT NULL scans {table} under an ACCESS \
                     EXCLUSIVE lock: no validated CHECK ({column} IS NOT NULL) precedes it"
                ),
            );
        }
        Ok(AlterTableType::AtAlterColumnType) if !new => {
            let to = match def {
                Some(NodeEnum::ColumnDef(col)) => col.type_name.as_ref().map(type_text),
                _ => None,
            };
            state.report(
                Rule::ColumnTypeChange,
                None,
                format!(
                    "ALTER COLUMN {column} TYPE {} rewrites {table} under an ACCESS EXCLUSIVE \
                     lock unless the change is binary-coercible",
                    to.unwrap_or_default()
                ),
            );
        }
        Ok(AlterTableType::AtDropColumn) if !new => state.report(
            Rule::DropColumn,
            None,
            format!("DROP COLUMN {column} deletes the column's data from {table}"),
        ),
        Ok(AlterTableType::AtDetachPartition) => {
            if let Some(NodeEnum::PartitionCmd(part)) = def
                && part.concurrent
            {
                objects::concurrently_in_transaction("DETACH PARTITION CONCURRENTLY", state);
            }
        }
        _ => {}
    }
}

/// `ADD COLUMN` on a table that existed before the migration.
fn add_column(table: &RelName, col: &ColumnDef, state: &mut State) {
    let at = Some(offset(col.location));
    let name = ident(&col.colname);
    let constraints: Vec<&Constraint> = col
        .constraints
        .iter()
        .filter_map(|c| match c.node.as_ref()? {
            NodeEnum::Constraint(c) => Some(c.as_ref()),
            _ => None,
        })
        .collect();
    let has = |kind: ConstrType| constraints.iter().any(|c| c.contype == kind as i32);
    let default = constraints
        .iter()
        .find(|c| c.contype == ConstrType::ConstrDefault as i32)
        .and_then(|c| c.raw_expr.as_deref())
        .or(col.raw_default.as_deref())
        .filter(|expr| !is_null_constant(expr));
    let type_name = col.type_name.as_ref().map(type_text).unwrap_or_default();
    let serial = is_serial(&type_name);
    let identity = has(ConstrType::ConstrIdentity);
    let generated = constraints
        .iter()
        .find(|c| c.contype == ConstrType::ConstrGenerated as i32);
    let not_null =
        col.is_not_null || has(ConstrType::ConstrNotnull) || has(ConstrType::ConstrPrimary);
    if not_null && default.is_none() && !serial && !identity && generated.is_none() {
        state.report(
            Rule::AddColumnNotNullWithoutDefault,
            at,
            format!("ADD COLUMN {name} {type_name} NOT NULL has no default: it fails on {table} once it has rows"),
        );
    }
    let volatile = default.and_then(volatile_function);
    if let Some(function) = &volatile {
        state.report(
            Rule::AddColumnVolatileDefault,
            at,
            format!("ADD COLUMN {name}: its DEFAULT calls {function}(), evaluated for every row: {table} is rewritten"),
        );
    } else if serial || identity {
        let kind = if serial {
            type_name.as_str()
        } else {
            "an identity column"
        };
        state.report(
            Rule::AddColumnVolatileDefault,
            at,
            format!(
                "ADD COLUMN {name} as {kind} fills every row from a sequence: {table} is rewritten"
            ),
        );
    } else if default.is_some() && state.options.pg_version < 11 {
        state.report(
            Rule::AddColumnDefaultBeforePg11,
            at,
            format!(
                "ADD COLUMN {name} with a DEFAULT rewrites {table} on PostgreSQL {}",
                state.options.pg_version
            ),
        );
    }
    if let Some(generated) = generated
        && generated.generated_kind != "v"
    {
        state.report(
            Rule::AddColumnGeneratedStored,
            at,
            format!("ADD COLUMN {name} GENERATED … STORED computes the value for every row: {table} is rewritten"),
        );
    }
    for constraint in constraints {
        inline_constraint(table, &name, constraint, default.is_some(), state);
    }
}

/// A constraint written on the added column itself (`ADD COLUMN c int REFERENCES t`).
fn inline_constraint(
    table: &RelName,
    column: &str,
    constraint: &Constraint,
    has_default: bool,
    state: &mut State,
) {
    let at = Some(offset(constraint.location));
    match ConstrType::try_from(constraint.contype) {
        // Without a default every existing row holds NULL, which the key accepts: nothing
        // to scan. With one, every row is checked under the lock.
        Ok(ConstrType::ConstrForeign) if has_default => state.report(
            Rule::ForeignKeyWithoutNotValid,
            at,
            format!("ADD COLUMN {column} … REFERENCES with a default checks every row of {table}; NOT VALID cannot be written inline"),
        ),
        Ok(ConstrType::ConstrCheck) => state.report(
            Rule::CheckWithoutNotValid,
            at,
            format!("ADD COLUMN {column} … CHECK checks every row of {table}; NOT VALID cannot be written inline"),
        ),
        Ok(ConstrType::ConstrUnique | ConstrType::ConstrPrimary) => state.report(
            Rule::UniqueConstraintWithoutIndex,
            at,
            format!("ADD COLUMN {column} … {} builds its index on {table} under an ACCESS EXCLUSIVE lock", kind_word(constraint)),
        ),
        _ => {}
    }
}

/// `ADD CONSTRAINT`: NOT VALID, USING INDEX, and the CHECK (col IS NOT NULL) that a later
/// SET NOT NULL can rely on.
fn add_constraint(table: &RelName, constraint: &Constraint, new: bool, state: &mut State) {
    let at = Some(offset(constraint.location));
    let name = if constraint.conname.is_empty() {
        String::new()
    } else {
        format!("{} ", ident(&constraint.conname))
    };
    let kind = ConstrType::try_from(constraint.contype);
    if kind == Ok(ConstrType::ConstrCheck)
        && let Some(column) = constraint.raw_expr.as_deref().and_then(is_not_null_test)
    {
        state.add_not_null_check(
            table,
            &constraint.conname,
            &column,
            !constraint.skip_validation,
        );
    }
    if constraint.skip_validation {
        state.added_not_valid(table, &constraint.conname);
    }
    if new {
        return;
    }
    match kind {
        Ok(ConstrType::ConstrForeign) if !constraint.skip_validation => {
            let target = constraint
                .pktable
                .as_ref()
                .map(|t| RelName::of(t).to_string())
                .unwrap_or_default();
            state.report(
                Rule::ForeignKeyWithoutNotValid,
                at,
                format!("ADD CONSTRAINT {name}FOREIGN KEY … REFERENCES {target} validates every row of {table} while writes to both tables wait"),
            );
        }
        Ok(ConstrType::ConstrCheck) if !constraint.skip_validation => state.report(
            Rule::CheckWithoutNotValid,
            at,
            format!("ADD CONSTRAINT {name}CHECK validates every row of {table} under an ACCESS EXCLUSIVE lock"),
        ),
        Ok(ConstrType::ConstrUnique | ConstrType::ConstrPrimary)
            if constraint.indexname.is_empty() =>
        {
            state.report(
                Rule::UniqueConstraintWithoutIndex,
                at,
                format!(
                    "ADD CONSTRAINT {name}{} builds its index on {table} under an ACCESS EXCLUSIVE lock",
                    kind_word(constraint)
                ),
            );
        }
        _ => {}
    }
}

fn kind_word(constraint: &Constraint) -> &'static str {
    if constraint.contype == ConstrType::ConstrPrimary as i32 {
        "PRIMARY KEY"
    } else {
        "UNIQUE"
    }
}

/// `col IS NOT NULL` (the column's name), the shape of check SET NOT NULL can use.
fn is_not_null_test(expr: &Node) -> Option<String> {
    let NodeEnum::NullTest(test) = expr.node.as_ref()? else {
        return None;
    };
    if test.nulltesttype != NullTestType::IsNotNull as i32 {
        return None;
    }
    let NodeEnum::ColumnRef(col) = test.arg.as_ref()?.node.as_ref()? else {
        return None;
    };
    match col.fields.as_slice() {
        [field] => string_value(field).map(str::to_string),
        _ => None,
    }
}

fn is_null_constant(expr: &Node) -> bool {
    matches!(expr.node.as_ref(), Some(NodeEnum::AConst(c)) if c.isnull)
}

/// Functions whose value differs per row: a default calling one is evaluated for every
/// existing row when the column is added. (`now()` and `CURRENT_TIMESTAMP` are stable:
/// evaluated once, no rewrite since PostgreSQL 11.)
const VOLATILE_FUNCTIONS: &[&str] = &[
    "random",
    "random_normal",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "statement_timestamp",
    "nextval",
    "txid_current",
    "gen_random_bytes",
    "setseed",
];

/// The first volatile function the expression calls.
fn volatile_function(expr: &Node) -> Option<String> {
    let node = expr.node.as_ref()?;
    // `nodes()` walks the expression, itself included.
    let calls: Vec<&pg_query::protobuf::FuncCall> = node
        .nodes()
        .into_iter()
        .filter_map(|(n, ..)| match n {
            pg_query::NodeRef::FuncCall(call) => Some(call),
            _ => None,
        })
        .collect();
    calls.into_iter().find_map(|call| {
        let name = call.funcname.last().and_then(string_value)?;
        VOLATILE_FUNCTIONS.contains(&name).then(|| name.to_string())
    })
}

fn is_serial(type_name: &str) -> bool {
    matches!(
        type_name,
        "serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2"
    )
}

/// A type name as written (`pg_catalog.int8` → `int8`, `varchar(20)`).
fn type_text(ty: &pg_query::protobuf::TypeName) -> String {
    let name = ty
        .names
        .iter()
        .filter_map(string_value)
        .filter(|n| *n != "pg_catalog")
        .collect::<Vec<_>>()
        .join(".");
    let mods: Vec<String> = ty
        .typmods
        .iter()
        .filter_map(|m| match m.node.as_ref()? {
            NodeEnum::AConst(c) => match c.val.as_ref()? {
                pg_query::protobuf::a_const::Val::Ival(i) => Some(i.ival.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    // The parser's internal names, back to how people write them.
    let mut out = match name.as_str() {
        "bpchar" => "character",
        "int2" => "smallint",
        "int4" => "integer",
        "int8" => "bigint",
        "float4" => "real",
        "float8" => "double precision",
        "bool" => "boolean",
        other => other,
    }
    .to_string();
    if !mods.is_empty() {
        out.push_str(&format!("({})", mods.join(",")));
    }
    if !ty.array_bounds.is_empty() {
        out.push_str("[]");
    }
    out
}
