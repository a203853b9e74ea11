//! `content/quizzes/<id>.toml`: a knowledge check. Its own rules live here, because they
//! are about the file alone (each answer names one of its choices, at least two choices, no
//! question asked twice); whether its stage and personas exist is checked with the other
//! references in `resolve`.

use std::collections::BTreeMap;

use super::links::LinkRef;
use super::pages::scan_toml_string;
use super::table::{Fields, TomlText};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, Question, Quiz, Spanned, shape};
use crate::source::{FileId, Span};

pub fn parse(
    id: Id,
    file: FileId,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> Quiz {
    let text = TomlText { file, base: 0, src };
    let anchor = Span::file_start(file);
    let mut q = Quiz {
        id,
        file,
        title: Spanned::new(String::new(), anchor),
        stage: None,
        personas: Vec::new(),
        questions: Vec::new(),
    };
    let Some(table) = text.parse(d) else { return q };
    let mut f = Fields::new(text, &table, anchor, &shape::QUIZ);
    q.title = f.req_str("title", d);
    q.stage = f.opt_ref("stage", d);
    q.personas = f.ref_list("personas", d);
    // Question text (whitespace-trimmed) → where it was first asked.
    let mut asked: BTreeMap<String, Span> = BTreeMap::new();
    for (t, span) in f.tables("questions", d) {
        let mut qf = Fields::new(text, t, span, &shape::QUESTION);
        let question = qf.req_str("question", d);
        let choices = qf.str_list("choices", d);
        let answer = qf.req_int("answer", "1", d);
        let explanation = qf.opt_str("explanation", d);
        let has_choices = qf.has("choices");
        qf.finish(d);
        if has_choices && choices.len() < 2 {
            let at = choices.first().map_or(span, |c| c.span);
            d.push(
                Diagnostic::error(
                    Code::TooFewChoices,
                    format!("this question has {} choice{}; a question needs at least two", choices.len(), if choices.len() == 1 { "" } else { "s" }),
                )
                .at(at)
                .hint("add the wrong answers a new salesperson might pick: `choices = [\"…\", \"…\", \"…\"]`"),
            );
        } else if !has_choices {
            // `req` in the shape, but a list: report it as the table reader would.
            d.push(
                Diagnostic::error(
                    Code::MissingField,
                    "a `[[questions]]` entry has no `choices`",
                )
                .at(span)
                .label("`choices` is required here")
                .hint("add `choices = [\"…\", \"…\"]`"),
            );
        }
        if let Some(a) = &answer
            && !choices.is_empty()
            && (a.value < 1 || a.value > choices.len() as i64)
        {
            d.push(
                Diagnostic::error(
                    Code::AnswerOutOfRange,
                    format!(
                        "answer {} is not one of the {} choices",
                        a.value,
                        choices.len()
                    ),
                )
                .at(a.span)
                .label(format!("expected 1 to {}", choices.len()))
                .hint("`answer` counts the choices from 1: `answer = 1` is the first"),
            );
        }
        let key = question.value.trim().to_string();
        if !key.is_empty() {
            if let Some(first) = asked.get(&key) {
                let line = src[..first.start as usize].matches('\n').count() + 1;
                d.push(
                    Diagnostic::error(
                        Code::DuplicateQuestion,
                        "this question is asked twice in the quiz",
                    )
                    .at(question.span)
                    .label(format!("already asked on line {line}"))
                    .hint("remove one of them, or ask something different"),
                );
            } else {
                asked.insert(key, question.span);
            }
        }
        scan_toml_string(src, &question, links, d);
        for c in &choices {
            scan_toml_string(src, c, links, d);
        }
        if let Some(e) = &explanation {
            scan_toml_string(src, e, links, d);
        }
        q.questions.push(Question {
            question,
            choices,
            answer: answer.unwrap_or_else(|| Spanned::new(0, span)),
            explanation,
            span,
        });
    }
    f.finish(d);
    q
}
