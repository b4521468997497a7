//! A standalone sequence as the model writes it: only the options PostgreSQL would not
//! have chosen by itself.

use crate::catalog::{QName, SequenceDef};
use crate::model::{Sequence, SequenceType};

use super::model::{Extra, Writer, grants};

pub(super) fn sequence(w: &mut Writer, extra: &Extra, q: &QName, def: &SequenceDef) -> Sequence {
    let s = &def.options;
    let mut out = Sequence {
        data_type: (s.data_type != SequenceType::Bigint).then_some(s.data_type),
        increment: (s.increment != 1).then_some(s.increment),
        cache: (s.cache != 1).then_some(s.cache),
        cycle: s.cycle,
        owned_by: def
            .owned_by
            .as_ref()
            .map(|o| format!("{}.{}", o.table, o.column)),
        comment: def.comment.clone(),
        // A sequence a column owns has its table's owner, which the table says.
        owner: match def.owned_by {
            Some(_) => None,
            None => w.owner(&format!("sequence {q}"), &def.owner, extra),
        },
        grants: grants(w, extra, &format!("sequence {q}"), &def.grants),
        ..Sequence::default()
    };
    // The bounds' defaults follow from the type and direction, the start's from the bounds.
    let defaults = out.options();
    out.min_value = (s.min_value != defaults.min_value).then_some(s.min_value);
    out.max_value = (s.max_value != defaults.max_value).then_some(s.max_value);
    out.start = (s.start != out.options().start).then_some(s.start);
    out
}
