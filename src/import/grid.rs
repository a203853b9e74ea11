//! Finding a journey grid in a sheet and reading it as one journey: the header row whose
//! cells name the site's stages, the label column left of it, and one row per site row or
//! seller's-side field. Every label that cannot be placed is refused with its cell address.

use unicode_normalization::UnicodeNormalization;

use super::read::Sheet;
use super::{CellRef, ImportError};
use crate::model::{Language, Site};

/// A journey read from a grid, with ids resolved against the site.
#[derive(Debug, Default, PartialEq)]
pub struct Grid {
    /// Texts of the cells above the header row (titles), for the persona and the name.
    pub titles: Vec<String>,
    /// One entry per stage column, in column order.
    pub stages: Vec<StageCells>,
}

#[derive(Debug, Default, PartialEq)]
pub struct StageCells {
    pub stage: String,
    /// (row id, text) in the order of the grid.
    pub cells: Vec<(String, String)>,
    pub experience: Option<String>,
    pub touchpoints: Vec<String>,
    pub emotion: Option<i8>,
    pub notes: Option<String>,
    /// (department id, task, KPI).
    pub tasks: Vec<(String, String, Option<String>)>,
}

/// What a label in the label column stands for.
#[derive(Clone, Debug, PartialEq)]
enum Line {
    Row(String),
    Experience,
    Touchpoints,
    Emotion,
    Notes,
    Tasks(String),
}

/// The seller's-side labels teams use, in both languages (compared after [`norm`]).
const EXPERIENCE: &[&str] = &[
    "提供すべき顧客体験",
    "顧客体験",
    "体験",
    "experience",
    "experience to deliver",
    "customer experience",
];
const TOUCHPOINTS: &[&str] = &[
    "タッチポイント",
    "接点",
    "コンタクトポイント",
    "顧客接点",
    "touchpoints",
    "touchpoint",
    "contact points",
];
const EMOTION: &[&str] = &["感情", "感情曲線", "emotion", "emotions", "emotion curve"];
const NOTES: &[&str] = &["メモ", "備考", "notes", "note"];
/// Prefixes of a department's task row: `施策: 営業` (the xlsx export writes these).
const TASK_PREFIXES: &[&str] = &["施策:", "タスク:", "tasks:", "task:"];

/// NFKC, trimmed, inner white space collapsed, lower case: how labels are compared.
pub fn norm(s: &str) -> String {
    let n: String = s.nfkc().collect();
    n.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn stage_of(site: &Site, label: &str) -> Option<usize> {
    let l = norm(label);
    site.config
        .stages
        .iter()
        .position(|s| norm(&s.name.value) == l || norm(s.id.value.as_str()) == l)
}

fn department_of(site: &Site, label: &str) -> Option<String> {
    let l = norm(label);
    site.departments
        .values()
        .find(|d| norm(&d.name.value) == l || norm(d.id.as_str()) == l)
        .map(|d| d.id.as_str().to_string())
}

fn line_of(site: &Site, label: &str) -> Option<Line> {
    let l = norm(label);
    if let Some(r) = site
        .config
        .rows
        .iter()
        .find(|r| norm(&r.name.value) == l || norm(r.id.value.as_str()) == l)
    {
        return Some(Line::Row(r.id.value.as_str().to_string()));
    }
    let is = |names: &[&str]| names.iter().any(|n| norm(n) == l);
    if is(EXPERIENCE) {
        return Some(Line::Experience);
    }
    if is(TOUCHPOINTS) {
        return Some(Line::Touchpoints);
    }
    if is(EMOTION) {
        return Some(Line::Emotion);
    }
    if is(NOTES) {
        return Some(Line::Notes);
    }
    let dept = TASK_PREFIXES
        .iter()
        .find_map(|p| l.strip_prefix(p))
        .unwrap_or(&l);
    department_of(site, dept).map(Line::Tasks)
}

/// The labels a grid's label column may hold, in order: for messages.
pub fn known_lines(site: &Site) -> Vec<String> {
    let ja = site.config.language == Language::Ja;
    let mut v: Vec<String> = site
        .config
        .rows
        .iter()
        .map(|r| r.name.value.clone())
        .collect();
    let pick = |ja_name: &str, en_name: &str| if ja { ja_name } else { en_name }.to_string();
    v.push(pick("提供すべき顧客体験", "Experience to deliver"));
    v.push(pick("タッチポイント", "Touchpoints"));
    v.push(pick("感情", "Emotion"));
    v.push(pick("メモ", "Notes"));
    v.extend(
        site.departments
            .values()
            .map(|d| format!("{}{}", pick("施策: ", "Tasks: "), d.name.value)),
    );
    v
}

pub fn known_stages(site: &Site) -> Vec<String> {
    site.config
        .stages
        .iter()
        .map(|s| s.name.value.clone())
        .collect()
}

/// The header row: the row with the most cells naming a stage (the first of equals).
fn header_row(site: &Site, sheet: &Sheet) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (r, row) in sheet.rows.iter().enumerate() {
        let hits = row
            .iter()
            .filter(|c| !c.trim().is_empty() && stage_of(site, c).is_some())
            .count();
        if hits > 0 && best.is_none_or(|(_, h)| hits > h) {
            best = Some((r, hits));
        }
    }
    best.map(|(r, _)| r)
}

