//! Owners, review dates, git dates and "Edit this page" (issue 22): a fixture repository with
//! dated commits made by the `git` CLI, built by tabiji and read back as parsed HTML.

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;
use scraper::{Html, Selector};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// 2026-06-01T00:00:00Z: "today" for these tests.
const TODAY: &str = "1780272000";

fn tabiji() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tabiji"));
    // The English messages; tests/messages.rs checks the Japanese.
    cmd.env("TABIJI_LANG", "en");
    cmd.env("NO_COLOR", "1").env("SOURCE_DATE_EPOCH", TODAY);
    cmd
}

fn git(root: &Path, date: &str, args: &[&str]) {
    let out = StdCommand::new("git")
        .current_dir(root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A site in `root/<sub>`: a persona with a Japanese id, owned and reviewed long ago
/// (overdue), a department reviewed recently, a journey and a playbook without upkeep.
fn site(dir: &Path) {
    write(
        dir,
        "tabiji.toml",
        r#"title = "Test"
language = "ja"
edit_url = "https://git.example/acme/edit/main/{path}"
review_days = 90

[[stages]]
id = "aware"
name = "認知"

[[rows]]
id = "problem"
name = "課題"
"#,
    );
    write(
        dir,
        "content/personas/情シス課長.md",
        "+++\nname = \"情シス課長\"\nowner = \"sales\"\nreviewed = 2025-12-01\n+++\n本文\n",
    );
    write(
        dir,
        "content/departments/sales.md",
        "+++\nname = \"フィールドセールス\"\nowner = \"sales\"\nreviewed = 2026-05-01\n+++\n",
    );
    write(
        dir,
        "content/journeys/new.toml",
        "persona = \"情シス課長\"\n\n[stages.aware]\nproblem = \"課題\"\n\n[[stages.aware.tasks]]\ndepartment = \"sales\"\ntask = \"電話\"\nkpi = \"件数\"\n",
    );
    write(
        dir,
        "content/playbooks/hearing.md",
        "+++\ntitle = \"ヒアリング\"\nstage = \"aware\"\n+++\n本文\n",
    );
}

/// The site committed in three dated commits under `root/site`; the playbook then edited
/// without a commit.
fn repo(root: &Path) -> std::path::PathBuf {
    let dir = root.join("site");
    site(&dir);
    git(root, "2026-01-10T10:00:00+09:00", &["init", "-q"]);
    git(root, "2026-01-10T10:00:00+09:00", &["add", "-A"]);
    git(
        root,
        "2026-01-10T10:00:00+09:00",
        &["commit", "-q", "-m", "first"],
    );
    write(
        &dir,
        "content/departments/sales.md",
        "+++\nname = \"フィールドセールス\"\nowner = \"sales\"\nreviewed = 2026-05-01\n+++\n本文\n",
    );
    git(
        root,
        "2026-03-05T23:30:00+09:00",
        &["commit", "-q", "-am", "second"],
    );
    write(
        &dir,
        "content/journeys/new.toml",
        &std::fs::read_to_string(dir.join("content/journeys/new.toml"))
            .unwrap()
            .replace("電話", "訪問"),
    );
    git(
        root,
        "2026-04-20T08:00:00+00:00",
        &["commit", "-q", "-am", "third"],
    );
    write(
        &dir,
        "content/playbooks/hearing.md",
        "+++\ntitle = \"ヒアリング\"\nstage = \"aware\"\n+++\n本文を直した\n",
    );
    dir
}

fn build(site: &Path, out: &Path) {
    let o = tabiji()
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
    )
}

/// The upkeep box of a page: (dt text → dd text), the edit link, whether "needs review" shows.
fn upkeep(h: &Html) -> (Vec<(String, String)>, Option<String>, bool) {
    let sel = |s: &str| Selector::parse(s).unwrap();
    let text = |e: scraper::ElementRef<'_>| e.text().collect::<String>().trim().to_string();
    let Some(aside) = h.select(&sel("aside.upkeep")).next() else {
        return (Vec::new(), None, false);
    };
    let pairs = aside
        .select(&sel("dl > div"))
        .map(|d| {
            (
                text(d.select(&sel("dt")).next().unwrap()),
                text(d.select(&sel("dd")).next().unwrap()),
            )
        })
        .collect();
    let edit = aside
        .select(&sel("a.edit-page"))
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string));
    let overdue = aside
        .select(&sel(".needs-review"))
        .next()
        .is_some_and(|e| text(e) == "要レビュー");
    (pairs, edit, overdue)
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_string(), v.to_string())
}

