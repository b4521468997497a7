//! `import`: SQL files run in a throwaway database on the test cluster and are pulled.
//! A `pg_dump --schema-only` of a fixture imports into a model that provisions to the
//! same schema; a file that fails stops the import with psql's file and line, and the
//! throwaway database is gone either way.

use crate::common_pg;
use crate::common_pull;

use std::path::Path;

use common_pg::*;
use common_pull::*;

async fn import_databases_left() -> i64 {
    let admin = connect(&admin_url()).await;
    scalar_i64(
        &admin,
        "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemactl\\_import\\_%'",
    )
    .await
}

#[tokio::test]
async fn a_schema_dump_imports_into_a_model_that_provisions_the_same_schema() {
    let source = unique("t_import_ledger");
    let copy = format!("{source}_copy");
    database_from(&source, &[&fixture("ledger")]).await;
    let dump = workspace()
        .join("target/test-models")
        .join(format!("ledger_dump_{}.sql", std::process::id()));
    std::fs::write(&dump, schema_dump(&source)).unwrap();
    let model = model_path(&format!("{source}_imported"));
    let dump_arg = dump.to_string_lossy().into_owned();
    let model_arg = model.to_string_lossy().into_owned();
    let imported = schemactl(
        Path::new("unused.yaml"),
        &["import", &dump_arg, "--name", "ledger", "--out", &model_arg],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("name: ledger"), "{text}");
    // The dump restores objects with their owner: the database goes to that role.
    assert!(text.contains("owner: fx_ledger_owner"), "{text}");

    let provisioned = schemactl(&model, &["provision", &copy]);
    assert!(provisioned.status.success(), "{}", stderr(&provisioned));
    let difference = dump_difference(&sorted_dump(&source), &sorted_dump(&copy));
    assert!(difference.is_empty(), "{}", difference.join("\n"));
    assert_empty_plan(&model, &source);
}

#[tokio::test]
async fn a_failing_file_stops_the_import_and_leaves_no_database() {
    let dir = workspace().join("target/test-models");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("broken_{}.sql", std::process::id()));
    std::fs::write(
        &file,
        "CREATE SCHEMA app;\nCREATE TABLE app.t (id bigint PRIMARY KEY);\n\
         CREATE TABLE app.u (id bigint REFERENCES app.missing);\n",
    )
    .unwrap();
    let out = dir.join(format!("broken_{}.yaml", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let file_arg = file.to_string_lossy().into_owned();
    let out_arg = out.to_string_lossy().into_owned();
    let imported = schemactl(
        Path::new("unused.yaml"),
        &["import", &file_arg, "--out", &out_arg],
    );
    assert_eq!(imported.status.code(), Some(1), "{}", stderr(&imported));
    let err = stderr(&imported);
    assert!(
        err.contains(&format!("broken_{}.sql:3: ERROR:", std::process::id()))
            && err.contains("relation \"app.missing\" does not exist"),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(import_databases_left().await, 0);
}
