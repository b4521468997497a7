//! Introspection against the real project-local PostgreSQL 18: a provisioned model reads
//! back as the catalog the model builds, reads the same twice and in two databases, and
//! costs the same number of queries for 3 tables as for 300.

use crate::common_pg;
use crate::introspect_compare;

use std::time::Instant;

use common_pg::*;
use schemactl::catalog;
use schemactl::introspect::{self, Options};

const SCHEMAS: [&str; 4] = ["steam", "ims", "streaming", "americano"];

fn schemas() -> Vec<String> {
    SCHEMAS.iter().map(|s| s.to_string()).collect()
}

fn real_model() -> schemactl::model::Model {
    match schemactl::load::load_file(&schema_path()).unwrap() {
        Ok(loaded) => loaded.model,
        Err((_, diags)) => panic!("schema.yaml does not load: {diags:?}"),
    }
}

async fn read(database: &str, schemas: Vec<String>) -> introspect::Introspection {
    let conn = connect(&db_url(database)).await;
    let options = Options {
        schemas,
        ..Options::default()
    };
    introspect::introspect_with(&conn, &options).await.unwrap()
}

#[tokio::test]
async fn provisioned_model_reads_back_as_the_model() {
    let db = unique("t_intro_model");
    drop_database(&db).await;
    provision(&db);

    let started = Instant::now();
    let first = read(&db, schemas()).await;
    let elapsed = started.elapsed();
    eprintln!(
        "introspected the full model ({} tables, {} views, {} functions) in {elapsed:.2?} with {} queries",
        first.catalog.tables.len(),
        first.catalog.views.len(),
        first.catalog.functions.len(),
        first.queries
    );

    let expected = catalog::from_model(&real_model());
    let mismatches = introspect_compare::structural_diff(&expected, &first.catalog);
    assert!(
        mismatches.is_empty(),
        "introspected catalog differs from the model on {} point(s):\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );

    let second = read(&db, schemas()).await;
    assert_eq!(first.queries, second.queries);
    assert!(
        first.catalog == second.catalog,
        "two reads of one database differ:\n{}",
        introspect_compare::full_diff(&first.catalog, &second.catalog).join("\n")
    );
    drop_database(&db).await;
}

#[tokio::test]
async fn two_databases_from_one_model_read_the_same() {
    let a = unique("t_intro_twin_a");
    let b = unique("t_intro_twin_b");
    drop_database(&a).await;
    drop_database(&b).await;
    provision(&a);
    provision(&b);
    let mut left = read(&a, schemas()).await.catalog;
    let right = read(&b, schemas()).await.catalog;
    assert_eq!(left.database.name, *a);
    left.database.name.clone_from(&right.database.name);
    let differences = introspect_compare::full_diff(&left, &right);
    assert!(
        differences.is_empty() && left == right,
        "catalogs of two databases provisioned from one model differ:\n{}",
        differences.join("\n")
    );
    drop_database(&a).await;
    drop_database(&b).await;
}

/// A model of `n` small tables in schema `synth`: a key, two columns, a foreign key to the
/// previous table, an index, a check and a comment each.
fn synthetic_model(database: &str, n: usize) -> String {
    let mut yaml = format!("database:\n  name: {database}\nschemas:\n  synth:\n    tables:\n");
    for i in 0..n {
        yaml.push_str(&format!(
            "      t{i}:\n        comment: table {i}\n        columns:\n          \
             id: {{ type: bigint, primary_key: true }}\n          \
             name: {{ type: text, nullable: false, check: \"name <> ''\" }}\n          \
             created_at: {{ type: timestamptz, default: now() }}\n"
        ));
        if i > 0 {
            yaml.push_str(&format!(
                "          prev_id: {{ type: bigint, references: {{ table: t{} }} }}\n",
                i - 1
            ));
        }
        yaml.push_str(&format!(
            "        indexes:\n          idx_t{i}_name: {{ columns: [name] }}\n"
        ));
    }
    yaml
}

async fn provision_synthetic(database: &str, n: usize) -> introspect::Introspection {
    drop_database(database).await;
    let path = write_model(database, &synthetic_model(database, n));
    let output = schemactl(&path, &["provision", database]);
    assert!(
        output.status.success(),
        "provision failed:\n{}",
        stderr(&output)
    );
    let read = read(database, vec!["synth".to_string()]).await;
    let _ = std::fs::remove_file(&path);
    read
}

#[tokio::test]
async fn query_count_does_not_grow_with_the_number_of_tables() {
    let small_db = unique("t_intro_small");
    let large_db = unique("t_intro_large");
    let small = provision_synthetic(&small_db, 3).await;
    let started = Instant::now();
    let large = provision_synthetic(&large_db, 300).await;
    eprintln!(
        "provisioned and introspected 300 tables in {:.2?}",
        started.elapsed()
    );
    assert_eq!(small.catalog.tables.len(), 3);
    assert_eq!(large.catalog.tables.len(), 300);
    let t299 = &large.catalog.tables[&catalog::QName::new("synth", "t299")];
    assert_eq!(t299.foreign_keys.len(), 1);
    assert_eq!(t299.indexes.len(), 1);
    assert_eq!(t299.checks.len(), 1);
    assert_eq!(
        small.queries, large.queries,
        "queries for 3 tables vs 300 tables"
    );
    eprintln!(
        "introspection queries: {} for 3 tables, {} for 300",
        small.queries, large.queries
    );

    let started = Instant::now();
    let again = read(&large_db, vec!["synth".to_string()]).await;
    eprintln!("introspected 300 tables in {:.2?}", started.elapsed());
    assert!(again.catalog == large.catalog);
    drop_database(&small_db).await;
    drop_database(&large_db).await;
}

#[tokio::test]
async fn not_valid_constraints_and_odd_objects_are_read() {
    let db = unique("t_intro_odd");
    drop_database(&db).await;
    let admin = connect(&admin_url()).await;
    exec(&admin, &format!("CREATE DATABASE {db}")).await;
    let conn = connect(&db_url(&db)).await;
    exec(
        &conn,
        "CREATE SCHEMA odd;
         CREATE TABLE odd.parent (id int PRIMARY KEY, code text, UNIQUE NULLS NOT DISTINCT (code));
         CREATE TABLE odd.child (id serial PRIMARY KEY, parent_id int, v int,
             g int GENERATED ALWAYS AS (v * 2) STORED,
             i bigint GENERATED ALWAYS AS IDENTITY);
         INSERT INTO odd.child (v) VALUES (-1);
         ALTER TABLE odd.child ADD CONSTRAINT child_v_check CHECK (v > 0) NOT VALID;
         ALTER TABLE odd.child ADD CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id)
             REFERENCES odd.parent (id) ON DELETE SET NULL DEFERRABLE NOT VALID;
         CREATE INDEX child_expr ON odd.child ((v + 1) DESC NULLS LAST, lower(parent_id::text) COLLATE \"C\")
             INCLUDE (g) WITH (fillfactor = 70) WHERE v IS NOT NULL;
         CREATE TABLE odd.h (k int) PARTITION BY HASH (k);
         CREATE TABLE odd.h0 PARTITION OF odd.h FOR VALUES WITH (MODULUS 2, REMAINDER 0);
         CREATE TABLE odd.h1 PARTITION OF odd.h FOR VALUES WITH (MODULUS 2, REMAINDER 1);
         CREATE TABLE odd.l (k text) PARTITION BY LIST (k);
         CREATE TABLE odd.l_ab PARTITION OF odd.l FOR VALUES IN ('a', 'b,c');
         CREATE FUNCTION odd.f(a int, b text DEFAULT 'x, y', VARIADIC c int[] DEFAULT '{}')
             RETURNS int LANGUAGE sql PARALLEL SAFE AS 'SELECT 1';
         CREATE FUNCTION odd.tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
         CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF v ON odd.child FOR EACH ROW
             WHEN (new.v IS DISTINCT FROM 0) EXECUTE FUNCTION odd.tf('arg one', 'x');
         ALTER TABLE odd.child ENABLE ROW LEVEL SECURITY;
         CREATE POLICY p ON odd.child AS RESTRICTIVE FOR UPDATE USING (v > 0);
         GRANT SELECT (v, g) ON odd.child TO PUBLIC;",
    )
    .await;
    let c = introspect::introspect(&conn, &["odd".to_string()])
        .await
        .unwrap();
    let child = &c.tables[&catalog::QName::new("odd", "child")];
    assert_eq!(child.not_valid, ["child_parent_fkey", "child_v_check"]);
    let id = child.column("id").unwrap();
    assert_eq!((id.ty.as_str(), id.default.as_deref()), ("integer", None));
    assert!(id.serial.is_some());
    assert!(child.column("g").unwrap().generated.is_some());
    assert!(child.column("i").unwrap().identity.is_some());
    let fk = &child.foreign_keys[0];
    assert!(fk.deferrable);
    assert_eq!(fk.on_delete, schemactl::model::FkAction::SetNull);
    let parent = &c.tables[&catalog::QName::new("odd", "parent")];
    assert!(parent.uniques[0].nulls_not_distinct);
    let index = &child.indexes[0];
    assert_eq!(index.include, ["g"]);
    assert_eq!(index.with, [("fillfactor".to_string(), "70".to_string())]);
    assert!(index.predicate.is_some());
    match &index.keys[..] {
        [
            catalog::IndexKeyDef::Expression {
                sql, order, nulls, ..
            },
            catalog::IndexKeyDef::Expression { collate, .. },
        ] => {
            assert_eq!(sql, "v + 1");
            assert_eq!(*order, Some(schemactl::model::SortOrder::Desc));
            assert_eq!(*nulls, Some(schemactl::model::NullsOrder::Last));
            assert_eq!(collate.as_deref(), Some("C"));
        }
        other => panic!("unexpected keys {other:?}"),
    }
    let h = &c.tables[&catalog::QName::new("odd", "h")];
    assert_eq!(h.partitions.len(), 2);
    let l = &c.tables[&catalog::QName::new("odd", "l")];
    assert_eq!(
        l.partitions[0].bound,
        schemactl::model::partitions::Bound::List(vec!["'a'".into(), "'b,c'".into()])
    );
    let odd_f = catalog::QName::new("odd", "f");
    let (_, f) = c.routines_named(&odd_f).next().expect("odd.f is read");
    let defaults: Vec<Option<&str>> = f.args.iter().map(|a| a.default.as_deref()).collect();
    assert_eq!(
        defaults,
        [None, Some("'x, y'::text"), Some("'{}'::integer[]")]
    );
    assert_eq!(f.args[2].mode.as_deref(), Some("VARIADIC"));
    assert_eq!(f.parallel.as_deref(), Some("SAFE"));
    let tr = &child.triggers[0];
    assert_eq!(tr.args, ["arg one", "x"]);
    assert_eq!(tr.update_of, ["v"]);
    assert!(
        tr.condition
            .as_deref()
            .unwrap()
            .contains("IS DISTINCT FROM")
    );
    assert!(child.rls_enabled && !child.rls_forced);
    assert!(child.policies[0].restrictive);
    assert_eq!(child.grants.len(), 1);
    assert_eq!(child.grants[0].grantee, "public");
    assert_eq!(child.grants[0].columns, ["g", "v"]);
    drop(conn);
    drop_database(&db).await;
}

/// Without the citus extension the Citus catalog queries never run: a decoy
/// `public.pg_dist_partition` (which those unqualified queries would reach through the
/// search path, and could not read) is left alone, and no table reads as distributed.
#[tokio::test]
async fn citus_catalogs_are_read_only_where_citus_is_installed() {
    let db = unique("t_intro_citus_guard");
    drop_database(&db).await;
    let admin = connect(&admin_url()).await;
    exec(&admin, &format!("CREATE DATABASE {db}")).await;
    let conn = connect(&db_url(&db)).await;
    exec(
        &conn,
        "CREATE TABLE public.pg_dist_partition (decoy text);
         CREATE SCHEMA app;
         CREATE TABLE app.orders (customer_id bigint, id bigint, PRIMARY KEY (customer_id, id));",
    )
    .await;
    let present = scalar_i64(
        &conn,
        "SELECT count(*)::bigint FROM pg_extension WHERE extname = 'citus'",
    )
    .await;
    assert_eq!(present, 0, "this server has no Citus");
    let read = introspect::introspect_with(
        &conn,
        &Options {
            schemas: vec!["app".to_string()],
            ..Options::default()
        },
    )
    .await
    .unwrap();
    let orders = &read.catalog.tables[&catalog::QName::new("app", "orders")];
    assert_eq!(orders.citus, None);
    assert!(!read.catalog.schemas["app"].distributed);
    drop(conn);
    drop_database(&db).await;
}