/// Whether the sheet has a grid at all (a row naming at least one stage).
pub fn has_grid(site: &Site, sheet: &Sheet) -> bool {
    header_row(site, sheet).is_some_and(|r| {
        let c0 = sheet.rows[r]
            .iter()
            .position(|c| stage_of(site, c).is_some());
        c0.is_some_and(|c| c > 0)
    })
}

/// Read the grid of a sheet; `at` makes cell addresses for messages.
pub fn read_grid(
    site: &Site,
    sheet: &Sheet,
    at: &dyn Fn(usize, usize) -> CellRef,
) -> Result<Grid, ImportError> {
    let header = header_row(site, sheet).ok_or_else(|| ImportError::NoGrid {
        sheet: at(0, 0).sheet_only(),
        stages: known_stages(site),
    })?;
    let head = &sheet.rows[header];
    let first = head
        .iter()
        .position(|c| stage_of(site, c).is_some())
        .unwrap_or(0);
    if first == 0 {
        return Err(ImportError::NoGrid {
            sheet: at(0, 0).sheet_only(),
            stages: known_stages(site),
        });
    }
    let label_col = first - 1;
    // Stage columns: every non-empty header cell from the first stage on.
    let mut columns: Vec<(usize, usize)> = Vec::new();
    for (c, text) in head.iter().enumerate().skip(first) {
        if text.trim().is_empty() {
            continue;
        }
        let Some(s) = stage_of(site, text) else {
            return Err(ImportError::UnknownStage {
                at: at(header, c),
                label: text.trim().to_string(),
                known: known_stages(site),
            });
        };
        if let Some(&(prev, _)) = columns.iter().find(|(_, i)| *i == s) {
            return Err(ImportError::DuplicateStage {
                at: at(header, c),
                first: format!("{}{}", super::column_name(prev), header + 1),
                label: text.trim().to_string(),
            });
        }
        columns.push((c, s));
    }
    let mut grid = Grid {
        titles: sheet.rows[..header]
            .iter()
            .flatten()
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .collect(),
        stages: columns
            .iter()
            .map(|&(_, s)| StageCells {
                stage: site.config.stages[s].id.value.as_str().to_string(),
                ..StageCells::default()
            })
            .collect(),
    };
    for r in header + 1..sheet.rows.len() {
        let label = sheet.cell(r, label_col).trim();
        let has_values = columns
            .iter()
            .any(|&(c, _)| !sheet.cell(r, c).trim().is_empty());
        if label.is_empty() {
            if has_values {
                return Err(ImportError::NoLabel {
                    at: at(r, label_col),
                });
            }
            continue;
        }
        let line = line_of(site, label).ok_or_else(|| ImportError::UnknownRow {
            at: at(r, label_col),
            label: label.to_string(),
            known: known_lines(site),
        })?;
        for (i, &(c, _)) in columns.iter().enumerate() {
            let text = sheet.cell(r, c).trim();
            if text.is_empty() {
                continue;
            }
            let s = &mut grid.stages[i];
            match &line {
                Line::Row(id) => s.cells.push((id.clone(), text.to_string())),
                Line::Experience => s.experience = Some(text.to_string()),
                Line::Notes => s.notes = Some(text.to_string()),
                Line::Touchpoints => s.touchpoints = touchpoints(text),
                Line::Emotion => {
                    s.emotion = Some(emotion(site, text).ok_or_else(|| ImportError::Emotion {
                        at: at(r, c),
                        value: text.to_string(),
                        words: emotion_words(site.config.language),
                    })?)
                }
                Line::Tasks(d) => s
                    .tasks
                    .extend(tasks(text).into_iter().map(|(t, k)| (d.clone(), t, k))),
            }
        }
    }
    Ok(grid)
}

