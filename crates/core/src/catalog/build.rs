//! Model → catalog: resolving names, defaults and implicit constraint names.
//!
//! The model is assumed valid (see `validate`); anything unresolvable here is skipped
//! rather than panicking, because the validator has already reported it.

use serde_json::Value;

use super::*;
use crate::sql;
use schemactl_model::partitions;
use schemactl_model::types::SqlType;
use schemactl_model::validate::split_qualified;
use schemactl_model::{
    Aggregate, ArgMode, Column, EnumType, Exclusion, Function, FunctionArg, Grant, Index, Model,
    ParallelSafety, Procedure, Schema, Sequence, SequenceType, Table, Volatility,
};

pub fn from_model(model: &Model) -> Catalog {
    let mut catalog = Catalog {
        database: DatabaseDef {
            name: model.database.name.clone(),
            owner: model.database.owner.clone(),
            encoding: model.database.encoding.clone(),
            locale: model.database.locale.clone(),
        },
        extensions: model.extensions.clone(),
        ..Default::default()
    };
    for (name, role) in &model.roles {
        catalog.roles.insert(
            name.clone(),
            RoleDef {
                login: role.login,
                inherit: role.inherit,
                createdb: role.createdb,
                createrole: role.createrole,
                bypassrls: role.bypassrls,
                connection_limit: role.connection_limit,
                member_of: role.member_of.clone(),
                password_env: role.password_env.clone(),
                comment: role.comment.clone(),
            },
        );
    }
    for (schema_name, schema) in &model.schemas {
        catalog.schemas.insert(
            schema_name.clone(),
            SchemaDef {
                owner: schema.owner.clone(),
                comment: schema.comment.clone(),
                distributed: schema.citus.as_ref().is_some_and(|c| c.distributed),
                grants: grants(&schema.grants),
                default_privileges: schema
                    .default_privileges
                    .iter()
                    .flat_map(|dp| {
                        dp.to.iter().map(|to| DefaultPrivilegeDef {
                            for_role: dp.for_role.clone(),
                            on: dp.on,
                            grantee: to.clone(),
                            privileges: dp.privileges.clone(),
                        })
                    })
                    .collect(),
            },
        );
        for (name, declared) in &schema.enums {
            let (values, comment) = match declared {
                EnumType::Labels(v) => (v.clone(), None),
                EnumType::Full(spec) => (spec.values.clone(), spec.comment.clone()),
            };
            let def = EnumDef {
                owner: declared.owner().map(str::to_string),
                values,
                comment,
            };
            catalog.enums.insert(QName::new(schema_name, name), def);
        }
        for (name, domain) in &schema.domains {
            catalog.domains.insert(
                QName::new(schema_name, name),
                DomainDef {
                    owner: domain.owner.clone(),
                    base: render_type(&domain.ty, schema_name),
                    not_null: domain.not_null,
                    default: domain.default.as_ref().map(expression),
                    collation: domain.collation.clone(),
                    checks: domain
                        .checks
                        .iter()
                        .map(|(n, e)| (n.clone(), e.trim().to_string()))
                        .collect(),
                    comment: domain.comment.clone(),
                },
            );
        }
        for (name, composite) in &schema.composite_types {
            catalog.composite_types.insert(
                QName::new(schema_name, name),
                CompositeTypeDef {
                    owner: composite.owner.clone(),
                    attributes: composite
                        .attributes
                        .iter()
                        .map(|(attribute, spec)| AttributeDef {
                            name: attribute.clone(),
                            ty: render_type(spec.ty(), schema_name),
                            collation: spec.collation().map(str::to_string),
                        })
                        .collect(),
                    comment: composite.comment.clone(),
                },
            );
        }
        for (name, sequence) in &schema.sequences {
            catalog
                .sequences
                .insert(QName::new(schema_name, name), build_sequence(sequence));
        }
        for (name, table) in &schema.tables {
            catalog.tables.insert(
                QName::new(schema_name, name),
                build_table(model, schema_name, name, table),
            );
        }
        build_views(&mut catalog, schema_name, schema);
        for (name, list) in &schema.functions {
            for function in list {
                insert_routine(
                    &mut catalog,
                    schema_name,
                    name,
                    build_function(schema_name, function),
                );
            }
        }
        for (name, list) in &schema.procedures {
            for procedure in list {
                insert_routine(
                    &mut catalog,
                    schema_name,
                    name,
                    build_procedure(schema_name, procedure),
                );
            }
        }
        for (name, list) in &schema.aggregates {
            for aggregate in list {
                insert_routine(
                    &mut catalog,
                    schema_name,
                    name,
                    build_aggregate(schema_name, schema, aggregate),
                );
            }
        }
    }
    citus_colocation(&mut catalog);
    super::normalize_owners(&mut catalog);
    catalog
}

