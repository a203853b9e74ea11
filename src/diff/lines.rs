//! A report as lines for the site's "What changed" page: the same phrases as the other
//! renderers, with what each change concerns named and pointed at a page, and the texts
//! left as Markdown for the page to render (so that no `[..](playbook:..)` shows raw).

use super::Report;
use super::change::Change;
use super::render::{area_name, grouped_changes, heading, is_long, phrase, place};
use crate::model::{PageRefKind, Site};
use crate::render::{ChangeLine, ChangeTarget};

/// Every change of `report`, grouped by area then subject as the other renderers do; links
/// only to pages `site` (the site being built) has.
pub fn lines(report: &Report, site: &Site) -> Vec<ChangeLine> {
    let lang = report.language;
    grouped_changes(report)
        .into_iter()
        .map(|c| {
            let long = is_long(c);
            let plain = |t: &Option<String>| {
                t.as_deref()
                    .is_none_or(|t| !t.contains(['[', '*', '_', '`', '<', '~', '\\', '!']))
            };
            let words = if !long && plain(&c.old) && plain(&c.new) {
                c.words.iter().map(|p| (p.op, p.text.clone())).collect()
            } else {
                Vec::new()
            };
            ChangeLine {
                area: area_name(c.area, lang),
                heading: heading(c),
                place: place(c),
                phrase: phrase(c, lang),
                old: c.old.clone().filter(|_| !long),
                new: c.new.clone().filter(|_| !long),
                words,
                target: target(c, site),
            }
        })
        .collect()
}

fn target(c: &Change, site: &Site) -> Option<ChangeTarget> {
    let id = crate::model::Id::lookup(&c.subject.id);
    let page = |kind: PageRefKind, exists: bool| {
        exists.then(|| ChangeTarget::Page(kind, c.subject.id.clone()))
    };
    match c.area {
        "site" => Some(ChangeTarget::Home),
        "stages" if c.kind.starts_with("stage.") => {
            page(PageRefKind::Stage, site.stage(&c.subject.id).is_some())
        }
        "personas" => page(PageRefKind::Persona, site.personas.contains_key(&id)),
        "journeys" => page(PageRefKind::Journey, site.journeys.contains_key(&id)),
        "departments" => page(PageRefKind::Department, site.departments.contains_key(&id)),
        "playbooks" => page(PageRefKind::Playbook, site.playbooks.contains_key(&id)),
        "quizzes" => page(PageRefKind::Quiz, site.quizzes.contains_key(&id)),
        "glossary" => {
            let known = site.glossary.as_ref().is_some_and(|g| {
                g.terms.iter().any(|t| {
                    crate::model::term_key(&t.term.value) == crate::model::term_key(&c.subject.name)
                })
            });
            known.then(|| ChangeTarget::Page(PageRefKind::Glossary, c.subject.name.clone()))
        }
        "onboarding" => site.onboarding.as_ref().map(|_| ChangeTarget::Onboarding),
        _ => None,
    }
}
