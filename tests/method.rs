//! The sales method as data: roles of the buying group, qualification frameworks and the
//! funnel's targets and recycling — checked at file:line:column and drawn on the roles,
//! qualification, home and stage pages.

mod common;
use common::{build, hrefs, page, write};

use std::path::Path;

use assert_cmd::Command;
use scraper::{Html, Selector};

const CONFIG: &str = r#"title = "Test"

[[stages]]
id = "aware"
name = "認知"
conversion = 0.5

[[stages]]
id = "consider"
name = "検討"
conversion = 0.2
recycle_to = "aware"

[[stages]]
id = "buy"
name = "購買"
conversion = 0.25

[[stages]]
id = "use"
name = "利用"

[[rows]]
id = "problem"
name = "課題"

[[roles]]
id = "decision-maker"
name = "決裁者"

[[roles]]
id = "gatekeeper"
name = "ゲートキーパー"

[[frameworks]]
id = "bant"
name = "BANT"
letters = [
  { id = "b", name = "Budget" },
  { id = "a", name = "Authority" },
]
"#;

fn site(root: &Path) {
    write(root, "tabiji.toml", CONFIG);
    write(
        root,
        "content/personas/cfo.md",
        "+++\nname = \"CFO\"\nrole = \"decision-maker\"\n+++\n",
    );
    write(
        root,
        "content/journeys/cfo-new.toml",
        "persona = \"cfo\"\n\n[stages.consider]\nproblem = \"予算\"\n",
    );
    write(
        root,
        "content/playbooks/budget.md",
        "+++\ntitle = \"予算の確認\"\nstage = \"consider\"\nqualifies = [\"bant.b\"]\n+++\n",
    );
}

fn check(root: &Path) -> (i32, String) {
    let out = Command::cargo_bin("tabiji")
        .expect("binary")
        .env("TABIJI_LANG", "en")
        .arg("check")
        .arg(root)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn an_uncovered_letter_is_a_warning_and_coverage_counts_letters() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let (code, text) = check(dir.path());
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("letter-uncovered"), "{text}");
    assert!(text.contains("BANT `a`"), "{text}");
    // The warning points at the letter's id in tabiji.toml.
    assert!(text.contains("tabiji.toml:40:10"), "{text}");
    assert!(text.contains("bant 1/2"), "{text}");
}

#[test]
fn roles_letters_conversions_and_recycling_are_checked_at_their_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let root = dir.path();
    write(
        root,
        "content/personas/boss.md",
        "+++\nname = \"Boss\"\nrole = \"決裁者\"\n+++\n",
    );
    write(
        root,
        "content/personas/clerk.md",
        "+++\nname = \"Clerk\"\nrole = \"gatekeepr\"\n+++\n",
    );
    write(
        root,
        "content/playbooks/typos.md",
        "+++\ntitle = \"誤字\"\nstage = \"aware\"\nqualifies = [\"bnat.b\", \"bant.x\", \"budget\"]\n+++\n",
    );
    let config = CONFIG
        .replace("conversion = 0.5", "conversion = 1.5")
        .replace("recycle_to = \"aware\"", "recycle_to = \"buy\"");
    write(root, "tabiji.toml", &config);
    let (code, text) = check(root);
    assert_eq!(code, 1, "{text}");
    // A role's name where its id belongs.
    assert!(text.contains("content/personas/boss.md:3:8"), "{text}");
    assert!(
        text.contains("use the id: write `decision-maker`"),
        "{text}"
    );
    // A misspelt role.
    assert!(text.contains("content/personas/clerk.md:3:8"), "{text}");
    assert!(text.contains("did you mean `gatekeeper`"), "{text}");
    // Letters: an unknown framework, an unknown letter, no dot at all.
    assert!(text.contains("content/playbooks/typos.md:4:14"), "{text}");
    assert!(text.contains("did you mean `bant.b`"), "{text}");
    assert!(text.contains("`bant` has no letter `x`"), "{text}");
    assert!(text.contains("Letters of BANT: b, a"), "{text}");
    assert!(
        text.contains("`budget` does not name a framework letter"),
        "{text}"
    );
    // The funnel.
    assert!(text.contains("tabiji.toml:6:14"), "{text}");
    assert!(
        text.contains("`conversion` must be more than 0 and at most 1"),
        "{text}"
    );
    assert!(text.contains("tabiji.toml:12:14"), "{text}");
    assert!(text.contains("not an earlier stage"), "{text}");
}

