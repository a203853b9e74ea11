//! Rendering: the validated model → HTML pages through Tera (and, for the biggest built-in
//! pages, the equivalent Rust in [`native`]), in parallel.
//!
//! Nothing here reads content files or decides where output goes: [`render_site_to`] hands
//! each file to a [`Sink`] as soon as it is ready ([`crate::output::Staging`] in a build),
//! and [`render_site`] collects them in memory (tests).

mod context;
mod labels;
mod markdown;
mod native;
mod pages;
mod sanitize;
mod stream;
mod svg;
mod templates;
pub mod urls;

use std::path::{Path, PathBuf};

pub use context::{JourneyTable, Link};
pub use markdown::{render_block, render_inline, safe_url};
pub use pages::{SiteRenderer, TableCache};
pub use sanitize::{escape as escape_text, sanitize_html};
pub use templates::{ASSETS, BUILTIN, Templates};

use crate::model::Site;

/// Where rendered files go, one by one, from several threads: the output folder in a
/// build, a list in tests.
///
/// A sink calls `write` once with a writer for the file: a page is written whole, the
/// print page and the search index in parts as they are produced, so that neither is ever
/// held in memory as one buffer (on a 10,000-persona site they are 276 MB and 224 MB).
pub type Sink<'a> = dyn Fn(&str, &mut Contents<'_>) -> Result<(), RenderError> + Sync + 'a;

/// Writes a file's bytes into the writer it is given.
pub type Contents<'c> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'c;

/// Hands a file held whole to a sink.
pub fn put(sink: &Sink<'_>, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
    sink(path, &mut |w| w.write_all(bytes))
}

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

pub struct RenderOptions<'a> {
    /// Adds `changes/index.html`, linked from the home page.
    pub changes: Option<ChangesPage>,
    /// Overrides `base_url` of tabiji.toml.
    pub base_url: Option<String>,
    /// The site folder, for its `templates/`; `None` uses only the built-in templates.
    pub site_root: Option<&'a Path>,
    /// Render every page through its Tera template, even where tabiji has a faster
    /// equivalent of a built-in one; the output is the same (tests compare both).
    pub tera_only: bool,
}

/// The built-in templates with the site's own `templates/` on top.
pub fn load_templates(site_root: Option<&Path>) -> Result<Templates, RenderError> {
    templates::load(site_root)
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

/// Every page and built-in asset of the site, in path order.
pub fn render_site(site: &Site, opts: &RenderOptions<'_>) -> Result<Vec<OutputFile>, RenderError> {
    let files = std::sync::Mutex::new(Vec::new());
    render_site_to(site, opts, &|path, write| {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| RenderError::Io {
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

/// Render every page, the search index and the built-in assets, handing each file to `sink`
/// as soon as it is ready. Returns the number of HTML pages.
pub fn render_site_to(
    site: &Site,
    opts: &RenderOptions<'_>,
    sink: &Sink<'_>,
) -> Result<usize, RenderError> {
    render_site_with(site, opts, load_templates(opts.site_root)?, sink)
}

/// [`render_site_to`] with templates already loaded (`build` loads them while it loads the
/// site).
pub fn render_site_with(
    site: &Site,
    opts: &RenderOptions<'_>,
    mut templates: Templates,
    sink: &Sink<'_>,
) -> Result<usize, RenderError> {
    if opts.tera_only {
        templates = templates.tera_only();
    }
    let base = opts
        .base_url
        .clone()
        .unwrap_or_else(|| site.config.base_url.clone());
    let urls = urls::Urls::new(site, &base);
    // The search index is built beside the pages, not after them.
    let (pages, index) = rayon::join(
        || pages::render_pages(site, &templates, &base, opts.changes.as_ref(), sink),
        || {
            let t = std::time::Instant::now();
            let mut size = 0;
            let r = sink(crate::search::INDEX_PATH, &mut |w| {
                size = crate::search::write_index(site, &urls, w)?;
                Ok(())
            });
            if crate::profile::enabled() {
                eprintln!(
                    "search index: {:.1} ms, {size} B{}",
                    t.elapsed().as_secs_f64() * 1e3,
                    crate::profile::heap_note()
                );
            }
            r
        },
    );
    let pages = pages?;
    index?;
    for f in builtin_assets() {
        put(sink, &f.path, &f.bytes)?;
    }
    Ok(pages)
}
