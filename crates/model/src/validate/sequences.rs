//! Standalone sequences: options PostgreSQL would refuse, and what `owned_by` names.

use super::{ObjectKind, Validator};
use crate::diag::Diagnostic;
use crate::load::pointer;
use crate::{Column, Schema, Sequence, SequenceType};

impl Validator<'_> {
    pub(super) fn sequences(&mut self, schema_name: &str, schema: &Schema) {
        for (name, sequence) in &schema.sequences {
            let at = pointer(["schemas", schema_name, "sequences", name]);
            self.identifier(&at, name, true);
            self.sequence_options(&at, &format!("{schema_name}.{name}"), sequence);
            if let Some(owner) = &sequence.owned_by {
                self.owned_by(&format!("{at}/owned_by"), schema_name, schema, name, owner);
            }
            self.grants(
                &format!("{at}/grants"),
                &sequence.grants,
                ObjectKind::Sequence,
            );
        }
    }

    /// `identity_options` need an identity column, and are checked as the options of its
    /// sequence (named `<table>_<column>_seq`, as PostgreSQL names it).
    pub(super) fn identity_options(
        &mut self,
        col_at: &str,
        schema_name: &str,
        table_name: &str,
        column_name: &str,
        column: &Column,
    ) {
        let Some(options) = &column.identity_options else {
            return;
        };
        let at = format!("{col_at}/identity_options");
        if column.identity.is_none() {
            self.error(
                Diagnostic::at_key(
                    at,
                    format!("column `{table_name}.{column_name}` has `identity_options` but is not an identity column"),
                )
                .with_hint("add `identity: always` or `identity: by_default`, or remove `identity_options`"),
            );
            return;
        }
        // A type that is not an integer is reported at `identity`.
        if let Some(data_type) = SequenceType::of_column(&column.ty) {
            let sequence = format!("{schema_name}.{table_name}_{column_name}_seq");
            self.sequence_options(&at, &sequence, &options.sequence(data_type));
        }
    }

    /// What `CREATE SEQUENCE` would refuse, reported at the option.
    fn sequence_options(&mut self, at: &str, qualified: &str, sequence: &Sequence) {
        let options = sequence.options();
        let data_type = options.data_type.sql();
        let (lo, hi) = options.data_type.range();
        if options.increment == 0 {
            self.error(Diagnostic::new(
                format!("{at}/increment"),
                format!("sequence `{qualified}`: increment must not be zero"),
            ));
            return;
        }
        for (key, value) in [
            ("min_value", sequence.min_value),
            ("max_value", sequence.max_value),
            ("start", sequence.start),
        ] {
            if let Some(value) = value.filter(|v| *v < lo || *v > hi) {
                self.error(
                    Diagnostic::new(
                        format!("{at}/{key}"),
                        format!(
                            "sequence `{qualified}`: {key} {value} is out of range for {data_type}"
                        ),
                    )
                    .with_hint(format!("{data_type} holds {lo} to {hi}")),
                );
                return;
            }
        }
        if options.min_value >= options.max_value {
            let key = if sequence.min_value.is_some() {
                "min_value"
            } else {
                "max_value"
            };
            self.error(Diagnostic::new(
                format!("{at}/{key}"),
                format!(
                    "sequence `{qualified}`: min_value {} must be less than max_value {}",
                    options.min_value, options.max_value
                ),
            ));
            return;
        }
        if options.start < options.min_value || options.start > options.max_value {
            let key = if sequence.start.is_some() {
                "start"
            } else {
                "min_value"
            };
            self.error(Diagnostic::new(
                format!("{at}/{key}"),
                format!(
                    "sequence `{qualified}`: start {} is outside min_value {} .. max_value {}",
                    options.start, options.min_value, options.max_value
                ),
            ));
        }
        if options.cache < 1 {
            self.error(Diagnostic::new(
                format!("{at}/cache"),
                format!("sequence `{qualified}`: cache must be at least 1"),
            ));
        }
    }

    /// `owned_by` names a column of a table of the same schema (PostgreSQL's rule).
    fn owned_by(
        &mut self,
        at: &str,
        schema_name: &str,
        schema: &Schema,
        sequence: &str,
        owner: &str,
    ) {
        let Some((table_name, column)) = owner.split_once('.') else {
            self.error(
                Diagnostic::new(at, format!("owned_by `{owner}` is not `table.column`")).with_hint(
                    format!("name a column of a table of schema `{schema_name}`, e.g. `orders.id`"),
                ),
            );
            return;
        };
        let Some(table) = schema.tables.get(table_name) else {
            self.error(
                Diagnostic::new(
                    at,
                    format!("owned_by names table `{schema_name}.{table_name}`, which the model does not declare"),
                )
                .with_hint("a sequence can only be owned by a table of its own schema"),
            );
            return;
        };
        let Some(def) = table.columns.get(column) else {
            self.error(Diagnostic::new(
                at,
                format!("owned_by names column `{column}`, which table `{schema_name}.{table_name}` does not have"),
            ));
            return;
        };
        // A column that owns the sequence its default numbers from is what `serial` makes:
        // PostgreSQL's catalog cannot tell the two apart, so the model has one spelling.
        let numbers_from_it = def
            .default
            .as_ref()
            .and_then(|d| d.as_str())
            .is_some_and(|d| is_nextval_of(d, schema_name, sequence));
        if numbers_from_it {
            self.error(
                Diagnostic::new(
                    at,
                    format!(
                        "column `{schema_name}.{owner}` owns sequence `{sequence}` and takes its \
                         default from it: that is a serial column"
                    ),
                )
                .with_hint(
                    "declare the column `type: bigserial` (or `serial`) and remove the sequence, \
                     or drop `owned_by` to keep the sequence standalone",
                ),
            );
        }
    }
}

