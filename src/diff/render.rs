//! Writing a diff report for people: plain or coloured text for a terminal, Markdown for a
//! pull-request comment; and the phrases, places and groups every format shares (the HTML
//! page is `html.rs`).

use std::fmt::Write;

use super::Report;
use super::change::{Change, Piece};
use crate::model::Language;

/// Areas in the order they are shown, with their headings.
const AREAS: &[(&str, &str, &str)] = &[
    ("site", "サイト設定", "Site settings"),
    ("stages", "ステージ・行", "Stages and rows"),
    ("personas", "ペルソナ", "Personas"),
    ("journeys", "ジャーニー", "Journeys"),
    ("departments", "部門", "Departments"),
    ("playbooks", "プレイブック", "Playbooks"),
    ("quizzes", "知識チェック", "Knowledge checks"),
    ("glossary", "用語集", "Glossary"),
    ("onboarding", "オンボーディング", "Onboarding"),
];

pub(super) fn t(lang: Language, ja: &'static str, en: &'static str) -> &'static str {
    if lang == Language::En { en } else { ja }
}

/// What happened, as a short phrase in the site's language.
pub(super) fn phrase(c: &Change, lang: Language) -> String {
    let field = c.field.unwrap_or("");
    let f = |ja: &str, en: &str| {
        if lang == Language::En {
            en.to_string()
        } else {
            ja.to_string()
        }
    };
    let fname = field_name(field, lang);
    match c.kind {
        "site.changed" => f(&format!("{fname}を変更"), &format!("{fname} changed")),
        "phase.added" | "stage.added" | "row.added" => f("追加", "added"),
        "phase.removed" | "stage.removed" | "row.removed" => f("削除", "removed"),
        "phase.renamed" | "stage.renamed" | "row.renamed" => f("名前を変更", "renamed"),
        "phase.reordered" | "stage.reordered" | "row.reordered" => f("並び順を変更", "reordered"),
        "stage.changed" | "row.changed" => {
            f(&format!("{fname}を変更"), &format!("{fname} changed"))
        }
        "persona.added"
        | "journey.added"
        | "department.added"
        | "playbook.added"
        | "quiz.added"
        | "term.added"
        | "onboarding.added"
        | "onboarding.step.added" => f("追加", "added"),
        "persona.removed"
        | "journey.removed"
        | "department.removed"
        | "playbook.removed"
        | "quiz.removed"
        | "term.removed"
        | "onboarding.removed"
        | "onboarding.step.removed" => f("削除", "removed"),
        "persona.renamed" | "journey.renamed" | "department.renamed" | "playbook.renamed"
        | "quiz.renamed" => f("ID を変更（内容は同じ）", "id renamed (content unchanged)"),
        "persona.changed" | "journey.changed" | "department.changed" | "playbook.changed"
        | "quiz.changed" | "term.changed" | "onboarding.changed" => {
            f(&format!("{fname}を変更"), &format!("{fname} changed"))
        }
        "journey.cell.changed" => f("書き換え", "changed"),
        "journey.cell.added" => f("記入", "filled in"),
        "journey.cell.removed" => f("空欄に", "emptied"),
        "journey.stage.changed" => f(&format!("{fname}を変更"), &format!("{fname} changed")),
        "task.added" => f("タスク追加", "task added"),
        "task.removed" => f("タスク削除", "task removed"),
        "task.changed" => f("タスクを書き換え", "task reworded"),
        "task.moved" => f("タスクの担当部門を変更", "task moved to another department"),
        "task.kpi.changed" => f("KPI を変更", "KPI changed"),
        "playbook.retitled" | "quiz.retitled" => f("タイトルを変更", "retitled"),
        "playbook.moved" => f("ステージを変更", "moved to another stage"),
        "playbook.body.changed" => f("本文を変更", "text changed"),
        "onboarding.step.changed" => f("ステップを変更", "step changed"),
        "quiz.question.added" => f("設問を追加", "question added"),
        "quiz.question.removed" => f("設問を削除", "question removed"),
        "quiz.question.changed" if field == "question" => f("設問を書き換え", "question reworded"),
        "quiz.question.changed" => f(&format!("{fname}を変更"), &format!("{fname} changed")),
        other => other.to_string(),
    }
}

