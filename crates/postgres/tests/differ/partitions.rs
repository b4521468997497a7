//! Partitioned tables: partitions added and removed by name, bounds that change (the
//! partitions rebuilt with their rows), and partitioning added (the table rebuilt).

/// One more generated month: one CREATE TABLE … PARTITION OF.
#[test]
fn partition_added() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      id: { type: bigint, nullable: false }
                      at: { type: timestamptz, nullable: false }
                    primary_key: [id, at]
                    partition_by: { range: [at] }
                    partitions:
                      generate: { every: month, from: 2026-01, count: 2 }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      id: { type: bigint, nullable: false }
                      at: { type: timestamptz, nullable: false }
                    primary_key: [id, at]
                    partition_by: { range: [at] }
                    partitions:
                      generate: { every: month, from: 2026-01, count: 3 }
            "#,
        )
        .check();
}

/// The oldest month goes: detached, then dropped with its rows.
#[test]
fn partition_removed() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      id: { type: bigint, nullable: false }
                      at: { type: timestamptz, nullable: false }
                    partition_by: { range: [at] }
                    partitions:
                      named:
                        events_2025: { from: ["2025-01-01"], to: ["2026-01-01"] }
                        events_2026: { from: ["2026-01-01"], to: ["2027-01-01"] }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    columns:
                      id: { type: bigint, nullable: false }
                      at: { type: timestamptz, nullable: false }
                    partition_by: { range: [at] }
                    partitions:
                      named:
                        events_2026: { from: ["2026-01-01"], to: ["2027-01-01"] }
            "#,
        )
        .check();
}

/// A LIST partition gains a value (rows for it may sit in the default partition), and a
/// new partition appears: the changed one is detached with its rows kept aside, the
/// default emptied the same way, both created with their bounds, the rows routed back
/// through the parent with row triggers off.
#[test]
fn partition_bounds_change_rebinds() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  sales:
                    columns:
                      id: { type: bigint, nullable: false }
                      region: { type: text, nullable: false }
                      amount: { type: "numeric(12,2)" }
                    partition_by: { list: [region] }
                    partitions:
                      named:
                        sales_eu: { in: [de, fr] }
                        sales_us: { in: [us] }
                      default: true
                    triggers:
                      sales_audit:
                        timing: after
                        events: [insert]
                        function: audit
                functions:
                  audit:
                    returns: trigger
                    body: "BEGIN RETURN NEW; END;"
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  sales:
                    columns:
                      id: { type: bigint, nullable: false }
                      region: { type: text, nullable: false }
                      amount: { type: "numeric(12,2)" }
                    partition_by: { list: [region] }
                    partitions:
                      named:
                        sales_eu: { in: [de, fr, it] }
                        sales_us: { in: [us] }
                        sales_apac: { in: [jp, au] }
                      default: true
                    triggers:
                      sales_audit:
                        timing: after
                        events: [insert]
                        function: audit
                functions:
                  audit:
                    returns: trigger
                    body: "BEGIN RETURN NEW; END;"
            "#,
        )
        .check();
}

/// A plain table becomes partitioned: PostgreSQL cannot do that in place. The old
/// table steps aside (with its key, index and sequence names), the new one is created
/// with its partitions, the rows are copied, the sequence is carried on, and another
/// table's foreign key to it is dropped before and added after.
#[test]
fn partitioning_added_rebuilds_the_table() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  readings:
                    columns:
                      id: { type: bigserial, nullable: false }
                      sensor: { type: integer, nullable: false }
                      value: { type: double precision }
                    primary_key: [id, sensor]
                    indexes:
                      readings_value: { columns: [value] }
                  alerts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      reading_id: { type: bigint }
                      sensor: { type: integer }
                    foreign_keys:
                      alerts_reading_fkey:
                        columns: [reading_id, sensor]
                        references: readings
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  readings:
                    columns:
                      id: { type: bigserial, nullable: false }
                      sensor: { type: integer, nullable: false }
                      value: { type: double precision }
                    primary_key: [id, sensor]
                    partition_by: { hash: [sensor] }
                    partitions:
                      named:
                        readings_0: { modulus: 2, remainder: 0 }
                        readings_1: { modulus: 2, remainder: 1 }
                    indexes:
                      readings_value: { columns: [value] }
                  alerts:
                    columns:
                      id: { type: bigint, primary_key: true }
                      reading_id: { type: bigint }
                      sensor: { type: integer }
                    foreign_keys:
                      alerts_reading_fkey:
                        columns: [reading_id, sensor]
                        references: readings
            "#,
        )
        .check();
}

/// Renamed, partitioned and a column dropped in one edit: the rebuild copies every column
/// but the dropped one, and says so (data-loss).
#[test]
fn renamed_table_partitioned_and_column_dropped() {
    case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  log:
                    columns:
                      id: { type: bigint, nullable: false }
                      at: { type: timestamptz, nullable: false }
                      debug: { type: text }
                      message: { type: text }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  events:
                    renamed_from: log
                    columns:
                      id: { type: bigint, nullable: false }
                      at: { type: timestamptz, nullable: false }
                      text: { type: text, renamed_from: message }
                    partition_by: { range: [at] }
                    partitions:
                      named:
                        events_2026: { from: ["2026-01-01"], to: ["2027-01-01"] }
                      default: true
            "#,
        )
        .check();
}

/// A table with row-level security, a policy, a trigger, grants, comments and an
/// identity column becomes partitioned: the rebuilt table gets all of them back.
#[test]
fn partitioning_added_keeps_what_lives_on_the_table() {
    let model = |partitioned: &str| {
        format!(
            r#"
            roles:
              shop_user: {{}}
            schemas:
              shop:
                tables:
                  visits:
                    comment: Page visits
                    columns:
                      id: {{ type: bigint, identity: always }}
                      at: {{ type: timestamptz, nullable: false, comment: When }}
                      user_id: {{ type: bigint }}
                    primary_key: [id, at]{partitioned}
                    grants:
                      - {{ to: [shop_user], privileges: [select, insert] }}
                    row_level_security:
                      policies:
                        own_visits: {{ to: [shop_user], using: "user_id = 1" }}
                    triggers:
                      visits_audit:
                        timing: after
                        events: [insert]
                        function: audit
                functions:
                  audit:
                    returns: trigger
                    body: "BEGIN RETURN NEW; END;"
            "#
        )
    };
    case!()
        .before(&model(""))
        .after(&model(
            "\n                    partition_by: { range: [at] }\n                    partitions:\n                      named:\n                        visits_2026: { from: [\"2026-01-01\"], to: [\"2027-01-01\"] }",
        ))
        .check();
}
