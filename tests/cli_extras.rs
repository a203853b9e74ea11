//! Integration tests of `tabiji init`, `tabiji export` and `tabiji schema`: the binary is run
//! on the sample site (repo root), on `tests/fixtures/extras/`, and on sites in temporary
//! folders.
//!
//! - init: the starter sites (ja, en) are written byte for byte from `scaffold/<lang>/`, pass
//!   `check` with no warning and build; init refuses (exit 2, every byte and folder as it was)
//!   a folder holding `tabiji.toml` or any one file it would write;
//! - export csv: read back with the `csv` crate: byte-order mark, CR LF, the 13 columns, one
//!   record per cell / seller's-side field / task with the values of the journey TOML files;
//!   RFC 4180 round trip of commas, quotes, line breaks and Japanese (`extras/quoting/`);
//! - export json: every key, its type and its order at every level, as documented in the
//!   table of docs/export.md (read with an order-keeping deserializer, since serde_json's
//!   `Map` sorts keys); stage and cell order; determinism; both examples of docs/export.md
//!   are the real output of `extras/tiny/`;
//! - schema: the 7 files, the sample site valid against them, typos and out-of-range values
//!   rejected, with a site's ids (enumerated) and without (generic).
//!
//! Expected values are read from the sites' own files with the `toml` crate, so editing the
//! sample content does not break these tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

mod common;
use common::{copy_dir, copy_dir_ordered};

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/extras")
}

fn tabiji() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tabiji"));
    // The English messages; tests/messages.rs checks the Japanese.
    cmd.env("TABIJI_LANG", "en");
    cmd.env("NO_COLOR", "1");
    cmd
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let o = tabiji()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run tabiji");
    Run {
        code: o.status.code().expect("exit code"),
        stdout: o.stdout,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn run_ok(cwd: &Path, args: &[&str]) -> Run {
    let r = run(cwd, args);
    assert_eq!(
        r.code,
        0,
        "tabiji {args:?} failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&r.stdout),
        r.stderr
    );
    r
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every folder, file (with its bytes) and symbolic link under `root`, by relative path.
fn tree(root: &Path) -> BTreeMap<String, Entry> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                out.insert(rel, Entry::Link(std::fs::read_link(&path).unwrap()));
            } else if meta.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(root, &path, out);
            } else {
                out.insert(rel, Entry::File(std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The files only (path → bytes), leaving out `public/` folders as build.rs does.
fn files_of(root: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(root)
        .into_iter()
        .filter(|(p, _)| !p.split('/').any(|c| c == "public"))
        .filter_map(|(p, e)| match e {
            Entry::File(b) => Some((p, b)),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reading a site's files with the `toml` crate
// ---------------------------------------------------------------------------------------------

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The TOML between the `+++` lines at the top of a Markdown file.
fn front_matter(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.replace("\r\n", "\n");
    let rest = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| panic!("{}: no front matter", path.display()));
    let end = rest
        .find("\n+++")
        .unwrap_or_else(|| panic!("{}: front matter not closed", path.display()));
    toml::from_str(&rest[..end + 1]).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// TOML as an editor's schema checker sees it: dates (`reviewed = 2026-10-01`) as strings.
fn to_json(t: &toml::Table) -> Value {
    fn value(v: &toml::Value) -> Value {
        match v {
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Table(t) => to_json(t),
            toml::Value::Array(a) => Value::Array(a.iter().map(value).collect()),
            other => serde_json::to_value(other).expect("TOML as JSON"),
        }
    }
    Value::Object(t.iter().map(|(k, v)| (k.clone(), value(v))).collect())
}

fn str_of<'a>(t: &'a toml::Table, key: &str) -> Option<&'a str> {
    t.get(key).and_then(|v| v.as_str())
}

/// Files of one kind (`personas`, …) with the given extension: (stem, path), sorted by stem.
fn content_files(site: &Path, kind: &str, ext: &str) -> Vec<(String, PathBuf)> {
    let dir = site.join("content").join(kind);
    let mut v: Vec<(String, PathBuf)> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// What the tests need to know of a site, read from its files.
struct SiteFiles {
    config: toml::Table,
    language: String,
    /// (id, name) in order.
    stages: Vec<(String, String)>,
    rows: Vec<(String, String)>,
    persona_names: BTreeMap<String, String>,
    department_names: BTreeMap<String, String>,
    /// (stem, table), sorted by stem.
    journeys: Vec<(String, toml::Table)>,
}

fn pairs(config: &toml::Table, key: &str) -> Vec<(String, String)> {
    config
        .get(key)
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|t| {
                    let t = t.as_table().unwrap();
                    (
                        str_of(t, "id").unwrap().to_string(),
                        str_of(t, "name").unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn site_files(site: &Path) -> SiteFiles {
    let config = read_toml(&site.join("tabiji.toml"));
    let names = |kind: &str| -> BTreeMap<String, String> {
        content_files(site, kind, "md")
            .into_iter()
            .map(|(id, p)| {
                let fm = front_matter(&p);
                (id, str_of(&fm, "name").unwrap().to_string())
            })
            .collect()
    };
    SiteFiles {
        language: str_of(&config, "language").unwrap_or("ja").to_string(),
        stages: pairs(&config, "stages"),
        rows: pairs(&config, "rows"),
        persona_names: names("personas"),
        department_names: names("departments"),
        journeys: content_files(site, "journeys", "toml")
            .into_iter()
            .map(|(id, p)| (id, read_toml(&p)))
            .collect(),
        config,
    }
}

fn stage_table<'a>(journey: &'a toml::Table, stage: &str) -> Option<&'a toml::Table> {
    journey.get("stages")?.as_table()?.get(stage)?.as_table()
}

fn tasks_of(st: &toml::Table) -> Vec<&toml::Table> {
    st.get("tasks")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().map(|t| t.as_table().unwrap()).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------------------------

fn init_into_empty_dir(lang: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let r = run_ok(tmp.path(), &["init", "--lang", lang]);
    let out = r.out();
    let expected = files_of(&repo().join("scaffold").join(lang));
    assert!(
        expected.contains_key("tabiji.toml"),
        "scaffold/{lang} has no tabiji.toml"
    );
    let written = match lang {
        "ja" => format!("（{} ファイル）", expected.len()),
        _ => format!("({} files)", expected.len()),
    };
    assert!(out.contains(&written), "{out}");
    for cmd in ["tabiji serve", "tabiji check", "tabiji build"] {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(cmd)),
            "`{cmd}` not suggested:\n{out}"
        );
    }
    // Exactly the scaffold's files, byte for byte, and nothing else.
    assert_eq!(
        files_of(tmp.path()),
        expected,
        "init --lang {lang} did not write exactly scaffold/{lang}/"
    );
    let lang_in_config = str_of(&read_toml(&tmp.path().join("tabiji.toml")), "language")
        .unwrap_or("ja")
        .to_string();
    assert_eq!(lang_in_config, lang);

    let check = run(tmp.path(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.out());
    assert!(
        check
            .out()
            .lines()
            .last()
            .unwrap()
            .ends_with("0 errors, 0 warnings"),
        "{}",
        check.out()
    );

    let build = run_ok(tmp.path(), &["build"]);
    assert!(build.out().contains("built "), "{}", build.out());
    assert!(tmp.path().join("public/index.html").is_file());
    for (id, _) in content_files(tmp.path(), "journeys", "toml") {
        assert!(
            tmp.path()
                .join("public/journeys")
                .join(&id)
                .join("index.html")
                .is_file(),
            "journey page {id}"
        );
    }
}

#[test]
fn init_ja_into_an_empty_folder_writes_a_site_that_checks_clean_and_builds() {
    init_into_empty_dir("ja");
}

#[test]
fn init_en_into_an_empty_folder_writes_a_site_that_checks_clean_and_builds() {
    init_into_empty_dir("en");
}

#[test]
fn init_default_language_is_japanese() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tabiji()
        .env_remove("TABIJI_LANG")
        .current_dir(tmp.path())
        .args(["init", "site"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("tabiji のサイトを作りました"),
        "the messages speak the new site's language"
    );
    assert_eq!(
        files_of(&tmp.path().join("site")),
        files_of(&repo().join("scaffold/ja"))
    );
}

#[test]
fn init_creates_a_missing_nested_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run_ok(tmp.path(), &["init", "a/b/my-site", "--lang", "en"]);
    let site = tmp.path().join("a/b/my-site");
    assert!(site.join("tabiji.toml").is_file());
    assert_eq!(files_of(&site), files_of(&repo().join("scaffold/en")));
    // The next commands name the folder.
    assert!(r.out().contains("tabiji check a/b/my-site"), "{}", r.out());
    let check = run(tmp.path(), &["check", "a/b/my-site"]);
    assert_eq!(check.code, 0, "{}", check.out());
}

#[test]
fn init_keeps_unrelated_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("README.md"), b"# mine\n").unwrap();
    std::fs::create_dir_all(tmp.path().join("content/notes")).unwrap();
    std::fs::write(tmp.path().join("content/notes/todo.txt"), b"keep me").unwrap();
    run_ok(tmp.path(), &["init"]);
    assert_eq!(
        std::fs::read(tmp.path().join("README.md")).unwrap(),
        b"# mine\n"
    );
    assert_eq!(
        std::fs::read(tmp.path().join("content/notes/todo.txt")).unwrap(),
        b"keep me"
    );
    assert!(tmp.path().join("tabiji.toml").is_file());
}

/// Run init in a prepared folder and check it refused, changing nothing.
fn assert_init_refuses(dir: &Path, args: &[&str]) -> String {
    let before = tree(dir);
    let r = run(dir, args);
    assert_eq!(
        r.code,
        2,
        "init should refuse\nstdout:\n{}\nstderr:\n{}",
        r.out(),
        r.stderr
    );
    assert!(
        r.stderr.starts_with("error: ") || r.stderr.starts_with("エラー: "),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.out());
    assert_eq!(
        tree(dir),
        before,
        "init changed the folder although it refused"
    );
    r.stderr
}

#[test]
fn init_refuses_a_folder_holding_tabiji_toml() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("tabiji.toml"),
        b"title = \"mine\"\n# not a scaffold\n",
    )
    .unwrap();
    std::fs::create_dir_all(tmp.path().join("content/personas")).unwrap();
    std::fs::write(
        tmp.path().join("content/personas/cfo.md"),
        b"+++\nname = \"CFO\"\n+++\n",
    )
    .unwrap();
    let err = assert_init_refuses(tmp.path(), &["init"]);
    assert!(err.contains("tabiji.toml"), "{err}");
    let err = assert_init_refuses(tmp.path(), &["init", ".", "--lang", "en"]);
    assert!(err.contains("nothing was written"), "{err}");
}

#[test]
fn init_refuses_a_folder_holding_only_the_glossary() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("content")).unwrap();
    std::fs::write(
        tmp.path().join("content/glossary.toml"),
        "# 自分の用語集\n[[terms]]\nterm = \"X\"\ndefinition = \"y\"\n",
    )
    .unwrap();
    let err = assert_init_refuses(tmp.path(), &["init"]);
    assert!(err.contains("glossary.toml"), "{err}");
}

