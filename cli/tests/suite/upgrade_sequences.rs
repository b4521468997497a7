//! Standalone sequences (issue 16), judged "upgrade ≡ fresh" (see `common_upgrade`) on a
//! real PostgreSQL: options altered, the owning column moved while the old one is
//! dropped, a sequence added with the table that draws from it while another goes. Each
//! scenario also runs its way back and as generated migrations. Then what the database
//! holds: values handed out so far survive an ALTER, and a dropped sequence is a
//! data-loss hazard.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, has_hazard, scenario};
use schemactl::diff::Hazard;

const SEQUENCES: &str = r#"
database: { name: c16_sequences, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  billing:
    owner: c15_owner
    grants: [{ to: [c15_reader], privileges: [usage] }]
    sequences:
      invoice_number:
        start: 100000
        cache: 20
        comment: Shared by invoices and credit notes
        grants: [{ to: [c15_reader], privileges: [usage, select] }]
      Reminder Seq: { type: integer, increment: -1, min_value: -1000, owned_by: invoices.reminded_at }
    tables:
      invoices:
        columns:
          id: { type: bigint, primary_key: true }
          number: { type: text, default: "'INV-' || nextval('billing.invoice_number')" }
          legacy_no: { type: bigint }
          reminded_at: { type: date }
        grants: [{ to: [c15_reader], privileges: [select, insert] }]
"#;

const BASE: Base = Base {
    text: SEQUENCES,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

#[tokio::test]
async fn sequence_options_altered() {
    let plan = scenario(
        &BASE,
        "seq_options",
        &[
            (
                "        start: 100000\n        cache: 20\n",
                "        type: integer\n        start: 100000\n        increment: 5\n        max_value: 900000000\n",
            ),
            ("min_value: -1000,", "min_value: -1000, cycle: true,"),
            (
                "comment: Shared by invoices and credit notes",
                "comment: Invoice numbers only",
            ),
            ("privileges: [usage, select] }]", "privileges: [usage] }]"),
        ],
    )
    .await;
    let sql = plan.sql();
    assert!(
        sql.contains("ALTER SEQUENCE billing.invoice_number AS integer INCREMENT BY 5"),
        "{sql}"
    );
    assert!(!has_hazard(&plan, Hazard::DataLoss), "{sql}");
}

#[tokio::test]
async fn sequence_owner_moves_while_its_old_column_is_dropped() {
    let plan = scenario(
        &BASE,
        "seq_owner",
        &[
            (
                "owned_by: invoices.reminded_at",
                "owned_by: invoices.legacy_no",
            ),
            ("          reminded_at: { type: date }\n", ""),
        ],
    )
    .await;
    let sql = plan.sql();
    let released = sql.find("OWNED BY NONE").expect(&sql);
    let dropped = sql.find("DROP COLUMN reminded_at").expect(&sql);
    assert!(
        released < dropped,
        "released before the column goes:\n{sql}"
    );
}

#[tokio::test]
async fn sequence_added_with_its_table_while_another_goes() {
    let plan = scenario(
        &BASE,
        "seq_swap",
        &[
            (
                "      invoice_number:\n        start: 100000\n        cache: 20\n        comment: Shared by invoices and credit notes\n        grants: [{ to: [c15_reader], privileges: [usage, select] }]\n",
                "      credit_note_no: { start: 500, comment: Credit notes }\n",
            ),
            (
                "number: { type: text, default: \"'INV-' || nextval('billing.invoice_number')\" }",
                "number: { type: text }",
            ),
            (
                "    tables:\n",
                "    tables:\n      credit_notes:\n        columns:\n          id: { type: bigint, primary_key: true, default: \"nextval('billing.credit_note_no') * 10\" }\n          invoice_id: { type: bigint, references: { table: invoices } }\n",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    let created = sql
        .find("CREATE SEQUENCE billing.credit_note_no")
        .expect(&sql);
    let table = sql.find("CREATE TABLE billing.credit_notes").expect(&sql);
    assert!(
        created < table,
        "the sequence exists before the default:\n{sql}"
    );
    assert!(
        has_hazard(&plan, Hazard::DataLoss),
        "dropping a sequence:\n{sql}"
    );
}

/// What the database holds after an ALTER: the values handed out so far are kept (the
/// model's `start` is recorded, not a restart), and the new options apply.
#[tokio::test]
async fn altering_a_sequence_keeps_its_position() {
    let db = unique("c16_seq_position");
    // Without a cache: a session's cached values would hide the new increment.
    let before = BASE.edited(&[("        cache: 20\n", "")]);
    BASE.provision(&db, &before);
    {
        let conn = connect(&db_url(&db)).await;
        for _ in 0..3 {
            exec(&conn, "SELECT nextval('billing.invoice_number')").await;
        }
    }
    let after = BASE.edited(&[("        cache: 20\n", "        increment: 10\n")]);
    let out = BASE.apply(&db, &after, &[]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let conn = connect(&db_url(&db)).await;
    let next = scalar_i64(&conn, "SELECT nextval('billing.invoice_number')").await;
    assert_eq!(next, 100012, "position kept, new increment used");
    let options = "FROM pg_sequence WHERE seqrelid = 'billing.invoice_number'::regclass";
    let increment = scalar_i64(&conn, &format!("SELECT seqincrement {options}")).await;
    let cache = scalar_i64(&conn, &format!("SELECT seqcache {options}")).await;
    assert_eq!((increment, cache), (10, 1));
}

/// An identity column's sequence options (before, inventoried and never modelled): set
/// on a column made an identity one, changed together with the identity kind, and each
/// way back; what provisioning gives is read back from pg_sequence, and the next value
/// an insert draws comes from the new start.
#[tokio::test]
async fn identity_options_set_changed_and_reset() {
    let edits = [
        (
            "          legacy_no: { type: bigint }\n",
            "          legacy_no: { type: bigint, identity: by_default, identity_options: { start: 5000, increment: 5, cache: 10 } }\n",
        ),
        (
            "          id: { type: bigint, primary_key: true }\n",
            "          id: { type: bigint, primary_key: true, identity: always, identity_options: { max_value: 99999999, cycle: true } }\n",
        ),
    ];
    let plan = scenario(&BASE, "identity_options", &edits).await;
    let sql = plan.sql();
    assert!(
        sql.contains("ADD GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 5 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 5000 CACHE 10 NO CYCLE)"),
        "{sql}"
    );

    // Changed in place: the kind and an option, in one ALTER.
    let changed = scenario(
        &Base {
            // Base holds 'static text, as its constants do.
            text: Box::leak(BASE.edited(&edits).into_boxed_str()),
            ..BASE
        },
        "identity_options_changed",
        &[(
            "identity: by_default, identity_options: { start: 5000, increment: 5, cache: 10 }",
            "identity: always, identity_options: { start: 5000, increment: 7, cache: 10 }",
        )],
    )
    .await;
    let sql = changed.sql();
    assert!(
        sql.contains("ALTER COLUMN legacy_no SET GENERATED ALWAYS SET INCREMENT BY 7"),
        "{sql}"
    );

    let db = unique("c16_identity_options");
    BASE.provision(&db, &BASE.edited(&edits));
    let conn = connect(&db_url(&db)).await;
    let options = strings(
        &conn,
        "SELECT a.attname || ' ' || s.seqstart || ' ' || s.seqincrement || ' ' || s.seqmax \
                || ' ' || s.seqcache || ' ' || s.seqcycle \
         FROM pg_attribute a \
         JOIN pg_depend d ON d.refobjid = a.attrelid AND d.refobjsubid = a.attnum \
              AND d.deptype = 'i' AND d.classid = 'pg_class'::regclass \
         JOIN pg_sequence s ON s.seqrelid = d.objid \
         WHERE a.attrelid = 'billing.invoices'::regclass ORDER BY a.attname",
    )
    .await;
    assert_eq!(
        options,
        [
            "id 1 1 99999999 1 true",
            "legacy_no 5000 5 9223372036854775807 10 false"
        ]
    );
    exec(&conn, "INSERT INTO billing.invoices DEFAULT VALUES").await;
    let drawn = scalar_i64(&conn, "SELECT legacy_no FROM billing.invoices").await;
    assert_eq!(drawn, 5000);
}
