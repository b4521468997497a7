//! Semantic validation: everything the JSON Schema cannot see. Every problem is
//! collected; nothing stops at the first.

mod access;
mod aggregate;
pub mod citus;
mod composite;
mod deferral;
mod domains;
pub mod duckdb;
mod exclusion;
mod identity;
mod owners;
mod sequences;
pub mod sqlite;
mod storage;
pub mod structure;
mod tables;

use std::collections::{HashMap, HashSet};

use crate::diag::Diagnostic;
use crate::load::{Loaded, pointer};
use crate::types::SqlType;
use crate::{Grant, Model, Privilege, Target};

/// PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1).
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// Role names that exist without being declared.
const IMPLICIT_ROLES: &[&str] = &["public", "current_user", "current_role", "session_user"];

/// Validates a loaded model; an empty result means it is valid.
pub fn validate(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut v = Validator::new(&loaded.model);
    v.run();
    v.diagnostics
}

pub(crate) struct Validator<'m> {
    pub model: &'m Model,
    pub diagnostics: Vec<Diagnostic>,
    roles: HashSet<&'m str>,
}

impl<'m> Validator<'m> {
    fn new(model: &'m Model) -> Self {
        Validator {
            model,
            diagnostics: Vec::new(),
            roles: model.roles.keys().map(String::as_str).collect(),
        }
    }

    pub fn error(&mut self, diag: Diagnostic) {
        self.diagnostics.push(diag);
    }

    fn run(&mut self) {
        let model = self.model;
        self.identifier(&pointer(["database", "name"]), &model.database.name, false);
        if let Some(owner) = &model.database.owner {
            self.role_ref(&pointer(["database", "owner"]), owner);
        }
        if model.database.target == Target::Sqlite {
            self.diagnostics.extend(sqlite::check(model));
        }
        if model.database.target == Target::Duckdb {
            self.diagnostics.extend(duckdb::check(model));
        }
        self.diagnostics.extend(citus::check(model));
        for (i, ext) in model.extensions.iter().enumerate() {
            self.identifier(
                &pointer(["extensions".to_string(), i.to_string()]),
                ext,
                false,
            );
        }
        self.roles();
        for (schema_name, schema) in &model.schemas {
            let base = ["schemas", schema_name.as_str()];
            self.identifier(&pointer(base), schema_name, true);
            if let Some(owner) = &schema.owner {
                self.role_ref(&pointer(["schemas", schema_name, "owner"]), owner);
            }
            self.grants(
                &pointer([base[0], base[1], "grants"]),
                &schema.grants,
                ObjectKind::Schema,
            );
            for (i, dp) in schema.default_privileges.iter().enumerate() {
                let at = pointer(["schemas", schema_name, "default_privileges", &i.to_string()]);
                if let Some(role) = &dp.for_role {
                    self.role_ref(&format!("{at}/for_role"), role);
                }
                for (j, to) in dp.to.iter().enumerate() {
                    self.role_ref(&format!("{at}/to/{j}"), to);
                }
            }
            self.namespace(schema_name);
            for (enum_name, values) in &schema.enums {
                let at = pointer(["schemas", schema_name, "enums", enum_name]);
                self.identifier(&at, enum_name, true);
                let mut seen = HashSet::new();
                for (i, label) in values.values().iter().enumerate() {
                    if !seen.insert(label) {
                        self.error(Diagnostic::new(
                            format!("{at}/{i}"),
                            format!("enum `{schema_name}.{enum_name}` lists `{label}` twice"),
                        ));
                    }
                    if label.len() > MAX_IDENTIFIER_BYTES {
                        self.error(Diagnostic::new(
                            format!("{at}/{i}"),
                            format!("enum label `{label}` is longer than 63 bytes"),
                        ));
                    }
                }
            }
            self.object_owners(schema_name, schema);
            self.sequences(schema_name, schema);
            self.domains(schema_name, schema);
            self.composite_types(schema_name, schema);
            for (table_name, table) in &schema.tables {
                self.table(schema_name, table_name, table);
                self.table_storage(schema_name, table_name, table);
                self.deferral(schema_name, table_name, table);
                self.exclusions(schema_name, table_name, table);
            }
            self.routines(schema_name);
        }
        self.unmanaged();
        self.unmanaged_owners();
        self.access_tests();
    }

