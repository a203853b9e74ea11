//! Checks of the glossary (no term defined twice) and of onboarding (every page it lists
//! exists).

use std::collections::BTreeMap;

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Spanned, term_key};
use crate::source::Span;
use crate::t;

impl Resolver<'_> {
    pub(super) fn glossary(&self, d: &mut Diagnostics) {
        let Some(g) = &self.site.glossary else { return };
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        for t in &g.terms {
            let term = &t.term.value;
            if term.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert(term_key(term), t.term.span) {
                let line = self.line_of(first);
                d.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        t!("the term `{term}` is defined twice", "用語 `{term}` が 2 回定義されています"),
                    )
                    .at(t.term.span)
                    .label(t!("already defined on line {line}", "{line} 行目で定義済み"))
                    .hint(t!(
                        "terms are matched ignoring case and Unicode form; merge the two entries",
                        "用語は大文字・小文字と Unicode の表記の違いを区別せずに照合されます。2 つの項目を 1 つにまとめてください"
                    )),
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
                                    t!(
                                        "the glossary page does not exist",
                                        "用語集のページはありません"
                                    ),
                                )
                                .at(page.span)
                                .hint(t!(
                                    "create content/glossary.toml or remove this page",
                                    "content/glossary.toml を作るか、このページを外してください"
                                )),
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
