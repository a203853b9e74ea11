//! The data each template receives, built from the model once and shared.
//!
//! Per-page contexts stay small: the navigation holds stages and departments (a handful),
//! never the list of every persona, so rendering stays linear in the number of pages.
//! `docs/templates.md` documents every field.

use serde::Serialize;

use super::labels::emotion_word;
use super::markdown::{Heading, render_block, render_block_with_prefix, render_inline};
use super::svg;
use super::urls::Urls;
use crate::model::{Id, Journey, Language, Playbook, Site};

/// A link to a page.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// A [`Link`] borrowed from data that already holds one (a journey table): the same fields
/// for templates, without copying three strings for every row of a stage page.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LinkRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    /// The link already written as HTML (`<a href="…">…</a>`), where one link appears on
    /// many pages (each journey's on all stage and department pages): escaped once.
    #[serde(skip)]
    pub html: Option<&'a str>,
}

impl Link {
    pub fn as_ref(&self) -> LinkRef<'_> {
        LinkRef {
            id: &self.id,
            name: &self.name,
            url: &self.url,
            html: None,
        }
    }
}

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
    pub css_url: String,
    pub search_index_url: String,
    pub js_url: String,
    pub nav_stages: Vec<Link>,
    pub nav_departments: Vec<Link>,
}

/// What every page has besides its own content.
#[derive(Clone, Debug, Serialize)]
pub struct PageMeta {
    pub title: String,
    /// `home`, `persona`, `journey`, `stage`, `department`, `playbook`, `glossary`,
    /// `onboarding`, `print`, `404`.
    pub kind: &'static str,
    pub url: String,
    pub breadcrumbs: Vec<Link>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PhaseBand {
    pub name: String,
    pub colspan: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct StageHead {
    pub id: String,
    pub name: String,
    pub url: String,
    pub owner: Option<Link>,
}

/// A row's head, the same in every journey table of a site.
#[derive(Clone, Debug, Serialize)]
pub struct RowHead {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

/// A row of a journey table as templates see it (`journey.rows`): the row's head and its
/// cells' HTML per stage column (empty when not written).
#[derive(Serialize)]
struct RowCtx<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a Option<String>,
    cells: &'a [String],
}

#[derive(Clone, Debug, Serialize)]
pub struct EmotionCell {
    pub svg: String,
    pub value: Option<i8>,
    pub word: &'static str,
}

/// A task's HTML and its KPI's: owned in a journey table, borrowed from the spill when the
/// stage and department pages read them back (`stream.rs`; about 240,000 tasks on a
/// 10,000-persona site, which were copied string by string).
#[derive(Clone, Debug, Serialize)]
pub struct TaskCtx<'a> {
    pub html: std::borrow::Cow<'a, str>,
    pub kpi: Option<std::borrow::Cow<'a, str>>,
    /// The task's department, as its place among the site's departments in id order
    /// ([`NO_DEPARTMENT`] for an id the site has none of): stage and department pages group
    /// tasks by it without going back to the model (10,000 journeys' tasks on every page).
    #[serde(skip)]
    pub department: u32,
}

/// [`TaskCtx::department`] of a task whose department does not exist.
pub const NO_DEPARTMENT: u32 = u32::MAX;

/// One department's tasks in a stage column: the department and the positions of its tasks
/// in the column's `task_html`, so that no task's HTML is held twice.
#[derive(Clone, Debug)]
pub struct TaskGroup {
    pub department: std::sync::Arc<Link>,
    pub tasks: Vec<u32>,
}

/// A task group as templates see it (`journey.tasks[stage][group]`).
#[derive(Serialize)]
struct DepartmentTasks<'a> {
    department: &'a Link,
    tasks: Vec<&'a TaskCtx<'a>>,
}

/// What every journey table of a site has in common: the phase band, the stage heads and the
/// row heads. Built once and shared by every table instead of copied into each (on a
/// 10,000-persona site the copies were about 20 MB and 600,000 allocations).
#[derive(Debug)]
pub struct TableFrame {
    pub phases: Vec<PhaseBand>,
    pub stages: Vec<StageHead>,
    pub rows: Vec<RowHead>,
    pub lang: Language,
}

