//! Every diagnostic code, in Japanese and in English: a catalogue of small sites, one mistake
//! each, checked three ways — every code has a case here, every message (and its label and
//! hint) exists in both languages and the Japanese is Japanese, and what a user sees in each
//! language is kept as a snapshot.
//!
//! After an intended change of a message: `INSTA_UPDATE=always cargo test --test messages`,
//! then read the changed `.snap` files before committing them.

use std::collections::BTreeMap;

use tabiji::diagnostic::{Code, Diagnostic, render_human};
use tabiji::i18n::{Lang, Text};
use tabiji::load::{InputFile, Loaded, load_files};

/// A small site with no mistakes: two stages, one row, one persona with a journey, one
/// department with a task, a playbook at each stage.
fn base() -> BTreeMap<&'static str, String> {
    let mut files = BTreeMap::new();
    files.insert(
        "tabiji.toml",
        r#"title = "目録"
language = "ja"

[[stages]]
id = "aware"
name = "認知"
owner = "sales"

[[stages]]
id = "decide"
name = "決定"
owner = "sales"

[[rows]]
id = "problem"
name = "課題"
"#
        .to_string(),
    );
    files.insert(
        "content/personas/buyer.md",
        "+++\nname = \"情シス課長\"\n+++\n台帳を守る人。\n".to_string(),
    );
    files.insert(
        "content/journeys/buyer-new.toml",
        r#"persona = "buyer"

[stages.aware]
problem = "台帳が古い。"

[[stages.aware.tasks]]
department = "sales"
task = "事例を送る"
kpi = "返信率"

[stages.decide]
problem = "稟議が通らない。"
"#
        .to_string(),
    );
    files.insert(
        "content/departments/sales.md",
        "+++\nname = \"営業\"\n+++\n売る。\n".to_string(),
    );
    for (path, stage) in [
        ("content/playbooks/first-call.md", "aware"),
        ("content/playbooks/closing.md", "decide"),
    ] {
        files.insert(
            path,
            format!("+++\ntitle = \"手順\"\nstage = \"{stage}\"\n+++\n本文。\n"),
        );
    }
    files
}

