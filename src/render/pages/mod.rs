//! The pages of a site: which exist, where each is written, and which file renders each
//! kind (one file per kind of page, each building its template's context).

mod changes;
mod department;
mod freshness;
mod glossary;
mod home;
mod journey;
mod method;
mod onboarding;
mod persona;
mod persona_stage;
mod playbook;
mod print;
mod quiz;
mod stage;

use super::{Prepared, RenderError, Renderer};
use crate::model::{Id, Site};

/// One page of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page<'a> {
    Home,
    NotFound,
    Print,
    Glossary,
    Onboarding,
    Changes,
    /// Every role of the buying group × every stage (when roles are declared).
    Roles,
    /// Every framework letter × every stage (when frameworks are declared).
    Qualification,
    /// Every page with its owner and dates (when any page has an owner or review date).
    Freshness,
    Persona(&'a Id),
    /// A persona at a stage (by its position among the stages).
    PersonaStage(&'a Id, usize),
    Journey(&'a Id),
    /// A stage, by its position among the stages.
    Stage(usize),
    Department(&'a Id),
    Playbook(&'a Id),
    Quiz(&'a Id),
}

/// Every page of a site; the print page (the largest) first.
pub(super) fn all(site: &Site, changes: bool) -> Vec<Page<'_>> {
    let mut pages = vec![Page::Print, Page::Home, Page::NotFound];
    if site.glossary.is_some() {
        pages.push(Page::Glossary);
    }
    if site.onboarding.is_some() {
        pages.push(Page::Onboarding);
    }
    if changes {
        pages.push(Page::Changes);
    }
    if !site.config.roles.is_empty() {
        pages.push(Page::Roles);
    }
    if !site.config.frameworks.is_empty() {
        pages.push(Page::Qualification);
    }
    if site.has_upkeep() {
        pages.push(Page::Freshness);
    }
    pages.extend((0..site.config.stages.len()).map(Page::Stage));
    pages.extend(site.departments.keys().map(Page::Department));
    pages.extend(site.personas.keys().map(Page::Persona));
    pages.extend(site.persona_stages().into_iter().filter_map(|(p, s)| {
        Some(Page::PersonaStage(
            &p.id,
            site.stage_index(s.id.value.as_str())?,
        ))
    }));
    pages.extend(site.journeys.keys().map(Page::Journey));
    pages.extend(site.playbooks.keys().map(Page::Playbook));
    pages.extend(site.quizzes.keys().map(Page::Quiz));
    pages
}

/// The page at an output path, if the site has one.
pub(super) fn at<'a>(site: &'a Site, changes: bool, path: &str) -> Option<Page<'a>> {
    let page = match path {
        "index.html" => Page::Home,
        "404.html" => Page::NotFound,
        "print/index.html" => Page::Print,
        "glossary/index.html" if site.glossary.is_some() => Page::Glossary,
        "onboarding/index.html" if site.onboarding.is_some() => Page::Onboarding,
        "changes/index.html" if changes => Page::Changes,
        "roles/index.html" if !site.config.roles.is_empty() => Page::Roles,
        "qualification/index.html" if !site.config.frameworks.is_empty() => Page::Qualification,
        "freshness/index.html" if site.has_upkeep() => Page::Freshness,
        _ => {
            let rest = path.strip_suffix("/index.html")?;
            let (folder, id) = rest.split_once('/')?;
            if let Some((persona, stage)) = id.split_once('/').filter(|_| folder == "personas") {
                let (persona, stage) = (Id::lookup(persona), Id::lookup(stage));
                return site.persona_stage(&persona, &stage).and_then(|(p, s)| {
                    Some(Page::PersonaStage(
                        &p.id,
                        site.stage_index(s.id.value.as_str())?,
                    ))
                });
            }
            let id = Id::lookup(id);
            match folder {
                "personas" => Page::Persona(site.personas.get_key_value(&id)?.0),
                "journeys" => Page::Journey(site.journeys.get_key_value(&id)?.0),
                "departments" => Page::Department(site.departments.get_key_value(&id)?.0),
                "playbooks" => Page::Playbook(site.playbooks.get_key_value(&id)?.0),
                "quizzes" => Page::Quiz(site.quizzes.get_key_value(&id)?.0),
                "stages" => Page::Stage(site.stage_index(id.as_str())?),
                _ => return None,
            }
        }
    };
    Some(page)
}

/// `folder/id/index.html`.
fn index_path(folder: &str, id: &str) -> String {
    format!("{folder}/{id}/index.html")
}

pub(super) fn render(r: &Renderer<'_>, page: Page<'_>) -> Result<Prepared, RenderError> {
    let site = r.index.site;
    let missing = |what: &str| RenderError::Template(format!("the site has no {what}"));
    match page {
        Page::Home => home::render(r),
        Page::NotFound => {
            let meta = r.meta(r.t.not_found_title, "404", r.index.urls.home(), vec![]);
            r.page("404.html", "404.html".into(), meta, ())
        }
        Page::Print => print::render(r),
        Page::Roles => method::roles(r),
        Page::Qualification => method::qualification(r),
        Page::Glossary => glossary::render(r),
        Page::Onboarding => onboarding::render(r),
        Page::Freshness => freshness::render(r),
        Page::Changes => changes::render(r, r.changes.ok_or_else(|| missing("changes page"))?),
        Page::Persona(id) => persona::render(
            r,
            site.personas.get(id).ok_or_else(|| missing(id.as_str()))?,
        ),
        Page::PersonaStage(id, i) => persona_stage::render(
            r,
            site.personas.get(id).ok_or_else(|| missing(id.as_str()))?,
            i,
        ),
        Page::Journey(id) => journey::render(
            r,
            site.journeys.get(id).ok_or_else(|| missing(id.as_str()))?,
        ),
        Page::Stage(i) => stage::render(r, i),
        Page::Department(id) => department::render(
            r,
            site.departments
                .get(id)
                .ok_or_else(|| missing(id.as_str()))?,
        ),
        Page::Playbook(id) => playbook::render(
            r,
            site.playbooks.get(id).ok_or_else(|| missing(id.as_str()))?,
        ),
        Page::Quiz(id) => {
            quiz::render(r, site.quizzes.get(id).ok_or_else(|| missing(id.as_str()))?)
        }
    }
}

impl<'a> Page<'a> {
    /// The page of a site (without a "What changed" page) at an output path, if any.
    pub fn at(site: &'a Site, path: &str) -> Option<Page<'a>> {
        at(site, false, path)
    }
}