/// A journey as a table: stages as columns, rows as rows, then the seller's side.
///
/// Kept lean because a whole build keeps every table until the stage, department and print
/// pages are done: shared parts live in the [`TableFrame`], tasks are rendered once into
/// `task_html` and grouped by position, and the emotion curve is drawn when the table is
/// written. Templates see the fields `docs/templates.md` lists, through `Serialize`.
#[derive(Clone, Debug)]
pub struct JourneyTable {
    pub id: String,
    pub name: String,
    pub url: String,
    pub persona: Link,
    pub frame: std::sync::Arc<TableFrame>,
    /// Cell HTML by row, then by stage column; empty when not written.
    pub cells: Vec<Vec<String>>,
    pub experience: Option<Vec<String>>,
    pub touchpoints: Option<Vec<Vec<String>>>,
    /// Each stage column's emotion, when any column has one.
    pub emotion: Option<Vec<Option<i8>>>,
    pub tasks: Option<Vec<Vec<TaskGroup>>>,
    pub notes: Option<Vec<String>>,
    /// Every task of each stage column, rendered, in file order: shown by the table (through
    /// `tasks`) and reused by the stage and department pages.
    pub task_html: Vec<Vec<TaskCtx<'static>>>,
}

impl Serialize for JourneyTable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            id: &'a str,
            name: &'a str,
            url: &'a str,
            persona: &'a Link,
            phases: &'a [PhaseBand],
            stages: &'a [StageHead],
            rows: Vec<RowCtx<'a>>,
            experience: &'a Option<Vec<String>>,
            touchpoints: &'a Option<Vec<Vec<String>>>,
            emotion: Option<Vec<EmotionCell>>,
            tasks: Option<Vec<Vec<DepartmentTasks<'a>>>>,
            notes: &'a Option<Vec<String>>,
        }
        View {
            id: &self.id,
            name: &self.name,
            url: &self.url,
            persona: &self.persona,
            phases: &self.frame.phases,
            stages: &self.frame.stages,
            rows: self
                .frame
                .rows
                .iter()
                .zip(&self.cells)
                .map(|(r, cells)| RowCtx {
                    id: &r.id,
                    name: &r.name,
                    description: &r.description,
                    cells,
                })
                .collect(),
            experience: &self.experience,
            touchpoints: &self.touchpoints,
            emotion: self.emotion_cells(),
            tasks: self.tasks.as_ref().map(|cols| {
                cols.iter()
                    .zip(&self.task_html)
                    .map(|(groups, html)| {
                        groups
                            .iter()
                            .map(|g| DepartmentTasks {
                                department: &g.department,
                                tasks: g.tasks_in(html).collect(),
                            })
                            .collect()
                    })
                    .collect()
            }),
            notes: &self.notes,
        }
        .serialize(s)
    }
}

impl TaskGroup {
    /// The group's tasks, given its column's rendered tasks.
    pub fn tasks_in<'h>(&self, html: &'h [TaskCtx<'h>]) -> impl Iterator<Item = &'h TaskCtx<'h>> {
        self.tasks.iter().filter_map(|&i| html.get(i as usize))
    }
}

impl JourneyTable {
    /// The emotion curve: each stage column's piece of it, value and word.
    pub fn emotion_cells(&self) -> Option<Vec<EmotionCell>> {
        let values = self.emotion.as_ref()?;
        Some(
            svg::emotion_pieces(values)
                .into_iter()
                .zip(values)
                .map(|(svg, v)| EmotionCell {
                    svg,
                    value: *v,
                    word: v.map_or("", |v| emotion_word(self.frame.lang, v)),
                })
                .collect(),
        )
    }

    /// A link to the journey's page.
    pub fn link_ref(&self) -> LinkRef<'_> {
        LinkRef {
            id: &self.id,
            name: &self.name,
            url: &self.url,
            html: None,
        }
    }
}

/// A link to a department's page, named after it (or after its id, when it does not
/// exist).
fn department_link(site: &Site, urls: &Urls, id: &Id) -> Link {
    let name = site
        .departments
        .get(id)
        .map_or_else(|| id.to_string(), |d| d.name.value.clone());
    Link {
        id: id.to_string(),
        name,
        url: urls.department(id.as_str()),
    }
}

/// Shared, precomputed pieces used by many pages.
pub struct Shared<'a> {
    pub site: &'a Site,
    pub urls: Urls,
    pub site_ctx: SiteCtx,
    /// What every journey table shares.
    frame: std::sync::Arc<TableFrame>,
    /// Each department's link, for the task groups of every table.
    department_arcs: std::collections::BTreeMap<Id, std::sync::Arc<Link>>,
    /// Each persona's journeys, in journey order: built once, where asking the site for
    /// them scans every journey (once per persona: quadratic on a large site).
    journeys_by_persona: std::collections::HashMap<&'a Id, Vec<&'a Journey>>,
    /// The site's department ids, in id order ([`TaskCtx::department`]).
    department_ids: Vec<&'a Id>,
}

