//! Incremental normalization (issue 20) agrees with a whole rebuild: 30 randomised edit
//! sequences (seeded) of a small model with an enum, a function used in a check, foreign
//! keys, indexes with predicates, row-level security, grants, default privileges and views
//! (one `SELECT *`).
//! After every edit the model is normalized twice on the test cluster: through a store
//! of units that knows the previous versions (only the changed units are built, in the
//! workspace database, in a rolled-back transaction), and in a scratch database of the
//! whole model. The two catalogs, and the plans from a live database to each, must be
//! equal.

use crate::common_pg;

use std::path::Path;

use common_pg::*;
use schemactl::catalog::{Catalog, DatabaseDef, from_model};
use schemactl::diff::Hints;
use schemactl::normalize::{self, Dev, Store};
use serde_json::{Value, json};

const SEQUENCES: u64 = 30;
const EDITS: usize = 3;
const ENV: &[(&str, &str)] = &[
    ("INC_OWNER_PW", "inc-owner-pw"),
    ("INC_READER_PW", "inc-reader-pw"),
];

fn table(parent: Option<&str>) -> Value {
    let mut columns = json!({
        "id": { "type": "bigint", "primary_key": true },
        "name": { "type": "text", "nullable": false },
        "qty": { "type": "integer", "nullable": false, "default": 0 },
        "status": { "type": "status", "default": "'new'" },
        "created_at": { "type": "timestamptz", "default": "now()" },
    });
    if let Some(parent) = parent {
        columns["parent_id"] =
            json!({ "type": "bigint", "references": { "table": parent, "on_delete": "cascade" } });
    }
    json!({
        "columns": columns,
        "indexes": {},
        "checks": {},
        "grants": [{ "to": ["inc_reader"], "privileges": ["select"] }],
    })
}

fn base(database: &str) -> Value {
    let mut t0 = table(None);
    t0["checks"]["t0_qty_ok"] = json!("inc.nonneg(qty)");
    t0["indexes"]["t0_name_idx"] = json!({ "columns": ["name"] });
    t0["row_level_security"] = json!({
        "enabled": true,
        "policies": { "readers": { "to": ["inc_reader"], "using": "qty > 0" } },
    });
    let mut t1 = table(Some("t0"));
    t1["indexes"]["t1_qty_idx"] = json!({ "columns": ["qty"], "where": "qty > 10" });
    json!({
        "database": { "name": database, "owner": "inc_owner" },
        "roles": {
            "inc_owner": { "login": true, "password_env": "INC_OWNER_PW" },
            "inc_reader": { "login": true, "password_env": "INC_READER_PW" },
        },
        "schemas": { "inc": {
            "owner": "inc_owner",
            "grants": [{ "to": ["inc_reader"], "privileges": ["usage"] }],
            // Applied after the objects in a fresh database: they get no grant from it.
            "default_privileges": [{ "on": "tables", "to": ["inc_reader"], "privileges": ["select"] }],
            "enums": { "status": ["new", "active", "closed"] },
            "functions": { "nonneg": {
                "args": [{ "name": "v", "type": "integer" }],
                "returns": "boolean",
                "language": "sql",
                "volatility": "immutable",
                "body": "SELECT v >= 0",
            } },
            "tables": { "t0": t0, "t1": t1, "t2": table(Some("t1")) },
            "views": {
                "v_star": { "query": "SELECT * FROM inc.t0" },
                "v_pos": { "query": "SELECT c.id, c.name, p.name AS parent\nFROM inc.t1 c JOIN inc.t0 p ON p.id = c.parent_id\nWHERE c.qty > 0" },
            },
        } },
    })
}

fn schema(model: &mut Value) -> &mut Value {
    &mut model["schemas"]["inc"]
}

fn pick<T: Clone>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())].clone()
}

