//! Comparing two models, matched by id, never by line: reformatting a file (key order,
//! blank lines, comments, quoting) changes nothing here because the model has none of it.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Change, Named};
use crate::model::{
    Department, Glossary, Id, Journey, JourneyStage, Onboarding, Persona, Playbook, Site, Spanned,
    Task,
};

fn s(v: &Spanned<String>) -> String {
    v.value.clone()
}

fn o(v: &Option<Spanned<String>>) -> Option<String> {
    v.as_ref().map(|x| x.value.clone())
}

fn list(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(|x| x.value.clone()).collect()
}

fn ids(v: &[Spanned<Id>]) -> Vec<String> {
    v.iter().map(|x| x.value.to_string()).collect()
}

fn join(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join(", "))
}

/// Ids renamed between the revisions, old → new.
struct Moved {
    personas: BTreeMap<Id, Id>,
    departments: BTreeMap<Id, Id>,
}

impl Moved {
    fn persona<'a>(&'a self, id: &'a Id) -> &'a Id {
        self.personas.get(id).unwrap_or(id)
    }
    fn department<'a>(&'a self, id: &'a Id) -> &'a Id {
        self.departments.get(id).unwrap_or(id)
    }
}

/// Names of things at one revision.
struct Names<'a> {
    site: &'a Site,
}

impl Names<'_> {
    fn persona(&self, id: &Id) -> Named {
        let name = self
            .site
            .personas
            .get(id)
            .map_or_else(|| id.to_string(), |p| p.name.value.clone());
        Named {
            id: id.to_string(),
            name,
        }
    }
    fn stage(&self, id: &str) -> Named {
        let name = self
            .site
            .stage(id)
            .map_or_else(|| id.to_string(), |s| s.name.value.clone());
        Named {
            id: id.to_string(),
            name,
        }
    }
    fn row(&self, id: &str) -> Named {
        let name = self
            .site
            .row(id)
            .map_or_else(|| id.to_string(), |r| r.name.value.clone());
        Named {
            id: id.to_string(),
            name,
        }
    }
    fn department(&self, id: &Id) -> Named {
        let name = self
            .site
            .departments
            .get(id)
            .map_or_else(|| id.to_string(), |d| d.name.value.clone());
        Named {
            id: id.to_string(),
            name,
        }
    }
    fn journey(&self, j: &Journey) -> Named {
        let persona = self
            .site
            .personas
            .get(&j.persona.value)
            .map(|p| p.name.value.clone());
        let name = j
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .or(persona)
            .unwrap_or_else(|| j.id.to_string());
        Named {
            id: j.id.to_string(),
            name,
        }
    }
    fn owner(&self, stage: &str) -> Option<String> {
        self.site
            .stage(stage)
            .and_then(|s| s.owner.as_ref())
            .map(|o| o.value.to_string())
    }
}

/// Every change from `old` to `new`, in a fixed order: site, stages and rows, personas,
/// journeys, departments, playbooks, glossary, onboarding; within each, by id.
pub fn compare(old: &Site, new: &Site) -> Vec<Change> {
    let on = Names { site: old };
    let nn = Names { site: new };
    // Renamed personas and departments: references to the old id that now name the new one
    // are not changes.
    let moved = Moved {
        personas: renames(&old.personas, &new.personas, same_persona)
            .into_iter()
            .collect(),
        departments: renames(&old.departments, &new.departments, same_department)
            .into_iter()
            .collect(),
    };
    let mut out = Vec::new();
    site_settings(old, new, &mut out);
    phases(old, new, &mut out);
    stages(old, new, &mut out);
    rows(old, new, &mut out);
    personas(old, new, &on, &nn, &mut out);
    journeys(old, new, &on, &nn, &moved, &mut out);
    departments(old, new, &nn, &mut out);
    playbooks(old, new, &on, &nn, &mut out);
    glossary(old.glossary.as_ref(), new.glossary.as_ref(), &mut out);
    onboarding(old.onboarding.as_ref(), new.onboarding.as_ref(), &mut out);
    out
}

