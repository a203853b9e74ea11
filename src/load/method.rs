//! The sales method as data: the buying group's roles (`[[roles]]`), qualification
//! frameworks with their letters (`[[frameworks]]`) in tabiji.toml, and the checks that tie
//! them to the content: persona `role`, playbook `qualifies`, stage `conversion` and
//! `recycle_to`, and the coverage of every letter.

use std::collections::BTreeSet;

use super::suggest::{self, closest};
use super::table::{Fields, TomlText};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::Text;
use crate::model::shape;
use crate::model::{Framework, Id, Letter, Role, Site, Spanned};
use crate::t;

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
        duplicate(
            text,
            roles.iter().map(|r| &r.id),
            &role.id,
            t!("role", "ロール"),
            d,
        );
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
            duplicate(
                text,
                letters.iter().map(|l| &l.id),
                &letter.id,
                t!("letter", "フレームワークの項目"),
                d,
            );
            letters.push(letter);
        }
        if letters.is_empty() {
            let v = &id.value;
            d.push(
                Diagnostic::error(
                    Code::MissingField,
                    t!(
                        "framework `{v}` has no letters",
                        "フレームワーク `{v}` に文字（`letters`）がありません"
                    ),
                )
                .at(span)
                .hint(t!(
                    "add `letters = [{{ id = \"b\", name = \"Budget\" }}, …]`, in order",
                    "`letters = [{{ id = \"b\", name = \"Budget\" }}, …]` を順番どおりに追加してください"
                )),
            );
        }
        ff.finish(d);
        duplicate(
            text,
            frameworks.iter().map(|x| &x.id),
            &id,
            t!("framework", "フレームワーク"),
            d,
        );
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
    text: TomlText<'_>,
    seen: impl Iterator<Item = &'a Spanned<Id>>,
    id: &Spanned<Id>,
    what: Text,
    d: &mut Diagnostics,
) {
    if id.value.as_str().is_empty() {
        return;
    }
    let seen: Vec<&Spanned<Id>> = seen.collect();
    if let Some(first) = seen.iter().find(|s| s.value == id.value) {
        let v = &id.value;
        let at = (first.span.start as usize).saturating_sub(text.base);
        let line = text.src.get(..at).unwrap_or("").matches('\n').count() + 1;
        d.push(
            Diagnostic::error(
                Code::DuplicateId,
                t!(
                    "{what} `{v}` is declared twice",
                    "{what} `{v}` が 2 回宣言されています";
                    what = what
                ),
            )
            .at(id.span)
            .label(t!("declared again here", "2 回目の宣言"))
            .hint(t!(
                "the first `{v}` is on line {line}",
                "最初の `{v}` は {line} 行目にあります"
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
            let v = &role.value;
            let mut diag = Diagnostic::error(
                Code::UnknownReference,
                t!("unknown role `{v}`", "ロール `{v}` はありません"),
            )
            .at(role.span)
            .label(t!(
                "not one of the roles in tabiji.toml",
                "tabiji.toml のロールにありません"
            ));
            let roles = Text::list(ids.iter().map(|i| Text::verbatim(*i)));
            let written = suggest::key(&role.value);
            diag = match c
                .roles
                .iter()
                .find(|r| suggest::key(&r.name.value) == written)
            {
                Some(r) => diag.hint(suggest::name_for_id(
                    &role.value,
                    suggest::NameOf::Name,
                    &t!("role", "ロール"),
                    r.id.value.as_str(),
                )),
                None => match closest(&role.value, ids.iter().copied()) {
                    Some(s) => diag.hint(t!(
                        "{q} Roles: {roles}",
                        "{q}使えるロール: {roles}";
                        q = suggest::suggestion(s),
                        roles = roles
                    )),
                    None => diag.hint(t!(
                        "roles declared in tabiji.toml: {roles}",
                        "tabiji.toml で宣言したロール: {roles}";
                        roles = roles
                    )),
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
            Some(_) => {
                let (from, to_id) = (&s.id.value, &to.value);
                d.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        t!(
                            "stage `{from}` recycles to `{to_id}`, which is not an earlier stage",
                            "ステージ `{from}` の `recycle_to` の `{to_id}` は、これより前のステージではありません"
                        ),
                    )
                    .at(to.span)
                    .hint(t!(
                        "`recycle_to` names a stage before this one, where stalled or lost customers are nurtured again",
                        "`recycle_to` には、停滞したり失注したりした顧客をもう一度育てる、このステージより前のステージを指定します"
                    )),
                )
            }
            None => {
                let earlier: Vec<&str> =
                    c.stages[..i].iter().map(|x| x.id.value.as_str()).collect();
                let to_id = &to.value;
                let mut diag = Diagnostic::error(
                    Code::UnknownReference,
                    t!("unknown stage `{to_id}`", "ステージ `{to_id}` はありません"),
                )
                .at(to.span);
                if let Some(sug) = closest(to.value.as_str(), earlier.iter().copied()) {
                    diag = diag.hint(suggest::suggestion(sug));
                } else if !earlier.is_empty() {
                    let list = Text::list(earlier.iter().map(|e| Text::verbatim(*e)));
                    diag = diag.hint(t!(
                        "earlier stages: {list}",
                        "これより前のステージ: {list}";
                        list = list
                    ));
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
        let v = &q.value;
        d.push(
            Diagnostic::error(
                Code::InvalidValue,
                t!(
                    "`{v}` does not name a framework letter",
                    "`{v}` はフレームワークの項目を指していません"
                ),
            )
            .at(q.span)
            .hint(t!(
                "write \"<framework id>.<letter id>\", e.g. \"meddic.e\"",
                "\"<フレームワーク ID>.<文字 ID>\" の形で書いてください。例: \"meddic.e\""
            )),
        );
        return;
    };
    let Some(framework) = c.frameworks.iter().find(|f| f.id.value.as_str() == fw) else {
        let ids: Vec<&str> = c.frameworks.iter().map(|f| f.id.value.as_str()).collect();
        let mut diag = Diagnostic::error(
            Code::UnknownReference,
            t!(
                "unknown framework `{fw}`",
                "フレームワーク `{fw}` はありません"
            ),
        )
        .at(q.span);
        diag = match closest(fw, ids.iter().copied()) {
            Some(s) => diag.hint(suggest::suggestion(&format!("{s}.{letter}"))),
            None if ids.is_empty() => diag.hint(t!(
                "declare it in tabiji.toml: [[frameworks]] with id, name and letters",
                "tabiji.toml に `id`・`name`・`letters` を書いた `[[frameworks]]` を追加してください"
            )),
            None => {
                let list = Text::list(ids.iter().map(|i| Text::verbatim(*i)));
                diag.hint(t!("frameworks: {list}", "フレームワーク: {list}"; list = list))
            }
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
        t!(
            "`{fw}` has no letter `{letter}`",
            "`{fw}` に項目 `{letter}` はありません"
        ),
    )
    .at(q.span);
    let name = &framework.name.value;
    let list = Text::list(letters.iter().map(|l| Text::verbatim(*l)));
    diag = match closest(letter, letters.iter().copied()) {
        Some(s) => diag.hint(t!(
            "{q} Letters of {name}: {list}",
            "{q}{name} の項目: {list}";
            q = suggest::suggestion(&format!("{fw}.{s}")),
            list = list
        )),
        None => diag.hint(t!(
            "letters of {name}: {list}",
            "{name} の項目: {list}";
            list = list
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
                let (fname, fid) = (&f.name.value, &f.id.value);
                let (lname, lid) = (&l.name.value, &l.id.value);
                d.push(
                    Diagnostic::warning(
                        Code::LetterUncovered,
                        t!(
                            "no playbook covers {fname} `{lid}` ({lname})",
                            "{fname} の `{lid}`（{lname}）を扱うプレイブックがありません"
                        ),
                    )
                    .at(l.id.span)
                    .hint(t!(
                        "add `qualifies = [\"{fid}.{lid}\"]` to the playbook whose questions cover it",
                        "これを確かめる質問を載せたプレイブックに `qualifies = [\"{fid}.{lid}\"]` を追加してください"
                    )),
                );
            }
        }
        out.push((f.id.value.to_string(), n, f.letters.len()));
    }
    out
}
