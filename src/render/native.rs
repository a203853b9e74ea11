//! The built-in templates' biggest parts, written in Rust.
//!
//! Journey tables, persona, stage and department pages, the print page and the home page
//! repeat the same small pieces of markup tens of thousands of times on a large site;
//! through Tera each piece costs a context lookup by path, a clone and an allocation, and
//! these pages were most of a 2,000-persona build. Here they are written straight into
//! one buffer, and so is the page shell of `base.html` around them.
//!
//! The templates stay the reference: every function below produces exactly the bytes its
//! template produces from the same data, and `tests/native_render.rs` builds sites both
//! ways and compares every file. A site that overrides a template (or `macros.html`, which
//! they all use) gets that template through Tera, as always; a site with its own
//! `base.html` gets every page through Tera.

use super::context::{JourneyTable, Link, LinkRef, PageMeta, SiteCtx, TaskCtx};
use super::pages::{
    DepartmentPage, Home, Labels, PersonaCtx, PrintPage, StagePage, TaskWithJourney,
};
use crate::model::Site;

/// Which pages may be written by this module: those whose template (and `macros.html`)
/// the site does not override.
#[derive(Clone, Copy, Debug, Default)]
pub struct Native {
    pub home: bool,
    pub persona: bool,
    pub table: bool,
    pub journey: bool,
    pub stage: bool,
    pub department: bool,
    pub print: bool,
}

impl Native {
    /// Decides from the names of the templates a site overrides.
    ///
    /// A site's own `base.html` turns everything off: its shell may use any variable of the
    /// page's context (`stage`, `persona`, …), which only Tera's rendering of the whole page
    /// provides.
    pub fn for_overrides(overridden: &[String]) -> Native {
        let over = |n: &str| overridden.iter().any(|o| o == n);
        if over("macros.html") || over("base.html") {
            return Native::default();
        }
        // The persona and print pages embed `journey_table.html`; the journey page calls
        // the macro itself.
        let table = !over("journey_table.html");
        Native {
            home: !over("index.html"),
            persona: table && !over("persona.html"),
            table,
            journey: !over("journey.html"),
            stage: !over("stage.html"),
            department: !over("department.html"),
            print: table && !over("print.html"),
        }
    }
}

impl Native {
    /// Whether a whole build may write the persona, journey, print, stage and department
    /// pages in one pass (`stream.rs`): all of them written here.
    pub fn streams(&self) -> bool {
        self.persona && self.journey && self.print && self.stage && self.department
    }
}

