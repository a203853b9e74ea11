//! A stage's page (`stages/<id>/index.html`): what brings customers in and moves them on,
//! the stage's playbooks, every persona's cells at the stage, and every task at the stage by
//! department.

use serde::Serialize;

use super::index_path;
use crate::model::Stage;
use crate::render::context::{Link, LinkRef};
use crate::render::table::JourneyTable;
use crate::render::{Prepared, RenderError, Renderer};

/// A stage as its page and the print page show it.
#[derive(Serialize)]
pub(super) struct StageCtx {
    id: String,
    name: String,
    url: String,
    summary: Option<String>,
    phase: Option<String>,
    owner: Option<Link>,
    /// The conversion target as a percentage, when set.
    conversion: Option<String>,
    /// Where stalled or lost customers go back to.
    recycle_to: Option<Link>,
}

pub(super) fn stage_ctx(r: &Renderer<'_>, s: &Stage) -> StageCtx {
    let ix = &r.index;
    StageCtx {
        id: s.id.value.to_string(),
        name: s.name.value.clone(),
        url: ix.urls.stage(s.id.value.as_str()),
        summary: s.summary.as_ref().map(|x| x.value.clone()),
        phase: s
            .phase
            .as_ref()
            .and_then(|p| ix.site.phase(p.value.as_str()))
            .map(|p| p.name.value.clone()),
        owner: s.owner.as_ref().map(|o| ix.department_link(&o.value)),
        conversion: s.conversion.as_ref().map(|c| super::home::percent(c.value)),
        recycle_to: s.recycle_to.as_ref().map(|x| ix.stage_link(&x.value)),
    }
}

/// A journey's key factor at a stage: what moves its persona on.
#[derive(Serialize)]
struct Factor<'a> {
    journey: LinkRef<'a>,
    persona: LinkRef<'a>,
    html: &'a str,
}

/// A column of the stage's table: one journey.
#[derive(Serialize)]
struct Column<'a> {
    journey: LinkRef<'a>,
    persona: LinkRef<'a>,
    /// The persona's page at this stage.
    at_stage: String,
}

/// A journey's emotion at the stage: its value (−2 … 2) and word.
#[derive(Serialize)]
struct Emotion {
    value: i8,
    word: &'static str,
}

#[derive(Serialize)]
struct StageRow<'a> {
    name: &'a str,
    cells: Vec<&'a str>,
}

#[derive(Serialize)]
struct TaskWithJourney<'a> {
    html: &'a str,
    kpi: Option<&'a str>,
    journey: LinkRef<'a>,
    persona: LinkRef<'a>,
}

#[derive(Serialize)]
struct DepartmentTasks<'a> {
    department: Link,
    tasks: Vec<TaskWithJourney<'a>>,
}

#[derive(Serialize)]
struct PlaybookCard {
    playbook: Link,
    departments: Vec<Link>,
}

/// The data of `stage.html`.
#[derive(Serialize)]
struct StagePage<'a> {
    stage: StageCtx,
    previous: Option<Link>,
    next: Option<Link>,
    enter: Vec<Factor<'a>>,
    leave: Vec<Factor<'a>>,
    columns: Vec<Column<'a>>,
    rows: Vec<StageRow<'a>>,
    tasks: Vec<DepartmentTasks<'a>>,
    playbooks: Vec<PlaybookCard>,
    /// The stages whose stalled or lost customers come back here.
    recycled_from: Vec<Link>,
    /// The stage's knowledge checks.
    quizzes: Vec<Link>,
    /// The seller's side per column, each only when some journey has it at this stage:
    /// the experience to deliver (HTML), the touchpoints, the emotion.
    experience: Option<Vec<&'a str>>,
    touchpoints: Option<Vec<&'a [String]>>,
    emotion: Option<Vec<Option<Emotion>>>,
}

/// The key factors of the journeys that wrote one at stage column `i`.
fn factors<'a>(tables: &[&'a JourneyTable], key_row: Option<usize>, i: usize) -> Vec<Factor<'a>> {
    let Some(k) = key_row else { return Vec::new() };
    tables
        .iter()
        .filter(|t| t.key_filled.get(i).copied().unwrap_or(false))
        .map(|t| Factor {
            journey: t.link(),
            persona: t.persona.as_ref(),
            html: t.cell(k, i),
        })
        .collect()
}

