//! Human-readable diagnostics in the rustc style.
//!
//! This is the only module that knows the `annotate-snippets` API, so that a change of that
//! crate touches one file.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::source::SourceMap;

/// Renders diagnostics as text, with or without terminal colours.
pub struct HumanRenderer {
    renderer: Renderer,
    lang: Lang,
}

impl HumanRenderer {
    pub fn new(color: bool, lang: Lang) -> HumanRenderer {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        HumanRenderer { renderer, lang }
    }

    /// Content reaches the terminal only as text: control characters in the message, label,
    /// hint and path become escapes (the excerpt is escaped by annotate-snippets), and no
    /// line can start a CI workflow command ([`crate::terminal`]).
    pub fn render(&self, d: &Diagnostic, sources: &SourceMap) -> String {
        use crate::terminal::escape_controls as esc;
        let lang = self.lang;
        let message = esc(d.message.get(lang));
        let label = d.label.as_ref().map(|t| esc(t.get(lang)));
        let hint = d.hint.as_ref().map(|t| esc(t.get(lang)));
        let out = self.render_parts(d, sources, &message, label.as_deref(), hint.as_deref());
        crate::terminal::neutralise_commands(&out).into_owned()
    }

    fn render_parts(
        &self,
        d: &Diagnostic,
        sources: &SourceMap,
        message: &str,
        label: Option<&str>,
        hint: Option<&str>,
    ) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        }
        .with_name(d.severity.word(self.lang));
        let help = match self.lang {
            Lang::En => Level::HELP,
            Lang::Ja => Level::HELP.with_name("ヒント"),
        };
        let title = level.primary_title(message).id(d.code.as_str());
        let path = d.span.map_or_else(String::new, |s| {
            crate::terminal::escape_controls(&sources.get(s.file).rel_path).into_owned()
        });
        let group = match d.span {
            // A let-go text that changed on disk since it was parsed: the place, no excerpt.
            Some(span) if !sources.get(span.file).has_text() => {
                let file = sources.get(span.file);
                let (line, col) = file.line_col(span.start as usize);
                let origin = annotate_snippets::Origin::path(path.as_str())
                    .line(line)
                    .char_column(col);
                let mut group = title.element(origin);
                if let Some(hint) = hint {
                    group = group.element(help.clone().message(hint));
                }
                group
            }
            Some(span) => {
                let file = sources.get(span.file);
                let start = file.clamp(span.start as usize);
                let end = file.clamp(span.end as usize).max(start);
                let (first_line, _) = file.line_col(start);
                let (mut last_line, _) = file.line_col(end);
                // Show at most a few lines of a long span (a whole table, say).
                last_line = last_line.min(first_line + 3);
                let from = file.line_range(first_line - 1).start;
                let to = file.line_range(last_line - 1).end;
                let excerpt = &file.text()[from..to.max(from)];
                let a_start = start - from;
                let a_end = (end.min(to) - from).max(a_start);
                let mut annotation = AnnotationKind::Primary.span(a_start..a_end);
                if let Some(label) = label {
                    annotation = annotation.label(label);
                }
                let snippet = Snippet::source(excerpt)
                    .line_start(first_line)
                    .path(path.as_str())
                    .annotation(annotation);
                let mut group = title.element(snippet);
                if let Some(hint) = hint {
                    group = group.element(help.clone().message(hint));
                }
                group
            }
            None => {
                let mut group = annotate_snippets::Group::with_title(title);
                if let Some(hint) = hint {
                    group = group.element(help.clone().message(hint));
                }
                group
            }
        };
        self.renderer.render(&[group])
    }
}

/// The errors (not the warnings) of a run, each followed by a blank line, at most `limit`
/// of them: what `build`, `export`, `diff` and `serve` show when content does not load.
pub fn render_errors(
    d: &super::Diagnostics,
    sources: &SourceMap,
    color: bool,
    limit: usize,
    lang: Lang,
) -> String {
    let r = HumanRenderer::new(color, lang);
    let mut out = String::new();
    for diag in d
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .take(limit)
    {
        out.push_str(&r.render(diag, sources));
        out.push_str("\n\n");
    }
    out
}

/// `1 error` / `エラー 1 件`, `2 warnings` / `警告 2 件`.
pub fn count(n: usize, severity: Severity) -> crate::i18n::Text {
    match severity {
        Severity::Error => crate::i18n::count(n, "error", "errors", "エラー"),
        Severity::Warning => crate::i18n::count(n, "warning", "warnings", "警告"),
    }
}

/// Render every diagnostic, separated by blank lines, without colours.
pub fn render_human<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
    lang: Lang,
) -> String {
    let r = HumanRenderer::new(false, lang);
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&r.render(d, sources));
        out.push_str("\n\n");
    }
    out
}