/// One case: what to change in the base site (a path with `None` removes the file).
struct Case {
    code: Code,
    files: Vec<(&'static str, Option<Vec<u8>>)>,
}

fn set(path: &'static str, text: &str) -> (&'static str, Option<Vec<u8>>) {
    (path, Some(text.as_bytes().to_vec()))
}

fn case(code: Code, files: Vec<(&'static str, Option<Vec<u8>>)>) -> Case {
    Case { code, files }
}

const CONFIG_HEAD: &str = "title = \"目録\"\nlanguage = \"ja\"\n";
const STAGES: &str = "[[stages]]\nid = \"aware\"\nname = \"認知\"\nowner = \"sales\"\n\n[[stages]]\nid = \"decide\"\nname = \"決定\"\nowner = \"sales\"\n\n[[rows]]\nid = \"problem\"\nname = \"課題\"\n";

fn config(extra: &str) -> (&'static str, Option<Vec<u8>>) {
    let text = format!("{CONFIG_HEAD}{extra}\n{STAGES}");
    ("tabiji.toml", Some(text.into_bytes()))
}

/// Every code but `symlink-skipped` (a file-system matter: see `symlink_case`).
fn catalogue() -> Vec<Case> {
    use Code::*;
    vec![
        case(
            InvalidUtf8,
            vec![(
                "content/personas/sjis.md",
                Some(b"+++\nname = \"\x8f\xee\"\n+++\n".to_vec()),
            )],
        ),
        case(
            TomlSyntax,
            vec![set(
                "content/journeys/buyer-new.toml",
                "persona = \"buyer\"\n[stages.aware\nproblem = \"x\"\n",
            )],
        ),
        case(
            UnquotedKey,
            vec![set(
                "content/journeys/buyer-new.toml",
                "persona = \"buyer\"\n[stages.aware]\n課題 = \"x\"\n",
            )],
        ),
        case(
            FrontMatterMissing,
            vec![set("content/personas/buyer.md", "name = \"情シス課長\"\n")],
        ),
        case(
            FrontMatterUnclosed,
            vec![set(
                "content/personas/buyer.md",
                "+++\nname = \"情シス課長\"\n",
            )],
        ),
        case(IgnoredFile, vec![set("content/personas/notes.txt", "メモ")]),
        case(
            MissingField,
            vec![set("content/departments/sales.md", "+++\n+++\n売る。\n")],
        ),
        case(
            WrongType,
            vec![set("content/personas/buyer.md", "+++\nname = 3\n+++\n")],
        ),
        case(
            UnknownKey,
            vec![set(
                "content/personas/buyer.md",
                "+++\nname = \"情シス課長\"\ngaols = [\"早く\"]\n+++\n",
            )],
        ),
        case(
            InvalidValue,
            vec![set(
                "tabiji.toml",
                &format!("title = \"目録\"\nlanguage = \"fr\"\n\n{STAGES}"),
            )],
        ),
        case(
            InvalidId,
            vec![set(
                "content/playbooks/first call.md",
                "+++\ntitle = \"初回\"\nstage = \"aware\"\n+++\n",
            )],
        ),
        case(
            DuplicateId,
            vec![(
                "tabiji.toml",
                Some(
                    format!(
                        "{CONFIG_HEAD}\n{STAGES}\n[[stages]]\nid = \"aware\"\nname = \"認知2\"\n"
                    )
                    .into_bytes(),
                ),
            )],
        ),
        case(
            CaseClash,
            vec![set(
                "content/personas/Buyer.md",
                "+++\nname = \"別の課長\"\n+++\n",
            )],
        ),
        case(
            ReservedRowId,
            vec![(
                "tabiji.toml",
                Some(
                    format!(
                        "{CONFIG_HEAD}\n{STAGES}\n[[rows]]\nid = \"emotion\"\nname = \"感情\"\n"
                    )
                    .into_bytes(),
                ),
            )],
        ),
        case(
            EmotionRange,
            vec![set(
                "content/journeys/buyer-new.toml",
                "persona = \"buyer\"\n[stages.aware]\nproblem = \"x\"\nemotion = 5\n",
            )],
        ),
        case(
            AnswerOutOfRange,
            vec![set(
                "content/quizzes/check.toml",
                "title = \"確認\"\n[[questions]]\nquestion = \"どれ？\"\nchoices = [\"a\", \"b\"]\nanswer = 3\n",
            )],
        ),
        case(
            TooFewChoices,
            vec![set(
                "content/quizzes/check.toml",
                "title = \"確認\"\n[[questions]]\nquestion = \"どれ？\"\nchoices = [\"a\"]\nanswer = 1\n",
            )],
        ),
        case(
            DuplicateQuestion,
            vec![set(
                "content/quizzes/check.toml",
                "title = \"確認\"\n[[questions]]\nquestion = \"どれ？\"\nchoices = [\"a\", \"b\"]\nanswer = 1\n[[questions]]\nquestion = \"どれ？\"\nchoices = [\"c\", \"d\"]\nanswer = 2\n",
            )],
        ),
        case(
            UnknownReference,
            vec![set(
                "content/playbooks/first-call.md",
                "+++\ntitle = \"初回\"\nstage = \"awre\"\n+++\n",
            )],
        ),
        case(
            BrokenLink,
            vec![set(
                "content/personas/buyer.md",
                "+++\nname = \"情シス課長\"\n+++\n[決定](stage:decid)の前に。\n",
            )],
        ),
        case(
            UnknownLinkKind,
            vec![set(
                "content/personas/buyer.md",
                "+++\nname = \"情シス課長\"\n+++\n[CFO](personas:buyer)が決める。\n",
            )],
        ),
        case(
            OneSidedRelation,
            vec![
                set(
                    "content/departments/sales.md",
                    "+++\nname = \"営業\"\nsuppliers = [\"marketing\"]\n+++\n",
                ),
                set(
                    "content/departments/marketing.md",
                    "+++\nname = \"マーケティング\"\n+++\n",
                ),
            ],
        ),
        case(
            StageWithoutOwner,
            vec![set(
                "tabiji.toml",
                &format!(
                    "{CONFIG_HEAD}\n{}",
                    STAGES.replacen("owner = \"sales\"\n", "", 1)
                ),
            )],
        ),
        case(
            StageWithoutPlaybook,
            vec![("content/playbooks/closing.md", None)],
        ),
        case(
            JourneyGaps,
            vec![set(
                "content/journeys/buyer-new.toml",
                "persona = \"buyer\"\n[stages.aware]\nproblem = \"x\"\n[[stages.aware.tasks]]\ndepartment = \"sales\"\ntask = \"t\"\nkpi = \"k\"\n",
            )],
        ),
        case(
            TaskWithoutKpi,
            vec![set(
                "content/journeys/buyer-new.toml",
                "persona = \"buyer\"\n[stages.aware]\nproblem = \"x\"\n[[stages.aware.tasks]]\ndepartment = \"sales\"\ntask = \"t\"\n[stages.decide]\nproblem = \"y\"\n",
            )],
        ),
        case(
            DepartmentWithoutTasks,
            vec![set(
                "content/departments/marketing.md",
                "+++\nname = \"マーケティング\"\n+++\n",
            )],
        ),
        case(
            PersonaWithoutJourney,
            vec![set("content/personas/cfo.md", "+++\nname = \"CFO\"\n+++\n")],
        ),
        case(
            LetterUncovered,
            vec![config(
                "[[frameworks]]\nid = \"bant\"\nname = \"BANT\"\nletters = [{ id = \"b\", name = \"Budget\" }]\n",
            )],
        ),
        case(
            ReviewOverdue,
            vec![
                config("review_days = 30\n"),
                set(
                    "content/personas/buyer.md",
                    "+++\nname = \"情シス課長\"\nreviewed = 2001-04-01\n+++\n",
                ),
            ],
        ),
    ]
}

fn load(case: &Case) -> Loaded {
    let mut files: BTreeMap<&str, Vec<u8>> = base()
        .into_iter()
        .map(|(k, v)| (k, v.into_bytes()))
        .collect();
    for (path, bytes) in &case.files {
        match bytes {
            Some(b) => files.insert(path, b.clone()),
            None => files.remove(path),
        };
    }
    load_files(
        files
            .into_iter()
            .map(|(path, bytes)| InputFile {
                path: path.to_string(),
                bytes,
            })
            .collect(),
        "",
    )
}

/// The first diagnostic of the case's code.
fn found(case: &Case) -> (Loaded, Diagnostic) {
    let loaded = load(case);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == case.code)
        .cloned()
        .unwrap_or_else(|| {
            let got: Vec<_> = loaded.diagnostics.iter().map(|d| d.code).collect();
            panic!("no {} in the case's diagnostics: {got:?}", case.code)
        });
    (loaded, d)
}

#[test]
fn the_base_site_is_clean() {
    let loaded = load(&case(Code::InvalidUtf8, vec![]));
    let shown = render_human(loaded.diagnostics.iter(), &loaded.sources, Lang::En);
    assert!(loaded.diagnostics.is_empty(), "{shown}");
}

#[test]
fn every_code_has_a_case() {
    let covered: Vec<Code> = catalogue().iter().map(|c| c.code).collect();
    for code in Code::ALL {
        assert!(
            covered.contains(code) || *code == Code::SymlinkSkipped,
            "no case for {code} in the catalogue"
        );
    }
}

/// Japanese text has at least one kana or kanji; no text is English in both languages.
fn assert_both(code: Code, what: &str, t: &Text) {
    let japanese = t.ja().chars().any(|c| {
        matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}')
    });
    assert!(
        japanese,
        "{code}: the Japanese {what} is not Japanese: {:?}",
        t.ja()
    );
    assert!(!t.en().is_empty(), "{code}: the English {what} is empty");
    assert_ne!(t.en(), t.ja(), "{code}: the {what} is the same in both");
}