/// One value per column, or `None` when no column has one.
fn seller<'a, T: Default>(
    tables: &[&'a JourneyTable],
    f: impl Fn(&'a JourneyTable) -> Option<T>,
) -> Option<Vec<T>> {
    let values: Vec<Option<T>> = tables.iter().map(|t| f(t)).collect();
    values
        .iter()
        .any(Option::is_some)
        .then(|| values.into_iter().map(Option::unwrap_or_default).collect())
}

pub(super) fn render(r: &Renderer<'_>, i: usize) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let site = ix.site;
    let stages = &site.config.stages;
    let Some(s) = stages.get(i) else {
        return Err(RenderError::Template(format!("no stage at position {i}")));
    };
    let tables: Vec<&JourneyTable> = site.journeys.keys().filter_map(|id| r.table(id)).collect();
    let key_row = ix.key_row();
    let rows = site
        .config
        .rows
        .iter()
        .enumerate()
        .map(|(ri, row)| StageRow {
            name: &row.name.value,
            cells: tables.iter().map(|t| t.cell(ri, i)).collect(),
        })
        .collect();
    // Every task at this stage, grouped by department (in id order), each group in journey
    // order, then file order.
    let mut tasks: std::collections::BTreeMap<&str, DepartmentTasks<'_>> = Default::default();
    for t in &tables {
        for task in t.tasks.get(i).map_or(&[][..], Vec::as_slice) {
            tasks
                .entry(task.department.as_str())
                .or_insert_with(|| DepartmentTasks {
                    department: ix.department_link(&task.department),
                    tasks: Vec::new(),
                })
                .tasks
                .push(TaskWithJourney {
                    html: &task.html,
                    kpi: task.kpi.as_deref(),
                    journey: t.link(),
                    persona: t.persona.as_ref(),
                });
        }
    }
    let playbooks = ix
        .playbooks_at(i)
        .iter()
        .map(|p| PlaybookCard {
            playbook: ix.playbook_link(p),
            departments: ix.department_links(&p.departments),
        })
        .collect();
    let data = StagePage {
        stage: stage_ctx(r, s),
        previous: i.checked_sub(1).map(|p| ix.stage_link(&stages[p].id.value)),
        next: stages.get(i + 1).map(|n| ix.stage_link(&n.id.value)),
        enter: i
            .checked_sub(1)
            .map_or_else(Vec::new, |p| factors(&tables, key_row, p)),
        leave: factors(&tables, key_row, i),
        columns: tables
            .iter()
            .map(|t| Column {
                journey: t.link(),
                persona: t.persona.as_ref(),
                at_stage: ix.urls.persona_stage(&t.persona.id, s.id.value.as_str()),
            })
            .collect(),
        experience: seller(&tables, |t| {
            t.experience
                .as_ref()
                .and_then(|e| e.get(i))
                .map(String::as_str)
                .filter(|e| !e.is_empty())
        }),
        touchpoints: seller(&tables, |t| {
            t.touchpoints
                .as_ref()
                .and_then(|c| c.get(i))
                .map(Vec::as_slice)
                .filter(|c| !c.is_empty())
        }),
        emotion: seller(&tables, |t| {
            let v = t.emotion.as_ref()?.get(i).copied().flatten()?;
            Some(Some(Emotion {
                value: v,
                word: crate::render::labels::emotion_word(t.frame.lang, v),
            }))
        }),
        rows,
        recycled_from: stages
            .iter()
            .filter(|x| x.recycle_to.as_ref().is_some_and(|t| t.value == s.id.value))
            .map(|x| ix.stage_link(&x.id.value))
            .collect(),
        tasks: tasks.into_values().collect(),
        playbooks,
        quizzes: ix.quiz_links(&s.id.value, None),
    };
    let crumbs = vec![r.home_section(r.t.stages, "stages")];
    let meta = r.meta(
        &s.name.value,
        "stage",
        ix.urls.stage(s.id.value.as_str()),
        crumbs,
    );
    r.page(
        "stage.html",
        index_path("stages", s.id.value.as_str()),
        meta,
        data,
    )
}
