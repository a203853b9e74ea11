//! What a reference may name, for the hints of one that names nothing: each kind's ids in
//! the site's own order (stages and rows as `tabiji.toml` lists them, files in folder order,
//! terms as the glossary lists them) and the names of its items, matched in NFKC form
//! without case. Built once, on the first reference to nothing (most loads have none).

use std::collections::{HashMap, HashSet};

use super::super::parse::KnownIds;
use super::super::suggest::{self, NameOf};
use crate::i18n::Text;
use crate::model::{Id, PageRefKind, Site};
use crate::source::FileId;
use crate::t;

/// A kind of thing a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(in crate::load) enum Kind {
    Stage,
    Row,
    Phase,
    Persona,
    Journey,
    Department,
    Playbook,
    Quiz,
    Term,
}

impl Kind {
    pub(in crate::load) fn of(k: PageRefKind) -> Kind {
        match k {
            PageRefKind::Persona => Kind::Persona,
            PageRefKind::Journey => Kind::Journey,
            PageRefKind::Stage => Kind::Stage,
            PageRefKind::Department => Kind::Department,
            PageRefKind::Playbook => Kind::Playbook,
            PageRefKind::Glossary => Kind::Term,
            PageRefKind::Quiz => Kind::Quiz,
        }
    }

    /// "stage", 「ステージ」.
    pub(in crate::load) fn noun(self) -> Text {
        match self {
            Kind::Stage => t!("stage", "ステージ"),
            Kind::Row => t!("row", "行"),
            Kind::Phase => t!("phase", "フェーズ"),
            Kind::Persona => t!("persona", "ペルソナ"),
            Kind::Journey => t!("journey", "ジャーニー"),
            Kind::Department => t!("department", "部門"),
            Kind::Playbook => t!("playbook", "プレイブック"),
            Kind::Quiz => t!("quiz", "クイズ"),
            Kind::Term => t!("glossary term", "用語"),
        }
    }

    /// The ids there are: "known stages: `aware`, `consideration`".
    pub(super) fn known(self, list: Text) -> Text {
        let many = match self {
            Kind::Stage => t!("stages", "ステージ"),
            Kind::Row => t!("rows", "行"),
            Kind::Phase => t!("phases", "フェーズ"),
            Kind::Persona => t!("personas", "ペルソナ"),
            Kind::Journey => t!("journeys", "ジャーニー"),
            Kind::Department => t!("departments", "部門"),
            Kind::Playbook => t!("playbooks", "プレイブック"),
            Kind::Quiz => t!("quizzes", "クイズ"),
            Kind::Term => {
                return t!("known glossary terms: {list}", "用語集の用語: {list}"; list = list);
            }
        };
        t!("known {many}: {list}", "使える{many} ID: {list}"; many = many, list = list)
    }

    /// Under the caret of a reference to nothing: where the ids of this kind come from.
    pub(super) fn label(self) -> Text {
        let noun = self.noun();
        match self {
            Kind::Stage | Kind::Phase | Kind::Row => t!(
                "no {noun} is declared in tabiji.toml with this id",
                "tabiji.toml の{noun} ID ではありません";
                noun = noun
            ),
            Kind::Term => t!(
                "no `[[terms]]` entry has this `term`",
                "glossary.toml のどの `term` とも一致しません"
            ),
            _ => {
                let folder = self.folder();
                t!(
                    "no {noun} has this id in content/{folder}/",
                    "content/{folder}/ の{noun} ID ではありません";
                    noun = noun
                )
            }
        }
    }

    fn folder(self) -> &'static str {
        match self {
            Kind::Persona => "personas",
            Kind::Journey => "journeys",
            Kind::Department => "departments",
            Kind::Playbook => "playbooks",
            Kind::Quiz => "quizzes",
            Kind::Stage | Kind::Row | Kind::Phase | Kind::Term => "",
        }
    }

    const ALL: [Kind; 9] = [
        Kind::Stage,
        Kind::Row,
        Kind::Phase,
        Kind::Persona,
        Kind::Journey,
        Kind::Department,
        Kind::Playbook,
        Kind::Quiz,
        Kind::Term,
    ];
}

