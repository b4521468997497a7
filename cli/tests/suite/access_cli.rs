//! `schemactl test` on the real model against the project-local test cluster: the IMS
//! roles' written expectations and the generated ones pass; a broken policy is reported
//! at its line and column with exit 7; the throwaway database is gone afterwards.

use crate::common_pg;

use std::path::Path;

use common_pg::*;

/// `schemactl test` with the test cluster as the dev server.
fn run_test(schema: &Path, extra: &[&str]) -> std::process::Output {
    let dev = admin_url();
    let mut args = vec!["--dev-url", dev.as_str(), "test"];
    args.extend_from_slice(extra);
    schemactl(schema, &args)
}

/// Throwaway databases left on the test cluster.
async fn leftovers() -> Vec<String> {
    let conn = connect(&admin_url()).await;
    strings(
        &conn,
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'schemactl\\_access\\_%'",
    )
    .await
}

/// The 1-based line and column of the first occurrence of `needle` after line `after`.
fn position(text: &str, after: usize, needle: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .skip(after)
        .find_map(|(i, line)| line.find(needle).map(|col| (i + 1, col + 1)))
        .unwrap_or_else(|| panic!("`{needle}` not found after line {after}"))
}

/// The line number (1-based) of the first line after `after` containing `needle`.
fn line_of(text: &str, after: usize, needle: &str) -> usize {
    position(text, after, needle).0
}

/// A copy of the repository's model with `edit` applied, in a directory of its own.
fn broken_copy(name: &str, edit: impl Fn(&str) -> String) -> (tempdir::Dir, String) {
    let dir = tempdir::Dir::new(name);
    let original = std::fs::read_to_string(schema_path()).unwrap();
    let text = edit(&original);
    assert_ne!(text, original, "the edit changed the model");
    std::fs::write(dir.path().join("schema.yaml"), &text).unwrap();
    (dir, text)
}

mod tempdir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new(name: &str) -> Dir {
            let path = std::env::temp_dir().join(format!("{name}_{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[tokio::test]
async fn the_repository_model_passes_its_access_tests() {
    let output = run_test(&schema_path(), &[]);
    let out = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout:\n{out}\nstderr:\n{}",
        stderr(&output)
    );
    let model = std::fs::read_to_string(schema_path()).unwrap();
    for name in [
        "ims_user sees only its own user row",
        "ims_user cannot start a crawl session for another user",
        "ims_readonly cannot update",
        "ims_admin sees every user",
    ] {
        let (line, column) = position(&model, 0, &format!("name: {name}"));
        let expected = format!("schema.yaml:{line}:{column}: ok: {name}\n");
        assert!(out.contains(&expected), "`{expected}` missing:\n{out}");
    }
    // Generated ones, located at their policy and grant.
    let users = line_of(&model, 0, "      users:");
    let (line, column) = position(&model, users, "user_own:");
    let generated = format!(
        "schema.yaml:{line}:{column}: ok: ims_user sees only the rows of ims.users that \
         user_own allow(s) [generated]"
    );
    assert!(out.contains(&generated), "`{generated}` missing:\n{out}");
    assert!(
        out.contains("ok: ims_readonly cannot insert into ims.crawl_sessions (only SELECT)"),
        "{out}"
    );
    assert!(
        out.contains("ok: ims_user cannot read steam.applications (no grant)"),
        "{out}"
    );
    let summary = out.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("test result: ok.") && summary.contains(" 0 failed"),
        "{summary}"
    );
    assert!(summary.contains("(16 written,"), "{summary}");
    assert!(leftovers().await.is_empty(), "{:?}", leftovers().await);
}

#[tokio::test]
async fn a_policy_that_shows_every_row_fails_the_written_test_at_its_position() {
    // ims_user's policy on crawl_sessions lets it see every session: a user then sees
    // the sessions of others.
    let (dir, text) = broken_copy("schemactl_access_broken_using", |model| {
        let table = model.find("      crawl_sessions:").unwrap();
        let policy = table + model[table..].find("            user_own:").unwrap();
        let using = policy + model[policy..].find("using: ").unwrap();
        let end = using + model[using..].find('\n').unwrap();
        format!("{}using: \"true\"{}", &model[..using], &model[end..])
    });
    let schema = dir.path().join("schema.yaml");
    let output = run_test(&schema, &["--written-only"]);
    let out = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(7),
        "stdout:\n{out}\nstderr:\n{}",
        stderr(&output)
    );
    let name = "ims_user sees no session of another user";
    let (line, column) = position(&text, 0, &format!("name: {name}"));
    let expected = format!("{}:{line}:{column}: FAILED: {name}\n", schema.display());
    assert!(out.contains(&expected), "`{expected}` missing:\n{out}");
    assert!(out.contains("1 row(s), expected 0"), "{out}");
    assert!(
        out.contains("test result: FAILED. 15 passed, 1 failed"),
        "{out}"
    );
    assert!(leftovers().await.is_empty());
}

#[tokio::test]
async fn row_level_security_left_off_fails_the_generated_test_at_the_policy() {
    // The policies of ims.users are declared, but row-level security is not enabled: no
    // written test needed to notice that ims_user sees every user.
    let (dir, text) = broken_copy("schemactl_access_rls_off", |model| {
        let table = model.find("      users:").unwrap();
        let rls = table + model[table..].find("          enabled: true").unwrap();
        let end = rls + "          enabled: true".len();
        format!("{}          enabled: false{}", &model[..rls], &model[end..])
    });
    let schema = dir.path().join("schema.yaml");
    let output = run_test(&schema, &["--filter", "ims.users"]);
    let out = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(7),
        "stdout:\n{out}\nstderr:\n{}",
        stderr(&output)
    );
    let users = line_of(&text, 0, "      users:");
    let (line, column) = position(&text, users, "user_own:");
    let expected = format!(
        "{}:{line}:{column}: FAILED: ims_user sees only the rows of ims.users that user_own \
         allow(s) [generated]\n",
        schema.display()
    );
    assert!(out.contains(&expected), "`{expected}` missing:\n{out}");
    assert!(out.contains("3 row(s) visible, 2 of them outside"), "{out}");
    assert!(leftovers().await.is_empty());
}

#[tokio::test]
async fn an_invalid_access_test_is_refused_before_any_database() {
    let (dir, _) = broken_copy("schemactl_access_invalid", |model| {
        model.replace("    as: ims_readonly\n", "    as: ims_readonli\n")
    });
    let schema = dir.path().join("schema.yaml");
    let output = run_test(&schema, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("access test runs as `ims_readonli`, which the model does not declare"),
        "{err}"
    );
    assert!(err.contains("did you mean `ims_readonly`?"), "{err}");
}
