//! Playbooks: added, removed, renamed, retitled, moved to another stage, or changed; a body
//! change is summed up in lines added and removed.

use super::{Names, body, ids, join, renames, s};
use crate::diff::change::{Change, Named};
use crate::model::{Playbook, Site};

fn same_playbook(a: &Playbook, b: &Playbook) -> bool {
    a.title == b.title
        && a.stages == b.stages
        && a.departments == b.departments
        && a.personas == b.personas
        && a.order.as_ref().map(|o| o.value) == b.order.as_ref().map(|o| o.value)
        && body(&a.body) == body(&b.body)
}

/// "+3 lines, −1 line" for a body.
pub fn line_summary(old: &str, new: &str) -> String {
    let d = similar::TextDiff::from_lines(old, new);
    let (mut plus, mut minus) = (0, 0);
    for c in d.iter_all_changes() {
        match c.tag() {
            similar::ChangeTag::Insert => plus += 1,
            similar::ChangeTag::Delete => minus += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    format!("+{plus} / -{minus} lines")
}

pub(super) fn playbooks(old: &Site, new: &Site, on: &Names, nn: &Names, out: &mut Vec<Change>) {
    let renamed = renames(&old.playbooks, &new.playbooks, same_playbook);
    let subject = |p: &Playbook| Named {
        id: p.id.to_string(),
        name: p.title.value.clone(),
    };
    let with_stage = |mut c: Change, p: &Playbook, names: &Names| {
        c.stage = Some(names.stage(p.first_stage().value.as_str()));
        for d in &p.departments {
            c = c.notify(d.value.as_str());
        }
        c
    };
    for (from, to) in &renamed {
        let p = &new.playbooks[to];
        out.push(with_stage(
            Change::new("playbook.renamed", "playbooks", subject(p))
                .field("id")
                .values(Some(from.to_string()), Some(to.to_string())),
            p,
            nn,
        ));
    }
    for (id, b) in &new.playbooks {
        let Some(a) = old.playbooks.get(id) else {
            if !renamed.iter().any(|(_, t)| t == id) {
                out.push(with_stage(
                    Change::new("playbook.added", "playbooks", subject(b)),
                    b,
                    nn,
                ));
            }
            continue;
        };
        if a.title != b.title {
            out.push(with_stage(
                Change::new("playbook.retitled", "playbooks", subject(b))
                    .field("title")
                    .values(Some(s(&a.title)), Some(s(&b.title))),
                b,
                nn,
            ));
        }
        let stage_ids = |p: &Playbook| p.stages.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
        if stage_ids(a) != stage_ids(b) {
            let names = |p: &Playbook, n: &Names| {
                p.stages
                    .iter()
                    .map(|s| n.stage(s.value.as_str()).name)
                    .collect::<Vec<_>>()
                    .join("、")
            };
            out.push(with_stage(
                Change::new("playbook.moved", "playbooks", subject(b))
                    .field("stage")
                    .values(Some(names(a, on)), Some(names(b, nn))),
                b,
                nn,
            ));
        }
        super::upkeep(
            &a.upkeep,
            &b.upkeep,
            on,
            nn,
            || {
                with_stage(
                    Change::new("playbook.changed", "playbooks", subject(b)),
                    b,
                    nn,
                )
            },
            out,
        );
        let order = |p: &Playbook| p.order.as_ref().map(|o| o.value.to_string());
        for (f, x, y) in [
            (
                "departments",
                join(&ids(&a.departments)),
                join(&ids(&b.departments)),
            ),
            ("personas", join(&ids(&a.personas)), join(&ids(&b.personas))),
            ("order", order(a), order(b)),
            (
                "qualifies",
                join(
                    &a.qualifies
                        .iter()
                        .map(|q| q.value.clone())
                        .collect::<Vec<_>>(),
                ),
                join(
                    &b.qualifies
                        .iter()
                        .map(|q| q.value.clone())
                        .collect::<Vec<_>>(),
                ),
            ),
        ] {
            if x != y {
                out.push(with_stage(
                    Change::new("playbook.changed", "playbooks", subject(b))
                        .field(f)
                        .values(x, y),
                    b,
                    nn,
                ));
            }
        }
        if body(&a.body) != body(&b.body) {
            let (x, y) = (body(&a.body), body(&b.body));
            let mut c = with_stage(
                Change::new("playbook.body.changed", "playbooks", subject(b)).field("body"),
                b,
                nn,
            );
            c.row = Some(Named {
                id: "summary".into(),
                name: line_summary(&x, &y),
            });
            c.old = Some(x);
            c.new = Some(y);
            c.words = Vec::new();
            out.push(c);
        }
    }
    for (id, a) in &old.playbooks {
        if !new.playbooks.contains_key(id) && !renamed.iter().any(|(f, _)| f == id) {
            out.push(with_stage(
                Change::new("playbook.removed", "playbooks", subject(a)),
                a,
                on,
            ));
        }
    }
}
