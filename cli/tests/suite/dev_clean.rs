//! `schemactl dev list` and `dev clean` find the scratch databases plans leave on the dev
//! server and remove them, and no other database: names are matched by their whole shape,
//! and a database in use is never dropped by force.
//!
//! Only named removal is exercised against the shared test cluster: `--all` would race
//! with other test processes' plans (their selection logic is unit-tested in
//! `cli/src/scratch.rs`).

use crate::common_pg;

use common_pg::*;

async fn databases(admin: &sea_orm::DatabaseConnection) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    admin
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT datname::text FROM pg_database",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

fn dev(args: &[&str]) -> (bool, String, String) {
    let admin = admin_url();
    let mut all = vec!["dev"];
    all.extend_from_slice(args);
    all.extend(["--admin-url", admin.as_str()]);
    let out = schemactl(&schema_path(), &all);
    (out.status.success(), stdout(&out), stderr(&out))
}

#[tokio::test]
async fn dev_commands_list_and_remove_real_scratch_databases_only() {
    let target = unique("t_devclean");
    let admin = connect(&admin_url()).await;
    exec(&admin, &format!("CREATE DATABASE {}", *target)).await;
    // A schema no other run plans: the plan builds a scratch database of its own.
    let schema = format!("devclean_{}", std::process::id());
    let model = write_model(
        &target,
        &format!(
            "database: {{ name: {} }}\nschemas:\n  {schema}:\n    tables:\n      t:\n        columns:\n          id: {{ type: bigint, primary_key: true }}\n          note: {{ type: text, default: \"'x'\" }}\n",
            *target
        ),
    );
    let before = databases(&admin).await;
    let out = schemactl(&model, &["plan", "--database-url", &db_url(&target)]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The new scratch database is the one holding this test's schema.
    let mut real = None;
    for name in databases(&admin).await {
        if before.contains(&name) || !name.starts_with("schemactl_scratch_") {
            continue;
        }
        let conn = connect(&db_url(&name)).await;
        let found = scalar_i64(
            &conn,
            &format!("SELECT count(*) FROM pg_namespace WHERE nspname = '{schema}'"),
        )
        .await;
        conn.close().await.ok();
        if found == 1 {
            real = Some(name);
        }
    }
    let real = real.expect("the plan left a scratch database");

    // A half-built one of this process, and look-alikes that are not scratch databases.
    let building = format!(
        "schemactl_scratch_{:016x}_building",
        0xdc00_0000_u64 + u64::from(std::process::id())
    );
    let look_alike = TestDb::named(&format!("schemactl_scratch_keep_{}", std::process::id()));
    exec(&admin, &format!("CREATE DATABASE {building}")).await;
    exec(&admin, &format!("CREATE DATABASE {}", *look_alike)).await;
    let _building_guard = TestDb::named(&building);

    let (ok, listed, err) = dev(&["list"]);
    assert!(ok, "{err}");
    assert!(listed.contains(&real), "{listed}");
    assert!(
        listed.contains(&format!("{building} (half-built)")),
        "{listed}"
    );
    assert!(!listed.contains(&*look_alike), "{listed}");
    assert!(!listed.contains(&*target), "{listed}");
    assert!(listed.contains("plan"), "{listed}");

    // Naming a database that is not a scratch one refuses and drops nothing.
    let (ok, _, err) = dev(&["clean", &real, &look_alike]);
    assert!(!ok);
    assert!(err.contains("is not a scratch database"), "{err}");
    assert!(databases(&admin).await.contains(&real));

    // In use: kept, and said so; never dropped by force.
    let holder = connect(&db_url(&building)).await;
    assert_eq!(scalar_i64(&holder, "SELECT 1::bigint").await, 1);
    let (ok, out, err) = dev(&["clean", &real, &building]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("dropped {real}")), "{out}");
    assert!(out.contains(&format!("kept {building}")), "{out}");
    let now = databases(&admin).await;
    assert!(!now.contains(&real), "the scratch database is gone");
    assert!(now.contains(&building), "in use, so kept");
    holder.close().await.ok();

    let (ok, out, err) = dev(&["clean", &building]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("dropped {building}")), "{out}");
    let now = databases(&admin).await;
    assert!(!now.contains(&building));
    assert!(
        now.contains(&*look_alike),
        "a look-alike name is left alone"
    );
    assert!(now.contains(&*target), "the target is left alone");
    drop(admin);
}
