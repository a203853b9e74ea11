//! What `tabiji.toml` says: the site's settings, and its phases, stages and rows (added,
//! removed, renamed, reordered or changed; a stage's owner hears of changes to it).

use super::{o, s};
use crate::diff::change::{Change, Named};
use crate::model::{Id, Site, Spanned};

pub(super) fn site_settings(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let subject = Named {
        id: "tabiji.toml".into(),
        name: new.config.title.value.clone(),
    };
    let (a, b) = (&old.config, &new.config);
    // Roles and frameworks in words: "決裁者、チャンピオン", "BANT（B、A、N、T）".
    let roles = |c: &crate::model::Config| {
        (!c.roles.is_empty()).then(|| {
            c.roles
                .iter()
                .map(|r| r.name.value.clone())
                .collect::<Vec<_>>()
                .join("、")
        })
    };
    let frameworks = |c: &crate::model::Config| {
        (!c.frameworks.is_empty()).then(|| {
            c.frameworks
                .iter()
                .map(|f| {
                    let letters: Vec<&str> =
                        f.letters.iter().map(|l| l.name.value.as_str()).collect();
                    format!("{}（{}）", f.name.value, letters.join("、"))
                })
                .collect::<Vec<_>>()
                .join(" / ")
        })
    };
    let fields: [(&'static str, Option<String>, Option<String>); 6] = [
        ("title", Some(s(&a.title)), Some(s(&b.title))),
        (
            "language",
            Some(a.language.as_str().into()),
            Some(b.language.as_str().into()),
        ),
        (
            "base_url",
            Some(a.base_url.clone()),
            Some(b.base_url.clone()),
        ),
        ("description", o(&a.description), o(&b.description)),
        ("roles", roles(a), roles(b)),
        ("frameworks", frameworks(a), frameworks(b)),
    ];
    for (f, x, y) in fields {
        if x != y {
            out.push(
                Change::new("site.changed", "site", subject.clone())
                    .field(f)
                    .values(x, y),
            );
        }
    }
}

/// Added, removed, renamed and reordered items of an ordered list keyed by id.
fn ordered<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> (String, String),
    area: &'static str,
    noun: &'static str,
    out: &mut Vec<Change>,
) {
    let old_ids: Vec<(String, String)> = old.iter().map(&key).collect();
    let new_ids: Vec<(String, String)> = new.iter().map(&key).collect();
    let kind = |what: &str| -> &'static str {
        match (noun, what) {
            ("stage", "added") => "stage.added",
            ("stage", "removed") => "stage.removed",
            ("stage", "renamed") => "stage.renamed",
            ("stage", "reordered") => "stage.reordered",
            ("row", "added") => "row.added",
            ("row", "removed") => "row.removed",
            ("row", "renamed") => "row.renamed",
            ("row", "reordered") => "row.reordered",
            ("phase", "added") => "phase.added",
            ("phase", "removed") => "phase.removed",
            ("phase", "renamed") => "phase.renamed",
            _ => "phase.reordered",
        }
    };
    for (id, name) in &new_ids {
        match old_ids.iter().find(|(i, _)| i == id) {
            None => out.push(Change::new(
                kind("added"),
                area,
                Named {
                    id: id.clone(),
                    name: name.clone(),
                },
            )),
            Some((_, old_name)) if old_name != name => out.push(
                Change::new(
                    kind("renamed"),
                    area,
                    Named {
                        id: id.clone(),
                        name: name.clone(),
                    },
                )
                .field("name")
                .values(Some(old_name.clone()), Some(name.clone())),
            ),
            _ => {}
        }
    }
    for (id, name) in &old_ids {
        if !new_ids.iter().any(|(i, _)| i == id) {
            out.push(Change::new(
                kind("removed"),
                area,
                Named {
                    id: id.clone(),
                    name: name.clone(),
                },
            ));
        }
    }
    // Order of the ids both revisions have.
    let common_old: Vec<&String> = old_ids
        .iter()
        .map(|x| &x.0)
        .filter(|i| new_ids.iter().any(|n| &n.0 == *i))
        .collect();
    let common_new: Vec<&String> = new_ids
        .iter()
        .map(|x| &x.0)
        .filter(|i| old_ids.iter().any(|n| &n.0 == *i))
        .collect();
    if common_old != common_new {
        let names = |v: &[(String, String)]| {
            v.iter()
                .map(|x| x.1.clone())
                .collect::<Vec<_>>()
                .join(" → ")
        };
        out.push(
            Change::new(
                kind("reordered"),
                area,
                Named {
                    id: String::new(),
                    name: format!("{noun}s"),
                },
            )
            .field("order")
            .values(Some(names(&old_ids)), Some(names(&new_ids))),
        );
    }
}

