//! The one mapping from what happened to the process exit code, for every command.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success; `plan --exit-code`, `drift`, `generate --check`: nothing differs |
//! | 1 | the model is invalid (malformed YAML included), or an input file is (`load`) |
//! | 2 | usage, environment or I/O: a bad flag, an unreadable file, a missing password variable, no confirmation possible |
//! | 3 | differences found: `plan --exit-code`, `drift`, `generate --check` |
//! | 4 | the database: it cannot be reached or logged into, it refused a statement, or a step gave up waiting for a lock (nothing of the failed step stays) |
//! | 5 | refused: `apply` found hazards not allowed, `apply --proof` saw the plan fail or not converge on a copy (the target untouched), or a confirmation was answered no |
//! | 6 | `lint` found hazardous statements that no allow comment covers |
//! | 7 | `test`: an access test failed |
//!
//! Commands return [`ExitCode`]s through these constants, and errors are sorted by
//! [`of_error`] from their types, never from their wording. docs/cli.md repeats this
//! table, and `cli/tests/suite/cli_exit_codes.rs` runs the binary into every code.

/// Success, or a check found nothing to report.
pub const EXIT_OK: u8 = 0;
/// The model (or an input file) is invalid.
pub const EXIT_INVALID: u8 = 1;
/// Usage, environment or I/O error.
pub const EXIT_USAGE: u8 = 2;
/// A comparison found differences (`plan --exit-code`, `drift`, `generate --check`).
pub const EXIT_CHANGES: u8 = 3;
/// The database could not be reached, refused the login, or refused a statement.
pub const EXIT_DATABASE: u8 = 4;
/// The command refused to go on: hazards not allowed, or a confirmation answered no.
pub const EXIT_REFUSED: u8 = 5;
/// `lint` found hazardous statements (a SQL file that does not parse is [`EXIT_INVALID`]).
pub const EXIT_LINT: u8 = 6;
/// `test`: an access test (written in the model or derived from it) failed.
pub const EXIT_TESTS: u8 = 7;

/// A problem with the command or its environment that the user fixes before running it
/// again (exit [`EXIT_USAGE`]).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The user (or the lack of a terminal to ask on) declined (exit [`EXIT_REFUSED`]).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// The exit code for an error: the first cause in its chain whose type says what went
/// wrong, else `default` (the kind of failure the calling command's phase can have).
pub fn of_error(err: &anyhow::Error, default: u8) -> u8 {
    for cause in err.chain() {
        if cause.is::<UsageError>()
            || cause.is::<crate::provision::cluster::MissingPasswords>()
            || cause.is::<std::io::Error>()
        {
            return EXIT_USAGE;
        }
        if cause.is::<Refused>() || cause.is::<crate::proof::ProofFailed>() {
            return EXIT_REFUSED;
        }
        if cause.is::<crate::db::DbError>()
            || cause.is::<crate::db::StatementError>()
            || cause.is::<sea_orm::DbErr>()
            || cause.is::<sea_orm::sqlx::Error>()
            || cause.is::<crate::execute::StepError>()
            || cause.is::<crate::lock_wait::LockTimeout>()
            || cause.is::<crate::lock_wait::StatementFailed>()
            || cause.is::<crate::sqlite::StepError>()
        {
            return EXIT_DATABASE;
        }
        #[cfg(feature = "duckdb")]
        if cause.is::<crate::duck::StepError>() || cause.is::<schemactl_duckdb::duckdb::Error>() {
            return EXIT_DATABASE;
        }
    }
    default
}

/// Prints `error: …` with the whole chain and returns its exit code (see [`of_error`]).
pub fn report(err: &anyhow::Error, default: u8) -> u8 {
    eprintln!("error: {err:#}");
    of_error(err, default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_causes_decide_and_the_default_fills_in() {
        let usage = anyhow::Error::new(UsageError("no".into())).context("while planning");
        assert_eq!(of_error(&usage, EXIT_DATABASE), EXIT_USAGE);
        let refused = anyhow::Error::new(Refused("no".into()));
        assert_eq!(of_error(&refused, EXIT_DATABASE), EXIT_REFUSED);
        let statement = anyhow::Error::new(crate::db::StatementError("denied".into()));
        assert_eq!(of_error(&statement, EXIT_USAGE), EXIT_DATABASE);
        assert_eq!(
            of_error(&anyhow::anyhow!("other"), EXIT_DATABASE),
            EXIT_DATABASE
        );
        assert_eq!(of_error(&anyhow::anyhow!("other"), EXIT_USAGE), EXIT_USAGE);
    }
}