/// Touchpoints are separated by `、`, `,` (full-width too) or line breaks; a leading `・`
/// (a bullet) is dropped.
pub fn touchpoints(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', '\n', '\r'])
        .map(|t| t.trim().trim_start_matches('・').trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn emotion_words(lang: Language) -> Vec<String> {
    let t = crate::render::labels(lang);
    [
        t.very_negative,
        t.negative,
        t.neutral,
        t.positive,
        t.very_positive,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// An emotion: an integer from −2 to 2 (full-width digits and minus signs too) or one of
/// the site's emotion words (either language).
pub fn emotion(site: &Site, text: &str) -> Option<i8> {
    let n = norm(text).replace(['\u{2212}', '\u{2012}', '\u{2013}'], "-");
    if let Ok(v) = n.parse::<f64>() {
        return (v.fract() == 0.0 && (-2.0..=2.0).contains(&v)).then_some(v as i8);
    }
    let _ = site;
    for lang in [Language::Ja, Language::En] {
        if let Some(i) = emotion_words(lang).iter().position(|w| norm(w) == n) {
            return Some(i as i8 - 2);
        }
    }
    None
}

/// Tasks of one department at one stage: one per line (a leading `・` dropped); a line
/// `KPI: …` is the KPI of the task before it.
pub fn tasks(text: &str) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let n: String = line.nfkc().collect();
        let is_kpi = n.starts_with("KPI:") || n.starts_with("kpi:");
        if is_kpi && let Some(last) = out.last_mut() {
            let colon = line.find([':', '：']).unwrap_or(0);
            let rest = &line[colon..];
            let k = rest.trim_start_matches([':', '：']).trim();
            last.1 = (!k.is_empty()).then(|| k.to_string());
            continue;
        }
        out.push((line.trim_start_matches('・').trim().to_string(), None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touchpoints_split_on_japanese_commas_commas_and_lines() {
        assert_eq!(
            touchpoints("事例記事、ウェビナー,展示会\n・メール"),
            ["事例記事", "ウェビナー", "展示会", "メール"]
        );
    }

    #[test]
    fn tasks_take_their_kpi_from_the_next_line() {
        assert_eq!(
            tasks("・事例ウェビナーを開く\n  KPI: MQL 月30件\n・資料を送る"),
            [
                (
                    "事例ウェビナーを開く".to_string(),
                    Some("MQL 月30件".to_string())
                ),
                ("資料を送る".to_string(), None)
            ]
        );
    }

    #[test]
    fn labels_compare_after_nfkc() {
        assert_eq!(norm(" ＫＰＩ　 確認 "), "kpi 確認");
    }
}
