//! Routine identities: PostgreSQL identifies a function, procedure or aggregate by its
//! schema, name and input argument types (type modifiers and OUT arguments aside), so two
//! routines of a schema alike in both would be one object.

use std::collections::HashMap;

use super::Validator;
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::types::identity_type;
use crate::{ArgMode, FunctionArg, Schema};

impl Validator<'_> {
    pub(super) fn routine_identities(&mut self, schema_name: &str, schema: &Schema) {
        let mut routines: Vec<(String, &'static str, &str, String)> = Vec::new();
        let input = |args: &[FunctionArg]| -> Vec<String> {
            args.iter()
                .filter(|a| a.mode != Some(ArgMode::Out))
                .map(|a| a.ty.clone())
                .collect()
        };
        for (name, list) in &schema.functions {
            let base = pointer(["schemas", schema_name, "functions", name]);
            for (at, f) in list.located(&base) {
                routines.push((at, "function", name, identity(&input(&f.args), schema_name)));
            }
        }
        for (name, list) in &schema.procedures {
            let base = pointer(["schemas", schema_name, "procedures", name]);
            for (at, p) in list.located(&base) {
                routines.push((
                    at,
                    "procedure",
                    name,
                    identity(&input(&p.args), schema_name),
                ));
            }
        }
        for (name, list) in &schema.aggregates {
            let base = pointer(["schemas", schema_name, "aggregates", name]);
            for (at, a) in list.located(&base) {
                routines.push((at, "aggregate", name, identity(&a.args, schema_name)));
            }
        }
        let mut seen: HashMap<(&str, &str), &'static str> = HashMap::new();
        for (at, noun, name, args) in &routines {
            match seen.get(&(*name, args.as_str())) {
                Some(first) => self.error(
                    Diagnostic::at_key(
                        at.clone(),
                        format!(
                            "{noun} `{schema_name}.{name}({args})` has the name and argument \
                             types of a {first} before it"
                        ),
                    )
                    .with_hint(
                        "routines of one name need different argument types (PostgreSQL \
                         ignores OUT arguments and type modifiers such as varchar(20))",
                    ),
                ),
                None => {
                    seen.insert((name, args.as_str()), noun);
                }
            }
        }
    }
}

/// The input argument types as PostgreSQL compares them.
fn identity(types: &[String], schema_name: &str) -> String {
    types
        .iter()
        .map(|ty| identity_type(ty, schema_name))
        .collect::<Vec<_>>()
        .join(", ")
}
