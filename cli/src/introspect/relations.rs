//! Tables, partitions, views and materialized views, and what hangs off them: columns,
//! constraints, indexes, policies and triggers.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{QueryResult, Value};

use super::parse::{option_value, parse_bound, split_option, strip_outer_parens, trigger_when};
use super::{Session, get};
use crate::catalog::{
    Catalog, CheckDef, ColumnDef, Deferral, ExclusionDef, ForeignKeyDef, IndexDef, IndexKeyDef,
    KeyDef, KeyIndex, PartitionDef, PartitionKeyDef, PolicyDef, QName, TableDef, TriggerDef,
    UniqueDef, ViewDef,
};
use crate::model::types::SerialKind;
use crate::model::{
    FkAction, Identity, IndexMethod, NullsOrder, PolicyCommand, SequenceOptions, SequenceType,
    SortOrder, TriggerEvent, TriggerLevel, TriggerTiming,
};

const RELATIONS: &str = include_str!("relations.sql");
const COLUMNS: &str = include_str!("columns.sql");
const CONSTRAINTS: &str = include_str!("constraints.sql");
const INDEXES: &str = include_str!("indexes.sql");
const POLICIES: &str = include_str!("policies.sql");
const TRIGGERS: &str = include_str!("triggers.sql");

/// A table or view by oid, for the queries that name their relation by oid.
#[derive(Debug, Clone)]
enum Rel {
    Table(QName),
    View(QName),
}

