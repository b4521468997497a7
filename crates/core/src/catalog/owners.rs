//! The objects of a catalog that have an owner of their own, one kind per map: the one
//! place that lists them, for normalization, the differ, the renderer and introspection.

use std::collections::BTreeMap;

use super::{
    Catalog, CompositeTypeDef, DomainDef, EnumDef, FunctionDef, QName, RoutineId, SequenceDef,
    TableDef, ViewDef,
};

/// How the catalog keys an object with an owner: by name, or a routine by its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogKey<'a> {
    Name(&'a QName),
    Routine(&'a RoutineId),
}

impl CatalogKey<'_> {
    /// The object's schema-qualified name (a routine's without its argument types).
    pub fn name(&self) -> &QName {
        match self {
            CatalogKey::Name(q) => q,
            CatalogKey::Routine(id) => &id.name,
        }
    }
}

/// A key of one of the catalog's maps.
trait MapKey {
    fn object_key(&self) -> CatalogKey<'_>;
}

impl MapKey for QName {
    fn object_key(&self) -> CatalogKey<'_> {
        CatalogKey::Name(self)
    }
}

impl MapKey for RoutineId {
    fn object_key(&self) -> CatalogKey<'_> {
        CatalogKey::Routine(self)
    }
}

/// A kind of object with an owner of its own: a map of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnedKind {
    Enum,
    Domain,
    CompositeType,
    Sequence,
    Table,
    View,
    Function,
}

impl OwnedKind {
    pub const ALL: [OwnedKind; 7] = [
        OwnedKind::Enum,
        OwnedKind::Domain,
        OwnedKind::CompositeType,
        OwnedKind::Sequence,
        OwnedKind::Table,
        OwnedKind::View,
        OwnedKind::Function,
    ];
}

/// A definition with an owner slot (`None`: the database owner).
trait Owned {
    fn owner(&self) -> &Option<String>;
    fn owner_mut(&mut self) -> &mut Option<String>;
}

macro_rules! owned {
    ($($def:ty),*) => {$(
        impl Owned for $def {
            fn owner(&self) -> &Option<String> {
                &self.owner
            }
            fn owner_mut(&mut self) -> &mut Option<String> {
                &mut self.owner
            }
        }
    )*};
}

owned!(
    EnumDef,
    DomainDef,
    CompositeTypeDef,
    SequenceDef,
    TableDef,
    ViewDef,
    FunctionDef
);

fn slots<K: MapKey, D: Owned>(map: &BTreeMap<K, D>) -> Vec<(CatalogKey<'_>, &Option<String>)> {
    map.iter()
        .map(|(k, d)| (k.object_key(), d.owner()))
        .collect()
}

fn slots_mut<K: MapKey, D: Owned>(
    map: &mut BTreeMap<K, D>,
) -> Vec<(CatalogKey<'_>, &mut Option<String>)> {
    map.iter_mut()
        .map(|(k, d)| (k.object_key(), d.owner_mut()))
        .collect()
}

impl Catalog {
    /// The objects of one kind with their owners.
    pub fn owners(&self, kind: OwnedKind) -> Vec<(CatalogKey<'_>, &Option<String>)> {
        match kind {
            OwnedKind::Enum => slots(&self.enums),
            OwnedKind::Domain => slots(&self.domains),
            OwnedKind::CompositeType => slots(&self.composite_types),
            OwnedKind::Sequence => slots(&self.sequences),
            OwnedKind::Table => slots(&self.tables),
            OwnedKind::View => slots(&self.views),
            OwnedKind::Function => slots(&self.functions),
        }
    }

    /// [`Catalog::owners`], to change them.
    pub fn owners_mut(&mut self, kind: OwnedKind) -> Vec<(CatalogKey<'_>, &mut Option<String>)> {
        match kind {
            OwnedKind::Enum => slots_mut(&mut self.enums),
            OwnedKind::Domain => slots_mut(&mut self.domains),
            OwnedKind::CompositeType => slots_mut(&mut self.composite_types),
            OwnedKind::Sequence => slots_mut(&mut self.sequences),
            OwnedKind::Table => slots_mut(&mut self.tables),
            OwnedKind::View => slots_mut(&mut self.views),
            OwnedKind::Function => slots_mut(&mut self.functions),
        }
    }

    /// The owner of the object of `kind` under `key`; `None` when the catalog has no such
    /// object.
    pub fn owner(&self, kind: OwnedKind, key: CatalogKey<'_>) -> Option<&Option<String>> {
        let q = match (kind, key) {
            (OwnedKind::Function, CatalogKey::Routine(id)) => {
                return self.functions.get(id).map(Owned::owner);
            }
            (OwnedKind::Function, CatalogKey::Name(_)) | (_, CatalogKey::Routine(_)) => {
                return None;
            }
            (_, CatalogKey::Name(q)) => q,
        };
        match kind {
            OwnedKind::Enum => self.enums.get(q).map(Owned::owner),
            OwnedKind::Domain => self.domains.get(q).map(Owned::owner),
            OwnedKind::CompositeType => self.composite_types.get(q).map(Owned::owner),
            OwnedKind::Sequence => self.sequences.get(q).map(Owned::owner),
            OwnedKind::Table => self.tables.get(q).map(Owned::owner),
            OwnedKind::View => self.views.get(q).map(Owned::owner),
            OwnedKind::Function => None,
        }
    }

    /// The owners the catalog's objects name (the database owner is `None` once
    /// [`normalize_owners`] ran).
    pub fn object_owners(&self) -> impl Iterator<Item = &String> {
        OwnedKind::ALL
            .into_iter()
            .flat_map(|kind| self.owners(kind))
            .filter_map(|(_, owner)| owner.as_ref())
    }
}

/// Owners as the catalog compares them: `None` for the database owner, and a sequence
/// owned by a column with its table's owner (PostgreSQL keeps the two equal: `ALTER TABLE
/// … OWNER` moves the table's sequences along, and `OWNED BY` needs them equal).
pub fn normalize_owners(catalog: &mut Catalog) {
    let database_owner = catalog.database.owner.clone();
    for kind in OwnedKind::ALL {
        for (_, owner) in catalog.owners_mut(kind) {
            if owner.is_some() && *owner == database_owner {
                *owner = None;
            }
        }
    }
    for (q, sequence) in &mut catalog.sequences {
        if let Some(column) = &sequence.owned_by {
            let table = QName::new(&q.schema, &column.table);
            if let Some(table) = catalog.tables.get(&table) {
                sequence.owner = table.owner.clone();
            }
        }
    }
}
