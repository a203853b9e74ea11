//! The pipeline every command shares: load a site (and check it), render it, write it.
//!
//! `build`, `check`, `export`, `diff` and `serve` all load a site through [`load_site`] (or,
//! for `serve`'s incremental rebuilds, the same loader with a parse cache), and every file
//! of a built site (pages, search index, assets) comes from [`write_site`] or, for a file
//! `serve` is asked for, [`Renderer::render_path`] and [`search_files`]. The command line only
//! parses and prints.

use std::path::{Path, PathBuf};

use crate::i18n::{Localized, Text};
use crate::load::{self, LoadError, Loaded};
use crate::model::Site;
use crate::render::{self, ChangesPage, OutputFile, RenderError, Renderer, Sink, Templates};
use crate::urls::SEARCH_DIR;

/// What can stop the pipeline besides mistakes in the content (which are diagnostics).
#[derive(Debug)]
pub enum PipelineError {
    Load(LoadError),
    Output(crate::output::OutputError),
    Git(crate::diff::git::GitError),
    /// The content at a revision has errors: `text` holds them, rendered in both languages.
    RevisionErrors {
        rev: Text,
        errors: usize,
        text: Text,
    },
}

impl Localized for PipelineError {
    fn text(&self) -> Text {
        match self {
            PipelineError::Load(e) => e.text(),
            PipelineError::Output(e) => e.text(),
            PipelineError::Git(e) => e.text(),
            PipelineError::RevisionErrors { rev, errors, text } => crate::t!(
                "the content at {rev} does not load ({n}):\n{text}",
                "{rev} の内容は読み込めません（{n}）:\n{text}";
                rev = rev,
                n = crate::diagnostic::count(*errors, crate::diagnostic::Severity::Error),
                text = text
            ),
        }
    }
}
crate::localized_error!(PipelineError);

impl From<LoadError> for PipelineError {
    fn from(e: LoadError) -> Self {
        PipelineError::Load(e)
    }
}
impl From<crate::output::OutputError> for PipelineError {
    fn from(e: crate::output::OutputError) -> Self {
        PipelineError::Output(e)
    }
}
impl From<crate::diff::git::GitError> for PipelineError {
    fn from(e: crate::diff::git::GitError) -> Self {
        PipelineError::Git(e)
    }
}

/// How a site folder is named in messages: `""` for the current folder, else as given.
pub fn display_prefix(site: &Path) -> String {
    let s = site.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_end_matches('/');
    if s == "." {
        String::new()
    } else {
        s.to_string()
    }
}

/// Reads and checks every file of a site folder.
pub fn load_site(site: &Path) -> Result<Loaded, LoadError> {
    load::load_dir(site, &display_prefix(site))
}

/// The site at a git revision (or, with `None`, the working tree), loaded and named as
/// readers see it; content errors are a failure here.
pub fn load_revision(
    repo: &crate::diff::git::Repo,
    site: &Path,
    rev: Option<&str>,
) -> Result<(Loaded, String), PipelineError> {
    let (loaded, name) = match rev {
        Some(r) => (
            load::load_files(repo.files_at(r)?, &display_prefix(site)),
            repo.describe(r),
        ),
        None => (load_site(site)?, "working tree".to_string()),
    };
    if loaded.diagnostics.has_errors() {
        let text = Text::from_fn(|lang| {
            crate::diagnostic::render_errors(&loaded.diagnostics, &loaded.sources, false, 20, lang)
        });
        let rev = match rev {
            Some(_) => Text::verbatim(name),
            None => crate::t!("the working tree", "作業ツリー"),
        };
        return Err(PipelineError::RevisionErrors {
            rev,
            errors: loaded.diagnostics.errors(),
            text,
        });
    }
    Ok((loaded, name))
}

