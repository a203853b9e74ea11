//! Integration tests of `tabiji build`: the binary is run on copies of sites in temporary
//! folders, and the pages it writes are parsed as HTML and queried with CSS selectors.
//!
//! - the sample site (repo root: `tabiji.toml` + `content/`): every contract page, and what
//!   each kind of page shows (stage strip, journey tables, stage/department/playbook pages,
//!   glossary anchors, onboarding checkboxes, the print page);
//! - `tests/fixtures/build/unicode/`: Japanese ids, hosted under `/sales/`: UTF-8 folders,
//!   percent-encoded links, and a link checker over every page;
//! - `tests/fixtures/build/hostile/`: script injection in every place content reaches HTML;
//! - determinism, failed builds leaving the old output alone, refused output folders;
//! - a site's own templates and static files; labels and `<html lang>`;
//! - `tests/fixtures/build/small/`: an insta snapshot of one journey table.
//!
//! Expected values are read from the site's own files (tabiji.toml, front matter, journey
//! TOML), so editing the sample content does not break these tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use scraper::{ElementRef, Html, Selector};

mod common;
use common::{copy_dir, copy_dir_ordered};

// ---------------------------------------------------------------------------------------------
// Harness: sites in temporary folders, running the binary
// ---------------------------------------------------------------------------------------------

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/build")
}

fn tabiji() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tabiji"));
    // The English messages; tests/messages.rs checks the Japanese.
    cmd.env("TABIJI_LANG", "en");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// A site at `<tempdir>/site`, so that outputs can go next to it (`<tempdir>/out`).
struct Site {
    tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn empty() -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        Site { tmp, root }
    }

    /// The sample site of the repository: its `tabiji.toml` and `content/`. (The repository's
    /// own `templates/` and `static/` are the built-in ones, so they are not copied.)
    fn sample() -> Site {
        let s = Site::empty();
        std::fs::copy(repo().join("tabiji.toml"), s.root.join("tabiji.toml")).unwrap();
        copy_dir(&repo().join("content"), &s.root.join("content"));
        s
    }

    fn fixture(name: &str) -> Site {
        let s = Site::empty();
        let from = fixtures().join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        copy_dir(&from, &s.root);
        s
    }

    fn path(&self) -> &Path {
        &self.root
    }

    /// The temporary folder holding the site (the site's parent).
    fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// `tabiji build SITE ARGS…`: (exit status, stdout, stderr).
    fn run_build(&self, args: &[&str]) -> (i32, String, String) {
        let out = tabiji()
            .arg("build")
            .arg(&self.root)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().expect("tabiji was killed by a signal"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Build into SITE/public; the build must succeed.
    fn build(&self) -> Out {
        self.build_with(&[], self.root.join("public"), "/")
    }

    /// Build with extra arguments; the output is expected in `out`, with links under `base`.
    fn build_with(&self, args: &[&str], out: PathBuf, base: &str) -> Out {
        let (code, stdout, stderr) = self.run_build(args);
        assert_eq!(
            code, 0,
            "build failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            out.join("index.html").is_file(),
            "no index.html in {}",
            out.display()
        );
        Out {
            root: out,
            base: base.to_string(),
        }
    }
}

/// A built site.
struct Out {
    root: PathBuf,
    /// The `base_url` the site was built with, e.g. `/` or `/sales/`.
    base: String,
}

impl Out {
    fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    fn page(&self, rel: &str) -> Html {
        let p = self.root.join(rel);
        let text = std::fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
        Html::parse_document(&text)
    }

    /// Every `.html` file, relative, with `/` separators, sorted.
    fn html_files(&self) -> Vec<String> {
        tree(&self.root)
            .into_keys()
            .filter(|k| k.ends_with(".html"))
            .collect()
    }

    /// The URL of a page as tabiji writes it: `{base}{folder}/{encoded id}/`.
    fn url(&self, folder: &str, id: &str) -> String {
        format!("{}{folder}/{}/", self.base, enc(id))
    }

    fn home(&self) -> String {
        self.base.clone()
    }
}

/// Every file (path → bytes) and folder (`path/` → empty) under `root`.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if e.file_type().unwrap().is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &e.path(), out);
            } else {
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    walk(root, root, &mut out);
    out
}

/// Every file and folder under `root` with its bytes and modification time.
fn tree_with_mtimes(root: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    tree(root)
        .into_iter()
        .map(|(k, v)| {
            let m = std::fs::metadata(root.join(k.trim_end_matches('/')))
                .unwrap()
                .modified()
                .unwrap();
            (k, (v, m))
        })
        .collect()
}

#[track_caller]
fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let ka: BTreeSet<&String> = a.keys().collect();
    let kb: BTreeSet<&String> = b.keys().collect();
    assert_eq!(ka, kb, "{what}: different files");
    let differing: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty(),
        "{what}: these files differ: {differing:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// URLs and HTML helpers
// ---------------------------------------------------------------------------------------------

/// Unreserved characters of RFC 3986 stay; everything else (every non-ASCII byte) is escaped.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn enc(id: &str) -> String {
    utf8_percent_encode(id, UNRESERVED).to_string()
}

fn dec(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("`{s}` is not UTF-8 once decoded: {e}"))
        .into_owned()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector `{s}`: {e:?}"))
}

fn all<'a>(html: &'a Html, s: &str) -> Vec<ElementRef<'a>> {
    html.select(&sel(s)).collect()
}

fn within<'a>(el: ElementRef<'a>, s: &str) -> Vec<ElementRef<'a>> {
    el.select(&sel(s)).collect()
}

#[track_caller]
fn one<'a>(html: &'a Html, s: &str) -> ElementRef<'a> {
    let found = all(html, s);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one `{s}`, found {}",
        found.len()
    );
    found[0]
}

#[track_caller]
fn one_in<'a>(el: ElementRef<'a>, s: &str) -> ElementRef<'a> {
    let found = within(el, s);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one `{s}` in {}",
        el.html()
    );
    found[0]
}

/// The text of an element, whitespace collapsed.
fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The element's own text nodes only (not its children's), trimmed.
fn own_text(el: ElementRef<'_>) -> String {
    el.children()
        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
        .collect::<String>()
        .trim()
        .to_string()
}

fn href(el: ElementRef<'_>) -> String {
    el.attr("href")
        .unwrap_or_else(|| panic!("no href on {}", el.html()))
        .to_string()
}

/// Every `id` in a page.
fn ids(html: &Html) -> BTreeSet<String> {
    all(html, "[id]")
        .into_iter()
        .filter_map(|e| e.attr("id").map(str::to_string))
        .collect()
}

/// Hrefs of every link under `el`, in document order.
fn hrefs(el: ElementRef<'_>) -> Vec<String> {
    within(el, "a[href]").into_iter().map(href).collect()
}

// ---------------------------------------------------------------------------------------------
// Reading a site's sources, for expected values
// ---------------------------------------------------------------------------------------------

struct StageDef {
    id: String,
    name: String,
    phase: Option<String>,
    owner: Option<String>,
}

struct Config {
    stages: Vec<StageDef>,
    rows: Vec<(String, String)>,
    /// phase id → name
    phases: BTreeMap<String, String>,
}

fn str_of(v: &toml::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| x.as_str()).map(str::to_string)
}

fn strs_of(v: &toml::Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(|x| x.as_array())
        .map_or(Vec::new(), |a| {
            a.iter().map(|x| x.as_str().unwrap().to_string()).collect()
        })
}

fn read_config(site: &Path) -> Config {
    let v: toml::Value =
        toml::from_str(&std::fs::read_to_string(site.join("tabiji.toml")).unwrap()).unwrap();
    let arr = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
    };
    Config {
        stages: arr("stages")
            .iter()
            .map(|s| StageDef {
                id: str_of(s, "id").unwrap(),
                name: str_of(s, "name").unwrap(),
                phase: str_of(s, "phase"),
                owner: str_of(s, "owner"),
            })
            .collect(),
        rows: arr("rows")
            .iter()
            .map(|r| (str_of(r, "id").unwrap(), str_of(r, "name").unwrap()))
            .collect(),
        phases: arr("phases")
            .iter()
            .map(|p| (str_of(p, "id").unwrap(), str_of(p, "name").unwrap()))
            .collect(),
    }
}

/// Consecutive stages of the same phase: (phase name, stage names).
fn phase_groups(c: &Config) -> Vec<(Option<String>, Vec<String>)> {
    let mut groups: Vec<(Option<String>, Option<String>, Vec<String>)> = Vec::new();
    for s in &c.stages {
        match groups.last_mut() {
            Some((p, _, names)) if *p == s.phase => names.push(s.name.clone()),
            _ => groups.push((
                s.phase.clone(),
                s.phase.as_ref().map(|p| c.phases[p].clone()),
                vec![s.name.clone()],
            )),
        }
    }
    groups
        .into_iter()
        .map(|(_, name, stages)| (name, stages))
        .collect()
}

/// `content/<kind>/*.<ext>`: id → file text, in id order.
fn content_files(site: &Path, kind: &str, ext: &str) -> BTreeMap<String, String> {
    let dir = site.join("content").join(kind);
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|x| x.to_str()) == Some(ext) {
            out.insert(
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            );
        }
    }
    out
}

/// (front matter, body) of a `+++` Markdown file.
fn front_matter(text: &str) -> (toml::Value, String) {
    let rest = text
        .strip_prefix("+++")
        .expect("front matter")
        .trim_start_matches(['\r', '\n']);
    let end = rest.find("\n+++").expect("closing +++");
    let fm: toml::Value = toml::from_str(&rest[..end]).unwrap();
    let body = rest[end + 4..].to_string();
    (fm, body)
}

struct Journey {
    id: String,
    persona: String,
    v: toml::Value,
}

impl Journey {
    fn stage(&self, stage: &str) -> Option<&toml::Value> {
        self.v.get("stages").and_then(|s| s.get(stage))
    }

    fn cell(&self, stage: &str, row: &str) -> Option<String> {
        self.stage(stage).and_then(|s| str_of(s, row))
    }

