//! Domains: the base type resolves (and is not the domain itself, through other
//! domains), a collation only on a base type that has one, checks that are expressions.

use std::collections::BTreeSet;

use super::Validator;
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::types::SqlType;
use crate::{Domain, Schema};

impl Validator<'_> {
    pub(super) fn domains(&mut self, schema_name: &str, schema: &Schema) {
        for (name, domain) in &schema.domains {
            let at = pointer(["schemas", schema_name, "domains", name]);
            self.identifier(&at, name, true);
            let Some(base) = self.type_ref(&format!("{at}/type"), schema_name, &domain.ty, false)
            else {
                continue;
            };
            if self.domain_cycle(&at, schema_name, name, &base) {
                continue;
            }
            self.domain_collation(&at, schema_name, name, domain, &base);
            for (check, expression) in &domain.checks {
                let check_at = format!("{at}/checks/{}", crate::load::escape_pointer(check));
                self.identifier(&check_at, check, true);
                if expression.trim().is_empty() {
                    self.error(
                        Diagnostic::new(
                            check_at,
                            format!("check `{check}` of domain `{schema_name}.{name}` is empty"),
                        )
                        .with_hint("write a boolean expression over VALUE, e.g. `VALUE > 0`"),
                    );
                }
            }
        }
    }

    /// A domain whose base type leads back to itself through other domains.
    fn domain_cycle(&mut self, at: &str, schema_name: &str, name: &str, base: &SqlType) -> bool {
        let mut seen = BTreeSet::from([(schema_name.to_string(), name.to_string())]);
        let mut schema = schema_name.to_string();
        let mut current = base.clone();
        let mut via: Option<String> = None;
        while let Some((next_schema, domain)) = self.model.domain(&schema, &current) {
            let SqlType::Named { name: next, .. } = &current else {
                break;
            };
            let via = via.get_or_insert_with(|| format!("{next_schema}.{next}"));
            if !seen.insert((next_schema.to_string(), next.clone())) {
                self.error(
                    Diagnostic::new(
                        format!("{at}/type"),
                        format!(
                            "domain `{schema_name}.{name}` is based on itself (through `{via}`)"
                        ),
                    )
                    .with_hint("base the domain on a built-in type or an enum"),
                );
                return true;
            }
            schema = next_schema.to_string();
            match SqlType::parse(&domain.ty) {
                Ok(ty) => current = ty,
                Err(_) => break,
            }
        }
        false
    }

    fn domain_collation(
        &mut self,
        at: &str,
        schema_name: &str,
        name: &str,
        domain: &Domain,
        base: &SqlType,
    ) {
        let Some(collation) = &domain.collation else {
            return;
        };
        if !self.collatable(schema_name, base) {
            self.error(
                Diagnostic::new(
                    format!("{at}/collation"),
                    format!(
                        "domain `{schema_name}.{name}` of type `{}` cannot have collation `{collation}`",
                        domain.ty
                    ),
                )
                .with_hint("collations apply to text, varchar and char"),
            );
        }
    }

    /// Whether values of `ty` (through domains and arrays) have a collation.
    pub(super) fn collatable(&self, schema_name: &str, ty: &SqlType) -> bool {
        let mut base = self.model.base_type(schema_name, ty);
        while let SqlType::Array(inner) = base {
            base = *inner;
        }
        match &base {
            SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_) => true,
            SqlType::Named { name, .. } => name.eq_ignore_ascii_case("citext"),
            _ => false,
        }
    }
}