pub(super) fn phases(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let key = |p: &crate::model::Phase| (p.id.value.to_string(), p.name.value.clone());
    ordered(
        &old.config.phases,
        &new.config.phases,
        key,
        "stages",
        "phase",
        out,
    );
}

pub(super) fn stages(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let key = |p: &crate::model::Stage| (p.id.value.to_string(), p.name.value.clone());
    let before = out.len();
    ordered(
        &old.config.stages,
        &new.config.stages,
        key,
        "stages",
        "stage",
        out,
    );
    // A stage added or removed concerns the department that owns (or owned) it.
    for c in out.iter_mut().skip(before) {
        let site = match c.kind {
            "stage.added" => new,
            "stage.removed" => old,
            _ => continue,
        };
        if let Some(owner) = site.stage(&c.subject.id).and_then(|s| s.owner.as_ref()) {
            c.notify_mut(owner.value.as_str());
        }
    }
    for b in &new.config.stages {
        let Some(a) = old.config.stages.iter().find(|a| a.id.value == b.id.value) else {
            continue;
        };
        let subject = Named {
            id: b.id.value.to_string(),
            name: b.name.value.clone(),
        };
        let id_of = |x: &Option<Spanned<Id>>| x.as_ref().map(|v| v.value.to_string());
        let percent = |x: &Option<Spanned<f64>>| {
            x.as_ref()
                .map(|v| format!("{}%", (v.value * 1000.0).round() / 10.0))
        };
        let stage_name = |x: &Option<Spanned<Id>>, site: &Site| {
            x.as_ref().map(|v| {
                site.stage(v.value.as_str())
                    .map_or_else(|| v.value.to_string(), |s| s.name.value.clone())
            })
        };
        for (f, x, y) in [
            ("summary", o(&a.summary), o(&b.summary)),
            ("phase", id_of(&a.phase), id_of(&b.phase)),
            ("owner", id_of(&a.owner), id_of(&b.owner)),
            ("conversion", percent(&a.conversion), percent(&b.conversion)),
            (
                "recycle_to",
                stage_name(&a.recycle_to, old),
                stage_name(&b.recycle_to, new),
            ),
        ] {
            if x != y {
                let mut c = Change::new("stage.changed", "stages", subject.clone())
                    .field(f)
                    .values(x.clone(), y.clone());
                if f == "owner" {
                    // The old and the new owner must both learn of it.
                    for d in [x, y].into_iter().flatten() {
                        c = c.notify(&d);
                    }
                }
                out.push(c);
            }
        }
    }
}

pub(super) fn rows(old: &Site, new: &Site, out: &mut Vec<Change>) {
    let key = |p: &crate::model::Row| (p.id.value.to_string(), p.name.value.clone());
    ordered(
        &old.config.rows,
        &new.config.rows,
        key,
        "stages",
        "row",
        out,
    );
    for b in &new.config.rows {
        let Some(a) = old.config.rows.iter().find(|a| a.id.value == b.id.value) else {
            continue;
        };
        if o(&a.description) != o(&b.description) {
            out.push(
                Change::new(
                    "row.changed",
                    "stages",
                    Named {
                        id: b.id.value.to_string(),
                        name: b.name.value.clone(),
                    },
                )
                .field("description")
                .values(o(&a.description), o(&b.description)),
            );
        }
    }
}
