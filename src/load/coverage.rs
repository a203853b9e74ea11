//! Coverage: how complete the map is. Gaps are warnings, not errors: a map is a living
//! hypothesis and is allowed to be unfinished, but the team should see where.

use std::collections::BTreeSet;

use serde::Serialize;

use super::resolve::Kind;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::Text;
use crate::model::{Id, Site};
use crate::source::{FileId, Span};
use crate::t;

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
        let id = &s.id.value;
        if s.owner
            .as_ref()
            .is_some_and(|o| site.departments.contains_key(&o.value))
        {
            c.stages_with_owner += 1;
        } else if s.owner.is_some() {
            // An unknown owner is an error already.
        } else if config_ok {
            d.push(
                Diagnostic::warning(
                    Code::StageWithoutOwner,
                    t!("stage `{id}` has no owner", "ステージ `{id}` に担当部門がありません"),
                )
                .at(s.span)
                .hint(t!(
                    "add `owner = \"<department id>\"`: the department that moves customers on from this stage",
                    "`owner = \"<部門 ID>\"` を追加してください。このステージから顧客を次へ進める部門です"
                )),
            );
        }
        if staged.contains(&s.id.value) {
            c.stages_with_playbook += 1;
        } else if config_ok && !unreadable_playbooks {
            d.push(
                Diagnostic::warning(
                    Code::StageWithoutPlaybook,
                    t!(
                        "stage `{id}` has no playbook",
                        "ステージ `{id}` にプレイブックがありません"
                    ),
                )
                .at(s.span)
                .hint(t!(
                    "add content/playbooks/<id>.md with `stage = \"{id}\"`",
                    "`stage = \"{id}\"` と書いた content/playbooks/<ID>.md を追加してください"
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
                        Diagnostic::warning(
                            Code::TaskWithoutKpi,
                            t!("this task has no KPI", "このタスクには KPI がありません"),
                        )
                        .at(t.span)
                        .hint(t!(
                            "add `kpi = \"…\"`: how the department will know the task is done well",
                            "`kpi = \"…\"` を追加してください。タスクがうまくいったと部門が判断する基準です"
                        )),
                    );
                }
            }
        }
        if config_ok && !empty.is_empty() && !unreadable.contains(&j.file) {
            let list = Text::list(empty.iter().map(|s| Text::verbatim(format!("`{s}`"))));
            let (id, n, all) = (&j.id, empty.len(), stages.len());
            d.push(
                Diagnostic::warning(
                    Code::JourneyGaps,
                    t!(
                        "journey `{id}` leaves {n} of {all} stages empty: {list}",
                        "ジャーニー `{id}` は {all} ステージのうち {n} ステージが空です: {list}";
                        list = list
                    ),
                )
                .at(Span::file_start(j.file))
                .hint(t!(
                    "add a `[stages.<id>]` table with the rows for each; an empty stage shows as an empty column",
                    "それぞれに行を書いた `[stages.<ID>]` テーブルを追加してください。空のステージは空の列として表示されます"
                )),
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
        let id = &p.id;
        if with_journey.contains(&p.id) {
            c.personas_with_journey += 1;
        } else if !unreadable.contains(&p.file) && !unreadable_journeys {
            d.push(
                Diagnostic::warning(
                    Code::PersonaWithoutJourney,
                    t!(
                        "persona `{id}` has no journey",
                        "ペルソナ `{id}` にジャーニーがありません"
                    ),
                )
                .at(p.name.span)
                .hint(t!(
                    "add content/journeys/<id>.toml with `persona = \"{id}\"`",
                    "`persona = \"{id}\"` と書いた content/journeys/<ID>.toml を追加してください"
                )),
            );
        }
    }
    upkeep(site, &mut c, d);
    for dep in site.departments.values() {
        if departments_with_tasks.contains(&dep.id) {
            c.departments_with_tasks += 1;
        } else if !unreadable.contains(&dep.file) && !unreadable_journeys && !misspelt_tasks {
            let id = &dep.id;
            d.push(
                Diagnostic::warning(
                    Code::DepartmentWithoutTasks,
                    t!(
                        "department `{id}` has no task in any journey",
                        "部門 `{id}` のタスクがどのジャーニーにもありません"
                    ),
                )
                .at(dep.name.span)
                .hint(t!(
                    "every department on the map should own tasks: add `[[stages.<id>.tasks]]` with this department",
                    "マップ上の部門にはそれぞれタスクが必要です。この部門の `[[stages.<ID>.tasks]]` を追加してください"
                )),
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
        let owner = match &page.upkeep.owner {
            Some(o) => {
                let o = &o.value;
                t!("owner `{o}`", "担当部門 `{o}`")
            }
            None => t!("no owner", "担当未定"),
        };
        let (id, on, ago) = (
            page.id,
            reviewed.value,
            today.days() - reviewed.value.days(),
        );
        d.push(
            Diagnostic::warning(
                Code::ReviewOverdue,
                t!(
                    "{noun} `{id}` ({owner}) was last reviewed on {on}, more than {days} days ago",
                    "{noun} `{id}`（{owner}）の最終レビューは {on} で、{days} 日より前です";
                    noun = Kind::of(page.kind).noun(),
                    owner = owner
                ),
            )
            .at(reviewed.span)
            .label(t!("{ago} days ago", "{ago} 日前"))
            .hint(t!(
                "check the page against reality, then set `reviewed = {today}`",
                "ページが現状と合っているか確かめてから、`reviewed = {today}` にしてください"
            )),
        );
    }
}

impl Coverage {
    /// The summary lines printed at the end of `tabiji check`.
    pub fn lines(&self) -> Vec<Text> {
        let c = self;
        let (stages, owned, staged) = (c.stages, c.stages_with_owner, c.stages_with_playbook);
        let (personas, with_journey) = (c.personas, c.personas_with_journey);
        let (journeys, columns, filled) = (c.journeys, c.journey_stages, c.journey_stages_filled);
        let (cells, cells_filled) = (c.cells, c.cells_filled);
        let (tasks, with_kpi) = (c.tasks, c.tasks_with_kpi);
        let (departments, with_tasks) = (c.departments, c.departments_with_tasks);
        let (playbooks, terms, steps) = (c.playbooks, c.glossary_terms, c.onboarding_steps);
        let (pages, unowned, overdue) = (c.kept_pages, c.pages_without_owner, c.pages_overdue);
        // The Japanese labels line up in a terminal, where each of their characters is two
        // columns wide.
        let mut lines = vec![
            t!(
                "stages:      {stages} ({owned} with an owner, {staged} with a playbook)",
                "ステージ:       {stages}（担当部門あり {owned}、プレイブックあり {staged}）"
            ),
            t!(
                "personas:    {personas} ({with_journey} with a journey)",
                "ペルソナ:       {personas}（ジャーニーあり {with_journey}）"
            ),
            t!(
                "journeys:    {journeys} ({filled}/{columns} stage columns filled, {cells_filled}/{cells} cells)",
                "ジャーニー:     {journeys}（記入済みのステージ列 {filled}/{columns}、セル {cells_filled}/{cells}）"
            ),
            t!(
                "tasks:       {tasks} ({with_kpi} with a KPI)",
                "タスク:         {tasks}（KPI あり {with_kpi}）"
            ),
            t!(
                "departments: {departments} ({with_tasks} with tasks)",
                "部門:           {departments}（タスクあり {with_tasks}）"
            ),
            t!(
                "playbooks:   {playbooks}, glossary terms: {terms}, onboarding steps: {steps}",
                "プレイブック:   {playbooks}、用語集の用語: {terms}、オンボーディングのステップ: {steps}"
            ),
        ];
        if !self.frameworks.is_empty() {
            let each = Text::list(
                self.frameworks
                    .iter()
                    .map(|f| Text::verbatim(format!("{} {}/{}", f.id, f.covered, f.letters))),
            );
            lines.push(t!(
                "frameworks:  letters covered by a playbook: {each}",
                "フレームワーク: {each}（プレイブックで扱っている項目）";
                each = each
            ));
        }
        lines.push(t!(
            "upkeep:      {pages} pages ({unowned} without an owner, {overdue} overdue for review)",
            "鮮度:           {pages} ページ（担当未定 {unowned}、レビュー期限切れ {overdue}）"
        ));
        lines
    }
}