    /// `unmanaged` entries: each once, and a schema-scoped one in a schema of the model
    /// (plans read only those schemas, so one elsewhere would never be seen).
    fn unmanaged(&mut self) {
        let mut seen: HashMap<(crate::UnmanagedKind, &str), usize> = HashMap::new();
        for (i, item) in self.model.unmanaged.iter().enumerate() {
            let at = pointer(["unmanaged".to_string(), i.to_string()]);
            let kind = item.kind.as_str();
            if item.name.trim().is_empty() {
                self.error(Diagnostic::new(
                    format!("{at}/name"),
                    format!("unmanaged {kind} without a name"),
                ));
                continue;
            }
            if let Some(key) = item.kind.modelled_as() {
                // Introspection reads these now: an entry would no longer keep a plan
                // from dropping what the model does not declare.
                self.error(
                    Diagnostic::new(
                        format!("{at}/kind"),
                        format!(
                            "unmanaged {kind} `{}`: the model expresses {kind}s now",
                            item.name
                        ),
                    )
                    .with_hint(format!(
                        "declare it under `{key}` (`schemactl pull` writes it) and remove this entry"
                    )),
                );
                continue;
            }
            if let Some(first) = seen.insert((item.kind, item.name.as_str()), i) {
                self.error(
                    Diagnostic::new(
                        format!("{at}/name"),
                        format!("unmanaged {kind} `{}` is listed twice", item.name),
                    )
                    .with_hint(format!("the first is entry {first} of `unmanaged`")),
                );
            }
            if item.kind.is_database_wide() {
                continue;
            }
            match crate::unmanaged::leading_schema(&item.name) {
                Some(schema) if self.model.schemas.contains_key(&schema) => {}
                Some(schema) => self.error(
                    Diagnostic::new(
                        format!("{at}/name"),
                        format!(
                            "unmanaged {kind} `{}` is in schema `{schema}`, which the model \
                             does not declare",
                            item.name
                        ),
                    )
                    .with_hint("plans read only the model's schemas: declare it under `schemas`"),
                ),
                None => self.error(
                    Diagnostic::new(
                        format!("{at}/name"),
                        format!("unmanaged {kind} `{}` has no schema", item.name),
                    )
                    .with_hint("write the name schema-qualified, e.g. `shop.order_number`"),
                ),
            }
        }
    }

    fn roles(&mut self) {
        for (name, role) in &self.model.roles {
            let at = pointer(["roles", name]);
            self.identifier(&at, name, true);
            if role.password.is_some() {
                self.error(
                    Diagnostic::at_key(
                        format!("{at}/password"),
                        format!("role `{name}` has a literal password in the model"),
                    )
                    .with_hint(
                        "passwords never go in schema.yaml: store it in an environment variable \
                         and write `password_env: VARIABLE_NAME`",
                    ),
                );
            }
            if let Some(var) = &role.password_env {
                let valid = !var.is_empty()
                    && !var.starts_with(|c: char| c.is_ascii_digit())
                    && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !valid {
                    self.error(
                        Diagnostic::new(
                            format!("{at}/password_env"),
                            format!("`{var}` is not an environment variable name"),
                        )
                        .with_hint(
                            "name the variable (letters, digits, `_`), not the password itself",
                        ),
                    );
                }
            }
            for (i, parent) in role.member_of.iter().enumerate() {
                if parent == name {
                    self.error(Diagnostic::new(
                        format!("{at}/member_of/{i}"),
                        format!("role `{name}` cannot be a member of itself"),
                    ));
                } else {
                    self.role_ref(&format!("{at}/member_of/{i}"), parent);
                }
            }
        }
    }

