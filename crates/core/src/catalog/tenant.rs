//! One schema of a catalog under another name: what a fleet's schema target should hold
//! when the model's tenant schema is rolled out to it.
//!
//! Only typed names move: map keys, foreign key targets, trigger functions, declared
//! dependencies, an aggregate's support functions, and a column, argument, result,
//! aggregate state or domain base type that is exactly one
//! of the schema's enums or domains (or an array of one). SQL text (view bodies, defaults, checks) is never
//! rewritten: both sides of a fleet plan are described with the tenant schema first on
//! the search path, so PostgreSQL prints the tenant's own names unqualified in both.

use std::collections::BTreeMap;

use super::{Catalog, QName, RoutineId};
use crate::diff::Hints;

impl Catalog {
    /// The objects of schema `from`, moved to schema `to`, with the database-wide parts
    /// (roles, extensions, the database) kept. Other schemas are left out: a schema
    /// target holds only the tenant part.
    pub fn tenant(&self, from: &str, to: &str) -> Catalog {
        let rename = Rename {
            from,
            to,
            types: self
                .enums
                .keys()
                .chain(self.domains.keys())
                .chain(self.composite_types.keys())
                .filter(|q| q.schema == from)
                .cloned()
                .collect(),
        };
        let mut out = Catalog {
            database: self.database.clone(),
            roles: self.roles.clone(),
            extensions: self.extensions.clone(),
            ..Catalog::default()
        };
        if let Some(schema) = self.schemas.get(from) {
            out.schemas.insert(to.to_string(), schema.clone());
        }
        out.enums = rename.keys(&self.enums);
        out.domains = rename.keys(&self.domains);
        for domain in out.domains.values_mut() {
            domain.base = rename.ty(&domain.base);
        }
        out.composite_types = rename.keys(&self.composite_types);
        for composite in out.composite_types.values_mut() {
            for attribute in &mut composite.attributes {
                attribute.ty = rename.ty(&attribute.ty);
            }
        }
        // An owner is a table of the sequence's own schema, named without it: it moves along.
        out.sequences = rename.keys(&self.sequences);
        out.tables = rename.keys(&self.tables);
        for table in out.tables.values_mut() {
            for column in &mut table.columns {
                column.ty = rename.ty(&column.ty);
            }
            for fk in &mut table.foreign_keys {
                fk.references = rename.qname(&fk.references);
            }
            for trigger in &mut table.triggers {
                trigger.function = trigger.function.as_ref().map(|f| rename.qname(f));
            }
        }
        out.views = rename.keys(&self.views);
        for view in out.views.values_mut() {
            view.declared_deps = view.declared_deps.iter().map(|q| rename.qname(q)).collect();
        }
        let functions = self
            .functions
            .iter()
            .filter(|(id, _)| id.name.schema == rename.from);
        for (id, function) in functions {
            let mut function = function.clone();
            function.returns = rename.ty(&function.returns);
            for arg in &mut function.args {
                arg.ty = rename.ty(&arg.ty);
            }
            function.declared_deps = function
                .declared_deps
                .iter()
                .map(|q| rename.qname(q))
                .collect();
            if let Some(aggregate) = &mut function.aggregate {
                aggregate.state_type = rename.ty(&aggregate.state_type);
                for support in [
                    Some(&mut aggregate.state_function),
                    aggregate.final_function.as_mut(),
                    aggregate.combine_function.as_mut(),
                    aggregate.serial_function.as_mut(),
                    aggregate.deserial_function.as_mut(),
                ]
                .into_iter()
                .flatten()
                {
                    *support = rename.qname(support);
                }
            }
            // The identity follows the argument types, which name the schema's types.
            let id = RoutineId::new(rename.qname(&id.name), &function);
            out.functions.insert(id, function);
        }
        out
    }
}

