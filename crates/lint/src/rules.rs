//! The rules: a stable kebab-case name each, with why the statement is hazardous and how
//! to write it instead. Names are part of the interface (allow comments and `--format json`
//! carry them): a rule may be added, never renamed.

use serde::Serialize;

/// A lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    AddColumnNotNullWithoutDefault,
    AddColumnVolatileDefault,
    AddColumnGeneratedStored,
    AddColumnDefaultBeforePg11,
    ForeignKeyWithoutNotValid,
    CheckWithoutNotValid,
    ValidateInSameTransaction,
    UniqueConstraintWithoutIndex,
    SetNotNullWithoutCheck,
    ColumnTypeChange,
    CreateIndexWithoutConcurrently,
    DropIndexWithoutConcurrently,
    ConcurrentlyInTransaction,
    RenameColumn,
    RenameTable,
    DropColumn,
    DropTable,
    EnumAddValueInTransaction,
    MissingLockTimeout,
}

/// What a rule says about the statements it reports, for `--list-rules`, docs and JSON.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleInfo {
    pub name: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
}

impl Rule {
    /// Every rule, in the order the documentation lists them.
    pub const ALL: [Rule; 19] = [
        Rule::AddColumnNotNullWithoutDefault,
        Rule::AddColumnVolatileDefault,
        Rule::AddColumnGeneratedStored,
        Rule::AddColumnDefaultBeforePg11,
        Rule::ForeignKeyWithoutNotValid,
        Rule::CheckWithoutNotValid,
        Rule::ValidateInSameTransaction,
        Rule::UniqueConstraintWithoutIndex,
        Rule::SetNotNullWithoutCheck,
        Rule::ColumnTypeChange,
        Rule::CreateIndexWithoutConcurrently,
        Rule::DropIndexWithoutConcurrently,
        Rule::ConcurrentlyInTransaction,
        Rule::RenameColumn,
        Rule::RenameTable,
        Rule::DropColumn,
        Rule::DropTable,
        Rule::EnumAddValueInTransaction,
        Rule::MissingLockTimeout,
    ];

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.name() == name)
    }

    pub fn info(self) -> RuleInfo {
        use Rule::*;
        let (name, why, fix) = match self {
            AddColumnNotNullWithoutDefault => (
                "add-column-not-null-without-default",
                "a NOT NULL column without a default cannot be added to a table that has rows: \
                 the statement fails in production where it passed on an empty development table",
                "add the column with a DEFAULT (constant defaults need no rewrite since \
                 PostgreSQL 11), or add it nullable, backfill it in batches, then SET NOT NULL \
                 after a validated CHECK (col IS NOT NULL)",
            ),
            AddColumnVolatileDefault => (
                "add-column-volatile-default",
                "a default evaluated per row (a volatile function such as random(), \
                 gen_random_uuid() or clock_timestamp(), a serial type or an identity column) \
                 rewrites the whole table under an ACCESS EXCLUSIVE lock that blocks reads and \
                 writes until it is done",
                "add the column without a default (or with a constant one), set the default \
                 in a separate ALTER COLUMN … SET DEFAULT, and backfill existing rows in batches",
            ),
            AddColumnGeneratedStored => (
                "add-column-generated-stored",
                "adding a stored generated column computes it for every row: the table is \
                 rewritten under an ACCESS EXCLUSIVE lock",
                "add a plain column, fill it in batches and keep it current with a trigger, or \
                 compute the value in a view or query",
            ),
            AddColumnDefaultBeforePg11 => (
                "add-column-default-before-pg11",
                "before PostgreSQL 11 any non-null default on ADD COLUMN rewrites the table \
                 under an ACCESS EXCLUSIVE lock (only reported with --pg-version below 11)",
                "add the column without a default, set the default separately, and backfill \
                 in batches",
            ),
            ForeignKeyWithoutNotValid => (
                "foreign-key-without-not-valid",
                "adding a validated foreign key scans the whole table while holding a SHARE ROW \
                 EXCLUSIVE lock on it and on the referenced table: writes to both wait",
                "add it with NOT VALID (checked for new rows only, a brief lock), then run \
                 ALTER TABLE … VALIDATE CONSTRAINT in a later transaction (it does not block \
                 writes)",
            ),
            CheckWithoutNotValid => (
                "check-without-not-valid",
                "adding a validated CHECK scans the whole table under an ACCESS EXCLUSIVE lock: \
                 reads and writes wait",
                "add it with NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT in a later \
                 transaction",
            ),
            ValidateInSameTransaction => (
                "validate-in-same-transaction",
                "VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID \
                 scans the table while the ADD's lock is still held, so NOT VALID gained \
                 nothing",
                "commit after adding the constraint NOT VALID and validate it in a later \
                 transaction (another migration, or a part that runs after the commit)",
            ),
            UniqueConstraintWithoutIndex => (
                "unique-constraint-without-index",
                "ADD CONSTRAINT … UNIQUE or PRIMARY KEY builds its index while holding an ACCESS \
                 EXCLUSIVE lock on the table: reads and writes wait for the whole build",
                "CREATE UNIQUE INDEX CONCURRENTLY first, then ALTER TABLE … ADD CONSTRAINT name \
                 UNIQUE (or PRIMARY KEY) USING INDEX index_name",
            ),
            SetNotNullWithoutCheck => (
                "set-not-null-without-check",
                "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock unless a \
                 validated CHECK (col IS NOT NULL) already proves it",
                "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in a \
                 later transaction; then SET NOT NULL (no scan) and drop the check",
            ),
            ColumnTypeChange => (
                "column-type-change",
                "changing a column's type rewrites the table and rebuilds its indexes under an \
                 ACCESS EXCLUSIVE lock, unless the change is binary-coercible (varchar(n) to \
                 varchar(m >= n) or text, numeric(p,s) to numeric(q >= p,s))",
                "add a new column of the new type, backfill it in batches, switch readers and \
                 writers over, then drop the old column; allow the statement when the change is \
                 one of the binary-coercible ones",
            ),
            CreateIndexWithoutConcurrently => (
                "create-index-without-concurrently",
                "CREATE INDEX holds a SHARE lock on the table for the whole build: every \
                 INSERT, UPDATE and DELETE waits",
                "CREATE INDEX CONCURRENTLY, outside a transaction block (on a partitioned \
                 table: on each partition concurrently, then CREATE INDEX ON ONLY the parent \
                 and ALTER INDEX … ATTACH PARTITION)",
            ),
            DropIndexWithoutConcurrently => (
                "drop-index-without-concurrently",
                "DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: reads and \
                 writes wait, also behind any long transaction that uses the table",
                "DROP INDEX CONCURRENTLY, outside a transaction block",
            ),
            ConcurrentlyInTransaction => (
                "concurrently-in-transaction",
                "CREATE INDEX, DROP INDEX and REINDEX CONCURRENTLY and DETACH PARTITION \
                 CONCURRENTLY cannot run inside a transaction block: the statement fails",
                "run it on its own, outside BEGIN … COMMIT (migrations: in the step's \
                 *_concurrent.sql file, which runs outside a transaction)",
            ),
            RenameColumn => (
                "rename-column",
                "renaming a column breaks every running query, view-dependent client and \
                 application version that still uses the old name",
                "add the new column, write both, backfill, move readers over, then drop the \
                 old one; or allow the statement when nothing outside the migration uses the \
                 name",
            ),
            RenameTable => (
                "rename-table",
                "renaming a table breaks every running query and application version that \
                 still uses the old name",
                "create the new name as a view over the table (or the reverse) while clients \
                 move over; or allow the statement when nothing outside the migration uses \
                 the name",
            ),
            DropColumn => (
                "drop-column",
                "dropping a column deletes its data and breaks every query and application \
                 version that still selects it",
                "stop using the column in every client first, deploy, then drop it; allow the \
                 statement to say the drop is intended",
            ),
            DropTable => (
                "drop-table",
                "dropping a table (also DROP SCHEMA … CASCADE) deletes its rows and breaks \
                 every client that still uses it",
                "stop using the table in every client first, deploy, then drop it; allow the \
                 statement to say the drop is intended",
            ),
            EnumAddValueInTransaction => (
                "enum-add-value-in-transaction",
                "before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction \
                 block: the statement fails (only reported with --pg-version below 12)",
                "run it on its own, outside BEGIN … COMMIT, before the statements that use \
                 the new value",
            ),
            MissingLockTimeout => (
                "missing-lock-timeout",
                "a statement that needs a strong lock waits behind any long transaction on \
                 the table, and every query arriving after it waits behind it: without \
                 lock_timeout a short migration can stall the application indefinitely",
                "SET lock_timeout (SET LOCAL inside the migration's transaction) to a few \
                 seconds before the first locking statement, and retry the migration when it \
                 times out",
            ),
        };
        RuleInfo { name, why, fix }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            let name = rule.name();
            assert!(seen.insert(name), "duplicate rule name {name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
            assert_eq!(Rule::from_name(name), Some(rule));
        }
        assert_eq!(Rule::from_name("no-such-rule"), None);
    }
}
