//! Catalog tables → model tables: columns, keys, constraints, indexes, partitions,
//! row-level security and triggers.

use indexmap::IndexMap;
use serde_json::Value;

use crate::catalog::{
    ColumnDef, Deferral, ExclusionDef, ForeignKeyDef, IndexDef, PartitionDef, QName, RoutineId,
    TableDef,
};
use crate::model::partitions::Bound;
use crate::model::types::SerialKind;
use crate::model::{
    Check, Column, Exclusion, ExclusionElement, FkAction, ForeignKey, IdentityOptions, Index,
    IndexColumn, IndexMethod, PartitionBound, PartitionBy, Partitions, Policy, References,
    RowLevelSecurity, Table, Trigger, UniqueConstraint,
};

use super::model::{Extra, Writer, grants};

pub(super) fn table(w: &mut Writer, extra: &Extra, q: &QName, t: &TableDef) -> Table {
    let object = format!("table {q}");
    let pk = t.primary_key.as_ref();
    let single_pk = pk.filter(|k| k.columns.len() == 1);
    let mut table = Table {
        owner: w.owner(&object, &t.owner, extra),
        comment: t.comment.clone(),
        unlogged: t.unlogged,
        with_params: storage_values(&t.with),
        ..Default::default()
    };
    for c in &t.columns {
        let column = column(
            w,
            q,
            t,
            c,
            single_pk.is_some_and(|k| k.columns[0] == c.name),
        );
        table.columns.insert(c.name.clone(), column);
    }
    if let Some(key) = pk {
        if key.columns.len() > 1 {
            table.primary_key = key.columns.clone();
        }
        if key.name != format!("{}_pkey", q.name) {
            table.primary_key_name = Some(key.name.clone());
        }
        table.primary_key_deferrable = key.deferral.deferrable();
        table.primary_key_initially_deferred = key.deferral == Deferral::InitiallyDeferred;
        table.primary_key_include = key.index.include.clone();
        table.primary_key_with = storage_values(&key.index.with);
    }
    uniques_and_checks(q, t, &mut table);
    table.exclusions = t
        .exclusions
        .iter()
        .map(|x| (x.name.clone(), exclusion(x)))
        .collect();
    for fk in &t.foreign_keys {
        foreign_key(w, q, fk, &mut table);
    }
    table.indexes = t
        .indexes
        .iter()
        .map(|i| (i.name.clone(), index(w, q, Some(t), i)))
        .collect();
    partitioning(w, q, t, &mut table);
    table.row_level_security = row_level_security(w, extra, q, t);
    triggers(w, q, t, &mut table);
    table.grants = grants(w, extra, &object, &t.grants);
    table
}

/// Unique and check constraints: on the column when the build names them the same.
fn uniques_and_checks(q: &QName, t: &TableDef, table: &mut Table) {
    for u in &t.uniques {
        let inline = match u.columns.as_slice() {
            [c] if !u.nulls_not_distinct
                && u.deferral == Deferral::Immediate
                && u.index.is_empty()
                && u.name == format!("{}_{c}_key", q.name) =>
            {
                Some(c)
            }
            _ => None,
        };
        match inline.and_then(|c| table.columns.get_mut(c)) {
            Some(column) => column.unique = true,
            None => {
                let long = u.nulls_not_distinct
                    || u.deferral != Deferral::Immediate
                    || !u.index.is_empty();
                let unique = if long {
                    UniqueConstraint::Full {
                        columns: u.columns.clone(),
                        nulls_not_distinct: u.nulls_not_distinct,
                        deferrable: u.deferral.deferrable(),
                        initially_deferred: u.deferral == Deferral::InitiallyDeferred,
                        include: u.index.include.clone(),
                        with_params: storage_values(&u.index.with),
                    }
                } else {
                    UniqueConstraint::Columns(u.columns.clone())
                };
                table.unique.insert(u.name.clone(), unique);
            }
        }
    }
    for check in &t.checks {
        let expression = crate::introspect::strip_outer_parens(&check.expression);
        let inline = t
            .columns
            .iter()
            .find(|c| check.name == format!("{}_{}_check", q.name, c.name))
            .filter(|_| !check.no_inherit);
        match inline.and_then(|c| table.columns.get_mut(&c.name)) {
            Some(column) => column.check = Some(expression),
            None => {
                let value = if check.no_inherit {
                    Check::Full {
                        expression,
                        no_inherit: true,
                    }
                } else {
                    Check::Expression(expression)
                };
                table.checks.insert(check.name.clone(), value);
            }
        }
    }
}

