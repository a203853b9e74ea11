//! Departments: added, removed, renamed or changed; a department hears of every change to
//! it, and a client or supplier gained or lost hears of it too.

use super::{Names, body, ids, join, list, renames, s};
use crate::diff::change::{Change, Named};
use crate::model::{Department, Site};

pub(super) fn same_department(a: &Department, b: &Department) -> bool {
    a.name == b.name
        && a.clients == b.clients
        && a.suppliers == b.suppliers
        && a.kpis == b.kpis
        && body(&a.body) == body(&b.body)
}

pub(super) fn departments(old: &Site, new: &Site, on: &Names, nn: &Names, out: &mut Vec<Change>) {
    let renamed = renames(&old.departments, &new.departments, same_department);
    let subject = |d: &Department| Named {
        id: d.id.to_string(),
        name: d.name.value.clone(),
    };
    for (from, to) in &renamed {
        out.push(
            Change::new(
                "department.renamed",
                "departments",
                subject(&new.departments[to]),
            )
            .field("id")
            .values(Some(from.to_string()), Some(to.to_string()))
            .notify(to.as_str()),
        );
    }
    for (id, b) in &new.departments {
        let Some(a) = old.departments.get(id) else {
            if !renamed.iter().any(|(_, t)| t == id) {
                out.push(
                    Change::new("department.added", "departments", subject(b)).notify(id.as_str()),
                );
            }
            continue;
        };
        let fields: [(&'static str, Option<String>, Option<String>); 5] = [
            ("name", Some(s(&a.name)), Some(s(&b.name))),
            ("clients", join(&ids(&a.clients)), join(&ids(&b.clients))),
            (
                "suppliers",
                join(&ids(&a.suppliers)),
                join(&ids(&b.suppliers)),
            ),
            ("kpis", join(&list(&a.kpis)), join(&list(&b.kpis))),
            ("body", Some(body(&a.body)), Some(body(&b.body))),
        ];
        super::upkeep(
            &a.upkeep,
            &b.upkeep,
            on,
            nn,
            || Change::new("department.changed", "departments", subject(b)),
            out,
        );
        for (f, x, y) in fields {
            if x != y {
                let mut c = Change::new("department.changed", "departments", subject(b))
                    .field(f)
                    .values(x, y)
                    .notify(id.as_str());
                // A new or lost client or supplier must hear of it too.
                if f == "clients" || f == "suppliers" {
                    let (xa, xb) = if f == "clients" {
                        (&a.clients, &b.clients)
                    } else {
                        (&a.suppliers, &b.suppliers)
                    };
                    for d in xa.iter().chain(xb.iter()) {
                        if !(xa.contains(d) && xb.contains(d)) {
                            c = c.notify(d.value.as_str());
                        }
                    }
                }
                out.push(c);
            }
        }
    }
    for (id, a) in &old.departments {
        if !new.departments.contains_key(id) && !renamed.iter().any(|(f, _)| f == id) {
            out.push(
                Change::new("department.removed", "departments", subject(a)).notify(id.as_str()),
            );
        }
    }
    let _ = nn;
}
