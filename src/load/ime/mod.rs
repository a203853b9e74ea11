//! The slips a Japanese input method makes in TOML, found and fixed.
//!
//! With the IME on, `=` comes out as `＝`, a space as U+3000, quotes curly, digits, signs and
//! brackets full width. TOML reads none of them outside a string, and its parser's words
//! ("invalid unquoted key") do not say why. Run only on a text that failed to parse, this
//! gives every slip outside a string, the whole text with every slip fixed and unquoted text
//! quoted (so that a fix is offered only once parsing it shows it right), and every table
//! header (for a `[x]` written where `[[x]]` belongs).
//!
//! Strings, comments, whitespace and line breaks are left to `toml_parser`'s lexer, the one
//! `toml` parses with. To it an IME character outside a string is part of a bare word (an
//! "atom"); [`token`] cuts the word there, so that `＝` or `“` is a token of its own. This
//! file holds the tokens and what the walk finds; `walk.rs` is the walk, which decides from
//! where a token stands (key, value, header) whether it is a slip or text.

mod walk;

use std::ops::Range;

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// What a slip is, for its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SlipKind {
    /// U+3000, the full-width space.
    Space,
    /// A curly or full-width quote.
    Quote,
    /// A full-width digit, sign or point in a number or date.
    Value,
    /// Any other full-width character: `＝`, `：`, `，`, `、`, `［`, a letter in a key.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Slip {
    /// Byte range of the character in the text.
    pub at: Range<usize>,
    pub written: char,
    pub meant: char,
    pub kind: SlipKind,
}

/// A table header: `[stages.x]` or `[[stages.x.tasks]]`.
#[derive(Clone, Debug)]
pub(super) struct Header {
    /// Byte range of its opening bracket(s).
    pub open: Range<usize>,
    pub double: bool,
    /// The key's parts, unquoted: `stages."x".tasks` is `["stages", "x", "tasks"]`.
    pub key: Vec<String>,
    /// The key as written (with every slip fixed).
    pub written: String,
}

#[derive(Default)]
pub(super) struct Scan {
    pub slips: Vec<Slip>,
    /// The whole text with every slip fixed and unquoted text values quoted. It has the
    /// same lines as the text: nothing adds or removes a line break.
    pub fixed: String,
    /// Byte offsets (in the text) of values that were unquoted text, quoted in `fixed`.
    pub quoted: Vec<usize>,
    pub headers: Vec<Header>,
}

pub(super) fn scan(src: &str) -> Scan {
    walk::Walk::new(src).run()
}

/// The half-width character an IME slip stands for, outside strings.
fn ascii_of(c: char) -> Option<char> {
    match c {
        '\u{3000}' => Some(' '),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        'ー' | '−' | '‐' => Some('-'),
        '。' => Some('.'),
        '、' => Some(','),
        '“' | '”' => Some('"'),
        '‘' | '’' => Some('\''),
        _ => None,
    }
}

/// `s` with every IME slip made half-width: `＋＋＋` is `+++`.
pub(super) fn half_width(s: &str) -> String {
    s.chars().map(|c| ascii_of(c).unwrap_or(c)).collect()
}

fn is_bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Whether `s` alone is a TOML value (`-1`, `2026-10-01`, `true`).
fn is_value(s: &str) -> bool {
    toml::de::DeTable::parse(&format!("x = {s}")).is_ok()
}

