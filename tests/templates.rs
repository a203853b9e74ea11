//! Every page comes from its Tera template, and a site's own `templates/<name>` replaces the
//! built-in one of that name for every page that uses it: `base.html` changes every page,
//! `macros.html` every page that draws a journey table, a page template its pages only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn builtin(name: &str) -> &'static str {
    tabiji::render::BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("no built-in {name}"))
}

/// A copy of the sample site (content and tabiji.toml only) in a temporary folder.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(root().join("tabiji.toml"), dir.path().join("tabiji.toml")).expect("copy");
    copy_tree(&root().join("content"), &dir.path().join("content"));
    dir
}

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

fn write_template(site: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(site.join("templates")).expect("mkdir");
    std::fs::write(site.join("templates").join(name), text).expect("write");
}

/// Builds a site in memory: every generated file by path.
fn render(site: &Path) -> BTreeMap<String, String> {
    let loaded = tabiji::load::load_dir(site, "").expect("readable");
    assert!(!loaded.diagnostics.has_errors(), "the site has errors");
    let templates = tabiji::render::load_templates(Some(site)).expect("templates load");
    tabiji::pipeline::render_in_memory(&loaded.site, &templates, "/")
        .expect("renders")
        .into_iter()
        .map(|f| (f.path, String::from_utf8(f.bytes).expect("UTF-8")))
        .collect()
}

fn html_pages(files: &BTreeMap<String, String>) -> Vec<(&String, &String)> {
    files.iter().filter(|(p, _)| p.ends_with(".html")).collect()
}

#[test]
fn every_page_kind_of_the_sample_site_is_rendered() {
    let files = render(&root());
    for path in [
        "index.html",
        "404.html",
        "print/index.html",
        "glossary/index.html",
        "onboarding/index.html",
        "search/index.json",
        "assets/tabiji.css",
        "assets/tabiji.js",
        "assets/search.js",
    ] {
        assert!(files.contains_key(path), "{path} is missing");
    }
    for folder in [
        "personas/",
        "journeys/",
        "stages/",
        "departments/",
        "playbooks/",
    ] {
        assert!(
            files
                .keys()
                .any(|p| p.starts_with(folder) && p.ends_with("/index.html")),
            "no page under {folder}"
        );
    }
}

#[test]
fn a_sites_base_html_changes_every_page() {
    let site = sample_copy();
    let custom = builtin("base.html").replace(
        "<meta name=\"generator\" content=\"tabiji\">",
        "<meta name=\"generator\" content=\"tabiji\"><meta name=\"x-kind\" content=\"{{ page.kind }}{% if stage %} {{ stage.name }}{% endif %}\">",
    );
    write_template(site.path(), "base.html", &custom);
    let files = render(site.path());
    let pages = html_pages(&files);
    assert!(pages.len() > 20);
    for (path, html) in &pages {
        assert!(
            html.contains("<meta name=\"x-kind\" content=\""),
            "{path} ignores base.html"
        );
    }
    // The page's own variables reach the base template.
    let stage = files
        .iter()
        .find(|(p, _)| p.starts_with("stages/"))
        .map(|(_, h)| h)
        .expect("a stage page");
    assert!(stage.contains("content=\"stage "), "{stage}");
}

#[test]
fn a_sites_header_html_and_footer_html_change_every_page() {
    let site = sample_copy();
    let header = builtin("header.html").replace(
        "<a class=\"brand\"",
        "<p class=\"x-notice\">{{ t.personas }}: {{ site.nav_stages | length }}</p><a class=\"brand\"",
    );
    write_template(site.path(), "header.html", &header);
    let footer =
        builtin("footer.html").replace("</footer>", "<p>x-footer {{ site.title }}</p></footer>");
    write_template(site.path(), "footer.html", &footer);
    let files = render(site.path());
    let pages = html_pages(&files);
    assert!(pages.len() > 20);
    for (path, html) in &pages {
        // Once in the header, with `site` and `t` filled in, and the footer after `main`.
        assert_eq!(html.matches("<p class=\"x-notice\">").count(), 1, "{path}");
        assert!(html.contains("<p class=\"x-notice\">ペルソナ: "), "{path}");
        let main = html.find("</main>").expect("main");
        let foot = html
            .find("<p>x-footer ")
            .unwrap_or_else(|| panic!("{path}: no footer"));
        assert!(foot > main, "{path}");
    }
}

