//! Checks of the glossary (no term defined twice) and of onboarding (every page it lists
//! exists).

use std::collections::BTreeMap;

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Spanned, term_key};
use crate::source::Span;

impl Resolver<'_> {
    pub(super) fn glossary(&self, d: &mut Diagnostics) {
        let Some(g) = &self.site.glossary else { return };
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        for t in &g.terms {
            if t.term.value.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert(term_key(&t.term.value), t.term.span) {
                d.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("the term `{}` is defined twice", t.term.value),
                    )
                    .at(t.term.span)
                    .label(format!("already defined on line {}", self.line_of(first)))
                    .hint(
                        "terms are matched ignoring case and Unicode form; merge the two entries",
                    ),
                );
            }
        }
    }

    pub(super) fn onboarding(&self, d: &mut Diagnostics) {
        let Some(o) = &self.site.onboarding else {
            return;
        };
        for step in &o.steps {
            for page in &step.pages {
                let kind = page.value.kind;
                match &page.value.id {
                    None => {
                        if self.site.glossary.is_none() && self.known.glossary.is_none() {
                            d.push(
                                Diagnostic::error(
                                    Code::UnknownReference,
                                    "the glossary page does not exist",
                                )
                                .at(page.span)
                                .hint("create content/glossary.toml or remove this page"),
                            );
                        }
                    }
                    Some(id) => {
                        let r = Spanned::new(id.clone(), page.span);
                        self.check_kind(kind, &r, d);
                    }
                }
            }
        }
    }
}
