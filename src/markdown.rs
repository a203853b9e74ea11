//! The one Markdown dialect of tabiji, shared by the loader (which checks links) and the
//! renderer (which turns it into HTML), so both see the same links.

use pulldown_cmark::Options;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether Markdown leaves this text exactly as it is, as inline content: one line with no
/// character CommonMark (with the options above) treats specially and nothing that could
/// start a block. Most journey cells are like this; the renderer and the search index skip
/// the parser for them (its set-up is most of the cost of a short cell). Conservative: a
/// `false` only means "parse it".
pub fn is_plain_inline(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if first.is_ascii_digit() || b"#>-+*=|:~".contains(&first) || last == b' ' || first == b' ' {
        return false;
    }
    !b.iter().any(|&c| {
        c < 0x20
            || c == 0x7F
            || matches!(
                c,
                b'\\'
                    | b'`'
                    | b'*'
                    | b'_'
                    | b'~'
                    | b'['
                    | b']'
                    | b'<'
                    | b'>'
                    | b'&'
                    | b'!'
                    | b'|'
                    | b'#'
                    | b'"'
                    | b'\''
                    | b'$'
                    | b'^'
                    | b'{'
                    | b'}'
            )
    }) && !text.contains('\u{FEFF}')
}
