//! A department's page (`departments/<id>/index.html`): its body, where it sits in the
//! chain of departments, its KPIs, the stages it owns, its tasks at every stage and its
//! playbooks.

use serde::Serialize;

use super::index_path;
use crate::model::Department;
use crate::render::context::{Link, LinkRef};
use crate::render::markdown::Heading;
use crate::render::table::TaskCtx;
use crate::render::{Prepared, RenderError, Renderer, svg};

/// A department as its page and the print page show it.
#[derive(Serialize)]
pub(super) struct DepartmentCtx {
    id: String,
    name: String,
    kpis: Vec<String>,
    body: String,
    headings: Vec<Heading>,
}

/// A department's context; `prefix` goes before its headings' ids (the print page).
pub(super) fn department_ctx(r: &Renderer<'_>, d: &Department, prefix: &str) -> DepartmentCtx {
    let body = r.index.body(&d.body.value, prefix);
    DepartmentCtx {
        id: d.id.to_string(),
        name: d.name.value.clone(),
        kpis: d.kpis.iter().map(|k| k.value.clone()).collect(),
        body: body.html,
        headings: body.headings,
    }
}

#[derive(Serialize)]
struct PersonaTasks<'a> {
    persona: LinkRef<'a>,
    journey: LinkRef<'a>,
    tasks: Vec<&'a TaskCtx>,
}

#[derive(Serialize)]
struct StageTasks<'a> {
    stage: Link,
    personas: Vec<PersonaTasks<'a>>,
}

/// The data of `department.html`.
#[derive(Serialize)]
struct DepartmentPage<'a> {
    department: DepartmentCtx,
    clients: Vec<Link>,
    suppliers: Vec<Link>,
    chain_svg: String,
    stages_owned: Vec<Link>,
    tasks_by_stage: Vec<StageTasks<'a>>,
    playbooks: Vec<Link>,
    upkeep: Option<crate::render::upkeep::UpkeepCtx>,
}

pub(super) fn render(r: &Renderer<'_>, d: &Department) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let site = ix.site;
    let tables: Vec<_> = site.journeys.keys().filter_map(|id| r.table(id)).collect();
    let mut tasks_by_stage = Vec::new();
    for (si, s) in site.config.stages.iter().enumerate() {
        let personas: Vec<PersonaTasks<'_>> = tables
            .iter()
            .filter_map(|t| {
                let tasks: Vec<&TaskCtx> = t
                    .tasks
                    .get(si)?
                    .iter()
                    .filter(|task| task.department == d.id)
                    .collect();
                (!tasks.is_empty()).then(|| PersonaTasks {
                    persona: t.persona.as_ref(),
                    journey: t.link(),
                    tasks,
                })
            })
            .collect();
        if !personas.is_empty() {
            tasks_by_stage.push(StageTasks {
                stage: ix.stage_link(&s.id.value),
                personas,
            });
        }
    }
    let data = DepartmentPage {
        department: department_ctx(r, d, ""),
        clients: ix.department_links(&d.clients),
        suppliers: ix.department_links(&d.suppliers),
        chain_svg: svg::department_chain(
            &site.departments,
            Some(&d.id),
            |id| ix.urls.department(id.as_str()),
            r.t.department_chain,
        ),
        stages_owned: site
            .config
            .stages
            .iter()
            .filter(|s| s.owner.as_ref().is_some_and(|o| o.value == d.id))
            .map(|s| ix.stage_link(&s.id.value))
            .collect(),
        tasks_by_stage,
        playbooks: site
            .playbooks
            .values()
            .filter(|p| p.departments.iter().any(|x| x.value == d.id))
            .map(|p| ix.playbook_link(p))
            .collect(),
        upkeep: r.upkeep(d.file, &d.upkeep),
    };
    let crumbs = vec![r.home_section(r.t.departments, "departments")];
    let meta = r.meta(
        &d.name.value,
        "department",
        ix.urls.department(d.id.as_str()),
        crumbs,
    );
    r.page(
        "department.html",
        index_path("departments", d.id.as_str()),
        meta,
        data,
    )
}
