//! A playbook's page (`playbooks/<id>/index.html`): what it applies to, its table of
//! contents, its body and the previous and next playbook of its stage.

use serde::Serialize;

use super::index_path;
use crate::model::Playbook;
use crate::render::context::Link;
use crate::render::markdown::Heading;
use crate::render::{Prepared, RenderError, Renderer};

/// A playbook as its page and the print page show it.
#[derive(Serialize)]
pub(super) struct PlaybookCtx {
    id: String,
    title: String,
    url: String,
    /// The first of its stages.
    stage: Link,
    /// Every stage it is for, in the order written.
    stages: Vec<Link>,
    departments: Vec<Link>,
    personas: Vec<Link>,
    /// The framework letters it covers: `framework` (name), `id`, `name`.
    letters: Vec<LetterCtx>,
    body: String,
    headings: Vec<Heading>,
}

/// A framework letter a playbook covers.
#[derive(Serialize)]
pub(super) struct LetterCtx {
    framework: String,
    id: String,
    name: String,
}

/// A playbook's context; `prefix` goes before its headings' ids (the print page).
pub(super) fn playbook_ctx(r: &Renderer<'_>, p: &Playbook, prefix: &str) -> PlaybookCtx {
    let ix = &r.index;
    let body = ix.body(&p.body.value, prefix);
    PlaybookCtx {
        id: p.id.to_string(),
        title: p.title.value.clone(),
        url: ix.urls.playbook(p.id.as_str()),
        stage: ix.stage_link(&p.first_stage().value),
        stages: p.stages.iter().map(|s| ix.stage_link(&s.value)).collect(),
        departments: ix.department_links(&p.departments),
        personas: p
            .personas
            .iter()
            .map(|d| ix.persona_link(&d.value))
            .collect(),
        letters: p
            .qualifies
            .iter()
            .filter_map(|q| ix.site.config.letter(&q.value))
            .map(|(f, l)| LetterCtx {
                framework: f.name.value.clone(),
                id: l.id.value.to_string(),
                name: l.name.value.clone(),
            })
            .collect(),
        body: body.html,
        headings: body.headings,
    }
}

pub(super) fn render(r: &Renderer<'_>, p: &Playbook) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct PlaybookPage {
        playbook: PlaybookCtx,
        previous: Option<Link>,
        next: Option<Link>,
        upkeep: Option<crate::render::upkeep::UpkeepCtx>,
    }
    let ix = &r.index;
    // Previous and next among the playbooks of its first stage.
    let in_stage = ix.playbooks_of(&p.first_stage().value);
    let pos = in_stage.iter().position(|x| x.id == p.id).unwrap_or(0);
    let ctx = playbook_ctx(r, p, "");
    let crumbs = vec![r.home_section(r.t.stages, "stages"), ctx.stage.clone()];
    let meta = r.meta(&p.title.value, "playbook", ctx.url.clone(), crumbs);
    let data = PlaybookPage {
        previous: pos.checked_sub(1).map(|i| ix.playbook_link(in_stage[i])),
        next: in_stage.get(pos + 1).map(|x| ix.playbook_link(x)),
        playbook: ctx,
        upkeep: r.upkeep(p.file, &p.upkeep),
    };
    r.page(
        "playbook.html",
        index_path("playbooks", p.id.as_str()),
        meta,
        data,
    )
}
