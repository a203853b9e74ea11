//! Diagnostics as JSON objects, for scripts and editors.

use serde::Serialize;

use super::Diagnostic;
use crate::i18n::Lang;
use crate::source::SourceMap;

/// The stable JSON shape of one diagnostic (documented in `docs/commands.md`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    pub label: Option<String>,
    pub hint: Option<String>,
}

/// The message, label and hint are in `lang`; the code is the same in every language.
pub fn to_json(d: &Diagnostic, sources: &SourceMap, lang: Lang) -> JsonDiagnostic {
    let (file, line, column, end_line, end_column) = match d.span {
        Some(span) => {
            let f = sources.get(span.file);
            let (l, c) = f.line_col(span.start as usize);
            let (el, ec) = f.line_col(span.end as usize);
            (
                Some(f.rel_path.clone()),
                Some(l),
                Some(c),
                Some(el),
                Some(ec),
            )
        }
        None => (None, None, None, None, None),
    };
    JsonDiagnostic {
        file,
        line,
        column,
        end_line,
        end_column,
        severity: d.severity.as_str(),
        code: d.code.as_str(),
        message: d.message.get(lang).to_owned(),
        label: d.label.as_ref().map(|t| t.get(lang).to_owned()),
        hint: d.hint.as_ref().map(|t| t.get(lang).to_owned()),
    }
}
