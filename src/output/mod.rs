//! Writing a built site. A first build writes a fresh sibling folder that replaces the
//! previous output only once every file is written; a rebuild writes only the files whose
//! bytes changed (known from the manifest kept beside the output, `manifest.rs`) and renames
//! them into place at the end. A failed build leaves the old output exactly as it was.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;
use std::sync::Mutex;

use rayon::prelude::*;

mod manifest;
use manifest::Manifest;

#[derive(Debug)]
pub enum OutputError {
    Unsafe {
        path: PathBuf,
        reason: crate::i18n::Text,
    },
    OutsideLink {
        path: PathBuf,
        target: PathBuf,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::i18n::Localized for OutputError {
    fn text(&self) -> crate::i18n::Text {
        use crate::t;
        match self {
            OutputError::Unsafe { path, reason } => {
                let p = path.display();
                t!(
                    "refusing to write the output into {p}: {reason}",
                    "{p} には出力を書き込みません: {reason}";
                    reason = reason
                )
            }
            OutputError::OutsideLink { path, target } => {
                let (p, target) = (path.display(), target.display());
                t!(
                    "refusing to publish {p}: it is a symbolic link to {target}, outside the site folder (copy what it should publish into the site)",
                    "{p} は公開しません: サイトのフォルダーの外にある {target} へのシンボリックリンクです（公開したいものはサイトの中にコピーしてください）"
                )
            }
            OutputError::Io { path, source } => crate::i18n::cannot_write(path, source),
        }
    }
}
crate::localized_error!(OutputError);

/// Written into every output folder; a non-empty folder without it is never replaced.
pub const MARKER: &str = ".tabiji-output";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An absolute, normalised form of `p`, whether or not it exists yet.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        (_, Some(name)) => std::env::current_dir()
            .map(|d| d.join(name))
            .unwrap_or_else(|_| p.to_path_buf()),
        _ => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
    }
}

/// The output folder may not be the site, hold the site, or sit among the site's sources:
/// replacing it would destroy them.
pub fn check_output_dir(site: &Path, out: &Path) -> Result<(), OutputError> {
    let site = absolute(site);
    let out_abs = absolute(out);
    use crate::t;
    let unsafe_ = |reason: crate::i18n::Text| {
        Err(OutputError::Unsafe {
            path: out.to_path_buf(),
            reason,
        })
    };
    if out_abs == site {
        return unsafe_(t!(
            "it is the site folder itself",
            "サイトのフォルダーそのものです"
        ));
    }
    if site.starts_with(&out_abs) {
        return unsafe_(t!(
            "it contains the site folder",
            "サイトのフォルダーを含んでいます"
        ));
    }
    for sub in ["content", "templates", "static"] {
        if out_abs.starts_with(site.join(sub)) {
            return unsafe_(t!(
                "it is inside the site's {sub}/ folder",
                "サイトの {sub}/ フォルダーの中です"
            ));
        }
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return unsafe_(t!(
            "it is a file, not a folder",
            "フォルダーではなくファイルです"
        ));
    }
    if out_abs.join("content").exists() || out_abs.join("tabiji.toml").exists() {
        return unsafe_(t!(
            "it holds content/ or tabiji.toml, so it looks like a site, not an output folder",
            "content/ か tabiji.toml があり、出力先ではなくサイトのフォルダーのようです"
        ));
    }
    // Replacing a folder deletes what was in it: only do that to a folder tabiji wrote.
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return unsafe_(t!(
                "it holds files tabiji did not write (no {MARKER} in it); empty it or choose another folder",
                "tabiji が書いたのではないファイルがあります（{MARKER} がありません）。フォルダーを空にするか、別のフォルダーを指定してください"
            ));
        }
    }
    Ok(())
}

