//! Table headers and keys, for the IME lexer: a key is read whole, then each dotted part is
//! fixed (full-width letters made half-width) or quoted (Japanese, which a bare key cannot
//! hold). Apart from the values because keys have rules of their own.

use super::{Header, Lexer, SlipKind, ascii_of, escaped, is_bare};

impl Lexer<'_> {
    /// A table header at the cursor: `[x]` or `[[x]]`, brackets full width or not.
    pub(super) fn header(&mut self) {
        let start = self.pos;
        let mut opens = 0;
        while opens < 2 && matches!(self.peek(), Some('[' | '［')) {
            self.take_as('[');
            opens += 1;
        }
        let open = start..self.pos;
        let written = self.key_text(&[']', '］']);
        for _ in 0..opens {
            if matches!(self.peek(), Some(']' | '］')) {
                self.take_as(']');
            }
        }
        self.out.headers.push(Header {
            open,
            double: opens == 2,
            key: key_parts(&written),
            written: written.trim().to_string(),
        });
    }

    /// A key up to its `=` (or `,` and `}` in an inline table).
    pub(super) fn key(&mut self, inline: bool) {
        let ends: &[char] = if inline {
            &['=', '＝', '：', ',', '，', '}', '｝']
        } else {
            &['=', '＝', '：']
        };
        self.key_text(ends);
    }

    /// Reads a key up to one of `ends` (or the end of the line) and writes it fixed: slips
    /// in each dotted part mended, a part that is not a bare key quoted. Returns what it
    /// wrote.
    fn key_text(&mut self, ends: &[char]) -> String {
        // Parts between dots, each as (offset, char) or an already written quoted string.
        let mut parts: Vec<Vec<Piece>> = vec![Vec::new()];
        while let Some(c) = self.peek() {
            if c == '\n' || ends.contains(&c) {
                break;
            }
            match c {
                '.' | '．' => {
                    if c != '.' {
                        self.slip(self.pos, c, '.', SlipKind::Other);
                    }
                    self.pos += c.len_utf8();
                    parts.push(Vec::new());
                }
                '"' | '\'' | '“' | '”' | '＂' | '‘' | '’' | '＇' => {
                    let mark = self.out.fixed.len();
                    let mark_shown = self.out.shown.len();
                    if !self.string() {
                        self.out.fixed.truncate(mark);
                        self.out.shown.truncate(mark_shown);
                        break;
                    }
                    let quoted = self.out.fixed.split_off(mark);
                    self.out.shown.truncate(mark_shown);
                    if let Some(last) = parts.last_mut() {
                        last.push(Piece::Quoted(quoted));
                    }
                }
                _ => {
                    if let Some(last) = parts.last_mut() {
                        last.push(Piece::Char(self.pos, c));
                    }
                    self.pos += c.len_utf8();
                }
            }
        }
        let mut written = String::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                written.push('.');
            }
            self.key_part(part, &mut written);
        }
        self.emit(&written);
        written
    }

    /// One dotted part of a key, into `out`.
    fn key_part(&mut self, part: &[Piece], out: &mut String) {
        let blank = |p: &Piece| matches!(p, Piece::Char(_, ' ' | '\t' | '\u{3000}'));
        let first = part.iter().position(|p| !blank(p)).unwrap_or(part.len());
        let last = part
            .iter()
            .rposition(|p| !blank(p))
            .map_or(first, |i| i + 1);
        for p in &part[..first] {
            self.blank_piece(p, out);
        }
        let core = &part[first..last];
        let chars: Option<Vec<(usize, char)>> = core
            .iter()
            .map(|p| match *p {
                Piece::Char(at, c) => Some((at, c)),
                Piece::Quoted(_) => None,
            })
            .collect();
        match chars {
            // A quoted part, as written.
            None => core.iter().for_each(|p| match p {
                Piece::Quoted(s) => out.push_str(s),
                Piece::Char(_, c) => out.push(*c),
            }),
            Some(chars) => {
                let half: String = chars
                    .iter()
                    .map(|&(_, c)| ascii_of(c).filter(|&a| is_bare(a)).unwrap_or(c))
                    .collect();
                if half.chars().all(is_bare) {
                    // `ｔｈｉｎｋｉｎｇ`: full-width letters of a bare key.
                    for &(at, c) in &chars {
                        if !is_bare(c) {
                            self.slip(at, c, ascii_of(c).unwrap_or(c), SlipKind::Other);
                        }
                    }
                    out.push_str(&half);
                } else {
                    // `課題`: Japanese, which a bare key cannot hold.
                    let text: String = chars.iter().map(|&(_, c)| c).collect();
                    out.push('"');
                    out.push_str(&escaped(&text));
                    out.push('"');
                }
            }
        }
        for p in &part[last..] {
            self.blank_piece(p, out);
        }
    }

    /// A space or tab around a key part; a full-width one fixed.
    fn blank_piece(&mut self, p: &Piece, out: &mut String) {
        if let Piece::Char(at, c) = *p {
            if c == '\u{3000}' {
                self.slip(at, c, ' ', SlipKind::Space);
                out.push(' ');
            } else {
                out.push(c);
            }
        }
    }
}

/// A piece of a key: a character (with its offset), or a quoted string as written.
enum Piece {
    Char(usize, char),
    Quoted(String),
}

/// The parts of a dotted key as written fixed, unquoted: `stages."x" . tasks` gives
/// `stages`, `x`, `tasks`.
fn key_parts(written: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = written.chars();
    while let Some(c) = chars.next() {
        let part = parts.last_mut().expect("never empty");
        match c {
            '.' => parts.push(String::new()),
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => part.extend(chars.next()),
                        c => part.push(c),
                    }
                }
            }
            '\'' => part.extend(chars.by_ref().take_while(|&c| c != '\'')),
            ' ' | '\t' => {}
            c => part.push(c),
        }
    }
    parts
}