/// A routine under its identity: name and input argument types.
fn insert_routine(catalog: &mut Catalog, schema_name: &str, name: &str, def: FunctionDef) {
    let id = RoutineId::new(QName::new(schema_name, name), &def);
    catalog.functions.insert(id, def);
}

/// Colocation groups from the model's `colocate_with` chains: each table's group is the
/// table at the end of its chain (one without `colocate_with`).
fn citus_colocation(catalog: &mut Catalog) {
    let links: BTreeMap<QName, Option<QName>> = catalog
        .tables
        .iter()
        .filter_map(|(q, t)| match &t.citus {
            Some(Distribution::Hash { colocate_with, .. }) => {
                Some((q.clone(), colocate_with.clone()))
            }
            _ => None,
        })
        .collect();
    let mut groups = BTreeMap::new();
    for table in links.keys() {
        let mut root = table.clone();
        // Bounded: a cycle (which validation refuses) ends after one turn.
        for _ in 0..links.len() {
            match links.get(&root).cloned().flatten() {
                Some(next) if links.contains_key(&next) => root = next,
                _ => break,
            }
        }
        groups.insert(table.clone(), root);
    }
    super::normalize_colocation(catalog, &groups);
}

fn build_views(catalog: &mut Catalog, schema_name: &str, schema: &Schema) {
    for (name, view) in &schema.views {
        catalog.views.insert(
            QName::new(schema_name, name),
            ViewDef {
                owner: view.owner.clone(),
                materialized: false,
                query: view.query.trim().trim_end_matches(';').trim().to_string(),
                comment: view.comment.clone(),
                security_barrier: view.security_barrier,
                security_invoker: view.security_invoker,
                indexes: Vec::new(),
                grants: grants(&view.grants),
                column_comments: view
                    .column_comments
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                declared_deps: qualify_all(&view.depends_on, schema_name),
            },
        );
    }
    for (name, mv) in &schema.materialized_views {
        catalog.views.insert(
            QName::new(schema_name, name),
            ViewDef {
                owner: mv.owner.clone(),
                materialized: true,
                query: mv.query.trim().trim_end_matches(';').trim().to_string(),
                comment: mv.comment.clone(),
                security_barrier: false,
                security_invoker: false,
                indexes: mv.indexes.iter().map(|(n, i)| build_index(n, i)).collect(),
                grants: grants(&mv.grants),
                column_comments: mv
                    .column_comments
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                declared_deps: qualify_all(&mv.depends_on, schema_name),
            },
        );
    }
}

fn qualify_all(names: &[String], schema: &str) -> Vec<QName> {
    names
        .iter()
        .map(|n| {
            let (s, n) = split_qualified(n, schema);
            QName::new(s, n)
        })
        .collect()
}

