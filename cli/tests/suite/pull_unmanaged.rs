//! Fail closed: what a database holds that the model cannot express is listed by kind and
//! name, `pull` refuses to write a model without it unless told to record it as
//! unmanaged, plans leave recorded objects alone and report them every time, and `drift`
//! counts unrecorded ones as drift. Against the real PostgreSQL 18 test cluster, on the
//! fixture `tests/fixtures/pull/unmanaged.sql` (a legacy ERP with one of each).

use crate::common_pg;
use crate::common_pull;

use common_pg::*;
use common_pull::*;

/// (kind, name) the fixture must be reported with.
const EXPECTED: &[(&str, &str)] = &[
    ("sequence_options", "erp.batches_batch_no_seq"),
    ("range_type", "erp.floatrange"),
    ("aggregate", "erp.running_sum(numeric)"),
    ("function_attributes", "erp.expensive_score(p integer)"),
    ("extended_statistics", "erp.orders_region_amount"),
    ("view_options", "erp.big_orders"),
    ("replica_identity", "erp.orders"),
    ("inheritance", "erp.archived_orders"),
    ("rule", "erp.audit.audit_keep"),
    ("sub_partition", "erp.ledger_2026_h1"),
    ("partition_detail", "erp.ledger_2027"),
    (
        "constraint_attributes",
        "erp.customers.customers_notes_check",
    ),
    ("comment", "erp.customers.customers_name_check"),
    ("trigger_attributes", "erp.customers.customers_noop"),
    ("trigger_attributes", "erp.orders.orders_count"),
    ("column_attributes", "erp.customers.name"),
    ("column_attributes", "erp.customers.notes"),
    ("grants", "erp.orders_order_id_seq"),
    ("owner", "erp.ledger_2028"),
    ("default_privileges", "for fx_erp_owner"),
    ("operator", "erp.===(text, text)"),
    ("collation", "erp.\"binary\""),
    ("text_search", "erp.english_simple"),
    ("publication", "erp_orders"),
    ("event_trigger", "erp_log_ddl"),
    ("extension_schema", "btree_gist"),
];

fn assert_lists_all(text: &str) {
    let missing: Vec<String> = EXPECTED
        .iter()
        .filter(|(kind, name)| !text.contains(&format!("{kind} {name}")))
        .map(|(kind, name)| format!("{kind} {name}"))
        .collect();
    assert!(missing.is_empty(), "not reported: {missing:?}\nin:\n{text}");
}

async fn erp_database(prefix: &str) -> TestDb {
    let db = unique(prefix);
    database_from(&db, &[&fixture("unmanaged")]).await;
    db
}

#[tokio::test]
async fn pull_refuses_what_the_model_cannot_express() {
    let db = erp_database("t_unmanaged_refuse").await;
    let out = model_path(&db);
    let _ = std::fs::remove_file(&out);
    let pulled = pull(&db, &out, &["--schemas", "erp"]);
    assert_eq!(pulled.status.code(), Some(5), "{}", stderr(&pulled));
    assert_lists_all(&stderr(&pulled));
    assert!(stderr(&pulled).contains("--unmanaged record"));
    assert!(!out.exists(), "a model was written although pull refused");
}