impl Hints {
    /// The hints of schema `from`'s tables, for the same tables in schema `to`.
    pub fn tenant(&self, from: &str, to: &str) -> Hints {
        let moved = |q: &QName| (q.schema == from).then(|| QName::new(to, &q.name));
        Hints {
            tables: self
                .tables
                .iter()
                .filter_map(|(q, old)| Some((moved(q)?, old.clone())))
                .collect(),
            columns: self
                .columns
                .iter()
                .filter_map(|((q, c), old)| Some(((moved(q)?, c.clone()), old.clone())))
                .collect(),
            using: self
                .using
                .iter()
                .filter_map(|((q, c), sql)| Some(((moved(q)?, c.clone()), sql.clone())))
                .collect(),
            // Roles are cluster-wide: a tenant never manages them.
            exclusive_roles: false,
        }
    }
}

struct Rename<'a> {
    from: &'a str,
    to: &'a str,
    /// The schema's enums and domains.
    types: Vec<QName>,
}

impl Rename<'_> {
    fn qname(&self, q: &QName) -> QName {
        if q.schema == self.from {
            QName::new(self.to, &q.name)
        } else {
            q.clone()
        }
    }

    fn keys<T: Clone>(&self, map: &BTreeMap<QName, T>) -> BTreeMap<QName, T> {
        map.iter()
            .filter(|(q, _)| q.schema == self.from)
            .map(|(q, v)| (self.qname(q), v.clone()))
            .collect()
    }

    /// A type written as one of the schema's enums or domains, qualified (the model's spelling), or
    /// an array of one; any other type text stays as it is.
    fn ty(&self, ty: &str) -> String {
        let (base, array) = match ty.strip_suffix("[]") {
            Some(base) => (base, "[]"),
            None => (ty, ""),
        };
        match self.types.iter().find(|q| q.sql() == base) {
            Some(q) => format!("{}{array}", self.qname(q).sql()),
            None => ty.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ColumnDef, EnumDef, ForeignKeyDef, SchemaDef, TableDef};
    use schemactl_model::FkAction;

    fn column(name: &str, ty: &str) -> ColumnDef {
        ColumnDef {
            name: name.into(),
            ty: ty.into(),
            serial: None,
            nullable: true,
            default: None,
            generated: None,
            identity: None,
            identity_options: None,
            comment: None,
            collation: None,
        }
    }

    #[test]
    fn moves_the_tenant_schema_and_leaves_the_shared_one() {
        let mut catalog = Catalog::default();
        catalog
            .schemas
            .insert("tenant".into(), SchemaDef::default());
        catalog
            .schemas
            .insert("shared".into(), SchemaDef::default());
        let status = QName::new("tenant", "status");
        catalog.enums.insert(
            status.clone(),
            EnumDef {
                owner: None,
                values: vec!["open".into()],
                comment: None,
            },
        );
        let orders = TableDef {
            columns: vec![
                column("state", &status.sql()),
                column("states", &format!("{}[]", status.sql())),
                column("plan", "shared.plan"),
            ],
            foreign_keys: vec![
                ForeignKeyDef {
                    name: "orders_customer_fkey".into(),
                    columns: vec!["customer".into()],
                    references: QName::new("tenant", "customers"),
                    referenced_columns: vec!["id".into()],
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: false,
                    initially_deferred: false,
                },
                ForeignKeyDef {
                    name: "orders_country_fkey".into(),
                    columns: vec!["country".into()],
                    references: QName::new("shared", "countries"),
                    referenced_columns: vec!["code".into()],
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: false,
                    initially_deferred: false,
                },
            ],
            ..TableDef::default()
        };
        catalog
            .tables
            .insert(QName::new("tenant", "orders"), orders);
        catalog
            .tables
            .insert(QName::new("shared", "countries"), TableDef::default());

        let acme = catalog.tenant("tenant", "acme");
        assert_eq!(acme.schemas.keys().collect::<Vec<_>>(), ["acme"]);
        assert!(acme.enums.contains_key(&QName::new("acme", "status")));
        let table = &acme.tables[&QName::new("acme", "orders")];
        assert_eq!(
            acme.tables.len(),
            1,
            "the shared schema is not the tenant's"
        );
        assert_eq!(table.columns[0].ty, "acme.status");
        assert_eq!(table.columns[1].ty, "acme.status[]");
        assert_eq!(table.columns[2].ty, "shared.plan");
        assert_eq!(
            table.foreign_keys[0].references,
            QName::new("acme", "customers")
        );
        assert_eq!(
            table.foreign_keys[1].references,
            QName::new("shared", "countries")
        );
    }
}