/// `s` as the inside of a basic string.
fn escaped(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// One token: `toml_parser`'s, or one IME character that stands for one.
#[derive(Clone, Debug)]
struct Tok {
    kind: TokenKind,
    at: Range<usize>,
    /// The character typed and the one meant, when the token is an IME character: `＝`
    /// (an `Equals`) for `=`, `“` (a `BasicString`, its opening quote only) for `"`.
    ime: Option<(char, char)>,
}

/// Bytes lexed at first: an atom is cut at its first IME character, seldom far, and lexing
/// a long atom again for each of its IME characters would take time quadratic in its length.
const WINDOW: usize = 256;

/// The token at `pos`.
fn token(src: &str, pos: usize) -> Tok {
    let mut end = (pos + WINDOW).min(src.len());
    while !src.is_char_boundary(end) {
        end += 1;
    }
    // A token that ends before the window's end is the same in the whole text.
    match lexed(&src[..end], pos) {
        t if t.at.end < end || end == src.len() => t,
        _ => lexed(src, pos),
    }
}

/// The token at `pos` of `src`: `toml_parser`'s, or, where it has an atom, an atom cut at
/// its first IME character, and that character.
fn lexed(src: &str, pos: usize) -> Tok {
    let tok = |kind, at| Tok {
        kind,
        at,
        ime: None,
    };
    let Some(t) = Source::new(&src[pos..]).lex().next() else {
        return tok(TokenKind::Eof, pos..pos);
    };
    let at = pos + t.span().start()..pos + t.span().end();
    if at.start > pos {
        // A byte order mark, which the lexer skips: kept as it is.
        return tok(TokenKind::Whitespace, pos..at.start);
    }
    if t.kind() != TokenKind::Atom {
        return tok(t.kind(), at);
    }
    for (i, c) in src[at.clone()].char_indices() {
        let (kind, meant) = match c {
            '\u{3000}' => (TokenKind::Whitespace, ' '),
            '＝' | '：' => (TokenKind::Equals, '='),
            '，' | '、' => (TokenKind::Comma, ','),
            '．' => (TokenKind::Dot, '.'),
            '［' => (TokenKind::LeftSquareBracket, '['),
            '］' => (TokenKind::RightSquareBracket, ']'),
            '｛' => (TokenKind::LeftCurlyBracket, '{'),
            '｝' => (TokenKind::RightCurlyBracket, '}'),
            '＃' => (TokenKind::Comment, '#'),
            '“' | '”' | '＂' | '‘' | '’' | '＇' => (TokenKind::BasicString, '"'),
            // After an IME character the lexer starts a string there: `thinking："x"`.
            '"' | '\'' if i > 0 => (TokenKind::Atom, c),
            _ => continue,
        };
        let start = at.start + i;
        return match i {
            0 => Tok {
                kind,
                at: start..start + c.len_utf8(),
                ime: Some((c, meant)),
            },
            _ => tok(TokenKind::Atom, at.start..start),
        };
    }
    tok(TokenKind::Atom, at)
}

/// The parts of a key as `fixed` has it, unquoted: `stages."x" . tasks` gives `stages`,
/// `x`, `tasks`.
fn key_parts(written: &str) -> Vec<String> {
    let source = Source::new(written);
    source
        .lex()
        .filter(|t| {
            !matches!(
                t.kind(),
                TokenKind::Dot | TokenKind::Whitespace | TokenKind::Eof
            )
        })
        .filter_map(|t| source.get(t))
        .map(|raw| {
            let mut part = String::new();
            raw.decode_key(&mut part, &mut ());
            part
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(src: &str) -> (String, Vec<(char, char)>) {
        let s = scan(src);
        (
            s.fixed,
            s.slips.iter().map(|x| (x.written, x.meant)).collect(),
        )
    }

    #[test]
    fn fixes_each_slip_outside_strings() {
        assert_eq!(
            fixed("thinking\u{3000}= \"思考　です\"\n"),
            (
                "thinking = \"思考　です\"\n".into(),
                vec![('\u{3000}', ' ')]
            )
        );
        assert_eq!(fixed("thinking＝\"x\"").0, "thinking = \"x\"");
        assert_eq!(fixed("thinking： \"x\"").0, "thinking = \"x\"");
        assert_eq!(
            fixed("a = [\"x\"，\"y\"、\"z\"]").0,
            "a = [\"x\",\"y\",\"z\"]"
        );
        assert_eq!(fixed("a = “x”").0, "a = \"x\"");
        assert_eq!(fixed("a = ＂x＂").0, "a = \"x\"");
        assert_eq!(fixed("a = ‘x’").0, "a = \"x\"");
        assert_eq!(fixed("a = \"x”").0, "a = \"x\"");
        assert_eq!(fixed("a = “x、y”　# c").0, "a = \"x、y\" # c");
        assert_eq!(fixed("emotion = －１").0, "emotion = -1");
        assert_eq!(fixed("emotion = ー1").0, "emotion = -1");
        assert_eq!(fixed("conversion = ０．２５").0, "conversion = 0.25");
        assert_eq!(
            fixed("reviewed = ２０２６－１０－０１").0,
            "reviewed = 2026-10-01"
        );
        assert_eq!(fixed("［stages.x］").0, "[stages.x]");
        assert_eq!(fixed("［［stages］］").0, "[[stages]]");
        assert_eq!(fixed("ｔｈｉｎｋｉｎｇ = 1").0, "thinking = 1");
        assert_eq!(fixed("＃ メモ\na = 1").0, "# メモ\na = 1");
    }

    #[test]
    fn quotes_japanese_keys_and_text_but_leaves_strings_alone() {
        assert_eq!(fixed("考え\u{3000}= \"x\"").0, "\"考え\" = \"x\"");
        assert_eq!(fixed("[stages.検討]").0, "[stages.\"検討\"]");
        assert_eq!(fixed("name = 課題、要件").0, "name = \"課題、要件\"");
        assert_eq!(fixed("name = 課題、要件").1, vec![]);
        let s = "a = \"＝、“”\" # ＝\nb = '''\n＝\n'''\nc = \"\"\"\n［\\\"\"\"\"\n";
        assert_eq!(fixed(s), (s.to_string(), vec![]));
    }

    #[test]
    fn follows_arrays_and_inline_tables_over_lines() {
        let (f, slips) = fixed("a = [\n  \"x\"，\n  １,\n]\nb = { id ＝ \"m\"， n = 2 }\n");
        assert_eq!(f, "a = [\n  \"x\",\n  1,\n]\nb = { id = \"m\", n = 2 }\n");
        assert_eq!(slips.len(), 4);
    }

    #[test]
    fn curly_quotes_are_one_atom_to_the_lexer() {
        // What `token` relies on: outside a string, an IME character is in an atom.
        let kinds: Vec<TokenKind> = Source::new("a = “x、y”　＝")
            .lex()
            .map(|t| t.kind())
            .collect();
        use TokenKind::*;
        assert_eq!(kinds, [Atom, Whitespace, Equals, Whitespace, Atom, Eof]);
    }

    #[test]
    fn headers_with_their_parts() {
        let s = scan("[stages.\"x\".tasks]\na = 1\n[[ stages . x.'tasks' ]]\n");
        let h: Vec<(bool, Vec<String>)> = s
            .headers
            .iter()
            .map(|h| (h.double, h.key.clone()))
            .collect();
        let key = vec!["stages".to_string(), "x".into(), "tasks".into()];
        assert_eq!(h, vec![(false, key.clone()), (true, key)]);
        assert_eq!(s.headers[0].written, "stages.\"x\".tasks");
    }

    #[test]
    fn a_long_line_takes_linear_time() {
        let t = std::time::Instant::now();
        for (text, slips) in [
            (format!("a = [{}]", "１、".repeat(40_000)), 80_000),
            (format!("a = [{}]", "“x”，".repeat(40_000)), 120_000),
        ] {
            assert_eq!(scan(&text).slips.len(), slips);
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(20));
    }

    proptest::proptest! {
        /// On any text, near TOML's edges and the IME's: no panic, the same lines, and each
        /// slip at its character.
        #[test]
        fn every_text_keeps_its_lines(
            text in "[a-z0-9 =\\[\\]{},.#\"'\n＝：，、［］｛｝＂“”‘’－ー０１ｔ\u{3000}課題]{0,40}"
        ) {
            let s = scan(&text);
            proptest::prop_assert_eq!(s.fixed.matches('\n').count(), text.matches('\n').count());
            for slip in &s.slips {
                proptest::prop_assert_eq!(text[slip.at.clone()].chars().next(), Some(slip.written));
            }
        }
    }
}
