//! A journey's own page (`journeys/<id>/index.html`): its table, with anchors on the stage
//! heads.

use super::index_path;
use crate::model::Journey;
use crate::render::{Prepared, RenderError, Renderer};

pub(super) fn render(r: &Renderer<'_>, j: &Journey) -> Result<Prepared, RenderError> {
    let Some(table) = r.table(&j.id) else {
        return Err(RenderError::Template(format!("no journey {}", j.id)));
    };
    // The table's own context (`journey`, `t`), used first for the table's HTML (shared
    // with the persona and print pages), then, with `site`, `page` and `table_html` added,
    // for the page.
    let mut ctx = r.table_context(&j.id)?;
    let html = r.table_html(&j.id, Some(&ctx))?;
    let crumbs = vec![
        r.home_section(r.t.personas, "personas"),
        table.persona.clone(),
    ];
    let meta = r.meta(&table.name, "journey", table.url.clone(), crumbs);
    let json = |e: serde_json::Error| RenderError::Template(e.to_string());
    let mut data = serde_json::Map::new();
    data.insert("journey".into(), ctx.remove("journey").unwrap_or_default());
    data.insert("table_html".into(), html.into());
    data.insert("page".into(), serde_json::to_value(meta).map_err(json)?);
    data.insert(
        "upkeep".into(),
        serde_json::to_value(r.upkeep(j.file, &j.upkeep)).map_err(json)?,
    );
    Ok(Prepared {
        template: "journey.html",
        path: index_path("journeys", j.id.as_str()),
        data,
    })
}
