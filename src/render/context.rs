//! What every page's context is made of: links, the site's navigation, the page's meta, and
//! [`SiteIndex`], the lookups computed once per build from the model.
//!
//! Contexts stay small and per page: the navigation holds stages and departments (a
//! handful), never every persona, so a page's context costs what the page shows.
//! `docs/templates.md` documents every field.

use std::collections::HashMap;

use serde::Serialize;

use super::markdown::{Heading, render_block_with_prefix, render_inline};
use crate::model::{Id, Journey, Playbook, Site, Spanned};
use crate::urls::Urls;

/// A link to a page.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// A [`Link`] borrowed from data that holds one (a journey table): the same fields for
/// templates, without copying three strings for each of thousands of rows of a stage or
/// department page.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LinkRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
}

impl Link {
    pub fn as_ref(&self) -> LinkRef<'_> {
        LinkRef {
            id: &self.id,
            name: &self.name,
            url: &self.url,
        }
    }
}

/// The site as every template sees it (`site.*`).
#[derive(Clone, Debug, Serialize)]
pub struct SiteCtx {
    pub title: String,
    pub description: Option<String>,
    pub language: &'static str,
    pub base_url: String,
    pub home_url: String,
    pub glossary_url: Option<String>,
    pub onboarding_url: Option<String>,
    pub print_url: String,
    /// The "What changed" page, when the build has one (`build --changes-since`).
    pub changes_url: Option<String>,
    /// When each entry of the "What changed" page was made (seconds since 1970), newest
    /// first: the header counts those newer than the reader's last visit.
    pub change_times: Vec<i64>,
    /// The freshness page, when any page has an owner or a review date.
    pub freshness_url: Option<String>,
    pub css_url: String,
    pub search_index_url: String,
    pub js_url: String,
    /// The search box's script.
    pub search_js_url: String,
    pub nav_stages: Vec<Link>,
    pub nav_departments: Vec<Link>,
}

/// What every page has besides its own content (`page.*`).
#[derive(Clone, Debug, Serialize)]
pub struct PageMeta {
    pub title: String,
    /// `home`, `persona`, `journey`, `stage`, `department`, `playbook`, `glossary`,
    /// `onboarding`, `print`, `changes`, `quiz`, `404`.
    pub kind: &'static str,
    pub url: String,
    pub breadcrumbs: Vec<Link>,
}

/// A Markdown document rendered for a page: its HTML and its headings (for a table of
/// contents).
pub struct Body {
    pub html: String,
    pub headings: Vec<Heading>,
}

/// Lookups over the model that many pages need, computed once per build (or per served
/// snapshot) instead of once per page.
pub struct SiteIndex<'a> {
    pub site: &'a Site,
    pub urls: Urls,
    pub site_ctx: SiteCtx,
    /// Each persona's journeys, in journey order (asking the site scans every journey).
    journeys_by_persona: HashMap<&'a Id, Vec<&'a Journey>>,
    /// Each stage's playbooks, in playbook order, by stage position.
    playbooks_by_stage: Vec<Vec<&'a Playbook>>,
    /// The persona-at-stage pages: persona and stage position.
    persona_stages: std::collections::HashSet<(&'a Id, usize)>,
}