fn site_settings(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let subject = Named {
        id: "tabiji.toml".into(),
        name: new.config.title.value.clone(),
    };
    let (a, b) = (&old.config, &new.config);
    let fields: [(&'static str, Option<String>, Option<String>); 4] = [
        ("title", Some(s(&a.title)), Some(s(&b.title))),
        (
            "language",
            Some(a.language.as_str().into()),
            Some(b.language.as_str().into()),
        ),
        (
            "base_url",
            Some(a.base_url.clone()),
            Some(b.base_url.clone()),
        ),
        ("description", o(&a.description), o(&b.description)),
    ];
    for (f, x, y) in fields {
        if x != y {
            out.push(
                Change::new("site.changed", "site", subject.clone())
                    .field(f)
                    .values(x, y),
            );
        }
    }
}

/// Added, removed, renamed and reordered items of an ordered list keyed by id.
fn ordered<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> (String, String),
    area: &'static str,
    noun: &'static str,
    out: &mut Vec<Change>,
) {
    let old_ids: Vec<(String, String)> = old.iter().map(&key).collect();
    let new_ids: Vec<(String, String)> = new.iter().map(&key).collect();
    let kind = |what: &str| -> &'static str {
        match (noun, what) {
            ("stage", "added") => "stage.added",
            ("stage", "removed") => "stage.removed",
            ("stage", "renamed") => "stage.renamed",
            ("stage", "reordered") => "stage.reordered",
            ("row", "added") => "row.added",
            ("row", "removed") => "row.removed",
            ("row", "renamed") => "row.renamed",
            ("row", "reordered") => "row.reordered",
            ("phase", "added") => "phase.added",
            ("phase", "removed") => "phase.removed",
            ("phase", "renamed") => "phase.renamed",
            _ => "phase.reordered",
        }
    };
    for (id, name) in &new_ids {
        match old_ids.iter().find(|(i, _)| i == id) {
            None => out.push(Change::new(
                kind("added"),
                area,
                Named {
                    id: id.clone(),
                    name: name.clone(),
                },
            )),
            Some((_, old_name)) if old_name != name => out.push(
                Change::new(
                    kind("renamed"),
                    area,
                    Named {
                        id: id.clone(),
                        name: name.clone(),
                    },
                )
                .field("name")
                .values(Some(old_name.clone()), Some(name.clone())),
            ),
            _ => {}
        }
    }
    for (id, name) in &old_ids {
        if !new_ids.iter().any(|(i, _)| i == id) {
            out.push(Change::new(
                kind("removed"),
                area,
                Named {
                    id: id.clone(),
                    name: name.clone(),
                },
            ));
        }
    }
    // Order of the ids both revisions have.
    let common_old: Vec<&String> = old_ids
        .iter()
        .map(|x| &x.0)
        .filter(|i| new_ids.iter().any(|n| &n.0 == *i))
        .collect();
    let common_new: Vec<&String> = new_ids
        .iter()
        .map(|x| &x.0)
        .filter(|i| old_ids.iter().any(|n| &n.0 == *i))
        .collect();
    if common_old != common_new {
        let names = |v: &[(String, String)]| {
            v.iter()
                .map(|x| x.1.clone())
                .collect::<Vec<_>>()
                .join(" → ")
        };
        out.push(
            Change::new(
                kind("reordered"),
                area,
                Named {
                    id: String::new(),
                    name: format!("{noun}s"),
                },
            )
            .field("order")
            .values(Some(names(&old_ids)), Some(names(&new_ids))),
        );
    }
}

fn phases(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let key = |p: &crate::model::Phase| (p.id.value.to_string(), p.name.value.clone());
    ordered(
        &old.config.phases,
        &new.config.phases,
        key,
        "stages",
        "phase",
        out,
    );
}