    /// Relations, indexes and types share one namespace per schema in PostgreSQL.
    fn namespace(&mut self, schema_name: &str) {
        let Some(schema) = self.model.schemas.get(schema_name) else {
            return;
        };
        let mut taken: HashMap<String, String> = HashMap::new();
        let mut claim = |v: &mut Self, name: String, what: String, at: String| {
            if let Some(first) = taken.get(&name) {
                v.error(
                    Diagnostic::at_key(
                        at,
                        format!(
                            "{what} `{name}` has the same name as {first} `{schema_name}.{name}`"
                        ),
                    )
                    .with_hint(
                        "tables, views, indexes, sequences and types share one namespace per \
                         schema; rename one of them",
                    ),
                );
            } else {
                taken.insert(name, what);
            }
        };
        for name in schema.enums.keys() {
            let at = pointer(["schemas", schema_name, "enums", name]);
            claim(self, name.clone(), "enum".into(), at);
        }
        for name in schema.sequences.keys() {
            let at = pointer(["schemas", schema_name, "sequences", name]);
            claim(self, name.clone(), "sequence".into(), at);
        }
        for name in schema.domains.keys() {
            let at = pointer(["schemas", schema_name, "domains", name]);
            claim(self, name.clone(), "domain".into(), at);
        }
        for name in schema.composite_types.keys() {
            let at = pointer(["schemas", schema_name, "composite_types", name]);
            claim(self, name.clone(), "composite type".into(), at);
        }
        for (table_name, table) in &schema.tables {
            let at = pointer(["schemas", schema_name, "tables", table_name]);
            claim(self, table_name.clone(), "table".into(), at.clone());
            for (index_name, _) in &table.indexes {
                let at = format!("{at}/indexes/{index_name}");
                claim(self, index_name.clone(), "index".into(), at);
            }
            for name in table.unique.keys() {
                let at = format!("{at}/unique/{name}");
                claim(self, name.clone(), "unique constraint".into(), at);
            }
            // The index that enforces an exclusion constraint takes the constraint's name.
            for name in table.exclusions.keys() {
                let at = format!("{at}/exclusions/{name}");
                claim(self, name.clone(), "exclusion constraint".into(), at);
            }
            for name in tables::partition_names(table_name, table) {
                claim(self, name, "partition".into(), format!("{at}/partitions"));
            }
        }
        for name in schema.views.keys() {
            let at = pointer(["schemas", schema_name, "views", name]);
            claim(self, name.clone(), "view".into(), at);
        }
        for (name, mv) in &schema.materialized_views {
            let at = pointer(["schemas", schema_name, "materialized_views", name]);
            claim(self, name.clone(), "materialized view".into(), at.clone());
            for index_name in mv.indexes.keys() {
                let at = format!("{at}/indexes/{index_name}");
                claim(self, index_name.clone(), "index".into(), at);
            }
        }
    }

    fn routines(&mut self, schema_name: &str) {
        let Some(schema) = self.model.schemas.get(schema_name) else {
            return;
        };
        for (name, view) in &schema.views {
            let at = pointer(["schemas", schema_name, "views", name]);
            self.identifier(&at, name, true);
            self.depends_on(&at, schema_name, &view.depends_on);
            self.grants(&format!("{at}/grants"), &view.grants, ObjectKind::Table);
        }
        for (name, mv) in &schema.materialized_views {
            let at = pointer(["schemas", schema_name, "materialized_views", name]);
            self.identifier(&at, name, true);
            self.depends_on(&at, schema_name, &mv.depends_on);
            self.grants(&format!("{at}/grants"), &mv.grants, ObjectKind::Table);
            for (index_name, index) in &mv.indexes {
                self.identifier(&format!("{at}/indexes/{index_name}"), index_name, true);
                // Materialized view columns come from the query, which is only known to the
                // server; index keys on them are checked when the plan is applied.
                let _ = index;
            }
        }
        for (name, list) in &schema.functions {
            let base = pointer(["schemas", schema_name, "functions", name]);
            for (at, function) in list.located(&base) {
                let routine = Routine {
                    noun: "function",
                    args: &function.args,
                    body: &function.body,
                    depends_on: &function.depends_on,
                    grants: &function.grants,
                };
                self.routine(&at, schema_name, name, routine);
            }
        }
        for (name, list) in &schema.procedures {
            let base = pointer(["schemas", schema_name, "procedures", name]);
            for (at, procedure) in list.located(&base) {
                let routine = Routine {
                    noun: "procedure",
                    args: &procedure.args,
                    body: &procedure.body,
                    depends_on: &procedure.depends_on,
                    grants: &procedure.grants,
                };
                self.routine(&at, schema_name, name, routine);
            }
        }
        self.routine_identities(schema_name, schema);
        self.aggregates(schema_name, schema);
    }

