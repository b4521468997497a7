//! Owners of objects (issue 16), judged "upgrade ≡ fresh" (see `common_upgrade`, whose
//! dumps hold every `OWNER TO`) on a real PostgreSQL: a table with its partition, a view,
//! a materialized view, a function, an enum, a domain and a standalone sequence handed to
//! other roles, and back; then what the catalog says of each.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, scenario};

const OWNERS: &str = r#"
database: { name: c17_owners, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
  c17_ledger: {}
schemas:
  ledger:
    owner: c15_owner
    grants: [{ to: [c15_reader, c17_ledger], privileges: [usage] }]
    enums:
      entry_kind: { values: [debit, credit] }
    domains:
      cents: { type: bigint, checks: { cents_positive: "VALUE >= 0" } }
    sequences:
      voucher_no: { start: 1000 }
    tables:
      entries:
        columns:
          id: { type: bigint }
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
        grants: [{ to: [c15_reader], privileges: [select] }]
      notes:
        columns:
          id: { type: bigint, primary_key: true }
          entry_id: { type: bigint }
          entry_day: { type: date }
        foreign_keys:
          notes_entry_fkey: { columns: [entry_id, entry_day], references: entries }
    views:
      daily_totals:
        query: SELECT booked_on, sum(amount) AS total FROM ledger.entries GROUP BY booked_on
    materialized_views:
      kind_totals:
        query: SELECT kind, count(*) AS n FROM ledger.entries GROUP BY kind
    functions:
      entry_total:
        args: [{ name: day, type: date }]
        returns: bigint
        language: sql
        volatility: stable
        body: SELECT sum(amount)::bigint FROM ledger.entries WHERE booked_on = day
"#;

const BASE: Base = Base {
    text: OWNERS,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

const HANDED_OVER: &[(&str, &str)] = &[
    (
        "entry_kind: { values: [debit, credit] }",
        "entry_kind: { values: [debit, credit], owner: c17_ledger }",
    ),
    (
        "cents: { type: bigint,",
        "cents: { type: bigint, owner: c17_ledger,",
    ),
    (
        "voucher_no: { start: 1000 }",
        "voucher_no: { start: 1000, owner: c17_ledger }",
    ),
    (
        "      entries:\n        columns:",
        "      entries:\n        owner: c17_ledger\n        columns:",
    ),
    (
        "      daily_totals:\n",
        "      daily_totals:\n        owner: c15_reader\n",
    ),
    (
        "      kind_totals:\n",
        "      kind_totals:\n        owner: c15_reader\n",
    ),
    (
        "      entry_total:\n",
        "      entry_total:\n        owner: c17_ledger\n",
    ),
];

#[tokio::test]
async fn owners_handed_over_and_back() {
    let plan = scenario(&BASE, "owners", HANDED_OVER).await;
    let sql = plan.sql();
    for statement in [
        "ALTER TABLE ledger.entries OWNER TO c17_ledger",
        "ALTER TABLE ledger.entries_2026 OWNER TO c17_ledger",
        "ALTER MATERIALIZED VIEW ledger.kind_totals OWNER TO c15_reader",
        "ALTER FUNCTION ledger.entry_total(date) OWNER TO c17_ledger",
        "ALTER DOMAIN ledger.cents OWNER TO c17_ledger",
    ] {
        assert!(sql.contains(statement), "{statement}:\n{sql}");
    }

    let db = unique("c17_owners");
    BASE.provision(&db, &BASE.edited(HANDED_OVER));
    let conn = connect(&db_url(&db)).await;
    let owners = strings(
        &conn,
        "SELECT c.relname || ' ' || pg_get_userbyid(c.relowner) FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'ledger' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') \
         UNION ALL \
         SELECT t.typname || ' ' || pg_get_userbyid(t.typowner) FROM pg_type t \
         JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = 'ledger' AND t.typtype IN ('e', 'd') \
         UNION ALL \
         SELECT p.proname || ' ' || pg_get_userbyid(p.proowner) FROM pg_proc p \
         JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'ledger' \
         ORDER BY 1",
    )
    .await;
    assert_eq!(
        owners,
        [
            "cents c17_ledger",
            "daily_totals c15_reader",
            "entries c17_ledger",
            "entries_2026 c17_ledger",
            "entry_kind c17_ledger",
            "entry_total c17_ledger",
            "kind_totals c15_reader",
            "notes c15_owner",
            "voucher_no c17_ledger",
        ]
    );
    // The materialized view was filled when it was created, and its owner can refresh it.
    exec(
        &conn,
        "SET ROLE c15_reader; REFRESH MATERIALIZED VIEW ledger.kind_totals; RESET ROLE",
    )
    .await;
}

const LINKED: &str = r#"
database: { name: c17_linked, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
  c17_ledger: {}
schemas:
  ledger:
    owner: c15_owner
    grants: [{ to: [c17_ledger], privileges: [usage] }]
    sequences:
      voucher_no: { start: 1000, owner: c17_ledger }
    tables:
      notes:
        columns:
          id: { type: bigint, primary_key: true }
          voucher: { type: bigint }
"#;

const LINKED_BASE: Base = Base {
    text: LINKED,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

/// A sequence of another owner linked to a column: PostgreSQL refuses OWNED BY a table of
/// another owner, so the sequence is handed to the table's owner first; the way back
/// unlinks it and hands it back.
#[tokio::test]
async fn a_sequence_of_another_owner_linked_to_a_column() {
    let edits = &[(
        "voucher_no: { start: 1000, owner: c17_ledger }",
        "voucher_no: { start: 1000, owned_by: notes.voucher }",
    )];
    let plan = scenario(&LINKED_BASE, "linked_sequence", edits).await;
    let sql = plan.sql();
    let handed = sql
        .find("ALTER SEQUENCE ledger.voucher_no OWNER TO c15_owner")
        .expect(&sql);
    let linked = sql
        .find("ALTER SEQUENCE ledger.voucher_no OWNED BY ledger.notes.voucher")
        .expect(&sql);
    assert!(handed < linked, "{sql}");

    let db = unique("c17_linked");
    LINKED_BASE.provision(&db, &LINKED_BASE.edited(edits));
    let conn = connect(&db_url(&db)).await;
    let owned = strings(
        &conn,
        "SELECT pg_get_userbyid(c.relowner) || ' ' || \
                coalesce(pg_get_serial_sequence('ledger.notes', 'voucher'), '-') \
         FROM pg_class c WHERE c.oid = 'ledger.voucher_no'::regclass",
    )
    .await;
    assert_eq!(owned, ["c15_owner ledger.voucher_no"]);
}
