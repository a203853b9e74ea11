//! Coverage: how complete the map is. Gaps are warnings, not errors: a map is a living
//! hypothesis and is allowed to be unfinished, but the team should see where.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, Site};
use crate::source::{FileId, Span};

/// Counts for the summary at the end of `tabiji check`.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Coverage {
    pub stages: usize,
    pub stages_with_owner: usize,
    pub stages_with_playbook: usize,
    pub personas: usize,
    pub personas_with_journey: usize,
    pub journeys: usize,
    /// Journey × stage columns that have at least one filled row.
    pub journey_stages: usize,
    pub journey_stages_filled: usize,
    /// Journey × stage × row cells.
    pub cells: usize,
    pub cells_filled: usize,
    pub tasks: usize,
    pub tasks_with_kpi: usize,
    pub departments: usize,
    pub departments_with_tasks: usize,
    pub playbooks: usize,
    pub glossary_terms: usize,
    pub onboarding_steps: usize,
    /// Pages built from a file (personas, journeys, departments, playbooks).
    pub kept_pages: usize,
    pub pages_without_owner: usize,
    /// Pages whose `reviewed` is older than `review_days`.
    pub pages_overdue: usize,
    /// Per qualification framework, how many of its letters some playbook covers.
    pub frameworks: Vec<FrameworkCoverage>,
}

/// How much of one framework the playbooks cover.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct FrameworkCoverage {
    pub id: String,
    pub letters: usize,
    pub covered: usize,
}

pub(super) fn measure(
    site: &Site,
    known: &super::parse::KnownIds,
    config_ok: bool,
    unreadable: &BTreeSet<FileId>,
    d: &mut Diagnostics,
) -> Coverage {
    let stages = &site.config.stages;
    let rows = &site.config.rows;
    let mut c = Coverage {
        stages: stages.len(),
        personas: site.personas.len(),
        journeys: site.journeys.len(),
        departments: site.departments.len(),
        playbooks: site.playbooks.len(),
        glossary_terms: site.glossary.as_ref().map_or(0, |g| g.terms.len()),
        onboarding_steps: site.onboarding.as_ref().map_or(0, |o| o.steps.len()),
        ..Coverage::default()
    };
    // An unreadable playbook may be the one for a stage.
    let unreadable_playbooks = known.playbooks.values().any(|f| unreadable.contains(f));
    let staged: BTreeSet<&Id> = site
        .playbooks
        .values()
        .flat_map(|p| p.stages.iter().map(|s| &s.value))
        .collect();
    for s in stages {
        if s.owner
            .as_ref()
            .is_some_and(|o| site.departments.contains_key(&o.value))
        {
            c.stages_with_owner += 1;
        } else if s.owner.is_some() {
            // An unknown owner is an error already.
        } else if config_ok {
            d.push(
                Diagnostic::warning(Code::StageWithoutOwner, format!("stage `{}` has no owner", s.id.value))
                    .at(s.span)
                    .hint("add `owner = \"<department id>\"`: the department that moves customers on from this stage"),
            );
        }
        if staged.contains(&s.id.value) {
            c.stages_with_playbook += 1;
        } else if config_ok && !unreadable_playbooks {
            d.push(
                Diagnostic::warning(
                    Code::StageWithoutPlaybook,
                    format!("stage `{}` has no playbook", s.id.value),
                )
                .at(s.span)
                .hint(format!(
                    "add content/playbooks/<id>.md with `stage = \"{}\"`",
                    s.id.value
                )),
            );
        }
    }
    let mut departments_with_tasks: BTreeSet<&Id> = BTreeSet::new();
    for j in site.journeys.values() {
        let mut empty = Vec::new();
        for s in stages {
            c.journey_stages += 1;
            c.cells += rows.len();
            match j.stage(s.id.value.as_str()) {
                Some(js) if !js.is_empty() => {
                    c.journey_stages_filled += 1;
                    c.cells_filled += rows
                        .iter()
                        .filter(|r| {
                            js.cell(r.id.value.as_str())
                                .is_some_and(|x| !x.text.value.trim().is_empty())
                        })
                        .count();
                }
                _ => empty.push(s.id.value.as_str()),
            }
        }
        for js in &j.stages {
            for t in &js.tasks {
                c.tasks += 1;
                departments_with_tasks.insert(&t.department.value);
                if t.kpi.as_ref().is_some_and(|k| !k.value.trim().is_empty()) {
                    c.tasks_with_kpi += 1;
                } else {
                    d.push(
                        Diagnostic::warning(Code::TaskWithoutKpi, "this task has no KPI")
                            .at(t.span)
                            .hint("add `kpi = \"…\"`: how the department will know the task is done well"),
                    );
                }
            }
        }
        if config_ok && !empty.is_empty() && !unreadable.contains(&j.file) {
            let list = empty
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            d.push(
                Diagnostic::warning(
                    Code::JourneyGaps,
                    format!("journey `{}` leaves {} of {} stages empty: {list}", j.id, empty.len(), stages.len()),
                )
                .at(Span::file_start(j.file))
                .hint("add a `[stages.<id>]` table with the rows for each; an empty stage shows as an empty column"),
            );
        }
    }
    // A journey that did not parse may well be this persona's.
    // So may a journey whose `persona` names nobody (an error already), and a task whose
    // department is misspelt may be the department's.
    let unreadable_journeys = known.journeys.values().any(|f| unreadable.contains(f))
        || site
            .journeys
            .values()
            .any(|j| !site.personas.contains_key(&j.persona.value));
    let misspelt_tasks = site
        .journeys
        .values()
        .flat_map(|j| j.stages.iter().flat_map(|s| s.tasks.iter()))
        .any(|t| !site.departments.contains_key(&t.department.value));
    let with_journey: BTreeSet<&Id> = site.journeys.values().map(|j| &j.persona.value).collect();
    for p in site.personas.values() {
        if with_journey.contains(&p.id) {
            c.personas_with_journey += 1;
        } else if !unreadable.contains(&p.file) && !unreadable_journeys {
            d.push(
                Diagnostic::warning(
                    Code::PersonaWithoutJourney,
                    format!("persona `{}` has no journey", p.id),
                )
                .at(p.name.span)
                .hint(format!(
                    "add content/journeys/<id>.toml with `persona = \"{}\"`",
                    p.id
                )),
            );
        }
    }
    upkeep(site, &mut c, d);
    for dep in site.departments.values() {
        if departments_with_tasks.contains(&dep.id) {
            c.departments_with_tasks += 1;
        } else if !unreadable.contains(&dep.file) && !unreadable_journeys && !misspelt_tasks {
            d.push(
                Diagnostic::warning(Code::DepartmentWithoutTasks, format!("department `{}` has no task in any journey", dep.id))
                    .at(dep.name.span)
                    .hint("every department on the map should own tasks: add `[[stages.<id>.tasks]]` with this department"),
            );
        }
    }
    if config_ok {
        c.frameworks = super::method::letter_coverage(site, d)
            .into_iter()
            .map(|(id, covered, letters)| FrameworkCoverage {
                id,
                letters,
                covered,
            })
            .collect();
    }
    c
}