#[test]
fn init_refuses_when_any_one_file_it_would_write_exists() {
    for lang in ["ja", "en"] {
        for path in files_of(&repo().join("scaffold").join(lang)).keys() {
            let tmp = tempfile::tempdir().unwrap();
            let site = tmp.path().join("site");
            let file = site.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, format!("custom bytes of {path}\n")).unwrap();
            let err = assert_init_refuses(tmp.path(), &["init", "site", "--lang", lang]);
            let name = path.rsplit('/').next().unwrap();
            assert!(err.contains(name), "--lang {lang}, {path}: {err}");
        }
    }
}

#[cfg(unix)]
#[test]
fn init_refuses_a_dangling_symlink_in_place_of_a_file_it_would_write() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("content")).unwrap();
    std::os::unix::fs::symlink(
        "../elsewhere/glossary.toml",
        tmp.path().join("content/glossary.toml"),
    )
    .unwrap();
    assert_init_refuses(tmp.path(), &["init"]);
    assert!(!tmp.path().join("elsewhere").exists());
}

// ---------------------------------------------------------------------------------------------
// export csv
// ---------------------------------------------------------------------------------------------

const COLUMNS: [&str; 13] = [
    "kind",
    "journey",
    "journey_name",
    "persona",
    "persona_name",
    "stage",
    "stage_name",
    "row",
    "row_name",
    "department",
    "department_name",
    "text",
    "kpi",
];

/// The columns of a `ja` site's CSV, in order.
const COLUMNS_JA: [&str; 13] = [
    "種別",
    "ジャーニー",
    "ジャーニー名",
    "ペルソナ",
    "ペルソナ名",
    "ステージ",
    "ステージ名",
    "行",
    "行名",
    "部門",
    "部門名",
    "テキスト",
    "KPI",
];