    fn emotion(&self, stage: &str) -> Option<i64> {
        self.stage(stage)
            .and_then(|s| s.get("emotion"))
            .and_then(|e| e.as_integer())
    }

    /// Departments of this stage's tasks, in order of first appearance, with their counts.
    fn task_groups(&self, stage: &str) -> Vec<(String, usize)> {
        let mut groups: Vec<(String, usize)> = Vec::new();
        let tasks = self
            .stage(stage)
            .and_then(|s| s.get("tasks"))
            .and_then(|t| t.as_array())
            .cloned()
            .unwrap_or_default();
        for t in tasks {
            let d = str_of(&t, "department").unwrap();
            match groups.iter_mut().find(|(g, _)| *g == d) {
                Some(g) => g.1 += 1,
                None => groups.push((d, 1)),
            }
        }
        groups
    }
}

fn journeys(site: &Path) -> Vec<Journey> {
    content_files(site, "journeys", "toml")
        .into_iter()
        .map(|(id, text)| {
            let v: toml::Value = toml::from_str(&text).unwrap();
            Journey {
                id,
                persona: str_of(&v, "persona").unwrap(),
                v,
            }
        })
        .collect()
}

struct Playbook {
    id: String,
    title: String,
    /// `stage`, or every stage of `stages`.
    stages: Vec<String>,
    order: Option<i64>,
    body: String,
}

fn playbooks(site: &Path) -> Vec<Playbook> {
    content_files(site, "playbooks", "md")
        .into_iter()
        .map(|(id, text)| {
            let (fm, body) = front_matter(&text);
            Playbook {
                id,
                title: str_of(&fm, "title").unwrap(),
                stages: match str_of(&fm, "stage") {
                    Some(one) => vec![one],
                    None => fm["stages"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect(),
                },
                order: fm.get("order").and_then(|o| o.as_integer()),
                body,
            }
        })
        .collect()
}

/// Playbooks of a stage by `order` (absent = last), then id.
fn playbooks_of<'a>(all: &'a [Playbook], stage: &str) -> Vec<&'a Playbook> {
    let mut v: Vec<&Playbook> = all
        .iter()
        .filter(|p| p.stages.iter().any(|s| s == stage))
        .collect();
    v.sort_by(|a, b| {
        (a.order.unwrap_or(i64::MAX), &a.id).cmp(&(b.order.unwrap_or(i64::MAX), &b.id))
    });
    v
}

