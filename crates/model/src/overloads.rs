//! The routines of one name: PostgreSQL tells functions, procedures and aggregates apart
//! by name and argument types, so one name may stand for several (overloads).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One routine under its name, or a list of overloads, each with other argument types:
///
/// ```yaml
/// functions:
///   area:
///     - args: [{name: d, type: app.disc}]
///       returns: double precision
///       body: "SELECT pi() * (d).r ^ 2"
///     - args: [{name: b, type: app.rect}]
///       returns: double precision
///       body: "SELECT (b).w * (b).h"
/// ```
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(untagged)]
pub enum Overloads<T> {
    /// Several routines of one name (overloads), told apart by their argument types.
    Many(Vec<T>),
    One(T),
}

impl<T> Overloads<T> {
    pub fn as_slice(&self) -> &[T] {
        match self {
            Overloads::Many(list) => list,
            Overloads::One(one) => std::slice::from_ref(one),
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// The routines with their place in the name's list: `None` for the one routine of
    /// a name, `Some(i)` for the `i`th of a list.
    pub fn indexed(&self) -> impl Iterator<Item = (Option<usize>, &T)> {
        let listed = matches!(self, Overloads::Many(_));
        self.iter()
            .enumerate()
            .map(move |(i, routine)| (listed.then_some(i), routine))
    }

    /// The routines with the JSON pointer of each: the name's own (`at`) for the one
    /// routine of a name, `at/i` for the `i`th of a list.
    pub fn located(&self, at: &str) -> Vec<(String, &T)> {
        self.indexed()
            .map(|(i, routine)| match i {
                Some(i) => (format!("{at}/{i}"), routine),
                None => (at.to_string(), routine),
            })
            .collect()
    }

    pub fn push(&mut self, routine: T) {
        let mut list = match std::mem::replace(self, Overloads::Many(Vec::new())) {
            Overloads::Many(list) => list,
            Overloads::One(one) => vec![one],
        };
        list.push(routine);
        *self = Overloads::Many(list);
    }
}

impl<'a, T> IntoIterator for &'a Overloads<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Function;

    #[test]
    fn one_routine_reads_and_writes_as_a_map_several_as_a_list() {
        let one: Overloads<Function> = serde_json::from_value(serde_json::json!({
            "returns": "integer", "body": "SELECT 1"
        }))
        .unwrap();
        assert!(matches!(one, Overloads::One(_)));
        assert!(serde_json::to_value(&one).unwrap().is_object());

        let many: Overloads<Function> = serde_json::from_value(serde_json::json!([
            {"args": [{"name": "x", "type": "integer"}], "returns": "integer", "body": "SELECT x"},
            {"args": [{"name": "x", "type": "text"}], "returns": "text", "body": "SELECT x"}
        ]))
        .unwrap();
        assert_eq!(many.as_slice().len(), 2);
        assert_eq!(many.as_slice()[1].args[0].ty, "text");
        assert!(serde_json::to_value(&many).unwrap().is_array());
        assert_eq!(
            many.located("/f")
                .into_iter()
                .map(|(at, _)| at)
                .collect::<Vec<_>>(),
            ["/f/0", "/f/1"]
        );
        assert_eq!(one.located("/f")[0].0, "/f");
    }

    #[test]
    fn push_turns_one_into_a_list() {
        let mut routines = Overloads::One(1);
        assert_eq!(routines.indexed().collect::<Vec<_>>(), [(None, &1)]);
        routines.push(2);
        assert!(matches!(routines, Overloads::Many(_)));
        assert_eq!(routines.as_slice(), [1, 2]);
        assert_eq!(
            routines.indexed().collect::<Vec<_>>(),
            [(Some(0), &1), (Some(1), &2)]
        );
    }
}
