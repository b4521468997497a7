//! Partition bounds that change (issue 15): the partition is rebuilt with its new bounds
//! and its rows move, for LIST and RANGE, judged "upgrade ≡ fresh" and by where the rows
//! land.

use crate::common_pg;
use crate::common_shop;
use crate::common_upgrade;

use common_pg::*;
use common_shop::{BASE, FIXTURE};
use common_upgrade::{has_hazard, load, scenario};
use schemactl::diff::Hazard;

#[tokio::test]
async fn list_partition_gains_a_value() {
    let plan = scenario(
        &FIXTURE,
        "list_bounds",
        &[(
            "sales_north: { in: [north] }",
            "sales_north: { in: [north, east] }",
        )],
    )
    .await;
    assert!(has_hazard(&plan, Hazard::TableRewrite), "{}", plan.sql());
}

#[tokio::test]
async fn range_partition_bounds_move() {
    let plan = scenario(
        &FIXTURE,
        "range_bounds",
        &[
            ("to: [1000] }", "to: [2000] }"),
            (
                "from: [1000], to: [MAXVALUE]",
                "from: [2000], to: [MAXVALUE]",
            ),
        ],
    )
    .await;
    assert!(has_hazard(&plan, Hazard::TableRewrite), "{}", plan.sql());
}

/// Rows follow the new bounds: the default partition's `east` rows move into the
/// partition that now takes them, and range rows into their new partition.
#[tokio::test]
async fn partition_rows_move_with_their_bounds() {
    let tag = unique("c15_part_rows");
    FIXTURE.provision(&tag, BASE);
    let conn = connect(&db_url(&tag)).await;
    exec(
        &conn,
        "INSERT INTO shop.sales VALUES (1, 'north'), (2, 'east'), (3, 'west'), (4, 'south');
         INSERT INTO shop.readings VALUES (5, 'a'), (1500, 'b'), (2500, 'c')",
    )
    .await;
    let new_text = FIXTURE.edited(&[
        (
            "sales_north: { in: [north] }",
            "sales_north: { in: [north, east] }",
        ),
        ("to: [1000] }", "to: [2000] }"),
        (
            "from: [1000], to: [MAXVALUE]",
            "from: [2000], to: [MAXVALUE]",
        ),
    ]);
    let out = FIXTURE.apply(
        &tag,
        &new_text,
        &["table-rewrite", "access-exclusive-lock", "data-loss"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let placed = |table: &str| {
        format!("SELECT tableoid::regclass::text || ':' || id FROM shop.{table} ORDER BY id")
    };
    assert_eq!(
        strings(&conn, &placed("sales")).await,
        [
            "shop.sales_north:1",
            "shop.sales_north:2",
            "shop.sales_default:3",
            "shop.sales_south:4"
        ]
    );
    assert_eq!(
        strings(&conn, &placed("readings")).await,
        [
            "shop.readings_low:5",
            "shop.readings_low:1500",
            "shop.readings_high:2500"
        ]
    );
    assert_eq!(
        scalar_i64(&conn, "SELECT count(*) FROM shop.sales_log").await,
        4,
        "moving rows is not inserting them: the row trigger stayed quiet"
    );
    let again = common_upgrade::live_plan(&load("new.yaml", &new_text), &tag).await;
    assert!(again.is_empty(), "{}", again.sql());
    drop(conn);
    drop_database(&tag).await;
}
