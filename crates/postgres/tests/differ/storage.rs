//! How a table is stored: `unlogged` and storage parameters (`with`).

/// Storage of a table: created unlogged with parameters; later made logged (a rewrite)
/// with one parameter changed and one removed.
#[test]
fn table_storage_created_and_changed() {
    let steps = case!()
        .before(
            r#"
            schemas:
              stats:
                tables:
                  beacons:
                    unlogged: true
                    with: { fillfactor: 70, autovacuum_enabled: false }
                    columns:
                      payload: { type: text }
            "#,
        )
        .after(
            r#"
            schemas:
              stats:
                tables:
                  beacons:
                    with: { fillfactor: 90 }
                    columns:
                      payload: { type: text }
                  fresh:
                    unlogged: true
                    with: { autovacuum_vacuum_scale_factor: 0.05 }
                    columns:
                      id: { type: bigint, primary_key: true }
            "#,
        )
        .check();
    let text = crate::harness::plan_text(&steps);
    assert!(text.contains("table-rewrite"), "{text}");
}

/// Parameters of the TOAST table (`toast.*`): in `WITH (…)` of a new table, set and reset
/// beside the table's own on one that stays; the prefix is syntax, the name after it is
/// quoted like any other.
#[test]
fn toast_parameters_created_set_and_reset() {
    case!()
        .before(
            r#"
            schemas:
              stats:
                tables:
                  beacons:
                    with: { fillfactor: 70, toast.autovacuum_enabled: false }
                    columns:
                      payload: { type: text }
            "#,
        )
        .after(
            r#"
            schemas:
              stats:
                tables:
                  beacons:
                    with: { fillfactor: 70, toast.vacuum_truncate: false }
                    columns:
                      payload: { type: text }
                  documents:
                    with: { toast.autovacuum_vacuum_scale_factor: 0.01 }
                    columns:
                      id: { type: bigint, primary_key: true }
                      body: { type: jsonb }
            "#,
        )
        .check();
}

/// A column's collation set, changed and reset: ALTER … TYPE … COLLATE, no rewrite (the
/// type stays), an index on the column rebuilt by the server.
#[test]
fn column_collation_changes() {
    let steps = case!()
        .before(
            r#"
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      sku: { type: "varchar(32)", primary_key: true }
                      name: { type: text, collation: POSIX }
                      code: { type: text, collation: C }
            "#,
        )
        .after(
            r#"
            schemas:
              shop:
                tables:
                  products:
                    columns:
                      sku: { type: "varchar(32)", primary_key: true, collation: C }
                      name: { type: text }
                      code: { type: text, collation: C }
                      label: { type: text, collation: C }
            "#,
        )
        .check();
    let text = crate::harness::plan_text(&steps);
    assert!(!text.contains("table-rewrite"), "{text}");
}

/// The index behind a key or unique constraint: covering columns and storage parameters.
/// A key that gains them is dropped and added again (a constraint's index cannot be
/// altered into another), the foreign key that needs it with it; a new table writes them
/// inline, before the key's timing.
#[test]
fn key_index_include_and_storage_parameters() {
    case!()
        .before(
            r#"
            schemas:
              stats:
                tables:
                  sites:
                    columns:
                      site_id: { type: smallint, primary_key: true }
                      host: { type: text, nullable: false }
                      timezone: { type: text }
                    unique:
                      sites_host_key: [host]
                  visits:
                    columns:
                      visit_id: { type: bigint, primary_key: true }
                      site_id: { type: smallint, references: { table: sites } }
            "#,
        )
        .after(
            r#"
            schemas:
              stats:
                tables:
                  sites:
                    primary_key_with: { fillfactor: 80 }
                    columns:
                      site_id: { type: smallint, primary_key: true }
                      host: { type: text, nullable: false }
                      timezone: { type: text }
                    unique:
                      sites_host_key:
                        columns: [host]
                        include: [timezone]
                        with: { deduplicate_items: false }
                  visits:
                    columns:
                      visit_id: { type: bigint, primary_key: true }
                      site_id: { type: smallint, references: { table: sites } }
                  pages:
                    primary_key: [site_id, path]
                    primary_key_include: [title]
                    primary_key_deferrable: true
                    columns:
                      site_id: { type: smallint }
                      path: { type: text }
                      title: { type: text }
            "#,
        )
        .check();
}