/// Parse an export with the `csv` crate, checking the byte-order mark and that every record
/// (the last one too) ends with CR LF. Returns every record, the header first.
fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .expect("CSV starts with a UTF-8 byte-order mark");
    assert!(!body.starts_with(b"\xEF\xBB\xBF"), "two byte-order marks");
    assert!(std::str::from_utf8(body).is_ok(), "CSV is UTF-8");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(body);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.expect("a valid CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    // Record separators: every line break outside quotes is CR LF, one per record (the last
    // record is terminated too). Quotes toggle: inside a quoted field `""` toggles twice.
    let (mut in_quotes, mut terminators, mut i) = (false, 0, 0);
    while i < body.len() {
        match body[i] {
            b'"' => in_quotes = !in_quotes,
            b'\r' | b'\n' if !in_quotes => {
                assert_eq!(
                    body.get(i..i + 2),
                    Some(b"\r\n".as_slice()),
                    "a bare line break between records at byte {i}"
                );
                terminators += 1;
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    assert!(!in_quotes, "unbalanced quotes");
    assert_eq!(terminators, records.len(), "one CR LF per record");
    assert!(
        body.ends_with(b"\r\n"),
        "the last record does not end with CR LF"
    );
    records
}

fn labels(language: &str) -> [(&'static str, &'static str); 4] {
    if language == "en" {
        [
            ("experience", "Experience to deliver"),
            ("touchpoints", "Touchpoints"),
            ("emotion", "Emotion"),
            ("notes", "Notes"),
        ]
    } else {
        [
            ("experience", "提供すべき顧客体験"),
            ("touchpoints", "コンタクトポイント"),
            ("emotion", "感情"),
            ("notes", "メモ"),
        ]
    }
}

/// Every record (without the header) the export of a site must have, from its files.
fn expected_csv(site: &SiteFiles) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (jid, j) in &site.journeys {
        let persona = str_of(j, "persona").unwrap();
        let persona_name = site.persona_names[persona].as_str();
        let journey_name = str_of(j, "name").unwrap_or(persona_name);
        for (sid, sname) in &site.stages {
            let Some(st) = stage_table(j, sid) else {
                continue;
            };
            let rec = |kind: &str,
                       row: &str,
                       row_name: &str,
                       dep: &str,
                       dep_name: &str,
                       text: &str,
                       kpi: &str| {
                [
                    kind,
                    jid.as_str(),
                    journey_name,
                    persona,
                    persona_name,
                    sid.as_str(),
                    sname.as_str(),
                    row,
                    row_name,
                    dep,
                    dep_name,
                    text,
                    kpi,
                ]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
            };
            for (rid, rname) in &site.rows {
                if let Some(text) = str_of(st, rid) {
                    out.push(rec("cell", rid, rname, "", "", text, ""));
                }
            }
            let l: BTreeMap<_, _> = labels(&site.language).into_iter().collect();
            if let Some(e) = str_of(st, "experience") {
                out.push(rec("experience", "", l["experience"], "", "", e, ""));
            }
            let tps: Vec<&str> = st
                .get("touchpoints")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().map(|t| t.as_str().unwrap()).collect())
                .unwrap_or_default();
            if !tps.is_empty() {
                out.push(rec(
                    "touchpoints",
                    "",
                    l["touchpoints"],
                    "",
                    "",
                    &tps.join("\n"),
                    "",
                ));
            }
            if let Some(e) = st.get("emotion").and_then(|v| v.as_integer()) {
                out.push(rec("emotion", "", l["emotion"], "", "", &e.to_string(), ""));
            }
            if let Some(n) = str_of(st, "notes") {
                out.push(rec("notes", "", l["notes"], "", "", n, ""));
            }
            for t in tasks_of(st) {
                let dep = str_of(t, "department").unwrap();
                out.push(rec(
                    "task",
                    "",
                    "",
                    dep,
                    &site.department_names[dep],
                    str_of(t, "task").unwrap(),
                    str_of(t, "kpi").unwrap_or(""),
                ));
            }
        }
    }
    out
}

fn export(site: &Path, format: &str) -> Vec<u8> {
    run_ok(&repo(), &["export", path_str(site), "--format", format]).stdout
}

/// The CSV header of a site: Japanese column names for a `ja` site (the default).
fn columns_of(site: &Path) -> [&'static str; 13] {
    let config = std::fs::read_to_string(site.join("tabiji.toml")).expect("tabiji.toml");
    let table: toml::Table = toml::from_str(&config).expect("tabiji.toml parses");
    if table.get("language").and_then(|v| v.as_str()) == Some("en") {
        COLUMNS
    } else {
        COLUMNS_JA
    }
}

fn assert_csv_matches_files(site: &Path) -> Vec<Vec<String>> {
    let records = parse_csv(&export(site, "csv"));
    assert_eq!(records[0], columns_of(site), "header");
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.len(), COLUMNS.len(), "record {i}");
    }
    let files = site_files(site);
    let expected = expected_csv(&files);
    let got = &records[1..];
    // Compare the cell and task records first, for a clearer message when only they differ.
    let only =
        |v: &[Vec<String>], k: &str| v.iter().filter(|r| r[0] == k).cloned().collect::<Vec<_>>();
    for kind in ["cell", "task"] {
        let (g, e) = (only(got, kind), only(&expected, kind));
        assert_eq!(
            g.len(),
            e.len(),
            "number of `{kind}` records of {}",
            site.display()
        );
        for (g, e) in g.iter().zip(&e) {
            assert_eq!(g, e, "a `{kind}` record of {}", site.display());
        }
    }
    assert_eq!(
        got,
        expected.as_slice(),
        "every record of {}, in order",
        site.display()
    );
    records
}

#[test]
fn export_csv_of_the_sample_site_has_one_record_per_cell_and_per_task() {
    let records = assert_csv_matches_files(&repo());
    // The sample really exercises it.
    let files = site_files(&repo());
    let cells: usize = files
        .journeys
        .iter()
        .flat_map(|(_, j)| {
            files
                .stages
                .iter()
                .filter_map(move |(s, _)| stage_table(j, s))
        })
        .map(|st| {
            files
                .rows
                .iter()
                .filter(|(r, _)| str_of(st, r).is_some())
                .count()
        })
        .sum();
    let tasks: usize = files
        .journeys
        .iter()
        .flat_map(|(_, j)| {
            files
                .stages
                .iter()
                .filter_map(move |(s, _)| stage_table(j, s))
        })
        .map(|st| tasks_of(st).len())
        .sum();
    assert!(
        cells > 20 && tasks > 5,
        "the sample site is smaller than expected: {cells} cells, {tasks} tasks"
    );
    assert_eq!(records.iter().filter(|r| r[0] == "cell").count(), cells);
    assert_eq!(records.iter().filter(|r| r[0] == "task").count(), tasks);
    let kinds: BTreeSet<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(
        kinds.is_subset(&BTreeSet::from([
            "cell",
            "experience",
            "touchpoints",
            "emotion",
            "notes",
            "task"
        ])),
        "{kinds:?}"
    );
}

#[test]
fn export_csv_of_the_starter_sites() {
    for lang in ["ja", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        run_ok(tmp.path(), &["init", "--lang", lang]);
        assert_csv_matches_files(tmp.path());
    }
}

