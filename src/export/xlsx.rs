//! `export --format xlsx`: the journeys as the Excel grid Japanese teams expect (stages
//! across under their phases, rows down, the seller's side below), a sheet of every task and
//! one of the departments. `tabiji import` reads a journey sheet back to the same cells.
//!
//! Every cell is written as text (`write_string`), so a cell starting with `=` is never a
//! formula; inline Markdown becomes the text a reader sees. The bytes depend only on the
//! site: the document's creation date is fixed and the zip entries carry no timestamps.

use std::collections::HashSet;

use pulldown_cmark::{Event, Tag, TagEnd};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::model::{Journey, Language, Site};

/// The creation date every export carries (a fixed one, so that exports are reproducible).
const CREATED: (u16, u8, u8) = (2000, 1, 1);
/// The row of the stage names (0-based): title, journey name and phases come above it.
pub const HEADER_ROW: u32 = 3;

/// Text of inline Markdown as a reader sees it: emphasis marks dropped, links as their text,
/// line breaks kept.
pub fn readable(text: &str) -> String {
    let mut out = String::new();
    for e in crate::markdown::parse(text) {
        match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push('・'),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A valid sheet name, unique among `used`: no `[]:*?/\`, not starting or ending with `'`,
/// at most 31 characters (Excel counts UTF-16 units; ids here are in the BMP).
pub fn sheet_name(wanted: &str, used: &mut HashSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_matches('\'');
    let clean = if clean.is_empty() { "sheet" } else { clean };
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let mut name = cut(clean, 31);
    let mut n = 2;
    while used.contains(&name.to_lowercase()) || name.eq_ignore_ascii_case("history") {
        let suffix = format!("~{n}");
        name = format!("{}{suffix}", cut(clean, 31 - suffix.len()));
        n += 1;
    }
    used.insert(name.to_lowercase());
    name
}

struct Formats {
    title: Format,
    head: Format,
    label: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            head: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(0xDDE7F0),
            label: cell.clone().set_bold().set_background_color(0xF2F2F2),
            text: cell,
        }
    }
}

/// Labels of the seller's rows and sheets, in the site's language.
struct Words {
    persona: &'static str,
    journey: &'static str,
    stage: &'static str,
    experience: &'static str,
    touchpoints: &'static str,
    emotion: &'static str,
    notes: &'static str,
    tasks_prefix: &'static str,
    tasks_sheet: &'static str,
    departments_sheet: &'static str,
    department: &'static str,
    task: &'static str,
    clients: &'static str,
    suppliers: &'static str,
}

const JA: Words = Words {
    persona: "ペルソナ",
    journey: "ジャーニー",
    stage: "ステージ",
    experience: "提供すべき顧客体験",
    touchpoints: "タッチポイント",
    emotion: "感情",
    notes: "メモ",
    tasks_prefix: "施策: ",
    tasks_sheet: "施策一覧",
    departments_sheet: "部門",
    department: "部門",
    task: "施策",
    clients: "顧客（社内）",
    suppliers: "供給元（社内）",
};

const EN: Words = Words {
    persona: "Persona",
    journey: "Journey",
    stage: "Stage",
    experience: "Experience to deliver",
    touchpoints: "Touchpoints",
    emotion: "Emotion",
    notes: "Notes",
    tasks_prefix: "Tasks: ",
    tasks_sheet: "Tasks",
    departments_sheet: "Departments",
    department: "Department",
    task: "Task",
    clients: "Clients",
    suppliers: "Suppliers",
};

