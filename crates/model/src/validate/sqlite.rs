//! Rules for models with `target: sqlite`: every feature SQLite cannot host is an error
//! that names the feature and points at the key, so nothing is dropped silently.

use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::types::SqlType;
use crate::{
    IndexColumn, IndexMethod, Model, Table, Trigger, TriggerEvent, TriggerLevel, TriggerTiming,
};

/// The one schema a SQLite database has.
pub const MAIN_SCHEMA: &str = "main";

/// Problems of a SQLite-targeted model beyond the checks shared with PostgreSQL.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let db = &model.database;
    if db.owner.is_some() {
        unsupported(
            &mut out,
            pointer(["database", "owner"]),
            "a database owner",
            "SQLite has no roles: remove `owner`",
        );
    }
    if db.encoding.is_some() || db.locale.is_some() {
        let key = if db.encoding.is_some() {
            "encoding"
        } else {
            "locale"
        };
        unsupported(
            &mut out,
            pointer(["database", key]),
            "a server encoding or locale",
            "SQLite files are UTF-8: remove the key",
        );
    }
    if !model.access_tests.is_empty() {
        unsupported(
            &mut out,
            pointer(["access_tests"]),
            "access tests",
            "SQLite has no roles or policies: remove `access_tests`",
        );
    }
    for (i, _) in model.extensions.iter().enumerate() {
        unsupported(
            &mut out,
            pointer(["extensions".to_string(), i.to_string()]),
            "extensions",
            "remove `extensions`",
        );
    }
    for name in model.roles.keys() {
        unsupported(
            &mut out,
            pointer(["roles", name]),
            "roles",
            "SQLite has no roles or privileges: remove `roles`",
        );
    }
    for (schema_name, schema) in &model.schemas {
        let at = |rest: &[&str]| {
            let mut segments = vec!["schemas", schema_name.as_str()];
            segments.extend_from_slice(rest);
            pointer(segments)
        };
        if schema_name != MAIN_SCHEMA {
            unsupported(
                &mut out,
                at(&[]),
                &format!("a schema named `{schema_name}`"),
                "a SQLite database has one schema: put every object under `schemas: main`",
            );
        }
        if schema.owner.is_some() {
            unsupported(&mut out, at(&["owner"]), "schema owners", "remove `owner`");
        }
        if !schema.grants.is_empty() {
            unsupported(&mut out, at(&["grants"]), "grants", "remove `grants`");
        }
        if !schema.default_privileges.is_empty() {
            unsupported(
                &mut out,
                at(&["default_privileges"]),
                "default privileges",
                "remove `default_privileges`",
            );
        }
        for name in schema.enums.keys() {
            unsupported(
                &mut out,
                at(&["enums", name]),
                "enum types",
                "use `type: text` with a `check: col IN ('a', 'b')`",
            );
        }
        for name in schema.sequences.keys() {
            unsupported(
                &mut out,
                at(&["sequences", name]),
                "sequences",
                "an `integer` primary key is SQLite's auto-assigned rowid",
            );
        }
        for name in schema.composite_types.keys() {
            unsupported(
                &mut out,
                at(&["composite_types", name]),
                "composite types",
                "use a `json` column, or one column per attribute",
            );
        }
        for name in schema.domains.keys() {
            unsupported(
                &mut out,
                at(&["domains", name]),
                "domains",
                "use the base type, with a `check` on each column",
            );
        }
        for name in schema.materialized_views.keys() {
            unsupported(
                &mut out,
                at(&["materialized_views", name]),
                "materialized views",
                "use a view, or a table filled by the application",
            );
        }
        for name in schema.functions.keys() {
            unsupported(
                &mut out,
                at(&["functions", name]),
                "plpgsql or SQL functions",
                "SQLite functions are registered by the application; put trigger logic in the trigger's `body`",
            );
        }
        for name in schema.procedures.keys() {
            unsupported(
                &mut out,
                at(&["procedures", name]),
                "procedures",
                "run the steps from the application, in one transaction",
            );
        }
        for name in schema.aggregates.keys() {
            unsupported(
                &mut out,
                at(&["aggregates", name]),
                "aggregates",
                "aggregate in a query, or register an aggregate from the application",
            );
        }
        for (name, view) in &schema.views {
            if view.security_barrier || view.security_invoker {
                let key = if view.security_barrier {
                    "security_barrier"
                } else {
                    "security_invoker"
                };
                unsupported(
                    &mut out,
                    at(&["views", name, key]),
                    "view security options",
                    "remove it",
                );
            }
            if !view.grants.is_empty() {
                unsupported(
                    &mut out,
                    at(&["views", name, "grants"]),
                    "grants",
                    "remove `grants`",
                );
            }
        }
        for (name, table) in &schema.tables {
            table_rules(&mut out, &at(&["tables", name]), table);
        }
    }
    out
}