fn stages(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let key = |p: &crate::model::Stage| (p.id.value.to_string(), p.name.value.clone());
    let before = out.len();
    ordered(
        &old.config.stages,
        &new.config.stages,
        key,
        "stages",
        "stage",
        out,
    );
    // A stage added or removed concerns the department that owns (or owned) it.
    for c in out.iter_mut().skip(before) {
        let site = match c.kind {
            "stage.added" => new,
            "stage.removed" => old,
            _ => continue,
        };
        if let Some(owner) = site.stage(&c.subject.id).and_then(|s| s.owner.as_ref()) {
            c.notify_mut(owner.value.as_str());
        }
    }
    for b in &new.config.stages {
        let Some(a) = old.config.stages.iter().find(|a| a.id.value == b.id.value) else {
            continue;
        };
        let subject = Named {
            id: b.id.value.to_string(),
            name: b.name.value.clone(),
        };
        let id_of = |x: &Option<Spanned<Id>>| x.as_ref().map(|v| v.value.to_string());
        for (f, x, y) in [
            ("summary", o(&a.summary), o(&b.summary)),
            ("phase", id_of(&a.phase), id_of(&b.phase)),
            ("owner", id_of(&a.owner), id_of(&b.owner)),
        ] {
            if x != y {
                let mut c = Change::new("stage.changed", "stages", subject.clone())
                    .field(f)
                    .values(x.clone(), y.clone());
                if f == "owner" {
                    // The old and the new owner must both learn of it.
                    for d in [x, y].into_iter().flatten() {
                        c = c.notify(&d);
                    }
                }
                out.push(c);
            }
        }
    }
}

fn rows(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let key = |p: &crate::model::Row| (p.id.value.to_string(), p.name.value.clone());
    ordered(
        &old.config.rows,
        &new.config.rows,
        key,
        "stages",
        "row",
        out,
    );
    for b in &new.config.rows {
        let Some(a) = old.config.rows.iter().find(|a| a.id.value == b.id.value) else {
            continue;
        };
        if o(&a.description) != o(&b.description) {
            out.push(
                Change::new(
                    "row.changed",
                    "stages",
                    Named {
                        id: b.id.value.to_string(),
                        name: b.name.value.clone(),
                    },
                )
                .field("description")
                .values(o(&a.description), o(&b.description)),
            );
        }
    }
}

