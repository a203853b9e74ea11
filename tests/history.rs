//! The "What changed" page of `[history] commits = N` (issue 20), on a repository made by the
//! test with dated commits: one entry per commit that changed the site, newest first, with
//! its date and subject; commits that touched nothing of the site are passed over; changes
//! link the pages they concern; no raw Markdown and no git words in headings; the same
//! repository gives the same page.

use assert_cmd::Command;
use scraper::{Html, Selector};

mod common;

const JOURNEY: &str = "content/journeys/情シス課長-新規.toml";

/// The fixture site with one dated commit; [`common::GitSite`] does the rest.
struct Repo(common::GitSite);

impl std::ops::Deref for Repo {
    type Target = common::GitSite;
    fn deref(&self) -> &common::GitSite {
        &self.0
    }
}

impl Repo {
    fn new() -> Repo {
        let r = Repo(common::GitSite::from_fixture("diff/base"));
        r.git(&["init", "-q", "-b", "main"], "2026-01-05T10:00:00+09:00");
        r.commit("最初の版", "2026-01-05T10:00:00+09:00");
        r
    }

    fn build(&self, out: &str) -> String {
        let out = self.root.join(out);
        let run = Command::new(env!("CARGO_BIN_EXE_tabiji"))
            .env("TABIJI_LANG", "en")
            .current_dir(&self.root)
            .args(["build", ".", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        std::fs::read_to_string(out.join("changes/index.html")).expect("changes/index.html")
    }
}

fn history() -> Repo {
    let r = Repo::new();
    r.edit(
        "tabiji.toml",
        "language = \"ja\"",
        "language = \"ja\"\n\n[history]\ncommits = 3",
    );
    r.commit("履歴ページを有効にする", "2026-01-10T10:00:00+09:00");
    r.edit(JOURNEY, "年1回の棚卸", "年2回の棚卸");
    r.commit("棚卸の頻度を直す", "2026-02-01T09:30:00+09:00");
    // Only a file outside the site's content: not news for a reader.
    std::fs::write(r.root.join("README.md"), "notes\n").unwrap();
    r.commit("README を追加", "2026-02-03T12:00:00+09:00");
    std::fs::write(
        r.root.join("content/playbooks/closing.md"),
        "+++\ntitle = \"クロージングの進め方\"\nstage = \"decide\"\n+++\n[ヒアリング](playbook:hearing)の結果を使う。\n",
    )
    .unwrap();
    r.commit(
        "クロージングのプレイブックを追加",
        "2026-03-02T08:00:00+09:00",
    );
    r
}

#[test]
fn one_entry_per_commit_newest_first_with_links_and_no_raw_markdown() {
    let r = history();
    let page = r.build("out");
    let doc = Html::parse_document(&page);
    let sel = |s: &str| Selector::parse(s).unwrap();
    let entries: Vec<_> = doc.select(&sel("li.history-entry")).collect();
    let heads: Vec<String> = entries
        .iter()
        .map(|e| {
            e.select(&sel("h2"))
                .next()
                .unwrap()
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    // commits = 3: the three latest commits that changed the site; the README commit is not one.
    assert_eq!(
        heads,
        [
            "2026-03-02 クロージングのプレイブックを追加 新着",
            "2026-02-01 棚卸の頻度を直す 新着",
            "2026-01-10 履歴ページを有効にする 新着",
        ],
        "{page}"
    );
    for h in &heads {
        assert!(
            !h.contains("HEAD") && !h.contains("commit"),
            "git words in «{h}»"
        );
    }
    // Each entry carries its time for "new since your last visit".
    assert_eq!(entries[0].value().attr("data-time"), Some("1772406000"));
    // The new playbook is named and linked; the cell change links the journey, word by word.
    let first = entries[0].inner_html();
    assert!(first.contains("href=\"/playbooks/closing/\""), "{first}");
    assert!(first.contains("クロージングの進め方"), "{first}");
    let second = entries[1].inner_html();
    assert!(
        second.contains(
            "/journeys/%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7-%E6%96%B0%E8%A6%8F/"
        ),
        "{second}"
    );
    assert!(
        second.contains("<del>1</del><ins>2</ins>")
            || second.contains("<del>年1回</del><ins>年2回</ins>"),
        "{second}"
    );
    assert!(
        !page.contains("](playbook:"),
        "raw Markdown links on the page"
    );
    assert!(!page.contains("**"), "raw emphasis on the page");
    // A short id beside the date, not in the heading.
    assert!(entries[0].select(&sel("p.commit-id")).next().is_some());

    // The same repository gives the same page.
    assert_eq!(r.build("again"), page);
    // The header of every page carries the entries' times, newest first.
    let index = std::fs::read_to_string(r.root.join("out/index.html")).unwrap();
    assert!(index.contains("data-times=\"1772406000,"), "{index}");
}

#[test]
fn without_git_the_site_builds_without_the_page() {
    let r = history();
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(&r.root.join("content"), &copy.path().join("content"));
    std::fs::copy(r.root.join("tabiji.toml"), copy.path().join("tabiji.toml")).unwrap();
    let out = copy.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_tabiji"))
        .env("TABIJI_LANG", "en")
        .args(["build"])
        .arg(copy.path())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!out.join("changes").exists());
}

/// Each page built from a file carries its last commit's time (`data-changed`, for the
/// browser's "changed since your last visit" marker) with the marker hidden, from the same
/// walk as its "last changed" date; a page unchanged since then keeps the older time.
#[test]
fn pages_carry_the_time_their_file_last_changed() {
    let r = history();
    r.build("out");
    let changed = |page: &str| {
        let html = std::fs::read_to_string(r.root.join("out").join(page)).unwrap();
        let doc = Html::parse_document(&html);
        let aside = Selector::parse("aside.upkeep").unwrap();
        let marker = Selector::parse("aside.upkeep [data-changed-marker][hidden]").unwrap();
        let time = doc
            .select(&aside)
            .next()
            .and_then(|a| a.value().attr("data-changed"))
            .map(str::to_string);
        if time.is_some() {
            assert!(
                doc.select(&marker).next().is_some(),
                "{page}: no hidden marker"
            );
        }
        time
    };
    // 2026-03-02T08:00:00+09:00 and 2026-02-01T09:30:00+09:00.
    assert_eq!(
        changed("playbooks/closing/index.html").as_deref(),
        Some("1772406000")
    );
    assert_eq!(
        changed("journeys/情シス課長-新規/index.html").as_deref(),
        Some("1769905800")
    );
    // Committed first on 2026-01-05T10:00:00+09:00.
    assert_eq!(
        changed("playbooks/hearing/index.html").as_deref(),
        Some("1767574800")
    );
}

/// A clone of `r` with `--depth N` (a CI checkout), built; its "What changed" page.
fn shallow_build(r: &Repo, depth: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    let url = format!("file://{}", r.root.display());
    r.git(
        &[
            "clone",
            "-q",
            "--depth",
            depth,
            &url,
            clone.to_str().unwrap(),
        ],
        "2026-03-03T00:00:00Z",
    );
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_tabiji"))
        .args(["build"])
        .arg(&clone)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "a --depth {depth} clone: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::read_to_string(out.join("changes/index.html")).unwrap();
    let playbook = std::fs::read_to_string(out.join("playbooks/closing/index.html")).unwrap();
    assert!(
        !playbook.contains("data-changed"),
        "a shallow clone cannot date pages: {playbook}"
    );
    (dir, page)
}

/// A shallow clone builds: the page lists the commits whose parent it holds (none with
/// `--depth 1`, saying so), the same every time.
#[test]
fn a_shallow_clone_builds_with_the_history_it_holds() {
    let r = history();
    let (_one, page) = shallow_build(&r, "1");
    let doc = Html::parse_document(&page);
    let entries = Selector::parse("li.history-entry").unwrap();
    assert_eq!(doc.select(&entries).count(), 0, "{page}");
    assert!(page.contains("表示できる変更履歴はありません。"), "{page}");
    let (_two, page) = shallow_build(&r, "2");
    let doc = Html::parse_document(&page);
    let heads: Vec<String> = doc
        .select(&entries)
        .map(|e| e.value().attr("id").unwrap_or("").to_string())
        .collect();
    assert_eq!(heads.len(), 1, "{page}");
    assert!(heads[0].starts_with("change-2026-03-02-"), "{heads:?}");
    assert_eq!(shallow_build(&r, "2").1, page, "not deterministic");
}

/// The first commit of a repository is the site's first version, not "nothing changed".
#[test]
fn a_single_commit_repository_shows_the_first_version() {
    let r = Repo::new();
    r.edit(
        "tabiji.toml",
        "language = \"ja\"",
        "language = \"ja\"\n\n[history]\ncommits = 3",
    );
    r.git(&["add", "-A"], "2026-01-05T10:00:00+09:00");
    r.git(
        &["commit", "-q", "--amend", "-m", "最初の版"],
        "2026-01-05T10:00:00+09:00",
    );
    let page = r.build("out");
    let doc = Html::parse_document(&page);
    let entries: Vec<_> = doc
        .select(&Selector::parse("li.history-entry").unwrap())
        .collect();
    assert_eq!(entries.len(), 1, "{page}");
    let text = entries[0].text().collect::<String>();
    assert!(
        text.contains("最初の版") && text.contains("サイトの最初の版です。"),
        "{text}"
    );
    assert!(!text.contains("読み手に関わる変更はありません"), "{text}");
}
