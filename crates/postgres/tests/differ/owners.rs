//! Owners of objects: created as the database owner and handed over by the admin, which
//! then runs every statement on them; changed with `ALTER … OWNER TO`; a table's
//! partitions along with it, a column's sequence with its table.

const ROLES: &str = r#"
            database: { name: shop, owner: shop_owner }
            roles:
              shop_owner: {}
              ledger_owner: {}
              reporting: {}
"#;

/// Every kind of object with an owner of its own, created: each CREATE runs as the
/// database owner and is followed by `ALTER … OWNER TO` as the admin; indexes, comments,
/// grants, partitions and a foreign key to an owned table run as the admin.
#[test]
fn owners_of_new_objects() {
    case!()
        .after(&format!(
            "{ROLES}{}",
            r#"
            schemas:
              ledger:
                enums:
                  entry_kind: { values: [debit, credit], owner: ledger_owner }
                domains:
                  cents: { type: bigint, owner: ledger_owner, checks: { cents_positive: "VALUE >= 0" } }
                composite_types:
                  money_pair: { attributes: { amount: cents, kind: entry_kind }, owner: ledger_owner }
                sequences:
                  voucher_no: { start: 1000, owner: ledger_owner }
                tables:
                  entries:
                    owner: ledger_owner
                    comment: Booked entries
                    columns:
                      id: { type: bigserial }
                      booked_on: { type: date, nullable: false }
                      kind: { type: entry_kind }
                      amount: { type: cents }
                    primary_key: [id, booked_on]
                    partition_by: { range: [booked_on] }
                    partitions:
                      named:
                        entries_2026: { from: ["2026-01-01"], to: ["2027-01-01"] }
                    indexes:
                      entries_kind: { columns: [kind] }
                    grants:
                      - { to: [reporting], privileges: [select] }
                  notes:
                    columns:
                      id: { type: bigint, primary_key: true }
                      entry_id: { type: bigint }
                      entry_day: { type: date }
                    foreign_keys:
                      notes_entry_fkey:
                        columns: [entry_id, entry_day]
                        references: entries
                views:
                  daily_totals:
                    owner: reporting
                    query: SELECT booked_on, sum(amount) AS total FROM ledger.entries GROUP BY booked_on
                materialized_views:
                  kind_totals:
                    owner: reporting
                    query: SELECT kind, count(*) AS n FROM ledger.entries GROUP BY kind
                functions:
                  entry_total:
                    owner: ledger_owner
                    security_definer: true
                    args: [{ name: day, type: date }]
                    returns: bigint
                    language: sql
                    volatility: stable
                    body: SELECT sum(amount) FROM ledger.entries WHERE booked_on = day
                procedures:
                  close_day:
                    owner: ledger_owner
                    args: [{ name: day, type: date }]
                    body: BEGIN PERFORM 1; END
                aggregates:
                  cents_sum:
                    owner: ledger_owner
                    args: [bigint]
                    state_function: int8pl
                    state_type: bigint
            "#
        ))
        .check();
}

/// Owners changed, given back to the database owner and taken from it: one ALTER each
/// (a partitioned table's partitions too), in the Access phase, as the admin; a sequence
/// a column owns follows its table and gets no ALTER of its own.
#[test]
fn owners_changed() {
    let before = format!(
        "{ROLES}{}",
        r#"
            schemas:
              ledger:
                sequences:
                  entry_seq: { owned_by: entries.seq_no }
                tables:
                  entries:
                    owner: ledger_owner
                    columns:
                      seq_no: { type: bigint }
                      booked_on: { type: date, nullable: false }
                    partition_by: { range: [booked_on] }
                    partitions:
                      named:
                        entries_2026: { from: ["2026-01-01"], to: ["2027-01-01"] }
                views:
                  daily: { owner: reporting, query: SELECT 1 AS one }
                functions:
                  one: { returns: integer, language: sql, body: SELECT 1 }
            "#
    );
    let after = format!(
        "{ROLES}{}",
        r#"
            schemas:
              ledger:
                sequences:
                  entry_seq: { owned_by: entries.seq_no }
                tables:
                  entries:
                    owner: reporting
                    columns:
                      seq_no: { type: bigint }
                      booked_on: { type: date, nullable: false }
                    partition_by: { range: [booked_on] }
                    partitions:
                      named:
                        entries_2026: { from: ["2026-01-01"], to: ["2027-01-01"] }
                views:
                  daily: { query: SELECT 1 AS one }
                functions:
                  one: { owner: ledger_owner, returns: integer, language: sql, body: SELECT 1 }
            "#
    );
    let steps = case!().before(&before).after(&after).check();
    assert_eq!(
        steps.len(),
        3,
        "one ALTER per object, none for the sequence"
    );
}

/// `owner` naming the database owner is the default: no change against a model that
/// leaves it out, either way.
#[test]
fn owner_equal_to_the_database_owner_is_no_change() {
    let without = format!(
        "{ROLES}{}",
        r#"
            schemas:
              ledger:
                tables:
                  entries: { columns: { id: { type: bigint } } }
            "#
    );
    let with = without.replace("entries: {", "entries: { owner: shop_owner,");
    assert!(with.contains("owner: shop_owner,"));
    let steps = case!().before(&without).after(&with).check();
    assert!(steps.is_empty(), "{steps:#?}");
    let steps = crate::harness::Case::new("owner_equal_to_the_database_owner_removed")
        .before(&with)
        .after(&without)
        .check();
    assert!(steps.is_empty(), "{steps:#?}");
}

/// A sequence of its own owner linked to a column (`owned_by`): PostgreSQL links a
/// sequence only to a table of the same owner, so the sequence goes to the table's owner
/// first, as the admin, in the same step; the table's own hand-over then moves both.
#[test]
fn sequence_owned_by_a_column_takes_its_tables_owner_first() {
    let steps = case!()
        .before(&format!(
            "{ROLES}{}",
            r#"
            schemas:
              ledger:
                sequences:
                  voucher_no: { start: 1000, owner: reporting }
                tables:
                  entries:
                    columns:
                      id: { type: bigint, primary_key: true }
                      voucher: { type: bigint }
            "#
        ))
        .after(&format!(
            "{ROLES}{}",
            r#"
            schemas:
              ledger:
                sequences:
                  voucher_no: { start: 1000, owned_by: entries.voucher }
                tables:
                  entries:
                    owner: ledger_owner
                    columns:
                      id: { type: bigint, primary_key: true }
                      voucher: { type: bigint }
            "#
        ))
        .check();
    let sql: Vec<String> = steps
        .iter()
        .flat_map(|s| s.statements.iter().map(|st| st.sql.clone()))
        .filter(|sql| sql.contains("OWNER TO") || sql.contains("OWNED BY"))
        .collect();
    assert_eq!(
        sql,
        [
            "ALTER SEQUENCE ledger.voucher_no OWNER TO shop_owner",
            "ALTER SEQUENCE ledger.voucher_no OWNED BY ledger.entries.voucher",
            "ALTER TABLE ledger.entries OWNER TO ledger_owner",
        ]
    );
}
