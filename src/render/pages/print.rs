//! The print page (`print/index.html`): every persona with its journeys, the stages, the
//! departments, the playbooks in stage order and the glossary, in one document. Heading ids
//! are prefixed per document so that they stay unique on the page. Past
//! [`PRINT_ALL_MAX_PERSONAS`] personas it lists the persona pages instead of holding them:
//! each of those prints on its own, journey tables included (the stylesheet's `@media print`).

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

/// Up to this many personas the print page holds them all, with their journey tables (30
/// personas make a page of about 1 MB and some 150 printed pages); past it, it links each
/// persona's page instead, for a 2,000-persona site's page was 55 MB that no browser prints.
pub const PRINT_ALL_MAX_PERSONAS: usize = 30;

/// The data of `print.html`.
#[derive(Serialize)]
struct PrintPage<'b> {
    /// Every persona with their journeys, up to [`PRINT_ALL_MAX_PERSONAS`]; else empty.
    personas: Vec<PrintPersona<'b>>,
    /// Past [`PRINT_ALL_MAX_PERSONAS`], every persona's page, to print one by one; else empty.
    persona_pages: Vec<Link>,
    stages: Vec<StageCtx>,
    departments: Vec<PrintDepartment>,
    playbooks: Vec<PlaybookCtx>,
    terms: Vec<TermCtx>,
}

pub(super) fn render(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let site = ix.site;
    let all = site.personas.len() <= PRINT_ALL_MAX_PERSONAS;
    let mut personas = Vec::new();
    let mut persona_pages = Vec::new();
    for p in site.personas.values() {
        if all {
            personas.push(PrintPersona {
                persona: persona_ctx(r, p, &format!("persona-{}-", p.id)),
                journeys: journeys(r, p)?,
            });
        } else {
            persona_pages.push(ix.persona_link(&p.id));
        }
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
        persona_pages,
        stages: site.config.stages.iter().map(|s| stage_ctx(r, s)).collect(),
        departments,
        playbooks,
        terms: terms(r),
    };
    let meta = r.meta(r.t.print_title, "print", ix.urls.print(), vec![]);
    r.page("print.html", "print/index.html".into(), meta, data)
}
