//! The search index's documents: every persona, persona at a stage, journey stage (cells and
//! tasks), stage, department, playbook, knowledge check and glossary term, as the plain text a
//! reader sees, numbered in the order results are ranked among equals (by title).

use std::collections::BTreeMap;

use pulldown_cmark::{Event, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use crate::markdown;
use crate::model::{Language, Site};
use crate::urls::Urls;

#[derive(Serialize)]
pub struct Doc {
    /// URL.
    pub u: String,
    /// Title.
    pub t: String,
    /// Kind: persona, journey, stage, department, playbook, term.
    pub k: &'static str,
    /// Plain text, for confirming matches and for snippets.
    pub x: String,
}

/// Plain text of Markdown: the words a reader sees. A line break inside a paragraph is a
/// space, or nothing between two CJK characters (a Japanese sentence broken over lines).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut soft_break = false;
    for e in markdown::parse(text) {
        match e {
            Event::Text(t) | Event::Code(t) => {
                if std::mem::take(&mut soft_break) {
                    let joins = match (out.chars().next_back(), t.chars().next()) {
                        (Some(a), Some(b)) => markdown::joins_without_space(a, b),
                        _ => false,
                    };
                    if !joins && !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
                out.push_str(&t);
            }
            // Inline markup ends without a space (Japanese has none between words).
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak => soft_break = true,
            Event::HardBreak | Event::End(_) => {
                soft_break = false;
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

pub fn kinds(lang: Language) -> BTreeMap<&'static str, &'static str> {
    let (ja, en) = (lang == Language::Ja, lang == Language::En);
    let pick = |j: &'static str, e: &'static str| if en || !ja { e } else { j };
    BTreeMap::from([
        ("persona", pick("ペルソナ", "Persona")),
        (
            "persona_stage",
            pick("ペルソナ×ステージ", "Persona at stage"),
        ),
        ("journey", pick("ジャーニー", "Journey")),
        ("stage", pick("ステージ", "Stage")),
        ("department", pick("部門", "Department")),
        ("playbook", pick("プレイブック", "Playbook")),
        ("quiz", pick("知識チェック", "Knowledge check")),
        ("term", pick("用語", "Term")),
    ])
}

/// One document per stage of a journey: its cells, seller's side and tasks.
fn journey_docs(site: &Site, urls: &Urls, j: &crate::model::Journey) -> Vec<Doc> {
    let persona = site
        .personas
        .get(&j.persona.value)
        .map_or(j.persona.value.as_str(), |p| p.name.value.as_str());
    let journey_name = j.name.as_ref().map_or(persona, |n| n.value.as_str());
    let mut docs = Vec::new();
    for s in &site.config.stages {
        let Some(js) = j.stage(s.id.value.as_str()) else {
            continue;
        };
        let mut parts: Vec<String> = Vec::new();
        for r in &site.config.rows {
            if let Some(c) = js.cell(r.id.value.as_str()) {
                parts.push(plain(&c.text.value));
            }
        }
        parts.extend(js.experience.iter().map(|e| plain(&e.value)));
        parts.extend(js.touchpoints.iter().map(|t| t.value.clone()));
        for t in &js.tasks {
            parts.push(plain(&t.task.value));
            parts.extend(t.kpi.iter().map(|k| plain(&k.value)));
        }
        parts.extend(js.notes.iter().map(|n| plain(&n.value)));
        let text = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if text.is_empty() {
            continue;
        }
        docs.push(Doc {
            u: urls.journey_stage(j.id.as_str(), s.id.value.as_str()),
            t: format!("{journey_name} · {}", s.name.value),
            k: "journey",
            x: text,
        });
    }
    docs
}

/// Where documents come from, in index order: each source gives one document, except a
/// journey, which gives one per stage it fills.
#[derive(Clone, Copy)]
enum Source<'a> {
    Persona(&'a crate::model::Persona),
    /// A persona's page at a stage.
    PersonaStage(&'a crate::model::Persona, &'a crate::model::Stage),
    Journey(&'a crate::model::Journey),
    Stage(&'a crate::model::Stage),
    Department(&'a crate::model::Department),
    Playbook(&'a crate::model::Playbook),
    Quiz(&'a crate::model::Quiz),
    Term(&'a crate::model::Term),
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn docs_of(site: &Site, urls: &Urls, src: Source<'_>) -> Vec<Doc> {
    let doc = match src {
        Source::Journey(j) => return journey_docs(site, urls, j),
        Source::Persona(p) => {
            let goals: Vec<&str> = p
                .goals
                .iter()
                .chain(&p.concerns)
                .map(|s| s.value.as_str())
                .collect();
            Doc {
                u: urls.persona(p.id.as_str()),
                t: p.name.value.clone(),
                k: "persona",
                x: join(&[
                    p.role.as_ref().map_or("", |r| r.value.as_str()),
                    p.summary.as_ref().map_or("", |r| r.value.as_str()),
                    p.company.as_ref().map_or("", |r| r.value.as_str()),
                    &goals.join(" "),
                    &plain(&p.body.value),
                ]),
            }
        }
        Source::PersonaStage(p, s) => Doc {
            u: urls.persona_stage(p.id.as_str(), s.id.value.as_str()),
            t: format!("{} · {}", p.name.value, s.name.value),
            k: "persona_stage",
            x: join(&[
                p.role.as_ref().map_or("", |r| r.value.as_str()),
                s.summary.as_ref().map_or("", |x| x.value.as_str()),
            ]),
        },
        Source::Stage(s) => Doc {
            u: urls.stage(s.id.value.as_str()),
            t: s.name.value.clone(),
            k: "stage",
            x: s.summary
                .as_ref()
                .map_or(String::new(), |x| x.value.clone()),
        },
        Source::Department(d) => {
            let kpis: Vec<&str> = d.kpis.iter().map(|k| k.value.as_str()).collect();
            Doc {
                u: urls.department(d.id.as_str()),
                t: d.name.value.clone(),
                k: "department",
                x: join(&[&kpis.join(" "), &plain(&d.body.value)]),
            }
        }
        Source::Playbook(p) => Doc {
            u: urls.playbook(p.id.as_str()),
            t: p.title.value.clone(),
            k: "playbook",
            x: plain(&p.body.value),
        },
        // The questions only: the answers and explanations are not given away by search.
        Source::Quiz(q) => Doc {
            u: urls.quiz(q.id.as_str()),
            t: q.title.value.clone(),
            k: "quiz",
            x: q.questions
                .iter()
                .map(|x| plain(&x.question.value))
                .collect::<Vec<_>>()
                .join(" "),
        },
        Source::Term(t) => Doc {
            u: urls.term(&t.term.value),
            t: t.term.value.clone(),
            k: "term",
            x: join(&[
                t.reading.as_ref().map_or("", |r| r.value.as_str()),
                &plain(&t.definition.value),
            ]),
        },
    };
    vec![doc]
}

/// Every document of a site, numbered by title: sorted by the title's UTF-16 code units (the
/// order of the browser's `<` on strings, which ranks results of equal score), documents of
/// the same title in the order of their sources (personas, persona-at-stage pages,
/// journeys, stages, departments, playbooks, quizzes, terms). The browser then ranks results
/// of equal score by number, and the documents a query's first results need lie close
/// together in the index's files.
pub fn documents(site: &Site, urls: &Urls) -> Vec<Doc> {
    let mut sources: Vec<Source<'_>> = Vec::new();
    sources.extend(site.personas.values().map(|p| Source::Persona(p)));
    sources.extend(
        site.persona_stages()
            .into_iter()
            .map(|(p, s)| Source::PersonaStage(p, s)),
    );
    sources.extend(site.journeys.values().map(|j| Source::Journey(j)));
    sources.extend(site.config.stages.iter().map(Source::Stage));
    sources.extend(site.departments.values().map(|d| Source::Department(d)));
    sources.extend(site.playbooks.values().map(|p| Source::Playbook(p)));
    sources.extend(site.quizzes.values().map(|q| Source::Quiz(q)));
    if let Some(g) = &site.glossary {
        sources.extend(g.terms.iter().map(Source::Term));
    }
    let mut docs: Vec<Doc> = sources
        .par_chunks(64)
        .flat_map_iter(|run| run.iter().flat_map(|src| docs_of(site, urls, *src)))
        .collect();
    // A stable sort: equal titles keep the sources' order.
    docs.par_sort_by(|a, b| browser_order(&a.t, &b.t));
    docs
}

/// The browser's order of strings (`<` compares UTF-16 code units): the order of their UTF-8
/// bytes, except where a character past U+FFFF meets one from U+E000 to U+FFFF, so the
/// first characters that differ decide, compared as UTF-16.
pub fn browser_order(a: &str, b: &str) -> std::cmp::Ordering {
    let same = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    // The bytes before `same` are equal: a character boundary of one is one of the other.
    let mut at = same;
    while !a.is_char_boundary(at) {
        at -= 1;
    }
    match (a[at..].chars().next(), b[at..].chars().next()) {
        (Some(x), Some(y)) => {
            let (mut ux, mut uy) = ([0u16; 2], [0u16; 2]);
            x.encode_utf16(&mut ux).cmp(&y.encode_utf16(&mut uy))
        }
        _ => a.len().cmp(&b.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn browser_order_is_utf16_order(a in "[a-zé課\u{e000}\u{ffff}😀\u{10000}]{0,5}", b in "[a-zé課\u{e000}\u{ffff}😀\u{10000}]{0,5}") {
            proptest::prop_assert_eq!(browser_order(&a, &b), a.encode_utf16().cmp(b.encode_utf16()));
        }
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(
            plain("**課題**は[BANT](glossary:BANT)で確認\n\n- [ ] 予算"),
            "課題はBANTで確認 予算"
        );
    }

    #[test]
    fn plain_text_has_no_emphasis_marks_and_joins_cjk_lines() {
        assert_eq!(
            plain("課長が**「これで行く」と決め**ること"),
            "課長が「これで行く」と決めること"
        );
        assert_eq!(
            plain("情報システム部が\n比較表を作る"),
            "情報システム部が比較表を作る"
        );
        assert_eq!(plain("**「予算」**\n確認"), "「予算」確認");
        assert_eq!(plain("budget\ncheck"), "budget check");
        assert_eq!(plain("予算\ncheck"), "予算 check");
        assert_eq!(plain("一\n\n二"), "一 二");
    }
}
