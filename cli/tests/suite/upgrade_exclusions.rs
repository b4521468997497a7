//! Exclusion constraints (issue 16), judged "upgrade ≡ fresh" (see `common_upgrade`) on a
//! real PostgreSQL: added to a table that stays, changed (dropped and added), removed,
//! and created with a new table; each also runs its way back and as generated
//! migrations. Then what the server enforces: an initially deferred one lets a
//! transaction hand a period over, and rows that conflict make adding one fail with
//! nothing changed.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::ENV;
use common_upgrade::{Base, has_hazard, scenario};
use schemactl::diff::Hazard;

const BOOKING: &str = r#"
database: { name: c16_exclusions, owner: c15_owner }
extensions: [btree_gist]
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
schemas:
  booking:
    owner: c15_owner
    tables:
      rooms:
        columns:
          room_id: { type: integer, primary_key: true }
          name: { type: text }
      reservations:
        columns:
          id: { type: bigint, primary_key: true }
          room_id: { type: integer, references: { table: rooms } }
          starts_at: { type: timestamptz }
          ends_at: { type: timestamptz }
          cancelled: { type: boolean, nullable: false, default: false }
        exclusions:
          reservations_no_overlap:
            elements:
              - { column: room_id, with: "=" }
              - { expression: "tstzrange(starts_at, ends_at)", with: "&&" }
      "Shift Plan":
        columns:
          worker: { type: text }
          during: { type: tstzrange }
        exclusions:
          "shifts never overlap":
            elements:
              - { column: worker, with: "=" }
              - { column: during, with: "&&" }
            deferrable: true
            initially_deferred: true
"#;

const BASE: Base = Base {
    text: BOOKING,
    env: ENV,
    owner: "c15_owner",
    extensions: &["btree_gist"],
};

#[tokio::test]
async fn exclusions_added_changed_and_removed() {
    let plan = scenario(
        &BASE,
        "excl_change",
        &[
            (
                "              - { expression: \"tstzrange(starts_at, ends_at)\", with: \"&&\" }\n",
                "              - { expression: \"tstzrange(starts_at, ends_at)\", with: \"&&\" }\n            where: NOT cancelled\n",
            ),
            (
                "          name: { type: text }\n",
                "          name: { type: text }\n        exclusions:\n          rooms_unique_name:\n            using: hash\n            elements: [{ column: name, with: \"=\" }]\n",
            ),
            (
                "            deferrable: true\n            initially_deferred: true\n",
                "",
            ),
        ],
    )
    .await;
    let sql = plan.sql();
    let dropped = sql
        .find("ALTER TABLE booking.reservations DROP CONSTRAINT reservations_no_overlap")
        .expect(&sql);
    let added = sql
        .find("ALTER TABLE booking.reservations ADD CONSTRAINT reservations_no_overlap EXCLUDE USING gist")
        .expect(&sql);
    assert!(dropped < added, "{sql}");
    assert!(sql.contains("WHERE (NOT cancelled)"), "{sql}");
    assert!(
        sql.contains("ADD CONSTRAINT rooms_unique_name EXCLUDE USING hash (name WITH =)"),
        "{sql}"
    );
    assert!(has_hazard(&plan, Hazard::AccessExclusiveLock), "{sql}");
}

#[tokio::test]
async fn exclusion_created_with_a_new_table() {
    let plan = scenario(
        &BASE,
        "excl_new_table",
        &[(
            "    tables:\n",
            "    tables:\n      maintenance:\n        columns:\n          room_id: { type: integer }\n          during: { type: tstzrange }\n          crew: { type: text }\n        exclusions:\n          maintenance_no_overlap:\n            elements:\n              - { column: room_id, with: \"=\" }\n              - { column: during, opclass: range_ops, with: \"&&\" }\n            include: [crew]\n            with: { fillfactor: 90 }\n",
        )],
    )
    .await;
    let sql = plan.sql();
    assert!(
        sql.contains("CONSTRAINT maintenance_no_overlap EXCLUDE USING gist (room_id WITH =, during range_ops WITH &&) INCLUDE (crew) WITH (fillfactor = 90)"),
        "{sql}"
    );
}

/// The server enforces what the model says: overlapping shifts of one worker are refused
/// at commit (initially deferred), a transaction may hand a shift over, and adding a
/// constraint the rows break fails the apply with nothing changed.
#[tokio::test]
async fn the_server_enforces_them_and_a_conflicting_add_changes_nothing() {
    let db = unique("c16_excl_rows");
    BASE.provision(&db, BOOKING);
    let url = db_url(&db);
    let conn = connect(&url).await;
    exec(
        &conn,
        "INSERT INTO booking.rooms VALUES (1, 'Blue'), (2, 'Blue'); \
         INSERT INTO booking.reservations (id, room_id, starts_at, ends_at) VALUES \
         (1, 1, '2026-12-01 10:00Z', '2026-12-01 12:00Z'), \
         (2, 2, '2026-12-01 11:00Z', '2026-12-01 13:00Z')",
    )
    .await;
    let message = exec_err(
        &conn,
        "INSERT INTO booking.reservations (id, room_id, starts_at, ends_at) \
         VALUES (3, 1, '2026-12-01 11:00Z', '2026-12-01 11:30Z')",
    )
    .await;
    assert!(message.contains("reservations_no_overlap"), "{message}");
    // Deferred: within one transaction the overlap exists for a moment, then is undone.
    exec(
        &conn,
        "BEGIN; \
         INSERT INTO booking.\"Shift Plan\" VALUES ('ana', '[2026-12-01 08:00Z, 2026-12-01 16:00Z)'); \
         INSERT INTO booking.\"Shift Plan\" VALUES ('ana', '[2026-12-01 12:00Z, 2026-12-01 20:00Z)'); \
         UPDATE booking.\"Shift Plan\" SET during = '[2026-12-01 08:00Z, 2026-12-01 12:00Z)' \
           WHERE lower(during) = '2026-12-01 08:00Z'; \
         COMMIT",
    )
    .await;
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM booking.\"Shift Plan\"").await,
        2
    );

    // Both rooms are called Blue: a constraint on unique names cannot be added.
    let broken = BASE.edited(&[(
        "          name: { type: text }\n",
        "          name: { type: text }\n        exclusions:\n          rooms_unique_name:\n            using: hash\n            elements: [{ column: name, with: \"=\" }]\n",
    )]);
    let out = BASE.apply(&db, &broken, &["access-exclusive-lock"]);
    assert!(!out.status.success(), "the rooms break the new constraint");
    let message = stderr(&out);
    assert!(message.contains("rooms_unique_name"), "{message}");
    let constraints = strings(
        &conn,
        "SELECT conname::text FROM pg_constraint WHERE conrelid = 'booking.rooms'::regclass \
         AND contype = 'x'",
    )
    .await;
    assert!(
        constraints.is_empty(),
        "the failed apply added {constraints:?}"
    );
    assert_eq!(
        scalar_i64(
            &conn,
            "SELECT count(*) FROM booking.rooms WHERE name = 'Blue'"
        )
        .await,
        2
    );
}