/// Task-list items (`- [ ]`, `- [x]`) of a Markdown body.
fn task_list_items(body: &str) -> usize {
    body.lines()
        .map(str::trim_start)
        .filter(|l| {
            ["- [ ] ", "- [x] ", "- [X] ", "* [ ] ", "* [x] "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .count()
}

fn names_of(site: &Path, kind: &str) -> BTreeMap<String, String> {
    content_files(site, kind, "md")
        .into_iter()
        .map(|(id, text)| (id, str_of(&front_matter(&text).0, "name").unwrap()))
        .collect()
}

struct Term {
    term: String,
    reading: Option<String>,
}

fn terms(site: &Path) -> Vec<Term> {
    let v: toml::Value =
        toml::from_str(&std::fs::read_to_string(site.join("content/glossary.toml")).unwrap())
            .unwrap();
    v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| Term {
            term: str_of(t, "term").unwrap(),
            reading: str_of(t, "reading"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The link checker
// ---------------------------------------------------------------------------------------------

/// Check every `href`, `src` and `action` of every page of `out`: each is a fragment of the
/// page itself, an external `https://`/`http://`/`mailto:`/`tel:` URL, or starts with the base
/// URL; internal paths are ASCII (ids percent-encoded), resolve to a file of the output
/// (`x/` → `x/index.html`) and their fragments to an `id` of the target page.
/// Returns the number of internal links checked.
fn check_links(out: &Out, allow_plain_http: bool) -> usize {
    check_links_except(out, allow_plain_http, |_, _| false)
}

/// [`check_links`], skipping the links for which `known_bug(page, url)` holds.
fn check_links_except(
    out: &Out,
    allow_plain_http: bool,
    known_bug: impl Fn(&str, &str) -> bool,
) -> usize {
    let mut errors: Vec<String> = Vec::new();
    let mut id_cache: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut ids_of = |rel: &str| -> Option<BTreeSet<String>> {
        if !rel.ends_with(".html") {
            return None;
        }
        Some(
            id_cache
                .entry(rel.to_string())
                .or_insert_with(|| ids(&out.page(rel)))
                .clone(),
        )
    };
    let mut checked = 0;
    for page in out.html_files() {
        let html = out.page(&page);
        let own_ids = ids(&html);
        for el in all(&html, "[href], [src], [action]") {
            for attr in ["href", "src", "action"] {
                let Some(url) = el.attr(attr) else { continue };
                if known_bug(&page, url) {
                    continue;
                }
                let at = format!("{page}: <{} {attr}=\"{url}\">", el.value().name());
                if let Some(frag) = url.strip_prefix('#') {
                    if !frag.is_empty() && !own_ids.contains(&dec(frag)) {
                        errors.push(format!("{at}: no id `{}` in the page", dec(frag)));
                    }
                    continue;
                }
                let Some(rest) = url.strip_prefix(out.base.as_str()) else {
                    let external = url.starts_with("https://")
                        || url.starts_with("mailto:")
                        || url.starts_with("tel:")
                        || (allow_plain_http && url.starts_with("http://"));
                    if !external {
                        errors.push(format!("{at}: neither under `{}` nor external", out.base));
                    }
                    continue;
                };
                checked += 1;
                let (path, frag) = match rest.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (rest, None),
                };
                if !path.is_ascii() || path.contains(' ') {
                    errors.push(format!("{at}: the path is not percent-encoded"));
                }
                if path.contains('?') {
                    errors.push(format!("{at}: a query string"));
                }
                let mut file = dec(path);
                if file.is_empty() || file.ends_with('/') {
                    file.push_str("index.html");
                }
                if !out.exists(&file) {
                    errors.push(format!("{at}: no file `{file}` in the output"));
                    continue;
                }
                if let Some(frag) = frag.filter(|f| !f.is_empty()) {
                    match ids_of(&file) {
                        Some(target) if target.contains(&dec(frag)) => {}
                        Some(_) => errors.push(format!("{at}: no id `{}` in `{file}`", dec(frag))),
                        None => {
                            errors.push(format!("{at}: a fragment on a file that is not a page"))
                        }
                    }
                }
            }
        }
    }
    // The search index (an addition to the contract), when there is one: every `u` is a link.
    if out.exists("search/index.json") {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.root.join("search/index.json")).unwrap())
                .unwrap();
        let mut urls = Vec::new();
        collect_key(&json, "u", &mut urls);
        for url in urls {
            let at = format!("search/index.json: \"{url}\"");
            let Some(rest) = url.strip_prefix(out.base.as_str()) else {
                errors.push(format!("{at}: not under `{}`", out.base));
                continue;
            };
            checked += 1;
            let (path, frag) = rest.split_once('#').unwrap_or((rest, ""));
            let mut file = dec(path);
            if file.is_empty() || file.ends_with('/') {
                file.push_str("index.html");
            }
            if !file.ends_with(".html") || !out.exists(&file) {
                errors.push(format!("{at}: no page `{file}`"));
            } else if !frag.is_empty() && !ids_of(&file).unwrap().contains(&dec(frag)) {
                errors.push(format!("{at}: no id `{}` in `{file}`", dec(frag)));
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} broken links:\n{}",
        errors.len(),
        errors.join("\n")
    );
    checked
}

/// Every string value of `key`, anywhere in a JSON document.
fn collect_key(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match x.as_str() {
                    Some(s) if k == key => out.push(s.to_string()),
                    _ => collect_key(x, key, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_key(x, key, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The sample site
// ---------------------------------------------------------------------------------------------

/// Everything the contract promises for the sample site, checked against its sources.
#[test]
fn sample_site_every_contract_page_exists() {
    let site = Site::sample();
    let out = site.build();
    let mut expected = vec![
        "index.html".to_string(),
        "404.html".into(),
        "print/index.html".into(),
        "glossary/index.html".into(),
        "onboarding/index.html".into(),
        "assets/tabiji.css".into(),
        "assets/tabiji.js".into(),
    ];
    for kind in ["personas", "departments", "playbooks"] {
        expected.extend(
            content_files(site.path(), kind, "md")
                .keys()
                .map(|id| format!("{kind}/{id}/index.html")),
        );
    }
    expected.extend(
        journeys(site.path())
            .iter()
            .map(|j| format!("journeys/{}/index.html", j.id)),
    );
    expected.extend(
        read_config(site.path())
            .stages
            .iter()
            .map(|s| format!("stages/{}/index.html", s.id)),
    );
    assert!(
        expected.contains(&"personas/情シス課長/index.html".to_string()),
        "the sample has a Unicode persona id"
    );
    let missing: Vec<&String> = expected.iter().filter(|p| !out.exists(p)).collect();
    assert!(missing.is_empty(), "missing pages: {missing:?}");
    // Other files are welcome additions (e.g. a search index), but no leftovers of the build.
    let hidden: Vec<String> = tree(&out.root)
        .into_keys()
        .filter(|k| k != ".tabiji-output")
        .filter(|k| k.split('/').any(|c| c.starts_with('.')))
        .collect();
    assert!(hidden.is_empty(), "hidden files in the output: {hidden:?}");
    // Every page is a whole document, in Japanese.
    for page in out.html_files() {
        let html = out.page(&page);
        assert_eq!(html.root_element().attr("lang"), Some("ja"), "{page}");
        assert_eq!(all(&html, "main").len(), 1, "{page}: one <main>");
        assert!(!text(one(&html, "title")).is_empty(), "{page}: a <title>");
    }
    let nf = out.page("404.html");
    assert!(!text(one(&nf, "main h1")).is_empty());
    assert!(
        hrefs(one(&nf, "main")).contains(&out.home()),
        "404 links home"
    );
}

#[test]
fn sample_site_links_all_resolve() {
    let site = Site::sample();
    let out = site.build();
    let n = check_links(&out, false);
    assert!(n > 500, "only {n} internal links checked");
}

#[test]
fn sample_home_page() {
    let site = Site::sample();
    let out = site.build();
    let cfg = read_config(site.path());
    let home = out.page("index.html");

    // The stage strip: stages in tabiji.toml order, grouped by phase, each with its owner.
    let strip = one(&home, "#stages .stage-strip");
    let groups: Vec<(Option<String>, Vec<String>)> = within(strip, ".phase-group")
        .into_iter()
        .map(|g| {
            let name = within(g, ".phase-name").first().map(|n| text(*n));
            let stages = within(g, ".stage-card .stage-name")
                .into_iter()
                .map(text)
                .collect();
            (name, stages)
        })
        .collect();
    assert_eq!(groups, phase_groups(&cfg));
    let cards = within(strip, ".stage-card");
    assert_eq!(cards.len(), cfg.stages.len());
    for (card, s) in cards.iter().zip(&cfg.stages) {
        let links = hrefs(*card);
        assert_eq!(
            links.first(),
            Some(&out.url("stages", &s.id)),
            "stage card of {}",
            s.id
        );
        match &s.owner {
            Some(o) => assert_eq!(
                hrefs(one_in(*card, ".owner")),
                vec![out.url("departments", o)],
                "owner of {}",
                s.id
            ),
            None => assert!(within(*card, ".owner a").is_empty()),
        }
    }

    // A card for every persona, linking to the persona and to each of its journeys.
    let personas = names_of(site.path(), "personas");
    let section = one(&home, "#personas");
    let cards = within(section, ".persona-card");
    assert_eq!(cards.len(), personas.len());
    let links: BTreeSet<String> = hrefs(section).into_iter().collect();
    for (id, name) in &personas {
        assert!(
            links.contains(&out.url("personas", id)),
            "no card for persona {id}"
        );
        assert!(
            cards.iter().any(|c| text(one_in(*c, "h3")) == *name),
            "no card named {name}"
        );
    }
    for j in journeys(site.path()) {
        assert!(
            links.contains(&out.url("journeys", &j.id)),
            "no link to journey {}",
            j.id
        );
    }

    // Every department.
    let departments = names_of(site.path(), "departments");
    let section = one(&home, "#departments");
    let links: BTreeSet<String> = hrefs(section).into_iter().collect();
    for id in departments.keys() {
        assert!(
            links.contains(&out.url("departments", id)),
            "no card for department {id}"
        );
    }
}

/// The journey table of one journey on its own page, checked against the journey's TOML.
fn check_journey_table(
    out: &Out,
    cfg: &Config,
    j: &Journey,
    table: ElementRef<'_>,
    require_full: bool,
) {
    let n = cfg.stages.len();
    // Column headers: the stage names in order, each linking to the persona at that stage.
    let heads = within(table, "thead th[scope=col]");
    assert_eq!(heads.len(), n, "{}: one column per stage", j.id);
    for (th, s) in heads.iter().zip(&cfg.stages) {
        let a = within(*th, "a")[0];
        assert_eq!(text(a), s.name, "{}: column header", j.id);
        assert_eq!(
            href(a),
            format!("{}{}/", out.url("personas", &j.persona), enc(&s.id)),
            "{}: column header link",
            j.id
        );
        if let Some(o) = &s.owner {
            assert!(
                hrefs(*th).contains(&out.url("departments", o)),
                "{}: owner of {} in the header",
                j.id,
                s.id
            );
        }
    }
    // Phase band: colspans add up to the stage count, names in order.
    if !cfg.phases.is_empty() {
        let band = within(table, "thead tr.phase-band th");
        let spans: Vec<usize> = band
            .iter()
            .map(|b| b.attr("colspan").unwrap_or("1").parse().unwrap())
            .collect();
        assert_eq!(
            spans.iter().sum::<usize>(),
            n,
            "{}: phase band colspans",
            j.id
        );
        let expected: Vec<(String, usize)> = phase_groups(cfg)
            .into_iter()
            .map(|(name, st)| (name.unwrap_or_default(), st.len()))
            .collect();
        let got: Vec<(String, usize)> = band.iter().map(|b| text(*b)).zip(spans).collect();
        assert_eq!(got, expected, "{}: phase band", j.id);
    }
    // Row headers: the row names in order; cells per stage.
    let rows = within(table, "tbody.customer-rows > tr");
    let names: Vec<String> = rows
        .iter()
        .map(|r| text(one_in(*r, "th[scope=row]")))
        .collect();
    assert_eq!(
        names,
        cfg.rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
        "{}: row headers",
        j.id
    );
    for (tr, (row_id, _)) in rows.iter().zip(&cfg.rows) {
        let cells = within(*tr, "td");
        assert_eq!(
            cells.len(),
            n,
            "{}: row {row_id} has one cell per stage",
            j.id
        );
        for (td, s) in cells.iter().zip(&cfg.stages) {
            let written = j.cell(&s.id, row_id).is_some_and(|c| !c.trim().is_empty());
            let shown = within(*td, ".empty").is_empty() && !text(*td).is_empty();
            if require_full {
                assert!(
                    written,
                    "{}: the sample fills every cell ({}, {row_id})",
                    j.id, s.id
                );
            }
            assert_eq!(
                shown,
                written,
                "{}: cell ({}, {row_id}): {}",
                j.id,
                s.id,
                td.html()
            );
        }
    }
    // The emotion row: one SVG in each column whose stage has an emotion.
    let has_emotion = cfg.stages.iter().any(|s| j.emotion(&s.id).is_some());
    let emotion = within(table, "tbody.emotion-row td");
    if has_emotion {
        assert_eq!(emotion.len(), n, "{}: one emotion cell per stage", j.id);
        for (td, s) in emotion.iter().zip(&cfg.stages) {
            let svgs = within(*td, "svg").len();
            assert_eq!(
                svgs,
                usize::from(j.emotion(&s.id).is_some()),
                "{}: emotion SVG at {}",
                j.id,
                s.id
            );
        }
    } else {
        assert!(
            emotion.is_empty(),
            "{}: no emotion row without emotions",
            j.id
        );
    }
    // Tasks grouped by department (order of first appearance), linking to department pages.
    let has_tasks = cfg.stages.iter().any(|s| !j.task_groups(&s.id).is_empty());
    let task_cells = within(table, "tr.row-tasks > td");
    if has_tasks {
        assert_eq!(task_cells.len(), n, "{}: one task cell per stage", j.id);
        for (td, s) in task_cells.iter().zip(&cfg.stages) {
            let got: Vec<(String, usize)> = within(*td, ".task-group")
                .into_iter()
                .map(|g| (href(within(g, "a[href]")[0]), within(g, "ul > li").len()))
                .collect();
            let expected: Vec<(String, usize)> = j
                .task_groups(&s.id)
                .into_iter()
                .map(|(d, c)| (out.url("departments", &d), c))
                .collect();
            assert_eq!(got, expected, "{}: tasks at {}", j.id, s.id);
        }
    } else {
        assert!(task_cells.is_empty());
    }
}

#[test]
fn sample_journey_pages() {
    let site = Site::sample();
    let out = site.build();
    let cfg = read_config(site.path());
    let js = journeys(site.path());
    assert!(!js.is_empty());
    for j in &js {
        let page = out.page(&format!("journeys/{}/index.html", j.id));
        let table = one(&page, "main table.journey-table");
        check_journey_table(&out, &cfg, j, table, true);
        // The journey links back to its persona.
        assert!(
            hrefs(one(&page, "main")).contains(&out.url("personas", &j.persona)),
            "{}",
            j.id
        );
    }
}

#[test]
fn sample_persona_pages_embed_their_journeys() {
    let site = Site::sample();
    let out = site.build();
    let cfg = read_config(site.path());
    let js = journeys(site.path());
    for (id, name) in names_of(site.path(), "personas") {
        let page = out.page(&format!("personas/{id}/index.html"));
        assert_eq!(text(one(&page, "main h1")), name);
        let mine: Vec<&Journey> = js.iter().filter(|j| j.persona == id).collect();
        let tables = all(&page, "main table.journey-table");
        assert_eq!(
            tables.len(),
            mine.len(),
            "persona {id}: one table per journey"
        );
        let links = hrefs(one(&page, "main"));
        for (j, table) in mine.iter().zip(tables) {
            assert!(
                links.contains(&out.url("journeys", &j.id)),
                "persona {id} links journey {}",
                j.id
            );
            check_journey_table(&out, &cfg, j, table, true);
        }
    }
}

#[test]
fn sample_stage_pages() {
    let site = Site::sample();
    let out = site.build();
    let cfg = read_config(site.path());
    let js = journeys(site.path());
    let pbs = playbooks(site.path());
    let personas = names_of(site.path(), "personas");
    let mut seen_reordered = false;
    for (i, s) in cfg.stages.iter().enumerate() {
        let page = out.page(&format!("stages/{}/index.html", s.id));
        assert_eq!(text(one(&page, "main h1")), s.name);
        // Previous / next.
        let prev: Vec<String> = all(&page, "main a[rel=prev]")
            .into_iter()
            .map(href)
            .collect();
        let next: Vec<String> = all(&page, "main a[rel=next]")
            .into_iter()
            .map(href)
            .collect();
        let expect_prev: Vec<String> = i
            .checked_sub(1)
            .map(|p| out.url("stages", &cfg.stages[p].id))
            .into_iter()
            .collect();
        let expect_next: Vec<String> = cfg
            .stages
            .get(i + 1)
            .map(|n| out.url("stages", &n.id))
            .into_iter()
            .collect();
        assert_eq!(prev, expect_prev, "{}: previous", s.id);
        assert_eq!(next, expect_next, "{}: next", s.id);
        // Playbooks in `order`.
        let got: Vec<String> = all(&page, "section[aria-labelledby=tj-playbooks-title] h3 a")
            .into_iter()
            .map(href)
            .collect();
        let mine = playbooks_of(&pbs, &s.id);
        let expected: Vec<String> = mine.iter().map(|p| out.url("playbooks", &p.id)).collect();
        assert_eq!(got, expected, "{}: playbooks by order", s.id);
        let mut by_id: Vec<&str> = mine.iter().map(|p| p.id.as_str()).collect();
        by_id.sort();
        seen_reordered |= by_id != mine.iter().map(|p| p.id.as_str()).collect::<Vec<_>>();
        // Each persona's cells: one column per journey, every row, non-empty where written.
        let table = one(&page, "main table.stage-table");
        let cols = within(table, "thead th[scope=col]");
        assert_eq!(cols.len(), js.len(), "{}: one column per journey", s.id);
        for (th, j) in cols.iter().zip(&js) {
            let links = hrefs(*th);
            assert!(
                links.contains(&format!(
                    "{}{}/",
                    out.url("personas", &j.persona),
                    enc(&s.id)
                )),
                "{}: column of {}",
                s.id,
                j.id
            );
            assert!(
                text(*th).contains(&personas[&j.persona]),
                "{}: persona name in the column head",
                s.id
            );
        }
        // The customer's rows (the seller's side follows in a tbody of its own).
        let rows = within(table, "tbody:not(.seller-rows) > tr");
        assert_eq!(rows.len(), cfg.rows.len());
        for (tr, (row_id, row_name)) in rows.iter().zip(&cfg.rows) {
            assert_eq!(text(one_in(*tr, "th")), *row_name);
            let cells = within(*tr, "td");
            assert_eq!(cells.len(), js.len());
            for (td, j) in cells.iter().zip(&js) {
                let written = j.cell(&s.id, row_id).is_some();
                assert!(written, "the sample fills every cell");
                assert!(
                    within(*td, ".empty").is_empty() && !text(*td).is_empty(),
                    "{}: cell {row_id} of {}",
                    s.id,
                    j.id
                );
            }
        }
        // Tasks by department: every task of every journey at this stage, once.
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        for j in &js {
            for (d, c) in j.task_groups(&s.id) {
                *expected.entry(out.url("departments", &d)).or_default() += c;
            }
        }
        let mut got: BTreeMap<String, usize> = BTreeMap::new();
        for g in all(&page, "main section.task-group") {
            let dept = href(one_in(g, "h3 a"));
            assert!(
                got.insert(dept.clone(), within(g, "ul > li").len())
                    .is_none(),
                "{}: {dept} twice",
                s.id
            );
        }
        assert_eq!(got, expected, "{}: tasks by department", s.id);
    }
    assert!(
        seen_reordered,
        "the sample has a stage whose playbooks' `order` differs from id order"
    );
}

#[test]
fn sample_department_pages() {
    let site = Site::sample();
    let out = site.build();
    let cfg = read_config(site.path());
    let js = journeys(site.path());
    let departments = content_files(site.path(), "departments", "md");
    for (id, source) in &departments {
        let (fm, _) = front_matter(source);
        let page = out.page(&format!("departments/{id}/index.html"));
        assert_eq!(text(one(&page, "main h1")), str_of(&fm, "name").unwrap());
        // The chain: an SVG linking every department.
        let svg = one(&page, "main svg.department-chain");
        let links: BTreeSet<String> = within(svg, "a").into_iter().map(href).collect();
        let every: BTreeSet<String> = departments
            .keys()
            .map(|d| out.url("departments", d))
            .collect();
        assert_eq!(links, every, "{id}: the chain shows every department");
        // Clients and suppliers.
        for (label, key) in [("顧客", "clients"), ("サプライヤー", "suppliers")] {
            let dt = all(&page, "main dt")
                .into_iter()
                .find(|dt| text(*dt).starts_with(label))
                .unwrap_or_else(|| panic!("{id}: no `{label}` term"));
            let dd = dt
                .next_siblings()
                .find_map(ElementRef::wrap)
                .expect("a <dd> after the <dt>");
            assert_eq!(dd.value().name(), "dd");
            let expected: Vec<String> = strs_of(&fm, key)
                .iter()
                .map(|d| out.url("departments", d))
                .collect();
            assert_eq!(hrefs(dd), expected, "{id}: {key}");
        }
        // Tasks grouped by stage, in stage order, with the number of tasks of each.
        let got: Vec<(String, usize)> = all(&page, "main section.task-stage")
            .into_iter()
            .map(|sec| {
                (
                    href(within(sec, "h3 a")[0]),
                    within(sec, ".task-group ul > li").len(),
                )
            })
            .collect();
        let expected: Vec<(String, usize)> = cfg
            .stages
            .iter()
            .filter_map(|s| {
                let n: usize = js
                    .iter()
                    .flat_map(|j| j.task_groups(&s.id))
                    .filter(|(d, _)| d == id)
                    .map(|(_, c)| c)
                    .sum();
                (n > 0).then(|| (out.url("stages", &s.id), n))
            })
            .collect();
        assert!(!expected.is_empty(), "every sample department has tasks");
        assert_eq!(got, expected, "{id}: tasks by stage");
    }
}

#[test]
fn sample_playbook_pages() {
    let site = Site::sample();
    let out = site.build();
    let cfg = read_config(site.path());
    let mut checkboxes = 0;
    for p in playbooks(site.path()) {
        let page = out.page(&format!("playbooks/{}/index.html", p.id));
        assert_eq!(text(one(&page, "main h1")), p.title);
        let boxes = all(&page, "main input[type=checkbox]").len();
        assert_eq!(
            boxes,
            task_list_items(&p.body),
            "{}: one checkbox per task-list item",
            p.id
        );
        checkboxes += boxes;
        // Breadcrumbs: home → … → stage → the playbook itself.
        let crumbs = one(&page, "nav.breadcrumbs");
        let links = hrefs(crumbs);
        assert_eq!(
            links.first(),
            Some(&out.home()),
            "{}: breadcrumbs start at home",
            p.id
        );
        assert_eq!(
            links.last(),
            Some(&out.url("stages", &p.stages[0])),
            "{}: the stage is the last link",
            p.id
        );
        let stage_name = &cfg
            .stages
            .iter()
            .find(|s| s.id == p.stages[0])
            .unwrap()
            .name;
        assert_eq!(
            text(within(crumbs, "a").last().copied().unwrap()),
            *stage_name
        );
        let items = within(crumbs, "li");
        let current = items.last().unwrap();
        assert_eq!(current.attr("aria-current"), Some("page"));
        assert_eq!(
            text(*current),
            p.title,
            "{}: the playbook closes the breadcrumbs",
            p.id
        );
    }
    assert!(checkboxes > 0, "the sample has task lists");
}

#[test]
fn sample_glossary_sorted_with_anchors_that_links_reach() {
    let site = Site::sample();
    let out = site.build();
    let glossary = out.page("glossary/index.html");
    let mut expected = terms(site.path());
    expected.sort_by(|a, b| {
        (a.reading.as_deref().unwrap_or(&a.term), &a.term)
            .cmp(&(b.reading.as_deref().unwrap_or(&b.term), &b.term))
    });
    let dts = all(&glossary, "main dt");
    let got: Vec<String> = dts.iter().map(|d| own_text(*d)).collect();
    assert_eq!(
        got,
        expected.iter().map(|t| t.term.clone()).collect::<Vec<_>>(),
        "terms sorted by reading"
    );
    // One anchor per term: the nearest element with an id, at or above the <dt>.
    let anchor_of = |dt: ElementRef<'_>| -> String {
        std::iter::once(dt)
            .chain(dt.ancestors().filter_map(ElementRef::wrap))
            .find_map(|e| e.attr("id").map(str::to_string))
            .expect("a term with an anchor")
    };
    let anchors: Vec<String> = dts.iter().map(|d| anchor_of(*d)).collect();
    let unique: BTreeSet<&String> = anchors.iter().collect();
    assert_eq!(
        unique.len(),
        anchors.len(),
        "anchors are unique: {anchors:?}"
    );
    assert!(!anchors.contains(&"main".to_string()));
    let term_at: BTreeMap<String, String> =
        anchors.iter().cloned().zip(got.iter().cloned()).collect();

    // `glossary:` links from content resolve to those anchors, and to the right term.
    let mut reached = 0;
    for page in out.html_files() {
        let html = out.page(&page);
        for a in all(&html, "main a[href]") {
            let h = href(a);
            let Some(frag) = h.strip_prefix(&format!("{}glossary/#", out.base)) else {
                continue;
            };
            let anchor = dec(frag);
            let term = term_at
                .get(&anchor)
                .unwrap_or_else(|| panic!("{page}: {h} reaches no term"));
            assert_eq!(
                text(a).to_lowercase(),
                term.to_lowercase(),
                "{page}: {h} reaches the wrong term"
            );
            reached += 1;
        }
    }
    assert!(reached > 0, "some page links to a term with `glossary:`");
    // The persona 情シス課長 links チャンピオン.
    let p = out.page("personas/情シス課長/index.html");
    let a = all(&p, "main .prose a")
        .into_iter()
        .find(|a| text(*a) == "チャンピオン")
        .expect("a link to チャンピオン");
    let anchor = dec(href(a).split_once('#').unwrap().1);
    assert_eq!(term_at[&anchor], "チャンピオン");
}

#[test]
fn sample_onboarding_has_a_checkbox_per_step() {
    let site = Site::sample();
    let out = site.build();
    let v: toml::Value = toml::from_str(&site.read("content/onboarding.toml")).unwrap();
    let steps = v["steps"].as_array().unwrap();
    let page = out.page("onboarding/index.html");
    assert_eq!(text(one(&page, "main h1")), v["title"].as_str().unwrap());
    assert_eq!(all(&page, "main input[type=checkbox]").len(), steps.len());
    // Each step links every page it names.
    let links: BTreeSet<String> = hrefs(one(&page, "main")).into_iter().collect();
    for step in steps {
        for p in step["pages"].as_array().unwrap() {
            let p = p.as_str().unwrap();
            let url = match p.split_once('/') {
                Some((kind, id)) => out.url(kind, id),
                None => format!("{}{p}/", out.base),
            };
            assert!(links.contains(&url), "onboarding links {p} as {url}");
        }
    }
}

#[test]
fn sample_print_page_holds_everything() {
    let site = Site::sample();
    let out = site.build();
    let page = out.page("print/index.html");
    let main = one(&page, "main");
    let headings: Vec<String> = within(main, "h1, h2, h3, h4")
        .into_iter()
        .map(text)
        .collect();
    let has_heading = |s: &str| headings.iter().any(|h| h.starts_with(s));
    for name in names_of(site.path(), "personas").values() {
        assert!(has_heading(name), "persona {name} on the print page");
    }
    let js = journeys(site.path());
    assert_eq!(
        within(main, "table.journey-table").len(),
        js.len(),
        "every journey table"
    );
    let captions: Vec<String> = within(main, "figure figcaption a")
        .into_iter()
        .map(href)
        .collect();
    for j in &js {
        assert!(
            captions.contains(&out.url("journeys", &j.id)),
            "journey {} on the print page",
            j.id
        );
    }
    for p in playbooks(site.path()) {
        assert!(
            has_heading(&p.title),
            "playbook {} on the print page",
            p.title
        );
    }
    for name in names_of(site.path(), "departments").values() {
        assert!(has_heading(name), "department {name} on the print page");
    }
    let dts: Vec<String> = within(main, "dt").into_iter().map(text).collect();
    for t in terms(site.path()) {
        assert!(
            dts.iter().any(|d| d.starts_with(&t.term)),
            "term {} on the print page",
            t.term
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Unicode ids under a sub-path
// ---------------------------------------------------------------------------------------------

const UNICODE_IDS: &[(&str, &str)] = &[
    ("personas", "情シス課長"),
    ("personas", "経理部長"),
    ("journeys", "情シス課長-新規"),
    ("stages", "検討"),
    ("stages", "認知"),
    ("departments", "営業"),
    ("departments", "マーケ"),
    ("playbooks", "ヒアリング"),
];

fn check_unicode_site(out: &Out) {
    for (kind, id) in UNICODE_IDS {
        let file = out.root.join(kind).join(id).join("index.html");
        assert!(file.is_file(), "{} (a UTF-8 folder name)", file.display());
    }
    // Every link starts with the base URL (or is a fragment or external).
    for page in out.html_files() {
        let html = out.page(&page);
        for el in all(&html, "[href], [src], [action]") {
            for attr in ["href", "src", "action"] {
                let Some(url) = el.attr(attr) else { continue };
                assert!(
                    url.starts_with(&out.base)
                        || url.starts_with('#')
                        || url.starts_with("https://")
                        || url.starts_with("mailto:"),
                    "{page}: {attr}=\"{url}\" is not under {}",
                    out.base
                );
            }
        }
    }
    // Ids are percent-encoded in links.
    let home = out.page("index.html");
    let links: BTreeSet<String> = all(&home, "a[href]").into_iter().map(href).collect();
    for (kind, id) in [
        ("personas", "情シス課長"),
        ("stages", "検討"),
        ("departments", "営業"),
    ] {
        let url = out.url(kind, id);
        assert!(url.is_ascii());
        assert!(
            links.contains(&url),
            "home links {kind}/{id} as {url}; links: {links:?}"
        );
    }
    assert_eq!(
        out.url("personas", "情シス課長"),
        format!(
            "{}personas/%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7/",
            out.base
        )
    );
    // A link with a fragment to a Japanese heading of another page.
    let persona = out.page("personas/情シス課長/index.html");
    let a = all(&persona, "main .prose a")
        .into_iter()
        .find(|a| text(*a) == "聞くこと")
        .expect("the link to 聞くこと");
    let (path, frag) = href(a)
        .split_once('#')
        .map(|(p, f)| (p.to_string(), f.to_string()))
        .unwrap();
    assert_eq!(path, out.url("playbooks", "ヒアリング"));
    assert!(ids(&out.page("playbooks/ヒアリング/index.html")).contains(&dec(&frag)));
    check_links_except(out, false, |_, _| false);
}

#[test]

fn print_page_in_body_fragment_links_resolve() {
    let site = Site::fixture("unicode");
    let out = site.build();
    let print = out.page("print/index.html");
    let ids = ids(&print);
    let broken: Vec<String> = all(&print, "main a[href^='#']")
        .into_iter()
        .map(href)
        .filter(|h| h.len() > 1 && !ids.contains(&dec(&h[1..])))
        .collect();
    assert!(
        broken.is_empty(),
        "links to ids missing from the print page: {:?}",
        broken.iter().map(|h| dec(h)).collect::<Vec<_>>()
    );
}

/// The print page holds several documents: their heading ids must not collide.
#[test]
fn print_page_ids_are_unique() {
    for site in [Site::sample(), Site::fixture("unicode")] {
        let out = site.build();
        let print = out.page("print/index.html");
        let mut seen = BTreeSet::new();
        for el in all(&print, "[id]") {
            let id = el.attr("id").unwrap();
            assert!(
                seen.insert(id.to_string()),
                "duplicate id `{id}` on the print page"
            );
        }
    }
}

#[test]
fn unicode_ids_with_base_url_flag() {
    let site = Site::fixture("unicode");
    let out = site.build_with(
        &["--base-url", "/sales/"],
        site.path().join("public"),
        "/sales/",
    );
    check_unicode_site(&out);
}

#[test]
fn unicode_ids_with_base_url_in_config_without_trailing_slash() {
    let flag = Site::fixture("unicode");
    let by_flag = flag.build_with(
        &["--base-url", "/sales/"],
        flag.path().join("public"),
        "/sales/",
    );

    let site = Site::fixture("unicode");
    let cfg = site.read("tabiji.toml");
    site.write(
        "tabiji.toml",
        &cfg.replacen(
            "language = \"ja\"",
            "language = \"ja\"\nbase_url = \"/sales\"",
            1,
        ),
    );
    let out = site.build_with(&[], site.path().join("public"), "/sales/");
    check_unicode_site(&out);
    // `base_url = "/sales"` and `--base-url /sales/` mean the same.
    assert_same_tree(
        &tree(&by_flag.root),
        &tree(&out.root),
        "base_url in tabiji.toml vs --base-url",
    );
}

#[test]
fn unicode_ids_at_the_root() {
    let site = Site::fixture("unicode");
    let out = site.build();
    check_unicode_site(&out);
}

#[test]
fn absolute_base_url() {
    let site = Site::fixture("unicode");
    let base = "https://docs.example.com/sales/";
    let out = site.build_with(&["--base-url", base], site.path().join("public"), base);
    check_links_except(&out, false, |_, _| false);
    let home = out.page("index.html");
    assert_eq!(href(one(&home, "a.brand")), base);
}

#[test]
fn bad_base_url_is_a_usage_error() {
    let site = Site::fixture("small");
    let (code, _, stderr) = site.run_build(&["--base-url", "sales/"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(!site.path().join("public").exists());
}

/// macOS writes file names in NFD; ids are NFC (docs/format.md), and so are output folders
/// and links, whichever form the file name or the link uses.
#[test]
fn nfd_file_names_give_nfc_folders_and_links() {
    use unicode_normalization::UnicodeNormalization;
    let site = Site::fixture("small");
    let nfd: String = "ガイド".nfd().collect();
    assert_ne!(nfd, "ガイド");
    site.write(
        &format!("content/personas/{nfd}.md"),
        &format!("+++\nname = \"Guide\"\n+++\nNFC [a](persona:ガイド), NFD [b](persona:{nfd}).\n"),
    );
    let out = site.build();
    assert!(out.exists("personas/ガイド/index.html"), "an NFC folder");
    let page = out.page("personas/ガイド/index.html");
    let links = hrefs(one(&page, "main .prose"));
    assert_eq!(links, vec![out.url("personas", "ガイド"); 2]);
    check_links(&out, false);
}

/// No two elements of a page share an id (a body's heading ids included).
#[track_caller]
fn assert_unique_ids(out: &Out) {
    for page in out.html_files() {
        let html = out.page(&page);
        let mut seen = BTreeSet::new();
        for el in all(&html, "[id]") {
            let id = el.attr("id").unwrap();
            assert!(seen.insert(id.to_string()), "{page}: duplicate id `{id}`");
        }
    }
}

#[test]
fn every_page_has_unique_ids() {
    for site in [
        Site::sample(),
        Site::fixture("unicode"),
        Site::fixture("hostile"),
        Site::fixture("small"),
    ] {
        assert_unique_ids(&site.build());
    }
}

#[test]
fn body_heading_ids_do_not_collide_with_template_ids() {
    let site = Site::fixture("small");
    site.write(
        "content/personas/p2.md",
        "+++\nname = \"Guide\"\n+++\n## Main\n\ntext\n\n## Journeys title\n\nx\n",
    );
    site.write(
        "content/onboarding.toml",
        "title = \"On\"\n[[steps]]\ntitle = \"a\"\nnote = \"## Step 1\\n\\nhello\"\n",
    );
    assert_unique_ids(&site.build());
}

// ---------------------------------------------------------------------------------------------
// 3. Hostile content
// ---------------------------------------------------------------------------------------------

/// Nothing from content can run or restyle the page.
fn assert_inert(out: &Out, page: &str, html: &Html) {
    let scripts = [
        format!("{}assets/tabiji.js", out.base),
        format!("{}assets/search.js", out.base),
    ];
    for s in all(html, "script") {
        assert!(
            scripts.iter().any(|js| s.attr("src") == Some(js.as_str())),
            "{page}: a <script> that is not tabiji.js or search.js: {}",
            s.html()
        );
        assert!(text(s).is_empty(), "{page}: an inline script");
    }
    for el in all(html, "*") {
        let name = el.value().name();
        assert!(
            ![
                "iframe", "frame", "object", "embed", "applet", "base", "meta"
            ]
            .contains(&name)
                || (name == "meta" && el.attr("http-equiv").is_none()),
            "{page}: a <{name}> element: {}",
            el.html()
        );
        for (attr, value) in el.value().attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "{page}: an event handler `{attr}` on <{name}>: {}",
                el.html()
            );
            assert!(
                !["style", "srcdoc", "formaction"].contains(&attr.as_str()),
                "{page}: `{attr}` on <{name}>: {}",
                el.html()
            );
            if [
                "href",
                "src",
                "action",
                "data",
                "poster",
                "background",
                "xlink:href",
                "srcset",
            ]
            .contains(&attr.as_str())
            {
                let v: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "data:", "vbscript:"] {
                    assert!(
                        !v.starts_with(scheme),
                        "{page}: a `{scheme}` URL in {attr} of <{name}>: {}",
                        el.html()
                    );
                }
            }
        }
    }
    // The only drawings are tabiji's own.
    for svg in all(html, "svg") {
        let class = svg.attr("class").unwrap_or("");
        assert!(
            class == "emotion-curve" || class == "department-chain",
            "{page}: an <svg> from content: {}",
            svg.html()
        );
    }
    // Heading attributes are reduced to an id.
    assert!(
        all(html, ".klass, .class").is_empty(),
        "{page}: a class from `{{.class}}`"
    );
    // Forms and buttons from content.
    assert!(
        all(html, "main form, main button, main textarea, main select").is_empty(),
        "{page}: a form control from content"
    );
    for input in all(html, "main input") {
        assert_eq!(
            input.attr("type"),
            Some("checkbox"),
            "{page}: {}",
            input.html()
        );
    }
}

#[test]
fn hostile_content_is_inert() {
    let site = Site::fixture("hostile");
    let out = site.build_with(&[], site.path().join("public"), "/");
    let pages = out.html_files();
    for must in [
        "personas/evil/index.html",
        "journeys/evil-new/index.html",
        "playbooks/evil-play/index.html",
        "glossary/index.html",
        "onboarding/index.html",
        "departments/sales/index.html",
    ] {
        assert!(pages.contains(&must.to_string()), "{must}");
    }
    for page in &pages {
        let html = out.page(page);
        assert_inert(&out, page, &html);
    }
    check_links(&out, false);
}

#[test]
fn hostile_text_is_shown_as_text() {
    let site = Site::fixture("hostile");
    let out = site.build_with(&[], site.path().join("public"), "/");
    let persona = out.page("personas/evil/index.html");
    assert_eq!(
        text(one(&persona, "main h1")),
        "\"><script>alert(\"name\")</script>"
    );
    assert!(
        text(one(&persona, "title")).starts_with("\"><script>"),
        "the <title> holds the name as text"
    );
    let prose = text(one(&persona, "main .prose"));
    assert!(
        prose.contains("Raw script: <script>alert(1)</script>"),
        "raw HTML is shown, not run: {prose}"
    );
    let glossary = out.page("glossary/index.html");
    assert!(
        all(&glossary, "main dt")
            .into_iter()
            .any(|d| own_text(d) == "\"><script>alert(1)</script>")
    );
    let onboarding = out.page("onboarding/index.html");
    assert_eq!(
        text(one(&onboarding, "main h1")),
        "<script>alert(\"onboarding\")</script>"
    );
    // Names from tabiji.toml too, in text and in attributes.
    let home = out.page("index.html");
    assert_eq!(
        text(one(&home, "a.brand")),
        "</title><script>alert(\"site title\")</script>"
    );
    assert_eq!(
        text(one(&home, "title")),
        "</title><script>alert(\"site title\")</script>"
    );
    let journey = out.page("journeys/evil-new/index.html");
    let row = one(&journey, "main tbody.customer-rows tr:first-child th");
    assert_eq!(text(row), "<script>alert(\"row\")</script>");
    assert_eq!(
        row.attr("title"),
        Some("\" onmouseover=\"alert(1)"),
        "the row description stays inside its attribute"
    );
    assert_eq!(
        text(all(&journey, "main tr.phase-band th")[0]),
        "<img src=x onerror=alert(\"phase\")>"
    );
    // `{#evil .klass onclick=…}` keeps its id only.
    let h = one(&persona, "main .prose h2#evil");
    assert_eq!(h.value().attrs().count(), 1, "{}", h.html());
}

/// `<br>`, `<kbd>` and `<details><summary>` written in content come out as elements.
#[test]
fn harmless_html_in_content_is_kept() {
    let site = Site::fixture("hostile");
    let out = site.build_with(&[], site.path().join("public"), "/");
    let texts =
        |html: &Html, s: &str| -> Vec<String> { all(html, s).into_iter().map(text).collect() };

    let persona = out.page("personas/evil/index.html");
    assert_eq!(texts(&persona, "main .prose kbd"), ["Ctrl", "C"]);
    assert!(!all(&persona, "main .prose br").is_empty());
    assert!(texts(&persona, "main .prose details > summary").contains(&"More".to_string()));

    let journey = out.page("journeys/evil-new/index.html");
    let table = one(&journey, "main table.journey-table");
    assert_eq!(
        within(table, "td kbd")
            .into_iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["Esc"]
    );
    assert_eq!(within(table, "td br").len(), 1);
    assert_eq!(
        within(table, "td details > summary")
            .into_iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["Note"]
    );

    let playbook = out.page("playbooks/evil-play/index.html");
    assert_eq!(texts(&playbook, "main .prose kbd"), ["Enter"]);
    assert_eq!(
        texts(&playbook, "main .prose details > summary"),
        ["Open me"]
    );
    assert_eq!(all(&playbook, "main input[type=checkbox]").len(), 2);

    let glossary = out.page("glossary/index.html");
    assert_eq!(texts(&glossary, "main dd kbd"), ["K", "safe"]);
    assert_eq!(all(&glossary, "main dd br").len(), 1);

    let onboarding = out.page("onboarding/index.html");
    assert_eq!(texts(&onboarding, "main .prose details > summary"), ["Why"]);
}

// ---------------------------------------------------------------------------------------------
// 4. Determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn builds_are_byte_identical() {
    let site = Site::sample();
    let a = site.tmp().join("out-a");
    let b = site.tmp().join("out-b");
    site.build_with(&["-o", a.to_str().unwrap()], a.clone(), "/");
    // The second one on a single thread.
    let run = tabiji()
        .env("RAYON_NUM_THREADS", "1")
        .arg("build")
        .arg(site.path())
        .arg("-o")
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let first = tree(&a);
    assert_same_tree(&first, &tree(&b), "two builds of the same site");

    // A copy somewhere else, its files created in reverse order, built from inside the folder.
    let other = tempfile::tempdir().unwrap();
    let copy = other.path().join("elsewhere/deeper/サイト");
    copy_dir_ordered(site.path(), &copy, true);
    let out = tabiji()
        .current_dir(&copy)
        .args(["build", "-o", "../out"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_tree(
        &first,
        &tree(&copy.parent().unwrap().join("out")),
        "a copy at another path",
    );

    // And into the default SITE/public.
    let default = site.build();
    assert_same_tree(&first, &tree(&default.root), "-o vs SITE/public");
}

// ---------------------------------------------------------------------------------------------
// 5. Failed builds and refused output folders
// ---------------------------------------------------------------------------------------------

/// No `.public.tabiji-new-*` / `-old-*` left next to the output.
#[track_caller]
fn assert_no_staging(dir: &Path) {
    let litter: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tabiji-new") || n.contains("tabiji-old"))
        .collect();
    assert!(litter.is_empty(), "staging folders left behind: {litter:?}");
}

#[test]
fn failed_builds_leave_the_output_untouched() {
    let site = Site::sample();
    let out = site.build();
    let before = tree_with_mtimes(&out.root);
    std::thread::sleep(std::time::Duration::from_millis(20));

    // A journey with an unknown row.
    site.write(
        "content/journeys/broken.toml",
        "persona = \"cfo\"\n\n[stages.unaware]\nno_such_row = \"x\"\n",
    );
    let (code, _, stderr) = site.run_build(&[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("broken.toml"),
        "the error names the file: {stderr}"
    );
    assert_eq!(
        tree_with_mtimes(&out.root),
        before,
        "an unknown row left the output alone"
    );
    assert_no_staging(site.path());
    std::fs::remove_file(site.path().join("content/journeys/broken.toml")).unwrap();

    // A user template that does not parse.
    site.write(
        "templates/journey.html",
        "{% extends \"base.html\" %}{% block content %}{{ journey.name {% endblock content %}",
    );
    let (code, _, stderr) = site.run_build(&[]);
    assert_eq!(code, 1, "a broken template is a content error: {stderr}");
    assert!(
        stderr.contains("journey.html"),
        "the error names the template: {stderr}"
    );
    assert_eq!(
        tree_with_mtimes(&out.root),
        before,
        "a broken template left the output alone"
    );
    assert_no_staging(site.path());

    // A user template that parses but fails while rendering.
    site.write("templates/journey.html", "{% extends \"base.html\" %}{% block content %}{{ no_such_variable }}{% endblock content %}");
    let (code, _, stderr) = site.run_build(&[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        tree_with_mtimes(&out.root),
        before,
        "a failing template left the output alone"
    );
    assert_no_staging(site.path());

    // Fixed: the next build replaces the output.
    std::fs::remove_file(site.path().join("templates/journey.html")).unwrap();
    site.write(
        "content/personas/cfo.md",
        &site
            .read("content/personas/cfo.md")
            .replace("取締役 管理本部長（CFO）", "管理本部長"),
    );
    site.build();
    let after = out.page("personas/cfo/index.html");
    assert_eq!(text(one(&after, "main h1")), "管理本部長");
    assert_no_staging(site.path());
}

/// A build writes nothing outside its output folder (nothing into the temporary folder), and
/// without a usable temporary folder the build is the same.
#[test]
fn builds_write_nothing_outside_the_output() {
    let site = Site::sample();
    let tmp = tempfile::tempdir().unwrap();
    let build = |tmpdir: &Path, out: &str| {
        let o = tabiji()
            .env("TMPDIR", tmpdir)
            .arg("build")
            .arg(site.path())
            .arg("-o")
            .arg(site.tmp().join(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    build(tmp.path(), "with-spills");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "a build left a file in the temporary folder"
    );
    build(&tmp.path().join("no-such-folder"), "in-memory");
    let a = tree_bytes(&site.tmp().join("with-spills"));
    let b = tree_bytes(&site.tmp().join("in-memory"));
    assert!(a.len() > 30, "{} files", a.len());
    assert!(a == b, "the output depends on the temporary folder");
}

/// Every file of an output folder, by path, with its bytes.
fn tree_bytes(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A journey whose task names a department that does not exist (`marketting`, line 7,
/// column 14): found only once every file is parsed.
const MISSPELT_DEPARTMENT: &str = "persona = \"cfo\"\n\n[stages.unaware]\nproblem = \"課題\"\n\n[[stages.unaware.tasks]]\ndepartment = \"marketting\"\ntask = \"資料を送る\"\n";

/// `build` lets each file's text go once parsed; an error found later (a reference to a
/// department that does not exist is found after every file is parsed) still points at
/// `file:line:column` and quotes the line, read again from the file.
#[test]
fn build_errors_found_after_parsing_quote_the_line() {
    let site = Site::sample();
    site.write("content/journeys/later.toml", MISSPELT_DEPARTMENT);
    let (code, _, stderr) = site.run_build(&[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/journeys/later.toml:7:14"),
        "the place of the reference: {stderr}"
    );
    assert!(
        stderr.contains("department = \"marketting\""),
        "the line, quoted: {stderr}"
    );
    assert!(stderr.contains("marketing"), "the suggestion: {stderr}");
}

#[test]
fn a_failed_first_build_writes_nothing() {
    let site = Site::fixture("small");
    site.write(
        "content/journeys/broken.toml",
        "persona = \"buyer\"\n\n[stages.aware]\nprobelm = \"typo\"\n",
    );
    let (code, _, stderr) = site.run_build(&[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("probelm"), "{stderr}");
    assert!(!site.path().join("public").exists());
    assert_no_staging(site.path());
}

#[test]

fn does_not_replace_a_folder_that_is_not_a_tabiji_output() {
    let site = Site::fixture("small");
    site.write(".git/HEAD", "ref: refs/heads/main\n");
    let docs = site.tmp().join("documents");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("thesis.txt"), "years of work").unwrap();
    for target in [site.path().join(".git"), docs] {
        let before = tree(site.tmp());
        let (code, _, _) = site.run_build(&["-o", target.to_str().unwrap()]);
        assert_eq!(
            code,
            2,
            "{} was accepted as an output folder",
            target.display()
        );
        assert_same_tree(&before, &tree(site.tmp()), "nothing touched");
    }
}

#[test]
fn a_stale_output_file_disappears_on_rebuild() {
    let site = Site::fixture("small");
    site.write(
        "content/playbooks/extra.md",
        "+++\ntitle = \"Extra\"\nstage = \"use\"\n+++\nSoon gone.\n",
    );
    let out = site.build();
    assert!(out.exists("playbooks/extra/index.html"));
    std::fs::write(out.root.join("stale.html"), "old").unwrap();
    std::fs::remove_file(site.path().join("content/playbooks/extra.md")).unwrap();
    site.build();
    assert!(!out.exists("stale.html"));
    assert!(
        !out.exists("playbooks/extra/index.html"),
        "a deleted playbook's page is gone"
    );
}

#[test]
fn refuses_output_folders_that_would_destroy_sources() {
    let site = Site::sample();
    // Another site next to it, and the whole temporary folder, recorded byte by byte.
    let other = site.tmp().join("other-site");
    std::fs::create_dir_all(other.join("content/personas")).unwrap();
    std::fs::write(
        other.join("content/personas/x.md"),
        "+++\nname = \"x\"\n+++\n",
    )
    .unwrap();
    std::fs::write(site.tmp().join("a-file"), "not a folder").unwrap();
    let before = tree(site.tmp());
    let s = site.path().to_str().unwrap().to_string();
    let cases: Vec<(String, Vec<String>, PathBuf)> = vec![
        (
            "-o SITE".into(),
            vec![s.clone(), "-o".into(), s.clone()],
            site.tmp().to_path_buf(),
        ),
        (
            "-o SITE/".into(),
            vec![s.clone(), "-o".into(), format!("{s}/")],
            site.tmp().to_path_buf(),
        ),
        (
            "-o the site's parent".into(),
            vec![s.clone(), "-o".into(), site.tmp().to_str().unwrap().into()],
            site.tmp().to_path_buf(),
        ),
        (
            "-o a folder holding content/".into(),
            vec![s.clone(), "-o".into(), other.to_str().unwrap().into()],
            site.tmp().to_path_buf(),
        ),
        (
            "-o SITE/content".into(),
            vec![s.clone(), "-o".into(), format!("{s}/content")],
            site.tmp().to_path_buf(),
        ),
        (
            "-o inside content/".into(),
            vec![s.clone(), "-o".into(), format!("{s}/content/personas/out")],
            site.tmp().to_path_buf(),
        ),
        (
            "-o . inside the site".into(),
            vec!["-o".into(), ".".into()],
            site.path().to_path_buf(),
        ),
        (
            "-o .. from content/".into(),
            vec!["..".into(), "-o".into(), "..".into()],
            site.path().join("content"),
        ),
        (
            "-o a file".into(),
            vec![
                s.clone(),
                "-o".into(),
                site.tmp().join("a-file").to_str().unwrap().into(),
            ],
            site.tmp().to_path_buf(),
        ),
        (
            "no tabiji.toml".into(),
            vec![format!("{s}/content")],
            site.tmp().to_path_buf(),
        ),
        (
            "no such folder".into(),
            vec![format!("{s}/nope")],
            site.tmp().to_path_buf(),
        ),
    ];
    for (what, args, cwd) in cases {
        let out = tabiji()
            .current_dir(&cwd)
            .arg("build")
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{what}: exit status; stderr: {stderr}"
        );
        assert!(!stderr.trim().is_empty(), "{what}: says why");
        assert_same_tree(
            &before,
            &tree(site.tmp()),
            &format!("{what}: nothing touched"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 6. A site's own templates and static files
// ---------------------------------------------------------------------------------------------

#[test]
fn site_templates_override_builtin_ones_by_name() {
    let site = Site::fixture("small");
    site.write(
        "templates/journey.html",
        "{% extends \"base.html\" %}\n{% block content %}<div id=\"custom-journey\" data-stages=\"{{ journey.stages | length }}\">{{ journey.name }} / {{ journey.persona.name }}</div>{% endblock content %}\n",
    );
    // Editor backups of templates are not templates.
    site.write("templates/journey.html~", "{% broken");
    site.write("templates/.journey.html.swp", "{% broken");
    let out = site.build();
    let page = out.page("journeys/buyer-new/index.html");
    let custom = one(&page, "main #custom-journey");
    assert_eq!(text(custom), "New customer / IT manager");
    assert_eq!(custom.attr("data-stages"), Some("3"));
    assert!(
        all(&page, "table.journey-table").is_empty(),
        "the built-in journey template is replaced"
    );
    // The other templates (and the journey-table macro) are still the built-in ones.
    let persona = out.page("personas/buyer/index.html");
    assert_eq!(all(&persona, "main table.journey-table").len(), 1);
    assert!(all(&persona, "#custom-journey").is_empty());
}

#[test]
fn site_static_files_are_copied() {
    let site = Site::fixture("small");
    let files: &[(&str, &[u8])] = &[
        ("static/robots.txt", b"User-agent: *\nDisallow:\n"),
        (
            "static/images/logo.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "static/docs/価格表.pdf",
            &[0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe],
        ),
        ("static/assets/extra.css", b"body { color: black; }"),
    ];
    for (rel, bytes) in files {
        let p = site.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let out = site.build();
    for (rel, bytes) in files {
        let target = rel.strip_prefix("static/").unwrap();
        assert_eq!(
            std::fs::read(out.root.join(target)).unwrap_or_else(|e| panic!("{target}: {e}")),
            *bytes,
            "{target}"
        );
    }
    // The built-in assets are still there.
    assert!(out.exists("assets/tabiji.css") && out.exists("assets/tabiji.js"));
    // A static file of the same name as a built-in asset replaces it.
    site.write("static/assets/tabiji.css", "/* mine */");
    let out = site.build();
    assert_eq!(
        std::fs::read_to_string(out.root.join("assets/tabiji.css")).unwrap(),
        "/* mine */"
    );
}

/// Was a bug (fixed in src/output.rs while these tests were written): a file in a skipped
/// dot-folder of `static/` made the build fail with exit 2 ("cannot write …/.well-known/…").
#[test]
fn static_dot_folders_do_not_break_the_build() {
    let site = Site::fixture("small");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:security@example.com\n",
    );
    let (code, _, stderr) = site.run_build(&[]);
    assert_eq!(code, 0, "{stderr}");
    // "static/: copied as is into the output".
    assert!(
        site.path()
            .join("public/.well-known/security.txt")
            .is_file()
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Snapshot of one journey table
// ---------------------------------------------------------------------------------------------

#[test]
fn journey_table_snapshot() {
    let site = Site::fixture("small");
    let out = site.build();
    let page = out.page("journeys/buyer-new/index.html");
    let table = one(&page, "table.journey-table");
    // One table row per line, for a readable snapshot.
    let html = table.html().replace('\n', "");
    let html = html
        .replace("<tr", "\n<tr")
        .replace("</thead>", "\n</thead>")
        .replace("</tbody>", "\n</tbody>");
    let html = html
        .replace("<thead", "\n<thead")
        .replace("<tbody", "\n<tbody")
        .replace("</table>", "\n</table>");
    insta::assert_snapshot!("small_journey_table", html);
    // Sanity checks on top of the snapshot.
    check_journey_table(
        &out,
        &read_config(site.path()),
        &journeys(site.path())[0],
        table,
        false,
    );
}

// ---------------------------------------------------------------------------------------------
// 8. Language
// ---------------------------------------------------------------------------------------------

fn with_language(language: Option<&str>) -> (Site, Out) {
    let site = Site::fixture("small");
    let cfg = site.read("tabiji.toml").replace("language = \"en\"\n", "");
    let cfg = match language {
        Some(l) => format!("language = \"{l}\"\n{cfg}"),
        None => cfg,
    };
    site.write("tabiji.toml", &cfg);
    let out = site.build();
    (site, out)
}

#[test]
fn english_site() {
    let (_site, out) = with_language(Some("en"));
    for page in out.html_files() {
        assert_eq!(
            out.page(&page).root_element().attr("lang"),
            Some("en"),
            "{page}"
        );
    }
    let nf = out.page("404.html");
    assert_eq!(text(one(&nf, "main h1")), "Page not found");
    let journey = out.page("journeys/buyer-new/index.html");
    assert_eq!(text(all(&journey, "nav.breadcrumbs a")[0]), "Home");
    let rows: Vec<String> = all(&journey, "table.journey-table th[scope=row]")
        .into_iter()
        .map(text)
        .collect();
    assert!(rows.contains(&"Emotion".to_string()), "{rows:?}");
    assert!(rows.contains(&"Tasks".to_string()), "{rows:?}");
    let home = out.page("index.html");
    assert_eq!(text(one(&home, "a.skip-link")), "Skip to content");
    // No Japanese label is left in the pages of an English site with English content.
    for page in out.html_files() {
        let t = text(out.page(&page).root_element());
        assert!(
            !t.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)
                || ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{page}: Japanese text in an English site: {t}"
        );
    }
}

#[test]
fn japanese_site_explicit_and_by_default() {
    for lang in [Some("ja"), None] {
        let (_site, out) = with_language(lang);
        for page in out.html_files() {
            assert_eq!(
                out.page(&page).root_element().attr("lang"),
                Some("ja"),
                "{lang:?} {page}"
            );
        }
        let nf = out.page("404.html");
        assert_eq!(text(one(&nf, "main h1")), "ページが見つかりません");
        let journey = out.page("journeys/buyer-new/index.html");
        assert_eq!(text(all(&journey, "nav.breadcrumbs a")[0]), "ホーム");
        let rows: Vec<String> = all(&journey, "table.journey-table th[scope=row]")
            .into_iter()
            .map(text)
            .collect();
        assert!(rows.contains(&"感情曲線".to_string()), "{rows:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The checkers themselves: they must catch what they are meant to catch
// ---------------------------------------------------------------------------------------------

fn panics(f: impl FnOnce()) -> Option<String> {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    r.err().map(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

fn fake_out(pages: &[(&str, &str)]) -> (tempfile::TempDir, Out) {
    let tmp = tempfile::tempdir().unwrap();
    for (rel, body) in pages {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("<!DOCTYPE html><html lang=\"en\"><head><title>t</title><script src=\"/assets/tabiji.js\"></script></head><body><main id=\"main\">{body}</main></body></html>")).unwrap();
    }
    std::fs::create_dir_all(tmp.path().join("assets")).unwrap();
    std::fs::write(tmp.path().join("assets/tabiji.js"), "").unwrap();
    let out = Out {
        root: tmp.path().to_path_buf(),
        base: "/".into(),
    };
    (tmp, out)
}

#[test]
fn the_link_checker_catches_broken_links() {
    let (_t, out) = fake_out(&[
        (
            "index.html",
            "<a href=\"/x/\">ok</a><a href=\"/x/#here\">ok</a><a href=\"#main\">ok</a><a href=\"https://e.com\">ok</a>",
        ),
        ("x/index.html", "<p id=\"here\">x</p>"),
    ]);
    assert_eq!(
        check_links(&out, false),
        4,
        "two links and the script of index.html, the script of x/"
    );
    let bad = [
        "<a href=\"/missing/\">a</a>",
        "<a href=\"/x/#nope\">a</a>",
        "<a href=\"#nope\">a</a>",
        "<a href=\"relative/\">a</a>",
        "<a href=\"/情/\">a</a>",
        "<a href=\"http://e.com\">a</a>",
        "<img src=\"/missing.png\">",
    ];
    for b in bad {
        let (_t, out) = fake_out(&[("index.html", b), ("情/index.html", "")]);
        assert!(
            panics(|| {
                check_links(&out, false);
            })
            .is_some_and(|m| m.contains("1 broken links")),
            "not caught: {b}"
        );
    }
}

#[test]
fn the_inertness_check_catches_active_content() {
    let (_t, out) = fake_out(&[("index.html", "<p>fine <kbd>k</kbd></p>")]);
    assert_inert(&out, "index.html", &out.page("index.html"));
    let bad = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"data:text/html,x\">x</a>",
        "<iframe src=\"https://e.com\"></iframe>",
        "<div style=\"color:red\">x</div>",
        "<svg onload=alert(1)></svg>",
        "<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<h2 class=\"klass\">x</h2>",
        "<details ontoggle=alert(1) open>x</details>",
    ];
    for b in bad {
        let (_t, out) = fake_out(&[("index.html", b)]);
        let html = out.page("index.html");
        assert!(
            panics(|| assert_inert(&out, "index.html", &html)).is_some(),
            "not caught: {b}"
        );
    }
}

/// A build reads, parses and lets go of each file in one step (`load_dir_releasing`), where
/// `check` keeps every text: both must find the same errors at the same places, whatever
/// goes wrong where (files in every folder, an invalid name, a duplicate id written in
/// another Unicode form, a file that is not UTF-8, a TOML syntax error, a bad reference).
#[test]
fn build_reports_the_errors_check_reports() {
    let site = Site::sample();
    site.write("content/journeys/later.toml", MISSPELT_DEPARTMENT);
    site.write(
        "content/journeys/broken.toml",
        "persona = \"cfo\"\n[stages.aware\n",
    );
    site.write("content/personas/bad name.md", "+++\nname = \"x\"\n+++\n");
    // The same id as the next file once normalised (NFD against NFC).
    site.write("content/personas/が.md", "+++\nname = \"ga\"\n+++\n");
    site.write(
        "content/personas/か\u{3099}.md",
        "+++\nname = \"ga 2\"\n+++\n",
    );
    std::fs::write(
        site.root.join("content/departments/sjis.md"),
        b"+++\nname = \"\x82\xa0\"\n+++\n",
    )
    .unwrap();
    site.write(
        "content/playbooks/unknown-stage.md",
        "+++\ntitle = \"t\"\nstage = \"nowhere\"\n+++\nbody\n",
    );
    let (code, _, build_err) = site.run_build(&[]);
    assert_eq!(code, 1, "{build_err}");
    let check = tabiji().arg("check").arg(&site.root).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    // `check` reports on stdout, `build` on stderr.
    let check_err = String::from_utf8_lossy(&check.stdout);
    // The same errors, in the same order (`check` adds warnings and a summary).
    let diagnostics = |s: &str| -> String {
        s.split("\n\n")
            .filter(|block| block.starts_with("error["))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let (b, c) = (diagnostics(&build_err), diagnostics(&check_err));
    for place in [
        "content/journeys/later.toml:7:14",
        "content/journeys/broken.toml:2",
        "bad name.md",
        "sjis.md",
        "unknown-stage.md",
    ] {
        assert!(b.contains(place), "build names {place}:\n{b}");
    }
    assert!(
        b.contains("department = \"marketting\""),
        "the line, quoted:\n{b}"
    );
    assert!(b.contains("two files have the id"), "the duplicate:\n{b}");
    assert_eq!(b, c, "build and check disagree");
}

/// CJK-friendly emphasis wherever Markdown is (a cell, a task, a persona's and a playbook's
/// body: their pages, the stage page and the print page), never a `**` in the search index;
/// a line break inside a cell is a `<br>` there.
#[test]
fn cjk_friendly_emphasis_on_every_page_and_in_search() {
    let site = Site::fixture("small");
    let bold = "**「これで行く」と決め**";
    let journey = site.read("content/journeys/buyer-new.toml");
    let journey = journey
        .replace(
            "problem = \"The ledger is **out of date**.\"",
            &format!("problem = \"課長が{bold}ること\"\nthinking = \"\"\"\n情報システム部が\n比較表を作る\"\"\""),
        )
        .replace("thinking = \"Is this a [risk](glossary:risk)?\"\n", "")
        .replace("task = \"Publish an article\"", &format!("task = \"部長が{bold}る\""));
    site.write("content/journeys/buyer-new.toml", &journey);
    let persona = site.read("content/personas/buyer.md");
    site.write(
        "content/personas/buyer.md",
        &format!("{persona}\n情シス課長が{bold}るまで。\n"),
    );
    let playbook = site.read("content/playbooks/demo.md");
    site.write(
        "content/playbooks/demo.md",
        &format!("{playbook}\n営業は{bold}る。\n"),
    );
    let out = site.build();
    let strong = "<strong>「これで行く」と決め</strong>";
    for (page, times) in [
        ("journeys/buyer-new/index.html", 2),
        ("stages/aware/index.html", 2),
        ("personas/buyer/index.html", 1),
        ("playbooks/demo/index.html", 1),
        ("print/index.html", 4),
    ] {
        let html = std::fs::read_to_string(out.root.join(page)).unwrap();
        assert!(
            html.matches(strong).count() >= times,
            "{page}: {times} × {strong}"
        );
        assert!(!html.contains("**「"), "{page}: a literal `**`");
    }
    let journey_page =
        std::fs::read_to_string(out.root.join("journeys/buyer-new/index.html")).unwrap();
    assert!(
        journey_page.contains("情報システム部が<br>比較表を作る"),
        "a line break in a cell is kept"
    );
    let index = std::fs::read_to_string(out.root.join("search/index.json")).unwrap();
    assert!(!index.contains("**"), "no `**` in the search index");
    assert!(
        index.contains("課長が「これで行く」と決めること"),
        "{index}"
    );
    assert!(index.contains("情報システム部が比較表を作る"), "{index}");
}