/// Whether a default is exactly `nextval('sequence')` (qualified or not, with or without
/// `::regclass`): what PostgreSQL reads back as a serial column when the column owns it.
fn is_nextval_of(default: &str, schema: &str, sequence: &str) -> bool {
    // Spaces may surround the call's parts, but not be removed inside the literal: a
    // quoted sequence name may hold one.
    let Some(rest) = default
        .trim()
        .strip_prefix("nextval")
        .and_then(|r| r.trim_start().strip_prefix('('))
        .and_then(|r| r.trim_start().strip_prefix('\''))
    else {
        return false;
    };
    let Some(end) = rest.find('\'') else {
        return false;
    };
    let tail: String = rest[end + 1..].split_whitespace().collect();
    if tail != ")" && tail != "::regclass)" {
        return false;
    }
    match crate::types::name_parts(&rest[..end]).as_deref() {
        Some([s, name]) => s == schema && name == sequence,
        Some([name]) => name == sequence,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_nextval_of;

    #[test]
    fn only_a_bare_nextval_of_the_sequence_is_serial() {
        assert!(is_nextval_of("nextval('ticket_no')", "shop", "ticket_no"));
        assert!(is_nextval_of(
            "nextval( 'shop.ticket_no'::regclass )",
            "shop",
            "ticket_no"
        ));
        assert!(is_nextval_of(
            "nextval('shop.\"Ticket No\"'::regclass)",
            "shop",
            "Ticket No"
        ));
        assert!(!is_nextval_of(
            "nextval('shop.\"Ticket No\"')",
            "shop",
            "TicketNo"
        ));
        assert!(!is_nextval_of(
            "nextval('shop.ticket_no') + 0",
            "shop",
            "ticket_no"
        ));
        assert!(!is_nextval_of(
            "nextval('other.ticket_no')",
            "shop",
            "ticket_no"
        ));
        assert!(!is_nextval_of(
            "'T-' || nextval('ticket_no')",
            "shop",
            "ticket_no"
        ));
    }
}
