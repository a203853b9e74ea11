//! Checks of the journeys: each names an existing persona, its stages and rows are those
//! `tabiji.toml` declares (a name written for an id is pointed out), its tasks name existing
//! departments.

use std::collections::BTreeMap;

use super::{Resolver, suggest};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, RESERVED_STAGE_KEYS, term_key};
use crate::source::Span;

impl Resolver<'_> {
    pub(super) fn journeys(&self, d: &mut Diagnostics) {
        let stages = self.stage_ids();
        let stage_set: std::collections::HashSet<&Id> = stages.iter().copied().collect();
        // Names by their key, once: a journey may misspell thousands of keys.
        let stage_names = names(
            self.site
                .config
                .stages
                .iter()
                .map(|x| (&x.id.value, &x.name.value)),
        );
        let row_names = names(
            self.site
                .config
                .rows
                .iter()
                .map(|x| (&x.id.value, &x.name.value)),
        );
        let rows: Vec<&str> = self
            .site
            .config
            .rows
            .iter()
            .map(|r| r.id.value.as_str())
            .collect();
        for j in self.site.journeys.values() {
            self.reference_in(
                &j.persona,
                "persona",
                &self.known.personas,
                "has this id in content/personas/",
                d,
            );
            let mut seen: BTreeMap<&Id, Span> = BTreeMap::new();
            for s in &j.stages {
                if let Some(first) = seen.insert(&s.stage.value, s.stage.span) {
                    d.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            format!("stage `{}` appears twice in this journey", s.stage.value),
                        )
                        .at(s.stage.span)
                        .label(format!("already on line {}", self.line_of(first)))
                        .hint("Unicode-equivalent keys are the same stage; merge the two tables"),
                    );
                }
                if self.config_ok && !stages.is_empty() {
                    if !stage_set.contains(&s.stage.value) {
                        let hint = suggest::did_you_mean(
                            s.stage.value.as_str(),
                            stages.iter().map(|s| s.as_str()),
                        )
                        .or_else(|| by_name(s.stage.value.as_str(), &stage_names, "stage"));
                        d.push(
                            Diagnostic::error(
                                Code::UnknownKey,
                                format!("unknown stage `{}` in a journey", s.stage.value),
                            )
                            .at(s.stage.span)
                            .label("not a stage id of tabiji.toml")
                            .maybe_hint(hint),
                        );
                    }
                    for cell in &s.cells {
                        if rows.is_empty() || rows.contains(&cell.row.value.as_str()) {
                            continue;
                        }
                        let candidates = rows.iter().copied().chain(RESERVED_STAGE_KEYS);
                        let hint = suggest::did_you_mean(cell.row.value.as_str(), candidates)
                            .or_else(|| by_name(cell.row.value.as_str(), &row_names, "row"))
                            .unwrap_or_else(|| {
                                format!(
                                    "rows: {}; also experience, touchpoints, emotion, tasks, notes",
                                    rows.iter()
                                        .map(|r| format!("`{r}`"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            });
                        d.push(
                            Diagnostic::error(
                                Code::UnknownKey,
                                format!(
                                    "unknown row `{}` in stage `{}`",
                                    cell.row.value, s.stage.value
                                ),
                            )
                            .at(cell.row.span)
                            .label("not a row id of tabiji.toml")
                            .hint(hint),
                        );
                    }
                }
                for t in &s.tasks {
                    self.reference_in(
                        &t.department,
                        "department",
                        &self.known.departments,
                        "has this id in content/departments/",
                        d,
                    );
                }
            }
        }
    }
}

/// A hint for a key written as the display name (`課題`) instead of the id (`problem`).
fn by_name(
    key: &str,
    names: &std::collections::HashMap<String, (&str, &str)>,
    noun: &str,
) -> Option<String> {
    let (id, name) = names.get(&term_key(key))?;
    Some(format!(
        "`{name}` is the name of {noun} `{id}`; keys are ids: write `{id}`"
    ))
}

/// Each name's key → (id, name); the first of equal keys wins, as a scan in order would.
fn names<'a>(
    items: impl Iterator<Item = (&'a Id, &'a String)>,
) -> std::collections::HashMap<String, (&'a str, &'a str)> {
    let mut m = std::collections::HashMap::new();
    for (id, name) in items {
        m.entry(term_key(name))
            .or_insert((id.as_str(), name.as_str()));
    }
    m
}
