//! Which files of a site folder tabiji reads, and what each one holds.
//!
//! A file's kind and id come from its path alone (`content/personas/<id>.md`), decided here
//! once for the walk of a folder, for a load from memory, and for `serve` (which asks whether
//! a changed file is content).

use std::path::{Path, PathBuf};

use super::LoadError;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Id;
use crate::source::{Link, Span, is_editor_litter, link_kind};
use crate::t;

/// The kind of content a file holds, decided by its path alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Config,
    Persona,
    Journey,
    Department,
    Playbook,
    Glossary,
    Onboarding,
    Quiz,
}

/// A failure to read `path`, as a [`LoadError`].
pub(super) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A symbolic link under `content/` that is not read: its site-relative path, where it
/// leads, and whether that is inside the site (a linked folder, not followed).
pub(super) struct SkippedLink {
    pub path: String,
    pub target: PathBuf,
    pub inside: bool,
}

/// (site-relative path, path) of each file read.
pub(super) type SitePaths = Vec<(String, PathBuf)>;

/// The files of a site folder that tabiji looks at: `tabiji.toml` first, then everything
/// under `content/` but hidden files and editor litter, as (site-relative path, path); and
/// the symbolic links it does not follow (reported as warnings by the loader).
pub(super) fn site_paths(root: &Path) -> Result<(SitePaths, Vec<SkippedLink>), LoadError> {
    let config = root.join("tabiji.toml");
    if !config.is_file() {
        return Err(LoadError::NotASite(root.to_path_buf()));
    }
    let content = root.join("content");
    let mut paths: Vec<(String, PathBuf)> = vec![("tabiji.toml".into(), config)];
    let mut links = Vec::new();
    let mut skip = |path: &Path, link: Link| {
        let path = crate::source::relative_display(root, path);
        match link {
            Link::Outside(target) => links.push(SkippedLink {
                path,
                target,
                inside: false,
            }),
            Link::ToFolderInside(target) => links.push(SkippedLink {
                path,
                target,
                inside: true,
            }),
            Link::No | Link::ToFileInside => {}
        }
    };
    match link_kind(root, &content) {
        Link::No => {}
        other => {
            skip(&content, other);
            return Ok((paths, links));
        }
    }
    if content.is_dir() {
        for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&content).to_path_buf();
                LoadError::Io {
                    path,
                    source: e.into(),
                }
            })?;
            if is_editor_litter(entry.file_name()) {
                continue;
            }
            if entry.path_is_symlink() {
                match link_kind(root, entry.path()) {
                    Link::ToFileInside => {}
                    other => {
                        skip(entry.path(), other);
                        continue;
                    }
                }
            } else if !entry.file_type().is_file() {
                continue;
            }
            let path = crate::source::relative_display(root, entry.path());
            if path.split('/').any(|c| c.starts_with('.')) {
                continue;
            }
            paths.push((path, entry.into_path()));
        }
    }
    Ok((paths, links))
}

/// The warning for a symbolic link that is not read, at its (site-relative) path.
pub(super) fn skipped_link(link: &SkippedLink, span: Span) -> Diagnostic {
    let target = link.target.display();
    let path = &link.path;
    if link.inside {
        Diagnostic::warning(
            Code::SymlinkSkipped,
            t!(
                "`{path}` is a symbolic link to the folder `{target}`: not followed",
                "`{path}` はフォルダー `{target}` へのシンボリックリンクです。たどりません"
            ),
        )
        .at(span)
        .hint(t!(
            "tabiji does not follow linked folders (each file has one name); move the files here",
            "tabiji はリンクしたフォルダーをたどりません（ファイルの名前は 1 つに決まっている必要があります）。ファイルをここへ移してください"
        ))
    } else {
        Diagnostic::warning(
            Code::SymlinkSkipped,
            t!(
                "`{path}` is a symbolic link to `{target}`, outside the site: not read",
                "`{path}` はサイトの外にある `{target}` へのシンボリックリンクです。読みません"
            ),
        )
        .at(span)
        .hint(t!(
            "tabiji never reads or publishes files from outside the site folder; copy the file into the site",
            "tabiji はサイトのフォルダーの外にあるファイルを読むことも公開することもしません。ファイルをサイトの中へコピーしてください"
        ))
    }
}