#[tokio::test]
async fn recorded_objects_are_reported_and_left_alone() {
    let db = erp_database("t_unmanaged_record").await;
    let copy = format!("{db}_copy");
    let model = pull_and_provision(&db, &copy, &["--schemas", "erp", "--unmanaged", "record"]);
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("unmanaged:"), "{text}");
    // A standalone sequence is modelled now, not recorded.
    let sequence = text.find("invoice_number_seq:").expect(&text);
    assert!(text[sequence..].contains("start: 10000"), "{text}");
    assert!(!text.contains("kind: sequence,"), "{text}");
    // So are domains.
    let domain = text.find("positive_amount:").expect(&text);
    assert!(
        text[domain..].contains("positive_amount_check: (VALUE > "),
        "{text}"
    );
    assert!(!text.contains("kind: domain,"), "{text}");
    // And composite types.
    assert!(text.contains("address:"), "{text}");
    assert!(!text.contains("kind: composite_type,"), "{text}");
    // So are unlogged tables and tables' storage parameters.
    assert!(text.contains("with: {fillfactor: 80}"), "{text}");
    assert!(text.contains("unlogged: true"), "{text}");
    assert!(text.contains("collation: C"), "{text}");
    assert!(text.contains("initially_deferred: true"), "{text}");
    // And procedures.
    let procedure = text.find("procedures:").expect(&text);
    assert!(text[procedure..].contains("close_period:"), "{text}");
    assert!(!text.contains("kind: procedure,"), "{text}");
    // And ordinary aggregates (not the one with a moving-aggregate mode).
    let aggregate = text.find("aggregates:").expect(&text);
    assert!(text[aggregate..].contains("product:"), "{text}");
    assert!(text.contains("state_function: numeric_mul"), "{text}");
    assert!(!text.contains("name: erp.product(numeric)"), "{text}");
    // And overloads: both `fmt_money`s, as a list under the name.
    let overloads = text.find("fmt_money:").expect(&text);
    let listed: String = text[overloads..]
        .lines()
        .take(12)
        .collect::<Vec<_>>()
        .join("\n");
    let first = listed.lines().nth(1).unwrap_or_default();
    assert!(first.trim_start().starts_with("- "), "{listed}");
    assert!(listed.contains("name: currency"), "{listed}");
    assert!(!text.contains("kind: function_overload"), "{text}");
    // And an identity column's sequence options, and a unique constraint's INCLUDE.
    assert!(text.contains("identity_options: {start: 1000}"), "{text}");
    assert!(text.contains("include: [notes]"), "{text}");
    // And exclusion constraints.
    let exclusion = text.find("orders_no_overlap:").expect(&text);
    assert!(text[exclusion..].contains("with: \"&&\""), "{text}");
    assert!(!text.contains("kind: exclusion_constraint"), "{text}");
    // And owners other than the database owner.
    let legacy = text.find("legacy_codes:").expect(&text);
    let table: String = text[legacy..].lines().take(6).collect();
    assert!(table.contains("owner: fx_erp_legacy"), "{text}");
    assert!(!text.contains("name: erp.legacy_codes"), "{text}");

    // Every plan prints the section, each item recorded, and nothing to do.
    let plan = schemactl(
        &model,
        &["plan", "--database-url", &db_url(&db), "--exit-code"],
    );
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}{}",
        stdout(&plan),
        stderr(&plan)
    );
    let printed = stdout(&plan);
    assert!(printed.contains("-- not managed by the model"), "{printed}");
    assert!(!printed.contains("NOT RECORDED"), "{printed}");
    assert_lists_all(&printed);
    assert!(printed.contains("-- no changes"), "{printed}");

    let drift = schemactl(&model, &["drift", "--database-url", &db_url(&db)]);
    assert_eq!(drift.status.code(), Some(0), "{}", stdout(&drift));
    assert_lists_all(&stdout(&drift));

    let applied = schemactl(&model, &["apply", "--database-url", &db_url(&db), "--yes"]);
    assert!(applied.status.success(), "{}", stderr(&applied));
    let conn = connect(&db_url(&db)).await;
    for (what, sql) in [
        (
            "domain",
            "SELECT count(*) FROM pg_type WHERE typname = 'positive_amount'",
        ),
        (
            "sequence",
            "SELECT count(*) FROM pg_class WHERE relname = 'invoice_number_seq'",
        ),
        (
            "overload",
            "SELECT count(*) FROM pg_proc WHERE proname = 'fmt_money'",
        ),
        (
            "procedure",
            "SELECT count(*) FROM pg_proc WHERE proname = 'close_period'",
        ),
        (
            "rule",
            "SELECT count(*) FROM pg_rewrite WHERE rulename = 'audit_keep'",
        ),
        (
            "aggregate",
            "SELECT count(*) FROM pg_proc WHERE proname = 'running_sum'",
        ),
        (
            "exclusion",
            "SELECT count(*) FROM pg_constraint WHERE conname = 'orders_no_overlap'",
        ),
        (
            "statistics",
            "SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'orders_region_amount'",
        ),
    ] {
        assert!(
            scalar_i64(&conn, sql).await >= 1,
            "apply removed the {what}"
        );
    }
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM pg_proc WHERE proname = 'fmt_money'"
        )
        .await,
        2,
        "both overloads stay"
    );
}

