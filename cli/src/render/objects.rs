//! SQL for each kind of object.

use crate::catalog::{
    Catalog, ColumnDef, GrantDef, IndexDef, IndexKeyDef, QName, TableDef, ViewDef,
};
use crate::model::types::SerialKind;
use crate::model::{
    DefaultPrivilegeObject, Identity, NullsOrder, SortOrder, TriggerEvent, TriggerLevel,
    TriggerTiming,
};
use crate::sql::{dollar_quote, ident, ident_list, literal};

use super::{ObjectKey, ObjectKind, Step};

pub struct Renderer<'c> {
    catalog: &'c Catalog,
    steps: Vec<Step>,
    /// The schema the session's search_path points at, so bare names in SQL text
    /// written in the model resolve in the object's own schema.
    search_path: Option<String>,
}

impl<'c> Renderer<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        Renderer {
            catalog,
            steps: Vec::new(),
            search_path: None,
        }
    }

    pub fn finish(self) -> Vec<Step> {
        self.steps
    }

    pub fn setting(&mut self, sql: String) {
        self.steps.push(Step {
            object: None,
            creates: false,
            sql,
        });
    }

    fn create(&mut self, key: ObjectKey, sql: String) {
        self.in_schema(&key.schema.clone());
        self.steps.push(Step {
            object: Some(key),
            creates: true,
            sql,
        });
    }

    fn attach(&mut self, key: &ObjectKey, sql: String) {
        self.steps.push(Step {
            object: Some(key.clone()),
            creates: false,
            sql,
        });
    }

    fn in_schema(&mut self, schema: &str) {
        if schema.is_empty() || self.search_path.as_deref() == Some(schema) {
            return;
        }
        self.search_path = Some(schema.to_string());
        self.setting(format!(
            "SET LOCAL search_path TO {}, public",
            ident(schema)
        ));
    }

    pub fn extensions(&mut self) {
        for ext in &self.catalog.extensions {
            let key = ObjectKey {
                kind: ObjectKind::Extension,
                schema: String::new(),
                name: ext.clone(),
                table: None,
            };
            self.create(
                key,
                format!("CREATE EXTENSION IF NOT EXISTS {}", ident(ext)),
            );
        }
    }

    pub fn schemas(&mut self) {
        for (name, schema) in &self.catalog.schemas {
            let key = ObjectKey {
                kind: ObjectKind::Schema,
                schema: name.clone(),
                name: name.clone(),
                table: None,
            };
            let mut sql = format!("CREATE SCHEMA {}", ident(name));
            if let Some(owner) = &schema.owner {
                sql.push_str(&format!(" AUTHORIZATION {}", ident(owner)));
            }
            self.steps.push(Step {
                object: Some(key.clone()),
                creates: true,
                sql,
            });
            if let Some(c) = &schema.comment {
                self.attach(
                    &key,
                    format!("COMMENT ON SCHEMA {} IS {}", ident(name), literal(c)),
                );
            }
            for g in &schema.grants {
                self.attach(&key, grant_sql(g, &format!("SCHEMA {}", ident(name))));
            }
        }
    }

    pub fn enums(&mut self) {
        for (q, e) in &self.catalog.enums {
            let key = ObjectKey::new(ObjectKind::Type, q);
            let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
            self.create(
                key.clone(),
                format!("CREATE TYPE {} AS ENUM ({})", q.sql(), values.join(", ")),
            );
            if let Some(c) = &e.comment {
                self.attach(
                    &key,
                    format!("COMMENT ON TYPE {} IS {}", q.sql(), literal(c)),
                );
            }
        }
    }

    pub fn function(&mut self, q: &QName) {
        let Some(f) = self.catalog.functions.get(q) else {
            return;
        };
        let key = ObjectKey::new(ObjectKind::Function, q);
        let args: Vec<String> = f
            .args
            .iter()
            .map(|a| {
                let mut s = String::new();
                if let Some(mode) = a.mode {
                    s.push_str(mode);
                    s.push(' ');
                }
                s.push_str(&ident(&a.name));
                s.push(' ');
                s.push_str(&a.ty);
                if let Some(d) = &a.default {
                    s.push_str(" DEFAULT ");
                    s.push_str(d);
                }
                s
            })
            .collect();
        let mut sql = format!(
            "CREATE FUNCTION {}({})\nRETURNS {}\nLANGUAGE {}\n{}",
            q.sql(),
            args.join(", "),
            f.returns,
            ident(&f.language),
            f.volatility.sql()
        );
        if f.strict {
            sql.push_str(" STRICT");
        }
        if f.security_definer {
            sql.push_str(" SECURITY DEFINER");
        }
        if let Some(p) = f.parallel {
            sql.push_str(&format!(" PARALLEL {p}"));
        }
        for (k, v) in &f.set {
            sql.push_str(&format!("\nSET {} TO {}", ident(k), v));
        }
        sql.push_str(&format!("\nAS {}", dollar_quote(&f.body)));
        self.create(key.clone(), sql);
        let target = format!("FUNCTION {}{}", q.sql(), f.signature());
        if let Some(c) = &f.comment {
            self.attach(&key, format!("COMMENT ON {target} IS {}", literal(c)));
        }
        if !f.grants.is_empty() {
            self.attach(&key, format!("REVOKE ALL ON {target} FROM PUBLIC"));
        }
        for g in &f.grants {
            self.attach(&key, grant_sql(g, &target));
        }
    }

    pub fn table(&mut self, q: &QName) {
        let Some(t) = self.catalog.tables.get(q) else {
            return;
        };
        let key = ObjectKey::new(ObjectKind::Table, q);
        let mut lines: Vec<String> = t.columns.iter().map(column_sql).collect();
        if let Some(pk) = &t.primary_key {
            lines.push(format!(
                "CONSTRAINT {} PRIMARY KEY ({})",
                ident(&pk.name),
                ident_list(&pk.columns)
            ));
        }
        for u in &t.uniques {
            lines.push(format!(
                "CONSTRAINT {} UNIQUE{} ({})",
                ident(&u.name),
                if u.nulls_not_distinct {
                    " NULLS NOT DISTINCT"
                } else {
                    ""
                },
                ident_list(&u.columns)
            ));
        }
        for c in &t.checks {
            lines.push(format!(
                "CONSTRAINT {} CHECK ({}){}",
                ident(&c.name),
                c.expression,
                if c.no_inherit { " NO INHERIT" } else { "" }
            ));
        }
        let mut sql = format!(
            "CREATE TABLE {} (\n    {}\n)",
            q.sql(),
            lines.join(",\n    ")
        );
        if let Some(p) = &t.partition_by {
            sql.push_str(&format!(
                " PARTITION BY {} ({})",
                p.strategy,
                ident_list(&p.columns)
            ));
        }
        self.create(key.clone(), sql);
        self.table_attachments(q, &key, t);
        for p in &t.partitions {
            let pq = QName::new(&q.schema, &p.name);
            self.create(
                ObjectKey::new(ObjectKind::Partition, &pq),
                format!(
                    "CREATE TABLE {} PARTITION OF {} {}",
                    pq.sql(),
                    q.sql(),
                    p.bound.sql()
                ),
            );
        }
    }

    fn table_attachments(&mut self, q: &QName, key: &ObjectKey, t: &TableDef) {
        if let Some(c) = &t.comment {
            self.attach(
                key,
                format!("COMMENT ON TABLE {} IS {}", q.sql(), literal(c)),
            );
        }
        for col in &t.columns {
            if let Some(c) = &col.comment {
                self.attach(
                    key,
                    format!(
                        "COMMENT ON COLUMN {}.{} IS {}",
                        q.sql(),
                        ident(&col.name),
                        literal(c)
                    ),
                );
            }
        }
        for g in &t.grants {
            self.attach(key, grant_sql(g, &format!("TABLE {}", q.sql())));
        }
    }

    pub fn view(&mut self, q: &QName) {
        let Some(v) = self.catalog.views.get(q) else {
            return;
        };
        let kind = if v.materialized {
            ObjectKind::MaterializedView
        } else {
            ObjectKind::View
        };
        let key = ObjectKey::new(kind, q);
        self.create(key.clone(), view_sql(q, v));
        let noun = if v.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        if let Some(c) = &v.comment {
            self.attach(
                &key,
                format!("COMMENT ON {noun} {} IS {}", q.sql(), literal(c)),
            );
        }
        for (col, c) in &v.column_comments {
            self.attach(
                &key,
                format!(
                    "COMMENT ON COLUMN {}.{} IS {}",
                    q.sql(),
                    ident(col),
                    literal(c)
                ),
            );
        }
        for g in &v.grants {
            self.attach(&key, grant_sql(g, &format!("TABLE {}", q.sql())));
        }
        for index in &v.indexes {
            let iq = QName::new(&q.schema, &index.name);
            self.create(ObjectKey::new(ObjectKind::Index, &iq), index_sql(q, index));
        }
    }

    pub fn foreign_keys(&mut self) {
        for (q, t) in &self.catalog.tables {
            for fk in &t.foreign_keys {
                let mut sql = format!(
                    "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
                    q.sql(),
                    ident(&fk.name),
                    ident_list(&fk.columns),
                    fk.references.sql(),
                    ident_list(&fk.referenced_columns)
                );
                if fk.on_update != crate::model::FkAction::NoAction {
                    sql.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
                }
                if fk.on_delete != crate::model::FkAction::NoAction {
                    sql.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
                }
                if fk.deferrable {
                    sql.push_str(" DEFERRABLE");
                }
                self.create(
                    ObjectKey::on_table(ObjectKind::ForeignKey, q, &fk.name),
                    sql,
                );
            }
        }
    }

    pub fn indexes(&mut self) {
        for (q, t) in &self.catalog.tables {
            for index in &t.indexes {
                let iq = QName::new(&q.schema, &index.name);
                let key = ObjectKey::new(ObjectKind::Index, &iq);
                self.create(key.clone(), index_sql(q, index));
                if let Some(c) = &index.comment {
                    self.attach(
                        &key,
                        format!("COMMENT ON INDEX {} IS {}", iq.sql(), literal(c)),
                    );
                }
            }
        }
    }

    pub fn triggers(&mut self) {
        for (q, t) in &self.catalog.tables {
            for tr in &t.triggers {
                let timing = match tr.timing {
                    TriggerTiming::Before => "BEFORE",
                    TriggerTiming::After => "AFTER",
                    TriggerTiming::InsteadOf => "INSTEAD OF",
                };
                let events: Vec<String> = tr
                    .events
                    .iter()
                    .map(|e| match e {
                        TriggerEvent::Insert => "INSERT".to_string(),
                        TriggerEvent::Update if !tr.update_of.is_empty() => {
                            format!("UPDATE OF {}", ident_list(&tr.update_of))
                        }
                        TriggerEvent::Update => "UPDATE".to_string(),
                        TriggerEvent::Delete => "DELETE".to_string(),
                        TriggerEvent::Truncate => "TRUNCATE".to_string(),
                    })
                    .collect();
                let level = match tr.level {
                    TriggerLevel::Row => "ROW",
                    TriggerLevel::Statement => "STATEMENT",
                };
                let mut sql = format!(
                    "CREATE TRIGGER {} {timing} {} ON {}\nFOR EACH {level}",
                    ident(&tr.name),
                    events.join(" OR "),
                    q.sql()
                );
                if let Some(cond) = &tr.condition {
                    sql.push_str(&format!(" WHEN ({cond})"));
                }
                let args: Vec<String> = tr.args.iter().map(|a| literal(a)).collect();
                sql.push_str(&format!(
                    "\nEXECUTE FUNCTION {}({})",
                    tr.function.sql(),
                    args.join(", ")
                ));
                let key = ObjectKey::on_table(ObjectKind::Trigger, q, &tr.name);
                self.create(key.clone(), sql);
                if let Some(c) = &tr.comment {
                    self.attach(
                        &key,
                        format!(
                            "COMMENT ON TRIGGER {} ON {} IS {}",
                            ident(&tr.name),
                            q.sql(),
                            literal(c)
                        ),
                    );
                }
            }
        }
    }

    pub fn row_level_security(&mut self) {
        for (q, t) in &self.catalog.tables {
            let table_key = ObjectKey::new(ObjectKind::Table, q);
            if t.rls_enabled {
                self.in_schema(&q.schema);
                self.attach(
                    &table_key,
                    format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY", q.sql()),
                );
            }
            if t.rls_forced {
                self.attach(
                    &table_key,
                    format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY", q.sql()),
                );
            }
            for p in &t.policies {
                let mut sql = format!("CREATE POLICY {} ON {}", ident(&p.name), q.sql());
                if p.restrictive {
                    sql.push_str(" AS RESTRICTIVE");
                }
                sql.push_str(&format!(" FOR {}", p.command.sql()));
                if !p.roles.is_empty() {
                    let roles: Vec<String> = p.roles.iter().map(|r| role_sql(r)).collect();
                    sql.push_str(&format!(" TO {}", roles.join(", ")));
                }
                if let Some(u) = &p.using {
                    sql.push_str(&format!("\n    USING ({u})"));
                }
                if let Some(c) = &p.with_check {
                    sql.push_str(&format!("\n    WITH CHECK ({c})"));
                }
                self.create(ObjectKey::on_table(ObjectKind::Policy, q, &p.name), sql);
            }
        }
    }

    pub fn default_privileges(&mut self) {
        for (name, schema) in &self.catalog.schemas {
            let key = ObjectKey {
                kind: ObjectKind::Schema,
                schema: name.clone(),
                name: name.clone(),
                table: None,
            };
            for dp in &schema.default_privileges {
                let mut sql = String::from("ALTER DEFAULT PRIVILEGES");
                if let Some(r) = &dp.for_role {
                    sql.push_str(&format!(" FOR ROLE {}", ident(r)));
                }
                let on = match dp.on {
                    DefaultPrivilegeObject::Tables => "TABLES",
                    DefaultPrivilegeObject::Sequences => "SEQUENCES",
                    DefaultPrivilegeObject::Functions => "FUNCTIONS",
                    DefaultPrivilegeObject::Types => "TYPES",
                };
                let privileges: Vec<&str> = dp.privileges.iter().map(|p| p.sql()).collect();
                sql.push_str(&format!(
                    " IN SCHEMA {} GRANT {} ON {on} TO {}",
                    ident(name),
                    privileges.join(", "),
                    role_sql(&dp.grantee)
                ));
                self.attach(&key, sql);
            }
        }
    }
}

