//! Writing a built site: everything goes into a fresh sibling folder, which replaces the
//! previous output only once every file is written. A failed build leaves the old output
//! exactly as it was, and readers never see a half-written folder.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the output into {}: {reason}", .path.display())]
    Unsafe { path: PathBuf, reason: String },
    #[error(
        "refusing to publish {}: it is a symbolic link to {}, outside the site folder (copy what it should publish into the site)",
        .path.display(), .target.display()
    )]
    OutsideLink { path: PathBuf, target: PathBuf },
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        // Not `#[source]`: the message already says it, and `main` prints the chain.
        source: std::io::Error,
    },
}

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
    let unsafe_ = |reason: &str| {
        Err(OutputError::Unsafe {
            path: out.to_path_buf(),
            reason: reason.into(),
        })
    };
    if out_abs == site {
        return unsafe_("it is the site folder itself");
    }
    if site.starts_with(&out_abs) {
        return unsafe_("it contains the site folder");
    }
    for sub in ["content", "templates", "static"] {
        if out_abs.starts_with(site.join(sub)) {
            return unsafe_(&format!("it is inside the site's {sub}/ folder"));
        }
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return unsafe_("it is a file, not a folder");
    }
    if out_abs.join("content").exists() || out_abs.join("tabiji.toml").exists() {
        return unsafe_(
            "it holds content/ or tabiji.toml, so it looks like a site, not an output folder",
        );
    }
    // Replacing a folder deletes what was in it: only do that to a folder tabiji wrote.
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return unsafe_(&format!(
                "it holds files tabiji did not write (no {MARKER} in it); empty it or choose another folder"
            ));
        }
    }
    Ok(())
}

/// A build's output in the making: a fresh sibling folder that pages are written into as
/// they are rendered (so they need not all be held in memory), swapped in for the output
/// folder by [`Staging::finish`]. Dropped without `finish`, it is removed and the previous
/// output stays exactly as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    done: bool,
}

impl Staging {
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        let out = absolute(out);
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
        let staging = Staging {
            out,
            dir,
            old,
            done: false,
        };
        std::fs::write(
            &marker,
            "This folder is written by `tabiji build` and replaced as a whole on every build.\n",
        )
        .map_err(io(&marker))?;
        Ok(staging)
    }

    /// Write one file (a path relative to the output, `/`-separated) through a writer, in
    /// as many parts as the caller likes (the print page and the search index are written
    /// as they are produced, never held whole). Safe to call from several threads.
    pub fn write_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            make_folder(parent)?;
        }
        // Unbuffered: a page arrives whole, and the parted writers (print page, search
        // index) hand over large pieces; a buffer would only copy every byte once more.
        let mut file = std::fs::File::create(&path).map_err(io(&path))?;
        write(&mut file).map_err(io(&path))
    }

    /// Copy the site's `static/` over the pages, then swap the new output in.
    pub fn finish(mut self, static_dir: Option<&Path>) -> Result<(), OutputError> {
        if let Some(src) = static_dir.filter(|s| s.is_dir()) {
            copy_static(src, &self.dir)?;
        }
        // The swap: two renames on the same file system.
        let had_old = self.out.exists();
        if had_old {
            remove_dir_if_exists(&self.old)?;
            std::fs::rename(&self.out, &self.old).map_err(io(&self.out))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&self.old, &self.out);
            }
            return Err(OutputError::Io {
                path: self.out.clone(),
                source: e,
            });
        }
        self.done = true;
        if had_old {
            remove_tree(&self.old).map_err(io(&self.old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
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

fn copy_static(src: &Path, dir: &Path) -> Result<(), OutputError> {
    let root = src.parent().unwrap_or(src);
    refuse_outside_link(root, src)?;
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.map_err(|e| OutputError::Io {
            path: e.path().unwrap_or(src).to_path_buf(),
            source: e.into(),
        })?;
        if entry.path_is_symlink() {
            // Inside the site, a linked file is copied as that file; a linked folder is not
            // followed.
            refuse_outside_link(root, entry.path())?;
            if entry.path().is_file() && !crate::source::is_backup_file(entry.file_name()) {
                let rel = entry.path().strip_prefix(src).unwrap_or(entry.path());
                let target = dir.join(rel);
                std::fs::copy(entry.path(), &target).map_err(io(&target))?;
            }
            continue;
        }
        let rel = entry.path().strip_prefix(src).unwrap_or(entry.path());
        // Editor backups are skipped; other files, hidden ones too (.htaccess,
        // .well-known/), are copied as they are.
        if entry.file_type().is_file() && crate::source::is_backup_file(entry.file_name()) {
            continue;
        }
        let target = dir.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(io(&target))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).map_err(io(&target))?;
        }
    }
    Ok(())
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
