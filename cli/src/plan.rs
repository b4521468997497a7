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
    /// SQLite: typed steps rendered by the flavour.
    Sqlite(Vec<RenderedStep>),
    /// DuckDB: typed steps rendered by the flavour.
    #[cfg(feature = "duckdb")]
    Duckdb(Vec<RenderedStep>),
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
            Plan::Sqlite(steps) => steps.len(),
            #[cfg(feature = "duckdb")]
            Plan::Duckdb(steps) => steps.len(),
        }
    }

    pub fn summaries(&self) -> Vec<StepSummary> {
        self.steps()
            .iter()
            .map(|s| StepSummary {
                description: s.description.clone(),
                hazards: s.hazards.clone(),
            })
            .collect()
    }

    /// The rendered steps, whichever flavour.
    pub fn steps(&self) -> &[RenderedStep] {
        match self {
            Plan::Postgres { steps, .. } | Plan::Sqlite(steps) => steps,
            #[cfg(feature = "duckdb")]
            Plan::Duckdb(steps) => steps,
        }
    }

    /// The PostgreSQL plan laid out for execution.
    pub fn script(&self) -> Option<Script> {
        match self {
            Plan::Postgres { steps, owner } => Some(script::layout(steps, owner.as_deref())),
            Plan::Sqlite(_) => None,
            #[cfg(feature = "duckdb")]
            Plan::Duckdb(_) => None,
        }
    }

    /// The plan as a SQL script.
    pub fn sql(&self) -> String {
        match self {
            Plan::Postgres { steps, owner } => script::layout(steps, owner.as_deref()).to_sql(),
            Plan::Sqlite(steps) => schemactl_sqlite::script_sql(steps),
            #[cfg(feature = "duckdb")]
            Plan::Duckdb(steps) => crate::duck::script_sql(steps),
        }
    }

    /// The plan as JSON: each step typed, with its description, hazards and statements.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self.steps()).unwrap_or_default()
    }
}