fn names(map: &Value) -> Vec<String> {
    map.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Tables no foreign key and no view names.
fn unreferenced(model: &Value, table: &str) -> bool {
    let s = &model["schemas"]["inc"];
    let fk = s["tables"].as_object().unwrap().values().any(|t| {
        t["columns"]
            .as_object()
            .unwrap()
            .values()
            .any(|c| c["references"]["table"] == table)
    });
    let view = s["views"].as_object().unwrap().values().any(|v| {
        v["query"]
            .as_str()
            .unwrap()
            .contains(&format!("inc.{table} "))
    });
    table != "t0" && !fk && !view
}

/// One random edit; returns what it did.
fn edit(model: &mut Value, rng: &mut fastrand::Rng, n: usize) -> String {
    let tables = names(&schema(model)["tables"]);
    let t = pick(rng, &tables);
    let types = [
        "text",
        "integer",
        "boolean",
        "varchar(40)",
        "numeric(10,2)",
        "status",
    ];
    let cols = names(&schema(model)["tables"][&t]["columns"]);
    let extra: Vec<String> = cols.into_iter().filter(|c| c.starts_with("x_")).collect();
    match rng.u8(..13) {
        0 => {
            let ty = pick(rng, &types);
            let mut col = json!({ "type": ty });
            match ty {
                "integer" if rng.bool() => col["default"] = json!(rng.i32(-5..50)),
                "status" if rng.bool() => col["default"] = json!("'active'"),
                "text" if rng.bool() => col["default"] = json!("'abc'"),
                _ => {}
            }
            schema(model)["tables"][&t]["columns"][format!("x_{n}")] = col;
            format!("add column {t}.x_{n} {ty}")
        }
        1 if !extra.is_empty() => {
            let c = pick(rng, &extra);
            schema(model)["tables"][&t]["columns"]
                .as_object_mut()
                .unwrap()
                .remove(&c);
            format!("drop column {t}.{c}")
        }
        2 if !extra.is_empty() => {
            let c = pick(rng, &extra);
            let ty = pick(rng, &["text", "varchar(80)", "bigint", "integer"]);
            let using = match ty {
                "bigint" | "integer" => "0",
                _ => "NULL",
            };
            schema(model)["tables"][&t]["columns"][&c] = json!({ "type": ty, "using": using });
            format!("alter column {t}.{c} type {ty}")
        }
        3 => {
            let default = pick(
                rng,
                &["now()", "CURRENT_TIMESTAMP", "statement_timestamp()"],
            );
            schema(model)["tables"][&t]["columns"]["created_at"]["default"] = json!(default);
            let qty = rng.i32(0..9);
            schema(model)["tables"][&t]["columns"]["qty"]["default"] = json!(qty);
            format!("change defaults of {t}: {default}, {qty}")
        }
        4 => {
            let check = pick(
                rng,
                &[
                    "inc.nonneg(qty)",
                    "qty >= -1",
                    "qty < 1000 AND qty > -1000",
                    "name <> ''",
                ],
            );
            schema(model)["tables"][&t]["checks"][format!("{t}_qty_ok")] = json!(check);
            format!("check {t}: {check}")
        }
        5 => {
            let k = rng.i32(0..100);
            schema(model)["tables"][&t]["indexes"][format!("{t}_i{n}")] = json!({ "columns": ["qty", "name"], "where": format!("qty > {k} AND status <> 'closed'") });
            format!("add index {t}_i{n} where qty > {k}")
        }
        6 => {
            let indexes = names(&schema(model)["tables"][&t]["indexes"]);
            if indexes.is_empty() {
                return edit(model, rng, n);
            }
            let i = pick(rng, &indexes);
            schema(model)["tables"][&t]["indexes"]
                .as_object_mut()
                .unwrap()
                .remove(&i);
            format!("drop index {i}")
        }
        7 => {
            let name = format!("n{n}");
            schema(model)["tables"][&name] = table(Some(&t));
            format!("add table {name} -> {t}")
        }
        8 => {
            let k = rng.i32(0..20);
            let query = format!(
                "SELECT c.id, c.name, p.name AS parent\nFROM inc.t1 c JOIN inc.t0 p ON p.id = c.parent_id\nWHERE c.qty > {k} AND p.status = 'active'"
            );
            schema(model)["views"]["v_pos"]["query"] = json!(query);
            if rng.bool() {
                schema(model)["views"][format!("v_{n}")] = json!({ "query": format!("SELECT id, qty * 2 AS q2 FROM inc.{t} WHERE qty > {k}") });
            }
            format!("change views (k = {k}, over {t})")
        }
        9 => {
            schema(model)["enums"]["status"]
                .as_array_mut()
                .unwrap()
                .push(json!(format!("s{n}")));
            format!("enum value s{n}")
        }
        10 => {
            let k = rng.i32(-3..3);
            schema(model)["functions"]["nonneg"]["body"] = json!(format!("SELECT v >= {k}"));
            format!("function body k = {k}")
        }
        11 => {
            let k = rng.i32(0..9);
            schema(model)["tables"]["t0"]["row_level_security"]["policies"]["readers"]["using"] =
                json!(format!("qty > {k} OR status = 'active'"));
            format!("policy k = {k}")
        }
        _ => {
            let candidates: Vec<String> = tables
                .iter()
                .filter(|t| unreferenced(model, t))
                .cloned()
                .collect();
            if candidates.is_empty() {
                return edit(model, rng, n);
            }
            let victim = pick(rng, &candidates);
            schema(model)["tables"]
                .as_object_mut()
                .unwrap()
                .remove(&victim);
            // A view over it goes too.
            let views = names(&schema(model)["views"]);
            for v in views {
                let query = schema(model)["views"][&v]["query"]
                    .as_str()
                    .unwrap()
                    .to_string();
                if query.contains(&format!("inc.{victim} ")) {
                    schema(model)["views"].as_object_mut().unwrap().remove(&v);
                }
            }
            format!("drop table {victim}")
        }
    }
}

fn load(text: &str) -> Option<schemactl::model::Model> {
    let loaded = schemactl::load::load_str(Path::new("inc.yaml"), text.to_string()).ok()?;
    schemactl::validate::validate(&loaded)
        .is_empty()
        .then_some(loaded.model)
}

/// The plan's text from `live` to `desired`.
fn plan_sql(live: &Catalog, desired: &Catalog, model: &schemactl::model::Model) -> String {
    let steps = schemactl_postgres::plan(live, desired, &Hints::from_model(model)).unwrap();
    schemactl_postgres::script::layout(&steps, Some("inc_owner")).to_sql()
}

/// What a normalized catalog says that depends on where it was built.
fn comparable(mut catalog: Catalog) -> Catalog {
    catalog.database = DatabaseDef::default();
    catalog
}

#[tokio::test]
async fn incremental_normalization_equals_a_whole_rebuild() {
    let tag = unique("inc_norm");
    let admin = admin_url();
    let base_text = base(&tag).to_string();
    let path = std::env::temp_dir().join(format!("{tag}.yaml"));
    std::fs::write(&path, &base_text).unwrap();
    let output = schemactl_env(&path, &["provision", &tag, "--recreate", "--yes"], ENV);
    assert!(output.status.success(), "provision: {}", stderr(&output));
    let live_conn = connect(&db_url(&tag)).await;
    let live = schemactl::introspect::introspect(&live_conn, &["inc".to_string()])
        .await
        .unwrap();

    let scope = format!("upgrade_incremental/{}", std::process::id());
    let dev = Dev {
        url: &admin,
        placeholder_roles: false,
    };
    let mut store = Store::default();
    let mut scratches = Vec::new();
    let mut workspaces = std::collections::BTreeSet::new();
    let (mut partial, mut units_built, mut units_total) = (0, 0, 0);
    for seed in 0..SEQUENCES {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut model_json = base(&tag);
        let mut log = Vec::new();
        for step in 0..=EDITS {
            if step > 0 {
                log.push(edit(&mut model_json, &mut rng, step * 100 + seed as usize));
            }
            let text = model_json.to_string();
            let Some(model) = load(&text) else {
                // An edit the model refuses (rare): undo it by starting the next sequence.
                eprintln!("seed {seed}: invalid after {log:?}; next sequence");
                break;
            };
            let catalog = from_model(&model);
            let keyed = normalize::units::Plan::new(&catalog, &scope);
            let missing = keyed.keys.values().filter(|k| !store.knows(k)).count();
            workspaces.insert(normalize::workspace_database(&catalog, &scope));
            let mut incremental = normalize::desired(&model, &catalog, &scope, &dev, &mut store)
                .await
                .unwrap_or_else(|e| panic!("seed {seed} {log:?}: {e:#}"));
            incremental.roles = catalog.roles.clone();
            let (whole, scratch) = schemactl::upgrade::desired_whole(&model, &admin)
                .await
                .unwrap_or_else(|e| panic!("seed {seed} {log:?}: {e:#}"));
            scratches.push(scratch);
            if step > 0 {
                units_built += missing;
                units_total += keyed.keys.len();
                partial += usize::from(missing < keyed.keys.len());
            }
            let (incremental, whole) = (comparable(incremental), comparable(whole));
            if incremental != whole {
                let a = serde_json::to_string_pretty(&incremental).unwrap();
                let b = serde_json::to_string_pretty(&whole).unwrap();
                let diff = similar::TextDiff::from_lines(&b, &a)
                    .unified_diff()
                    .header("whole", "incremental")
                    .to_string();
                panic!("seed {seed} after {log:?}: the catalogs differ:\n{diff}");
            }
            assert_eq!(
                plan_sql(&live, &incremental, &model),
                plan_sql(&live, &whole, &model),
                "seed {seed} after {log:?}"
            );
        }
    }
    eprintln!(
        "{partial} edited versions built part of the model: {units_built} of {units_total} units"
    );
    // The point of the path: edits rebuild a few units, not the model.
    assert!(partial >= SEQUENCES as usize, "{partial}");
    assert!(
        units_built * 3 < units_total,
        "{units_built} of {units_total}"
    );

    drop(live_conn);
    let admin_conn = connect(&admin).await;
    for name in scratches.iter().chain(&workspaces) {
        exec(
            &admin_conn,
            &format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                schemactl::sql::ident(name)
            ),
        )
        .await;
    }
    let _ = std::fs::remove_file(&path);
}