fn build_table(model: &Model, schema_name: &str, table_name: &str, table: &Table) -> TableDef {
    let pk_columns = table.primary_key_columns();
    let mut def = TableDef {
        owner: table.owner.clone(),
        comment: table.comment.clone(),
        grants: grants(&table.grants),
        citus: table.citus.as_ref().map(|c| match &c.distribute_by {
            Some(column) => Distribution::Hash {
                column: column.clone(),
                colocate_with: c.colocate_with.as_ref().map(|t| {
                    let (s, n) = split_qualified(t, schema_name);
                    QName::new(s, n)
                }),
                shard_count: c.shard_count,
            },
            None => Distribution::Reference,
        }),
        unlogged: table.unlogged,
        with: storage_parameters(&table.with_params),
        ..Default::default()
    };
    for (name, column) in &table.columns {
        def.columns.push(build_column(
            schema_name,
            name,
            column,
            pk_columns.contains(name),
        ));
    }
    if !pk_columns.is_empty() {
        def.primary_key = Some(KeyDef {
            name: table
                .primary_key_name
                .clone()
                .unwrap_or_else(|| format!("{table_name}_pkey")),
            columns: pk_columns,
            deferral: Deferral::from_flags(
                table.primary_key_deferrable,
                table.primary_key_initially_deferred,
            ),
            index: KeyIndex {
                include: table.primary_key_include.clone(),
                with: storage_parameters(&table.primary_key_with),
            },
        });
    }
    for (name, column) in &table.columns {
        if column.unique {
            def.uniques.push(UniqueDef {
                name: format!("{table_name}_{name}_key"),
                columns: vec![name.clone()],
                nulls_not_distinct: false,
                deferral: Deferral::Immediate,
                index: KeyIndex::default(),
            });
        }
        if let Some(check) = &column.check {
            def.checks.push(CheckDef {
                name: format!("{table_name}_{name}_check"),
                expression: check.clone(),
                no_inherit: false,
            });
        }
        if let Some(reference) = &column.references {
            let target_schema = reference
                .schema
                .clone()
                .unwrap_or_else(|| schema_name.to_string());
            let target = QName::new(target_schema, &reference.table);
            let referenced = match &reference.column {
                Some(c) => vec![c.clone()],
                None => target_primary_key(model, &target),
            };
            def.foreign_keys.push(ForeignKeyDef {
                name: reference
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{table_name}_{name}_fkey")),
                columns: vec![name.clone()],
                references: target,
                referenced_columns: referenced,
                on_delete: reference.on_delete.unwrap_or(FkAction::NoAction),
                on_update: reference.on_update.unwrap_or(FkAction::NoAction),
                deferrable: reference.deferrable,
                initially_deferred: reference.initially_deferred,
            });
        }
    }
    for (name, unique) in &table.unique {
        def.uniques.push(UniqueDef {
            name: name.clone(),
            columns: unique.columns().to_vec(),
            nulls_not_distinct: unique.nulls_not_distinct(),
            deferral: Deferral::from_flags(unique.deferrable(), unique.initially_deferred()),
            index: KeyIndex {
                include: unique.include().to_vec(),
                with: unique
                    .with_params()
                    .map(storage_parameters)
                    .unwrap_or_default(),
            },
        });
    }
    for (name, check) in &table.checks {
        def.checks.push(CheckDef {
            name: name.clone(),
            expression: check.expression().to_string(),
            no_inherit: matches!(
                check,
                schemactl_model::Check::Full {
                    no_inherit: true,
                    ..
                }
            ),
        });
    }
    for (name, exclusion) in &table.exclusions {
        def.exclusions.push(build_exclusion(name, exclusion));
    }
    for (name, fk) in &table.foreign_keys {
        let (s, t) = split_qualified(&fk.references, schema_name);
        let target = QName::new(s, t);
        let referenced = if fk.referenced_columns.is_empty() {
            target_primary_key(model, &target)
        } else {
            fk.referenced_columns.clone()
        };
        def.foreign_keys.push(ForeignKeyDef {
            name: name.clone(),
            columns: fk.columns.clone(),
            references: target,
            referenced_columns: referenced,
            on_delete: fk.on_delete.unwrap_or(FkAction::NoAction),
            on_update: fk.on_update.unwrap_or(FkAction::NoAction),
            deferrable: fk.deferrable,
            initially_deferred: fk.initially_deferred,
        });
    }
    def.indexes = table
        .indexes
        .iter()
        .map(|(n, i)| build_index(n, i))
        .collect();
    if let Some(by) = &table.partition_by {
        def.partition_by = Some(PartitionKeyDef {
            strategy: by.strategy().to_string(),
            columns: by.columns().to_vec(),
        });
        def.partitions = partitions::expand(table_name, table)
            .unwrap_or_default()
            .into_iter()
            .map(|p| PartitionDef {
                name: p.name,
                bound: p.bound,
            })
            .collect();
    }
    if let Some(rls) = &table.row_level_security {
        def.rls_enabled = rls.enabled;
        def.rls_forced = rls.force;
        def.policies = rls
            .policies
            .iter()
            .map(|(name, p)| PolicyDef {
                name: name.clone(),
                command: p.command,
                roles: p.to.clone(),
                using: p.using.clone(),
                with_check: p.with_check.clone(),
                restrictive: p.restrictive,
            })
            .collect();
    }
    def.triggers = table
        .triggers
        .iter()
        .map(|(name, t)| {
            let function = t.function.as_deref().map(|f| {
                let (fs, fname) = split_qualified(f, schema_name);
                QName::new(fs, fname)
            });
            TriggerDef {
                name: name.clone(),
                timing: t.timing,
                events: t.events.clone(),
                update_of: t.update_of.clone(),
                level: t.for_each,
                function,
                body: t.body.as_ref().map(|b| b.trim().to_string()),
                args: t.args.clone(),
                condition: t.condition.clone(),
                comment: t.comment.clone(),
            }
        })
        .collect();
    if let Some(seed) = &table.seed {
        def.seed = Some(SeedDef {
            key: if seed.key.is_empty() {
                def.primary_key
                    .as_ref()
                    .map(|k| k.columns.clone())
                    .unwrap_or_default()
            } else {
                seed.key.clone()
            },
            rows: seed
                .rows
                .iter()
                .map(|row| row.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .collect(),
        });
    }
    def
}

fn build_column(schema_name: &str, name: &str, column: &Column, in_pk: bool) -> ColumnDef {
    let parsed = SqlType::parse(&column.ty).ok();
    let serial = match &parsed {
        Some(SqlType::Serial(kind)) => Some(*kind),
        _ => None,
    };
    ColumnDef {
        name: name.to_string(),
        ty: render_type(&column.ty, schema_name),
        serial,
        // PostgreSQL makes key, identity and serial columns NOT NULL whatever is written.
        nullable: !in_pk
            && serial.is_none()
            && column.identity.is_none()
            && column.nullable.unwrap_or(true),
        default: column.default.as_ref().map(|d| match d {
            Value::Object(_) | Value::Array(_) => format!(
                "{}::{}",
                sql::literal(&d.to_string()),
                render_type(&column.ty, schema_name)
            ),
            other => expression(other),
        }),
        generated: column.generated.clone(),
        identity: column.identity,
        identity_options: column
            .identity
            .and(SequenceType::of_column(&column.ty))
            .and_then(|data_type| {
                let options = column.identity_options.clone().unwrap_or_default();
                options
                    .sequence(data_type)
                    .options()
                    .unless_identity_defaults()
            }),
        comment: column.comment.clone(),
        collation: column.collation.clone(),
    }
}

/// A model type as SQL: built-ins in PostgreSQL's spelling, serials as their storage
/// type, model enums schema-qualified and quoted.
pub fn render_type(ty: &str, schema_name: &str) -> String {
    match SqlType::parse(ty) {
        Ok(parsed) => render_parsed(&parsed.storage(), schema_name),
        Err(_) => ty.to_string(),
    }
}

fn render_parsed(ty: &SqlType, schema_name: &str) -> String {
    match ty {
        SqlType::Named { schema, name } => {
            if schemactl_model::validate::is_builtin_extra(name) && schema.is_none() {
                name.to_ascii_lowercase()
            } else {
                sql::qualified(schema.as_deref().unwrap_or(schema_name), name)
            }
        }
        SqlType::Array(inner) => format!("{}[]", render_parsed(inner, schema_name)),
        other => other.to_string(),
    }
}

/// A YAML scalar as a SQL expression: strings verbatim, numbers and booleans as literals.
pub fn expression(value: &Value) -> String {
    match value {
        Value::String(s) => s.trim().to_string(),
        Value::Null => "NULL".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => sql::literal(&other.to_string()),
    }
}

fn target_primary_key(model: &Model, target: &QName) -> Vec<String> {
    model
        .schemas
        .get(&target.schema)
        .and_then(|s| s.tables.get(&target.name))
        .map(Table::primary_key_columns)
        .unwrap_or_default()
}

pub(crate) fn build_index(name: &str, index: &Index) -> IndexDef {
    IndexDef {
        name: name.to_string(),
        method: index.using,
        keys: index
            .columns
            .iter()
            .map(|c| IndexKeyDef::from_spec(c.spec()))
            .collect(),
        unique: index.unique,
        predicate: index.predicate.clone(),
        include: index.include.clone(),
        with: storage_parameters(&index.with_params),
        nulls_not_distinct: index.nulls_not_distinct,
        comment: index.comment.clone(),
    }
}

/// `WITH (…)` parameters as SQL: strings quoted, numbers and booleans as they are.
fn storage_parameters(params: &indexmap::IndexMap<String, Value>) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| {
            let rendered = match v {
                Value::String(s) => sql::literal(s),
                other => other.to_string(),
            };
            (k.clone(), rendered)
        })
        .collect()
}

