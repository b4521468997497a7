//! The owners the model declares for the objects of a schema.

use crate::Schema;

/// An object of a schema that declares its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnedObject<'a> {
    /// The key of the schema that lists the object: `tables`, `functions`, ….
    pub collection: &'static str,
    pub name: &'a str,
    pub owner: &'a str,
}

impl Schema {
    /// Every object of the schema with an `owner`, in the order of the schema's keys.
    pub fn owned_objects<'s>(&'s self) -> Vec<OwnedObject<'s>> {
        let mut out = Vec::new();
        let mut push = |collection: &'static str, name: &'s str, owner: Option<&'s str>| {
            if let Some(owner) = owner {
                out.push(OwnedObject {
                    collection,
                    name,
                    owner,
                });
            }
        };
        for (name, e) in &self.enums {
            push("enums", name, e.owner());
        }
        for (name, d) in &self.domains {
            push("domains", name, d.owner.as_deref());
        }
        for (name, c) in &self.composite_types {
            push("composite_types", name, c.owner.as_deref());
        }
        for (name, s) in &self.sequences {
            push("sequences", name, s.owner.as_deref());
        }
        for (name, t) in &self.tables {
            push("tables", name, t.owner.as_deref());
        }
        for (name, v) in &self.views {
            push("views", name, v.owner.as_deref());
        }
        for (name, v) in &self.materialized_views {
            push("materialized_views", name, v.owner.as_deref());
        }
        for (name, f) in &self.functions {
            push("functions", name, f.owner.as_deref());
        }
        for (name, p) in &self.procedures {
            push("procedures", name, p.owner.as_deref());
        }
        for (name, a) in &self.aggregates {
            push("aggregates", name, a.owner.as_deref());
        }
        out
    }
}