/// A build's output in the making.
///
/// Without a usable previous output (none, or no manifest), every file goes into a fresh
/// sibling folder that replaces the output folder in [`Output::finish`]. With one, only
/// files whose bytes differ from the manifest's record are written, each to a temporary name
/// beside its final one, and renamed at the end; unchanged files are not touched (their
/// modification time stays, so a deploy sends only what changed), and files the build no
/// longer makes are removed. Either way the result is the same bytes as a fresh build, and
/// dropped without `finish` (a failed build), nothing of the build is left and the previous
/// output stays exactly as it was.
pub struct Output {
    out: PathBuf,
    mode: Mode,
    /// Every file of this build: path → its entry (modification time filled in at the end).
    files: Mutex<BTreeMap<String, manifest::Entry>>,
    /// What each page was rendered from ([`Output::unchanged`]), until its entry is made.
    inputs: Mutex<std::collections::HashMap<String, u64>>,
    done: bool,
}

enum Mode {
    Fresh {
        dir: PathBuf,
        old: PathBuf,
    },
    Update {
        previous: Manifest,
        /// The files to replace at the end → the temporary files holding their new bytes. A
        /// file written twice (a `static/` file over a built-in one) takes its last bytes.
        renames: Mutex<BTreeMap<PathBuf, PathBuf>>,
    },
}

impl Output {
    pub fn begin(out: &Path) -> Result<Output, OutputError> {
        let out = absolute(out);
        let previous = out
            .join(MARKER)
            .is_file()
            .then(|| Manifest::read(&out))
            .flatten();
        let mode = match previous {
            Some(previous) => Mode::Update {
                previous,
                renames: Mutex::new(BTreeMap::new()),
            },
            None => Self::fresh(&out)?,
        };
        Ok(Output {
            out,
            mode,
            files: Mutex::new(BTreeMap::new()),
            inputs: Mutex::new(std::collections::HashMap::new()),
            done: false,
        })
    }

    fn fresh(out: &Path) -> Result<Mode, OutputError> {
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.tabiji-new-{pid}"));
        let old = parent.join(format!(".{name}.tabiji-old-{pid}"));
        remove_dir_if_exists(&dir)?;
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let marker = dir.join(MARKER);
        std::fs::write(
            &marker,
            "This folder is written by `tabiji build` and replaced as a whole on every build.\n",
        )
        .map_err(io(&marker))?;
        Ok(Mode::Fresh { dir, old })
    }

    /// Whether the page at `rel`, made from `input` (a fingerprint of its template and
    /// context), is already in the output as the last build made it from the same input:
    /// then it is kept as it is and need not be rendered. Either way the input is recorded
    /// with the page, for the next build.
    pub fn unchanged(&self, rel: &str, input: u64) -> bool {
        if let Mode::Update { previous, .. } = &self.mode {
            let kept = previous.files.get(rel).filter(|old| {
                old.input == input && Manifest::unchanged_on_disk(old, &self.out.join(rel))
            });
            if let (Some(old), Ok(mut f)) = (kept, self.files.lock()) {
                f.insert(rel.to_string(), *old);
                return true;
            }
        }
        if let Ok(mut i) = self.inputs.lock() {
            i.insert(rel.to_string(), input);
        }
        false
    }

    /// The input recorded for a page about to be written (0 for other files).
    fn input_of(&self, rel: &str) -> u64 {
        self.inputs
            .lock()
            .ok()
            .and_then(|mut i| i.remove(rel))
            .unwrap_or(0)
    }

    /// Whether this build updates a previous output in place (rather than writing a new one).
    pub fn updates(&self) -> bool {
        matches!(self.mode, Mode::Update { .. })
    }

