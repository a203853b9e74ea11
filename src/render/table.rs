//! A journey as a table (stages as columns, rows as rows, then the seller's side): the data
//! `macros.html`'s `journey_table` draws, computed once per journey per build and shared by
//! every page that shows the journey or a part of it (journey, persona, stage, department,
//! print pages).

use std::sync::Arc;

use serde::Serialize;

use super::context::{Link, LinkRef, SiteIndex};
use super::labels::emotion_word;
use super::svg;
use crate::model::{Id, Journey, JourneyStage, Language, Site};

/// What every journey table of a site has in common: the phase band, the stage heads and
/// the row heads, built once and shared by every table.
#[derive(Debug)]
pub struct TableFrame {
    pub phases: Vec<PhaseBand>,
    pub stages: Vec<StageHead>,
    pub rows: Vec<RowHead>,
    pub lang: Language,
}

#[derive(Clone, Debug, Serialize)]
pub struct PhaseBand {
    pub name: String,
    pub colspan: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct StageHead {
    pub id: String,
    /// The id as a URL path segment (percent-encoded): `{{ j.persona.url }}{{ s.segment }}/`
    /// is the persona's page at this stage.
    pub segment: String,
    pub name: String,
    pub url: String,
    pub owner: Option<Link>,
}

/// A row's head, the same in every journey table of a site.
#[derive(Clone, Debug, Serialize)]
pub struct RowHead {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

/// One task as pages show it: its HTML, its KPI's HTML and its department.
#[derive(Clone, Debug, Serialize)]
pub struct TaskCtx {
    pub html: String,
    pub kpi: Option<String>,
    /// The department's id as the task names it (known to the site or not).
    #[serde(skip)]
    pub department: Id,
}

/// One stage column's emotion: its piece of the curve, its value and its word.
#[derive(Clone, Debug, Serialize)]
pub struct EmotionCell {
    pub svg: String,
    pub value: Option<i8>,
    pub word: &'static str,
}

/// A journey as a table. Templates see the fields `docs/templates.md` lists (through
/// `Serialize`); Rust code reads the cells and tasks of one stage for the stage and
/// department pages.
#[derive(Debug)]
pub struct JourneyTable {
    pub id: String,
    pub name: String,
    pub url: String,
    pub persona: Link,
    pub frame: Arc<TableFrame>,
    /// Cell HTML by row, then by stage column; empty when not written.
    pub cells: Vec<Vec<String>>,
    /// Whether each stage column's key factor cell has text (the stage page lists them).
    pub key_filled: Vec<bool>,
    pub experience: Option<Vec<String>>,
    pub touchpoints: Option<Vec<Vec<String>>>,
    /// Each stage column's emotion, when any column has one.
    pub emotion: Option<Vec<Option<i8>>>,
    /// Every task of each stage column, in file order.
    pub tasks: Vec<Vec<TaskCtx>>,
    /// Whether any stage column has a task (the table shows its tasks row).
    pub has_tasks: bool,
    pub notes: Option<Vec<String>>,
}

/// One department's tasks in one stage column, in the order of their first appearance.
#[derive(Serialize)]
pub struct DepartmentTasks<'a> {
    department: Link,
    tasks: Vec<&'a TaskCtx>,
}

/// A row as templates see it (`journey.rows`): the head and its cells' HTML per column.
#[derive(Serialize)]
struct RowCtx<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a Option<String>,
    cells: &'a [String],
}

/// What a template sees of a journey table; links to departments come from the index.
pub struct TableView<'t> {
    pub table: &'t JourneyTable,
    pub index: &'t SiteIndex<'t>,
}

impl Serialize for TableView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            id: &'a str,
            name: &'a str,
            url: &'a str,
            persona: &'a Link,
            phases: &'a [PhaseBand],
            stages: &'a [StageHead],
            rows: Vec<RowCtx<'a>>,
            experience: &'a Option<Vec<String>>,
            touchpoints: &'a Option<Vec<Vec<String>>>,
            emotion: Option<Vec<EmotionCell>>,
            tasks: Option<Vec<Vec<DepartmentTasks<'a>>>>,
            notes: &'a Option<Vec<String>>,
        }
        let t = self.table;
        View {
            id: &t.id,
            name: &t.name,
            url: &t.url,
            persona: &t.persona,
            phases: &t.frame.phases,
            stages: &t.frame.stages,
            rows: t
                .frame
                .rows
                .iter()
                .zip(&t.cells)
                .map(|(r, cells)| RowCtx {
                    id: &r.id,
                    name: &r.name,
                    description: &r.description,
                    cells,
                })
                .collect(),
            experience: &t.experience,
            touchpoints: &t.touchpoints,
            emotion: t.emotion_cells(),
            tasks: t.has_tasks.then(|| {
                t.tasks
                    .iter()
                    .map(|column| group_by_department(column, self.index))
                    .collect()
            }),
            notes: &t.notes,
        }
        .serialize(s)
    }
}

/// A stage column's tasks grouped by department, in order of first appearance.
pub fn group_by_department<'a>(
    tasks: &'a [TaskCtx],
    index: &SiteIndex<'_>,
) -> Vec<DepartmentTasks<'a>> {
    let mut groups: Vec<DepartmentTasks<'a>> = Vec::new();
    for t in tasks {
        match groups
            .iter_mut()
            .find(|g| g.department.id == t.department.as_str())
        {
            Some(g) => g.tasks.push(t),
            None => groups.push(DepartmentTasks {
                department: index.department_link(&t.department),
                tasks: vec![t],
            }),
        }
    }
    groups
}