fn unsupported(out: &mut Vec<Diagnostic>, at: String, feature: &str, hint: &str) {
    out.push(Diagnostic::new(at, format!("SQLite cannot host {feature}")).with_hint(hint));
}

fn table_rules(out: &mut Vec<Diagnostic>, at: &str, table: &Table) {
    let mut unsupported = |key: String, feature: &str, hint: &str| {
        out.push(
            Diagnostic::new(
                format!("{at}/{key}"),
                format!("SQLite cannot host {feature}"),
            )
            .with_hint(hint),
        );
    };
    if table.partition_by.is_some() {
        unsupported(
            "partition_by".into(),
            "partitioned tables",
            "remove `partition_by`; an index on the key serves the same queries",
        );
    }
    if table.partitions.is_some() {
        unsupported("partitions".into(), "partitions", "remove `partitions`");
    }
    if table.row_level_security.is_some() {
        unsupported(
            "row_level_security".into(),
            "row-level security",
            "filter rows in the application or through a view",
        );
    }
    if !table.grants.is_empty() {
        unsupported("grants".into(), "grants", "remove `grants`");
    }
    if table.unlogged {
        unsupported("unlogged".into(), "unlogged tables", "remove `unlogged`");
    }
    if !table.with_params.is_empty() {
        unsupported("with".into(), "table storage parameters", "remove `with`");
    }
    if !table.primary_key_include.is_empty() {
        unsupported(
            "primary_key_include".into(),
            "covering columns (INCLUDE) of a key's index",
            "remove `primary_key_include`",
        );
    }
    if !table.primary_key_with.is_empty() {
        unsupported(
            "primary_key_with".into(),
            "storage parameters of a key's index",
            "remove `primary_key_with`",
        );
    }
    for (name, unique) in &table.unique {
        if unique.nulls_not_distinct() {
            unsupported(
                format!("unique/{name}"),
                "NULLS NOT DISTINCT",
                "make the columns NOT NULL instead",
            );
        }
        if !unique.include().is_empty() {
            unsupported(
                format!("unique/{name}/include"),
                "covering columns (INCLUDE) of a unique constraint's index",
                "remove `include`",
            );
        }
        if unique.with_params().is_some_and(|w| !w.is_empty()) {
            unsupported(
                format!("unique/{name}/with"),
                "storage parameters of a unique constraint's index",
                "remove `with`",
            );
        }
    }
    for (name, column) in &table.columns {
        let col = format!("columns/{name}");
        if column.collation.is_some() {
            unsupported(
                format!("{col}/collation"),
                "the model's column collations",
                "remove `collation`",
            );
        }
        if column.identity.is_some() {
            unsupported(
                format!("{col}/identity"),
                "identity columns",
                "an `integer` primary key is SQLite's auto-assigned rowid",
            );
        }
        if column.identity_options.is_some() {
            unsupported(
                format!("{col}/identity_options"),
                "identity columns",
                "remove `identity_options`",
            );
        }
        // Types that do not parse are reported by the shared validator.
        if let Ok(ty) = SqlType::parse(&column.ty)
            && let Some((feature, hint)) = unsupported_type(&ty)
        {
            unsupported(format!("{col}/type"), feature, hint);
        }
    }
    for (name, index) in &table.indexes {
        let idx = format!("indexes/{name}");
        if index.using != IndexMethod::Btree {
            unsupported(
                format!("{idx}/using"),
                &format!("`{}` indexes", index.using.sql().to_lowercase()),
                "SQLite indexes are B-trees: remove `using`",
            );
        }
        if !index.include.is_empty() {
            unsupported(
                format!("{idx}/include"),
                "covering (`INCLUDE`) columns",
                "append the columns to the key instead",
            );
        }
        if !index.with_params.is_empty() {
            unsupported(
                format!("{idx}/with"),
                "index storage parameters",
                "remove `with`",
            );
        }
        if index.nulls_not_distinct {
            unsupported(
                format!("{idx}/nulls_not_distinct"),
                "NULLS NOT DISTINCT",
                "remove it",
            );
        }
        for (i, column) in index.columns.iter().enumerate() {
            if let IndexColumn::Spec(spec) = column {
                if spec.opclass.is_some() {
                    unsupported(
                        format!("{idx}/columns/{i}/opclass"),
                        "operator classes",
                        "remove `opclass`",
                    );
                }
                if spec.nulls.is_some() {
                    unsupported(
                        format!("{idx}/columns/{i}/nulls"),
                        "NULLS FIRST/LAST in an index",
                        "SQLite sorts NULLs first ascending and last descending",
                    );
                }
            }
        }
    }
    for (name, trigger) in &table.triggers {
        trigger_rules(out, &format!("{at}/triggers/{name}"), name, trigger);
    }
}

