//! `tabiji diff`: what changed in the journeys between two revisions, in the words of the
//! people who sell. Both revisions are loaded into the model and compared by id
//! ([`compare`]); reformatting changes nothing. `render` writes text, Markdown, JSON or
//! HTML; [`git`] reads revisions with gix.

mod change;
mod compare;
pub mod git;
mod html;
mod lines;
mod render;
mod words;

use std::collections::BTreeMap;

pub use change::{Change, DepartmentSummary, Named, Piece};
pub use compare::{compare, line_summary};
pub use html::render_html;
pub use lines::lines;
pub use render::{render_markdown, render_text};

use serde::Serialize;

use crate::model::{Id, Language, Site};

/// A whole diff: what was compared, every change, and who must act.
#[derive(Debug, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub version: u32,
    pub from: String,
    pub to: String,
    #[serde(skip)]
    pub language: Language,
    pub changes: Vec<Change>,
    pub departments: Vec<DepartmentSummary>,
}

pub fn report(old: &Site, new: &Site, from: String, to: String) -> Report {
    let changes = compare(old, new);
    let departments = who_must_act(old, new, &changes);
    Report {
        format: "tabiji-diff",
        version: 1,
        from,
        to,
        language: new.config.language,
        changes,
        departments,
    }
}

impl Report {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Per department (in id order): the tasks it gained, lost or saw changed, and the other
/// changes that concern it.
fn who_must_act(old: &Site, new: &Site, changes: &[Change]) -> Vec<DepartmentSummary> {
    let mut by: BTreeMap<String, DepartmentSummary> = BTreeMap::new();
    for (i, c) in changes.iter().enumerate() {
        for d in &c.departments {
            let id = Id::lookup(d);
            let name = new
                .departments
                .get(&id)
                .or_else(|| old.departments.get(&id))
                .map_or_else(|| d.clone(), |x| x.name.value.clone());
            let e = by.entry(d.clone()).or_insert_with(|| DepartmentSummary {
                department: Named {
                    id: d.clone(),
                    name,
                },
                tasks_gained: 0,
                tasks_lost: 0,
                tasks_changed: 0,
                other_changes: 0,
                changes: Vec::new(),
            });
            e.changes.push(i);
            match c.kind {
                "task.added" => e.tasks_gained += 1,
                "task.removed" => e.tasks_lost += 1,
                "task.moved" => {
                    if c.department.as_ref().is_some_and(|n| &n.id == d) {
                        e.tasks_gained += 1;
                    } else {
                        e.tasks_lost += 1;
                    }
                }
                "task.changed" | "task.kpi.changed" => e.tasks_changed += 1,
                _ => e.other_changes += 1,
            }
        }
    }
    by.into_values().collect()
}
