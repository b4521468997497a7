//! The SQLite pipeline's plan type, until SQLite moves onto the engine (`schemactl-core`
//! steps rendered by a flavour, as PostgreSQL does). Hints and hazards are the engine's.

use std::collections::BTreeSet;

use serde::Serialize;

pub use schemactl_core::diff::Hints;
pub use schemactl_core::step::Hazard;

/// One statement of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What the step does, for people: `add column steam.applications.rating`.
    pub description: String,
    pub sql: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
    /// Runs outside the plan's transaction (`CONCURRENTLY`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub concurrent: bool,
    /// Cluster-level (roles and memberships): runs as the connecting admin rather than
    /// as the database owner.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub as_admin: bool,
}

impl Change {
    pub fn new(description: impl Into<String>, sql: impl Into<String>) -> Change {
        Change {
            description: description.into(),
            sql: sql.into(),
            hazards: Vec::new(),
            concurrent: false,
            as_admin: false,
        }
    }

    pub fn as_admin(mut self) -> Change {
        self.as_admin = true;
        self
    }

    pub fn hazard(mut self, hazard: Hazard) -> Change {
        if !self.hazards.contains(&hazard) {
            self.hazards.push(hazard);
        }
        self
    }

    pub fn concurrent(mut self) -> Change {
        self.concurrent = true;
        self
    }
}

/// The plan from `current` to `desired`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// SQLite: the plan rebuilds tables, so foreign keys are switched off around its
    /// transaction and `PRAGMA foreign_key_check` must find nothing before the commit.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub foreign_keys_off: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Every hazard any step carries.
    pub fn hazards(&self) -> BTreeSet<Hazard> {
        self.changes
            .iter()
            .flat_map(|c| c.hazards.iter().copied())
            .collect()
    }

    /// The plan as a script: the transactional steps in one transaction, then the
    /// concurrent ones, each preceded by a comment naming it and its hazards.
    pub fn sql(&self) -> String {
        let mut out = String::new();
        let (concurrent, transactional): (Vec<&Change>, Vec<&Change>) =
            self.changes.iter().partition(|c| c.concurrent);
        if !transactional.is_empty() {
            if self.foreign_keys_off {
                out.push_str("PRAGMA foreign_keys = OFF;\n");
            }
            out.push_str("BEGIN;\n\n");
            for c in &transactional {
                push_step(&mut out, c);
            }
            if self.foreign_keys_off {
                out.push_str("-- the rebuilt tables must not break a reference\nPRAGMA foreign_key_check;\n\n");
            }
            out.push_str("COMMIT;\n");
            if self.foreign_keys_off {
                out.push_str("PRAGMA foreign_keys = ON;\n");
            }
        }
        if !concurrent.is_empty() {
            out.push_str("\n-- CONCURRENTLY cannot run inside a transaction block.\n\n");
            for c in &concurrent {
                push_step(&mut out, c);
            }
        }
        out
    }
}

/// One step as script text: a comment with its description and hazards, then the SQL.
pub(crate) fn push_step(out: &mut String, c: &Change) {
    out.push_str(&format!("-- {}", c.description));
    if !c.hazards.is_empty() {
        let names: Vec<String> = c.hazards.iter().map(Hazard::to_string).collect();
        out.push_str(&format!(" [hazard: {}]", names.join(", ")));
    }
    out.push('\n');
    out.push_str(&c.sql);
    out.push_str(";\n\n");
}