fn row_level_security(
    w: &mut Writer,
    extra: &Extra,
    q: &QName,
    t: &TableDef,
) -> Option<RowLevelSecurity> {
    if !(t.rls_enabled || t.rls_forced || !t.policies.is_empty()) {
        return None;
    }
    {
        let mut policies = IndexMap::new();
        for p in &t.policies {
            for role in &p.roles {
                w.role(&format!("policy {} on {q}", p.name), role, extra);
            }
            let policy = Policy {
                command: p.command,
                to: p.roles.clone(),
                using: p
                    .using
                    .as_deref()
                    .map(crate::introspect::strip_outer_parens),
                with_check: p
                    .with_check
                    .as_deref()
                    .map(crate::introspect::strip_outer_parens),
                restrictive: p.restrictive,
            };
            policies.insert(p.name.clone(), policy);
        }
        Some(RowLevelSecurity {
            enabled: t.rls_enabled,
            force: t.rls_forced,
            policies,
        })
    }
}

fn triggers(w: &mut Writer, q: &QName, t: &TableDef, table: &mut Table) {
    for tr in &t.triggers {
        let Some(function) = &tr.function else {
            w.refuse(format!("trigger {} on {q}", tr.name), "it runs no function");
            continue;
        };
        let trigger_object = format!("trigger {} on {q}", tr.name);
        if !w
            .catalog
            .functions
            .contains_key(&RoutineId::no_args(function))
        {
            w.refuse(
                &trigger_object,
                format!("its function {function} is not among the functions pulled"),
            );
        }
        let trigger = Trigger {
            timing: tr.timing,
            events: tr.events.clone(),
            update_of: tr.update_of.clone(),
            for_each: tr.level,
            function: Some(w.reference(&trigger_object, function, &q.schema)),
            body: None,
            args: tr.args.clone(),
            condition: tr
                .condition
                .as_deref()
                .map(crate::introspect::strip_outer_parens),
            comment: tr.comment.clone(),
        };
        table.triggers.insert(tr.name.clone(), trigger);
    }
}

fn column(w: &mut Writer, q: &QName, t: &TableDef, c: &ColumnDef, primary_key: bool) -> Column {
    let object = format!("column {q}.{}", c.name);
    let ty = match c.serial {
        Some(SerialKind::Small) => "smallserial".to_string(),
        Some(SerialKind::Regular) => "serial".to_string(),
        Some(SerialKind::Big) => "bigserial".to_string(),
        None => w.model_type(&object, &c.ty, &q.schema),
    };
    // PostgreSQL makes key, identity and serial columns NOT NULL whatever is written.
    let in_key = t
        .primary_key
        .as_ref()
        .is_some_and(|k| k.columns.contains(&c.name));
    let forced = in_key || c.serial.is_some() || c.identity.is_some();
    Column {
        ty,
        nullable: (!c.nullable && !forced).then_some(false),
        default: c.default.clone().map(Value::String),
        generated: c
            .generated
            .as_deref()
            .map(crate::introspect::strip_outer_parens),
        identity: c.identity,
        identity_options: c.identity_options.as_ref().map(IdentityOptions::written),
        primary_key,
        comment: c.comment.clone(),
        collation: c.collation.clone(),
        ..Default::default()
    }
}