fn field_name(field: &str, lang: Language) -> &'static str {
    let pairs: &[(&str, &str, &str)] = &[
        ("title", "タイトル", "title"),
        ("language", "言語", "language"),
        ("base_url", "base_url", "base_url"),
        ("description", "説明", "description"),
        ("summary", "概要", "summary"),
        ("phase", "フェーズ", "phase"),
        ("owner", "担当部門", "owner"),
        ("reviewed", "最終レビュー日", "review date"),
        ("name", "名前", "name"),
        ("role", "購買関与", "role"),
        ("company", "企業像", "company"),
        ("goals", "目標", "goals"),
        ("concerns", "懸念", "concerns"),
        ("body", "本文", "text"),
        ("persona", "ペルソナ", "persona"),
        ("experience", "提供すべき顧客体験", "experience to deliver"),
        ("touchpoints", "コンタクトポイント", "touchpoints"),
        ("emotion", "感情", "emotion"),
        ("notes", "メモ", "notes"),
        ("clients", "顧客部門", "clients"),
        ("suppliers", "サプライヤー部門", "suppliers"),
        ("kpis", "KPI", "KPIs"),
        ("kpi", "KPI", "KPI"),
        ("departments", "部門", "departments"),
        ("personas", "対象ペルソナ", "personas"),
        ("order", "並び順", "order"),
        ("definition", "意味", "definition"),
        ("reading", "読み", "reading"),
        ("stage", "ステージ", "stage"),
        ("department", "担当部門", "department"),
        ("id", "id", "id"),
        ("roles", "購買関与者のロール", "buying group roles"),
        (
            "frameworks",
            "クオリフィケーションのフレームワーク",
            "qualification frameworks",
        ),
        ("conversion", "目標移行率", "conversion target"),
        (
            "recycle_to",
            "停滞・失注時の戻り先",
            "where stalled customers go back to",
        ),
        ("qualifies", "確認する項目", "letters covered"),
        ("question", "設問", "question"),
        ("answer", "正解", "right answer"),
        ("choices", "選択肢", "choices"),
        ("explanation", "解説", "explanation"),
    ];
    pairs
        .iter()
        .find(|p| p.0 == field)
        .map_or("", |p| if lang == Language::En { p.2 } else { p.1 })
}

/// Where, within its subject: `検討 × 課題`, `検討 / マーケティング`.
pub(super) fn place(c: &Change) -> String {
    one_line_names(place_raw(c))
}

/// Names hold no line break in any format: a break (or other control) becomes an escape.
fn one_line_names(s: String) -> String {
    crate::terminal::escape_controls(&s).into_owned()
}

fn place_raw(c: &Change) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &c.stage {
        parts.push(s.name.clone());
    }
    if let Some(r) = &c.row
        && r.id != "summary"
    {
        parts.push(r.name.clone());
    }
    if let (Some(d), true) = (&c.department, c.kind.starts_with("task.")) {
        parts.push(format!("[{}]", d.name));
    }
    let mut s = parts.join(" × ");
    // A task, or a quiz question (unless it is the question's text that changed: the words
    // show it), in corner brackets.
    let quoted = c.task.as_deref().or(c
        .question
        .as_ref()
        .filter(|_| c.field != Some("question"))
        .map(|q| q.name.as_str()));
    if let Some(text) = quoted {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("「{}」", one_line(text)));
    }
    s
}

pub(super) fn heading(c: &Change) -> String {
    one_line_names(match &c.persona {
        Some(p) if c.area == "journeys" && p.name != c.subject.name => {
            format!("{} ({})", c.subject.name, p.name)
        }
        _ => c.subject.name.clone(),
    })
}

pub(super) fn is_long(c: &Change) -> bool {
    c.kind == "playbook.body.changed"
        || c.field == Some("body")
        || c.old.as_ref().is_some_and(|o| o.chars().count() > 300)
        || c.new.as_ref().is_some_and(|o| o.chars().count() > 300)
}

/// A word diff with a formatter for removed and inserted text.
pub(super) fn pieces(
    words: &[Piece],
    del: impl Fn(&str) -> String,
    ins: impl Fn(&str) -> String,
    eq: impl Fn(&str) -> String,
) -> String {
    words
        .iter()
        .map(|p| match p.op {
            "delete" => del(&p.text),
            "insert" => ins(&p.text),
            _ => eq(&p.text),
        })
        .collect()
}

/// The changes under one heading (a subject), in report order.
type Group<'r> = (String, Vec<&'r Change>);

/// Changes grouped by area, then by subject, in report order.
pub(super) fn grouped(report: &Report) -> Vec<(&'static str, Vec<Group<'_>>)> {
    let mut out = Vec::new();
    for &(area, ja, en) in AREAS {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for c in report.changes.iter().filter(|c| c.area == area) {
            let h = heading(c);
            match groups.iter_mut().find(|g| g.0 == h) {
                Some(g) => g.1.push(c),
                None => groups.push((h, vec![c])),
            }
        }
        if !groups.is_empty() {
            out.push((t(report.language, ja, en), groups));
        }
    }
    out
}

