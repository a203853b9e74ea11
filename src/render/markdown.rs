//! Markdown to HTML: the contract's links resolved, raw HTML sanitised, unsafe URLs dropped,
//! headings given stable anchors.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd, html};

use super::sanitize::sanitize_html;
use super::urls::{Slugs, Urls, slug, unique_slug};
use crate::markdown;
use crate::model::PageRefKind;

/// A heading of a Markdown body, for a table of contents.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
}

/// A whole Markdown document (a persona or playbook body).
pub fn render_block(text: &str, urls: &Urls) -> Rendered {
    render_block_with_prefix(text, urls, "")
}

/// Like [`render_block`], with heading ids prefixed: for pages that hold several documents
/// (the print page), so that ids stay unique.
pub fn render_block_with_prefix(text: &str, urls: &Urls, id_prefix: &str) -> Rendered {
    let events: Vec<Event> = markdown::parse(text).collect();
    render_events(events, text, urls, id_prefix)
}

fn render_events(events: Vec<Event<'_>>, text: &str, urls: &Urls, id_prefix: &str) -> Rendered {
    let mut used = Slugs::default();
    let mut headings = Vec::new();
    let events = assign_heading_ids(events, &mut used, &mut headings, id_prefix);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    let events = events
        .into_iter()
        .map(|e| prefix_footnote(e, id_prefix))
        .map(|e| prefix_fragment_link(e, id_prefix));
    // Task boxes are labelled after sanitising, which would escape the `<input>` tabiji writes.
    let events = label_task_boxes(events.map(|e| rewrite(e, urls)).collect());
    html::push_html(&mut html, events.into_iter());
    Rendered {
        html: alignment_classes(html),
        headings,
    }
}

/// A cell, a task, a touchpoint, a definition: inline Markdown, without the wrapping `<p>`.
/// A line break inside the text (a TOML multi-line string) is kept as `<br>`: a bare
/// newline would read as a space, a stray gap in a Japanese sentence.
pub fn render_inline(text: &str, urls: &Urls) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    // After sanitising, which would escape the `<br>`.
    let breaks = |e| match e {
        Event::SoftBreak => Event::InlineHtml(CowStr::Borrowed("<br>")),
        other => other,
    };
    let events = markdown::parse(text).map(|e| rewrite(e, urls));
    // Task boxes need the events of their item, so only a text that can hold one is
    // gathered: a 50 MB cell of links is rendered as it is parsed, its memory bounded by
    // the parser's own (docs/reliability.md).
    if text.contains("[ ]") || text.contains("[x]") || text.contains("[X]") {
        html::push_html(
            &mut html,
            label_task_boxes(events.collect()).into_iter().map(breaks),
        );
    } else {
        html::push_html(&mut html, events.map(breaks));
    }
    let mut html = alignment_classes(html);
    html.truncate(html.trim_end().len());
    if html.starts_with("<p>") && html.ends_with("</p>") && !html[3..].contains("<p>") {
        html.truncate(html.len() - 4);
        html.drain(..3);
    }
    html
}

fn assign_heading_ids<'a>(
    mut events: Vec<Event<'a>>,
    used: &mut Slugs,
    headings: &mut Vec<Heading>,
    id_prefix: &str,
) -> Vec<Event<'a>> {
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let explicit = id.clone();
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let mut base = explicit.map(|e| slug(&e)).unwrap_or_else(|| slug(&text));
            // `tj-` is the templates' own id prefix: keep out of it.
            if base.starts_with("tj-") {
                base.insert_str(0, "h-");
            }
            let anchor = unique_slug(&format!("{id_prefix}{base}"), used);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(anchor.clone()));
            }
            headings.push(Heading {
                level: heading_number(level),
                text,
                id: anchor,
            });
            i = j;
        }
        i += 1;
    }
    events
}

/// Footnote ids get the same prefix as headings, so several documents can share a page.
fn prefix_footnote<'a>(e: Event<'a>, prefix: &str) -> Event<'a> {
    if prefix.is_empty() {
        return e;
    }
    match e {
        Event::FootnoteReference(l) => Event::FootnoteReference(format!("{prefix}{l}").into()),
        Event::Start(Tag::FootnoteDefinition(l)) => {
            Event::Start(Tag::FootnoteDefinition(format!("{prefix}{l}").into()))
        }
        other => other,
    }
}