fn foreign_key(w: &mut Writer, q: &QName, fk: &ForeignKeyDef, table: &mut Table) {
    let object = format!("foreign key {} on {q}", fk.name);
    let target_pk = match w.catalog.tables.get(&fk.references) {
        Some(target) => target.primary_key.as_ref().map(|k| k.columns.clone()),
        None => {
            w.refuse(
                &object,
                format!(
                    "it references {}, which is not among the tables pulled (add its schema)",
                    fk.references
                ),
            );
            None
        }
    };
    let action = |a: FkAction| (a != FkAction::NoAction).then_some(a);
    let to_pk = target_pk.as_ref() == Some(&fk.referenced_columns);
    let target = w.reference(&object, &fk.references, &q.schema);
    if let [column] = fk.columns.as_slice()
        && fk.referenced_columns.len() == 1
        && let Some(c) = table.columns.get_mut(column)
        && fk.name == format!("{}_{column}_fkey", q.name)
    {
        c.references = Some(References {
            schema: (fk.references.schema != q.schema).then(|| fk.references.schema.clone()),
            table: fk.references.name.clone(),
            column: (!to_pk).then(|| fk.referenced_columns[0].clone()),
            on_delete: action(fk.on_delete),
            on_update: action(fk.on_update),
            name: None,
            deferrable: fk.deferrable,
            initially_deferred: fk.initially_deferred,
        });
        return;
    }
    table.foreign_keys.insert(
        fk.name.clone(),
        ForeignKey {
            columns: fk.columns.clone(),
            references: target,
            referenced_columns: if to_pk {
                Vec::new()
            } else {
                fk.referenced_columns.clone()
            },
            on_delete: action(fk.on_delete),
            on_update: action(fk.on_update),
            deferrable: fk.deferrable,
            initially_deferred: fk.initially_deferred,
        },
    );
}

/// An index of a table (`table` given) or of a materialized view.
pub(super) fn index(w: &mut Writer, q: &QName, table: Option<&TableDef>, i: &IndexDef) -> Index {
    let vector = matches!(i.method, IndexMethod::Hnsw | IndexMethod::Ivfflat);
    let columns = i
        .keys
        .iter()
        .map(|k| {
            let mut spec = k.spec();
            // The model asks for a vector index's operator class even when it is the
            // type's default, which the catalog leaves unsaid.
            if let (None, true, Some(c)) = (&spec.opclass, vector, &spec.column) {
                spec.opclass = default_vector_opclass(w, q, table, c, &i.name);
            }
            let plain = spec.expression.is_none()
                && spec.opclass.is_none()
                && spec.order.is_none()
                && spec.nulls.is_none()
                && spec.collate.is_none();
            match spec.column {
                Some(name) if plain => IndexColumn::Name(name),
                _ => IndexColumn::Spec(spec),
            }
        })
        .collect();
    Index {
        using: i.method,
        columns,
        unique: i.unique,
        predicate: i.predicate.clone(),
        include: i.include.clone(),
        with_params: storage_values(&i.with),
        nulls_not_distinct: i.nulls_not_distinct,
        comment: i.comment.clone(),
    }
}

fn exclusion(x: &ExclusionDef) -> Exclusion {
    Exclusion {
        using: x.method,
        elements: x
            .keys
            .iter()
            .zip(&x.operators)
            .map(|(key, operator)| {
                let spec = key.spec();
                ExclusionElement {
                    column: spec.column,
                    expression: spec.expression,
                    with: operator.clone(),
                    opclass: spec.opclass,
                    order: spec.order,
                    nulls: spec.nulls,
                    collate: spec.collate,
                }
            })
            .collect(),
        predicate: x.predicate.clone(),
        include: x.include.clone(),
        with_params: storage_values(&x.with),
        deferrable: x.deferral.deferrable(),
        initially_deferred: x.deferral == Deferral::InitiallyDeferred,
    }
}

