//! Composite types: created whole; attributes dropped, retyped and appended in place;
//! replaced when the attributes that stay change order or a new one comes before them
//! (`ADD ATTRIBUTE` appends, and a fresh type has the model's order).

use super::Differ;
use crate::catalog::CompositeTypeDef;
use crate::step::{Step, Target};

impl Differ<'_> {
    pub(super) fn composite_types(&mut self) {
        for (q, composite) in &self.next.composite_types {
            let target = Target::Type { name: q.clone() };
            let Some(previous) = self.previous.composite_types.get(q) else {
                self.push(Step::CreateCompositeType { name: q.clone() });
                self.comment(target, None, composite.comment.as_ref());
                continue;
            };
            if !alterable_in_place(previous, composite) {
                self.push(Step::RenameCompositeTypeAside { name: q.clone() });
                self.push(Step::CreateCompositeType { name: q.clone() });
                self.push(Step::DropReplacedCompositeType { name: q.clone() });
                self.comment(target, None, composite.comment.as_ref());
                continue;
            }
            for attribute in &previous.attributes {
                if composite.attribute(&attribute.name).is_none() {
                    self.push(Step::DropAttribute {
                        name: q.clone(),
                        attribute: attribute.name.clone(),
                    });
                }
            }
            for attribute in &composite.attributes {
                match previous.attribute(&attribute.name) {
                    Some(had) if had != attribute => self.push(Step::AlterAttributeType {
                        name: q.clone(),
                        attribute: attribute.name.clone(),
                    }),
                    Some(_) => {}
                    None => self.push(Step::AddAttribute {
                        name: q.clone(),
                        attribute: attribute.name.clone(),
                    }),
                }
            }
            self.comment(
                target,
                previous.comment.as_ref(),
                composite.comment.as_ref(),
            );
        }
        for q in self.previous.composite_types.keys() {
            if !self.next.composite_types.contains_key(q) {
                self.push(Step::DropCompositeType { name: q.clone() });
            }
        }
    }
}

/// The attributes that stay keep their order and every new one comes after them.
pub(super) fn alterable_in_place(previous: &CompositeTypeDef, next: &CompositeTypeDef) -> bool {
    let kept_before: Vec<&str> = previous
        .attributes
        .iter()
        .filter(|a| next.attribute(&a.name).is_some())
        .map(|a| a.name.as_str())
        .collect();
    let kept_after: Vec<&str> = next
        .attributes
        .iter()
        .take(kept_before.len())
        .map(|a| a.name.as_str())
        .collect();
    kept_before == kept_after
}
