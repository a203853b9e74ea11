//! Cross-file checks: every reference names something that exists, ids are unique, rows and
//! stages are what `tabiji.toml` declares.

use std::collections::{BTreeMap, BTreeSet};

use super::links::LinkRef;
use super::parse::KnownIds;
use super::suggest;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, PageRefKind, RESERVED_STAGE_KEYS, Site, Spanned, term_key};
use crate::source::{FileId, SourceMap, Span};

pub(super) fn resolve<'l>(
    site: &Site,
    known: &KnownIds,
    config_ok: bool,
    unreadable: &BTreeSet<FileId>,
    links: impl Iterator<Item = &'l LinkRef>,
    sources: &SourceMap,
    d: &mut Diagnostics,
) {
    let term_keys = site
        .glossary
        .iter()
        .flat_map(|g| g.terms.iter())
        .map(|t| term_key(&t.term.value))
        .collect();
    let r = Resolver {
        site,
        known,
        config_ok,
        unreadable,
        sources,
        term_keys,
    };
    if config_ok {
        r.config(d);
    }
    r.journeys(d);
    r.departments(d);
    r.playbooks(d);
    r.glossary(d);
    r.onboarding(d);
    for l in links {
        r.link(l, d);
    }
}

struct Resolver<'a> {
    site: &'a Site,
    known: &'a KnownIds,
    config_ok: bool,
    /// Files that could not be parsed: what they say is unknown, so no follow-up reports.
    unreadable: &'a BTreeSet<FileId>,
    sources: &'a SourceMap,
    /// Glossary terms as links match them, computed once.
    term_keys: BTreeSet<String>,
}