/// `[x](#背景)` inside a document whose heading ids are prefixed points at the prefixed id.
fn prefix_fragment_link<'a>(e: Event<'a>, prefix: &str) -> Event<'a> {
    if prefix.is_empty() {
        return e;
    }
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if dest_url.starts_with('#') => {
            let frag = percent_encoding::percent_decode_str(&dest_url[1..])
                .decode_utf8_lossy()
                .into_owned();
            let dest = format!("#{prefix}{}", slug(&frag));
            Event::Start(Tag::Link {
                link_type,
                dest_url: dest.into(),
                title,
                id,
            })
        }
        other => other,
    }
}

/// A task-list item's checkbox, labelled with the item's text so that screen readers say
/// what is to be checked (a bare `<input>` has no name). Disabled in the HTML, so that a
/// page without JavaScript shows a box that cannot pretend to remember; `tabiji.js`
/// enables every `task-box` and keeps its state in the browser.
fn label_task_boxes(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    for i in 0..events.len() {
        let Event::TaskListMarker(checked) = events[i] else {
            continue;
        };
        let mut label = String::new();
        let mut depth = 0usize;
        for e in &events[i + 1..] {
            match e {
                Event::Start(Tag::Item) => depth += 1,
                Event::End(TagEnd::Item) if depth == 0 => break,
                Event::End(TagEnd::Item) => depth -= 1,
                Event::Start(Tag::List(_)) if depth == 0 => break,
                Event::Text(t) | Event::Code(t) => label.push_str(t),
                Event::SoftBreak | Event::HardBreak => label.push(' '),
                _ => {}
            }
        }
        let label = super::sanitize::escape(label.trim());
        let checked = if checked { " checked" } else { "" };
        events[i] = Event::InlineHtml(
            format!("<input type=\"checkbox\" class=\"task-box\" disabled{checked} aria-label=\"{label}\"> ").into(),
        );
    }
    events
}

/// Table column alignment as classes instead of the `style` attributes pulldown-cmark writes,
/// so pages carry no inline style at all (a strict Content-Security-Policy can forbid them).
fn alignment_classes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    let mut out = html;
    for cell in ["th", "td"] {
        for align in ["left", "center", "right"] {
            out = out.replace(
                &format!("<{cell} style=\"text-align: {align}\">"),
                &format!("<{cell} class=\"align-{align}\">"),
            );
        }
    }
    out
}

fn heading_number(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn rewrite<'a>(event: Event<'a>, urls: &Urls) -> Event<'a> {
    match event {
        Event::Html(raw) => Event::Html(sanitize_html(&raw).into()),
        Event::InlineHtml(raw) => Event::InlineHtml(sanitize_html(&raw).into()),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: resolve(&dest_url, urls).into(),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(&dest_url).into(),
            title,
            id,
        }),
        // Classes and custom attributes from `{#id .class key=value}` are dropped: only ids.
        Event::Start(Tag::Heading { level, id, .. }) => Event::Start(Tag::Heading {
            level,
            id,
            classes: Vec::new(),
            attrs: Vec::new(),
        }),
        other => other,
    }
}

/// A contract link (`persona:ID`) to its page; any other URL kept only if harmless.
pub fn resolve(dest: &str, urls: &Urls) -> String {
    if let Some((scheme, rest)) = dest.split_once(':')
        && let Some(kind) = PageRefKind::from_link_scheme(scheme)
    {
        let (target, fragment) = match rest.split_once('#') {
            Some((t, f)) => (t, Some(f)),
            None => (rest, None),
        };
        let target = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
        let target = crate::model::Id::lookup(&target);
        let mut url = urls.page(kind, target.as_str());
        if let (Some(f), false) = (fragment, kind == PageRefKind::Glossary) {
            url.push('#');
            url.push_str(f);
        }
        return url;
    }
    safe_url(dest)
}