/// Owners and review dates: the counts, and a warning for each overdue review.
fn upkeep(site: &Site, c: &mut Coverage, d: &mut Diagnostics) {
    let review_days = site.config.review_days.as_ref().map(|r| r.value);
    let today = crate::model::Date::today();
    for page in site.kept_pages() {
        c.kept_pages += 1;
        if page.upkeep.owner.is_none() {
            c.pages_without_owner += 1;
        }
        let (Some(reviewed), Some(days)) = (&page.upkeep.reviewed, review_days) else {
            continue;
        };
        if !page.upkeep.is_overdue(review_days, today) {
            continue;
        }
        c.pages_overdue += 1;
        let owner = page.upkeep.owner.as_ref().map_or_else(
            || "no owner".to_string(),
            |o| format!("owner `{}`", o.value),
        );
        d.push(
            Diagnostic::warning(
                Code::ReviewOverdue,
                format!(
                    "{} `{}` ({owner}) was last reviewed on {}, more than {days} days ago",
                    page.kind.noun(),
                    page.id,
                    reviewed.value
                ),
            )
            .at(reviewed.span)
            .label(format!("{} days ago", today.days() - reviewed.value.days()))
            .hint(format!(
                "check the page against reality, then set `reviewed = {today}`"
            )),
        );
    }
}

impl Coverage {
    /// The summary lines printed at the end of `tabiji check`.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![
            format!(
                "stages:      {} ({} with an owner, {} with a playbook)",
                self.stages, self.stages_with_owner, self.stages_with_playbook
            ),
            format!(
                "personas:    {} ({} with a journey)",
                self.personas, self.personas_with_journey
            ),
            format!(
                "journeys:    {} ({}/{} stage columns filled, {}/{} cells)",
                self.journeys,
                self.journey_stages_filled,
                self.journey_stages,
                self.cells_filled,
                self.cells
            ),
            format!(
                "tasks:       {} ({} with a KPI)",
                self.tasks, self.tasks_with_kpi
            ),
            format!(
                "departments: {} ({} with tasks)",
                self.departments, self.departments_with_tasks
            ),
            format!(
                "playbooks:   {}, glossary terms: {}, onboarding steps: {}",
                self.playbooks, self.glossary_terms, self.onboarding_steps
            ),
        ];
        if !self.frameworks.is_empty() {
            let each: Vec<String> = self
                .frameworks
                .iter()
                .map(|f| format!("{} {}/{}", f.id, f.covered, f.letters))
                .collect();
            lines.push(format!(
                "frameworks:  letters covered by a playbook: {}",
                each.join(", ")
            ));
        }
        lines.push(format!(
            "upkeep:      {} pages ({} without an owner, {} overdue for review)",
            self.kept_pages, self.pages_without_owner, self.pages_overdue
        ));
        lines
    }
}