#[test]
fn a_broken_header_html_fails_the_build_naming_it() {
    let site = sample_copy();
    write_template(
        site.path(),
        "header.html",
        "<header>{{ page.title }}</header>",
    );
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let run = Command::cargo_bin("tabiji")
        .expect("binary")
        .env("TABIJI_LANG", "en")
        .args(["build", "-o"])
        .arg(&public)
        .arg(site.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("header.html"), "{stderr}");
    assert!(!public.exists(), "nothing is written");
}

#[test]
fn a_sites_macros_html_changes_every_journey_table() {
    let site = sample_copy();
    let custom = builtin("macros.html").replace(
        "<figure class=\"journey\"",
        "<figure data-custom-table class=\"journey\"",
    );
    assert_ne!(custom, builtin("macros.html"));
    write_template(site.path(), "macros.html", &custom);
    let files = render(site.path());
    let with_tables = files
        .iter()
        .filter(|(p, _)| {
            p.starts_with("journeys/") || p.starts_with("personas/") || *p == "print/index.html"
        })
        .collect::<Vec<_>>();
    assert!(with_tables.len() >= 4);
    for (path, html) in with_tables {
        if html.contains("class=\"journey\"") || html.contains("journey-table") {
            assert!(
                html.contains("data-custom-table"),
                "{path} ignores macros.html"
            );
        }
    }
    assert!(files["print/index.html"].contains("data-custom-table"));
}

#[test]
fn a_sites_page_template_replaces_only_its_pages() {
    let site = sample_copy();
    write_template(
        site.path(),
        "stage.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"custom-stage\">{{ stage.name }}: {{ columns | length }}</p>{% endblock content %}",
    );
    let files = render(site.path());
    for (path, html) in html_pages(&files) {
        let is_stage = path.starts_with("stages/");
        assert_eq!(html.contains("id=\"custom-stage\""), is_stage, "{path}");
    }
}

#[test]
fn a_sites_templates_cannot_read_the_environment() {
    let site = sample_copy();
    write_template(
        site.path(),
        "404.html",
        "{% extends \"base.html\" %}{% block content %}{{ get_env(name=\"HOME\") }}{% endblock content %}",
    );
    let out = site.path().join("out");
    let assert = Command::cargo_bin("tabiji")
        .expect("binary")
        .env("TABIJI_LANG", "en")
        .args(["build", "-o"])
        .arg(&out)
        .arg(site.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("get_env"), "{stderr}");
    assert!(!out.exists(), "a failed build wrote its output");
}

#[test]
fn text_from_content_is_escaped_once_by_the_one_escaper() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "tabiji.toml",
        "title = \"A <b>site</b> & 'co'\"\nlanguage = \"en\"\n\n[[stages]]\nid = \"one\"\nname = \"One/1 <i>\"\n\n[[rows]]\nid = \"problem\"\nname = \"Problem\"\n",
    );
    write(
        "content/personas/p.md",
        "+++\nname = \"P \\\"<script>alert(1)</script>\\\"\"\n+++\n",
    );
    let files = render(dir.path());
    let home = &files["index.html"];
    assert!(
        home.contains("A &lt;b&gt;site&lt;/b&gt; &amp; &#39;co&#39;"),
        "{home}"
    );
    assert!(!home.contains("<script>alert"), "{home}");
    assert!(files["stages/one/index.html"].contains("One/1 &lt;i&gt;"));
}
