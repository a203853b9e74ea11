//! The search index of a large site is split into an entry file and shards fetched as a query
//! needs them; a small site's is one file. Whichever form a site gets, a query must find the
//! same documents in the same order: these tests write both forms of the same sites and let
//! Node.js run the browser's own search code (static/assets/search.js, through
//! tests/search_index.mjs) on both, for hundreds of queries made from each site's words.

use std::path::Path;
use std::process::Command;

use tabiji::search::{Form, INDEX_PATH, IndexFile, SINGLE_MAX, index_files};

fn files_of(site: &Path, form: Form) -> Vec<IndexFile> {
    let loaded = tabiji::pipeline::load_site(site).expect("loads");
    assert!(
        !loaded.diagnostics.has_errors(),
        "{}: the site has errors",
        site.display()
    );
    let urls = tabiji::urls::Urls::new(&loaded.site, "/");
    index_files(&loaded.site, &urls, form)
}

fn write_form(site: &Path, form: Form, out: &Path) {
    for f in files_of(site, form) {
        let path = out.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, f.bytes).unwrap();
    }
}

/// Both forms of `site`'s index, compared by the browser's code; the summary.
fn compare(site: &Path) -> serde_json::Value {
    let tmp = tempfile::tempdir().unwrap();
    let (single, sharded) = (tmp.path().join("single"), tmp.path().join("sharded"));
    write_form(site, Form::Single, &single);
    write_form(site, Form::Sharded, &sharded);
    let out = Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search_index.mjs"
        ))
        .arg("compare")
        .arg(&single)
        .arg(&sharded)
        .output()
        .expect("Node.js is required for this test (scripts/test.sh installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}: the forms differ or node failed:\n{stdout}\n{}",
        site.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}: {}", site.display(), stdout.trim());
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn the_sample_and_fixture_sites_find_the_same_in_both_forms() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for site in [
        root.to_path_buf(),
        root.join("tests/fixtures/build/small"),
        root.join("tests/fixtures/build/unicode"),
        root.join("tests/fixtures/build/hostile"),
    ] {
        let summary = compare(&site);
        assert!(
            summary["with_results"].as_u64() > Some(20),
            "{}: too few queries found anything: {summary}",
            site.display()
        );
    }
}

#[test]
fn a_generated_large_site_finds_the_same_in_both_forms() {
    // 150 personas: 2,600 documents, some 300 key files and 330 document files in the
    // sharded form. TABIJI_SEARCH_SITE names an existing site instead (bench/site-2000).
    let tmp = tempfile::tempdir().unwrap();
    let site = match std::env::var_os("TABIJI_SEARCH_SITE") {
        Some(s) => s.into(),
        None => {
            let site = tmp.path().join("site");
            let status = Command::new("python3")
                .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/gen_site.py"))
                .args(["--personas", "150"])
                .arg(&site)
                .status()
                .expect("python3 runs bench/gen_site.py");
            assert!(status.success());
            site
        }
    };
    let summary = compare(&site);
    assert!(
        summary["queries"].as_u64() > Some(300) && summary["with_results"].as_u64() > Some(200),
        "{summary}"
    );
}

#[test]
fn a_small_index_is_one_file_and_a_large_one_is_sharded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = files_of(root, Form::Auto);
    assert_eq!(sample.len(), 1, "the sample site's index is one file");
    assert_eq!(sample[0].path, INDEX_PATH);
    assert!(sample[0].bytes.len() <= SINGLE_MAX);

    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let status = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/gen_site.py"))
        .args(["--personas", "20"])
        .arg(&site)
        .status()
        .expect("python3 runs bench/gen_site.py");
    assert!(status.success());
    let single: usize = files_of(&site, Form::Single)[0].bytes.len();
    assert!(
        single > SINGLE_MAX,
        "20 personas: {single} bytes in one file"
    );
    let sharded = files_of(&site, Form::Auto);
    assert_eq!(sharded[0].path, INDEX_PATH);
    assert!(sharded.len() > 10, "sharded past {SINGLE_MAX} bytes");
    assert!(
        sharded[0].bytes.len() < 4096,
        "the entry file is small: {} bytes",
        sharded[0].bytes.len()
    );
    assert!(sharded.iter().any(|f| f.path.starts_with("search/keys/")));
    assert!(sharded.iter().any(|f| f.path.starts_with("search/docs/")));
}
