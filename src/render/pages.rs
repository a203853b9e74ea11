//! One function per kind of page: build its context, render its template.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::context::{JourneyTable, Link, LinkRef, PageMeta, Shared, SiteCtx, TaskCtx};
use super::labels::labels;
use super::markdown::Heading;
use super::native::{self, Native};
use super::svg;
use super::templates::Templates;
use super::templates::error_chain;
use super::{OutputFile, RenderError};
use crate::model::{Id, PageRefKind, Site};

pub(super) type Labels = BTreeMap<&'static str, &'static str>;

/// What every template gets: `site`, `t` (labels), `page`, and the page's own data.
#[derive(Serialize)]
struct Page<'a, T: Serialize> {
    site: &'a SiteCtx,
    t: &'a Labels,
    page: PageMeta,
    #[serde(flatten)]
    data: T,
}

/// One page of the site.
#[derive(Clone, Copy, Debug)]
enum Job<'a> {
    Home,
    NotFound,
    Print,
    Glossary,
    Onboarding,
    Persona(&'a Id),
    Journey(&'a Id),
    Stage(usize),
    Department(&'a Id),
    Playbook(&'a Id),
    Changes,
    /// The persona, journey, print, stage and department pages, in one pass.
    Stream,
}

fn index_path(folder: &str, id: &str) -> String {
    format!("{folder}/{id}/index.html")
}

/// Journey tables, each computed the first time a page needs it and then shared by the
/// journey, persona and print pages.
pub struct TableCache {
    tables: BTreeMap<Id, (OnceLock<JourneyTable>, OnceLock<Result<String, String>>)>,
}

impl TableCache {
    pub fn new(site: &Site) -> TableCache {
        TableCache {
            tables: site
                .journeys
                .keys()
                .map(|k| (k.clone(), (OnceLock::new(), OnceLock::new())))
                .collect(),
        }
    }
}

/// A journey on a page that shows several (persona, print): its names and its table's HTML,
/// rendered once through `journey_table.html` and shared.
#[derive(Serialize)]
pub(super) struct JourneyRef<'b> {
    id: &'b str,
    name: &'b str,
    url: &'b str,
    persona: &'b Link,
    pub html: std::borrow::Cow<'b, str>,
}

/// Receives the print page: its path and what writes it.
type PrintEmit<'e> = dyn FnMut(&str, &mut super::Contents<'_>) -> Result<(), RenderError> + 'e;

/// Renders any page of one site; used for whole builds (every page, in parallel) and by
/// `serve` (one page when it is asked for).
pub struct SiteRenderer<'a> {
    pub(super) sh: Shared<'a>,
    tera: &'a Tera,
    pub(super) native: Native,
    pub(super) t: Labels,
    tables: &'a TableCache,
    changes: Option<&'a super::ChangesPage>,
}

pub fn render_pages(
    site: &Site,
    templates: &Templates,
    base: &str,
    changes: Option<&super::ChangesPage>,
    sink: &super::Sink<'_>,
) -> Result<usize, RenderError> {
    let cache = TableCache::new(site);
    let mut r = SiteRenderer::new(site, templates, base, &cache);
    r.changes = changes;
    if changes.is_some() {
        r.sh.site_ctx.changes_url = Some(format!("{base}changes/"));
    }
    // With the built-in persona, journey, print, stage and department pages, those are
    // written in one pass that keeps no table (`stream.rs`); the other pages beside it.
    let streamed = r.native.streams();
    let mut jobs = r.jobs();
    if streamed {
        jobs.retain(|j| {
            !matches!(
                j,
                Job::Print | Job::Persona(_) | Job::Journey(_) | Job::Stage(_) | Job::Department(_)
            )
        });
        jobs.insert(0, Job::Stream);
    }
    if changes.is_some() {
        jobs.push(Job::Changes);
    }
    let profile = crate::profile::enabled();
    jobs.par_iter()
        .map(|j| {
            if let Job::Stream = j {
                return r.stream(sink);
            }
            let t = std::time::Instant::now();
            let (path, size) = r.render_into(j, sink)?;
            if profile {
                eprintln!(
                    "{:>8.1} ms {:>10} B {}",
                    t.elapsed().as_secs_f64() * 1e3,
                    size,
                    path
                );
            }
            Ok(1)
        })
        .sum()
}

