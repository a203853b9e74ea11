//! Onboarding: added, removed, retitled, and its steps compared as a sequence, so that an
//! inserted step is one addition.

use super::s;
use crate::diff::change::{Change, Named};
use crate::model::Onboarding;

pub(super) fn onboarding(
    old: Option<&Onboarding>,
    new: Option<&Onboarding>,
    out: &mut Vec<Change>,
) {
    let subject = |o: &Onboarding| Named {
        id: "onboarding".into(),
        name: o.title.value.clone(),
    };
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => out.push(Change::new("onboarding.added", "onboarding", subject(b))),
        (Some(a), None) => out.push(Change::new("onboarding.removed", "onboarding", subject(a))),
        (Some(a), Some(b)) => {
            if a.title != b.title {
                out.push(
                    Change::new("onboarding.changed", "onboarding", subject(b))
                        .field("title")
                        .values(Some(s(&a.title)), Some(s(&b.title))),
                );
            }
            let step = |st: &crate::model::OnboardingStep| {
                let pages: Vec<String> = st
                    .pages
                    .iter()
                    .map(|p| match &p.value.id {
                        Some(id) => format!("{}/{id}", p.value.kind.folder()),
                        None => p.value.kind.folder().to_string(),
                    })
                    .collect();
                format!(
                    "{} [{}]{}",
                    st.title.value,
                    pages.join(", "),
                    st.note
                        .as_ref()
                        .map_or(String::new(), |n| format!(" — {}", n.value))
                )
            };
            let sa: Vec<String> = a.steps.iter().map(step).collect();
            let sb: Vec<String> = b.steps.iter().map(step).collect();
            // Match steps as a sequence, so an inserted step is one addition.
            let named = |steps: &[crate::model::OnboardingStep], i: usize| Named {
                id: format!("step-{}", i + 1),
                name: steps[i].title.value.clone(),
            };
            let removed = |i: usize| {
                Change::new("onboarding.step.removed", "onboarding", named(&a.steps, i))
                    .values(Some(sa[i].clone()), None)
            };
            let added = |i: usize| {
                Change::new("onboarding.step.added", "onboarding", named(&b.steps, i))
                    .values(None, Some(sb[i].clone()))
            };
            for op in similar::capture_diff_slices(similar::Algorithm::Myers, &sa, &sb) {
                match op {
                    similar::DiffOp::Equal { .. } => {}
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
                        let common = old_len.min(new_len);
                        for k in 0..common {
                            out.push(
                                Change::new(
                                    "onboarding.step.changed",
                                    "onboarding",
                                    named(&b.steps, new_index + k),
                                )
                                .values(
                                    Some(sa[old_index + k].clone()),
                                    Some(sb[new_index + k].clone()),
                                ),
                            );
                        }
                        out.extend((old_index + common..old_index + old_len).map(removed));
                        out.extend((new_index + common..new_index + new_len).map(added));
                    }
                }
            }
        }
    }
}