#[test]
fn every_code_speaks_japanese_and_english() {
    for case in catalogue() {
        let (loaded, _) = found(&case);
        for d in loaded.diagnostics.iter() {
            assert_both(d.code, "message", &d.message);
            if let Some(l) = &d.label {
                assert_both(d.code, "label", l);
            }
            if let Some(h) = &d.hint {
                assert_both(d.code, "hint", h);
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn a_skipped_symlink_speaks_both_languages() {
    let site = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    for (path, text) in base() {
        let p = site.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::write(outside.path().join("x.md"), "+++\nname = \"外\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.md"),
        site.path().join("content/personas/x.md"),
    )
    .unwrap();
    let loaded = tabiji::load::load_dir(site.path(), "").unwrap();
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == Code::SymlinkSkipped)
        .expect("a symlink-skipped warning");
    assert_both(d.code, "message", &d.message);
    if let Some(h) = &d.hint {
        assert_both(d.code, "hint", h);
    }
}

/// What a user sees for every code, in one language.
fn catalogue_shown(lang: Lang) -> String {
    let mut out = String::new();
    for case in catalogue() {
        let (loaded, d) = found(&case);
        out.push_str(&format!("==== {} ====\n", case.code));
        out.push_str(&render_human([&d], &loaded.sources, lang));
    }
    mask_today(&out)
}

/// Today's date and the days since a review change every day: `<today>`, `<n>`.
fn mask_today(s: &str) -> String {
    let is_date = |w: &[u8]| {
        w.len() == 10
            && w.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            })
    };
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        if i + 10 <= s.len() && is_date(&bytes[i..i + 10]) && &s[i..i + 10] != "2001-04-01" {
            out.push_str("<today>");
            i += 10;
            continue;
        }
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 {
            let rest = &s[i + digits..];
            let days = [" days ago", " 日前", "日前", " 日"]
                .iter()
                .any(|w| rest.starts_with(w));
            out.push_str(if days { "<n>" } else { &s[i..i + digits] });
            i += digits;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

#[test]
fn catalogue_in_japanese() {
    insta::assert_snapshot!("catalogue_ja", catalogue_shown(Lang::Ja));
}

#[test]
fn catalogue_in_english() {
    insta::assert_snapshot!("catalogue_en", catalogue_shown(Lang::En));
}

// ---------------------------------------------------------------------------------------
// Which language the command line speaks
// ---------------------------------------------------------------------------------------

/// `tabiji ARGS` with a clean language environment plus `env`.
fn tabiji(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tabiji"));
    for k in ["TABIJI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(k);
    }
    cmd.env("NO_COLOR", "1")
        .args(args)
        .envs(env.iter().copied());
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The base site with one mistake and one warning, written to a folder.
fn site_on_disk(language: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut files = base();
    files.insert(
        "tabiji.toml",
        files["tabiji.toml"].replace("language = \"ja\"", &format!("language = \"{language}\"")),
    );
    files.insert(
        "content/playbooks/first-call.md",
        "+++\ntitle = \"初回\"\nstage = \"awre\"\n+++\n".to_string(),
    );
    files.insert(
        "content/personas/cfo.md",
        "+++\nname = \"CFO\"\n+++\n".to_string(),
    );
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn a_japanese_site_is_checked_in_japanese_unless_told_otherwise() {
    let site = site_on_disk("ja");
    let path = site.path().to_str().unwrap();
    let (code, out, _) = tabiji(&["check", path], &[("LANG", "en_US.UTF-8")]);
    assert_eq!(code, 1);
    assert!(out.contains("エラー[unknown-reference]"), "{out}");
    assert!(out.contains("警告[persona-without-journey]"), "{out}");
    assert!(out.contains("エラー 1 件、警告 2 件"), "{out}");
    assert!(
        !out.contains("error["),
        "English on a Japanese site:\n{out}"
    );
    for (args, env) in [
        (vec!["check", path, "--lang", "en"], vec![]),
        (vec!["--lang=en", "check", path], vec![]),
        (vec!["check", path], vec![("TABIJI_LANG", "en")]),
    ] {
        let (_, out, _) = tabiji(&args, &env);
        assert!(
            out.contains("error[unknown-reference]"),
            "{args:?} {env:?}:\n{out}"
        );
        assert!(out.contains("check failed: 1 error, 2 warnings"), "{out}");
    }
    // `--lang` beats TABIJI_LANG.
    let (_, out, _) = tabiji(&["check", path, "--lang", "ja"], &[("TABIJI_LANG", "en")]);
    assert!(out.contains("エラー[unknown-reference]"), "{out}");
}

#[test]
fn an_english_site_is_checked_in_english_and_json_carries_the_language_chosen() {
    let site = site_on_disk("en");
    let path = site.path().to_str().unwrap();
    let (_, out, _) = tabiji(&["check", path], &[("LANG", "ja_JP.UTF-8")]);
    assert!(out.contains("error[unknown-reference]"), "{out}");
    let (_, json, _) = tabiji(&["check", path, "--format", "json", "--lang", "ja"], &[]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-reference")
        .expect("the code is the same in every language");
    let message = d["message"].as_str().unwrap();
    assert!(
        message
            .chars()
            .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
        "{message}"
    );
    let (_, gh, _) = tabiji(&["check", path, "--format", "github", "--lang", "ja"], &[]);
    assert!(gh.contains("::error file="), "{gh}");
    assert!(gh.contains("title=tabiji unknown-reference"), "{gh}");
    assert!(gh.contains("%0Aヒント: "), "{gh}");
}

#[test]
fn before_the_site_is_read_the_locale_decides() {
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let (code, _, err) = tabiji(&["check", path], &[("LANG", "ja_JP.UTF-8")]);
    assert_eq!(code, 2);
    assert!(err.starts_with("エラー: "), "{err}");
    assert!(err.contains("tabiji のサイトではありません"), "{err}");
    let (_, _, err) = tabiji(&["check", path], &[("LANG", "C.UTF-8")]);
    assert!(err.contains("is not a tabiji site"), "{err}");
    let (_, _, err) = tabiji(&["check", path], &[]);
    assert!(
        err.contains("is not a tabiji site"),
        "without a locale, English: {err}"
    );
}

#[test]
fn usage_mistakes_are_said_in_the_language_chosen() {
    let (code, _, err) = tabiji(&["check", "--fromat", "json"], &[("LANG", "ja_JP.UTF-8")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`--fromat` というオプションはありません"),
        "{err}"
    );
    assert!(err.contains("使い方:"), "{err}");
    let (_, _, err) = tabiji(&["chek", "--lang", "ja"], &[]);
    assert!(err.contains("`chek` というコマンドはありません"), "{err}");
    assert!(
        err.contains("`check`") && err.contains("のことでしょうか"),
        "{err}"
    );
    let (_, _, err) = tabiji(&["check", "--format", "xml", "--lang=ja"], &[]);
    assert!(err.contains("`xml` は --format"), "{err}");
    let (_, _, err) = tabiji(&["chek"], &[("LANG", "en_US.UTF-8")]);
    assert!(err.contains("unrecognized subcommand"), "{err}");
}

#[test]
fn build_says_what_it_did_in_the_sites_language_without_plural_mistakes() {
    let site = site_on_disk("ja");
    let fixed = "+++\ntitle = \"初回\"\nstage = \"aware\"\n+++\n";
    std::fs::write(site.path().join("content/playbooks/first-call.md"), fixed).unwrap();
    let path = site.path().to_str().unwrap();
    let (code, out, err) = tabiji(&["build", path], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("警告 1 件（内容は `tabiji check` で確認できます）"),
        "{out}"
    );
    assert!(out.contains("ページを"), "{out}");
    let (_, out, _) = tabiji(&["build", path, "--lang", "en"], &[]);
    assert!(
        out.contains("1 warning (run `tabiji check` to see them)"),
        "{out}"
    );
    assert!(
        out.contains("(0 files changed)"),
        "nothing changed since the last build: {out}"
    );
    assert!(!out.contains("1 warnings"), "{out}");
}
