//! Checks of `tabiji.toml` itself: phase, stage and row ids unique, rows not named as a
//! stage's reserved keys, stages in declared phases and owned by existing departments.

use std::collections::BTreeMap;

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, RESERVED_STAGE_KEYS, Spanned};
use crate::source::Span;

impl Resolver<'_> {
    pub(super) fn config(&self, d: &mut Diagnostics) {
        let c = &self.site.config;
        self.unique(c.phases.iter().map(|p| &p.id), "phase", d);
        self.unique(c.stages.iter().map(|s| &s.id), "stage", d);
        self.unique(c.rows.iter().map(|r| &r.id), "row", d);
        for row in &c.rows {
            if RESERVED_STAGE_KEYS.contains(&row.id.value.as_str()) {
                d.push(
                    Diagnostic::error(Code::ReservedRowId, format!("`{}` cannot be a row id", row.id.value))
                        .at(row.id.span)
                        .label("reserved for the seller's side of a journey stage")
                        .hint("experience, touchpoints, emotion, tasks and notes are reserved; pick another id, e.g. `customer_experience`"),
                );
            }
        }
        let phases: Vec<&Id> = c.phases.iter().map(|p| &p.id.value).collect();
        for stage in &c.stages {
            if let Some(p) = &stage.phase {
                if phases.is_empty() {
                    d.push(
                        Diagnostic::error(
                            Code::UnknownReference,
                            format!("unknown phase `{}`", p.value),
                        )
                        .at(p.span)
                        .label("no phase is declared")
                        .hint(format!(
                            "declare it: `[[phases]]` with `id = \"{}\"` and a `name`",
                            p.value
                        )),
                    );
                } else {
                    self.reference(
                        p,
                        "phase",
                        phases.iter().copied(),
                        "is declared in tabiji.toml with this id",
                        d,
                    );
                }
            }
            if let Some(o) = &stage.owner {
                self.reference_in(
                    o,
                    "department",
                    &self.known.departments,
                    "has this id in content/departments/",
                    d,
                );
            }
        }
    }

    fn unique<'b>(
        &self,
        ids: impl Iterator<Item = &'b Spanned<Id>>,
        noun: &str,
        d: &mut Diagnostics,
    ) {
        let mut seen: BTreeMap<&Id, Span> = BTreeMap::new();
        // Stage ids are folder names (`stages/<id>/`): ids differing only in case would be
        // one folder on macOS and Windows.
        let mut folded: std::collections::HashMap<String, Span> = Default::default();
        for id in ids {
            if id.value.as_str().is_empty() {
                continue;
            }
            let lower = id.value.as_str().to_lowercase();
            match folded.get(&lower) {
                Some(first) if noun == "stage" && !seen.contains_key(&id.value) => d.push(
                    Diagnostic::warning(
                        Code::CaseClash,
                        format!("the {noun} id `{}` differs from another only in letter case", id.value),
                    )
                    .at(id.span)
                    .label(format!("like the {noun} on line {}", self.line_of(*first)))
                    .hint("macOS and Windows ignore case in file names, so both would be one page there; rename one of them"),
                ),
                Some(_) => {}
                None => {
                    folded.insert(lower, id.span);
                }
            }
            if let Some(first) = seen.get(&id.value) {
                d.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("duplicate {noun} id `{}`", id.value),
                    )
                    .at(id.span)
                    .label(format!(
                        "already the id of the {noun} on line {}",
                        self.line_of(*first)
                    ))
                    .hint(format!("every {noun} needs its own id")),
                );
            } else {
                seen.insert(&id.value, id.span);
            }
        }
    }
}
