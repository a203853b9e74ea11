//! The slips a Japanese input method makes in TOML, found and fixed.
//!
//! With the IME on, `=` comes out as `＝`, a space as U+3000, quotes curly, digits, signs and
//! brackets full width. TOML reads none of them outside a string, and its parser's words
//! ("invalid unquoted key") do not say why. This module is a small TOML lexer of its own, run
//! only on a text that failed to parse: it walks the text as TOML does (headers, keys,
//! strings, values, comments, arrays over several lines) and gives every slip outside a
//! string, the whole text with every slip fixed and unquoted text quoted (so that a fix is
//! offered only once parsing it shows it right), and every table header (for a `[x]` written
//! where `[[x]]` belongs). It is apart from `toml_syntax` because it is a lexer, not a
//! message. This file holds what it finds and the walk from line to line; `keys.rs` reads
//! headers and keys, `values.rs` strings and plain values.

mod keys;
mod values;

use std::ops::Range;

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

pub(super) struct Scan {
    pub slips: Vec<Slip>,
    /// The whole text with every slip fixed and unquoted text values quoted. It has the
    /// same lines as the text: nothing adds or removes a line break.
    pub fixed: String,
    /// The same, with long strings shortened: lines to show in a message.
    pub shown: String,
    /// Byte offsets (in the text) of values that were unquoted text, quoted in `fixed`.
    pub quoted: Vec<usize>,
    pub headers: Vec<Header>,
}

/// Strings longer than this many characters are shortened in [`Scan::shown`].
const SHOWN_CHARS: usize = 16;

pub(super) fn scan(src: &str) -> Scan {
    let mut l = Lexer {
        src,
        pos: 0,
        stack: Vec::new(),
        out: Scan {
            slips: Vec::new(),
            fixed: String::with_capacity(src.len()),
            shown: String::with_capacity(src.len()),
            quoted: Vec::new(),
            headers: Vec::new(),
        },
    };
    l.run();
    l.out
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    LineStart,
    /// A key, of a line or (`inline`) of an inline table.
    Key {
        inline: bool,
    },
    Eq,
    Value,
    AfterValue,
    /// Something this lexer does not follow: copied as it is to the end of the line.
    Rest,
}

struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    /// Open arrays (`[`) and inline tables (`{`).
    stack: Vec<char>,
    out: Scan,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn emit(&mut self, s: &str) {
        self.out.fixed.push_str(s);
        self.out.shown.push_str(s);
    }

    fn emit_char(&mut self, c: char) {
        self.out.fixed.push(c);
        self.out.shown.push(c);
    }

    /// The inside of a one-line string: whole in `fixed`, shortened in `shown`.
    fn emit_content(&mut self, s: &str) {
        self.out.fixed.push_str(s);
        if s.chars().count() > SHOWN_CHARS {
            self.out.shown.extend(s.chars().take(SHOWN_CHARS - 1));
            self.out.shown.push('…');
        } else {
            self.out.shown.push_str(s);
        }
    }

    /// Copies the character at the cursor.
    fn copy(&mut self) {
        if let Some(c) = self.peek() {
            self.emit_char(c);
            self.pos += c.len_utf8();
        }
    }

    fn slip(&mut self, at: usize, written: char, meant: char, kind: SlipKind) {
        self.out.slips.push(Slip {
            at: at..at + written.len_utf8(),
            written,
            meant,
            kind,
        });
    }

    /// The character at the cursor, which is `meant` or an IME slip of it: written as `meant`.
    fn take_as(&mut self, meant: char) {
        let Some(c) = self.peek() else { return };
        if c != meant {
            self.slip(self.pos, c, meant, SlipKind::Other);
        }
        self.emit_char(meant);
        self.pos += c.len_utf8();
    }

    fn line_end(&self) -> usize {
        self.src[self.pos..]
            .find('\n')
            .map_or(self.src.len(), |i| self.pos + i)
    }

    fn copy_to_eol(&mut self) {
        let end = self.line_end();
        let rest = &self.src[self.pos..end];
        self.emit(rest);
        self.pos = end;
    }

    /// Spaces and tabs copied, full-width spaces fixed.
    fn blanks(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' => self.copy(),
                '\u{3000}' => {
                    self.slip(self.pos, c, ' ', SlipKind::Space);
                    self.emit_char(' ');
                    self.pos += c.len_utf8();
                }
                _ => break,
            }
        }
    }

    fn run(&mut self) {
        let mut expect = Expect::LineStart;
        while let Some(c) = self.peek() {
            if c == '\n' {
                self.copy();
                if self.stack.is_empty() || expect == Expect::Rest {
                    self.stack.clear();
                    expect = Expect::LineStart;
                }
                continue;
            }
            let before = self.pos;
            expect = match expect {
                Expect::LineStart => self.line_start(),
                Expect::Key { inline } => {
                    self.key(inline);
                    Expect::Eq
                }
                Expect::Eq => self.eq(),
                Expect::Value => self.value(),
                Expect::AfterValue => self.after_value(),
                Expect::Rest => {
                    self.copy_to_eol();
                    Expect::Rest
                }
            };
            if self.pos == before && !matches!(expect, Expect::Key { .. } | Expect::Eq) {
                // Nothing this lexer understands: leave the line as it is.
                expect = Expect::Rest;
            }
        }
    }

    fn line_start(&mut self) -> Expect {
        self.blanks();
        match self.peek() {
            None | Some('\n') => Expect::LineStart,
            Some('#') => {
                self.copy_to_eol();
                Expect::LineStart
            }
            Some('＃') => {
                self.take_as('#');
                self.copy_to_eol();
                Expect::LineStart
            }
            Some('[' | '［') => {
                self.header();
                Expect::AfterValue
            }
            Some(_) => Expect::Key { inline: false },
        }
    }

    fn eq(&mut self) -> Expect {
        self.blanks();
        match self.peek() {
            Some('=') => {
                self.copy();
                Expect::Value
            }
            Some(c @ ('＝' | '：')) => {
                self.slip(self.pos, c, '=', SlipKind::Other);
                self.pos += c.len_utf8();
                if !self.out.fixed.ends_with([' ', '\t']) {
                    self.emit_char(' ');
                }
                self.emit_char('=');
                if !matches!(self.peek(), Some(' ' | '\t' | '\u{3000}')) {
                    self.emit_char(' ');
                }
                Expect::Value
            }
            _ => Expect::Rest,
        }
    }

    fn value(&mut self) -> Expect {
        self.blanks();
        let in_array = self.stack.last() == Some(&'[');
        let in_table = self.stack.last() == Some(&'{');
        match self.peek() {
            None | Some('\n') => Expect::Value,
            Some('"' | '\'' | '“' | '”' | '＂' | '‘' | '’' | '＇') => {
                if self.string() {
                    Expect::AfterValue
                } else {
                    Expect::Rest
                }
            }
            Some('[' | '［') => {
                self.take_as('[');
                self.stack.push('[');
                Expect::Value
            }
            Some('{' | '｛') => {
                self.take_as('{');
                self.stack.push('{');
                Expect::Key { inline: true }
            }
            Some(']' | '］') if in_array => {
                self.take_as(']');
                self.stack.pop();
                Expect::AfterValue
            }
            Some('}' | '｝') if in_table => {
                self.take_as('}');
                self.stack.pop();
                Expect::AfterValue
            }
            Some('#') if in_array => {
                self.copy_to_eol();
                Expect::Value
            }
            Some(_) => {
                self.scalar();
                Expect::AfterValue
            }
        }
    }

    fn after_value(&mut self) -> Expect {
        self.blanks();
        let top = self.stack.last().copied();
        match (self.peek(), top) {
            (None | Some('\n'), _) => Expect::AfterValue,
            (Some('#'), _) => {
                self.copy_to_eol();
                Expect::AfterValue
            }
            (Some('＃'), _) => {
                self.take_as('#');
                self.copy_to_eol();
                Expect::AfterValue
            }
            (Some(',' | '，' | '、'), Some('[')) => {
                self.take_as(',');
                Expect::Value
            }
            (Some(',' | '，' | '、'), Some('{')) => {
                self.take_as(',');
                Expect::Key { inline: true }
            }
            (Some(']' | '］'), Some('[')) => {
                self.take_as(']');
                self.stack.pop();
                Expect::AfterValue
            }
            (Some('}' | '｝'), Some('{')) => {
                self.take_as('}');
                self.stack.pop();
                Expect::AfterValue
            }
            _ => Expect::Rest,
        }
    }
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
    }

    #[test]
    fn quotes_japanese_keys_and_text_but_leaves_strings_alone() {
        assert_eq!(fixed("考え\u{3000}= \"x\"").0, "\"考え\" = \"x\"");
        assert_eq!(fixed("[stages.検討]").0, "[stages.\"検討\"]");
        assert_eq!(fixed("name = 課題、要件").0, "name = \"課題、要件\"");
        assert_eq!(fixed("name = 課題、要件").1, vec![]);
        let s = "a = \"＝、“”\" # ＝\nb = '''\n＝\n'''\n";
        assert_eq!(fixed(s), (s.to_string(), vec![]));
    }

    #[test]
    fn follows_arrays_and_inline_tables_over_lines() {
        let (f, slips) = fixed("a = [\n  \"x\"，\n  １,\n]\nb = { id ＝ \"m\"， n = 2 }\n");
        assert_eq!(f, "a = [\n  \"x\",\n  1,\n]\nb = { id = \"m\", n = 2 }\n");
        assert_eq!(slips.len(), 4);
    }

    #[test]
    fn headers_with_their_parts() {
        let s = scan("[stages.\"x\".tasks]\na = 1\n[[stages.x.tasks]]\n");
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
    fn long_strings_are_shortened_for_messages() {
        let s = scan("thinking\u{3000}= \"稟議を通すための材料が社内に何もない。\"");
        assert_eq!(s.shown, "thinking = \"稟議を通すための材料が社内に何…\"");
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
            proptest::prop_assert_eq!(s.shown.matches('\n').count(), text.matches('\n').count());
            for slip in &s.slips {
                proptest::prop_assert_eq!(text[slip.at.clone()].chars().next(), Some(slip.written));
            }
        }
    }
}
