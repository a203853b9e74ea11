//! Parsing the files of one load: each file's text decoded (or, unchanged, taken from the
//! [`ParseCache`]), registered under its id (duplicates and bad names reported), then parsed
//! on its own, in parallel.
//!
//! What comes out is a list of parsed files, not yet a site: [`super::assemble`] puts them
//! together.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::links::LinkRef;
use super::paths::{Kind, classify, id_of_stem, ignored, shown_path};
use super::{config, extras, journey, pages, quiz};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::Localized;
use crate::model::{
    Config, Department, Glossary, Id, Journey, Onboarding, Persona, Playbook, Quiz,
};
use crate::source::{FileId, SourceFile, SourceMap, Span, decode};
use crate::t;

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
    sources: std::collections::HashMap<String, CachedText>,
}

/// A file's bytes as last read, its text, and the offset of its first byte that is not UTF-8.
type CachedText = (Vec<u8>, Arc<SourceFile>, Option<usize>);

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

    /// A cache for one load only (`check`, `build`): nothing is kept for a next load.
    pub(super) fn one_shot() -> ParseCache {
        ParseCache {
            one_shot: true,
            ..ParseCache::default()
        }
    }
}

/// A file to load: its path, and its bytes (to compare with the cache) or, for a one-shot
/// load, its text already decoded.
pub(super) struct Input<'a> {
    pub(super) path: std::borrow::Cow<'a, str>,
    pub(super) bytes: &'a [u8],
    pub(super) decoded: Option<(String, Option<usize>)>,
    /// Already decoded and parsed, its text let go (a build: [`super::load_dir_releasing`]).
    pub(super) ready: Option<Ready>,
}

/// What parsing one file gives.
pub(super) type ParsedFile = (Parsed, Arc<Diagnostics>, Arc<Vec<LinkRef>>);

/// A file decoded and parsed as it was read, under the `FileId` its place in the sorted
/// file list gives it.
pub(super) struct Ready {
    pub(super) source: Arc<SourceFile>,
    pub(super) bad: Option<usize>,
    pub(super) file: FileId,
    /// `None` when the file is not UTF-8.
    pub(super) parsed: Option<ParsedFile>,
}

/// The files of one load, parsed: what [`super::assemble`] makes a site of.
pub(super) struct ParsedFiles {
    pub sources: SourceMap,
    /// Problems found so far: unreadable files, bad names, duplicate ids, parse errors.
    pub diagnostics: Diagnostics,
    pub known: KnownIds,
    pub parsed: Vec<ParsedFile>,
}

