//! `tabiji diff --format html`: the report as a standalone HTML page (no script, no external
//! request), from the phrases and groups of `render.rs`.

use std::fmt::Write;

use super::Report;
use super::render::{grouped, is_long, phrase, pieces, place, t, who_line};
use crate::render::escape as esc;

/// A standalone HTML page (no script, no external request).
pub fn render_html(report: &Report) -> String {
    let lang = report.language;
    let title = format!("tabiji diff: {} → {}", report.from, report.to);
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\
body{{font-family:system-ui,-apple-system,\"Segoe UI\",\"Hiragino Sans\",Meiryo,\"Noto Sans CJK JP\",sans-serif;color:#1d2330;max-width:60rem;margin:0 auto;padding:1rem 1.25rem;line-height:1.7}}\
h2{{border-bottom:2px solid #d5dae3;margin-top:2rem}}del{{background:#ffe1e1;color:#8a1111}}ins{{background:#d9f5df;color:#105a25;text-decoration:none}}\
table{{border-collapse:collapse}}td,th{{border:1px solid #d5dae3;padding:.3rem .6rem;text-align:left}}.where{{color:#545d6e}}pre{{background:#f4f6fa;padding:.5rem;overflow:auto;white-space:pre-wrap}}\
</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        lang.as_str(),
        esc(&title),
        esc(&title)
    );
    o.push_str(&render_html_fragment(report));
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

/// The report as HTML to put inside a page (the site's "What changed" page): headings from
/// `<h2>` down, every text escaped.
fn render_html_fragment(report: &Report) -> String {
    let lang = report.language;
    let mut o = String::new();
    if report.changes.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", t(lang, "変更はありません。", "No changes."));
    }
    if !report.departments.is_empty() {
        let _ = writeln!(
            o,
            "<h2>{}</h2>\n<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
            t(lang, "対応が必要な部門", "Who must act"),
            t(lang, "部門", "Department"),
            t(lang, "変更", "Changes")
        );
        for d in &report.departments {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(&d.department.name),
                esc(&who_line(d, lang))
            );
        }
        let _ = writeln!(o, "</tbody></table>");
    }
    for (area, groups) in grouped(report) {
        let _ = writeln!(o, "<h2>{}</h2>", esc(area));
        for (h, changes) in groups {
            let _ = writeln!(o, "<h3>{}</h3>\n<ul>", esc(&h));
            for c in changes {
                let where_ = place(c);
                let _ = write!(o, "<li>");
                if !where_.is_empty() {
                    let _ = write!(o, "<span class=\"where\">{}</span>: ", esc(&where_));
                }
                let _ = write!(o, "{}", esc(&phrase(c, lang)));
                if is_long(c) {
                    if let (Some(a), Some(b)) = (&c.old, &c.new) {
                        let _ = write!(
                            o,
                            "<details><summary>{}</summary><pre>",
                            t(lang, "変更前と変更後", "Before and after")
                        );
                        for ch in similar::TextDiff::from_lines(a, b).iter_all_changes() {
                            let text = esc(ch.value());
                            match ch.tag() {
                                similar::ChangeTag::Delete => {
                                    let _ = write!(o, "<del>{text}</del>");
                                }
                                similar::ChangeTag::Insert => {
                                    let _ = write!(o, "<ins>{text}</ins>");
                                }
                                similar::ChangeTag::Equal => o.push_str(&text),
                            }
                        }
                        let _ = write!(o, "</pre></details>");
                    }
                } else if !c.words.is_empty() {
                    let line = pieces(
                        &c.words,
                        |x| format!("<del>{}</del>", esc(x)),
                        |x| format!("<ins>{}</ins>", esc(x)),
                        esc,
                    );
                    let _ = write!(o, "<br>{line}");
                } else {
                    if let Some(old) = &c.old {
                        let _ = write!(o, "<br><del>{}</del>", esc(old));
                    }
                    if let Some(new) = &c.new {
                        let _ = write!(o, "<br><ins>{}</ins>", esc(new));
                    }
                }
                let _ = writeln!(o, "</li>");
            }
            let _ = writeln!(o, "</ul>");
        }
    }
    o
}