fn build_sequence(sequence: &Sequence) -> SequenceDef {
    SequenceDef {
        owner: sequence.owner.clone(),
        options: sequence.options(),
        owned_by: sequence.owned_by.as_deref().and_then(|owner| {
            let (table, column) = owner.split_once('.')?;
            Some(SequenceOwner {
                table: table.to_string(),
                column: column.to_string(),
            })
        }),
        comment: sequence.comment.clone(),
        grants: grants(&sequence.grants),
    }
}

fn grants(list: &[Grant]) -> Vec<GrantDef> {
    list.iter()
        .flat_map(|g| {
            g.to.iter().map(|to| GrantDef {
                grantee: to.clone(),
                privileges: g.privileges.clone(),
                columns: g.columns.clone(),
                with_grant_option: g.with_grant_option,
            })
        })
        .collect()
}

fn build_exclusion(name: &str, exclusion: &Exclusion) -> ExclusionDef {
    ExclusionDef {
        name: name.to_string(),
        method: exclusion.using,
        keys: exclusion
            .elements
            .iter()
            .map(|e| IndexKeyDef::from_spec(e.key()))
            .collect(),
        operators: exclusion
            .elements
            .iter()
            .map(|e| e.with.trim().to_string())
            .collect(),
        include: exclusion.include.clone(),
        with: storage_parameters(&exclusion.with_params),
        predicate: exclusion.predicate.clone(),
        deferral: Deferral::from_flags(exclusion.deferrable, exclusion.initially_deferred),
    }
}