    /// Write one file (a path relative to the output, `/`-separated) through a writer. Safe
    /// to call from several threads.
    pub fn write_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        // Held whole and hashed in one pass (the largest page of a 2,000-persona site is a
        // few MB); when updating, compared with the record before anything is written.
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(io(&self.out.join(rel)))?;
        self.write(rel, &bytes)
    }

    /// Write one file's bytes (see [`Output::write_with`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut entry = manifest::Entry {
            hash: manifest::hash(bytes),
            size: bytes.len() as u64,
            mtime: 0,
            input: self.input_of(rel),
        };
        match &self.mode {
            Mode::Fresh { dir, .. } => entry.mtime = write_file(&dir.join(rel), bytes)?,
            Mode::Update { previous, renames } => {
                let target = self.out.join(rel);
                let kept = previous.files.get(rel).filter(|old| {
                    old.hash == entry.hash
                        && old.size == entry.size
                        && Manifest::unchanged_on_disk(old, &target)
                });
                if let Some(old) = kept {
                    entry.mtime = old.mtime;
                    // Bytes written earlier in this build for the same file are not wanted.
                    let mut renames = renames.lock().map_err(|_| poisoned(&self.out))?;
                    if let Some(tmp) = renames.remove(&target) {
                        let _ = std::fs::remove_file(tmp);
                    }
                } else {
                    let tmp = temporary_name(&target);
                    entry.mtime = write_file(&tmp, bytes)?;
                    let mut renames = renames.lock().map_err(|_| poisoned(&self.out))?;
                    renames.insert(target, tmp);
                }
            }
        }
        if let Ok(mut f) = self.files.lock() {
            f.insert(rel.to_string(), entry);
        }
        Ok(())
    }

    /// Copy the site's `static/` over the pages, then make the output what this build wrote:
    /// swap the new folder in, or rename the changed files into place and remove the files
    /// no longer made. Returns how many files were written (not left as they were).
    pub fn finish(mut self, static_dir: Option<&Path>) -> Result<usize, OutputError> {
        if let Some(src) = static_dir.filter(|s| s.is_dir()) {
            for (rel, path) in static_files(src)? {
                let bytes = std::fs::read(&path).map_err(io(&path))?;
                self.write(&rel, &bytes)?;
            }
        }
        let mut files = std::mem::take(&mut self.files)
            .into_inner()
            .unwrap_or_default();
        let written = match &self.mode {
            Mode::Fresh { dir, old } => {
                // The swap: two renames on the same file system.
                let had_old = self.out.exists();
                if had_old {
                    remove_dir_if_exists(old)?;
                    std::fs::rename(&self.out, old).map_err(io(&self.out))?;
                }
                if let Err(e) = std::fs::rename(dir, &self.out) {
                    if had_old {
                        let _ = std::fs::rename(old, &self.out);
                    }
                    return Err(OutputError::Io {
                        path: self.out.clone(),
                        source: e,
                    });
                }
                self.done = true;
                if had_old {
                    remove_tree(old).map_err(io(old))?;
                }
                files.len()
            }
            Mode::Update { renames, .. } => {
                let renames =
                    std::mem::take(&mut *renames.lock().map_err(|_| poisoned(&self.out))?);
                let n = renames.len();
                for (target, tmp) in &renames {
                    std::fs::rename(tmp, target).map_err(io(target))?;
                }
                self.done = true;
                remove_stale(&self.out, &files)?;
                n
            }
        };
        // The modification times were read as each file was written (in parallel; a rename
        // keeps them); only a file whose time could not be read then is asked again.
        for (rel, e) in files.iter_mut().filter(|(_, e)| e.mtime == 0) {
            if let Ok(m) = std::fs::metadata(self.out.join(rel)) {
                e.mtime = manifest::mtime_of(&m);
            }
        }
        Manifest { files }
            .write(&self.out)
            .map_err(io(&manifest::path_for(&self.out)))?;
        Ok(written)
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        match &self.mode {
            Mode::Fresh { dir, .. } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Mode::Update { renames, .. } => {
                if let Ok(r) = renames.lock() {
                    for tmp in r.values() {
                        let _ = std::fs::remove_file(tmp);
                    }
                }
            }
        }
    }
}

fn poisoned(path: &Path) -> OutputError {
    OutputError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("a thread writing the output failed"),
    }
}

/// A file's temporary name while a build is under way, beside its final one.
fn temporary_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tabiji-tmp-{}", std::process::id()))
}

/// Writes a file; returns its modification time as the file system recorded it, read after
/// the file was closed (0 when it cannot be read).
fn write_file(path: &Path, bytes: &[u8]) -> Result<u128, OutputError> {
    if let Some(parent) = path.parent() {
        make_folder(parent)?;
    }
    std::fs::write(path, bytes).map_err(io(path))?;
    Ok(std::fs::metadata(path).map_or(0, |m| manifest::mtime_of(&m)))
}

