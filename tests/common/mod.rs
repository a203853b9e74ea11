//! Helpers shared by the integration tests (each test file includes this with `mod common;`).
#![allow(dead_code)] // not every test file uses every helper

use std::path::Path;

/// Copy a folder tree, creating entries in name order.
pub fn copy_dir(from: &Path, to: &Path) {
    copy_dir_ordered(from, to, false);
}

/// Copy a folder tree; entries are created in name order, or in reverse name order (to
/// show that output does not depend on the order files were created in).
pub fn copy_dir_ordered(from: &Path, to: &Path, reverse: bool) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    if reverse {
        entries.reverse();
    }
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir_ordered(&entry.path(), &target, reverse);
        } else {
            std::fs::write(&target, std::fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

/// Writes a file of a test site, making its folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// `tabiji build ROOT -o ROOT/public`, which must succeed; the output folder.
pub fn build(root: &Path) -> std::path::PathBuf {
    let out = root.join("public");
    assert_cmd::Command::cargo_bin("tabiji")
        .expect("binary")
        .env("TABIJI_LANG", "en")
        .arg("build")
        .arg(root)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    out
}

/// A built page, parsed.
pub fn page(out: &Path, rel: &str) -> scraper::Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    scraper::Html::parse_document(&text)
}

/// The `href` of every element a CSS selector picks.
pub fn hrefs(doc: &scraper::Html, css: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(css).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

/// `git ARGS` in `root`, as a test repository needs it: no user or system configuration,
/// a fixed author and committer at `date`, no signing, paths unquoted; must succeed. Its
/// standard output.
pub fn git(root: &Path, date: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .args(["-c", "commit.gpgsign=false", "-c", "core.quotepath=false"])
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("git's output is UTF-8")
}

/// A copy of a fixture site (`tests/fixtures/<fixture>`) in a temporary folder, to be made
/// a git repository with dated commits (the history and diff tests).
pub struct GitSite {
    _dir: tempfile::TempDir,
    /// The folder, canonical (git reports canonical paths).
    pub root: std::path::PathBuf,
}

impl GitSite {
    pub fn from_fixture(fixture: &str) -> GitSite {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture),
            &root,
        );
        GitSite { _dir: dir, root }
    }

    /// `git ARGS` at `date` ([`git`]).
    pub fn git(&self, args: &[&str], date: &str) -> String {
        git(&self.root, date, args)
    }

    /// Everything in the folder, committed at `date` (also when nothing changed).
    pub fn commit(&self, msg: &str, date: &str) {
        self.git(&["add", "-A"], date);
        self.git(&["commit", "-q", "--allow-empty", "-m", msg], date);
    }

    /// Replace the one occurrence of `from` in a site file.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.root.join(rel);
        let text = std::fs::read_to_string(&p).expect("read");
        assert_eq!(
            text.matches(from).count(),
            1,
            "{rel} must hold «{from}» once"
        );
        std::fs::write(p, text.replacen(from, to, 1)).expect("write");
    }
}
