//! The checks, run over a file's statements in order with what earlier statements did.

mod alter_table;
mod names;
mod objects;
mod session;

use pg_query::NodeEnum;

use crate::rules::Rule;
use crate::statements::Statement;
use crate::{Execution, Options};

pub(crate) use names::RelName;

/// A finding before positions are resolved: the rule, where, what.
#[derive(Debug)]
pub(crate) struct RawFinding {
    /// Index of the statement in the file.
    pub statement: usize,
    pub offset: usize,
    pub rule: Rule,
    pub message: String,
}

/// Relations and indexes created earlier in the migration: nothing reads or writes them
/// yet, so locks on them and rewrites of them harm no one.
#[derive(Debug, Default)]
pub(crate) struct Created {
    relations: Vec<RelName>,
    indexes: Vec<RelName>,
}

impl Created {
    pub fn has_relation(&self, name: &RelName) -> bool {
        self.relations.iter().any(|r| r.same(name))
    }

    pub fn has_index(&self, name: &RelName) -> bool {
        self.indexes.iter().any(|r| r.same(name))
    }

    fn add_relation(&mut self, name: RelName) {
        self.relations.push(name);
    }

    fn add_index(&mut self, name: RelName) {
        self.indexes.push(name);
    }

    fn rename_relation(&mut self, from: &RelName, to: &str) {
        for r in self.relations.iter_mut().filter(|r| r.same(from)) {
            r.name = to.to_string();
        }
    }
}

/// Where a `SET lock_timeout` holds until.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// `SET LOCAL`: until the transaction ends.
    Transaction,
    Session,
}

/// A `CHECK (col IS NOT NULL)` constraint seen in the file.
#[derive(Debug)]
struct NotNullCheck {
    table: RelName,
    constraint: String,
    column: String,
    validated: bool,
}

/// What the statements so far have established.
pub(crate) struct State<'a> {
    pub options: &'a Options,
    pub created: &'a mut Created,
    pub in_transaction: bool,
    lock_timeout: Option<Scope>,
    lock_timeout_reported: bool,
    /// Constraints added NOT VALID in the current transaction: (table, name).
    not_valid_in_transaction: Vec<(RelName, String)>,
    not_null_checks: Vec<NotNullCheck>,
    /// The findings so far, and the statement being checked.
    findings: Vec<RawFinding>,
    statement: usize,
    statement_start: usize,
}

impl State<'_> {
    /// Reports `rule` at `offset` (a negative or unknown location: the statement's start).
    pub fn report(&mut self, rule: Rule, offset: Option<usize>, message: String) {
        self.findings.push(RawFinding {
            statement: self.statement,
            offset: offset.unwrap_or(self.statement_start),
            rule,
            message,
        });
    }

    /// Whether the relation is one the migration created (or is a new name for one).
    pub fn is_new(&self, name: &RelName) -> bool {
        self.created.has_relation(name)
    }

    pub fn begin(&mut self) {
        self.in_transaction = true;
    }

    pub fn end_transaction(&mut self) {
        self.in_transaction = false;
        if self.lock_timeout == Some(Scope::Transaction) {
            self.lock_timeout = None;
        }
        self.not_valid_in_transaction.clear();
    }

    pub fn set_lock_timeout(&mut self, value: Option<Scope>) {
        self.lock_timeout = match value {
            // SET LOCAL outside a transaction block has no effect (PostgreSQL warns).
            Some(Scope::Transaction) if !self.in_transaction => self.lock_timeout,
            other => other,
        };
    }

    /// A constraint added NOT VALID: remembered until the transaction ends (outside a
    /// transaction block the statement commits on its own).
    pub fn added_not_valid(&mut self, table: &RelName, constraint: &str) {
        if !self.in_transaction {
            return;
        }
        self.not_valid_in_transaction
            .push((table.clone(), constraint.to_string()));
    }

    pub fn was_added_not_valid_in_this_transaction(
        &self,
        table: &RelName,
        constraint: &str,
    ) -> bool {
        self.not_valid_in_transaction
            .iter()
            .any(|(t, c)| t.same(table) && c == constraint)
    }

    pub fn add_not_null_check(
        &mut self,
        table: &RelName,
        constraint: &str,
        column: &str,
        validated: bool,
    ) {
        self.not_null_checks.push(NotNullCheck {
            table: table.clone(),
            constraint: constraint.to_string(),
            column: column.to_string(),
            validated,
        });
    }

    pub fn validated(&mut self, table: &RelName, constraint: &str) {
        for check in self
            .not_null_checks
            .iter_mut()
            .filter(|c| c.table.same(table) && c.constraint == constraint)
        {
            check.validated = true;
        }
    }

    pub fn dropped_constraint(&mut self, table: &RelName, constraint: &str) {
        self.not_null_checks
            .retain(|c| !(c.table.same(table) && c.constraint == constraint));
    }

    pub fn has_validated_not_null_check(&self, table: &RelName, column: &str) -> bool {
        self.not_null_checks
            .iter()
            .any(|c| c.validated && c.table.same(table) && c.column == column)
    }
}