#[test]
fn export_csv_round_trips_commas_quotes_line_breaks_and_japanese() {
    let site = fixtures().join("quoting");
    let records = assert_csv_matches_files(&site);
    // The fixture holds what it claims to hold, and the reader gave it back exactly.
    let texts: Vec<&str> = records.iter().map(|r| r[11].as_str()).collect();
    for tricky in [
        "a, b, c",
        "He said \"cheap\", then left.",
        "\"starts with a quote",
        "\"",
        "\"\"",
        "   leading and trailing spaces   ",
        "first line\nsecond line, with a comma\n\"quoted\" third line",
        "カンマ、読点、そして \"引用\" と ,,, と 改行\n二行目",
        "Close, then \"celebrate\"\r\nwith CRLF inside",
        "a, b\nc \"d\"",
    ] {
        assert!(
            texts.contains(&tricky),
            "{tricky:?} not exported as is; texts: {texts:#?}"
        );
    }
    let task = records
        .iter()
        .find(|r| r[0] == "task" && r[10].contains("East"))
        .unwrap();
    assert_eq!(task[10], "営業, 本部 \"East\"");
    assert_eq!(task[12], "KPI: \"10%\", monthly");
    assert_eq!(records[1][2], "新規, \"導入\"\n二行目");
    assert_eq!(records[1][4], "課長, \"情シス\"");
    // Stage tables are written purchase, 検討, aware in the file: the export follows tabiji.toml.
    let stages: Vec<&str> = records[1..].iter().map(|r| r[5].as_str()).collect();
    let mut dedup = stages.clone();
    dedup.dedup();
    assert_eq!(dedup, ["aware", "検討", "purchase"]);
    // Row keys are written out of order too: cells follow [[rows]].
    let purchase_rows: Vec<&str> = records
        .iter()
        .filter(|r| r[0] == "cell" && r[5] == "purchase")
        .map(|r| r[7].as_str())
        .collect();
    assert_eq!(purchase_rows, ["problem", "thinking", "action"]);
}

#[test]
fn export_csv_quotes_only_what_needs_quoting() {
    let bytes = export(&fixtures().join("quoting"), "csv");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(
        text.starts_with(&format!("{}\r\n", COLUMNS.join(","))),
        "header is not quoted"
    );
    assert!(
        text.contains(",\"He said \"\"cheap\"\", then left.\","),
        "{text}"
    );
    assert!(
        text.contains(",   leading and trailing spaces   ,"),
        "{text}"
    );
}

#[test]
fn export_output_file_has_the_same_bytes_as_stdout() {
    for site in [repo(), fixtures().join("quoting")] {
        for format in ["csv", "json"] {
            let tmp = tempfile::tempdir().unwrap();
            let stdout = export(&site, format);
            let file = tmp.path().join(format!("out.{format}"));
            let r = run_ok(
                &repo(),
                &[
                    "export",
                    path_str(&site),
                    "--format",
                    format,
                    "-o",
                    path_str(&file),
                ],
            );
            assert!(r.stdout.is_empty(), "-o also printed: {}", r.out());
            assert_eq!(
                std::fs::read(&file).unwrap(),
                stdout,
                "{format} of {}",
                site.display()
            );
            // --output, and overwriting an existing file.
            std::fs::write(&file, b"old contents that are longer than nothing").unwrap();
            run_ok(
                &repo(),
                &[
                    "export",
                    path_str(&site),
                    "--output",
                    path_str(&file),
                    "--format",
                    format,
                ],
            );
            assert_eq!(std::fs::read(&file).unwrap(), stdout);
        }
    }
}

#[test]
fn export_relative_output_is_relative_to_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("tiny"), &tmp.path().join("site"));
    run_ok(
        tmp.path(),
        &["export", "site", "--format", "csv", "-o", "journeys.csv"],
    );
    assert!(tmp.path().join("journeys.csv").is_file());
    assert!(!tmp.path().join("site/journeys.csv").exists());
}

fn broken_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("quoting"), tmp.path());
    let j = tmp.path().join("content/journeys/情シス課長-new.toml");
    let text = std::fs::read_to_string(&j).unwrap();
    assert!(text.contains("problem = \"plain\""));
    std::fs::write(
        &j,
        text.replace("problem = \"plain\"", "probelm = \"plain\""),
    )
    .unwrap();
    tmp
}

