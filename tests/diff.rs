//! Integration tests of `tabiji diff` and `tabiji build --changes-since`: temporary git
//! repositories (made with the `git` command line) hold the small Japanese site of
//! `tests/fixtures/diff/base/`; each test commits it, makes known edits (committed or left in
//! the working tree) and runs the binary.
//!
//! - every change kind, asserted on `--format json` parsed with serde_json: personas added,
//!   removed, changed; journey cells changed (with a word diff that stays small in Japanese),
//!   filled in, emptied; stage fields; tasks added, removed, reworded, moved to another
//!   department, KPI changed; stages, rows and phases added, removed, renamed, reordered;
//!   departments (KPIs, clients, suppliers); playbooks added, removed, retitled, moved, body
//!   changed; glossary and onboarding; renamed files reported as renames of the id; Japanese
//!   ids; who must act, with the counts per department;
//! - a pure reformat (key order, blank lines, comments, quoting style) is no change at all;
//! - formats: text is plain when piped, Markdown folds long bodies in `<details>` and marks
//!   words with `<del>`/`<ins>`, HTML is a standalone document with every text escaped, JSON
//!   has the documented schema (docs/review.md);
//! - the site in a subfolder of the repository; revisions as `main`, `HEAD~1`, a tag, a full
//!   hash; the working tree as the default REV_B;
//! - errors (exit 2, naming the revision): a revision that does not exist, a folder outside
//!   any repository, a revision whose tabiji.toml is broken or whose content has errors;
//! - snapshots of the text and Markdown output of one representative diff (commit ids
//!   redacted). After an intended change of the output: `INSTA_UPDATE=always cargo test
//!   --test diff`, then read the changed `.snap` files.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::copy_dir;

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/base")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A git repository in a temporary folder holding the base site (at its root or in a
/// subfolder), committed once on `main`.
struct Repo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// The site's folder relative to `root` ("" at the root).
    sub: String,
}

impl Repo {
    fn new() -> Repo {
        Repo::with_site_at("")
    }

    fn with_site_at(sub: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let r = Repo {
            _dir: dir,
            root,
            sub: sub.to_string(),
        };
        copy_dir(&fixture(), &r.site());
        r.git(&["init", "-q", "-b", "main"]);
        r.commit("base site");
        r
    }

    fn site(&self) -> PathBuf {
        if self.sub.is_empty() {
            self.root.clone()
        } else {
            self.root.join(&self.sub)
        }
    }

    fn git(&self, args: &[&str]) -> String {
        common::git(&self.root, "2024-04-01T09:00:00+09:00", args)
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Replace the one occurrence of `from` in a site file.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} must hold `{from}` exactly once:\n{text}"
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.path(from), self.path(to)).unwrap();
    }

    /// Run tabiji in `cwd` (relative to the repository root).
    fn tabiji_in(&self, cwd: &str, args: &[&str]) -> Run {
        let o = Command::new(env!("CARGO_BIN_EXE_tabiji"))
            .current_dir(self.root.join(cwd))
            .env_remove("NO_COLOR")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(args)
            .output()
            .expect("run tabiji");
        Run {
            code: o.status.code().expect("exit code"),
            stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// `tabiji diff REVS… --format FORMAT`, run in the site's folder; must succeed.
    fn diff(&self, revs: &[&str], format: &str) -> String {
        let mut args = vec!["diff"];
        args.extend_from_slice(revs);
        args.extend_from_slice(&["--format", format]);
        let r = self.tabiji_in(&self.sub, &args);
        assert_eq!(
            r.code, 0,
            "tabiji {args:?} failed:\n{}{}",
            r.stdout, r.stderr
        );
        r.stdout
    }

    fn json(&self, revs: &[&str]) -> Value {
        let text = self.diff(revs, "json");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{text}"))
    }

    /// The changes of the last commit.
    fn last(&self) -> Value {
        self.json(&["HEAD~1", "HEAD"])
    }
}

fn changes(report: &Value) -> &Vec<Value> {
    report["changes"].as_array().expect("changes is an array")
}

fn kinds(report: &Value) -> Vec<&str> {
    changes(report)
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect()
}

/// The changes of `kind`.
fn of<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    changes(report)
        .iter()
        .filter(|c| c["kind"] == kind)
        .collect()
}

/// The one change of `kind` for which `pred` holds.
fn one<'a>(report: &'a Value, kind: &str, pred: impl Fn(&Value) -> bool) -> &'a Value {
    let found: Vec<&Value> = of(report, kind).into_iter().filter(|c| pred(c)).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one `{kind}` change matching, got {}:\n{}",
        found.len(),
        pretty(report)
    );
    found[0]
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

fn named(v: &Value) -> (String, String) {
    (
        v["id"].as_str().unwrap_or_default().to_string(),
        v["name"].as_str().unwrap_or_default().to_string(),
    )
}

fn n(id: &str, name: &str) -> (String, String) {
    (id.to_string(), name.to_string())
}

/// The departments that must act: id → (gained, lost, changed, other, kinds of their changes).
fn who(report: &Value, dept: &str) -> (u64, u64, u64, u64, Vec<String>) {
    let d = report["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"]["id"] == dept)
        .unwrap_or_else(|| panic!("department `{dept}` must act:\n{}", pretty(report)));
    let kinds = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            changes(report)[i.as_u64().unwrap() as usize]["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let u = |k: &str| d[k].as_u64().unwrap();
    (
        u("tasks_gained"),
        u("tasks_lost"),
        u("tasks_changed"),
        u("other_changes"),
        kinds,
    )
}

