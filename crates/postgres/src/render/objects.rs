//! Roles, extensions, schemas, enum types, functions and views.

use schemactl_core::catalog::{QName, RoleDef};
use schemactl_core::sql::{ident, literal};
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, Statement, TxMode};
use schemactl_core::step::{EnumPosition, Step};

use super::Renderer;
use super::statements::{function_sql, function_target, index_sql, view_sql};

type Rendered = Result<Vec<Statement>, RenderError>;

/// The attributes the model manages on a role.
pub fn role_attributes(r: &RoleDef) -> String {
    format!(
        "{} {} {} {} {} CONNECTION LIMIT {}",
        if r.login { "LOGIN" } else { "NOLOGIN" },
        if r.inherit { "INHERIT" } else { "NOINHERIT" },
        if r.createdb { "CREATEDB" } else { "NOCREATEDB" },
        if r.createrole {
            "CREATEROLE"
        } else {
            "NOCREATEROLE"
        },
        if r.bypassrls {
            "BYPASSRLS"
        } else {
            "NOBYPASSRLS"
        },
        r.connection_limit
    )
}

impl Renderer<'_> {
    pub(super) fn role(&self) -> Rendered {
        let key = |role: &str| ObjectKey::named(ObjectKind::Role, role);
        let role_def = |role: &str| {
            self.pair
                .next
                .roles
                .get(role)
                .ok_or_else(|| self.error(format!("role {role} is not in the desired catalog")))
        };
        let statement = match self.step {
            Step::CreateRole { role } => Statement::new(
                key(role),
                format!(
                    "CREATE ROLE {} WITH {}",
                    ident(role),
                    role_attributes(role_def(role)?)
                ),
            ),
            Step::AlterRole { role } => Statement::new(
                key(role),
                format!(
                    "ALTER ROLE {} WITH {}",
                    ident(role),
                    role_attributes(role_def(role)?)
                ),
            ),
            Step::GrantMembership { role, parent } => Statement::new(
                key(role),
                format!("GRANT {} TO {}", ident(parent), ident(role)),
            ),
            Step::RevokeMembership { role, parent } => Statement::new(
                key(role),
                format!("REVOKE {} FROM {}", ident(parent), ident(role)),
            ),
            Step::DropRole { role } => {
                Statement::new(key(role), format!("DROP ROLE {}", ident(role)))
            }
            _ => return Err(self.error("not a role step")),
        };
        Ok(vec![statement.as_admin()])
    }

    pub(super) fn container(&self) -> Rendered {
        let statement = match self.step {
            // pgvector is not a trusted extension: created (and dropped) by the admin.
            Step::CreateExtension { name } => Statement::new(
                ObjectKey::named(ObjectKind::Extension, name),
                format!("CREATE EXTENSION IF NOT EXISTS {}", ident(name)),
            )
            .as_admin(),
            Step::DropExtension { name } => Statement::new(
                ObjectKey::named(ObjectKind::Extension, name),
                format!("DROP EXTENSION {}", ident(name)),
            )
            .as_admin(),
            Step::CreateSchema { name } => {
                let mut sql = format!("CREATE SCHEMA {}", ident(name));
                if let Some(owner) = self
                    .pair
                    .next
                    .schemas
                    .get(name)
                    .and_then(|s| s.owner.as_ref())
                {
                    sql.push_str(&format!(" AUTHORIZATION {}", ident(owner)));
                }
                Statement::new(schema_key(name), sql)
            }
            Step::DropSchema { name } => {
                Statement::new(schema_key(name), format!("DROP SCHEMA {}", ident(name)))
            }
            Step::AlterSchemaOwner { name } => {
                let owner = self
                    .pair
                    .next
                    .schemas
                    .get(name)
                    .and_then(|s| s.owner.as_ref())
                    .ok_or_else(|| self.error(format!("schema {name} has no owner")))?;
                Statement::new(
                    schema_key(name),
                    format!("ALTER SCHEMA {} OWNER TO {}", ident(name), ident(owner)),
                )
            }
            _ => return Err(self.error("not a container step")),
        };
        Ok(vec![statement])
    }

    pub(super) fn enum_type(&self) -> Rendered {
        let key = |q: &QName| ObjectKey::new(ObjectKind::Type, q);
        let statement = match self.step {
            Step::CreateEnum { name } | Step::CreateReplacementEnum { name } => {
                let e = self.pair.next.enums.get(name).ok_or_else(|| {
                    self.error(format!("enum {name} is not in the desired catalog"))
                })?;
                let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
                Statement::new(
                    key(name),
                    format!("CREATE TYPE {} AS ENUM ({})", name.sql(), values.join(", ")),
                )
            }
            Step::AddEnumValue {
                name,
                value,
                position,
            } => {
                let at = match position {
                    EnumPosition::After(v) => format!(" AFTER {}", literal(v)),
                    EnumPosition::Before(v) => format!(" BEFORE {}", literal(v)),
                    EnumPosition::End => String::new(),
                };
                Statement::new(
                    key(name),
                    format!(
                        "ALTER TYPE {} ADD VALUE IF NOT EXISTS {}{at}",
                        name.sql(),
                        literal(value)
                    ),
                )
                .mode(TxMode::CommitFirst)
            }
            Step::RenameEnumAside { name } => Statement::new(
                key(name),
                format!(
                    "ALTER TYPE {} RENAME TO {}",
                    name.sql(),
                    ident(&name.aside().name)
                ),
            ),
            Step::DropType { name } => {
                Statement::new(key(name), format!("DROP TYPE {}", name.sql()))
            }
            Step::DropReplacedEnum { name } => {
                Statement::new(key(name), format!("DROP TYPE {}", name.aside().sql()))
            }
            _ => return Err(self.error("not an enum step")),
        };
        Ok(vec![statement])
    }

    pub(super) fn function(&self) -> Rendered {
        let key = |q: &QName| ObjectKey::new(ObjectKind::Function, q);
        let (q, sql) = match self.step {
            Step::CreateFunction { name } | Step::ReplaceFunction { name } => {
                let f = self.pair.next.functions.get(name).ok_or_else(|| {
                    self.error(format!("function {name} is not in the desired catalog"))
                })?;
                let replace = matches!(self.step, Step::ReplaceFunction { .. });
                (&name.name, function_sql(&name.name, f, replace))
            }
            Step::DropFunction { name }
            | Step::DropFunctionForReplacement { name }
            | Step::DropFunctionEarly { name } => {
                let f = self.pair.previous.functions.get(name).ok_or_else(|| {
                    self.error(format!("function {name} is not in the current catalog"))
                })?;
                (
                    &name.name,
                    format!("DROP {}", function_target(&name.name, f)),
                )
            }
            Step::CheckFunctionBody { name } => {
                let f = self.pair.next.functions.get(name).ok_or_else(|| {
                    self.error(format!("function {name} is not in the desired catalog"))
                })?;
                let validator = f.body_validator().ok_or_else(|| {
                    self.error(format!("no body validator for language {}", f.language))
                })?;
                let signature = format!("{}{}", name.name.sql(), f.signature());
                let sql = format!(
                    "SELECT pg_catalog.{validator}({}::regprocedure::oid)",
                    literal(&signature)
                );
                (&name.name, sql)
            }
            _ => return Err(self.error("not a function step")),
        };
        Ok(vec![Statement::new(key(q), sql).in_schema(&q.schema)])
    }

    pub(super) fn view(&self) -> Rendered {
        match self.step {
            Step::CreateView { name } => {
                let v = self.next_view(name)?;
                let kind = if v.materialized {
                    ObjectKind::MaterializedView
                } else {
                    ObjectKind::View
                };
                let mut out = vec![
                    Statement::new(ObjectKey::new(kind, name), view_sql(name, v))
                        .in_schema(&name.schema),
                ];
                for index in &v.indexes {
                    let iq = QName::new(&name.schema, &index.name);
                    out.push(
                        Statement::new(
                            ObjectKey::new(ObjectKind::Index, &iq),
                            index_sql(name, index, false),
                        )
                        .in_schema(&name.schema),
                    );
                }
                Ok(out)
            }
            Step::DropView { name, materialized } => {
                let (kind, noun) = if *materialized {
                    (ObjectKind::MaterializedView, "MATERIALIZED VIEW")
                } else {
                    (ObjectKind::View, "VIEW")
                };
                Ok(vec![Statement::new(
                    ObjectKey::new(kind, name),
                    format!("DROP {noun} {}", name.sql()),
                )])
            }
            _ => Err(self.error("not a view step")),
        }
    }
}

pub(super) fn schema_key(name: &str) -> ObjectKey {
    ObjectKey {
        kind: ObjectKind::Schema,
        schema: name.to_string(),
        name: name.to_string(),
        table: None,
    }
}