/// Items removed and added under different ids but otherwise equal: a renamed file.
fn renames<T>(
    old: &BTreeMap<Id, std::sync::Arc<T>>,
    new: &BTreeMap<Id, std::sync::Arc<T>>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<(Id, Id)> {
    let removed: Vec<&Id> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let added: Vec<&Id> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let mut used = BTreeSet::new();
    let mut pairs = Vec::new();
    for r in removed {
        if let Some(a) = added
            .iter()
            .find(|a| !used.contains(**a) && same(&old[r], &new[**a]))
        {
            used.insert((*a).clone());
            pairs.push((r.clone(), (*a).clone()));
        }
    }
    pairs
}

/// A Markdown body as it reads: blank lines around it do not count.
fn body(b: &Spanned<String>) -> String {
    let t = b
        .value
        .trim_matches(|c: char| c == '\n' || c == '\r' || c == ' ' || c == '\t');
    if t.is_empty() {
        String::new()
    } else {
        format!("{t}\n")
    }
}

fn same_persona(a: &Persona, b: &Persona) -> bool {
    a.name == b.name
        && a.role == b.role
        && a.summary == b.summary
        && a.company == b.company
        && a.goals == b.goals
        && a.concerns == b.concerns
        && body(&a.body) == body(&b.body)
}

fn personas(old: &Site, new: &Site, on: &Names, nn: &Names, out: &mut Vec<Change>) {
    let renamed = renames(&old.personas, &new.personas, same_persona);
    for (from, to) in &renamed {
        out.push(
            Change::new("persona.renamed", "personas", nn.persona(to))
                .field("id")
                .values(Some(from.to_string()), Some(to.to_string())),
        );
    }
    let is_renamed_from = |id: &Id| renamed.iter().any(|(f, _)| f == id);
    let is_renamed_to = |id: &Id| renamed.iter().any(|(_, t)| t == id);
    for (id, b) in &new.personas {
        let Some(a) = old.personas.get(id) else {
            if !is_renamed_to(id) {
                out.push(Change::new("persona.added", "personas", nn.persona(id)));
            }
            continue;
        };
        let fields: [(&'static str, Option<String>, Option<String>); 7] = [
            ("name", Some(s(&a.name)), Some(s(&b.name))),
            ("role", o(&a.role), o(&b.role)),
            ("summary", o(&a.summary), o(&b.summary)),
            ("company", o(&a.company), o(&b.company)),
            ("goals", join(&list(&a.goals)), join(&list(&b.goals))),
            (
                "concerns",
                join(&list(&a.concerns)),
                join(&list(&b.concerns)),
            ),
            ("body", Some(body(&a.body)), Some(body(&b.body))),
        ];
        for (f, x, y) in fields {
            if x != y {
                out.push(
                    Change::new("persona.changed", "personas", nn.persona(id))
                        .field(f)
                        .values(x, y),
                );
            }
        }
    }
    for id in old.personas.keys() {
        if !new.personas.contains_key(id) && !is_renamed_from(id) {
            out.push(Change::new("persona.removed", "personas", on.persona(id)));
        }
    }
}

fn same_task(a: &Task, b: &Task) -> bool {
    a.department == b.department && a.task == b.task && a.kpi == b.kpi
}

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

fn journeys(old: &Site, new: &Site, on: &Names, nn: &Names, moved: &Moved, out: &mut Vec<Change>) {
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

/// Tasks have no ids: match equal tasks first, then the same text under another department
/// (a move), then the same department in order (a rewording); the rest were added or removed.
fn tasks(
    a: &[Task],
    b: &[Task],
    at_stage: &dyn Fn(&'static str) -> Change,
    on: &Names,
    nn: &Names,
    moved: &Moved,
    out: &mut Vec<Change>,
) {
    let dept = |x: &Task| moved.department(&x.department.value).clone();
    let mut left: Vec<Option<&Task>> = a.iter().map(Some).collect();
    let mut right: Vec<Option<&Task>> = b.iter().map(Some).collect();
    let _ = take_pairs(
        &|x, y| dept(x) == y.department.value && x.task == y.task && x.kpi == y.kpi,
        &mut left,
        &mut right,
    );
    for (x, y) in take_pairs(
        &|x, y| x.task == y.task && dept(x) != y.department.value,
        &mut left,
        &mut right,
    ) {
        let mut c = at_stage("task.moved")
            .field("department")
            .values(
                Some(on.department(&x.department.value).name),
                Some(nn.department(&y.department.value).name),
            )
            .notify(x.department.value.as_str())
            .notify(y.department.value.as_str());
        c.department = Some(nn.department(&y.department.value));
        c.words.clear();
        c.task = Some(y.task.value.clone());
        out.push(c);
        if x.kpi != y.kpi {
            out.push(kpi_change(at_stage, x, y, nn));
        }
    }
    for (x, y) in take_pairs(&|x, y| dept(x) == y.department.value, &mut left, &mut right) {
        if x.task != y.task {
            out.push(task_text(at_stage, x, y, nn));
        }
        if x.kpi != y.kpi {
            out.push(kpi_change(at_stage, x, y, nn));
        }
    }
    for y in right.into_iter().flatten() {
        let mut c = at_stage("task.added")
            .values(None, Some(s(&y.task)))
            .notify(y.department.value.as_str());
        c.department = Some(nn.department(&y.department.value));
        if let Some(k) = &y.kpi {
            c.field = Some("task");
            c.old = None;
            c.new = Some(format!("{} (KPI: {})", y.task.value, k.value));
        }
        out.push(c);
    }
    for x in left.into_iter().flatten() {
        let mut c = at_stage("task.removed")
            .values(Some(s(&x.task)), None)
            .notify(x.department.value.as_str());
        c.department = Some(on.department(&x.department.value));
        out.push(c);
    }
}

/// Pair up tasks of both sides that satisfy `pred`, taking them out of the lists.
fn take_pairs<'t>(
    pred: &dyn Fn(&Task, &Task) -> bool,
    left: &mut [Option<&'t Task>],
    right: &mut [Option<&'t Task>],
) -> Vec<(&'t Task, &'t Task)> {
    let mut pairs = Vec::new();
    for l in left.iter_mut() {
        let Some(x) = *l else { continue };
        if let Some(r) = right.iter_mut().find(|r| r.is_some_and(|y| pred(x, y))) {
            if let Some(y) = r.take() {
                pairs.push((x, y));
                *l = None;
            }
        }
    }
    pairs
}

fn task_text(at_stage: &dyn Fn(&'static str) -> Change, x: &Task, y: &Task, nn: &Names) -> Change {
    let mut c = at_stage("task.changed")
        .field("task")
        .values(Some(s(&x.task)), Some(s(&y.task)))
        .notify(y.department.value.as_str());
    c.department = Some(nn.department(&y.department.value));
    c
}

fn kpi_change(at_stage: &dyn Fn(&'static str) -> Change, x: &Task, y: &Task, nn: &Names) -> Change {
    let mut c = at_stage("task.kpi.changed")
        .field("kpi")
        .values(o(&x.kpi), o(&y.kpi))
        .notify(y.department.value.as_str());
    c.department = Some(nn.department(&y.department.value));
    c.task = Some(y.task.value.clone());
    c
}

fn same_department(a: &Department, b: &Department) -> bool {
    a.name == b.name
        && a.clients == b.clients
        && a.suppliers == b.suppliers
        && a.kpis == b.kpis
        && body(&a.body) == body(&b.body)
}

fn departments(old: &Site, new: &Site, nn: &Names, out: &mut Vec<Change>) {
    let renamed = renames(&old.departments, &new.departments, same_department);
    let subject = |d: &Department| Named {
        id: d.id.to_string(),
        name: d.name.value.clone(),
    };
    for (from, to) in &renamed {
        out.push(
            Change::new(
                "department.renamed",
                "departments",
                subject(&new.departments[to]),
            )
            .field("id")
            .values(Some(from.to_string()), Some(to.to_string()))
            .notify(to.as_str()),
        );
    }
    for (id, b) in &new.departments {
        let Some(a) = old.departments.get(id) else {
            if !renamed.iter().any(|(_, t)| t == id) {
                out.push(
                    Change::new("department.added", "departments", subject(b)).notify(id.as_str()),
                );
            }
            continue;
        };
        let fields: [(&'static str, Option<String>, Option<String>); 5] = [
            ("name", Some(s(&a.name)), Some(s(&b.name))),
            ("clients", join(&ids(&a.clients)), join(&ids(&b.clients))),
            (
                "suppliers",
                join(&ids(&a.suppliers)),
                join(&ids(&b.suppliers)),
            ),
            ("kpis", join(&list(&a.kpis)), join(&list(&b.kpis))),
            ("body", Some(body(&a.body)), Some(body(&b.body))),
        ];
        for (f, x, y) in fields {
            if x != y {
                let mut c = Change::new("department.changed", "departments", subject(b))
                    .field(f)
                    .values(x, y)
                    .notify(id.as_str());
                // A new or lost client or supplier must hear of it too.
                if f == "clients" || f == "suppliers" {
                    let (xa, xb) = if f == "clients" {
                        (&a.clients, &b.clients)
                    } else {
                        (&a.suppliers, &b.suppliers)
                    };
                    for d in xa.iter().chain(xb.iter()) {
                        if !(xa.contains(d) && xb.contains(d)) {
                            c = c.notify(d.value.as_str());
                        }
                    }
                }
                out.push(c);
            }
        }
    }
    for (id, a) in &old.departments {
        if !new.departments.contains_key(id) && !renamed.iter().any(|(f, _)| f == id) {
            out.push(
                Change::new("department.removed", "departments", subject(a)).notify(id.as_str()),
            );
        }
    }
    let _ = nn;
}

fn same_playbook(a: &Playbook, b: &Playbook) -> bool {
    a.title == b.title
        && a.stage == b.stage
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

fn playbooks(old: &Site, new: &Site, on: &Names, nn: &Names, out: &mut Vec<Change>) {
    let renamed = renames(&old.playbooks, &new.playbooks, same_playbook);
    let subject = |p: &Playbook| Named {
        id: p.id.to_string(),
        name: p.title.value.clone(),
    };
    let with_stage = |mut c: Change, p: &Playbook, names: &Names| {
        c.stage = Some(names.stage(p.stage.value.as_str()));
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
        if a.stage != b.stage {
            out.push(with_stage(
                Change::new("playbook.moved", "playbooks", subject(b))
                    .field("stage")
                    .values(
                        Some(on.stage(a.stage.value.as_str()).name),
                        Some(nn.stage(b.stage.value.as_str()).name),
                    ),
                b,
                nn,
            ));
        }
        let order = |p: &Playbook| p.order.as_ref().map(|o| o.value.to_string());
        for (f, x, y) in [
            (
                "departments",
                join(&ids(&a.departments)),
                join(&ids(&b.departments)),
            ),
            ("personas", join(&ids(&a.personas)), join(&ids(&b.personas))),
            ("order", order(a), order(b)),
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

fn glossary(old: Option<&Glossary>, new: Option<&Glossary>, out: &mut Vec<Change>) {
    let terms = |g: Option<&Glossary>| -> BTreeMap<String, (String, Option<String>, String)> {
        g.map(|g| {
            g.terms
                .iter()
                .map(|t| {
                    (
                        crate::model::term_key(&t.term.value),
                        (
                            t.term.value.clone(),
                            o(&t.reading),
                            t.definition.value.clone(),
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let (a, b) = (terms(old), terms(new));
    for (k, (term, reading, def)) in &b {
        let subject = Named {
            id: term.clone(),
            name: term.clone(),
        };
        match a.get(k) {
            None => out.push(
                Change::new("term.added", "glossary", subject).values(None, Some(def.clone())),
            ),
            Some((_, r0, d0)) => {
                if d0 != def {
                    out.push(
                        Change::new("term.changed", "glossary", subject.clone())
                            .field("definition")
                            .values(Some(d0.clone()), Some(def.clone())),
                    );
                }
                if r0 != reading {
                    out.push(
                        Change::new("term.changed", "glossary", subject)
                            .field("reading")
                            .values(r0.clone(), reading.clone()),
                    );
                }
            }
        }
    }
    for (k, (term, _, def)) in &a {
        if !b.contains_key(k) {
            out.push(
                Change::new(
                    "term.removed",
                    "glossary",
                    Named {
                        id: term.clone(),
                        name: term.clone(),
                    },
                )
                .values(Some(def.clone()), None),
            );
        }
    }
}

fn onboarding(old: Option<&Onboarding>, new: Option<&Onboarding>, out: &mut Vec<Change>) {
    let subject = |o: &Onboarding| Named {
        id: "onboarding".into(),
        name: o.title.value.clone(),
    };
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => out.push(Change::new("onboarding.added", "onboarding", subject(b))),
        (Some(a), None) => out.push(Change::new("onboarding.removed", "onboarding", subject(a))),
        (Some(a), Some(b)) => {
            if a.title != b.title {
                out.push(
                    Change::new("onboarding.changed", "onboarding", subject(b))
                        .field("title")
                        .values(Some(s(&a.title)), Some(s(&b.title))),
                );
            }
            let step = |st: &crate::model::OnboardingStep| {
                let pages: Vec<String> = st
                    .pages
                    .iter()
                    .map(|p| match &p.value.id {
                        Some(id) => format!("{}/{id}", p.value.kind.folder()),
                        None => p.value.kind.folder().to_string(),
                    })
                    .collect();
                format!(
                    "{} [{}]{}",
                    st.title.value,
                    pages.join(", "),
                    st.note
                        .as_ref()
                        .map_or(String::new(), |n| format!(" — {}", n.value))
                )
            };
            let sa: Vec<String> = a.steps.iter().map(step).collect();
            let sb: Vec<String> = b.steps.iter().map(step).collect();
            // Match steps as a sequence, so an inserted step is one addition.
            let named = |steps: &[crate::model::OnboardingStep], i: usize| Named {
                id: format!("step-{}", i + 1),
                name: steps[i].title.value.clone(),
            };
            let removed = |i: usize| {
                Change::new("onboarding.step.removed", "onboarding", named(&a.steps, i))
                    .values(Some(sa[i].clone()), None)
            };
            let added = |i: usize| {
                Change::new("onboarding.step.added", "onboarding", named(&b.steps, i))
                    .values(None, Some(sb[i].clone()))
            };
            for op in similar::capture_diff_slices(similar::Algorithm::Myers, &sa, &sb) {
                match op {
                    similar::DiffOp::Equal { .. } => {}
                    similar::DiffOp::Delete {
                        old_index, old_len, ..
                    } => out.extend((old_index..old_index + old_len).map(removed)),
                    similar::DiffOp::Insert {
                        new_index, new_len, ..
                    } => out.extend((new_index..new_index + new_len).map(added)),
                    similar::DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    } => {
                        let common = old_len.min(new_len);
                        for k in 0..common {
                            out.push(
                                Change::new(
                                    "onboarding.step.changed",
                                    "onboarding",
                                    named(&b.steps, new_index + k),
                                )
                                .values(
                                    Some(sa[old_index + k].clone()),
                                    Some(sb[new_index + k].clone()),
                                ),
                            );
                        }
                        out.extend((old_index + common..old_index + old_len).map(removed));
                        out.extend((new_index + common..new_index + new_len).map(added));
                    }
                }
            }
        }
    }
}