#[test]
fn pages_show_owner_review_last_change_and_edit_link_from_git() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = repo(tmp.path());
    let out = tmp.path().join("out");
    build(&dir, &out);

    let (pairs, edit, overdue) = upkeep(&page(&out, "personas/情シス課長/index.html"));
    assert_eq!(
        pairs,
        vec![
            pair("担当部門", "フィールドセールス"),
            pair("最終レビュー", "2025-12-01"),
            pair("最終更新", "2026-01-10")
        ]
    );
    assert!(
        overdue,
        "reviewed 2025-12-01, 90 days, today 2026-06-01: overdue"
    );
    assert_eq!(
        edit.as_deref(),
        Some(
            "https://git.example/acme/edit/main/site/content/personas/%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7.md"
        )
    );
    let h = page(&out, "personas/情シス課長/index.html");
    let owner = h
        .select(&Selector::parse("aside.upkeep dd a").unwrap())
        .next()
        .unwrap();
    assert_eq!(owner.value().attr("href"), Some("/departments/sales/"));

    // The persona's page at a stage shows the persona's.
    let (pairs, _, overdue) = upkeep(&page(&out, "personas/情シス課長/aware/index.html"));
    assert!(
        overdue && pairs.contains(&pair("最終レビュー", "2025-12-01")),
        "{pairs:?}"
    );

    // Committed at 23:30 in +09:00: the committer's date, not UTC's.
    let (pairs, edit, overdue) = upkeep(&page(&out, "departments/sales/index.html"));
    assert_eq!(
        pairs,
        vec![
            pair("担当部門", "フィールドセールス"),
            pair("最終レビュー", "2026-05-01"),
            pair("最終更新", "2026-03-05")
        ]
    );
    assert!(!overdue);
    assert_eq!(
        edit.as_deref(),
        Some("https://git.example/acme/edit/main/site/content/departments/sales.md")
    );

    // No owner, no review: only the last change and the edit link.
    let (pairs, _, overdue) = upkeep(&page(&out, "journeys/new/index.html"));
    assert_eq!(pairs, vec![pair("最終更新", "2026-04-20")]);
    assert!(!overdue);
    let (pairs, edit, _) = upkeep(&page(&out, "playbooks/hearing/index.html"));
    assert_eq!(pairs, vec![pair("最終更新", "未コミットの変更あり")]);
    assert!(edit.is_some());

    // The freshness page: linked from home, overdue first.
    let home = page(&out, "index.html");
    assert!(
        home.select(&Selector::parse("a[href='/freshness/']").unwrap())
            .next()
            .is_some()
    );
    let f = page(&out, "freshness/index.html");
    let rows: Vec<String> = f
        .select(&Selector::parse("table.freshness-table tbody tr").unwrap())
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert!(
        rows[0].contains("情シス課長") && rows[0].contains("要レビュー"),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    let heads: Vec<String> = f
        .select(&Selector::parse("article h2").unwrap())
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(heads, vec!["フィールドセールス", "担当未定"]);
}

#[test]
fn fresh_or_overdue_follows_source_date_epoch_and_builds_are_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = repo(tmp.path());
    // 2026-01-15: the persona's review (2025-12-01) is 45 days old, not overdue.
    let early = tmp.path().join("early");
    let o = tabiji()
        .env("SOURCE_DATE_EPOCH", "1768435200")
        .arg("build")
        .arg(&dir)
        .arg("-o")
        .arg(&early)
        .output()
        .unwrap();
    assert!(o.status.success());
    let (_, _, overdue) = upkeep(&page(&early, "personas/情シス課長/index.html"));
    assert!(!overdue);

    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&dir, &a);
    build(&dir, &b);
    let files = |root: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = walkdir(root)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert!(
        files(&a) == files(&b),
        "two builds with the same SOURCE_DATE_EPOCH differ"
    );
}

fn walkdir(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn outside_git_the_edit_link_is_relative_to_the_site_and_there_are_no_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    site(&dir);
    let out = tmp.path().join("out");
    build(&dir, &out);
    let (pairs, edit, overdue) = upkeep(&page(&out, "personas/情シス課長/index.html"));
    assert_eq!(
        pairs,
        vec![
            pair("担当部門", "フィールドセールス"),
            pair("最終レビュー", "2025-12-01")
        ]
    );
    assert!(overdue);
    assert_eq!(
        edit.as_deref(),
        Some(
            "https://git.example/acme/edit/main/content/personas/%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7.md"
        )
    );
}