    fn routine(&mut self, at: &str, schema_name: &str, name: &str, routine: Routine<'_>) {
        self.identifier(at, name, true);
        self.depends_on(at, schema_name, routine.depends_on);
        self.grants(
            &format!("{at}/grants"),
            routine.grants,
            ObjectKind::Function,
        );
        for (i, arg) in routine.args.iter().enumerate() {
            let arg_at = format!("{at}/args/{i}");
            self.identifier(&format!("{arg_at}/name"), &arg.name, false);
            self.type_ref(&format!("{arg_at}/type"), schema_name, &arg.ty, false);
        }
        if routine.body.trim().is_empty() {
            self.error(Diagnostic::new(
                format!("{at}/body"),
                format!("{} `{schema_name}.{name}` has an empty body", routine.noun),
            ));
        }
    }

    fn depends_on(&mut self, at: &str, schema_name: &str, names: &[String]) {
        for (i, dep) in names.iter().enumerate() {
            let (schema, name) = split_qualified(dep, schema_name);
            let found = self.model.schemas.get(schema).is_some_and(|s| {
                s.tables.contains_key(name)
                    || s.views.contains_key(name)
                    || s.materialized_views.contains_key(name)
                    || s.functions.contains_key(name)
                    || s.procedures.contains_key(name)
                    || s.aggregates.contains_key(name)
            });
            if !found {
                self.error(
                    Diagnostic::new(
                        format!("{at}/depends_on/{i}"),
                        format!(
                            "`depends_on` names `{schema}.{name}`, which the model does not define"
                        ),
                    )
                    .with_hint(
                        "name a table, view, materialized view, function, procedure or aggregate of the model",
                    ),
                );
            }
        }
    }

    pub fn role_ref(&mut self, at: &str, role: &str) {
        let lower = role.to_ascii_lowercase();
        if self.roles.contains(role)
            || IMPLICIT_ROLES.contains(&lower.as_str())
            || role.starts_with("pg_")
        {
            return;
        }
        let mut known: Vec<&str> = self.roles.iter().copied().collect();
        known.sort_unstable();
        let hint = match known
            .iter()
            .find(|k| strsim::damerau_levenshtein(k, role) <= 2)
        {
            Some(near) => format!("did you mean `{near}`? roles are declared under `roles`"),
            None if known.is_empty() => "declare it under `roles`".to_string(),
            None => format!(
                "declare it under `roles`; declared roles: {}",
                known.join(", ")
            ),
        };
        self.error(Diagnostic::new(at, format!("unknown role `{role}`")).with_hint(hint));
    }

    pub fn identifier(&mut self, at: &str, name: &str, is_key: bool) {
        let message = if name.is_empty() {
            Some("an identifier cannot be empty".to_string())
        } else if name.len() > MAX_IDENTIFIER_BYTES {
            Some(format!(
                "identifier `{name}` is {} bytes long; PostgreSQL keeps only the first 63",
                name.len()
            ))
        } else {
            None
        };
        if let Some(message) = message {
            let diag = if is_key {
                Diagnostic::at_key(at, message)
            } else {
                Diagnostic::new(at, message)
            };
            self.error(diag.with_hint("shorten the name to at most 63 bytes"));
        }
    }