/// Relative URLs, fragments, http(s), mailto and tel pass; `javascript:`, `data:`,
/// `vbscript:` and every other scheme become `#`.
pub fn safe_url(dest: &str) -> String {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let scheme_end =
        lower.find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'));
    let has_scheme = scheme_end.is_some_and(|i| i > 0 && lower[i..].starts_with(':'));
    if !has_scheme {
        return dest.to_string();
    }
    for ok in ["http:", "https:", "mailto:", "tel:"] {
        if lower.starts_with(ok) {
            return dest.to_string();
        }
    }
    "#".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{InputFile, load_files};

    fn urls() -> Urls {
        let site = load_files(
            vec![
                InputFile { path: "tabiji.toml".into(), bytes: b"title='t'\nbase_url='/s/'\n[[stages]]\nid='a'\nname='A'\n[[rows]]\nid='r'\nname='R'\n".to_vec() },
                InputFile { path: "content/glossary.toml".into(), bytes: "[[terms]]\nterm='BANT'\ndefinition='x'\n[[terms]]\nterm='チャンピオン'\ndefinition='y'\n".as_bytes().to_vec() },
            ],
            "",
        )
        .site;
        Urls::new(&site, "/s/")
    }

    #[test]
    fn resolves_contract_links_with_base_url() {
        let u = urls();
        assert_eq!(
            resolve("persona:情シス課長", &u),
            "/s/personas/%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7/"
        );
        assert_eq!(resolve("stage:a#x", &u), "/s/stages/a/#x");
        assert_eq!(resolve("glossary:bant", &u), "/s/glossary/#term-bant");
        assert_eq!(
            resolve("glossary:チャンピオン", &u),
            "/s/glossary/#term-チャンピオン"
        );
    }

    #[test]
    fn drops_script_urls() {
        let u = urls();
        assert_eq!(resolve("javascript:alert(1)", &u), "#");
        assert_eq!(resolve("JaVaScRiPt:alert(1)", &u), "#");
        assert_eq!(resolve("java\tscript:alert(1)", &u), "#");
        assert_eq!(resolve("data:text/html,x", &u), "#");
        assert_eq!(
            resolve("https://example.com/a", &u),
            "https://example.com/a"
        );
        assert_eq!(resolve("../x/#y", &u), "../x/#y");
        let html = render_block("[x](javascript:alert(1)) <img src=x onerror=alert(1)>", &u).html;
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn table_alignment_is_a_class_not_a_style() {
        // Found by the `markdown` fuzz target: pulldown-cmark writes `style` for alignment.
        let html = render_block("| a | b |\n|:--|--:|\n| 1 | 2 |\n", &urls()).html;
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("<th class=\"align-left\">"), "{html}");
        assert!(html.contains("<td class=\"align-right\">"), "{html}");
    }

    #[test]
    fn inline_has_no_paragraph_and_headings_get_stable_ids() {
        let u = urls();
        assert_eq!(
            render_inline("**課題** です", &u),
            "<strong>課題</strong> です"
        );
        let r = render_block("## よくある反論\n\n## よくある反論\n", &u);
        assert!(r.html.contains("id=\"よくある反論\""));
        assert!(r.html.contains("id=\"よくある反論-2\""));
    }

    #[test]
    fn cjk_friendly_emphasis_in_cells_and_bodies() {
        let u = urls();
        let cell = "課長が**「これで行く」と決め**ること";
        let want = "課長が<strong>「これで行く」と決め</strong>ること";
        assert_eq!(render_inline(cell, &u), want);
        assert_eq!(render_block(cell, &u).html, format!("<p>{want}</p>\n"));
        // English keeps CommonMark: a `**` between a letter and a quote does not open.
        assert_eq!(
            render_inline("price**\"net\"**only", &u),
            "price**\"net\"**only"
        );
        // Around a link, a code span, strikethrough; inside a heading (its id has no `*`).
        assert_eq!(
            render_inline("**[棚卸](glossary:BANT)**の時間と~~「旧版」~~です", &u),
            "<strong><a href=\"/s/glossary/#term-bant\">棚卸</a></strong>の時間と<del>「旧版」</del>です"
        );
        assert_eq!(
            render_inline("実行は**`npm publish`**で", &u),
            "実行は<strong><code>npm publish</code></strong>で"
        );
        let r = render_block("## **「決裁」**まで\n", &u);
        assert!(
            r.html.contains("<strong>「決裁」</strong>まで"),
            "{}",
            r.html
        );
        assert_eq!(r.headings[0].text, "「決裁」まで");
    }

    #[test]
    fn a_line_break_in_inline_text_is_br_but_not_in_bodies() {
        let u = urls();
        assert_eq!(
            render_inline("情報システム部が\n比較表を作る", &u),
            "情報システム部が<br>比較表を作る"
        );
        assert_eq!(
            render_inline("**予算**の\n確認", &u),
            "<strong>予算</strong>の<br>確認"
        );
        assert_eq!(
            render_block("一行目\n二行目", &u).html,
            "<p>一行目\n二行目</p>\n"
        );
        // A raw `<br>` written in the text is still sanitised as before.
        assert!(!render_inline("a\n<script>x</script>", &u).contains("<script"));
    }
}