fn who_ids(report: &Value) -> Vec<String> {
    report["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["department"]["id"].as_str().unwrap().to_string())
        .collect()
}

fn depts(c: &Value) -> Vec<&str> {
    c["departments"]
        .as_array()
        .map(|a| a.iter().map(|d| d.as_str().unwrap()).collect())
        .unwrap_or_default()
}

/// Word pieces as (op, text).
fn words(c: &Value) -> Vec<(String, String)> {
    c["words"]
        .as_array()
        .unwrap_or_else(|| panic!("no words in {}", pretty(c)))
        .iter()
        .map(|p| {
            (
                p["op"].as_str().unwrap().to_string(),
                p["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The pieces put back together: (the old text, the new text).
fn rebuild(w: &[(String, String)]) -> (String, String) {
    let old = w
        .iter()
        .filter(|p| p.0 != "insert")
        .map(|p| p.1.as_str())
        .collect();
    let new = w
        .iter()
        .filter(|p| p.0 != "delete")
        .map(|p| p.1.as_str())
        .collect();
    (old, new)
}

/// Abbreviated commit ids in `(…)` replaced by `(<commit>)`.
fn redact_commits(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('(') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let hex = after.chars().take_while(char::is_ascii_hexdigit).count();
        if (4..=40).contains(&hex) && after[hex..].starts_with(')') {
            out.push_str("(<commit>)");
            rest = &after[hex + 1..];
        } else {
            out.push('(');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

const JOURNEY: &str = "content/journeys/情シス課長-新規.toml";
const PERSONA: &str = "content/personas/情シス課長.md";

// ---------------------------------------------------------------------------------------------
// Reformatting
// ---------------------------------------------------------------------------------------------

const REFORMATTED_CONFIG: &str = r#"

# 設定: キーの順序・引用符・空行・コメントだけを変えた
language = 'ja'
title    = 'ACME 営業プレイブック'


[[phases]]
name = 'リード'   # 名前が先
id = "lead"
[[phases]]
name = "顧客"
id = 'customer'

[[stages]]
owner = 'marketing'
phase = "lead"
summary = '''課題に気づく'''
name = "認知"
id = "aware"


[[stages]]
# 検討
name = "検討"
owner = "営業"
id = 'consider'
phase = 'lead'

[[stages]]
phase = "customer"
owner = """営業"""
id = "decide"
name = "決定"

[[rows]]
description = '顧客が抱える課題'
name = "課題"
id = "problem"

[[rows]]
name = '思考'
id = 'thinking'
"#;

const REFORMATTED_JOURNEY: &str = r#"# 新規導入のジャーニー
name = '新規導入'
persona = "情シス課長"

[stages.decide]   # テーブルの順序も入れ替えた
problem = '稟議が通るか不安'
[[stages.decide.tasks]]
task = "導入計画を示す"
department = 'cs'

[stages.consider]
emotion = 1
thinking = """他社はどうしているのか"""
problem = '比較する方法がない'

[[stages.consider.tasks]]
task = 'デモを実施する'
department = "営業"
[[stages.consider.tasks]]

task = "比較表を送る"
department = "marketing"


[[stages.consider.tasks]]
kpi = 'デモ10件'
task = '次のステップを合意する'
department = '営業'

[stages.aware]
emotion = -1
touchpoints = [
  '記事',
  "ウェビナー",   # 末尾のカンマ
]
experience = '''課題を数字で示す'''
thinking = 'Excel で管理するのは限界かもしれない'
problem = "年1回の棚卸で台帳と現物が合わない"

[[stages.aware.tasks]]
kpi = "月300PV"
task = "事例記事を公開する"
department = "marketing"
"#;

const REFORMATTED_PERSONA: &str = "+++\n# 前付けのコメント\nconcerns = ['移行の手間']\n\ngoals = [\n  \"棚卸の工数を半分にする\",\n]\ncompany = '製造業 / 1,000名'\nsummary = \"\"\"台帳管理に悩む\"\"\"\nrole = 'decision-maker'\nname = '情報システム部 課長'\n\n+++\n資産台帳を管理している。[チャンピオン](glossary:チャンピオン)になりうる。\n";

const REFORMATTED_DEPARTMENT: &str = "+++\nkpis = [ 'MQL 月120件' ]  # KPI\nclients = ['営業']\nname = 'マーケティング'\n+++\nリードを[営業](department:営業)に渡す。\n";

const REFORMATTED_PLAYBOOK: &str = "+++\norder = 10\ndepartments = [\"営業\"]\n\nstage = 'consider'\ntitle = '検討段階のヒアリング'\n+++\n## 聞くこと\n\n- [ ] 現在の棚卸の頻度\n- [ ] 台帳の管理方法\n- [ ] 決裁者は誰か\n";

/// Terms in the other order, too: the glossary is sorted for display.
const REFORMATTED_GLOSSARY: &str = r#"# 用語集

[[terms]]
definition = """決裁を得るための社内手続き"""
term = "稟議"
reading = 'りんぎ'


[[terms]]
definition = '社内で導入を推進してくれる人'
reading = "ちゃんぴおん"
term = 'チャンピオン'
"#;

const REFORMATTED_ONBOARDING: &str = r#"
[[steps]]
pages = [ 'personas/情シス課長' ]
title = 'ペルソナを知る'

[[steps]]
note = 'ロールプレイをする'
pages = ["playbooks/hearing"]
title = "ヒアリングを学ぶ"

"#;

#[test]
fn a_pure_reformat_is_no_change_at_all() {
    let r = Repo::new();
    r.write("tabiji.toml", REFORMATTED_CONFIG);
    r.write(JOURNEY, REFORMATTED_JOURNEY);
    r.write(PERSONA, REFORMATTED_PERSONA);
    r.write("content/departments/marketing.md", REFORMATTED_DEPARTMENT);
    r.write("content/playbooks/hearing.md", REFORMATTED_PLAYBOOK);
    r.write("content/glossary.toml", REFORMATTED_GLOSSARY);
    let onboarding =
        format!("# オンボーディング\ntitle = \"新人 最初の1週間\"\n{REFORMATTED_ONBOARDING}");
    r.write("content/onboarding.toml", &onboarding);
    // The working tree (nothing committed yet) and the committed reformat.
    let wt = r.json(&["HEAD"]);
    assert_eq!(
        changes(&wt).len(),
        0,
        "reformatting is no change:\n{}",
        pretty(&wt)
    );
    assert_eq!(wt["departments"], serde_json::json!([]));
    assert_eq!(wt["to"], "working tree");
    r.commit("reformat");
    let v = r.last();
    assert_eq!(
        changes(&v).len(),
        0,
        "reformatting is no change:\n{}",
        pretty(&v)
    );
    assert_eq!(v["departments"], serde_json::json!([]));
    // The files did change for git.
    assert_eq!(
        r.git(&["diff", "--name-only", "HEAD~1", "HEAD"])
            .lines()
            .count(),
        7
    );
    let text = r.diff(&["HEAD~1", "HEAD"], "text");
    assert!(text.contains("変更はありません。"), "{text}");
    let md = r.diff(&["HEAD~1", "HEAD"], "markdown");
    assert!(md.contains("変更はありません"), "{md}");
    let html = r.diff(&["HEAD~1", "HEAD"], "html");
    assert!(html.contains("<p>変更はありません。</p>"), "{html}");
}

#[test]
fn crlf_line_endings_are_no_change() {
    let r = Repo::new();
    for f in [
        "tabiji.toml",
        JOURNEY,
        PERSONA,
        "content/playbooks/hearing.md",
        "content/glossary.toml",
    ] {
        let text = r.read(f);
        r.write(f, &text.replace('\n', "\r\n"));
    }
    r.commit("crlf");
    let v = r.last();
    assert_eq!(kinds(&v), Vec::<&str>::new(), "{}", pretty(&v));
}

#[test]

fn blank_lines_around_a_markdown_body_are_no_change() {
    let r = Repo::new();
    // A blank line between the front matter and the body, and one more at its end: the page
    // renders the same.
    let p = r.read(PERSONA).replacen("+++\n資産", "+++\n\n資産", 1) + "\n";
    r.write(PERSONA, &p);
    r.edit(
        "content/playbooks/demo.md",
        "2. 画面を見せる\n",
        "2. 画面を見せる\n\n\n",
    );
    r.commit("blank lines");
    let v = r.last();
    assert_eq!(kinds(&v), Vec::<&str>::new(), "{}", pretty(&v));
}

#[test]
fn identical_revisions_have_no_change() {
    let r = Repo::new();
    let v = r.json(&["HEAD", "HEAD"]);
    assert_eq!(changes(&v).len(), 0);
    // The working tree equals HEAD.
    let v = r.json(&["HEAD"]);
    assert_eq!(changes(&v).len(), 0);
}

// ---------------------------------------------------------------------------------------------
// Change kinds
// ---------------------------------------------------------------------------------------------

#[test]
fn personas_added_removed_and_fields_changed() {
    let r = Repo::new();
    r.write(
        "content/personas/経理部長.md",
        "+++\nname = \"経理部 部長\"\nrole = \"influencer\"\n+++\n予算を握る。\n",
    );
    r.remove("content/personas/cfo.md");
    r.edit(
        PERSONA,
        "summary = \"台帳管理に悩む\"",
        "summary = \"台帳管理と監査対応に悩む\"",
    );
    r.edit(
        PERSONA,
        "goals = [\"棚卸の工数を半分にする\"]",
        "goals = [\"棚卸の工数を半分にする\", \"監査で指摘を受けない\"]",
    );
    r.edit(PERSONA, "role = \"decision-maker\"\n", "");
    r.edit(PERSONA, "になりうる。", "になりうる。\n\n予算は持たない。");
    r.commit("personas");
    let v = r.last();

    let added = one(&v, "persona.added", |_| true);
    assert_eq!(added["area"], "personas");
    assert_eq!(named(&added["subject"]), n("経理部長", "経理部 部長"));
    let removed = one(&v, "persona.removed", |_| true);
    assert_eq!(named(&removed["subject"]), n("cfo", "CFO"));

    let summary = one(&v, "persona.changed", |c| c["field"] == "summary");
    assert_eq!(
        named(&summary["subject"]),
        n("情シス課長", "情報システム部 課長")
    );
    assert_eq!(summary["old"], "台帳管理に悩む");
    assert_eq!(summary["new"], "台帳管理と監査対応に悩む");
    let w = words(summary);
    assert_eq!(
        rebuild(&w),
        (s("台帳管理に悩む"), s("台帳管理と監査対応に悩む"))
    );
    assert!(
        w.iter().any(|p| p.0 == "equal" && p.1.contains("台帳")),
        "{w:?}"
    );

    let goals = one(&v, "persona.changed", |c| c["field"] == "goals");
    assert_eq!(goals["old"], "棚卸の工数を半分にする");
    assert_eq!(goals["new"], "棚卸の工数を半分にする, 監査で指摘を受けない");

    let role = one(&v, "persona.changed", |c| c["field"] == "role");
    assert_eq!(role["old"], "decision-maker");
    assert!(
        role.get("new").is_none(),
        "a field removed has no `new`: {role}"
    );

    let body = one(&v, "persona.changed", |c| c["field"] == "body");
    assert!(body["new"].as_str().unwrap().contains("予算は持たない。"));

    assert_eq!(of(&v, "persona.changed").len(), 4, "{}", pretty(&v));
    assert_eq!(changes(&v).len(), 6, "{}", pretty(&v));
    // Personas belong to no department.
    assert_eq!(who_ids(&v), Vec::<String>::new());
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn a_japanese_cell_edit_gives_a_small_word_diff() {
    let r = Repo::new();
    r.edit(JOURNEY, "年1回の棚卸", "年2回の棚卸");
    r.commit("cell");
    let v = r.last();
    assert_eq!(kinds(&v), ["journey.cell.changed"], "{}", pretty(&v));
    let c = &changes(&v)[0];
    assert_eq!(c["area"], "journeys");
    assert_eq!(named(&c["subject"]), n("情シス課長-新規", "新規導入"));
    assert_eq!(named(&c["persona"]), n("情シス課長", "情報システム部 課長"));
    assert_eq!(named(&c["stage"]), n("aware", "認知"));
    assert_eq!(named(&c["row"]), n("problem", "課題"));
    assert_eq!(c["old"], "年1回の棚卸で台帳と現物が合わない");
    assert_eq!(c["new"], "年2回の棚卸で台帳と現物が合わない");
    let w = words(c);
    assert_eq!(
        rebuild(&w),
        (
            s("年1回の棚卸で台帳と現物が合わない"),
            s("年2回の棚卸で台帳と現物が合わない")
        )
    );
    let del: Vec<&(String, String)> = w.iter().filter(|p| p.0 == "delete").collect();
    let ins: Vec<&(String, String)> = w.iter().filter(|p| p.0 == "insert").collect();
    assert_eq!(
        (del.len(), ins.len()),
        (1, 1),
        "one deletion, one insertion: {w:?}"
    );
    assert!(
        del[0].1.contains('1') && del[0].1.chars().count() <= 3,
        "a small deletion: {w:?}"
    );
    assert!(
        ins[0].1.contains('2') && ins[0].1.chars().count() <= 3,
        "a small insertion: {w:?}"
    );
    assert!(
        w.last().unwrap().0 == "equal"
            && w.last()
                .unwrap()
                .1
                .ends_with("の棚卸で台帳と現物が合わない"),
        "{w:?}"
    );
    // The stage's owner must learn of it.
    assert_eq!(depts(c), ["marketing"]);
    let (g, l, ch, other, k) = who(&v, "marketing");
    assert_eq!((g, l, ch, other), (0, 0, 0, 1));
    assert_eq!(k, ["journey.cell.changed"]);
    assert_eq!(v["departments"][0]["department"]["name"], "マーケティング");
}

#[test]
fn cells_filled_in_and_emptied_and_stage_fields() {
    let r = Repo::new();
    r.edit(
        JOURNEY,
        "problem = \"稟議が通るか不安\"",
        "problem = \"稟議が通るか不安\"\nthinking = \"上司をどう説得するか\"",
    );
    r.edit(JOURNEY, "thinking = \"他社はどうしているのか\"\n", "");
    r.edit(
        JOURNEY,
        "experience = \"課題を数字で示す\"",
        "experience = \"課題を金額で示す\"",
    );
    r.edit(
        JOURNEY,
        "touchpoints = [\"記事\", \"ウェビナー\"]",
        "touchpoints = [\"記事\", \"展示会\"]",
    );
    r.edit(
        JOURNEY,
        "emotion = 1\n",
        "emotion = 2\nnotes = \"競合A社と比較されやすい\"\n",
    );
    r.commit("cells");
    let v = r.last();

    let filled = one(&v, "journey.cell.added", |_| true);
    assert_eq!(named(&filled["stage"]), n("decide", "決定"));
    assert_eq!(named(&filled["row"]), n("thinking", "思考"));
    assert!(filled.get("old").is_none());
    assert_eq!(filled["new"], "上司をどう説得するか");
    assert_eq!(depts(filled), ["営業"]);

    let emptied = one(&v, "journey.cell.removed", |_| true);
    assert_eq!(named(&emptied["stage"]), n("consider", "検討"));
    assert_eq!(named(&emptied["row"]), n("thinking", "思考"));
    assert_eq!(emptied["old"], "他社はどうしているのか");
    assert!(emptied.get("new").is_none());

    let exp = one(&v, "journey.stage.changed", |c| c["field"] == "experience");
    assert_eq!(named(&exp["stage"]), n("aware", "認知"));
    assert_eq!(
        (exp["old"].as_str(), exp["new"].as_str()),
        (Some("課題を数字で示す"), Some("課題を金額で示す"))
    );
    let tp = one(&v, "journey.stage.changed", |c| c["field"] == "touchpoints");
    assert_eq!(
        (tp["old"].as_str(), tp["new"].as_str()),
        (Some("記事, ウェビナー"), Some("記事, 展示会"))
    );
    let emo = one(&v, "journey.stage.changed", |c| c["field"] == "emotion");
    assert_eq!(named(&emo["stage"]), n("consider", "検討"));
    assert_eq!(
        (emo["old"].as_str(), emo["new"].as_str()),
        (Some("1"), Some("2"))
    );
    let notes = one(&v, "journey.stage.changed", |c| c["field"] == "notes");
    assert!(notes.get("old").is_none());
    assert_eq!(notes["new"], "競合A社と比較されやすい");
    assert_eq!(changes(&v).len(), 6, "{}", pretty(&v));

    // Owners: aware → marketing (2 changes), consider and decide → 営業 (3 changes).
    assert_eq!(who(&v, "marketing").3, 2);
    assert_eq!(who(&v, "営業").3, 4);
    assert_eq!(who_ids(&v), ["marketing", "営業"]);
}

#[test]
fn tasks_added_removed_reworded_moved_and_kpi_changed() {
    let r = Repo::new();
    // Added (with a KPI), in aware for cs.
    r.edit(
        JOURNEY,
        "kpi = \"月300PV\"\n",
        "kpi = \"月500PV\"\n\n[[stages.aware.tasks]]\ndepartment = \"cs\"\ntask = \"導入事例を共有する\"\nkpi = \"事例3件\"\n",
    );
    // Moved from marketing to 営業; 「次のステップを合意する」 removed.
    r.edit(
        JOURNEY,
        "department = \"marketing\"\ntask = \"比較表を送る\"",
        "department = \"営業\"\ntask = \"比較表を送る\"",
    );
    r.edit(JOURNEY, "[[stages.consider.tasks]]\ndepartment = \"営業\"\ntask = \"次のステップを合意する\"\nkpi = \"デモ10件\"\n", "");
    // Reworded.
    r.edit(
        JOURNEY,
        "task = \"導入計画を示す\"",
        "task = \"導入計画とスケジュールを示す\"",
    );
    r.commit("tasks");
    let v = r.last();

    let added = one(&v, "task.added", |_| true);
    assert_eq!(named(&added["stage"]), n("aware", "認知"));
    assert_eq!(named(&added["department"]), n("cs", "カスタマーサクセス"));
    assert!(
        added["new"]
            .as_str()
            .unwrap()
            .contains("導入事例を共有する"),
        "{added}"
    );
    assert!(
        added["new"].as_str().unwrap().contains("事例3件"),
        "the KPI of a new task is shown: {added}"
    );
    assert_eq!(depts(added), ["cs"]);

    let removed = one(&v, "task.removed", |_| true);
    assert_eq!(named(&removed["stage"]), n("consider", "検討"));
    assert_eq!(
        named(&removed["department"]),
        n("営業", "フィールドセールス")
    );
    assert_eq!(removed["old"], "次のステップを合意する");
    assert_eq!(depts(removed), ["営業"]);

    let moved = one(&v, "task.moved", |_| true);
    assert_eq!(moved["field"], "department");
    assert_eq!(moved["task"], "比較表を送る");
    assert_eq!(named(&moved["stage"]), n("consider", "検討"));
    assert_eq!(
        named(&moved["department"]),
        n("営業", "フィールドセールス"),
        "department = where it went"
    );
    assert_eq!(
        (moved["old"].as_str(), moved["new"].as_str()),
        (Some("マーケティング"), Some("フィールドセールス"))
    );
    let mut d = depts(moved);
    d.sort();
    assert_eq!(d, ["marketing", "営業"]);

    let reworded = one(&v, "task.changed", |_| true);
    assert_eq!(reworded["field"], "task");
    assert_eq!(named(&reworded["stage"]), n("decide", "決定"));
    assert_eq!(
        named(&reworded["department"]),
        n("cs", "カスタマーサクセス")
    );
    assert_eq!(reworded["old"], "導入計画を示す");
    assert_eq!(reworded["new"], "導入計画とスケジュールを示す");
    assert!(
        words(reworded)
            .iter()
            .any(|p| p.0 == "insert" && p.1.contains("スケジュール"))
    );

    let kpi = one(&v, "task.kpi.changed", |_| true);
    assert_eq!(kpi["field"], "kpi");
    assert_eq!(kpi["task"], "事例記事を公開する");
    assert_eq!(named(&kpi["department"]), n("marketing", "マーケティング"));
    assert_eq!(
        (kpi["old"].as_str(), kpi["new"].as_str()),
        (Some("月300PV"), Some("月500PV"))
    );

    assert_eq!(changes(&v).len(), 5, "{}", pretty(&v));

    // Who must act.
    let (g, l, c, o, _) = who(&v, "marketing");
    assert_eq!(
        (g, l, c, o),
        (0, 1, 1, 0),
        "marketing lost the comparison sheet, its KPI changed"
    );
    let (g, l, c, o, _) = who(&v, "営業");
    assert_eq!(
        (g, l, c, o),
        (1, 1, 0, 0),
        "営業 gained the comparison sheet and lost the next steps"
    );
    let (g, l, c, o, k) = who(&v, "cs");
    assert_eq!((g, l, c, o), (1, 0, 1, 0));
    assert_eq!(k, ["task.added", "task.changed"]);
    assert_eq!(who_ids(&v), ["cs", "marketing", "営業"]);
    let d = v["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"]["id"] == "営業")
        .unwrap();
    assert_eq!(d["department"]["name"], "フィールドセールス");
}

#[test]
fn task_moved_with_a_new_kpi_and_task_kpi_added() {
    let r = Repo::new();
    r.edit(
        JOURNEY,
        "department = \"cs\"\ntask = \"導入計画を示す\"",
        "department = \"営業\"\ntask = \"導入計画を示す\"\nkpi = \"提案書1件\"",
    );
    r.commit("move with kpi");
    let v = r.last();
    assert_eq!(
        kinds(&v),
        ["task.moved", "task.kpi.changed"],
        "{}",
        pretty(&v)
    );
    let kpi = one(&v, "task.kpi.changed", |_| true);
    assert!(kpi.get("old").is_none());
    assert_eq!(kpi["new"], "提案書1件");
    assert_eq!(who(&v, "cs").1, 1);
    let (g, _, c, _, _) = who(&v, "営業");
    assert_eq!((g, c), (1, 1));
}

#[test]
fn tasks_reordered_within_a_stage_are_no_change() {
    let r = Repo::new();
    let j = r.read(JOURNEY);
    let demo = "[[stages.consider.tasks]]\ndepartment = \"営業\"\ntask = \"デモを実施する\"\n\n";
    let sheet =
        "[[stages.consider.tasks]]\ndepartment = \"marketing\"\ntask = \"比較表を送る\"\n\n";
    assert!(j.contains(&format!("{demo}{sheet}")));
    r.write(
        JOURNEY,
        &j.replacen(&format!("{demo}{sheet}"), &format!("{sheet}{demo}"), 1),
    );
    r.commit("reorder tasks");
    let v = r.last();
    assert_eq!(kinds(&v), Vec::<&str>::new(), "{}", pretty(&v));
}

#[test]
fn stages_added_removed_renamed_and_changed() {
    let r = Repo::new();
    let cfg = r.read("tabiji.toml");
    // decide removed (and its journey table); use added; consider renamed; aware's summary,
    // owner and phase changed.
    let cfg = cfg.replacen(
        "[[stages]]\nid = \"decide\"\nname = \"決定\"\nphase = \"customer\"\nowner = \"営業\"\n",
        "[[stages]]\nid = \"use\"\nname = \"利用\"\nphase = \"customer\"\nowner = \"cs\"\n",
        1,
    );
    let cfg = cfg.replacen("name = \"検討\"", "name = \"比較検討\"", 1);
    let cfg = cfg.replacen(
        "summary = \"課題に気づく\"\nphase = \"lead\"\nowner = \"marketing\"",
        "summary = \"課題に気づき始める\"\nphase = \"customer\"\nowner = \"営業\"",
        1,
    );
    r.write("tabiji.toml", &cfg);
    let j = r.read(JOURNEY);
    let cut = j.find("[stages.decide]").unwrap();
    r.write(JOURNEY, &j[..cut]);
    r.commit("stages");
    let v = r.last();

    let added = one(&v, "stage.added", |_| true);
    assert_eq!(added["area"], "stages");
    assert_eq!(named(&added["subject"]), n("use", "利用"));
    let removed = one(&v, "stage.removed", |_| true);
    assert_eq!(named(&removed["subject"]), n("decide", "決定"));
    let renamed = one(&v, "stage.renamed", |_| true);
    assert_eq!(named(&renamed["subject"]), n("consider", "比較検討"));
    assert_eq!(renamed["field"], "name");
    assert_eq!(
        (renamed["old"].as_str(), renamed["new"].as_str()),
        (Some("検討"), Some("比較検討"))
    );
    assert!(
        of(&v, "stage.reordered").is_empty(),
        "the common stages keep their order: {}",
        pretty(&v)
    );

    let summary = one(&v, "stage.changed", |c| c["field"] == "summary");
    assert_eq!(named(&summary["subject"]), n("aware", "認知"));
    assert_eq!(summary["new"], "課題に気づき始める");
    let phase = one(&v, "stage.changed", |c| c["field"] == "phase");
    assert_eq!(
        (phase["old"].as_str(), phase["new"].as_str()),
        (Some("lead"), Some("customer"))
    );
    let owner = one(&v, "stage.changed", |c| c["field"] == "owner");
    assert_eq!(
        (owner["old"].as_str(), owner["new"].as_str()),
        (Some("marketing"), Some("営業"))
    );
    let mut d = depts(owner);
    d.sort();
    assert_eq!(
        d,
        ["marketing", "営業"],
        "the old and the new owner must both learn of it"
    );

    // The journey's decide column went with the stage: its cell and its task.
    let cell = one(&v, "journey.cell.removed", |_| true);
    assert_eq!(named(&cell["stage"]), n("decide", "決定"));
    assert_eq!(cell["old"], "稟議が通るか不安");
    let task = one(&v, "task.removed", |_| true);
    assert_eq!(named(&task["department"]), n("cs", "カスタマーサクセス"));
    assert_eq!(who(&v, "cs").1, 1);
}

#[test]
fn stages_and_rows_reordered() {
    let r = Repo::new();
    let cfg = r.read("tabiji.toml");
    let aware_at = cfg.find("[[stages]]\nid = \"aware\"").unwrap();
    let consider_at = cfg.find("[[stages]]\nid = \"consider\"").unwrap();
    let decide_at = cfg.find("[[stages]]\nid = \"decide\"").unwrap();
    let rows_at = cfg.find("[[rows]]").unwrap();
    let aware = &cfg[aware_at..consider_at];
    let consider = &cfg[consider_at..decide_at];
    let decide = &cfg[decide_at..rows_at];
    let rows = &cfg[rows_at..];
    let problem_end = rows[1..].find("[[rows]]").unwrap() + 1;
    let (problem, thinking) = (&rows[..problem_end], &rows[problem_end..]);
    let new = format!(
        "{}{consider}{aware}{decide}{}\n{}",
        &cfg[..aware_at],
        thinking.trim_end(),
        problem.trim_end()
    );
    r.write("tabiji.toml", &(new + "\n"));
    r.commit("reorder");
    let v = r.last();
    assert_eq!(
        kinds(&v),
        ["stage.reordered", "row.reordered"],
        "{}",
        pretty(&v)
    );
    let st = one(&v, "stage.reordered", |_| true);
    assert_eq!(st["field"], "order");
    assert_eq!(
        (st["old"].as_str(), st["new"].as_str()),
        (Some("認知 → 検討 → 決定"), Some("検討 → 認知 → 決定"))
    );
    let rw = one(&v, "row.reordered", |_| true);
    assert_eq!(
        (rw["old"].as_str(), rw["new"].as_str()),
        (Some("課題 → 思考"), Some("思考 → 課題"))
    );
}

#[test]
fn rows_added_removed_renamed_and_described() {
    let r = Repo::new();
    let cfg = r.read("tabiji.toml");
    let cfg = cfg.replacen(
        "[[rows]]\nid = \"thinking\"\nname = \"思考\"\n",
        "[[rows]]\nid = \"action\"\nname = \"行動\"\n",
        1,
    );
    let cfg = cfg.replacen(
        "name = \"課題\"\ndescription = \"顧客が抱える課題\"",
        "name = \"顧客の課題\"\ndescription = \"顧客が抱えている課題\"",
        1,
    );
    r.write("tabiji.toml", &cfg);
    // The thinking cells must go with their row; an action cell comes.
    let j = r
        .read(JOURNEY)
        .replacen(
            "thinking = \"Excel で管理するのは限界かもしれない\"\n",
            "action = \"ツールを検索する\"\n",
            1,
        )
        .replacen("thinking = \"他社はどうしているのか\"\n", "", 1);
    r.write(JOURNEY, &j);
    r.commit("rows");
    let v = r.last();

    assert_eq!(
        named(&one(&v, "row.added", |_| true)["subject"]),
        n("action", "行動")
    );
    assert_eq!(
        named(&one(&v, "row.removed", |_| true)["subject"]),
        n("thinking", "思考")
    );
    let renamed = one(&v, "row.renamed", |_| true);
    assert_eq!(named(&renamed["subject"]), n("problem", "顧客の課題"));
    assert_eq!(
        (renamed["old"].as_str(), renamed["new"].as_str()),
        (Some("課題"), Some("顧客の課題"))
    );
    let desc = one(&v, "row.changed", |_| true);
    assert_eq!(desc["field"], "description");
    assert_eq!(desc["new"], "顧客が抱えている課題");
    assert!(of(&v, "row.reordered").is_empty());

    // Cells of a removed row keep the old row's name; of a new row, the new name.
    let gone: Vec<&Value> = of(&v, "journey.cell.removed");
    assert_eq!(gone.len(), 2, "{}", pretty(&v));
    assert!(
        gone.iter()
            .all(|c| named(&c["row"]) == n("thinking", "思考"))
    );
    let filled = one(&v, "journey.cell.added", |_| true);
    assert_eq!(named(&filled["row"]), n("action", "行動"));
    assert_eq!(named(&filled["stage"]), n("aware", "認知"));
}

#[test]
fn phases_added_removed_and_renamed() {
    let r = Repo::new();
    let cfg = r
        .read("tabiji.toml")
        .replacen("name = \"リード\"", "name = \"見込み客\"", 1)
        .replacen(
            "[[phases]]\nid = \"customer\"\nname = \"顧客\"\n",
            "[[phases]]\nid = \"client\"\nname = \"既存顧客\"\n",
            1,
        )
        .replacen("phase = \"customer\"", "phase = \"client\"", 1);
    r.write("tabiji.toml", &cfg);
    r.commit("phases");
    let v = r.last();
    let renamed = one(&v, "phase.renamed", |_| true);
    assert_eq!(
        (renamed["old"].as_str(), renamed["new"].as_str()),
        (Some("リード"), Some("見込み客"))
    );
    assert_eq!(
        named(&one(&v, "phase.added", |_| true)["subject"]),
        n("client", "既存顧客")
    );
    assert_eq!(
        named(&one(&v, "phase.removed", |_| true)["subject"]),
        n("customer", "顧客")
    );
    let st = one(&v, "stage.changed", |c| c["field"] == "phase");
    assert_eq!(named(&st["subject"]), n("decide", "決定"));
}

#[test]
fn site_settings_changed() {
    let r = Repo::new();
    r.edit(
        "tabiji.toml",
        "title = \"ACME 営業プレイブック\"",
        "title = \"ACME 営業プレイブック 2025\"\ndescription = \"営業部門向け\"",
    );
    r.commit("site");
    let v = r.last();
    let t = one(&v, "site.changed", |c| c["field"] == "title");
    assert_eq!(t["area"], "site");
    assert_eq!(
        named(&t["subject"]),
        n("tabiji.toml", "ACME 営業プレイブック 2025")
    );
    assert_eq!(t["old"], "ACME 営業プレイブック");
    let d = one(&v, "site.changed", |c| c["field"] == "description");
    assert!(d.get("old").is_none());
    assert_eq!(d["new"], "営業部門向け");
    assert_eq!(changes(&v).len(), 2);
}

#[test]
fn departments_kpis_clients_suppliers_added() {
    let r = Repo::new();
    r.edit(
        "content/departments/marketing.md",
        "kpis = [\"MQL 月120件\"]",
        "kpis = [\"MQL 月150件\", \"SQL 月40件\"]",
    );
    r.edit(
        "content/departments/cs.md",
        "name = \"カスタマーサクセス\"",
        "name = \"カスタマーサクセス\"\nclients = [\"営業\"]",
    );
    r.edit(
        "content/departments/営業.md",
        "suppliers = [\"marketing\"]",
        "suppliers = [\"marketing\", \"cs\"]",
    );
    r.edit(
        "content/departments/営業.md",
        "商談を進めて受注する。",
        "商談を進めて受注し、CS に引き継ぐ。",
    );
    r.write(
        "content/departments/パートナー.md",
        "+++\nname = \"パートナー営業\"\n+++\n販売店を支援する。\n",
    );
    r.commit("departments");
    let v = r.last();

    let kpis = one(&v, "department.changed", |c| c["field"] == "kpis");
    assert_eq!(kpis["area"], "departments");
    assert_eq!(named(&kpis["subject"]), n("marketing", "マーケティング"));
    assert_eq!(
        (kpis["old"].as_str(), kpis["new"].as_str()),
        (Some("MQL 月120件"), Some("MQL 月150件, SQL 月40件"))
    );
    assert_eq!(depts(kpis), ["marketing"]);

    let clients = one(&v, "department.changed", |c| c["field"] == "clients");
    assert_eq!(named(&clients["subject"]), n("cs", "カスタマーサクセス"));
    assert!(clients.get("old").is_none());
    assert_eq!(clients["new"], "営業");
    assert_eq!(
        depts(clients),
        ["cs", "営業"],
        "the new client must hear of it"
    );

    let suppliers = one(&v, "department.changed", |c| c["field"] == "suppliers");
    assert_eq!(
        named(&suppliers["subject"]),
        n("営業", "フィールドセールス")
    );
    assert_eq!(
        (suppliers["old"].as_str(), suppliers["new"].as_str()),
        (Some("marketing"), Some("marketing, cs"))
    );
    assert_eq!(
        depts(suppliers),
        ["営業", "cs"],
        "the new supplier (not the unchanged one) must hear of it"
    );

    let body = one(&v, "department.changed", |c| c["field"] == "body");
    assert_eq!(named(&body["subject"]), n("営業", "フィールドセールス"));

    let added = one(&v, "department.added", |_| true);
    assert_eq!(named(&added["subject"]), n("パートナー", "パートナー営業"));
    assert_eq!(depts(added), ["パートナー"]);
    assert_eq!(changes(&v).len(), 5, "{}", pretty(&v));

    assert_eq!(who(&v, "cs").3, 2);
    assert_eq!(who(&v, "営業").3, 3);
    assert_eq!(who(&v, "marketing").3, 1);
    assert_eq!(who(&v, "パートナー").3, 1);

    // And removed again; renamed by name only.
    r.remove("content/departments/パートナー.md");
    r.edit(
        "content/departments/cs.md",
        "name = \"カスタマーサクセス\"",
        "name = \"CS\"",
    );
    r.commit("remove partner");
    let v = r.last();
    let removed = one(&v, "department.removed", |_| true);
    assert_eq!(
        named(&removed["subject"]),
        n("パートナー", "パートナー営業")
    );
    let name = one(&v, "department.changed", |c| c["field"] == "name");
    assert_eq!(
        (name["old"].as_str(), name["new"].as_str()),
        (Some("カスタマーサクセス"), Some("CS"))
    );
    assert_eq!(
        named(&v["departments"].as_array().unwrap()[0]["department"]),
        n("cs", "CS"),
        "the department by its new name"
    );
}

#[test]
fn playbooks_added_removed_retitled_moved_and_body_changed() {
    let r = Repo::new();
    r.write(
        "content/playbooks/反論対応.md",
        "+++\ntitle = \"よくある反論\"\nstage = \"decide\"\ndepartments = [\"営業\", \"cs\"]\n+++\n- 高い → 棚卸工数で比較する\n",
    );
    r.remove("content/playbooks/demo.md");
    r.edit(
        "content/playbooks/hearing.md",
        "title = \"検討段階のヒアリング\"",
        "title = \"ヒアリングの基本\"",
    );
    r.edit(
        "content/playbooks/hearing.md",
        "stage = \"consider\"",
        "stage = \"aware\"",
    );
    r.edit("content/playbooks/hearing.md", "order = 10", "order = 5");
    r.edit(
        "content/playbooks/hearing.md",
        "- [ ] 台帳の管理方法\n",
        "- [ ] 台帳の管理方法（Excel か専用ツールか）\n- [ ] 監査の予定\n",
    );
    r.commit("playbooks");
    let v = r.last();

    let added = one(&v, "playbook.added", |_| true);
    assert_eq!(added["area"], "playbooks");
    assert_eq!(named(&added["subject"]), n("反論対応", "よくある反論"));
    assert_eq!(named(&added["stage"]), n("decide", "決定"));
    assert_eq!(depts(added), ["営業", "cs"]);

    let removed = one(&v, "playbook.removed", |_| true);
    assert_eq!(named(&removed["subject"]), n("demo", "デモの進め方"));
    assert_eq!(named(&removed["stage"]), n("consider", "検討"));

    let retitled = one(&v, "playbook.retitled", |_| true);
    assert_eq!(
        named(&retitled["subject"]),
        n("hearing", "ヒアリングの基本")
    );
    assert_eq!(retitled["field"], "title");
    assert_eq!(
        (retitled["old"].as_str(), retitled["new"].as_str()),
        (Some("検討段階のヒアリング"), Some("ヒアリングの基本"))
    );

    let moved = one(&v, "playbook.moved", |_| true);
    assert_eq!(moved["field"], "stage");
    assert_eq!(
        (moved["old"].as_str(), moved["new"].as_str()),
        (Some("検討"), Some("認知"))
    );
    assert_eq!(
        named(&moved["stage"]),
        n("aware", "認知"),
        "stage = where it is now"
    );

    let order = one(&v, "playbook.changed", |c| c["field"] == "order");
    assert_eq!(
        (order["old"].as_str(), order["new"].as_str()),
        (Some("10"), Some("5"))
    );

    let body = one(&v, "playbook.body.changed", |_| true);
    assert_eq!(body["field"], "body");
    assert!(
        body["old"]
            .as_str()
            .unwrap()
            .contains("- [ ] 台帳の管理方法\n")
    );
    assert!(body["new"].as_str().unwrap().contains("- [ ] 監査の予定"));
    assert!(
        body.get("words").is_none(),
        "a body has no word diff: {body}"
    );
    assert_eq!(named(&body["row"]), n("summary", "+2 / -1 lines"));
    assert_eq!(depts(body), ["営業"]);
    assert_eq!(changes(&v).len(), 6, "{}", pretty(&v));

    let (_, _, _, other, _) = who(&v, "営業");
    assert_eq!(other, 6);
    assert_eq!(who(&v, "cs").3, 1);
}

#[test]
fn playbook_departments_and_personas_changed() {
    let r = Repo::new();
    r.edit(
        "content/playbooks/demo.md",
        "departments = [\"営業\"]",
        "departments = [\"営業\", \"marketing\"]\npersonas = [\"情シス課長\"]",
    );
    r.commit("playbook fields");
    let v = r.last();
    let d = one(&v, "playbook.changed", |c| c["field"] == "departments");
    assert_eq!(
        (d["old"].as_str(), d["new"].as_str()),
        (Some("営業"), Some("営業, marketing"))
    );
    let p = one(&v, "playbook.changed", |c| c["field"] == "personas");
    assert!(p.get("old").is_none());
    assert_eq!(p["new"], "情シス課長");
    assert_eq!(changes(&v).len(), 2);
}

#[test]
fn glossary_terms_added_removed_and_changed() {
    let r = Repo::new();
    let g = r
        .read("content/glossary.toml")
        .replacen(
            "definition = \"社内で導入を推進してくれる人\"",
            "definition = \"社内で導入を推進してくれる味方\"",
            1,
        )
        .replacen("reading = \"りんぎ\"", "reading = \"リンギ\"", 1)
        + "\n[[terms]]\nterm = \"MQL\"\ndefinition = \"マーケティングが認めたリード\"\n";
    r.write("content/glossary.toml", &g);
    r.commit("glossary 1");
    let v = r.last();
    let def = one(&v, "term.changed", |c| c["field"] == "definition");
    assert_eq!(def["area"], "glossary");
    assert_eq!(named(&def["subject"]), n("チャンピオン", "チャンピオン"));
    assert!(
        words(def)
            .iter()
            .any(|p| p.0 == "insert" && p.1.contains("味方"))
    );
    let reading = one(&v, "term.changed", |c| c["field"] == "reading");
    assert_eq!(named(&reading["subject"]), n("稟議", "稟議"));
    assert_eq!(
        (reading["old"].as_str(), reading["new"].as_str()),
        (Some("りんぎ"), Some("リンギ"))
    );
    let added = one(&v, "term.added", |_| true);
    assert_eq!(named(&added["subject"]), n("MQL", "MQL"));
    assert_eq!(added["new"], "マーケティングが認めたリード");
    assert_eq!(changes(&v).len(), 3);

    let g = r.read("content/glossary.toml").replacen("[[terms]]\nterm = \"稟議\"\nreading = \"リンギ\"\ndefinition = \"決裁を得るための社内手続き\"\n", "", 1);
    r.write("content/glossary.toml", &g);
    r.commit("glossary 2");
    let v = r.last();
    let removed = one(&v, "term.removed", |_| true);
    assert_eq!(named(&removed["subject"]), n("稟議", "稟議"));
    assert_eq!(removed["old"], "決裁を得るための社内手続き");
    assert_eq!(changes(&v).len(), 1);
}

#[test]
fn onboarding_steps_added_removed_and_changed() {
    let r = Repo::new();
    r.edit(
        "content/onboarding.toml",
        "title = \"新人 最初の1週間\"",
        "title = \"新人 最初の2週間\"",
    );
    r.edit(
        "content/onboarding.toml",
        "note = \"ロールプレイをする\"",
        "note = \"先輩とロールプレイをする\"",
    );
    r.write(
        "content/onboarding.toml",
        &(r.read("content/onboarding.toml")
            + "\n[[steps]]\ntitle = \"デモを見る\"\npages = [\"playbooks/demo\"]\n"),
    );
    r.commit("onboarding 1");
    let v = r.last();
    let title = one(&v, "onboarding.changed", |_| true);
    assert_eq!(title["area"], "onboarding");
    assert_eq!(title["field"], "title");
    assert_eq!(
        (title["old"].as_str(), title["new"].as_str()),
        (Some("新人 最初の1週間"), Some("新人 最初の2週間"))
    );
    let step = one(&v, "onboarding.step.changed", |_| true);
    assert_eq!(named(&step["subject"]), n("step-2", "ヒアリングを学ぶ"));
    assert!(
        step["new"]
            .as_str()
            .unwrap()
            .contains("先輩とロールプレイをする")
    );
    let added = one(&v, "onboarding.step.added", |_| true);
    assert_eq!(named(&added["subject"]), n("step-3", "デモを見る"));
    assert!(added["new"].as_str().unwrap().contains("playbooks/demo"));
    assert_eq!(changes(&v).len(), 3);

    let o = r.read("content/onboarding.toml");
    let cut = o.find("\n[[steps]]\ntitle = \"デモを見る\"").unwrap();
    r.write("content/onboarding.toml", &o[..cut]);
    r.commit("onboarding 2");
    let v = r.last();
    assert_eq!(kinds(&v), ["onboarding.step.removed"]);
    assert_eq!(named(&changes(&v)[0]["subject"]), n("step-3", "デモを見る"));

    r.remove("content/onboarding.toml");
    r.commit("onboarding 3");
    let v = r.last();
    assert_eq!(kinds(&v), ["onboarding.removed"]);
    assert_eq!(
        named(&changes(&v)[0]["subject"]),
        n("onboarding", "新人 最初の2週間")
    );
    let v = r.json(&["HEAD~3", "HEAD~2"]);
    assert_eq!(changes(&v).len(), 3);
    let v = r.json(&["HEAD", "HEAD~1"]);
    assert_eq!(kinds(&v), ["onboarding.added"]);
}

#[test]

fn onboarding_step_inserted_first_is_one_addition() {
    let r = Repo::new();
    r.edit(
        "content/onboarding.toml",
        "[[steps]]\ntitle = \"ペルソナを知る\"",
        "[[steps]]\ntitle = \"用語を覚える\"\npages = [\"glossary\"]\n\n[[steps]]\ntitle = \"ペルソナを知る\"",
    );
    r.commit("insert a step");
    let v = r.last();
    assert_eq!(kinds(&v), ["onboarding.step.added"], "{}", pretty(&v));
    assert_eq!(
        named(&changes(&v)[0]["subject"]),
        n("step-1", "用語を覚える")
    );
}

#[test]

fn a_stage_added_or_removed_concerns_its_owner() {
    let r = Repo::new();
    r.edit(
        "tabiji.toml",
        "[[rows]]\nid = \"problem\"",
        "[[stages]]\nid = \"use\"\nname = \"利用\"\nowner = \"cs\"\n\n[[rows]]\nid = \"problem\"",
    );
    r.commit("add use");
    let v = r.last();
    assert_eq!(
        depts(one(&v, "stage.added", |_| true)),
        ["cs"],
        "{}",
        pretty(&v)
    );
    let cfg = r.read("tabiji.toml").replacen(
        "[[stages]]\nid = \"decide\"\nname = \"決定\"\nphase = \"customer\"\nowner = \"営業\"\n",
        "",
        1,
    );
    r.write("tabiji.toml", &cfg);
    let j = r.read(JOURNEY);
    r.write(JOURNEY, &j[..j.find("[stages.decide]").unwrap()]);
    r.commit("remove decide");
    let v = r.last();
    assert_eq!(
        depts(one(&v, "stage.removed", |_| true)),
        ["営業"],
        "{}",
        pretty(&v)
    );
    assert_eq!(
        depts(one(&v, "journey.cell.removed", |_| true)),
        ["営業"],
        "{}",
        pretty(&v)
    );
}

#[test]
fn journeys_added_removed_and_changed() {
    let r = Repo::new();
    r.write(
        "content/journeys/cfo-承認.toml",
        "persona = \"cfo\"\n\n[stages.decide]\nproblem = \"投資対効果が見えない\"\n\n[[stages.decide.tasks]]\ndepartment = \"営業\"\ntask = \"ROI 試算を出す\"\nkpi = \"試算5件\"\n",
    );
    r.edit(
        JOURNEY,
        "name = \"新規導入\"",
        "name = \"新規導入（製造業）\"",
    );
    r.commit("journeys");
    let v = r.last();
    let added = one(&v, "journey.added", |_| true);
    assert_eq!(
        named(&added["subject"]),
        n("cfo-承認", "CFO"),
        "a journey without a name takes its persona's"
    );
    assert_eq!(named(&added["persona"]), n("cfo", "CFO"));
    assert_eq!(depts(added), ["営業"]);
    let name = one(&v, "journey.changed", |c| c["field"] == "name");
    assert_eq!(
        named(&name["subject"]),
        n("情シス課長-新規", "新規導入（製造業）")
    );
    assert_eq!(
        (name["old"].as_str(), name["new"].as_str()),
        (Some("新規導入"), Some("新規導入（製造業）"))
    );
    assert_eq!(
        changes(&v).len(),
        2,
        "a new journey is one change, not one per cell: {}",
        pretty(&v)
    );
    assert_eq!(who(&v, "営業").3, 1);

    r.remove("content/journeys/cfo-承認.toml");
    r.commit("remove journey");
    let v = r.last();
    let removed = one(&v, "journey.removed", |_| true);
    assert_eq!(named(&removed["subject"]), n("cfo-承認", "CFO"));
    assert_eq!(depts(removed), ["営業"]);
    assert_eq!(changes(&v).len(), 1);
}

#[test]
fn renamed_files_with_the_same_content_are_renames_of_the_id() {
    let r = Repo::new();
    r.rename("content/personas/cfo.md", "content/personas/財務責任者.md");
    r.rename(JOURNEY, "content/journeys/情シス課長-リプレース.toml");
    r.rename("content/playbooks/demo.md", "content/playbooks/デモ.md");
    r.commit("renames");
    let v = r.last();
    let mut k = kinds(&v);
    k.sort();
    assert_eq!(
        k,
        ["journey.renamed", "persona.renamed", "playbook.renamed"],
        "no removal + addition: {}",
        pretty(&v)
    );

    let p = one(&v, "persona.renamed", |_| true);
    assert_eq!(p["field"], "id");
    assert_eq!(named(&p["subject"]), n("財務責任者", "CFO"));
    assert_eq!(
        (p["old"].as_str(), p["new"].as_str()),
        (Some("cfo"), Some("財務責任者"))
    );
    let j = one(&v, "journey.renamed", |_| true);
    assert_eq!(named(&j["subject"]), n("情シス課長-リプレース", "新規導入"));
    assert_eq!(
        (j["old"].as_str(), j["new"].as_str()),
        (Some("情シス課長-新規"), Some("情シス課長-リプレース"))
    );
    assert_eq!(named(&j["persona"]), n("情シス課長", "情報システム部 課長"));
    let pb = one(&v, "playbook.renamed", |_| true);
    assert_eq!(named(&pb["subject"]), n("デモ", "デモの進め方"));
    assert_eq!(
        (pb["old"].as_str(), pb["new"].as_str()),
        (Some("demo"), Some("デモ"))
    );
    assert_eq!(depts(pb), ["営業"]);
}

#[test]
fn renamed_department_file_is_a_rename() {
    let r = Repo::new();
    r.write(
        "content/departments/partner.md",
        "+++\nname = \"パートナー営業\"\n+++\n販売店を支援する。\n",
    );
    r.commit("partner");
    r.rename(
        "content/departments/partner.md",
        "content/departments/パートナー.md",
    );
    r.commit("rename partner");
    let v = r.last();
    assert_eq!(kinds(&v), ["department.renamed"], "{}", pretty(&v));
    let d = &changes(&v)[0];
    assert_eq!(
        (d["old"].as_str(), d["new"].as_str()),
        (Some("partner"), Some("パートナー"))
    );
    assert_eq!(depts(d), ["パートナー"]);
}

#[test]

fn renamed_department_with_its_tasks_following_is_only_a_rename() {
    let r = Repo::new();
    r.rename(
        "content/departments/cs.md",
        "content/departments/カスタマーサクセス.md",
    );
    r.edit(
        JOURNEY,
        "department = \"cs\"",
        "department = \"カスタマーサクセス\"",
    );
    r.commit("rename cs");
    let v = r.last();
    assert_eq!(
        kinds(&v),
        ["department.renamed"],
        "the task did not move: its department was renamed:\n{}",
        pretty(&v)
    );
    assert_eq!(who_ids(&v), ["カスタマーサクセス"]);
}

#[test]

fn renamed_persona_with_its_journey_following_is_only_a_rename() {
    let r = Repo::new();
    r.rename(PERSONA, "content/personas/情シス.md");
    r.edit(JOURNEY, "persona = \"情シス課長\"", "persona = \"情シス\"");
    r.edit(
        "content/onboarding.toml",
        "personas/情シス課長",
        "personas/情シス",
    );
    r.commit("rename persona");
    let v = r.last();
    assert!(
        of(&v, "journey.changed").is_empty(),
        "the journey's persona is the same persona:\n{}",
        pretty(&v)
    );
    one(&v, "persona.renamed", |_| true);
    for c in changes(&v) {
        assert_ne!(
            c.get("old"),
            c.get("new").filter(|x| !x.is_null()),
            "a change from a value to the same value: {c}"
        );
    }
}

#[test]
fn a_renamed_and_edited_file_is_a_removal_and_an_addition() {
    let r = Repo::new();
    r.rename("content/personas/cfo.md", "content/personas/財務責任者.md");
    r.edit(
        "content/personas/財務責任者.md",
        "投資対効果を見る。",
        "投資対効果と回収期間を見る。",
    );
    r.commit("rename and edit");
    let v = r.last();
    let mut k = kinds(&v);
    k.sort();
    assert_eq!(k, ["persona.added", "persona.removed"], "{}", pretty(&v));
}

// ---------------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------------

/// A repository whose last commit has one change of most kinds, including a long playbook
/// body and a cell holding HTML.
fn representative() -> Repo {
    let r = Repo::new();
    r.edit(JOURNEY, "年1回の棚卸", "年2回の棚卸");
    r.edit(
        JOURNEY,
        "problem = \"比較する方法がない\"",
        "problem = \"比較する<script>alert(1)</script>方法がない\"",
    );
    r.edit(
        JOURNEY,
        "department = \"marketing\"\ntask = \"比較表を送る\"",
        "department = \"営業\"\ntask = \"比較表を送る\"",
    );
    r.edit(JOURNEY, "kpi = \"月300PV\"", "kpi = \"月500PV\"");
    r.edit("tabiji.toml", "name = \"検討\"", "name = \"比較検討\"");
    r.edit(
        "content/departments/marketing.md",
        "kpis = [\"MQL 月120件\"]",
        "kpis = [\"MQL 月150件\"]",
    );
    r.edit(
        "content/playbooks/hearing.md",
        "title = \"検討段階のヒアリング\"",
        "title = \"ヒアリングの基本\"",
    );
    let long: String = (1..=8)
        .map(|i| format!("- [ ] 確認事項その{i}：導入前の業務フローと台帳の更新頻度を聞く\n"))
        .collect();
    r.edit(
        "content/playbooks/hearing.md",
        "- [ ] 決裁者は誰か\n",
        &format!("- [ ] 決裁者は誰か\n{long}"),
    );
    r.write(
        "content/personas/経理部長.md",
        "+++\nname = \"経理部 部長\"\n+++\n予算を握る。\n",
    );
    r.edit(
        "content/glossary.toml",
        "definition = \"社内で導入を推進してくれる人\"",
        "definition = \"社内で導入を推進してくれる味方\"",
    );
    r.commit("representative");
    r
}

#[test]
fn text_is_plain_when_piped() {
    let r = representative();
    let text = r.diff(&["HEAD~1", "HEAD"], "text");
    assert!(
        !text.contains('\x1b'),
        "no ANSI escapes when stdout is not a terminal:\n{text}"
    );
    assert!(text.starts_with("tabiji diff HEAD~1 ("), "{text}");
    assert!(
        text.contains("[-1-]{+2+}") || text.contains("[-年1回-]{+年2回+}"),
        "{text}"
    );
    assert!(text.contains("== ジャーニー"), "{text}");
    assert!(text.contains("== 対応が必要な部門"), "{text}");
    assert!(
        text.contains("<script>"),
        "text output shows the text as it is:\n{text}"
    );
    // The default format is text.
    let default = r.tabiji_in("", &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(default.code, 0, "{}", default.stderr);
    assert_eq!(default.stdout, text);
}

#[test]
fn markdown_folds_long_bodies_and_marks_words() {
    let r = representative();
    let md = r.diff(&["HEAD~1", "HEAD"], "markdown");
    assert!(md.starts_with("### tabiji diff: `HEAD~1 ("), "{md}");
    assert!(
        md.contains("<del>1</del><ins>2</ins>") || md.contains("<del>年1回</del><ins>年2回</ins>"),
        "{md}"
    );
    assert!(
        md.contains("<details><summary>"),
        "the long body is folded:\n{md}"
    );
    assert!(md.contains("</details>"), "{md}");
    assert!(md.contains("```diff"), "{md}");
    assert!(md.contains("+- [ ] 確認事項その8"), "{md}");
    assert!(
        md.contains("| 部門 | 変更 |"),
        "the who-must-act table:\n{md}"
    );
    assert!(md.contains("| フィールドセールス |"), "{md}");
    assert!(
        !md.contains("<script>"),
        "HTML in content is escaped in Markdown:\n{md}"
    );
    assert!(md.contains("&lt;script&gt;"), "{md}");
    assert!(!md.contains('\x1b'));
}

#[test]
fn html_is_a_standalone_escaped_document() {
    let r = representative();
    let html = r.diff(&["HEAD~1", "HEAD"], "html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.trim_end().ends_with("</html>"), "{html}");
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        !html.contains("<script"),
        "no script at all, and the cell's is escaped:\n{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        !html.contains("<link") && !html.contains("src=\"http"),
        "no external request"
    );
    assert!(html.contains("<del>") && html.contains("<ins>"), "{html}");
    assert!(html.contains("<details>"), "{html}");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    assert_eq!(doc.select(&sel("script")).count(), 0);
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert!(h1.starts_with("tabiji diff: HEAD~1 ("), "{h1}");
    let cells: Vec<String> = doc
        .select(&sel("li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert!(
        cells
            .iter()
            .any(|t| t.contains("比較する<script>alert(1)</script>方法がない")),
        "the text reads back as written: {cells:?}"
    );
    let heads: Vec<String> = doc.select(&sel("h2")).map(|h| h.text().collect()).collect();
    assert!(heads.contains(&"対応が必要な部門".to_string()), "{heads:?}");
    assert!(heads.contains(&"ジャーニー".to_string()), "{heads:?}");
}

#[test]
fn json_has_the_documented_schema() {
    let r = representative();
    let text = r.diff(&["HEAD~1", "HEAD"], "json");
    let v: Value = serde_json::from_str(&text).unwrap();
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut top_sorted = top.clone();
    top_sorted.sort();
    assert_eq!(
        top_sorted,
        ["changes", "departments", "format", "from", "to", "version"]
    );
    assert_eq!(v["format"], "tabiji-diff");
    assert_eq!(v["version"], 1);
    assert!(v["from"].as_str().unwrap().starts_with("HEAD~1 ("));
    assert!(v["to"].as_str().unwrap().starts_with("HEAD ("));
    let allowed = [
        "kind",
        "area",
        "subject",
        "persona",
        "stage",
        "row",
        "department",
        "task",
        "question",
        "field",
        "old",
        "new",
        "words",
        "departments",
    ];
    let areas = [
        "site",
        "stages",
        "personas",
        "journeys",
        "departments",
        "playbooks",
        "quizzes",
        "glossary",
        "onboarding",
    ];
    for c in changes(&v) {
        for k in c.as_object().unwrap().keys() {
            assert!(
                allowed.contains(&k.as_str()),
                "undocumented field `{k}` in {c}"
            );
        }
        assert!(c["kind"].is_string());
        assert!(areas.contains(&c["area"].as_str().unwrap()), "{c}");
        assert!(
            c["subject"]["id"].is_string() && c["subject"]["name"].is_string(),
            "{c}"
        );
        for k in ["persona", "stage", "row", "department", "question"] {
            if let Some(x) = c.get(k) {
                assert!(x["id"].is_string() && x["name"].is_string(), "{k} in {c}");
            }
        }
        for k in ["task", "field", "old", "new"] {
            if let Some(x) = c.get(k) {
                assert!(x.is_string(), "{k} in {c}");
            }
        }
        if let Some(w) = c.get("words") {
            for p in w.as_array().unwrap() {
                assert!(
                    ["equal", "delete", "insert"].contains(&p["op"].as_str().unwrap()),
                    "{p}"
                );
                assert!(p["text"].is_string());
            }
        }
        if let Some(d) = c.get("departments") {
            assert!(d.as_array().unwrap().iter().all(Value::is_string));
        }
    }
    for c in changes(&v) {
        if let (Some(a), Some(b)) = (c.get("old"), c.get("new")) {
            assert_ne!(a, b, "a change from a value to the same value: {c}");
        }
    }
    let n_changes = changes(&v).len();
    let mut ids = Vec::new();
    for d in v["departments"].as_array().unwrap() {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        let mut keys = keys;
        keys.sort();
        assert_eq!(
            keys,
            [
                "changes",
                "department",
                "other_changes",
                "tasks_changed",
                "tasks_gained",
                "tasks_lost"
            ]
        );
        let id = d["department"]["id"].as_str().unwrap();
        ids.push(id.to_string());
        let idx: Vec<usize> = d["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap() as usize)
            .collect();
        let sum: u64 = [
            "tasks_gained",
            "tasks_lost",
            "tasks_changed",
            "other_changes",
        ]
        .iter()
        .map(|k| d[*k].as_u64().unwrap())
        .sum();
        assert_eq!(
            sum as usize,
            idx.len(),
            "every listed change counted once: {d}"
        );
        for i in idx {
            assert!(i < n_changes);
            assert!(
                depts(&changes(&v)[i]).contains(&id),
                "change {i} names {id}"
            );
        }
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "departments in id order");
    // Deterministic.
    assert_eq!(r.diff(&["HEAD~1", "HEAD"], "json"), text);
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

#[test]
fn snapshot_text() {
    let r = representative();
    insta::assert_snapshot!(
        "representative_text",
        redact_commits(&r.diff(&["HEAD~1", "HEAD"], "text"))
    );
}

#[test]
fn snapshot_markdown() {
    let r = representative();
    insta::assert_snapshot!(
        "representative_markdown",
        redact_commits(&r.diff(&["HEAD~1", "HEAD"], "markdown"))
    );
}

#[test]
fn redaction_of_commit_ids() {
    assert_eq!(
        redact_commits("HEAD~1 (1a2b3c4) → HEAD (abcdef0)"),
        "HEAD~1 (<commit>) → HEAD (<commit>)"
    );
    assert_eq!(
        redact_commits("(KPI: 月300PV) (cafe)"),
        "(KPI: 月300PV) (<commit>)"
    );
    assert_eq!(
        redact_commits("(+2 / -1 lines) (abc"),
        "(+2 / -1 lines) (abc"
    );
}

// ---------------------------------------------------------------------------------------------
// Revisions, working tree, subfolders
// ---------------------------------------------------------------------------------------------

#[test]
fn revision_forms_branch_parent_tag_and_full_hash() {
    let r = Repo::new();
    r.git(&["tag", "v1"]);
    let base = r.git(&["rev-parse", "HEAD"]).trim().to_string();
    assert_eq!(base.len(), 40);
    r.edit(JOURNEY, "年1回の棚卸", "年2回の棚卸");
    r.commit("edit");
    let expect = |v: &Value| {
        assert_eq!(kinds(v), ["journey.cell.changed"], "{}", pretty(v));
    };
    for (a, b) in [
        ("HEAD~1", "main"),
        ("v1", "HEAD"),
        (base.as_str(), "HEAD"),
        ("main~1", "main"),
    ] {
        let v = r.json(&[a, b]);
        expect(&v);
        assert!(
            v["from"].as_str().unwrap().starts_with(a),
            "from names the revision as given: {}",
            v["from"]
        );
        assert!(
            v["to"].as_str().unwrap().starts_with(b),
            "to names the revision as given: {}",
            v["to"]
        );
    }
    // The abbreviated commit id is shown beside the revision.
    let v = r.json(&["v1", "HEAD"]);
    let short = &base[..7];
    assert!(
        v["from"].as_str().unwrap().contains(short),
        "{} holds {short}",
        v["from"]
    );
    // Backwards: the same change, reversed.
    let v = r.json(&["HEAD", "v1"]);
    let c = one(&v, "journey.cell.changed", |_| true);
    assert_eq!(
        (c["old"].as_str(), c["new"].as_str()),
        (
            Some("年2回の棚卸で台帳と現物が合わない"),
            Some("年1回の棚卸で台帳と現物が合わない")
        )
    );
}

#[test]
fn rev_b_defaults_to_the_working_tree() {
    let r = Repo::new();
    r.edit(JOURNEY, "年1回の棚卸", "年2回の棚卸");
    let v = r.json(&["HEAD"]);
    assert_eq!(v["to"], "working tree");
    assert_eq!(kinds(&v), ["journey.cell.changed"]);
    // Untracked files count too: the working tree is the folder as it is.
    r.write(
        "content/personas/経理部長.md",
        "+++\nname = \"経理部 部長\"\n+++\n予算を握る。\n",
    );
    let v = r.json(&["main"]);
    assert_eq!(kinds(&v), ["persona.added", "journey.cell.changed"]);
}

#[test]
fn site_in_a_subfolder_of_the_repository() {
    let r = Repo::with_site_at("sites/営業");
    std::fs::write(r.root.join("README.md"), "# repo\n").unwrap();
    r.edit(JOURNEY, "年1回の棚卸", "年2回の棚卸");
    r.commit("edit");
    // From the repository root, naming the site.
    for args in [
        vec!["diff", "sites/営業", "HEAD~1", "HEAD", "--format", "json"],
        vec!["diff", "sites/営業/", "HEAD~1", "HEAD", "--format", "json"],
    ] {
        let run = r.tabiji_in("", &args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let v: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(kinds(&v), ["journey.cell.changed"], "{}", pretty(&v));
    }
    // [SITE] REV_A: two arguments, the first a site folder → compared with the working tree.
    r.edit(JOURNEY, "年2回の棚卸", "年4回の棚卸");
    let run = r.tabiji_in("", &["diff", "sites/営業", "HEAD~1", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["to"], "working tree");
    assert_eq!(
        one(&v, "journey.cell.changed", |_| true)["new"],
        "年4回の棚卸で台帳と現物が合わない"
    );
    // From inside the site's folder, and from a folder below it.
    let v = r.json(&["HEAD~1", "HEAD"]);
    assert_eq!(kinds(&v), ["journey.cell.changed"]);
    let run = r.tabiji_in(
        "sites",
        &["diff", "営業", "HEAD~1", "HEAD", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_site_that_did_not_exist_at_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let r = Repo {
        root: dir.path().canonicalize().unwrap(),
        _dir: dir,
        sub: "site".into(),
    };
    r.git(&["init", "-q", "-b", "main"]);
    std::fs::write(r.root.join("README.md"), "x\n").unwrap();
    r.commit("empty");
    copy_dir(&fixture(), &r.site());
    r.commit("site");
    let run = r.tabiji_in("site", &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("HEAD~1"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn a_revision_that_does_not_exist() {
    let r = Repo::new();
    for args in [
        vec!["diff", "no-such-rev"],
        vec!["diff", "HEAD", "no-such-rev"],
        vec!["diff", "HEAD~5", "HEAD", "--format", "json"],
    ] {
        let run = r.tabiji_in("", &args);
        assert_eq!(run.code, 2, "{args:?}: {}{}", run.stdout, run.stderr);
        let rev = args[1..]
            .iter()
            .find(|a| a.starts_with("no-such") || a.starts_with("HEAD~"))
            .unwrap();
        assert!(
            run.stderr.contains(rev),
            "the message names `{rev}`: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn a_folder_outside_any_repository() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    let run = Command::new(env!("CARGO_BIN_EXE_tabiji"))
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["diff", "HEAD~1", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("git リポジトリの中にありません"),
        "in the site's language: {err}"
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn a_revision_whose_tabiji_toml_is_broken() {
    let r = Repo::new();
    r.edit(
        "tabiji.toml",
        "title = \"ACME 営業プレイブック\"",
        "title = \"ACME 営業プレイブック",
    );
    r.commit("broken");
    r.edit(
        "tabiji.toml",
        "title = \"ACME 営業プレイブック",
        "title = \"ACME 営業プレイブック\"",
    );
    r.commit("fixed");
    let run = r.tabiji_in("", &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("HEAD~1"),
        "the message names the revision: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tabiji.toml"),
        "and the file: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    // The other way round, too.
    let run = r.tabiji_in("", &["diff", "HEAD", "HEAD~1", "--format", "markdown"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("HEAD~1"), "{}", run.stderr);
    // And the working tree.
    r.edit(
        "tabiji.toml",
        "title = \"ACME 営業プレイブック\"",
        "title = ",
    );
    let run = r.tabiji_in("", &["diff", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("working tree") || run.stderr.contains("tabiji.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_revision_whose_content_has_errors() {
    let r = Repo::new();
    r.edit(
        JOURNEY,
        "persona = \"情シス課長\"",
        "persona = \"情シス部長\"",
    );
    r.commit("unknown persona");
    let base = r.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    let run = r.tabiji_in("", &["diff", &base, "HEAD", "--format", "json"]);
    assert_eq!(
        run.code, 2,
        "content errors at a revision are a failure of diff, not 1: {}{}",
        run.stdout, run.stderr
    );
    assert!(run.stderr.contains("HEAD"), "{}", run.stderr);
    assert!(
        run.stderr.contains("情シス部長"),
        "the error is shown: {}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn too_many_arguments() {
    let r = Repo::new();
    let run = r.tabiji_in("", &["diff", ".", "HEAD", "HEAD", "HEAD"]);
    assert_eq!(run.code, 2);
}

// ---------------------------------------------------------------------------------------------
// build --changes-since
// ---------------------------------------------------------------------------------------------

/// The texts of the links of a page to `href`.
fn links_to(html: &str, href: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    doc.select(&scraper::Selector::parse("a[href]").unwrap())
        .filter(|a| a.value().attr("href") == Some(href))
        .map(|a| a.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn build_changes_since_adds_a_linked_changes_page() {
    let r = representative();
    r.git(&["tag", "release-1", "HEAD~1"]);
    let out = r.root.join("out");
    let run = r.tabiji_in(
        "",
        &[
            "build",
            "--changes-since",
            "release-1",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let page = std::fs::read_to_string(out.join("changes/index.html")).expect("changes/index.html");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(
        links_to(&index, "/changes/"),
        ["前回のリリースからの変更点"],
        "the home page links the changes page"
    );
    assert!(index.contains("前回のリリースからの変更点"));
    assert!(page.contains("release-1"), "the page names the revision");
    assert!(page.contains("<del>") && page.contains("<ins>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(1)"));
    let doc = scraper::Html::parse_document(&page);
    let li: Vec<String> = doc
        .select(&scraper::Selector::parse("li").unwrap())
        .map(|x| x.text().collect())
        .collect();
    assert!(
        li.iter().any(|t| t.contains("タスクの担当部門を変更")),
        "{li:?}"
    );

    // Without the option there is no such page and no link.
    let plain = r.root.join("plain");
    let run = r.tabiji_in("", &["build", "-o", plain.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!plain.join("changes").exists());
    assert!(
        links_to(
            &std::fs::read_to_string(plain.join("index.html")).unwrap(),
            "/changes/"
        )
        .is_empty()
    );
}

#[test]
fn build_changes_since_under_a_base_url_and_in_a_subfolder() {
    let r = Repo::with_site_at("docs/playbook");
    r.edit(JOURNEY, "年1回の棚卸", "年2回の棚卸");
    r.commit("edit");
    let out = r.root.join("out");
    let run = r.tabiji_in(
        "",
        &[
            "build",
            "docs/playbook",
            "--changes-since",
            "HEAD~1",
            "--base-url",
            "/sales/",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(links_to(&index, "/sales/changes/").len(), 1, "{index}");
    assert!(links_to(&index, "/changes/").is_empty());
    let page = std::fs::read_to_string(out.join("changes/index.html")).unwrap();
    assert!(
        page.contains("<del>1</del><ins>2</ins>")
            || page.contains("<del>年1回</del><ins>年2回</ins>"),
        "{page}"
    );
}

#[test]
fn build_changes_since_a_bad_revision_fails_with_2() {
    let r = Repo::new();
    let out = r.root.join("out");
    let run = r.tabiji_in(
        "",
        &[
            "build",
            "--changes-since",
            "no-such-tag",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("no-such-tag"), "{}", run.stderr);
    assert!(!out.join("index.html").exists());
}

// ---------------------------------------------------------------------------------------------
// Hostile text (issue 17)
// ---------------------------------------------------------------------------------------------

#[test]
fn content_cannot_command_a_ci_log_or_a_terminal_through_diff() {
    let r = Repo::new();
    r.edit(
        "content/departments/cs.md",
        "name = \"カスタマーサクセス\"",
        "name = \"CS\\n::add-mask::secret \\u001b[2J @octocat\"",
    );
    r.commit("hostile name");
    for format in ["text", "markdown"] {
        let out = r.diff(&["HEAD~1", "HEAD"], format);
        for line in out.lines() {
            assert!(!line.trim_start().starts_with("::"), "{format}: {line:?}");
        }
        assert!(!out.contains('\u{1b}'), "{format}: raw ESC");
        assert!(
            out.contains("\\n::add-mask::"),
            "{format}: shown as an escape:\n{out}"
        );
    }
    let md = r.diff(&["HEAD~1", "HEAD"], "markdown");
    assert!(md.contains("@\u{200D}octocat"), "{md}");
    assert!(!md.contains("@octocat"));
}

#[test]
fn trees_git_accepts_do_not_break_diff() {
    let r = Repo::new();
    // A folder 4,000 levels deep under content/ (too long a path for the file system, so
    // written with fast-import), a submodule entry, and a file outside any content folder.
    let head = r.git(&["rev-parse", "HEAD"]);
    let deep = format!("content/{}x.md", "d/".repeat(4000));
    let script = format!(
        "commit refs/heads/main\ncommitter T <t@example.com> 1711929600 +0900\ndata 4\ndeep\nfrom {}\nM 100644 inline {deep}\ndata 2\nx\nM 160000 {} content/sub\n\n",
        head.trim(),
        head.trim()
    );
    let mut child = StdCommand::new("git")
        .current_dir(&r.root)
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), script.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    let out = r.tabiji_in("", &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"changes\""));
}

#[test]
fn an_oversized_content_file_in_a_revision_is_refused_not_read() {
    let r = Repo::new();
    let big = format!("+++\nname = \"x\"\n+++\n{}", "a".repeat(65 * 1024 * 1024));
    r.write("content/personas/big.md", &big);
    r.commit("big");
    let out = r.tabiji_in("", &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("content/personas/big.md"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("bytes"), "{}", out.stderr);
}
