//! Knowledge checks: added, removed, renamed, retitled, given another stage or other
//! personas; their questions compared as a sequence of question texts (so that an inserted
//! question is one addition), and for each question kept or reworded: its right answer,
//! its choices and its explanation.

use super::{Names, ids, join, renames, s};
use crate::diff::change::{Change, Named};
use crate::model::{Question, Quiz, Site};

/// A question as it reads: surrounding spaces do not count (as for `check`'s duplicates).
fn text(q: &Question) -> &str {
    q.question.value.trim()
}

fn explanation(q: &Question) -> Option<String> {
    q.explanation
        .as_ref()
        .map(|e| e.value.trim().to_string())
        .filter(|e| !e.is_empty())
}

/// The right choice's text (empty when `answer` names none, which `check` reports).
fn answer(q: &Question) -> String {
    usize::try_from(q.answer.value)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| q.choices.get(i))
        .map(|c| c.value.clone())
        .unwrap_or_default()
}

fn choices(q: &Question) -> String {
    q.choices
        .iter()
        .map(|c| c.value.as_str())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn same_question(a: &Question, b: &Question) -> bool {
    text(a) == text(b)
        && a.choices == b.choices
        && a.answer.value == b.answer.value
        && explanation(a) == explanation(b)
}

fn same_quiz(a: &Quiz, b: &Quiz) -> bool {
    a.title == b.title
        && a.stage == b.stage
        && a.personas == b.personas
        && a.questions.len() == b.questions.len()
        && a.questions
            .iter()
            .zip(&b.questions)
            .all(|(x, y)| same_question(x, y))
}

pub(super) fn quizzes(old: &Site, new: &Site, on: &Names, nn: &Names, out: &mut Vec<Change>) {
    let renamed = renames(&old.quizzes, &new.quizzes, same_quiz);
    let subject = |q: &Quiz| Named {
        id: q.id.to_string(),
        name: q.title.value.clone(),
    };
    // Every change names the quiz's stage and tells that stage's owner, who keeps what is
    // taught there true.
    let at = |mut c: Change, q: &Quiz, names: &Names| {
        if let Some(st) = &q.stage {
            c.stage = Some(names.stage(st.value.as_str()));
            if let Some(owner) = names.owner(st.value.as_str()) {
                c = c.notify(&owner);
            }
        }
        c
    };
    for (from, to) in &renamed {
        let q = &new.quizzes[to];
        out.push(at(
            Change::new("quiz.renamed", "quizzes", subject(q))
                .field("id")
                .values(Some(from.to_string()), Some(to.to_string())),
            q,
            nn,
        ));
    }
    for (id, b) in &new.quizzes {
        let Some(a) = old.quizzes.get(id) else {
            if !renamed.iter().any(|(_, t)| t == id) {
                out.push(at(Change::new("quiz.added", "quizzes", subject(b)), b, nn));
            }
            continue;
        };
        let base = |kind: &'static str| at(Change::new(kind, "quizzes", subject(b)), b, nn);
        if a.title != b.title {
            out.push(
                base("quiz.retitled")
                    .field("title")
                    .values(Some(s(&a.title)), Some(s(&b.title))),
            );
        }
        if a.stage != b.stage {
            let stage =
                |q: &Quiz, n: &Names| q.stage.as_ref().map(|st| n.stage(st.value.as_str()).name);
            let mut c = base("quiz.changed")
                .field("stage")
                .values(stage(a, on), stage(b, nn));
            // Two stage names read whole.
            c.words.clear();
            if let Some(owner) = a.stage.as_ref().and_then(|st| on.owner(st.value.as_str())) {
                c = c.notify(&owner);
            }
            out.push(c);
        }
        let (pa, pb) = (join(&ids(&a.personas)), join(&ids(&b.personas)));
        if pa != pb {
            out.push(base("quiz.changed").field("personas").values(pa, pb));
        }
        questions(a, b, &base, out);
    }
    for (id, a) in &old.quizzes {
        if !new.quizzes.contains_key(id) && !renamed.iter().any(|(f, _)| f == id) {
            out.push(at(
                Change::new("quiz.removed", "quizzes", subject(a)),
                a,
                on,
            ));
        }
    }
}

/// The questions of a quiz at both revisions, matched as a sequence of texts: kept ones are
/// compared field by field; in a run of replaced ones, a question and the new one most like
/// it (at least half the same) are taken as reworded, the rest as removed or added.
fn questions(a: &Quiz, b: &Quiz, base: &dyn Fn(&'static str) -> Change, out: &mut Vec<Change>) {
    let ka: Vec<&str> = a.questions.iter().map(text).collect();
    let kb: Vec<&str> = b.questions.iter().map(text).collect();
    let named = |qs: &[Question], i: usize| Named {
        id: format!("question-{}", i + 1),
        name: text(&qs[i]).to_string(),
    };
    let about = |kind: &'static str, q: Named| {
        let mut c = base(kind);
        c.question = Some(q);
        c
    };
    let removed = |i: usize| about("quiz.question.removed", named(&a.questions, i));
    let added = |i: usize| about("quiz.question.added", named(&b.questions, i));
    let kept = |i: usize, k: usize, out: &mut Vec<Change>| {
        let (qa, qb) = (&a.questions[i], &b.questions[k]);
        let changed = |field: &'static str| {
            about("quiz.question.changed", named(&b.questions, k)).field(field)
        };
        if text(qa) != text(qb) {
            out.push(changed("question").values(Some(text(qa).into()), Some(text(qb).into())));
        }
        let (ra, rb) = (answer(qa), answer(qb));
        // The right choice reworded where it stands is a change of the choices; another
        // choice being right (or the same one elsewhere) is a change of the answer.
        let reworded = qa.answer.value == qb.answer.value
            && !qb.choices.iter().any(|c| c.value == ra)
            && !qa.choices.iter().any(|c| c.value == rb);
        if ra != rb && !reworded {
            let mut c = changed("answer").values(Some(ra), Some(rb));
            // Two answers read whole.
            c.words.clear();
            out.push(c);
        }
        if qa.choices != qb.choices {
            out.push(changed("choices").values(Some(choices(qa)), Some(choices(qb))));
        }
        if explanation(qa) != explanation(qb) {
            out.push(changed("explanation").values(explanation(qa), explanation(qb)));
        }
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &ka, &kb) {
        match op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (0..len).for_each(|k| kept(old_index + k, new_index + k, out)),
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend((old_index..old_index + old_len).map(removed)),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend((new_index..new_index + new_len).map(added)),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Each replaced question is paired, in order, with the most alike new one
                // (at least half the same): reworded; the others are removed or added.
                let end = new_index + new_len;
                let mut next = new_index;
                for (i, was) in ka.iter().enumerate().skip(old_index).take(old_len) {
                    let alike = (next..end)
                        .map(|k| (k, similar::TextDiff::from_chars(*was, kb[k]).ratio()))
                        .filter(|&(_, r)| r >= 0.5)
                        .fold(None, |best: Option<(usize, f32)>, (k, r)| match best {
                            Some((_, b)) if b >= r => best,
                            _ => Some((k, r)),
                        });
                    match alike {
                        Some((k, _)) => {
                            out.extend((next..k).map(added));
                            kept(i, k, out);
                            next = k + 1;
                        }
                        None => out.push(removed(i)),
                    }
                }
                out.extend((next..end).map(added));
            }
        }
    }
}
