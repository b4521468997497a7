//! Rules for models with `target: duckdb`: every feature DuckDB cannot host (or would
//! host differently from what the model says) is an error that names the feature and
//! points at the key, so nothing is dropped or weakened silently.
//!
//! DuckDB matches identifiers without regard to case (it keeps the case they were
//! written in), so two names of one namespace that differ only in case are refused too.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::types::SqlType;
use crate::{FkAction, IndexColumn, IndexMethod, Model, Schema, Table};

/// The schema every DuckDB database has.
pub const MAIN_SCHEMA: &str = "main";

/// The schema schemactl keeps its own tables in (export watermarks): never part of a
/// model, never described.
pub const BOOKKEEPING_SCHEMA: &str = "schemactl";

/// The catalogs a schemactl connection to DuckDB has (the file is attached as
/// `schemactl_file`): a schema of the same name would make `name.table` ambiguous.
pub const RESERVED_CATALOGS: [&str; 4] = ["memory", "system", "temp", "schemactl_file"];

/// The largest precision of DuckDB's DECIMAL.
pub const MAX_DECIMAL_PRECISION: u32 = 38;

/// Problems of a DuckDB-targeted model beyond the checks shared with PostgreSQL.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let db = &model.database;
    if db.owner.is_some() {
        unsupported(
            &mut out,
            pointer(["database", "owner"]),
            "a database owner",
            "DuckDB has no roles: remove `owner`",
        );
    }
    for (key, set) in [
        ("encoding", db.encoding.is_some()),
        ("locale", db.locale.is_some()),
    ] {
        if set {
            unsupported(
                &mut out,
                pointer(["database", key]),
                "a server encoding or locale",
                "DuckDB stores UTF-8: remove the key",
            );
        }
    }
    for (i, _) in model.extensions.iter().enumerate() {
        unsupported(
            &mut out,
            pointer(["extensions".to_string(), i.to_string()]),
            "extensions",
            "remove `extensions` (the JSON and Parquet extensions are built in)",
        );
    }
    for name in model.roles.keys() {
        unsupported(
            &mut out,
            pointer(["roles", name]),
            "roles",
            "DuckDB has no roles or privileges: remove `roles`",
        );
    }
    case_clashes(
        &mut out,
        model
            .schemas
            .keys()
            .map(|s| (s.as_str(), pointer(["schemas", s]))),
        "schema",
    );
    for (schema_name, schema) in &model.schemas {
        schema_rules(&mut out, schema_name, schema);
    }
    out
}

fn unsupported(out: &mut Vec<Diagnostic>, at: String, feature: &str, hint: &str) {
    out.push(Diagnostic::new(at, format!("DuckDB cannot host {feature}")).with_hint(hint));
}

/// Names of one namespace that DuckDB would take for the same object.
fn case_clashes<'a>(
    out: &mut Vec<Diagnostic>,
    names: impl Iterator<Item = (&'a str, String)>,
    kind: &str,
) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (name, at) in names {
        if let Some(first) = seen.insert(name.to_lowercase(), name) {
            out.push(
                Diagnostic::at_key(
                    at,
                    format!("{kind} `{name}` differs from {kind} `{first}` only in case"),
                )
                .with_hint("DuckDB matches names without regard to case: rename one"),
            );
        }
    }
}

