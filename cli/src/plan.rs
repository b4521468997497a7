//! A plan as the commands see it: its steps with their descriptions and hazards, its SQL
//! text, and its JSON form, whichever flavour computed it.

use serde::Serialize;

use schemactl_core::statement::RenderedStep;
use schemactl_core::step::Hazard;
use schemactl_postgres::script::{self, Script};

/// The steps from a database to the model.
#[derive(Debug, Clone)]
pub enum Plan {
    /// PostgreSQL: typed steps rendered by the flavour, with the database owner that
    /// creates objects.
    Postgres {
        steps: Vec<RenderedStep>,
        owner: Option<String>,
    },
    /// SQLite (until it moves onto the engine): statements with their descriptions.
    Sqlite(crate::diff::Plan),
}

/// One step for people: what it does and what can go wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepSummary {
    pub description: String,
    pub hazards: Vec<Hazard>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        match self {
            Plan::Postgres { steps, .. } => steps.len(),
            Plan::Sqlite(plan) => plan.changes.len(),
        }
    }

    pub fn summaries(&self) -> Vec<StepSummary> {
        match self {
            Plan::Postgres { steps, .. } => steps
                .iter()
                .map(|s| StepSummary {
                    description: s.description.clone(),
                    hazards: s.hazards.clone(),
                })
                .collect(),
            Plan::Sqlite(plan) => plan
                .changes
                .iter()
                .map(|c| StepSummary {
                    description: c.description.clone(),
                    hazards: c.hazards.clone(),
                })
                .collect(),
        }
    }

    /// The PostgreSQL plan laid out for execution.
    pub fn script(&self) -> Option<Script> {
        match self {
            Plan::Postgres { steps, owner } => Some(script::layout(steps, owner.as_deref())),
            Plan::Sqlite(_) => None,
        }
    }

    /// The plan as a SQL script.
    pub fn sql(&self) -> String {
        match self {
            Plan::Postgres { steps, owner } => script::layout(steps, owner.as_deref()).to_sql(),
            Plan::Sqlite(plan) => plan.sql(),
        }
    }

    /// The plan as JSON: each step typed, with its description, hazards and statements.
    pub fn json(&self) -> String {
        let value = match self {
            Plan::Postgres { steps, .. } => serde_json::to_value(steps),
            Plan::Sqlite(plan) => serde_json::to_value(plan),
        };
        value
            .and_then(|v| serde_json::to_string_pretty(&v))
            .unwrap_or_default()
    }
}
