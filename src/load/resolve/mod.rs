//! Cross-file checks: every reference names something that exists, ids are unique, rows and
//! stages are what `tabiji.toml` declares.
//!
//! This file holds the walk and the way a reference to nothing is reported; each kind of
//! content has its checks in a file of its own ([`config`], [`journeys`], [`pages`] for
//! departments and playbooks, [`extras`] for the glossary and onboarding, [`links`] for links
//! in Markdown).

mod config;
mod extras;
mod journeys;
mod links;
mod pages;

use std::collections::{BTreeMap, BTreeSet};

use super::links::LinkRef;
use super::parse::KnownIds;
use super::suggest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, PageRefKind, Site, Spanned, term_key};
use crate::source::{FileId, SourceMap, Span};

pub(super) fn resolve<'l>(
    site: &Site,
    known: &KnownIds,
    config_ok: bool,
    unreadable: &BTreeSet<FileId>,
    links: impl Iterator<Item = &'l LinkRef>,
    sources: &SourceMap,
    d: &mut Diagnostics,
) {
    let term_keys = site
        .glossary
        .iter()
        .flat_map(|g| g.terms.iter())
        .map(|t| term_key(&t.term.value))
        .collect();
    let r = Resolver {
        site,
        known,
        config_ok,
        unreadable,
        sources,
        term_keys,
    };
    if config_ok {
        r.config(d);
    }
    r.journeys(d);
    r.departments(d);
    r.playbooks(d);
    r.quizzes(d);
    r.glossary(d);
    r.onboarding(d);
    r.owners(d);
    for l in links {
        r.link(l, d);
    }
}

struct Resolver<'a> {
    site: &'a Site,
    known: &'a KnownIds,
    config_ok: bool,
    /// Files that could not be parsed: what they say is unknown, so no follow-up reports.
    unreadable: &'a BTreeSet<FileId>,
    sources: &'a SourceMap,
    /// Glossary terms as links match them, computed once.
    term_keys: BTreeSet<String>,
}

impl Resolver<'_> {
    /// Every page's `owner` names a department.
    fn owners(&self, d: &mut Diagnostics) {
        for page in self.site.kept_pages() {
            if let Some(owner) = &page.upkeep.owner {
                self.reference_in(
                    owner,
                    "department",
                    &self.known.departments,
                    "has this id in content/departments/ (an owner is a department)",
                    d,
                );
            }
        }
    }

    fn line_of(&self, span: Span) -> usize {
        self.sources.get(span.file).line(span.start as usize)
    }

    /// Report a reference to an id of `kind` that does not exist.
    /// [`Self::reference`] for ids kept in a map: a lookup, not a scan (a site has thousands).
    fn reference_in(
        &self,
        r: &Spanned<Id>,
        noun: &str,
        known: &BTreeMap<Id, FileId>,
        where_: &str,
        d: &mut Diagnostics,
    ) {
        if !known.contains_key(&r.value) {
            self.reference(r, noun, known.keys(), where_, d);
        }
    }

    fn reference<'k>(
        &self,
        r: &Spanned<Id>,
        noun: &str,
        known: impl IntoIterator<Item = &'k Id> + Clone,
        where_: &str,
        d: &mut Diagnostics,
    ) {
        if r.value.as_str().is_empty() || known.clone().into_iter().any(|k| k == &r.value) {
            return;
        }
        let hint =
            suggest::did_you_mean(r.value.as_str(), known.clone().into_iter().map(Id::as_str))
                .or_else(|| {
                    let mut all: Vec<&str> = known.into_iter().map(Id::as_str).collect();
                    all.sort_unstable();
                    all.dedup();
                    if all.is_empty() {
                        None
                    } else if all.len() <= 12 {
                        Some(format!(
                            "known {noun}s: {}",
                            all.iter()
                                .map(|a| format!("`{a}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    } else {
                        None
                    }
                });
        d.push(
            Diagnostic::error(
                Code::UnknownReference,
                format!("unknown {noun} `{}`", r.value),
            )
            .at(r.span)
            .label(format!("no {noun} {where_}"))
            .maybe_hint(hint),
        );
    }

    fn stage_ids(&self) -> Vec<&Id> {
        self.site
            .config
            .stages
            .iter()
            .map(|s| &s.id.value)
            .collect()
    }

    fn check_kind(&self, kind: PageRefKind, r: &Spanned<Id>, d: &mut Diagnostics) {
        match kind {
            PageRefKind::Persona => self.reference_in(
                r,
                "persona",
                &self.known.personas,
                "has this id in content/personas/",
                d,
            ),
            PageRefKind::Journey => self.reference_in(
                r,
                "journey",
                &self.known.journeys,
                "has this id in content/journeys/",
                d,
            ),
            PageRefKind::Department => self.reference_in(
                r,
                "department",
                &self.known.departments,
                "has this id in content/departments/",
                d,
            ),
            PageRefKind::Playbook => self.reference_in(
                r,
                "playbook",
                &self.known.playbooks,
                "has this id in content/playbooks/",
                d,
            ),
            PageRefKind::Quiz => self.reference_in(
                r,
                "quiz",
                &self.known.quizzes,
                "has this id in content/quizzes/",
                d,
            ),
            PageRefKind::Stage => {
                if self.config_ok && !self.site.config.stages.is_empty() {
                    self.reference(
                        r,
                        "stage",
                        self.stage_ids(),
                        "is declared in tabiji.toml with this id",
                        d,
                    )
                }
            }
            PageRefKind::Glossary => {}
        }
    }
}
