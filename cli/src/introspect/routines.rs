//! Enums, domains, composite types, sequences, functions, procedures and aggregates.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{QueryResult, Value};

use super::parse::function_defaults;
use super::{Session, get};
use crate::catalog::{
    AggregateDef, ArgDef, AttributeDef, Catalog, CompositeTypeDef, DomainDef, EnumDef, FunctionDef,
    QName, RoutineId, RoutineKind, SequenceDef, SequenceOwner,
};
use crate::model::{SequenceOptions, SequenceType, Volatility};

const ENUMS: &str = include_str!("enums.sql");
const DOMAINS: &str = include_str!("domains.sql");
const COMPOSITE_TYPES: &str = include_str!("composite_types.sql");
const SEQUENCES: &str = include_str!("sequences.sql");
const FUNCTIONS: &str = include_str!("functions.sql");

pub(super) async fn enums(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(ENUMS, vec![schemas.clone()]).await? {
        catalog.enums.insert(
            QName::new(
                get::<String>(&row, "schema_name")?,
                get::<String>(&row, "name")?,
            ),
            EnumDef {
                owner: get(&row, "owner")?,
                values: get(&row, "labels")?,
                comment: get(&row, "comment")?,
            },
        );
    }
    Ok(())
}

pub(super) async fn domains(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(DOMAINS, vec![schemas.clone()]).await? {
        let names: Vec<String> = get(&row, "check_names")?;
        let expressions: Vec<String> = get(&row, "check_exprs")?;
        catalog.domains.insert(
            QName::new(
                get::<String>(&row, "schema_name")?,
                get::<String>(&row, "name")?,
            ),
            DomainDef {
                owner: get(&row, "owner")?,
                base: get(&row, "base")?,
                not_null: get(&row, "not_null")?,
                default: get(&row, "default_expr")?,
                collation: get(&row, "collation")?,
                checks: names.into_iter().zip(expressions).collect(),
                comment: get(&row, "comment")?,
            },
        );
    }
    Ok(())
}

pub(super) async fn composite_types(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(COMPOSITE_TYPES, vec![schemas.clone()]).await? {
        let names: Vec<String> = get(&row, "attribute_names")?;
        let types: Vec<String> = get(&row, "attribute_types")?;
        let collations: Vec<String> = get(&row, "attribute_collations")?;
        let attributes = names
            .into_iter()
            .zip(types)
            .zip(collations)
            .map(|((name, ty), collation)| AttributeDef {
                name,
                ty,
                collation: (!collation.is_empty()).then_some(collation),
            })
            .collect();
        catalog.composite_types.insert(
            QName::new(
                get::<String>(&row, "schema_name")?,
                get::<String>(&row, "name")?,
            ),
            CompositeTypeDef {
                owner: get(&row, "owner")?,
                attributes,
                comment: get(&row, "comment")?,
            },
        );
    }
    Ok(())
}

pub(super) async fn sequences(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(SEQUENCES, vec![schemas.clone()]).await? {
        let q = QName::new(
            get::<String>(&row, "schema_name")?,
            get::<String>(&row, "name")?,
        );
        let type_name: String = get(&row, "data_type")?;
        let data_type = SequenceType::parse(&type_name)
            .ok_or_else(|| anyhow::anyhow!("sequence {q}: unknown sequence type `{type_name}`"))?;
        let table: Option<String> = get(&row, "owned_by_table")?;
        let column: Option<String> = get(&row, "owned_by_column")?;
        let owned_by = table
            .zip(column)
            .map(|(table, column)| SequenceOwner { table, column });
        let def = SequenceDef {
            owner: get(&row, "owner")?,
            options: SequenceOptions {
                data_type,
                start: get(&row, "start")?,
                increment: get(&row, "increment")?,
                min_value: get(&row, "min_value")?,
                max_value: get(&row, "max_value")?,
                cache: get(&row, "cache")?,
                cycle: get(&row, "cycle")?,
            },
            owned_by,
            comment: get(&row, "comment")?,
            grants: Vec::new(),
        };
        catalog.sequences.insert(q, def);
    }
    Ok(())
}

/// Reads the functions and returns their oids, by which grants name them. Their owners,
/// which the catalog does not record, go to `owners`.
pub(super) async fn functions(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
    owners: &mut BTreeSet<String>,
) -> anyhow::Result<BTreeMap<i64, RoutineId>> {
    let mut oids = BTreeMap::new();
    for row in session.rows(FUNCTIONS, vec![schemas.clone()]).await? {
        let owner: String = get(&row, "owner")?;
        owners.insert(owner.clone());
        let q = QName::new(
            get::<String>(&row, "schema_name")?,
            get::<String>(&row, "name")?,
        );
        let def = function(&row, &q, owner)?;
        let id = RoutineId::new(q, &def);
        // PostgreSQL keeps one routine per name and input argument types; the identity
        // reads those types as format_type prints them, so two are never alike.
        anyhow::ensure!(
            !catalog.functions.contains_key(&id),
            "routine {id} is read twice: its argument types lose what told them apart"
        );
        catalog.functions.insert(id.clone(), def);
        oids.insert(get(&row, "oid")?, id);
    }
    Ok(oids)
}

