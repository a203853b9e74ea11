//! The one Markdown dialect of tabiji: CommonMark with GitHub's tables, footnotes,
//! strikethrough and task lists, heading ids (`{#id}`), and CJK-friendly emphasis
//! ([`cjk`]). It exists so that every reader of Markdown sees the same document: the
//! renderer (HTML), the loader (which checks links) and the search index (plain text) all
//! parse through [`parse`] or [`parse_with_offsets`], and nothing else in tabiji knows the
//! options or the amendment. It depends on no other part of tabiji.

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

/// Whether a line break between `before` and `after` is no space in running text: between
/// two CJK characters (Japanese and Chinese put no space between words, so a line broken in
/// the middle of a sentence must join without one).
pub fn joins_without_space(before: char, after: char) -> bool {
    cjk::is_cjk(before) && cjk::is_cjk(after)
}

/// The iterator of [`parse_with_offsets`]: the parser's own events, or the events the
/// CJK pass amended.
pub struct Events<'a>(Inner<'a>);

// Not boxed: the parser is used where it is made, and a box would cost an allocation a text.
#[allow(clippy::large_enum_variant)]
enum Inner<'a> {
    Parser(OffsetIter<'a>),
    Amended(std::vec::IntoIter<(Event<'a>, Range<usize>)>),
}

impl<'a> Iterator for Events<'a> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::Parser(p) => p.next(),
            Inner::Amended(v) => v.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
