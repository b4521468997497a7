//! Catalog → model: the inverse of `catalog::from_model`, written so that building the
//! pulled model gives back the catalog it came from (after the server normalizes both).
//!
//! Where the model has a short form and a long one (a column's `primary_key: true` or the
//! table's `primary_key`, `unique: true` or a named constraint), the short form is used
//! exactly when it builds the same name. What the model cannot write at all (a column
//! type it does not know, a foreign key to a schema not pulled) is returned as
//! [`Unwritable`] and the caller refuses to write the model.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::Value;

use crate::catalog::{
    Catalog, DefaultPrivilegeDef, FunctionDef, GrantDef, QName, RoutineId, RoutineKind, ViewDef,
};
use crate::model::{
    ArgMode, Attribute, CompositeType, Database, DefaultPrivilege, Domain, EnumSpec, EnumType,
    Function, FunctionArg, Grant, MaterializedView, Model, Overloads, Procedure, Role, Schema,
    View,
};

use super::tables;
use super::types::Types;

/// Something the model cannot write, whatever `--unmanaged` says: the object it belongs to
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unwritable {
    pub object: String,
    pub reason: String,
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.object, self.reason)
    }
}

/// What the catalog does not hold but the model writes.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub database_comment: Option<String>,
    /// Superusers among the roles read: the model has no way to declare one.
    pub superusers: BTreeSet<String>,
}

/// The conversion's running state: where problems go, and the model's types.
pub(super) struct Writer<'c> {
    pub catalog: &'c Catalog,
    pub types: Types<'c>,
    pub problems: Vec<Unwritable>,
    /// The role that creates the model's objects: the database owner.
    pub creator: Option<&'c str>,
}

impl Writer<'_> {
    pub fn refuse(&mut self, object: impl std::fmt::Display, reason: impl Into<String>) {
        self.problems.push(Unwritable {
            object: object.to_string(),
            reason: reason.into(),
        });
    }

    /// A type as the model writes it; a problem when the model cannot write it.
    pub fn model_type(&mut self, object: &str, ty: &str, schema: &str) -> String {
        match self.types.model_type(ty, schema) {
            Some(t) => t,
            None => {
                self.refuse(
                    object,
                    format!(
                        "type `{ty}` is not one the model can write (built-in types it knows, \
                         and enums, domains and composite types of the pulled schemas)"
                    ),
                );
                ty.to_string()
            }
        }
    }

    /// `name` in `schema`, or `other.name` from elsewhere, as the model references objects.
    pub fn reference(&mut self, object: &str, target: &QName, schema: &str) -> String {
        if target.schema.contains('.') || target.name.contains('.') {
            self.refuse(
                object,
                format!("`{target}` has a `.` in its name, which a model reference cannot write"),
            );
        }
        if target.schema == schema {
            target.name.clone()
        } else {
            format!("{}.{}", target.schema, target.name)
        }
    }

    /// An object's owner as the model writes it (`None`: the database owner).
    pub fn owner(&mut self, object: &str, owner: &Option<String>, extra: &Extra) -> Option<String> {
        if let Some(role) = owner {
            self.role(object, role, extra);
        }
        owner.clone()
    }

    /// A role named in the model: superusers cannot be declared.
    pub fn role(&mut self, object: &str, role: &str, extra: &Extra) {
        if extra.superusers.contains(role) {
            self.refuse(
                object,
                format!("role `{role}` is a superuser, which the model cannot declare"),
            );
        }
    }
}

/// The model of `catalog`, and what it could not write.
pub fn to_model(catalog: &Catalog, extra: &Extra) -> (Model, Vec<Unwritable>) {
    let owner = catalog.database.owner.as_deref();
    let mut w = Writer {
        catalog,
        types: Types::new(catalog),
        problems: Vec::new(),
        creator: owner,
    };
    let database = Database {
        name: catalog.database.name.clone(),
        // A superuser owner is the admin that provisions: leaving it unsaid keeps it.
        owner: owner
            .filter(|o| !extra.superusers.contains(*o))
            .map(str::to_string),
        encoding: catalog.database.encoding.clone(),
        locale: catalog.database.locale.clone(),
        comment: extra.database_comment.clone(),
        ..Default::default()
    };
    let roles = roles(catalog, extra);
    let mut schemas = IndexMap::new();
    for (name, def) in &catalog.schemas {
        let schema = schema(&mut w, extra, name, def);
        schemas.insert(name.clone(), schema);
    }
    let model = Model {
        include: Vec::new(),
        database,
        extensions: catalog.extensions.clone(),
        roles,
        schemas,
        unmanaged: Vec::new(),
        access_tests: Vec::new(),
    };
    let mut problems = w.problems;
    problems.sort();
    problems.dedup();
    (model, problems)
}