/// Whether tabiji reads a file at this site-relative path (`content/personas/x.md`, …).
pub fn is_content_path(path: &str) -> bool {
    classify(path).is_some()
}

/// What a path holds, and the stem that is its id. `None` for files tabiji does not read.
pub(super) fn classify(path: &str) -> Option<(Kind, Option<String>)> {
    match path {
        "tabiji.toml" => return Some((Kind::Config, None)),
        "content/glossary.toml" => return Some((Kind::Glossary, None)),
        "content/onboarding.toml" => return Some((Kind::Onboarding, None)),
        _ => {}
    }
    let rest = path.strip_prefix("content/")?;
    let (folder, name) = rest.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    let (kind, ext) = match folder {
        "personas" => (Kind::Persona, ".md"),
        "journeys" => (Kind::Journey, ".toml"),
        "departments" => (Kind::Department, ".md"),
        "playbooks" => (Kind::Playbook, ".md"),
        "quizzes" => (Kind::Quiz, ".toml"),
        _ => return None,
    };
    let stem = name.strip_suffix(ext)?;
    Some((kind, Some(stem.to_string())))
}

/// A file's id from its name: the name's id, or, for an invalid name, the name as it is
/// with what is wrong with it.
pub(super) fn id_of_stem(stem: Option<&str>) -> (Id, Option<crate::model::IdError>) {
    match stem.map(Id::parse) {
        None => (Id::lookup(""), None),
        Some(Ok(id)) => (id, None),
        Some(Err(e)) => (Id::lookup(stem.unwrap_or("")), Some(e)),
    }
}

/// A path as diagnostics show it: behind the SITE argument as the user typed it.
pub(super) fn shown_path(display_prefix: &str, p: &str) -> String {
    let prefix = display_prefix.trim_end_matches('/');
    if prefix.is_empty() || prefix == "." {
        p.to_string()
    } else {
        format!("{prefix}/{p}")
    }
}

pub(super) fn ignored(path: &str, span: Span) -> Diagnostic {
    let hint = match path.rsplit_once('.') {
        Some((_, "md")) if path.starts_with("content/journeys/") => t!(
            "journeys are TOML files: `content/journeys/<ID>.toml`",
            "ジャーニーは TOML ファイルです: `content/journeys/<ID>.toml`"
        ),
        Some((_, "toml"))
            if path.starts_with("content/personas/")
                || path.starts_with("content/playbooks/")
                || path.starts_with("content/departments/") =>
        {
            t!(
                "personas, departments and playbooks are Markdown files with TOML front matter: `<id>.md`",
                "ペルソナ、部門、プレイブックは TOML のフロントマターを持つ Markdown ファイルです: `<ID>.md`"
            )
        }
        _ => t!(
            "tabiji reads tabiji.toml, content/{{personas,departments,playbooks}}/*.md, content/journeys/*.toml, content/quizzes/*.toml, content/glossary.toml and content/onboarding.toml; put images and other files in static/",
            "tabiji が読むのは tabiji.toml、content/{{personas,departments,playbooks}}/*.md、content/journeys/*.toml、content/quizzes/*.toml、content/glossary.toml、content/onboarding.toml です。画像などほかのファイルは static/ に置いてください"
        ),
    };
    Diagnostic::warning(
        Code::IgnoredFile,
        t!(
            "`{path}` is not read by tabiji",
            "`{path}` は tabiji が読まないファイルです"
        ),
    )
    .at(span)
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(
            classify("content/personas/情シス課長.md"),
            Some((Kind::Persona, Some("情シス課長".into())))
        );
        assert_eq!(
            classify("content/journeys/a.toml").map(|k| k.0),
            Some(Kind::Journey)
        );
        assert_eq!(classify("content/journeys/a.md"), None);
        assert_eq!(classify("content/personas/sub/a.md"), None);
        assert_eq!(classify("content/other.txt"), None);
    }
}
