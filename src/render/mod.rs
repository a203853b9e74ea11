//! Rendering: the validated model → HTML pages, every one through its Tera template.
//!
//! The templates are the one source of every page's markup: built in (`templates/`), each
//! replaceable by a site's file of the same name (`templates`). Rust builds each page's
//! small context from lookups computed once per build (`context::SiteIndex`) and journey
//! tables computed once per journey (`table`), one file per kind of page in `pages`.
//!
//! Nothing here reads content files or decides where output goes: [`render_pages`] hands
//! each page to a [`Sink`] as soon as it is rendered (the output folder in a build), and
//! [`Renderer::render_path`] renders one page on demand (`serve`).

mod context;
mod labels;
mod markdown;
mod pages;
mod sanitize;
mod svg;
mod table;
mod templates;
mod upkeep;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

pub use context::Link;
pub use labels::{Labels, labels};
pub use markdown::{render_block, render_inline, safe_url};
pub use pages::Page;
pub use sanitize::{escape, sanitize_html};
pub use templates::{ASSETS, BUILTIN, Templates, load_templates};

use crate::model::{Id, Site};
// Markdown links resolve through the site's URLs (`super::urls` in the submodules).
use crate::urls;
use context::{PageMeta, SiteIndex};
use table::{JourneyTable, TableFrame};

/// Where rendered files go, one by one, from several threads: the output folder in a
/// build, a list in tests. It is called once per file with the file's path (relative to the
/// output folder) and what writes the file's bytes into a writer, so that a page goes
/// straight from the template into its file (the print page of a 2,000-persona site is
/// 55 MB).
pub type Sink<'a> = dyn Fn(&str, &mut Contents<'_>) -> Result<(), RenderError> + Sync + 'a;

/// Asked before a page is rendered, with its path and the fingerprint of what it would be
/// rendered from: `true` when the output already holds that page made from the same input
/// (`build` into a previous output), so it is not rendered again.
pub type Memo<'a> = dyn Fn(&str, u64) -> bool + Sync + 'a;

/// A hash of what a page is rendered from (templates, data): the values' own `Hash`, not
/// their text, since a fresh build computes it for every page; foldhash's quality hash
/// under a fixed seed (SipHash here was 3 % of a fresh 200-persona build's CPU).
fn fingerprint(what: &impl std::hash::Hash) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x7461_6269_6a69).hash_one(what)
}

/// Writes a file's bytes into the writer it is given.
pub type Contents<'c> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'c;

/// Hands a file held whole to a sink.
pub fn put(sink: &Sink<'_>, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
    sink(path, &mut |w| w.write_all(bytes))
}

/// A page ready to be written: its template, its output path and its context.
pub struct Prepared {
    template: &'static str,
    pub path: String,
    /// The page's own variables (`page` and its data); `site` and `t` are added when it is
    /// rendered.
    data: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug)]
