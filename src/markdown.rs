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
    !b.iter().any(|&c| is_special(c)) && !text.contains('\u{FEFF}')
}

/// A piece of inline Markdown in the subset [`simple_inline`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// `**text**`.
    Strong(&'a str),
    /// `[text](dest)`.
    Link {
        text: &'a str,
        dest: &'a str,
    },
}

/// The pieces of a one-line text made of plain runs (as [`is_plain_inline`] accepts), bold
/// spans (`**重要**`) and inline links (`[棚卸](glossary:棚卸)`), none inside another: what
/// most journey cells that are not plain hold. `None` for anything else, or whenever the
/// CommonMark rules could read the text another way (a `**` with anything but a letter on
/// its inner side, a lone `*`, `]` or `[`, …). The renderer and the search index turn the
/// pieces into the same events the parser would give; property tests compare the two.
pub fn simple_inline(text: &str) -> Option<Vec<Piece<'_>>> {
    let b = text.as_bytes();
    let (&first, &last) = (b.first()?, b.last()?);
    if first.is_ascii_digit() || b"#>-+=|:~ ".contains(&first) || last == b' ' {
        return None;
    }
    let mut pieces = Vec::new();
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'*' => {
                // `**`, a letter, plain text ending in a letter, `**`.
                if b.get(i + 1) != Some(&b'*') || !outer_ok(text[..i].chars().next_back()) {
                    return None;
                }
                let start = i + 2;
                let len = text.get(start..)?.find("**")?;
                let inner = &text[start..start + len];
                let end = start + len + 2;
                if !is_letter(inner.chars().next()?)
                    || !is_letter(inner.chars().next_back()?)
                    || !plain_run(inner)
                    || !outer_ok(text[end..].chars().next())
                {
                    return None;
                }
                if run < i {
                    pieces.push(Piece::Text(&text[run..i]));
                }
                pieces.push(Piece::Strong(inner));
                i = end;
                run = i;
            }
            b'[' => {
                let close = i + 1 + text.get(i + 1..)?.find(']')?;
                let link_text = &text[i + 1..close];
                if b.get(close + 1) != Some(&b'(') || link_text.is_empty() || !plain_run(link_text)
                {
                    return None;
                }
                let dest_start = close + 2;
                let dest_end = dest_start + text.get(dest_start..)?.find(')')?;
                let dest = &text[dest_start..dest_end];
                if dest.is_empty() || !dest.bytes().all(is_dest_byte) {
                    return None;
                }
                if run < i {
                    pieces.push(Piece::Text(&text[run..i]));
                }
                pieces.push(Piece::Link {
                    text: link_text,
                    dest,
                });
                i = dest_end + 1;
                run = i;
            }
            c if is_special(c) => return None,
            _ => i += 1,
        }
    }
    if run < b.len() {
        pieces.push(Piece::Text(&text[run..]));
    }
    (!text.contains('\u{FEFF}')).then_some(pieces)
}

/// Bytes [`is_plain_inline`] turns down anywhere in a text: control characters and what
/// CommonMark (with the options above) or HTML could read as markup. A table, because every
/// byte of every cell is looked up (twice: for the page and for the search index).
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

fn is_special(c: u8) -> bool {
    SPECIAL[c as usize]
}

/// Text inside a bold span or a link: no special byte, and no parenthesis either (a `)`
/// would end a link's destination early).
fn plain_run(s: &str) -> bool {
    !s.bytes().any(|c| is_special(c) || c == b'(' || c == b')')
}

/// A link destination the parser takes as it is: no space, bracket, quote, escape or
/// entity, nothing that needs encoding differently.
fn is_dest_byte(c: u8) -> bool {
    c > 0x20 && c != 0x7F && !is_special(c) && c != b'(' && c != b')'
}

/// A character that is neither white space nor punctuation in CommonMark's sense, from a
/// short list of scripts (ASCII letters and digits, kana, kanji): next to one, a `**` opens
/// and closes bold exactly as this module assumes.
fn is_letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{4E00}'..='\u{9FFF}')
}

/// What may stand outside a `**` whose inside is a letter: anything but another `*`. With
/// a letter inside, the run can open (or close) bold whatever is outside; outside decides
/// only whether it could also do the other, which leaves runs of exactly two paired in
/// order, first with second, third with fourth.
fn outer_ok(c: Option<char>) -> bool {
    c != Some('*')
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text near the subset [`simple_inline`] reads: plain runs, bold spans and links, with
    /// punctuation, spaces, brackets and stray markup around and inside them.
    pub(crate) fn simple_inline_text() -> impl Strategy<Value = String> {
        let chunk = "[a-zA-Z0-9 課長はーァ、。「」（）()：:/.%ａ\u{3000}]{0,5}";
        let letters = "[a-zA-Z0-9課長はァ]{1,3}";
        let piece = prop_oneof![
            3 => chunk,
            3 => (letters, chunk, letters).prop_map(|(a, b, c)| format!("**{a}{b}{c}**")),
            1 => chunk.prop_map(|s| format!("**{s}**")),
            3 => (letters, "[a-z:/.課%#-]{1,8}").prop_map(|(t, d)| format!("[{t}]({d})")),
            1 => (chunk, "[a-z:/.課%()# -]{0,8}").prop_map(|(t, d)| format!("[{t}]({d})")),
            1 => "[*\\[\\]() _!<&\\`~\n]",
        ];
        proptest::collection::vec(piece, 1..7).prop_map(|v| v.concat())
    }

    #[test]
    fn reads_bold_spans_and_links() {
        assert_eq!(
            simple_inline(
                "担当としては、**IT資産管理は大げさだ**という思い。[棚卸](glossary:棚卸)の時間"
            ),
            Some(vec![
                Piece::Text("担当としては、"),
                Piece::Strong("IT資産管理は大げさだ"),
                Piece::Text("という思い。"),
                Piece::Link {
                    text: "棚卸",
                    dest: "glossary:棚卸"
                },
                Piece::Text("の時間"),
            ])
        );
        for other in [
            "** 重要**",
            "**重要 **",
            "**「重要」**",
            "*重要*",
            "***重要***",
            "[棚卸](glossary:棚 卸)",
            "[棚卸]",
            "![図](a.png)",
            "1. 手順",
            "a_b",
            "課題\n二行目",
        ] {
            assert_eq!(simple_inline(other), None, "{other}");
        }
    }
}
