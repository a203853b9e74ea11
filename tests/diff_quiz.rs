//! `tabiji diff` on knowledge checks (`content/quizzes/<id>.toml`), in the style of
//! tests/diff.rs: a temporary git repository holds the small site of
//! `tests/fixtures/diff/base/` plus quizzes; each test commits known edits and reads
//! `--format json`, then the other formats and the history page.
//!
//! - quizzes added, removed, renamed (same content, new id), retitled, given another stage
//!   or other personas; each names its stage and tells that stage's owner;
//! - questions added and removed (matched as a sequence, so an insertion is one addition),
//!   reworded, with another right answer, other choices or another explanation; a right
//!   choice reworded where it stands, or choices reordered with the answer following, is a
//!   change of the choices and not of the answer;
//! - a reformatted quiz file is no change;
//! - text, Markdown and HTML say it in a salesperson's words, and the "What changed" page
//!   links the quiz and renders the question's Markdown.

use assert_cmd::Command;
use serde_json::Value;

mod common;

const DATE: &str = "2024-04-01T09:00:00+09:00";
const QUIZ: &str = "content/quizzes/consider-check.toml";

const CONSIDER_CHECK: &str = r#"title = "検討段階の確認"
stage = "consider"
personas = ["情シス課長"]

[[questions]]
question = "課長が「上を説得する材料がない」と言ったら？"
choices = ["値引きする", "決裁者の判断軸を一緒に確かめる", "役員に直接会う"]
answer = 2
explanation = "課長を[チャンピオン](glossary:チャンピオン)にします。"

[[questions]]
question = "**E** は何の頭文字？"
choices = ["Economic buyer", "Evaluation", "Email"]
answer = 1

[[questions]]
question = "検討中のお客さまに効く資料は？"
choices = ["機能一覧", "同業の導入事例", "会社案内"]
answer = 2
explanation = "似た会社で成功したかを知りたいからです。"
"#;

const BASICS: &str = r#"title = "基本の確認"

[[questions]]
question = "リードかどうかを決めるのは？"
choices = ["営業の都合", "お客さまの状態"]
answer = 2
"#;

/// The fixture site with two quizzes; [`common::GitSite`] does the rest.
struct Repo(common::GitSite);

impl std::ops::Deref for Repo {
    type Target = common::GitSite;
    fn deref(&self) -> &common::GitSite {
        &self.0
    }
}

impl Repo {
    /// The base site with two quizzes, committed once on `main`.
    fn new() -> Repo {
        let r = Repo(common::GitSite::from_fixture("diff/base"));
        r.write(QUIZ, CONSIDER_CHECK);
        r.write("content/quizzes/basics.toml", BASICS);
        r.git(&["init", "-q", "-b", "main"], DATE);
        r.commit("base site");
        r
    }

    fn commit(&self, msg: &str) {
        self.0.commit(msg, DATE);
    }

    fn write(&self, rel: &str, text: &str) {
        common::write(&self.root, rel, text);
    }

    fn tabiji(&self, args: &[&str]) -> String {
        let o = Command::new(env!("CARGO_BIN_EXE_tabiji"))
            .current_dir(&self.root)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "tabiji {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// The last commit's diff in `format`.
    fn diff(&self, format: &str) -> String {
        self.tabiji(&["diff", "HEAD~1", "HEAD", "--format", format])
    }

    fn last(&self) -> Value {
        serde_json::from_str(&self.diff("json")).unwrap()
    }
}

fn changes(v: &Value) -> Vec<&Value> {
    v["changes"].as_array().unwrap().iter().collect()
}

/// The one change of `kind` (and `field`, when given).
fn one<'a>(v: &'a Value, kind: &str, field: Option<&str>) -> &'a Value {
    let found: Vec<&Value> = changes(v)
        .into_iter()
        .filter(|c| c["kind"] == kind && field.is_none_or(|f| c["field"] == f))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one `{kind}` {field:?}:\n{}",
        serde_json::to_string_pretty(v).unwrap()
    );
    found[0]
}

