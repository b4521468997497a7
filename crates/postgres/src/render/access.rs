//! Grants, default privileges and comments.

use schemactl_core::catalog::QName;
use schemactl_core::sql::ident;
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, Statement};
use schemactl_core::step::{Step, Target};

use super::Renderer;
use super::objects::schema_key;
use super::statements::{
    comment_sql, default_privilege_sql, function_grant_target, function_target, grant_sql,
    revoke_sql,
};

type Rendered = Result<Vec<Statement>, RenderError>;

impl Renderer<'_> {
    pub(super) fn access(&self) -> Rendered {
        let statement = match self.step {
            Step::Grant { target, grant } => Statement::new(
                self.target_key(target),
                grant_sql(grant, &self.target_sql(target)?),
            ),
            Step::Revoke { target, grant } => Statement::new(
                self.target_key(target),
                revoke_sql(grant, &self.target_sql(target)?),
            ),
            Step::RevokeFromPublic { function } => {
                let target = Target::Function {
                    name: function.clone(),
                };
                Statement::new(
                    self.target_key(&target),
                    format!("REVOKE ALL ON {} FROM PUBLIC", self.target_sql(&target)?),
                )
            }
            Step::GrantDefaultPrivileges { schema, privileges } => Statement::new(
                schema_key(schema),
                default_privilege_sql(schema, privileges, true),
            ),
            Step::RevokeDefaultPrivileges { schema, privileges } => Statement::new(
                schema_key(schema),
                default_privilege_sql(schema, privileges, false),
            ),
            Step::SetComment { target, comment } => Statement::new(
                self.target_key(target),
                comment_sql(&self.target_sql(target)?, comment.as_deref()),
            ),
            _ => return Err(self.error("not a grant or comment step")),
        };
        Ok(vec![statement])
    }

    /// The object clause of GRANT, REVOKE and COMMENT: `TABLE s.t`, `FUNCTION s.f(int)`.
    pub(super) fn target_sql(&self, target: &Target) -> Result<String, RenderError> {
        Ok(match target {
            Target::Schema { name } => format!("SCHEMA {}", ident(name)),
            Target::Type { name } => format!("TYPE {}", name.sql()),
            Target::Table { name } => format!("TABLE {}", name.sql()),
            Target::Column { column } => {
                format!("COLUMN {}.{}", column.table.sql(), ident(&column.column))
            }
            Target::View { name } => match self.step {
                // GRANT has no VIEW keyword; COMMENT does.
                Step::SetComment { .. } => format!("VIEW {}", name.sql()),
                _ => format!("TABLE {}", name.sql()),
            },
            Target::MaterializedView { name } => match self.step {
                Step::SetComment { .. } => format!("MATERIALIZED VIEW {}", name.sql()),
                _ => format!("TABLE {}", name.sql()),
            },
            Target::ViewColumn { view, column } => {
                format!("COLUMN {}.{}", view.sql(), ident(column))
            }
            Target::Function { name } => {
                let f = self
                    .pair
                    .next
                    .functions
                    .get(name)
                    .or_else(|| self.pair.previous.functions.get(name))
                    .ok_or_else(|| self.error(format!("function {name} is in neither catalog")))?;
                match self.step {
                    Step::SetComment { .. } => function_target(&name.name, f),
                    _ => function_grant_target(&name.name, f),
                }
            }
            Target::Index { name } => format!("INDEX {}", name.sql()),
            Target::Trigger { on } => {
                format!("TRIGGER {} ON {}", ident(&on.name), on.table.sql())
            }
            Target::Sequence { name } => format!("SEQUENCE {}", name.sql()),
        })
    }

    pub(super) fn target_key(&self, target: &Target) -> ObjectKey {
        match target {
            Target::Schema { name } => schema_key(name),
            Target::Type { name } => ObjectKey::new(ObjectKind::Type, name),
            Target::Table { name } => ObjectKey::new(ObjectKind::Table, name),
            Target::Column { column } => {
                ObjectKey::on_table(ObjectKind::Column, &column.table, &column.column)
            }
            Target::View { name } => ObjectKey::new(ObjectKind::View, name),
            Target::MaterializedView { name } => ObjectKey::new(ObjectKind::MaterializedView, name),
            Target::ViewColumn { view, column } => {
                ObjectKey::on_table(ObjectKind::Column, view, column)
            }
            Target::Function { name } => ObjectKey::new(ObjectKind::Function, &name.name),
            Target::Index { name } => ObjectKey::new(ObjectKind::Index, name),
            Target::Trigger { on } => ObjectKey::on_table(ObjectKind::Trigger, &on.table, &on.name),
            Target::Sequence { name } => ObjectKey::new(ObjectKind::Sequence, name),
        }
    }
}

/// `schema.name` of an object named per schema that belongs to a table.
pub(super) fn in_schema_of(table: &QName, name: &str) -> QName {
    QName::new(&table.schema, name)
}