fn schema_rules(out: &mut Vec<Diagnostic>, schema_name: &str, schema: &Schema) {
    let at = |rest: &[&str]| {
        let mut segments = vec!["schemas", schema_name];
        segments.extend_from_slice(rest);
        pointer(segments)
    };
    if schema_name.eq_ignore_ascii_case(BOOKKEEPING_SCHEMA) {
        out.push(
            Diagnostic::at_key(
                at(&[]),
                format!("schema `{schema_name}` is reserved for schemactl's own tables"),
            )
            .with_hint("choose another schema name"),
        );
    }
    if RESERVED_CATALOGS
        .iter()
        .any(|c| schema_name.eq_ignore_ascii_case(c))
    {
        out.push(
            Diagnostic::at_key(
                at(&[]),
                format!("schema `{schema_name}` has the name of a DuckDB catalog"),
            )
            .with_hint(
                "DuckDB would take `name.table` for the catalog: choose another schema name",
            ),
        );
    }
    if schema.owner.is_some() {
        unsupported(out, at(&["owner"]), "schema owners", "remove `owner`");
    }
    if schema.comment.is_some() {
        unsupported(
            out,
            at(&["comment"]),
            "comments on schemas",
            "remove `comment` (comments on tables, columns and views are kept)",
        );
    }
    if !schema.grants.is_empty() {
        unsupported(out, at(&["grants"]), "grants", "remove `grants`");
    }
    if !schema.default_privileges.is_empty() {
        unsupported(
            out,
            at(&["default_privileges"]),
            "default privileges",
            "remove `default_privileges`",
        );
    }
    for name in schema.enums.keys() {
        unsupported(
            out,
            at(&["enums", name]),
            "the model's enum types",
            "use `type: text` with a `check: col IN ('a', 'b')`",
        );
    }
    for name in schema.composite_types.keys() {
        unsupported(
            out,
            at(&["composite_types", name]),
            "the model's composite types",
            "use a `json` column, or one column per attribute",
        );
    }
    for name in schema.domains.keys() {
        unsupported(
            out,
            at(&["domains", name]),
            "the model's domains",
            "use the base type, with a `check` on each column",
        );
    }
    // DuckDB has sequences, but without OWNED BY, AS type or ALTER SEQUENCE: not modelled.
    for name in schema.sequences.keys() {
        unsupported(
            out,
            at(&["sequences", name]),
            "the model's sequences",
            "remove the sequence and assign keys in the application",
        );
    }
    for name in schema.materialized_views.keys() {
        unsupported(
            out,
            at(&["materialized_views", name]),
            "materialized views",
            "use a view, or a table filled by the application",
        );
    }
    for name in schema.functions.keys() {
        unsupported(
            out,
            at(&["functions", name]),
            "plpgsql or SQL functions",
            "remove the function; DuckDB macros are not modelled",
        );
    }
    for name in schema.procedures.keys() {
        unsupported(
            out,
            at(&["procedures", name]),
            "procedures",
            "run the steps from the application, in one transaction",
        );
    }
    for name in schema.aggregates.keys() {
        unsupported(
            out,
            at(&["aggregates", name]),
            "aggregates",
            "aggregate in a query with DuckDB's built-in aggregates",
        );
    }
    let relations = schema
        .tables
        .keys()
        .map(|t| (t.as_str(), at(&["tables", t])))
        .chain(schema.views.keys().map(|v| (v.as_str(), at(&["views", v]))));
    case_clashes(out, relations, "table or view");
    let indexes = schema.tables.iter().flat_map(|(t, table)| {
        table
            .indexes
            .keys()
            .map(move |i| (i.as_str(), at(&["tables", t, "indexes", i])))
    });
    case_clashes(out, indexes, "index");
    for (name, view) in &schema.views {
        view_rules(out, &at(&["views", name]), view);
    }
    for (name, table) in &schema.tables {
        table_rules(out, &at(&["tables", name]), schema_name, table);
    }
}

fn view_rules(out: &mut Vec<Diagnostic>, at: &str, view: &crate::View) {
    let mut refuse = |key: &str, feature: &str, hint: &str| {
        unsupported(out, format!("{at}/{key}"), feature, hint)
    };
    if view.security_barrier {
        refuse("security_barrier", "view security options", "remove it");
    }
    if view.security_invoker {
        refuse("security_invoker", "view security options", "remove it");
    }
    if !view.grants.is_empty() {
        refuse("grants", "grants", "remove `grants`");
    }
    if !view.column_comments.is_empty() {
        refuse(
            "column_comments",
            "comments on view columns",
            "remove `column_comments` (a comment on the view is kept)",
        );
    }
}

