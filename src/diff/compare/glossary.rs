//! The glossary: terms added, removed, or with a new definition or reading, matched as links
//! match them (ignoring case and Unicode form).

use std::collections::BTreeMap;

use super::o;
use crate::diff::change::{Change, Named};
use crate::model::Glossary;

pub(super) fn glossary(old: Option<&Glossary>, new: Option<&Glossary>, out: &mut Vec<Change>) {
    let terms = |g: Option<&Glossary>| -> BTreeMap<String, (String, Option<String>, String)> {
        g.map(|g| {
            g.terms
                .iter()
                .map(|t| {
                    (
                        crate::model::term_key(&t.term.value),
                        (
                            t.term.value.clone(),
                            o(&t.reading),
                            t.definition.value.clone(),
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let (a, b) = (terms(old), terms(new));
    for (k, (term, reading, def)) in &b {
        let subject = Named {
            id: term.clone(),
            name: term.clone(),
        };
        match a.get(k) {
            None => out.push(
                Change::new("term.added", "glossary", subject).values(None, Some(def.clone())),
            ),
            Some((_, r0, d0)) => {
                if d0 != def {
                    out.push(
                        Change::new("term.changed", "glossary", subject.clone())
                            .field("definition")
                            .values(Some(d0.clone()), Some(def.clone())),
                    );
                }
                if r0 != reading {
                    out.push(
                        Change::new("term.changed", "glossary", subject)
                            .field("reading")
                            .values(r0.clone(), reading.clone()),
                    );
                }
            }
        }
    }
    for (k, (term, _, def)) in &a {
        if !b.contains_key(k) {
            out.push(
                Change::new(
                    "term.removed",
                    "glossary",
                    Named {
                        id: term.clone(),
                        name: term.clone(),
                    },
                )
                .values(Some(def.clone()), None),
            );
        }
    }
}