/// An item whose name a word is.
pub(super) struct Named<'a> {
    pub id: &'a str,
    pub of: NameOf,
}

/// Every kind's ids in site order, and its items by name.
pub(super) struct Catalog<'a> {
    ids: HashMap<Kind, Vec<&'a str>>,
    names: HashMap<(Kind, String), Named<'a>>,
}

impl<'a> Catalog<'a> {
    pub(super) fn new(site: &'a Site, known: &'a KnownIds) -> Catalog<'a> {
        let c = &site.config;
        let mut cat = Catalog {
            ids: HashMap::new(),
            names: HashMap::new(),
        };
        // Files in folder order (a file that did not parse still has its id).
        let files = |m: &'a std::collections::BTreeMap<Id, FileId>| {
            let mut v: Vec<(&FileId, &'a Id)> = m.iter().map(|(id, f)| (f, id)).collect();
            v.sort();
            v.into_iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>()
        };
        for kind in Kind::ALL {
            let ids: Vec<&str> = match kind {
                Kind::Stage => c.stages.iter().map(|s| s.id.value.as_str()).collect(),
                Kind::Row => c.rows.iter().map(|r| r.id.value.as_str()).collect(),
                Kind::Phase => c.phases.iter().map(|p| p.id.value.as_str()).collect(),
                Kind::Persona => files(&known.personas),
                Kind::Journey => files(&known.journeys),
                Kind::Department => files(&known.departments),
                Kind::Playbook => files(&known.playbooks),
                Kind::Quiz => files(&known.quizzes),
                Kind::Term => site
                    .glossary
                    .iter()
                    .flat_map(|g| g.terms.iter().map(|t| t.term.value.as_str()))
                    .collect(),
            };
            // Each once, where it first appears (a duplicate id is an error of its own).
            let mut seen = HashSet::new();
            let ids = ids.into_iter().filter(|i| seen.insert(*i)).collect();
            cat.ids.insert(kind, ids);
        }
        let name = NameOf::Name;
        let named = c
            .stages
            .iter()
            .map(|s| (Kind::Stage, &s.name.value, &s.id.value, name))
            .chain(
                c.rows
                    .iter()
                    .map(|r| (Kind::Row, &r.name.value, &r.id.value, name)),
            )
            .chain(
                c.phases
                    .iter()
                    .map(|p| (Kind::Phase, &p.name.value, &p.id.value, name)),
            );
        for (kind, word, id, of) in named {
            cat.add(kind, word, id.as_str(), of);
        }
        for p in site.personas.values() {
            cat.add(Kind::Persona, &p.name.value, p.id.as_str(), NameOf::Name);
        }
        for j in site.journeys.values() {
            if let Some(n) = &j.name {
                cat.add(Kind::Journey, &n.value, j.id.as_str(), NameOf::Name);
            }
        }
        for x in site.departments.values() {
            cat.add(Kind::Department, &x.name.value, x.id.as_str(), NameOf::Name);
        }
        for p in site.playbooks.values() {
            cat.add(Kind::Playbook, &p.title.value, p.id.as_str(), NameOf::Title);
        }
        for q in site.quizzes.values() {
            cat.add(Kind::Quiz, &q.title.value, q.id.as_str(), NameOf::Title);
        }
        for t in site.glossary.iter().flat_map(|g| g.terms.iter()) {
            if let Some(r) = &t.reading {
                cat.add(Kind::Term, &r.value, &t.term.value, NameOf::Reading);
            }
        }
        cat
    }

    /// The first item of a name keeps it, as a scan in order would find it.
    fn add(&mut self, kind: Kind, word: &str, id: &'a str, of: NameOf) {
        if word.trim().is_empty() {
            return;
        }
        self.names
            .entry((kind, suggest::key(word.trim())))
            .or_insert(Named { id, of });
    }

    pub(super) fn ids(&self, kind: Kind) -> &[&'a str] {
        self.ids.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The item of `kind` whose name (title, reading) `word` is, in NFKC form without case.
    pub(super) fn named(&self, kind: Kind, word: &str) -> Option<&Named<'a>> {
        self.names.get(&(kind, suggest::key(word.trim())))
    }
}
