//! Aggregates: argument and state types that resolve, support functions named, and
//! serialization functions only where
//! PostgreSQL takes them (an `internal` state, both or neither).

use super::{ObjectKind, Validator};
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::{Aggregate, Schema};

impl Validator<'_> {
    pub(super) fn aggregates(&mut self, schema_name: &str, schema: &Schema) {
        for (name, list) in &schema.aggregates {
            let base = pointer(["schemas", schema_name, "aggregates", name]);
            for (at, aggregate) in list.located(&base) {
                self.aggregate(&at, schema_name, name, aggregate);
            }
        }
    }

    fn aggregate(&mut self, at: &str, schema_name: &str, name: &str, aggregate: &Aggregate) {
        self.identifier(at, name, true);
        self.grants(
            &format!("{at}/grants"),
            &aggregate.grants,
            ObjectKind::Function,
        );
        for (i, ty) in aggregate.args.iter().enumerate() {
            self.type_ref(&format!("{at}/args/{i}"), schema_name, ty, false);
        }
        self.type_ref(
            &format!("{at}/state_type"),
            schema_name,
            &aggregate.state_type,
            false,
        );
        for (key, function) in aggregate.support_functions() {
            self.support_function(&format!("{at}/{key}"), schema_name, name, key, function);
        }
        let internal = aggregate.state_type.trim().eq_ignore_ascii_case("internal");
        let serial = aggregate.serial_function.is_some();
        if serial != aggregate.deserial_function.is_some() {
            let key = if serial {
                "serial_function"
            } else {
                "deserial_function"
            };
            self.error(
                    Diagnostic::new(
                        format!("{at}/{key}"),
                        format!(
                            "aggregate `{schema_name}.{name}` has only one of serial_function and deserial_function"
                        ),
                    )
                    .with_hint("a serialized state must be read back: give both, or neither"),
                );
        } else if serial && !internal {
            self.error(
                Diagnostic::new(
                    format!("{at}/serial_function"),
                    format!(
                        "aggregate `{schema_name}.{name}` serializes a `{}` state",
                        aggregate.state_type
                    ),
                )
                .with_hint(
                    "PostgreSQL takes serialization functions only for an `internal` state type",
                ),
            );
        }
    }

    /// A support function: named, and if qualified with a schema of the model, one of its
    /// functions (an unqualified name that is not one is PostgreSQL's own).
    fn support_function(
        &mut self,
        at: &str,
        schema_name: &str,
        aggregate: &str,
        key: &str,
        function: &str,
    ) {
        if function.trim().is_empty() {
            self.error(Diagnostic::new(
                at,
                format!("aggregate `{schema_name}.{aggregate}` has an empty {key}"),
            ));
            return;
        }
        let Some((schema, name)) = function.split_once('.') else {
            return;
        };
        let Some(declared) = self.model.schemas.get(schema) else {
            return;
        };
        if !declared.functions.contains_key(name) {
            self.error(
                Diagnostic::new(
                    at,
                    format!("{key} `{function}` is not a function of schema `{schema}`"),
                )
                .with_hint("name a function under `functions` of that schema, or a built-in one without a schema"),
            );
        }
    }
}
