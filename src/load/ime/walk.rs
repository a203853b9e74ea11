//! The walk through a TOML text, token by token, as TOML's grammar goes: where a token
//! stands (a key, after a key, a value, after a value, a header) decides whether an IME
//! character is a slip (`＝` after a key, `－１` as a value) or text (`課題、要件`, a value
//! someone forgot to quote). Apart from `mod.rs`, which holds the tokens, because this is
//! the grammar: what is fixed how.

use toml_parser::lexer::TokenKind as K;

use super::{
    Header, Scan, Slip, SlipKind, Tok, ascii_of, escaped, half_width, is_bare, is_value, key_parts,
    token,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    LineStart,
    Eq,
    Value,
    AfterValue,
    /// Something this walk does not follow: copied as it is to the end of the line.
    Rest,
}

pub(super) struct Walk<'s> {
    src: &'s str,
    pos: usize,
    /// Open arrays (`[`) and inline tables (`{`).
    stack: Vec<K>,
    out: Scan,
}

impl<'s> Walk<'s> {
    pub(super) fn new(src: &'s str) -> Walk<'s> {
        Walk {
            src,
            pos: 0,
            stack: Vec::new(),
            out: Scan::default(),
        }
    }

    pub(super) fn run(mut self) -> Scan {
        let mut expect = Expect::LineStart;
        loop {
            if expect == Expect::Rest {
                self.copy_to_eol();
            }
            let t = token(self.src, self.pos);
            match t.kind {
                K::Eof => break,
                K::Newline => {
                    self.copy(&t);
                    if self.stack.is_empty() || expect == Expect::Rest {
                        self.stack.clear();
                        expect = Expect::LineStart;
                    }
                    continue;
                }
                K::Whitespace => {
                    self.take(&t, SlipKind::Space);
                    continue;
                }
                _ => {}
            }
            let before = self.pos;
            expect = match expect {
                Expect::LineStart => self.line_start(&t),
                Expect::Eq => self.eq(&t),
                Expect::Value => self.value(&t),
                Expect::AfterValue | Expect::Rest => self.after_value(&t),
            };
            if self.pos == before && expect != Expect::Eq {
                expect = Expect::Rest;
            }
        }
        self.out
    }

    fn emit(&mut self, s: &str) {
        self.out.fixed.push_str(s);
    }

    /// The token as it is.
    fn copy(&mut self, t: &Tok) {
        self.out.fixed.push_str(&self.src[t.at.clone()]);
        self.pos = t.at.end;
    }

    fn copy_to_eol(&mut self) {
        let end = self.src[self.pos..]
            .find('\n')
            .map_or(self.src.len(), |i| self.pos + i);
        self.out.fixed.push_str(&self.src[self.pos..end]);
        self.pos = end;
    }

    fn slip(&mut self, at: usize, written: char, meant: char, kind: SlipKind) {
        self.out.slips.push(Slip {
            at: at..at + written.len_utf8(),
            written,
            meant,
            kind,
        });
    }

    /// The token, or the character it stands for when it is an IME character (a slip).
    fn take(&mut self, t: &Tok, kind: SlipKind) {
        match t.ime {
            Some((written, meant)) => {
                self.slip(t.at.start, written, meant, kind);
                self.out.fixed.push(meant);
                self.pos = t.at.end;
            }
            None => self.copy(t),
        }
    }

    fn line_start(&mut self, t: &Tok) -> Expect {
        match t.kind {
            K::Comment => {
                self.comment(t);
                Expect::LineStart
            }
            K::LeftSquareBracket => {
                self.header();
                Expect::AfterValue
            }
            _ => {
                self.key();
                Expect::Eq
            }
        }
    }

    fn comment(&mut self, t: &Tok) {
        self.take(t, SlipKind::Other);
        self.copy_to_eol();
    }

    /// A table header: `[x]` or `[[x]]`, brackets full width or not.
    fn header(&mut self) {
        let start = self.pos;
        let mut opens = 0;
        while opens < 2 {
            let t = token(self.src, self.pos);
            if t.kind != K::LeftSquareBracket {
                break;
            }
            self.take(&t, SlipKind::Other);
            opens += 1;
        }
        let open = start..self.pos;
        let from = self.out.fixed.len();
        self.key();
        let written = self.out.fixed[from..].trim().to_string();
        for _ in 0..opens {
            let t = token(self.src, self.pos);
            if t.kind == K::RightSquareBracket {
                self.take(&t, SlipKind::Other);
            }
        }
        self.out.headers.push(Header {
            open,
            double: opens == 2,
            key: key_parts(&written),
            written,
        });
    }

    /// A dotted key, each part fixed (full-width letters) or quoted (Japanese, which a bare
    /// key cannot hold).
    fn key(&mut self) {
        loop {
            let t = token(self.src, self.pos);
            match t.kind {
                K::Whitespace => self.take(&t, SlipKind::Space),
                K::Dot => self.take(&t, SlipKind::Other),
                K::Atom => self.bare_key(&t),
                K::BasicString | K::LiteralString if self.string(&t) => {}
                _ => return,
            }
        }
    }

    fn bare_key(&mut self, t: &Tok) {
        let text = &self.src[t.at.clone()];
        let half: String = text
            .chars()
            .map(|c| ascii_of(c).filter(|&a| is_bare(a)).unwrap_or(c))
            .collect();
        if half.chars().all(is_bare) {
            // `ｔｈｉｎｋｉｎｇ`: full-width letters of a bare key.
            for (i, c) in text.char_indices().filter(|&(_, c)| !is_bare(c)) {
                let meant = ascii_of(c).unwrap_or(c);
                self.slip(t.at.start + i, c, meant, SlipKind::Other);
            }
            self.emit(&half);
        } else {
            // `課題`: Japanese, which a bare key cannot hold.
            self.emit(&format!("\"{}\"", escaped(text)));
        }
        self.pos = t.at.end;
    }

    fn eq(&mut self, t: &Tok) -> Expect {
        if t.kind != K::Equals {
            return Expect::Rest;
        }
        let spaced = t.ime.is_some() && !self.out.fixed.ends_with([' ', '\t']);
        if spaced {
            self.emit(" ");
        }
        self.take(t, SlipKind::Other);
        if t.ime.is_some() && token(self.src, self.pos).kind != K::Whitespace {
            self.emit(" ");
        }
        Expect::Value
    }

    fn value(&mut self, t: &Tok) -> Expect {
        match t.kind {
            K::BasicString | K::LiteralString | K::MlBasicString | K::MlLiteralString => {
                if self.string(t) {
                    Expect::AfterValue
                } else {
                    Expect::Rest
                }
            }
            K::LeftSquareBracket | K::LeftCurlyBracket => {
                self.take(t, SlipKind::Other);
                self.stack.push(t.kind);
                self.next_in(t.kind)
            }
            K::RightSquareBracket | K::RightCurlyBracket => self.close(t),
            K::Comment if self.stack.last() == Some(&K::LeftSquareBracket) => {
                self.comment(t);
                Expect::Value
            }
            K::Comment => Expect::Rest,
            _ => {
                self.scalar();
                Expect::AfterValue
            }
        }
    }

    fn after_value(&mut self, t: &Tok) -> Expect {
        match (t.kind, self.stack.last()) {
            (K::Comment, _) => {
                self.comment(t);
                Expect::AfterValue
            }
            (K::Comma, Some(&open)) => {
                self.take(t, SlipKind::Other);
                self.next_in(open)
            }
            (K::RightSquareBracket | K::RightCurlyBracket, _) => self.close(t),
            _ => Expect::Rest,
        }
    }

    /// After `[` or `,` in an array, a value; after `{` or `,` in an inline table, a key.
    fn next_in(&mut self, open: K) -> Expect {
        if open == K::LeftSquareBracket {
            return Expect::Value;
        }
        self.key();
        Expect::Eq
    }

    /// `]` or `}`, when it closes what is open.
    fn close(&mut self, t: &Tok) -> Expect {
        let open = match t.kind {
            K::RightSquareBracket => K::LeftSquareBracket,
            _ => K::LeftCurlyBracket,
        };
        if self.stack.last() != Some(&open) {
            return Expect::Rest;
        }
        self.take(t, SlipKind::Other);
        self.stack.pop();
        Expect::AfterValue
    }

    /// A string: as the lexer found it; in curly or full-width quotes (`“…”`); or in a
    /// straight quote closed by a curly one (`"…”`), which the lexer reads to the end of
    /// the line. False when it does not end on its line.
    fn string(&mut self, t: &Tok) -> bool {
        let text = &self.src[t.at.clone()];
        let (open, closers): (char, &[char]) = match t.ime {
            Some((c @ ('‘' | '’' | '＇'), _)) => (c, &['’', '‘', '＇', '\'']),
            Some((c, _)) => (c, &['”', '“', '＂', '"']),
            None if text.starts_with('"') => ('"', &['”', '“', '＂']),
            None => ('\'', &['’', '‘', '＇']),
        };
        let closed = text.len() > 1 && text.ends_with(open);
        if t.ime.is_none() && (closed || matches!(t.kind, K::MlBasicString | K::MlLiteralString)) {
            self.copy(t);
            return true;
        }
        let body = &self.src[t.at.end..];
        let close = match t.ime {
            Some(_) => body
                .char_indices()
                .take_while(|&(_, c)| c != '\n')
                .find(|(_, c)| closers.contains(c)),
            // `"…”`: the last curly quote on the line closes it.
            None => text[1..].char_indices().rfind(|(_, c)| closers.contains(c)),
        };
        let Some((i, c)) = close else {
            return false;
        };
        let (start, content) = match t.ime {
            Some((written, meant)) => {
                self.slip(t.at.start, written, meant, SlipKind::Quote);
                (t.at.end, escaped(&body[..i]))
            }
            None => (t.at.start + 1, text[1..1 + i].to_string()),
        };
        let meant = if t.ime.is_some() { '"' } else { open };
        if !matches!(c, '"' | '\'') {
            self.slip(start + i, c, meant, SlipKind::Quote);
        }
        self.out.fixed.push(meant);
        self.emit(&content);
        self.out.fixed.push(meant);
        self.pos = start + i + c.len_utf8();
        true
    }

    /// A value that is not a string, array or inline table: a number, date, boolean, or
    /// text someone forgot to quote, read as written (the lexer cuts `０．２５` at `．`).
    fn scalar(&mut self) {
        let start = self.pos;
        let nested = !self.stack.is_empty();
        let mut end = start;
        let mut numeric = true;
        for (i, c) in self.src[start..].char_indices() {
            let at = start + i;
            let half = ascii_of(c).unwrap_or(c);
            let ends = if nested {
                matches!(half, ' ' | '\t' | ',' | ']' | '}' | '#') && (c != '、' || numeric)
            } else {
                c == '#' && self.src[..at].ends_with([' ', '\t'])
            };
            if c == '\n' || ends {
                break;
            }
            numeric &= half.is_ascii_digit() || matches!(half, '-' | '+' | '.' | '_' | 'e' | 'E');
            end = at + c.len_utf8();
        }
        // Blanks after the value are not part of it.
        let text = self.src[start..end].trim_end_matches([' ', '\t', '\r', '\u{3000}']);
        self.pos = start + text.len();
        if text.is_empty() {
            return;
        }
        let half = half_width(text);
        if half != text && is_value(&half) {
            let kind = if half.chars().any(|c| c.is_ascii_digit()) {
                SlipKind::Value
            } else {
                SlipKind::Other
            };
            for (i, c) in text.char_indices() {
                if let Some(a) = ascii_of(c) {
                    self.slip(start + i, c, a, kind);
                }
            }
            self.emit(&half);
        } else if is_value(text) {
            self.emit(text);
        } else {
            self.out.quoted.push(start);
            self.emit(&format!("\"{}\"", escaped(text)));
        }
    }
}
