//! Composite types: attribute names and types resolve, collations only on attributes that
//! have one, and no type that contains itself (PostgreSQL refuses that).

use std::collections::BTreeSet;

use super::Validator;
use crate::Schema;
use crate::diag::Diagnostic;
use crate::load::{escape_pointer, pointer};
use crate::types::SqlType;

impl Validator<'_> {
    pub(super) fn composite_types(&mut self, schema_name: &str, schema: &Schema) {
        for (name, composite) in &schema.composite_types {
            let at = pointer(["schemas", schema_name, "composite_types", name]);
            self.identifier(&at, name, true);
            for (attribute, spec) in &composite.attributes {
                let attr_at = format!("{at}/attributes/{}", escape_pointer(attribute));
                self.identifier(&attr_at, attribute, true);
                let type_at = match spec {
                    crate::Attribute::Type(_) => attr_at.clone(),
                    crate::Attribute::Full { .. } => format!("{attr_at}/type"),
                };
                let Some(ty) = self.type_ref(&type_at, schema_name, spec.ty(), false) else {
                    continue;
                };
                if let Some(collation) = spec.collation()
                    && !self.collatable(schema_name, &ty)
                {
                    self.error(
                        Diagnostic::new(
                            format!("{attr_at}/collation"),
                            format!(
                                "attribute `{attribute}` of type `{}` cannot have collation `{collation}`",
                                spec.ty()
                            ),
                        )
                        .with_hint("collations apply to text, varchar and char"),
                    );
                }
                if self.contains_composite(schema_name, &ty, schema_name, name) {
                    self.error(
                        Diagnostic::new(
                            type_at,
                            format!(
                                "composite type `{schema_name}.{name}` would contain itself through attribute `{attribute}`"
                            ),
                        )
                        .with_hint("PostgreSQL refuses a composite type that is a member of itself"),
                    );
                }
            }
        }
    }

    /// Whether values of `ty` (in `schema`) hold composite type `target`, through arrays,
    /// domains and other composite types' attributes.
    fn contains_composite(
        &self,
        schema: &str,
        ty: &SqlType,
        target_schema: &str,
        target: &str,
    ) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![(schema.to_string(), self.model.base_type(schema, ty))];
        while let Some((schema, mut ty)) = todo.pop() {
            while let SqlType::Array(inner) = ty {
                ty = *inner;
            }
            let SqlType::Named {
                schema: named,
                name,
            } = &ty
            else {
                continue;
            };
            let owner = named.clone().unwrap_or(schema);
            if owner == target_schema && name == target {
                return true;
            }
            if !seen.insert((owner.clone(), name.clone())) {
                continue;
            }
            let Some(composite) = self
                .model
                .schemas
                .get(&owner)
                .and_then(|s| s.composite_types.get(name))
            else {
                continue;
            };
            for spec in composite.attributes.values() {
                if let Ok(inner) = SqlType::parse(spec.ty()) {
                    let base = self.model.base_type(&owner, &inner);
                    todo.push((owner.clone(), base));
                }
            }
        }
        false
    }
}
