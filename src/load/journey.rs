//! `content/journeys/<id>.toml`: one persona's journey, a table per stage.

use toml::de::DeValue;

use super::links::LinkRef;
use super::pages::scan_toml_string;
use super::table::{Fields, TomlText, type_name};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::shape;
use crate::model::{Cell, Id, Journey, JourneyStage, Spanned, Task};
use crate::source::{FileId, Span};
use crate::t;

pub fn parse(
    id: Id,
    file: FileId,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> Journey {
    let text = TomlText { file, base: 0, src };
    let anchor = Span::file_start(file);
    let mut j = Journey {
        id,
        file,
        persona: Spanned::new(Id::lookup(""), anchor),
        name: None,
        upkeep: Default::default(),
        stages: Vec::new(),
    };
    let Some(table) = text.parse(d) else { return j };
    let mut f = Fields::new(text, &table, anchor, &shape::JOURNEY);
    j.persona = f.req_ref("persona", d);
    j.name = f.opt_str("name", d);
    j.upkeep = f.upkeep(d);
    if let Some((stages, _)) = f.opt_table("stages", d) {
        for (key, value) in stages.iter() {
            let stage_id = Spanned::new(Id::lookup(key.get_ref()), text.span(key.span()));
            let DeValue::Table(t) = value.get_ref() else {
                let k = key.get_ref();
                d.push(
                    Diagnostic::error(
                        Code::WrongType,
                        t!(
                            "`stages.{k}` must be a table of rows",
                            "`stages.{k}` は行のテーブルで指定してください"
                        ),
                    )
                    .at(text.span(value.span()))
                    .hint(t!(
                        "write `[stages.{k}]` and one `row_id = \"…\"` line per row",
                        "`[stages.{k}]` と書き、その下に行ごとに `row_id = \"…\"` を 1 行ずつ書いてください"
                    )),
                );
                continue;
            };
            let span = text.span(value.span());
            j.stages.push(stage(text, t, stage_id, span, src, links, d));
        }
    }
    f.finish(d);
    j
}

fn stage(
    text: TomlText<'_>,
    t: &toml::de::DeTable<'_>,
    stage_id: Spanned<Id>,
    span: Span,
    src: &str,
    links: &mut Vec<LinkRef>,
    d: &mut Diagnostics,
) -> JourneyStage {
    let mut f = Fields::new(text, t, span, &shape::JOURNEY_STAGE);
    let experience = f.opt_str("experience", d);
    let touchpoints = f.str_list("touchpoints", d);
    let emotion = f.opt_int("emotion", d).and_then(|e| {
        if (-2..=2).contains(&e.value) {
            Some(Spanned::new(e.value as i8, e.span))
        } else {
            d.push(
                Diagnostic::error(
                    Code::EmotionRange,
                    t!(
                        "emotion {v} is out of range",
                        "`emotion` の {v} は範囲外です";
                        v = e.value
                    ),
                )
                .at(e.span)
                .label(t!(
                    "expected an integer from -2 to 2",
                    "-2 から 2 までの整数が必要です"
                ))
                .hint(t!(
                    "-2 very negative, -1 negative, 0 neutral, 1 positive, 2 very positive",
                    "-2 とてもネガティブ、-1 ネガティブ、0 どちらでもない、1 ポジティブ、2 とてもポジティブ"
                )),
            );
            None
        }
    });
    let notes = f.opt_str("notes", d);
    let mut tasks = Vec::new();
    for (tt, tspan) in f.tables("tasks", d) {
        let mut tf = Fields::new(text, tt, tspan, &shape::TASK);
        let task = Task {
            department: tf.req_ref("department", d),
            task: tf.req_str("task", d),
            kpi: tf.opt_str("kpi", d),
            span: tspan,
        };
        tf.finish(d);
        scan_toml_string(src, &task.task, links, d);
        if let Some(k) = &task.kpi {
            scan_toml_string(src, k, links, d);
        }
        tasks.push(task);
    }
    // Every other key is a row id; unknown ones are reported once the rows are known.
    let mut cells = Vec::new();
    for (key, value) in t.iter() {
        let k: &str = key.get_ref();
        if crate::model::RESERVED_STAGE_KEYS.contains(&k) {
            continue;
        }
        let row = Spanned::new(Id::lookup(k), text.span(key.span()));
        match value.get_ref() {
            DeValue::String(s) => {
                let cell = Cell {
                    row,
                    text: Spanned::new(s.to_string(), text.span(value.span())),
                };
                scan_toml_string(src, &cell.text, links, d);
                cells.push(cell);
            }
            other => {
                let stage = &stage_id.value;
                d.push(
                    Diagnostic::error(
                        Code::WrongType,
                        t!(
                            "row `{k}` of stage `{stage}` must be a string, not {found}",
                            "ステージ `{stage}` の行 `{k}` は文字列で指定してください（{found}になっています）";
                            found = type_name(other.type_str())
                        ),
                    )
                    .at(text.span(value.span()))
                    .label(t!(
                        "expected a string (inline Markdown)",
                        "文字列（インラインの Markdown）が必要です"
                    )),
                )
            }
        }
    }
    for s in [&experience, &notes].into_iter().flatten() {
        scan_toml_string(src, s, links, d);
    }
    // Exactly sized: a large site keeps every stage of every journey (80,000 of them at
    // 10,000 personas), and growth's spare room was about 30 MB of it.
    cells.shrink_to_fit();
    tasks.shrink_to_fit();
    JourneyStage {
        stage: stage_id,
        cells,
        experience,
        touchpoints,
        emotion,
        tasks,
        notes,
    }
}
