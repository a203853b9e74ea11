//! Personas: added, removed, renamed (same content under a new id) or changed field by
//! field.

use super::{Names, body, join, list, o, renames, s, upkeep};
use crate::diff::change::Change;
use crate::model::{Id, Persona, Site};

pub(super) fn same_persona(a: &Persona, b: &Persona) -> bool {
    a.name == b.name
        && a.role == b.role
        && a.summary == b.summary
        && a.company == b.company
        && a.goals == b.goals
        && a.concerns == b.concerns
        && body(&a.body) == body(&b.body)
}

pub(super) fn personas(old: &Site, new: &Site, on: &Names, nn: &Names, out: &mut Vec<Change>) {
    let renamed = renames(&old.personas, &new.personas, same_persona);
    for (from, to) in &renamed {
        out.push(
            Change::new("persona.renamed", "personas", nn.persona(to))
                .field("id")
                .values(Some(from.to_string()), Some(to.to_string())),
        );
    }
    let is_renamed_from = |id: &Id| renamed.iter().any(|(f, _)| f == id);
    let is_renamed_to = |id: &Id| renamed.iter().any(|(_, t)| t == id);
    for (id, b) in &new.personas {
        let Some(a) = old.personas.get(id) else {
            if !is_renamed_to(id) {
                out.push(Change::new("persona.added", "personas", nn.persona(id)));
            }
            continue;
        };
        let fields: [(&'static str, Option<String>, Option<String>); 7] = [
            ("name", Some(s(&a.name)), Some(s(&b.name))),
            ("role", o(&a.role), o(&b.role)),
            ("summary", o(&a.summary), o(&b.summary)),
            ("company", o(&a.company), o(&b.company)),
            ("goals", join(&list(&a.goals)), join(&list(&b.goals))),
            (
                "concerns",
                join(&list(&a.concerns)),
                join(&list(&b.concerns)),
            ),
            ("body", Some(body(&a.body)), Some(body(&b.body))),
        ];
        upkeep(
            &a.upkeep,
            &b.upkeep,
            on,
            nn,
            || Change::new("persona.changed", "personas", nn.persona(id)),
            out,
        );
        for (f, x, y) in fields {
            if x != y {
                out.push(
                    Change::new("persona.changed", "personas", nn.persona(id))
                        .field(f)
                        .values(x, y),
                );
            }
        }
    }
    for id in old.personas.keys() {
        if !new.personas.contains_key(id) && !is_renamed_from(id) {
            out.push(Change::new("persona.removed", "personas", on.persona(id)));
        }
    }
}
