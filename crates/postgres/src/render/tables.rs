//! Tables and what lives on them: columns, constraints, indexes, partitions, triggers,
//! row-level security and policies.

use schemactl_core::catalog::{IndexDef, QName, TableDef};
use schemactl_core::sql::{dollar_quote, ident, literal};
use schemactl_core::statement::{
    ObjectKey, ObjectKind, Precondition, RenderError, Statement, TxMode,
};
use schemactl_core::step::{
    ColumnKey, ConstraintKind, Conversion, OnTable, RlsSwitch, Step, Validation,
};
use schemactl_model::{Identity, SequenceOptions, SequenceType};

use super::Renderer;
use super::access::in_schema_of;
use super::statements::{
    check_clause, collate, column_sql, comment_sql, exclusion_clause, foreign_key_sql,
    identity_clause, index_sql, parameter_name, policy_sql, primary_key_clause,
    sequence_option_list, table_sql_with_parts, trigger_sql, unique_clause,
};

type Rendered = Result<Vec<Statement>, RenderError>;

impl Renderer<'_> {
    pub(super) fn table_step(&self) -> Rendered {
        use Step::*;
        match self.step {
            CreateTable { name } => {
                let t = self.next_table(name)?;
                let (sql, parts) = table_sql_with_parts(name, t);
                Ok(vec![
                    self.on(name, ObjectKind::Table, name, sql)
                        .with_parts(parts),
                ])
            }
            CreatePartition { on } => {
                let t = self.next_table(&on.table)?;
                let p = t
                    .partitions
                    .iter()
                    .find(|p| p.name == on.name)
                    .ok_or_else(|| {
                        self.error(format!("no partition {} of {}", on.name, on.table))
                    })?;
                let pq = in_schema_of(&on.table, &on.name);
                let sql = format!(
                    "CREATE TABLE {} PARTITION OF {} {}",
                    pq.sql(),
                    on.table.sql(),
                    p.bound.sql()
                );
                Ok(vec![self.on(&on.table, ObjectKind::Partition, &pq, sql)])
            }
            DetachPartition { on } => {
                let pq = in_schema_of(&on.table, &on.name);
                let sql = format!(
                    "ALTER TABLE {} DETACH PARTITION {}",
                    on.table.sql(),
                    pq.sql()
                );
                Ok(vec![self.on(&on.table, ObjectKind::Partition, &pq, sql)])
            }
            DropDetachedPartition { name } => Ok(vec![self.on(
                name,
                ObjectKind::Partition,
                name,
                format!("DROP TABLE {}", name.sql()),
            )]),
            DropTables { names } => {
                let list: Vec<String> = names.iter().map(QName::sql).collect();
                let first = names
                    .first()
                    .ok_or_else(|| self.error("no table to drop"))?;
                Ok(vec![Statement::new(
                    ObjectKey::new(ObjectKind::Table, first),
                    format!("DROP TABLE {}", list.join(", ")),
                )])
            }
            RenameTable { from, to } => self.rename_table(from, to),
            SetPersistence { table, unlogged } => {
                let mode = if *unlogged { "UNLOGGED" } else { "LOGGED" };
                let sql = format!("ALTER TABLE {} SET {mode}", table.sql());
                Ok(vec![self.on(table, ObjectKind::Table, table, sql)])
            }
            SetStorageParameters { table } => self.storage_parameters(table),
            AddColumn { .. }
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
            | DropIdentity { .. } => self.column_step(),
            RenameConstraint { .. }
            | AddConstraint { .. }
            | ValidateConstraint { .. }
            | DropConstraint { .. } => self.constraint_step(),
            CreateIndex { .. }
            | DropIndex { .. }
            | CreateIndexConcurrently { .. }
            | DropIndexConcurrently { .. } => self.index_step(),
            CreateTrigger { .. }
            | ReplaceTrigger { .. }
            | DropTrigger { .. }
            | CreatePolicy { .. }
            | DropPolicy { .. }
            | SetRowLevelSecurity { .. } => self.dependent_step(),
            _ => Err(self.error("PostgreSQL has no rendering for this step")),
        }
    }

    /// A statement on `table` about object `name` of `kind`, with bare names in its
    /// text resolving in the table's schema.
    fn on(&self, table: &QName, kind: ObjectKind, name: &QName, sql: String) -> Statement {
        let key = match kind {
            ObjectKind::Column
            | ObjectKind::Constraint
            | ObjectKind::ForeignKey
            | ObjectKind::Trigger
            | ObjectKind::Policy => ObjectKey::on_table(kind, table, &name.name),
            _ => ObjectKey::new(kind, name),
        };
        Statement::new(key, sql).in_schema(&table.schema)
    }

    /// `SET` for parameters new or changed, then `RESET` for those the model dropped.
    fn storage_parameters(&self, table: &QName) -> Rendered {
        let had = &self.previous_table(table)?.with;
        let wants = &self.next_table(table)?.with;
        let set: Vec<String> = wants
            .iter()
            .filter(|p| !had.contains(p))
            .map(|(k, v)| format!("{} = {v}", parameter_name(k)))
            .collect();
        let reset: Vec<String> = had
            .iter()
            .filter(|(k, _)| !wants.iter().any(|(w, _)| w == k))
            .map(|(k, _)| parameter_name(k))
            .collect();
        let mut out = Vec::new();
        for (verb, list) in [("SET", set), ("RESET", reset)] {
            if !list.is_empty() {
                let sql = format!("ALTER TABLE {} {verb} ({})", table.sql(), list.join(", "));
                out.push(self.on(table, ObjectKind::Table, table, sql));
            }
        }
        Ok(out)
    }

    fn column(&self, key: &ColumnKey, sql: String) -> Statement {
        self.on(
            &key.table,
            ObjectKind::Column,
            &QName::new(&key.table.schema, &key.column),
            sql,
        )
    }

    fn rename_table(&self, from: &QName, to: &str) -> Rendered {
        let previous = self.previous_table(from)?;
        let new = QName::new(&from.schema, to);
        let mut out = vec![self.on(
            &new,
            ObjectKind::Table,
            &new,
            format!("ALTER TABLE {} RENAME TO {}", from.sql(), ident(to)),
        )];
        for c in previous.columns.iter().filter(|c| !c.nullable) {
            out.push(rename_not_null(&new, &from.name, to, &c.name, &c.name));
        }
        for c in previous.columns.iter().filter(|c| owns_sequence(c)) {
            out.push(rename_sequence(&new, (&from.name, to), (&c.name, &c.name)));
        }
        Ok(out)
    }

    fn column_step(&self) -> Rendered {
        use Step::*;
        Ok(match self.step {
            AddColumn { column } => {
                let c = self.next_column(column)?;
                vec![self.column(
                    column,
                    format!(
                        "ALTER TABLE {} ADD COLUMN {}",
                        column.table.sql(),
                        column_sql(c)
                    ),
                )]
            }
            RenameColumn { table, from, to } => {
                let key = ColumnKey {
                    table: table.clone(),
                    column: to.clone(),
                };
                let mut out = vec![self.column(
                    &key,
                    format!(
                        "ALTER TABLE {} RENAME COLUMN {} TO {}",
                        table.sql(),
                        ident(from),
                        ident(to)
                    ),
                )];
                // A NOT NULL column keeps its constraint's name in step with its own; when
                // it was nullable before, the block finds nothing and SET NOT NULL names it.
                let not_null = self
                    .next_table(table)?
                    .column(to)
                    .is_some_and(|c| !c.nullable);
                if not_null {
                    out.push(rename_not_null(table, &table.name, &table.name, from, to));
                }
                let next_column = self.next_table(table)?.column(to);
                if next_column.is_some_and(owns_sequence) {
                    out.push(rename_sequence(
                        table,
                        (&table.name, &table.name),
                        (from, to),
                    ));
                }
                out
            }
            DropColumn { table, column } => {
                let key = ColumnKey {
                    table: table.clone(),
                    column: column.clone(),
                };
                vec![self.column(
                    &key,
                    format!("ALTER TABLE {} DROP COLUMN {}", table.sql(), ident(column)),
                )]
            }
            DropColumnDefault { column } => vec![self.alter_column(column, "DROP DEFAULT")],
            SetColumnDefault { column } => {
                let c = self.next_column(column)?;
                let default = c
                    .default
                    .as_ref()
                    .ok_or_else(|| self.error("the column has no default"))?;
                vec![self.alter_column(column, &format!("SET DEFAULT {default}"))]
            }
            AlterColumnType {
                column, conversion, ..
            } => {
                let c = self.next_column(column)?;
                let col = ident(&column.column);
                let using = match conversion {
                    Conversion::Cast | Conversion::ReplacedDomain => format!("{col}::{}", c.ty),
                    Conversion::Using(expr) => format!("({expr})"),
                    Conversion::ViaText => format!("{col}::text::{}", c.ty),
                };
                // Without COLLATE the column takes the type's default collation.
                let collate = c.collation.as_deref().map(collate).unwrap_or_default();
                let sql = format!("TYPE {}{collate} USING {using}", c.ty);
                vec![self.alter_column(column, &sql)]
            }
            SetNotNull { column } => self.set_not_null(column),
            DropNotNull { column } => vec![self.alter_column(column, "DROP NOT NULL")],
            SetGenerationExpression { column } => {
                let c = self.next_column(column)?;
                let expr = c
                    .generated
                    .as_ref()
                    .ok_or_else(|| self.error("the column is not generated"))?;
                vec![self.alter_column(column, &format!("SET EXPRESSION AS ({expr})"))]
            }
            DropGenerationExpression { column } => {
                vec![self.alter_column(column, "DROP EXPRESSION")]
            }
            AddIdentity { column } => {
                let kind = self.identity(column)?;
                let options = identity_clause(self.next_column(column)?);
                vec![self.alter_column(column, &format!("ADD {kind} AS IDENTITY{options}"))]
            }
            AlterIdentity { column } => {
                vec![self.alter_column(column, &self.alter_identity(column)?)]
            }
            DropIdentity { column } => vec![self.alter_column(column, "DROP IDENTITY")],
            _ => return Err(self.error("not a column step")),
        })
    }

    fn alter_column(&self, column: &ColumnKey, action: &str) -> Statement {
        self.column(
            column,
            format!(
                "ALTER TABLE {} ALTER COLUMN {} {action}",
                column.table.sql(),
                ident(&column.column)
            ),
        )
    }

    fn next_column(
        &self,
        key: &ColumnKey,
    ) -> Result<&schemactl_core::catalog::ColumnDef, RenderError> {
        self.next_table(&key.table)?
            .column(&key.column)
            .ok_or_else(|| self.error(format!("no column {} in {}", key.column, key.table)))
    }

    /// `SET GENERATED …` when the kind changes, and every option of the sequence when
    /// they change (back to the defaults of the column's type when the model drops them).
    /// A column renamed in the same plan is not found under its new name in the previous
    /// catalog: then both are set, which is harmless for what did not change.
    fn alter_identity(&self, key: &ColumnKey) -> Result<String, RenderError> {
        let next = self.next_column(key)?;
        let previous = self
            .pair
            .previous
            .tables
            .get(&key.table)
            .and_then(|t| t.column(&key.column));
        let mut actions = Vec::new();
        if previous.is_none_or(|p| p.identity != next.identity) {
            actions.push(format!("SET {}", self.identity(key)?));
        }
        if previous.is_none_or(|p| p.identity_options != next.identity_options) {
            let options = match next.identity_options {
                Some(options) => options,
                None => {
                    let data_type = SequenceType::parse(&next.ty).ok_or_else(|| {
                        self.error(format!("identity column of type {}", next.ty))
                    })?;
                    SequenceOptions::identity_defaults(data_type)
                }
            };
            actions.push(sequence_option_list(&options, "SET "));
        }
        Ok(actions.join(" "))
    }

    fn identity(&self, key: &ColumnKey) -> Result<&'static str, RenderError> {
        match self.next_column(key)?.identity {
            Some(Identity::Always) => Ok("GENERATED ALWAYS"),
            Some(Identity::ByDefault) => Ok("GENERATED BY DEFAULT"),
            None => Err(self.error("the column is not an identity column")),
        }
    }

    /// A validated CHECK lets SET NOT NULL skip its full-table scan under lock. Not
    /// `<table>_<column>_not_null`: PostgreSQL 18 names its own NOT NULL constraints that
    /// way, and SET NOT NULL must be free to take the name.
    fn set_not_null(&self, column: &ColumnKey) -> Vec<Statement> {
        let table = column.table.sql();
        let col = ident(&column.column);
        let check = ident(&truncate_identifier(format!(
            "schemactl_not_null_{}",
            column.column
        )));
        vec![
            self.column(
                column,
                format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID"
                ),
            ),
            self.column(
                column,
                format!("ALTER TABLE {table} VALIDATE CONSTRAINT {check}"),
            ),
            self.alter_column(column, "SET NOT NULL"),
            self.column(
                column,
                format!("ALTER TABLE {table} DROP CONSTRAINT {check}"),
            ),
        ]
    }

    fn constraint_step(&self) -> Rendered {
        match self.step {
            Step::RenameConstraint {
                table, from, to, ..
            } => Ok(vec![self.on(
                table,
                ObjectKind::Constraint,
                &QName::new(&table.schema, to),
                format!(
                    "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                    table.sql(),
                    ident(from),
                    ident(to)
                ),
            )]),
            Step::DropConstraint { on, kind } => Ok(vec![self.on(
                &on.table,
                constraint_kind(*kind),
                &in_schema_of(&on.table, &on.name),
                format!(
                    "ALTER TABLE {} DROP CONSTRAINT {}",
                    on.table.sql(),
                    ident(&on.name)
                ),
            )]),
            Step::ValidateConstraint { on, kind } => Ok(vec![self.on(
                &on.table,
                constraint_kind(*kind),
                &in_schema_of(&on.table, &on.name),
                format!(
                    "ALTER TABLE {} VALIDATE CONSTRAINT {}",
                    on.table.sql(),
                    ident(&on.name)
                ),
            )]),
            Step::AddConstraint {
                on,
                kind,
                validation,
            } => {
                let sql = self.add_constraint_sql(on, *kind, *validation)?;
                Ok(vec![self.on(
                    &on.table,
                    constraint_kind(*kind),
                    &in_schema_of(&on.table, &on.name),
                    sql,
                )])
            }
            _ => Err(self.error("not a constraint step")),
        }
    }

    fn add_constraint_sql(
        &self,
        on: &OnTable,
        kind: ConstraintKind,
        validation: Validation,
    ) -> Result<String, RenderError> {
        let t = self.next_table(&on.table)?;
        let table = on.table.sql();
        let missing = || self.error(format!("no {} {} on {}", kind.noun(), on.name, on.table));
        let not_valid = if validation == Validation::NotValid {
            " NOT VALID"
        } else {
            ""
        };
        Ok(match kind {
            ConstraintKind::PrimaryKey => {
                let pk = t
                    .primary_key
                    .as_ref()
                    .filter(|k| k.name == on.name)
                    .ok_or_else(missing)?;
                format!("ALTER TABLE {table} ADD {}", primary_key_clause(pk))
            }
            ConstraintKind::Unique => {
                let u = t
                    .uniques
                    .iter()
                    .find(|u| u.name == on.name)
                    .ok_or_else(missing)?;
                format!("ALTER TABLE {table} ADD {}", unique_clause(u))
            }
            ConstraintKind::Check => {
                let c = t
                    .checks
                    .iter()
                    .find(|c| c.name == on.name)
                    .ok_or_else(missing)?;
                format!("ALTER TABLE {table} ADD {}{not_valid}", check_clause(c))
            }
            ConstraintKind::Exclusion => {
                let x = t
                    .exclusions
                    .iter()
                    .find(|x| x.name == on.name)
                    .ok_or_else(missing)?;
                format!("ALTER TABLE {table} ADD {}", exclusion_clause(x))
            }
            ConstraintKind::ForeignKey => {
                let fk = t
                    .foreign_keys
                    .iter()
                    .find(|f| f.name == on.name)
                    .ok_or_else(missing)?;
                foreign_key_sql(&on.table, fk, validation == Validation::NotValid)
            }
        })
    }

    fn index_step(&self) -> Rendered {
        match self.step {
            Step::CreateIndex { on } => {
                let index = self.next_index(on)?;
                let iq = in_schema_of(&on.table, &on.name);
                Ok(vec![self.on(
                    &on.table,
                    ObjectKind::Index,
                    &iq,
                    index_sql(&on.table, index, false),
                )])
            }
            Step::CreateIndexConcurrently { on } => {
                let index = self.next_index(on)?;
                let iq = in_schema_of(&on.table, &on.name);
                let mut out = vec![
                    self.on(
                        &on.table,
                        ObjectKind::Index,
                        &iq,
                        index_sql(&on.table, index, true),
                    )
                    .mode(TxMode::Outside)
                    .precondition(Precondition::DropInvalidIndex { index: iq.clone() }),
                ];
                if let Some(comment) = &index.comment {
                    out.push(
                        self.on(
                            &on.table,
                            ObjectKind::Index,
                            &iq,
                            comment_sql(&format!("INDEX {}", iq.sql()), Some(comment)),
                        )
                        .mode(TxMode::Outside),
                    );
                }
                Ok(out)
            }
            Step::DropIndex { name } => Ok(vec![Statement::new(
                ObjectKey::new(ObjectKind::Index, name),
                format!("DROP INDEX {}", name.sql()),
            )]),
            Step::DropIndexConcurrently { name } => Ok(vec![
                Statement::new(
                    ObjectKey::new(ObjectKind::Index, name),
                    format!("DROP INDEX CONCURRENTLY IF EXISTS {}", name.sql()),
                )
                .mode(TxMode::Outside),
            ]),
            _ => Err(self.error("not an index step")),
        }
    }

    fn next_index(&self, on: &OnTable) -> Result<&IndexDef, RenderError> {
        let in_table = self
            .pair
            .next
            .tables
            .get(&on.table)
            .and_then(|t| t.indexes.iter().find(|i| i.name == on.name));
        let in_view = || {
            self.pair
                .next
                .views
                .get(&on.table)
                .and_then(|v| v.indexes.iter().find(|i| i.name == on.name))
        };
        in_table
            .or_else(in_view)
            .ok_or_else(|| self.error(format!("no index {} on {}", on.name, on.table)))
    }

    fn dependent_step(&self) -> Rendered {
        let trigger_def = |t: &'_ TableDef, on: &OnTable| {
            t.triggers.iter().find(|tr| tr.name == on.name).cloned()
        };
        Ok(match self.step {
            Step::CreateTrigger { on } | Step::ReplaceTrigger { on } => {
                let t = self.next_table(&on.table)?;
                let tr = trigger_def(t, on)
                    .ok_or_else(|| self.error(format!("no trigger {} on {}", on.name, on.table)))?;
                let replace = matches!(self.step, Step::ReplaceTrigger { .. });
                let function = tr.function.as_ref().ok_or_else(|| {
                    self.error(format!(
                        "trigger {} on {} names no function: a PostgreSQL trigger executes one",
                        on.name, on.table
                    ))
                })?;
                vec![self.on(
                    &on.table,
                    ObjectKind::Trigger,
                    &in_schema_of(&on.table, &on.name),
                    trigger_sql(&on.table, &tr, function, replace),
                )]
            }
            Step::DropTrigger { on } => vec![self.on(
                &on.table,
                ObjectKind::Trigger,
                &in_schema_of(&on.table, &on.name),
                format!("DROP TRIGGER {} ON {}", ident(&on.name), on.table.sql()),
            )],
            Step::CreatePolicy { on } => {
                let t = self.next_table(&on.table)?;
                let p = t
                    .policies
                    .iter()
                    .find(|p| p.name == on.name)
                    .ok_or_else(|| self.error(format!("no policy {} on {}", on.name, on.table)))?;
                vec![self.on(
                    &on.table,
                    ObjectKind::Policy,
                    &in_schema_of(&on.table, &on.name),
                    policy_sql(&on.table, p),
                )]
            }
            Step::DropPolicy { on } => vec![self.on(
                &on.table,
                ObjectKind::Policy,
                &in_schema_of(&on.table, &on.name),
                format!("DROP POLICY {} ON {}", ident(&on.name), on.table.sql()),
            )],
            Step::SetRowLevelSecurity { table, switch } => {
                let verb = match switch {
                    RlsSwitch::Enable => "ENABLE",
                    RlsSwitch::Disable => "DISABLE",
                    RlsSwitch::Force => "FORCE",
                    RlsSwitch::NoForce => "NO FORCE",
                };
                vec![self.on(
                    table,
                    ObjectKind::Table,
                    table,
                    format!("ALTER TABLE {} {verb} ROW LEVEL SECURITY", table.sql()),
                )]
            }
            _ => return Err(self.error("not a trigger or policy step")),
        })
    }
}

