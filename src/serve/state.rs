//! The served site: the last good build held in memory, swapped as a whole after each
//! successful rebuild, so no request ever sees a half-built site.
//!
//! Pages are rendered when first asked for and kept until an edit changes what they show:
//! an edit re-renders only the pages that depend on the edited file.

use crate::i18n::{Lang, Localized, Text};
use crate::t;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use crate::diagnostic::Diagnostics;
use crate::load::{self, InputFile, Loaded};
use crate::render::{self, OutputFile, RenderCache, Renderer};
use crate::source::SourceMap;

/// One good build.
pub struct Snapshot {
    pub loaded: Loaded,
    /// Shared between snapshots until a template changes.
    pub templates: Arc<render::Templates>,
    tables: RenderCache,
    /// `/` or the path of `base_url` (`/sales/`).
    pub base: String,
    /// Built-in assets and the site's `static/` files, by output path.
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
    /// Pages rendered so far, by output path.
    pages: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    /// The search index's files, made when the first of them is asked for.
    search: OnceLock<HashMap<String, Arc<Vec<u8>>>>,
}

impl Snapshot {
    /// The bytes of an output path: a static file, or a page (rendered now if needed).
    /// `Err` carries a render error message.
    pub fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Text>> {
        if let Some(f) = self.files.get(path) {
            return Some(Ok(f.clone()));
        }
        if let Some(p) = self.pages.lock().ok()?.get(path) {
            return Some(Ok(p.clone()));
        }
        let site = &self.loaded.site;
        let r = Renderer::new(site, &self.templates, &self.base, &self.tables, None);
        if crate::pipeline::is_search_path(path) {
            let files = self.search.get_or_init(|| {
                crate::pipeline::search_files(site, &r)
                    .into_iter()
                    .map(|f| (f.path, Arc::new(f.bytes)))
                    .collect()
            });
            return files.get(path).map(|f| Ok(f.clone()));
        }
        let page = r.render_path(path)?;
        Some(match page {
            Ok(OutputFile { bytes, .. }) => {
                let bytes = Arc::new(bytes);
                if let Ok(mut cache) = self.pages.lock() {
                    cache.insert(path.to_string(), bytes.clone());
                }
                Ok(bytes)
            }
            Err(e) => Err(e.text()),
        })
    }

    pub fn is_page(&self, path: &str) -> bool {
        self.files.contains_key(path) || crate::render::Page::at(&self.loaded.site, path).is_some()
    }

    /// How many pages are rendered and cached (for tests and the benchmark).
    pub fn cached_pages(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .pages
            .lock()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        v.sort();
        v
    }
}

/// What the browser overlay shows after a failed rebuild.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The problems, in both languages; [`Live::lang`] says which one is shown.
    pub text: Text,
}

/// The served state: the current good snapshot (if any build succeeded yet) and the failure
/// of the latest rebuild (if it failed).
pub struct Live {
    pub site_root: PathBuf,
    pub base_override: Option<String>,
    /// `--lang`, over the site's language.
    lang_flag: Option<Lang>,
    /// The site's language as last read (also from a failed rebuild: tabiji.toml may say).
    site_lang: RwLock<Option<Lang>>,
    inputs: Mutex<Inputs>,
    current: RwLock<(u64, Option<Arc<Snapshot>>, Option<Failure>)>,
    pub events: tokio::sync::broadcast::Sender<u64>,
}

/// The files of the site as last read, to re-read only what changed.
#[derive(Default)]
struct Inputs {
    content: BTreeMap<String, InputFile>,
    /// Parse results of unchanged files, reused by the next rebuild.
    parse_cache: load::ParseCache,
    templates_dirty: bool,
    static_dirty: bool,
}

/// The outcome of one rebuild, for the terminal.
pub enum Outcome {
    Built { pages_kept: usize, changed: usize },
    Failed { diagnostics: Text },
}

impl Live {
    pub fn new(site_root: PathBuf, base_override: Option<String>, lang: Option<Lang>) -> Live {
        let (events, _) = tokio::sync::broadcast::channel(64);
        let site_lang = RwLock::new(load::language_of(&site_root));
        Live {
            site_root,
            base_override,
            lang_flag: lang,
            site_lang,
            inputs: Mutex::new(Inputs {
                templates_dirty: true,
                static_dirty: true,
                // The preview shows errors only; coverage is `check`'s business.
                parse_cache: load::ParseCache::without_coverage(),
                ..Inputs::default()
            }),
            current: RwLock::new((0, None, None)),
            events,
        }
    }

