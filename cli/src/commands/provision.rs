//! `schemactl provision`: create or bring up to date a database with everything the model
//! declares (PostgreSQL through the admin server, or a SQLite file).

use std::path::Path;

use crate::cli::{
    EXIT_DATABASE, EXIT_INVALID, EXIT_OK, EXIT_USAGE, HazardArg, PlanFormat, load_and_validate,
    report_sqlite_error, runtime, show_progress,
};

/// What `provision` was given on the command line.
pub struct ProvisionArgs<'a> {
    pub database: Option<&'a str>,
    pub admin_url: Option<&'a str>,
    pub database_url: Option<&'a str>,
    pub recreate: bool,
    pub yes: bool,
    pub dry_run: bool,
    pub allow_hazards: &'a [HazardArg],
}

pub fn run(schema: &Path, args: &ProvisionArgs<'_>, verbose: u8) -> u8 {
    if let Some(url) = args.database_url {
        return sqlite(schema, url, args.recreate, args.yes, args.dry_run);
    }
    let options = crate::provision::Options {
        database: args.database.map(str::to_string),
        admin_url: args.admin_url.map(str::to_string),
        recreate: args.recreate,
        yes: args.yes,
        dry_run: args.dry_run,
        passwords: None,
        migrations: {
            let dir = crate::migrate::default_dir(schema);
            dir.join("sql").is_dir().then_some(dir)
        },
        allow_hazards: args.allow_hazards.iter().map(|h| (*h).into()).collect(),
        // The bar would garble logged statements, so -v (or SCHEMACTL_LOG) hides it.
        progress: crate::provision::Progress::on_terminal(show_progress(verbose)),
    };
    postgres(schema, &options)
}

/// PostgreSQL: through the admin server (the project-local one by default).
fn postgres(path: &Path, options: &crate::provision::Options) -> u8 {
    let loaded = match load_and_validate(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let result = runtime.block_on(crate::provision::provision(&loaded.model, options));
    options.progress.finish();
    match result {
        Ok(outcome) if options.dry_run => {
            for statement in &outcome.statements {
                println!("{statement};\n");
            }
            eprintln!(
                "dry run: {} statement(s) for database {}; nothing was changed",
                outcome.statements.len(),
                outcome.database
            );
            EXIT_OK
        }
        Ok(outcome) => {
            for line in outcome.report(started.elapsed()) {
                println!("{line}");
            }
            EXIT_OK
        }
        Err(err) => {
            match err.downcast_ref::<crate::execute::StepError>() {
                Some(crate::execute::StepError {
                    object: key,
                    message,
                    ..
                }) => {
                    let pointer = crate::provision::model_pointer(&loaded.model, key);
                    crate::cli::print_at(&loaded, &pointer, message);
                }
                _ => eprintln!("error: {err:#}"),
            }
            crate::exit::of_error(&err, EXIT_DATABASE)
        }
    }
}

/// `provision --database-url sqlite://FILE [--recreate --yes]`.
fn sqlite(path: &Path, url: &str, recreate: bool, yes: bool, dry_run: bool) -> u8 {
    let loaded = match load_and_validate(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Err(err) = crate::sqlite::selected(&loaded.model, Some(url)) {
        eprintln!("error: {err:#}");
        return EXIT_USAGE;
    }
    if recreate && !yes && !dry_run {
        eprintln!("error: --recreate deletes the database file; pass --yes to confirm");
        return EXIT_USAGE;
    }
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    if dry_run {
        let file = crate::sqlite::path_of(url)
            .map(|p| p.exists())
            .unwrap_or(false);
        if recreate || !file {
            return match crate::sqlite::create_script(&loaded.model) {
                Ok(steps) => {
                    print!("{}", schemactl_sqlite::script_sql(&steps));
                    EXIT_OK
                }
                Err(err) => crate::exit::report(&err, EXIT_INVALID),
            };
        }
        return match runtime.block_on(crate::sqlite::plan(&loaded.model, url)) {
            Ok(plan) => {
                super::plan::print_plan(&crate::plan::Plan::Sqlite(plan), PlanFormat::Sql);
                EXIT_OK
            }
            Err(err) => crate::exit::report(&err, EXIT_DATABASE),
        };
    }
    let migrations = crate::migrate::default_dir(path);
    let migrations = migrations.join("sql").is_dir().then_some(migrations);
    match runtime.block_on(crate::sqlite::provision_with(
        &loaded.model,
        url,
        recreate,
        migrations.as_deref(),
    )) {
        Ok(done) => {
            let elapsed = started.elapsed().as_secs_f64();
            if done.seeded > 0 {
                println!("seeded {} row(s)", done.seeded);
            }
            let steps = done.steps.len() + done.migrations.len();
            if steps == 0 && done.seeded == 0 {
                println!(
                    "database {} already matches the model: no change ({elapsed:.2}s)",
                    done.path.display()
                );
            } else {
                println!(
                    "database {} {} with {} step(s) in {elapsed:.2}s",
                    done.path.display(),
                    if done.created { "created" } else { "upgraded" },
                    steps
                );
            }
            EXIT_OK
        }
        Err(err) => {
            report_sqlite_error(&loaded, &err);
            crate::exit::of_error(&err, EXIT_DATABASE)
        }
    }
}