#[test]
fn the_roles_page_is_every_role_by_every_stage() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let out = build(dir.path());
    let doc = page(&out, "roles/index.html");
    assert_eq!(
        texts(&doc, "table.matrix tbody th"),
        ["決裁者", "ゲートキーパー"]
    );
    // The decision maker at every stage, linking the persona's page there.
    let row = texts(&doc, "#tj-role-decision-maker td");
    assert_eq!(row.len(), 4);
    assert!(row.iter().all(|c| c == "CFO"), "{row:?}");
    assert_eq!(
        hrefs(&doc, "#tj-role-decision-maker td a")[1],
        "/personas/cfo/consider/"
    );
    // Nobody addresses the gatekeeper: every cell visibly empty.
    let empty = texts(&doc, "#tj-role-gatekeeper td .empty");
    assert_eq!(empty.len(), 4, "{empty:?}");
    // Persona pages name the role by its name.
    let persona = page(&out, "personas/cfo/index.html");
    assert!(texts(&persona, ".profile dd").contains(&"決裁者".to_string()));
}

#[test]
fn the_qualification_page_is_every_letter_by_every_stage() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let out = build(dir.path());
    let doc = page(&out, "qualification/index.html");
    let b = texts(&doc, "[id='tj-letter-bant.b'] td");
    assert_eq!(b, ["未対応", "予算の確認", "未対応", "未対応"]);
    assert_eq!(
        hrefs(&doc, "[id='tj-letter-bant.b'] td a"),
        ["/playbooks/budget/"]
    );
    let a = texts(&doc, "[id='tj-letter-bant.a'] td .empty");
    assert_eq!(a.len(), 4);
    assert!(
        texts(&doc, ".warning").join(" ").contains('1'),
        "the uncovered count is missing"
    );
    // The playbook names the letters it covers.
    let playbook = page(&out, "playbooks/budget/index.html");
    assert!(
        texts(&playbook, ".profile dd")
            .iter()
            .any(|t| t.contains("BANT B")),
        "{:?}",
        texts(&playbook, ".profile dd")
    );
}

#[test]
fn the_home_page_shows_targets_recycling_and_what_they_imply() {
    let dir = tempfile::tempdir().expect("tempdir");
    site(dir.path());
    let out = build(dir.path());
    let home = page(&out, "index.html");
    let cards = texts(&home, ".stage-card");
    assert!(cards[0].contains("→ 50%"), "{cards:?}");
    assert!(cards[1].contains("→ 20%"), "{cards:?}");
    assert!(
        !cards[3].contains('%'),
        "the last stage has no target: {cards:?}"
    );
    // The recycling: visible as an arrow, and as words for screen readers.
    assert_eq!(hrefs(&home, ".stage-card .recycle a"), ["/stages/aware/"]);
    assert!(cards[1].contains("停滞・失注時の戻り先"), "{cards:?}");
    // 50 % × 20 % × 25 %: 40 leads at the first stage for one customer at the last.
    let implied = texts(&home, ".implied-leads").join(" ");
    assert!(implied.contains("40"), "{implied}");
    assert_eq!(
        hrefs(&home, ".implied-leads a"),
        ["/stages/aware/", "/stages/use/"]
    );
    // Links to the method's pages.
    assert_eq!(
        hrefs(&home, ".method-links a"),
        ["/roles/", "/qualification/"]
    );
    // The stage page says where stalled customers go, and the target stage what comes back.
    let consider = page(&out, "stages/consider/index.html");
    assert!(texts(&consider, ".profile").join(" ").contains("認知"));
    let aware = page(&out, "stages/aware/index.html");
    assert_eq!(
        hrefs(&aware, ".profile a[href='/stages/consider/']").len(),
        1
    );
}

#[test]
fn without_declarations_roles_stay_free_text_and_no_method_pages_are_built() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    site(root);
    let config = CONFIG[..CONFIG.find("[[roles]]").expect("roles")].to_string();
    write(root, "tabiji.toml", &config);
    write(
        root,
        "content/playbooks/budget.md",
        "+++\ntitle = \"予算\"\nstage = \"consider\"\n+++\n",
    );
    write(
        root,
        "content/personas/cfo.md",
        "+++\nname = \"CFO\"\nrole = \"なんでも\"\n+++\n",
    );
    let (code, text) = check(root);
    assert_eq!(code, 0, "{text}");
    let out = build(root);
    assert!(!out.join("roles").exists());
    assert!(!out.join("qualification").exists());
}

#[test]
fn diff_tells_target_recycling_and_letter_changes_in_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    site(root);
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .expect("git runs")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    let config = CONFIG
        .replace("conversion = 0.2\n", "conversion = 0.3\n")
        .replace("recycle_to = \"aware\"\n", "");
    write(root, "tabiji.toml", &config);
    write(
        root,
        "content/playbooks/budget.md",
        "+++\ntitle = \"予算の確認\"\nstage = \"consider\"\nqualifies = [\"bant.b\", \"bant.a\"]\n+++\n",
    );
    let out = Command::cargo_bin("tabiji")
        .expect("binary")
        .arg("diff")
        .arg(root)
        .arg("HEAD")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("目標移行率"), "{text}");
    assert!(text.contains("[-20-]{+30+}%"), "{text}");
    assert!(text.contains("停滞・失注時の戻り先"), "{text}");
    assert!(text.contains("確認する項目"), "{text}");
    assert!(text.contains("bant.a"), "{text}");
}
