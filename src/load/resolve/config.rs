//! Checks of `tabiji.toml` itself: phase, stage and row ids unique, rows not named as a
//! stage's reserved keys, stages in declared phases and owned by existing departments.

use std::collections::BTreeMap;

use super::{Kind, Resolver};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Id, RESERVED_STAGE_KEYS, Spanned};
use crate::source::Span;
use crate::t;

impl Resolver<'_> {
    pub(super) fn config(&self, d: &mut Diagnostics) {
        let c = &self.site.config;
        self.unique(c.phases.iter().map(|p| &p.id), Kind::Phase, d);
        self.unique(c.stages.iter().map(|s| &s.id), Kind::Stage, d);
        self.unique(c.rows.iter().map(|r| &r.id), Kind::Row, d);
        for row in &c.rows {
            let id = &row.id.value;
            if RESERVED_STAGE_KEYS.contains(&id.as_str()) {
                d.push(
                    Diagnostic::error(
                        Code::ReservedRowId,
                        t!("`{id}` cannot be a row id", "`{id}` は行 ID に使えません"),
                    )
                    .at(row.id.span)
                    .label(t!(
                        "reserved for the seller's side of a journey stage",
                        "ステージの売り手側の項目として予約済み"
                    ))
                    .hint(t!(
                        "experience, touchpoints, emotion, tasks and notes are reserved; pick another id, e.g. `customer_experience`",
                        "experience、touchpoints、emotion、tasks、notes は予約されています。`customer_experience` のように別の ID にしてください"
                    )),
                );
            }
        }
        for stage in &c.stages {
            if let Some(p) = &stage.phase
                && let Some(diag) = self.unknown(p, Kind::Phase)
            {
                let id = &p.value;
                d.push(if c.phases.is_empty() {
                    diag.label(t!(
                        "no phase is declared",
                        "tabiji.toml にフェーズがありません"
                    ))
                    .hint(t!(
                        "declare it: `[[phases]]` with `id = \"{id}\"` and a `name`",
                        "`[[phases]]` に `id = \"{id}\"` と `name` を書いて宣言してください"
                    ))
                } else {
                    diag
                });
            }
            if let Some(o) = &stage.owner {
                self.reference(o, Kind::Department, d);
            }
        }
    }

    fn unique<'b>(
        &self,
        ids: impl Iterator<Item = &'b Spanned<Id>>,
        kind: Kind,
        d: &mut Diagnostics,
    ) {
        let noun = kind.noun();
        let mut seen: BTreeMap<&Id, Span> = BTreeMap::new();
        // Stage ids are folder names (`stages/<id>/`): ids differing only in case would be
        // one folder on macOS and Windows.
        let mut folded: std::collections::HashMap<String, Span> = Default::default();
        for id in ids {
            if id.value.as_str().is_empty() {
                continue;
            }
            let lower = id.value.as_str().to_lowercase();
            let v = &id.value;
            match folded.get(&lower) {
                Some(first) if kind == Kind::Stage && !seen.contains_key(&id.value) => {
                    let line = self.line_of(*first);
                    d.push(
                        Diagnostic::warning(
                            Code::CaseClash,
                            t!(
                                "the {noun} id `{v}` differs from another only in letter case",
                                "{noun} ID `{v}` は、ほかの ID と大文字・小文字しか違いません";
                                noun = noun
                            ),
                        )
                        .at(id.span)
                        .label(t!(
                            "like the {noun} on line {line}",
                            "{line} 行目の{noun}と紛らわしい ID";
                            noun = noun
                        ))
                        .hint(super::super::table::case_clash_hint(&t!(
                            "the {noun} on line {line}",
                            " {line} 行目の{noun}";
                            noun = noun
                        ))),
                    )
                }
                Some(_) => {}
                None => {
                    folded.insert(lower, id.span);
                }
            }
            if let Some(first) = seen.get(&id.value) {
                let line = self.line_of(*first);
                d.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        t!("duplicate {noun} id `{v}`", "{noun} ID `{v}` が重複しています"; noun = noun),
                    )
                    .at(id.span)
                    .label(t!(
                        "already the id of the {noun} on line {line}",
                        "{line} 行目の{noun}と同じ ID";
                        noun = noun
                    ))
                    .hint(t!(
                        "every {noun} needs its own id",
                        "{noun}ごとに別の ID を付けてください";
                        noun = noun
                    )),
                );
            } else {
                seen.insert(&id.value, id.span);
            }
        }
    }
}
