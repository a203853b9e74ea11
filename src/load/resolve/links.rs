//! Checks of links written in Markdown (`persona:ID`, `glossary:TERM`, …): each points at a
//! page or glossary term that exists. Most links of a large site resolve, so the common case
//! allocates nothing.

use std::collections::BTreeSet;

use super::{LinkRef, Resolver, suggest};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, PageRefKind, Spanned, term_key};

impl Resolver<'_> {
    pub(super) fn link(&self, l: &LinkRef, d: &mut Diagnostics) {
        // Fast path, without allocating: an ASCII target is already in NFC, and most links
        // of a large site resolve.
        if l.target.is_ascii() && !l.target.is_empty() {
            let t = l.target.as_str();
            let found = match l.kind {
                PageRefKind::Persona => self.known.personas.contains_key(t),
                PageRefKind::Journey => self.known.journeys.contains_key(t),
                PageRefKind::Department => self.known.departments.contains_key(t),
                PageRefKind::Playbook => self.known.playbooks.contains_key(t),
                PageRefKind::Quiz => self.known.quizzes.contains_key(t),
                PageRefKind::Stage => self
                    .site
                    .config
                    .stages
                    .iter()
                    .any(|s| s.id.value.as_str() == t),
                PageRefKind::Glossary => {
                    !t.bytes().any(|b| b.is_ascii_uppercase()) && self.term_keys.contains(t)
                }
            };
            if found {
                return;
            }
        }
        if l.kind == PageRefKind::Glossary && l.target.trim().is_empty() {
            d.push(
                Diagnostic::error(Code::BrokenLink, "`glossary:` link without a term")
                    .at(l.span)
                    .hint("write `glossary:TERM`, with the term as written in glossary.toml"),
            );
            return;
        }
        if l.kind != PageRefKind::Glossary {
            let target = Spanned::new(Id::lookup(&l.target), l.span);
            if target.value.as_str().is_empty() {
                d.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        format!("`{}:` link without an id", l.kind.link_scheme()),
                    )
                    .at(l.span)
                    .hint(format!("write `{}:ID`", l.kind.link_scheme())),
                );
                return;
            }
            let mut sub = Diagnostics::default();
            self.check_kind(l.kind, &target, &mut sub);
            for mut diag in sub.iter().cloned() {
                diag.code = Code::BrokenLink;
                diag.message = format!("link to an unknown {} `{}`", l.kind.noun(), l.target).into();
                d.push(diag);
            }
            return;
        }
        if self
            .known
            .glossary
            .is_some_and(|f| self.unreadable.contains(&f))
        {
            return;
        }
        let Some(g) = &self.site.glossary else {
            if self.known.glossary.is_none() {
                d.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        format!(
                            "link to the glossary term `{}`, but there is no glossary",
                            l.target
                        ),
                    )
                    .at(l.span)
                    .hint("create content/glossary.toml with a `[[terms]]` entry for it"),
                );
            }
            return;
        };
        let key = term_key(&l.target);
        if self.term_keys.contains(&key) {
            return;
        }
        let terms: BTreeSet<&str> = g.terms.iter().map(|t| t.term.value.as_str()).collect();
        d.push(
            Diagnostic::error(
                Code::BrokenLink,
                format!("link to an unknown glossary term `{}`", l.target),
            )
            .at(l.span)
            .label("no `[[terms]]` entry has this `term`")
            .maybe_hint(suggest::did_you_mean(&l.target, terms.iter().copied())),
        );
    }
}
