//! Reading a site: files → source map → parsed content → one validated [`Site`].
//!
//! The loader never stops at the first problem. Each file is parsed on its own (in parallel),
//! then references between files are resolved, then coverage is measured; every problem on
//! the way becomes a [`Diagnostic`](crate::diagnostic::Diagnostic).
//!
//! This file holds the ways in (a folder, a folder whose texts are let go once parsed, files
//! in memory, files with a [`ParseCache`]); `paths` says which files are read, `parse`
//! decodes and parses them, `assemble` makes one site of them and checks it as a whole.

mod assemble;
mod config;
mod coverage;
mod extras;
mod front_matter;
mod ime;
mod journey;
mod links;
mod method;
mod pages;
mod parse;
mod paths;
mod quiz;
mod resolve;
mod suggest;
mod table;
mod toml_syntax;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use config::{language_of, normalize_base_url};
pub use coverage::Coverage;
pub use extras::parse_page_ref;
pub use front_matter::{Split, SplitError, split as split_front_matter};
pub use parse::ParseCache;
pub use paths::is_content_path;
pub use suggest::question_of as did_you_mean_of;

use crate::diagnostic::Diagnostics;
use crate::model::Site;
use crate::source::{FileId, SourceFile, SourceMap, decode_owned};
use parse::{Input, Ready, parse_file};
use paths::{classify, id_of_stem, io, shown_path, site_paths};

/// A file of a site as bytes, with its path relative to the site root (`/`-separated).
#[derive(Clone, Debug)]
pub struct InputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Failures that stop loading altogether (exit status 2), as opposed to problems in the
/// content, which are diagnostics.
#[derive(Debug)]
pub enum LoadError {
    NotASite(PathBuf),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl crate::i18n::Localized for LoadError {
    fn text(&self) -> crate::i18n::Text {
        match self {
            LoadError::NotASite(p) => {
                let p = p.display();
                crate::t!(
                    "{p} is not a tabiji site: there is no tabiji.toml in it (`tabiji init {p}` creates one)",
                    "{p} は tabiji のサイトではありません（tabiji.toml がありません）。`tabiji init {p}` で作れます"
                )
            }
            LoadError::Io { path, source } => crate::i18n::cannot_read(path, source),
        }
    }
}
crate::localized_error!(LoadError);

/// The result of loading: the model, the files it came from, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub site: Site,
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
    pub coverage: Coverage,
}

/// Read `tabiji.toml` and everything under `content/` into memory.
/// Symbolic links that are not read are left out (`load_dir` reports them).
pub fn read_dir(root: &Path) -> Result<Vec<InputFile>, LoadError> {
    read_paths(site_paths(root)?.0)
}

fn read_paths(paths: paths::SitePaths) -> Result<Vec<InputFile>, LoadError> {
    // Read in parallel: on a large site the open/read/close calls add up.
    paths
        .into_par_iter()
        .map(|(path, abs)| {
            let bytes = std::fs::read(&abs).map_err(io(&abs))?;
            Ok(InputFile { path, bytes })
        })
        .collect()
}

/// Load a site folder. `display_prefix` is put before every path in diagnostics (the SITE
/// argument as the user typed it).
pub fn load_dir(root: &Path, display_prefix: &str) -> Result<Loaded, LoadError> {
    let (paths, links) = site_paths(root)?;
    let mut loaded = load_files(read_paths(paths)?, display_prefix);
    report_links(links, display_prefix, &mut loaded);
    Ok(loaded)
}

/// A warning for each symbolic link under `content/` that was not read.
fn report_links(links: Vec<paths::SkippedLink>, display_prefix: &str, loaded: &mut Loaded) {
    for link in links {
        let file = loaded.sources.add(SourceFile::new(
            shown_path(display_prefix, &link.path),
            link.path.clone().into(),
            String::new(),
        ));
        loaded.diagnostics.push(paths::skipped_link(
            &link,
            crate::source::Span::file_start(file),
        ));
    }
}

