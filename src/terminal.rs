//! Text from content on its way to a terminal or a CI log.
//!
//! File names, department names and any other text a site holds can contain control
//! characters: ESC sequences that rewrite a terminal, or a line break followed by `::error`
//! or `::add-mask::`, which GitHub Actions obeys as a workflow command when it starts a
//! line of a job's log. Every human format (`check`, `build`, `diff --format text`, error
//! messages) passes content through here; the JSON and GitHub formats escape by their own
//! rules. A leaf module: everything may use it, it uses nothing.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character is shown as an escape: C0 and C1 controls, DEL, and the Unicode
/// controls that reorder or hide text (bidirectional overrides and isolates).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Every control character as a visible escape (`\n`, `\t`, `\u{1b}` …), as Rust writes
/// them: one line of text in, one line out.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "{}", c.escape_debug());
            if c.escape_debug().len() == 1 {
                // `escape_debug` leaves some format characters as they are.
                out.pop();
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape_controls`] keeping line breaks: for a multi-line text written by tabiji whose
/// pieces may come from content.
pub fn escape_controls_but_newlines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&escape_controls(line));
    }
    Cow::Owned(out)
}

/// No line can be taken for a workflow command: a line that starts (after blanks) with
/// `::` or `##[` gets a backslash before it.
pub fn neutralise_commands(text: &str) -> Cow<'_, str> {
    let risky = |line: &str| {
        let t = line.trim_start();
        t.starts_with("::") || t.starts_with("##[")
    };
    if !text.split('\n').any(risky) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if risky(line) {
            let blanks = line.len() - line.trim_start().len();
            out.push_str(&line[..blanks]);
            out.push('\\');
            out.push_str(&line[blanks..]);
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// Both: what a human format's whole output goes through.
pub fn safe(text: &str) -> String {
    neutralise_commands(&escape_controls_but_newlines(text)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_escapes() {
        assert_eq!(escape_controls("a\nb\u{1b}[31m\t"), "a\\nb\\u{1b}[31m\\t");
        assert_eq!(escape_controls("a\u{202E}b"), "a\\u{202e}b");
        assert_eq!(escape_controls("課長"), "課長");
        assert_eq!(escape_controls_but_newlines("a\u{7}\nb"), "a\\u{7}\nb");
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        assert_eq!(
            neutralise_commands("ok\n::error file=x::y\n  ::add-mask::z\n##[error]w"),
            "ok\n\\::error file=x::y\n  \\::add-mask::z\n\\##[error]w"
        );
        assert_eq!(neutralise_commands("a :: b"), "a :: b");
    }

    proptest::proptest! {
        #[test]
        fn any_text_comes_out_inert(s in "(\\PC|[\n\r\t\u{1b}\u{7f}\u{85}\u{202e}:#\\[])*") {
            let out = safe(&s);
            for line in out.split('\n') {
                proptest::prop_assert!(!line.trim_start().starts_with("::"), "{line:?}");
                proptest::prop_assert!(!line.trim_start().starts_with("##["), "{line:?}");
                proptest::prop_assert!(!line.chars().any(is_unsafe), "{line:?}");
            }
            // Each line of a text without controls is kept as it is but for one `\\`.
            proptest::prop_assert_eq!(out.split('\n').count(), s.split('\n').count());
        }
    }
}