/// Decode, register and parse every file of a load, reusing and then refreshing `cache`.
pub(super) fn parse_all(
    mut files: Vec<Input<'_>>,
    display_prefix: &str,
    cache: &mut ParseCache,
    lap: &dyn Fn(&str),
) -> ParsedFiles {
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
                    t!(
                        "this file is not valid UTF-8 (first bad byte on line {line})",
                        "このファイルは UTF-8 ではありません（{line} 行目に UTF-8 として読めないバイトがあります）"
                    ),
                )
                .at(Span::new(file, offset..offset))
                .label(t!("invalid UTF-8 starts here", "ここから UTF-8 として読めません"))
                .hint(t!(
                    "save the file as UTF-8 (Shift_JIS and other encodings are not read)",
                    "UTF-8 で保存し直してください（Shift_JIS などほかの文字コードは読めません）"
                )),
            );
        }
        let (id, invalid) = id_of_stem(stem.as_deref());
        if let Some(e) = invalid {
            d.push(
                Diagnostic::error(
                    Code::InvalidId,
                    t!(
                        "invalid file name `{path}`: {e}",
                        "ファイル名 `{path}` は使えません: {e}";
                        path = f.path,
                        e = e.text()
                    ),
                )
                .at(Span::file_start(file))
                .hint(match e {
                    crate::model::IdError::TooLong(_) => super::table::id_hint(&e),
                    _ => t!(
                        "a file's name is its id: use letters and digits of any script, `-` and `_`",
                        "ファイル名がそのまま ID になります。文字と数字（どの言語のものでも可）、`-`、`_` を使ってください"
                    ),
                }),
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
                        t!(
                            "two files have the id `{id}` (after Unicode normalisation)",
                            "ID が `{id}` のファイルが 2 つあります（Unicode の正規化後）"
                        ),
                    )
                    .at(Span::file_start(file))
                    .hint({
                        let other = &sources.get(first).rel_path;
                        if other.nfc().collect::<String>() == sources.get(file).rel_path.nfc().collect::<String>() {
                            t!(
                                "`{other}` has the same name written in another Unicode form (macOS writes NFD); delete or rename one of them",
                                "`{other}` は同じ名前を別の Unicode の形（macOS は NFD で書きます）で書いたものです。どちらかを削除するか名前を変えてください"
                            )
                        } else {
                            t!(
                                "`{other}` has the same id; rename one of them",
                                "`{other}` も同じ ID です。どちらかの名前を変えてください"
                            )
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
    case_clashes(&known, &sources, &mut d);
    if !has_config {
        d.push(
            Diagnostic::error(
                Code::MissingField,
                t!(
                    "the site has no tabiji.toml",
                    "サイトに tabiji.toml がありません"
                ),
            )
            .hint(t!(
                "run `tabiji init` to start a site",
                "`tabiji init` でサイトを作ってください"
            )),
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
    ParsedFiles {
        sources,
        diagnostics: d,
        known,
        parsed,
    }
}

/// Ids of every content file that exists, whether or not it parsed: references to a broken
/// file are not reported a second time as references to nothing.
/// Ids of one kind that differ only in letter case become one output folder on macOS and
/// Windows (case-insensitive file systems): the second overwrites the first there.
fn case_clashes(known: &KnownIds, sources: &SourceMap, d: &mut Diagnostics) {
    for set in [
        &known.personas,
        &known.journeys,
        &known.departments,
        &known.playbooks,
    ] {
        let mut seen: std::collections::HashMap<String, FileId> = Default::default();
        for (id, &file) in set {
            let folded = id.as_str().to_lowercase();
            match seen.get(&folded) {
                Some(&first) => d.push(
                    Diagnostic::warning(
                        Code::CaseClash,
                        t!(
                            "the id `{id}` differs from another only in letter case",
                            "ID `{id}` は別の ID と大文字・小文字だけが違います"
                        ),
                    )
                    .at(Span::file_start(file))
                    .hint(super::table::case_clash_hint(&{
                        let other = &sources.get(first).rel_path;
                        // Spaces around the code in the Japanese sentence, as typeset.
                        crate::i18n::Text::new(format!("`{other}`"), format!(" `{other}` "))
                    })),
                ),
                None => {
                    seen.insert(folded, file);
                }
            }
        }
    }
}

#[derive(Default)]
pub(crate) struct KnownIds {
    pub personas: BTreeMap<Id, FileId>,
    pub journeys: BTreeMap<Id, FileId>,
    pub departments: BTreeMap<Id, FileId>,
    pub playbooks: BTreeMap<Id, FileId>,
    pub quizzes: BTreeMap<Id, FileId>,
    pub glossary: Option<FileId>,
}

impl KnownIds {
    fn of_kind(&mut self, kind: Kind) -> Option<&mut BTreeMap<Id, FileId>> {
        match kind {
            Kind::Persona => Some(&mut self.personas),
            Kind::Journey => Some(&mut self.journeys),
            Kind::Department => Some(&mut self.departments),
            Kind::Playbook => Some(&mut self.playbooks),
            Kind::Quiz => Some(&mut self.quizzes),
            Kind::Config | Kind::Glossary | Kind::Onboarding => None,
        }
    }
}

#[derive(Clone)]
pub(super) enum Parsed {
    Config(Box<Config>, bool),
    Persona(Arc<Persona>),
    Journey(Arc<Journey>),
    Department(Arc<Department>),
    Playbook(Arc<Playbook>),
    Quiz(Arc<Quiz>),
    Glossary(Glossary),
    Onboarding(Onboarding),
}

pub(super) fn parse_file(file: FileId, kind: Kind, id: Id, src: &str) -> ParsedFile {
    let mut d = Diagnostics::default();
    let mut l = Vec::new();
    let item = match kind {
        Kind::Config => {
            let (c, ok) = config::parse(file, src, &mut d);
            Parsed::Config(Box::new(c), ok)
        }
        Kind::Persona => Parsed::Persona(Arc::new(pages::persona(id, file, src, &mut l, &mut d))),
        Kind::Journey => Parsed::Journey(Arc::new(journey::parse(id, file, src, &mut l, &mut d))),
        Kind::Department => {
            Parsed::Department(Arc::new(pages::department(id, file, src, &mut l, &mut d)))
        }
        Kind::Playbook => {
            Parsed::Playbook(Arc::new(pages::playbook(id, file, src, &mut l, &mut d)))
        }
        Kind::Quiz => Parsed::Quiz(Arc::new(quiz::parse(id, file, src, &mut l, &mut d))),
        Kind::Glossary => Parsed::Glossary(extras::glossary(file, src, &mut l, &mut d)),
        Kind::Onboarding => Parsed::Onboarding(extras::onboarding(file, src, &mut l, &mut d)),
    };
    (item, Arc::new(d), Arc::new(l))
}