impl<'a> Shared<'a> {
    pub fn new(site: &'a Site, base_url: &str) -> Shared<'a> {
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
            changes_url: None,
            css_url: urls.asset("tabiji.css"),
            search_index_url: format!("{}{}", urls.base(), crate::search::INDEX_PATH),
            js_url: urls.asset("tabiji.js"),
            nav_stages: c
                .stages
                .iter()
                .map(|s| Link {
                    id: s.id.value.to_string(),
                    name: s.name.value.clone(),
                    url: urls.stage(s.id.value.as_str()),
                })
                .collect(),
            nav_departments: site
                .departments
                .keys()
                .map(|id| department_link(site, &urls, id))
                .collect(),
        };
        let frame = std::sync::Arc::new(Self::table_frame(site, &urls));
        let department_arcs = site
            .departments
            .keys()
            .map(|id| {
                (
                    id.clone(),
                    std::sync::Arc::new(department_link(site, &urls, id)),
                )
            })
            .collect();
        let mut journeys_by_persona: std::collections::HashMap<&Id, Vec<&Journey>> =
            std::collections::HashMap::new();
        for j in site.journeys.values() {
            journeys_by_persona
                .entry(&j.persona.value)
                .or_default()
                .push(j);
        }
        Shared {
            site,
            urls,
            site_ctx,
            frame,
            department_arcs,
            journeys_by_persona,
            department_ids: site.departments.keys().collect(),
        }
    }

    /// A department id's place among the site's departments ([`TaskCtx::department`]).
    pub fn department_index(&self, id: &Id) -> u32 {
        self.department_ids
            .binary_search(&id)
            .ok()
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(NO_DEPARTMENT)
    }

