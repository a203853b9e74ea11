//! Rendering: the validated model → HTML pages, every one through its Tera template.
//!
//! The templates are the one source of every page's markup: built in (`templates/`), each
//! replaceable by a site's file of the same name ([`templates`]). Rust builds each page's
//! small context from lookups computed once per build ([`context::SiteIndex`]) and journey
//! tables computed once per journey ([`table`]), one file per kind of page in [`pages`].
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
/// output folder) and bytes.
pub type Sink<'a> = dyn Fn(&str, &[u8]) -> Result<(), RenderError> + Sync + 'a;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Write(#[from] crate::output::OutputError),
    #[error("template error: {0}")]
    Template(String),
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One file of the output, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A "What changed" page: the diff since a revision, already rendered as HTML.
#[derive(Debug, Clone)]
pub struct ChangesPage {
    /// The revision compared against, as shown to readers.
    pub since: String,
    pub html: String,
    pub count: usize,
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

/// Journey tables, each computed the first time a page needs it (with its HTML, rendered
/// once through `journey_table.html`) and then shared by every page that shows it. `serve`
/// keeps one per snapshot, so that tables outlive a request.
pub struct TableCache {
    frame: OnceLock<Arc<TableFrame>>,
    tables: std::collections::BTreeMap<Id, TableSlot>,
}

#[derive(Default)]
struct TableSlot {
    table: OnceLock<JourneyTable>,
    html: OnceLock<Result<String, String>>,
}

impl TableCache {
    pub fn new(site: &Site) -> TableCache {
        TableCache {
            frame: OnceLock::new(),
            tables: site
                .journeys
                .keys()
                .map(|k| (k.clone(), TableSlot::default()))
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
    tables: &'a TableCache,
    changes: Option<&'a ChangesPage>,
}

impl<'a> Renderer<'a> {
    /// `base` is the site's base URL (`/` or `/sales/`); `changes` adds the "What changed"
    /// page, linked from the home page.
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        base: &str,
        tables: &'a TableCache,
        changes: Option<&'a ChangesPage>,
    ) -> Renderer<'a> {
        Renderer {
            index: SiteIndex::new(site, base, changes.is_some()),
            tera: &templates.tera,
            t: labels(site.config.language),
            tables,
            changes,
        }
    }

    /// The base URL every link starts with (`/` or `/sales/`).
    pub fn base(&self) -> &str {
        self.index.urls.base()
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
        pages::render(self, page)
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

    /// A journey's table as HTML, rendered once through `journey_table.html` and shared by
    /// the pages that embed it (persona, print).
    fn table_html(&self, id: &Id) -> Result<&str, RenderError> {
        let (Some(slot), Some(table)) = (self.tables.tables.get(id), self.table(id)) else {
            return Err(RenderError::Template(format!("no journey {id}")));
        };
        let html = slot.html.get_or_init(|| {
            #[derive(Serialize)]
            struct Ctx<'c> {
                journey: table::TableView<'c>,
                t: &'c Labels,
            }
            let ctx = Ctx {
                journey: table::TableView {
                    table,
                    index: &self.index,
                },
                t: self.t,
            };
            Context::from_serialize(ctx)
                .and_then(|ctx| self.tera.render("journey_table.html", &ctx))
                .map_err(|e| {
                    format!(
                        "journey_table.html (for journey {id}): {}",
                        templates::error_chain(&e)
                    )
                })
        });
        html.as_deref().map_err(|e| RenderError::Template(e.clone()))
    }

    /// A page's meta: its title, kind, URL and breadcrumbs (home first, except on home).
    fn meta(&self, title: &str, kind: &'static str, url: String, mut crumbs: Vec<Link>) -> PageMeta {
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
        template: &str,
        path: String,
        meta: PageMeta,
        data: T,
    ) -> Result<OutputFile, RenderError> {
        #[derive(Serialize)]
        struct Whole<'a, T: Serialize> {
            site: &'a context::SiteCtx,
            t: &'a Labels,
            page: PageMeta,
            #[serde(flatten)]
            data: T,
        }
        let whole = Whole {
            site: &self.index.site_ctx,
            t: self.t,
            page: meta,
            data,
        };
        let ctx = Context::from_serialize(&whole)
            .map_err(|e| RenderError::Template(templates::error_chain(&e)))?;
        // Into bytes: a page goes to a file, so Tera's check that its output is UTF-8 (it
        // is, being made of UTF-8 strings) is not needed.
        let mut bytes = Vec::new();
        self.tera.render_to(template, &ctx, &mut bytes).map_err(|e| {
            RenderError::Template(format!(
                "{template} (for {path}): {}",
                templates::error_chain(&e)
            ))
        })?;
        Ok(OutputFile { path, bytes })
    }
}

/// Renders every page in parallel, handing each to `sink` as soon as it is ready; returns
/// how many there were. The largest pages go first, so that no thread is left with one at
/// the end.
pub fn render_pages(renderer: &Renderer<'_>, sink: &Sink<'_>) -> Result<usize, RenderError> {
    let pages = renderer.pages();
    let profile = crate::profile::enabled();
    pages
        .par_iter()
        .with_max_len(1)
        .try_for_each(|&page| {
            let started = std::time::Instant::now();
            let file = renderer.render(page)?;
            if profile {
                eprintln!(
                    "{:>8.1} ms {:>10} B {}",
                    started.elapsed().as_secs_f64() * 1e3,
                    file.bytes.len(),
                    file.path
                );
            }
            sink(&file.path, &file.bytes)
        })?;
    Ok(pages.len())
}
