//! Cross-file checks: every reference names something that exists, ids are unique, rows and
//! stages are what `tabiji.toml` declares.
//!
//! This file holds the walk and the one way a reference to nothing is reported
//! ([`Resolver::unknown`]: the item it is the name of, else the ids it looks like, else the ids
//! there are, from [`known`]); each kind of content has its checks in a file of its own
//! ([`config`], [`journeys`], [`pages`] for departments, playbooks and quizzes, [`extras`] for
//! the glossary and onboarding, [`links`] for links in Markdown).

mod config;
mod extras;
mod journeys;
mod known;
mod links;
mod pages;

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashSet};

use known::Catalog;
pub(super) use known::Kind;

use super::links::LinkRef;
use super::parse::KnownIds;
use super::suggest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::Text;
use crate::model::{Id, PageRefKind, Site, Spanned, term_key};
use crate::source::{FileId, SourceMap, Span};
use crate::t;

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
        stage_ids: site
            .config
            .stages
            .iter()
            .map(|s| s.id.value.as_str())
            .collect(),
        catalog: OnceCell::new(),
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
    /// The stage ids of tabiji.toml, for lookups (a journey has a key per stage).
    stage_ids: HashSet<&'a str>,
    /// What references may name, for hints: made on the first reference to nothing.
    catalog: OnceCell<Catalog<'a>>,
}

impl<'a> Resolver<'a> {
    /// Every page's `owner` names a department.
    fn owners(&self, d: &mut Diagnostics) {
        for page in self.site.kept_pages() {
            let Some(owner) = &page.upkeep.owner else {
                continue;
            };
            if let Some(diag) = self.unknown(owner, Kind::Department) {
                d.push(diag.label(t!(
                    "no department has this id in content/departments/ (an owner is a department)",
                    "content/departments/ の部門 ID ではありません（owner には部門 ID を書きます）"
                )));
            }
        }
    }

    fn line_of(&self, span: Span) -> usize {
        self.sources.get(span.file).line(span.start as usize)
    }

    fn catalog(&self) -> &Catalog<'a> {
        self.catalog
            .get_or_init(|| Catalog::new(self.site, self.known))
    }

    /// Whether `id` names an existing thing of `kind`; stages are taken as existing while
    /// tabiji.toml declares none (that is an error of its own).
    fn exists(&self, kind: Kind, id: &str) -> bool {
        match kind {
            Kind::Stage => {
                !self.config_ok || self.stage_ids.is_empty() || self.stage_ids.contains(id)
            }
            Kind::Row => self.site.row(id).is_some(),
            Kind::Phase => self.site.phase(id).is_some(),
            Kind::Persona => self.known.personas.contains_key(id),
            Kind::Journey => self.known.journeys.contains_key(id),
            Kind::Department => self.known.departments.contains_key(id),
            Kind::Playbook => self.known.playbooks.contains_key(id),
            Kind::Quiz => self.known.quizzes.contains_key(id),
            Kind::Term => self.term_keys.contains(&term_key(id)),
        }
    }

    /// Report a reference to a `kind` that does not exist.
    fn reference(&self, r: &Spanned<Id>, kind: Kind, d: &mut Diagnostics) {
        if let Some(diag) = self.unknown(r, kind) {
            d.push(diag);
        }
    }

    /// The error for a reference to a `kind` that does not exist, with the best hint: the
    /// item it is the name of, the id it looks like, or the ids there are (when few).
    fn unknown(&self, r: &Spanned<Id>, kind: Kind) -> Option<Diagnostic> {
        let word = r.value.as_str();
        if word.is_empty() || self.exists(kind, word) {
            return None;
        }
        let hint = self.hint(kind, word).or_else(|| {
            let ids = self.catalog().ids(kind);
            (!ids.is_empty() && ids.len() <= 12).then(|| {
                kind.known(Text::list(
                    ids.iter().map(|i| Text::verbatim(format!("`{i}`"))),
                ))
            })
        });
        let noun = kind.noun();
        Some(
            Diagnostic::error(
                Code::UnknownReference,
                t!("unknown {noun} `{word}`", "`{word}` という{noun}はありません"; noun = noun),
            )
            .at(r.span)
            .label(kind.label())
            .maybe_hint(hint),
        )
    }

    /// For a word that names no `kind`: the item it is the name of, else the ids it looks
    /// like (same in NFKC form, a typo away, or beginning with it).
    fn hint(&self, kind: Kind, word: &str) -> Option<Text> {
        self.named(kind, word)
            .or_else(|| suggest::did_you_mean(word, self.catalog().ids(kind).iter().copied()))
    }

    /// The one place a name written where an id belongs is recognised, for every kind.
    fn named(&self, kind: Kind, word: &str) -> Option<Text> {
        let n = self.catalog().named(kind, word)?;
        Some(suggest::name_for_id(word, n.of, &kind.noun(), n.id))
    }

    fn check_kind(&self, kind: PageRefKind, r: &Spanned<Id>, d: &mut Diagnostics) {
        if kind != PageRefKind::Glossary {
            self.reference(r, Kind::of(kind), d);
        }
    }
}
