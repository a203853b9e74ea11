//! Reading a site: files → source map → parsed content → one validated [`Site`].
//!
//! The loader never stops at the first problem. Each file is parsed on its own (in parallel),
//! then references between files are resolved, then coverage is measured; every problem on
//! the way becomes a [`Diagnostic`](crate::diagnostic::Diagnostic).

mod config;
mod coverage;
mod extras;
mod front_matter;
mod journey;
mod links;
mod pages;
mod resolve;
mod suggest;
mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

pub use crate::model::term_key;
pub use crate::source::{is_backup_file, is_editor_litter};
pub use config::normalize_base_url;
pub use coverage::Coverage;
pub use extras::parse_page_ref;
pub use front_matter::{Split, SplitError, split as split_front_matter};
pub use suggest::closest as closest_word;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{
    Config, Department, Glossary, Id, Journey, Onboarding, Persona, Playbook, Site,
};
use crate::source::{FileId, SourceFile, SourceMap, Span, decode, decode_owned};
use links::LinkRef;

/// A file of a site as bytes, with its path relative to the site root (`/`-separated).
#[derive(Clone, Debug)]
pub struct InputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Failures that stop loading altogether (exit status 2), as opposed to problems in the
/// content, which are diagnostics.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{} is not a tabiji site: there is no tabiji.toml in it", .0.display())]
    NotASite(PathBuf),
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The result of loading: the model, the files it came from, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub site: Site,
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
    pub coverage: Coverage,
}

/// The kind of content a file holds, decided by its path alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Config,
    Persona,
    Journey,
    Department,
    Playbook,
    Glossary,
    Onboarding,
}

/// Read `tabiji.toml` and everything under `content/` into memory.
pub fn read_dir(root: &Path) -> Result<Vec<InputFile>, LoadError> {
    // Read in parallel: on a large site the open/read/close calls add up.
    site_paths(root)?
        .into_par_iter()
        .map(|(path, abs)| {
            let bytes = std::fs::read(&abs).map_err(io(&abs))?;
            Ok(InputFile { path, bytes })
        })
        .collect()
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The files of a site folder that tabiji looks at: `tabiji.toml` first, then everything
/// under `content/` but hidden files and editor litter, as (site-relative path, path).
fn site_paths(root: &Path) -> Result<Vec<(String, PathBuf)>, LoadError> {
    let config = root.join("tabiji.toml");
    if !config.is_file() {
        return Err(LoadError::NotASite(root.to_path_buf()));
    }
    let content = root.join("content");
    let mut paths: Vec<(String, PathBuf)> = vec![("tabiji.toml".into(), config)];
    if content.is_dir() {
        for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&content).to_path_buf();
                LoadError::Io {
                    path,
                    source: e.into(),
                }
            })?;
            if !entry.file_type().is_file() || is_editor_litter(entry.file_name()) {
                continue;
            }
            let path = crate::source::relative_display(root, entry.path());
            if path.split('/').any(|c| c.starts_with('.')) {
                continue;
            }
            paths.push((path, entry.into_path()));
        }
    }
    Ok(paths)
}

/// Whether tabiji reads a file at this site-relative path (`content/personas/x.md`, …).
pub fn is_content_path(path: &str) -> bool {
    classify(path).is_some()
}

/// Load a site folder. `display_prefix` is put before every path in diagnostics (the SITE
/// argument as the user typed it).
pub fn load_dir(root: &Path, display_prefix: &str) -> Result<Loaded, LoadError> {
    let files = read_dir(root)?;
    Ok(load_files(files, display_prefix))
}

