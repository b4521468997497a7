//! What a provisioning run did, counted by kind of object, for the closing log.

use std::collections::BTreeMap;

/// Each object counts once, under what happened to it: what is part of creating an object
/// (the comment on a new table, the grants on a new schema) is not also counted as a
/// change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub created: BTreeMap<String, usize>,
    pub changed: BTreeMap<String, usize>,
    pub dropped: BTreeMap<String, usize>,
    /// Versioned migrations applied.
    pub applied: BTreeMap<String, usize>,
}

impl Summary {
    pub fn created(&mut self, kind: &str) {
        *self.created.entry(kind.to_string()).or_default() += 1;
    }

    pub fn changed(&mut self, kind: &str) {
        *self.changed.entry(kind.to_string()).or_default() += 1;
    }

    pub fn dropped(&mut self, kind: &str) {
        *self.dropped.entry(kind.to_string()).or_default() += 1;
    }

    pub fn applied(&mut self, kind: &str) {
        *self.applied.entry(kind.to_string()).or_default() += 1;
    }

    pub fn merge(&mut self, other: Summary) {
        for (mine, theirs) in [
            (&mut self.created, other.created),
            (&mut self.changed, other.changed),
            (&mut self.dropped, other.dropped),
            (&mut self.applied, other.applied),
        ] {
            for (k, n) in theirs {
                *mine.entry(k).or_default() += n;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.created.is_empty()
            && self.changed.is_empty()
            && self.dropped.is_empty()
            && self.applied.is_empty()
    }

    /// One line per verb, e.g. `created: 12 tables, 40 indexes`.
    pub fn lines(&self) -> Vec<String> {
        let render = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, n)| format!("{n} {}", if *n == 1 { k.clone() } else { plural(k) }))
                .collect::<Vec<_>>()
                .join(", ")
        };
        [
            ("dropped", &self.dropped),
            ("created", &self.created),
            ("changed", &self.changed),
            ("applied", &self.applied),
        ]
        .into_iter()
        .filter(|(_, counts)| !counts.is_empty())
        .map(|(verb, counts)| format!("{verb}: {}", render(counts)))
        .collect()
    }
}

/// English plural of the nouns used for object kinds.
fn plural(noun: &str) -> String {
    let consonant_y = noun.ends_with('y')
        && !noun.ends_with("ay")
        && !noun.ends_with("ey")
        && !noun.ends_with("oy");
    if consonant_y {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if noun.ends_with('x') || noun.ends_with('s') {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_english() {
        let mut s = Summary::default();
        s.created("index");
        s.created("index");
        s.created("policy");
        s.created("policy");
        s.created("database");
        s.changed("role membership");
        s.created("foreign key");
        s.created("foreign key");
        assert_eq!(
            s.lines(),
            [
                "created: 1 database, 2 foreign keys, 2 indexes, 2 policies",
                "changed: 1 role membership"
            ]
        );
    }
}
