//! The "What changed" page (`changes/index.html`): from `[history]`, one entry per commit
//! that changed the site (date, subject, the changes in a salesperson's words), newest
//! first; from `build --changes-since REV`, one entry for everything since REV. Each change
//! links the page it concerns, and its texts are rendered Markdown, never raw.

use serde::Serialize;

use crate::render::{ChangeTarget, ChangesPage, Prepared, RenderError, Renderer};

#[derive(Serialize)]
struct Line {
    area: &'static str,
    heading: String,
    url: Option<String>,
    /// Inline HTML.
    place: String,
    phrase: String,
    old: Option<String>,
    new: Option<String>,
    /// The word diff as HTML (`<del>`, `<ins>`), when the texts are plain.
    words: Option<String>,
}

#[derive(Serialize)]
struct Entry {
    /// An anchor: `change-<date>-<short id>`, or `change-since`.
    id: String,
    date: Option<String>,
    time: Option<i64>,
    short: Option<String>,
    subject: Option<String>,
    /// The site's first version: nothing before it to compare with.
    first: bool,
    lines: Vec<Line>,
}

pub(super) fn render(r: &Renderer<'_>, c: &ChangesPage) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct Changes<'b> {
        since: Option<&'b str>,
        count: usize,
        entries: Vec<Entry>,
    }
    let ix = &r.index;
    let url = |t: &ChangeTarget| match t {
        ChangeTarget::Page(kind, id) => ix.urls.page(*kind, id),
        ChangeTarget::Home => ix.urls.home(),
        ChangeTarget::Onboarding => ix.urls.onboarding(),
    };
    let entries: Vec<Entry> = c
        .entries
        .iter()
        .map(|e| Entry {
            id: match (&e.date, &e.short) {
                (Some(d), Some(s)) => format!("change-{d}-{s}"),
                _ => "change-since".into(),
            },
            date: e.date.clone(),
            time: e.time,
            short: e.short.clone(),
            subject: e.subject.clone(),
            first: e.first,
            lines: e
                .lines
                .iter()
                .map(|l| Line {
                    area: l.area,
                    heading: l.heading.clone(),
                    url: l.target.as_ref().map(url),
                    place: ix.inline(&l.place),
                    phrase: l.phrase.clone(),
                    old: l.old.as_deref().map(|x| ix.inline(x)),
                    new: l.new.as_deref().map(|x| ix.inline(x)),
                    words: (!l.words.is_empty()).then(|| words_html(&l.words)),
                })
                .collect(),
        })
        .collect();
    let meta = r.meta(r.t.changes, "changes", ix.urls.changes(), vec![]);
    let data = Changes {
        since: c.since.as_deref(),
        count: entries.iter().map(|e| e.lines.len()).sum(),
        entries,
    };
    r.page("changes.html", "changes/index.html".into(), meta, data)
}

/// A word diff as HTML: removed words in `<del>`, added in `<ins>`, every text escaped.
fn words_html(words: &[(&str, String)]) -> String {
    words
        .iter()
        .map(|(op, text)| {
            let t = crate::render::escape(text);
            match *op {
                "delete" => format!("<del>{t}</del>"),
                "insert" => format!("<ins>{t}</ins>"),
                _ => t.to_string(),
            }
        })
        .collect()
}
