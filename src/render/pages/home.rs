//! The home page (`index.html`): the stage strip by phase, the personas and the
//! departments, each as a card.

use serde::Serialize;

use crate::model::Id;
use crate::render::context::Link;
use crate::render::{Prepared, RenderError, Renderer};

#[derive(Serialize)]
struct StageCard {
    stage: Link,
    summary: Option<String>,
    owner: Option<Link>,
    /// The conversion target as a percentage ("25 %" → `25`), when set.
    conversion: Option<String>,
    /// Where stalled or lost customers go back to.
    recycle_to: Option<Link>,
}

/// What the conversion targets imply: leads at the first stage for one customer at the last.
#[derive(Serialize)]
struct ImpliedLeads {
    first: Link,
    last: Link,
    leads: u64,
}

/// A share as a percentage without trailing zeros: 0.25 → "25", 0.125 → "12.5".
pub(super) fn percent(share: f64) -> String {
    let p = format!("{:.1}", share * 100.0);
    p.strip_suffix(".0").map_or(p.clone(), str::to_string)
}

/// Leads needed at the first stage for one customer at the last: the inverse of the
/// product of every stage's target but the last's, when each of them has one.
pub(super) fn implied_leads(conversions: &[Option<f64>]) -> Option<u64> {
    let (_, before_last) = conversions.split_last()?;
    if before_last.is_empty() {
        return None;
    }
    let product: f64 = before_last.iter().map(|c| c.unwrap_or(f64::NAN)).product();
    // Rounded up, after forgiving the float error of a product like 0.5 × 0.2 × 0.25.
    (product.is_finite() && product > 0.0).then(|| (1.0 / product - 1e-9).ceil() as u64)
}

/// Stages of one phase, in column order (a stage without a phase is its own group).
#[derive(Serialize)]
struct PhaseGroup {
    name: Option<String>,
    stages: Vec<StageCard>,
}

#[derive(Serialize)]
struct PersonaCard {
    persona: Link,
    role: Option<String>,
    summary: Option<String>,
    journeys: Vec<Link>,
}

#[derive(Serialize)]
struct DepartmentCard {
    department: Link,
    kpis: Vec<String>,
}

/// The data of `index.html`.
#[derive(Serialize)]
struct QuizCard {
    quiz: Link,
    stage: Option<Link>,
    questions: usize,
}

#[derive(Serialize)]
struct Home {
    phases: Vec<PhaseGroup>,
    personas: Vec<PersonaCard>,
    departments: Vec<DepartmentCard>,
    implied_leads: Option<ImpliedLeads>,
    /// The method's overview pages, when the site declares roles or frameworks.
    roles_url: Option<String>,
    qualification_url: Option<String>,
    quizzes: Vec<QuizCard>,
}

pub(super) fn render(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    let ix = &r.index;
    let site = ix.site;
    let mut phases: Vec<PhaseGroup> = Vec::new();
    let mut last: Option<Option<&Id>> = None;
    for s in &site.config.stages {
        let phase = s.phase.as_ref().map(|p| &p.value);
        let card = StageCard {
            stage: ix.stage_link(&s.id.value),
            summary: s.summary.as_ref().map(|x| x.value.clone()),
            owner: s.owner.as_ref().map(|o| ix.department_link(&o.value)),
            conversion: s.conversion.as_ref().map(|c| percent(c.value)),
            recycle_to: s.recycle_to.as_ref().map(|x| ix.stage_link(&x.value)),
        };
        match phases.last_mut() {
            Some(g) if last == Some(phase) => g.stages.push(card),
            _ => phases.push(PhaseGroup {
                name: phase
                    .and_then(|p| site.phase(p.as_str()))
                    .map(|ph| ph.name.value.clone()),
                stages: vec![card],
            }),
        }
        last = Some(phase);
    }
    let personas = site
        .personas
        .values()
        .map(|p| PersonaCard {
            persona: ix.persona_link(&p.id),
            role: p.role.as_ref().map(|x| ix.role_name(&x.value)),
            summary: p.summary.as_ref().map(|x| x.value.clone()),
            journeys: ix
                .journeys_of(&p.id)
                .iter()
                .map(|j| ix.journey_link(j))
                .collect(),
        })
        .collect();
    let departments = site
        .departments
        .values()
        .map(|d| DepartmentCard {
            department: ix.department_link(&d.id),
            kpis: d.kpis.iter().map(|k| k.value.clone()).collect(),
        })
        .collect();
    let quizzes = site
        .quizzes
        .values()
        .map(|q| QuizCard {
            quiz: ix.quiz_link(q),
            stage: q.stage.as_ref().map(|s| ix.stage_link(&s.value)),
            questions: q.questions.len(),
        })
        .collect();
    let meta = r.meta(&site.config.title.value, "home", ix.urls.home(), vec![]);
    let stages = &site.config.stages;
    let conversions: Vec<Option<f64>> = stages
        .iter()
        .map(|s| s.conversion.as_ref().map(|c| c.value))
        .collect();
    let implied_leads = implied_leads(&conversions).and_then(|leads| {
        Some(ImpliedLeads {
            first: ix.stage_link(&stages.first()?.id.value),
            last: ix.stage_link(&stages.last()?.id.value),
            leads,
        })
    });
    let data = Home {
        phases,
        personas,
        departments,
        implied_leads,
        roles_url: (!site.config.roles.is_empty()).then(|| ix.urls.roles()),
        qualification_url: (!site.config.frameworks.is_empty()).then(|| ix.urls.qualification()),
        quizzes,
    };
    r.page("index.html", "index.html".into(), meta, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_imply_the_leads_one_customer_needs() {
        // 50 % × 20 % × 25 % of leads reach the last stage: 40 leads per customer.
        assert_eq!(
            implied_leads(&[Some(0.5), Some(0.2), Some(0.25), None]),
            Some(40)
        );
        assert_eq!(implied_leads(&[Some(0.3), Some(1.0), None]), Some(4));
        // A stage in between without a target: nothing is implied.
        assert_eq!(implied_leads(&[Some(0.5), None, Some(0.25), None]), None);
        // The last stage's own target does not count.
        assert_eq!(implied_leads(&[Some(0.5), Some(0.5)]), Some(2));
        assert_eq!(implied_leads(&[Some(0.5)]), None);
        assert_eq!(percent(0.25), "25");
        assert_eq!(percent(0.125), "12.5");
    }
}