/// Appends `s` escaped exactly as Tera's autoescape does.
pub fn esc(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'/' => "&#x2F;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `base.html` around a content block: the part before the content and the part after.
pub fn shell(site: &SiteCtx, t: &Labels, page: &PageMeta) -> (String, String) {
    let mut o = String::with_capacity(4096);
    o.push_str("<!DOCTYPE html>\n<html lang=\"");
    esc(&mut o, site.language);
    o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if page.kind != "home" {
        esc(&mut o, &page.title);
        o.push_str(" | ");
    }
    esc(&mut o, &site.title);
    o.push_str("</title>\n");
    if let Some(d) = some(&site.description) {
        o.push_str("<meta name=\"description\" content=\"");
        esc(&mut o, d);
        o.push_str("\">\n");
    }
    o.push_str("<meta name=\"generator\" content=\"tabiji\">\n<link rel=\"stylesheet\" href=\"");
    esc(&mut o, &site.css_url);
    o.push_str("\">\n<script src=\"");
    esc(&mut o, &site.js_url);
    o.push_str("\" defer></script>\n\n</head>\n<body class=\"page-");
    esc(&mut o, page.kind);
    o.push_str("\" data-base-url=\"");
    esc(&mut o, &site.base_url);
    o.push_str("\">\n<a class=\"skip-link\" href=\"#tj-main\">");
    esc(&mut o, t["skip_to_content"]);
    o.push_str("</a>\n<header class=\"site-header\">\n  <a class=\"brand\" href=\"");
    esc(&mut o, &site.home_url);
    o.push_str("\">");
    esc(&mut o, &site.title);
    o.push_str("</a>\n  <nav class=\"site-nav\" aria-label=\"");
    esc(&mut o, t["menu"]);
    o.push_str("\">\n    <ul>\n      <li><a href=\"");
    esc(&mut o, &site.home_url);
    o.push_str("#personas\">");
    esc(&mut o, t["personas"]);
    o.push_str("</a></li>\n      <li class=\"menu\"><details><summary>");
    esc(&mut o, t["stages"]);
    o.push_str("</summary><ul>\n        ");
    for s in &site.nav_stages {
        o.push_str("<li>");
        link(&mut o, s);
        o.push_str("</li>");
    }
    o.push_str("\n      </ul></details></li>\n      ");
    if !site.nav_departments.is_empty() {
        o.push_str("<li class=\"menu\"><details><summary>");
        esc(&mut o, t["departments"]);
        o.push_str("</summary><ul>\n        ");
        for d in &site.nav_departments {
            o.push_str("<li>");
            link(&mut o, d);
            o.push_str("</li>");
        }
        o.push_str("\n      </ul></details></li>");
    }
    o.push_str("\n      ");
    if let Some(g) = some(&site.glossary_url) {
        o.push_str("<li>");
        anchor(&mut o, g, t["glossary"]);
        o.push_str("</li>");
    }
    o.push_str("\n      ");
    if let Some(u) = some(&site.onboarding_url) {
        o.push_str("<li>");
        anchor(&mut o, u, t["onboarding"]);
        o.push_str("</li>");
    }
    o.push_str("\n      <li>");
    anchor(&mut o, &site.print_url, t["print"]);
    o.push_str("</li>\n    </ul>\n  </nav>\n  <form class=\"search\" role=\"search\" action=\"");
    esc(&mut o, &site.home_url);
    o.push_str("\" method=\"get\">\n    <label class=\"visually-hidden\" for=\"tj-search-input\">");
    esc(&mut o, t["search"]);
    o.push_str(
        "</label>\n    <input id=\"tj-search-input\" type=\"search\" name=\"q\" placeholder=\"",
    );
    esc(&mut o, t["search_placeholder"]);
    o.push_str("\" autocomplete=\"off\" data-index=\"");
    esc(&mut o, &site.search_index_url);
    o.push_str("\" aria-controls=\"tj-search-results\">\n    <div id=\"tj-search-results\" class=\"search-results\" hidden aria-live=\"polite\" data-none=\"");
    esc(&mut o, t["search_none"]);
    o.push_str("\"></div>\n  </form>\n</header>\n");
    if !page.breadcrumbs.is_empty() {
        o.push_str("<nav class=\"breadcrumbs\" aria-label=\"breadcrumb\">\n  <ol>");
        for c in &page.breadcrumbs {
            o.push_str("<li>");
            link(&mut o, c);
            o.push_str("</li>");
        }
        o.push_str("<li aria-current=\"page\">");
        esc(&mut o, &page.title);
        o.push_str("</li></ol>\n</nav>\n");
    }
    if let (Some(u), true) = (some(&site.onboarding_url), page.kind != "onboarding") {
        o.push_str(
            "<template id=\"tj-onboarding-bar\"><aside class=\"onboarding-bar\" aria-label=\"",
        );
        esc(&mut o, t["onboarding"]);
        o.push_str("\"><span class=\"onboarding-where\">");
        esc(&mut o, t["onboarding"]);
        o.push_str(" <span data-step-number></span> / <span data-step-count></span>: <span data-step-title></span></span> <a data-next href=\"#\">");
        esc(&mut o, t["next_step"]);
        o.push_str(": <span data-next-name></span> →</a> ");
        anchor(&mut o, u, t["back_to_onboarding"]);
        o.push_str("</aside></template>\n");
    }
    o.push_str("<main id=\"tj-main\">\n");
    let mut tail = String::with_capacity(512);
    tail.push_str("\n</main>\n<footer class=\"site-footer\">\n  <p>");
    esc(&mut tail, &site.title);
    tail.push_str(" · ");
    anchor(&mut tail, &site.print_url, t["print"]);
    tail.push_str(" · ");
    esc(&mut tail, t["generated_by"]);
    tail.push_str("</p>\n</footer>\n</body>\n</html>\n");
    (o, tail)
}

/// The content block of `index.html` (the home page).
pub fn home_content(o: &mut String, site: &SiteCtx, d: &Home, t: &Labels) {
    o.reserve(1024 + d.personas.len() * 600);
    o.push_str("\n<section class=\"hero\">\n  <h1>");
    esc(o, &site.title);
    o.push_str("</h1>\n  ");
    if let Some(desc) = some(&site.description) {
        o.push_str("<p class=\"lead\">");
        esc(o, desc);
        o.push_str("</p>");
    }
    o.push_str("\n  ");
    let onboarding = some(&site.onboarding_url);
    let changes = some(&site.changes_url);
    if onboarding.is_some() || changes.is_some() {
        o.push_str("<p class=\"hero-links\">");
        if let Some(u) = onboarding {
            o.push_str("<a class=\"button\" href=\"");
            esc(o, u);
            o.push_str("\">");
            esc(o, t["start_onboarding"]);
            o.push_str("</a>");
        }
        o.push_str("\n  ");
        if let Some(u) = changes {
            o.push_str("<a class=\"button secondary\" href=\"");
            esc(o, u);
            o.push_str("\">");
            esc(o, t["changes_since"]);
            o.push_str("</a>");
        }
        o.push_str("</p>");
    }
    o.push_str("\n</section>\n<section id=\"stages\" aria-labelledby=\"stages-title\">\n  <h2 id=\"stages-title\">");
    esc(o, t["stage_strip"]);
    o.push_str("</h2>\n  <ol class=\"stage-strip\">\n  ");
    for g in &d.phases {
        o.push_str("<li class=\"phase-group\">");
        if let Some(n) = some(&g.name) {
            o.push_str("<p class=\"phase-name\">");
            esc(o, n);
            o.push_str("</p>");
        }
        o.push_str("\n    <ol>");
        for s in &g.stages {
            o.push_str("<li class=\"stage-card\"><a href=\"");
            esc(o, &s.stage.url);
            o.push_str("\"><span class=\"stage-name\">");
            esc(o, &s.stage.name);
            o.push_str("</span></a>");
            if let Some(sm) = some(&s.summary) {
                o.push_str("<span class=\"stage-summary\">");
                esc(o, sm);
                o.push_str("</span>");
            }
            o.push_str("<span class=\"owner\">");
            match &s.owner {
                Some(ow) => link(o, ow),
                None => esc(o, t["no_owner"]),
            }
            o.push_str("</span></li>");
        }
        o.push_str("</ol>\n  </li>");
    }
    o.push_str("\n  </ol>\n</section>\n<section id=\"personas\" aria-labelledby=\"personas-title\">\n  <h2 id=\"personas-title\">");
    esc(o, t["personas"]);
    o.push_str("</h2>\n  <ul class=\"cards\">\n  ");
    for p in &d.personas {
        o.push_str("<li class=\"card persona-card\">\n    <h3>");
        link(o, &p.persona);
        o.push_str("</h3>\n    ");
        if let Some(r) = some(&p.role) {
            o.push_str("<p class=\"role\">");
            esc(o, r);
            o.push_str("</p>");
        }
        o.push_str("\n    ");
        if let Some(sm) = some(&p.summary) {
            o.push_str("<p>");
            esc(o, sm);
            o.push_str("</p>");
        }
        o.push_str("\n    ");
        if !p.journeys.is_empty() {
            o.push_str("<p class=\"card-links\">");
            esc(o, t["journeys"]);
            o.push_str(": ");
            links(o, &p.journeys);
            o.push_str("</p>");
        }
        o.push_str("\n  </li>");
    }
    o.push_str("\n  </ul>\n</section>\n");
    if !d.departments.is_empty() {
        o.push_str("<section id=\"departments\" aria-labelledby=\"departments-title\">\n  <h2 id=\"departments-title\">");
        esc(o, t["departments"]);
        o.push_str("</h2>\n  <ul class=\"cards\">\n  ");
        for dep in &d.departments {
            o.push_str("<li class=\"card department-card\">\n    <h3>");
            link(o, &dep.department);
            o.push_str("</h3>\n    ");
            if !dep.kpis.is_empty() {
                kpi_list(o, &dep.kpis);
            }
            o.push_str("\n  </li>");
        }
        o.push_str("\n  </ul>\n</section>");
    }
    o.push('\n');
}

/// The content block of `persona.html`; `tables` are the persona's journey tables.
/// `tables` holds each of the persona's journey tables as [`journey_table`] writes it
/// (without anchors): the persona and print pages show the same tables, written once.
pub fn persona_content(o: &mut String, p: &PersonaCtx, tables: &[String], t: &Labels) {
    o.reserve(tables.iter().map(String::len).sum::<usize>() + 16 * 1024);
    o.push_str("\n<article class=\"persona\">\n  <h1>");
    esc(o, &p.name);
    o.push_str("</h1>\n  ");
    if let Some(s) = some(&p.summary) {
        o.push_str("<p class=\"lead\">");
        esc(o, s);
        o.push_str("</p>");
    }
    o.push_str("\n  <dl class=\"profile\">\n    ");
    if let Some(r) = some(&p.role) {
        o.push_str("<div><dt>");
        esc(o, t["role"]);
        o.push_str("</dt><dd>");
        esc(o, r);
        o.push_str("</dd></div>");
    }
    o.push_str("\n    ");
    if let Some(c) = some(&p.company) {
        o.push_str("<div><dt>");
        esc(o, t["company"]);
        o.push_str("</dt><dd>");
        esc(o, c);
        o.push_str("</dd></div>");
    }
    o.push_str("\n    ");
    for (label, items) in [("goals", &p.goals), ("concerns", &p.concerns)] {
        if !items.is_empty() {
            o.push_str("<div><dt>");
            esc(o, t[label]);
            o.push_str("</dt><dd><ul>");
            for g in items {
                o.push_str("<li>");
                esc(o, g);
                o.push_str("</li>");
            }
            o.push_str("</ul></dd></div>");
        }
        if label == "goals" {
            o.push_str("\n    ");
        }
    }
    o.push_str("\n  </dl>\n  <div class=\"prose\">");
    o.push_str(&p.body);
    o.push_str("</div>\n  <section aria-labelledby=\"tj-journeys-title\">\n    <h2 id=\"tj-journeys-title\">");
    esc(o, t["journeys_of_persona"]);
    o.push_str("</h2>\n    ");
    if tables.is_empty() {
        o.push_str("<p>");
        esc(o, t["no_journey"]);
        o.push_str("</p>");
    }
    for table in tables {
        o.push_str(table);
        o.push('\n');
    }
    o.push_str("\n  </section>\n</article>\n");
}

/// Tera's truth of an optional string: present and not empty.
fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// `m::links(items=…)`.
fn links(out: &mut String, items: &[Link]) {
    for (i, l) in items.iter().enumerate() {
        link(out, l);
        if i + 1 < items.len() {
            out.push('、');
        }
    }
}

fn link(out: &mut String, l: &Link) {
    anchor(out, &l.url, &l.name);
}

fn link_ref(out: &mut String, l: LinkRef<'_>) {
    match l.html {
        Some(html) => out.push_str(html),
        None => anchor(out, l.url, l.name),
    }
}

/// `<a href="{{ url }}">{{ name }}</a>`.
pub(super) fn anchor(out: &mut String, url: &str, name: &str) {
    out.push_str("<a href=\"");
    esc(out, url);
    out.push_str("\">");
    esc(out, name);
    out.push_str("</a>");
}

/// `m::journey_table(j, t, anchors)`.
pub fn journey_table(out: &mut String, j: &JourneyTable, t: &Labels, anchors: bool) {
    out.push_str("\n<figure class=\"journey\" id=\"tj-journey-");
    esc(out, &j.id);
    out.push_str("\">\n<figcaption>");
    anchor(out, &j.url, &j.name);
    out.push_str(" <span class=\"journey-persona\">— ");
    link(out, &j.persona);
    out.push_str("</span></figcaption>\n<p class=\"scroll-hint\">");
    esc(out, t["scroll_hint"]);
    out.push_str("</p>\n<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    esc(out, &j.name);
    out.push_str(": ");
    esc(out, &j.persona.name);
    out.push_str("\">\n<table class=\"journey-table\">\n<thead>\n");
    let frame = &*j.frame;
    if !frame.phases.is_empty() {
        out.push_str("<tr class=\"phase-band\"><td class=\"corner\"></td>");
        for p in &frame.phases {
            out.push_str("<th scope=\"colgroup\" colspan=\"");
            out.push_str(itoa::Buffer::new().format(p.colspan));
            out.push_str("\">");
            esc(out, &p.name);
            out.push_str("</th>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("<tr class=\"stage-heads\"><td class=\"corner\">");
    esc(out, t["customer_side"]);
    out.push_str("</td>");
    for s in &frame.stages {
        out.push_str("<th scope=\"col\"");
        if anchors {
            out.push_str(" id=\"stage-");
            esc(out, &s.id);
            out.push('"');
        }
        out.push('>');
        anchor(out, &s.url, &s.name);
        if let Some(o) = &s.owner {
            out.push_str("<span class=\"owner\">");
            link(out, o);
            out.push_str("</span>");
        }
        out.push_str("</th>");
    }
    out.push_str("</tr>\n</thead>\n<tbody class=\"customer-rows\">\n");
    for (r, cells) in frame.rows.iter().zip(&j.cells) {
        out.push_str("<tr class=\"row-");
        esc(out, &r.id);
        out.push_str("\"><th scope=\"row\"");
        if let Some(d) = some(&r.description) {
            out.push_str(" title=\"");
            esc(out, d);
            out.push('"');
        }
        out.push('>');
        esc(out, &r.name);
        out.push_str("</th>");
        for c in cells {
            cell(out, c, t);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n");
    if let Some(em) = j.emotion_cells().filter(|e| !e.is_empty()) {
        out.push_str("<tbody class=\"emotion-row\"><tr><th scope=\"row\">");
        esc(out, t["emotion"]);
        out.push_str("</th>");
        for e in &em {
            out.push_str("<td>");
            out.push_str(&e.svg);
            if let Some(v) = e.value {
                out.push_str("<span class=\"emotion-value\">");
                if v > 0 {
                    out.push('+');
                }
                out.push_str(itoa::Buffer::new().format(v));
                out.push(' ');
                esc(out, e.word);
                out.push_str("</span>");
            }
            out.push_str("</td>");
        }
        out.push_str("</tr></tbody>\n");
    }
    let full = |v: &Option<Vec<_>>| v.as_ref().is_some_and(|v: &Vec<_>| !v.is_empty());
    let (exp, tps, tasks, notes) = (
        full(&j.experience),
        j.touchpoints.as_ref().is_some_and(|v| !v.is_empty()),
        j.tasks.as_ref().is_some_and(|v| !v.is_empty()),
        full(&j.notes),
    );
    if exp || tps || tasks || notes {
        out.push_str(
            "<tbody class=\"seller-rows\">\n<tr class=\"side-heading\"><th scope=\"rowgroup\" colspan=\"",
        );
        out.push_str(itoa::Buffer::new().format(frame.stages.len() + 1));
        out.push_str("\">");
        esc(out, t["seller_side"]);
        out.push_str("</th></tr>\n");
        if let (true, Some(cells)) = (exp, &j.experience) {
            plain_row(out, "row-experience", t["experience"], cells);
        }
        if let (true, Some(cols)) = (tps, &j.touchpoints) {
            out.push_str("<tr class=\"row-touchpoints\"><th scope=\"row\">");
            esc(out, t["touchpoints"]);
            out.push_str("</th>");
            for tp in cols {
                out.push_str("<td>");
                if !tp.is_empty() {
                    out.push_str("<ul class=\"chips\">");
                    for x in tp {
                        out.push_str("<li>");
                        esc(out, x);
                        out.push_str("</li>");
                    }
                    out.push_str("</ul>");
                }
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        if let (true, Some(cols)) = (tasks, &j.tasks) {
            out.push_str("<tr class=\"row-tasks\"><th scope=\"row\">");
            esc(out, t["tasks"]);
            out.push_str("</th>");
            for (groups, html) in cols.iter().zip(&j.task_html) {
                out.push_str("<td>");
                for g in groups {
                    out.push_str("<div class=\"task-group\"><a class=\"dept\" href=\"");
                    esc(out, &g.department.url);
                    out.push_str("\">");
                    esc(out, &g.department.name);
                    out.push_str("</a><ul>");
                    for task in g.tasks_in(html) {
                        out.push_str("<li>");
                        out.push_str(&task.html);
                        if let Some(k) = task.kpi.as_deref().filter(|k| !k.is_empty()) {
                            out.push_str(
                                "<span class=\"kpi\"><abbr title=\"Key Performance Indicator\">",
                            );
                            esc(out, t["kpi"]);
                            out.push_str("</abbr>: ");
                            out.push_str(k);
                            out.push_str("</span>");
                        }
                        out.push_str("</li>");
                    }
                    out.push_str("</ul></div>");
                }
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        if let (true, Some(cells)) = (notes, &j.notes) {
            plain_row(out, "row-notes", t["notes"], cells);
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n</div>\n</figure>\n");
}

fn cell(out: &mut String, c: &str, t: &Labels) {
    out.push_str("<td>");
    if c.is_empty() {
        out.push_str("<span class=\"empty\">");
        esc(out, t["empty"]);
        out.push_str("</span>");
    } else {
        out.push_str(c);
    }
    out.push_str("</td>");
}

fn plain_row(out: &mut String, class: &str, label: &str, cells: &[String]) {
    out.push_str("<tr class=\"");
    out.push_str(class);
    out.push_str("\"><th scope=\"row\">");
    esc(out, label);
    out.push_str("</th>");
    for c in cells {
        out.push_str("<td>");
        out.push_str(c);
        out.push_str("</td>");
    }
    out.push_str("</tr>\n");
}

/// Each table as [`persona_content`] and [`print_persona`] take them.
pub fn tables_html(tables: &[&JourneyTable], t: &Labels) -> Vec<String> {
    tables
        .iter()
        .map(|j| {
            let mut out = String::with_capacity(32 * 1024);
            journey_table(&mut out, j, t, false);
            out
        })
        .collect()
}

/// The content block of `journey.html`.
pub fn journey_content(out: &mut String, j: &JourneyTable, t: &Labels) {
    out.reserve(32 * 1024);
    out.push_str("\n<h1>");
    esc(out, &j.name);
    out.push_str(" <span class=\"subtitle\">");
    link(out, &j.persona);
    out.push_str("</span></h1>\n");
    journey_table(out, j, t, true);
    out.push('\n');
}

fn kpi_span(out: &mut String, task_kpi: Option<&str>, t: &Labels) {
    if let Some(k) = task_kpi.filter(|k| !k.is_empty()) {
        out.push_str("<span class=\"kpi\">");
        esc(out, t["kpi"]);
        out.push_str(": ");
        out.push_str(k);
        out.push_str("</span>");
    }
}

/// The content block of `stage.html`. With `rows_from`, the table's cells come from it,
/// row by row, instead of from `d.rows[..].cells`.
pub fn stage_content(
    o: &mut String,
    d: &StagePage,
    t: &Labels,
    flush: &mut Flush<'_>,
    mut rows_from: Option<&mut super::pages::RowCells<'_>>,
) -> std::io::Result<()> {
    o.push_str("\n<article class=\"stage\">\n  <h1>");
    esc(o, &d.stage.name);
    o.push_str("</h1>\n  ");
    if let Some(s) = some(&d.stage.summary) {
        o.push_str("<p class=\"lead\">");
        esc(o, s);
        o.push_str("</p>");
    }
    o.push_str("\n  <dl class=\"profile\">\n    ");
    if let Some(p) = some(&d.stage.phase) {
        o.push_str("<div><dt>");
        esc(o, t["phase"]);
        o.push_str("</dt><dd>");
        esc(o, p);
        o.push_str("</dd></div>");
    }
    o.push_str("\n    <div><dt>");
    esc(o, t["owner"]);
    o.push_str("</dt><dd>");
    match &d.stage.owner {
        Some(ow) => link(o, ow),
        None => esc(o, t["no_owner"]),
    }
    o.push_str("</dd></div>\n  </dl>\n  <div class=\"transitions\">\n    <section class=\"enter\" aria-labelledby=\"tj-enter-title\">\n      <h2 id=\"tj-enter-title\">");
    esc(o, t["enter"]);
    o.push_str("</h2>\n      ");
    if let Some(p) = &d.previous {
        o.push_str("<p class=\"from-stage\">← ");
        link(o, p);
        o.push_str("</p>");
    }
    o.push_str("\n      ");
    if !d.enter.is_empty() {
        factors(o, &d.enter, flush)?;
    } else if d.previous.is_none() {
        o.push_str("<p>");
        esc(o, t["first_stage"]);
        o.push_str("</p>");
    }
    o.push_str("\n    </section>\n    <section class=\"leave\" aria-labelledby=\"tj-leave-title\">\n      <h2 id=\"tj-leave-title\">");
    esc(o, t["leave"]);
    o.push_str("</h2>\n      ");
    if let Some(n) = &d.next {
        o.push_str("<p class=\"to-stage\">→ ");
        link(o, n);
        o.push_str("</p>");
    }
    o.push_str("\n      ");
    if !d.leave.is_empty() {
        factors(o, &d.leave, flush)?;
    }
    o.push_str("\n    </section>\n  </div>\n  <section aria-labelledby=\"tj-playbooks-title\">\n    <h2 id=\"tj-playbooks-title\">");
    esc(o, t["playbooks_of_stage"]);
    o.push_str("</h2>\n    ");
    if d.playbooks.is_empty() {
        o.push_str("<p>");
        esc(o, t["no_playbooks"]);
        o.push_str("</p>");
    } else {
        o.push_str("<ul class=\"cards\">");
        for p in &d.playbooks {
            o.push_str("<li class=\"card\"><h3>");
            link(o, &p.playbook);
            o.push_str("</h3>");
            if !p.departments.is_empty() {
                o.push_str("<p class=\"card-links\">");
                links(o, &p.departments);
                o.push_str("</p>");
            }
            o.push_str("</li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("\n  </section>\n  ");
    if !d.columns.is_empty() {
        o.push_str("<section>\n    <h2 id=\"tj-cells-title\">");
        esc(o, t["cells_by_persona"]);
        o.push_str("</h2>\n    <div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"tj-cells-title\">\n    <table class=\"journey-table stage-table\">\n      <thead><tr><td class=\"corner\"></td>");
        for c in &d.columns {
            o.push_str("<th scope=\"col\">");
            link_ref(o, c.persona);
            o.push_str("<span class=\"owner\">");
            link_ref(o, c.journey);
            o.push_str("</span></th>");
            flush_full(o, flush)?;
        }
        o.push_str("</tr></thead>\n      <tbody>");
        for (ri, r) in d.rows.iter().enumerate() {
            o.push_str("<tr><th scope=\"row\">");
            esc(o, &r.name);
            o.push_str("</th>");
            let mut write = |cells: &[&str]| {
                for c in cells {
                    cell(o, c, t);
                    flush_full(o, flush)?;
                }
                Ok(())
            };
            match rows_from.as_deref_mut() {
                Some(from) => from(ri, &mut write)?,
                None => write(&r.cells)?,
            }
            o.push_str("</tr>");
        }
        o.push_str("</tbody>\n    </table>\n    </div>\n  </section>");
    }
    o.push_str("\n  ");
    if !d.tasks.is_empty() {
        o.push_str("<section aria-labelledby=\"tj-tasks-title\">\n    <h2 id=\"tj-tasks-title\">");
        esc(o, t["tasks"]);
        o.push_str("</h2>\n    ");
        for g in &d.tasks {
            o.push_str("<section class=\"task-group\">\n      <h3>");
            link(o, &g.department);
            o.push_str("</h3>\n      <ul>");
            for task in &g.tasks {
                stage_task(o, task, t);
                flush_full(o, flush)?;
            }
            o.push_str("</ul>\n    </section>");
        }
        o.push_str("\n  </section>");
    }
    o.push_str("\n  <nav class=\"pager\" aria-label=\"");
    esc(o, t["stages"]);
    o.push_str("\">\n    ");
    if let Some(p) = &d.previous {
        o.push_str("<a rel=\"prev\" href=\"");
        esc(o, &p.url);
        o.push_str("\">← ");
        esc(o, t["previous"]);
        o.push_str(": ");
        esc(o, &p.name);
        o.push_str("</a>");
    }
    o.push_str("\n    ");
    if let Some(n) = &d.next {
        o.push_str("<a rel=\"next\" href=\"");
        esc(o, &n.url);
        o.push_str("\">");
        esc(o, t["next"]);
        o.push_str(": ");
        esc(o, &n.name);
        o.push_str(" →</a>");
    }
    o.push_str("\n  </nav>\n</article>\n");
    Ok(())
}

/// A stage's list of key factors: one per journey, so handed on in parts like the table.
fn factors(
    o: &mut String,
    list: &[super::pages::Factor],
    flush: &mut Flush<'_>,
) -> std::io::Result<()> {
    o.push_str("<ul>");
    for f in list {
        o.push_str("<li>");
        link_ref(o, f.persona);
        o.push_str(": ");
        o.push_str(&f.html);
        o.push_str("</li>");
        flush_full(o, flush)?;
    }
    o.push_str("</ul>");
    Ok(())
}

fn stage_task(o: &mut String, task: &TaskWithJourney, t: &Labels) {
    o.push_str("<li>");
    o.push_str(&task.html);
    kpi_span(o, task.kpi, t);
    o.push_str("<span class=\"source\">");
    match task.source {
        Some(html) => o.push_str(html),
        None => anchor(o, task.journey.url, task.persona.name),
    }
    o.push_str("</span></li>");
}

fn task_items(o: &mut String, tasks: &[&TaskCtx], t: &Labels) {
    o.push_str("<ul>");
    for task in tasks {
        o.push_str("<li>");
        o.push_str(&task.html);
        kpi_span(o, task.kpi.as_deref(), t);
        o.push_str("</li>");
    }
    o.push_str("</ul>");
}

/// The content block of `department.html`.
pub fn department_content(
    o: &mut String,
    d: &DepartmentPage,
    t: &Labels,
    flush: &mut Flush<'_>,
) -> std::io::Result<()> {
    o.push_str("\n<article class=\"department\">\n  <h1>");
    esc(o, &d.department.name);
    o.push_str("</h1>\n  <div class=\"prose\">");
    o.push_str(&d.department.body);
    o.push_str(
        "</div>\n  <section aria-labelledby=\"tj-chain-title\">\n    <h2 id=\"tj-chain-title\">",
    );
    esc(o, t["department_chain"]);
    o.push_str("</h2>\n    <div class=\"chain\">");
    o.push_str(&d.chain_svg);
    o.push_str("</div>\n    <dl class=\"profile\">\n      <div><dt>");
    esc(o, t["clients"]);
    o.push_str("</dt><dd>");
    if d.clients.is_empty() {
        o.push('—');
    } else {
        links(o, &d.clients);
    }
    o.push_str("</dd></div>\n      <div><dt>");
    esc(o, t["suppliers"]);
    o.push_str("</dt><dd>");
    if d.suppliers.is_empty() {
        o.push('—');
    } else {
        links(o, &d.suppliers);
    }
    o.push_str("</dd></div>\n    </dl>\n  </section>\n  ");
    if !d.department.kpis.is_empty() {
        o.push_str("<section aria-labelledby=\"tj-kpi-title\">\n    <h2 id=\"tj-kpi-title\">");
        esc(o, t["kpis"]);
        o.push_str("</h2>\n    ");
        kpi_list(o, &d.department.kpis);
        o.push_str("\n  </section>");
    }
    o.push_str("\n  ");
    if !d.stages_owned.is_empty() {
        o.push_str("<section aria-labelledby=\"tj-owned-title\">\n    <h2 id=\"tj-owned-title\">");
        esc(o, t["stages_owned"]);
        o.push_str("</h2>\n    <p>");
        links(o, &d.stages_owned);
        o.push_str("</p>\n  </section>");
    }
    o.push_str("\n  <section aria-labelledby=\"tj-tasks-title\">\n    <h2 id=\"tj-tasks-title\">");
    esc(o, t["tasks_by_stage"]);
    o.push_str("</h2>\n    ");
    if d.tasks_by_stage.is_empty() {
        o.push_str("<p>");
        esc(o, t["no_tasks"]);
        o.push_str("</p>");
    }
    for s in &d.tasks_by_stage {
        o.push_str("<section class=\"task-stage\">\n      <h3>");
        link(o, &s.stage);
        o.push_str("</h3>\n      ");
        for p in &s.personas {
            o.push_str("<div class=\"task-group\"><p class=\"task-persona\">");
            link_ref(o, p.persona);
            o.push_str(" · ");
            link_ref(o, p.journey);
            o.push_str("</p>\n        ");
            task_items(o, &p.tasks, t);
            o.push_str("</div>");
            flush_full(o, flush)?;
        }
        o.push_str("\n    </section>");
    }
    o.push_str("\n  </section>\n  ");
    if !d.playbooks.is_empty() {
        o.push_str("<section aria-labelledby=\"tj-pb-title\">\n    <h2 id=\"tj-pb-title\">");
        esc(o, t["tagged_playbooks"]);
        o.push_str("</h2>\n    <ul>");
        for p in &d.playbooks {
            o.push_str("<li>");
            link(o, p);
            o.push_str("</li>");
        }
        o.push_str("</ul>\n  </section>");
    }
    o.push_str("\n</article>\n");
    Ok(())
}

/// Hands the page written so far to be written out, and empties it: pages with a part per
/// journey (stage and department pages, tens of megabytes on a large site) are written
/// in parts instead of held whole.
pub type Flush<'f> = dyn FnMut(&mut String) -> std::io::Result<()> + 'f;

/// Parts of this size are handed on.
const PART: usize = 256 * 1024;

fn flush_full(o: &mut String, flush: &mut Flush<'_>) -> std::io::Result<()> {
    if o.len() >= PART { flush(o) } else { Ok(()) }
}

fn kpi_list(o: &mut String, kpis: &[String]) {
    o.push_str("<ul class=\"kpis\">");
    for k in kpis {
        o.push_str("<li>");
        esc(o, k);
        o.push_str("</li>");
    }
    o.push_str("</ul>");
}

/// The start of the content block of `print.html`, up to the first persona.
///
/// The print page is written in three kinds of parts (this, [`print_persona`] for each
/// persona, [`print_rest`]) and streamed to its file as it goes: on a 10,000-persona site
/// it is 276 MB.
pub fn print_head(o: &mut String, site: &Site, t: &Labels) {
    o.push_str("\n<h1>");
    esc(o, &site.config.title.value);
    o.push_str("</h1>\n");
    if let Some(desc) = site
        .config
        .description
        .as_ref()
        .filter(|d| !d.value.is_empty())
    {
        o.push_str("<p class=\"lead\">");
        esc(o, &desc.value);
        o.push_str("</p>");
    }
    o.push_str("\n<section class=\"print-section\" aria-labelledby=\"tj-p-personas\">\n<h2 id=\"tj-p-personas\">");
    esc(o, t["personas"]);
    o.push_str("</h2>\n");
}

/// One persona of the print page, with its journey tables.
/// `tables` as for [`persona_content`].
pub fn print_persona(o: &mut String, p: &PersonaCtx, tables: &[String]) {
    o.push_str("<article class=\"print-persona\" id=\"tj-persona-");
    esc(o, &p.id);
    o.push_str("\">\n  <h3>");
    esc(o, &p.name);
    o.push_str("</h3>\n  ");
    if let Some(s) = some(&p.summary) {
        o.push_str("<p class=\"lead\">");
        esc(o, s);
        o.push_str("</p>");
    }
    o.push_str("\n  <div class=\"prose\">");
    o.push_str(&p.body);
    o.push_str("</div>\n  ");
    for table in tables {
        o.push_str("<div class=\"print-landscape\">");
        o.push_str(table);
        // `journey_table.html` ends with a newline after the macro's output.
        o.push('\n');
        o.push_str("</div>");
    }
    o.push_str("\n</article>\n");
}

/// The rest of the content block of `print.html`: stages, departments, playbooks, glossary.
pub fn print_rest(o: &mut String, d: &PrintPage<'_>, t: &Labels) {
    o.push_str("</section>\n<section class=\"print-section\" aria-labelledby=\"tj-p-stages\">\n<h2 id=\"tj-p-stages\">");
    esc(o, t["stages"]);
    o.push_str("</h2>\n<dl>");
    for s in &d.stages {
        o.push_str("<dt>");
        esc(o, &s.name);
        if let Some(ow) = &s.owner {
            o.push_str(" — ");
            esc(o, &ow.name);
        }
        o.push_str("</dt><dd>");
        if let Some(sm) = &s.summary {
            esc(o, sm);
        }
        o.push_str("</dd>");
    }
    o.push_str("</dl>\n</section>\n<section class=\"print-section\" aria-labelledby=\"tj-p-departments\">\n<h2 id=\"tj-p-departments\">");
    esc(o, t["departments"]);
    o.push_str("</h2>\n");
    for dep in &d.departments {
        o.push_str("<article id=\"tj-department-");
        esc(o, &dep.department.id);
        o.push_str("\"><h3>");
        esc(o, &dep.department.name);
        o.push_str("</h3>\n<div class=\"prose\">");
        o.push_str(&dep.department.body);
        o.push_str("</div>\n");
        if !dep.department.kpis.is_empty() {
            kpi_list(o, &dep.department.kpis);
        }
        o.push_str("\n</article>");
    }
    o.push_str("\n</section>\n<section class=\"print-section\" aria-labelledby=\"tj-p-playbooks\">\n<h2 id=\"tj-p-playbooks\">");
    esc(o, t["playbooks"]);
    o.push_str("</h2>\n");
    for p in &d.playbooks {
        o.push_str("<article class=\"print-playbook\" id=\"tj-playbook-");
        esc(o, &p.id);
        o.push_str("\"><h3>");
        esc(o, &p.title);
        o.push_str(" <span class=\"subtitle\">");
        esc(o, &p.stage.name);
        o.push_str("</span></h3>\n<div class=\"prose\">");
        o.push_str(&p.body);
        o.push_str("</div></article>");
    }
    o.push_str("\n</section>\n");
    if !d.terms.is_empty() {
        o.push_str("<section class=\"print-section\" aria-labelledby=\"tj-p-glossary\">\n<h2 id=\"tj-p-glossary\">");
        esc(o, t["glossary"]);
        o.push_str("</h2>\n<dl class=\"glossary\">");
        for term in &d.terms {
            o.push_str("<div class=\"term\"><dt>");
            esc(o, &term.term);
            o.push_str("</dt><dd>");
            o.push_str(&term.html);
            o.push_str("</dd></div>");
        }
        o.push_str("</dl>\n</section>");
    }
    o.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_tera() {
        let s = "a&b<c>d\"e'f/g 日本語";
        let mut out = String::new();
        esc(&mut out, s);
        assert_eq!(out, tera::escape_html(s));
    }

    #[test]
    fn overriding_macros_turns_everything_off() {
        let n = Native::for_overrides(&["macros.html".to_string()]);
        assert!(!n.table && !n.stage && !n.print && !n.department && !n.journey);
        let n = Native::for_overrides(&["stage.html".to_string()]);
        assert!(n.table && !n.stage && n.print);
        let n = Native::for_overrides(&["base.html".to_string()]);
        assert!(!n.table && !n.stage && !n.print && !n.home && !n.persona);
        // The persona and print pages embed `journey_table.html`; the journey page does not.
        let n = Native::for_overrides(&["journey_table.html".to_string()]);
        assert!(!n.table && !n.persona && !n.print && n.journey && n.stage);
    }
}
