//! The owners the model declares for the objects of a schema.

use crate::Schema;

/// An object of a schema that declares its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnedObject<'a> {
    /// The key of the schema that lists the object: `tables`, `functions`, ….
    pub collection: &'static str,
    pub name: &'a str,
    /// The place of an overload in its name's list; `None` for an object alone under its
    /// name.
    pub overload: Option<usize>,
    pub owner: &'a str,
}

impl OwnedObject<'_> {
    /// The JSON pointer of the object's `owner` key.
    pub fn owner_pointer(&self, schema_name: &str) -> String {
        let at = crate::load::pointer(["schemas", schema_name, self.collection, self.name]);
        match self.overload {
            Some(i) => format!("{at}/{i}/owner"),
            None => format!("{at}/owner"),
        }
    }
}

impl Schema {
    /// Every object of the schema with an `owner`, in the order of the schema's keys.
    pub fn owned_objects<'s>(&'s self) -> Vec<OwnedObject<'s>> {
        let mut out = Vec::new();
        let mut push_overload =
            |collection: &'static str, name: &'s str, overload, owner: Option<&'s str>| {
                if let Some(owner) = owner {
                    out.push(OwnedObject {
                        collection,
                        name,
                        overload,
                        owner,
                    });
                }
            };
        let mut push = |collection, name, owner| push_overload(collection, name, None, owner);
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
        for (name, list) in &self.functions {
            for (i, f) in list.indexed() {
                push_overload("functions", name, i, f.owner.as_deref());
            }
        }
        for (name, list) in &self.procedures {
            for (i, p) in list.indexed() {
                push_overload("procedures", name, i, p.owner.as_deref());
            }
        }
        for (name, list) in &self.aggregates {
            for (i, a) in list.indexed() {
                push_overload("aggregates", name, i, a.owner.as_deref());
            }
        }
        out
    }
}