/// The workbook.
pub fn to_xlsx(site: &Site) -> Result<Vec<u8>, XlsxError> {
    let w = if site.config.language == Language::Ja {
        &JA
    } else {
        &EN
    };
    let f = Formats::new();
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(CREATED.0, CREATED.1, CREATED.2)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(site.config.title.value.as_str())
            .set_creation_datetime(&created),
    );
    let mut used: HashSet<String> = [w.tasks_sheet, w.departments_sheet]
        .iter()
        .map(|s| s.to_lowercase())
        .collect();
    for j in site.journeys.values() {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(j.id.as_str(), &mut used))?;
        journey_sheet(site, j, sheet, &f, w)?;
    }
    let tasks = book.add_worksheet();
    tasks.set_name(w.tasks_sheet)?;
    tasks_sheet(site, tasks, &f, w)?;
    let deps = book.add_worksheet();
    deps.set_name(w.departments_sheet)?;
    departments_sheet(site, deps, &f, w)?;
    book.save_to_buffer()
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn journey_sheet(
    site: &Site,
    j: &Journey,
    ws: &mut Worksheet,
    f: &Formats,
    w: &Words,
) -> Result<(), XlsxError> {
    let persona = site.personas.get(&j.persona.value);
    let persona_name = persona.map_or(j.persona.value.as_str(), |p| p.name.value.as_str());
    let journey_name = j.name.as_ref().map_or(persona_name, |n| n.value.as_str());
    ws.write_string_with_format(0, 0, format!("{}: {persona_name}", w.persona), &f.title)?;
    ws.write_string_with_format(1, 0, format!("{}: {journey_name}", w.journey), &f.title)?;
    let stages = &site.config.stages;
    // Phases: one merged cell over each run of stages of the same phase.
    let mut start = 0;
    while start < stages.len() {
        let phase = stages[start].phase.as_ref().map(|p| p.value.clone());
        let mut end = start;
        while end + 1 < stages.len()
            && stages[end + 1].phase.as_ref().map(|p| p.value.clone()) == phase
        {
            end += 1;
        }
        if let Some(name) = phase.as_ref().and_then(|p| site.phase(p.as_str())) {
            let (a, b) = (col(start + 1), col(end + 1));
            if a == b {
                ws.write_string_with_format(2, a, name.name.value.as_str(), &f.head)?;
            } else {
                ws.merge_range(2, a, 2, b, name.name.value.as_str(), &f.head)?;
            }
        }
        start = end + 1;
    }
    ws.write_string_with_format(HEADER_ROW, 0, w.stage, &f.head)?;
    for (i, s) in stages.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col(i + 1), s.name.value.as_str(), &f.head)?;
    }
    let mut r = HEADER_ROW as usize + 1;
    let mut line = |ws: &mut Worksheet, label: &str, cell: &dyn Fn(usize) -> Option<String>| {
        ws.write_string_with_format(row(r), 0, label, &f.label)?;
        for i in 0..stages.len() {
            let text = cell(i).unwrap_or_default();
            ws.write_string_with_format(row(r), col(i + 1), text, &f.text)?;
        }
        r += 1;
        Ok::<(), XlsxError>(())
    };
    let js = |i: usize| j.stage(stages[i].id.value.as_str());
    for rw in &site.config.rows {
        line(ws, &rw.name.value, &|i| {
            js(i)?
                .cell(rw.id.value.as_str())
                .map(|c| readable(&c.text.value))
        })?;
    }
    line(ws, w.experience, &|i| {
        js(i)?.experience.as_ref().map(|e| readable(e))
    })?;
    line(ws, w.touchpoints, &|i| {
        let tps: Vec<String> = js(i)?.touchpoints.iter().map(|t| readable(t)).collect();
        Some(tps.join("\n"))
    })?;
    line(ws, w.emotion, &|i| {
        js(i)?.emotion.as_ref().map(|e| e.value.to_string())
    })?;
    if j.stages.iter().any(|s| s.notes.is_some()) {
        line(ws, w.notes, &|i| js(i)?.notes.as_ref().map(|n| readable(n)))?;
    }
    for d in site.departments.values() {
        let has = j
            .stages
            .iter()
            .flat_map(|s| &s.tasks)
            .any(|t| t.department.value == d.id);
        if !has {
            continue;
        }
        line(ws, &format!("{}{}", w.tasks_prefix, d.name.value), &|i| {
            let lines: Vec<String> = js(i)?
                .tasks
                .iter()
                .filter(|t| t.department.value == d.id)
                .map(|t| match &t.kpi {
                    Some(k) => format!("・{}\nKPI: {}", readable(&t.task), readable(k)),
                    None => format!("・{}", readable(&t.task)),
                })
                .collect();
            Some(lines.join("\n"))
        })?;
    }
    ws.set_column_width(0, 24)?;
    for i in 0..stages.len() {
        ws.set_column_width(col(i + 1), 30)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    Ok(())
}