fn constraint_kind(kind: ConstraintKind) -> ObjectKind {
    match kind {
        ConstraintKind::ForeignKey => ObjectKind::ForeignKey,
        _ => ObjectKind::Constraint,
    }
}

/// A serial or identity column: PostgreSQL named its sequence after the table and column.
pub(super) fn owns_sequence(c: &schemactl_core::catalog::ColumnDef) -> bool {
    c.serial.is_some() || c.identity.is_some()
}

/// The sequence of a serial or identity column follows a rename of its table or column,
/// so that it has the name a fresh database gives it (grants name it so). `IF EXISTS`: a
/// database whose sequence has another name (a long one PostgreSQL shortened) keeps it.
fn rename_sequence(
    table: &QName,
    (old_table, new_table): (&str, &str),
    (old_column, new_column): (&str, &str),
) -> Statement {
    let from = QName::new(
        &table.schema,
        truncate_identifier(format!("{old_table}_{old_column}_seq")),
    );
    let to = truncate_identifier(format!("{new_table}_{new_column}_seq"));
    Statement::new(
        ObjectKey::new(ObjectKind::Sequence, &QName::new(&table.schema, &to)),
        format!(
            "ALTER SEQUENCE IF EXISTS {} RENAME TO {}",
            from.sql(),
            ident(&to)
        ),
    )
}