fn named(v: &Value) -> (&str, &str) {
    (v["id"].as_str().unwrap(), v["name"].as_str().unwrap())
}

fn old_new(c: &Value) -> (Option<&str>, Option<&str>) {
    (c["old"].as_str(), c["new"].as_str())
}

fn depts(c: &Value) -> Vec<&str> {
    c["departments"]
        .as_array()
        .map(|a| a.iter().map(|d| d.as_str().unwrap()).collect())
        .unwrap_or_default()
}

#[test]
fn quizzes_added_removed_retitled_and_given_another_stage_or_personas() {
    let r = Repo::new();
    r.write(
        "content/quizzes/aware-check.toml",
        "title = \"認知段階の確認\"\nstage = \"aware\"\n\n[[questions]]\nquestion = \"Q\"\nchoices = [\"a\", \"b\"]\nanswer = 1\n",
    );
    std::fs::remove_file(r.root.join("content/quizzes/basics.toml")).unwrap();
    r.edit(
        QUIZ,
        "title = \"検討段階の確認\"",
        "title = \"検討段階の理解度チェック\"",
    );
    r.edit(QUIZ, "stage = \"consider\"", "stage = \"decide\"");
    r.edit(
        QUIZ,
        "personas = [\"情シス課長\"]",
        "personas = [\"情シス課長\", \"cfo\"]",
    );
    r.commit("quizzes");
    let v = r.last();
    assert!(changes(&v).iter().all(|c| c["area"] == "quizzes"));

    let added = one(&v, "quiz.added", None);
    assert_eq!(named(&added["subject"]), ("aware-check", "認知段階の確認"));
    assert_eq!(named(&added["stage"]), ("aware", "認知"));
    assert_eq!(depts(added), ["marketing"], "the stage's owner is told");

    let removed = one(&v, "quiz.removed", None);
    assert_eq!(named(&removed["subject"]), ("basics", "基本の確認"));
    assert!(removed.get("stage").is_none() && depts(removed).is_empty());

    let retitled = one(&v, "quiz.retitled", Some("title"));
    assert_eq!(
        old_new(retitled),
        (Some("検討段階の確認"), Some("検討段階の理解度チェック"))
    );
    assert_eq!(named(&retitled["subject"]).1, "検討段階の理解度チェック");

    let moved = one(&v, "quiz.changed", Some("stage"));
    assert_eq!(old_new(moved), (Some("検討"), Some("決定")));
    assert!(moved.get("words").is_none(), "two stage names read whole");
    assert_eq!(named(&moved["stage"]), ("decide", "決定"));
    assert_eq!(depts(moved), ["営業"]);

    let personas = one(&v, "quiz.changed", Some("personas"));
    assert_eq!(
        old_new(personas),
        (Some("情シス課長"), Some("情シス課長, cfo"))
    );
    assert_eq!(changes(&v).len(), 5);

    let text = r.diff("text");
    for line in [
        "== 知識チェック",
        "認知段階の確認\n  - 認知: 追加",
        "基本の確認\n  - 削除",
        "決定: タイトルを変更",
        "決定: ステージを変更",
        "決定: 対象ペルソナを変更",
    ] {
        assert!(text.contains(line), "«{line}» in:\n{text}");
    }
}

