//! Reading a site's files at a git revision, with gix (no `git` binary needed).

use std::path::{Path, PathBuf};

use crate::load::InputFile;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{} is not inside a git repository", .0.display())]
    NotARepo(PathBuf),
    #[error("the repository has no working tree (it is bare)")]
    Bare,
    #[error("{} is outside the repository's working tree", .0.display())]
    OutsideRepo(PathBuf),
    #[error("revision `{rev}` does not exist: {message}")]
    BadRevision { rev: String, message: String },
    #[error("at revision `{rev}` there is no site at {path} (no tabiji.toml)")]
    NoSite { rev: String, path: String },
    #[error("cannot read revision `{rev}`: {message}")]
    Read { rev: String, message: String },
}

/// The largest file read from a revision: a content file is text someone wrote, and a larger
/// blob (a data dump committed by mistake) would only grow memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A repository and where the site sits in it.
pub struct Repo {
    repo: gix::Repository,
    /// The site's folder relative to the working tree, `/`-separated; empty at the root.
    site: String,
}

impl Repo {
    pub fn open(site: &Path) -> Result<Repo, GitError> {
        let abs = site
            .canonicalize()
            .map_err(|_| GitError::NotARepo(site.to_path_buf()))?;
        let repo = gix::discover(&abs).map_err(|_| GitError::NotARepo(site.to_path_buf()))?;
        let workdir = repo.workdir().ok_or(GitError::Bare)?;
        let workdir = workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf());
        let rel = abs
            .strip_prefix(&workdir)
            .map_err(|_| GitError::OutsideRepo(site.to_path_buf()))?;
        let site = crate::source::relative_display(Path::new(""), rel);
        Ok(Repo { repo, site })
    }

    /// `tabiji.toml` and everything under `content/` at `rev`, as the loader wants them.
    pub fn files_at(&self, rev: &str) -> Result<Vec<InputFile>, GitError> {
        let read = |e: &dyn std::fmt::Display| GitError::Read {
            rev: rev.to_string(),
            message: e.to_string(),
        };
        let id = self
            .repo
            .rev_parse_single(rev)
            .map_err(|e| GitError::BadRevision {
                rev: rev.to_string(),
                message: first_line(&e.to_string()),
            })?;
        let root = id
            .object()
            .map_err(|e| read(&e))?
            .peel_to_tree()
            .map_err(|e| read(&e))?;
        let tree = if self.site.is_empty() {
            root
        } else {
            let entry = root
                .lookup_entry_by_path(&self.site)
                .map_err(|e| read(&e))?;
            let no_site = || GitError::NoSite {
                rev: rev.to_string(),
                path: self.site.clone(),
            };
            let entry = entry.ok_or_else(no_site)?;
            entry
                .object()
                .map_err(|e| read(&e))?
                .try_into_tree()
                .map_err(|_| no_site())?
        };
        let mut files = Vec::new();
        let mut has_config = false;
        for entry in tree.iter() {
            let entry = entry.map_err(|e| read(&e))?;
            let name = String::from_utf8_lossy(entry.filename()).into_owned();
            if name == "tabiji.toml" && entry.mode().is_blob() {
                let obj = entry.object().map_err(|e| read(&e))?;
                files.push(InputFile {
                    path: name,
                    bytes: obj.data.clone(),
                });
                has_config = true;
            } else if name == "content" && entry.mode().is_tree() {
                let obj = entry.object().map_err(|e| read(&e))?;
                let sub = obj.try_into_tree().map_err(|e| read(&e))?;
                self.walk(&sub, "content", &mut files)
                    .map_err(|e| read(&e))?;
            }
        }
        if !has_config {
            return Err(GitError::NoSite {
                rev: rev.to_string(),
                path: if self.site.is_empty() {
                    ".".into()
                } else {
                    self.site.clone()
                },
            });
        }
        Ok(files)
    }

    /// Every file under `content/`, walked with a stack (a tree thousands of folders deep is
    /// fine). Only content files tabiji reads are read, each up to [`MAX_FILE_BYTES`]; other
    /// files are listed without their bytes (the loader warns about them, as it does for a
    /// folder); submodules, symbolic links and other entries that are not files are skipped.
    fn walk(
        &self,
        tree: &gix::Tree<'_>,
        prefix: &str,
        out: &mut Vec<InputFile>,
    ) -> Result<(), String> {
        let mut stack: Vec<(gix::ObjectId, String)> = vec![(tree.id, prefix.to_string())];
        while let Some((id, prefix)) = stack.pop() {
            let tree = self.repo.find_tree(id).map_err(|e| e.to_string())?;
            let mut subs = Vec::new();
            for entry in tree.iter() {
                let entry = entry.map_err(|e| e.to_string())?;
                let name = String::from_utf8_lossy(entry.filename()).into_owned();
                if crate::source::is_editor_litter(std::ffi::OsStr::new(&name)) {
                    continue;
                }
                let path = format!("{prefix}/{name}");
                let mode = entry.mode();
                if mode.is_tree() {
                    subs.push((entry.oid().to_owned(), path));
                } else if mode.is_blob() {
                    if !crate::load::is_content_path(&path) {
                        out.push(InputFile { path, bytes: Vec::new() });
                        continue;
                    }
                    let oid = entry.oid().to_owned();
                    let size = self.repo.find_header(oid).map_err(|e| e.to_string())?.size();
                    if size > MAX_FILE_BYTES {
                        return Err(format!(
                            "{path} is {size} bytes, more than the {MAX_FILE_BYTES} bytes tabiji reads from a revision"
                        ));
                    }
                    let obj = self.repo.find_object(oid).map_err(|e| e.to_string())?;
                    out.push(InputFile { path, bytes: obj.detach().data });
                }
            }
            // Popped in name order, as the recursive walk visited them.
            stack.extend(subs.into_iter().rev());
        }
        Ok(())
    }

    /// The latest `n` commits (following first parents from `HEAD`) that changed the site's
    /// `tabiji.toml` or `content/`, newest first. Commits that touched only other files
    /// (code, CI, `static/`) are not the reader's news and are passed over.
    pub fn site_history(&self, n: usize) -> Result<Vec<SiteCommit>, GitError> {
        let read = |e: &dyn std::fmt::Display| GitError::Read {
            rev: "HEAD".into(),
            message: e.to_string(),
        };
        let mut out = Vec::new();
        let mut cur = Some(self.repo.head_commit().map_err(|e| read(&e))?);
        while let Some(c) = cur {
            if out.len() >= n {
                break;
            }
            let parent = match c.parent_ids().next() {
                Some(id) => Some(
                    id.object()
                        .map_err(|e| read(&e))?
                        .try_into_commit()
                        .map_err(|e| read(&e))?,
                ),
                None => None,
            };
            let here = self.site_ids(&c.tree().map_err(|e| read(&e))?);
            let before = match &parent {
                Some(p) => self.site_ids(&p.tree().map_err(|e| read(&e))?),
                None => (None, None),
            };
            if here.0.is_some() && here != before {
                let time = c.time().map_err(|e| read(&e))?;
                let subject = c
                    .message()
                    .map_err(|e| read(&e))?
                    .summary()
                    .to_string();
                out.push(SiteCommit {
                    id: c.id.to_string(),
                    short: c.short_id().map_or_else(|_| c.id.to_string()[..7].to_string(), |p| p.to_string()),
                    date: civil_date(time.seconds + i64::from(time.offset)),
                    time: time.seconds,
                    subject,
                    parent: parent.as_ref().map(|p| p.id.to_string()),
                });
            }
            cur = parent;
        }
        Ok(out)
    }

    /// The object ids of the site's `tabiji.toml` and `content/` in a tree.
    fn site_ids(&self, root: &gix::Tree<'_>) -> (Option<gix::ObjectId>, Option<gix::ObjectId>) {
        let at = |rel: &str| {
            let path = if self.site.is_empty() {
                rel.to_string()
            } else {
                format!("{}/{rel}", self.site)
            };
            root.lookup_entry_by_path(&path)
                .ok()
                .flatten()
                .map(|e| e.object_id())
        };
        (at("tabiji.toml"), at("content"))
    }

    /// A short name for a revision: the spec as given and its abbreviated commit id.
    pub fn describe(&self, rev: &str) -> String {
        match self.repo.rev_parse_single(rev) {
            Ok(id) => format!("{rev} ({})", id.shorten_or_id()),
            Err(_) => rev.to_string(),
        }
    }
}

/// One commit that changed a site.
#[derive(Clone, Debug)]
pub struct SiteCommit {
    pub id: String,
    pub short: String,
    /// `YYYY-MM-DD`, in the committer's time zone.
    pub date: String,
    /// Seconds since 1970 (UTC).
    pub time: i64,
    /// The first line of the message.
    pub subject: String,
    /// The first parent, if any.
    pub parent: Option<String>,
}

/// `YYYY-MM-DD` of a count of seconds since 1970-01-01 (H. Hinnant's civil-from-days).
fn civil_date(seconds: i64) -> String {
    let z = seconds.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(951_782_400), "2000-02-29");
        assert_eq!(super::civil_date(1_798_675_200), "2026-12-31");
        assert_eq!(super::civil_date(-1), "1969-12-31");
    }
}