impl<'a> SiteRenderer<'a> {
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        base: &str,
        tables: &'a TableCache,
    ) -> SiteRenderer<'a> {
        SiteRenderer {
            t: labels(site.config.language),
            sh: Shared::new(site, base),
            tera: &templates.tera,
            native: templates.native,
            tables,
            changes: None,
        }
    }

    fn jobs(&self) -> Vec<Job<'a>> {
        let site = self.sh.site;
        let mut jobs = vec![Job::Home, Job::NotFound, Job::Print];
        if site.glossary.is_some() {
            jobs.push(Job::Glossary);
        }
        if site.onboarding.is_some() {
            jobs.push(Job::Onboarding);
        }
        jobs.extend(site.personas.keys().map(Job::Persona));
        jobs.extend(site.journeys.keys().map(Job::Journey));
        jobs.extend((0..site.config.stages.len()).map(Job::Stage));
        jobs.extend(site.departments.keys().map(Job::Department));
        jobs.extend(site.playbooks.keys().map(Job::Playbook));
        jobs
    }

    /// The page at an output path (`index.html`, `personas/<id>/index.html`, …), rendered;
    /// `None` when the site has no such page.
    pub fn render_path(&self, path: &str) -> Option<Result<OutputFile, RenderError>> {
        if path == crate::search::INDEX_PATH {
            let bytes = crate::search::build_index(self.sh.site, &self.sh.urls);
            return Some(Ok(OutputFile {
                path: path.to_string(),
                bytes,
            }));
        }
        let job = self.job_for(path)?;
        Some(self.render(&job))
    }

    /// Whether the site has a page at this output path.
    pub fn has_path(&self, path: &str) -> bool {
        path == crate::search::INDEX_PATH || self.job_for(path).is_some()
    }

    fn job_for(&self, path: &str) -> Option<Job<'a>> {
        let site = self.sh.site;
        let job = match path {
            "index.html" => Job::Home,
            "404.html" => Job::NotFound,
            "print/index.html" => Job::Print,
            "glossary/index.html" if site.glossary.is_some() => Job::Glossary,
            "onboarding/index.html" if site.onboarding.is_some() => Job::Onboarding,
            _ => {
                let rest = path.strip_suffix("/index.html")?;
                let (folder, id) = rest.split_once('/')?;
                let id = Id::lookup(id);
                match folder {
                    "personas" => Job::Persona(site.personas.get_key_value(&id)?.0),
                    "journeys" => Job::Journey(site.journeys.get_key_value(&id)?.0),
                    "departments" => Job::Department(site.departments.get_key_value(&id)?.0),
                    "playbooks" => Job::Playbook(site.playbooks.get_key_value(&id)?.0),
                    "stages" => Job::Stage(site.stage_index(id.as_str())?),
                    _ => return None,
                }
            }
        };
        Some(job)
    }

    fn table(&self, id: &Id) -> Option<&JourneyTable> {
        let j = self.sh.site.journeys.get(id)?;
        Some(
            self.tables
                .tables
                .get(id)?
                .0
                .get_or_init(|| self.sh.journey_table(j)),
        )
    }

    /// The journey with its table's HTML, for pages that embed tables.
    fn journey_ref(&self, id: &Id) -> Result<Option<JourneyRef<'_>>, RenderError> {
        let Some(table) = self.table(id) else {
            return Ok(None);
        };
        let reference = |html| JourneyRef {
            id: &table.id,
            name: &table.name,
            url: &table.url,
            persona: &table.persona,
            html,
        };
        // Written in Rust, the table is rendered again for each page that shows it (the
        // persona page and the print page) rather than kept: on a large site the HTML of
        // every table would be hundreds of megabytes.
        if self.native.table {
            let mut out = String::with_capacity(32 * 1024);
            native::journey_table(&mut out, table, &self.t, false);
            out.push('\n');
            return Ok(Some(reference(std::borrow::Cow::Owned(out))));
        }
        let Some(slot) = self.tables.tables.get(id) else {
            return Ok(None);
        };
        let html = slot.1.get_or_init(|| {
            #[derive(Serialize)]
            struct Ctx<'c> {
                journey: &'c JourneyTable,
                t: &'c Labels,
            }
            Context::from_serialize(Ctx {
                journey: table,
                t: &self.t,
            })
            .and_then(|ctx| self.tera.render("journey_table.html", &ctx))
            .map_err(|e| format!("journey_table.html (for journey {id}): {}", error_chain(&e)))
        });
        match html {
            Ok(h) => Ok(Some(reference(std::borrow::Cow::Borrowed(h)))),
            Err(e) => Err(RenderError::Template(e.clone())),
        }
    }

    /// A persona's journey tables, in journey order.
    fn tables_of(&self, persona: &Id) -> Vec<&JourneyTable> {
        self.sh
            .journeys_of(persona)
            .iter()
            .filter_map(|j| self.table(&j.id))
            .collect()
    }

    fn journey_refs(&self, persona: &Id) -> Result<Vec<JourneyRef<'_>>, RenderError> {
        let mut out = Vec::new();
        for j in self.sh.journeys_of(persona) {
            if let Some(r) = self.journey_ref(&j.id)? {
                out.push(r);
            }
        }
        Ok(out)
    }
}

