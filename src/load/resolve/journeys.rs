//! Checks of the journeys: each names an existing persona, its stages and rows are those
//! `tabiji.toml` declares (a name written for an id is pointed out), its tasks name existing
//! departments.

use std::collections::BTreeMap;

use super::{Kind, Resolver, suggest};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::i18n::Text;
use crate::model::{Id, RESERVED_STAGE_KEYS};
use crate::source::Span;
use crate::t;

impl Resolver<'_> {
    pub(super) fn journeys(&self, d: &mut Diagnostics) {
        let rows: Vec<&str> = self
            .site
            .config
            .rows
            .iter()
            .map(|r| r.id.value.as_str())
            .collect();
        let stages_known = self.config_ok && !self.stage_ids.is_empty();
        for j in self.site.journeys.values() {
            self.reference(&j.persona, Kind::Persona, d);
            let mut seen: BTreeMap<&Id, Span> = BTreeMap::new();
            for s in &j.stages {
                let stage = s.stage.value.as_str();
                if let Some(first) = seen.insert(&s.stage.value, s.stage.span) {
                    let line = self.line_of(first);
                    d.push(
                        Diagnostic::error(
                            Code::DuplicateId,
                            t!(
                                "stage `{stage}` appears twice in this journey",
                                "このジャーニーにステージ `{stage}` が 2 回出てきます"
                            ),
                        )
                        .at(s.stage.span)
                        .label(t!("already on line {line}", "{line} 行目にもあります"))
                        .hint(t!(
                            "Unicode-equivalent keys are the same stage; merge the two tables",
                            "Unicode の正規化で同じになるキーは同じステージとして扱います。2 つのテーブルを 1 つにまとめてください"
                        )),
                    );
                }
                if stages_known {
                    if !self.exists(Kind::Stage, stage) {
                        d.push(
                            Diagnostic::error(
                                Code::UnknownKey,
                                t!(
                                    "unknown stage `{stage}` in a journey",
                                    "ジャーニーに `{stage}` というステージはありません"
                                ),
                            )
                            .at(s.stage.span)
                            .label(t!(
                                "not a stage id of tabiji.toml",
                                "tabiji.toml のステージ ID ではありません"
                            ))
                            .maybe_hint(self.hint(Kind::Stage, stage)),
                        );
                    }
                    for cell in &s.cells {
                        let row = cell.row.value.as_str();
                        if rows.is_empty() || rows.contains(&row) {
                            continue;
                        }
                        let candidates = rows.iter().copied().chain(RESERVED_STAGE_KEYS);
                        let hint = self
                            .named(Kind::Row, row)
                            .or_else(|| suggest::did_you_mean(row, candidates))
                            .unwrap_or_else(|| {
                                let list = Text::list(
                                    rows.iter().map(|r| Text::verbatim(format!("`{r}`"))),
                                );
                                t!(
                                    "rows: {list}; also experience, touchpoints, emotion, tasks, notes",
                                    "行 ID: {list}。ほかに experience、touchpoints、emotion、tasks、notes が使えます";
                                    list = list
                                )
                            });
                        d.push(
                            Diagnostic::error(
                                Code::UnknownKey,
                                t!(
                                    "unknown row `{row}` in stage `{stage}`",
                                    "ステージ `{stage}` に `{row}` という行はありません"
                                ),
                            )
                            .at(cell.row.span)
                            .label(t!(
                                "not a row id of tabiji.toml",
                                "tabiji.toml の行 ID ではありません"
                            ))
                            .hint(hint),
                        );
                    }
                }
                for t in &s.tasks {
                    self.reference(&t.department, Kind::Department, d);
                }
            }
        }
    }
}