/// The name of an area in the site's language.
pub(super) fn area_name(area: &str, lang: Language) -> &'static str {
    AREAS
        .iter()
        .find(|a| a.0 == area)
        .map_or("", |&(_, ja, en)| t(lang, ja, en))
}

/// The changes in the order the renderers show them: by area, then by subject.
pub(super) fn grouped_changes(report: &Report) -> Vec<&Change> {
    grouped(report)
        .into_iter()
        .flat_map(|(_, groups)| groups.into_iter().flat_map(|g| g.1))
        .collect()
}

pub(super) fn who_line(d: &super::DepartmentSummary, lang: Language) -> String {
    let mut parts = Vec::new();
    if d.tasks_gained > 0 {
        parts.push(format!(
            "{} +{}",
            t(lang, "タスク", "tasks"),
            d.tasks_gained
        ));
    }
    if d.tasks_lost > 0 {
        parts.push(format!("{} -{}", t(lang, "タスク", "tasks"), d.tasks_lost));
    }
    if d.tasks_changed > 0 {
        parts.push(format!(
            "{} {}",
            t(lang, "変更されたタスク", "tasks changed"),
            d.tasks_changed
        ));
    }
    if d.other_changes > 0 {
        parts.push(format!(
            "{} {}",
            t(lang, "その他の変更", "other changes"),
            d.other_changes
        ));
    }
    parts.join(", ")
}

/// Colours while the text is written: noncharacters, turned into ANSI sequences only once
/// control characters from content have been escaped.
const PAINT: [(&str, &str); 5] = [
    ("\u{FDD0}", "\x1b[31m"),
    ("\u{FDD1}", "\x1b[32m"),
    ("\u{FDD2}", "\x1b[1m"),
    ("\u{FDD3}", "\x1b[2m"),
    ("\u{FDD4}", "\x1b[0m"),
];

/// Plain text, with ANSI colours when `color` (removed text red, added green). Control
/// characters from content are shown as escapes, and no line starts a CI workflow command
/// (`crate::terminal`).
pub fn render_text(report: &Report, color: bool) -> String {
    // Content's own noncharacters would otherwise become colours.
    let text = text_body(report, color).replace(
        |c: char| ('\u{FDD0}'..='\u{FDD4}').contains(&c) && !color,
        "\u{FFFD}",
    );
    let mut text = crate::terminal::safe(&text);
    if color {
        for (mark, ansi) in PAINT {
            text = text.replace(mark, ansi);
        }
    }
    text
}

fn text_body(report: &Report, color: bool) -> String {
    let lang = report.language;
    let (red, green, bold, dim, reset) = if color {
        (PAINT[0].0, PAINT[1].0, PAINT[2].0, PAINT[3].0, PAINT[4].0)
    } else {
        ("", "", "", "", "")
    };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{bold}tabiji diff{reset} {} → {}",
        report.from, report.to
    );
    if report.changes.is_empty() {
        let _ = writeln!(o, "{}", t(lang, "変更はありません。", "No changes."));
        return o;
    }
    let n = report.changes.len();
    let _ = writeln!(
        o,
        "{}",
        if lang == Language::En {
            format!("{n} changes")
        } else {
            format!("{n} 件の変更")
        }
    );
    for (area, groups) in grouped(report) {
        let _ = writeln!(o, "\n{bold}== {area}{reset}");
        for (h, changes) in groups {
            let _ = writeln!(o, "{bold}{h}{reset}");
            for c in changes {
                let where_ = place(c);
                let sep = if where_.is_empty() {
                    String::new()
                } else {
                    format!("{where_}: ")
                };
                let _ = write!(o, "  - {sep}{}", phrase(c, lang));
                if c.kind == "playbook.body.changed" {
                    if let Some(r) = &c.row {
                        let _ = write!(o, " {dim}({}){reset}", one_line_names(r.name.clone()));
                    }
                    let _ = writeln!(o);
                    continue;
                }
                let _ = writeln!(o);
                if !c.words.is_empty() && !is_long(c) {
                    let line = if color {
                        pieces(
                            &c.words,
                            |x| format!("{red}{x}{reset}"),
                            |x| format!("{green}{x}{reset}"),
                            str::to_string,
                        )
                    } else {
                        pieces(
                            &c.words,
                            |x| format!("[-{x}-]"),
                            |x| format!("{{+{x}+}}"),
                            str::to_string,
                        )
                    };
                    let _ = writeln!(o, "      {line}");
                } else {
                    if let Some(old) = &c.old {
                        let _ = writeln!(o, "      {red}- {}{reset}", one_line(old));
                    }
                    if let Some(new) = &c.new {
                        let _ = writeln!(o, "      {green}+ {}{reset}", one_line(new));
                    }
                }
            }
        }
    }
    if !report.departments.is_empty() {
        let _ = writeln!(
            o,
            "\n{bold}== {}{reset}",
            t(lang, "対応が必要な部門", "Who must act")
        );
        for d in &report.departments {
            let _ = writeln!(
                o,
                "  {}: {}",
                one_line_names(d.department.name.clone()),
                who_line(d, lang)
            );
        }
    }
    o
}

fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 200 {
        format!("{}…", flat.chars().take(200).collect::<String>())
    } else {
        flat
    }
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

/// Markdown for a pull-request comment: grouped by area and subject; word changes with
/// `<del>`/`<ins>`; long texts folded in `<details>`. `@mentions` in content are kept from
/// notifying anyone (a zero-width joiner after the `@`), and control characters are shown
/// as escapes.
pub fn render_markdown(report: &Report) -> String {
    let md = markdown_body(report);
    let md = crate::terminal::escape_controls_but_newlines(&md);
    let mut out = String::with_capacity(md.len());
    let mut prev_at = false;
    for c in md.chars() {
        if prev_at && (c.is_alphanumeric() || c == '-' || c == '_') {
            out.push('\u{200D}');
        }
        prev_at = c == '@';
        out.push(c);
    }
    out
}

fn markdown_body(report: &Report) -> String {
    let lang = report.language;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "### tabiji diff: `{}` → `{}`\n",
        report.from.replace('`', "'"),
        report.to.replace('`', "'")
    );
    if report.changes.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            t(
                lang,
                "ジャーニーの内容に変更はありません（書式だけの変更は含みません）。",
                "No changes to the content (reformatting is not a change)."
            )
        );
        return o;
    }
    if !report.departments.is_empty() {
        let _ = writeln!(o, "**{}**\n", t(lang, "対応が必要な部門", "Who must act"));
        let _ = writeln!(
            o,
            "| {} | {} |\n| --- | --- |",
            t(lang, "部門", "Department"),
            t(lang, "変更", "Changes")
        );
        for d in &report.departments {
            let _ = writeln!(
                o,
                "| {} | {} |",
                md_escape(&d.department.name),
                md_escape(&who_line(d, lang))
            );
        }
        let _ = writeln!(o);
    }
    for (area, groups) in grouped(report) {
        let _ = writeln!(o, "#### {area}\n");
        for (h, changes) in groups {
            let _ = writeln!(o, "**{}**\n", md_escape(&h));
            for c in changes {
                let where_ = place(c);
                let sep = if where_.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", md_escape(&where_))
                };
                let _ = write!(o, "- {sep}{}", md_escape(&phrase(c, lang)));
                if is_long(c) {
                    if let Some(r) = c.row.as_ref().filter(|r| r.id == "summary") {
                        let _ = write!(o, " ({})", md_escape(&r.name));
                    }
                    let _ = writeln!(o);
                    let _ = writeln!(
                        o,
                        "  <details><summary>{}</summary>\n",
                        t(lang, "変更前と変更後", "Before and after")
                    );
                    if let (Some(a), Some(b)) = (&c.old, &c.new) {
                        let _ = writeln!(o, "  ```diff");
                        for ch in similar::TextDiff::from_lines(a, b).iter_all_changes() {
                            let sign = match ch.tag() {
                                similar::ChangeTag::Delete => '-',
                                similar::ChangeTag::Insert => '+',
                                similar::ChangeTag::Equal => ' ',
                            };
                            let _ = writeln!(
                                o,
                                "  {sign}{}",
                                ch.value().trim_end_matches('\n').replace("```", "ˋˋˋ")
                            );
                        }
                        let _ = writeln!(o, "  ```");
                    } else {
                        for v in [&c.old, &c.new].into_iter().flatten() {
                            let _ = writeln!(o, "  > {}", md_escape(v));
                        }
                    }
                    let _ = writeln!(o, "\n  </details>");
                    continue;
                }
                if !c.words.is_empty() {
                    let line = pieces(
                        &c.words,
                        |x| format!("<del>{}</del>", md_escape(x)),
                        |x| format!("<ins>{}</ins>", md_escape(x)),
                        md_escape,
                    );
                    let _ = writeln!(o, "<br>{line}");
                } else {
                    let _ = writeln!(o);
                    if let Some(old) = &c.old {
                        let _ = writeln!(o, "  - <del>{}</del>", md_escape(old));
                    }
                    if let Some(new) = &c.new {
                        let _ = writeln!(o, "  - <ins>{}</ins>", md_escape(new));
                    }
                }
            }
            let _ = writeln!(o);
        }
    }
    o
}