impl SiteRenderer<'_> {
    /// Renders a page and hands it to the sink at once, so pages are not all held in
    /// memory; the print page goes in parts. Returns its path and size.
    fn render_into(
        &self,
        job: &Job<'_>,
        sink: &super::Sink<'_>,
    ) -> Result<(String, usize), RenderError> {
        if let Job::Print = job {
            let mut path = String::new();
            let mut size = 0;
            self.print(&mut |p, contents| {
                path = p.to_string();
                sink(p, &mut |w| {
                    let mut counted = crate::output::Counting::new(w);
                    let r = contents(&mut counted);
                    size = counted.written();
                    r
                })
            })?;
            return Ok((path, size));
        }
        let out = self.render(job)?;
        super::put(sink, &out.path, &out.bytes)?;
        Ok((out.path, out.bytes.len()))
    }

    fn render(&self, job: &Job<'_>) -> Result<OutputFile, RenderError> {
        let site = self.sh.site;
        match job {
            Job::Home => self.home(),
            Job::NotFound => self.page(
                "404.html",
                "404.html",
                self.meta(
                    self.t["not_found_title"],
                    "404",
                    self.sh.urls.home(),
                    vec![],
                ),
                (),
            ),
            Job::Print => {
                let mut file = None;
                self.print(&mut |path, contents| {
                    let mut bytes = Vec::new();
                    contents(&mut bytes).map_err(|e| RenderError::Io {
                        path: path.into(),
                        source: e,
                    })?;
                    file = Some(OutputFile {
                        path: path.to_string(),
                        bytes,
                    });
                    Ok(())
                })?;
                file.ok_or_else(|| RenderError::Template("no print page".into()))
            }
            Job::Glossary => self.glossary(),
            Job::Onboarding => self.onboarding(),
            Job::Persona(id) => self.persona(&site.personas[*id]),
            Job::Journey(id) => self.journey(&site.journeys[*id]),
            Job::Stage(i) => self.stage(*i),
            Job::Department(id) => self.department(&site.departments[*id]),
            Job::Playbook(id) => self.playbook(&site.playbooks[*id]),
            Job::Changes => self.changes_page(),
            // Not one page: `render_pages` runs it itself, and paths never name it.
            Job::Stream => Err(RenderError::Template(
                "the streamed pages are not one page".into(),
            )),
        }
    }

    fn meta(
        &self,
        title: &str,
        kind: &'static str,
        url: String,
        mut crumbs: Vec<Link>,
    ) -> PageMeta {
        if kind != "home" {
            crumbs.insert(
                0,
                Link {
                    id: String::new(),
                    name: self.t["home"].to_string(),
                    url: self.sh.urls.home(),
                },
            );
        }
        PageMeta {
            title: title.to_string(),
            kind,
            url,
            breadcrumbs: crumbs,
        }
    }

    fn section(&self, label: &str, anchor: &str) -> Link {
        Link {
            id: String::new(),
            name: self.t[label].to_string(),
            url: format!("{}#{anchor}", self.sh.urls.home()),
        }
    }

    fn page<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        meta: PageMeta,
        data: T,
    ) -> Result<OutputFile, RenderError> {
        let page = Page {
            site: &self.sh.site_ctx,
            t: &self.t,
            page: meta,
            data,
        };
        let ctx =
            Context::from_serialize(&page).map_err(|e| RenderError::Template(error_chain(&e)))?;
        let html = self.tera.render(template, &ctx).map_err(|e| {
            RenderError::Template(format!("{template} (for {path}): {}", error_chain(&e)))
        })?;
        Ok(OutputFile {
            path: path.to_string(),
            bytes: html.into_bytes(),
        })
    }

    /// A page whose content block was written by [`native`], in the built-in `base.html`
    /// shell (also written there).
    /// A page written in Rust whose content comes in parts: streamed to `sink` part by part
    /// when there is one (`None` is returned), else held whole.
    fn shell_to(
        &self,
        path: &str,
        meta: PageMeta,
        sink: Option<&super::Sink<'_>>,
        content: &mut dyn FnMut(&mut String, &mut native::Flush<'_>) -> std::io::Result<()>,
    ) -> Result<Option<OutputFile>, RenderError> {
        let Some(sink) = sink else {
            // Held whole, nothing is handed on (and so nothing can fail to be).
            let mut written = Ok(());
            let page = self.shell(path, meta, |o| written = content(o, &mut |_| Ok(())))?;
            written.map_err(|e| RenderError::Template(e.to_string()))?;
            return Ok(Some(page));
        };
        let (head, tail) = native::shell(&self.sh.site_ctx, &self.t, &meta);
        sink(path, &mut |w| {
            w.write_all(head.as_bytes())?;
            let mut part = String::with_capacity(320 * 1024);
            content(&mut part, &mut |p: &mut String| {
                w.write_all(p.as_bytes())?;
                p.clear();
                Ok(())
            })?;
            w.write_all(part.as_bytes())?;
            w.write_all(tail.as_bytes())
        })?;
        Ok(None)
    }

    /// The content is written straight after the shell's head, into the page's one buffer,
    /// not into its own and then copied.
    fn shell(
        &self,
        path: &str,
        meta: PageMeta,
        content: impl FnOnce(&mut String),
    ) -> Result<OutputFile, RenderError> {
        let (mut page, tail) = native::shell(&self.sh.site_ctx, &self.t, &meta);
        content(&mut page);
        page.push_str(&tail);
        Ok(OutputFile {
            path: path.to_string(),
            bytes: page.into_bytes(),
        })
    }

    fn home(&self) -> Result<OutputFile, RenderError> {
        let site = self.sh.site;
        let mut phases: Vec<PhaseGroup> = Vec::new();
        let mut last: Option<Option<&Id>> = None;
        for s in &site.config.stages {
            let p = s.phase.as_ref().map(|p| &p.value);
            let card = StageCard {
                stage: self.sh.stage_link(&s.id.value),
                summary: s.summary.as_ref().map(|x| x.value.clone()),
                owner: s.owner.as_ref().map(|o| self.sh.department_link(&o.value)),
            };
            if last == Some(p) {
                if let Some(g) = phases.last_mut() {
                    g.stages.push(card);
                }
            } else {
                let name = p
                    .and_then(|p| site.phase(p.as_str()))
                    .map(|ph| ph.name.value.clone());
                phases.push(PhaseGroup {
                    name,
                    stages: vec![card],
                });
            }
            last = Some(p);
        }
        let personas = site
            .personas
            .values()
            .map(|p| PersonaCard {
                persona: self.sh.persona_link(&p.id),
                role: p.role.as_ref().map(|r| r.value.clone()),
                summary: p.summary.as_ref().map(|r| r.value.clone()),
                journeys: self
                    .sh
                    .journeys_of(&p.id)
                    .iter()
                    .map(|j| self.sh.journey_link(j))
                    .collect(),
            })
            .collect();
        let departments = site
            .departments
            .values()
            .map(|d| DepartmentCard {
                department: self.sh.department_link(&d.id),
                kpis: d.kpis.iter().map(|k| k.value.clone()).collect(),
            })
            .collect();
        let meta = self.meta(
            &site.config.title.value,
            "home",
            self.sh.urls.home(),
            vec![],
        );
        let data = Home {
            phases,
            personas,
            departments,
        };
        if self.native.home {
            let content =
                |o: &mut String| native::home_content(o, &self.sh.site_ctx, &data, &self.t);
            return self.shell("index.html", meta, &content);
        }
        self.page("index.html", "index.html", meta, data)
    }

    fn persona(&self, p: &crate::model::Persona) -> Result<OutputFile, RenderError> {
        #[derive(Serialize)]
        struct PersonaPage<'b> {
            persona: PersonaCtx,
            journeys: Vec<JourneyRef<'b>>,
        }
        if self.native.persona {
            return self.persona_page(p, &self.tables_of(&p.id));
        }
        let meta = self.meta(
            &p.name.value,
            "persona",
            self.sh.urls.persona(p.id.as_str()),
            vec![self.section("personas", "personas")],
        );
        let path = index_path("personas", p.id.as_str());
        let journeys = self.journey_refs(&p.id)?;
        self.page(
            "persona.html",
            &path,
            meta,
            PersonaPage {
                persona: self.persona_ctx(p, ""),
                journeys,
            },
        )
    }

    /// The persona page written in Rust, from the persona's journey tables.
    pub(super) fn persona_page(
        &self,
        p: &crate::model::Persona,
        tables: &[&JourneyTable],
    ) -> Result<OutputFile, RenderError> {
        let ctx = self.persona_ctx(p, "");
        let tables = native::tables_html(tables, &self.t);
        self.persona_page_with(p, &ctx, &tables)
    }

    /// The persona page written in Rust, from its context and its tables' HTML.
    pub(super) fn persona_page_with(
        &self,
        p: &crate::model::Persona,
        ctx: &PersonaCtx,
        tables: &[String],
    ) -> Result<OutputFile, RenderError> {
        let meta = self.meta(
            &p.name.value,
            "persona",
            self.sh.urls.persona(p.id.as_str()),
            vec![self.section("personas", "personas")],
        );
        let path = index_path("personas", p.id.as_str());
        let content = |o: &mut String| native::persona_content(o, ctx, tables, &self.t);
        self.shell(&path, meta, content)
    }

    /// A persona on the print page: its headings' ids prefixed.
    pub(super) fn print_persona_ctx(&self, p: &crate::model::Persona) -> PersonaCtx {
        self.persona_ctx(p, &format!("persona-{}-", p.id))
    }

    /// A persona for its page and for the print page, its body parsed once.
    pub(super) fn persona_ctx_pair(&self, p: &crate::model::Persona) -> (PersonaCtx, PersonaCtx) {
        let print_prefix = format!("persona-{}-", p.id);
        let [page, print] = super::markdown::render_block_prefixes(
            &p.body.value,
            &self.sh.urls,
            ["", &print_prefix],
        );
        (
            self.persona_ctx_from(p, page.html, page.headings),
            self.persona_ctx_from(p, print.html, print.headings),
        )
    }

    fn persona_ctx(&self, p: &crate::model::Persona, prefix: &str) -> PersonaCtx {
        let (body, headings) = self.sh.block_prefixed(&p.body.value, prefix);
        self.persona_ctx_from(p, body, headings)
    }

    fn persona_ctx_from(
        &self,
        p: &crate::model::Persona,
        body: String,
        headings: Vec<super::markdown::Heading>,
    ) -> PersonaCtx {
        PersonaCtx {
            id: p.id.to_string(),
            name: p.name.value.clone(),
            url: self.sh.urls.persona(p.id.as_str()),
            role: p.role.as_ref().map(|x| x.value.clone()),
            summary: p.summary.as_ref().map(|x| x.value.clone()),
            company: p.company.as_ref().map(|x| x.value.clone()),
            goals: p.goals.iter().map(|x| x.value.clone()).collect(),
            concerns: p.concerns.iter().map(|x| x.value.clone()).collect(),
            body,
            headings,
        }
    }

    fn journey(&self, j: &crate::model::Journey) -> Result<OutputFile, RenderError> {
        #[derive(Serialize)]
        struct JourneyPage<'b> {
            journey: &'b JourneyTable,
        }
        let Some(table) = self.table(&j.id) else {
            return Err(RenderError::Template(format!("no journey {}", j.id)));
        };
        if self.native.journey {
            return self.journey_page(j, table);
        }
        let crumbs = vec![self.section("personas", "personas"), table.persona.clone()];
        let meta = self.meta(&table.name, "journey", table.url.clone(), crumbs);
        let path = index_path("journeys", j.id.as_str());
        self.page("journey.html", &path, meta, JourneyPage { journey: table })
    }

    /// The journey page written in Rust, from its table.
    pub(super) fn journey_page(
        &self,
        j: &crate::model::Journey,
        table: &JourneyTable,
    ) -> Result<OutputFile, RenderError> {
        let crumbs = vec![self.section("personas", "personas"), table.persona.clone()];
        let meta = self.meta(&table.name, "journey", table.url.clone(), crumbs);
        let path = index_path("journeys", j.id.as_str());
        let content = |o: &mut String| native::journey_content(o, table, &self.t);
        self.shell(&path, meta, content)
    }

    fn stage(&self, i: usize) -> Result<OutputFile, RenderError> {
        // Cells, tasks and links come from the journey tables, rendered once.
        let site = self.sh.site;
        let ki = self.key_row_index();
        let tables: Vec<(&crate::model::Journey, &JourneyTable)> = site
            .journeys
            .values()
            .filter_map(|j| Some((&**j, self.table(&j.id)?)))
            .collect();
        // Every journey's cells at the stage, row after row, in one list.
        let rows = site.config.rows.len();
        let cells: Vec<&str> = tables
            .iter()
            .flat_map(|(_, t)| {
                (0..rows).map(move |r| {
                    t.cells
                        .get(r)
                        .and_then(|row| row.get(i))
                        .map_or("", String::as_str)
                })
            })
            .collect();
        let slices: Vec<Slice<'_>> = tables
            .iter()
            .enumerate()
            .map(|(k, &(j, t))| {
                // `rows` cells per journey (none at all for a site without rows).
                let cells = cells.get(k * rows..(k + 1) * rows).unwrap_or(&[]);
                let filled = self.key_filled(j);
                Slice {
                    journey: j,
                    link: t.link_ref(),
                    persona: t.persona.as_ref(),
                    cells,
                    key: ki.and_then(|k| cells.get(k)).copied().unwrap_or(""),
                    key_before: ki
                        .zip(i.checked_sub(1))
                        .and_then(|(k, p)| t.cells.get(k)?.get(p).map(String::as_str)),
                    key_filled: filled.get(i).copied().unwrap_or(false),
                    key_filled_before: i
                        .checked_sub(1)
                        .and_then(|p| filled.get(p).copied())
                        .unwrap_or(false),
                    tasks: t.task_html.get(i).map_or(&[], Vec::as_slice),
                    source: None,
                }
            })
            .collect();
        self.stage_page(i, &slices, None, None)?
            .ok_or_else(|| RenderError::Template("no stage page".into()))
    }

    /// Whether a journey's key factor cell has text, at each stage in stage order.
    pub(super) fn key_filled(&self, j: &crate::model::Journey) -> Vec<bool> {
        let key_row = self.sh.key_factor_row();
        self.sh
            .site
            .config
            .stages
            .iter()
            .map(|s| {
                key_row
                    .and_then(|k| j.stage(s.id.value.as_str())?.cell(k.as_str()))
                    .is_some_and(|c| !c.text.value.trim().is_empty())
            })
            .collect()
    }

    /// The department of a slice's `k`th task at `stage`: known from the task itself, or,
    /// for a department the site does not have, read from the journey.
    fn task_department<'s>(
        &'s self,
        x: &Slice<'s>,
        stage: &Id,
        k: usize,
        task: &TaskCtx<'_>,
    ) -> Option<&'s Id> {
        match self.sh.department_id(task.department) {
            Some(id) => Some(id),
            None => Some(
                &x.journey
                    .stage(stage.as_str())?
                    .tasks
                    .get(k)?
                    .department
                    .value,
            ),
        }
    }

    /// The position of the key factor row among the rows.
    pub(super) fn key_row_index(&self) -> Option<usize> {
        let key_row = self.sh.key_factor_row()?;
        self.sh
            .site
            .config
            .rows
            .iter()
            .position(|r| r.id.value == *key_row)
    }

    /// The stage page from every journey's slice at that stage, in journey order. With
    /// `rows_from`, the table's cells are not in the slices but given row by row as the page
    /// is written (the built-in template only): a whole build reads them from a spill a row
    /// at a time (`stream.rs`).
    pub(super) fn stage_page(
        &self,
        i: usize,
        slices: &[Slice<'_>],
        sink: Option<&super::Sink<'_>>,
        mut rows_from: Option<&mut RowCells<'_>>,
    ) -> Result<Option<OutputFile>, RenderError> {
        if rows_from.is_some() && !self.native.stage {
            // `stream.rs` gives rows one at a time only to the built-in template.
            return Err(RenderError::Template(
                "a stage page's rows were given one at a time to a template".into(),
            ));
        }
        let site = self.sh.site;
        let stages = &site.config.stages;
        let s = &stages[i];
        let ki = self.key_row_index();
        // The key factor cells of the journeys that wrote one at this stage or the one
        // before (none where the site has no key factor row).
        let factors = |before: bool| -> Vec<Factor> {
            if ki.is_none() {
                return Vec::new();
            }
            slices
                .iter()
                .filter(|x| {
                    if before {
                        x.key_filled_before
                    } else {
                        x.key_filled
                    }
                })
                .map(|x| Factor {
                    journey: x.link,
                    persona: x.persona,
                    html: if before {
                        x.key_before.unwrap_or("")
                    } else {
                        x.key
                    },
                })
                .collect()
        };
        let enter = if i > 0 { factors(true) } else { Vec::new() };
        let leave = factors(false);
        let columns = slices
            .iter()
            .map(|x| Column {
                journey: x.link,
                persona: x.persona,
            })
            .collect();
        let rows = site
            .config
            .rows
            .iter()
            .enumerate()
            .map(|(ri, r)| StageRow {
                name: &r.name.value,
                cells: if rows_from.is_some() {
                    Vec::new()
                } else {
                    slices
                        .iter()
                        .map(|x| x.cells.get(ri).copied().unwrap_or(""))
                        .collect()
                },
            })
            .collect();
        // Every task at this stage, by department, each with the journey it comes from.
        let mut tasks: Vec<DepartmentTasksWithJourney> = Vec::new();
        // How many tasks each department has here (tasks of unknown departments last), so
        // that each list is made at its size once: 30,000 tasks on a 10,000-persona site.
        let known = site.departments.len();
        let mut counts = vec![0usize; known + 1];
        for t in slices.iter().flat_map(|x| x.tasks) {
            counts[(t.department as usize).min(known)] += 1;
        }
        for x in slices {
            for (k, pre) in x.tasks.iter().enumerate() {
                let Some(department) = self.task_department(x, &s.id.value, k, pre) else {
                    continue;
                };
                let item = TaskWithJourney {
                    html: &pre.html,
                    kpi: pre.kpi.as_deref(),
                    journey: x.link,
                    persona: x.persona,
                    source: x.source,
                };
                match tasks
                    .iter_mut()
                    .find(|g| g.department.id == department.as_str())
                {
                    Some(g) => g.tasks.push(item),
                    None => {
                        let mut list =
                            Vec::with_capacity(counts[(pre.department as usize).min(known)]);
                        list.push(item);
                        tasks.push(DepartmentTasksWithJourney {
                            department: self.sh.department_link(department),
                            tasks: list,
                        });
                    }
                }
            }
        }
        tasks.sort_by(|a, b| a.department.id.cmp(&b.department.id));
        let playbooks = site
            .playbooks_of(&s.id.value)
            .into_iter()
            .map(|p| PlaybookCard {
                playbook: self.sh.playbook_link(p),
                departments: self.sh.department_links(&p.departments),
            })
            .collect();
        let data = StagePage {
            stage: self.stage_ctx(s),
            previous: i
                .checked_sub(1)
                .map(|p| self.sh.stage_link(&stages[p].id.value)),
            next: stages.get(i + 1).map(|n| self.sh.stage_link(&n.id.value)),
            enter,
            leave,
            columns,
            rows,
            tasks,
            playbooks,
        };
        let meta = self.meta(
            &s.name.value,
            "stage",
            self.sh.urls.stage(s.id.value.as_str()),
            vec![self.section("stages", "stages")],
        );
        let path = index_path("stages", s.id.value.as_str());
        if self.native.stage {
            return self.shell_to(&path, meta, sink, &mut |o, flush| {
                native::stage_content(o, &data, &self.t, flush, rows_from.as_deref_mut())
            });
        }
        self.page("stage.html", &path, meta, data).map(Some)
    }

    fn stage_ctx(&self, s: &crate::model::Stage) -> StageCtx {
        StageCtx {
            id: s.id.value.to_string(),
            name: s.name.value.clone(),
            url: self.sh.urls.stage(s.id.value.as_str()),
            summary: s.summary.as_ref().map(|x| x.value.clone()),
            phase: s
                .phase
                .as_ref()
                .and_then(|p| self.sh.site.phase(p.value.as_str()))
                .map(|p| p.name.value.clone()),
            owner: s.owner.as_ref().map(|o| self.sh.department_link(&o.value)),
        }
    }

    fn department(&self, d: &crate::model::Department) -> Result<OutputFile, RenderError> {
        let site = self.sh.site;
        let mut stages = Vec::new();
        for si in 0..site.config.stages.len() {
            let mut personas = Vec::new();
            for j in site.journeys.values() {
                let Some(table) = self.table(&j.id) else {
                    continue;
                };
                let Some(html) = table.task_html.get(si) else {
                    continue;
                };
                personas.push(Slice {
                    journey: j,
                    link: table.link_ref(),
                    persona: table.persona.as_ref(),
                    cells: &[],
                    key: "",
                    key_before: None,
                    key_filled: false,
                    key_filled_before: false,
                    tasks: html,
                    source: None,
                });
            }
            stages.push(personas);
        }
        self.department_page(d, &stages, None)?
            .ok_or_else(|| RenderError::Template("no department page".into()))
    }

    /// The department page from every journey's slice (only its tasks are read) at each
    /// stage, in stage order, then journey order.
    pub(super) fn department_page(
        &self,
        d: &crate::model::Department,
        stages: &[Vec<Slice<'_>>],
        sink: Option<&super::Sink<'_>>,
    ) -> Result<Option<OutputFile>, RenderError> {
        let site = self.sh.site;
        let mut tasks_by_stage = Vec::new();
        let index = self.sh.department_index(&d.id);
        for (s, slices) in site.config.stages.iter().zip(stages) {
            let mut personas = Vec::new();
            for x in slices {
                // Only this department's tasks: one group at most. (`d` is one of the
                // site's departments, so a task of a department the site does not have,
                // `NO_DEPARTMENT`, is never among them.)
                let tasks: Vec<&TaskCtx> =
                    x.tasks.iter().filter(|t| t.department == index).collect();
                if tasks.is_empty() {
                    continue;
                }
                personas.push(PersonaTasks {
                    persona: x.persona,
                    journey: x.link,
                    tasks,
                });
            }
            if !personas.is_empty() {
                tasks_by_stage.push(StageTasks {
                    stage: self.sh.stage_link(&s.id.value),
                    personas,
                });
            }
        }
        let data = DepartmentPage {
            department: self.department_ctx(d, ""),
            clients: self.sh.department_links(&d.clients),
            suppliers: self.sh.department_links(&d.suppliers),
            chain_svg: svg::department_chain(
                &site.departments,
                Some(&d.id),
                |id| self.sh.urls.department(id.as_str()),
                self.t["department_chain"],
            ),
            stages_owned: site
                .config
                .stages
                .iter()
                .filter(|s| s.owner.as_ref().is_some_and(|o| o.value == d.id))
                .map(|s| self.sh.stage_link(&s.id.value))
                .collect(),
            tasks_by_stage,
            playbooks: site
                .playbooks
                .values()
                .filter(|p| p.departments.iter().any(|x| x.value == d.id))
                .map(|p| self.sh.playbook_link(p))
                .collect(),
        };
        let meta = self.meta(
            &d.name.value,
            "department",
            self.sh.urls.department(d.id.as_str()),
            vec![self.section("departments", "departments")],
        );
        let path = index_path("departments", d.id.as_str());
        if self.native.department {
            return self.shell_to(&path, meta, sink, &mut |o, flush| {
                native::department_content(o, &data, &self.t, flush)
            });
        }
        self.page("department.html", &path, meta, data).map(Some)
    }

    fn department_ctx(&self, d: &crate::model::Department, prefix: &str) -> DepartmentCtx {
        let (body, headings) = self.sh.block_prefixed(&d.body.value, prefix);
        DepartmentCtx {
            id: d.id.to_string(),
            name: d.name.value.clone(),
            kpis: d.kpis.iter().map(|k| k.value.clone()).collect(),
            body,
            headings,
        }
    }

    fn playbook_ctx(&self, p: &crate::model::Playbook, prefix: &str) -> PlaybookCtx {
        let (body, headings) = self.sh.block_prefixed(&p.body.value, prefix);
        PlaybookCtx {
            id: p.id.to_string(),
            title: p.title.value.clone(),
            url: self.sh.urls.playbook(p.id.as_str()),
            stage: self.sh.stage_link(&p.stage.value),
            departments: self.sh.department_links(&p.departments),
            personas: p
                .personas
                .iter()
                .map(|d| self.sh.persona_link(&d.value))
                .collect(),
            body,
            headings,
        }
    }

    fn playbook(&self, p: &crate::model::Playbook) -> Result<OutputFile, RenderError> {
        #[derive(Serialize)]
        struct PlaybookPage {
            playbook: PlaybookCtx,
            previous: Option<Link>,
            next: Option<Link>,
        }
        let in_stage = self.sh.site.playbooks_of(&p.stage.value);
        let pos = in_stage.iter().position(|x| x.id == p.id).unwrap_or(0);
        let ctx = self.playbook_ctx(p, "");
        let crumbs = vec![self.section("stages", "stages"), ctx.stage.clone()];
        let meta = self.meta(&p.title.value, "playbook", ctx.url.clone(), crumbs);
        let data = PlaybookPage {
            previous: pos
                .checked_sub(1)
                .map(|i| self.sh.playbook_link(in_stage[i])),
            next: in_stage.get(pos + 1).map(|x| self.sh.playbook_link(x)),
            playbook: ctx,
        };
        self.page(
            "playbook.html",
            &index_path("playbooks", p.id.as_str()),
            meta,
            data,
        )
    }

    fn changes_page(&self) -> Result<OutputFile, RenderError> {
        #[derive(Serialize)]
        struct ChangesData<'b> {
            since: &'b str,
            count: usize,
            changes_html: &'b str,
        }
        let Some(c) = self.changes else {
            return Err(RenderError::Template("no changes page".into()));
        };
        let url = format!("{}changes/", self.sh.urls.base());
        let meta = self.meta(self.t["changes"], "changes", url, vec![]);
        self.page(
            "changes.html",
            "changes/index.html",
            meta,
            ChangesData {
                since: &c.since,
                count: c.count,
                changes_html: &c.html,
            },
        )
    }

    fn terms(&self) -> Vec<TermCtx> {
        let Some(g) = &self.sh.site.glossary else {
            return Vec::new();
        };
        let mut terms: Vec<&crate::model::Term> = g.terms.iter().collect();
        terms.sort_by(|a, b| {
            a.sort_key()
                .cmp(b.sort_key())
                .then_with(|| a.term.value.cmp(&b.term.value))
        });
        terms
            .into_iter()
            .map(|t| TermCtx {
                term: t.term.value.clone(),
                reading: t.reading.as_ref().map(|r| r.value.clone()),
                anchor: self.sh.urls.term_anchor(&t.term.value),
                html: self.sh.block(&t.definition.value).0,
            })
            .collect()
    }

    fn glossary(&self) -> Result<OutputFile, RenderError> {
        #[derive(Serialize)]
        struct GlossaryPage {
            terms: Vec<TermCtx>,
        }
        let meta = self.meta(
            self.t["glossary"],
            "glossary",
            self.sh.urls.glossary(),
            vec![],
        );
        self.page(
            "glossary.html",
            "glossary/index.html",
            meta,
            GlossaryPage {
                terms: self.terms(),
            },
        )
    }

    fn onboarding(&self) -> Result<OutputFile, RenderError> {
        #[derive(Serialize)]
        struct StepPage {
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
        let site = self.sh.site;
        let Some(o) = &site.onboarding else {
            return Err(RenderError::Template("no onboarding".into()));
        };
        let steps = o
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| Step {
                number: i + 1,
                title: s.title.value.clone(),
                note: s.note.as_ref().map(|n| self.sh.block(&n.value).0),
                pages: s
                    .pages
                    .iter()
                    .map(|p| {
                        let r = &p.value;
                        let link = match (&r.kind, &r.id) {
                            (PageRefKind::Persona, Some(id)) => self.sh.persona_link(id),
                            (PageRefKind::Stage, Some(id)) => self.sh.stage_link(id),
                            (PageRefKind::Department, Some(id)) => self.sh.department_link(id),
                            (PageRefKind::Journey, Some(id)) => site.journeys.get(id).map_or_else(
                                || Link {
                                    id: id.to_string(),
                                    name: id.to_string(),
                                    url: self.sh.urls.journey(id.as_str()),
                                },
                                |j| self.sh.journey_link(j),
                            ),
                            (PageRefKind::Playbook, Some(id)) => {
                                site.playbooks.get(id).map_or_else(
                                    || Link {
                                        id: id.to_string(),
                                        name: id.to_string(),
                                        url: self.sh.urls.playbook(id.as_str()),
                                    },
                                    |p| self.sh.playbook_link(p),
                                )
                            }
                            _ => Link {
                                id: String::new(),
                                name: self.t["glossary"].to_string(),
                                url: self.sh.urls.glossary(),
                            },
                        };
                        StepPage {
                            kind: r.kind.link_scheme(),
                            link,
                        }
                    })
                    .collect(),
            })
            .collect();
        let meta = self.meta(
            &o.title.value,
            "onboarding",
            self.sh.urls.onboarding(),
            vec![],
        );
        self.page(
            "onboarding.html",
            "onboarding/index.html",
            meta,
            OnboardingPage {
                title: o.title.value.clone(),
                steps,
            },
        )
    }

    fn print_meta(&self) -> PageMeta {
        self.meta(self.t["print_title"], "print", self.sh.urls.print(), vec![])
    }

    /// Everything of the print page but the personas.
    fn print_data<'p>(&self, personas: Vec<PrintPersona<'p>>) -> PrintPage<'p> {
        let site = self.sh.site;
        let departments = site
            .departments
            .values()
            .map(|d| PrintDepartment {
                department: self.department_ctx(d, &format!("department-{}-", d.id)),
                clients: self.sh.department_links(&d.clients),
                suppliers: self.sh.department_links(&d.suppliers),
            })
            .collect();
        let mut playbooks = Vec::new();
        for s in &site.config.stages {
            playbooks.extend(
                site.playbooks_of(&s.id.value)
                    .into_iter()
                    .map(|p| self.playbook_ctx(p, &format!("playbook-{}-", p.id))),
            );
        }
        PrintPage {
            personas,
            stages: site
                .config
                .stages
                .iter()
                .map(|s| self.stage_ctx(s))
                .collect(),
            departments,
            playbooks,
            terms: self.terms(),
        }
    }

    /// The print page written in Rust, but for its personas: what comes before them and
    /// what comes after.
    pub(super) fn print_frame(&self) -> PrintFrame {
        let (mut head, shell_tail) = native::shell(&self.sh.site_ctx, &self.t, &self.print_meta());
        native::print_head(&mut head, self.sh.site, &self.t);
        let mut tail = String::new();
        native::print_rest(&mut tail, &self.print_data(Vec::new()), &self.t);
        tail.push_str(&shell_tail);
        PrintFrame { head, tail }
    }

    /// The print page, handed to `emit` as parts to write one after the other.
    fn print(&self, emit: &mut PrintEmit<'_>) -> Result<(), RenderError> {
        let site = self.sh.site;
        const PATH: &str = "print/index.html";
        // Written in Rust, the personas and their tables are rendered while the page is
        // written, not gathered first.
        if self.native.print {
            let frame = self.print_frame();
            return emit(PATH, &mut |w| {
                const FLUSH: usize = 256 * 1024;
                let mut buf = String::with_capacity(FLUSH + 64 * 1024);
                w.write_all(frame.head.as_bytes())?;
                for p in site.personas.values() {
                    let ctx = self.print_persona_ctx(p);
                    let tables = native::tables_html(&self.tables_of(&p.id), &self.t);
                    native::print_persona(&mut buf, &ctx, &tables);
                    if buf.len() >= FLUSH {
                        w.write_all(buf.as_bytes())?;
                        buf.clear();
                    }
                }
                w.write_all(buf.as_bytes())?;
                w.write_all(frame.tail.as_bytes())
            });
        }
        let mut personas = Vec::new();
        for p in site.personas.values() {
            personas.push(PrintPersona {
                persona: self.print_persona_ctx(p),
                journeys: self.journey_refs(&p.id)?,
            });
        }
        let data = self.print_data(personas);
        let meta = self.print_meta();
        let page = self.page("print.html", PATH, meta, data)?;
        emit(PATH, &mut |w| w.write_all(&page.bytes))
    }
}

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

