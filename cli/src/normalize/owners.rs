//! Owners in a normalized catalog: the model's, whatever the scratch database made of them.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, QName};

/// `normalized` with the model's owners: role names need no server to normalize, and a
/// scratch database's owner (against which introspection writes `None`) need not be the
/// target's.
pub fn with_owners(mut normalized: Catalog, model: &Catalog) -> Catalog {
    fn copy<D>(
        into: &mut BTreeMap<QName, D>,
        from: &BTreeMap<QName, D>,
        owner: impl Fn(&mut D) -> &mut Option<String>,
        model_owner: impl Fn(&D) -> &Option<String>,
    ) {
        for (q, def) in into.iter_mut() {
            if let Some(m) = from.get(q) {
                *owner(def) = model_owner(m).clone();
            }
        }
    }
    copy(
        &mut normalized.enums,
        &model.enums,
        |d| &mut d.owner,
        |d| &d.owner,
    );
    copy(
        &mut normalized.domains,
        &model.domains,
        |d| &mut d.owner,
        |d| &d.owner,
    );
    copy(
        &mut normalized.composite_types,
        &model.composite_types,
        |d| &mut d.owner,
        |d| &d.owner,
    );
    copy(
        &mut normalized.sequences,
        &model.sequences,
        |d| &mut d.owner,
        |d| &d.owner,
    );
    copy(
        &mut normalized.tables,
        &model.tables,
        |d| &mut d.owner,
        |d| &d.owner,
    );
    copy(
        &mut normalized.views,
        &model.views,
        |d| &mut d.owner,
        |d| &d.owner,
    );
    copy(
        &mut normalized.functions,
        &model.functions,
        |d| &mut d.owner,
        |d| &d.owner,
    );
    // The database owner the objects' `None` stands for is the model's (the target's
    // when the model names none), never the scratch database's.
    normalized.database.owner = model.database.owner.clone();
    normalized
}
