//! Checks of links written in Markdown (`persona:ID`, `glossary:TERM`, …): each points at a
//! page or glossary term that exists. Most links of a large site resolve, so the common case
//! allocates nothing.

use super::{Kind, LinkRef, Resolver};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, Spanned};
use crate::t;

impl Resolver<'_> {
    pub(super) fn link(&self, l: &LinkRef, d: &mut Diagnostics) {
        let target = l.target.as_str();
        let kind = Kind::of(l.kind);
        // Fast path, without allocating: an ASCII target is already in NFC, and most links
        // of a large site resolve.
        if target.is_ascii() && !target.is_empty() {
            let found = match kind {
                Kind::Term => {
                    !target.bytes().any(|b| b.is_ascii_uppercase())
                        && self.term_keys.contains(target)
                }
                _ => self.exists(kind, target),
            };
            if found {
                return;
            }
        }
        let scheme = l.kind.link_scheme();
        if kind == Kind::Term && target.trim().is_empty() {
            d.push(
                Diagnostic::error(
                    Code::BrokenLink,
                    t!(
                        "`glossary:` link without a term",
                        "`glossary:` リンクに用語がありません"
                    ),
                )
                .at(l.span)
                .hint(t!(
                    "write `glossary:TERM`, with the term as written in glossary.toml",
                    "glossary.toml に書いたとおりの用語で `glossary:用語` と書いてください"
                )),
            );
            return;
        }
        let noun = kind.noun();
        if kind != Kind::Term {
            let id = Spanned::new(Id::lookup(target), l.span);
            if id.value.as_str().is_empty() {
                d.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        t!(
                            "`{scheme}:` link without an id",
                            "`{scheme}:` リンクに ID がありません"
                        ),
                    )
                    .at(l.span)
                    .hint(t!("write `{scheme}:ID`", "`{scheme}:ID` と書いてください")),
                );
                return;
            }
            if let Some(mut diag) = self.unknown(&id, kind) {
                diag.code = Code::BrokenLink;
                diag.message = t!(
                    "link to an unknown {noun} `{target}`",
                    "リンク先の `{target}` という{noun}はありません";
                    noun = noun
                );
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
        if self.site.glossary.is_none() {
            if self.known.glossary.is_none() {
                d.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        t!(
                            "link to the glossary term `{target}`, but there is no glossary",
                            "用語 `{target}` へのリンクですが、用語集がありません"
                        ),
                    )
                    .at(l.span)
                    .hint(t!(
                        "create content/glossary.toml with a `[[terms]]` entry for it",
                        "content/glossary.toml を作り、この用語の `[[terms]]` を追加してください"
                    )),
                );
            }
            return;
        }
        if self.exists(Kind::Term, target) {
            return;
        }
        d.push(
            Diagnostic::error(
                Code::BrokenLink,
                t!(
                    "link to an unknown glossary term `{target}`",
                    "リンク先の `{target}` という用語は用語集にありません"
                ),
            )
            .at(l.span)
            .label(kind.label())
            .maybe_hint(self.hint(Kind::Term, target)),
        );
    }
}
