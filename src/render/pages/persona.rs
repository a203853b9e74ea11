//! A persona's page (`personas/<id>/index.html`): the profile, the body and the persona's
//! journey tables.

use serde::Serialize;

use super::index_path;
use crate::model::Persona;
use crate::render::context::Link;
use crate::render::markdown::Heading;
use crate::render::{Prepared, RenderError, Renderer};

/// A persona as its page and the print page show it.
#[derive(Serialize)]
pub(super) struct PersonaCtx {
    pub id: String,
    pub name: String,
    pub url: String,
    pub role: Option<String>,
    pub summary: Option<String>,
    pub company: Option<String>,
    pub goals: Vec<String>,
    pub concerns: Vec<String>,
    pub body: String,
    pub headings: Vec<Heading>,
}

/// A journey on a page that shows several (persona, print): its names and its table's
/// HTML, rendered once per build.
#[derive(Serialize)]
pub(super) struct JourneyRef<'b> {
    id: &'b str,
    name: &'b str,
    url: &'b str,
    persona: &'b crate::render::Link,
    html: &'b str,
}

/// A persona's context; `prefix` goes before its headings' ids (the print page).
pub(super) fn persona_ctx(r: &Renderer<'_>, p: &Persona, prefix: &str) -> PersonaCtx {
    let body = r.index.body(&p.body.value, prefix);
    PersonaCtx {
        id: p.id.to_string(),
        name: p.name.value.clone(),
        url: r.index.urls.persona(p.id.as_str()),
        role: p.role.as_ref().map(|x| r.index.role_name(&x.value)),
        summary: p.summary.as_ref().map(|x| x.value.clone()),
        company: p.company.as_ref().map(|x| x.value.clone()),
        goals: p.goals.iter().map(|x| x.value.clone()).collect(),
        concerns: p.concerns.iter().map(|x| x.value.clone()).collect(),
        body: body.html,
        headings: body.headings,
    }
}

/// The persona's journeys, each with its table's HTML, in journey order.
pub(super) fn journeys<'r>(
    r: &'r Renderer<'_>,
    p: &Persona,
) -> Result<Vec<JourneyRef<'r>>, RenderError> {
    let mut out = Vec::new();
    for j in r.index.journeys_of(&p.id) {
        let (Some(table), html) = (r.table(&j.id), r.table_html(&j.id, None)?) else {
            continue;
        };
        out.push(JourneyRef {
            id: &table.id,
            name: &table.name,
            url: &table.url,
            persona: &table.persona,
            html,
        });
    }
    Ok(out)
}

/// The playbooks for a persona at one stage.
#[derive(Serialize)]
struct StagePlaybooks {
    stage: Link,
    playbooks: Vec<Link>,
}

pub(super) fn render(r: &Renderer<'_>, p: &Persona) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct PersonaPage<'b> {
        persona: PersonaCtx,
        journeys: Vec<JourneyRef<'b>>,
        /// This persona's page at each stage that has one, in column order.
        at_stages: Vec<Link>,
        /// The playbooks for this persona, by stage in column order.
        playbooks_by_stage: Vec<StagePlaybooks>,
        upkeep: Option<crate::render::upkeep::UpkeepCtx>,
    }
    let ix = &r.index;
    let stages = &ix.site.config.stages;
    let at_stages = (0..stages.len())
        .filter(|&i| r.index.has_persona_stage(&p.id, i))
        .map(|i| super::persona_stage::link(r, &p.id, &stages[i]))
        .collect();
    let playbooks_by_stage = stages
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let playbooks: Vec<Link> = ix
                .playbooks_at(i)
                .iter()
                .filter(|b| b.applies_to(&p.id))
                .map(|b| ix.playbook_link(b))
                .collect();
            (!playbooks.is_empty()).then(|| StagePlaybooks {
                stage: ix.stage_link(&s.id.value),
                playbooks,
            })
        })
        .collect();
    let crumbs = vec![r.home_section(r.t.personas, "personas")];
    let meta = r.meta(
        &p.name.value,
        "persona",
        r.index.urls.persona(p.id.as_str()),
        crumbs,
    );
    let data = PersonaPage {
        persona: persona_ctx(r, p, ""),
        journeys: journeys(r, p)?,
        at_stages,
        playbooks_by_stage,
        upkeep: r.upkeep(p.file, &p.upkeep),
    };
    r.page(
        "persona.html",
        index_path("personas", p.id.as_str()),
        meta,
        data,
    )
}
