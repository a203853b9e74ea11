//! The sales method's two overview pages: `roles/index.html` (every role of the buying
//! group × every stage, with the personas in that role) and `qualification/index.html`
//! (every framework letter × every stage, with the playbooks that cover it there).

use serde::Serialize;

use crate::render::context::Link;
use crate::render::{Prepared, RenderError, Renderer};

/// One cell of a matrix: the links in it (empty: nothing covers it).
#[derive(Serialize)]
struct Cell {
    links: Vec<Link>,
}

/// One row of a matrix: its head and one cell per stage, in column order.
#[derive(Serialize)]
struct MatrixRow {
    id: String,
    name: String,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct FrameworkMatrix {
    id: String,
    name: String,
    rows: Vec<MatrixRow>,
    /// How many of its letters no playbook covers at any stage.
    uncovered: usize,
}

pub(super) fn roles(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct RolesPage {
        stages: Vec<Link>,
        roles: Vec<MatrixRow>,
        /// Personas whose role is none of the declared ones (or who have none).
        without_role: Vec<Link>,
    }
    let ix = &r.index;
    let site = ix.site;
    let stages = &site.config.stages;
    let roles = site
        .config
        .roles
        .iter()
        .map(|role| MatrixRow {
            id: role.id.value.to_string(),
            name: role.name.value.clone(),
            cells: stages
                .iter()
                .enumerate()
                .map(|(i, s)| Cell {
                    links: site
                        .personas
                        .values()
                        .filter(|p| {
                            p.role
                                .as_ref()
                                .is_some_and(|x| x.value == role.id.value.as_str())
                        })
                        .map(|p| {
                            let mut link = ix.persona_link(&p.id);
                            if r.index.has_persona_stage(&p.id, i) {
                                link.url =
                                    ix.urls.persona_stage(p.id.as_str(), s.id.value.as_str());
                            }
                            link
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let without_role = site
        .personas
        .values()
        .filter(|p| {
            p.role
                .as_ref()
                .is_none_or(|x| site.config.role(&x.value).is_none())
        })
        .map(|p| ix.persona_link(&p.id))
        .collect();
    let data = RolesPage {
        stages: stages.iter().map(|s| ix.stage_link(&s.id.value)).collect(),
        roles,
        without_role,
    };
    let meta = r.meta(r.t.roles_title, "roles", ix.urls.roles(), vec![]);
    r.page("roles.html", "roles/index.html".into(), meta, data)
}

pub(super) fn qualification(r: &Renderer<'_>) -> Result<Prepared, RenderError> {
    #[derive(Serialize)]
    struct QualificationPage {
        stages: Vec<Link>,
        frameworks: Vec<FrameworkMatrix>,
    }
    let ix = &r.index;
    let site = ix.site;
    let stages = &site.config.stages;
    let frameworks = site
        .config
        .frameworks
        .iter()
        .map(|f| {
            let rows: Vec<MatrixRow> = f
                .letters
                .iter()
                .map(|l| {
                    let key = format!("{}.{}", f.id.value, l.id.value);
                    MatrixRow {
                        id: l.id.value.to_string(),
                        name: l.name.value.clone(),
                        cells: (0..stages.len())
                            .map(|i| Cell {
                                links: ix
                                    .playbooks_at(i)
                                    .iter()
                                    .filter(|p| p.qualifies.iter().any(|q| q.value == key))
                                    .map(|p| ix.playbook_link(p))
                                    .collect(),
                            })
                            .collect(),
                    }
                })
                .collect();
            FrameworkMatrix {
                id: f.id.value.to_string(),
                name: f.name.value.clone(),
                uncovered: rows
                    .iter()
                    .filter(|row| row.cells.iter().all(|c| c.links.is_empty()))
                    .count(),
                rows,
            }
        })
        .collect();
    let data = QualificationPage {
        stages: stages.iter().map(|s| ix.stage_link(&s.id.value)).collect(),
        frameworks,
    };
    let meta = r.meta(
        r.t.qualification_title,
        "qualification",
        ix.urls.qualification(),
        vec![],
    );
    r.page(
        "qualification.html",
        "qualification/index.html".into(),
        meta,
        data,
    )
}
