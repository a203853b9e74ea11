//! The home page (`index.html`): the stage strip by phase, the personas and the
//! departments, each as a card.

use serde::Serialize;

use crate::model::Id;
use crate::render::context::Link;
use crate::render::{Prepared, RenderError, Renderer};

#[derive(Serialize)]
struct StageCard {
    stage: Link,
    summary: Option<String>,
    owner: Option<Link>,
}

/// Stages of one phase, in column order (a stage without a phase is its own group).
#[derive(Serialize)]
struct PhaseGroup {
    name: Option<String>,
    stages: Vec<StageCard>,
}

#[derive(Serialize)]
struct PersonaCard {
    persona: Link,
    role: Option<String>,
    summary: Option<String>,
    journeys: Vec<Link>,
}

#[derive(Serialize)]
struct DepartmentCard {
    department: Link,
    kpis: Vec<String>,
}

/// The data of `index.html`.
#[derive(Serialize)]
struct QuizCard {
    quiz: Link,
    stage: Option<Link>,
    questions: usize,
}

#[derive(Serialize)]
struct Home {
    phases: Vec<PhaseGroup>,
    personas: Vec<PersonaCard>,
    departments: Vec<DepartmentCard>,
    quizzes: Vec<QuizCard>,
}

pub(super) fn render(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let site = ix.site;
    let mut phases: Vec<PhaseGroup> = Vec::new();
    let mut last: Option<Option<&Id>> = None;
    for s in &site.config.stages {
        let phase = s.phase.as_ref().map(|p| &p.value);
        let card = StageCard {
            stage: ix.stage_link(&s.id.value),
            summary: s.summary.as_ref().map(|x| x.value.clone()),
            owner: s.owner.as_ref().map(|o| ix.department_link(&o.value)),
        };
        match phases.last_mut() {
            Some(g) if last == Some(phase) => g.stages.push(card),
            _ => phases.push(PhaseGroup {
                name: phase
                    .and_then(|p| site.phase(p.as_str()))
                    .map(|ph| ph.name.value.clone()),
                stages: vec![card],
            }),
        }
        last = Some(phase);
    }
    let personas = site
        .personas
        .values()
        .map(|p| PersonaCard {
            persona: ix.persona_link(&p.id),
            role: p.role.as_ref().map(|x| x.value.clone()),
            summary: p.summary.as_ref().map(|x| x.value.clone()),
            journeys: ix.journeys_of(&p.id).iter().map(|j| ix.journey_link(j)).collect(),
        })
        .collect();
    let departments = site
        .departments
        .values()
        .map(|d| DepartmentCard {
            department: ix.department_link(&d.id),
            kpis: d.kpis.iter().map(|k| k.value.clone()).collect(),
        })
        .collect();
    let quizzes = site
        .quizzes
        .values()
        .map(|q| QuizCard {
            quiz: ix.quiz_link(q),
            stage: q.stage.as_ref().map(|s| ix.stage_link(&s.value)),
            questions: q.questions.len(),
        })
        .collect();
    let meta = r.meta(&site.config.title.value, "home", ix.urls.home(), vec![]);
    let data = Home {
        phases,
        personas,
        departments,
        quizzes,
    };
    r.page("index.html", "index.html".into(), meta, data)
}
