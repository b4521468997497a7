//! What a provisioning run did, counted by kind of object, for the closing log.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub created: BTreeMap<String, usize>,
    pub changed: BTreeMap<String, usize>,
}

impl Summary {
    pub fn created(&mut self, kind: &str) {
        *self.created.entry(kind.to_string()).or_default() += 1;
    }

    pub fn changed(&mut self, kind: &str) {
        *self.changed.entry(kind.to_string()).or_default() += 1;
    }

    pub fn merge(&mut self, other: Summary) {
        for (k, n) in other.created {
            *self.created.entry(k).or_default() += n;
        }
        for (k, n) in other.changed {
            *self.changed.entry(k).or_default() += n;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.changed.is_empty()
    }

    /// One line per kind, e.g. `created: 12 tables, 40 indexes`.
    pub fn lines(&self) -> Vec<String> {
        let render = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = Vec::new();
        if !self.created.is_empty() {
            out.push(format!("created: {}", render(&self.created)));
        }
        if !self.changed.is_empty() {
            out.push(format!("changed: {}", render(&self.changed)));
        }
        out
    }
}