fn header(
    ws: &mut Worksheet,
    f: &Formats,
    names: &[&str],
    widths: &[f64],
) -> Result<(), XlsxError> {
    for (i, (n, wd)) in names.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, col(i), *n, &f.head)?;
        ws.set_column_width(col(i), *wd)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn tasks_sheet(site: &Site, ws: &mut Worksheet, f: &Formats, w: &Words) -> Result<(), XlsxError> {
    header(
        ws,
        f,
        &[w.department, w.stage, w.journey, w.task, "KPI"],
        &[18.0, 16.0, 24.0, 60.0, 30.0],
    )?;
    let mut r = 1;
    for j in site.journeys.values() {
        for s in &site.config.stages {
            let Some(js) = j.stage(s.id.value.as_str()) else {
                continue;
            };
            for t in &js.tasks {
                let dep = site
                    .departments
                    .get(&t.department.value)
                    .map_or(t.department.value.as_str(), |d| d.name.value.as_str());
                let kpi = t.kpi.as_ref().map(|k| readable(k)).unwrap_or_default();
                let name = j.name.as_ref().map_or(j.id.as_str(), |n| n.value.as_str());
                let cells = [
                    dep.to_string(),
                    s.name.value.clone(),
                    name.to_string(),
                    readable(&t.task),
                    kpi,
                ];
                for (c, text) in cells.iter().enumerate() {
                    ws.write_string_with_format(r, col(c), text, &f.text)?;
                }
                r += 1;
            }
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1), 4)?;
    Ok(())
}

fn departments_sheet(
    site: &Site,
    ws: &mut Worksheet,
    f: &Formats,
    w: &Words,
) -> Result<(), XlsxError> {
    header(
        ws,
        f,
        &["id", w.department, w.clients, w.suppliers, "KPI"],
        &[18.0, 20.0, 30.0, 30.0, 40.0],
    )?;
    let names = |ids: &[crate::model::Spanned<crate::model::Id>]| {
        ids.iter()
            .map(|i| {
                site.departments
                    .get(&i.value)
                    .map_or(i.value.as_str(), |d| d.name.value.as_str())
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (r, d) in site.departments.values().enumerate() {
        let kpis: Vec<String> = d.kpis.iter().map(|k| readable(k)).collect();
        let cells = [
            d.id.as_str().to_string(),
            d.name.value.clone(),
            names(&d.clients),
            names(&d.suppliers),
            kpis.join("\n"),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string_with_format(row(r + 1), col(c), text, &f.text)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_what_a_reader_sees() {
        assert_eq!(
            readable("**重要**な[ヒアリング](playbook:hearing)"),
            "重要なヒアリング"
        );
        assert_eq!(readable("一行目\n二行目"), "一行目\n二行目");
        assert_eq!(readable("=1+1"), "=1+1");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(sheet_name("a/b:c", &mut used), "a_b_c");
        assert_eq!(sheet_name("A/B:C", &mut used), "A_B_C~2");
        let long = "あ".repeat(40);
        let n = sheet_name(&long, &mut used);
        assert_eq!(n.chars().count(), 31);
        let n2 = sheet_name(&long, &mut used);
        assert_eq!(n2.chars().count(), 31);
        assert!(n2.ends_with("~2"));
        assert_eq!(sheet_name("History", &mut used), "History~2");
    }
}