pub enum RenderError {
    Write(crate::output::OutputError),
    Template(String),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::i18n::Localized for RenderError {
    fn text(&self) -> crate::i18n::Text {
        use crate::t;
        match self {
            RenderError::Write(e) => crate::i18n::Localized::text(e),
            RenderError::Template(e) => t!("template error: {e}", "テンプレートのエラー: {e}"),
            RenderError::Io { path, source } => crate::i18n::cannot_read(path, source),
        }
    }
}
crate::localized_error!(RenderError);

impl From<crate::output::OutputError> for RenderError {
    fn from(e: crate::output::OutputError) -> Self {
        RenderError::Write(e)
    }
}

/// One file of the output, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A "What changed" page: one entry per commit (`[history]`), or one entry for everything
/// since a revision (`build --changes-since`), each change in a salesperson's words.
#[derive(Debug, Clone, Default)]
pub struct ChangesPage {
    /// `build --changes-since`: the revision compared against, as shown to readers.
    pub since: Option<String>,
    pub entries: Vec<ChangeEntry>,
}

/// One entry of the page: a commit (date, subject, short id) or, since a revision, all.
#[derive(Debug, Clone, Default)]
pub struct ChangeEntry {
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Seconds since 1970 (UTC): what "new since your last visit" compares.
    pub time: Option<i64>,
    pub short: Option<String>,
    pub subject: Option<String>,
    /// The site's first version (nothing before it to compare with).
    pub first: bool,
    pub lines: Vec<ChangeLine>,
}

/// One change, as data for the page (the phrases are the diff's; the Markdown in `old`,
/// `new` and `place` is rendered by the page).
#[derive(Debug, Clone)]
pub struct ChangeLine {
    /// The area's name (`ジャーニー`).
    pub area: &'static str,
    /// What it concerns: the journey, persona, playbook, … by name.
    pub heading: String,
    /// Where within it (`検討 × 課題`, a task), inline Markdown.
    pub place: String,
    /// What happened (`書き換え`, `タスクの担当部門を変更`).
    pub phrase: String,
    /// The text before and after (inline Markdown); absent for long texts.
    pub old: Option<String>,
    pub new: Option<String>,
    /// Word by word (`equal`, `delete`, `insert`), when the texts hold no Markdown: shown
    /// instead of `old` → `new`.
    pub words: Vec<(&'static str, String)>,
    /// The page it concerns, when that page exists in this build.
    pub target: Option<ChangeTarget>,
}

/// The page a change links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeTarget {
    Page(crate::model::PageRefKind, String),
    Home,
    Onboarding,
}

/// The built-in assets as output files (`assets/tabiji.css`, …).
pub fn builtin_assets() -> Vec<OutputFile> {
    ASSETS
        .iter()
        .map(|(name, bytes)| OutputFile {
            path: format!("assets/{name}"),
            bytes: bytes.to_vec(),
        })
        .collect()
}

/// What several pages share, each computed the first time a page needs it: journey tables
/// (with their HTML, rendered once through `journey_table.html`) and playbooks' tables of
/// contents (rendered once through `playbook_toc.html`).
/// `serve` keeps one per snapshot, so that they outlive a request.
pub struct RenderCache {
    frame: OnceLock<Arc<TableFrame>>,
    tables: std::collections::BTreeMap<Id, TableSlot>,
    tocs: std::collections::BTreeMap<Id, OnceLock<Result<String, String>>>,
}

#[derive(Default)]
struct TableSlot {
    table: OnceLock<JourneyTable>,
    html: OnceLock<Result<String, String>>,
}

impl RenderCache {
    pub fn new(site: &Site) -> RenderCache {
        RenderCache {
            frame: OnceLock::new(),
            tables: site
                .journeys
                .keys()
                .map(|k| (k.clone(), TableSlot::default()))
                .collect(),
            tocs: site
                .playbooks
                .keys()
                .map(|k| (k.clone(), OnceLock::new()))
                .collect(),
        }
    }
}

/// Renders the pages of one site: every page in parallel for a build, or one page when it
/// is asked for (`serve`).
pub struct Renderer<'a> {
    index: SiteIndex<'a>,
    tera: &'a Tera,
    t: &'static Labels,
    /// `site` and `t` as template values, made once.
    shared: serde_json::Map<String, serde_json::Value>,
    /// Contexts holding `site` and `t`, reused page after page: a page's own variables are
    /// moved in to render it and out again, so the labels and navigation are not copied
    /// for each of tens of thousands of pages.
    contexts: std::sync::Mutex<Vec<Context>>,
    tables: &'a RenderCache,
    changes: Option<&'a ChangesPage>,
    /// Source paths (for "Edit this page") and git dates, when the build read them.
    /// Set once, by [`Renderer::set_sources`], before the pages that show them are rendered
    /// (a build reads them while the search index is made).
    sources: OnceLock<crate::model::Sources>,
    /// "Today" for review dates.
    today: crate::model::Date,
    /// What every page is rendered with besides its own data: tabiji's version, the
    /// templates, `site` and `t` (a hash, the start of each page's fingerprint).
    common_input: u64,
    memo: Option<&'a Memo<'a>>,
    /// Why `header.html` or `footer.html` did not render, if one did not.
    partials_error: Option<String>,
}

