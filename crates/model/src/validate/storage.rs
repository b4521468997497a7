//! How a table stores its data: `unlogged` and `with`, which PostgreSQL refuses on
//! partitioned tables, foreign keys from a logged table to an unlogged one, which it
//! refuses too, and column collations on types that have none.

use super::{Validator, split_qualified};
use crate::Table;
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::types::SqlType;

impl Validator<'_> {
    pub(super) fn table_storage(&mut self, schema_name: &str, table_name: &str, table: &Table) {
        let at = pointer(["schemas", schema_name, "tables", table_name]);
        if table.partition_by.is_some() {
            if table.unlogged {
                self.error(
                    Diagnostic::new(
                        format!("{at}/unlogged"),
                        format!(
                            "partitioned table `{schema_name}.{table_name}` cannot be unlogged"
                        ),
                    )
                    .with_hint(
                        "PostgreSQL keeps no rows in a partitioned table itself; remove `unlogged`",
                    ),
                );
            }
            if !table.with_params.is_empty() {
                self.error(
                    Diagnostic::at_key(
                        format!("{at}/with"),
                        format!("partitioned table `{schema_name}.{table_name}` cannot have storage parameters"),
                    )
                    .with_hint("PostgreSQL refuses `WITH (…)` on a partitioned table; remove `with`"),
                );
            }
        }
        self.column_collations(&at, schema_name, table);
        self.toast_parameters(&at, schema_name, table_name, table);
        if table.unlogged {
            return;
        }
        // (where, schema, table) of every table this one references.
        let mut targets: Vec<(String, &str, &str)> = Vec::new();
        for (column_name, column) in &table.columns {
            if let Some(r) = &column.references {
                let schema = r.schema.as_deref().unwrap_or(schema_name);
                let at = format!("{at}/columns/{column_name}/references");
                targets.push((at, schema, r.table.as_str()));
            }
        }
        for (name, fk) in &table.foreign_keys {
            let (schema, target) = split_qualified(&fk.references, schema_name);
            targets.push((
                format!("{at}/foreign_keys/{name}/references"),
                schema,
                target,
            ));
        }
        for (fk_at, schema, name) in targets {
            let unlogged = self
                .model
                .schemas
                .get(schema)
                .and_then(|s| s.tables.get(name))
                .is_some_and(|t| t.unlogged);
            if unlogged {
                self.error(
                    Diagnostic::new(
                        fk_at,
                        format!(
                            "table `{schema_name}.{table_name}` is logged and references unlogged table `{schema}.{name}`"
                        ),
                    )
                    .with_hint("PostgreSQL lets only unlogged tables reference unlogged ones: make this table `unlogged` too, or the other one logged"),
                );
            }
        }
    }

    /// `toast.*` parameters need a TOAST table, which PostgreSQL gives a table only when a
    /// column may hold a long value: on a table whose every column has a fixed size it
    /// would discard them. A domain counts as its base type; only certain cases are
    /// refused (a type of another package, or a composite type, may be either).
    fn toast_parameters(&mut self, at: &str, schema_name: &str, table_name: &str, table: &Table) {
        let Some(key) = table.with_params.keys().find(|k| k.starts_with("toast.")) else {
            return;
        };
        let model = self.model;
        let is_enum = |schema: Option<&str>, name: &str| {
            let schema = schema.unwrap_or(schema_name);
            model
                .schemas
                .get(schema)
                .is_some_and(|s| s.enums.contains_key(name))
        };
        let fixed = |ty: &str| match SqlType::parse(ty).map(|t| model.base_type(schema_name, &t)) {
            Ok(SqlType::Named { schema, name }) => is_enum(schema.as_deref(), &name),
            Ok(t) => matches!(
                t,
                SqlType::SmallInt
                    | SqlType::Integer
                    | SqlType::BigInt
                    | SqlType::Serial(_)
                    | SqlType::Boolean
                    | SqlType::Real
                    | SqlType::Double
                    | SqlType::Date
                    | SqlType::Time
                    | SqlType::Timestamp
                    | SqlType::Timestamptz
                    | SqlType::Interval
                    | SqlType::Uuid
            ),
            Err(_) => false,
        };
        if !table.columns.is_empty() && table.columns.values().all(|c| fixed(&c.ty)) {
            self.error(
                Diagnostic::at_key(
                    format!("{at}/with/{key}"),
                    format!(
                        "table `{schema_name}.{table_name}` has no TOAST table for `{key}`: every column has a fixed size"
                    ),
                )
                .with_hint("PostgreSQL would discard the parameter; remove it, or keep it for a table with text, bytea, jsonb or array columns"),
            );
        }
    }

    /// `collation` only on the types that have one: strings (and arrays of them, and
    /// domains over them).
    fn column_collations(&mut self, at: &str, schema_name: &str, table: &Table) {
        for (name, column) in &table.columns {
            let Some(collation) = &column.collation else {
                continue;
            };
            let Ok(ty) = SqlType::parse(&column.ty) else {
                continue; // reported where the type is checked
            };
            if !self.collatable(schema_name, &ty) {
                self.error(
                    Diagnostic::new(
                        format!("{at}/columns/{name}/collation"),
                        format!(
                            "column `{name}` of type `{}` cannot have collation `{collation}`",
                            column.ty
                        ),
                    )
                    .with_hint("collations apply to text, varchar and char columns"),
                );
            }
        }
    }
}
