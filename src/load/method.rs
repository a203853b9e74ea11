//! The sales method as data: the buying group's roles (`[[roles]]`), qualification
//! frameworks with their letters (`[[frameworks]]`) in tabiji.toml, and the checks that tie
//! them to the content: persona `role`, playbook `qualifies`, stage `conversion` and
//! `recycle_to`, and the coverage of every letter.

use std::collections::BTreeSet;

use super::suggest::closest;
use super::table::{Fields, TomlText};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::shape;
use crate::model::{Framework, Id, Letter, Role, Site, Spanned};

/// `[[roles]]` and `[[frameworks]]` of tabiji.toml; duplicates are reported.
pub(super) fn roles_and_frameworks(
    f: &mut Fields<'_, '_>,
    text: TomlText<'_>,
    d: &mut Diagnostics,
) -> (Vec<Role>, Vec<Framework>) {
    let mut roles: Vec<Role> = Vec::new();
    for (t, span) in f.tables("roles", d) {
        let mut rf = Fields::new(text, t, span, &shape::ROLE);
        let role = Role {
            id: rf.req_id("id", d),
            name: rf.req_str("name", d),
            span,
        };
        rf.finish(d);
        duplicate(roles.iter().map(|r| &r.id), &role.id, "role", d);
        roles.push(role);
    }
    let mut frameworks: Vec<Framework> = Vec::new();
    for (t, span) in f.tables("frameworks", d) {
        let mut ff = Fields::new(text, t, span, &shape::FRAMEWORK);
        let id = ff.req_id("id", d);
        let name = ff.req_str("name", d);
        let mut letters: Vec<Letter> = Vec::new();
        for (lt, lspan) in ff.tables("letters", d) {
            let mut lf = Fields::new(text, lt, lspan, &shape::LETTER);
            let letter = Letter {
                id: lf.req_id("id", d),
                name: lf.req_str("name", d),
            };
            lf.finish(d);
            duplicate(letters.iter().map(|l| &l.id), &letter.id, "letter", d);
            letters.push(letter);
        }
        if letters.is_empty() {
            d.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("framework `{}` has no letters", id.value),
                )
                .at(span)
                .hint("add `letters = [{ id = \"b\", name = \"Budget\" }, …]`, in order"),
            );
        }
        ff.finish(d);
        duplicate(frameworks.iter().map(|x| &x.id), &id, "framework", d);
        frameworks.push(Framework {
            id,
            name,
            letters,
            span,
        });
    }
    (roles, frameworks)
}

fn duplicate<'a>(
    seen: impl Iterator<Item = &'a Spanned<Id>>,
    id: &Spanned<Id>,
    what: &str,
    d: &mut Diagnostics,
) {
    if id.value.as_str().is_empty() {
        return;
    }
    let seen: Vec<&Spanned<Id>> = seen.collect();
    if let Some(first) = seen.iter().find(|s| s.value == id.value) {
        d.push(
            Diagnostic::error(
                Code::DuplicateId,
                format!("{what} `{}` is declared twice", id.value),
            )
            .at(id.span)
            .label("declared again here")
            .hint(format!(
                "the first `{}` is at {}",
                id.value, first.span.start
            )),
        );
    }
}