impl<'a> Renderer<'a> {
    /// `base` is the site's base URL (`/` or `/sales/`); `changes` adds the "What changed"
    /// page, linked from the home page.
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        base: &str,
        tables: &'a RenderCache,
        changes: Option<&'a ChangesPage>,
    ) -> Renderer<'a> {
        let mut index = SiteIndex::new(site, base, changes.is_some());
        index.site_ctx.change_times = changes.map_or_else(Vec::new, |c| {
            c.entries.iter().filter_map(|e| e.time).collect()
        });
        let t = labels(site.config.language);
        let mut shared = serde_json::Map::new();
        // Plain data (strings, lists, maps) always serialises.
        if let (Ok(s), Ok(l)) = (
            serde_json::to_value(&index.site_ctx),
            serde_json::to_value(t),
        ) {
            shared.insert("site".into(), s);
            shared.insert("t".into(), l);
        }
        // A broken partial (a site's own `header.html`) is reported by every page.
        let partials = templates::render_partials(&templates.tera, &shared);
        if let Ok(p) = &partials {
            shared.insert("partials".into(), p.clone());
        }
        let common_input =
            fingerprint(&(env!("CARGO_PKG_VERSION"), templates.fingerprint, &shared));
        Renderer {
            index,
            tera: &templates.tera,
            t,
            shared,
            contexts: std::sync::Mutex::new(Vec::new()),
            tables,
            changes,
            sources: OnceLock::new(),
            today: crate::model::Date::today(),
            common_input,
            memo: None,
            partials_error: partials.err(),
        }
    }

    /// The same renderer, asking `memo` before each page whether it needs rendering.
    pub fn with_memo(mut self, memo: &'a Memo<'a>) -> Renderer<'a> {
        self.memo = Some(memo);
        self
    }

    /// The fingerprint of what a prepared page is rendered from: the common input, its
    /// template, path and own data. Tera renders the same bytes from the same input.
    fn input_of(&self, p: &Prepared) -> u64 {
        fingerprint(&(self.common_input, p.template, &p.path, &p.data))
    }

    /// The source files' paths and git dates, for the pages rendered after this call.
    pub fn set_sources(&self, sources: crate::model::Sources) {
        let _ = self.sources.set(sources);
    }

    /// Every URL of the site under this renderer's base URL.
    pub fn urls(&self) -> &crate::urls::Urls {
        &self.index.urls
    }

    /// Every page of the site.
    pub fn pages(&self) -> Vec<Page<'a>> {
        pages::all(self.index.site, self.changes.is_some())
    }

    /// The page at an output path (`index.html`, `personas/<id>/index.html`, …), if the
    /// site has one.
    pub fn page_at(&self, path: &str) -> Option<Page<'a>> {
        pages::at(self.index.site, self.changes.is_some(), path)
    }

    /// The page at an output path, rendered; `None` when the site has no such page.
    pub fn render_path(&self, path: &str) -> Option<Result<OutputFile, RenderError>> {
        let page = self.page_at(path)?;
        Some(self.render(page))
    }

    /// One page, rendered.
    pub fn render(&self, page: Page<'_>) -> Result<OutputFile, RenderError> {
        let prepared = self.prepare(page)?;
        let path = prepared.path.clone();
        let mut bytes = Vec::new();
        self.write(prepared, &mut bytes)?;
        Ok(OutputFile { path, bytes })
    }

    /// One page's template, path and context.
    pub fn prepare(&self, page: Page<'_>) -> Result<Prepared, RenderError> {
        pages::render(self, page)
    }

    /// Renders a prepared page into a writer (buffered here: a template writes in many small
    /// pieces).
    pub fn write(&self, p: Prepared, w: &mut dyn std::io::Write) -> Result<(), RenderError> {
        if let Some(e) = &self.partials_error {
            return Err(RenderError::Template(format!("{e} (for {})", p.path)));
        }
        let mut ctx = match self.contexts.lock().ok().and_then(|mut c| c.pop()) {
            Some(c) => c,
            None => Context::from_value(serde_json::Value::Object(self.shared.clone()))
                .map_err(|e| RenderError::Template(templates::error_chain(&e)))?,
        };
        let keys: Vec<String> = p.data.keys().cloned().collect();
        let own = Context::from_value(serde_json::Value::Object(p.data))
            .map_err(|e| RenderError::Template(templates::error_chain(&e)))?;
        ctx.extend(own);
        let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, w);
        let rendered = self.tera.render_to(p.template, &ctx, &mut buffered);
        // The page's variables go; the context is ready for the next page.
        for k in &keys {
            ctx.remove(k);
        }
        if let Ok(mut c) = self.contexts.lock() {
            c.push(ctx);
        }
        rendered.map_err(|e| {
            RenderError::Template(format!(
                "{} (for {}): {}",
                p.template,
                p.path,
                templates::error_chain(&e)
            ))
        })?;
        std::io::Write::flush(&mut buffered).map_err(|e| RenderError::Io {
            path: p.path.clone().into(),
            source: e,
        })
    }

    /// A journey's table (computed on first use).
    fn table(&self, id: &Id) -> Option<&JourneyTable> {
        let slot = self.tables.tables.get(id)?;
        let j = self.index.site.journeys.get(id)?;
        let frame = self
            .tables
            .frame
            .get_or_init(|| Arc::new(table::frame(&self.index)));
        Some(
            slot.table
                .get_or_init(|| table::journey_table(&self.index, frame, j)),
        )
    }

    /// A playbook's table of contents as HTML (links into it), rendered once through
    /// `playbook_toc.html` and shared by the persona-at-stage pages that list the playbook
    /// (at 200 personas, 1,600 pages: rendering it on each was 7 % of a build's CPU).
    fn playbook_toc(&self, p: &crate::model::Playbook) -> Result<&str, RenderError> {
        let Some(slot) = self.tables.tocs.get(&p.id) else {
            return Err(RenderError::Template(format!("no playbook {}", p.id)));
        };
        let html = slot.get_or_init(|| {
            let mut ctx = Context::new();
            ctx.insert("playbook", &self.index.playbook_link(p));
            ctx.insert("headings", &self.index.body(&p.body.value, "").headings);
            self.tera.render("playbook_toc.html", &ctx).map_err(|e| {
                format!(
                    "playbook_toc.html (for playbook {}): {}",
                    p.id,
                    templates::error_chain(&e)
                )
            })
        });
        html.as_deref()
            .map_err(|e| RenderError::Template(e.clone()))
    }

    /// The context `journey_table.html` receives: the journey's table and the labels.
    fn table_context(&self, id: &Id) -> Result<Context, RenderError> {
        let Some(table) = self.table(id) else {
            return Err(RenderError::Template(format!("no journey {id}")));
        };
        #[derive(Serialize)]
        struct TableCtx<'c> {
            journey: table::TableView<'c>,
            t: &'c Labels,
        }
        let view = table::TableView {
            table,
            index: &self.index,
        };
        Context::from_serialize(TableCtx {
            journey: view,
            t: self.t,
        })
        .map_err(|e| RenderError::Template(templates::error_chain(&e)))
    }

    /// A journey's table as HTML, rendered once through `journey_table.html` and shared by
    /// the pages that show it (journey, persona, print). `context` is the table's context,
    /// when the caller has it already (the journey page).
    fn table_html(&self, id: &Id, context: Option<&Context>) -> Result<&str, RenderError> {
        let Some(slot) = self.tables.tables.get(id) else {
            return Err(RenderError::Template(format!("no journey {id}")));
        };
        let html = slot.html.get_or_init(|| {
            let own;
            let ctx = match context {
                Some(c) => c,
                None => {
                    own = self.table_context(id).map_err(|e| e.to_string())?;
                    &own
                }
            };
            self.tera.render("journey_table.html", ctx).map_err(|e| {
                format!(
                    "journey_table.html (for journey {id}): {}",
                    templates::error_chain(&e)
                )
            })
        });
        html.as_deref()
            .map_err(|e| RenderError::Template(e.clone()))
    }

    /// A page's meta: its title, kind, URL and breadcrumbs (home first, except on home).
    fn meta(
        &self,
        title: &str,
        kind: &'static str,
        url: String,
        mut crumbs: Vec<Link>,
    ) -> PageMeta {
        if kind != "home" {
            crumbs.insert(
                0,
                Link {
                    id: String::new(),
                    name: self.t.home.to_string(),
                    url: self.index.urls.home(),
                },
            );
        }
        PageMeta {
            title: title.to_string(),
            kind,
            url,
            breadcrumbs: crumbs,
        }
    }

    /// A link to a section of the home page (`#personas`, `#stages`), for breadcrumbs.
    fn home_section(&self, name: &str, anchor: &str) -> Link {
        Link {
            id: String::new(),
            name: name.to_string(),
            url: format!("{}#{anchor}", self.index.urls.home()),
        }
    }

    /// Renders `template` with `site`, `t` (labels), `page` and the page's own `data`.
    fn page<T: Serialize>(
        &self,
        template: &'static str,
        path: String,
        meta: PageMeta,
        data: T,
    ) -> Result<Prepared, RenderError> {
        let json = |e: serde_json::Error| RenderError::Template(e.to_string());
        let mut own = serde_json::Map::new();
        own.insert("page".into(), serde_json::to_value(meta).map_err(json)?);
        if let serde_json::Value::Object(fields) = serde_json::to_value(data).map_err(json)? {
            own.extend(fields);
        }
        Ok(Prepared {
            template,
            path,
            data: own,
        })
    }
}