    /// The language messages are shown in: `--lang`, `TABIJI_LANG`, the site's, the locale.
    pub fn lang(&self) -> Lang {
        let site = self.site_lang.read().ok().and_then(|l| *l);
        crate::i18n::choose(self.lang_flag, site)
    }

    /// The generation (counts rebuilds, good or bad), the snapshot and the failure.
    pub fn current(&self) -> (u64, Option<Arc<Snapshot>>, Option<Failure>) {
        self.current
            .read()
            .map(|c| c.clone())
            .unwrap_or((0, None, None))
    }

    /// Rebuild after `changed` paths (relative to the site; empty = read everything).
    pub fn rebuild(&self, changed: &BTreeSet<String>) -> Outcome {
        let prof = crate::profile::enabled();
        let t0 = std::time::Instant::now();
        let lap = |what: &str| {
            if prof {
                eprintln!("rebuild {what}: {:.1} ms", t0.elapsed().as_secs_f64() * 1e3)
            }
        };
        let mut inputs = match self.inputs.lock() {
            Ok(i) => i,
            Err(p) => p.into_inner(),
        };
        let first = inputs.content.is_empty();
        let content_changed: BTreeSet<String> = changed
            .iter()
            .filter(|p| *p == "tabiji.toml" || *p == "content" || p.starts_with("content/"))
            .cloned()
            .collect();
        if changed
            .iter()
            .any(|p| p == "templates" || p.starts_with("templates/"))
        {
            inputs.templates_dirty = true;
        }
        if changed
            .iter()
            .any(|p| p == "static" || p.starts_with("static/"))
        {
            inputs.static_dirty = true;
        }
        let structure_changed =
            match self.refresh_content(&mut inputs.content, &content_changed, first) {
                Ok(s) => s,
                Err(e) => return self.fail(e.text()),
            };
        lap("refreshed");
        let inputs = &mut *inputs;
        // The watcher says which files changed: the others need no byte comparison.
        inputs.parse_cache.changed_only =
            (!structure_changed && !first).then(|| content_changed.clone());
        let files: Vec<&InputFile> = inputs.content.values().collect();
        let loaded = load::load_files_cached(files, "", &mut inputs.parse_cache);
        lap("loaded");
        if let Ok(mut l) = self.site_lang.write() {
            *l = Some(loaded.site.config.language);
        }
        if loaded.diagnostics.has_errors() {
            return self.fail(render_errors(&loaded.diagnostics, &loaded.sources));
        }
        let (_, previous, last_failure) = self.current();
        let templates = if inputs.templates_dirty || previous.is_none() {
            match render::load_templates(Some(&self.site_root)) {
                Ok(t) => Arc::new(t),
                Err(e) => return self.fail(e.text()),
            }
        } else {
            match &previous {
                Some(p) => p.templates.clone(),
                None => return self.fail(t!("no templates", "テンプレートがありません")),
            }
        };
        let files = if inputs.static_dirty || previous.is_none() {
            match read_static(&self.site_root.join("static")) {
                Ok(f) => f,
                Err(e) => {
                    return self.fail(t!(
                        "cannot read static/: {why}",
                        "static/ を読めません: {why}";
                        why = crate::i18n::io_reason(&e)
                    ));
                }
            }
        } else {
            previous
                .as_ref()
                .map(|p| p.files.clone())
                .unwrap_or_default()
        };
        let base = self
            .base_override
            .clone()
            .unwrap_or_else(|| url_path(&loaded.site.config.base_url));
        // Keep the rendered pages that do not depend on what changed.
        let mut kept = HashMap::new();
        if let Some(prev) = &previous {
            // After a failed rebuild, edits made meanwhile are not in `changed`: start afresh.
            let everything = inputs.templates_dirty
                || last_failure.is_some()
                || structure_changed
                || prev.base != base
                || content_changed.iter().any(|p| affects_everything(p));
            if !everything {
                let stale = stale_pages(&prev.loaded, &loaded, &content_changed);
                if let Ok(cache) = prev.pages.lock() {
                    for (path, bytes) in cache.iter() {
                        if !stale.matches(path) {
                            kept.insert(path.clone(), bytes.clone());
                        }
                    }
                }
            }
        }
        inputs.templates_dirty = false;
        inputs.static_dirty = false;
        let pages_kept = kept.len();
        let snapshot = Snapshot {
            tables: RenderCache::new(&loaded.site),
            loaded,
            templates,
            base,
            files,
            pages: Mutex::new(kept),
            search: OnceLock::new(),
        };
        let generation = {
            let mut cur = match self.current.write() {
                Ok(c) => c,
                Err(p) => p.into_inner(),
            };
            cur.0 += 1;
            cur.1 = Some(Arc::new(snapshot));
            cur.2 = None;
            cur.0
        };
        lap("swapped");
        let _ = self.events.send(generation);
        Outcome::Built {
            pages_kept,
            changed: changed.len(),
        }
    }

