//! The onboarding path (`onboarding/index.html`): numbered steps, each with its note and
//! the pages to read (their checkboxes are kept in the reader's browser).

use serde::Serialize;

use crate::model::PageRefKind;
use crate::render::context::Link;
use crate::render::{Prepared, RenderError, Renderer};

#[derive(Serialize)]
struct StepPage {
    /// `persona`, `journey`, `stage`, `department`, `playbook`, `quiz` or `glossary`.
    kind: &'static str,
    link: Link,
}

#[derive(Serialize)]
struct Step {
    number: usize,
    title: String,
    note: Option<String>,
    pages: Vec<StepPage>,
}

#[derive(Serialize)]
struct OnboardingPage {
    title: String,
    steps: Vec<Step>,
}

/// The link of a page an onboarding step names.
fn step_link(r: &Renderer<'_>, kind: PageRefKind, id: Option<&crate::model::Id>) -> Link {
    let ix = &r.index;
    let site = ix.site;
    let by_id = |id: &crate::model::Id, url: String| Link {
        id: id.to_string(),
        name: id.to_string(),
        url,
    };
    match (kind, id) {
        (PageRefKind::Persona, Some(id)) => ix.persona_link(id),
        (PageRefKind::Stage, Some(id)) => ix.stage_link(id),
        (PageRefKind::Department, Some(id)) => ix.department_link(id),
        (PageRefKind::Journey, Some(id)) => site.journeys.get(id).map_or_else(
            || by_id(id, ix.urls.journey(id.as_str())),
            |j| ix.journey_link(j),
        ),
        (PageRefKind::Playbook, Some(id)) => site.playbooks.get(id).map_or_else(
            || by_id(id, ix.urls.playbook(id.as_str())),
            |p| ix.playbook_link(p),
        ),
        (PageRefKind::Quiz, Some(id)) => site
            .quizzes
            .get(id)
            .map_or_else(|| by_id(id, ix.urls.quiz(id.as_str())), |q| ix.quiz_link(q)),
        _ => Link {
            id: String::new(),
            name: r.t.glossary.to_string(),
            url: ix.urls.glossary(),
        },
    }
}

pub(super) fn render(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    let Some(o) = &r.index.site.onboarding else {
        return Err(RenderError::Template(
            "the site has no onboarding path".into(),
        ));
    };
    let steps = o
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| Step {
            number: i + 1,
            title: s.title.value.clone(),
            note: s.note.as_ref().map(|n| r.index.body(&n.value, "").html),
            pages: s
                .pages
                .iter()
                .map(|p| StepPage {
                    kind: p.value.kind.link_scheme(),
                    link: step_link(r, p.value.kind, p.value.id.as_ref()),
                })
                .collect(),
        })
        .collect();
    let meta = r.meta(
        &o.title.value,
        "onboarding",
        r.index.urls.onboarding(),
        vec![],
    );
    let data = OnboardingPage {
        title: o.title.value.clone(),
        steps,
    };
    r.page(
        "onboarding.html",
        "onboarding/index.html".into(),
        meta,
        data,
    )
}