/// [`load_dir`] for a build: each file's text is let go once parsed, and read again from
/// the folder only if a diagnostic needs it. On a large site this keeps the texts (175 MB
/// for 10,000 personas) from sitting beside the whole model.
pub fn load_dir_releasing(root: &Path, display_prefix: &str) -> Result<Loaded, LoadError> {
    let t = std::time::Instant::now();
    let (mut paths, links) = site_paths(root)?;
    // The order `load_inputs` gives files, so that a file's place here is its `FileId`.
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    paths.dedup_by(|a, b| a.0 == b.0);
    // Each file read, decoded, parsed and let go in one job: the thread that allocated a
    // text frees it and reads the next file into the same memory. (Read all first and
    // parsed later, on whichever thread, the texts left about 140 MB that the allocator
    // kept but could not reuse on a 10,000-persona site.)
    let inputs = paths
        .into_par_iter()
        .enumerate()
        .map(|(i, (path, abs))| {
            let bytes = std::fs::read(&abs).map_err(io(&abs))?;
            let ready = classify(&path).map(|(kind, stem)| {
                let file = FileId(crate::source::to_u32(i));
                let (text, bad) = decode_owned(bytes);
                let source = SourceFile::released(
                    shown_path(display_prefix, &path),
                    path.clone().into(),
                    &text,
                    abs,
                );
                let parsed = bad
                    .is_none()
                    .then(|| parse_file(file, kind, id_of_stem(stem.as_deref()).0, &text));
                Ready {
                    source: Arc::new(source),
                    bad,
                    file,
                    parsed,
                }
            });
            Ok(Input {
                path: std::borrow::Cow::Owned(path),
                bytes: &[],
                decoded: None,
                ready,
            })
        })
        .collect::<Result<Vec<_>, LoadError>>()?;
    if crate::profile::enabled() {
        eprintln!(
            "load read and parsed: {:.1} ms{}",
            t.elapsed().as_secs_f64() * 1e3,
            crate::profile::heap_note()
        );
    }
    let mut once = ParseCache::one_shot();
    let mut loaded = load_inputs(inputs, display_prefix, &mut once);
    report_links(links, display_prefix, &mut loaded);
    Ok(loaded)
}

/// Load a site from files in memory (a folder, a git revision, a test). `tabiji.toml` is
/// expected among them; without it the site has no stages and an error says so.
pub fn load_files(files: Vec<InputFile>, display_prefix: &str) -> Loaded {
    let mut once = ParseCache::one_shot();
    load_decoded(files, display_prefix, &mut once)
}

fn load_decoded(files: Vec<InputFile>, display_prefix: &str, once: &mut ParseCache) -> Loaded {
    // Each file's bytes become its text in place (no copy), in parallel.
    let inputs: Vec<Input<'_>> = files
        .into_par_iter()
        .map(|f| Input {
            decoded: classify(&f.path).is_some().then(|| decode_owned(f.bytes)),
            path: std::borrow::Cow::Owned(f.path),
            bytes: &[],
            ready: None,
        })
        .collect();
    load_inputs(inputs, display_prefix, once)
}

/// [`load_files`] reusing, and then refreshing, a [`ParseCache`].
pub fn load_files_cached(
    files: Vec<&InputFile>,
    display_prefix: &str,
    cache: &mut ParseCache,
) -> Loaded {
    let inputs = files
        .into_iter()
        .map(|f| Input {
            path: std::borrow::Cow::Borrowed(f.path.as_str()),
            bytes: &f.bytes,
            decoded: None,
            ready: None,
        })
        .collect();
    load_inputs(inputs, display_prefix, cache)
}

/// What every load shares: each file parsed (or taken from the cache), then one site made of
/// them and checked.
fn load_inputs(files: Vec<Input<'_>>, display_prefix: &str, cache: &mut ParseCache) -> Loaded {
    let prof = crate::profile::enabled();
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        if prof {
            eprintln!(
                "load {what}: {:.1} ms{}",
                t0.elapsed().as_secs_f64() * 1e3,
                crate::profile::heap_note()
            )
        }
    };
    let parsed = parse::parse_all(files, display_prefix, cache, &lap);
    assemble::assemble(parsed, cache.skip_coverage, &lap)
}
