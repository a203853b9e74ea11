//! A knowledge check's page (`quizzes/<id>/index.html`): every question on one page, each a
//! fieldset of choices with its answer and explanation behind `<details>`, so that the page
//! reads well without JavaScript; `tabiji.js` marks answers and keeps them in the browser.

use serde::Serialize;

use super::index_path;
use crate::model::Quiz;
use crate::render::context::Link;
use crate::render::{Prepared, RenderError, Renderer};

#[derive(Serialize)]
struct Choice {
    /// 1-based, as `answer` counts.
    number: usize,
    html: String,
}

#[derive(Serialize)]
struct QuestionCtx {
    number: usize,
    /// Inline HTML (a legend holds no paragraphs).
    html: String,
    choices: Vec<Choice>,
    answer: usize,
    answer_html: String,
    explanation: Option<String>,
}

#[derive(Serialize)]
struct QuizCtx {
    id: String,
    title: String,
    url: String,
    stage: Option<Link>,
    personas: Vec<Link>,
    questions: Vec<QuestionCtx>,
}

pub(super) fn render(r: &Renderer<'_>, q: &Quiz) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct QuizPage {
        quiz: QuizCtx,
        /// A quiz has no owner or review date, but its last change, "changed since your
        /// last visit" and "Edit this page" work as for any page built from a file.
        upkeep: Option<crate::render::upkeep::UpkeepCtx>,
    }
    let ix = &r.index;
    let questions = q
        .questions
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let answer = usize::try_from(x.answer.value).unwrap_or(0);
            let choices: Vec<Choice> = x
                .choices
                .iter()
                .enumerate()
                .map(|(k, c)| Choice {
                    number: k + 1,
                    html: ix.inline(&c.value),
                })
                .collect();
            QuestionCtx {
                number: i + 1,
                html: ix.inline(&x.question.value),
                answer_html: choices
                    .get(answer.wrapping_sub(1))
                    .map(|c| c.html.clone())
                    .unwrap_or_default(),
                choices,
                answer,
                explanation: x.explanation.as_ref().map(|e| ix.body(&e.value, "").html),
            }
        })
        .collect();
    let ctx = QuizCtx {
        id: q.id.to_string(),
        title: q.title.value.clone(),
        url: ix.urls.quiz(q.id.as_str()),
        stage: q.stage.as_ref().map(|s| ix.stage_link(&s.value)),
        personas: q
            .personas
            .iter()
            .map(|p| ix.persona_link(&p.value))
            .collect(),
        questions,
    };
    let mut crumbs = Vec::new();
    if let Some(s) = &ctx.stage {
        crumbs.push(r.home_section(r.t.stages, "stages"));
        crumbs.push(s.clone());
    } else {
        crumbs.push(r.home_section(r.t.quizzes, "quizzes"));
    }
    let meta = r.meta(&q.title.value, "quiz", ctx.url.clone(), crumbs);
    r.page(
        "quiz.html",
        index_path("quizzes", q.id.as_str()),
        meta,
        QuizPage {
            quiz: ctx,
            upkeep: r.upkeep(q.file, &crate::model::Upkeep::default()),
        },
    )
}
