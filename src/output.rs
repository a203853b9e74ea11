//! Writing a built site: everything goes into a fresh sibling folder, which replaces the
//! previous output only once every file is written. A failed build leaves the old output
//! exactly as it was, and readers never see a half-written folder.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the output into {}: {reason}", .path.display())]
    Unsafe { path: PathBuf, reason: String },
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
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// An absolute, normalised form of `p`, whether or not it exists yet.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        (_, Some(name)) => std::env::current_dir().map(|d| d.join(name)).unwrap_or_else(|_| p.to_path_buf()),
        _ => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
    }
}

/// The output folder may not be the site, hold the site, or sit among the site's sources:
/// replacing it would destroy them.
pub fn check_output_dir(site: &Path, out: &Path) -> Result<(), OutputError> {
    let site = absolute(site);
    let out_abs = absolute(out);
    let unsafe_ = |reason: &str| Err(OutputError::Unsafe { path: out.to_path_buf(), reason: reason.into() });
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
        return unsafe_("it holds content/ or tabiji.toml, so it looks like a site, not an output folder");
    }
    // Replacing a folder deletes what was in it: only do that to a folder tabiji wrote.
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out_abs).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return unsafe_(&format!(
                "it holds files tabiji did not write (no {MARKER} in it); empty it or choose another folder"
            ));
        }
    }
    Ok(())
}

/// Write `files` (and the site's `static/` folder, copied over them) into `out`, replacing
/// what was there only when everything is written.
pub fn write_site(out: &Path, files: &[OutputFile], static_dir: Option<&Path>) -> Result<(), OutputError> {
    let out = absolute(out);
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tabiji-new-{pid}"));
    let old = parent.join(format!(".{name}.tabiji-old-{pid}"));
    remove_dir_if_exists(&staging)?;
    let prof = std::env::var_os("TABIJI_PROFILE").is_some();
    let t0 = std::time::Instant::now();
    let result = fill(&staging, files, static_dir);
    if prof {
        eprintln!("output: filled in {} ms", t0.elapsed().as_millis());
    }
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    // The swap: two renames on the same file system.
    let had_old = out.exists();
    if had_old {
        remove_dir_if_exists(&old)?;
        std::fs::rename(&out, &old).map_err(io(&out))?;
    }
    if let Err(e) = std::fs::rename(&staging, &out) {
        if had_old {
            let _ = std::fs::rename(&old, &out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(OutputError::Io { path: out, source: e });
    }
    if had_old {
        remove_tree(&old).map_err(io(&old))?;
    }
    if prof {
        eprintln!("output: swapped and cleaned in {} ms", t0.elapsed().as_millis());
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
            let subs: Vec<std::fs::DirEntry> = std::fs::read_dir(&path)?.collect::<Result<_, _>>()?;
            subs.par_iter().try_for_each(|s| {
                if s.file_type()?.is_dir() { std::fs::remove_dir_all(s.path()) } else { std::fs::remove_file(s.path()) }
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
        Err(e) => Err(OutputError::Io { path: p.to_path_buf(), source: e }),
    }
}

fn fill(dir: &Path, files: &[OutputFile], static_dir: Option<&Path>) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let marker = dir.join(MARKER);
    std::fs::write(&marker, "This folder is written by `tabiji build` and replaced as a whole on every build.\n")
        .map_err(io(&marker))?;
    // Folders first (sequentially, few), then files in parallel.
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for f in &folders {
        std::fs::create_dir_all(f).map_err(io(f))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(io(&path))
    })?;
    if let Some(src) = static_dir.filter(|s| s.is_dir()) {
        for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
            let entry = entry.map_err(|e| OutputError::Io {
                path: e.path().unwrap_or(src).to_path_buf(),
                source: e.into(),
            })?;
            let rel = entry.path().strip_prefix(src).unwrap_or(entry.path());
            // Editor backups are skipped; other files, hidden ones too (.htaccess,
            // .well-known/), are copied as they are.
            if entry.file_type().is_file() && crate::load::is_backup_file(entry.file_name()) {
                continue;
            }
            let target = dir.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).map_err(io(&target))?;
            } else if entry.file_type().is_file() {
                std::fs::copy(entry.path(), &target).map_err(io(&target))?;
            }
        }
    }
    Ok(())
}
