//! Reading a site's files at a git revision, with gix (no `git` binary needed).

use std::path::{Path, PathBuf};

use crate::load::InputFile;
use crate::model::{Date, LastChange};

#[derive(Debug)]
pub enum GitError {
    NotARepo(PathBuf),
    Bare,
    OutsideRepo(PathBuf),
    BadRevision { rev: String, message: String },
    NoSite { rev: String, path: String },
    Read { rev: String, message: String },
}

impl crate::i18n::Localized for GitError {
    fn text(&self) -> crate::i18n::Text {
        use crate::t;
        match self {
            GitError::NotARepo(p) => {
                let p = p.display();
                t!(
                    "{p} is not inside a git repository",
                    "{p} は git リポジトリの中にありません"
                )
            }
            GitError::Bare => t!(
                "the repository has no working tree (it is bare)",
                "このリポジトリには作業ツリーがありません（bare リポジトリです）"
            ),
            GitError::OutsideRepo(p) => {
                let p = p.display();
                t!(
                    "{p} is outside the repository's working tree",
                    "{p} はリポジトリの作業ツリーの外にあります"
                )
            }
            GitError::BadRevision { rev, message } => t!(
                "revision `{rev}` does not exist: {message}",
                "リビジョン `{rev}` が見つかりません: {message}"
            ),
            GitError::NoSite { rev, path } => t!(
                "at revision `{rev}` there is no site at {path} (no tabiji.toml)",
                "リビジョン `{rev}` の {path} にはサイトがありません（tabiji.toml がありません）"
            ),
            GitError::Read { rev, message } => t!(
                "cannot read revision `{rev}`: {message}",
                "リビジョン `{rev}` を読めません: {message}"
            ),
        }
    }
}
crate::localized_error!(GitError);

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
                        out.push(InputFile {
                            path,
                            bytes: Vec::new(),
                        });
                        continue;
                    }
                    let oid = entry.oid().to_owned();
                    let size = self
                        .repo
                        .find_header(oid)
                        .map_err(|e| e.to_string())?
                        .size();
                    if size > MAX_FILE_BYTES {
                        return Err(format!(
                            "{path} is {size} bytes, more than the {MAX_FILE_BYTES} bytes tabiji reads from a revision"
                        ));
                    }
                    let obj = self.repo.find_object(oid).map_err(|e| e.to_string())?;
                    out.push(InputFile {
                        path,
                        bytes: obj.detach().data,
                    });
                }
            }
            // Popped in name order, as the recursive walk visited them.
            stack.extend(subs.into_iter().rev());
        }
        Ok(())
    }

    /// The latest `n` commits (following first parents from `HEAD`) that changed the site's
    /// `tabiji.toml` or `content/`, newest first. Commits that touched only other files
    /// (code, CI, `static/`) are not the reader's news and are passed over. A shallow clone
    /// ends the walk at its oldest commit, whose parent it lacks: what that commit changed
    /// cannot be told, so it is left out (a `--depth 1` clone gives no commit at all).
    pub fn site_history(&self, n: usize) -> Result<Vec<SiteCommit>, GitError> {
        let read = |e: &dyn std::fmt::Display| GitError::Read {
            rev: "HEAD".into(),
            message: e.to_string(),
        };
        let mut out = Vec::new();
        let mut cur = Some(self.repo.head_commit().map_err(|e| read(&e))?);
        // The parent's ids, found while looking at its child: each tree is read once.
        let mut known: Option<(Option<gix::ObjectId>, Option<gix::ObjectId>)> = None;
        while let Some(c) = cur {
            if out.len() >= n {
                break;
            }
            let parent = match c.parent_ids().next() {
                Some(id) => match id.object() {
                    Ok(o) => Some(o.try_into_commit().map_err(|e| read(&e))?),
                    Err(_) if self.repo.is_shallow().unwrap_or(false) => break,
                    Err(e) => return Err(read(&e)),
                },
                None => None,
            };
            let here = match known.take() {
                Some(ids) => ids,
                None => self.site_ids(&c.tree().map_err(|e| read(&e))?),
            };
            let before = match &parent {
                Some(p) => self.site_ids(&p.tree().map_err(|e| read(&e))?),
                None => (None, None),
            };
            if here.0.is_some() && here != before {
                let time = c.time().map_err(|e| read(&e))?;
                let subject = c.message().map_err(|e| read(&e))?.summary().to_string();
                out.push(SiteCommit {
                    id: c.id.to_string(),
                    short: c
                        .short_id()
                        .map_or_else(|_| c.id.to_string()[..7].to_string(), |p| p.to_string()),
                    date: civil_date(time.seconds + i64::from(time.offset)),
                    time: time.seconds,
                    subject,
                    parent: parent.as_ref().map(|p| p.id.to_string()),
                    first: before.0.is_none(),
                });
            }
            known = Some(before);
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
    /// The site's first version: before it (no parent, or a parent without the site's
    /// `tabiji.toml`) there was no site to compare with.
    pub first: bool,
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

/// When each of some files last changed: the date of the newest commit on the first-parent
/// line of HEAD whose tree differs from its parent's at the file, or
/// [`LastChange::Uncommitted`] when the file on disk is not what HEAD holds.
///
/// One walk of the history for all files: commits newest first, each compared with its
/// parent under the site's `content/` folder only, and only into subtrees whose object ids
/// differ (the ids of unchanged folders are equal, so most commits cost two tree lookups).
/// The walk stops once every file has its date.
impl Repo {
    /// The site folder relative to the repository root, `/`-terminated (empty at the root).
    pub fn site_prefix(&self) -> String {
        if self.site.is_empty() {
            String::new()
        } else {
            format!("{}/", self.site)
        }
    }

    /// Dates for `files` (`(key, path relative to the site folder, bytes on disk)`); `None`
    /// when the history cannot tell (a shallow clone, a detached HEAD, no commit yet).
    pub fn last_changes<K: Clone + Eq + std::hash::Hash>(
        &self,
        files: &[(K, String, Vec<u8>)],
    ) -> Option<std::collections::HashMap<K, LastChange>> {
        use std::collections::HashMap;
        if self.repo.is_shallow().unwrap_or(true) || self.repo.head().ok()?.is_detached() {
            return None;
        }
        let head = self.repo.head_commit().ok()?;
        let content = format!("{}content", self.site_prefix());
        // Every blob HEAD holds under content/, listed once (a lookup per file would read
        // the folder's tree once per file).
        let mut committed = HashMap::new();
        let content_tree = head
            .tree()
            .ok()?
            .lookup_entry_by_path(&content)
            .ok()
            .flatten()
            .map(|e| e.object_id());
        if let Some(id) = content_tree {
            self.blobs(id, "", &mut committed);
        }
        // A file whose bytes hash to something else than HEAD's is uncommitted; the others
        // wait for the walk.
        let mut out = HashMap::new();
        let mut waiting: HashMap<String, Vec<K>> = HashMap::new();
        for (key, path, bytes) in files {
            let rel = path.strip_prefix("content/").unwrap_or(path);
            let on_disk =
                gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, bytes).ok();
            match committed.get(rel) {
                Some(id) if Some(*id) == on_disk => waiting
                    .entry(rel.to_string())
                    .or_default()
                    .push(key.clone()),
                _ => _ = out.insert(key.clone(), LastChange::Uncommitted),
            }
        }
        let content_id = |c: &gix::Commit<'_>| -> Option<gix::ObjectId> {
            let tree = c.tree().ok()?;
            tree.lookup_entry_by_path(&content)
                .ok()
                .flatten()
                .map(|e| e.object_id())
        };
        let mut commit = head;
        let mut mine = content_id(&commit);
        while !waiting.is_empty() {
            let parent = commit
                .parent_ids()
                .next()
                .and_then(|id| id.object().ok()?.try_into_commit().ok());
            let theirs = parent.as_ref().and_then(&content_id);
            if mine != theirs
                && let Some(mine) = mine
            {
                let time = commit.committer().ok()?.time().ok()?;
                let date = Date::from_unix(time.seconds + i64::from(time.offset));
                let mut changed = Vec::new();
                self.changed_blobs(mine, theirs, "", &mut changed);
                for path in changed {
                    if let Some(keys) = waiting.remove(&path) {
                        for k in keys {
                            out.insert(
                                k,
                                LastChange::Committed {
                                    date,
                                    time: time.seconds,
                                },
                            );
                        }
                    }
                }
            }
            match parent {
                Some(p) => {
                    commit = p;
                    mine = theirs;
                }
                None => break,
            }
        }
        Some(out)
    }

    /// Every blob below tree `id`, by its path below `prefix`.
    fn blobs(
        &self,
        id: gix::ObjectId,
        prefix: &str,
        out: &mut std::collections::HashMap<String, gix::ObjectId>,
    ) {
        let Ok(tree) = self.repo.find_tree(id) else {
            return;
        };
        for e in tree.iter().filter_map(Result::ok) {
            let path = format!("{prefix}{}", String::from_utf8_lossy(e.filename()));
            if e.mode().is_tree() {
                self.blobs(e.object_id(), &format!("{path}/"), out);
            } else {
                out.insert(path, e.object_id());
            }
        }
    }

    /// The paths (below `prefix`) of blobs in tree `a` that differ from tree `b`'s.
    fn changed_blobs(
        &self,
        a: gix::ObjectId,
        b: Option<gix::ObjectId>,
        prefix: &str,
        out: &mut Vec<String>,
    ) {
        if Some(a) == b {
            return;
        }
        let entries = |id: gix::ObjectId| -> Vec<(Vec<u8>, bool, gix::ObjectId)> {
            let Ok(tree) = self.repo.find_tree(id) else {
                return Vec::new();
            };
            tree.iter()
                .filter_map(Result::ok)
                .map(|e| (e.filename().to_vec(), e.mode().is_tree(), e.object_id()))
                .collect()
        };
        let theirs: std::collections::HashMap<Vec<u8>, (bool, gix::ObjectId)> = b
            .map(entries)
            .unwrap_or_default()
            .into_iter()
            .map(|(n, t, id)| (n, (t, id)))
            .collect();
        for (name, is_tree, id) in entries(a) {
            let other = theirs.get(&name).copied();
            if other.is_some_and(|(t, o)| t == is_tree && o == id) {
                continue;
            }
            let path = format!("{prefix}{}", String::from_utf8_lossy(&name));
            if is_tree {
                let sub = other.filter(|(t, _)| *t).map(|(_, o)| o);
                self.changed_blobs(id, sub, &format!("{path}/"), out);
            } else {
                out.push(path);
            }
        }
    }
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
