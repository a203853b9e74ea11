//! Snapshots of the three renderings of `tabiji check` on the fixture site with fifteen (and
//! more) mistakes: what a user actually sees. The site is given as the relative path `fifteen`
//! from `tests/fixtures/check`, so every path in the output is stable.
//!
//! After an intended change of the output: `INSTA_UPDATE=always cargo test --test
//! check_snapshots`, then read the changed `.snap` files before committing them.

use std::path::Path;

fn check_fifteen(format: &str) -> String {
    check_fifteen_in(format, "en")
}

fn check_fifteen_in(format: &str, lang: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_tabiji"))
        .env("TABIJI_LANG", lang)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["check", "fifteen", "--format", format])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "--format {format}: the site has errors"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn fifteen_human() {
    insta::assert_snapshot!("fifteen_human", check_fifteen("human"));
}

#[test]
fn fifteen_json() {
    insta::assert_snapshot!("fifteen_json", check_fifteen("json"));
}

#[test]
fn fifteen_github() {
    insta::assert_snapshot!("fifteen_github", check_fifteen("github"));
}

/// The same site in Japanese, the language it declares: what its authors read.
#[test]
fn fifteen_human_ja() {
    insta::assert_snapshot!("fifteen_human_ja", check_fifteen_in("human", "ja"));
}

#[test]
fn fifteen_github_ja() {
    insta::assert_snapshot!("fifteen_github_ja", check_fifteen_in("github", "ja"));
}