/// [`load_dir`] for a build: each file's text is let go once parsed, and read again from
/// the folder only if a diagnostic needs it. On a large site this keeps the texts (175 MB
/// for 10,000 personas) from sitting beside the whole model.
pub fn load_dir_releasing(root: &Path, display_prefix: &str) -> Result<Loaded, LoadError> {
    let t = std::time::Instant::now();
    let mut paths = site_paths(root)?;
    // The order `load_inputs` gives files, so that a file's place here is its `FileId`.
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    paths.dedup_by(|a, b| a.0 == b.0);
    let input = std::sync::atomic::AtomicU64::new(0);
    // Each file read, decoded, parsed and let go in one job: the thread that allocated a
    // text frees it and reads the next file into the same memory. (Read all first and
    // parsed later, on whichever thread, the texts left about 140 MB that the allocator
    // kept but could not reuse on a 10,000-persona site.)
    let inputs = paths
        .into_par_iter()
        .enumerate()
        .map(|(i, (path, abs))| {
            let bytes = std::fs::read(&abs).map_err(io(&abs))?;
            input.fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
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
    crate::memory::note_input(input.into_inner());
    let mut once = ParseCache {
        one_shot: true,
        ..ParseCache::default()
    };
    Ok(load_inputs(inputs, display_prefix, &mut once))
}

/// A file's id from its name: the name's id, or, for an invalid name, the name as it is
/// with what is wrong with it.
fn id_of_stem(stem: Option<&str>) -> (Id, Option<crate::model::IdError>) {
    match stem.map(Id::parse) {
        None => (Id::lookup(""), None),
        Some(Ok(id)) => (id, None),
        Some(Err(e)) => (Id::lookup(stem.unwrap_or("")), Some(e)),
    }
}

/// A path as diagnostics show it: behind the SITE argument as the user typed it.
fn shown_path(display_prefix: &str, p: &str) -> String {
    let prefix = display_prefix.trim_end_matches('/');
    if prefix.is_empty() || prefix == "." {
        p.to_string()
    } else {
        format!("{prefix}/{p}")
    }
}

/// Load a site from files in memory (a folder, a git revision, a test). `tabiji.toml` is
/// expected among them; without it the site has no stages and an error says so.
pub fn load_files(files: Vec<InputFile>, display_prefix: &str) -> Loaded {
    let mut once = ParseCache {
        one_shot: true,
        ..ParseCache::default()
    };
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

/// What parsing each file gave, kept between loads by `serve`: a file whose text is
/// unchanged (and whose place in the site is the same) is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    /// Skip the coverage warnings and summary (a live preview shows only errors).
    pub skip_coverage: bool,
    /// When the caller knows exactly which files changed since the last load (a watcher
    /// does), their paths: every other cached file is taken as unchanged without comparing
    /// its bytes. Used for one load, then cleared.
    pub changed_only: Option<std::collections::BTreeSet<String>>,
    entries: std::collections::HashMap<String, CachedParse>,
    /// Used for one load only (`check`, `build`): nothing is kept for a next load.
    one_shot: bool,
    /// Decoded files by path, with the bytes they came from.
    sources: std::collections::HashMap<String, (Vec<u8>, Arc<SourceFile>, Option<usize>)>,
}

struct CachedParse {
    file: FileId,
    source: Arc<SourceFile>,
    parsed: ParsedFile,
}

impl ParseCache {
    /// A cache for loads that need no coverage warnings or summary (`serve`).
    pub fn without_coverage() -> ParseCache {
        ParseCache {
            skip_coverage: true,
            ..ParseCache::default()
        }
    }
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

/// A file to load: its path, and its bytes (to compare with the cache) or, for a one-shot
/// load, its text already decoded.
struct Input<'a> {
    path: std::borrow::Cow<'a, str>,
    bytes: &'a [u8],
    decoded: Option<(String, Option<usize>)>,
    /// Already decoded and parsed, its text let go (a build: [`load_dir_releasing`]).
    ready: Option<Ready>,
}

/// What parsing one file gives.
type ParsedFile = (Parsed, Arc<Diagnostics>, Arc<Vec<LinkRef>>);

/// A file decoded and parsed as it was read, under the `FileId` its place in the sorted
/// file list gives it.
struct Ready {
    source: Arc<SourceFile>,
    bad: Option<usize>,
    file: FileId,
    /// `None` when the file is not UTF-8.
    parsed: Option<ParsedFile>,
}

fn load_inputs(mut files: Vec<Input<'_>>, display_prefix: &str, cache: &mut ParseCache) -> Loaded {
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
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let mut sources = SourceMap::default();
    let mut d = Diagnostics::default();
    // A file to parse, or parsed already.
    type Job = (FileId, Kind, Id, Option<ParsedFile>);
    let mut jobs: Vec<Job> = Vec::new();
    let mut known = KnownIds::default();
    let shown = |p: &str| shown_path(display_prefix, p);

    // Each site file's text: the cached one when the file is unchanged, else decoded (UTF-8
    // check, line index), in parallel; with whether it is new. `None` for other files.
    type Text = (
        Arc<SourceFile>,
        Option<usize>,
        bool,
        Option<(FileId, Option<ParsedFile>)>,
    );
    let texts: Vec<Option<Text>> = files
        .par_iter_mut()
        .map(|f| {
            classify(&f.path)?;
            if let Some(r) = f.ready.take() {
                return Some((r.source, r.bad, true, Some((r.file, r.parsed))));
            }
            let shown_path = shown(&f.path);
            let fresh = |(text, bad): (String, Option<usize>)| {
                let file = SourceFile::new(shown_path.clone(), f.path.to_string().into(), text);
                Some((Arc::new(file), bad, true, None))
            };
            if let Some(decoded) = f.decoded.take() {
                return fresh(decoded);
            }
            // The watcher says which files changed: the others need no byte comparison.
            let trusted = cache
                .changed_only
                .as_ref()
                .is_some_and(|c| !c.contains(&*f.path));
            match cache.sources.get(&*f.path) {
                Some((bytes, shared, bad))
                    if shared.rel_path == shown_path && (trusted || *bytes == f.bytes) =>
                {
                    Some((shared.clone(), *bad, false, None))
                }
                _ => fresh(decode(f.bytes)),
            }
        })
        .collect();
    let mut has_config = false;
    for (f, text) in files.into_iter().zip(texts) {
        let (Some((kind, stem)), Some((shared, bad_utf8, fresh, ready))) =
            (classify(&f.path), text)
        else {
            let id = sources.add(SourceFile::new(
                shown(&f.path),
                f.path.to_string().into(),
                String::new(),
            ));
            d.push(ignored(&f.path, Span::file_start(id)));
            continue;
        };
        has_config |= kind == Kind::Config;
        if fresh && !cache.one_shot {
            cache.sources.insert(
                f.path.to_string(),
                (f.bytes.to_vec(), shared.clone(), bad_utf8),
            );
        }
        let file = sources.add_shared(shared);
        if let Some(offset) = bad_utf8 {
            let line = sources.get(file).line(offset);
            d.push(
                Diagnostic::error(
                    Code::InvalidUtf8,
                    format!("this file is not valid UTF-8 (first bad byte on line {line})"),
                )
                .at(Span::new(file, offset..offset))
                .label("invalid UTF-8 starts here")
                .hint("save the file as UTF-8 (Shift_JIS and other encodings are not read)"),
            );
        }
        let (id, invalid) = id_of_stem(stem.as_deref());
        if let Some(e) = invalid {
            d.push(
                Diagnostic::error(
                    Code::InvalidId,
                    format!("invalid file name `{}`: {e}", f.path),
                )
                .at(Span::file_start(file))
                .hint("a file's name is its id: use letters and digits of any script, `-` and `_`"),
            );
        }
        if kind == Kind::Glossary {
            known.glossary = Some(file);
        }
        if let Some(set) = known.of_kind(kind) {
            if let Some(&first) = set.get(&id) {
                d.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("two files have the id `{id}` (after Unicode normalisation)"),
                    )
                    .at(Span::file_start(file))
                    .hint({
                        let other = &sources.get(first).rel_path;
                        if other.nfc().collect::<String>() == sources.get(file).rel_path.nfc().collect::<String>() {
                            format!("`{other}` has the same name written in another Unicode form (macOS writes NFD); delete or rename one of them")
                        } else {
                            format!("`{other}` has the same id; rename one of them")
                        }
                    }),
                );
                continue;
            }
            set.insert(id.clone(), file);
        }
        if bad_utf8.is_none() {
            // Parsed already under this `FileId` (as it always is), or parsed below.
            let parsed = ready.and_then(|(at, p)| if at == file { p } else { None });
            jobs.push((file, kind, id, parsed));
        }
    }
    if !has_config {
        d.push(
            Diagnostic::error(Code::MissingField, "the site has no tabiji.toml")
                .hint("run `tabiji init` to start a site"),
        );
    }

    lap("decoded");
    let results: Vec<(String, FileId, Option<ParsedFile>)> = jobs
        .into_par_iter()
        .map(|(file, kind, id, parsed)| {
            let f = sources.get_shared(file);
            // A one-shot load keeps no entries, so needs no path to key them by.
            let path = if cache.one_shot {
                String::new()
            } else {
                f.abs_path.to_string_lossy().into_owned()
            };
            if let Some(p) = parsed {
                return (path, file, Some(p));
            }
            let hit = cache
                .entries
                .get(&path)
                .is_some_and(|c| c.file == file && Arc::ptr_eq(&c.source, f));
            let fresh = (!hit).then(|| parse_file(file, kind, id, f.text()));
            (path, file, fresh)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    if cache.one_shot {
        // Nothing is kept for a next load (`build`, `check`): every file was parsed just
        // now, and no map of paths (20,000 on a large site) is filled only to be dropped.
        parsed.extend(results.into_iter().filter_map(|(_, _, fresh)| fresh));
    } else {
        let mut next = std::collections::HashMap::with_capacity(results.len());
        for (path, file, fresh) in results {
            let entry = match fresh {
                Some(p) => CachedParse {
                    file,
                    source: sources.get_shared(file).clone(),
                    parsed: p,
                },
                None => match cache.entries.remove(&path) {
                    Some(e) => e,
                    None => continue,
                },
            };
            parsed.push(entry.parsed.clone());
            next.insert(path, entry);
        }
        cache.entries = next;
    }
    cache.changed_only = None;
    if cache.sources.len() > sources.files().count() {
        let live: std::collections::HashSet<String> = sources
            .files()
            .map(|(_, f)| f.abs_path.to_string_lossy().into_owned())
            .collect();
        cache.sources.retain(|k, _| live.contains(k));
    }
    lap("parsed");

    let mut config = None;
    let mut site = Site {
        config: empty_config(),
        personas: BTreeMap::new(),
        journeys: BTreeMap::new(),
        departments: BTreeMap::new(),
        playbooks: BTreeMap::new(),
        glossary: None,
        onboarding: None,
    };
    let mut all_links = Vec::new();
    for (item, diags, links) in parsed {
        d.extend((*diags).clone());
        all_links.push(links);
        match item {
            Parsed::Config(c, ok) => config = Some((c, ok)),
            Parsed::Persona(p) => _ = site.personas.insert(p.id.clone(), p),
            Parsed::Journey(j) => _ = site.journeys.insert(j.id.clone(), j),
            Parsed::Department(x) => _ = site.departments.insert(x.id.clone(), x),
            Parsed::Playbook(p) => _ = site.playbooks.insert(p.id.clone(), p),
            Parsed::Glossary(g) => site.glossary = Some(g),
            Parsed::Onboarding(o) => site.onboarding = Some(o),
        }
    }
    let config_ok = match config {
        Some((c, ok)) => {
            site.config = c;
            ok
        }
        None => false,
    };
    // Files that could not be read at all get no coverage warnings: their gaps are not real.
    let unreadable: std::collections::BTreeSet<FileId> = d
        .iter()
        .filter(|x| {
            matches!(
                x.code,
                Code::InvalidUtf8
                    | Code::TomlSyntax
                    | Code::UnquotedKey
                    | Code::FrontMatterMissing
                    | Code::FrontMatterUnclosed
            )
        })
        .filter_map(|x| x.span.map(|s| s.file))
        .collect();
    lap("assembled");
    // References and coverage only read the site: they run side by side, and their
    // problems are added in the same order as if one ran after the other.
    let skip_coverage = cache.skip_coverage;
    let (resolved, (coverage, uncovered)) = rayon::join(
        || {
            let mut r = Diagnostics::default();
            resolve::resolve(
                &site,
                &known,
                config_ok,
                &unreadable,
                all_links.iter().flat_map(|l| l.iter()),
                &sources,
                &mut r,
            );
            r
        },
        || {
            let mut c = Diagnostics::default();
            let coverage = if skip_coverage {
                Coverage::default()
            } else {
                coverage::measure(&site, &known, config_ok, &unreadable, &mut c)
            };
            (coverage, c)
        },
    );
    d.extend(resolved);
    d.extend(uncovered);
    lap("coverage");
    d.sort(&sources);
    lap("sorted");
    Loaded {
        site,
        sources,
        diagnostics: d,
        coverage,
    }
}

/// Ids of every content file that exists, whether or not it parsed: references to a broken
/// file are not reported a second time as references to nothing.
#[derive(Default)]
pub(crate) struct KnownIds {
    pub personas: BTreeMap<Id, FileId>,
    pub journeys: BTreeMap<Id, FileId>,
    pub departments: BTreeMap<Id, FileId>,
    pub playbooks: BTreeMap<Id, FileId>,
    pub glossary: Option<FileId>,
}

impl KnownIds {
    fn of_kind(&mut self, kind: Kind) -> Option<&mut BTreeMap<Id, FileId>> {
        match kind {
            Kind::Persona => Some(&mut self.personas),
            Kind::Journey => Some(&mut self.journeys),
            Kind::Department => Some(&mut self.departments),
            Kind::Playbook => Some(&mut self.playbooks),
            Kind::Config | Kind::Glossary | Kind::Onboarding => None,
        }
    }
}

#[derive(Clone)]
enum Parsed {
    Config(Config, bool),
    Persona(Arc<Persona>),
    Journey(Arc<Journey>),
    Department(Arc<Department>),
    Playbook(Arc<Playbook>),
    Glossary(Glossary),
    Onboarding(Onboarding),
}

fn parse_file(file: FileId, kind: Kind, id: Id, src: &str) -> ParsedFile {
    let mut d = Diagnostics::default();
    let mut l = Vec::new();
    let item = match kind {
        Kind::Config => {
            let (c, ok) = config::parse(file, src, &mut d);
            Parsed::Config(c, ok)
        }
        Kind::Persona => Parsed::Persona(Arc::new(pages::persona(id, file, src, &mut l, &mut d))),
        Kind::Journey => Parsed::Journey(Arc::new(journey::parse(id, file, src, &mut l, &mut d))),
        Kind::Department => {
            Parsed::Department(Arc::new(pages::department(id, file, src, &mut l, &mut d)))
        }
        Kind::Playbook => {
            Parsed::Playbook(Arc::new(pages::playbook(id, file, src, &mut l, &mut d)))
        }
        Kind::Glossary => Parsed::Glossary(extras::glossary(file, src, &mut l, &mut d)),
        Kind::Onboarding => Parsed::Onboarding(extras::onboarding(file, src, &mut l, &mut d)),
    };
    (item, Arc::new(d), Arc::new(l))
}

fn empty_config() -> Config {
    Config {
        title: crate::model::Spanned::new(String::new(), Span::file_start(FileId(0))),
        language: crate::model::Language::Ja,
        base_url: "/".into(),
        description: None,
        phases: Vec::new(),
        stages: Vec::new(),
        rows: Vec::new(),
    }
}

/// What a path holds, and the stem that is its id. `None` for files tabiji does not read.
fn classify(path: &str) -> Option<(Kind, Option<String>)> {
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
        _ => return None,
    };
    let stem = name.strip_suffix(ext)?;
    Some((kind, Some(stem.to_string())))
}

fn ignored(path: &str, span: Span) -> Diagnostic {
    let hint = match path.rsplit_once('.') {
        Some((_, "md")) if path.starts_with("content/journeys/") => {
            "journeys are TOML files: `content/journeys/<id>.toml`".to_string()
        }
        Some((_, "toml")) if path.starts_with("content/personas/") || path.starts_with("content/playbooks/") || path.starts_with("content/departments/") => {
            "personas, departments and playbooks are Markdown files with TOML front matter: `<id>.md`".to_string()
        }
        _ => "tabiji reads tabiji.toml, content/{personas,departments,playbooks}/*.md, content/journeys/*.toml, content/glossary.toml and content/onboarding.toml; put images and other files in static/".to_string(),
    };
    Diagnostic::warning(Code::IgnoredFile, format!("`{path}` is not read by tabiji"))
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
