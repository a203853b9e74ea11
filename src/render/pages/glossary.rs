//! The glossary (`glossary/index.html`): every term in reading order, with its anchor.

use serde::Serialize;

use crate::render::{Prepared, RenderError, Renderer};

/// A term as the glossary and print pages show it.
#[derive(Serialize)]
pub(super) struct TermCtx {
    term: String,
    reading: Option<String>,
    anchor: String,
    html: String,
}

/// The glossary's terms, sorted by reading (or by the term where it has none).
pub(super) fn terms(r: &Renderer<'_>) -> Vec<TermCtx> {
    let Some(g) = &r.index.site.glossary else {
        return Vec::new();
    };
    let mut terms: Vec<&crate::model::Term> = g.terms.iter().collect();
    terms.sort_by(|a, b| {
        a.sort_key()
            .cmp(b.sort_key())
            .then_with(|| a.term.value.cmp(&b.term.value))
    });
    terms
        .into_iter()
        .map(|t| TermCtx {
            term: t.term.value.clone(),
            reading: t.reading.as_ref().map(|x| x.value.clone()),
            anchor: r.index.urls.term_anchor(&t.term.value),
            html: r.index.body(&t.definition.value, "").html,
        })
        .collect()
}

pub(super) fn render(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct GlossaryPage {
        terms: Vec<TermCtx>,
    }
    let meta = r.meta(r.t.glossary, "glossary", r.index.urls.glossary(), vec![]);
    let data = GlossaryPage { terms: terms(r) };
    r.page("glossary.html", "glossary/index.html".into(), meta, data)
}
