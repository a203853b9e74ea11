//! Splitting a Markdown file into its TOML front matter and its body.

use std::ops::Range;

/// The parts of a Markdown file with front matter. Ranges are byte offsets into the text.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The opening `+++` line.
    pub open: Range<usize>,
    /// The TOML between the delimiters.
    pub toml: Range<usize>,
    /// The closing `+++` line.
    pub close: Range<usize>,
    /// Everything after the closing line.
    pub body: Range<usize>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The first non-blank line is not `+++`. `yaml` is set when it is `---`, the YAML habit
    /// of other generators.
    Missing { line: Range<usize>, yaml: bool },
    /// `+++` opens the front matter but no later line closes it.
    Unclosed { open: Range<usize> },
}

const DELIMITER: &str = "+++";

/// Find the front matter: blank lines may come first; the delimiters are lines holding `+++`
/// (trailing spaces allowed). Works on `\n` text; callers normalise line endings first.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = lines_with_ranges(text);
    let open = loop {
        match lines.next() {
            Some((_, line)) if line.trim().is_empty() => continue,
            Some((range, line)) if line.trim_end() == DELIMITER => break range,
            Some((range, line)) => {
                return Err(SplitError::Missing {
                    yaml: line.trim_end() == "---",
                    line: range,
                });
            }
            None => {
                return Err(SplitError::Missing {
                    line: 0..0,
                    yaml: false,
                });
            }
        }
    };
    let toml_start = next_line_start(text, open.end);
    for (range, line) in lines {
        if line.trim_end() == DELIMITER {
            let body_start = next_line_start(text, range.end);
            return Ok(Split {
                open,
                toml: toml_start..range.start,
                close: range,
                body: body_start..text.len(),
            });
        }
    }
    Err(SplitError::Unclosed { open })
}

fn next_line_start(text: &str, line_end: usize) -> usize {
    if text[line_end..].starts_with('\n') {
        line_end + 1
    } else {
        line_end
    }
}

/// Lines without their `\n`, with their byte ranges.
fn lines_with_ranges(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let r = start..end;
        if end == text.len() {
            done = true;
        } else {
            start = end + 1;
        }
        Some((r.clone(), &text[r]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let t = "+++\nname = \"a\"\n+++\nbody\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.toml.clone()], "name = \"a\"\n");
        assert_eq!(&t[s.body.clone()], "body\n");
        assert_eq!(s.open, 0..3);
        assert_eq!(&t[s.close.clone()], "+++");
    }

    #[test]
    fn allows_leading_blank_lines_and_trailing_spaces() {
        let t = "\n  \n+++  \nx = 1\n+++\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.toml.clone()], "x = 1\n");
        assert_eq!(s.body, t.len()..t.len());
    }

    #[test]
    fn empty_front_matter_and_no_final_newline() {
        let t = "+++\n+++";
        let s = split(t).unwrap();
        assert_eq!(s.toml, 4..4);
        assert_eq!(s.body, 7..7);
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(
            split(""),
            Err(SplitError::Missing {
                line: 0..0,
                yaml: false
            })
        );
        assert_eq!(
            split("---\na: b\n---\n"),
            Err(SplitError::Missing {
                line: 0..3,
                yaml: true
            })
        );
        assert_eq!(
            split("+++\nname = 1\n"),
            Err(SplitError::Unclosed { open: 0..3 })
        );
        assert_eq!(
            split("# title\n"),
            Err(SplitError::Missing {
                line: 0..7,
                yaml: false
            })
        );
    }

    #[test]
    fn a_delimiter_inside_a_line_does_not_close() {
        let t = "+++\nx = \"+++\"\n +++x\n";
        assert!(matches!(split(t), Err(SplitError::Unclosed { .. })));
    }
}