/// Renders every page in parallel, handing each to `sink` as soon as it is ready; returns
/// how many there were. The largest pages go first, so that no thread is left with one at
/// the end.
pub fn render_pages(renderer: &Renderer<'_>, sink: &Sink<'_>) -> Result<usize, RenderError> {
    let pages = renderer.pages();
    // The journey pages first: each renders its table's HTML from its own context, which
    // the persona and print pages then embed (so no table is turned into a context twice).
    let (journeys, others): (Vec<Page<'_>>, Vec<Page<'_>>) =
        pages.iter().partition(|p| matches!(p, Page::Journey(_)));
    render_each(renderer, &journeys, sink)?;
    render_each(renderer, &others, sink)?;
    Ok(pages.len())
}

fn render_each(
    renderer: &Renderer<'_>,
    pages: &[Page<'_>],
    sink: &Sink<'_>,
) -> Result<(), RenderError> {
    let profile = crate::profile::enabled();
    pages.par_iter().with_max_len(1).try_for_each(|&page| {
        let started = std::time::Instant::now();
        let prepared = renderer.prepare(page)?;
        let path = prepared.path.clone();
        if let Some(memo) = renderer.memo
            && memo(&path, renderer.input_of(&prepared))
        {
            return Ok(());
        }
        let mut prepared = Some(prepared);
        // A template's error is kept here and reported as such, not as the writer's.
        let mut failed = None;
        sink(&path, &mut |w| {
            let Some(p) = prepared.take() else {
                return Ok(());
            };
            renderer.write(p, w).map_err(|e| {
                let message = e.to_string();
                failed = Some(e);
                std::io::Error::other(message)
            })
        })
        .map_err(|e| failed.take().unwrap_or(e))?;
        if profile {
            eprintln!("{:>8.1} ms {path}", started.elapsed().as_secs_f64() * 1e3);
        }
        Ok(())
    })
}
