//! Domains.

use schemactl_core::catalog::{DomainDef, QName};
use schemactl_core::sql::ident;
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, Statement};
use schemactl_core::step::Step;

use super::Renderer;
use super::statements::collate;

impl Renderer<'_> {
    pub(super) fn domain(&self) -> Result<Vec<Statement>, RenderError> {
        let key = |q: &QName| ObjectKey::new(ObjectKind::Domain, q);
        let alter = |q: &QName, action: String| {
            Statement::new(key(q), format!("ALTER DOMAIN {} {action}", q.sql()))
        };
        let statement = match self.step {
            Step::CreateDomain { name } => {
                Statement::new(key(name), create_domain(name, self.next_domain(name)?))
            }
            Step::RenameDomainAside { name } => {
                alter(name, format!("RENAME TO {}", ident(&name.aside().name)))
            }
            Step::AlterDomainDefault { name } => match &self.next_domain(name)?.default {
                Some(default) => alter(name, format!("SET DEFAULT {default}")),
                None => alter(name, "DROP DEFAULT".to_string()),
            },
            Step::SetDomainNullability { name, not_null } => alter(
                name,
                if *not_null {
                    "SET NOT NULL"
                } else {
                    "DROP NOT NULL"
                }
                .to_string(),
            ),
            Step::AddDomainCheck { name, check } => {
                let expression = self.next_domain(name)?.checks.get(check).ok_or_else(|| {
                    self.error(format!(
                        "domain {name} has no check {check} in the desired catalog"
                    ))
                })?;
                alter(
                    name,
                    format!("ADD CONSTRAINT {} CHECK ({expression})", ident(check)),
                )
            }
            Step::DropDomainCheck { name, check } => {
                alter(name, format!("DROP CONSTRAINT {}", ident(check)))
            }
            Step::DropDomain { name } => {
                Statement::new(key(name), format!("DROP DOMAIN {}", name.sql()))
            }
            Step::DropReplacedDomain { name } => {
                Statement::new(key(name), format!("DROP DOMAIN {}", name.aside().sql()))
            }
            _ => return Err(self.error("not a domain step")),
        };
        Ok(vec![statement])
    }

    fn next_domain(&self, q: &QName) -> Result<&DomainDef, RenderError> {
        self.pair
            .next
            .domains
            .get(q)
            .ok_or_else(|| self.error(format!("domain {q} is not in the desired catalog")))
    }
}

/// `CREATE DOMAIN` with everything the domain has, checks by name.
fn create_domain(name: &QName, domain: &DomainDef) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", name.sql(), domain.base);
    if let Some(collation) = &domain.collation {
        sql.push_str(&collate(collation));
    }
    if let Some(default) = &domain.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if domain.not_null {
        sql.push_str(" NOT NULL");
    }
    for (check, expression) in &domain.checks {
        sql.push_str(&format!(
            " CONSTRAINT {} CHECK ({expression})",
            ident(check)
        ));
    }
    sql
}