fn table_rules(out: &mut Vec<Diagnostic>, at: &str, schema: &str, table: &Table) {
    let mut refuse = |key: String, feature: &str, hint: &str| {
        out.push(
            Diagnostic::new(
                format!("{at}/{key}"),
                format!("DuckDB cannot host {feature}"),
            )
            .with_hint(hint),
        );
    };
    if table.primary_key_name.is_some() {
        refuse(
            "primary_key_name".into(),
            "constraint names (DuckDB keeps none)",
            "remove `primary_key_name`",
        );
    }
    if table.partition_by.is_some() {
        refuse(
            "partition_by".into(),
            "partitioned tables",
            "remove `partition_by` (DuckDB's row groups keep min/max per column)",
        );
    }
    if table.partitions.is_some() {
        refuse("partitions".into(), "partitions", "remove `partitions`");
    }
    if table.row_level_security.is_some() {
        refuse(
            "row_level_security".into(),
            "row-level security",
            "filter rows through a view",
        );
    }
    if !table.grants.is_empty() {
        refuse("grants".into(), "grants", "remove `grants`");
    }
    if table.unlogged {
        refuse("unlogged".into(), "unlogged tables", "remove `unlogged`");
    }
    if !table.with_params.is_empty() {
        refuse("with".into(), "table storage parameters", "remove `with`");
    }
    if table.seed.is_some() {
        refuse(
            "seed".into(),
            "declared seed rows (not supported for DuckDB yet)",
            "load rows with `schemactl export --sync` or your application",
        );
    }
    for name in table.triggers.keys() {
        refuse(
            format!("triggers/{name}"),
            "triggers",
            "DuckDB has no triggers: do the work in the application or a view",
        );
    }
    if !table.primary_key_include.is_empty() {
        refuse(
            "primary_key_include".into(),
            "covering columns (INCLUDE) of a key's index",
            "remove `primary_key_include`",
        );
    }
    if !table.primary_key_with.is_empty() {
        refuse(
            "primary_key_with".into(),
            "storage parameters of a key's index",
            "remove `primary_key_with`",
        );
    }
    for (name, unique) in &table.unique {
        if unique.nulls_not_distinct() {
            refuse(
                format!("unique/{name}"),
                "NULLS NOT DISTINCT",
                "make the columns NOT NULL instead",
            );
        }
        if !unique.include().is_empty() {
            refuse(
                format!("unique/{name}/include"),
                "covering columns (INCLUDE) of a unique constraint's index",
                "remove `include`",
            );
        }
        if unique.with_params().is_some_and(|w| !w.is_empty()) {
            refuse(
                format!("unique/{name}/with"),
                "storage parameters of a unique constraint's index",
                "remove `with`",
            );
        }
    }
    for (name, check) in &table.checks {
        if matches!(
            check,
            crate::Check::Full {
                no_inherit: true,
                ..
            }
        ) {
            refuse(
                format!("checks/{name}"),
                "NO INHERIT checks",
                "remove `no_inherit`",
            );
        }
    }
    for (name, fk) in &table.foreign_keys {
        table_foreign_key_rules(&mut refuse, name, schema, fk);
    }
    for (name, column) in &table.columns {
        column_rules(&mut refuse, name, schema, column);
    }
    let columns = table
        .columns
        .keys()
        .map(|name| (name.as_str(), format!("{at}/columns/{name}")));
    case_clashes(out, columns, "column");
    for (name, index) in &table.indexes {
        index_rules(out, &format!("{at}/indexes/{name}"), index);
    }
}

fn table_foreign_key_rules(
    refuse: &mut impl FnMut(String, &str, &str),
    name: &str,
    schema: &str,
    fk: &crate::ForeignKey,
) {
    let at = format!("foreign_keys/{name}");
    if crate::validate::split_qualified(&fk.references, schema).0 != schema {
        refuse(
            format!("{at}/references"),
            "foreign keys to a table of another schema",
            "keep the tables in one schema, or drop the key",
        );
    }
    foreign_key_rules(refuse, &at, (fk.on_delete, fk.on_update, fk.deferrable));
}

fn column_rules(
    refuse: &mut impl FnMut(String, &str, &str),
    name: &str,
    schema: &str,
    column: &crate::Column,
) {
    let col = format!("columns/{name}");
    if column.collation.is_some() {
        refuse(
            format!("{col}/collation"),
            "the model's column collations",
            "remove `collation`",
        );
    }
    if column.identity.is_some() {
        refuse(
            format!("{col}/identity"),
            "identity columns",
            "use `bigint` and assign keys in the application (or a sequence default)",
        );
    }
    if column.identity_options.is_some() {
        refuse(
            format!("{col}/identity_options"),
            "identity columns",
            "remove `identity_options`",
        );
    }
    if column.generated.is_some() {
        refuse(
            format!("{col}/generated"),
            "stored generated columns (DuckDB computes them on read only)",
            "compute the value in a view",
        );
    }
    if let Some(r) = &column.references {
        if r.name.is_some() {
            refuse(
                format!("{col}/references/name"),
                "constraint names (DuckDB keeps none)",
                "remove `name`",
            );
        }
        if r.schema.as_deref().is_some_and(|s| s != schema) {
            refuse(
                format!("{col}/references/schema"),
                "foreign keys to a table of another schema",
                "keep the tables in one schema, or drop the key",
            );
        }
        foreign_key_rules(
            refuse,
            &format!("{col}/references"),
            (r.on_delete, r.on_update, r.deferrable),
        );
    }
    // Types that do not parse are reported by the shared validator.
    if let Ok(ty) = SqlType::parse(&column.ty)
        && let Some((feature, hint)) = unsupported_type(&ty)
    {
        refuse(format!("{col}/type"), &feature, hint);
    }
}