/// Persona roles, playbook letters, conversions and recycling, checked against the
/// declarations.
pub(super) fn check(site: &Site, d: &mut Diagnostics) {
    let c = &site.config;
    if !c.roles.is_empty() {
        let ids: Vec<&str> = c.roles.iter().map(|r| r.id.value.as_str()).collect();
        for p in site.personas.values() {
            let Some(role) = &p.role else { continue };
            if c.role(&role.value).is_some() {
                continue;
            }
            let mut diag = Diagnostic::error(
                Code::UnknownReference,
                format!("unknown role `{}`", role.value),
            )
            .at(role.span)
            .label("not one of the roles in tabiji.toml");
            diag = match c.roles.iter().find(|r| r.name.value == role.value.trim()) {
                Some(r) => diag.hint(format!(
                    "this is the name of a role; write its id: role = \"{}\"",
                    r.id.value
                )),
                None => match closest(&role.value, ids.iter().copied()) {
                    Some(s) => diag.hint(format!("did you mean `{s}`? roles: {}", ids.join(", "))),
                    None => diag.hint(format!("roles declared in tabiji.toml: {}", ids.join(", "))),
                },
            };
            d.push(diag);
        }
    }
    for p in site.playbooks.values() {
        for q in &p.qualifies {
            check_letter(site, q, d);
        }
    }
    for (i, s) in c.stages.iter().enumerate() {
        let Some(to) = &s.recycle_to else { continue };
        match c.stages.iter().position(|x| x.id.value == to.value) {
            Some(j) if j < i => {}
            Some(_) => d.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("stage `{}` recycles to `{}`, which is not an earlier stage", s.id.value, to.value),
                )
                .at(to.span)
                .hint("`recycle_to` names a stage before this one, where stalled or lost customers are nurtured again"),
            ),
            None => {
                let earlier: Vec<&str> = c.stages[..i].iter().map(|x| x.id.value.as_str()).collect();
                let mut diag = Diagnostic::error(Code::UnknownReference, format!("unknown stage `{}`", to.value))
                    .at(to.span);
                if let Some(sug) = closest(to.value.as_str(), earlier.iter().copied()) {
                    diag = diag.hint(format!("did you mean `{sug}`?"));
                } else if !earlier.is_empty() {
                    diag = diag.hint(format!("earlier stages: {}", earlier.join(", ")));
                }
                d.push(diag);
            }
        }
    }
}

/// A playbook's `"<framework>.<letter>"`.
fn check_letter(site: &Site, q: &Spanned<String>, d: &mut Diagnostics) {
    let c = &site.config;
    let Some((fw, letter)) = q.value.split_once('.') else {
        d.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`{}` does not name a framework letter", q.value),
            )
            .at(q.span)
            .hint("write \"<framework id>.<letter id>\", e.g. \"meddic.e\""),
        );
        return;
    };
    let Some(framework) = c.frameworks.iter().find(|f| f.id.value.as_str() == fw) else {
        let ids: Vec<&str> = c.frameworks.iter().map(|f| f.id.value.as_str()).collect();
        let mut diag =
            Diagnostic::error(Code::UnknownReference, format!("unknown framework `{fw}`"))
                .at(q.span);
        diag = match closest(fw, ids.iter().copied()) {
            Some(s) => diag.hint(format!("did you mean `{s}.{letter}`?")),
            None if ids.is_empty() => {
                diag.hint("declare it in tabiji.toml: [[frameworks]] with id, name and letters")
            }
            None => diag.hint(format!("frameworks: {}", ids.join(", "))),
        };
        d.push(diag);
        return;
    };
    if framework
        .letters
        .iter()
        .any(|l| l.id.value.as_str() == letter)
    {
        return;
    }
    let letters: Vec<&str> = framework
        .letters
        .iter()
        .map(|l| l.id.value.as_str())
        .collect();
    let mut diag = Diagnostic::error(
        Code::UnknownReference,
        format!("`{fw}` has no letter `{letter}`"),
    )
    .at(q.span);
    diag = match closest(letter, letters.iter().copied()) {
        Some(s) => diag.hint(format!(
            "did you mean `{fw}.{s}`? letters of {}: {}",
            framework.name.value,
            letters.join(", ")
        )),
        None => diag.hint(format!(
            "letters of {}: {}",
            framework.name.value,
            letters.join(", ")
        )),
    };
    d.push(diag);
}

/// Warns about every letter no playbook covers; returns, per framework, how many letters
/// some playbook covers.
pub(super) fn letter_coverage(site: &Site, d: &mut Diagnostics) -> Vec<(String, usize, usize)> {
    let covered: BTreeSet<&str> = site
        .playbooks
        .values()
        .flat_map(|p| p.qualifies.iter().map(|q| q.value.as_str()))
        .collect();
    let mut out = Vec::new();
    for f in &site.config.frameworks {
        let mut n = 0;
        for l in &f.letters {
            if covered.contains(format!("{}.{}", f.id.value, l.id.value).as_str()) {
                n += 1;
            } else {
                d.push(
                    Diagnostic::warning(
                        Code::LetterUncovered,
                        format!(
                            "no playbook covers {} `{}` ({})",
                            f.name.value, l.id.value, l.name.value
                        ),
                    )
                    .at(l.id.span)
                    .hint(format!(
                        "add `qualifies = [\"{}.{}\"]` to the playbook whose questions cover it",
                        f.id.value, l.id.value
                    )),
                );
            }
        }
        out.push((f.id.value.to_string(), n, f.letters.len()));
    }
    out
}
