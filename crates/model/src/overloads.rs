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
    /// One routine as `One`, several as `Many`: the form a writer of the model uses.
    pub fn from_vec(mut routines: Vec<T>) -> Overloads<T> {
        if routines.len() == 1 {
            Overloads::One(routines.remove(0))
        } else {
            Overloads::Many(routines)
        }
    }

    pub fn as_slice(&self) -> &[T] {
        match self {
            Overloads::Many(list) => list,
            Overloads::One(one) => std::slice::from_ref(one),
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// The routines with the JSON pointer of each: the name's own (`at`) for the one
    /// routine of a name, `at/i` for the `i`th of a list.
    pub fn located(&self, at: &str) -> Vec<(String, &T)> {
        let listed = matches!(self, Overloads::Many(_));
        self.iter()
            .enumerate()
            .map(|(i, routine)| {
                let pointer = if listed {
                    format!("{at}/{i}")
                } else {
                    at.to_string()
                };
                (pointer, routine)
            })
            .collect()
    }

    pub fn push(&mut self, routine: T) {
        let list = match std::mem::replace(self, Overloads::Many(Vec::new())) {
            Overloads::Many(list) => list,
            Overloads::One(one) => vec![one],
        };
        let mut list = list;
        list.push(routine);
        *self = Overloads::Many(list);
    }
}

impl<T> From<T> for Overloads<T> {
    fn from(routine: T) -> Overloads<T> {
        Overloads::One(routine)
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
        let mut routines = Overloads::from_vec(vec![1]);
        assert!(matches!(routines, Overloads::One(1)));
        routines.push(2);
        assert_eq!(routines.as_slice(), [1, 2]);
        assert!(matches!(
            Overloads::from_vec(vec![1, 2]),
            Overloads::Many(_)
        ));
    }
}
