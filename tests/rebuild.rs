//! Rebuilding into the output a previous build left: only files whose bytes changed are
//! written (the others keep their modification time), files no longer made disappear, the
//! result is byte for byte a fresh build, and a failed rebuild changes nothing.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}

/// The sample site (content, tabiji.toml) in a temporary folder.
fn sample() -> tempfile::TempDir {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(root.join("tabiji.toml"), dir.path().join("tabiji.toml")).expect("copy");
    copy_tree(&root.join("content"), &dir.path().join("content"));
    dir
}

fn build(site: &Path, out: &Path) -> std::process::Output {
    Command::cargo_bin("tabiji")
        .expect("binary")
        .env("TABIJI_LANG", "en")
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .output()
        .expect("runs")
}

/// Every file under `root`: path → (bytes, (inode, modification time)). A file written
/// again (to a temporary name, then renamed) has a new inode, whatever the clock's
/// resolution.
fn tree(root: &Path) -> BTreeMap<String, (Vec<u8>, (u64, SystemTime))> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            let meta = e.metadata().expect("metadata");
            (
                rel,
                (
                    std::fs::read(e.path()).expect("read"),
                    (meta.ino(), meta.modified().expect("mtime")),
                ),
            )
        })
        .collect()
}

fn bytes_only(t: &BTreeMap<String, (Vec<u8>, (u64, SystemTime))>) -> BTreeMap<&str, &[u8]> {
    t.iter()
        .map(|(k, (b, _))| (k.as_str(), b.as_slice()))
        .collect()
}

#[test]
fn a_rebuild_writes_only_what_changed_and_equals_a_fresh_build() {
    let site = sample();
    let extra = site.path().join("content/playbooks/extra.md");
    std::fs::write(
        &extra,
        "+++\ntitle = \"一時的な資料\"\nstage = \"loyal\"\n+++\n本文\n",
    )
    .expect("write");
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let first = tree(&out);
    assert!(first.contains_key("playbooks/extra/index.html"));
    // An unchanged rebuild writes nothing.
    let again = build(site.path(), &out);
    assert!(again.status.success());
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("0 files changed"), "{stdout}");
    assert_eq!(tree(&out), first, "an unchanged rebuild touched files");

    // One journey cell changes: the journey, its persona, stage and print pages and the
    // search index change; most pages do not, and keep their modification time.
    let journey = site.path().join("content/journeys/cfo-new.toml");
    let text = std::fs::read_to_string(&journey).expect("read");
    let changed = text.replacen("problem = \"", "problem = \"（改訂）", 1);
    assert_ne!(changed, text);
    std::fs::write(&journey, changed).expect("write");
    // A playbook removed: its page must disappear.
    std::fs::remove_file(&extra).expect("remove");
    let out_rebuild = build(site.path(), &out);
    assert!(
        out_rebuild.status.success(),
        "{}",
        String::from_utf8_lossy(&out_rebuild.stderr)
    );
    let second = tree(&out);
    let fresh_dir = site.path().join("fresh");
    assert!(build(site.path(), &fresh_dir).status.success());
    let fresh = tree(&fresh_dir);
    assert_eq!(
        bytes_only(&second),
        bytes_only(&fresh),
        "the rebuild differs from a fresh build"
    );
    assert!(!second.contains_key("playbooks/extra/index.html"));
    assert!(
        !out.join("playbooks/extra").exists(),
        "an emptied folder was left behind"
    );
    let rewritten: Vec<&String> = second
        .iter()
        .filter(|(k, (_, t))| first.get(*k).is_none_or(|(_, t0)| t0 != t))
        .map(|(k, _)| k)
        .collect();
    assert!(
        rewritten.iter().any(|k| k.starts_with("journeys/cfo-new/")),
        "{rewritten:?}"
    );
    assert!(
        rewritten.len() * 3 < second.len(),
        "{} of {} files rewritten: {rewritten:?}",
        rewritten.len(),
        second.len()
    );
    assert!(
        !rewritten
            .iter()
            .any(|k| k.starts_with("glossary/") || k.starts_with("assets/")),
        "{rewritten:?}"
    );
    // No temporary file is left.
    assert!(
        second.keys().all(|k| !k.contains("tabiji-tmp")),
        "{:?}",
        second.keys()
    );
}