#[derive(Serialize)]
pub(super) struct StageCtx {
    pub id: String,
    pub name: String,
    pub url: String,
    pub summary: Option<String>,
    pub phase: Option<String>,
    pub owner: Option<Link>,
}

#[derive(Serialize)]
pub(super) struct DepartmentCtx {
    pub id: String,
    pub name: String,
    pub kpis: Vec<String>,
    pub body: String,
    pub headings: Vec<Heading>,
}

#[derive(Serialize)]
pub(super) struct PlaybookCtx {
    pub id: String,
    pub title: String,
    pub url: String,
    pub stage: Link,
    pub departments: Vec<Link>,
    pub personas: Vec<Link>,
    pub body: String,
    pub headings: Vec<Heading>,
}

#[derive(Serialize)]
pub(super) struct TermCtx {
    pub term: String,
    pub reading: Option<String>,
    pub anchor: String,
    pub html: String,
}

/// One journey's part of a stage page (or, tasks only, of a department page): its links,
/// and its cells and tasks at one stage, taken from its table or read back from a spill.
pub(super) struct Slice<'x> {
    pub journey: &'x crate::model::Journey,
    pub link: LinkRef<'x>,
    pub persona: LinkRef<'x>,
    /// Cell HTML by row, at the stage; empty where the stage page is given its rows one
    /// at a time ([`RowCells`]).
    pub cells: &'x [&'x str],
    /// The key factor cell at the stage, for the stage page's list of what moves customers
    /// on (`""` where the site has no key factor row).
    pub key: &'x str,
    /// The key factor cell at the stage before, for the stage page's list of what brought
    /// customers in.
    pub key_before: Option<&'x str>,
    /// Whether the journey's key factor cell has text at the stage, and at the stage before
    /// (which factors the stage page lists); read once, with the journey's table.
    pub key_filled: bool,
    pub key_filled_before: bool,
    /// The tasks at the stage, in file order.
    pub tasks: &'x [TaskCtx<'x>],
    /// The journey's page linked by the persona's name (where a stage page says where a
    /// task comes from), already written as HTML.
    pub source: Option<&'x str>,
}