/// What changed between two revisions of a site (`rev_b` `None`: the working tree). Both
/// sides load at once, one on each core (a repository handle is not shared between
/// threads, so each side opens its own).
pub fn diff(
    site: &Path,
    rev_a: &str,
    rev_b: Option<&str>,
) -> Result<crate::diff::Report, PipelineError> {
    let load = |rev: Option<&str>| {
        let repo = crate::diff::git::Repo::open(site)?;
        load_revision(&repo, site, rev)
    };
    let (old, new) = rayon::join(|| load(Some(rev_a)), || load(rev_b));
    let ((old, from), (new, to)) = (old?, new?);
    Ok(crate::diff::report(&old.site, &new.site, from, to))
}

/// The base URL pages link with: `--base-url` if given, else tabiji.toml's.
pub fn base_url(site: &Site, given: Option<&str>) -> String {
    given.map_or_else(|| site.config.base_url.clone(), str::to_string)
}

/// Every file of a built site handed to `sink`: the pages (in parallel, each as soon as it
/// is rendered), the search index beside them, then the built-in assets. `before_pages`
/// runs first on the pages' side, while the search index is being made (a build reads the
/// git dates there). Returns how many pages there are.
pub fn write_site(
    renderer: &Renderer<'_>,
    site: &Site,
    before_pages: &(dyn Fn() + Sync),
    sink: &Sink<'_>,
) -> Result<usize, RenderError> {
    let (pages, index) = rayon::join(
        || {
            before_pages();
            render::render_pages(renderer, sink)
        },
        || {
            search_files(site, renderer)
                .into_iter()
                .try_for_each(|f| render::put(sink, &f.path, &f.bytes))
        },
    );
    let pages = pages?;
    index?;
    for f in render::builtin_assets() {
        render::put(sink, &f.path, &f.bytes)?;
    }
    Ok(pages)
}

/// The files of the search index of a site (one, or an entry file and its shards: see
/// [`crate::search::Form`]), with the renderer's URLs.
pub fn search_files(site: &Site, renderer: &Renderer<'_>) -> Vec<crate::search::IndexFile> {
    crate::search::index_files(site, renderer.urls(), crate::search::Form::Auto)
}

/// Whether an output path is a file of the search index (`search/…`).
pub fn is_search_path(path: &str) -> bool {
    path.starts_with(SEARCH_DIR)
}

