//! The built-in journey table, journey, stage, department and print pages are written in
//! Rust for speed (`src/render/native.rs`); their Tera templates remain the reference.
//! Every site here is rendered both ways and every output file must be byte-identical.

use std::path::{Path, PathBuf};

use tabiji::render::{RenderOptions, render_site};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn assert_same_both_ways(site_dir: &Path, base_url: Option<&str>) {
    assert_same_both_ways_with(site_dir, base_url, None);
}

fn assert_same_both_ways_with(
    site_dir: &Path,
    base_url: Option<&str>,
    changes: Option<tabiji::render::ChangesPage>,
) {
    let loaded = tabiji::load::load_dir(site_dir, "").expect("site folder readable");
    assert!(
        !loaded.diagnostics.has_errors(),
        "{} has errors",
        site_dir.display()
    );
    let render = |tera_only| {
        render_site(
            &loaded.site,
            &RenderOptions {
                changes: changes.clone(),
                base_url: base_url.map(str::to_string),
                site_root: Some(site_dir),
                tera_only,
            },
        )
        .expect("renders")
    };
    let fast = render(false);
    let reference = render(true);
    assert_eq!(
        fast.iter().map(|f| &f.path).collect::<Vec<_>>(),
        reference.iter().map(|f| &f.path).collect::<Vec<_>>(),
        "same files"
    );
    let mut differing = Vec::new();
    for (a, b) in fast.iter().zip(&reference) {
        if a.bytes != b.bytes {
            let at = a
                .bytes
                .iter()
                .zip(&b.bytes)
                .position(|(x, y)| x != y)
                .unwrap_or(a.bytes.len().min(b.bytes.len()));
            let show = |bytes: &[u8]| {
                let from = at.saturating_sub(80);
                let to = (at + 80).min(bytes.len());
                String::from_utf8_lossy(&bytes[from..to]).into_owned()
            };
            differing.push(format!(
                "{} differs at byte {at}:\n  native: {:?}\n  tera:   {:?}",
                a.path,
                show(&a.bytes),
                show(&b.bytes)
            ));
        }
    }
    assert!(
        differing.is_empty(),
        "{}: {} file(s) differ\n{}",
        site_dir.display(),
        differing.len(),
        differing.join("\n")
    );
}

#[test]
fn sample_site_renders_the_same_both_ways() {
    assert_same_both_ways(&root(), None);
}

#[test]
fn sample_site_under_a_sub_path_renders_the_same_both_ways() {
    assert_same_both_ways(&root(), Some("https://intra.example.jp/営業/tabiji/"));
}

#[test]
fn build_fixtures_render_the_same_both_ways() {
    for name in ["small", "unicode", "hostile"] {
        assert_same_both_ways(&root().join("tests/fixtures/build").join(name), None);
    }
}

#[test]
fn the_unicode_fixture_under_a_japanese_sub_path_renders_the_same_both_ways() {
    assert_same_both_ways(
        &root().join("tests/fixtures/build/unicode"),
        Some("https://社内.example.jp/営業部/旅路/"),
    );
}

#[test]
fn a_build_with_a_changes_page_renders_the_same_both_ways() {
    let changes = tabiji::render::ChangesPage {
        since: "v1 <old>".into(),
        html: "<p>One stage changed.</p>".into(),
        count: 1,
    };
    assert_same_both_ways_with(&root(), None, Some(changes));
}

#[test]
fn starter_sites_render_the_same_both_ways() {
    for lang in ["ja", "en"] {
        assert_same_both_ways(&root().join("scaffold").join(lang), None);
    }
}

#[test]
fn the_check_base_fixture_renders_the_same_both_ways() {
    assert_same_both_ways(&root().join("tests/fixtures/check/base"), None);
}

/// Writes a bare site into `root`: no phases, departments, glossary, onboarding or
/// description; a persona without a journey and one with a journey that leaves stages and
/// cells empty.
fn write_bare_site(root: &Path) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "tabiji.toml",
        "title = \"Bare <site> & 'quotes'\"\nlanguage = \"en\"\n\n[[stages]]\nid = \"one\"\nname = \"One\"\n\n[[stages]]\nid = \"two\"\nname = \"Two/2\"\n\n[[rows]]\nid = \"problem\"\nname = \"Problem\"\n\n[[rows]]\nid = \"thought\"\nname = \"Thought\"\ndescription = \"What \\\"they\\\" think\"\n",
    );
    write("content/personas/alone.md", "+++\nname = \"Alone\"\n+++\n");
    write(
        "content/personas/busy.md",
        "+++\nname = \"Busy <b>\"\nrole = \"Buyer\"\ngoals = [\"a/b\", \"c\"]\n+++\nBody with **bold**.\n",
    );
    write(
        "content/journeys/busy.toml",
        "persona = \"busy\"\n\n[stages.one]\nproblem = \"1. not a list? <i>x</i>\"\n",
    );
}

#[test]
fn a_bare_site_renders_the_same_both_ways() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_bare_site(dir.path());
    assert_same_both_ways(dir.path(), Some("/sub/"));
}

/// A site's own `base.html` may use the page's own variables (here `stage`), which only
/// Tera's rendering of the whole page provides: such a site gets every page through Tera.
#[test]
fn a_site_with_its_own_base_html_gets_the_page_context_in_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write_bare_site(root);
    let builtin = tabiji::render::BUILTIN
        .iter()
        .find(|(n, _)| *n == "base.html")
        .map(|(_, t)| *t)
        .expect("built-in base.html");
    let custom = builtin.replace(
        "<meta name=\"generator\" content=\"tabiji\">",
        "<meta name=\"generator\" content=\"tabiji\"><meta name=\"x-stage\" content=\"{% if stage %}{{ stage.name }}{% endif %}\">",
    );
    assert_ne!(custom, builtin);
    std::fs::create_dir_all(root.join("templates")).expect("mkdir");
    std::fs::write(root.join("templates/base.html"), custom).expect("write");
    let loaded = tabiji::load::load_dir(root, "").expect("readable");
    let files = render_site(
        &loaded.site,
        &RenderOptions {
            changes: None,
            base_url: None,
            site_root: Some(root),
            tera_only: false,
        },
    )
    .expect("renders");
    let stage = files
        .iter()
        .find(|f| f.path == "stages/two/index.html")
        .expect("stage page");
    let html = String::from_utf8_lossy(&stage.bytes);
    assert!(
        html.contains("<meta name=\"x-stage\" content=\"Two&#x2F;2\">"),
        "{html}"
    );
}