#[derive(Serialize)]
pub(super) struct TaskWithJourney<'a> {
    pub html: &'a str,
    pub kpi: Option<&'a str>,
    pub journey: LinkRef<'a>,
    pub persona: LinkRef<'a>,
    /// [`Slice::source`].
    #[serde(skip)]
    pub source: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct DepartmentTasksWithJourney<'a> {
    pub department: Link,
    pub tasks: Vec<TaskWithJourney<'a>>,
}

#[derive(Serialize)]
pub(super) struct Factor<'a> {
    pub journey: LinkRef<'a>,
    pub persona: LinkRef<'a>,
    pub html: &'a str,
}

#[derive(Serialize)]
pub(super) struct Column<'a> {
    pub journey: LinkRef<'a>,
    pub persona: LinkRef<'a>,
}

/// Gives a stage page's cells one row at a time: called with a row's index and what
/// writes the row, it hands that the row's cells, one per journey in order.
pub(super) type RowCells<'r> =
    dyn FnMut(usize, &mut dyn FnMut(&[&str]) -> std::io::Result<()>) -> std::io::Result<()> + 'r;

#[derive(Serialize)]
pub(super) struct StageRow<'a> {
    pub name: &'a str,
    pub cells: Vec<&'a str>,
}

#[derive(Serialize)]
pub(super) struct PlaybookCard {
    pub playbook: Link,
    pub departments: Vec<Link>,
}

