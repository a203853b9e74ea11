//! Diagnostics: what went wrong, where, and how to fix it.
//!
//! The loader collects every problem of a run into [`Diagnostics`] instead of stopping at the
//! first, so a user fixes a whole batch per run. Rendering (human, JSON, GitHub annotations) is
//! separate from collection and happens only at the command-line edge.

mod code;
mod github;
mod human;
mod json;

pub use code::Code;
pub use github::render_github;
pub use human::{HumanRenderer, count, render_errors, render_human};
pub use json::{JsonDiagnostic, to_json};

use crate::i18n::{Lang, Text};
use crate::source::{SourceMap, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// The word people read before the message: `error` / `エラー`.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Error, Lang::Ja) => "エラー",
            (Severity::Warning, Lang::Ja) => "警告",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: Text,
    /// Where; `None` for problems of the site as a whole.
    pub span: Option<Span>,
    /// Short text shown under the caret.
    pub label: Option<Text>,
    /// How to fix it.
    pub hint: Option<Text>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            hint: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<Text>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<Text>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<impl Into<Text>>) -> Diagnostic {
        let hint = hint.map(Into::into);
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }
}

/// Every diagnostic of a run.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Put diagnostics in a deterministic order: by file path, then position, then code and
    /// message; site-wide ones first. Identical duplicates are dropped.
    pub fn sort(&mut self, sources: &SourceMap) {
        self.items.sort_by_cached_key(|d| {
            let place = d
                .span
                .map(|s| (sources.get(s.file).rel_path.clone(), s.start, s.end));
            (
                place,
                d.severity,
                d.code,
                d.message.clone(),
                d.label.clone(),
                d.hint.clone(),
            )
        });
        self.items.dedup();
    }
}
