use std::process::ExitCode;

fn main() -> ExitCode {
    schemactl::cli::main()
}