/// The data of `stage.html`.
#[derive(Serialize)]
pub(super) struct StagePage<'a> {
    pub stage: StageCtx,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub enter: Vec<Factor<'a>>,
    pub leave: Vec<Factor<'a>>,
    pub columns: Vec<Column<'a>>,
    pub rows: Vec<StageRow<'a>>,
    pub tasks: Vec<DepartmentTasksWithJourney<'a>>,
    pub playbooks: Vec<PlaybookCard>,
}

#[derive(Serialize)]
pub(super) struct PersonaTasks<'a> {
    pub persona: LinkRef<'a>,
    pub journey: LinkRef<'a>,
    pub tasks: Vec<&'a TaskCtx<'a>>,
}

#[derive(Serialize)]
pub(super) struct StageTasks<'a> {
    pub stage: Link,
    pub personas: Vec<PersonaTasks<'a>>,
}

/// The data of `department.html`.
#[derive(Serialize)]
pub(super) struct DepartmentPage<'a> {
    pub department: DepartmentCtx,
    pub clients: Vec<Link>,
    pub suppliers: Vec<Link>,
    pub chain_svg: String,
    pub stages_owned: Vec<Link>,
    pub tasks_by_stage: Vec<StageTasks<'a>>,
    pub playbooks: Vec<Link>,
}

