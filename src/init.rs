//! `tabiji init`: a small but complete starter site, in Japanese or English.
//!
//! It never overwrites: if the folder already holds a site or any file it would write,
//! nothing is written at all.

use std::path::{Path, PathBuf};

use crate::model::Language;

include!(concat!(env!("OUT_DIR"), "/scaffold.rs"));

#[derive(Debug)]
pub enum InitError {
    AlreadyASite(PathBuf),
    Exists(PathBuf),
    Link(PathBuf),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::i18n::Localized for InitError {
    fn text(&self) -> crate::i18n::Text {
        use crate::t;
        match self {
            InitError::AlreadyASite(p) => {
                let p = p.display();
                t!(
                    "{p} already holds a tabiji site (tabiji.toml); nothing was written",
                    "{p} にはすでに tabiji のサイト（tabiji.toml）があります。何も書き込んでいません"
                )
            }
            InitError::Exists(p) => {
                let p = p.display();
                t!(
                    "{p} already exists; nothing was written (init never overwrites)",
                    "{p} がすでにあります。何も書き込んでいません（init は既存のファイルを上書きしません）"
                )
            }
            InitError::Link(p) => {
                let p = p.display();
                t!(
                    "{p} is a symbolic link; nothing was written (init does not write through links)",
                    "{p} はシンボリックリンクです。何も書き込んでいません（init はリンクの先へは書き込みません）"
                )
            }
            InitError::Io { path, source } => crate::i18n::cannot_write(path, source),
        }
    }
}
crate::localized_error!(InitError);

/// The files of the starter site for a language.
pub fn files(lang: Language) -> impl Iterator<Item = (&'static str, &'static [u8])> {
    SCAFFOLD
        .iter()
        .filter(move |(l, _, _)| *l == lang.as_str())
        .map(|(_, p, b)| (*p, *b))
}

/// Write the starter site into `dir` (created if missing). Returns the paths written.
pub fn init(dir: &Path, lang: Language) -> Result<Vec<PathBuf>, InitError> {
    if dir.join("tabiji.toml").exists() {
        return Err(InitError::AlreadyASite(dir.to_path_buf()));
    }
    let planned: Vec<(PathBuf, &[u8])> = files(lang).map(|(p, b)| (dir.join(p), b)).collect();
    if let Some((p, _)) = planned.iter().find(|(p, _)| p.exists() || p.is_symlink()) {
        return Err(InitError::Exists(p.clone()));
    }
    // A folder of the site (content/, content/personas/, static/, …) that is a link could
    // lead anywhere: nothing is written through it.
    for (p, _) in &planned {
        let mut folder = p.parent();
        while let Some(f) = folder.filter(|f| f.starts_with(dir) && *f != dir) {
            if f.is_symlink() {
                return Err(InitError::Link(f.to_path_buf()));
            }
            folder = f.parent();
        }
    }
    let mut written = Vec::new();
    for (path, bytes) in planned {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InitError::Io {
                path: parent.to_path_buf(),
                source: e,
            })?;
        }
        // `create_new` so that a file appearing meanwhile is not overwritten either.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| InitError::Io {
                path: path.clone(),
                source: e,
            })?;
        std::io::Write::write_all(&mut f, bytes).map_err(|e| InitError::Io {
            path: path.clone(),
            source: e,
        })?;
        written.push(path);
    }
    Ok(written)
}
