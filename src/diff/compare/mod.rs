//! Comparing two models, matched by id, never by line: reformatting a file (key order,
//! blank lines, comments, quoting) changes nothing here because the model has none of it.
//!
//! This file holds the walk over the kinds of content and what every comparison shares (the
//! names of things at each revision, renamed files, how a field or body is read); each kind
//! is compared in a file of its own.

mod config;
mod departments;
mod glossary;
mod journeys;
mod onboarding;
mod personas;
mod playbooks;
mod quizzes;
mod tasks;

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Change, Named};
use crate::model::{Id, Journey, Site, Spanned};
use departments::{departments, same_department};
use personas::{personas, same_persona};

pub use playbooks::line_summary;

pub(super) fn s(v: &Spanned<String>) -> String {
    v.value.clone()
}

pub(super) fn o(v: &Option<Spanned<String>>) -> Option<String> {
    v.as_ref().map(|x| x.value.clone())
}

pub(super) fn list(v: &[Spanned<String>]) -> Vec<String> {
    v.iter().map(|x| x.value.clone()).collect()
}

pub(super) fn ids(v: &[Spanned<Id>]) -> Vec<String> {
    v.iter().map(|x| x.value.to_string()).collect()
}

pub(super) fn join(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join(", "))
}

/// A page's owner and review date, compared: the owner in its department's name at each
/// revision ("owner: インサイドセールス → フィールドセールス"), both owners told; `base` makes
/// the change for the page.
pub(super) fn upkeep(
    a: &crate::model::Upkeep,
    b: &crate::model::Upkeep,
    on: &Names,
    nn: &Names,
    base: impl Fn() -> Change,
    out: &mut Vec<Change>,
) {
    let (oa, ob) = (
        a.owner.as_ref().map(|o| &o.value),
        b.owner.as_ref().map(|o| &o.value),
    );
    if oa != ob {
        let mut c = base().field("owner").values(
            oa.map(|o| on.department(o).name),
            ob.map(|o| nn.department(o).name),
        );
        // Two names or two dates read whole: old, then new, not a diff of their letters.
        c.words.clear();
        for d in [oa, ob].into_iter().flatten() {
            c = c.notify(d.as_str());
        }
        out.push(c);
    }
    let date = |u: &crate::model::Upkeep| u.reviewed.as_ref().map(|r| r.value.to_string());
    if date(a) != date(b) {
        let mut c = base().field("reviewed").values(date(a), date(b));
        c.words.clear();
        if let Some(o) = ob {
            c = c.notify(o.as_str());
        }
        out.push(c);
    }
}

/// Ids renamed between the revisions, old → new.
pub(super) struct Moved {
    personas: BTreeMap<Id, Id>,
    departments: BTreeMap<Id, Id>,
}

impl Moved {
    pub(super) fn persona<'a>(&'a self, id: &'a Id) -> &'a Id {
        self.personas.get(id).unwrap_or(id)
    }
    pub(super) fn department<'a>(&'a self, id: &'a Id) -> &'a Id {
        self.departments.get(id).unwrap_or(id)
    }
}

/// Names of things at one revision.
pub(super) struct Names<'a> {
    pub(super) site: &'a Site,
}

impl Names<'_> {
    pub(super) fn persona(&self, id: &Id) -> Named {
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
    pub(super) fn stage(&self, id: &str) -> Named {
        let name = self
            .site
            .stage(id)
            .map_or_else(|| id.to_string(), |s| s.name.value.clone());
        Named {
            id: id.to_string(),
            name,
        }
    }
    pub(super) fn row(&self, id: &str) -> Named {
        let name = self
            .site
            .row(id)
            .map_or_else(|| id.to_string(), |r| r.name.value.clone());
        Named {
            id: id.to_string(),
            name,
        }
    }
    pub(super) fn department(&self, id: &Id) -> Named {
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
    pub(super) fn journey(&self, j: &Journey) -> Named {
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
    pub(super) fn owner(&self, stage: &str) -> Option<String> {
        self.site
            .stage(stage)
            .and_then(|s| s.owner.as_ref())
            .map(|o| o.value.to_string())
    }
}

/// Every change from `old` to `new`, in a fixed order: site, stages and rows, personas,
/// journeys, departments, playbooks, quizzes, glossary, onboarding; within each, by id.
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
    config::site_settings(old, new, &mut out);
    config::phases(old, new, &mut out);
    config::stages(old, new, &mut out);
    config::rows(old, new, &mut out);
    personas(old, new, &on, &nn, &mut out);
    journeys::journeys(old, new, &on, &nn, &moved, &mut out);
    departments(old, new, &on, &nn, &mut out);
    playbooks::playbooks(old, new, &on, &nn, &mut out);
    quizzes::quizzes(old, new, &on, &nn, &mut out);
    glossary::glossary(old.glossary.as_ref(), new.glossary.as_ref(), &mut out);
    onboarding::onboarding(old.onboarding.as_ref(), new.onboarding.as_ref(), &mut out);
    out
}

/// Items removed and added under different ids but otherwise equal: a renamed file.
pub(super) fn renames<T>(
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
pub(super) fn body(b: &Spanned<String>) -> String {
    let t = b
        .value
        .trim_matches(|c: char| c == '\n' || c == '\r' || c == ' ' || c == '\t');
    if t.is_empty() {
        String::new()
    } else {
        format!("{t}\n")
    }
}
