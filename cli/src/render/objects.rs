//! The create script: each object's statements, with its comments and grants attached.

use crate::catalog::{Catalog, QName, TableDef, ViewDef};
use crate::model::Privilege;
use crate::sql::{ident, literal};

use super::statements::*;
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
        for name in self.catalog.schemas.keys() {
            self.schema(name);
        }
    }

    pub fn schema(&mut self, name: &str) {
        let Some(schema) = self.catalog.schemas.get(name) else {
            return;
        };
        let key = schema_key(name);
        let mut sql = format!("CREATE SCHEMA {}", ident(name));
        if let Some(owner) = &schema.owner {
            sql.push_str(&format!(" AUTHORIZATION {}", ident(owner)));
        }
        // Not through `create`: search_path must not point at a schema before it exists.
        self.steps.push(Step {
            object: Some(key.clone()),
            creates: true,
            sql,
        });
        let target = format!("SCHEMA {}", ident(name));
        if let Some(c) = &schema.comment {
            self.attach(&key, comment_sql(&target, Some(c)));
        }
        for g in &schema.grants {
            self.attach(&key, grant_sql(g, &target));
        }
    }

    pub fn enums(&mut self) {
        for q in self.catalog.enums.keys() {
            self.enum_type(q);
        }
    }

    pub fn enum_type(&mut self, q: &QName) {
        let Some(e) = self.catalog.enums.get(q) else {
            return;
        };
        let key = ObjectKey::new(ObjectKind::Type, q);
        let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
        self.create(
            key.clone(),
            format!("CREATE TYPE {} AS ENUM ({})", q.sql(), values.join(", ")),
        );
        if let Some(c) = &e.comment {
            self.attach(&key, comment_sql(&format!("TYPE {}", q.sql()), Some(c)));
        }
    }

    pub fn function(&mut self, q: &QName) {
        let Some(f) = self.catalog.functions.get(q) else {
            return;
        };
        let key = ObjectKey::new(ObjectKind::Function, q);
        self.create(key.clone(), function_sql(q, f, false));
        let target = function_target(q, f);
        if let Some(c) = &f.comment {
            self.attach(&key, comment_sql(&target, Some(c)));
        }
        if !f.grants.is_empty() {
            self.attach(&key, format!("REVOKE ALL ON {target} FROM PUBLIC"));
        }
        for g in &f.grants {
            self.attach(&key, grant_sql(g, &target));
        }
    }

    /// The table with its comments, grants and partitions. Foreign keys, indexes,
    /// triggers and policies come in later passes.
    pub fn table(&mut self, q: &QName) {
        let Some(t) = self.catalog.tables.get(q) else {
            return;
        };
        let key = ObjectKey::new(ObjectKind::Table, q);
        self.create(key.clone(), table_sql(q, t));
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
            self.attach(key, comment_sql(&format!("TABLE {}", q.sql()), Some(c)));
        }
        for col in &t.columns {
            if let Some(c) = &col.comment {
                let target = format!("COLUMN {}.{}", q.sql(), ident(&col.name));
                self.attach(key, comment_sql(&target, Some(c)));
            }
        }
        for g in &t.grants {
            self.attach(key, grant_sql(g, &format!("TABLE {}", q.sql())));
            // Inserting into a serial column calls nextval() on its sequence, which needs
            // USAGE; identity columns need nothing.
            let inserts = g
                .privileges
                .iter()
                .any(|p| matches!(p, Privilege::Insert | Privilege::All));
            if inserts {
                for c in t.columns.iter().filter(|c| c.serial.is_some()) {
                    let seq = QName::new(&q.schema, format!("{}_{}_seq", q.name, c.name));
                    let usage = format!(
                        "GRANT USAGE ON SEQUENCE {} TO {}",
                        seq.sql(),
                        role_sql(&g.grantee)
                    );
                    self.attach(key, usage);
                }
            }
        }
    }

    pub fn view(&mut self, q: &QName) {
        let Some(v) = self.catalog.views.get(q) else {
            return;
        };
        let key = ObjectKey::new(view_kind(v), q);
        self.create(key.clone(), view_sql(q, v));
        let noun = if v.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        };
        if let Some(c) = &v.comment {
            self.attach(&key, comment_sql(&format!("{noun} {}", q.sql()), Some(c)));
        }
        for (col, c) in &v.column_comments {
            let target = format!("COLUMN {}.{}", q.sql(), ident(col));
            self.attach(&key, comment_sql(&target, Some(c)));
        }
        for g in &v.grants {
            self.attach(&key, grant_sql(g, &format!("TABLE {}", q.sql())));
        }
        for index in &v.indexes {
            let iq = QName::new(&q.schema, &index.name);
            let index_key = ObjectKey::new(ObjectKind::Index, &iq);
            self.create(index_key.clone(), index_sql(q, index, false));
            if let Some(c) = &index.comment {
                self.attach(
                    &index_key,
                    comment_sql(&format!("INDEX {}", iq.sql()), Some(c)),
                );
            }
        }
    }

    pub fn foreign_keys(&mut self) {
        for (q, t) in &self.catalog.tables {
            for fk in &t.foreign_keys {
                let key = ObjectKey::on_table(ObjectKind::ForeignKey, q, &fk.name);
                self.create(key, foreign_key_sql(q, fk, false));
            }
        }
    }

    pub fn indexes(&mut self) {
        for (q, t) in &self.catalog.tables {
            for index in &t.indexes {
                let iq = QName::new(&q.schema, &index.name);
                let key = ObjectKey::new(ObjectKind::Index, &iq);
                self.create(key.clone(), index_sql(q, index, false));
                if let Some(c) = &index.comment {
                    self.attach(&key, comment_sql(&format!("INDEX {}", iq.sql()), Some(c)));
                }
            }
        }
    }

    pub fn triggers(&mut self) {
        for (q, t) in &self.catalog.tables {
            for tr in &t.triggers {
                let key = ObjectKey::on_table(ObjectKind::Trigger, q, &tr.name);
                self.create(key.clone(), trigger_sql(q, tr, false));
                if let Some(c) = &tr.comment {
                    let target = format!("TRIGGER {} ON {}", ident(&tr.name), q.sql());
                    self.attach(&key, comment_sql(&target, Some(c)));
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
                let key = ObjectKey::on_table(ObjectKind::Policy, q, &p.name);
                self.create(key, policy_sql(q, p));
            }
        }
    }

    pub fn default_privileges(&mut self) {
        for (name, schema) in &self.catalog.schemas {
            for dp in &schema.default_privileges {
                self.attach(&schema_key(name), default_privilege_sql(name, dp, true));
            }
        }
    }
}

pub fn schema_key(name: &str) -> ObjectKey {
    ObjectKey {
        kind: ObjectKind::Schema,
        schema: name.to_string(),
        name: name.to_string(),
        table: None,
    }
}

pub fn view_kind(v: &ViewDef) -> ObjectKind {
    if v.materialized {
        ObjectKind::MaterializedView
    } else {
        ObjectKind::View
    }
}

pub use super::statements::default_privilege_sql;
