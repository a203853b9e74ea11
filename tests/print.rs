//! The all-in-one print page holds every persona with their journey tables up to 30 personas;
//! past that it lists the persona pages (each prints on its own) instead of growing to tens of
//! megabytes, and keeps the stages, departments, playbooks and glossary.

mod common;
use common::{build, hrefs, page, write};

use std::path::Path;

use scraper::Selector;

/// A site of `n` personas, each with a journey.
fn site(root: &Path, n: usize) {
    write(
        root,
        "tabiji.toml",
        "title = \"Print\"\nlanguage = \"ja\"\n\n[[stages]]\nid = \"aware\"\nname = \"認知\"\n\n[[rows]]\nid = \"problem\"\nname = \"課題\"\n",
    );
    write(
        root,
        "content/playbooks/call.md",
        "+++\ntitle = \"初回電話\"\nstage = \"aware\"\n+++\n話すこと。\n",
    );
    for i in 0..n {
        write(
            root,
            &format!("content/personas/p{i:02}.md"),
            &format!("+++\nname = \"担当者{i:02}\"\n+++\n"),
        );
        write(
            root,
            &format!("content/journeys/p{i:02}-new.toml"),
            &format!("persona = \"p{i:02}\"\n\n[stages.aware]\nproblem = \"課題{i:02}\"\n"),
        );
    }
}

fn count(doc: &scraper::Html, css: &str) -> usize {
    doc.select(&Selector::parse(css).unwrap()).count()
}

#[test]
fn up_to_thirty_personas_print_on_one_page_past_that_it_lists_their_pages() {
    let limit = 30;
    for n in [limit, limit + 1] {
        let tmp = tempfile::tempdir().unwrap();
        site(tmp.path(), n);
        let out = build(tmp.path());
        let print = page(&out, "print/index.html");
        // The playbooks are there either way.
        assert_eq!(count(&print, "article.print-playbook"), 1, "{n} personas");
        if n <= limit {
            assert_eq!(count(&print, "article.print-persona"), n);
            assert_eq!(count(&print, "article.print-persona .journey-table"), n);
            assert_eq!(count(&print, ".print-persona-pages"), 0);
        } else {
            assert_eq!(count(&print, "article.print-persona"), 0, "{n} personas");
            assert_eq!(count(&print, ".journey-table"), 0);
            assert_eq!(count(&print, "p.print-one-by-one"), 1);
            let links = hrefs(&print, ".print-persona-pages a");
            assert_eq!(links.len(), n);
            assert_eq!(links[0], "/personas/p00/");
            for l in &links {
                let rel = format!("{}index.html", l.trim_start_matches('/'));
                assert!(out.join(&rel).is_file(), "{l} is a page");
            }
        }
    }
}
