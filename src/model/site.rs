//! The site as a whole and its settings from `tabiji.toml`.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{
    Department, Glossary, Id, Journey, Onboarding, PageRefKind, Persona, Playbook, Quiz, Spanned,
    Upkeep,
};
use crate::source::FileId;
use crate::source::Span;

/// Everything a site says, after loading and validation.
#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    // Behind `Arc`: `serve` keeps unchanged files' content between rebuilds without copying.
    pub personas: BTreeMap<Id, Arc<Persona>>,
    pub journeys: BTreeMap<Id, Arc<Journey>>,
    pub departments: BTreeMap<Id, Arc<Department>>,
    pub playbooks: BTreeMap<Id, Arc<Playbook>>,
    pub quizzes: BTreeMap<Id, Arc<Quiz>>,
    pub glossary: Option<Glossary>,
    pub onboarding: Option<Onboarding>,
}

impl Site {
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.config
            .stages
            .iter()
            .find(|s| s.id.value.as_str() == id)
    }

    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.config
            .stages
            .iter()
            .position(|s| s.id.value.as_str() == id)
    }

    pub fn row(&self, id: &str) -> Option<&Row> {
        self.config.rows.iter().find(|r| r.id.value.as_str() == id)
    }

    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.config
            .phases
            .iter()
            .find(|p| p.id.value.as_str() == id)
    }

    /// Journeys of one persona, in id order.
    pub fn journeys_of<'a>(&'a self, persona: &'a Id) -> impl Iterator<Item = &'a Journey> + 'a {
        self.journeys
            .values()
            .map(|j| &**j)
            .filter(move |j| &j.persona.value == persona)
    }

    /// The persona-at-stage pages of the site, persona by persona (in id order), stages in
    /// column order: a persona has one for every stage when it has a journey, and otherwise
    /// for the stages where a playbook applies to it.
    pub fn persona_stages(&self) -> Vec<(&Persona, &Stage)> {
        let with_journey: std::collections::BTreeSet<&Id> =
            self.journeys.values().map(|j| &j.persona.value).collect();
        let mut out = Vec::new();
        for p in self.personas.values() {
            for s in &self.config.stages {
                if self.has_persona_stage_page(p, s, with_journey.contains(&p.id)) {
                    out.push((&**p, s));
                }
            }
        }
        out
    }

    /// The persona's page at a stage, if it has one (see [`Site::persona_stages`]); for one
    /// page asked for (`serve`), without listing them all.
    pub fn persona_stage(&self, persona: &Id, stage: &Id) -> Option<(&Persona, &Stage)> {
        let p = self.personas.get(persona)?;
        let s = self.stage(stage.as_str())?;
        let has_journey = self.journeys.values().any(|j| &j.persona.value == persona);
        self.has_persona_stage_page(p, s, has_journey)
            .then_some((&**p, s))
    }

    /// The rule of [`Site::persona_stages`], for one persona and stage.
    fn has_persona_stage_page(&self, p: &Persona, s: &Stage, has_journey: bool) -> bool {
        has_journey
            || self
                .playbooks
                .values()
                .any(|b| b.is_for_stage(&s.id.value) && b.applies_to(&p.id))
    }

    /// Quizzes of one stage, in id order.
    pub fn quizzes_of<'a>(&'a self, stage: &'a Id) -> impl Iterator<Item = &'a Quiz> + 'a {
        self.quizzes
            .values()
            .map(|q| &**q)
            .filter(move |q| q.stage.as_ref().is_some_and(|s| &s.value == stage))
    }

    /// Every page built from one content file (persona, journey, department, playbook), kind
    /// by kind in id order, with its file and its `owner` and `reviewed`.
    pub fn kept_pages(&self) -> Vec<KeptPage<'_>> {
        let mut out = Vec::new();
        out.extend(self.personas.values().map(|p| KeptPage {
            kind: PageRefKind::Persona,
            id: &p.id,
            title: &p.name.value,
            file: p.file,
            upkeep: &p.upkeep,
        }));
        out.extend(self.journeys.values().map(|j| KeptPage {
            kind: PageRefKind::Journey,
            id: &j.id,
            title: j.name.as_ref().map_or_else(
                || {
                    self.personas
                        .get(&j.persona.value)
                        .map_or(j.id.as_str(), |p| p.name.value.as_str())
                },
                |n| n.value.as_str(),
            ),
            file: j.file,
            upkeep: &j.upkeep,
        }));
        out.extend(self.departments.values().map(|d| KeptPage {
            kind: PageRefKind::Department,
            id: &d.id,
            title: &d.name.value,
            file: d.file,
            upkeep: &d.upkeep,
        }));
        out.extend(self.playbooks.values().map(|p| KeptPage {
            kind: PageRefKind::Playbook,
            id: &p.id,
            title: &p.title.value,
            file: p.file,
            upkeep: &p.upkeep,
        }));
        out
    }

    /// Whether any page has an owner or a review date (the site then has a freshness page).
    pub fn has_upkeep(&self) -> bool {
        self.kept_pages().iter().any(|p| !p.upkeep.is_empty())
    }

    /// Playbooks of one stage, by `order` then id.
    pub fn playbooks_of(&self, stage: &Id) -> Vec<&Playbook> {
        let mut v: Vec<&Playbook> = self
            .playbooks
            .values()
            .map(|p| &**p)
            .filter(|p| p.is_for_stage(stage))
            .collect();
        v.sort_by(|a, b| {
            let ka = a.order.as_ref().map_or(i64::MAX, |o| o.value);
            let kb = b.order.as_ref().map_or(i64::MAX, |o| o.value);
            ka.cmp(&kb).then_with(|| a.id.cmp(&b.id))
        });
        v
    }
}

