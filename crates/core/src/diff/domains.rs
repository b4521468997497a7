//! Domains: created whole; a new default, NOT NULL or check altered in place; a new base
//! type or collation (which ALTER DOMAIN cannot change) by replacing the domain and
//! converting its columns.

use super::Differ;
use crate::catalog::QName;
use crate::step::{Conversion, Step, Target};

impl Differ<'_> {
    pub(super) fn domains(&mut self) {
        for (q, domain) in &self.next.domains {
            let target = Target::Type { name: q.clone() };
            let Some(previous) = self.previous.domains.get(q) else {
                self.push(Step::CreateDomain { name: q.clone() });
                self.comment(target, None, domain.comment.as_ref());
                continue;
            };
            if previous.replaced_by(domain) {
                self.replace_domain(q);
                // A replaced domain starts without a comment.
                self.comment(target, None, domain.comment.as_ref());
                continue;
            }
            if previous.default != domain.default {
                self.push(Step::AlterDomainDefault { name: q.clone() });
            }
            if previous.not_null != domain.not_null {
                self.push(Step::SetDomainNullability {
                    name: q.clone(),
                    not_null: domain.not_null,
                });
            }
            for (check, expression) in &previous.checks {
                if domain.checks.get(check) != Some(expression) {
                    self.push(Step::DropDomainCheck {
                        name: q.clone(),
                        check: check.clone(),
                    });
                }
            }
            for (check, expression) in &domain.checks {
                if previous.checks.get(check) != Some(expression) {
                    self.push(Step::AddDomainCheck {
                        name: q.clone(),
                        check: check.clone(),
                    });
                }
            }
            self.comment(target, previous.comment.as_ref(), domain.comment.as_ref());
        }
        for q in self.previous.domains.keys() {
            if !self.next.domains.contains_key(q) {
                self.push(Step::DropDomain { name: q.clone() });
            }
        }
    }

    /// The old domain steps aside, the new one is created (in dependency order with the
    /// rest), the columns that keep the domain are cast to it, and the old one goes.
    fn replace_domain(&mut self, q: &QName) {
        self.push(Step::RenameDomainAside { name: q.clone() });
        self.push(Step::CreateDomain { name: q.clone() });
        self.convert_columns_of(q, Conversion::ReplacedDomain);
        self.push(Step::DropReplacedDomain { name: q.clone() });
    }
}
