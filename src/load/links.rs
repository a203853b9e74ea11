//! Finding the contract's links (`persona:ID`, `stage:ID`, …) inside Markdown, with the span
//! of each in its file, so a link that names nothing is reported where it was written.

use std::ops::Range;

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Tag};

use super::suggest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::Text;
use crate::markdown;
use crate::model::{PageRefKind, Spanned};
use crate::source::{FileId, Span};
use crate::t;

/// A link to a generated page, to be checked once every id is known.
#[derive(Clone, Debug)]
pub struct LinkRef {
    pub kind: PageRefKind,
    pub target: String,
    pub span: Span,
}

/// Where a Markdown text sits in its file.
#[derive(Clone, Copy, Debug)]
pub struct TextOrigin {
    file: FileId,
    /// File offset of the text's first byte, when the text is written in the file as it is
    /// (a Markdown body, or a TOML string without escapes).
    base: Option<usize>,
    /// Otherwise the whole value is pointed at.
    whole: Span,
}

impl TextOrigin {
    /// A Markdown body that starts at `base` in its file.
    pub fn body(file: FileId, base: usize, len: usize) -> TextOrigin {
        TextOrigin {
            file,
            base: Some(base),
            whole: Span::new(file, base..base + len),
        }
    }

    /// A TOML string value: `raw` is the file text of the value including its quotes.
    pub fn toml_string(value: &Spanned<String>, raw: &str) -> TextOrigin {
        let span = value.span;
        let q = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        let inner = raw.get(q..raw.len().saturating_sub(q)).unwrap_or("");
        let base = if inner == value.value {
            Some(span.start as usize + q)
        } else if inner.strip_prefix('\n').is_some_and(|i| i == value.value) {
            Some(span.start as usize + q + 1)
        } else {
            None
        };
        TextOrigin {
            file: span.file,
            base,
            whole: span,
        }
    }

    fn span(&self, r: Range<usize>) -> Span {
        match self.base {
            Some(b) => Span::new(self.file, b + r.start..b + r.end),
            None => self.whole,
        }
    }
}

/// Collect the contract links of `text` into `out`; report links whose kind is a likely typo
/// of one (`personna:x`).
pub fn scan(text: &str, origin: TextOrigin, out: &mut Vec<LinkRef>, d: &mut Diagnostics) {
    // Every link has a `scheme:` and is written `[…](…)`, `[…]: …` or `<…>`.
    if !text.contains(':') || !(text.contains('[') || text.contains('<')) {
        return;
    }
    for (event, range) in markdown::parse_with_offsets(text) {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let dest: &str = &dest_url;
        // Point at the destination inside `[text](dest)` when it is written there.
        let dest_range = text[range.clone()]
            .rfind(dest)
            .map(|i| range.start + i..range.start + i + dest.len())
            .unwrap_or(range);
        check(dest, origin.span(dest_range), out, d);
    }
}

/// Records a link to a generated page, or reports a likely typo of a link kind.
fn check(dest: &str, span: Span, out: &mut Vec<LinkRef>, d: &mut Diagnostics) {
    match parse_dest(dest) {
        Dest::Page(kind, target) => out.push(LinkRef { kind, target, span }),
        Dest::Typo(scheme, suggestion) => {
            let kinds = Text::list(
                PageRefKind::ALL.map(|k| Text::verbatim(format!("{}:", k.link_scheme()))),
            );
            d.push(
                Diagnostic::error(
                    Code::UnknownLinkKind,
                    t!(
                        "unknown link kind `{scheme}:`",
                        "`{scheme}:` という種類のリンクはありません"
                    ),
                )
                .at(span)
                .label(t!(
                    "not one of {kinds}",
                    "{kinds} のどれでもありません";
                    kinds = kinds
                ))
                .hint(super::suggest::suggestion(&format!("{suggestion}:"))),
            )
        }
        Dest::Other => {}
    }
}

enum Dest {
    Page(PageRefKind, String),
    Typo(String, &'static str),
    Other,
}

fn parse_dest(dest: &str) -> Dest {
    let Some((scheme, rest)) = dest.split_once(':') else {
        return Dest::Other;
    };
    if let Some(kind) = PageRefKind::from_link_scheme(scheme) {
        let target = rest.split('#').next().unwrap_or("");
        let target = percent_decode_str(target).decode_utf8_lossy().into_owned();
        return Dest::Page(kind, target);
    }
    // `https://…`, `mailto:…` and friends are ordinary links.
    if rest.starts_with('/') || !scheme.chars().all(|c| c.is_ascii_alphabetic()) {
        return Dest::Other;
    }
    let lower = scheme.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "mailto" | "tel" | "http" | "https" | "ftp" | "data" | "javascript"
    ) {
        return Dest::Other;
    }
    let schemes = PageRefKind::ALL.map(|k| k.link_scheme());
    if let Some(s) = schemes.iter().find(|s| **s == lower) {
        return Dest::Typo(scheme.to_string(), s);
    }
    let plural = PageRefKind::ALL.map(|k| k.folder());
    if let Some(i) = plural.iter().position(|p| *p == lower) {
        return Dest::Typo(scheme.to_string(), schemes[i]);
    }
    match suggest::closest(&lower, schemes) {
        Some(s) => Dest::Typo(scheme.to_string(), s),
        None => Dest::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_str(text: &str) -> (Vec<LinkRef>, Diagnostics) {
        let mut out = Vec::new();
        let mut d = Diagnostics::default();
        scan(
            text,
            TextOrigin::body(FileId(0), 10, text.len()),
            &mut out,
            &mut d,
        );
        (out, d)
    }

    #[test]
    fn finds_contract_links_with_spans() {
        let (links, d) = scan_str("見て: [課長](persona:情シス課長) と [x](https://e.x)");
        assert!(d.is_empty());
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].kind, PageRefKind::Persona);
        assert_eq!(links[0].target, "情シス課長");
        let start = "見て: [課長](".len() + 10;
        assert_eq!(links[0].span.start as usize, start);
    }

    #[test]
    fn decodes_percent_encoding_and_drops_fragments() {
        let (links, _) = scan_str("[a](stage:%E6%A4%9C%E8%A8%8E#x) [b](glossary:BANT)");
        assert_eq!(links[0].target, "検討");
        assert_eq!(links[1].kind, PageRefKind::Glossary);
    }

    #[test]
    fn finds_links_inside_cjk_friendly_emphasis() {
        let text = "課長は**[「稟議」](stage:検討)**を通す";
        let (links, d) = scan_str(text);
        assert!(d.is_empty());
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].target, "検討");
        let start = text.find("stage:").unwrap() + 10;
        assert_eq!(links[0].span.start as usize, start);
    }

    #[test]
    fn reports_kind_typos_but_not_urls() {
        let (links, d) = scan_str("[a](personas:x) [b](stgae:y) [c](mailto:a@b) [d](http://x)");
        assert!(links.is_empty());
        assert_eq!(d.len(), 2);
    }
}