    /// Resolves a type string; `column` allows serial types.
    pub fn type_ref(
        &mut self,
        at: &str,
        schema_name: &str,
        ty: &str,
        column: bool,
    ) -> Option<SqlType> {
        let parsed = match SqlType::parse(ty) {
            Ok(t) => t,
            Err(e) => {
                let mut diag = Diagnostic::new(at, e.message);
                diag.hint = e.hint;
                self.error(diag);
                return None;
            }
        };
        let mut element = &parsed;
        while let SqlType::Array(inner) = element {
            element = inner;
        }
        match element {
            SqlType::Named { schema, name } => {
                let schema = schema.as_deref().unwrap_or(schema_name);
                let known = self.model.schemas.get(schema).is_some_and(|s| {
                    s.enums.contains_key(name)
                        || s.domains.contains_key(name)
                        || s.composite_types.contains_key(name)
                });
                if !known && !is_builtin_extra(name) {
                    let mut diag = Diagnostic::new(at, format!("unknown type `{ty}`"));
                    diag.hint = Some(match self.similar_enum(name) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "use a built-in type (bigint, text, varchar(n), numeric(p,s), \
                                 timestamptz, jsonb, vector(n), …), or a type declared under `enums`, `domains` or `composite_types`"
                            .to_string(),
                    });
                    self.error(diag);
                    return None;
                }
            }
            SqlType::Vector(dim) if !(1..=16000).contains(dim) => {
                self.error(
                    Diagnostic::new(at, format!("vector dimension {dim} is outside 1..16000"))
                        .with_hint("pgvector stores 1 to 16000 dimensions"),
                );
                return None;
            }
            SqlType::Serial(_) if !column => {
                self.error(Diagnostic::new(
                    at,
                    format!("`{ty}` is only valid for a column"),
                ));
                return None;
            }
            _ => {}
        }
        Some(parsed)
    }

    fn similar_enum(&self, name: &str) -> Option<String> {
        self.model
            .schemas
            .iter()
            .flat_map(|(s, schema)| {
                schema
                    .enums
                    .keys()
                    .chain(schema.domains.keys())
                    .chain(schema.composite_types.keys())
                    .map(move |e| (s, e))
            })
            .find(|(_, e)| strsim::damerau_levenshtein(e, name) <= 2)
            .map(|(s, e)| format!("{s}.{e}"))
    }

    pub fn grants(&mut self, at: &str, grants: &[Grant], kind: ObjectKind) {
        for (i, grant) in grants.iter().enumerate() {
            for (j, to) in grant.to.iter().enumerate() {
                self.role_ref(&format!("{at}/{i}/to/{j}"), to);
            }
            for (j, privilege) in grant.privileges.iter().enumerate() {
                if !kind.allows(*privilege) {
                    self.error(
                        Diagnostic::new(
                            format!("{at}/{i}/privileges/{j}"),
                            format!(
                                "privilege `{}` does not apply to a {}",
                                privilege.sql().to_ascii_lowercase(),
                                kind.noun()
                            ),
                        )
                        .with_hint(format!(
                            "a {} takes: {}",
                            kind.noun(),
                            kind.allowed_list()
                        )),
                    );
                }
            }
        }
    }
}

/// Type names PostgreSQL or a common extension provides that the parser does not model.
pub fn is_builtin_extra(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "regclass"
            | "oid"
            | "name"
            | "record"
            | "void"
            | "trigger"
            | "anyelement"
            | "anyarray"
            | "anycompatible"
            | "anycompatiblearray"
            | "internal"
            | "citext"
            | "halfvec"
            | "sparsevec"
            | "money"
            | "macaddr"
            | "tsquery"
            | "xml"
            | "point"
            | "int4range"
            | "int8range"
            | "tstzrange"
            | "daterange"
            | "numrange"
            | "bit"
            | "varbit"
            | "timetz"
            | "jsonpath"
    )
}

/// `schema.name` or `name` (in `default_schema`).
pub fn split_qualified<'a>(name: &'a str, default_schema: &'a str) -> (&'a str, &'a str) {
    name.split_once('.').unwrap_or((default_schema, name))
}

#[derive(Debug, Clone, Copy)]
pub enum ObjectKind {
    Schema,
    Table,
    Function,
    Sequence,
}

impl ObjectKind {
    fn allowed(self) -> &'static [Privilege] {
        use Privilege::*;
        match self {
            ObjectKind::Schema => &[All, Usage, Create],
            ObjectKind::Table => &[
                All, Select, Insert, Update, Delete, Truncate, References, Trigger, Maintain,
            ],
            ObjectKind::Function => &[All, Execute],
            ObjectKind::Sequence => &[All, Usage, Select, Update],
        }
    }
    fn allows(self, privilege: Privilege) -> bool {
        self.allowed().contains(&privilege)
    }
    fn noun(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Table => "table or view",
            ObjectKind::Function => "function",
            ObjectKind::Sequence => "sequence",
        }
    }
    fn allowed_list(self) -> String {
        self.allowed()
            .iter()
            .map(|p| p.sql().to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What functions and procedures share, for their checks.
struct Routine<'a> {
    noun: &'static str,
    args: &'a [crate::FunctionArg],
    body: &'a str,
    depends_on: &'a [String],
    grants: &'a [crate::Grant],
}