fn function(row: &QueryResult, q: &QName, owner: String) -> anyhow::Result<FunctionDef> {
    let kind = match get::<String>(row, "kind")?.as_str() {
        "f" => RoutineKind::Function,
        "p" => RoutineKind::Procedure,
        "a" => RoutineKind::Aggregate,
        other => anyhow::bail!("routine {q}: unknown kind `{other}` (prokind)"),
    };
    let args = arguments(row, q, kind)?;
    let parallel = parallel(q, &get::<String>(row, "parallel")?)?;
    let config: Vec<String> = get(row, "config")?;
    let aggregate = match kind {
        RoutineKind::Aggregate => Some(aggregate(row, q)?),
        _ => None,
    };
    // An aggregate's result follows from its support functions, and it has no
    // volatility or strictness of its own to declare: the model gives none.
    let (returns, volatility, strict) = match kind {
        RoutineKind::Aggregate => (String::new(), Volatility::Volatile, false),
        // The result is NULL for a procedure.
        _ => (
            get::<Option<String>>(row, "result")?.unwrap_or_default(),
            volatility(q, &get::<String>(row, "volatility")?)?,
            get(row, "strict")?,
        ),
    };
    Ok(FunctionDef {
        owner: Some(owner),
        kind,
        args,
        returns,
        language: get::<String>(row, "language")?.to_ascii_lowercase(),
        volatility,
        security_definer: get(row, "security_definer")?,
        strict,
        parallel: parallel.map(str::to_string),
        set: config
            .iter()
            .map(|c| match c.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (c.clone(), String::new()),
            })
            .collect(),
        body: get(row, "body")?,
        comment: get(row, "comment")?,
        grants: Vec::new(),
        declared_deps: Vec::new(),
        aggregate,
    })
}

/// An aggregate's state and support functions (`pg_aggregate`).
fn aggregate(row: &QueryResult, q: &QName) -> anyhow::Result<AggregateDef> {
    let schemas: Vec<String> = get(row, "support_schemas")?;
    let names: Vec<String> = get(row, "support_names")?;
    let mut support = schemas
        .into_iter()
        .zip(names)
        .map(|(schema, name)| (!name.is_empty()).then(|| QName::new(schema, name)));
    let mut next = || support.next().flatten();
    let state_function =
        next().ok_or_else(|| anyhow::anyhow!("aggregate {q}: no state transition function"))?;
    Ok(AggregateDef {
        state_function,
        final_function: next(),
        combine_function: next(),
        serial_function: next(),
        deserial_function: next(),
        state_type: get::<Option<String>>(row, "state_type")?
            .ok_or_else(|| anyhow::anyhow!("aggregate {q}: no state type"))?,
        initial_condition: get(row, "initial_condition")?,
        final_function_extra: get(row, "final_extra")?,
    })
}

/// `provolatile`; a code this build does not know is an error naming the function.
fn volatility(q: &QName, code: &str) -> anyhow::Result<Volatility> {
    Ok(match code {
        "i" => Volatility::Immutable,
        "s" => Volatility::Stable,
        "v" => Volatility::Volatile,
        other => anyhow::bail!("function {q}: unknown volatility `{other}` (provolatile)"),
    })
}

/// `proparallel`; UNSAFE, the default, reads as `None` (the model leaves it unsaid).
fn parallel(q: &QName, code: &str) -> anyhow::Result<Option<&'static str>> {
    Ok(match code {
        "s" => Some("SAFE"),
        "r" => Some("RESTRICTED"),
        "u" => None,
        other => anyhow::bail!("function {q}: unknown parallel safety `{other}` (proparallel)"),
    })
}

/// The arguments as the model writes them: TABLE columns belong to the result, IN is the
/// unsaid default mode.
fn arguments(row: &QueryResult, q: &QName, kind: RoutineKind) -> anyhow::Result<Vec<ArgDef>> {
    let names: Vec<String> = get(row, "arg_names")?;
    let quoted: Vec<String> = get(row, "quoted_names")?;
    let types: Vec<String> = get(row, "arg_types")?;
    let modes: Vec<String> = get(row, "arg_modes")?;
    let mut args = Vec::new();
    let mut prefixes = Vec::new();
    for (i, ty) in types.iter().enumerate() {
        let mode = match modes.get(i).map(String::as_str) {
            None | Some("i") => None,
            Some("o") => Some("OUT"),
            Some("b") => Some("INOUT"),
            Some("v") => Some("VARIADIC"),
            Some("t") => continue,
            Some(other) => anyhow::bail!("function {q}: unknown argument mode `{other}`"),
        };
        let name = names.get(i).cloned().unwrap_or_default();
        // How pg_get_function_arguments prints the argument, up to its default: it spells
        // out IN for a procedure's argument.
        let printed_mode = match (mode, kind) {
            (None, RoutineKind::Procedure) => Some("IN"),
            _ => mode,
        };
        let mut prefix = printed_mode.map(|m| format!("{m} ")).unwrap_or_default();
        if !name.is_empty() {
            prefix.push_str(quoted.get(i).map(String::as_str).unwrap_or(&name));
            prefix.push(' ');
        }
        prefix.push_str(ty);
        prefixes.push(prefix);
        args.push(ArgDef {
            name,
            ty: ty.clone(),
            default: None,
            mode: mode.map(str::to_string),
        });
    }
    if get::<i32>(row, "default_count")? > 0 {
        let text: String = get(row, "arguments")?;
        match function_defaults(&text, &prefixes) {
            Some(defaults) => {
                for (arg, default) in args.iter_mut().zip(defaults) {
                    arg.default = default;
                }
            }
            None => anyhow::bail!("function {q}: cannot read argument defaults from `{text}`"),
        }
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_errors_naming_the_function_and_the_value() {
        let q = QName::new("shop", "total");
        assert_eq!(volatility(&q, "s").ok(), Some(Volatility::Stable));
        assert_eq!(parallel(&q, "u").ok(), Some(None));
        let err = volatility(&q, "x").map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err,
            "function shop.total: unknown volatility `x` (provolatile)"
        );
        let err = parallel(&q, "?").map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err,
            "function shop.total: unknown parallel safety `?` (proparallel)"
        );
    }
}