    /// The department id at a place given by [`Shared::department_index`].
    pub fn department_id(&self, index: u32) -> Option<&'a Id> {
        self.department_ids.get(index as usize).copied()
    }

    pub fn inline(&self, text: &str) -> String {
        render_inline(text, &self.urls)
    }

    pub fn block(&self, text: &str) -> (String, Vec<Heading>) {
        let r = render_block(text, &self.urls);
        (r.html, r.headings)
    }

    /// A Markdown document on a page that holds several: heading ids get `prefix`.
    pub fn block_prefixed(&self, text: &str, prefix: &str) -> (String, Vec<Heading>) {
        let r = render_block_with_prefix(text, &self.urls, prefix);
        (r.html, r.headings)
    }

    /// A persona's journeys, in journey order.
    pub fn journeys_of(&self, persona: &Id) -> &[&'a Journey] {
        self.journeys_by_persona
            .get(persona)
            .map_or(&[], Vec::as_slice)
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

    pub fn department_link(&self, id: &Id) -> Link {
        department_link(self.site, &self.urls, id)
    }

    /// Links to the departments a list names (clients, suppliers, a playbook's departments).
    pub fn department_links(&self, ids: &[crate::model::Spanned<Id>]) -> Vec<Link> {
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

    /// The row that says what moves a customer to the next stage: the row with id
    /// `key_factor`, or else the last row.
    pub fn key_factor_row(&self) -> Option<&Id> {
        let rows = &self.site.config.rows;
        rows.iter()
            .find(|r| r.id.value.as_str() == "key_factor")
            .or(rows.last())
            .map(|r| &r.id.value)
    }

    /// The parts every journey table shares; built once, in [`Shared::new`].
    fn table_frame(site: &Site, urls: &Urls) -> TableFrame {
        let stages = &site.config.stages;
        let mut phases: Vec<PhaseBand> = Vec::new();
        if !site.config.phases.is_empty() {
            let mut last: Option<Option<&Id>> = None;
            for s in stages {
                let p = s.phase.as_ref().map(|p| &p.value);
                if last == Some(p) {
                    if let Some(b) = phases.last_mut() {
                        b.colspan += 1;
                    }
                } else {
                    let name = p
                        .and_then(|p| site.phase(p.as_str()))
                        .map_or(String::new(), |ph| ph.name.value.clone());
                    phases.push(PhaseBand { name, colspan: 1 });
                }
                last = Some(p);
            }
        }
        TableFrame {
            phases,
            stages: stages
                .iter()
                .map(|s| StageHead {
                    id: s.id.value.to_string(),
                    name: s.name.value.clone(),
                    url: urls.stage(s.id.value.as_str()),
                    owner: s
                        .owner
                        .as_ref()
                        .map(|o| department_link(site, urls, &o.value)),
                })
                .collect(),
            rows: site
                .config
                .rows
                .iter()
                .map(|r| RowHead {
                    id: r.id.value.to_string(),
                    name: r.name.value.clone(),
                    description: r.description.as_ref().map(|d| d.value.clone()),
                })
                .collect(),
            lang: site.config.language,
        }
    }

    pub fn journey_table(&self, j: &Journey) -> JourneyTable {
        let site = self.site;
        let cols: Vec<Option<&crate::model::JourneyStage>> = site
            .config
            .stages
            .iter()
            .map(|s| j.stage(s.id.value.as_str()))
            .collect();
        let cells = site
            .config
            .rows
            .iter()
            .map(|r| {
                cols.iter()
                    .map(|c| {
                        c.and_then(|c| c.cell(r.id.value.as_str()))
                            .map_or(String::new(), |cell| self.inline(&cell.text.value))
                    })
                    .collect()
            })
            .collect();

        let any =
            |f: &dyn Fn(&crate::model::JourneyStage) -> bool| cols.iter().flatten().any(|c| f(c));
        let experience = any(&|c| c.experience.is_some()).then(|| {
            cols.iter()
                .map(|c| {
                    c.and_then(|c| c.experience.as_ref())
                        .map_or(String::new(), |e| self.inline(&e.value))
                })
                .collect()
        });
        let touchpoints = any(&|c| !c.touchpoints.is_empty()).then(|| {
            cols.iter()
                .map(|c| {
                    c.map_or(Vec::new(), |c| {
                        c.touchpoints.iter().map(|t| t.value.clone()).collect()
                    })
                })
                .collect()
        });
        let emotion = any(&|c| c.emotion.is_some()).then(|| {
            cols.iter()
                .map(|c| c.and_then(|c| c.emotion.as_ref().map(|e| e.value)))
                .collect()
        });
        let task_html: Vec<Vec<TaskCtx<'static>>> = cols
            .iter()
            .map(|c| {
                c.map_or(Vec::new(), |c| {
                    c.tasks
                        .iter()
                        .map(|t| TaskCtx {
                            html: self.inline(&t.task.value).into(),
                            kpi: t.kpi.as_ref().map(|k| self.inline(&k.value).into()),
                            department: self.department_index(&t.department.value),
                        })
                        .collect()
                })
            })
            .collect();
        let tasks = any(&|c| !c.tasks.is_empty()).then(|| {
            cols.iter()
                .map(|c| c.map_or(Vec::new(), |c| self.group_tasks(&c.tasks)))
                .collect()
        });
        let notes = any(&|c| c.notes.is_some()).then(|| {
            cols.iter()
                .map(|c| {
                    c.and_then(|c| c.notes.as_ref())
                        .map_or(String::new(), |n| self.inline(&n.value))
                })
                .collect()
        });
        JourneyTable {
            id: j.id.to_string(),
            name: self.journey_name(j),
            url: self.urls.journey(j.id.as_str()),
            persona: self.persona_link(&j.persona.value),
            frame: self.frame.clone(),
            cells,
            experience,
            touchpoints,
            emotion,
            tasks,
            notes,
            task_html,
        }
    }

    /// A stage column's tasks grouped by department, in order of first appearance.
    fn group_tasks(&self, tasks: &[crate::model::Task]) -> Vec<TaskGroup> {
        let mut groups: Vec<TaskGroup> = Vec::new();
        for (i, t) in tasks.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            match groups
                .iter_mut()
                .find(|g| g.department.id == t.department.value.as_str())
            {
                Some(g) => g.tasks.push(i),
                None => groups.push(TaskGroup {
                    department: self.shared_department_link(&t.department.value),
                    tasks: vec![i],
                }),
            }
        }
        groups
    }

    /// A department's link, shared (every table's task groups point at the same one).
    fn shared_department_link(&self, id: &Id) -> std::sync::Arc<Link> {
        match self.department_arcs.get(id) {
            Some(l) => l.clone(),
            None => std::sync::Arc::new(self.department_link(id)),
        }
    }
}
