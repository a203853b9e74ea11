//! Knowledge checks (issue 20): every rule of `content/quizzes/<id>.toml` reported by `tabiji
//! check` at its `file:line:column` with a hint, `quiz:` links and onboarding `quizzes/<id>`
//! pages resolved, and the quiz page's HTML as a reader without JavaScript gets it (every
//! question a fieldset with a legend, the answers behind `<details>`), listed on its stage.

use std::path::Path;

use assert_cmd::Command;
use scraper::{Html, Selector};
use serde_json::Value;

mod common;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/base"),
        dir.path(),
    );
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `(code, file:line:column, message, hint)` of one diagnostic.
type Diag = (String, String, String, Option<String>);

/// The exit status and every diagnostic of `tabiji check`.
fn check(dir: &Path) -> (i32, Vec<Diag>) {
    let out = Command::new(env!("CARGO_BIN_EXE_tabiji"))
        .env("TABIJI_LANG", "en")
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    d["file"].as_str().unwrap_or("-"),
                    d["line"],
                    d["column"]
                ),
                d["message"].as_str().unwrap().to_string(),
                d["hint"].as_str().map(str::to_string),
            )
        })
        .collect();
    (out.status.code().unwrap(), diags)
}

const QUIZ: &str = "content/quizzes/basics.toml";

const GOOD: &str = r#"title = "基本の確認"
stage = "consideration"
personas = ["buyer"]

[[questions]]
question = "最初に聞くことは？"
choices = ["値段", "課題"]
answer = 2
explanation = "まず**課題**を聞きます。"
"#;

#[test]
fn a_good_quiz_checks_clean_and_links_resolve() {
    let dir = site();
    write(dir.path(), QUIZ, GOOD);
    let glossary = dir.path().join("content/glossary.toml");
    let mut g = std::fs::read_to_string(&glossary).unwrap();
    g.push_str("\n[[terms]]\nterm = \"確認テスト\"\ndefinition = \"[確認](quiz:basics)\"\n");
    std::fs::write(&glossary, g).unwrap();
    let (status, diags) = check(dir.path());
    let before = check(site().path()).1;
    assert_eq!(
        status,
        if before.iter().any(|d| d.0 == "broken-link") {
            1
        } else {
            0
        }
    );
    // Nothing more than the base fixture reports: the quiz, its stage, persona and link are fine.
    assert_eq!(diags.len(), before.len(), "{diags:#?}");
}

#[test]
fn each_rule_at_its_place() {
    let dir = site();
    write(
        dir.path(),
        QUIZ,
        r#"title = "基本の確認"
stage = "considerasion"
personas = ["buyer", "nobody"]

[[questions]]
question = "最初に聞くことは？"
choices = ["値段", "課題"]
answer = 3

[[questions]]
question = "一つしかない"
choices = ["はい"]
answer = 1

[[questions]]
question = "最初に聞くことは？"
choices = ["a", "b"]
answer = 0
"#,
    );
    let (status, diags) = check(dir.path());
    assert_eq!(status, 1);
    let find = |code: &str, at: &str| {
        diags
            .iter()
            .find(|d| d.0 == code && d.1 == at)
            .unwrap_or_else(|| panic!("no `{code}` at {at}: {diags:#?}"))
    };
    let d = find("unknown-reference", &format!("{QUIZ}:2:9"));
    assert_eq!(d.2, "unknown stage `considerasion`");
    assert_eq!(d.3.as_deref(), Some("did you mean `consideration`?"));
    find("unknown-reference", &format!("{QUIZ}:3:22"));
    let d = find("answer-out-of-range", &format!("{QUIZ}:8:10"));
    assert_eq!(d.2, "answer 3 is not one of the 2 choices");
    assert!(d.3.as_deref().unwrap().contains("from 1"));
    let d = find("too-few-choices", &format!("{QUIZ}:12:12"));
    assert!(d.2.contains("at least two"), "{}", d.2);
    assert!(d.3.is_some());
    let d = find("duplicate-question", &format!("{QUIZ}:16:12"));
    assert!(d.3.is_some());
    // `answer = 0`: below the first choice.
    find("answer-out-of-range", &format!("{QUIZ}:18:10"));
}

