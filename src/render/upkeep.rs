//! What a page built from a file says about itself: its owner, when it was last reviewed
//! and changed, whether it needs review, and where to edit it. One context for every such
//! page (persona, persona at a stage, journey, department, playbook) and for the freshness
//! page, shown by the `upkeep` macro of `macros.html`.

use serde::Serialize;

use super::Renderer;
use super::context::Link;
use crate::model::{LastChange, Upkeep};
use crate::source::FileId;

/// `upkeep` in a page's context; absent when the page has nothing to say.
#[derive(Clone, Debug, Serialize)]
pub(super) struct UpkeepCtx {
    pub owner: Option<Link>,
    /// `reviewed`, as YYYY-MM-DD.
    pub reviewed: Option<String>,
    /// The date of the last commit that changed the file, as YYYY-MM-DD.
    pub last_changed: Option<String>,
    /// The time of that commit, in seconds since 1970 (UTC): `data-changed` on the page, for
    /// the "changed since your last visit" marker.
    pub changed_time: Option<i64>,
    /// The file differs from the last commit.
    pub uncommitted: bool,
    /// `reviewed` is older than `review_days`.
    pub overdue: bool,
    /// "Edit this page", from `edit_url`.
    pub edit_url: Option<String>,
}

impl UpkeepCtx {
    pub fn is_empty(&self) -> bool {
        self.owner.is_none()
            && self.reviewed.is_none()
            && self.last_changed.is_none()
            && !self.uncommitted
            && self.edit_url.is_none()
    }
}

impl Renderer<'_> {
    /// The upkeep of the page built from `file`; `None` when it has none to show.
    pub(super) fn upkeep(&self, file: FileId, u: &Upkeep) -> Option<UpkeepCtx> {
        let site = self.index.site;
        let review_days = site.config.review_days.as_ref().map(|r| r.value);
        let change = self.sources.get().and_then(|s| s.changes.get(&file));
        let ctx = UpkeepCtx {
            owner: u
                .owner
                .as_ref()
                .map(|o| self.index.department_link(&o.value)),
            reviewed: u.reviewed.as_ref().map(|r| r.value.to_string()),
            last_changed: match change {
                Some(LastChange::Committed { date, .. }) => Some(date.to_string()),
                _ => None,
            },
            changed_time: match change {
                Some(LastChange::Committed { time, .. }) => Some(*time),
                _ => None,
            },
            uncommitted: change == Some(&LastChange::Uncommitted),
            overdue: u.is_overdue(review_days, self.today),
            edit_url: site.config.edit_url.as_ref().and_then(|t| {
                let path = self.sources.get()?.paths.get(&file)?;
                Some(crate::urls::edit_url(&t.value, path))
            }),
        };
        (!ctx.is_empty()).then_some(ctx)
    }
}
