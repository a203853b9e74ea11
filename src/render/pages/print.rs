//! The print page (`print/index.html`): every persona with its journeys, the stages, the
//! departments, the playbooks in stage order and the glossary, in one document. Heading ids
//! are prefixed per document so that they stay unique on the page.

use serde::Serialize;

use super::department::{DepartmentCtx, department_ctx};
use super::glossary::{TermCtx, terms};
use super::persona::{JourneyRef, PersonaCtx, journeys, persona_ctx};
use super::playbook::{PlaybookCtx, playbook_ctx};
use super::stage::{StageCtx, stage_ctx};
use crate::render::context::Link;
use crate::render::{Prepared, RenderError, Renderer};

#[derive(Serialize)]
struct PrintPersona<'b> {
    persona: PersonaCtx,
    journeys: Vec<JourneyRef<'b>>,
}

#[derive(Serialize)]
struct PrintDepartment {
    department: DepartmentCtx,
    clients: Vec<Link>,
    suppliers: Vec<Link>,
}

/// The data of `print.html`.
#[derive(Serialize)]
struct PrintPage<'b> {
    personas: Vec<PrintPersona<'b>>,
    stages: Vec<StageCtx>,
    departments: Vec<PrintDepartment>,
    playbooks: Vec<PlaybookCtx>,
    terms: Vec<TermCtx>,
}

pub(super) fn render(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let site = ix.site;
    let mut personas = Vec::with_capacity(site.personas.len());
    for p in site.personas.values() {
        personas.push(PrintPersona {
            persona: persona_ctx(r, p, &format!("persona-{}-", p.id)),
            journeys: journeys(r, p)?,
        });
    }
    let departments = site
        .departments
        .values()
        .map(|d| PrintDepartment {
            department: department_ctx(r, d, &format!("department-{}-", d.id)),
            clients: ix.department_links(&d.clients),
            suppliers: ix.department_links(&d.suppliers),
        })
        .collect();
    // In stage order; a playbook for several stages comes once, at its first.
    let mut seen = std::collections::HashSet::new();
    let playbooks = (0..site.config.stages.len())
        .flat_map(|i| ix.playbooks_at(i))
        .filter(|p| seen.insert(&p.id))
        .map(|p| playbook_ctx(r, p, &format!("playbook-{}-", p.id)))
        .collect();
    let data = PrintPage {
        personas,
        stages: site.config.stages.iter().map(|s| stage_ctx(r, s)).collect(),
        departments,
        playbooks,
        terms: terms(r),
    };
    let meta = r.meta(r.t.print_title, "print", ix.urls.print(), vec![]);
    r.page("print.html", "print/index.html".into(), meta, data)
}