impl JourneyTable {
    /// The emotion curve: each stage column's piece of it, value and word.
    /// One stage column's emotion, when it has a value.
    pub fn emotion_cell(&self, i: usize) -> Option<EmotionCell> {
        let values = self.emotion.as_ref()?;
        let v = (*values.get(i)?)?;
        Some(EmotionCell {
            svg: svg::emotion_piece(values, i),
            value: Some(v),
            word: emotion_word(self.frame.lang, v),
        })
    }

    pub fn emotion_cells(&self) -> Option<Vec<EmotionCell>> {
        let values = self.emotion.as_ref()?;
        Some(
            svg::emotion_pieces(values)
                .into_iter()
                .zip(values)
                .map(|(svg, v)| EmotionCell {
                    svg,
                    value: *v,
                    word: v.map_or("", |v| emotion_word(self.frame.lang, v)),
                })
                .collect(),
        )
    }

    /// A link to the journey's page.
    pub fn link(&self) -> LinkRef<'_> {
        LinkRef {
            id: &self.id,
            name: &self.name,
            url: &self.url,
        }
    }

    /// The cell of a row at a stage column (`""` when not written).
    pub fn cell(&self, row: usize, stage: usize) -> &str {
        self.cells
            .get(row)
            .and_then(|r| r.get(stage))
            .map_or("", String::as_str)
    }
}

/// The parts every journey table shares.
pub fn frame(index: &SiteIndex<'_>) -> TableFrame {
    let site = index.site;
    let stages = &site.config.stages;
    let mut phases: Vec<PhaseBand> = Vec::new();
    if !site.config.phases.is_empty() {
        let mut last: Option<Option<&Id>> = None;
        for s in stages {
            let p = s.phase.as_ref().map(|p| &p.value);
            match phases.last_mut() {
                Some(b) if last == Some(p) => b.colspan += 1,
                _ => {
                    let name = p
                        .and_then(|p| site.phase(p.as_str()))
                        .map_or(String::new(), |ph| ph.name.value.clone());
                    phases.push(PhaseBand { name, colspan: 1 });
                }
            }
            last = Some(p);
        }
    }
    TableFrame {
        phases,
        stages: stages
            .iter()
            .map(|s| StageHead {
                id: s.id.value.to_string(),
                segment: crate::urls::encode(s.id.value.as_str()),
                name: s.name.value.clone(),
                url: index.urls.stage(s.id.value.as_str()),
                owner: s.owner.as_ref().map(|o| index.department_link(&o.value)),
            })
            .collect(),
        rows: site
            .config
            .rows
            .iter()
            .map(|r| RowHead {
                id: r.id.value.to_string(),
                name: r.name.value.clone(),
                description: r.description.as_ref().map(|d| d.value.clone()),
            })
            .collect(),
        lang: site.config.language,
    }
}

/// A journey's table, its Markdown rendered.
pub fn journey_table(index: &SiteIndex<'_>, frame: &Arc<TableFrame>, j: &Journey) -> JourneyTable {
    let site: &Site = index.site;
    let cols: Vec<Option<&JourneyStage>> = site
        .config
        .stages
        .iter()
        .map(|s| j.stage(s.id.value.as_str()))
        .collect();
    let per_column = |f: &dyn Fn(&JourneyStage) -> String| -> Vec<String> {
        cols.iter().map(|c| c.map_or(String::new(), f)).collect()
    };
    let any = |f: &dyn Fn(&JourneyStage) -> bool| cols.iter().flatten().any(|c| f(c));
    let cells = site
        .config
        .rows
        .iter()
        .map(|r| {
            per_column(&|c| {
                c.cell(r.id.value.as_str())
                    .map_or(String::new(), |cell| index.inline(&cell.text.value))
            })
        })
        .collect();
    let key_row = index.key_row().map(|k| &site.config.rows[k].id.value);
    let key_filled = cols
        .iter()
        .map(|c| {
            key_row
                .zip(*c)
                .and_then(|(k, c)| c.cell(k.as_str()))
                .is_some_and(|cell| !cell.text.value.trim().is_empty())
        })
        .collect();
    let experience = any(&|c| c.experience.is_some()).then(|| {
        per_column(&|c| {
            c.experience
                .as_ref()
                .map_or(String::new(), |e| index.inline(&e.value))
        })
    });
    let touchpoints = any(&|c| !c.touchpoints.is_empty()).then(|| {
        cols.iter()
            .map(|c| {
                c.map_or(Vec::new(), |c| {
                    c.touchpoints.iter().map(|t| t.value.clone()).collect()
                })
            })
            .collect()
    });
    let emotion = any(&|c| c.emotion.is_some()).then(|| {
        cols.iter()
            .map(|c| c.and_then(|c| c.emotion.as_ref().map(|e| e.value)))
            .collect()
    });
    let tasks: Vec<Vec<TaskCtx>> = cols
        .iter()
        .map(|c| {
            c.map_or(Vec::new(), |c| {
                c.tasks
                    .iter()
                    .map(|t| TaskCtx {
                        html: index.inline(&t.task.value),
                        kpi: t.kpi.as_ref().map(|k| index.inline(&k.value)),
                        department: t.department.value.clone(),
                    })
                    .collect()
            })
        })
        .collect();
    let notes = any(&|c| c.notes.is_some()).then(|| {
        per_column(&|c| {
            c.notes
                .as_ref()
                .map_or(String::new(), |n| index.inline(&n.value))
        })
    });
    JourneyTable {
        id: j.id.to_string(),
        name: index.journey_name(j),
        url: index.urls.journey(j.id.as_str()),
        persona: index.persona_link(&j.persona.value),
        frame: frame.clone(),
        cells,
        key_filled,
        experience,
        touchpoints,
        emotion,
        has_tasks: tasks.iter().any(|t| !t.is_empty()),
        tasks,
        notes,
    }
}
