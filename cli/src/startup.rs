//! What a command does before its own work, shared by the commands and the library
//! modules that run one for them (a fleet, `export --sync`, SQLite seeding): the model
//! loaded and validated with its diagnostics printed, the async runtime started, and an
//! error reported at its place in the model. Failures return the exit code to use.

use crate::diag;
use crate::exit::{EXIT_INVALID, EXIT_USAGE};
use crate::load;
use crate::validate;

/// The async runtime for a command; on failure the message is printed and the exit code
/// returned.
pub fn runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Runtime::new().map_err(|err| {
        eprintln!("error: cannot start the async runtime: {err}");
        EXIT_USAGE
    })
}

/// Prints `path:line:column: error: message` for the model value at `pointer`.
pub fn print_at(loaded: &load::Loaded, pointer: &str, message: &str) {
    let (file, pos) = loaded.source.value_at(pointer);
    eprintln!(
        "{}:{}:{}: error: {message}",
        file.path.display(),
        pos.line,
        pos.column
    );
}

/// Prints an error, prefixed with the model position of the object whose step failed.
pub fn report_sqlite_error(loaded: &load::Loaded, err: &anyhow::Error) {
    let step = err.downcast_ref::<crate::sqlite::StepError>();
    match step.map(|e| crate::provision::model_pointer(&loaded.model, &e.object)) {
        Some(pointer) => print_at(loaded, &pointer, &format!("{err:#}")),
        None => eprintln!("error: {err:#}"),
    }
}

/// Loads and validates a model, printing diagnostics; on failure returns the exit code.
pub fn load_and_validate(path: &std::path::Path) -> Result<load::Loaded, u8> {
    let started = std::time::Instant::now();
    let result = load_and_validate_inner(path);
    tracing::debug!(
        "model loaded and validated in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    result
}

fn load_and_validate_inner(path: &std::path::Path) -> Result<load::Loaded, u8> {
    let text = match load::read_text(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: {err}");
            return Err(EXIT_USAGE);
        }
    };
    if let Some(loaded) = load::cached(path, &text) {
        return Ok(loaded);
    }
    let (source, diagnostics) = match load::load_str(path, text) {
        Ok(loaded) => {
            let started = std::time::Instant::now();
            let diagnostics = validate::validate(&loaded);
            tracing::debug!(
                "semantic validation in {:.3}s",
                started.elapsed().as_secs_f64()
            );
            if diagnostics.is_empty() {
                let started = std::time::Instant::now();
                load::remember(&loaded);
                tracing::debug!(
                    "cache entry written in {:.3}s",
                    started.elapsed().as_secs_f64()
                );
                return Ok(loaded);
            }
            (loaded.source, diagnostics)
        }
        Err(failure) => failure,
    };
    eprint!("{}", diag::render_all(&diagnostics, &source));
    Err(EXIT_INVALID)
}
