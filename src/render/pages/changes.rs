//! The "What changed" page (`changes/index.html`, `build --changes-since REV`): the diff's
//! HTML, rendered by `diff`, inside the site's layout.

use serde::Serialize;

use crate::render::{ChangesPage, Prepared, RenderError, Renderer};

pub(super) fn render(r: &Renderer<'_>, c: &ChangesPage) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct Changes<'b> {
        since: &'b str,
        count: usize,
        changes_html: &'b str,
    }
    let meta = r.meta(r.t.changes, "changes", r.index.urls.changes(), vec![]);
    let data = Changes {
        since: &c.since,
        count: c.count,
        changes_html: &c.html,
    };
    r.page("changes.html", "changes/index.html".into(), meta, data)
}
