//! The optional site-wide files: `content/glossary.toml` and `content/onboarding.toml`.

use super::links::LinkRef;
use super::pages::scan_toml_string;
use super::table::{Fields, TomlText};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::Text;
use crate::model::shape;
use crate::model::{Glossary, Id, Onboarding, OnboardingStep, PageRef, PageRefKind, Spanned, Term};
use crate::source::{FileId, Span};
use crate::t;

pub fn glossary(
    file: FileId,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> Glossary {
    let text = TomlText { file, base: 0, src };
    let mut g = Glossary {
        file,
        terms: Vec::new(),
    };
    let Some(table) = text.parse(d) else { return g };
    let mut f = Fields::new(text, &table, Span::file_start(file), &shape::GLOSSARY);
    for (t, span) in f.tables("terms", d) {
        let mut tf = Fields::new(text, t, span, &shape::TERM);
        let term = Term {
            term: tf.req_str("term", d),
            reading: tf.opt_str("reading", d),
            definition: tf.req_str("definition", d),
            span,
        };
        tf.finish(d);
        scan_toml_string(src, &term.definition, links, d);
        g.terms.push(term);
    }
    f.finish(d);
    g
}

pub fn onboarding(
    file: FileId,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> Onboarding {
    let text = TomlText { file, base: 0, src };
    let anchor = Span::file_start(file);
    let mut o = Onboarding {
        file,
        title: Spanned::new(String::new(), anchor),
        steps: Vec::new(),
    };
    let Some(table) = text.parse(d) else { return o };
    let mut f = Fields::new(text, &table, anchor, &shape::ONBOARDING);
    o.title = f.req_str("title", d);
    for (t, span) in f.tables("steps", d) {
        let mut sf = Fields::new(text, t, span, &shape::STEP);
        let title = sf.req_str("title", d);
        let pages = sf
            .str_list("pages", d)
            .into_iter()
            .filter_map(|p| match parse_page_ref(&p.value) {
                Some(r) => Some(Spanned::new(r, p.span)),
                None => {
                    let v = &p.value;
                    d.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            t!("`{v}` is not a page", "`{v}` はページではありません"),
                        )
                        .at(p.span)
                        .label(t!(
                            "expected `personas/ID`, `journeys/ID`, `stages/ID`, `departments/ID`, `playbooks/ID`, `quizzes/ID` or `glossary`",
                            "`personas/ID`、`journeys/ID`、`stages/ID`、`departments/ID`、`playbooks/ID`、`quizzes/ID`、`glossary` のいずれかを書きます"
                        ))
                        .maybe_hint(page_hint(v)),
                    );
                    None
                }
            })
            .collect();
        let note = sf.opt_str("note", d);
        sf.finish(d);
        if let Some(n) = &note {
            scan_toml_string(src, n, links, d);
        }
        o.steps.push(OnboardingStep {
            title,
            pages,
            note,
            span,
        });
    }
    f.finish(d);
    o
}

/// `personas/it-manager`, `stages/検討`, `glossary`; a leading or trailing `/` is tolerated.
pub fn parse_page_ref(s: &str) -> Option<PageRef> {
    let s = s.trim().trim_matches('/');
    if s == "glossary" {
        return Some(PageRef {
            kind: PageRefKind::Glossary,
            id: None,
        });
    }
    let (folder, id) = s.split_once('/')?;
    let kind = PageRefKind::from_folder(folder)?;
    if kind == PageRefKind::Glossary || id.is_empty() || id.contains('/') {
        return None;
    }
    Some(PageRef {
        kind,
        id: Some(Id::lookup(id)),
    })
}

fn page_hint(s: &str) -> Option<Text> {
    let (folder, rest) = s.trim_matches('/').split_once('/').unwrap_or((s, ""));
    let folders = PageRefKind::ALL.map(|k| k.folder());
    let singular = PageRefKind::ALL.map(|k| k.link_scheme());
    let folder = match singular.iter().position(|x| *x == folder) {
        Some(i) => folders[i],
        None => super::suggest::closest(folder, folders)?,
    };
    Some(super::suggest::suggestion(&format!("{folder}/{rest}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_refs() {
        let r = parse_page_ref("personas/情シス課長").unwrap();
        assert_eq!(r.kind, PageRefKind::Persona);
        assert_eq!(r.id.unwrap().as_str(), "情シス課長");
        assert_eq!(
            parse_page_ref("glossary").unwrap().kind,
            PageRefKind::Glossary
        );
        assert!(parse_page_ref("persona/x").is_none());
        assert!(parse_page_ref("stages/").is_none());
        let hint = page_hint("persona/x").unwrap();
        assert_eq!(hint.en(), "did you mean `personas/x`?");
        assert_eq!(hint.ja(), "`personas/x` のことでしょうか？");
    }
}
