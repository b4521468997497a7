//! Standalone sequences.

use schemactl_core::catalog::{QName, SequenceDef};
use schemactl_core::sql::ident;
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, Statement};
use schemactl_core::step::{Step, Target};

use super::Renderer;

impl Renderer<'_> {
    pub(super) fn sequence(&self) -> Result<Vec<Statement>, RenderError> {
        let key = |q: &QName| ObjectKey::new(ObjectKind::Sequence, q);
        let statement = match self.step {
            Step::CreateSequence { name } => Statement::new(
                key(name),
                format!(
                    "CREATE SEQUENCE {} {}",
                    name.sql(),
                    options(self.next_sequence(name)?)
                ),
            ),
            Step::AlterSequence { name } => Statement::new(
                key(name),
                format!(
                    "ALTER SEQUENCE {} {}",
                    name.sql(),
                    options(self.next_sequence(name)?)
                ),
            ),
            Step::DisownSequence { name } => Statement::new(
                key(name),
                format!("ALTER SEQUENCE {} OWNED BY NONE", name.sql()),
            ),
            Step::SetSequenceOwner { name } => {
                let owner = self.next_sequence(name)?.owned_by.as_ref().ok_or_else(|| {
                    self.error(format!(
                        "sequence {name} has no owner in the desired catalog"
                    ))
                })?;
                let table = QName::new(&name.schema, &owner.table);
                let owned_by = Statement::new(
                    key(name),
                    format!(
                        "ALTER SEQUENCE {} OWNED BY {}.{}",
                        name.sql(),
                        table.sql(),
                        ident(&owner.column)
                    ),
                );
                // PostgreSQL links a sequence only to a table of the same owner: a
                // sequence of another owner is handed to the table's first (the table's
                // own hand-over, later, moves both).
                let sequence = Target::Sequence { name: name.clone() };
                return Ok(match self.owner_to_match(name, &table) {
                    Some(table_owner) => {
                        vec![self.owner_statement(&sequence, &table_owner)?, owned_by]
                    }
                    None => vec![owned_by],
                });
            }
            Step::DropSequence { name } => {
                Statement::new(key(name), format!("DROP SEQUENCE {}", name.sql()))
            }
            _ => return Err(self.error("not a sequence step")),
        };
        Ok(vec![statement])
    }

    /// The current owner of `table`, when the sequence `name` that the plan links to it
    /// exists already under another owner (`None` stands for the database owner on
    /// either).
    fn owner_to_match(&self, name: &QName, table: &QName) -> Option<String> {
        let previous = self.pair.previous;
        let sequence_owner = previous.sequences.get(name)?.owner.as_ref();
        let table_owner = previous.tables.get(table)?.owner.as_ref();
        if sequence_owner == table_owner {
            return None;
        }
        table_owner.or(previous.database.owner.as_ref()).cloned()
    }

    fn next_sequence(&self, q: &QName) -> Result<&SequenceDef, RenderError> {
        self.pair
            .next
            .sequences
            .get(q)
            .ok_or_else(|| self.error(format!("sequence {q} is not in the desired catalog")))
    }
}

/// Every option, spelled out: `ALTER SEQUENCE … AS` alone would move a bound that was
/// the old type's default, and the catalog holds each option explicitly anyway.
fn options(sequence: &SequenceDef) -> String {
    let s = &sequence.options;
    format!(
        "AS {} {}",
        s.data_type.sql(),
        super::statements::sequence_option_list(s, "")
    )
}
