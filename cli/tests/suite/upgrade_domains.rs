//! Domains and composite types (issue 16), judged "upgrade ≡ fresh" (see
//! `common_upgrade`) on a real PostgreSQL: domains altered in place, replaced when the
//! base type changes, added with the table and function that use them while another
//! goes; composite types altered in place and replaced when reordered. Each scenario also runs its way
//! back and as generated migrations. Then what the database holds: rows survive a
//! replacement, and a check the rows break fails the apply with nothing changed.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, has_hazard, scenario};
use schemactl::diff::Hazard;

const DOMAINS: &str = r#"
database: { name: c16_domains, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  crm:
    owner: c15_owner
    grants: [{ to: [c15_reader], privileges: [usage] }]
    enums:
      tier: [free, paid]
    domains:
      email:
        type: text
        checks:
          email_has_at: crm.is_email(VALUE)
        comment: An address with one @
      Tier Name: { type: tier, not_null: true, default: "'free'" }
      amount:
        type: numeric(12,2)
        default: 0
        checks:
          amount_positive: VALUE >= 0
      code: { type: varchar(8) }
    composite_types:
      contact:
        attributes:
          email: email
          phone: text
          label: { type: text, collation: C }
        comment: How to reach a customer
    functions:
      is_email:
        args: [{ name: address, type: text }]
        returns: boolean
        language: sql
        volatility: immutable
        body: SELECT address ~ '^[^@]+@[^@]+$'
      contact_of:
        args: [{ name: customer_id, type: bigint }]
        returns: contact
        language: sql
        body: SELECT ROW(c.email, NULL, 'main')::crm.contact FROM crm.customers c WHERE c.id = customer_id
      code_label:
        args: [{ name: c, type: code }]
        returns: text
        language: sql
        body: SELECT 'code ' || c
    tables:
      customers:
        columns:
          id: { type: bigint, primary_key: true }
          email: { type: email }
          tier: { type: '"Tier Name"' }
          balance: { type: amount, nullable: false }
          code: { type: code, default: "'c-1'" }
        grants: [{ to: [c15_reader], privileges: [select] }]
    views:
      customer_codes:
        query: SELECT id, code FROM crm.customers
"#;

const BASE: Base = Base {
    text: DOMAINS,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

#[tokio::test]
async fn domain_altered_in_place() {
    let plan = scenario(
        &BASE,
        "dom_alter",
        &[
            (
                "          amount_positive: VALUE >= 0\n",
                "          amount_positive: VALUE >= 0\n          amount_bounded: VALUE < 1000000\n",
            ),
            ("        default: 0\n", "        not_null: true\n"),
            (
                "comment: An address with one @",
                "comment: A checked address",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    assert!(
        sql.contains("ALTER DOMAIN crm.amount DROP DEFAULT"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER DOMAIN crm.amount SET NOT NULL"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER DOMAIN crm.amount ADD CONSTRAINT amount_bounded CHECK"),
        "{sql}"
    );
    assert!(has_hazard(&plan, Hazard::AccessExclusiveLock), "{sql}");
}

#[tokio::test]
async fn domain_replaced_when_its_base_type_changes() {
    let plan = scenario(
        &BASE,
        "dom_replace",
        &[(
            "code: { type: varchar(8) }",
            "code: { type: text, collation: C }",
        )],
    )
    .await;
    let sql = plan.sql();
    let aside = sql.find("RENAME TO code__old").expect(&sql);
    let cast = sql.find("TYPE crm.code").expect(&sql);
    let dropped = sql.find("DROP DOMAIN crm.code__old").expect(&sql);
    assert!(aside < cast && cast < dropped, "{sql}");
    // The function taking the domain is dropped and created again with the new one.
    let recreated = sql
        .find("CREATE FUNCTION crm.code_label(c crm.code)")
        .expect(&sql);
    assert!(recreated < dropped, "{sql}");
    assert!(has_hazard(&plan, Hazard::TableRewrite), "{sql}");
}

#[tokio::test]
async fn domain_added_with_its_users_while_another_goes() {
    let plan = scenario(
        &BASE,
        "dom_swap",
        &[
            (
                "      code: { type: varchar(8) }\n",
                "      sku: { type: text, checks: { sku_format: \"VALUE ~ '^[A-Z]{3}-[0-9]+$'\" } }\n",
            ),
            (
                "          code: { type: code, default: \"'c-1'\" }\n",
                "",
            ),
            (
                "      code_label:\n        args: [{ name: c, type: code }]\n        returns: text\n        language: sql\n        body: SELECT 'code ' || c\n",
                "",
            ),
            (
                "    views:\n      customer_codes:\n        query: SELECT id, code FROM crm.customers\n",
                "",
            ),
            (
                "    tables:\n",
                "    tables:\n      products:\n        columns:\n          sku: { type: sku, primary_key: true }\n          price: { type: amount }\n",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    let created = sql.find("CREATE DOMAIN crm.sku").expect(&sql);
    let table = sql.find("CREATE TABLE crm.products").expect(&sql);
    assert!(created < table, "{sql}");
    assert!(sql.contains("DROP DOMAIN crm.code"), "{sql}");
}

#[tokio::test]
async fn composite_type_altered_in_place() {
    let plan = scenario(
        &BASE,
        "comp_alter",
        &[
            ("          phone: text\n", ""),
            (
                "          label: { type: text, collation: C }\n",
                "          label: varchar(20)\n          verified: boolean\n",
            ),
            (
                "SELECT ROW(c.email, NULL, 'main')",
                "SELECT ROW(c.email, 'main', true)",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    assert!(
        sql.contains("ALTER TYPE crm.contact DROP ATTRIBUTE phone"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER TYPE crm.contact ALTER ATTRIBUTE label TYPE character varying(20)"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER TYPE crm.contact ADD ATTRIBUTE verified boolean"),
        "{sql}"
    );
}

#[tokio::test]
async fn composite_type_replaced_when_reordered() {
    let plan = scenario(
        &BASE,
        "comp_reorder",
        &[
            (
                "          email: email\n          phone: text\n          label: { type: text, collation: C }\n",
                "          label: { type: text, collation: C }\n          email: email\n          phone: text\n",
            ),
            (
                "SELECT ROW(c.email, NULL, 'main')",
                "SELECT ROW('main', c.email, NULL)",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    let aside = sql
        .find("ALTER TYPE crm.contact RENAME TO contact__old")
        .expect(&sql);
    let created = sql.find("CREATE TYPE crm.contact AS (label").expect(&sql);
    let dropped = sql.find("DROP TYPE crm.contact__old").expect(&sql);
    assert!(aside < created && created < dropped, "{sql}");
}

/// Rows are kept through a replacement; a new check that a row breaks fails the apply,
/// which changes nothing (the check is not there afterwards and the rows are the same).
#[tokio::test]
async fn rows_survive_a_replacement_and_a_broken_check_changes_nothing() {
    let db = unique("c16_dom_rows");
    BASE.provision(&db, DOMAINS);
    let url = db_url(&db);
    {
        let conn = connect(&url).await;
        exec(
            &conn,
            "INSERT INTO crm.customers (id, email, tier, balance, code) VALUES \
             (1, 'a@example.org', 'paid', 10.50, 'abc'), (2, 'b@example.org', 'free', 0, 'xyz')",
        )
        .await;
    }
    let replaced = BASE.edited(&[("code: { type: varchar(8) }", "code: { type: text }")]);
    let out = BASE.apply(
        &db,
        &replaced,
        &["table-rewrite", "access-exclusive-lock", "data-loss"],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let conn = connect(&url).await;
    let codes = strings(
        &conn,
        "SELECT code || '/' || pg_typeof(code)::text FROM crm.customers ORDER BY id",
    )
    .await;
    assert_eq!(codes, ["abc/crm.code", "xyz/crm.code"]);
    let base = scalar_string(
        &conn,
        "SELECT format_type(typbasetype, typtypmod) FROM pg_type WHERE typname = 'code'",
    )
    .await;
    assert_eq!(base, "text");

    let broken = BASE.edited(&[
        ("code: { type: varchar(8) }", "code: { type: text }"),
        (
            "          amount_positive: VALUE >= 0\n",
            "          amount_positive: VALUE >= 0\n          amount_small: VALUE < 5\n",
        ),
    ]);
    let out = BASE.apply(&db, &broken, &["access-exclusive-lock"]);
    assert!(!out.status.success(), "a row breaks the new check");
    let message = stderr(&out);
    assert!(message.contains("amount_small"), "{message}");
    let checks = strings(
        &conn,
        "SELECT conname::text FROM pg_constraint WHERE contypid = 'crm.amount'::regtype ORDER BY 1",
    )
    .await;
    assert_eq!(
        checks,
        ["amount_positive"],
        "the failed apply added nothing"
    );
    let rows = scalar_i64(
        &conn,
        "SELECT count(*) FROM crm.customers WHERE balance = 10.50",
    )
    .await;
    assert_eq!(rows, 1);
}
