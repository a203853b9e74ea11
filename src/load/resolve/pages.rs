//! Checks of departments, playbooks and quizzes: the departments, personas and stages they
//! name exist,
//! and a client or supplier relation is written on both sides.

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

impl Resolver<'_> {
    pub(super) fn departments(&self, d: &mut Diagnostics) {
        let deps = &self.site.departments;
        for dep in deps.values() {
            for (list, noun, other_field) in [
                (&dep.clients, "client", "suppliers"),
                (&dep.suppliers, "supplier", "clients"),
            ] {
                for r in list.iter() {
                    self.reference_in(
                        r,
                        "department",
                        &self.known.departments,
                        "has this id in content/departments/",
                        d,
                    );
                    let Some(other) = deps.get(&r.value) else {
                        continue;
                    };
                    if self.unreadable.contains(&other.file) || self.unreadable.contains(&dep.file)
                    {
                        continue;
                    }
                    let back = if other_field == "suppliers" {
                        &other.suppliers
                    } else {
                        &other.clients
                    };
                    if other.id != dep.id && !back.iter().any(|b| b.value == dep.id) {
                        let path = &self.sources.get(other.file).rel_path;
                        d.push(
                            Diagnostic::warning(
                                Code::OneSidedRelation,
                                format!("`{}` names `{}` as a {noun}, but `{}` does not name `{}` in its {other_field}", dep.id, other.id, other.id, dep.id),
                            )
                            .at(r.span)
                            .label("only one side says so")
                            .hint(format!("add \"{}\" to `{other_field}` in {path}", dep.id)),
                        );
                    }
                }
            }
        }
    }

    pub(super) fn playbooks(&self, d: &mut Diagnostics) {
        let stages = self.stage_ids();
        for p in self.site.playbooks.values() {
            if self.config_ok && !stages.is_empty() {
                for stage in &p.stages {
                    self.reference(
                        stage,
                        "stage",
                        stages.iter().copied(),
                        "is declared in tabiji.toml with this id",
                        d,
                    );
                }
            }
            for dep in &p.departments {
                self.reference_in(
                    dep,
                    "department",
                    &self.known.departments,
                    "has this id in content/departments/",
                    d,
                );
            }
            for per in &p.personas {
                self.reference_in(
                    per,
                    "persona",
                    &self.known.personas,
                    "has this id in content/personas/",
                    d,
                );
            }
        }
    }

    pub(super) fn quizzes(&self, d: &mut Diagnostics) {
        let stages = self.stage_ids();
        for q in self.site.quizzes.values() {
            if let Some(stage) = &q.stage
                && self.config_ok
                && !stages.is_empty()
            {
                self.reference(
                    stage,
                    "stage",
                    stages.iter().copied(),
                    "is declared in tabiji.toml with this id",
                    d,
                );
            }
            for per in &q.personas {
                self.reference_in(
                    per,
                    "persona",
                    &self.known.personas,
                    "has this id in content/personas/",
                    d,
                );
            }
        }
    }
}