impl Resolver<'_> {
    fn line_of(&self, span: Span) -> usize {
        self.sources.get(span.file).line(span.start as usize)
    }

    /// Report a reference to an id of `kind` that does not exist.
    /// [`Self::reference`] for ids kept in a map: a lookup, not a scan (a site has thousands).
    fn reference_in(
        &self,
        r: &Spanned<Id>,
        noun: &str,
        known: &BTreeMap<Id, FileId>,
        where_: &str,
        d: &mut Diagnostics,
    ) {
        if !known.contains_key(&r.value) {
            self.reference(r, noun, known.keys(), where_, d);
        }
    }

    fn reference<'k>(
        &self,
        r: &Spanned<Id>,
        noun: &str,
        known: impl IntoIterator<Item = &'k Id> + Clone,
        where_: &str,
        d: &mut Diagnostics,
    ) {
        if r.value.as_str().is_empty() || known.clone().into_iter().any(|k| k == &r.value) {
            return;
        }
        let hint =
            suggest::did_you_mean(r.value.as_str(), known.clone().into_iter().map(Id::as_str))
                .or_else(|| {
                    let mut all: Vec<&str> = known.into_iter().map(Id::as_str).collect();
                    all.sort_unstable();
                    all.dedup();
                    if all.is_empty() {
                        None
                    } else if all.len() <= 12 {
                        Some(format!(
                            "known {noun}s: {}",
                            all.iter()
                                .map(|a| format!("`{a}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    } else {
                        None
                    }
                });
        d.push(
            Diagnostic::error(
                Code::UnknownReference,
                format!("unknown {noun} `{}`", r.value),
            )
            .at(r.span)
            .label(format!("no {noun} {where_}"))
            .maybe_hint(hint),
        );
    }

    fn stage_ids(&self) -> Vec<&Id> {
        self.site
            .config
            .stages
            .iter()
            .map(|s| &s.id.value)
            .collect()
    }

    fn config(&self, d: &mut Diagnostics) {
        let c = &self.site.config;
        self.unique(c.phases.iter().map(|p| &p.id), "phase", d);
        self.unique(c.stages.iter().map(|s| &s.id), "stage", d);
        self.unique(c.rows.iter().map(|r| &r.id), "row", d);
        for row in &c.rows {
            if RESERVED_STAGE_KEYS.contains(&row.id.value.as_str()) {
                d.push(
                    Diagnostic::error(Code::ReservedRowId, format!("`{}` cannot be a row id", row.id.value))
                        .at(row.id.span)
                        .label("reserved for the seller's side of a journey stage")
                        .hint("experience, touchpoints, emotion, tasks and notes are reserved; pick another id, e.g. `customer_experience`"),
                );
            }
        }
        let phases: Vec<&Id> = c.phases.iter().map(|p| &p.id.value).collect();
        for stage in &c.stages {
            if let Some(p) = &stage.phase {
                if phases.is_empty() {
                    d.push(
                        Diagnostic::error(
                            Code::UnknownReference,
                            format!("unknown phase `{}`", p.value),
                        )
                        .at(p.span)
                        .label("no phase is declared")
                        .hint(format!(
                            "declare it: `[[phases]]` with `id = \"{}\"` and a `name`",
                            p.value
                        )),
                    );
                } else {
                    self.reference(
                        p,
                        "phase",
                        phases.iter().copied(),
                        "is declared in tabiji.toml with this id",
                        d,
                    );
                }
            }
            if let Some(o) = &stage.owner {
                self.reference_in(
                    o,
                    "department",
                    &self.known.departments,
                    "has this id in content/departments/",
                    d,
                );
            }
        }
    }

    fn unique<'b>(
        &self,
        ids: impl Iterator<Item = &'b Spanned<Id>>,
        noun: &str,
        d: &mut Diagnostics,
    ) {
        let mut seen: BTreeMap<&Id, Span> = BTreeMap::new();
        for id in ids {
            if id.value.as_str().is_empty() {
                continue;
            }
            if let Some(first) = seen.get(&id.value) {
                d.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("duplicate {noun} id `{}`", id.value),
                    )
                    .at(id.span)
                    .label(format!(
                        "already the id of the {noun} on line {}",
                        self.line_of(*first)
                    ))
                    .hint(format!("every {noun} needs its own id")),
                );
            } else {
                seen.insert(&id.value, id.span);
            }
        }
    }

    fn journeys(&self, d: &mut Diagnostics) {
        let stages = self.stage_ids();
        let rows: Vec<&str> = self
            .site
            .config
            .rows
            .iter()
            .map(|r| r.id.value.as_str())
            .collect();
        for j in self.site.journeys.values() {
            self.reference_in(
                &j.persona,
                "persona",
                &self.known.personas,
                "has this id in content/personas/",
                d,
            );
            let mut seen: BTreeMap<&Id, Span> = BTreeMap::new();
            for s in &j.stages {
                if let Some(first) = seen.insert(&s.stage.value, s.stage.span) {
                    d.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            format!("stage `{}` appears twice in this journey", s.stage.value),
                        )
                        .at(s.stage.span)
                        .label(format!("already on line {}", self.line_of(first)))
                        .hint("Unicode-equivalent keys are the same stage; merge the two tables"),
                    );
                }
                if self.config_ok && !stages.is_empty() {
                    if !stages.contains(&&s.stage.value) {
                        let hint = suggest::did_you_mean(
                            s.stage.value.as_str(),
                            stages.iter().map(|s| s.as_str()),
                        )
                        .or_else(|| {
                            by_name(
                                s.stage.value.as_str(),
                                self.site
                                    .config
                                    .stages
                                    .iter()
                                    .map(|x| (x.id.value.as_str(), x.name.value.as_str())),
                                "stage",
                            )
                        });
                        d.push(
                            Diagnostic::error(
                                Code::UnknownKey,
                                format!("unknown stage `{}` in a journey", s.stage.value),
                            )
                            .at(s.stage.span)
                            .label("not a stage id of tabiji.toml")
                            .maybe_hint(hint),
                        );
                    }
                    for cell in &s.cells {
                        if rows.is_empty() || rows.contains(&cell.row.value.as_str()) {
                            continue;
                        }
                        let candidates = rows.iter().copied().chain(RESERVED_STAGE_KEYS);
                        let hint = suggest::did_you_mean(cell.row.value.as_str(), candidates)
                            .or_else(|| {
                                by_name(
                                    cell.row.value.as_str(),
                                    self.site
                                        .config
                                        .rows
                                        .iter()
                                        .map(|x| (x.id.value.as_str(), x.name.value.as_str())),
                                    "row",
                                )
                            })
                            .unwrap_or_else(|| {
                                format!(
                                    "rows: {}; also experience, touchpoints, emotion, tasks, notes",
                                    rows.iter()
                                        .map(|r| format!("`{r}`"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            });
                        d.push(
                            Diagnostic::error(
                                Code::UnknownKey,
                                format!(
                                    "unknown row `{}` in stage `{}`",
                                    cell.row.value, s.stage.value
                                ),
                            )
                            .at(cell.row.span)
                            .label("not a row id of tabiji.toml")
                            .hint(hint),
                        );
                    }
                }
                for t in &s.tasks {
                    self.reference_in(
                        &t.department,
                        "department",
                        &self.known.departments,
                        "has this id in content/departments/",
                        d,
                    );
                }
            }
        }
    }

    fn departments(&self, d: &mut Diagnostics) {
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

    fn playbooks(&self, d: &mut Diagnostics) {
        let stages = self.stage_ids();
        for p in self.site.playbooks.values() {
            if self.config_ok && !stages.is_empty() {
                self.reference(
                    &p.stage,
                    "stage",
                    stages.iter().copied(),
                    "is declared in tabiji.toml with this id",
                    d,
                );
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

    fn glossary(&self, d: &mut Diagnostics) {
        let Some(g) = &self.site.glossary else { return };
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        for t in &g.terms {
            if t.term.value.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert(term_key(&t.term.value), t.term.span) {
                d.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("the term `{}` is defined twice", t.term.value),
                    )
                    .at(t.term.span)
                    .label(format!("already defined on line {}", self.line_of(first)))
                    .hint(
                        "terms are matched ignoring case and Unicode form; merge the two entries",
                    ),
                );
            }
        }
    }

    fn onboarding(&self, d: &mut Diagnostics) {
        let Some(o) = &self.site.onboarding else {
            return;
        };
        for step in &o.steps {
            for page in &step.pages {
                let kind = page.value.kind;
                match &page.value.id {
                    None => {
                        if self.site.glossary.is_none() && self.known.glossary.is_none() {
                            d.push(
                                Diagnostic::error(
                                    Code::UnknownReference,
                                    "the glossary page does not exist",
                                )
                                .at(page.span)
                                .hint("create content/glossary.toml or remove this page"),
                            );
                        }
                    }
                    Some(id) => {
                        let r = Spanned::new(id.clone(), page.span);
                        self.check_kind(kind, &r, d);
                    }
                }
            }
        }
    }

    fn check_kind(&self, kind: PageRefKind, r: &Spanned<Id>, d: &mut Diagnostics) {
        match kind {
            PageRefKind::Persona => self.reference_in(
                r,
                "persona",
                &self.known.personas,
                "has this id in content/personas/",
                d,
            ),
            PageRefKind::Journey => self.reference_in(
                r,
                "journey",
                &self.known.journeys,
                "has this id in content/journeys/",
                d,
            ),
            PageRefKind::Department => self.reference_in(
                r,
                "department",
                &self.known.departments,
                "has this id in content/departments/",
                d,
            ),
            PageRefKind::Playbook => self.reference_in(
                r,
                "playbook",
                &self.known.playbooks,
                "has this id in content/playbooks/",
                d,
            ),
            PageRefKind::Stage => {
                if self.config_ok && !self.site.config.stages.is_empty() {
                    self.reference(
                        r,
                        "stage",
                        self.stage_ids(),
                        "is declared in tabiji.toml with this id",
                        d,
                    )
                }
            }
            PageRefKind::Glossary => {}
        }
    }

    fn link(&self, l: &LinkRef, d: &mut Diagnostics) {
        // Fast path, without allocating: an ASCII target is already in NFC, and most links
        // of a large site resolve.
        if l.target.is_ascii() && !l.target.is_empty() {
            let t = l.target.as_str();
            let found = match l.kind {
                PageRefKind::Persona => self.known.personas.contains_key(t),
                PageRefKind::Journey => self.known.journeys.contains_key(t),
                PageRefKind::Department => self.known.departments.contains_key(t),
                PageRefKind::Playbook => self.known.playbooks.contains_key(t),
                PageRefKind::Stage => self
                    .site
                    .config
                    .stages
                    .iter()
                    .any(|s| s.id.value.as_str() == t),
                PageRefKind::Glossary => {
                    !t.bytes().any(|b| b.is_ascii_uppercase()) && self.term_keys.contains(t)
                }
            };
            if found {
                return;
            }
        }
        if l.kind == PageRefKind::Glossary && l.target.trim().is_empty() {
            d.push(
                Diagnostic::error(Code::BrokenLink, "`glossary:` link without a term")
                    .at(l.span)
                    .hint("write `glossary:TERM`, with the term as written in glossary.toml"),
            );
            return;
        }
        if l.kind != PageRefKind::Glossary {
            let target = Spanned::new(Id::lookup(&l.target), l.span);
            if target.value.as_str().is_empty() {
                d.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        format!("`{}:` link without an id", l.kind.link_scheme()),
                    )
                    .at(l.span)
                    .hint(format!("write `{}:ID`", l.kind.link_scheme())),
                );
                return;
            }
            let mut sub = Diagnostics::default();
            self.check_kind(l.kind, &target, &mut sub);
            for mut diag in sub.iter().cloned() {
                diag.code = Code::BrokenLink;
                diag.message = format!("link to an unknown {} `{}`", l.kind.noun(), l.target);
                d.push(diag);
            }
            return;
        }
        if self
            .known
            .glossary
            .is_some_and(|f| self.unreadable.contains(&f))
        {
            return;
        }
        let Some(g) = &self.site.glossary else {
            if self.known.glossary.is_none() {
                d.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        format!(
                            "link to the glossary term `{}`, but there is no glossary",
                            l.target
                        ),
                    )
                    .at(l.span)
                    .hint("create content/glossary.toml with a `[[terms]]` entry for it"),
                );
            }
            return;
        };
        let key = term_key(&l.target);
        if self.term_keys.contains(&key) {
            return;
        }
        let terms: BTreeSet<&str> = g.terms.iter().map(|t| t.term.value.as_str()).collect();
        d.push(
            Diagnostic::error(
                Code::BrokenLink,
                format!("link to an unknown glossary term `{}`", l.target),
            )
            .at(l.span)
            .label("no `[[terms]]` entry has this `term`")
            .maybe_hint(suggest::did_you_mean(&l.target, terms.iter().copied())),
        );
    }
}

/// A hint for a key written as the display name (`課題`) instead of the id (`problem`).
fn by_name<'a>(
    key: &str,
    items: impl Iterator<Item = (&'a str, &'a str)>,
    noun: &str,
) -> Option<String> {
    let key = term_key(key);
    for (id, name) in items {
        if term_key(name) == key {
            return Some(format!(
                "`{name}` is the name of {noun} `{id}`; keys are ids: write `{id}`"
            ));
        }
    }
    None
}
