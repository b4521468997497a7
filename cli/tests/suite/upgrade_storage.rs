//! How a table is stored (issue 16), judged "upgrade ≡ fresh" (see `common_upgrade`) on a
//! real PostgreSQL: a table made unlogged and back, storage parameters set, changed and
//! reset, each way and as generated migrations; and the rows survive the rewrite.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, has_hazard, scenario};
use schemactl::diff::Hazard;

const STORAGE: &str = r#"
database: { name: c16_storage, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  stats:
    owner: c15_owner
    tables:
      sites:
        with: { fillfactor: 70, autovacuum_vacuum_scale_factor: 0.05 }
        columns:
          id: { type: smallint, primary_key: true }
          host: { type: text, nullable: false }
      Beacon Buffer:
        unlogged: true
        with: { autovacuum_enabled: false }
        columns:
          received_at: { type: timestamptz, nullable: false, default: now() }
          site_id: { type: smallint, references: { table: sites } }
"#;

const BASE: Base = Base {
    text: STORAGE,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};

#[tokio::test]
async fn table_made_logged_and_parameters_changed() {
    let plan = scenario(
        &BASE,
        "storage",
        &[
            (
                "with: { fillfactor: 70, autovacuum_vacuum_scale_factor: 0.05 }",
                "with: { fillfactor: 90 }",
            ),
            ("        unlogged: true\n", ""),
        ],
    )
    .await;
    let sql = plan.sql();
    assert!(sql.contains("SET LOGGED"), "{sql}");
    assert!(
        sql.contains("RESET (autovacuum_vacuum_scale_factor)"),
        "{sql}"
    );
    assert!(has_hazard(&plan, Hazard::TableRewrite), "{sql}");
}

/// Parameters of the TOAST table (`toast.*`): set beside the table's own, changed and
/// reset, read back from the TOAST table (before, they were invisible to plans and drift).
#[tokio::test]
async fn toast_parameters_set_and_reset() {
    let plan = scenario(
        &BASE,
        "storage_toast",
        &[(
            "with: { fillfactor: 70, autovacuum_vacuum_scale_factor: 0.05 }",
            "with: { fillfactor: 70, autovacuum_vacuum_scale_factor: 0.05, toast.autovacuum_enabled: false }",
        )],
    )
    .await;
    let sql = plan.sql();
    assert!(
        sql.contains("ALTER TABLE stats.sites SET (toast.autovacuum_enabled = false)"),
        "{sql}"
    );
    assert!(!has_hazard(&plan, Hazard::TableRewrite), "{sql}");

    let db = unique("c16_storage_toast");
    let edited = BASE.edited(&[(
        "with: { fillfactor: 70, autovacuum_vacuum_scale_factor: 0.05 }",
        "with: { fillfactor: 70, toast.autovacuum_enabled: false }",
    )]);
    BASE.provision(&db, &edited);
    let conn = connect(&db_url(&db)).await;
    let toast = strings(
        &conn,
        "SELECT array_to_string(t.reloptions, ',') FROM pg_class c \
         JOIN pg_class t ON t.oid = c.reltoastrelid WHERE c.oid = 'stats.sites'::regclass",
    )
    .await;
    assert_eq!(toast, ["autovacuum_enabled=false"]);
}

/// `SET LOGGED` rewrites the table: what it held is still there, now logged.
#[tokio::test]
async fn rows_survive_becoming_logged() {
    let db = unique("c16_storage_rows");
    BASE.provision(&db, STORAGE);
    let conn = connect(&db_url(&db)).await;
    exec(&conn, "INSERT INTO stats.sites VALUES (1, 'a.example')").await;
    exec(
        &conn,
        "INSERT INTO stats.\"Beacon Buffer\" (site_id) SELECT 1 FROM generate_series(1, 500)",
    )
    .await;
    let logged = BASE.edited(&[("        unlogged: true\n", "")]);
    let out = BASE.apply(&db, &logged, &[]);
    // A rewrite is a hazard: refused unless allowed, and nothing changes.
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stderr(&out).contains("table-rewrite"), "{}", stderr(&out));
    let persistence_sql =
        "SELECT relpersistence::text FROM pg_class WHERE relname = 'Beacon Buffer'";
    assert_eq!(scalar_string(&conn, persistence_sql).await, "u");
    let out = BASE.apply(&db, &logged, &["table-rewrite", "access-exclusive-lock"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let rows = scalar_i64(&conn, "SELECT count(*) FROM stats.\"Beacon Buffer\"").await;
    assert_eq!(rows, 500);
    assert_eq!(scalar_string(&conn, persistence_sql).await, "p");
}

#[tokio::test]
async fn column_collation_set_and_changed() {
    let plan = scenario(
        &BASE,
        "collation",
        &[(
            "host: { type: text, nullable: false }",
            "host: { type: text, nullable: false, collation: C }",
        )],
    )
    .await;
    let sql = plan.sql();
    assert!(sql.contains("TYPE text COLLATE \"C\""), "{sql}");
    assert!(!has_hazard(&plan, Hazard::TableRewrite), "{sql}");
}

/// The index behind a primary key and a unique constraint: covering columns and storage
/// parameters added (the key is dropped and added again, the foreign key to it with it)
/// and taken away, each way; what provisioning builds is read back from pg_index.
#[tokio::test]
async fn key_index_covering_columns_and_parameters() {
    let edits = [
        (
            "        with: { fillfactor: 70, autovacuum_vacuum_scale_factor: 0.05 }\n",
            "        with: { fillfactor: 70, autovacuum_vacuum_scale_factor: 0.05 }\n        primary_key_with: { fillfactor: 80 }\n        primary_key_include: [host]\n",
        ),
        (
            "          host: { type: text, nullable: false }\n",
            "          host: { type: text, nullable: false }\n        unique:\n          sites_host_key: { columns: [host], include: [id], with: { deduplicate_items: false } }\n",
        ),
    ];
    let plan = scenario(&BASE, "key_index", &edits).await;
    let sql = plan.sql();
    assert!(
        sql.contains(
            "ADD CONSTRAINT sites_pkey PRIMARY KEY (id) INCLUDE (host) WITH (fillfactor = 80)"
        ),
        "{sql}"
    );
    assert!(
        sql.contains("UNIQUE (host) INCLUDE (id) WITH (deduplicate_items = false)"),
        "{sql}"
    );

    let db = unique("c16_storage_keys");
    BASE.provision(&db, &BASE.edited(&edits));
    let conn = connect(&db_url(&db)).await;
    let indexes = strings(
        &conn,
        "SELECT k.conname || ' ' || (x.indnatts - x.indnkeyatts) || ' ' \
                || coalesce(array_to_string(i.reloptions, ','), '') \
         FROM pg_constraint k JOIN pg_index x ON x.indexrelid = k.conindid \
         JOIN pg_class i ON i.oid = k.conindid \
         WHERE k.conrelid = 'stats.sites'::regclass AND k.contype IN ('p', 'u') \
         ORDER BY k.conname",
    )
    .await;
    assert_eq!(
        indexes,
        [
            "sites_host_key 1 deduplicate_items=false",
            "sites_pkey 1 fillfactor=80"
        ]
    );
}
