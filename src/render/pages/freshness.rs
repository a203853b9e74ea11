//! The page for managers (`freshness/index.html`): every page built from a file with its
//! owner, review and change dates, grouped by owner, the groups and pages that need review
//! first — the list a manager works through each quarter.

use serde::Serialize;

use crate::model::{Id, KeptPage, PageRefKind};
use crate::render::context::Link;
use crate::render::upkeep::UpkeepCtx;
use crate::render::{Prepared, RenderError, Renderer};

#[derive(Serialize)]
struct Row {
    page: Link,
    /// The kind's label (ペルソナ, ジャーニー, …).
    kind: &'static str,
    upkeep: Option<UpkeepCtx>,
}

#[derive(Serialize)]
struct OwnerGroup {
    /// `None`: the pages without an owner.
    owner: Option<Link>,
    overdue: usize,
    pages: Vec<Row>,
}

#[derive(Serialize)]
struct Freshness {
    pages: usize,
    overdue: usize,
    review_days: Option<i64>,
    groups: Vec<OwnerGroup>,
}

pub(super) fn render(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let site = ix.site;
    let mut by_owner: std::collections::BTreeMap<Option<&Id>, Vec<(KeptPage<'_>, Row)>> =
        Default::default();
    for page in site.kept_pages() {
        let (kind, url) = match page.kind {
            PageRefKind::Persona => (r.t.persona, ix.urls.persona(page.id.as_str())),
            PageRefKind::Journey => (r.t.journey, ix.urls.journey(page.id.as_str())),
            PageRefKind::Department => (r.t.department, ix.urls.department(page.id.as_str())),
            _ => (r.t.playbook, ix.urls.playbook(page.id.as_str())),
        };
        let row = Row {
            page: Link {
                id: page.id.to_string(),
                name: page.title.to_string(),
                url,
            },
            kind,
            upkeep: r.upkeep(page.file, page.upkeep),
        };
        by_owner
            .entry(page.upkeep.owner.as_ref().map(|o| &o.value))
            .or_default()
            .push((page, row));
    }
    let mut groups: Vec<OwnerGroup> = by_owner
        .into_iter()
        .map(|(owner, mut rows)| {
            // Overdue first, then the oldest review first (never reviewed before any date),
            // then by kind and id (the order of `kept_pages`, kept by the stable sort).
            rows.sort_by_key(|(p, row)| {
                let overdue = row.upkeep.as_ref().is_some_and(|u| u.overdue);
                (!overdue, p.upkeep.reviewed.as_ref().map(|d| d.value))
            });
            let overdue = rows
                .iter()
                .filter(|(_, row)| row.upkeep.as_ref().is_some_and(|u| u.overdue))
                .count();
            OwnerGroup {
                owner: owner.map(|o| ix.department_link(o)),
                overdue,
                pages: rows.into_iter().map(|(_, row)| row).collect(),
            }
        })
        .collect();
    // Groups with the most overdue pages first; the pages without an owner last among
    // equals; then by department id (the map's order, kept by the stable sort).
    groups.sort_by_key(|g| (std::cmp::Reverse(g.overdue), g.owner.is_none()));
    let data = Freshness {
        pages: groups.iter().map(|g| g.pages.len()).sum(),
        overdue: groups.iter().map(|g| g.overdue).sum(),
        review_days: site.config.review_days.as_ref().map(|d| d.value),
        groups,
    };
    let meta = r.meta(r.t.freshness, "freshness", ix.urls.freshness(), vec![]);
    r.page("freshness.html", "freshness/index.html".into(), meta, data)
}
