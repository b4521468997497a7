//! Catalog → the template context of the `entity/` crate.
//!
//! The relation rules (has_one vs has_many, numbered duplicates, junction tables and
//! their `via()`, sorting) follow sea-orm-codegen 2.0.4's `EntityTransformer`, so that a
//! single-schema model gives the same files as `sea-orm-cli generate entity`. Attribute
//! lists are laid out here the way rustfmt lays them out, so that the output is
//! rustfmt-clean without running rustfmt.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde::Serialize;

use super::sqlite_types;
use super::types::{self, escape_keyword};
use crate::catalog::{Catalog, ColumnDef, QName, TableDef};
use crate::model::FkAction;

/// Column names and types of a view, in order (from a dev database, see `views`).
pub type ViewColumns = BTreeMap<QName, Vec<(String, String)>>;

#[derive(Debug, Clone, Serialize)]
pub struct CrateCtx {
    pub banner: String,
    pub schemas: Vec<SchemaCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SchemaCtx {
    pub name: String,
    pub module: String,
    pub doc: Vec<String>,
    pub entities: Vec<EntityCtx>,
    pub enums: Vec<EnumCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumCtx {
    pub ident: String,
    /// The `#[sea_orm(...)]` line(s) of the enum, laid out.
    pub attr: String,
    pub doc: Vec<String>,
    pub variants: Vec<VariantCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariantCtx {
    pub ident: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityCtx {
    pub file: String,
    pub module: String,
    pub ident: String,
    pub qualified: String,
    pub kind: &'static str,
    pub read_only: bool,
    pub doc: Vec<String>,
    pub derives: String,
    pub model_attr: String,
    pub imports: Vec<String>,
    pub columns: Vec<ColumnCtx>,
    pub relations: Vec<RelationCtx>,
    pub related: Vec<RelatedCtx>,
    pub conjunct: Vec<ConjunctCtx>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnCtx {
    pub doc: Vec<String>,
    pub attr: String,
    pub field: String,
    pub ty: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationCtx {
    pub attr: String,
    pub variant: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedCtx {
    pub entity: String,
    pub variant: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConjunctCtx {
    pub entity: String,
    /// The bodies of `to()` and `via()`, laid out.
    pub to_body: String,
    pub via_body: String,
}

const MAX_WIDTH: usize = 100;
/// rustfmt's `attr_fn_like_width` under the default heuristics.
const ATTR_ARGS_WIDTH: usize = 70;

/// `#[sea_orm(args)]` as rustfmt writes it at `indent` spaces.
pub fn attr(indent: usize, args: &[String]) -> String {
    let joined = args.join(", ");
    let pad = " ".repeat(indent);
    if joined.len() <= ATTR_ARGS_WIDTH && indent + joined.len() + 12 <= MAX_WIDTH {
        return format!("{pad}#[sea_orm({joined})]");
    }
    let inner = " ".repeat(indent + 4);
    let body: Vec<String> = args.iter().map(|a| format!("{inner}{a}")).collect();
    format!("{pad}#[sea_orm(\n{}\n{pad})]", body.join(",\n"))
}

/// rustfmt's `chain_width` under the default heuristics.
const CHAIN_WIDTH: usize = 60;

/// `base.call()…` as rustfmt writes it as a statement at `indent` spaces.
fn chain(indent: usize, base: &str, calls: &[&str]) -> String {
    let pad = " ".repeat(indent);
    let inline = format!("{base}.{}", calls.join("."));
    if inline.len() <= CHAIN_WIDTH {
        return format!("{pad}{inline}");
    }
    let inner = " ".repeat(indent + 4);
    let mut out = format!("{pad}{base}");
    for call in calls {
        out.push_str(&format!("\n{inner}.{call}"));
    }
    out
}

/// `Some(base.call()…)` as rustfmt writes it at `indent` spaces.
fn some_chain(indent: usize, base: &str, calls: &[&str]) -> String {
    let pad = " ".repeat(indent);
    let inline = format!("{base}.{}", calls.join("."));
    if inline.len() <= CHAIN_WIDTH {
        return format!("{pad}Some({inline})");
    }
    format!("{pad}Some(\n{},\n{pad})", chain(indent + 4, base, calls))
}

fn doc_lines(comment: Option<&str>) -> Vec<String> {
    comment
        .map(|c| c.lines().map(|l| l.trim_end().to_string()).collect())
        .unwrap_or_default()
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn upper(name: &str) -> String {
    name.to_upper_camel_case()
}

fn module_of(name: &str) -> String {
    escape_keyword(&name.to_snake_case())
}

/// Path from an entity module in `from_schema` to the module of `target`.
fn module_path(from_schema: &str, target: &QName) -> String {
    if target.schema == from_schema {
        format!("super::{}", module_of(&target.name))
    } else {
        format!(
            "super::super::{}::{}",
            module_of(&target.schema),
            module_of(&target.name)
        )
    }
}

fn action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "NoAction",
        FkAction::Restrict => "Restrict",
        FkAction::Cascade => "Cascade",
        FkAction::SetNull => "SetNull",
        FkAction::SetDefault => "SetDefault",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelType {
    BelongsTo,
    HasOne,
    HasMany,
}

#[derive(Debug, Clone)]
struct Rel {
    target: QName,
    rel_type: RelType,
    columns: Vec<String>,
    ref_columns: Vec<String>,
    on_update: FkAction,
    on_delete: FkAction,
    self_ref: bool,
    num_suffix: usize,
    impl_related: bool,
}

impl Rel {
    fn variant(&self) -> String {
        let base = if self.self_ref {
            "SelfRef".to_string()
        } else {
            upper(&self.target.name)
        };
        if self.num_suffix > 0 {
            format!("{base}{}", self.num_suffix)
        } else {
            base
        }
    }
}

struct Conjunct {
    via: QName,
    to: QName,
}

/// The database the entities are for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    #[default]
    Postgres,
    /// Types from `sqlite_types`, no `schema_name`, rowid keys auto-incrementing.
    Sqlite,
}

/// Options that are not in the model.
#[derive(Debug, Clone)]
pub struct Options {
    /// The first line of every file.
    pub banner: String,
    pub dialect: Dialect,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            banner: "//! `SeaORM` Entity, @generated by sea-orm-codegen 2.0".to_string(),
            dialect: Dialect::Postgres,
        }
    }
}

pub fn build(catalog: &Catalog, views: &ViewColumns, options: &Options) -> CrateCtx {
    // An entity's field holds a domain's values as its base type's.
    let resolved = catalog.with_base_types();
    let catalog = &resolved;
    let (relations, conjuncts) = relations(catalog);
    let composites: BTreeSet<String> = catalog.composite_types.keys().map(QName::sql).collect();
    let mapping = Mapping {
        dialect: options.dialect,
        composites: &composites,
    };
    let mut schemas = Vec::new();
    for (schema_name, schema) in &catalog.schemas {
        let mut entities = Vec::new();
        for (q, table) in catalog
            .tables
            .iter()
            .filter(|(q, _)| &q.schema == schema_name)
        {
            let rels = relations.get(q).cloned().unwrap_or_default();
            let conj = conjuncts.get(q).map(Vec::as_slice).unwrap_or_default();
            entities.push(table_entity(mapping, q, table, &rels, conj));
        }
        for (q, view) in catalog
            .views
            .iter()
            .filter(|(q, _)| &q.schema == schema_name)
        {
            let Some(columns) = views.get(q) else {
                continue;
            };
            let columns: Vec<(String, String)> = columns
                .iter()
                .map(|(name, ty)| (name.clone(), catalog.base_type(ty)))
                .collect();
            entities.push(view_entity(mapping, q, view, &columns));
        }
        entities.sort_by(|a, b| a.file.cmp(&b.file));
        let enums = catalog
            .enums
            .iter()
            .filter(|(q, _)| &q.schema == schema_name)
            .map(|(q, e)| EnumCtx {
                ident: upper(&q.name),
                attr: attr(
                    0,
                    &[
                        "rs_type = \"Enum\"".to_string(),
                        "db_type = \"Enum\"".to_string(),
                        format!("enum_name = {}", quoted(&enum_name(q))),
                    ],
                ),
                doc: doc_lines(e.comment.as_deref()),
                variants: e
                    .values
                    .iter()
                    .map(|v| VariantCtx {
                        ident: variant_ident(v),
                        value: quoted(v),
                    })
                    .collect(),
            })
            .collect();
        schemas.push(SchemaCtx {
            name: schema_name.clone(),
            module: module_of(schema_name),
            doc: doc_lines(schema.comment.as_deref()),
            entities,
            enums,
        });
    }
    CrateCtx {
        banner: options.banner.clone(),
        schemas,
    }
}

/// The name SeaORM casts enum values to. sea-query quotes it as one identifier
/// (`CAST($1 AS "…")`), so outside `public` the embedded `"."` makes the cast
/// schema-qualified and independent of the search_path (SeaQL/sea-orm#2581).
pub fn enum_name(q: &QName) -> String {
    if q.schema == "public" {
        q.name.clone()
    } else {
        format!("{}\".\"{}", q.schema, q.name)
    }
}

/// sea-orm-codegen's variant naming, for the labels it handles without warnings.
fn variant_ident(value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        return "__EmptyString".to_string();
    }
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let passthrough = |c: char| matches!(c, '-' | ' ');
    let leading_digit = v.chars().next().is_some_and(|c| c.is_ascii_digit());
    if v.chars().any(|c| !valid(c) && !passthrough(c)) {
        let mut buf = String::new();
        if leading_digit {
            buf.push('_');
        }
        for c in v.chars() {
            if passthrough(c) {
                continue;
            } else if valid(c) || c.len_utf8() > 1 {
                buf.push(c);
            } else {
                buf.push_str(&format!("U{:04X}", c as u32));
            }
        }
        return buf;
    }
    if leading_digit {
        format!("_{}", v.chars().filter(|c| valid(*c)).collect::<String>())
    } else {
        upper(v)
    }
}

fn is_unique_column(table: &TableDef, column: &str) -> bool {
    table
        .uniques
        .iter()
        .any(|u| u.columns.len() == 1 && u.columns[0] == column)
}

type RelMaps = (BTreeMap<QName, Vec<Rel>>, BTreeMap<QName, Vec<Conjunct>>);

fn relations(catalog: &Catalog) -> RelMaps {
    let mut out: BTreeMap<QName, Vec<Rel>> = BTreeMap::new();
    let mut inverse: BTreeMap<QName, Vec<Rel>> = BTreeMap::new();
    for (q, table) in &catalog.tables {
        let mut counts: BTreeMap<&QName, usize> = BTreeMap::new();
        for fk in &table.foreign_keys {
            *counts.entry(&fk.references).or_default() += 1;
        }
        let mut seen: BTreeMap<&QName, usize> = BTreeMap::new();
        let mut rels = Vec::new();
        for fk in &table.foreign_keys {
            if !catalog.tables.contains_key(&fk.references) {
                continue;
            }
            let n = seen.entry(&fk.references).or_default();
            *n += 1;
            let num_suffix = if counts.get(&fk.references).copied().unwrap_or(0) > 1 {
                *n
            } else {
                0
            };
            rels.push(Rel {
                target: fk.references.clone(),
                rel_type: RelType::BelongsTo,
                columns: fk.columns.clone(),
                ref_columns: fk.referenced_columns.clone(),
                on_update: fk.on_update,
                on_delete: fk.on_delete,
                self_ref: &fk.references == q,
                num_suffix,
                impl_related: true,
            });
        }
        let pk: Vec<&String> = table
            .primary_key
            .as_ref()
            .map(|k| k.columns.iter().collect())
            .unwrap_or_default();
        for rel in &rels {
            if rel.self_ref || rel.num_suffix > 0 {
                continue;
            }
            let mut unique = rel.columns.iter().all(|c| is_unique_column(table, c));
            if rel.columns.len() == pk.len() && pk.iter().all(|p| rel.columns.contains(p)) {
                unique = true;
            }
            inverse.entry(rel.target.clone()).or_default().push(Rel {
                target: q.clone(),
                rel_type: if unique {
                    RelType::HasOne
                } else {
                    RelType::HasMany
                },
                columns: Vec::new(),
                ref_columns: Vec::new(),
                ..rel.clone()
            });
        }
        out.insert(q.clone(), rels);
    }
    for (target, rels) in inverse {
        if let Some(list) = out.get_mut(&target) {
            for rel in rels {
                if !list.iter().any(|r| r.target == rel.target) {
                    list.push(rel);
                }
            }
        }
    }
    let mut conjuncts: BTreeMap<QName, Vec<Conjunct>> = BTreeMap::new();
    for (q, table) in &catalog.tables {
        let rels = out.get(q).map(Vec::as_slice).unwrap_or_default();
        let pk_len = table.primary_key.as_ref().map_or(0, |k| k.columns.len());
        if rels.len() != 2 || pk_len != 2 {
            continue;
        }
        for (i, rel) in rels.iter().enumerate() {
            let other = &rels[usize::from(i == 0)];
            conjuncts
                .entry(rel.target.clone())
                .or_default()
                .push(Conjunct {
                    via: q.clone(),
                    to: other.target.clone(),
                });
        }
    }
    for (q, list) in conjuncts.iter_mut() {
        let mut counts: BTreeMap<QName, usize> = BTreeMap::new();
        for c in list.iter() {
            *counts.entry(c.to.clone()).or_default() += 1;
        }
        list.retain(|c| counts.get(&c.to).copied().unwrap_or(0) <= 1);
        list.sort_by(|a, b| a.to.name.cmp(&b.to.name));
        if let Some(rels) = out.get_mut(q) {
            for rel in rels.iter_mut() {
                if list.iter().any(|c| c.to == rel.target) {
                    rel.impl_related = false;
                }
            }
        }
    }
    for rels in out.values_mut() {
        rels.sort_by(|a, b| a.target.name.cmp(&b.target.name));
    }
    (out, conjuncts)
}

/// How a column's type becomes a field: the flavour's mapping, and the model's composite
/// types (SeaORM has no composite values: they are read as their text form).
#[derive(Clone, Copy)]
struct Mapping<'a> {
    dialect: Dialect,
    composites: &'a BTreeSet<String>,
}

fn column_ctx(
    mapping: Mapping,
    schema: &str,
    column: &ColumnDef,
    table: &TableDef,
    pk: &[String],
    imports: &mut BTreeSet<String>,
    has_float: &mut bool,
) -> ColumnCtx {
    let dialect = mapping.dialect;
    let element = column.ty.trim_end_matches("[]");
    let mapped = match dialect {
        Dialect::Postgres if mapping.composites.contains(element) => types::custom(&column.ty),
        Dialect::Postgres => types::map(&column.ty, schema),
        Dialect::Sqlite => sqlite_types::map(&column.ty),
    };
    *has_float |= mapped.is_float;
    if let Some((enum_schema, enum_name)) = &mapped.enum_ref {
        let path = if enum_schema == schema {
            "super::sea_orm_active_enums".to_string()
        } else {
            format!(
                "super::super::{}::sea_orm_active_enums",
                module_of(enum_schema)
            )
        };
        imports.insert(format!("use {path}::{};", upper(enum_name)));
    }
    let mut args = Vec::new();
    if column.name.to_snake_case() != column.name {
        args.push(format!("column_name = {}", quoted(&column.name)));
    }
    if pk.contains(&column.name) {
        args.push("primary_key".to_string());
        let numbered = match dialect {
            Dialect::Postgres => column.serial.is_some() || column.identity.is_some(),
            // The rowid alias, unless the key is a reference (its value comes from the
            // parent). A view has no key of its own (`table` is empty), so never a rowid.
            Dialect::Sqlite => {
                table
                    .primary_key
                    .as_ref()
                    .is_some_and(|k| k.columns.len() == 1)
                    && sqlite_types::is_rowid_alias(&column.ty)
                    && !table
                        .foreign_keys
                        .iter()
                        .any(|fk| fk.columns.contains(&column.name))
            }
        };
        if !numbered {
            args.push("auto_increment = false".to_string());
        }
    }
    if !mapped.column_type.is_empty() {
        args.extend(mapped.column_type.iter().cloned());
        if column.nullable {
            args.push("nullable".to_string());
        }
    }
    if is_unique_column(table, &column.name) {
        args.push("unique".to_string());
    } else if let Some(u) = table
        .uniques
        .iter()
        .rev()
        .find(|u| u.columns.len() > 1 && u.columns.contains(&column.name))
    {
        args.push(format!("unique_key = {}", quoted(&u.name)));
    }
    let mut doc = doc_lines(column.comment.as_deref());
    if let Some(expr) = &column.generated {
        doc.push(format!(
            "Generated by the database (`{}`): read it, never set it.",
            expr.replace('`', "'")
        ));
    }
    ColumnCtx {
        doc,
        attr: if args.is_empty() {
            String::new()
        } else {
            attr(4, &args)
        },
        field: escape_keyword(&column.name.to_snake_case()),
        ty: if column.nullable {
            format!("Option<{}>", mapped.rust)
        } else {
            mapped.rust
        },
    }
}

fn model_attr(dialect: Dialect, q: &QName) -> String {
    let table_name = format!("table_name = {}", quoted(&q.name));
    match dialect {
        Dialect::Postgres => attr(
            0,
            &[format!("schema_name = {}", quoted(&q.schema)), table_name],
        ),
        // One schema, `main`, which unqualified names resolve to.
        Dialect::Sqlite => attr(0, &[table_name]),
    }
}

fn derives(has_float: bool) -> String {
    if has_float {
        "Clone, Debug, PartialEq, DeriveEntityModel".to_string()
    } else {
        "Clone, Debug, PartialEq, Eq, DeriveEntityModel".to_string()
    }
}

fn table_entity(
    mapping: Mapping,
    q: &QName,
    table: &TableDef,
    rels: &[Rel],
    conjuncts: &[Conjunct],
) -> EntityCtx {
    let pk: Vec<String> = table
        .primary_key
        .as_ref()
        .map(|k| k.columns.clone())
        .unwrap_or_default();
    let mut imports = BTreeSet::new();
    let mut has_float = false;
    let columns = table
        .columns
        .iter()
        .map(|c| {
            column_ctx(
                mapping,
                &q.schema,
                c,
                table,
                &pk,
                &mut imports,
                &mut has_float,
            )
        })
        .collect();
    let relations = rels
        .iter()
        .map(|rel| {
            let path = module_path(&q.schema, &rel.target);
            let entity = if rel.self_ref {
                "Entity".to_string()
            } else {
                format!("{path}::Entity")
            };
            let args = match rel.rel_type {
                RelType::HasOne => vec![format!("has_one = {}", quoted(&entity))],
                RelType::HasMany => vec![format!("has_many = {}", quoted(&entity))],
                RelType::BelongsTo => {
                    let col_prefix = if rel.self_ref {
                        String::new()
                    } else {
                        format!("{path}::")
                    };
                    let list = |cols: &[String], prefix: &str| {
                        let items: Vec<String> = cols
                            .iter()
                            .map(|c| format!("{prefix}Column::{}", upper(c)))
                            .collect();
                        if items.len() > 1 {
                            format!("({})", items.join(", "))
                        } else {
                            items.join(", ")
                        }
                    };
                    vec![
                        format!("belongs_to = {}", quoted(&entity)),
                        format!("from = {}", quoted(&list(&rel.columns, ""))),
                        format!("to = {}", quoted(&list(&rel.ref_columns, &col_prefix))),
                        format!("on_update = {}", quoted(action(rel.on_update))),
                        format!("on_delete = {}", quoted(action(rel.on_delete))),
                    ]
                }
            };
            RelationCtx {
                attr: attr(4, &args),
                variant: rel.variant(),
            }
        })
        .collect();
    let related = rels
        .iter()
        .filter(|r| !r.self_ref && r.num_suffix == 0 && r.impl_related)
        .map(|r| RelatedCtx {
            entity: format!("{}::Entity", module_path(&q.schema, &r.target)),
            variant: r.variant(),
        })
        .collect();
    let conjunct = conjuncts
        .iter()
        .map(|c| {
            let via = module_path(&q.schema, &c.via);
            let to_base = format!("{via}::Relation::{}", upper(&c.to.name));
            let via_base = format!("{via}::Relation::{}", upper(&q.name));
            ConjunctCtx {
                entity: format!("{}::Entity", module_path(&q.schema, &c.to)),
                to_body: chain(8, &to_base, &["def()"]),
                via_body: some_chain(8, &via_base, &["def()", "rev()"]),
            }
        })
        .collect();
    EntityCtx {
        file: format!("{}.rs", q.name.to_snake_case()),
        module: module_of(&q.name),
        ident: upper(&q.name),
        qualified: q.to_string(),
        kind: if table.partition_by.is_some() {
            "partitioned table"
        } else {
            "table"
        },
        read_only: false,
        doc: doc_lines(table.comment.as_deref()),
        derives: derives(has_float),
        model_attr: model_attr(mapping.dialect, q),
        imports: imports.into_iter().collect(),
        columns,
        relations,
        related,
        conjunct,
    }
}

fn view_entity(
    mapping: Mapping,
    q: &QName,
    view: &crate::catalog::ViewDef,
    columns: &[(String, String)],
) -> EntityCtx {
    // SeaORM needs a primary key: the columns of a unique index on plain columns (what
    // REFRESH ... CONCURRENTLY needs anyway), else the first column.
    let pk: Vec<String> = view
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
        .find_map(|i| {
            i.keys
                .iter()
                .map(|k| match k {
                    crate::catalog::IndexKeyDef::Column { name, .. } => Some(name.clone()),
                    crate::catalog::IndexKeyDef::Expression { .. } => None,
                })
                .collect::<Option<Vec<String>>>()
        })
        .or_else(|| columns.first().map(|(n, _)| vec![n.clone()]))
        .unwrap_or_default();
    let table = TableDef::default();
    let mut imports = BTreeSet::new();
    let mut has_float = false;
    let cols = columns
        .iter()
        .map(|(name, ty)| {
            let column = ColumnDef {
                name: name.clone(),
                ty: ty.clone(),
                serial: None,
                // PostgreSQL reports every view column as nullable; key columns are
                // the exception SeaORM needs.
                nullable: !pk.contains(name),
                default: None,
                generated: None,
                identity: None,
                identity_options: None,
                comment: view
                    .column_comments
                    .iter()
                    .find(|(c, _)| c == name)
                    .map(|(_, t)| t.clone()),
                collation: None,
            };
            column_ctx(
                mapping,
                &q.schema,
                &column,
                &table,
                &pk,
                &mut imports,
                &mut has_float,
            )
        })
        .collect();
    EntityCtx {
        file: format!("{}.rs", q.name.to_snake_case()),
        module: module_of(&q.name),
        ident: upper(&q.name),
        qualified: q.to_string(),
        kind: if view.materialized {
            "materialized view"
        } else {
            "view"
        },
        read_only: true,
        doc: doc_lines(view.comment.as_deref()),
        derives: derives(has_float),
        model_attr: model_attr(mapping.dialect, q),
        imports: imports.into_iter().collect(),
        columns: cols,
        relations: Vec::new(),
        related: Vec::new(),
        conjunct: Vec::new(),
    }
}
