//! A small on-disk cache for results that are expensive to compute and cheap to check:
//! a validated model (checked against the model's text, byte for byte) and introspected
//! catalogs (checked against a fingerprint of the database's system catalogs).
//!
//! Entries live in `$SCHEMACTL_CACHE_DIR`, else `$XDG_CACHE_HOME/schemactl`, else
//! `~/.cache/schemactl`; `SCHEMACTL_CACHE_DIR=off` turns the cache off. Every read and
//! write is best effort: a missing, unreadable or stale entry only means the work is done
//! again. Entry names include the build of this program (see [`build_id`]), so a rebuilt
//! binary never trusts what an older one wrote.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Entries kept per kind; older ones are removed when a new one is written.
const KEEP_PER_KIND: usize = 8;

/// The cache directory, or `None` when caching is off or no home is known.
pub fn dir() -> Option<PathBuf> {
    match std::env::var_os("SCHEMACTL_CACHE_DIR") {
        Some(v) if v == "off" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|base| base.join("schemactl")),
    }
}

/// Identifies this build: the version plus the executable's size and modification time.
/// A development rebuild keeps the version but changes the other two.
pub fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let mut hasher = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
            meta.len().hash(&mut hasher);
            if let Ok(modified) = meta.modified() {
                modified.hash(&mut hasher);
            }
        }
        format!("{:016x}", hasher.finish())
    })
}

/// A file-name-safe key for `parts`, specific to this build.
pub fn key<T: Hash + ?Sized>(parts: &T) -> String {
    let mut first = DefaultHasher::new();
    build_id().hash(&mut first);
    parts.hash(&mut first);
    // A second hash with a different prefix widens the key to 128 bits.
    let mut second = DefaultHasher::new();
    "second".hash(&mut second);
    build_id().hash(&mut second);
    parts.hash(&mut second);
    format!("{:016x}{:016x}", first.finish(), second.finish())
}

/// A key like [`key`] for `prefix` and the JSON form of `value`, hashed as it is written
/// (no text is built): for large values such as catalogs.
pub fn key_of<P: Hash + ?Sized, T: Serialize + ?Sized>(prefix: &P, value: &T) -> String {
    let mut first = DefaultHasher::new();
    build_id().hash(&mut first);
    prefix.hash(&mut first);
    let mut second = DefaultHasher::new();
    "second".hash(&mut second);
    build_id().hash(&mut second);
    prefix.hash(&mut second);
    let mut writer = HashWriter(&mut first, &mut second);
    // Writing into hashers cannot fail; a value that cannot serialize hashes its prefix.
    let _ = serde_json::to_writer(&mut writer, value);
    format!("{:016x}{:016x}", first.finish(), second.finish())
}

struct HashWriter<'a>(&'a mut DefaultHasher, &'a mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        self.1.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn path(kind: &str, key: &str) -> Option<PathBuf> {
    Some(dir()?.join(format!("{kind}-{key}.json")))
}

/// The entry `kind`/`key`, if there is one that parses.
pub fn read<T: DeserializeOwned>(kind: &str, key: &str) -> Option<T> {
    let bytes = std::fs::read(path(kind, key)?).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(value) => Some(value),
        Err(err) => {
            tracing::debug!("cache entry {kind}-{key} unreadable ({err}); ignoring it");
            None
        }
    }
}

/// Stores `value` as `kind`/`key`. Written to a temporary file and renamed, so a
/// concurrent reader sees the old entry or the new one, never half of one.
pub fn write<T: Serialize>(kind: &str, key: &str, value: &T) {
    let Some(target) = path(kind, key) else {
        return;
    };
    let result = (|| -> std::io::Result<()> {
        let dir = target.parent().unwrap_or(std::path::Path::new("."));
        create_private_dir(dir)?;
        let mut file = tempfile_in(dir)?;
        serde_json::to_writer(&mut file.1, value)?;
        file.1.flush()?;
        std::fs::rename(&file.0, &target)?;
        prune(dir, kind);
        Ok(())
    })();
    if let Err(err) = result {
        tracing::debug!("cache entry {kind}-{key} not written: {err}");
    }
}

/// Entries hold schema definitions (function bodies, comments, grants): only the owner
/// may read them.
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn tempfile_in(
    dir: &std::path::Path,
) -> std::io::Result<(PathBuf, std::io::BufWriter<std::fs::File>)> {
    let name = format!(".tmp-{}-{:016x}", std::process::id(), fastrand::u64(..));
    let path = dir.join(name);
    let file = std::fs::File::create(&path)?;
    Ok((path, std::io::BufWriter::new(file)))
}

/// Keeps the newest [`KEEP_PER_KIND`] entries of `kind`.
fn prune(dir: &std::path::Path, kind: &str) {
    let prefix = format!("{kind}-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if found.len() <= KEEP_PER_KIND {
        return;
    }
    found.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    for (_, stale) in found.into_iter().skip(KEEP_PER_KIND) {
        let _ = std::fs::remove_file(stale);
    }
}
