//! JSON: the whole model, in a documented, stable shape and key order (docs/export.md).
//! `format` and `version` let scripts check what they read; the version changes only when
//! a field is removed or changes meaning.

use serde::Serialize;

use crate::model::{Id, Site};

#[derive(Serialize)]
pub struct ExportDocument<'a> {
    pub format: &'static str,
    pub version: u32,
    pub site: SiteInfo<'a>,
    pub phases: Vec<Phase<'a>>,
    pub stages: Vec<Stage<'a>>,
    pub rows: Vec<Row<'a>>,
    pub roles: Vec<Phase<'a>>,
    pub frameworks: Vec<Framework<'a>>,
    pub personas: Vec<Persona<'a>>,
    pub journeys: Vec<Journey<'a>>,
    pub departments: Vec<Department<'a>>,
    pub playbooks: Vec<Playbook<'a>>,
    pub quizzes: Vec<Quiz<'a>>,
    pub glossary: Vec<Term<'a>>,
    pub onboarding: Option<Onboarding<'a>>,
}

#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub language: &'static str,
    pub base_url: &'a str,
    pub description: Option<&'a str>,
}

/// An id and a name: a phase, a role, a framework's letter.
#[derive(Serialize)]
pub struct Phase<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

impl<'a> Phase<'a> {
    fn of(
        id: &'a crate::model::Spanned<crate::model::Id>,
        name: &'a crate::model::Spanned<String>,
    ) -> Phase<'a> {
        Phase {
            id: id.value.as_str(),
            name: &name.value,
        }
    }
}

#[derive(Serialize)]
pub struct Stage<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub summary: Option<&'a str>,
    pub phase: Option<&'a str>,
    pub owner: Option<&'a str>,
    pub conversion: Option<f64>,
    pub recycle_to: Option<&'a str>,
}

/// A qualification framework: its id, name and letters (each an id and a name), in order.
#[derive(Serialize)]
pub struct Framework<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub letters: Vec<Phase<'a>>,
}

#[derive(Serialize)]
pub struct Row<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Persona<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub company: Option<&'a str>,
    pub goals: Vec<&'a str>,
    pub concerns: Vec<&'a str>,
    pub body: &'a str,
}

#[derive(Serialize)]
pub struct Journey<'a> {
    pub id: &'a str,
    pub persona: &'a str,
    pub name: Option<&'a str>,
    /// In the order of `stages`; stages the journey leaves out are absent.
    pub stages: Vec<JourneyStage<'a>>,
}

#[derive(Serialize)]
pub struct JourneyStage<'a> {
    pub stage: &'a str,
    /// In the order of `rows`.
    pub cells: Vec<Cell<'a>>,
    pub experience: Option<&'a str>,
    pub touchpoints: Vec<&'a str>,
    pub emotion: Option<i8>,
    pub notes: Option<&'a str>,
    pub tasks: Vec<Task<'a>>,
}

#[derive(Serialize)]
pub struct Cell<'a> {
    pub row: &'a str,
    pub text: &'a str,
}

#[derive(Serialize)]
pub struct Task<'a> {
    pub department: &'a str,
    pub task: &'a str,
    pub kpi: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Department<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub clients: Vec<&'a str>,
    pub suppliers: Vec<&'a str>,
    pub kpis: Vec<&'a str>,
    pub body: &'a str,
}

#[derive(Serialize)]
pub struct Playbook<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The first of `stages` (kept for scripts written before `stages`).
    pub stage: &'a str,
    /// Every stage the playbook is for, in the order written.
    pub stages: Vec<&'a str>,
    pub departments: Vec<&'a str>,
    /// The framework letters it covers, as written (`"meddic.e"`).
    pub qualifies: Vec<&'a str>,
    pub personas: Vec<&'a str>,
    pub order: Option<i64>,
    pub body: &'a str,
}

#[derive(Serialize)]
pub struct Quiz<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub stage: Option<&'a str>,
    pub personas: Vec<&'a str>,
    pub questions: Vec<Question<'a>>,
}

#[derive(Serialize)]
pub struct Question<'a> {
    pub question: &'a str,
    pub choices: Vec<&'a str>,
    /// 1-based.
    pub answer: i64,
    pub explanation: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Term<'a> {
    pub term: &'a str,
    pub reading: Option<&'a str>,
    pub definition: &'a str,
}

#[derive(Serialize)]
pub struct Onboarding<'a> {
    pub title: &'a str,
    pub steps: Vec<Step<'a>>,
}

#[derive(Serialize)]
pub struct Step<'a> {
    pub title: &'a str,
    /// `personas/ID`, `stages/ID`, …, `glossary`.
    pub pages: Vec<String>,
    pub note: Option<&'a str>,
}

fn ids(v: &[crate::model::Spanned<Id>]) -> Vec<&str> {
    v.iter().map(|x| x.value.as_str()).collect()
}

fn strs(v: &[crate::model::Spanned<String>]) -> Vec<&str> {
    v.iter().map(|x| x.value.as_str()).collect()
}

fn opt(v: &Option<crate::model::Spanned<String>>) -> Option<&str> {
    v.as_ref().map(|x| x.value.as_str())
}

