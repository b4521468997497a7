//! The small "shop" model the issue-15 upgrade tests edit: an enum, LIST and RANGE
//! partitioned tables (one with a row trigger), grants, functions and a column with `$`
//! in its name. Other upgrade tests share its role passwords (`ENV`) only.
#![allow(dead_code)]

use crate::common_upgrade::Base;

pub const BASE: &str = r#"
database: { name: c15_base, owner: c15_owner }
roles:
  c15_owner: { login: true, password_env: C15_OWNER_PW }
  c15_reader: { login: true, password_env: C15_READER_PW }
schemas:
  shop:
    owner: c15_owner
    grants: [{ to: [c15_reader], privileges: [usage] }]
    enums:
      status: [new, active, closed]
    tables:
      orders:
        columns:
          id: { type: bigint, primary_key: true }
          status: { type: status, nullable: false, default: "'new'" }
          price: { type: "numeric(10,2)" }
        grants: [{ to: [c15_reader], privileges: [select, delete] }]
      sales:
        partition_by: { list: [region] }
        partitions:
          named:
            sales_north: { in: [north] }
            sales_south: { in: [south] }
          default: true
        columns:
          id: { type: bigint, nullable: false }
          region: { type: text, nullable: false }
        primary_key: [id, region]
        triggers:
          sales_logged: { timing: after, events: [insert], function: log_sale }
      sales_log:
        columns:
          sale_id: { type: bigint, nullable: false }
      readings:
        partition_by: { range: [id] }
        partitions:
          named:
            readings_low: { from: [MINVALUE], to: [1000] }
            readings_high: { from: [1000], to: [MAXVALUE] }
        columns:
          id: { type: integer, primary_key: true }
          reading: { type: text }
      audit:
        columns:
          id: { type: integer, primary_key: true }
          note$$: { type: text, nullable: false }
        grants: [{ to: [c15_reader], privileges: [all] }]
    functions:
      log_sale:
        returns: trigger
        body: "BEGIN INSERT INTO shop.sales_log VALUES (NEW.id); RETURN NEW; END;"
      order_price:
        args: [{ name: p_id, type: bigint }]
        returns: numeric
        language: sql
        volatility: stable
        body: SELECT price FROM shop.orders WHERE id = p_id
"#;

pub const ENV: &[(&str, &str)] = &[
    ("C15_OWNER_PW", "c15-owner-pw"),
    ("C15_READER_PW", "c15-reader-pw"),
];

pub const FIXTURE: Base = Base {
    text: BASE,
    env: ENV,
    owner: "c15_owner",
    extensions: &[],
};