fn column_sql(c: &ColumnDef) -> String {
    let ty = match c.serial {
        Some(SerialKind::Small) => "smallserial".to_string(),
        Some(SerialKind::Regular) => "serial".to_string(),
        Some(SerialKind::Big) => "bigserial".to_string(),
        None => c.ty.clone(),
    };
    let mut s = format!("{} {ty}", ident(&c.name));
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    match c.identity {
        Some(Identity::Always) => s.push_str(" GENERATED ALWAYS AS IDENTITY"),
        Some(Identity::ByDefault) => s.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        None => {}
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    s
}

fn view_sql(q: &QName, v: &ViewDef) -> String {
    if v.materialized {
        return format!(
            "CREATE MATERIALIZED VIEW {} AS\n{}\nWITH DATA",
            q.sql(),
            v.query
        );
    }
    let mut options = Vec::new();
    if v.security_barrier {
        options.push("security_barrier = true");
    }
    if v.security_invoker {
        options.push("security_invoker = true");
    }
    let with = if options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", options.join(", "))
    };
    format!("CREATE VIEW {}{with} AS\n{}", q.sql(), v.query)
}

pub fn index_sql(table: &QName, index: &IndexDef) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|k| {
            let (mut s, opclass, order, nulls, collate) = match k {
                IndexKeyDef::Column {
                    name,
                    opclass,
                    order,
                    nulls,
                    collate,
                } => (ident(name), opclass, order, nulls, collate),
                IndexKeyDef::Expression {
                    sql,
                    opclass,
                    order,
                    nulls,
                    collate,
                } => (format!("({sql})"), opclass, order, nulls, collate),
            };
            if let Some(c) = collate {
                s.push_str(&format!(" COLLATE {}", ident(c)));
            }
            if let Some(o) = opclass {
                s.push(' ');
                s.push_str(o);
            }
            match order {
                Some(SortOrder::Desc) => s.push_str(" DESC"),
                Some(SortOrder::Asc) => s.push_str(" ASC"),
                None => {}
            }
            match nulls {
                Some(NullsOrder::First) => s.push_str(" NULLS FIRST"),
                Some(NullsOrder::Last) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        ident(&index.name),
        table.sql()
    );
    if index.method != crate::model::IndexMethod::Btree {
        sql.push_str(&format!(" USING {}", index.method.sql()));
    }
    sql.push_str(&format!(" ({})", keys.join(", ")));
    if !index.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        let params: Vec<String> = index
            .with
            .iter()
            .map(|(k, v)| format!("{} = {v}", ident(k)))
            .collect();
        sql.push_str(&format!(" WITH ({})", params.join(", ")));
    }
    if let Some(p) = &index.predicate {
        sql.push_str(&format!(" WHERE {p}"));
    }
    sql
}

fn role_sql(role: &str) -> String {
    match role.to_ascii_lowercase().as_str() {
        "public" => "PUBLIC".to_string(),
        "current_user" => "CURRENT_USER".to_string(),
        "current_role" => "CURRENT_ROLE".to_string(),
        "session_user" => "SESSION_USER".to_string(),
        _ => ident(role),
    }
}

pub fn grant_sql(g: &GrantDef, target: &str) -> String {
    let privileges: Vec<String> = g
        .privileges
        .iter()
        .map(|p| {
            if g.columns.is_empty() {
                p.sql().to_string()
            } else {
                format!("{} ({})", p.sql(), ident_list(&g.columns))
            }
        })
        .collect();
    format!(
        "GRANT {} ON {target} TO {}{}",
        privileges.join(", "),
        role_sql(&g.grantee),
        if g.with_grant_option {
            " WITH GRANT OPTION"
        } else {
            ""
        }
    )
}
