//! Times the stages of loading a model (issue 20): `cargo run --release -p
//! schemactl-model --example load_bench -- path/to/model.yaml`. Without the CLI around
//! it, so the figures are the model crate's alone (no cache read or write).

use std::path::Path;
use std::time::Instant;

use schemactl_model::{Model, load, validate};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_bench MODEL.yaml [--parse-only]");
        std::process::exit(2);
    };
    let path = Path::new(&path);
    let all = Instant::now();
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| {
        eprintln!("cannot read {}: {err}", path.display());
        std::process::exit(2);
    });
    let started = Instant::now();
    let Ok((_, value)) = load::load_document(path, text.clone()) else {
        eprintln!("the model does not load");
        std::process::exit(1);
    };
    report("YAML → JSON (load_document)", started);
    if std::env::args().any(|a| a == "--parse-only") {
        return;
    }
    let started = Instant::now();
    let problems = validate::structure::check(&value);
    report("JSON Schema check", started);
    assert!(problems.is_empty(), "{problems:?}");
    let started = Instant::now();
    let model: Model = serde_json::from_value(value).unwrap_or_else(|err| {
        eprintln!("invalid model: {err}");
        std::process::exit(1);
    });
    report("JSON → Model", started);
    drop(model);
    let started = Instant::now();
    let Ok(loaded) = load::load_str(path, text) else {
        eprintln!("the model does not load");
        std::process::exit(1);
    };
    report("load_str (all of the above)", started);
    let started = Instant::now();
    let diagnostics = validate::validate(&loaded);
    report("semantic validation", started);
    assert!(diagnostics.is_empty(), "{} diagnostics", diagnostics.len());
    let started = Instant::now();
    let pos = loaded.source.key_pos("/schemas");
    report("positions located on demand", started);
    println!("/schemas at {}:{}", pos.line, pos.column);
    report("total", all);
}

fn report(what: &str, started: Instant) {
    println!("{what:<32} {:>8.3} s", started.elapsed().as_secs_f64());
}
