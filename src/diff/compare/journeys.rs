//! Journeys: added, removed, renamed, and within one journey its persona, its name, and
//! each stage's cells and seller's side (the tasks are matched in [`super::tasks`]).

use super::tasks::{same_task, tasks};
use super::{Moved, Names, join, list, o, renames};
use crate::diff::change::Change;
use crate::model::{Journey, JourneyStage, Site};

fn same_stage(a: &JourneyStage, b: &JourneyStage) -> bool {
    let cells = |s: &JourneyStage| {
        let mut v: Vec<(String, String)> = s
            .cells
            .iter()
            .map(|c| (c.row.value.to_string(), c.text.value.clone()))
            .collect();
        v.sort();
        v
    };
    cells(a) == cells(b)
        && a.experience == b.experience
        && a.touchpoints == b.touchpoints
        && a.emotion == b.emotion
        && a.notes == b.notes
        && a.tasks.len() == b.tasks.len()
        && a.tasks.iter().zip(&b.tasks).all(|(x, y)| same_task(x, y))
}

fn same_journey(a: &Journey, b: &Journey) -> bool {
    a.persona == b.persona
        && a.name == b.name
        && a.stages.len() == b.stages.len()
        && a.stages.iter().all(|s| {
            b.stage(s.stage.value.as_str())
                .is_some_and(|t| same_stage(s, t))
        })
}

pub(super) fn journeys(
    old: &Site,
    new: &Site,
    on: &Names,
    nn: &Names,
    moved: &Moved,
    out: &mut Vec<Change>,
) {
    let renamed = renames(&old.journeys, &new.journeys, same_journey);
    for (from, to) in &renamed {
        let j = &new.journeys[to];
        let mut c = Change::new("journey.renamed", "journeys", nn.journey(j))
            .field("id")
            .values(Some(from.to_string()), Some(to.to_string()));
        c.persona = Some(nn.persona(&j.persona.value));
        out.push(c);
    }
    for (id, b) in &new.journeys {
        let Some(a) = old.journeys.get(id) else {
            if !renamed.iter().any(|(_, t)| t == id) {
                let mut c = Change::new("journey.added", "journeys", nn.journey(b));
                c.persona = Some(nn.persona(&b.persona.value));
                for t in b.stages.iter().flat_map(|s| &s.tasks) {
                    c = c.notify(t.department.value.as_str());
                }
                out.push(c);
            }
            continue;
        };
        journey(a, b, on, nn, moved, out);
    }
    for (id, a) in &old.journeys {
        if !new.journeys.contains_key(id) && !renamed.iter().any(|(f, _)| f == id) {
            let mut c = Change::new("journey.removed", "journeys", on.journey(a));
            c.persona = Some(on.persona(&a.persona.value));
            for t in a.stages.iter().flat_map(|s| &s.tasks) {
                c = c.notify(t.department.value.as_str());
            }
            out.push(c);
        }
    }
}

fn journey(a: &Journey, b: &Journey, on: &Names, nn: &Names, moved: &Moved, out: &mut Vec<Change>) {
    let subject = nn.journey(b);
    let persona = nn.persona(&b.persona.value);
    let base = |kind: &'static str| {
        let mut c = Change::new(kind, "journeys", subject.clone());
        c.persona = Some(persona.clone());
        c
    };
    if moved.persona(&a.persona.value) != &b.persona.value {
        out.push(base("journey.changed").field("persona").values(
            Some(on.persona(&a.persona.value).name),
            Some(persona.name.clone()),
        ));
    }
    super::upkeep(
        &a.upkeep,
        &b.upkeep,
        on,
        nn,
        || base("journey.changed"),
        out,
    );
    if a.name != b.name {
        out.push(
            base("journey.changed")
                .field("name")
                .values(o(&a.name), o(&b.name)),
        );
    }
    // Stages in the new site's order, then stages only the old site had.
    let mut stage_ids: Vec<String> = nn
        .site
        .config
        .stages
        .iter()
        .map(|s| s.id.value.to_string())
        .collect();
    for s in on.site.config.stages.iter().map(|s| s.id.value.to_string()) {
        if !stage_ids.contains(&s) {
            stage_ids.push(s);
        }
    }
    for extra in a
        .stages
        .iter()
        .chain(&b.stages)
        .map(|s| s.stage.value.to_string())
    {
        if !stage_ids.contains(&extra) {
            stage_ids.push(extra);
        }
    }
    let mut row_ids: Vec<String> = nn
        .site
        .config
        .rows
        .iter()
        .map(|r| r.id.value.to_string())
        .collect();
    for r in on.site.config.rows.iter().map(|r| r.id.value.to_string()) {
        if !row_ids.contains(&r) {
            row_ids.push(r);
        }
    }
    for sid in &stage_ids {
        let sa = a.stage(sid);
        let sb = b.stage(sid);
        if sa.is_none() && sb.is_none() {
            continue;
        }
        let stage = if nn.site.stage(sid).is_some() {
            nn.stage(sid)
        } else {
            on.stage(sid)
        };
        // The stage's owner now, or (for a removed stage) its owner before.
        let owner = nn.owner(sid).or_else(|| on.owner(sid)).unwrap_or_default();
        let at_stage = |kind: &'static str| {
            let mut c = base(kind);
            c.stage = Some(stage.clone());
            c
        };
        for rid in &row_ids {
            let x = sa
                .and_then(|s| s.cell(rid))
                .map(|c| c.text.value.clone())
                .filter(|t| !t.trim().is_empty());
            let y = sb
                .and_then(|s| s.cell(rid))
                .map(|c| c.text.value.clone())
                .filter(|t| !t.trim().is_empty());
            if x == y {
                continue;
            }
            let kind = match (&x, &y) {
                (None, Some(_)) => "journey.cell.added",
                (Some(_), None) => "journey.cell.removed",
                _ => "journey.cell.changed",
            };
            let mut c = at_stage(kind).values(x, y).notify(&owner);
            c.row = Some(if nn.site.row(rid).is_some() {
                nn.row(rid)
            } else {
                on.row(rid)
            });
            out.push(c);
        }
        let exp = |s: Option<&JourneyStage>| s.and_then(|s| o(&s.experience));
        let tps = |s: Option<&JourneyStage>| s.and_then(|s| join(&list(&s.touchpoints)));
        let emo = |s: Option<&JourneyStage>| {
            s.and_then(|s| s.emotion.as_ref().map(|e| e.value.to_string()))
        };
        let notes = |s: Option<&JourneyStage>| s.and_then(|s| o(&s.notes));
        for (f, x, y) in [
            ("experience", exp(sa), exp(sb)),
            ("touchpoints", tps(sa), tps(sb)),
            ("emotion", emo(sa), emo(sb)),
            ("notes", notes(sa), notes(sb)),
        ] {
            if x != y {
                out.push(
                    at_stage("journey.stage.changed")
                        .field(f)
                        .values(x, y)
                        .notify(&owner),
                );
            }
        }
        tasks(
            sa.map_or(&[][..], |s| &s.tasks),
            sb.map_or(&[][..], |s| &s.tasks),
            &at_stage,
            on,
            nn,
            moved,
            out,
        );
    }
}