fn foreign_key_rules(
    refuse: &mut impl FnMut(String, &str, &str),
    at: &str,
    (on_delete, on_update, deferrable): (Option<FkAction>, Option<FkAction>, bool),
) {
    for (key, action) in [("on_delete", on_delete), ("on_update", on_update)] {
        if let Some(action) = action
            && !matches!(action, FkAction::NoAction | FkAction::Restrict)
        {
            refuse(
                format!("{at}/{key}"),
                &format!("`{}` foreign key actions", action.sql()),
                "DuckDB only refuses the change (NO ACTION / RESTRICT): remove it",
            );
        }
    }
    if deferrable {
        refuse(
            format!("{at}/deferrable"),
            "deferrable foreign keys",
            "remove `deferrable`",
        );
    }
}

fn index_rules(out: &mut Vec<Diagnostic>, at: &str, index: &crate::Index) {
    let mut refuse = |key: &str, feature: &str, hint: &str| {
        out.push(
            Diagnostic::new(
                format!("{at}/{key}"),
                format!("DuckDB cannot host {feature}"),
            )
            .with_hint(hint),
        );
    };
    if index.using != IndexMethod::Btree {
        refuse(
            "using",
            &format!("`{}` indexes", index.using.sql()),
            "DuckDB indexes are ART indexes: remove `using`",
        );
    }
    if index.predicate.is_some() {
        refuse("where", "partial indexes", "remove `where`");
    }
    if !index.include.is_empty() {
        refuse(
            "include",
            "covering (`INCLUDE`) columns",
            "append the columns to the key instead",
        );
    }
    if !index.with_params.is_empty() {
        refuse("with", "index storage parameters", "remove `with`");
    }
    if index.nulls_not_distinct {
        refuse("nulls_not_distinct", "NULLS NOT DISTINCT", "remove it");
    }
    if index.comment.is_some() {
        refuse(
            "comment",
            "comments on indexes",
            "remove `comment` (or put it on the table)",
        );
    }
    for (i, column) in index.columns.iter().enumerate() {
        let IndexColumn::Spec(spec) = column else {
            continue;
        };
        let key = |k: &str| format!("columns/{i}/{k}");
        if spec.expression.is_some() {
            refuse(
                &key("expression"),
                "expression indexes in a model",
                "index a column",
            );
        }
        if spec.opclass.is_some() {
            refuse(&key("opclass"), "operator classes", "remove `opclass`");
        }
        if spec.order.is_some() {
            refuse(
                &key("order"),
                "a sort order in an index key",
                "ART indexes have no order: remove `order`",
            );
        }
        if spec.nulls.is_some() {
            refuse(&key("nulls"), "NULLS FIRST/LAST in an index", "remove it");
        }
        if spec.collate.is_some() {
            refuse(&key("collate"), "collations in an index key", "remove it");
        }
    }
}

/// Why DuckDB cannot hold a model type, with a hint; `None` when it can.
pub fn unsupported_type(ty: &SqlType) -> Option<(String, &'static str)> {
    let (feature, hint): (String, &'static str) = match ty {
        SqlType::Varchar(Some(_)) | SqlType::Char(Some(_)) => (
            "a length limit on a string type (DuckDB does not enforce it)".into(),
            "use `text`, with a `check: length(col) <= n` if the limit matters",
        ),
        SqlType::Char(None) => ("`char` (blank-padded strings)".into(), "use `text`"),
        SqlType::Numeric(None) => (
            "`numeric` without a precision (DuckDB's default DECIMAL(18,3) rounds)".into(),
            "write `numeric(p,s)` with p <= 38, or use `double precision`",
        ),
        SqlType::Numeric(Some((p, _))) if *p > MAX_DECIMAL_PRECISION || *p == 0 => (
            format!("`numeric({p},…)`: DuckDB's DECIMAL holds 1 to 38 digits"),
            "use a precision up to 38, or `double precision`",
        ),
        SqlType::Serial(_) => (
            "serial columns".into(),
            "use `bigint` and assign keys in the application",
        ),
        SqlType::Vector(_) => ("`vector` columns".into(), "store embeddings as `real[]`"),
        SqlType::Tsvector => (
            "`tsvector` columns".into(),
            "use DuckDB's full-text search extension from the application",
        ),
        SqlType::Inet | SqlType::Cidr => ("network address types".into(), "use `text`"),
        SqlType::Named { .. } => (
            "enum or custom types".into(),
            "use `type: text` with a `check: col IN ('a', 'b')`",
        ),
        SqlType::Array(element) => return unsupported_type(element),
        _ => return None,
    };
    Some((feature, hint))
}
