//! What a build wrote, kept beside the output folder (`.<name>.tabiji-manifest`): each
//! file's path, size, content hash and modification time. The next build compares a file's
//! new bytes with the hash here instead of reading the old file back, and trusts an entry
//! only while the file on disk still has the recorded size and modification time (a `stat`
//! per file). A missing or damaged manifest only means that every file is written again.
//! A page's entry also holds the fingerprint of what it was rendered from (its template and
//! context): a page whose fingerprint is the same need not be rendered again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const HEADER: &str = "tabiji-manifest 2";

/// One file of an output folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub hash: u128,
    pub size: u64,
    /// Nanoseconds since the Unix epoch (0 when unknown: never trusted).
    pub mtime: u128,
    /// A page's input fingerprint (0 for files that are not pages).
    pub input: u64,
}

/// The files of an output folder, by path relative to it (`/`-separated).
#[derive(Debug, Default)]
pub struct Manifest {
    pub files: BTreeMap<String, Entry>,
}

/// A content hash of 128 bits (foldhash's quality hash under two fixed seeds, many GB/s):
/// a cache key, compared together with the size; a manifest written by another build of
/// tabiji only causes rewrites.
pub fn hash(bytes: &[u8]) -> u128 {
    use std::hash::BuildHasher;
    let half = |seed: u64| foldhash::quality::FixedState::with_seed(seed).hash_one(bytes);
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// A file's modification time in nanoseconds since the epoch (0 when unknown).
pub fn mtime_of(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Where the manifest of an output folder is kept: beside it, hidden.
pub fn path_for(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.tabiji-manifest"))
}

impl Manifest {
    /// The manifest of an output folder; `None` when there is none or it cannot be read.
    pub fn read(out: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(path_for(out)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut files = BTreeMap::new();
        for line in lines {
            let mut parts = line.splitn(5, ' ');
            let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            let mtime = parts.next()?.parse().ok()?;
            let input = u64::from_str_radix(parts.next()?, 16).ok()?;
            let path = parts.next()?.to_string();
            files.insert(
                path,
                Entry {
                    hash,
                    size,
                    mtime,
                    input,
                },
            );
        }
        Some(Manifest { files })
    }

    /// Writes the manifest of an output folder (to a temporary name, then renamed).
    pub fn write(&self, out: &Path) -> std::io::Result<()> {
        let mut text = String::with_capacity(64 * self.files.len() + 32);
        text.push_str(HEADER);
        text.push('\n');
        for (path, e) in &self.files {
            text.push_str(&format!(
                "{:032x} {} {} {:016x} {path}\n",
                e.hash, e.size, e.mtime, e.input
            ));
        }
        let target = path_for(out);
        let tmp = target.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &target)
    }

    /// Whether `path` on disk is still the file this entry describes, by its metadata.
    pub fn unchanged_on_disk(entry: &Entry, path: &Path) -> bool {
        entry.mtime != 0
            && std::fs::metadata(path)
                .is_ok_and(|m| m.is_file() && m.len() == entry.size && mtime_of(&m) == entry.mtime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_was_written_and_rejects_damage() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("public");
        let mut m = Manifest::default();
        m.files.insert(
            "personas/情シス課長/index.html".into(),
            Entry {
                hash: hash(b"x"),
                size: 1,
                mtime: 42,
                input: 7,
            },
        );
        m.write(&out).expect("writes");
        let back = Manifest::read(&out).expect("reads");
        assert_eq!(back.files, m.files);
        std::fs::write(path_for(&out), "tabiji-manifest 2\nzz 1 2 0 a\n").expect("write");
        assert!(
            Manifest::read(&out).is_none(),
            "a damaged manifest is not trusted"
        );
        assert_ne!(hash(b"a"), hash(b"b"));
        // Every byte counts, wherever it is in a long page (foldhash reads long inputs in
        // blocks of 96 and 64 bytes, then an overlapping tail).
        let page: Vec<u8> = "情シス課長の検討ステージ。"
            .bytes()
            .cycle()
            .take(10_000)
            .collect();
        for at in [0, 1, 47, 95, 96, 191, 255, 256, 5_000, 9_935, 9_990, 9_999] {
            let mut changed = page.clone();
            changed[at] ^= 1;
            let (a, b) = (hash(&page), hash(&changed));
            assert!(a >> 64 != b >> 64 && a as u64 != b as u64, "byte {at}");
        }
    }
}