/// A page built from one content file, with its upkeep: see [`Site::kept_pages`].
#[derive(Clone, Copy, Debug)]
pub struct KeptPage<'a> {
    pub kind: PageRefKind,
    pub id: &'a Id,
    /// Its title as pages show it.
    pub title: &'a str,
    pub file: FileId,
    pub upkeep: &'a Upkeep,
}

/// The built-in labels' language and `<html lang>`: the language of [`crate::i18n`].
pub use crate::i18n::Lang as Language;

/// `tabiji.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub title: Spanned<String>,
    pub language: Language,
    /// Always starts and ends with `/` (or is an absolute URL ending with `/`).
    pub base_url: String,
    pub description: Option<Spanned<String>>,
    /// "Edit this page": a URL with `{path}` (the source file's path in the repository).
    pub edit_url: Option<Spanned<String>>,
    /// A page reviewed longer ago than this many days needs review.
    pub review_days: Option<Spanned<i64>>,
    pub phases: Vec<Phase>,
    pub stages: Vec<Stage>,
    pub rows: Vec<Row>,
    /// `[history] commits`: how many commits the "What changed" page covers.
    pub history: Option<Spanned<u32>>,
    /// The buying group's roles (`[[roles]]`); once declared, a persona's `role` names one.
    pub roles: Vec<Role>,
    /// Qualification frameworks (`[[frameworks]]`: BANT, MEDDIC, …).
    pub frameworks: Vec<Framework>,
}

/// A role in the buying group (DMU): decision maker, influencer, champion, …
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub id: Spanned<Id>,
    pub name: Spanned<String>,
    /// The `[[roles]]` header.
    pub span: Span,
}

/// A qualification framework and its letters, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Framework {
    pub id: Spanned<Id>,
    pub name: Spanned<String>,
    pub letters: Vec<Letter>,
    /// The `[[frameworks]]` header.
    pub span: Span,
}

/// One letter of a framework (`{ id = "m", name = "Metrics" }`).
#[derive(Clone, Debug, PartialEq)]
pub struct Letter {
    pub id: Spanned<Id>,
    pub name: Spanned<String>,
}

impl Config {
    /// A role by id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id.value.as_str() == id)
    }

    /// A framework and one of its letters, from `"<framework>.<letter>"`.
    pub fn letter(&self, qualified: &str) -> Option<(&Framework, &Letter)> {
        let (f, l) = qualified.split_once('.')?;
        let f = self.frameworks.iter().find(|x| x.id.value.as_str() == f)?;
        let l = f.letters.iter().find(|x| x.id.value.as_str() == l)?;
        Some((f, l))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub id: Spanned<Id>,
    pub name: Spanned<String>,
    /// The `[[phases]]` header.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub id: Spanned<Id>,
    pub name: Spanned<String>,
    pub summary: Option<Spanned<String>>,
    pub phase: Option<Spanned<Id>>,
    pub owner: Option<Spanned<Id>>,
    /// The target share (0 < x ≤ 1) of customers moving on to the next stage.
    pub conversion: Option<Spanned<f64>>,
    /// An earlier stage where customers who stall or are lost here go back to.
    pub recycle_to: Option<Spanned<Id>>,
    /// The `[[stages]]` header.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: Spanned<Id>,
    pub name: Spanned<String>,
    pub description: Option<Spanned<String>>,
    /// The `[[rows]]` header.
    pub span: Span,
}