/// Every generated file of a site (pages, search index, built-in assets), in path order:
/// for tests and tools that want the site in memory.
pub fn render_in_memory(
    site: &Site,
    templates: &Templates,
    base: &str,
) -> Result<Vec<OutputFile>, RenderError> {
    let tables = render::RenderCache::new(site);
    let renderer = Renderer::new(site, templates, base, &tables, None);
    let files = std::sync::Mutex::new(Vec::new());
    write_site(&renderer, site, &|| (), &|path, contents| {
        let mut bytes = Vec::new();
        contents(&mut bytes).map_err(|e| RenderError::Io {
            path: path.into(),
            source: e,
        })?;
        if let Ok(mut f) = files.lock() {
            f.push(OutputFile {
                path: path.to_string(),
                bytes,
            });
        }
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What `tabiji build` was asked to do.
pub struct BuildOptions {
    /// The output folder (default: `SITE/public`).
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of tabiji.toml (already checked).
    pub base_url: Option<String>,
    /// Adds a "What changed" page comparing the content with this git revision.
    pub changes_since: Option<String>,
}

/// How a build ended, when nothing went wrong outside the content.
pub enum Built {
    /// Every file written; the output folder replaced.
    Done {
        pages: usize,
        /// How many files were written (a rebuild leaves unchanged files alone).
        changed: usize,
        warnings: usize,
        out: PathBuf,
        /// What the build held (the model, the journey tables). A command that ends right
        /// after the build may leave it to the operating system (`std::mem::forget`):
        /// freeing it piece by piece is about 3 % of a 2,000-persona build.
        held: Box<Held>,
    },
    /// The content has errors: nothing was written (the loaded site says what).
    ContentErrors(Box<Loaded>),
    /// A template failed: nothing was written.
    TemplateError(RenderError),
}

/// The memory a finished build held; see [`Built::Done`].
pub struct Held {
    _loaded: Loaded,
    _tables: render::RenderCache,
}

/// `tabiji build`: load and check, render into a fresh folder beside the output, and swap
/// it in only when everything succeeded (a failed build leaves the output untouched).
pub fn build(site_dir: &Path, opts: BuildOptions) -> Result<Built, PipelineError> {
    let out = opts.output.unwrap_or_else(|| site_dir.join("public"));
    crate::output::check_output_dir(site_dir, &out)?;
    // The templates are parsed while the content loads and the "What changed" page reads
    // the git history.
    let changes_of = |loaded: &Loaded| match (&opts.changes_since, &loaded.site.config.history) {
        _ if loaded.diagnostics.has_errors() => Ok(None),
        (Some(rev), _) => changes_page(site_dir, &loaded.site, rev).map(Some),
        (None, Some(n)) => history_page(site_dir, &loaded.site, n.value as usize),
        (None, None) => Ok(None),
    };
    let (loaded, templates) = rayon::join(
        || -> Result<_, PipelineError> {
            let loaded = load::load_dir_releasing(site_dir, &display_prefix(site_dir))?;
            let changes = changes_of(&loaded)?;
            Ok((loaded, changes))
        },
        || render::load_templates(Some(site_dir)),
    );
    let (loaded, changes) = loaded?;
    if loaded.diagnostics.has_errors() {
        return Ok(Built::ContentErrors(Box::new(loaded)));
    }
    let templates = match templates {
        Ok(t) => t,
        Err(e) => return Ok(Built::TemplateError(e)),
    };
    let warnings = loaded.diagnostics.warnings();
    let site = &loaded.site;
    let base = base_url(site, opts.base_url.as_deref());
    let tables = render::RenderCache::new(site);
    let staging = crate::output::Output::begin(&out)?;
    let unchanged = |path: &str, input: u64| staging.unchanged(path, input);
    let renderer =
        Renderer::new(site, &templates, &base, &tables, changes.as_ref()).with_memo(&unchanged);
    let dates = || renderer.set_sources(read_sources(site_dir, &loaded));
    let written = write_site(&renderer, site, &dates, &|path, contents| {
        staging
            .write_with(path, contents)
            .map_err(RenderError::from)
    });
    drop(renderer);
    let pages = match written {
        Ok(n) => n,
        Err(RenderError::Write(e)) => return Err(e.into()),
        Err(e) => return Ok(Built::TemplateError(e)),
    };
    let changed = staging.finish(Some(&site_dir.join("static")))?;
    Ok(Built::Done {
        pages,
        changed,
        warnings,
        out,
        held: Box::new(Held {
            _loaded: loaded,
            _tables: tables,
        }),
    })
}

/// The "What changed" page since a revision: one entry, the diff between that revision
/// and the site as loaded.
/// Where each page's source file is (for "Edit this page") and when it last changed in git.
/// Outside a repository the paths are relative to the site folder and there are no dates;
/// a shallow clone or a detached HEAD gives the paths without dates.
pub fn read_sources(site_dir: &Path, loaded: &Loaded) -> crate::model::Sources {
    use rayon::prelude::*;
    let t = std::time::Instant::now();
    let repo = crate::diff::git::Repo::open(site_dir).ok();
    let prefix = repo.as_ref().map(|r| r.site_prefix()).unwrap_or_default();
    // Pages kept by an owner, and quizzes (no owner, but a last change and an edit link).
    let quizzes = loaded.site.quizzes.values().map(|q| q.file);
    let files: Vec<_> = loaded
        .site
        .kept_pages()
        .into_iter()
        .map(|p| p.file)
        .chain(quizzes)
        .map(|file| {
            let path = loaded
                .sources
                .get(file)
                .abs_path
                .to_string_lossy()
                .replace('\\', "/");
            (file, path)
        })
        .collect();
    let mut sources = crate::model::Sources {
        paths: files
            .iter()
            .map(|(f, path)| (*f, format!("{prefix}{path}")))
            .collect(),
        changes: Default::default(),
    };
    if let Some(repo) = repo {
        // The bytes on disk tell an uncommitted change from a committed file.
        let with_bytes: Vec<_> = files
            .into_par_iter()
            .map(|(f, path)| {
                let bytes = std::fs::read(site_dir.join(&path)).unwrap_or_default();
                (f, path, bytes)
            })
            .collect();
        sources.changes = repo.last_changes(&with_bytes).unwrap_or_default();
    }
    if crate::profile::enabled() {
        eprintln!("git dates: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    }
    sources
}

/// The "What changed" page: the journeys' diff between a revision and the site as loaded.
fn changes_page(site_dir: &Path, current: &Site, rev: &str) -> Result<ChangesPage, PipelineError> {
    let repo = crate::diff::git::Repo::open(site_dir)?;
    let (old, from) = load_revision(&repo, site_dir, Some(rev))?;
    let report = crate::diff::report(&old.site, current, from.clone(), "this build".into());
    Ok(ChangesPage {
        since: Some(from),
        entries: vec![render::ChangeEntry {
            lines: crate::diff::lines(&report, current),
            ..render::ChangeEntry::default()
        }],
    })
}

/// The "What changed" page of `[history] commits = N`: the latest N commits that changed
/// the site, newest first, each compared with its parent. A revision whose content does not
/// load (or a first commit) gets its date and subject without the list. `None` outside a
/// git repository: the build goes on without the page.
pub fn history_page(
    site_dir: &Path,
    current: &Site,
    n: usize,
) -> Result<Option<ChangesPage>, PipelineError> {
    let Ok(repo) = crate::diff::git::Repo::open(site_dir) else {
        return Ok(None);
    };
    let commits = repo.site_history(n)?;
    let prefix = display_prefix(site_dir);
    // Every revision the page compares, read once (the repository is read from one thread)
    // and loaded in parallel (11 revisions for ten commits in a row).
    let mut revs: Vec<&str> = commits
        .iter()
        .flat_map(|c| std::iter::once(c.id.as_str()).chain(c.parent.as_deref()))
        .collect();
    revs.sort_unstable();
    revs.dedup();
    let sites: std::collections::HashMap<&str, Option<Loaded>> = {
        use rayon::prelude::*;
        let read: Vec<_> = revs
            .into_iter()
            .map(|rev| (rev, repo.files_at(rev).ok()))
            .collect();
        read.into_par_iter()
            .map(|(rev, files)| {
                let loaded = files.and_then(|files| {
                    let l = load::load_files(files, &prefix);
                    (!l.diagnostics.has_errors()).then_some(l)
                });
                (rev, loaded)
            })
            .collect()
    };
    let site_at = |rev: &str| sites.get(rev).and_then(Option::as_ref).map(|l| &l.site);
    let mut entries = Vec::new();
    for c in &commits {
        let new = site_at(&c.id);
        let old = c.parent.as_deref().and_then(site_at);
        let lines = match (old, new) {
            (Some(o), Some(n)) => {
                let report =
                    crate::diff::report(o, n, c.parent.clone().unwrap_or_default(), c.id.clone());
                crate::diff::lines(&report, current)
            }
            _ => Vec::new(),
        };
        entries.push(render::ChangeEntry {
            date: Some(c.date.clone()),
            time: Some(c.time),
            short: Some(c.short.clone()),
            subject: Some(c.subject.clone()),
            first: c.first,
            lines,
        });
    }
    Ok(Some(ChangesPage {
        since: None,
        entries,
    }))
}