fn roles(catalog: &Catalog, extra: &Extra) -> IndexMap<String, Role> {
    catalog
        .roles
        .iter()
        .filter(|(name, _)| !name.starts_with("pg_") && !extra.superusers.contains(*name))
        .map(|(name, r)| {
            let role = Role {
                login: r.login,
                inherit: r.inherit,
                createdb: r.createdb,
                createrole: r.createrole,
                bypassrls: r.bypassrls,
                connection_limit: r.connection_limit,
                member_of: r.member_of.clone(),
                password_env: None,
                password: None,
                comment: r.comment.clone(),
            };
            (name.clone(), role)
        })
        .collect()
}

fn schema(w: &mut Writer, extra: &Extra, name: &str, def: &crate::catalog::SchemaDef) -> Schema {
    let catalog = w.catalog;
    let in_schema = |q: &QName| q.schema == name;
    // Without an owner a schema belongs to the role that creates it: the database owner.
    let owner = def.owner.clone().filter(|o| Some(o.as_str()) != w.creator);
    if let Some(o) = &owner {
        w.role(&format!("schema {name}"), o, extra);
    }
    let mut schema = Schema {
        owner,
        comment: def.comment.clone(),
        grants: grants(w, extra, &format!("schema {name}"), &def.grants),
        default_privileges: default_privileges(&def.default_privileges),
        ..Default::default()
    };
    for (q, e) in catalog.enums.iter().filter(|(q, _)| in_schema(q)) {
        let owner = w.owner(&format!("enum {q}"), &e.owner, extra);
        let labels = match (&e.comment, owner) {
            (None, None) => EnumType::Labels(e.values.clone()),
            (comment, owner) => EnumType::Full(EnumSpec {
                values: e.values.clone(),
                owner,
                comment: comment.clone(),
            }),
        };
        schema.enums.insert(q.name.clone(), labels);
    }
    for (q, d) in catalog.domains.iter().filter(|(q, _)| in_schema(q)) {
        let domain = Domain {
            owner: w.owner(&format!("domain {q}"), &d.owner, extra),
            ty: w.model_type(&format!("domain {q}"), &d.base, name),
            not_null: d.not_null,
            default: d.default.clone().map(Value::String),
            collation: d.collation.clone(),
            checks: d
                .checks
                .iter()
                .map(|(n, e)| (n.clone(), e.clone()))
                .collect(),
            comment: d.comment.clone(),
        };
        schema.domains.insert(q.name.clone(), domain);
    }
    for (q, c) in catalog.composite_types.iter().filter(|(q, _)| in_schema(q)) {
        let object = format!("composite type {q}");
        let attributes = c
            .attributes
            .iter()
            .map(|a| {
                let ty = w.model_type(&object, &a.ty, name);
                let spec = match &a.collation {
                    None => Attribute::Type(ty),
                    Some(collation) => Attribute::Full {
                        ty,
                        collation: Some(collation.clone()),
                    },
                };
                (a.name.clone(), spec)
            })
            .collect();
        let composite = CompositeType {
            owner: w.owner(&object, &c.owner, extra),
            attributes,
            comment: c.comment.clone(),
        };
        schema.composite_types.insert(q.name.clone(), composite);
    }
    for (q, s) in catalog.sequences.iter().filter(|(q, _)| in_schema(q)) {
        let sequence = super::sequences::sequence(w, extra, q, s);
        schema.sequences.insert(q.name.clone(), sequence);
    }
    for (q, t) in catalog.tables.iter().filter(|(q, _)| in_schema(q)) {
        let table = tables::table(w, extra, q, t);
        schema.tables.insert(q.name.clone(), table);
    }
    for (q, v) in catalog.views.iter().filter(|(q, _)| in_schema(q)) {
        let object = format!("view {q}");
        let grants = grants(w, extra, &object, &v.grants);
        if v.materialized {
            let owner = w.owner(&object, &v.owner, extra);
            let mv = MaterializedView {
                owner,
                ..materialized_view(w, q, v, grants)
            };
            schema.materialized_views.insert(q.name.clone(), mv);
        } else {
            let owner = w.owner(&object, &v.owner, extra);
            schema.views.insert(
                q.name.clone(),
                View {
                    owner,
                    ..view(v, grants)
                },
            );
        }
    }
    // Overloads of a name go under it as a list, in identity order.
    for (id, f) in catalog
        .functions
        .iter()
        .filter(|(id, _)| in_schema(&id.name))
    {
        let name = id.name.name.clone();
        match f.kind {
            RoutineKind::Function => {
                let function = function(w, extra, id, f);
                add_overload(&mut schema.functions, name, function);
            }
            RoutineKind::Procedure => {
                let procedure = procedure(function(w, extra, id, f));
                add_overload(&mut schema.procedures, name, procedure);
            }
            RoutineKind::Aggregate => {
                let aggregate = super::aggregates::aggregate(w, extra, id, f);
                add_overload(&mut schema.aggregates, name, aggregate);
            }
        }
    }
    schema
}