fn trigger_rules(out: &mut Vec<Diagnostic>, at: &str, name: &str, trigger: &Trigger) {
    let mut problem = |key: &str, message: String, hint: &str| {
        let at = if key.is_empty() {
            at.to_string()
        } else {
            format!("{at}/{key}")
        };
        out.push(Diagnostic::new(at, message).with_hint(hint));
    };
    if trigger.function.is_some() {
        problem(
            "function",
            format!("SQLite cannot host trigger functions (trigger `{name}`)"),
            "write the statements in `body` instead",
        );
    }
    if trigger.body.as_deref().is_none_or(|b| b.trim().is_empty()) {
        problem(
            "",
            format!("SQLite trigger `{name}` has no `body`"),
            "write the statements to run, each ending in `;`",
        );
    }
    if trigger.for_each == TriggerLevel::Statement {
        problem(
            "for_each",
            format!("SQLite cannot host statement-level triggers (trigger `{name}`)"),
            "SQLite triggers run FOR EACH ROW: remove `for_each`",
        );
    }
    if trigger.timing == TriggerTiming::InsteadOf {
        problem(
            "timing",
            format!("SQLite cannot host INSTEAD OF triggers on tables (trigger `{name}`)"),
            "use `before` or `after`",
        );
    }
    if trigger.events.len() != 1 {
        problem(
            "events",
            format!("SQLite trigger `{name}` must have exactly one event"),
            "declare one trigger per event",
        );
    }
    if trigger.events.contains(&TriggerEvent::Truncate) {
        problem(
            "events",
            format!("SQLite cannot host TRUNCATE triggers (trigger `{name}`)"),
            "SQLite has no TRUNCATE",
        );
    }
    if !trigger.args.is_empty() {
        problem(
            "args",
            format!("SQLite cannot host trigger arguments (trigger `{name}`)"),
            "remove `args`",
        );
    }
}

fn unsupported_type(ty: &SqlType) -> Option<(&'static str, &'static str)> {
    Some(match ty {
        SqlType::Vector(_) => (
            "`vector` columns",
            "store embeddings as `blob`, or target PostgreSQL with pgvector",
        ),
        SqlType::Tsvector => (
            "`tsvector` columns",
            "use an FTS5 table from the application",
        ),
        SqlType::Array(_) => ("array columns", "store the list as `json`"),
        SqlType::Inet | SqlType::Cidr => ("network address types", "use `text`"),
        SqlType::Interval => ("`interval`", "store seconds as `integer`"),
        SqlType::Serial(_) => (
            "serial columns",
            "an `integer` primary key is SQLite's auto-assigned rowid",
        ),
        SqlType::Named { .. } => (
            "enum or custom types",
            "use `type: text` with a `check: col IN ('a', 'b')`",
        ),
        _ => return None,
    })
}