/// PostgreSQL keeps the first 63 bytes of an identifier; cut on a character boundary.
pub(super) fn truncate_identifier(mut name: String) -> String {
    while name.len() > schemactl_model::validate::MAX_IDENTIFIER_BYTES {
        name.pop();
    }
    name
}

/// PostgreSQL 18 records NOT NULL as a constraint named `<table>_<column>_not_null`; a
/// fresh database names it after the current table and column, so renames carry the name
/// along. Older servers have no such constraint, and the block does nothing there.
pub(super) fn rename_not_null(
    table: &QName,
    old_table: &str,
    new_table: &str,
    old_column: &str,
    new_column: &str,
) -> Statement {
    let from = truncate_identifier(format!("{old_table}_{old_column}_not_null"));
    let to = truncate_identifier(format!("{new_table}_{new_column}_not_null"));
    let body = format!(
        "\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = {}::regclass AND conname = {}) THEN\n        ALTER TABLE {} RENAME CONSTRAINT {} TO {};\n    END IF;\nEND\n",
        literal(&table.sql()),
        literal(&from),
        table.sql(),
        ident(&from),
        ident(&to)
    );
    Statement::new(
        ObjectKey::on_table(ObjectKind::Constraint, table, &to),
        format!("DO {}", dollar_quote(&body)),
    )
    .in_schema(&table.schema)
}
