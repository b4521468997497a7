//! A schema target receives the tenant schema under its own name, and SQL text is never
//! rewritten: a body in the tenant schema that names the tenant schema itself would reach
//! the model schema's name on every target (or fail there). Such text is refused before
//! any target is touched, at its place in the model.

use schemactl_core::deps::references;

use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::model::Model;

/// Every piece of SQL text of the tenant schema that names `tenant.` something.
pub fn qualified_references(model: &Model, tenant: &str) -> Vec<Diagnostic> {
    let Some(schema) = model.schemas.get(tenant) else {
        return Vec::new();
    };
    let mut texts: Vec<(String, &str)> = Vec::new();
    let base = |rest: &[&str]| pointer(["schemas", tenant].iter().chain(rest.iter()));
    for (name, view) in &schema.views {
        texts.push((base(&["views", name, "query"]), &view.query));
    }
    for (name, view) in &schema.materialized_views {
        texts.push((base(&["materialized_views", name, "query"]), &view.query));
    }
    for (name, list) in &schema.functions {
        for (at, function) in list.located(&base(&["functions", name])) {
            texts.push((format!("{at}/body"), &function.body));
        }
    }
    for (name, list) in &schema.procedures {
        for (at, procedure) in list.located(&base(&["procedures", name])) {
            texts.push((format!("{at}/body"), &procedure.body));
        }
    }
    for (table_name, table) in &schema.tables {
        let t = ["tables", table_name.as_str()];
        for (column_name, column) in &table.columns {
            let c = |key: &str| base(&[t[0], t[1], "columns", column_name, key]);
            if let Some(serde_json::Value::String(default)) = &column.default {
                texts.push((c("default"), default));
            }
            if let Some(generated) = &column.generated {
                texts.push((c("generated"), generated));
            }
            if let Some(check) = &column.check {
                texts.push((c("check"), check));
            }
        }
        for (name, check) in &table.checks {
            texts.push((base(&[t[0], t[1], "checks", name]), check.expression()));
        }
        for (name, index) in &table.indexes {
            if let Some(predicate) = &index.predicate {
                texts.push((base(&[t[0], t[1], "indexes", name, "where"]), predicate));
            }
        }
        for (name, exclusion) in &table.exclusions {
            let x = |rest: &[&str]| {
                let mut path = vec![t[0], t[1], "exclusions", name.as_str()];
                path.extend_from_slice(rest);
                base(&path)
            };
            if let Some(predicate) = &exclusion.predicate {
                texts.push((x(&["where"]), predicate));
            }
            for (i, element) in exclusion.elements.iter().enumerate() {
                if let Some(expression) = &element.expression {
                    texts.push((x(&["elements", &i.to_string(), "expression"]), expression));
                }
            }
        }
        if let Some(rls) = &table.row_level_security {
            for (name, policy) in &rls.policies {
                let p =
                    |key: &str| base(&[t[0], t[1], "row_level_security", "policies", name, key]);
                if let Some(using) = &policy.using {
                    texts.push((p("using"), using));
                }
                if let Some(check) = &policy.with_check {
                    texts.push((p("with_check"), check));
                }
            }
        }
    }
    let lower = tenant.to_ascii_lowercase();
    texts
        .into_iter()
        .filter_map(|(at, text)| {
            let named = references(text)
                .into_iter()
                .find(|r| r.schema.as_deref() == Some(lower.as_str()))?;
            Some(
                Diagnostic::new(
                    at,
                    format!(
                        "`{tenant}.{}` names the tenant schema: each schema target receives \
                         `{tenant}` under its own name, and this text would still mean `{tenant}`",
                        named.name
                    ),
                )
                .with_hint(format!(
                    "write `{}` unqualified: statements for a schema target run with that schema first on the search path",
                    named.name
                )),
            )
        })
        .collect()
}
