//! The dependency graph plans order creations and drops by (`deps::dependencies`, read
//! from the catalog's text and named references) against the one PostgreSQL keeps
//! (`pg_depend`): on every pull fixture, each normal dependency the server records between
//! two objects the graph orders (tables, views, routines, domains, composite types) must
//! be an edge of the graph, or a plan could create or drop them in the wrong order.
//! Dependencies of triggers, policies, constraints and indexes are left out: their steps
//! come in phases after (or, dropping, before) every object they can name; so are
//! extensions' objects, which the catalog does not hold, and table inheritance, which the
//! model does not express (the inventory reports it).

use std::collections::BTreeSet;

use schemactl::catalog::QName;
use schemactl::deps::{self, Node};
use schemactl::introspect;

use crate::common_pg::*;
use crate::common_pull::*;

/// Each object at the level the graph orders, as (kind, schema, name): a view's rule is
/// its view, a table's row type and a composite type's relation their owner.
const SERVER_EDGES: &str = r#"
WITH obj AS (
  SELECT 'pg_class'::regclass AS classid, c.oid AS objid,
         CASE WHEN c.relkind IN ('r', 'p') THEN 'table'
              WHEN c.relkind IN ('v', 'm') THEN 'view'
              WHEN c.relkind = 'c' THEN 'type' END AS kind,
         n.nspname::text AS schema_name, c.relname::text AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'c')
  UNION ALL
  SELECT 'pg_rewrite'::regclass, r.oid, 'view', n.nspname::text, c.relname::text
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'pg_proc'::regclass, p.oid, 'function', n.nspname::text, p.proname::text
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  UNION ALL
  SELECT 'pg_type'::regclass, t.oid,
         CASE WHEN t.typtype = 'd' THEN 'domain'
              WHEN c.relkind IN ('r', 'p') THEN 'table'
              WHEN c.relkind IN ('v', 'm') THEN 'view'
              ELSE 'type' END,
         n.nspname::text, coalesce(c.relname, t.typname)::text
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_class c ON c.oid = t.typrelid
  WHERE t.typtype IN ('d', 'c')
)
SELECT DISTINCT d.kind || ' ' || d.schema_name || '.' || d.name || ' -> '
       || r.kind || ' ' || r.schema_name || '.' || r.name
FROM pg_depend x
JOIN obj d ON d.classid = x.classid AND d.objid = x.objid
JOIN obj r ON r.classid = x.refclassid AND r.objid = x.refobjid
WHERE x.deptype = 'n'
  AND d.schema_name = ANY($1) AND r.schema_name = ANY($1)
  AND (d.kind, d.schema_name, d.name) IS DISTINCT FROM (r.kind, r.schema_name, r.name)
  -- Inheritance (not partitioning) is not modelled: the inventory reports it.
  AND NOT EXISTS (SELECT 1 FROM pg_inherits i
                  WHERE i.inhrelid = x.objid AND i.inhparent = x.refobjid)
  -- An extension's objects are its own, not the catalog's.
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.deptype = 'e'
                  AND ((e.classid, e.objid) = (d.classid, d.objid)
                       OR (e.classid, e.objid) = (r.classid, r.objid)))
ORDER BY 1
"#;

fn label(node: &Node) -> String {
    let kind = match node {
        Node::Domain(_) => "domain",
        Node::Type(_) => "type",
        Node::Function(_) => "function",
        Node::Table(_) => "table",
        Node::View(_) => "view",
    };
    let QName { schema, name } = node.name();
    format!("{kind} {schema}.{name}")
}

/// Checks one fixture; returns how many dependencies the server records between the
/// graph's objects (some fixtures have none: only triggers and policies call functions).
async fn server_edges_are_graph_edges(fixture_name: &str) -> usize {
    let db = unique(&format!("t_order_{fixture_name}"));
    database_from(&db, &[&fixture(fixture_name)]).await;
    let conn = connect(&db_url(&db)).await;
    let schemas = strings(
        &conn,
        "SELECT nspname::text FROM pg_namespace \
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1",
    )
    .await;
    let server: Vec<String> = {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let rows = conn
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                SERVER_EDGES,
                [sea_orm::Value::from(schemas.clone())],
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect()
    };
    let catalog = introspect::introspect(&conn, &schemas).await.unwrap();
    let graph: BTreeSet<String> = deps::dependencies(&catalog)
        .iter()
        .flat_map(|(node, needs)| {
            needs
                .iter()
                .map(move |need| format!("{} -> {}", label(node), label(need)))
        })
        .collect();
    let missing: Vec<&String> = server.iter().filter(|e| !graph.contains(*e)).collect();
    assert!(
        missing.is_empty(),
        "{fixture_name}: dependencies PostgreSQL records that the plan's graph lacks: \
         {missing:#?}\nthe graph: {graph:#?}"
    );
    server.len()
}

/// Domains over domains and enums, composite types, functions returning a domain and a
/// table's row type, views over functions and views.
#[tokio::test]
async fn shop_dependencies_are_ordered() {
    assert!(server_edges_are_graph_edges("shop").await > 0);
}

/// Aggregates over their support functions (and overloads of them), a function returning
/// a table's rows, a view over tables.
#[tokio::test]
async fn ledger_dependencies_are_ordered() {
    assert!(server_edges_are_graph_edges("ledger").await > 0);
}

#[tokio::test]
async fn the_other_fixtures_dependencies_are_ordered() {
    let mut recorded = 0;
    for fixture_name in [
        "saas",
        "library",
        "analytics",
        "crawler",
        "odd_names",
        "vectors",
        "unmanaged",
    ] {
        recorded += server_edges_are_graph_edges(fixture_name).await;
    }
    assert!(recorded > 0, "the fixtures record dependencies");
}
