//! The built-in journey table, journey, stage, department and print pages are written in
//! Rust for speed (`src/render/native.rs`); their Tera templates remain the reference.
//! Every site here is rendered both ways and every output file must be byte-identical.

use std::path::{Path, PathBuf};

use tabiji::render::{RenderOptions, render_site};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn assert_same_both_ways(site_dir: &Path, base_url: Option<&str>) {
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
                changes: None,
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
fn starter_sites_render_the_same_both_ways() {
    for lang in ["ja", "en"] {
        assert_same_both_ways(&root().join("scaffold").join(lang), None);
    }
}

#[test]
fn check_fixtures_render_the_same_both_ways() {
    for name in ["base"] {
        assert_same_both_ways(&root().join("tests/fixtures/check").join(name), None);
    }
}