    /// A failed rebuild: reported by the caller with [`Live::publish_failure`] once no further
    /// edit is on its way (a save in progress can be read half-written).
    fn fail(&self, text: Text) -> Outcome {
        Outcome::Failed { diagnostics: text }
    }

    /// Show a failure in every open tab (the overlay) and keep serving the last good site.
    pub fn publish_failure(&self, text: &Text) {
        let generation = {
            let mut cur = match self.current.write() {
                Ok(c) => c,
                Err(p) => p.into_inner(),
            };
            cur.0 += 1;
            cur.2 = Some(Failure { text: text.clone() });
            cur.0
        };
        let _ = self.events.send(generation);
    }

    /// Re-read changed content files (or all of them the first time, or when a folder
    /// changed). Returns whether the set of files changed (an id appeared or vanished).
    fn refresh_content(
        &self,
        content: &mut BTreeMap<String, InputFile>,
        changed: &BTreeSet<String>,
        first: bool,
    ) -> Result<bool, load::LoadError> {
        if first {
            *content = load::read_dir(&self.site_root)?
                .into_iter()
                .map(|f| (f.path.clone(), f))
                .collect();
            return Ok(true);
        }
        let mut structure = false;
        for rel in changed {
            let abs = self.site_root.join(rel);
            // A folder (existing, or known from the files under it) created, removed or renamed.
            let folder_prefix = format!("{rel}/");
            let was_folder = !abs.exists()
                && content
                    .range(folder_prefix.clone()..)
                    .next()
                    .is_some_and(|(k, _)| k.starts_with(&folder_prefix));
            if abs.is_dir() || was_folder {
                // A folder was created, removed or renamed: read the list again.
                let fresh: BTreeMap<String, InputFile> = load::read_dir(&self.site_root)?
                    .into_iter()
                    .map(|f| (f.path.clone(), f))
                    .collect();
                // Files may have changed without an event of their own: treat it as a new
                // set of files (no cached page or parse is trusted).
                *content = fresh;
                return Ok(true);
            }
            if crate::source::is_editor_litter(std::ffi::OsStr::new(
                rel.rsplit('/').next().unwrap_or(""),
            )) {
                continue;
            }
            // Editors' and tools' temporary files (`sedX1b2c3`, `.#x.md`) are not content;
            // reading one would change the set of files and re-parse the whole site.
            if !load::is_content_path(rel) && !content.contains_key(rel) {
                continue;
            }
            match std::fs::read(&abs) {
                Ok(bytes) => {
                    structure |= content
                        .insert(
                            rel.clone(),
                            InputFile {
                                path: rel.clone(),
                                bytes,
                            },
                        )
                        .is_none();
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    structure |= content.remove(rel).is_some();
                }
                Err(e) => {
                    return Err(load::LoadError::Io {
                        path: abs,
                        source: e,
                    });
                }
            }
        }
        Ok(structure)
    }
}

/// The path part of a base URL: `https://x.example/sales/` → `/sales/`.
pub fn url_path(base_url: &str) -> String {
    if let Some(rest) = base_url
        .strip_prefix("http://")
        .or_else(|| base_url.strip_prefix("https://"))
    {
        return match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        };
    }
    base_url.to_string()
}

