//! The owners of a schema's objects: declared roles, PostgreSQL only, and none on a
//! sequence that a column owns (PostgreSQL keeps such a sequence with its table's owner).

use super::Validator;
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::{Schema, Target};

impl Validator<'_> {
    pub(super) fn object_owners(&mut self, schema_name: &str, schema: &Schema) {
        let engine = match self.model.database.target {
            Target::Postgres => None,
            Target::Sqlite => Some("SQLite"),
            Target::Duckdb => Some("DuckDB"),
        };
        for object in schema.owned_objects() {
            let at = object.owner_pointer(schema_name);
            match engine {
                Some(engine) => self.error(
                    Diagnostic::new(at, format!("{engine} has no roles: an object has no owner"))
                        .with_hint("remove `owner`"),
                ),
                None => self.role_ref(&at, object.owner),
            }
        }
        for (name, sequence) in &schema.sequences {
            if let (Some(_), Some(column)) = (&sequence.owner, &sequence.owned_by) {
                self.error(
                    Diagnostic::new(
                        pointer(["schemas", schema_name, "sequences", name, "owner"]),
                        format!(
                            "sequence `{schema_name}.{name}` is owned by column `{column}` and \
                             has its table's owner"
                        ),
                    )
                    .with_hint("remove `owner`, or give the table an `owner`"),
                );
            }
        }
    }
}

impl Validator<'_> {
    /// `owner` entries of `unmanaged` are for partitions only now: on any other object
    /// the model says the owner itself, and a plan would set the one it says.
    pub(super) fn unmanaged_owners(&mut self) {
        for (i, item) in self.model.unmanaged.iter().enumerate() {
            if item.kind != crate::unmanaged::UnmanagedKind::Owner {
                continue;
            }
            let unquoted = item.name.replace('"', "");
            let declared = match unquoted.split_once('.') {
                _ if unquoted.contains('(') => true,
                Some((schema, name)) => self.model.schemas.get(schema).is_some_and(|s| {
                    s.tables.contains_key(name)
                        || s.views.contains_key(name)
                        || s.materialized_views.contains_key(name)
                        || s.sequences.contains_key(name)
                        || s.enums.contains_key(name)
                        || s.domains.contains_key(name)
                        || s.composite_types.contains_key(name)
                }),
                None => false,
            };
            if declared {
                self.error(
                    Diagnostic::new(
                        pointer(["unmanaged".to_string(), i.to_string(), "kind".to_string()]),
                        format!(
                            "unmanaged owner `{}`: the model declares objects' owners now",
                            item.name
                        ),
                    )
                    .with_hint(
                        "write `owner: <role>` on the object (`schemactl pull` writes it) and \
                         remove this entry",
                    ),
                );
            }
        }
    }
}