#[test]
fn missing_fields_and_unknown_links_and_pages() {
    let dir = site();
    write(dir.path(), QUIZ, "[[questions]]\nquestion = \"？\"\n");
    write(
        dir.path(),
        "content/onboarding.toml",
        "title = \"道\"\n[[steps]]\ntitle = \"一\"\npages = [\"quizzes/basic\"]\nnote = \"[x](quiz:nothing)\"\n",
    );
    let (status, diags) = check(dir.path());
    assert_eq!(status, 1);
    let codes: Vec<(&str, &str)> = diags.iter().map(|d| (d.0.as_str(), d.1.as_str())).collect();
    assert!(
        codes.contains(&("missing-field", "content/quizzes/basics.toml:1:1")),
        "{codes:#?}"
    );
    // `title`, and `choices` and `answer` at the [[questions]] header (line 1 too)
    assert_eq!(
        codes
            .iter()
            .filter(|c| c.0 == "missing-field" && c.1 == "content/quizzes/basics.toml:1:1")
            .count(),
        3,
        "{codes:#?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.0 == "missing-field" && d.2.contains("`choices`")),
        "{diags:#?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.0 == "missing-field" && d.2.contains("`answer`")),
        "{diags:#?}"
    );
    let page = diags
        .iter()
        .find(|d| d.0 == "unknown-reference" && d.1 == "content/onboarding.toml:4:10")
        .expect("quizzes/basic");
    assert_eq!(page.3.as_deref(), Some("did you mean `basics`?"));
    assert!(
        diags
            .iter()
            .any(|d| d.0 == "broken-link" && d.2.contains("unknown quiz `nothing`")),
        "{diags:#?}"
    );
}

#[test]
fn the_quiz_page_reads_without_javascript() {
    let dir = site();
    write(dir.path(), QUIZ, GOOD);
    let out = dir.path().join("out");
    let st = Command::new(env!("CARGO_BIN_EXE_tabiji"))
        .env("TABIJI_LANG", "en")
        .current_dir(dir.path())
        .args(["build", ".", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let html = std::fs::read_to_string(out.join("quizzes/basics/index.html")).unwrap();
    let doc = Html::parse_document(&html);
    let sel = |s: &str| Selector::parse(s).unwrap();
    assert_eq!(
        doc.select(&sel("h1"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "基本の確認"
    );
    let fieldsets: Vec<_> = doc.select(&sel("li[data-question] fieldset")).collect();
    assert_eq!(fieldsets.len(), 1);
    let legend: String = fieldsets[0]
        .select(&sel("legend"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(legend.contains("最初に聞くことは？"), "{legend}");
    let radios: Vec<_> = fieldsets[0]
        .select(&sel("label input[type=radio]"))
        .collect();
    assert_eq!(radios.len(), 2);
    assert!(
        radios
            .iter()
            .all(|r| r.value().attr("name") == Some("tj-q-1"))
    );
    // The answer and explanation are closed behind <details>, Markdown rendered.
    let details = fieldsets[0]
        .select(&sel("details"))
        .next()
        .expect("details");
    assert!(details.value().attr("open").is_none());
    let inner = details.inner_html();
    assert!(inner.contains("<strong>課題</strong>"), "{inner}");
    assert!(inner.contains("2. 課題"), "{inner}");
    assert!(!html.contains("**"), "raw Markdown on the page");
    // One question: no choice between one at a time and all on one page.
    assert!(
        doc.select(&sel("[data-quiz-mode], [data-quiz-pager]"))
            .next()
            .is_none()
    );
    // Listed on its stage page, on the persona at that stage, and on the home page.
    for page in [
        "stages/consideration/index.html",
        "personas/buyer/consideration/index.html",
        "index.html",
    ] {
        let text = std::fs::read_to_string(out.join(page)).unwrap_or_default();
        assert!(
            text.contains("/quizzes/basics/"),
            "{page} does not list the quiz"
        );
    }
}

/// With two questions or more, the choice between all on one page and one at a time, and the
/// pager, are in the page but hidden: the script shows them; without it every question shows.
#[test]
fn the_reading_mode_is_hidden_without_javascript() {
    let dir = site();
    write(
        dir.path(),
        QUIZ,
        &format!(
            "{GOOD}\n[[questions]]\nquestion = \"次に聞くことは？\"\nchoices = [\"時期\", \"色\"]\nanswer = 1\n"
        ),
    );
    let out = common::build(dir.path());
    let doc = common::page(&out, "quizzes/basics/index.html");
    let sel = |s: &str| Selector::parse(s).unwrap();
    let mode = doc
        .select(&sel("fieldset[data-quiz-mode]"))
        .next()
        .expect("the mode control");
    assert!(mode.value().attr("hidden").is_some());
    let legend: String = mode.select(&sel("legend")).next().unwrap().text().collect();
    assert_eq!(legend, "Show the questions", "the fixture is in English");
    let modes: Vec<(&str, bool)> = mode
        .select(&sel("input[type=radio]"))
        .map(|r| {
            (
                r.value().attr("value").unwrap(),
                r.value().attr("checked").is_some(),
            )
        })
        .collect();
    assert_eq!(
        modes,
        [("all", true), ("one", false)],
        "all on one page by default"
    );
    let pager = doc
        .select(&sel("[data-quiz-pager]"))
        .next()
        .expect("the pager");
    assert!(pager.value().attr("hidden").is_some());
    assert_eq!(doc.select(&sel("li[data-question][hidden]")).count(), 0);
}