pub fn document(site: &Site) -> ExportDocument<'_> {
    let c = &site.config;
    ExportDocument {
        format: "tabiji-export",
        version: 1,
        site: SiteInfo {
            title: &c.title.value,
            language: c.language.as_str(),
            base_url: &c.base_url,
            description: opt(&c.description),
        },
        phases: c.phases.iter().map(|x| Phase::of(&x.id, &x.name)).collect(),
        stages: c
            .stages
            .iter()
            .map(|s| Stage {
                id: s.id.value.as_str(),
                name: &s.name.value,
                summary: opt(&s.summary),
                phase: s.phase.as_ref().map(|p| p.value.as_str()),
                owner: s.owner.as_ref().map(|p| p.value.as_str()),
                conversion: s.conversion.as_ref().map(|x| x.value),
                recycle_to: s.recycle_to.as_ref().map(|x| x.value.as_str()),
            })
            .collect(),
        rows: c
            .rows
            .iter()
            .map(|r| Row {
                id: r.id.value.as_str(),
                name: &r.name.value,
                description: opt(&r.description),
            })
            .collect(),
        roles: c.roles.iter().map(|x| Phase::of(&x.id, &x.name)).collect(),
        frameworks: c
            .frameworks
            .iter()
            .map(|f| Framework {
                id: f.id.value.as_str(),
                name: &f.name.value,
                letters: f
                    .letters
                    .iter()
                    .map(|l| Phase::of(&l.id, &l.name))
                    .collect(),
            })
            .collect(),
        personas: site
            .personas
            .values()
            .map(|p| Persona {
                id: p.id.as_str(),
                name: &p.name.value,
                role: opt(&p.role),
                summary: opt(&p.summary),
                company: opt(&p.company),
                goals: strs(&p.goals),
                concerns: strs(&p.concerns),
                body: &p.body.value,
            })
            .collect(),
        journeys: site
            .journeys
            .values()
            .map(|j| Journey {
                id: j.id.as_str(),
                persona: j.persona.value.as_str(),
                name: opt(&j.name),
                stages: c
                    .stages
                    .iter()
                    .filter_map(|s| j.stage(s.id.value.as_str()))
                    .map(|js| JourneyStage {
                        stage: js.stage.value.as_str(),
                        cells: c
                            .rows
                            .iter()
                            .filter_map(|r| js.cell(r.id.value.as_str()))
                            .map(|cell| Cell {
                                row: cell.row.value.as_str(),
                                text: &cell.text.value,
                            })
                            .collect(),
                        experience: opt(&js.experience),
                        touchpoints: strs(&js.touchpoints),
                        emotion: js.emotion.as_ref().map(|e| e.value),
                        notes: opt(&js.notes),
                        tasks: js
                            .tasks
                            .iter()
                            .map(|t| Task {
                                department: t.department.value.as_str(),
                                task: &t.task.value,
                                kpi: opt(&t.kpi),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        departments: site
            .departments
            .values()
            .map(|d| Department {
                id: d.id.as_str(),
                name: &d.name.value,
                clients: ids(&d.clients),
                suppliers: ids(&d.suppliers),
                kpis: strs(&d.kpis),
                body: &d.body.value,
            })
            .collect(),
        playbooks: site
            .playbooks
            .values()
            .map(|p| Playbook {
                id: p.id.as_str(),
                title: &p.title.value,
                stage: p.first_stage().value.as_str(),
                stages: ids(&p.stages),
                qualifies: p.qualifies.iter().map(|q| q.value.as_str()).collect(),
                departments: ids(&p.departments),
                personas: ids(&p.personas),
                order: p.order.as_ref().map(|o| o.value),
                body: &p.body.value,
            })
            .collect(),
        quizzes: site
            .quizzes
            .values()
            .map(|q| Quiz {
                id: q.id.as_str(),
                title: &q.title.value,
                stage: q.stage.as_ref().map(|s| s.value.as_str()),
                personas: ids(&q.personas),
                questions: q
                    .questions
                    .iter()
                    .map(|x| Question {
                        question: &x.question.value,
                        choices: strs(&x.choices),
                        answer: x.answer.value,
                        explanation: opt(&x.explanation),
                    })
                    .collect(),
            })
            .collect(),
        glossary: site
            .glossary
            .iter()
            .flat_map(|g| g.terms.iter())
            .map(|t| Term {
                term: &t.term.value,
                reading: opt(&t.reading),
                definition: &t.definition.value,
            })
            .collect(),
        onboarding: site.onboarding.as_ref().map(|o| Onboarding {
            title: &o.title.value,
            steps: o
                .steps
                .iter()
                .map(|s| Step {
                    title: &s.title.value,
                    pages: s
                        .pages
                        .iter()
                        .map(|p| match &p.value.id {
                            Some(id) => format!("{}/{id}", p.value.kind.folder()),
                            None => p.value.kind.folder().to_string(),
                        })
                        .collect(),
                    note: opt(&s.note),
                })
                .collect(),
        }),
    }
}

/// The export as pretty-printed JSON with a final newline.
pub fn to_json(site: &Site) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(&document(site)).unwrap_or_default();
    v.push(b'\n');
    v
}
