//! Standalone sequences: created with the containers (column defaults call them),
//! owned once their column exists, dropped after what used them.

use super::Differ;
use crate::step::{Step, Target};

impl Differ<'_> {
    pub(super) fn sequences(&mut self) {
        for (q, sequence) in &self.next.sequences {
            let target = Target::Sequence { name: q.clone() };
            let Some(previous) = self.previous.sequences.get(q) else {
                self.push(Step::CreateSequence { name: q.clone() });
                if sequence.owned_by.is_some() {
                    self.push(Step::SetSequenceOwner { name: q.clone() });
                }
                self.comment(target.clone(), None, sequence.comment.as_ref());
                self.grants(&target, &[], &sequence.grants);
                continue;
            };
            if previous.options != sequence.options {
                self.push(Step::AlterSequence { name: q.clone() });
            }
            if previous.owned_by != sequence.owned_by {
                // Detached first: dropping the old owning column would drop the sequence.
                if previous.owned_by.is_some() {
                    self.push(Step::DisownSequence { name: q.clone() });
                }
                if sequence.owned_by.is_some() {
                    self.push(Step::SetSequenceOwner { name: q.clone() });
                }
            }
            self.comment(
                target.clone(),
                previous.comment.as_ref(),
                sequence.comment.as_ref(),
            );
            self.grants(&target, &previous.grants, &sequence.grants);
        }
        for (q, previous) in &self.previous.sequences {
            if self.next.sequences.contains_key(q) {
                continue;
            }
            // An owned sequence would go with its table, before the plan drops it by name.
            if previous.owned_by.is_some() {
                self.push(Step::DisownSequence { name: q.clone() });
            }
            self.push(Step::DropSequence { name: q.clone() });
        }
    }
}