/// The print page around its personas.
pub(super) struct PrintFrame {
    pub head: String,
    pub tail: String,
}

#[derive(Serialize)]
pub(super) struct PrintPersona<'b> {
    pub persona: PersonaCtx,
    pub journeys: Vec<JourneyRef<'b>>,
}

#[derive(Serialize)]
pub(super) struct PrintDepartment {
    pub department: DepartmentCtx,
    pub clients: Vec<Link>,
    pub suppliers: Vec<Link>,
}

/// The data of `print.html`.
#[derive(Serialize)]
pub(super) struct PrintPage<'b> {
    pub personas: Vec<PrintPersona<'b>>,
    pub stages: Vec<StageCtx>,
    pub departments: Vec<PrintDepartment>,
    pub playbooks: Vec<PlaybookCtx>,
    pub terms: Vec<TermCtx>,
}

#[derive(Serialize)]
pub(super) struct StageCard {
    pub stage: Link,
    pub summary: Option<String>,
    pub owner: Option<Link>,
}

#[derive(Serialize)]
pub(super) struct PhaseGroup {
    pub name: Option<String>,
    pub stages: Vec<StageCard>,
}

#[derive(Serialize)]
pub(super) struct PersonaCard {
    pub persona: Link,
    pub role: Option<String>,
    pub summary: Option<String>,
    pub journeys: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct DepartmentCard {
    pub department: Link,
    pub kpis: Vec<String>,
}

/// The data of `index.html`.
#[derive(Serialize)]
pub(super) struct Home {
    pub phases: Vec<PhaseGroup>,
    pub personas: Vec<PersonaCard>,
    pub departments: Vec<DepartmentCard>,
}