/// Reads every relation into `catalog` and returns their owners, which the catalog does
/// not record but whose roles belong in it.
pub(super) async fn read(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<BTreeSet<String>> {
    let mut owners = BTreeSet::new();
    let rels = relations(session, schemas, catalog, &mut owners).await?;
    columns(session, schemas, &rels, catalog).await?;
    constraints(session, schemas, &rels, catalog).await?;
    indexes(session, schemas, &rels, catalog).await?;
    policies(session, schemas, &rels, catalog).await?;
    triggers(session, schemas, &rels, catalog).await?;
    for table in catalog.tables.values_mut() {
        table.partitions.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(owners)
}

async fn relations(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
    owners: &mut BTreeSet<String>,
) -> anyhow::Result<HashMap<i64, Rel>> {
    let mut rels = HashMap::new();
    let mut partitions = Vec::new();
    for row in session.rows(RELATIONS, vec![schemas.clone()]).await? {
        let oid: i64 = get(&row, "oid")?;
        let owner: String = get(&row, "owner")?;
        owners.insert(owner.clone());
        let q = QName::new(
            get::<String>(&row, "schema_name")?,
            get::<String>(&row, "name")?,
        );
        let kind: String = get(&row, "kind")?;
        let options: Vec<String> = get(&row, "options")?;
        let comment: Option<String> = get(&row, "comment")?;
        if get(&row, "is_partition")? {
            let parent: Option<i64> = get(&row, "parent_oid")?;
            let bound: Option<String> = get(&row, "bound")?;
            partitions.push((parent, q, bound));
            continue;
        }
        match kind.as_str() {
            "v" | "m" => {
                let query: Option<String> = get(&row, "query")?;
                let query = query.unwrap_or_default();
                catalog.views.insert(
                    q.clone(),
                    ViewDef {
                        owner: Some(owner),
                        materialized: kind == "m",
                        query: query.trim().trim_end_matches(';').trim().to_string(),
                        comment,
                        security_barrier: flag(&options, "security_barrier"),
                        security_invoker: flag(&options, "security_invoker"),
                        indexes: Vec::new(),
                        grants: Vec::new(),
                        column_comments: Vec::new(),
                        declared_deps: Vec::new(),
                    },
                );
                rels.insert(oid, Rel::View(q));
            }
            "r" | "p" => {
                let persistence: String = get(&row, "persistence")?;
                let unlogged = match persistence.as_str() {
                    "p" => false,
                    "u" => true,
                    other => {
                        anyhow::bail!("table {q}: unknown persistence `{other}` (relpersistence)")
                    }
                };
                let table = TableDef {
                    owner: Some(owner),
                    partition_by: partition_key(&row)?,
                    rls_enabled: get(&row, "rls_enabled")?,
                    rls_forced: get(&row, "rls_forced")?,
                    comment,
                    unlogged,
                    with: options
                        .iter()
                        .map(|o| {
                            let (k, v) = split_option(o);
                            (k.to_string(), option_value(v))
                        })
                        .collect(),
                    ..Default::default()
                };
                catalog.tables.insert(q.clone(), table);
                rels.insert(oid, Rel::Table(q));
            }
            other => anyhow::bail!("relation {q}: unknown relation kind `{other}` (relkind)"),
        }
    }
    for (parent, q, bound) in partitions {
        let Some(Rel::Table(parent)) = parent.and_then(|p| rels.get(&p)) else {
            // A partition of a partition, or of a table outside the requested schemas:
            // the model has no place for it, and the inventory lists it (`sub_partition`).
            tracing::debug!("partition {q} has no partitioned table among the schemas read");
            continue;
        };
        let text = bound.unwrap_or_default();
        let bound = parse_bound(&text)
            .ok_or_else(|| anyhow::anyhow!("partition {q}: cannot read its bound `{text}`"))?;
        if let Some(table) = catalog.tables.get_mut(parent) {
            table.partitions.push(PartitionDef {
                name: q.name,
                bound,
            });
        }
    }
    Ok(rels)
}

fn partition_key(row: &QueryResult) -> anyhow::Result<Option<PartitionKeyDef>> {
    let Some(strategy) = get::<Option<String>>(row, "strategy")? else {
        return Ok(None);
    };
    let strategy = match strategy.as_str() {
        "r" => "RANGE",
        "l" => "LIST",
        "h" => "HASH",
        other => anyhow::bail!("unknown partition strategy `{other}`"),
    };
    let mut columns: Vec<String> =
        get::<Option<Vec<String>>>(row, "key_columns")?.unwrap_or_default();
    if columns.iter().any(String::is_empty) {
        // An expression key, which the model cannot write: keep PostgreSQL's text whole so
        // that a change still shows.
        let def: Option<String> = get(row, "key_def")?;
        columns = vec![def.unwrap_or_default()];
    }
    Ok(Some(PartitionKeyDef {
        strategy: strategy.to_string(),
        columns,
    }))
}

fn flag(options: &[String], name: &str) -> bool {
    options.iter().any(|o| {
        let (k, v) = split_option(o);
        k == name && matches!(v.to_ascii_lowercase().as_str(), "true" | "on" | "yes" | "1")
    })
}

async fn columns(
    session: &mut Session,
    schemas: &Value,
    rels: &HashMap<i64, Rel>,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(COLUMNS, vec![schemas.clone()]).await? {
        let name: String = get(&row, "name")?;
        let comment: Option<String> = get(&row, "comment")?;
        match rels.get(&get(&row, "table_oid")?) {
            Some(Rel::View(q)) => {
                if let (Some(view), Some(comment)) = (catalog.views.get_mut(q), comment) {
                    view.column_comments.push((name, comment));
                }
            }
            Some(Rel::Table(q)) => {
                let column = column(&row, q, name, comment)?;
                if let Some(table) = catalog.tables.get_mut(q) {
                    table.columns.push(column);
                }
            }
            None => {}
        }
    }
    Ok(())
}

fn column(
    row: &QueryResult,
    table: &QName,
    name: String,
    comment: Option<String>,
) -> anyhow::Result<ColumnDef> {
    let default: Option<String> = get(row, "default_expr")?;
    let identity = identity(table, &name, &get::<String>(row, "identity")?)?;
    let identity_options = match identity {
        Some(_) => identity_options(row, table, &name)?,
        None => None,
    };
    // Stored and (PostgreSQL 18) virtual generated columns both read as generated: the
    // model knows only stored ones, and the inventory lists the virtual ones.
    let generated = generated(table, &name, &get::<String>(row, "generated")?)?;
    let serial = if get(row, "serial")? {
        // A nextval default of an owned sequence on another type (numeric, say) is what
        // `serial` cannot write: the default stays as it is.
        match get::<i64>(row, "type_oid")? {
            21 => Some(SerialKind::Small),
            23 => Some(SerialKind::Regular),
            20 => Some(SerialKind::Big),
            _ => None,
        }
    } else {
        None
    };
    Ok(ColumnDef {
        name,
        ty: get(row, "type")?,
        serial,
        nullable: !get::<bool>(row, "not_null")?,
        default: if generated || serial.is_some() {
            None
        } else {
            default.clone()
        },
        generated: if generated { default } else { None },
        identity_options,
        identity,
        comment,
        collation: get(row, "collation")?,
    })
}

/// `attidentity`.
fn identity(table: &QName, column: &str, code: &str) -> anyhow::Result<Option<Identity>> {
    Ok(match code {
        "a" => Some(Identity::Always),
        "d" => Some(Identity::ByDefault),
        "" => None,
        other => anyhow::bail!("column {table}.{column}: unknown identity `{other}` (attidentity)"),
    })
}

/// `attgenerated`: whether the column is generated (stored `s` or virtual `v`).
fn generated(table: &QName, column: &str, code: &str) -> anyhow::Result<bool> {
    Ok(match code {
        "" => false,
        "s" | "v" => true,
        other => {
            anyhow::bail!("column {table}.{column}: unknown generation `{other}` (attgenerated)")
        }
    })
}

/// `polcmd`.
fn policy_command(table: &QName, policy: &str, code: &str) -> anyhow::Result<PolicyCommand> {
    Ok(match code {
        "r" => PolicyCommand::Select,
        "a" => PolicyCommand::Insert,
        "w" => PolicyCommand::Update,
        "d" => PolicyCommand::Delete,
        "*" => PolicyCommand::All,
        other => anyhow::bail!("policy {policy} on {table}: unknown command `{other}` (polcmd)"),
    })
}

async fn constraints(
    session: &mut Session,
    schemas: &Value,
    rels: &HashMap<i64, Rel>,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(CONSTRAINTS, vec![schemas.clone()]).await? {
        let Some(Rel::Table(q)) = rels.get(&get(&row, "table_oid")?) else {
            continue;
        };
        let Some(table) = catalog.tables.get_mut(q) else {
            continue;
        };
        let name: String = get(&row, "name")?;
        let columns: Vec<String> = get(&row, "columns")?;
        let deferral =
            Deferral::from_flags(get(&row, "deferrable")?, get(&row, "initially_deferred")?);
        if !get::<bool>(&row, "validated")? {
            table.not_valid.push(name.clone());
        }
        match get::<String>(&row, "kind")?.as_str() {
            "p" => {
                table.primary_key = Some(KeyDef {
                    name,
                    columns,
                    deferral,
                    index: key_index(&row)?,
                })
            }
            "u" => table.uniques.push(UniqueDef {
                name,
                columns,
                nulls_not_distinct: get(&row, "nulls_not_distinct")?,
                deferral,
                index: key_index(&row)?,
            }),
            "c" => table.checks.push(CheckDef {
                name,
                expression: get::<Option<String>>(&row, "check_expr")?.unwrap_or_default(),
                no_inherit: get(&row, "no_inherit")?,
            }),
            "f" => table.foreign_keys.push(ForeignKeyDef {
                on_delete: fk_action(q, &name, &get::<String>(&row, "on_delete")?)?,
                on_update: fk_action(q, &name, &get::<String>(&row, "on_update")?)?,
                name,
                columns,
                references: QName::new(
                    get::<Option<String>>(&row, "ref_schema")?.unwrap_or_default(),
                    get::<Option<String>>(&row, "ref_table")?.unwrap_or_default(),
                ),
                referenced_columns: get(&row, "ref_columns")?,
                deferrable: get(&row, "deferrable")?,
                initially_deferred: get(&row, "initially_deferred")?,
            }),
            other => anyhow::bail!("constraint {name} on {q}: unknown constraint kind `{other}`"),
        }
    }
    Ok(())
}

fn fk_action(table: &QName, constraint: &str, code: &str) -> anyhow::Result<FkAction> {
    Ok(match code {
        "a" => FkAction::NoAction,
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        other => anyhow::bail!(
            "foreign key {constraint} on {table}: unknown referential action `{other}`"
        ),
    })
}

async fn indexes(
    session: &mut Session,
    schemas: &Value,
    rels: &HashMap<i64, Rel>,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(INDEXES, vec![schemas.clone()]).await? {
        let index = index(&row)?;
        let rel = rels.get(&get(&row, "table_oid")?);
        if get(&row, "exclusion")? {
            if let Some(Rel::Table(q)) = rel
                && let Some(t) = catalog.tables.get_mut(q)
            {
                t.exclusions.push(exclusion(&row, index)?);
            }
            continue;
        }
        match rel {
            Some(Rel::Table(q)) => {
                if let Some(t) = catalog.tables.get_mut(q) {
                    t.indexes.push(index);
                }
            }
            Some(Rel::View(q)) => {
                if let Some(v) = catalog.views.get_mut(q) {
                    v.indexes.push(index);
                }
            }
            None => {}
        }
    }
    Ok(())
}

fn index(row: &QueryResult) -> anyhow::Result<IndexDef> {
    let name: String = get(row, "name")?;
    let method = match get::<String>(row, "method")?.as_str() {
        "btree" => IndexMethod::Btree,
        "hash" => IndexMethod::Hash,
        "gin" => IndexMethod::Gin,
        "gist" => IndexMethod::Gist,
        "spgist" => IndexMethod::Spgist,
        "brin" => IndexMethod::Brin,
        "hnsw" => IndexMethod::Hnsw,
        "ivfflat" => IndexMethod::Ivfflat,
        other => anyhow::bail!("index {name}: access method `{other}` has no place in the model"),
    };
    let key_count = usize::try_from(get::<i32>(row, "key_count")?).unwrap_or_default();
    let defs: Vec<String> = get(row, "defs")?;
    let names: Vec<String> = get(row, "column_names")?;
    let attnums: Vec<i16> = get(row, "attnums")?;
    let opclasses: Vec<String> = get(row, "opclasses")?;
    let collations: Vec<String> = get(row, "collations")?;
    let options: Vec<i16> = get(row, "options")?;
    let nonempty = |v: Option<&String>| v.filter(|s| !s.is_empty()).cloned();
    let mut keys = Vec::with_capacity(key_count);
    for k in 0..key_count {
        let bits = options.get(k).copied().unwrap_or_default();
        let desc = bits & 1 != 0;
        let nulls_first = bits & 2 != 0;
        let order = desc.then_some(SortOrder::Desc);
        // Only the placement that differs from the order's default is written.
        let nulls = match (desc, nulls_first) {
            (false, true) => Some(NullsOrder::First),
            (true, false) => Some(NullsOrder::Last),
            _ => None,
        };
        let opclass = nonempty(opclasses.get(k));
        let collate = nonempty(collations.get(k));
        keys.push(if attnums.get(k).copied().unwrap_or_default() == 0 {
            IndexKeyDef::Expression {
                sql: strip_outer_parens(defs.get(k).map(String::as_str).unwrap_or_default()),
                opclass,
                order,
                nulls,
                collate,
            }
        } else {
            IndexKeyDef::Column {
                name: names.get(k).cloned().unwrap_or_default(),
                opclass,
                order,
                nulls,
                collate,
            }
        });
    }
    let with_options: Vec<String> = get(row, "with_options")?;
    Ok(IndexDef {
        name,
        method,
        keys,
        unique: get(row, "is_unique")?,
        predicate: get(row, "predicate")?,
        include: names.iter().skip(key_count).cloned().collect(),
        with: storage_options(&with_options),
        nulls_not_distinct: get(row, "nulls_not_distinct")?,
        comment: get(row, "comment")?,
    })
}

/// An identity column's sequence options, `None` when they are the defaults.
fn identity_options(
    row: &QueryResult,
    table: &QName,
    column: &str,
) -> anyhow::Result<Option<SequenceOptions>> {
    let Some(type_name) = get::<Option<String>>(row, "identity_type")? else {
        anyhow::bail!("identity column {table}.{column}: no identity sequence found");
    };
    let data_type = SequenceType::parse(&type_name).ok_or_else(|| {
        anyhow::anyhow!("identity column {table}.{column}: sequence type `{type_name}`")
    })?;
    Ok(SequenceOptions {
        data_type,
        start: get(row, "identity_start")?,
        increment: get(row, "identity_increment")?,
        min_value: get(row, "identity_min")?,
        max_value: get(row, "identity_max")?,
        cache: get(row, "identity_cache")?,
        cycle: get(row, "identity_cycle")?,
    }
    .unless_identity_defaults())
}

/// The INCLUDE columns and storage parameters of a key's or unique constraint's index.
fn key_index(row: &QueryResult) -> anyhow::Result<KeyIndex> {
    let with_options: Vec<String> = get(row, "index_options")?;
    Ok(KeyIndex {
        include: get(row, "include_columns")?,
        with: storage_options(&with_options),
    })
}

/// `key=value` reloptions entries as the catalog's (key, rendered value) pairs.
fn storage_options(options: &[String]) -> Vec<(String, String)> {
    options
        .iter()
        .map(|o| {
            let (k, v) = split_option(o);
            (k.to_string(), option_value(v))
        })
        .collect()
}

/// An exclusion constraint from the row of its index.
fn exclusion(row: &QueryResult, index: IndexDef) -> anyhow::Result<ExclusionDef> {
    let operators: Vec<String> = get(row, "operators")?;
    if operators.len() != index.keys.len() {
        anyhow::bail!(
            "exclusion constraint {}: {} operators for {} elements",
            index.name,
            operators.len(),
            index.keys.len()
        );
    }
    Ok(ExclusionDef {
        name: index.name,
        method: index.method,
        keys: index.keys,
        operators,
        include: index.include,
        with: index.with,
        predicate: index.predicate,
        deferral: Deferral::from_flags(get(row, "deferrable")?, get(row, "initially_deferred")?),
    })
}

async fn policies(
    session: &mut Session,
    schemas: &Value,
    rels: &HashMap<i64, Rel>,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(POLICIES, vec![schemas.clone()]).await? {
        let Some(Rel::Table(q)) = rels.get(&get(&row, "table_oid")?) else {
            continue;
        };
        let name: String = get(&row, "name")?;
        let command = policy_command(q, &name, &get::<String>(&row, "command")?)?;
        let mut roles: Vec<String> = get(&row, "roles")?;
        // PUBLIC alone is what the model means by no `to`.
        if roles == ["public"] {
            roles.clear();
        }
        let policy = PolicyDef {
            name,
            command,
            roles,
            using: get(&row, "using_expr")?,
            with_check: get(&row, "check_expr")?,
            restrictive: !get::<bool>(&row, "permissive")?,
        };
        if let Some(t) = catalog.tables.get_mut(q) {
            t.policies.push(policy);
        }
    }
    Ok(())
}

async fn triggers(
    session: &mut Session,
    schemas: &Value,
    rels: &HashMap<i64, Rel>,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(TRIGGERS, vec![schemas.clone()]).await? {
        let Some(Rel::Table(q)) = rels.get(&get(&row, "table_oid")?) else {
            continue;
        };
        let bits: i32 = get(&row, "type_bits")?;
        let timing = if bits & 64 != 0 {
            TriggerTiming::InsteadOf
        } else if bits & 2 != 0 {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let events = [
            (4, TriggerEvent::Insert),
            (16, TriggerEvent::Update),
            (8, TriggerEvent::Delete),
            (32, TriggerEvent::Truncate),
        ]
        .into_iter()
        .filter(|(bit, _)| bits & bit != 0)
        .map(|(_, e)| e)
        .collect();
        let count = usize::try_from(get::<i32>(&row, "arg_count")?).unwrap_or_default();
        let raw: Vec<u8> = get(&row, "args")?;
        // tgargs holds each argument followed by a NUL byte.
        let args = raw
            .split(|b| *b == 0)
            .take(count)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let definition: Option<String> = get(&row, "definition")?;
        let trigger = TriggerDef {
            name: get(&row, "name")?,
            timing,
            events,
            update_of: get(&row, "update_of")?,
            level: if bits & 1 != 0 {
                TriggerLevel::Row
            } else {
                TriggerLevel::Statement
            },
            function: Some(QName::new(
                get::<String>(&row, "function_schema")?,
                get::<String>(&row, "function_name")?,
            )),
            body: None,
            args,
            condition: definition.as_deref().and_then(trigger_when),
            comment: get(&row, "comment")?,
        };
        if let Some(t) = catalog.tables.get_mut(q) {
            t.triggers.push(trigger);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_errors_naming_the_object_and_the_value() {
        let q = QName::new("shop", "orders");
        assert_eq!(
            identity(&q, "id", "d").ok(),
            Some(Some(Identity::ByDefault))
        );
        assert_eq!(generated(&q, "total", "v").ok(), Some(true));
        assert_eq!(
            policy_command(&q, "own", "*").ok(),
            Some(PolicyCommand::All)
        );
        let messages = [
            identity(&q, "id", "z").map(|_| ()),
            generated(&q, "total", "q").map(|_| ()),
            policy_command(&q, "own", "t").map(|_| ()),
            fk_action(&q, "orders_customer_fkey", "x").map(|_| ()),
        ]
        .map(|r| r.unwrap_err().to_string());
        assert_eq!(
            messages,
            [
                "column shop.orders.id: unknown identity `z` (attidentity)",
                "column shop.orders.total: unknown generation `q` (attgenerated)",
                "policy own on shop.orders: unknown command `t` (polcmd)",
                "foreign key orders_customer_fkey on shop.orders: unknown referential action `x`",
            ]
        );
    }
}