#[tokio::test]
async fn unrecorded_objects_are_drift() {
    let db = erp_database("t_unmanaged_drift").await;
    let copy = format!("{db}_copy");
    let model = pull_and_provision(&db, &copy, &["--schemas", "erp", "--unmanaged", "record"]);
    // The same model without its `unmanaged` list.
    let loaded = schemactl::load::load_file(&model).unwrap().unwrap();
    let mut bare = loaded.model.clone();
    bare.unmanaged.clear();
    let bare_path = write_model(
        "unmanaged_bare",
        &schemactl::pull::yaml::to_yaml(&bare, "").unwrap(),
    );

    let drift = schemactl(&bare_path, &["drift", "--database-url", &db_url(&db)]);
    assert_eq!(
        drift.status.code(),
        Some(3),
        "{}{}",
        stdout(&drift),
        stderr(&drift)
    );
    let printed = stdout(&drift);
    assert!(printed.contains("NOT RECORDED"), "{printed}");
    assert_lists_all(&printed);

    let plan = schemactl(
        &bare_path,
        &["plan", "--database-url", &db_url(&db), "--exit-code"],
    );
    assert_eq!(
        plan.status.code(),
        Some(3),
        "{}{}",
        stdout(&plan),
        stderr(&plan)
    );
    let printed = stdout(&plan);
    assert!(
        printed.starts_with("-- not managed by the model"),
        "{printed}"
    );
    // Reported, never dropped: the plan itself is empty.
    assert!(printed.contains("-- no changes"), "{printed}");
    assert!(!printed.contains("DROP"), "{printed}");

    // The JSON form stays one document; the section goes to stderr.
    let json = schemactl(
        &bare_path,
        &["plan", "--database-url", &db_url(&db), "--format", "json"],
    );
    assert!(json.status.success(), "{}", stderr(&json));
    serde_json::from_str::<serde_json::Value>(&stdout(&json)).unwrap();
    assert!(stderr(&json).contains("NOT RECORDED"), "{}", stderr(&json));
}

#[tokio::test]
async fn what_the_model_cannot_write_is_refused_even_when_recording() {
    let db = unique("t_unmanaged_unwritable");
    drop_database(&db).await;
    let admin = connect(&admin_url()).await;
    exec(
        &admin,
        &format!("CREATE DATABASE {}", schemactl::sql::ident(&db)),
    )
    .await;
    let conn = connect(&db_url(&db)).await;
    exec(
        &conn,
        "CREATE SCHEMA crm;
         CREATE TYPE crm.span AS RANGE (subtype = float8);
         CREATE TABLE crm.contacts (
           contact_id bigint PRIMARY KEY,
           reach crm.span NOT NULL,
           seen_at timestamp(3) with time zone
         );",
    )
    .await;
    let out = model_path(&db);
    let pulled = pull(&db, &out, &["--unmanaged", "record"]);
    assert_eq!(pulled.status.code(), Some(5), "{}", stderr(&pulled));
    let err = stderr(&pulled);
    assert!(
        err.contains("column crm.contacts.reach: type `crm.span`"),
        "{err}"
    );
    assert!(
        err.contains("column crm.contacts.seen_at: type `timestamp(3) with time zone`"),
        "{err}"
    );
    assert!(err.contains("range_type crm.span"), "{err}");
    assert!(err.contains("no model was written"), "{err}");
}
