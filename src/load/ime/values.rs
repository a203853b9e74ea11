//! Strings and plain values, for the IME lexer: a string in curly or full-width quotes, a
//! straight quote closed by a curly one, full-width digits and signs in a number, and text
//! someone forgot to quote. Apart from the keys because values have rules of their own.

use super::{Lexer, SlipKind, ascii_of, escaped, half_width, is_value};

impl Lexer<'_> {
    /// A string at the cursor: TOML's four kinds, or one in curly or full-width quotes
    /// (a slip, written fixed). False when it does not end on its line.
    pub(super) fn string(&mut self) -> bool {
        let rest = &self.src[self.pos..];
        for delim in ["\"\"\"", "'''"] {
            if rest.starts_with(delim) {
                // Copied as it is, line breaks and all.
                let body = &rest[3..];
                let mut end = None;
                let mut chars = body.char_indices();
                while let Some((i, c)) = chars.next() {
                    if c == '\\' && delim == "\"\"\"" {
                        chars.next();
                    } else if body[i..].starts_with(delim) {
                        let extra = body[i + 3..]
                            .chars()
                            .take(2)
                            .take_while(|&q| q == delim.as_bytes()[0] as char)
                            .count();
                        end = Some(3 + i + 3 + extra);
                        break;
                    }
                }
                let end = end.unwrap_or(rest.len());
                let text = &rest[..end];
                self.emit(text);
                self.pos += end;
                return true;
            }
        }
        let Some(open) = self.peek() else {
            return false;
        };
        let (closers, slipped): (&[char], bool) = match open {
            '"' => (&['"'], false),
            '\'' => (&['\''], false),
            '“' | '”' | '＂' => (&['”', '“', '＂', '"'], true),
            _ => (&['’', '‘', '＇', '\''], true),
        };
        let start = self.pos + open.len_utf8();
        let line_end = self.line_end();
        let body = &self.src[start..line_end];
        let mut close = None;
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' && open == '"' {
                chars.next();
            } else if closers.contains(&c) {
                close = Some((i, c));
                break;
            }
        }
        if close.is_none() && !slipped {
            // `"…”`: a straight quote closed by a curly one.
            let curly: &[char] = if open == '"' {
                &['”', '“', '＂']
            } else {
                &['’', '‘', '＇']
            };
            close = body.char_indices().rfind(|(_, c)| curly.contains(c));
        }
        let Some((i, c)) = close else {
            return false;
        };
        let content = &body[..i];
        if slipped {
            self.slip(self.pos, open, '"', SlipKind::Quote);
        }
        let meant = if slipped { '"' } else { open };
        if c != meant && !(slipped && c == '\'') {
            self.slip(start + i, c, meant, SlipKind::Quote);
        }
        self.emit_char(meant);
        if slipped {
            self.emit_content(&escaped(content));
        } else {
            self.emit_content(content);
        }
        self.emit_char(meant);
        self.pos = start + i + c.len_utf8();
        true
    }

    /// A value that is not a string, array or inline table: a number, date, boolean, or
    /// text someone forgot to quote.
    pub(super) fn scalar(&mut self) {
        let start = self.pos;
        let nested = !self.stack.is_empty();
        let mut end = start;
        let mut numeric = true;
        for (i, c) in self.src[start..].char_indices() {
            let at = start + i;
            if c == '\n' {
                break;
            }
            if nested {
                if matches!(
                    c,
                    ' ' | '\t' | '\u{3000}' | ',' | '，' | ']' | '］' | '}' | '｝' | '#'
                ) || (c == '、' && numeric)
                {
                    break;
                }
            } else if c == '#' && self.src[..at].ends_with([' ', '\t']) {
                break;
            }
            numeric &= ascii_of(c).unwrap_or(c).is_ascii_digit()
                || matches!(ascii_of(c).unwrap_or(c), '-' | '+' | '.' | '_' | 'e' | 'E');
            end = at + c.len_utf8();
        }
        // Blanks after the value are not part of it.
        let token = self.src[start..end].trim_end_matches([' ', '\t', '\r', '\u{3000}']);
        self.pos = start + token.len();
        if token.is_empty() {
            return;
        }
        if token.chars().any(|c| ascii_of(c).is_some()) {
            let half = half_width(token);
            if is_value(&half) {
                let kind = if half.chars().any(|c| c.is_ascii_digit()) {
                    SlipKind::Value
                } else {
                    SlipKind::Other
                };
                for (i, c) in token.char_indices() {
                    if let Some(a) = ascii_of(c) {
                        self.slip(start + i, c, a, kind);
                    }
                }
                self.emit(&half);
                return;
            }
        }
        if is_value(token) {
            self.emit(token);
        } else {
            self.out.quoted.push(start);
            self.emit_char('"');
            self.emit_content(&escaped(token));
            self.emit_char('"');
        }
    }
}
