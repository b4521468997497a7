//! `access_tests`: each names a declared role, a statement and one consistent
//! expectation; names are unique so that reports can be read back to the model.

use std::collections::HashMap;

use super::Validator;
use crate::diag::Diagnostic;
use crate::load::pointer;

impl Validator<'_> {
    pub(super) fn access_tests(&mut self) {
        let mut names: HashMap<&str, usize> = HashMap::new();
        for (i, test) in self.model.access_tests.iter().enumerate() {
            let at = pointer(["access_tests".to_string(), i.to_string()]);
            if test.name.trim().is_empty() {
                self.error(Diagnostic::new(
                    format!("{at}/name"),
                    "access test without a name",
                ));
            } else if let Some(first) = names.insert(test.name.as_str(), i) {
                self.error(
                    Diagnostic::new(
                        format!("{at}/name"),
                        format!("access test `{}` is named twice", test.name),
                    )
                    .with_hint(format!("the first is entry {first} of `access_tests`")),
                );
            }
            self.access_role(&format!("{at}/as"), &test.role);
            if test.sql.trim().is_empty() {
                self.error(Diagnostic::new(
                    format!("{at}/sql"),
                    format!("access test `{}` has no statement", test.name),
                ));
            }
            for (j, setup) in test.setup.iter().enumerate() {
                if setup.trim().is_empty() {
                    self.error(Diagnostic::new(
                        format!("{at}/setup/{j}"),
                        "an empty setup statement",
                    ));
                }
            }
            for name in test.settings.keys() {
                if name.trim().is_empty() || name.contains(char::is_whitespace) {
                    self.error(Diagnostic::at_key(
                        format!("{at}/settings/{}", crate::load::escape_pointer(name)),
                        format!("`{name}` is not a setting name"),
                    ));
                }
            }
            self.expectation(&at, test);
        }
    }

    /// The role must be one the model declares: a test as an undeclared role would run
    /// against whatever the dev server happens to hold.
    fn access_role(&mut self, at: &str, role: &str) {
        if self.model.roles.contains_key(role) {
            return;
        }
        let mut known: Vec<&str> = self.model.roles.keys().map(String::as_str).collect();
        known.sort_unstable();
        let hint = match known
            .iter()
            .find(|k| strsim::damerau_levenshtein(k, role) <= 2)
        {
            Some(near) => format!("did you mean `{near}`?"),
            None if known.is_empty() => "declare it under `roles`".to_string(),
            None => format!("declared roles: {}", known.join(", ")),
        };
        self.error(
            Diagnostic::new(
                at,
                format!("access test runs as `{role}`, which the model does not declare"),
            )
            .with_hint(hint),
        );
    }

    fn expectation(&mut self, at: &str, test: &crate::AccessTest) {
        let expect = &test.expect;
        let succeeds = expect.rows.is_some() || expect.all.is_some();
        let fails = expect.fails.is_some() || expect.sqlstate.is_some();
        if !succeeds && !fails {
            self.error(
                Diagnostic::new(
                    format!("{at}/expect"),
                    format!("access test `{}` expects nothing", test.name),
                )
                .with_hint("give `rows`, `all`, `fails` or `sqlstate`"),
            );
        }
        if succeeds && fails {
            self.error(
                Diagnostic::new(
                    format!("{at}/expect"),
                    format!(
                        "access test `{}` expects the statement both to succeed (`rows`, \
                         `all`) and to fail (`fails`, `sqlstate`)",
                        test.name
                    ),
                )
                .with_hint("keep one of the two"),
            );
        }
        if expect.fails.is_some() && expect.sqlstate.is_some() {
            self.error(
                Diagnostic::new(
                    format!("{at}/expect/sqlstate"),
                    "give `fails` or `sqlstate`, not both",
                )
                .with_hint("`fails` means SQLSTATE 42501; `sqlstate` names any other code"),
            );
        }
        if let Some(code) = &expect.sqlstate {
            let valid = code.len() == 5
                && code
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
            if !valid {
                self.error(
                    Diagnostic::new(
                        format!("{at}/expect/sqlstate"),
                        format!("`{code}` is not a SQLSTATE"),
                    )
                    .with_hint("five digits or capital letters, e.g. 42501 or 23505"),
                );
            }
        }
        if let Some(all) = &expect.all
            && all.trim().is_empty()
        {
            self.error(Diagnostic::new(
                format!("{at}/expect/all"),
                "an empty predicate",
            ));
        }
    }
}