#[test]
fn questions_added_removed_reworded_and_their_answers_choices_and_explanations() {
    let r = Repo::new();
    // Question 1: another right answer and another explanation.
    r.edit(
        QUIZ,
        "answer = 2\nexplanation = \"課長を",
        "answer = 3\nexplanation = \"まず課長を",
    );
    // Question 2: removed. Question 3: reworded, a choice added.
    r.edit(
        QUIZ,
        "[[questions]]\nquestion = \"**E** は何の頭文字？\"\nchoices = [\"Economic buyer\", \"Evaluation\", \"Email\"]\nanswer = 1\n\n",
        "",
    );
    r.edit(
        QUIZ,
        "検討中のお客さまに効く資料は？",
        "比較検討中のお客さまに効く資料は？",
    );
    r.edit(QUIZ, "\"会社案内\"]", "\"会社案内\", \"価格表\"]");
    // A new last question.
    let text = std::fs::read_to_string(r.root.join(QUIZ)).unwrap();
    r.write(
        QUIZ,
        &format!("{text}\n[[questions]]\nquestion = \"[チャンピオン](glossary:チャンピオン)とは？\"\nchoices = [\"社内で推してくれる人\", \"競合の営業\"]\nanswer = 1\n"),
    );
    r.commit("questions");
    let v = r.last();
    let q = |c: &Value| named(&c["question"]).0.to_string();

    let answer = one(&v, "quiz.question.changed", Some("answer"));
    assert_eq!(q(answer), "question-1");
    assert_eq!(
        named(&answer["question"]).1,
        "課長が「上を説得する材料がない」と言ったら？"
    );
    assert_eq!(
        old_new(answer),
        (
            Some("決裁者の判断軸を一緒に確かめる"),
            Some("役員に直接会う")
        )
    );
    assert!(answer.get("words").is_none(), "two answers read whole");
    assert_eq!(named(&answer["stage"]), ("consider", "検討"));
    assert_eq!(depts(answer), ["営業"]);

    let explanation = one(&v, "quiz.question.changed", Some("explanation"));
    assert_eq!(q(explanation), "question-1");
    assert_eq!(
        old_new(explanation),
        (
            Some("課長を[チャンピオン](glossary:チャンピオン)にします。"),
            Some("まず課長を[チャンピオン](glossary:チャンピオン)にします。")
        )
    );

    let removed = one(&v, "quiz.question.removed", None);
    assert_eq!(
        named(&removed["question"]),
        ("question-2", "**E** は何の頭文字？")
    );

    let reworded = one(&v, "quiz.question.changed", Some("question"));
    assert_eq!(q(reworded), "question-2", "numbered in the new quiz");
    assert_eq!(
        old_new(reworded),
        (
            Some("検討中のお客さまに効く資料は？"),
            Some("比較検討中のお客さまに効く資料は？")
        )
    );
    assert!(reworded.get("words").is_some());

    let choices = one(&v, "quiz.question.changed", Some("choices"));
    assert_eq!(
        old_new(choices),
        (
            Some("機能一覧 / 同業の導入事例 / 会社案内"),
            Some("機能一覧 / 同業の導入事例 / 会社案内 / 価格表")
        )
    );

    let added = one(&v, "quiz.question.added", None);
    assert_eq!(
        named(&added["question"]),
        ("question-3", "[チャンピオン](glossary:チャンピオン)とは？")
    );
    assert_eq!(changes(&v).len(), 6, "{v:#}");

    // Text: the question named in corner brackets, the change in words.
    let text = r.diff("text");
    for line in [
        "  - 検討 「課長が「上を説得する材料がない」と言ったら？」: 正解を変更\n      - 決裁者の判断軸を一緒に確かめる\n      + 役員に直接会う",
        ": 解説を変更",
        "  - 検討 「**E** は何の頭文字？」: 設問を削除",
        "  - 検討: 設問を書き換え\n      {+比較+}検討中のお客さまに効く資料は？",
        ": 選択肢を変更\n      機能一覧 / 同業の導入事例 / 会社案内{+ / 価格表+}",
        ": 設問を追加",
    ] {
        assert!(text.contains(line), "«{line}» in:\n{text}");
    }
    let md = r.diff("markdown");
    assert!(md.contains("#### 知識チェック"), "{md}");
    assert!(md.contains("正解を変更\n  - <del>決裁者の判断軸を一緒に確かめる</del>\n  - <ins>役員に直接会う</ins>"), "{md}");
    let html = r.diff("html");
    assert!(html.contains("<h2>知識チェック</h2>"), "{html}");
    assert!(
        html.contains("<span class=\"where\">検討 「**E** は何の頭文字？」</span>: 設問を削除"),
        "{html}"
    );
}