/// Refuses a path of `static/` or `templates/` that is, or lies behind, a symbolic link
/// leading outside the site folder `root`: nothing from elsewhere is ever published.
pub fn refuse_outside_link(root: &Path, path: &Path) -> Result<(), OutputError> {
    match crate::source::link_kind(root, path) {
        crate::source::Link::Outside(target) => Err(OutputError::OutsideLink {
            path: path.to_path_buf(),
            target,
        }),
        _ => Ok(()),
    }
}

/// Every file of `static/` (editor backups skipped), by output path. A symbolic link
/// leading outside the site is refused; inside it, a linked file is copied as that file and
/// a linked folder is not followed.
fn static_files(src: &Path) -> Result<Vec<(String, PathBuf)>, OutputError> {
    let root = src.parent().unwrap_or(src);
    refuse_outside_link(root, src)?;
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.map_err(|e| OutputError::Io {
            path: e.path().unwrap_or(src).to_path_buf(),
            source: e.into(),
        })?;
        let is_file = if entry.path_is_symlink() {
            refuse_outside_link(root, entry.path())?;
            entry.path().is_file()
        } else {
            entry.file_type().is_file()
        };
        // Hidden files (.htaccess, .well-known/) are copied as they are.
        if !is_file || crate::source::is_backup_file(entry.file_name()) {
            continue;
        }
        let rel = entry.path().strip_prefix(src).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, entry.path().to_path_buf()));
    }
    Ok(out)
}

/// Removes every file of the output that this build did not make (the marker stays), and
/// the folders that are left empty.
fn remove_stale(out: &Path, files: &BTreeMap<String, manifest::Entry>) -> Result<(), OutputError> {
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.map_err(|e| OutputError::Io {
            path: e.path().unwrap_or(out).to_path_buf(),
            source: e.into(),
        })?;
        let rel = entry
            .path()
            .strip_prefix(out)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if rel != MARKER && !files.contains_key(&rel) {
            std::fs::remove_file(entry.path()).map_err(io(entry.path()))?;
        }
    }
    // Deepest first; a folder that still holds something stays.
    for dir in dirs.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

/// Makes a page's folder. Most pages have a folder of their own that does not exist yet:
/// one `mkdir` makes it, where asking first whether it exists would cost a second system
/// call per page (20,000 on a 10,000-persona site). Missing parents are made only when the
/// `mkdir` says they are missing; a folder another thread made first is fine.
fn make_folder(dir: &Path) -> Result<(), OutputError> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io(dir))
        }
        Err(e) => Err(io(dir)(e)),
    }
}

/// Remove a folder tree, its subfolders in parallel (the previous output can hold thousands
/// of folders; one thread per core removes them several times faster than one).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        let path = e.path();
        if e.file_type()?.is_dir() {
            let subs: Vec<std::fs::DirEntry> =
                std::fs::read_dir(&path)?.collect::<Result<_, _>>()?;
            subs.par_iter().try_for_each(|s| {
                if s.file_type()?.is_dir() {
                    std::fs::remove_dir_all(s.path())
                } else {
                    std::fs::remove_file(s.path())
                }
            })?;
            std::fs::remove_dir(&path)
        } else {
            std::fs::remove_file(&path)
        }
    })?;
    std::fs::remove_dir(dir)
}

fn remove_dir_if_exists(p: &Path) -> Result<(), OutputError> {
    match std::fs::remove_dir_all(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OutputError::Io {
            path: p.to_path_buf(),
            source: e,
        }),
    }
}

/// A writer that counts the bytes that go through it (for the sizes `TABIJI_PROFILE`
/// prints of files written in parts).
pub struct Counting<'w> {
    inner: &'w mut dyn std::io::Write,
    n: usize,
}

impl<'w> Counting<'w> {
    pub fn new(inner: &'w mut dyn std::io::Write) -> Counting<'w> {
        Counting { inner, n: 0 }
    }

    pub fn written(&self) -> usize {
        self.n
    }
}

impl std::io::Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
