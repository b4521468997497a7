//! An aggregate as the model writes it: argument and state types in the model's spelling,
//! support functions by the shortest name that builds back to the same function.

use crate::catalog::{FunctionDef, QName, RoutineId};
use crate::model::{Aggregate, ParallelSafety};

use super::model::{Extra, Writer, grants};

pub(super) fn aggregate(
    w: &mut Writer,
    extra: &Extra,
    id: &RoutineId,
    f: &FunctionDef,
) -> Aggregate {
    let object = format!("aggregate {id}");
    let q = &id.name;
    let Some(def) = &f.aggregate else {
        w.refuse(&object, "no state function or state type was read");
        return Aggregate::default();
    };
    let args = f
        .args
        .iter()
        .map(|a| w.model_type(&format!("{object} argument"), &a.ty, &q.schema))
        .collect();
    let state_type = w.model_type(&format!("{object} state"), &def.state_type, &q.schema);
    let catalog = w.catalog;
    let name = |support: &QName| support_name(catalog, q, support);
    Aggregate {
        owner: w.owner(&object, &f.owner, extra),
        args,
        state_function: name(&def.state_function),
        state_type,
        initial_condition: def.initial_condition.clone(),
        final_function: def.final_function.as_ref().map(name),
        final_function_extra: def.final_function_extra,
        combine_function: def.combine_function.as_ref().map(name),
        serial_function: def.serial_function.as_ref().map(name),
        deserial_function: def.deserial_function.as_ref().map(name),
        parallel: parallel(w, &object, f.parallel.as_deref()),
        comment: f.comment.clone(),
        grants: grants(w, extra, &object, &f.grants),
    }
}

/// PARALLEL as the model writes it.
pub(super) fn parallel(w: &mut Writer, object: &str, code: Option<&str>) -> Option<ParallelSafety> {
    match code {
        None => None,
        Some("SAFE") => Some(ParallelSafety::Safe),
        Some("RESTRICTED") => Some(ParallelSafety::Restricted),
        Some("UNSAFE") => Some(ParallelSafety::Unsafe),
        Some(other) => {
            w.refuse(object, format!("parallel safety `{other}`"));
            None
        }
    }
}

/// A bare name means the aggregate's schema's function when the model has one, else
/// PostgreSQL's own (`pg_catalog`); anything else is written with its schema.
fn support_name(catalog: &crate::catalog::Catalog, aggregate: &QName, support: &QName) -> String {
    let own = QName::new(&aggregate.schema, &support.name);
    let bare_is_own = catalog.has_routine_named(&own);
    let bare = if support.schema == "pg_catalog" {
        !bare_is_own
    } else {
        support.schema == aggregate.schema && bare_is_own
    };
    if bare {
        support.name.clone()
    } else {
        format!("{}.{}", support.schema, support.name)
    }
}