impl<'a> SiteIndex<'a> {
    pub fn new(site: &'a Site, base_url: &str, changes: bool) -> SiteIndex<'a> {
        let urls = Urls::new(site, base_url);
        let c = &site.config;
        let site_ctx = SiteCtx {
            title: c.title.value.clone(),
            description: c.description.as_ref().map(|d| d.value.clone()),
            language: c.language.as_str(),
            base_url: base_url.to_string(),
            home_url: urls.home(),
            glossary_url: site.glossary.as_ref().map(|_| urls.glossary()),
            onboarding_url: site.onboarding.as_ref().map(|_| urls.onboarding()),
            print_url: urls.print(),
            changes_url: changes.then(|| urls.changes()),
            change_times: Vec::new(),
            freshness_url: site.has_upkeep().then(|| urls.freshness()),
            css_url: urls.asset("tabiji.css"),
            search_index_url: urls.search_index(),
            js_url: urls.asset("tabiji.js"),
            search_js_url: urls.asset("search.js"),
            nav_stages: Vec::new(),
            nav_departments: Vec::new(),
        };
        let mut journeys_by_persona: HashMap<&Id, Vec<&Journey>> = HashMap::new();
        for j in site.journeys.values() {
            journeys_by_persona
                .entry(&j.persona.value)
                .or_default()
                .push(j);
        }
        let playbooks_by_stage = c
            .stages
            .iter()
            .map(|s| site.playbooks_of(&s.id.value))
            .collect();
        let persona_stages = site
            .persona_stages()
            .into_iter()
            .filter_map(|(p, s)| Some((&p.id, site.stage_index(s.id.value.as_str())?)))
            .collect();
        let mut index = SiteIndex {
            site,
            urls,
            site_ctx,
            journeys_by_persona,
            playbooks_by_stage,
            persona_stages,
        };
        index.site_ctx.nav_stages = c
            .stages
            .iter()
            .map(|s| index.stage_link(&s.id.value))
            .collect();
        index.site_ctx.nav_departments = site
            .departments
            .keys()
            .map(|id| index.department_link(id))
            .collect();
        index
    }

    /// Inline Markdown (a cell, a task) as HTML.
    pub fn inline(&self, text: &str) -> String {
        render_inline(text, &self.urls)
    }

    /// A Markdown document; on a page that holds several (print), heading ids get `prefix`.
    pub fn body(&self, text: &str, prefix: &str) -> Body {
        let r = render_block_with_prefix(text, &self.urls, prefix);
        Body {
            html: r.html,
            headings: r.headings,
        }
    }

    /// A persona's journeys, in journey order.
    pub fn journeys_of(&self, persona: &Id) -> &[&'a Journey] {
        self.journeys_by_persona
            .get(persona)
            .map_or(&[], Vec::as_slice)
    }

    /// The playbooks of the stage at a position, by `order` then id.
    pub fn playbooks_at(&self, stage: usize) -> &[&'a Playbook] {
        self.playbooks_by_stage
            .get(stage)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether a persona has a page at the stage at position `stage`.
    pub fn has_persona_stage(&self, persona: &Id, stage: usize) -> bool {
        self.persona_stages.contains(&(persona, stage))
    }

    /// The playbooks of a stage by id.
    pub fn playbooks_of(&self, stage: &Id) -> &[&'a Playbook] {
        self.site
            .stage_index(stage.as_str())
            .map_or(&[], |i| self.playbooks_at(i))
    }

    pub fn persona_link(&self, id: &Id) -> Link {
        let name = self
            .site
            .personas
            .get(id)
            .map_or_else(|| id.to_string(), |p| p.name.value.clone());
        Link {
            id: id.to_string(),
            name,
            url: self.urls.persona(id.as_str()),
        }
    }

    /// A link to a department's page, named after it (or after its id, when the site has
    /// no such department).
    pub fn department_link(&self, id: &Id) -> Link {
        let name = self
            .site
            .departments
            .get(id)
            .map_or_else(|| id.to_string(), |d| d.name.value.clone());
        Link {
            id: id.to_string(),
            name,
            url: self.urls.department(id.as_str()),
        }
    }

    /// Links to the departments a list names (clients, suppliers, a playbook's departments).
    pub fn department_links(&self, ids: &[Spanned<Id>]) -> Vec<Link> {
        ids.iter().map(|d| self.department_link(&d.value)).collect()
    }

    pub fn stage_link(&self, id: &Id) -> Link {
        let name = self
            .site
            .stage(id.as_str())
            .map_or_else(|| id.to_string(), |s| s.name.value.clone());
        Link {
            id: id.to_string(),
            name,
            url: self.urls.stage(id.as_str()),
        }
    }

    pub fn journey_link(&self, j: &Journey) -> Link {
        Link {
            id: j.id.to_string(),
            name: self.journey_name(j),
            url: self.urls.journey(j.id.as_str()),
        }
    }

    pub fn playbook_link(&self, p: &Playbook) -> Link {
        Link {
            id: p.id.to_string(),
            name: p.title.value.clone(),
            url: self.urls.playbook(p.id.as_str()),
        }
    }

    pub fn quiz_link(&self, q: &crate::model::Quiz) -> Link {
        Link {
            id: q.id.to_string(),
            name: q.title.value.clone(),
            url: self.urls.quiz(q.id.as_str()),
        }
    }

    /// The quizzes of a stage for a persona (`None`: for any persona), in id order.
    pub fn quiz_links(&self, stage: &Id, persona: Option<&Id>) -> Vec<Link> {
        self.site
            .quizzes_of(stage)
            .filter(|q| persona.is_none_or(|p| q.applies_to(p)))
            .map(|q| self.quiz_link(q))
            .collect()
    }

    /// A journey's name, defaulting to its persona's name.
    pub fn journey_name(&self, j: &Journey) -> String {
        match &j.name {
            Some(n) => n.value.clone(),
            None => self
                .site
                .personas
                .get(&j.persona.value)
                .map_or_else(|| j.id.to_string(), |p| p.name.value.clone()),
        }
    }

    /// A persona's `role` as readers see it: the declared role's name, or the text as written
    /// when the site declares no roles.
    pub fn role_name(&self, role: &str) -> String {
        self.site
            .config
            .role(role)
            .map_or_else(|| role.to_string(), |r| r.name.value.clone())
    }

    /// The position of the row that says what moves a customer to the next stage: the row
    /// with id `key_factor`, or else the last row.
    pub fn key_row(&self) -> Option<usize> {
        let rows = &self.site.config.rows;
        rows.iter()
            .position(|r| r.id.value.as_str() == "key_factor")
            .or_else(|| rows.len().checked_sub(1))
    }
}