#[test]
fn a_detached_head_builds_without_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = repo(tmp.path());
    git(
        tmp.path(),
        "2026-04-21T08:00:00+00:00",
        &["checkout", "-q", "--detach"],
    );
    let out = tmp.path().join("out");
    build(&dir, &out);
    let (pairs, edit, _) = upkeep(&page(&out, "departments/sales/index.html"));
    assert_eq!(
        pairs,
        vec![
            pair("担当部門", "フィールドセールス"),
            pair("最終レビュー", "2026-05-01")
        ]
    );
    assert!(edit.is_some());
}

#[test]
fn a_site_without_upkeep_shows_nothing_extra() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    site(&dir);
    let toml = std::fs::read_to_string(dir.join("tabiji.toml")).unwrap();
    write(
        &dir,
        "tabiji.toml",
        &toml.replace(
            "edit_url = \"https://git.example/acme/edit/main/{path}\"\n",
            "",
        ),
    );
    for f in [
        "content/personas/情シス課長.md",
        "content/departments/sales.md",
    ] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        let kept: String = text
            .lines()
            .filter(|l| !l.starts_with("owner") && !l.starts_with("reviewed"))
            .map(|l| format!("{l}\n"))
            .collect();
        write(&dir, f, &kept);
    }
    let out = tmp.path().join("out");
    build(&dir, &out);
    for p in [
        "personas/情シス課長/index.html",
        "departments/sales/index.html",
        "index.html",
    ] {
        let html = std::fs::read_to_string(out.join(p)).unwrap();
        assert!(
            !html.contains("class=\"upkeep") && !html.contains("/freshness/"),
            "{p}"
        );
    }
    assert!(!out.join("freshness/index.html").exists());
}

#[test]
fn check_warns_of_overdue_reviews_and_rejects_unknown_owners_and_bad_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    site(&dir);
    let o = tabiji()
        .arg("check")
        .arg(&dir)
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warn = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "review-overdue")
        .expect("a review-overdue warning");
    assert!(
        warn["file"]
            .as_str()
            .unwrap()
            .ends_with("content/personas/情シス課長.md"),
        "{warn}"
    );
    assert_eq!(warn["line"], 4);
    let msg = warn["message"].as_str().unwrap();
    assert!(
        msg.contains("`sales`") && msg.contains("2025-12-01"),
        "{msg}"
    );
    assert_eq!(v["coverage"]["pages_overdue"], 1);
    assert_eq!(v["coverage"]["pages_without_owner"], 2);

    write(
        &dir,
        "content/playbooks/hearing.md",
        "+++\ntitle = \"ヒアリング\"\nstage = \"aware\"\nowner = \"sails\"\nreviewed = \"2026-01-01\"\n+++\n",
    );
    let o = tabiji().arg("check").arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert!(text.contains("content/playbooks/hearing.md:4:9"), "{text}");
    assert!(
        text.contains("unknown department `sails`") && text.contains("`sales`"),
        "{text}"
    );
    assert!(text.contains("content/playbooks/hearing.md:5:12"), "{text}");
    assert!(
        text.contains("`reviewed` must be a date") && text.contains("remove the quotes"),
        "{text}"
    );
}

#[test]
fn diff_reports_owner_changes_by_department_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = repo(tmp.path());
    write(
        &dir,
        "content/departments/is.md",
        "+++\nname = \"インサイドセールス\"\n+++\n",
    );
    let p = dir.join("content/personas/情シス課長.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("owner = \"sales\"", "owner = \"is\"")
            .replace("2025-12-01", "2026-05-30"),
    )
    .unwrap();
    let o = tabiji().arg("diff").arg(&dir).arg("HEAD").output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        text.contains("フィールドセールス") && text.contains("インサイドセールス"),
        "{text}"
    );
    assert!(
        text.contains("2025-12-01") && text.contains("2026-05-30"),
        "{text}"
    );
    let o = tabiji()
        .arg("diff")
        .arg(&dir)
        .arg("HEAD")
        .arg("--format")
        .arg("json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let owner = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "owner")
        .expect("an owner change");
    assert_eq!(owner["old"], "フィールドセールス");
    assert_eq!(owner["new"], "インサイドセールス");
}