#[test]
fn a_failed_rebuild_changes_nothing_and_a_damaged_manifest_only_costs_a_full_write() {
    let site = sample();
    let out = site.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let before = tree(&out);
    std::fs::create_dir_all(site.path().join("templates")).expect("mkdir");
    std::fs::write(
        site.path().join("templates/stage.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable.x }}{% endblock content %}",
    )
    .expect("write");
    let failed = build(site.path(), &out);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(tree(&out), before, "a failed rebuild changed the output");
    std::fs::remove_dir_all(site.path().join("templates")).expect("rm");
    // A damaged manifest: the next build writes everything, and the result is right.
    let manifest = site.path().join(".public.tabiji-manifest");
    assert!(manifest.is_file(), "no manifest beside the output");
    std::fs::write(&manifest, "garbage").expect("write");
    // A file edited by hand in the output is put right, too.
    std::fs::write(out.join("index.html"), "edited").expect("write");
    assert!(build(site.path(), &out).status.success());
    assert_eq!(bytes_only(&tree(&out)), bytes_only(&before));
}

/// A `static/` file replaces a built-in one of the same path: on a rebuild both are written,
/// and the last (the site's) must win, whether it changed or went back to what it was.
#[test]
fn a_static_file_over_a_built_in_one_wins_on_every_rebuild() {
    let site = sample();
    let out = site.path().join("public");
    let css = site.path().join("static/assets/tabiji.css");
    std::fs::create_dir_all(css.parent().unwrap()).expect("mkdir");
    for text in [
        "body { color: red }",
        "body { color: blue }",
        "body { color: red }",
    ] {
        std::fs::write(&css, text).expect("write");
        let built = build(site.path(), &out);
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(out.join("assets/tabiji.css")).expect("read"),
            text
        );
    }
    let fresh = site.path().join("fresh");
    assert!(build(site.path(), &fresh).status.success());
    assert_eq!(bytes_only(&tree(&out)), bytes_only(&tree(&fresh)));
}

/// A rebuild skips rendering a page whose template and data are what they were last time.
/// Whatever else changes what a page shows must still reach it: a template of the site, a
/// name shown on other pages, "today" (review dates), and a page someone edited in the
/// output folder. After each, the rebuild equals a fresh build.
#[test]
fn pages_not_rendered_again_are_still_what_a_fresh_build_makes() {
    let site = sample();
    let out = site.path().join("public");
    let fresh_dir = site.path().join("fresh");
    let build_at = |dest: &Path, epoch: &str| {
        let o = Command::cargo_bin("tabiji")
            .expect("binary")
            .env("TABIJI_LANG", "en")
            .env("SOURCE_DATE_EPOCH", epoch)
            .arg("build")
            .arg(site.path())
            .arg("-o")
            .arg(dest)
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let same_as_fresh = |what: &str, epoch: &str| {
        build_at(&out, epoch);
        let _ = std::fs::remove_dir_all(&fresh_dir);
        build_at(&fresh_dir, epoch);
        assert_eq!(
            bytes_only(&tree(&out)),
            bytes_only(&tree(&fresh_dir)),
            "after {what}, the rebuild differs from a fresh build"
        );
    };
    same_as_fresh("the first build", "1790000000");
    // A template of the site's own: every page that uses it changes.
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let macros = std::fs::read_to_string(root.join("templates/macros.html")).expect("read");
    std::fs::write(
        templates.join("macros.html"),
        macros.replace(
            "<div class=\"task-group\">",
            "<div class=\"task-group own\">",
        ),
    )
    .expect("write");
    same_as_fresh("a template change", "1790000000");
    assert!(
        std::fs::read_to_string(out.join("journeys/cfo-new/index.html"))
            .expect("read")
            .contains("task-group own"),
        "the journey page was not rendered with the new template"
    );
    // A department renamed: every page naming it changes.
    let dept = site.path().join("content/departments/inside-sales.md");
    let text = std::fs::read_to_string(&dept).expect("read");
    let name = text
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("a name line")
        .to_string();
    std::fs::write(&dept, text.replacen(&name, "IS-RENAMED", 1)).expect("write");
    same_as_fresh("a renamed department", "1790000000");
    // Another "today": review markers may change.
    same_as_fresh("a later day", "1830000000");
    // A page edited in the output folder is made again.
    let page = out.join("glossary/index.html");
    std::fs::write(&page, "edited by hand").expect("write");
    same_as_fresh("a page edited in the output", "1830000000");
}