/// A routine under its name: alone, or added to the name's list of overloads.
fn add_overload<T>(map: &mut IndexMap<String, Overloads<T>>, name: String, routine: T) {
    match map.get_mut(&name) {
        Some(list) => list.push(routine),
        None => {
            map.insert(name, Overloads::One(routine));
        }
    }
}

fn view(v: &ViewDef, grants: Vec<Grant>) -> View {
    View {
        owner: None,
        query: v.query.clone(),
        comment: v.comment.clone(),
        depends_on: Vec::new(),
        security_barrier: v.security_barrier,
        security_invoker: v.security_invoker,
        grants,
        column_comments: v.column_comments.iter().cloned().collect(),
    }
}

fn materialized_view(
    w: &mut Writer,
    q: &QName,
    v: &ViewDef,
    grants: Vec<Grant>,
) -> MaterializedView {
    MaterializedView {
        owner: None,
        query: v.query.clone(),
        comment: v.comment.clone(),
        depends_on: Vec::new(),
        indexes: v
            .indexes
            .iter()
            .map(|i| (i.name.clone(), tables::index(w, q, None, i)))
            .collect(),
        grants,
        column_comments: v.column_comments.iter().cloned().collect(),
    }
}

/// A procedure from the function form of its catalog entry (no result, volatility,
/// STRICT or PARALLEL: PostgreSQL gives a procedure none).
fn procedure(f: Function) -> Procedure {
    Procedure {
        owner: f.owner,
        args: f.args,
        language: f.language,
        security_definer: f.security_definer,
        set: f.set,
        body: f.body,
        comment: f.comment,
        depends_on: f.depends_on,
        grants: f.grants,
    }
}

fn function(w: &mut Writer, extra: &Extra, id: &RoutineId, f: &FunctionDef) -> Function {
    let object = format!("{} {id}", f.kind.noun());
    let q = &id.name;
    let args = f
        .args
        .iter()
        .map(|a| {
            let mode = match a.mode.as_deref() {
                None | Some("IN") => None,
                Some("OUT") => Some(ArgMode::Out),
                Some("INOUT") => Some(ArgMode::Inout),
                Some("VARIADIC") => Some(ArgMode::Variadic),
                Some(other) => {
                    w.refuse(&object, format!("argument mode `{other}`"));
                    None
                }
            };
            FunctionArg {
                name: a.name.clone(),
                ty: w.model_type(&format!("{object} argument {}", a.name), &a.ty, &q.schema),
                default: a.default.clone().map(Value::String),
                mode,
            }
        })
        .collect();
    let parallel = super::aggregates::parallel(w, &object, f.parallel.as_deref());
    Function {
        owner: w.owner(&object, &f.owner, extra),
        args,
        returns: f.returns.clone(),
        language: f.language.clone(),
        volatility: f.volatility,
        security_definer: f.security_definer,
        strict: f.strict,
        parallel,
        set: f.set.iter().cloned().collect(),
        body: f.body.clone(),
        comment: f.comment.clone(),
        depends_on: Vec::new(),
        grants: grants(w, extra, &object, &f.grants),
    }
}

/// Grants as the model groups them: one entry per privilege set, columns and grant
/// option, listing every grantee that has exactly that.
pub(super) fn grants(w: &mut Writer, extra: &Extra, object: &str, list: &[GrantDef]) -> Vec<Grant> {
    let mut out: Vec<Grant> = Vec::new();
    for g in list {
        w.role(object, &g.grantee, extra);
        let same = out.iter_mut().find(|o| {
            o.privileges == g.privileges
                && o.columns == g.columns
                && o.with_grant_option == g.with_grant_option
        });
        match same {
            Some(o) => o.to.push(g.grantee.clone()),
            None => out.push(Grant {
                to: vec![g.grantee.clone()],
                privileges: g.privileges.clone(),
                columns: g.columns.clone(),
                with_grant_option: g.with_grant_option,
            }),
        }
    }
    out
}

fn default_privileges(list: &[DefaultPrivilegeDef]) -> Vec<DefaultPrivilege> {
    let mut out: Vec<DefaultPrivilege> = Vec::new();
    for d in list {
        let same = out
            .iter_mut()
            .find(|o| o.for_role == d.for_role && o.on == d.on && o.privileges == d.privileges);
        match same {
            Some(o) => o.to.push(d.grantee.clone()),
            None => out.push(DefaultPrivilege {
                for_role: d.for_role.clone(),
                on: d.on,
                to: vec![d.grantee.clone()],
                privileges: d.privileges.clone(),
            }),
        }
    }
    out
}
