//! Statements on whole objects: indexes, drops, renames, enums, new tables.

use pg_query::NodeEnum;
use pg_query::protobuf::{
    AlterEnumStmt, CreateStmt, DropBehavior, DropStmt, IndexStmt, ObjectType, ReindexStmt,
    RenameStmt,
};

use super::State;
use super::names::{RelName, ident, string_value};
use crate::rules::Rule;

/// Reports a statement that cannot run inside a transaction block when it is in one.
pub(super) fn concurrently_in_transaction(what: &str, state: &mut State) {
    if state.in_transaction {
        state.report(
            Rule::ConcurrentlyInTransaction,
            None,
            format!("{what} cannot run inside a transaction block, and this statement is in one"),
        );
    }
}

pub(super) fn create_index(stmt: &IndexStmt, state: &mut State) {
    let Some(relation) = &stmt.relation else {
        return;
    };
    let table = RelName::of(relation);
    if stmt.concurrent {
        concurrently_in_transaction("CREATE INDEX CONCURRENTLY", state);
    } else if !state.is_new(&table) {
        let name = if stmt.idxname.is_empty() {
            String::new()
        } else {
            format!("{} ", ident(&stmt.idxname))
        };
        state.report(
            Rule::CreateIndexWithoutConcurrently,
            None,
            format!(
                "CREATE {}INDEX {name}ON {table} blocks writes to {table} while it builds",
                if stmt.unique { "UNIQUE " } else { "" }
            ),
        );
    }
    if !stmt.idxname.is_empty() && !stmt.if_not_exists {
        state
            .created
            .add_index(RelName::in_schema_of(&stmt.idxname, &table));
    }
}

pub(super) fn drop(stmt: &DropStmt, state: &mut State) {
    let names: Vec<RelName> = stmt
        .objects
        .iter()
        .filter_map(|o| match o.node.as_ref()? {
            NodeEnum::List(list) => RelName::from_parts(&list.items),
            _ => None,
        })
        .collect();
    match ObjectType::try_from(stmt.remove_type) {
        Ok(ObjectType::ObjectTable) => {
            let existing: Vec<String> = names
                .iter()
                .filter(|n| !state.is_new(n))
                .map(ToString::to_string)
                .collect();
            if !existing.is_empty() {
                state.report(
                    Rule::DropTable,
                    None,
                    format!(
                        "DROP TABLE {} deletes the table's rows",
                        existing.join(", ")
                    ),
                );
            }
        }
        Ok(ObjectType::ObjectSchema) if stmt.behavior == DropBehavior::DropCascade as i32 => {
            let schemas: Vec<String> = stmt
                .objects
                .iter()
                .filter_map(string_value)
                .map(ident)
                .collect();
            state.report(
                Rule::DropTable,
                None,
                format!(
                    "DROP SCHEMA {} CASCADE drops every table in it, with its rows",
                    schemas.join(", ")
                ),
            );
        }
        Ok(ObjectType::ObjectIndex) => {
            if stmt.concurrent {
                concurrently_in_transaction("DROP INDEX CONCURRENTLY", state);
            } else {
                let existing: Vec<String> = names
                    .iter()
                    .filter(|n| !state.created.has_index(n))
                    .map(ToString::to_string)
                    .collect();
                if !existing.is_empty() {
                    state.report(
                        Rule::DropIndexWithoutConcurrently,
                        None,
                        format!(
                            "DROP INDEX {} locks the index's table against reads and writes",
                            existing.join(", ")
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

pub(super) fn rename(stmt: &RenameStmt, state: &mut State) {
    let Some(relation) = &stmt.relation else {
        return;
    };
    let table = RelName::of(relation);
    let new = state.is_new(&table);
    match ObjectType::try_from(stmt.rename_type) {
        Ok(ObjectType::ObjectTable) => {
            if !new {
                state.report(
                    Rule::RenameTable,
                    None,
                    format!(
                        "ALTER TABLE {table} RENAME TO {}: clients using the old name fail",
                        ident(&stmt.newname)
                    ),
                );
            }
            state.created.rename_relation(&table, &stmt.newname);
        }
        Ok(ObjectType::ObjectColumn)
            if !new && stmt.relation_type == ObjectType::ObjectTable as i32 =>
        {
            state.report(
                Rule::RenameColumn,
                None,
                format!(
                    "RENAME COLUMN {} TO {} on {table}: clients using the old name fail",
                    ident(&stmt.subname),
                    ident(&stmt.newname)
                ),
            );
        }
        _ => {}
    }
}

pub(super) fn reindex(stmt: &ReindexStmt, state: &mut State) {
    let concurrent = stmt.params.iter().any(
        |p| matches!(p.node.as_ref(), Some(NodeEnum::DefElem(d)) if d.defname == "concurrently"),
    );
    if concurrent {
        concurrently_in_transaction("REINDEX CONCURRENTLY", state);
    }
}

pub(super) fn alter_enum(stmt: &AlterEnumStmt, state: &mut State) {
    let adds_value = !stmt.new_val.is_empty() && stmt.old_val.is_empty();
    if adds_value && state.in_transaction && state.options.pg_version < 12 {
        let ty = RelName::from_parts(&stmt.type_name)
            .map(|n| n.to_string())
            .unwrap_or_default();
        state.report(
            Rule::EnumAddValueInTransaction,
            None,
            format!(
                "ALTER TYPE {ty} ADD VALUE '{}' fails inside a transaction block on PostgreSQL {}",
                stmt.new_val.replace('\'', "''"),
                state.options.pg_version
            ),
        );
    }
}

pub(super) fn create_table(stmt: &CreateStmt, state: &mut State) {
    // IF NOT EXISTS: the table may be an existing one, which clients use.
    if stmt.if_not_exists {
        return;
    }
    if let Some(relation) = &stmt.relation {
        state.created.add_relation(RelName::of(relation));
    }
}