#[test]
fn export_of_a_site_with_errors_exits_1_and_writes_nothing() {
    let tmp = broken_site();
    let site = tmp.path();
    let before = tree(site);
    for format in ["csv", "json"] {
        let r = run(site, &["export", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(
            r.stdout.is_empty(),
            "{format}: something on stdout: {}",
            r.out()
        );
        assert!(
            r.stderr.contains("probelm"),
            "the error is not shown: {}",
            r.stderr
        );
        assert!(r.stderr.contains("export failed"), "{}", r.stderr);

        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("out");
        let r = run(site, &["export", "--format", format, "-o", path_str(&file)]);
        assert_eq!(r.code, 1);
        assert!(
            !file.exists(),
            "-o FILE written although the content has errors"
        );
    }
    assert_eq!(tree(site), before, "export changed the site folder");
}

#[test]
fn export_usage_errors_exit_2() {
    let r = run(&repo(), &["export", ".", "--format", "xml"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("xml"), "{}", r.stderr);

    let r = run(&repo(), &["export", "."]);
    assert_eq!(r.code, 2, "--format is required");
    assert!(r.stdout.is_empty());

    let tmp = tempfile::tempdir().unwrap();
    let r = run(tmp.path(), &["export", "--format", "json"]);
    assert_eq!(r.code, 2, "not a site");
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.starts_with("error: ") || r.stderr.starts_with("エラー: "),
        "{}",
        r.stderr
    );

    let r = run(
        &repo(),
        &[
            "export",
            ".",
            "--format",
            "csv",
            "-o",
            path_str(&tmp.path().join("missing/dir/out.csv")),
        ],
    );
    assert_eq!(r.code, 2, "unwritable output: {}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// export json: an order-keeping reader
// ---------------------------------------------------------------------------------------------

/// A JSON value whose objects keep their keys in document order (serde_json's `Map` sorts
/// them unless its `preserve_order` feature is on, which this crate does not enable).
#[derive(Debug, Clone, PartialEq)]
enum J {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl<'de> serde::Deserialize<'de> for J {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = J;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<J, E> {
                Ok(J::Null)
            }
            fn visit_none<E>(self) -> Result<J, E> {
                Ok(J::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<J, E> {
                Ok(J::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<J, E> {
                Ok(J::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<J, E> {
                i64::try_from(v).map(J::Int).map_err(E::custom)
            }
            fn visit_f64<E>(self, v: f64) -> Result<J, E> {
                Ok(J::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<J, E> {
                Ok(J::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<J, E> {
                Ok(J::Str(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(J::Arr(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = a.next_entry::<String, J>()? {
                    v.push((k, x));
                }
                Ok(J::Obj(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl J {
    fn get(&self, key: &str) -> &J {
        match self {
            J::Obj(v) => v
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, x)| x)
                .unwrap_or_else(|| panic!("no key {key}")),
            _ => panic!("not an object: {self:?}"),
        }
    }

    fn arr(&self) -> &[J] {
        match self {
            J::Arr(v) => v,
            _ => panic!("not an array: {self:?}"),
        }
    }

    fn str(&self) -> &str {
        match self {
            J::Str(s) => s,
            _ => panic!("not a string: {self:?}"),
        }
    }

    fn opt_str(&self) -> Option<&str> {
        match self {
            J::Null => None,
            J::Str(s) => Some(s),
            _ => panic!("not a string or null: {self:?}"),
        }
    }

    fn keys(&self) -> Vec<&str> {
        match self {
            J::Obj(v) => v.iter().map(|(k, _)| k.as_str()).collect(),
            _ => panic!("not an object: {self:?}"),
        }
    }
}

fn parse_json(bytes: &[u8]) -> J {
    serde_json::from_slice(bytes).expect("valid JSON")
}

/// The table "Every key" of docs/export.md: (path, type) in document order.
fn documented_keys() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(repo().join("docs/export.md")).expect("docs/export.md");
    let start = doc
        .find("### Every key")
        .expect("docs/export.md has a section `### Every key`");
    let section = &doc[start..];
    let end = section[4..].find("\n#").map_or(section.len(), |i| i + 4);
    let mut keys = Vec::new();
    for line in section[..end].lines() {
        let Some(rest) = line.strip_prefix("| `") else {
            continue;
        };
        let cols: Vec<&str> = rest.split('|').collect();
        let path = cols[0].trim().trim_end_matches('`').to_string();
        let ty = cols[1].trim().to_string();
        keys.push((path, ty));
    }
    assert!(
        keys.len() > 50,
        "the table of docs/export.md was not found or is short: {keys:?}"
    );
    keys
}

const TYPES: [&str; 9] = [
    "string",
    "integer",
    "string or null",
    "integer or null",
    "number or null",
    "object",
    "object or null",
    "array of strings",
    "array of objects",
];

struct Shape {
    /// parent path → [(key, type)] in order ("" is the document itself).
    children: BTreeMap<String, Vec<(String, String)>>,
}

impl Shape {
    fn documented() -> Shape {
        let mut children: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (path, ty) in documented_keys() {
            assert!(
                TYPES.contains(&ty.as_str()),
                "docs/export.md: unknown type `{ty}` of `{path}`"
            );
            let (parent, key) = path.rsplit_once('.').unwrap_or(("", &path));
            children
                .entry(parent.to_string())
                .or_default()
                .push((key.to_string(), ty));
        }
        Shape { children }
    }

    fn check_object(&self, v: &J, path: &str, seen: &mut BTreeSet<String>) {
        let expected = self
            .children
            .get(path)
            .unwrap_or_else(|| panic!("docs/export.md documents no keys of `{path}`"));
        let want: Vec<&str> = expected.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            v.keys(),
            want,
            "keys of `{}` (in this order)",
            if path.is_empty() {
                "the document"
            } else {
                path
            }
        );
        for (key, ty) in expected {
            let child = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            self.check_value(v.get(key), &child, ty, seen);
        }
    }

    fn check_value(&self, v: &J, path: &str, ty: &str, seen: &mut BTreeSet<String>) {
        let ok = match (ty, v) {
            ("string", J::Str(_)) | ("integer", J::Int(_)) => true,
            ("string or null", J::Str(_) | J::Null) | ("integer or null", J::Int(_) | J::Null) => {
                true
            }
            ("number or null", J::Int(_) | J::Float(_) | J::Null) => true,
            ("object" | "object or null", J::Obj(_)) => {
                self.check_object(v, path, seen);
                true
            }
            ("object or null", J::Null) => true,
            ("array of strings", J::Arr(a)) => a.iter().all(|x| matches!(x, J::Str(_))),
            ("array of objects", J::Arr(a)) => {
                for x in a {
                    assert!(matches!(x, J::Obj(_)), "`{path}[]` is not an object: {x:?}");
                    self.check_object(x, &format!("{path}[]"), seen);
                }
                true
            }
            _ => false,
        };
        assert!(ok, "`{path}` should be {ty}, is {v:?}");
        if !matches!(v, J::Null) && !matches!(v, J::Arr(a) if a.is_empty()) {
            seen.insert(path.to_string());
        }
    }
}

#[test]
fn export_json_has_exactly_the_documented_keys_in_the_documented_order() {
    let shape = Shape::documented();
    let mut seen = BTreeSet::new();
    let sample = parse_json(&export(&repo(), "json"));
    shape.check_object(&sample, "", &mut seen);
    assert_eq!(sample.get("format"), &J::Str("tabiji-export".into()));
    assert_eq!(sample.get("version"), &J::Int(1));
    // The other sites too; together they give every documented key a non-empty value.
    for site in [fixtures().join("tiny"), fixtures().join("quoting")] {
        shape.check_object(&parse_json(&export(&site, "json")), "", &mut seen);
    }
    let documented: BTreeSet<String> = documented_keys().into_iter().map(|(p, _)| p).collect();
    let never: Vec<&String> = documented.difference(&seen).collect();
    assert!(
        never.is_empty(),
        "documented keys never seen with a value (the test sites do not cover them): {never:?}"
    );
}

#[test]
fn export_json_without_glossary_and_onboarding() {
    let q = parse_json(&export(&fixtures().join("quoting"), "json"));
    assert_eq!(q.get("onboarding"), &J::Null);
    assert_eq!(q.get("glossary"), &J::Arr(vec![]));
    assert_eq!(q.get("phases"), &J::Arr(vec![]));
}

fn assert_json_order_follows_config(site: &Path) {
    let files = site_files(site);
    let doc = parse_json(&export(site, "json"));
    let stage_ids: Vec<&str> = doc
        .get("stages")
        .arr()
        .iter()
        .map(|s| s.get("id").str())
        .collect();
    assert_eq!(
        stage_ids,
        files
            .stages
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>(),
        "stages follow tabiji.toml"
    );
    let row_ids: Vec<&str> = doc
        .get("rows")
        .arr()
        .iter()
        .map(|s| s.get("id").str())
        .collect();
    assert_eq!(
        row_ids,
        files.rows.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        "rows follow tabiji.toml"
    );
    let phases: Vec<&str> = doc
        .get("phases")
        .arr()
        .iter()
        .map(|s| s.get("id").str())
        .collect();
    assert_eq!(
        phases,
        pairs(&files.config, "phases")
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>()
    );

    let journeys = doc.get("journeys").arr();
    assert_eq!(
        journeys
            .iter()
            .map(|j| j.get("id").str())
            .collect::<Vec<_>>(),
        files
            .journeys
            .iter()
            .map(|j| j.0.as_str())
            .collect::<Vec<_>>()
    );
    for (j, (jid, t)) in journeys.iter().zip(&files.journeys) {
        assert_eq!(j.get("persona").str(), str_of(t, "persona").unwrap());
        assert_eq!(j.get("name").opt_str(), str_of(t, "name"));
        let want_stages: Vec<&str> = files
            .stages
            .iter()
            .map(|s| s.0.as_str())
            .filter(|s| stage_table(t, s).is_some())
            .collect();
        let stages = j.get("stages").arr();
        assert_eq!(
            stages
                .iter()
                .map(|s| s.get("stage").str())
                .collect::<Vec<_>>(),
            want_stages,
            "stages of {jid}"
        );
        for s in stages {
            let sid = s.get("stage").str();
            let st = stage_table(t, sid).unwrap();
            let want: Vec<(&str, &str)> = files
                .rows
                .iter()
                .filter_map(|(r, _)| str_of(st, r).map(|text| (r.as_str(), text)))
                .collect();
            let got: Vec<(&str, &str)> = s
                .get("cells")
                .arr()
                .iter()
                .map(|c| (c.get("row").str(), c.get("text").str()))
                .collect();
            assert_eq!(got, want, "cells of {jid} / {sid} follow [[rows]]");
            assert_eq!(s.get("experience").opt_str(), str_of(st, "experience"));
            assert_eq!(s.get("notes").opt_str(), str_of(st, "notes"));
            let emotion = st.get("emotion").and_then(|v| v.as_integer());
            assert_eq!(s.get("emotion"), &emotion.map_or(J::Null, J::Int));
            let tps: Vec<&str> = s.get("touchpoints").arr().iter().map(J::str).collect();
            let want_tps: Vec<&str> = st
                .get("touchpoints")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().map(|x| x.as_str().unwrap()).collect())
                .unwrap_or_default();
            assert_eq!(tps, want_tps);
            let tasks: Vec<(&str, &str, Option<&str>)> = s
                .get("tasks")
                .arr()
                .iter()
                .map(|x| {
                    (
                        x.get("department").str(),
                        x.get("task").str(),
                        x.get("kpi").opt_str(),
                    )
                })
                .collect();
            let want_tasks: Vec<(&str, &str, Option<&str>)> = tasks_of(st)
                .iter()
                .map(|x| {
                    (
                        str_of(x, "department").unwrap(),
                        str_of(x, "task").unwrap(),
                        str_of(x, "kpi"),
                    )
                })
                .collect();
            assert_eq!(tasks, want_tasks, "tasks of {jid} / {sid}");
        }
    }
    let personas: Vec<&str> = doc
        .get("personas")
        .arr()
        .iter()
        .map(|p| p.get("id").str())
        .collect();
    assert_eq!(
        personas,
        files
            .persona_names
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        "personas sorted by id"
    );
    let departments: Vec<&str> = doc
        .get("departments")
        .arr()
        .iter()
        .map(|p| p.get("id").str())
        .collect();
    assert_eq!(
        departments,
        files
            .department_names
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        "departments sorted by id"
    );
}

#[test]
fn export_json_stage_order_follows_tabiji_toml_and_cell_order_follows_rows() {
    assert_json_order_follows_config(&repo());
    // Stage tables and row keys written out of order in the file.
    assert_json_order_follows_config(&fixtures().join("quoting"));
}

#[test]
fn export_json_of_the_sample_site_holds_the_whole_model() {
    let doc = parse_json(&export(&repo(), "json"));
    let config = read_toml(&repo().join("tabiji.toml"));
    let site = doc.get("site");
    assert_eq!(site.get("title").str(), str_of(&config, "title").unwrap());
    assert_eq!(
        site.get("language").str(),
        str_of(&config, "language").unwrap_or("ja")
    );
    let playbooks: Vec<&str> = doc
        .get("playbooks")
        .arr()
        .iter()
        .map(|p| p.get("id").str())
        .collect();
    let want: Vec<String> = content_files(&repo(), "playbooks", "md")
        .into_iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(playbooks, want, "playbooks sorted by id");
    let glossary = read_toml(&repo().join("content/glossary.toml"));
    let terms: Vec<&str> = doc
        .get("glossary")
        .arr()
        .iter()
        .map(|t| t.get("term").str())
        .collect();
    let want: Vec<&str> = glossary["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.get("term").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(terms, want, "glossary in file order");
    let onboarding = read_toml(&repo().join("content/onboarding.toml"));
    let o = doc.get("onboarding");
    assert_eq!(o.get("title").str(), str_of(&onboarding, "title").unwrap());
    assert_eq!(
        o.get("steps").arr().len(),
        onboarding["steps"].as_array().unwrap().len()
    );
}

#[test]
fn export_is_deterministic() {
    for format in ["csv", "json"] {
        assert_eq!(
            export(&repo(), format),
            export(&repo(), format),
            "two {format} exports of the sample differ"
        );
        // The same files, created in opposite orders, in two different folders.
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        copy_dir(&fixtures().join("quoting"), a.path());
        copy_dir_ordered(&fixtures().join("quoting"), b.path(), true);
        assert_eq!(
            export(a.path(), format),
            export(b.path(), format),
            "{format}"
        );
    }
}

#[test]
fn export_json_is_pretty_utf8_with_a_final_newline() {
    let bytes = export(&fixtures().join("tiny"), "json");
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.starts_with("{\n  \"format\": \"tabiji-export\",\n  \"version\": 1,\n"),
        "{text}"
    );
    assert!(text.ends_with("}\n") && !text.ends_with("}\n\n"));
    assert!(
        text.contains("情シス課長") && !text.contains("\\u"),
        "Japanese is written as is"
    );
}

/// The fenced block of the given language after `after` in docs/export.md.
fn doc_block(after: &str, lang: &str) -> String {
    let doc = std::fs::read_to_string(repo().join("docs/export.md")).unwrap();
    let start = doc
        .find(after)
        .unwrap_or_else(|| panic!("docs/export.md: `{after}` not found"));
    let open = format!("```{lang}\n");
    let from = start
        + doc[start..]
            .find(&open)
            .unwrap_or_else(|| panic!("no ```{lang} block after `{after}`"))
        + open.len();
    let len = doc[from..].find("\n```\n").expect("block closed");
    format!("{}\n", &doc[from..from + len])
}

#[test]
fn export_docs_examples_are_the_real_output() {
    let tiny = fixtures().join("tiny");
    let json = String::from_utf8(export(&tiny, "json")).unwrap();
    assert_eq!(
        doc_block("## JSON", "json"),
        json,
        "the JSON example of docs/export.md is not the export of tests/fixtures/extras/tiny"
    );
    let csv = String::from_utf8(export(&tiny, "csv")).unwrap();
    let shown = csv.strip_prefix('\u{FEFF}').unwrap().replace("\r\n", "\n");
    assert_eq!(
        doc_block("## CSV", "csv"),
        shown,
        "the CSV example of docs/export.md is not the export of tests/fixtures/extras/tiny"
    );
    // And the documented columns are the real header.
    assert!(shown.starts_with(&format!("{}\n", COLUMNS_JA.join(","))));
}

// ---------------------------------------------------------------------------------------------
// schema
// ---------------------------------------------------------------------------------------------

const SCHEMA_FILES: [&str; 8] = [
    "tabiji.schema.json",
    "journey.schema.json",
    "persona.schema.json",
    "department.schema.json",
    "playbook.schema.json",
    "glossary.schema.json",
    "onboarding.schema.json",
    "quiz.schema.json",
];

struct Schemas {
    validators: BTreeMap<&'static str, jsonschema::Validator>,
}

impl Schemas {
    fn load(dir: &Path) -> Schemas {
        let names: BTreeSet<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            SCHEMA_FILES
                .iter()
                .map(|s| s.to_string())
                .collect::<BTreeSet<_>>(),
            "the files written"
        );
        let mut validators = BTreeMap::new();
        for name in SCHEMA_FILES {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            let schema: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                schema["$schema"],
                json!("http://json-schema.org/draft-07/schema#"),
                "{name}"
            );
            let v = jsonschema::draft7::new(&schema)
                .unwrap_or_else(|e| panic!("{name} is not a valid draft-07 schema: {e}"));
            validators.insert(name, v);
        }
        Schemas { validators }
    }

    fn errors(&self, schema: &str, instance: &Value) -> Vec<String> {
        self.validators[schema]
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    fn assert_valid(&self, schema: &str, instance: &Value, what: &str) {
        let errors = self.errors(schema, instance);
        assert!(
            errors.is_empty(),
            "{what} should be valid against {schema}: {errors:#?}"
        );
    }

    fn assert_invalid(&self, schema: &str, instance: &Value, what: &str) {
        assert!(
            !self.validators[schema].is_valid(instance),
            "{what} should be rejected by {schema}: {instance:#}"
        );
    }
}

/// Every file of a site, as JSON, with the schema it must satisfy.
fn site_instances(site: &Path) -> Vec<(&'static str, String, Value)> {
    let mut v = vec![(
        "tabiji.schema.json",
        "tabiji.toml".to_string(),
        to_json(&read_toml(&site.join("tabiji.toml"))),
    )];
    for (name, file) in [
        ("glossary.schema.json", "content/glossary.toml"),
        ("onboarding.schema.json", "content/onboarding.toml"),
    ] {
        if site.join(file).is_file() {
            v.push((
                name,
                file.to_string(),
                to_json(&read_toml(&site.join(file))),
            ));
        }
    }
    for (id, p) in content_files(site, "journeys", "toml") {
        v.push((
            "journey.schema.json",
            format!("journeys/{id}.toml"),
            to_json(&read_toml(&p)),
        ));
    }
    for (id, p) in content_files(site, "quizzes", "toml") {
        v.push((
            "quiz.schema.json",
            format!("quizzes/{id}.toml"),
            to_json(&read_toml(&p)),
        ));
    }
    for (kind, schema) in [
        ("personas", "persona.schema.json"),
        ("departments", "department.schema.json"),
        ("playbooks", "playbook.schema.json"),
    ] {
        for (id, p) in content_files(site, kind, "md") {
            v.push((
                schema,
                format!("{kind}/{id}.md"),
                to_json(&front_matter(&p)),
            ));
        }
    }
    v
}

fn toml_json(text: &str) -> Value {
    to_json(&toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}")))
}

fn write_schemas_of_the_sample() -> (tempfile::TempDir, Schemas) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    let r = run_ok(
        &repo(),
        &["schema", path_str(&repo()), "-o", path_str(&out)],
    );
    assert_eq!(
        r.out().lines().filter(|l| l.starts_with("wrote ")).count(),
        SCHEMA_FILES.len(),
        "{}",
        r.out()
    );
    let s = Schemas::load(&out);
    (tmp, s)
}

#[test]
fn schema_of_the_sample_site_accepts_every_file_of_it() {
    let (_tmp, schemas) = write_schemas_of_the_sample();
    let instances = site_instances(&repo());
    let kinds: BTreeSet<&str> = instances.iter().map(|i| i.0).collect();
    assert_eq!(
        kinds.len(),
        SCHEMA_FILES.len(),
        "the sample site has every kind of file: {kinds:?}"
    );
    for (schema, what, value) in &instances {
        schemas.assert_valid(schema, value, what);
    }
}

#[test]
fn schema_of_the_starter_sites_accepts_them() {
    for lang in ["ja", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        run_ok(tmp.path(), &["init", "--lang", lang]);
        run_ok(tmp.path(), &["schema"]);
        let schemas = Schemas::load(&tmp.path().join("schemas"));
        for (schema, what, value) in site_instances(tmp.path()) {
            schemas.assert_valid(schema, &value, &format!("{lang}: {what}"));
        }
    }
}

/// A journey of the sample site, as TOML text, with one stage table's body replaced.
struct JourneyCase {
    persona: String,
    stage: String,
    row: String,
    department: String,
}

impl JourneyCase {
    fn of_sample() -> JourneyCase {
        let f = site_files(&repo());
        JourneyCase {
            persona: f.persona_names.keys().next().unwrap().clone(),
            stage: f.stages[0].0.clone(),
            row: f.rows[0].0.clone(),
            department: f.department_names.keys().next().unwrap().clone(),
        }
    }

    fn journey(&self, stage_body: &str) -> Value {
        toml_json(&format!(
            "persona = \"{}\"\n\n[stages.\"{}\"]\n{stage_body}\n",
            self.persona, self.stage
        ))
    }

    fn task(&self, department: &str) -> Value {
        self.journey(&format!("{} = \"x\"\n\n[[stages.\"{}\".tasks]]\ndepartment = \"{department}\"\ntask = \"t\"\nkpi = \"k\"", self.row, self.stage))
    }
}

#[test]
fn schema_of_the_sample_site_rejects_typos_and_bad_values() {
    let (_tmp, s) = write_schemas_of_the_sample();
    let f = site_files(&repo());
    let c = JourneyCase::of_sample();
    const J: &str = "journey.schema.json";
    assert!(
        !f.rows.iter().any(|r| r.0 == "probelm") && !f.department_names.contains_key("marketting")
    );

    // Each rejection has a control that differs only in the mistake.
    s.assert_valid(
        J,
        &c.journey(&format!("{} = \"x\"\nemotion = 2", c.row)),
        "a correct stage",
    );
    s.assert_invalid(
        J,
        &c.journey("probelm = \"x\""),
        "a misspelt row id `probelm`",
    );
    s.assert_invalid(J, &c.journey("emotion = 5"), "`emotion = 5`");
    s.assert_invalid(J, &c.journey("emotion = -3"), "`emotion = -3`");
    s.assert_invalid(J, &c.journey("emotion = \"1\""), "emotion as a string");
    s.assert_invalid(
        J,
        &c.journey(&format!("{} = 3", c.row)),
        "a cell that is not a string",
    );
    s.assert_valid(J, &c.task(&c.department), "a task of a known department");
    s.assert_invalid(J, &c.task("marketting"), "`department = \"marketting\"`");

    let unknown_stage = toml_json(&format!(
        "persona = \"{}\"\n\n[stages.nosuchstage]\n{} = \"x\"\n",
        c.persona, c.row
    ));
    s.assert_invalid(
        J,
        &unknown_stage,
        "an unknown stage table `[stages.nosuchstage]`",
    );
    s.assert_invalid(
        J,
        &toml_json(&format!(
            "persona = \"nobody\"\n\n[stages.\"{}\"]\n{} = \"x\"\n",
            c.stage, c.row
        )),
        "an unknown persona",
    );
    s.assert_invalid(
        J,
        &toml_json(&format!("persnoa = \"{}\"\n", c.persona)),
        "a misspelt top-level key",
    );
    s.assert_invalid(
        J,
        &toml_json("name = \"no persona\"\n"),
        "a journey without `persona`",
    );

    // Front matter.
    let persona = front_matter(&content_files(&repo(), "personas", "md")[0].1);
    s.assert_valid(
        "persona.schema.json",
        &to_json(&persona),
        "a sample persona",
    );
    let mut nmae = toml::Table::new();
    for (k, v) in &persona {
        nmae.insert(
            if k == "name" {
                "nmae".to_string()
            } else {
                k.clone()
            },
            v.clone(),
        );
    }
    s.assert_invalid(
        "persona.schema.json",
        &to_json(&nmae),
        "persona front matter with `nmae`",
    );
    let mut both = persona.clone();
    both.insert("nmae".into(), toml::Value::String("x".into()));
    s.assert_invalid(
        "persona.schema.json",
        &to_json(&both),
        "persona front matter with `name` and `nmae`",
    );

    s.assert_invalid(
        "playbook.schema.json",
        &toml_json("title = \"t\"\nstage = \"nosuchstage\"\n"),
        "a playbook of an unknown stage",
    );
    s.assert_invalid(
        "department.schema.json",
        &toml_json("name = \"d\"\nclients = [\"marketting\"]\n"),
        "a department serving an unknown department",
    );
    let mut config = f.config.clone();
    config.insert("titel".into(), toml::Value::String("x".into()));
    s.assert_invalid(
        "tabiji.schema.json",
        &to_json(&config),
        "tabiji.toml with `titel`",
    );
    let mut config = f.config.clone();
    config.insert("language".into(), toml::Value::String("fr".into()));
    s.assert_invalid(
        "tabiji.schema.json",
        &to_json(&config),
        "tabiji.toml with language = \"fr\"",
    );
}

/// The quiz schema has the contract's fields (title; stage, personas; questions with
/// question, choices, answer and explanation), lists the site's stage and persona ids, and
/// rejects what `check` rejects in one file.
#[test]
fn schema_of_quizzes_follows_the_contract() {
    let (tmp, s) = write_schemas_of_the_sample();
    const Q: &str = "quiz.schema.json";
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("schemas").join(Q)).unwrap())
            .unwrap();
    let keys = |v: &Value| -> Vec<String> {
        v["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(keys(&schema), ["personas", "questions", "stage", "title"]);
    assert_eq!(schema["required"], json!(["title"]));
    let question = &schema["properties"]["questions"]["items"];
    assert_eq!(
        keys(question),
        ["answer", "choices", "explanation", "question"]
    );
    assert_eq!(
        question["required"],
        json!(["question", "choices", "answer"])
    );
    assert_eq!(question["properties"]["choices"]["minItems"], json!(2));
    let stages = schema["properties"]["stage"]["enum"].as_array().unwrap();
    assert!(stages.contains(&json!("consideration")), "{stages:?}");
    let personas = &schema["properties"]["personas"]["items"]["enum"];
    assert!(
        personas.as_array().unwrap().contains(&json!("情シス課長")),
        "{personas}"
    );

    let quiz = |question: &str| {
        toml_json(&format!(
            "title = \"t\"\nstage = \"consideration\"\npersonas = [\"情シス課長\"]\n\n[[questions]]\n{question}\n"
        ))
    };
    let good = "question = \"q\"\nchoices = [\"a\", \"b\"]\nanswer = 2\nexplanation = \"e\"";
    s.assert_valid(Q, &quiz(good), "a correct quiz");
    s.assert_invalid(
        Q,
        &quiz(&good.replace("answer = 2", "answer = 0")),
        "`answer = 0`",
    );
    s.assert_invalid(
        Q,
        &quiz(&good.replace("answer = 2", "answer = \"2\"")),
        "answer as a string",
    );
    s.assert_invalid(
        Q,
        &quiz(&good.replace("[\"a\", \"b\"]", "[\"a\"]")),
        "one choice",
    );
    s.assert_invalid(
        Q,
        &quiz(&good.replace("choices = [\"a\", \"b\"]\n", "")),
        "no choices",
    );
    s.assert_invalid(
        Q,
        &quiz(&good.replace("explanation", "explnation")),
        "a misspelt `explanation`",
    );
    s.assert_invalid(
        Q,
        &toml_json("stage = \"consideration\"\n"),
        "a quiz without a title",
    );
    s.assert_invalid(
        Q,
        &toml_json("title = \"t\"\nstage = \"nosuchstage\"\n"),
        "an unknown stage",
    );
    s.assert_invalid(
        Q,
        &toml_json("title = \"t\"\npersonas = [\"nobody\"]\n"),
        "an unknown persona",
    );
}

#[test]
fn schema_without_a_site_is_generic() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run_ok(tmp.path(), &["schema"]);
    assert_eq!(
        r.out().lines().filter(|l| l.starts_with("wrote ")).count(),
        SCHEMA_FILES.len(),
        "{}",
        r.out()
    );
    let s = Schemas::load(&tmp.path().join("schemas"));
    // Only `schemas/` was written.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

    for (schema, what, value) in site_instances(&repo()) {
        s.assert_valid(schema, &value, &what);
    }
    const J: &str = "journey.schema.json";
    let journey = |body: &str| {
        toml_json(&format!(
            "persona = \"anyone\"\n\n[stages.any-stage]\n{body}\n"
        ))
    };
    // Any id goes: the generic schemas cannot know the site's stages and rows.
    s.assert_valid(
        J,
        &journey("probelm = \"x\"\nemotion = -2"),
        "any row id, any stage id",
    );
    s.assert_invalid(J, &journey("emotion = 5"), "`emotion = 5`");
    s.assert_invalid(J, &journey("problem = 1"), "a cell that is not a string");
    s.assert_invalid(
        J,
        &toml_json("persona = \"p\"\nunknown = \"x\"\n"),
        "an unknown top-level key",
    );
    s.assert_invalid("tabiji.schema.json", &toml_json("title = \"t\"\ntitel = \"x\"\n[[stages]]\nid = \"a\"\nname = \"A\"\n[[rows]]\nid = \"r\"\nname = \"R\"\n"), "tabiji.toml with `titel`");
    s.assert_invalid(
        "persona.schema.json",
        &toml_json("nmae = \"x\"\n"),
        "persona front matter with `nmae`",
    );
    s.assert_invalid(
        "glossary.schema.json",
        &toml_json("[[terms]]\nterm = \"x\"\n"),
        "a term without a definition",
    );
}

#[test]
fn schema_output_folder_is_created_with_parents() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("tiny"), &tmp.path().join("site"));
    run_ok(tmp.path(), &["schema", "site", "-o", "deep/er/schemas"]);
    let s = Schemas::load(&tmp.path().join("deep/er/schemas"));
    for (schema, what, value) in site_instances(&tmp.path().join("site")) {
        s.assert_valid(schema, &value, &what);
    }
    // The tiny site's vocabulary, not the sample's: the sample's stage `unaware` is unknown.
    let j = toml_json("persona = \"情シス課長\"\n\n[stages.unaware]\nproblem = \"x\"\n");
    s.assert_invalid("journey.schema.json", &j, "a stage of another site");
}