#[test]
fn choices_reordered_with_the_answer_following_or_the_answer_reworded_are_not_new_answers() {
    let r = Repo::new();
    // Question 2: the same right answer, now third.
    r.edit(
        QUIZ,
        "choices = [\"Economic buyer\", \"Evaluation\", \"Email\"]\nanswer = 1",
        "choices = [\"Evaluation\", \"Email\", \"Economic buyer\"]\nanswer = 3",
    );
    // Question 3: the right choice reworded where it stands.
    r.edit(QUIZ, "\"同業の導入事例\"", "\"同じ業種の導入事例\"");
    r.commit("choices");
    let v = r.last();
    let kinds: Vec<(&str, &str)> = changes(&v)
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("quiz.question.changed", "choices"),
            ("quiz.question.changed", "choices")
        ],
        "{v:#}"
    );

    // The answer moved to another choice while the choices stayed: a new answer.
    r.edit(
        QUIZ,
        "\"Email\", \"Economic buyer\"]\nanswer = 3",
        "\"Email\", \"Economic buyer\"]\nanswer = 2",
    );
    r.commit("answer");
    let v = r.last();
    let answer = one(&v, "quiz.question.changed", Some("answer"));
    assert_eq!(old_new(answer), (Some("Economic buyer"), Some("Email")));
    assert_eq!(changes(&v).len(), 1);
}

#[test]
fn a_reformatted_quiz_is_no_change_and_a_renamed_one_a_rename() {
    let r = Repo::new();
    // Reformatted: comments, blank lines, another quoting style, spaces around a question.
    r.write(
        "content/quizzes/basics.toml",
        "# 基本\ntitle = '基本の確認'\n\n\n[[questions]]\nquestion = '  リードかどうかを決めるのは？ '\nanswer = 2\nchoices = [ '営業の都合', 'お客さまの状態' ]\n",
    );
    r.commit("reformat");
    let v = r.last();
    assert!(changes(&v).is_empty(), "{v:#}");

    std::fs::rename(
        r.root.join("content/quizzes/basics.toml"),
        r.root.join("content/quizzes/lead-basics.toml"),
    )
    .unwrap();
    r.commit("rename");
    let v = r.last();
    let renamed = one(&v, "quiz.renamed", Some("id"));
    assert_eq!(old_new(renamed), (Some("basics"), Some("lead-basics")));
    assert_eq!(changes(&v).len(), 1, "{v:#}");
}

#[test]
fn the_history_page_links_the_quiz_and_renders_its_markdown() {
    let r = Repo::new();
    r.edit(
        "tabiji.toml",
        "language = \"ja\"",
        "language = \"ja\"\n\n[history]\ncommits = 5",
    );
    r.commit("history");
    r.edit(
        QUIZ,
        "choices = [\"Economic buyer\", \"Evaluation\", \"Email\"]\nanswer = 1",
        "choices = [\"Economic buyer\", \"Evaluation\", \"Email\"]\nanswer = 2",
    );
    r.commit("正解を直す");
    let out = r.root.join("out");
    r.tabiji(&["build", ".", "-o", out.to_str().unwrap()]);
    let page = std::fs::read_to_string(out.join("changes/index.html")).unwrap();
    let entry = &page[page.find("正解を直す").unwrap()..];
    let entry = &entry[..entry.find("class=\"history-entry\"").unwrap_or(entry.len())];
    assert!(entry.contains("<span class=\"area\">知識チェック</span> <a href=\"/quizzes/consider-check/\">検討段階の確認</a>"), "{entry}");
    assert!(
        entry.contains("「<strong>E</strong> は何の頭文字？」"),
        "{entry}"
    );
    assert!(entry.contains(": 正解を変更"), "{entry}");
    assert!(entry.contains("<del>Economic buyer</del>"), "{entry}");
    assert!(!page.contains("**E**"), "raw Markdown on the page");
}