fn build_args(args: &[FunctionArg], schema_name: &str) -> Vec<ArgDef> {
    args.iter()
        .map(|a| ArgDef {
            name: a.name.clone(),
            ty: render_type(&a.ty, schema_name),
            default: a.default.as_ref().map(expression),
            mode: a.mode.map(|m| {
                match m {
                    ArgMode::In => "IN",
                    ArgMode::Out => "OUT",
                    ArgMode::Inout => "INOUT",
                    ArgMode::Variadic => "VARIADIC",
                }
                .to_string()
            }),
        })
        .collect()
}

fn build_function(schema_name: &str, function: &Function) -> FunctionDef {
    FunctionDef {
        owner: function.owner.clone(),
        kind: RoutineKind::Function,
        args: build_args(&function.args, schema_name),
        returns: function.returns.trim().to_string(),
        language: function.language.to_ascii_lowercase(),
        volatility: function.volatility,
        security_definer: function.security_definer,
        strict: function.strict,
        parallel: function.parallel.map(parallel_sql),
        set: function
            .set
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        body: function.body.clone(),
        comment: function.comment.clone(),
        grants: grants(&function.grants),
        declared_deps: qualify_all(&function.depends_on, schema_name),
        aggregate: None,
    }
}

fn parallel_sql(p: ParallelSafety) -> String {
    match p {
        ParallelSafety::Unsafe => "UNSAFE",
        ParallelSafety::Restricted => "RESTRICTED",
        ParallelSafety::Safe => "SAFE",
    }
    .to_string()
}

/// A procedure: no result, and none of the attributes PostgreSQL refuses on one
/// (volatility, STRICT, PARALLEL) take other than their defaults.
fn build_procedure(schema_name: &str, procedure: &Procedure) -> FunctionDef {
    FunctionDef {
        owner: procedure.owner.clone(),
        kind: RoutineKind::Procedure,
        args: build_args(&procedure.args, schema_name),
        returns: String::new(),
        language: procedure.language.to_ascii_lowercase(),
        volatility: Volatility::Volatile,
        security_definer: procedure.security_definer,
        strict: false,
        parallel: None,
        set: procedure
            .set
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        body: procedure.body.clone(),
        comment: procedure.comment.clone(),
        grants: grants(&procedure.grants),
        declared_deps: qualify_all(&procedure.depends_on, schema_name),
        aggregate: None,
    }
}

/// An aggregate: its argument types unnamed, no body, and its support functions resolved
/// (a bare name is the schema's own function if the model has one, else PostgreSQL's).
fn build_aggregate(schema_name: &str, schema: &Schema, aggregate: &Aggregate) -> FunctionDef {
    let resolve = |name: &str| match name.split_once('.') {
        Some((s, n)) => QName::new(s, n),
        None if schema.functions.contains_key(name) => QName::new(schema_name, name),
        None => QName::new("pg_catalog", name),
    };
    let def = AggregateDef {
        state_function: resolve(&aggregate.state_function),
        state_type: render_type(&aggregate.state_type, schema_name),
        initial_condition: aggregate.initial_condition.clone(),
        final_function: aggregate.final_function.as_deref().map(resolve),
        final_function_extra: aggregate.final_function_extra,
        combine_function: aggregate.combine_function.as_deref().map(resolve),
        serial_function: aggregate.serial_function.as_deref().map(resolve),
        deserial_function: aggregate.deserial_function.as_deref().map(resolve),
    };
    FunctionDef {
        owner: aggregate.owner.clone(),
        kind: RoutineKind::Aggregate,
        args: aggregate
            .args
            .iter()
            .map(|ty| ArgDef {
                name: String::new(),
                ty: render_type(ty, schema_name),
                default: None,
                mode: None,
            })
            .collect(),
        returns: String::new(),
        language: "internal".to_string(),
        volatility: Volatility::Volatile,
        security_definer: false,
        strict: false,
        parallel: aggregate.parallel.map(parallel_sql),
        set: Vec::new(),
        body: String::new(),
        comment: aggregate.comment.clone(),
        grants: grants(&aggregate.grants),
        declared_deps: Vec::new(),
        aggregate: Some(def),
    }
}
