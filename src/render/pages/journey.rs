//! A journey's own page (`journeys/<id>/index.html`): its table, with anchors on the stage
//! heads.

use serde::Serialize;

use super::index_path;
use crate::model::Journey;
use crate::render::table::TableView;
use crate::render::{OutputFile, RenderError, Renderer};

pub(super) fn render(r: &Renderer<'_>, j: &Journey) -> Result<OutputFile, RenderError> {
    #[derive(Serialize)]
    struct JourneyPage<'b> {
        journey: TableView<'b>,
        /// The table's HTML, rendered once per build and shared with the persona and
        /// print pages.
        table_html: &'b str,
    }
    let Some(table) = r.table(&j.id) else {
        return Err(RenderError::Template(format!("no journey {}", j.id)));
    };
    let crumbs = vec![r.home_section(r.t.personas, "personas"), table.persona.clone()];
    let meta = r.meta(&table.name, "journey", table.url.clone(), crumbs);
    let data = JourneyPage {
        journey: TableView {
            table,
            index: &r.index,
        },
        table_html: r.table_html(&j.id)?,
    };
    r.page("journey.html", index_path("journeys", j.id.as_str()), meta, data)
}
