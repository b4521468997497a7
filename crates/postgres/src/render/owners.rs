//! Owners. Statements run as the database owner, so that it owns what they create. Every
//! statement on an object with another owner (before or after the plan) runs as the admin
//! instead, which can act for any owner (a superuser, or a member of the owner:
//! provisioning grants that) where the database owner may not. The admin creates such an
//! object and the plan's `AlterOwner` step hands it over, in the Access phase (after the
//! schema grants the new owner may need): a materialized view is so filled with the
//! admin's privileges, not with those of a database owner that may not read its tables.

use schemactl_core::catalog::QName;
use schemactl_core::sql::ident;
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, Statement};
use schemactl_core::step::{ConstraintKind, Step, Subject, Target};

use super::Renderer;
use super::statements::function_target;

type Rendered = Result<Vec<Statement>, RenderError>;

impl Renderer<'_> {
    /// `ALTER … OWNER TO` the next catalog's owner, or the database owner's name.
    pub(super) fn alter_owner(&self) -> Rendered {
        let Step::AlterOwner { target } = self.step else {
            return Err(self.error("not an owner step"));
        };
        let owner = match target
            .subject()
            .and_then(|s| s.owner(self.pair.next).cloned())
        {
            Some(owner) => owner,
            None => self.database_owner()?,
        };
        let mut out = vec![self.owner_statement(target, &owner)?];
        if let Target::Table { name } = target {
            // ALTER TABLE … OWNER does not reach a table's partitions.
            let partitions = &self.next_table(name)?.partitions;
            let names: Vec<&str> = partitions.iter().map(|p| p.name.as_str()).collect();
            out.extend(self.partition_owners(name, &names, &owner));
        }
        Ok(out)
    }

    /// `statements` of this step with the owners applied (see the module's comment).
    pub(super) fn with_owners(&self, statements: Vec<Statement>) -> Rendered {
        Ok(match self.step {
            Step::AlterOwner { .. } => statements,
            _ if self.touches_owned() => statements.into_iter().map(Statement::as_admin).collect(),
            _ => statements,
        })
    }

    /// Whether the step acts on an object with an owner of its own, before or after the
    /// plan, or adds a foreign key to a table with one (REFERENCES needs its privilege).
    fn touches_owned(&self) -> bool {
        if !self.owners {
            return false;
        }
        let owned = |s: &Subject| {
            s.owner(self.pair.next).is_some() || s.owner(self.pair.previous).is_some()
        };
        if self.step.subjects().iter().any(owned) {
            return true;
        }
        match self.step {
            Step::AddConstraint {
                on,
                kind: ConstraintKind::ForeignKey,
                ..
            }
            | Step::ValidateConstraint {
                on,
                kind: ConstraintKind::ForeignKey,
            } => self
                .pair
                .next
                .tables
                .get(&on.table)
                .and_then(|t| t.foreign_keys.iter().find(|fk| fk.name == on.name))
                .is_some_and(|fk| owned(&Subject::Table(fk.references.clone()))),
            _ => false,
        }
    }

    pub(super) fn owner_statement(
        &self,
        target: &Target,
        owner: &str,
    ) -> Result<Statement, RenderError> {
        let object = match target {
            Target::Type { name } if self.is_domain(name) => format!("DOMAIN {}", name.sql()),
            Target::Type { name } => format!("TYPE {}", name.sql()),
            Target::Table { name } => format!("TABLE {}", name.sql()),
            Target::View { name } => format!("VIEW {}", name.sql()),
            Target::MaterializedView { name } => format!("MATERIALIZED VIEW {}", name.sql()),
            Target::Sequence { name } => format!("SEQUENCE {}", name.sql()),
            Target::Function { name } => {
                let f = self.pair.next.functions.get(name).ok_or_else(|| {
                    self.error(format!("function {name} is not in the desired catalog"))
                })?;
                function_target(&name.name, f)
            }
            other => return Err(self.error(format!("{other:?} has no owner of its own"))),
        };
        let sql = format!("ALTER {object} OWNER TO {}", ident(owner));
        Ok(Statement::new(self.target_key(target), sql).as_admin())
    }

    fn partition_owners(&self, table: &QName, partitions: &[&str], owner: &str) -> Vec<Statement> {
        partitions
            .iter()
            .map(|p| {
                let pq = QName::new(&table.schema, *p);
                let sql = format!("ALTER TABLE {} OWNER TO {}", pq.sql(), ident(owner));
                Statement::new(ObjectKey::new(ObjectKind::Partition, &pq), sql).as_admin()
            })
            .collect()
    }

    fn is_domain(&self, name: &QName) -> bool {
        self.pair.next.domains.contains_key(name) || self.pair.previous.domains.contains_key(name)
    }

    /// The database owner's name, which an object without an owner of its own goes back to.
    fn database_owner(&self) -> Result<String, RenderError> {
        self.pair
            .next
            .database
            .owner
            .clone()
            .or_else(|| self.pair.previous.database.owner.clone())
            .ok_or_else(|| {
                self.error("the database owner is not known: declare `database.owner` in the model")
            })
    }
}
