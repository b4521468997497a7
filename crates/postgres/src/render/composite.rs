//! Composite types.

use schemactl_core::catalog::{AttributeDef, CompositeTypeDef, QName};
use schemactl_core::sql::ident;
use schemactl_core::statement::{ObjectKey, ObjectKind, RenderError, Statement};
use schemactl_core::step::Step;

use super::Renderer;
use super::statements::collate;

impl Renderer<'_> {
    pub(super) fn composite_type(&self) -> Result<Vec<Statement>, RenderError> {
        let key = |q: &QName| ObjectKey::new(ObjectKind::Type, q);
        let alter = |q: &QName, action: String| {
            Statement::new(key(q), format!("ALTER TYPE {} {action}", q.sql()))
        };
        let statement = match self.step {
            Step::CreateCompositeType { name } => {
                let attributes: Vec<String> = self
                    .next_composite(name)?
                    .attributes
                    .iter()
                    .map(attribute_sql)
                    .collect();
                Statement::new(
                    key(name),
                    format!("CREATE TYPE {} AS ({})", name.sql(), attributes.join(", ")),
                )
            }
            Step::RenameCompositeTypeAside { name } => {
                alter(name, format!("RENAME TO {}", ident(&name.aside().name)))
            }
            Step::AddAttribute { name, attribute } => alter(
                name,
                format!(
                    "ADD ATTRIBUTE {}",
                    attribute_sql(self.next_attribute(name, attribute)?)
                ),
            ),
            Step::AlterAttributeType { name, attribute } => {
                let a = self.next_attribute(name, attribute)?;
                let collation = a.collation.as_deref().map(collate).unwrap_or_default();
                alter(
                    name,
                    format!(
                        "ALTER ATTRIBUTE {} TYPE {}{collation}",
                        ident(&a.name),
                        a.ty
                    ),
                )
            }
            Step::DropAttribute { name, attribute } => {
                alter(name, format!("DROP ATTRIBUTE {}", ident(attribute)))
            }
            Step::DropCompositeType { name } => {
                Statement::new(key(name), format!("DROP TYPE {}", name.sql()))
            }
            Step::DropReplacedCompositeType { name } => {
                Statement::new(key(name), format!("DROP TYPE {}", name.aside().sql()))
            }
            _ => return Err(self.error("not a composite type step")),
        };
        Ok(vec![statement])
    }

    fn next_composite(&self, q: &QName) -> Result<&CompositeTypeDef, RenderError> {
        self.pair
            .next
            .composite_types
            .get(q)
            .ok_or_else(|| self.error(format!("composite type {q} is not in the desired catalog")))
    }

    fn next_attribute(&self, q: &QName, attribute: &str) -> Result<&AttributeDef, RenderError> {
        self.next_composite(q)?
            .attribute(attribute)
            .ok_or_else(|| self.error(format!("type {q} has no attribute {attribute}")))
    }
}

fn attribute_sql(a: &AttributeDef) -> String {
    let collation = a.collation.as_deref().map(collate).unwrap_or_default();
    format!("{} {}{collation}", ident(&a.name), a.ty)
}
