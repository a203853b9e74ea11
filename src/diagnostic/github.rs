//! Diagnostics as GitHub Actions workflow commands, so a pull request shows each problem on
//! the line it is about.

use super::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::source::SourceMap;

/// One `::error file=…,line=…,col=…,title=…::message` line.
pub fn render_github(d: &Diagnostic, sources: &SourceMap, lang: Lang) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(span) = d.span {
        let f = sources.get(span.file);
        let (l, c) = f.line_col(span.start as usize);
        let (el, ec) = f.line_col(span.end as usize);
        props.push(format!(
            "file={}",
            escape_property(&crate::terminal::escape_controls(&f.rel_path))
        ));
        props.push(format!("line={l}"));
        props.push(format!("col={c}"));
        if el != l {
            props.push(format!("endLine={el}"));
        } else if ec > c {
            props.push(format!("endColumn={ec}"));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("tabiji {}", d.code))
    ));
    // Controls from content as escapes (ESC would reach the log raw); the one line break
    // is tabiji's own, before the hint.
    let mut message = crate::terminal::escape_controls(d.message.get(lang)).into_owned();
    if let Some(hint) = &d.hint {
        message.push_str(match lang {
            Lang::En => "\nhint: ",
            Lang::Ja => "\nヒント: ",
        });
        message.push_str(&crate::terminal::escape_controls(hint.get(lang)));
    }
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_requires() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("50% a:b"), "50%25 a:b");
    }
}