fn default_vector_opclass(
    w: &mut Writer,
    q: &QName,
    table: Option<&TableDef>,
    column: &str,
    index: &str,
) -> Option<String> {
    let ty = table.and_then(|t| t.column(column)).map(|c| c.ty.as_str());
    let opclass = match ty {
        Some(t) if t.starts_with("vector") => "vector_l2_ops",
        Some(t) if t.starts_with("halfvec") => "halfvec_l2_ops",
        Some(t) if t.starts_with("sparsevec") => "sparsevec_l2_ops",
        _ => {
            w.refuse(
                format!("index {index} on {q}"),
                format!("cannot name the default operator class of `{column}`"),
            );
            return None;
        }
    };
    Some(opclass.to_string())
}

/// A storage parameter's catalog value (`16`, `'on'`) as the model writes it.
fn option_value(text: &str) -> Value {
    if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return Value::String(inner.replace("''", "'"));
    }
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => serde_json::from_str::<serde_json::Number>(text)
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(text.to_string())),
    }
}

fn partitioning(w: &mut Writer, q: &QName, t: &TableDef, table: &mut Table) {
    let Some(key) = &t.partition_by else {
        return;
    };
    let object = format!("table {q}");
    if key.columns.iter().any(|c| t.column(c).is_none()) {
        w.refuse(
            &object,
            format!(
                "its partition key `{}` is not a list of columns",
                key.columns.join(", ")
            ),
        );
    }
    let columns = key.columns.clone();
    table.partition_by = Some(match key.strategy.as_str() {
        "RANGE" => PartitionBy::Range(columns),
        "LIST" => PartitionBy::List(columns),
        "HASH" => PartitionBy::Hash(columns),
        other => {
            w.refuse(&object, format!("partition strategy `{other}`"));
            PartitionBy::Range(columns)
        }
    });
    let mut partitions = Partitions::default();
    for PartitionDef { name, bound } in &t.partitions {
        let object = format!("partition {}.{name} of {q}", q.schema);
        let bound = match bound {
            Bound::Default if *name == format!("{}_default", q.name) => {
                partitions.default = true;
                continue;
            }
            Bound::Default => {
                w.refuse(
                    &object,
                    format!(
                        "a default partition is named {}_default in the model",
                        q.name
                    ),
                );
                continue;
            }
            Bound::Range { from, to } => PartitionBound::Range {
                from: bound_values(w, &object, from),
                to: bound_values(w, &object, to),
            },
            Bound::List(values) => PartitionBound::List {
                values: bound_values(w, &object, values),
            },
            Bound::Hash { modulus, remainder } => PartitionBound::Hash {
                modulus: *modulus,
                remainder: *remainder,
            },
        };
        partitions.named.insert(name.clone(), bound);
    }
    if partitions.default || !partitions.named.is_empty() {
        table.partitions = Some(partitions);
    }
}

/// Bound values as the model writes them: strings unquoted (the model quotes them again),
/// MINVALUE and MAXVALUE and numbers as they are.
fn bound_values(w: &mut Writer, object: &str, values: &[String]) -> Vec<Value> {
    values
        .iter()
        .map(|v| {
            if let Some(inner) = v.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
                return Value::String(inner.replace("''", "'"));
            }
            match v.as_str() {
                "MINVALUE" | "MAXVALUE" => Value::String(v.clone()),
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "NULL" => Value::Null,
                _ => match serde_json::from_str::<serde_json::Number>(v) {
                    Ok(n) => Value::Number(n),
                    Err(_) => {
                        w.refuse(object, format!("bound value `{v}`"));
                        Value::String(v.clone())
                    }
                },
            }
        })
        .collect()
}

/// Storage parameters as the model writes them (numbers and booleans typed).
fn storage_values(params: &[(String, String)]) -> IndexMap<String, Value> {
    params
        .iter()
        .map(|(k, v)| (k.clone(), option_value(v)))
        .collect()
}
