//! The one Markdown dialect of tabiji: CommonMark with GitHub's tables, footnotes,
//! strikethrough and task lists, heading ids (`{#id}`), and CJK-friendly emphasis
//! (`cjk`). It exists so that every reader of Markdown sees the same document: the
//! renderer (HTML), the loader (which checks links) and the search index (plain text) all
//! parse through [`parse`] or [`parse_with_offsets`], and nothing else in tabiji knows the
//! options or the amendment. It depends on no other part of tabiji.

mod chars;
mod cjk;

use std::ops::Range;

use pulldown_cmark::{Event, OffsetIter, Options, Parser};

/// pulldown-cmark's options for the dialect.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The events of a Markdown text, each with its byte range in `text`.
pub fn parse_with_offsets(text: &str) -> Events<'_> {
    if is_plain_paragraph(text) {
        return Events(Inner::Plain(text, 0));
    }
    let parser = Parser::new_ext(text, options()).into_offset_iter();
    if !cjk::may_change(text) {
        return Events(Inner::Parser(parser));
    }
    Events(Inner::Amended(
        cjk::amend(text, parser.collect()).into_iter(),
    ))
}

/// The events of a Markdown text.
pub fn parse(text: &str) -> impl Iterator<Item = Event<'_>> {
    parse_with_offsets(text).map(|(e, _)| e)
}

/// Whether the parser reads `text` as one paragraph of plain text, exactly as written:
/// one line with none of the bytes Markdown (or HTML) gives a meaning, not starting like a
/// block (`#`, `>`, a list marker, a digit, a table pipe, a space). Most journey cells are
/// like this, and a parser set up for each of them was a tenth of a 2,000-persona build;
/// [`parse_with_offsets`] gives such a text's three events directly. Conservative (a
/// `false` only means "parse it"), and a property test checks that the events are the
/// parser's own.
fn is_plain_paragraph(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if first.is_ascii_digit() || b"#>-+*=|:~ ".contains(&first) || last == b' ' {
        return false;
    }
    !b.iter().any(|&c| SPECIAL[c as usize]) && !text.contains('\u{FEFF}')
}

/// Bytes [`is_plain_paragraph`] turns down anywhere in a text: control characters and what
/// CommonMark (with the options above) or HTML could read as markup.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[0x7F] = true;
    let marks = b"\\`*_~[]<>&!|#\"'$^{}";
    let mut i = 0;
    while i < marks.len() {
        t[marks[i] as usize] = true;
        i += 1;
    }
    t
};

/// Whether a line break between `before` and `after` is no space in running text: between
/// two CJK characters (Japanese and Chinese put no space between words, so a line broken in
/// the middle of a sentence must join without one).
pub fn joins_without_space(before: char, after: char) -> bool {
    chars::is_cjk(before) && chars::is_cjk(after)
}

/// The iterator of [`parse_with_offsets`]: the parser's own events, or the events the
/// CJK pass amended.
pub struct Events<'a>(Inner<'a>);

// Not boxed: the parser is used where it is made, and a box would cost an allocation a text.
#[allow(clippy::large_enum_variant)]
enum Inner<'a> {
    /// A plain paragraph ([`is_plain_paragraph`]) and how many of its three events were given.
    Plain(&'a str, u8),
    Parser(OffsetIter<'a>),
    Amended(std::vec::IntoIter<(Event<'a>, Range<usize>)>),
}

impl<'a> Iterator for Events<'a> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::Plain(text, given) => {
                let event = match *given {
                    0 => Event::Start(pulldown_cmark::Tag::Paragraph),
                    1 => Event::Text(pulldown_cmark::CowStr::Borrowed(text)),
                    2 => Event::End(pulldown_cmark::TagEnd::Paragraph),
                    _ => return None,
                };
                *given += 1;
                Some((event, 0..text.len()))
            }
            Inner::Parser(p) => p.next(),
            Inner::Amended(v) => v.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut gives exactly the parser's events, offsets included, for every text
        /// it takes; texts near its edges (markup characters, spaces, digits, line breaks,
        /// Japanese) are generated.
        #[test]
        fn plain_paragraphs_are_what_the_parser_reads(
            text in prop_oneof![
                "[a-zA-Z0-9 課長はーァ、。「」（）()：:/.%ａ\u{3000}=+-]{1,24}",
                "[a-zA-Z0-9 課長はーァ、。「」（）()：:/.%ａ\u{3000}\t\n*_~\\[\\]<>&!|#'\"$^{}=+-]{1,24}",
            ]
        ) {
            if is_plain_paragraph(&text) {
                let ours: Vec<_> = parse_with_offsets(&text).collect();
                let parser: Vec<_> = Parser::new_ext(&text, options()).into_offset_iter().collect();
                prop_assert_eq!(ours, parser);
            }
        }
    }

    #[test]
    fn most_cells_are_plain_paragraphs() {
        assert!(is_plain_paragraph(
            "本社の管理部門が保守期限の切れたサーバーを把握しきれておらず、費用のムダ。"
        ));
        assert!(is_plain_paragraph("Budget (2026): 10% up"));
        for marked in [
            "**太字**",
            "[棚卸](glossary:棚卸)",
            "1. 手順",
            "a_b",
            "二行\n目",
            " 字下げ",
            "# 見出し",
            "&amp;",
        ] {
            assert!(!is_plain_paragraph(marked), "{marked}");
        }
    }

    #[test]
    fn offsets_point_into_the_text() {
        let text = "課長が**「これで行く」と決め**ること";
        let strong: Vec<_> = parse_with_offsets(text)
            .filter(|(e, _)| matches!(e, Event::Start(pulldown_cmark::Tag::Strong)))
            .map(|(_, r)| &text[r])
            .collect();
        assert_eq!(strong, ["**「これで行く」と決め**"]);
    }

    #[test]
    fn line_breaks_join_cjk_without_space() {
        assert!(joins_without_space('が', '比'));
        assert!(joins_without_space('。', '「'));
        assert!(joins_without_space('다', '한'));
        assert!(!joins_without_space('が', 'B'));
        assert!(!joins_without_space('a', 'b'));
    }
}
