//! One persona at one stage (`personas/<id>/<stage id>/index.html`): what a salesperson
//! reads on the way to a meeting. The customer's side (every row's cell, the emotion, what
//! moves them on), the seller's side (the experience to deliver, the touchpoints, who does
//! what with which KPI), the playbooks for this persona here with their tables of contents,
//! and the previous and next stage for the same persona.

use serde::Serialize;

use super::stage::{StageCtx, stage_ctx};
use crate::model::{Id, Persona};
use crate::render::context::{Link, LinkRef};
use crate::render::table::{DepartmentTasks, EmotionCell, JourneyTable, group_by_department};
use crate::render::{Prepared, RenderError, Renderer};

/// A row's cell at the stage.
#[derive(Serialize)]
struct Cell<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a Option<String>,
    /// HTML; empty when not written.
    html: &'a str,
}

/// One journey of the persona, at the stage.
#[derive(Serialize)]
struct JourneyAtStage<'a> {
    journey: LinkRef<'a>,
    /// The customer's rows, in row order.
    cells: Vec<Cell<'a>>,
    /// The key-factor row's cell (what moves the customer on), when the site has one.
    key: Option<Cell<'a>>,
    emotion: Option<EmotionCell>,
    experience: &'a str,
    touchpoints: &'a [String],
    tasks: Vec<DepartmentTasks<'a>>,
    notes: &'a str,
    /// Whether anything at all is written for this stage.
    written: bool,
}

/// A playbook for this persona at this stage, with its table of contents (HTML).
#[derive(Serialize)]
struct PlaybookAtStage<'a> {
    playbook: Link,
    departments: Vec<Link>,
    toc: &'a str,
}

#[derive(Serialize)]
struct PersonaStagePage<'a> {
    persona: Link,
    role: Option<String>,
    stage: StageCtx,
    journeys: Vec<JourneyAtStage<'a>>,
    playbooks: Vec<PlaybookAtStage<'a>>,
    /// The knowledge checks of the stage for this persona.
    quizzes: Vec<Link>,
    /// This persona at the previous and next stage that has a page.
    previous: Option<Link>,
    next: Option<Link>,
    /// The persona's owner and dates.
    upkeep: Option<crate::render::upkeep::UpkeepCtx>,
}

/// The journey's part at stage column `i`.
fn at_stage<'a>(r: &Renderer<'_>, t: &'a JourneyTable, i: usize) -> JourneyAtStage<'a> {
    let key_row = r.index.key_row();
    let cell = |ri: usize| {
        let head = &t.frame.rows[ri];
        Cell {
            id: &head.id,
            name: &head.name,
            description: &head.description,
            html: t.cell(ri, i),
        }
    };
    let cells: Vec<Cell<'a>> = (0..t.frame.rows.len()).map(cell).collect();
    let column =
        |v: &'a Option<Vec<String>>| v.as_ref().and_then(|c| c.get(i)).map_or("", String::as_str);
    let tasks = t.tasks.get(i).map_or(&[][..], Vec::as_slice);
    let groups = group_by_department(tasks, &r.index);
    let touchpoints = t
        .touchpoints
        .as_ref()
        .and_then(|c| c.get(i))
        .map_or(&[][..], Vec::as_slice);
    let emotion = t.emotion_cell(i);
    let written = cells.iter().any(|c| !c.html.is_empty())
        || emotion.is_some()
        || !column(&t.experience).is_empty()
        || !touchpoints.is_empty()
        || !groups.is_empty()
        || !column(&t.notes).is_empty();
    JourneyAtStage {
        journey: t.link(),
        key: key_row.map(cell),
        cells,
        emotion,
        experience: column(&t.experience),
        touchpoints,
        tasks: groups,
        notes: column(&t.notes),
        written,
    }
}

/// The link to a persona's page at a stage.
pub(super) fn link(r: &Renderer<'_>, persona: &Id, stage: &crate::model::Stage) -> Link {
    Link {
        id: stage.id.value.to_string(),
        name: stage.name.value.clone(),
        url: r
            .index
            .urls
            .persona_stage(persona.as_str(), stage.id.value.as_str()),
    }
}

pub(super) fn render(r: &Renderer<'_>, p: &Persona, i: usize) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let stages = &ix.site.config.stages;
    let Some(s) = stages.get(i) else {
        return Err(RenderError::Template(format!("no stage at position {i}")));
    };
    let journeys = ix
        .journeys_of(&p.id)
        .iter()
        .filter_map(|j| r.table(&j.id))
        .map(|t| at_stage(r, t, i))
        .collect();
    let mut playbooks = Vec::new();
    for b in ix.playbooks_at(i).iter().filter(|b| b.applies_to(&p.id)) {
        playbooks.push(PlaybookAtStage {
            playbook: ix.playbook_link(b),
            departments: ix.department_links(&b.departments),
            toc: r.playbook_toc(b)?,
        });
    }
    let has_page = |k: usize| r.index.has_persona_stage(&p.id, k);
    let previous = (0..i)
        .rev()
        .find(|&k| has_page(k))
        .map(|k| link(r, &p.id, &stages[k]));
    let next = (i + 1..stages.len())
        .find(|&k| has_page(k))
        .map(|k| link(r, &p.id, &stages[k]));
    let persona = ix.persona_link(&p.id);
    let title = format!("{} · {}", p.name.value, s.name.value);
    let crumbs = vec![r.home_section(r.t.personas, "personas"), persona.clone()];
    let url = ix.urls.persona_stage(p.id.as_str(), s.id.value.as_str());
    let meta = r.meta(&title, "persona_stage", url, crumbs);
    let data = PersonaStagePage {
        persona,
        role: p.role.as_ref().map(|x| ix.role_name(&x.value)),
        stage: stage_ctx(r, s),
        journeys,
        playbooks,
        quizzes: ix.quiz_links(&s.id.value, Some(&p.id)),
        previous,
        next,
        upkeep: r.upkeep(p.file, &p.upkeep),
    };
    let path = format!("personas/{}/{}/index.html", p.id, s.id.value);
    r.page("persona_stage.html", path, meta, data)
}
