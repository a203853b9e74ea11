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
use crate::t;

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
        // `req` in the shape, but a list: reported as the table reader reports the others.
        let no_choices = (!has_choices).then(|| qf.missing("choices", "[\"…\", \"…\"]"));
        qf.finish(d);
        if has_choices && choices.len() < 2 {
            let at = choices.first().map_or(span, |c| c.span);
            let n = choices.len();
            let s = if n == 1 { "" } else { "s" };
            d.push(
                Diagnostic::error(
                    Code::TooFewChoices,
                    t!(
                        "this question has {n} choice{s}; a question needs at least two",
                        "この設問の選択肢は {n} 個です。選択肢は 2 個以上必要です"
                    ),
                )
                .at(at)
                .hint(t!(
                    "add the wrong answers a new salesperson might pick: `choices = [\"…\", \"…\", \"…\"]`",
                    "新人の営業担当者が選びそうな誤りの選択肢を加えてください: `choices = [\"…\", \"…\", \"…\"]`"
                )),
            );
        }
        if let Some(missing) = no_choices {
            d.push(missing);
        }
        if let Some(a) = &answer
            && !choices.is_empty()
            && (a.value < 1 || a.value > choices.len() as i64)
        {
            let (v, n) = (a.value, choices.len());
            d.push(
                Diagnostic::error(
                    Code::AnswerOutOfRange,
                    t!(
                        "answer {v} is not one of the {n} choices",
                        "`answer` の {v} に当たる選択肢がありません（選択肢は {n} 個です）"
                    ),
                )
                .at(a.span)
                .label(t!("expected 1 to {n}", "1 から {n} までの番号"))
                .hint(t!(
                    "`answer` counts the choices from 1: `answer = 1` is the first",
                    "`answer` は選択肢を 1 から数えます。`answer = 1` が最初の選択肢です"
                )),
            );
        }
        let key = question.value.trim().to_string();
        if !key.is_empty() {
            if let Some(first) = asked.get(&key) {
                let line = src[..first.start as usize].matches('\n').count() + 1;
                d.push(
                    Diagnostic::error(
                        Code::DuplicateQuestion,
                        t!(
                            "this question is asked twice in the quiz",
                            "この設問はクイズの中に 2 回あります"
                        ),
                    )
                    .at(question.span)
                    .label(t!("already asked on line {line}", "{line} 行目と同じ設問"))
                    .hint(t!(
                        "remove one of them, or ask something different",
                        "どちらかを削除するか、別の設問にしてください"
                    )),
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