/// The errors of a failed load in both languages, ending with how many there are.
fn render_errors(d: &Diagnostics, sources: &SourceMap) -> Text {
    let n = crate::diagnostic::count(d.errors(), crate::diagnostic::Severity::Error);
    Text::from_fn(|lang| {
        let mut out = crate::diagnostic::render_errors(d, sources, false, usize::MAX, lang);
        out.push_str(n.get(lang));
        out
    })
}

fn read_static(dir: &Path) -> std::io::Result<BTreeMap<String, Arc<Vec<u8>>>> {
    let mut files: BTreeMap<String, Arc<Vec<u8>>> = render::builtin_assets()
        .into_iter()
        .map(|f| (f.path, Arc::new(f.bytes)))
        .collect();
    let root = dir.parent().unwrap_or(dir);
    let outside = |p: &Path| {
        matches!(
            crate::source::link_kind(root, p),
            crate::source::Link::Outside(_)
        )
    };
    if dir.is_dir() && !outside(dir) {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(std::io::Error::other)?;
            // Never served: links leading outside the site (as `build` refuses them).
            let file = entry.file_type().is_file()
                || (entry.path_is_symlink() && entry.path().is_file() && !outside(entry.path()));
            if !file || crate::source::is_backup_file(entry.file_name()) {
                continue;
            }
            let rel = crate::source::relative_display(dir, entry.path());
            files.insert(rel, Arc::new(std::fs::read(entry.path())?));
        }
    }
    Ok(files)
}

/// Files whose change can show on any page: the site settings, departments (navigation,
/// owners, task groups) and the glossary (term links everywhere).
fn affects_everything(path: &str) -> bool {
    path == "tabiji.toml"
        || path.starts_with("content/departments/")
        || path == "content/glossary.toml"
}

/// Pages to re-render: exact output paths and folder prefixes.
#[derive(Default)]
struct Stale {
    exact: BTreeSet<String>,
    prefixes: BTreeSet<String>,
}

impl Stale {
    fn matches(&self, path: &str) -> bool {
        self.exact.contains(path) || self.prefixes.iter().any(|p| path.starts_with(p.as_str()))
    }
}

/// The pages that show something of the changed content files, in the old or the new model.
/// Pages are rendered when asked for, so a generous answer costs little; only a journey's
/// and a persona's edits, the common ones, keep most pages.
fn stale_pages(old: &Loaded, new: &Loaded, changed: &BTreeSet<String>) -> Stale {
    let mut s = Stale::default();
    // A persona's page and its pages at each stage.
    let persona = |id: &str| format!("personas/{id}/");
    // Pages that gather from every journey or persona.
    let gathering = |s: &mut Stale| {
        s.prefixes.extend(
            ["stages/", "departments/", "roles/", "quizzes/"]
                .into_iter()
                .map(String::from),
        );
        s.exact.extend(
            [
                "index.html",
                "print/index.html",
                "onboarding/index.html",
                "freshness/index.html",
            ]
            .into_iter()
            .map(String::from),
        );
    };
    for path in changed {
        let stem = |folder: &str, ext: &str| {
            path.strip_prefix(folder)
                .and_then(|r| r.strip_suffix(ext))
                .map(crate::model::Id::lookup)
        };
        if let Some(id) = stem("content/journeys/", ".toml") {
            s.exact.insert(format!("journeys/{id}/index.html"));
            for m in [old, new] {
                if let Some(j) = m.site.journeys.get(&id) {
                    s.prefixes.insert(persona(j.persona.value.as_str()));
                }
            }
            gathering(&mut s);
        } else if let Some(id) = stem("content/personas/", ".md") {
            s.prefixes.insert(persona(id.as_str()));
            for m in [old, new] {
                for j in m.site.journeys_of(&id) {
                    s.exact.insert(format!("journeys/{}/index.html", j.id));
                }
            }
            s.prefixes.extend(
                ["playbooks/", "qualification/"]
                    .into_iter()
                    .map(String::from),
            );
            gathering(&mut s);
        } else if !(path.ends_with(".md") || path.ends_with(".toml")) {
            // Not content (an editor's temporary file, an image in the wrong place).
        } else {
            // Anything else (a playbook shows on persona, stage and department pages, the
            // onboarding path on the home page, …): every page.
            s.prefixes.insert(String::new());
        }
    }
    s
}
