//! Checks of departments, playbooks and quizzes: the departments, personas and stages they
//! name exist, and a client or supplier relation is written on both sides.

use super::{Kind, Resolver};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::t;

impl Resolver<'_> {
    pub(super) fn departments(&self, d: &mut Diagnostics) {
        let deps = &self.site.departments;
        for dep in deps.values() {
            for (list, field, other_field) in [
                (&dep.clients, "clients", "suppliers"),
                (&dep.suppliers, "suppliers", "clients"),
            ] {
                for r in list.iter() {
                    self.reference(r, Kind::Department, d);
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
                        let (a, b) = (&dep.id, &other.id);
                        let noun = if field == "clients" {
                            "client"
                        } else {
                            "supplier"
                        };
                        d.push(
                            Diagnostic::warning(
                                Code::OneSidedRelation,
                                t!(
                                    "`{a}` names `{b}` as a {noun}, but `{b}` does not name `{a}` in its {other_field}",
                                    "`{a}` は `{b}` を {field} に挙げていますが、`{b}` の {other_field} に `{a}` がありません"
                                ),
                            )
                            .at(r.span)
                            .label(t!("only one side says so", "片方にしか書かれていません"))
                            .hint(t!(
                                "add \"{a}\" to `{other_field}` in {path}",
                                "{path} の `{other_field}` に \"{a}\" を追加してください"
                            )),
                        );
                    }
                }
            }
        }
    }

    pub(super) fn playbooks(&self, d: &mut Diagnostics) {
        for p in self.site.playbooks.values() {
            for stage in &p.stages {
                self.reference(stage, Kind::Stage, d);
            }
            for dep in &p.departments {
                self.reference(dep, Kind::Department, d);
            }
            for per in &p.personas {
                self.reference(per, Kind::Persona, d);
            }
        }
    }

    pub(super) fn quizzes(&self, d: &mut Diagnostics) {
        for q in self.site.quizzes.values() {
            if let Some(stage) = &q.stage {
                self.reference(stage, Kind::Stage, d);
            }
            for per in &q.personas {
                self.reference(per, Kind::Persona, d);
            }
        }
    }
}