/// Checks one file's statements; `created` carries what earlier files of the same
/// migration direction created.
pub(crate) fn check_file(
    statements: &[Statement],
    execution: Execution,
    options: &Options,
    created: &mut Created,
) -> Vec<RawFinding> {
    let mut state = State {
        options,
        created,
        in_transaction: execution == Execution::Transaction,
        lock_timeout: None,
        lock_timeout_reported: false,
        not_valid_in_transaction: Vec::new(),
        not_null_checks: Vec::new(),
        findings: Vec::new(),
        statement: 0,
        statement_start: 0,
    };
    for (i, statement) in statements.iter().enumerate() {
        state.statement = i;
        state.statement_start = statement.start;
        // Whether it locks is decided before the statement changes what is new.
        let locks = session::takes_blocking_lock(&statement.node, &state);
        if locks && state.lock_timeout.is_none() && !state.lock_timeout_reported {
            state.lock_timeout_reported = true;
            state.report(
                Rule::MissingLockTimeout,
                None,
                "this statement waits for a lock that blocks other sessions, and no \
                 lock_timeout is set before it in this file"
                    .into(),
            );
        }
        check_statement(&statement.node, &mut state);
    }
    state.findings
}

fn check_statement(node: &NodeEnum, state: &mut State) {
    match node {
        NodeEnum::AlterTableStmt(stmt) => alter_table::check(stmt, state),
        NodeEnum::IndexStmt(stmt) => objects::create_index(stmt, state),
        NodeEnum::DropStmt(stmt) => objects::drop(stmt, state),
        NodeEnum::RenameStmt(stmt) => objects::rename(stmt, state),
        NodeEnum::ReindexStmt(stmt) => objects::reindex(stmt, state),
        NodeEnum::AlterEnumStmt(stmt) => objects::alter_enum(stmt, state),
        NodeEnum::CreateStmt(stmt) => objects::create_table(stmt, state),
        // With IF NOT EXISTS or OR REPLACE the object may be an existing one, which
        // clients use: it stays "existing" for the checks that follow.
        NodeEnum::CreateTableAsStmt(stmt) if !stmt.if_not_exists => {
            if let Some(rel) = stmt.into.as_ref().and_then(|i| i.rel.as_ref()) {
                state.created.add_relation(RelName::of(rel));
            }
        }
        NodeEnum::ViewStmt(stmt) if !stmt.replace => {
            if let Some(rel) = &stmt.view {
                state.created.add_relation(RelName::of(rel));
            }
        }
        NodeEnum::CreateSeqStmt(stmt) if !stmt.if_not_exists => {
            if let Some(rel) = &stmt.sequence {
                state.created.add_relation(RelName::of(rel));
            }
        }
        NodeEnum::TransactionStmt(stmt) => session::transaction(stmt, state),
        NodeEnum::VariableSetStmt(stmt) => session::set(stmt, state),
        NodeEnum::SelectStmt(_) => session::set_config(node, state),
        _ => {}
    }
}
