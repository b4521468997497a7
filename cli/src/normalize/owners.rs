//! Owners in a normalized catalog: the model's, whatever the scratch database made of them.

use crate::catalog::{Catalog, OwnedKind};

/// `normalized` with the model's owners: role names need no server to normalize, and a
/// scratch database's owner (against which introspection writes `None`) need not be the
/// target's.
pub fn with_owners(mut normalized: Catalog, model: &Catalog) -> Catalog {
    for kind in OwnedKind::ALL {
        for (q, owner) in normalized.owners_mut(kind) {
            if let Some(wanted) = model.owner(kind, q) {
                owner.clone_from(wanted);
            }
        }
    }
    // The database owner the objects' `None` stands for is the model's (the target's
    // when the model names none), never the scratch database's.
    normalized.database.owner = model.database.owner.clone();
    normalized
}
