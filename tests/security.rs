//! Issue 17: what an attacker or a careless user tried, and what tabiji does instead.
//!
//! - symlinks leaving the site are never read nor published (content, static, templates);
//! - `base_url` / `--base-url` cannot point to another host;
//! - ids too long for a file name fail `check` (as they would fail `build`); ids that clash
//!   on case-insensitive file systems are warned about;
//! - inputs that used to take quadratic time or memory finish within generous bounds;
//! - control characters and `::` workflow commands from content never reach a terminal raw.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

mod common;
use common::copy_dir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/fixtures/build/small` in a temporary folder.
fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/build/small"), dir.path());
    dir
}

fn tabiji(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::cargo_bin("tabiji")
        .unwrap()
        .env("TABIJI_LANG", "en")
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Replace `key = ...` in tabiji.toml (or add it after the title).
fn set_config(site: &Path, line: &str) {
    let p = site.join("tabiji.toml");
    let s = std::fs::read_to_string(&p).unwrap();
    let s = s.replacen('\n', &format!("\n{line}\n"), 1);
    std::fs::write(p, s).unwrap();
}

// ---------------------------------------------------------------------------------------------
// base_url
// ---------------------------------------------------------------------------------------------

#[test]
fn base_urls_that_leave_the_site_are_refused() {
    for bad in [
        "//evil.example/",
        "/\\evil.example/",
        "https:",
        "javascript:x",
    ] {
        let site = small_site();
        set_config(site.path(), &format!("base_url = {}", toml_str(bad)));
        let out = tabiji(&["check"], site.path());
        assert_eq!(out.status.code(), Some(1), "{bad}: {}", text(&out.stdout));
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(all.contains("tabiji.toml:2:"), "{bad}: {all}");
        assert!(all.contains("invalid base_url"), "{all}");

        let site = small_site();
        let out = tabiji(&["build", "--base-url", bad], site.path());
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(text(&out.stderr).contains("invalid --base-url"));
        assert!(!site.path().join("public").exists());
    }
}

fn toml_str(s: &str) -> String {
    format!("'{s}'")
}

// ---------------------------------------------------------------------------------------------
// Ids as file names
// ---------------------------------------------------------------------------------------------

#[test]
fn ids_too_long_for_a_file_name_fail_check_at_their_line() {
    let site = small_site();
    let p = site.path().join("tabiji.toml");
    let long = "あ".repeat(100);
    let s = std::fs::read_to_string(&p)
        .unwrap()
        .replace("id = \"use\"", &format!("id = \"{long}\""));
    std::fs::write(&p, s).unwrap();
    let out = tabiji(&["check", "--format", "json"], site.path());
    assert_eq!(out.status.code(), Some(1));
    let all = text(&out.stdout);
    assert!(all.contains("invalid-id"), "{all}");
    assert!(all.contains("300 bytes"), "{all}");
}

#[test]
fn ids_differing_only_in_case_are_warned_about() {
    let site = small_site();
    let dir = site.path().join("content/departments");
    std::fs::copy(dir.join("sales.md"), dir.join("Sales.md")).unwrap();
    let out = tabiji(&["check"], site.path());
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("case-clash"), "{all}");
    assert!(all.contains("content/departments/sales.md:1:1"), "{all}");
}

// ---------------------------------------------------------------------------------------------
// Inputs that used to take quadratic (or cubic) time or memory
// ---------------------------------------------------------------------------------------------

/// Runs `tabiji build` and asserts it succeeds within `limit` (unoptimised build, shared
/// machine: the bounds are generous; the old code took far longer even optimised).
fn build_within(site: &Path, limit: Duration) -> std::process::Output {
    let t = Instant::now();
    let out = tabiji(&["build"], site);
    let took = t.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(took < limit, "took {took:?}");
    out
}

#[test]
fn a_ring_of_1000_departments_builds_in_bounded_time_and_size() {
    let site = small_site();
    let dir = site.path().join("content/departments");
    let n = 1000;
    for i in 0..n {
        std::fs::write(
            dir.join(format!("d{i:04}.md")),
            format!(
                "+++\nname = \"Department {i}\"\nclients = [\"d{:04}\"]\nsuppliers = [\"d{:04}\"]\n+++\nx\n",
                (i + 1) % n,
                (i + n - 1) % n
            ),
        )
        .unwrap();
    }
    // Was 77 s optimised, with every page holding all 1,000 boxes.
    build_within(site.path(), Duration::from_secs(60));
    let page =
        std::fs::read_to_string(site.path().join("public/departments/d0500/index.html")).unwrap();
    assert!(page.len() < 200_000, "{} bytes", page.len());
    // Its neighbourhood: itself and both neighbours, linked; no one else.
    let start = page.find("<svg class=\"department-chain\"").unwrap();
    let chart = &page[start..start + page[start..].find("</svg>").unwrap()];
    for near in ["d0499", "d0500", "d0501"] {
        assert!(chart.contains(&format!("/departments/{near}/")), "{near}");
    }
    assert_eq!(chart.matches("<rect").count(), 3);
}

#[test]
fn twenty_thousand_identical_headings_render_in_bounded_time() {
    let site = small_site();
    let body = "## 見出し\n\n".repeat(20_000);
    let p = site.path().join("content/playbooks/demo.md");
    let s = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{s}\n{body}")).unwrap();
    // Was 50 s optimised.
    build_within(site.path(), Duration::from_secs(60));
    let page =
        std::fs::read_to_string(site.path().join("public/playbooks/demo/index.html")).unwrap();
    assert!(
        page.contains("-20000\""),
        "the last heading gets its number"
    );
}

// ---------------------------------------------------------------------------------------------
// Symbolic links
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
fn outside_secret() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET").unwrap();
    (dir, secret)
}

#[cfg(unix)]
#[test]
fn content_links_leaving_the_site_are_warned_about_and_not_read() {
    use std::os::unix::fs::symlink;
    let (outside, secret) = outside_secret();
    let site = small_site();
    let c = site.path().join("content");
    symlink(&secret, c.join("personas/leak.md")).unwrap();
    symlink(outside.path(), c.join("playbooks/elsewhere")).unwrap();
    // Inside the site: a linked file is read; a linked folder is not followed.
    symlink(c.join("personas/buyer.md"), c.join("personas/buyer2.md")).unwrap();
    symlink(c.join("departments"), c.join("more")).unwrap();
    let out = tabiji(&["check"], site.path());
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("symlink-skipped"), "{all}");
    assert!(all.contains("content/personas/leak.md:1:1"), "{all}");
    assert!(
        all.contains(&secret.display().to_string()),
        "names the target: {all}"
    );
    assert!(all.contains("content/playbooks/elsewhere"), "{all}");
    assert!(all.contains("content/more"), "{all}");
    assert!(!all.contains("TOP-SECRET"));
    let out = tabiji(&["build"], site.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        site.path()
            .join("public/personas/buyer2/index.html")
            .is_file()
    );
    assert!(!site.path().join("public/personas/leak").exists());
}

#[cfg(unix)]
#[test]
fn static_and_template_links_leaving_the_site_are_refused() {
    use std::os::unix::fs::symlink;
    let (outside, secret) = outside_secret();
    let grep_public = |site: &Path| {
        walk(&site.join("public")).iter().any(|p| {
            std::fs::read(p)
                .unwrap()
                .windows(10)
                .any(|w| w == b"TOP-SECRET")
        })
    };
    // static/ itself a link to a folder elsewhere.
    let site = small_site();
    symlink(outside.path(), site.path().join("static")).unwrap();
    let out = tabiji(&["build"], site.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("symbolic link"),
        "{}",
        text(&out.stderr)
    );
    assert!(!site.path().join("public").exists());
    // A link deep in static/.
    let site = small_site();
    std::fs::create_dir_all(site.path().join("static/a/b")).unwrap();
    symlink(&secret, site.path().join("static/a/b/s.txt")).unwrap();
    let out = tabiji(&["build"], site.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(!site.path().join("public").exists() || !grep_public(site.path()));
    // templates/404.html → a file elsewhere (/proc/self/environ in the review).
    let site = small_site();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    symlink(&secret, site.path().join("templates/404.html")).unwrap();
    let out = tabiji(&["build"], site.path());
    // A template is part of the build's input: a failed build (exit 1), like a template error.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("404.html"));
    assert!(!site.path().join("public").exists());
}

#[cfg(unix)]
#[test]
fn init_does_not_write_through_linked_folders() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    symlink(outside.path(), dir.path().join("content")).unwrap();
    let out = tabiji(&["init", "."], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("symbolic link"));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(!dir.path().join("tabiji.toml").exists());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_type().unwrap().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Control characters on their way to a terminal or CI log
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn file_names_cannot_command_a_ci_log_or_a_terminal() {
    let site = small_site();
    let evil = "x\n::error file=tabiji.toml::pwned\u{1b}[2J.md";
    std::fs::write(
        site.path().join("content/personas").join(evil),
        "+++\nname = \"x\"\n+++\n",
    )
    .unwrap();
    for format in ["human", "github"] {
        let out = tabiji(&["check", "--format", format], site.path());
        let all = text(&out.stdout) + &text(&out.stderr);
        let own = if format == "github" { 1 } else { 0 };
        let commands = all
            .lines()
            .filter(|l| l.trim_start().starts_with("::"))
            .count();
        // In the github format each diagnostic is one command line of tabiji's own.
        assert!(
            all.lines()
                .all(|l| !l.trim_start().starts_with("::error file=tabiji.toml")),
            "{format}: {all}"
        );
        assert!(!all.contains('\u{1b}'), "{format}: raw ESC in {all}");
        if own == 0 {
            assert_eq!(commands, 0, "{all}");
            assert!(all.contains("x\\n::error"), "{all}");
        }
    }
}

#[test]
fn a_cell_full_of_links_builds_in_time_proportional_to_its_size() {
    let site = small_site();
    let p = site.path().join("content/journeys/buyer-new.toml");
    let links: Vec<String> = (0..100_000)
        .map(|i| format!("[x{i}](https://example.com/{i})"))
        .collect();
    let s = std::fs::read_to_string(&p).unwrap().replacen(
        "problem = \"The ledger is **out of date**.\"",
        &format!("problem = \"\"\"{}\"\"\"", links.join(" ")),
        1,
    );
    std::fs::write(&p, s).unwrap();
    // 3.5 MB of links (a 50 MB cell: 5 s and 1.3 GB optimised, was 4.7 GB).
    build_within(site.path(), Duration::from_secs(90));
    let page =
        std::fs::read_to_string(site.path().join("public/journeys/buyer-new/index.html")).unwrap();
    assert!(page.contains("https://example.com/99999"));
}

#[test]
fn stage_ids_differing_only_in_case_are_warned_about_at_their_line() {
    let site = small_site();
    let p = site.path().join("tabiji.toml");
    let s =
        std::fs::read_to_string(&p).unwrap() + "\n[[stages]]\nid = \"Use\"\nname = \"Use again\"\n";
    std::fs::write(&p, s).unwrap();
    let out = tabiji(&["check"], site.path());
    let all = text(&out.stdout);
    assert!(
        all.contains("warning[case-clash]: the stage id `Use`"),
        "{all}"
    );
    assert!(all.contains("tabiji.toml:"), "{all}");
}
