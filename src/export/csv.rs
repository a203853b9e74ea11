//! CSV: one row per journey cell and one per task, RFC 4180, UTF-8 with a byte-order mark so
//! that Excel on a Japanese Windows opens it as UTF-8.

use crate::model::Site;

/// The columns, in order (the header of an `en` site).
pub const COLUMNS: [&str; 13] = [
    "kind",
    "journey",
    "journey_name",
    "persona",
    "persona_name",
    "stage",
    "stage_name",
    "row",
    "row_name",
    "department",
    "department_name",
    "text",
    "kpi",
];

/// The same columns for a `ja` site.
pub const COLUMNS_JA: [&str; 13] = [
    "種別",
    "ジャーニー",
    "ジャーニー名",
    "ペルソナ",
    "ペルソナ名",
    "ステージ",
    "ステージ名",
    "行",
    "行名",
    "部門",
    "部門名",
    "テキスト",
    "KPI",
];

/// Whether a text is a plain finite number (`-1`, `+2.5`, `1e3`), which spreadsheets read
/// as a number and never run; `-inf`, `+infinity` and `-nan` are not.
fn plain_number(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '+' | '-' | 'e' | 'E'))
        && value.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (OWASP "CSV
/// injection"), and Japanese Excel also takes their full-width forms `＝＋－＠`; a leading tab
/// or CR hides such a start. Such text (not a plain number like `-1`) gets a leading `'`,
/// which Excel shows as text.
fn defused(value: &str) -> std::borrow::Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
    if risky && !plain_number(value) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

fn field(out: &mut String, value: &str) {
    let value = &*defused(value);
    if value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn record(out: &mut String, values: &[&str]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, v);
    }
    out.push_str("\r\n");
}

/// Kinds of rows: `cell` (a row of the customer's side), `experience`, `touchpoints`,
/// `emotion`, `notes` (the seller's side of a stage) and `task`.
pub fn to_csv(site: &Site, labels_ja: bool) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    record(&mut out, if labels_ja { &COLUMNS_JA } else { &COLUMNS });
    let label = |ja: &'static str, en: &'static str| if labels_ja { ja } else { en };
    for j in site.journeys.values() {
        let persona = site.personas.get(&j.persona.value);
        let persona_name = persona.map_or("", |p| p.name.value.as_str());
        let journey_name = j.name.as_ref().map_or(persona_name, |n| n.value.as_str());
        for s in &site.config.stages {
            let Some(js) = j.stage(s.id.value.as_str()) else {
                continue;
            };
            let base = [
                j.id.as_str(),
                journey_name,
                j.persona.value.as_str(),
                persona_name,
                s.id.value.as_str(),
                s.name.value.as_str(),
            ];
            let mut row = |kind: &str,
                           row: &str,
                           row_name: &str,
                           dep: &str,
                           dep_name: &str,
                           text: &str,
                           kpi: &str| {
                let mut v: Vec<&str> = vec![kind];
                v.extend(base);
                v.extend([row, row_name, dep, dep_name, text, kpi]);
                record(&mut out, &v);
            };
            for r in &site.config.rows {
                if let Some(c) = js.cell(r.id.value.as_str()) {
                    row(
                        "cell",
                        r.id.value.as_str(),
                        &r.name.value,
                        "",
                        "",
                        &c.text.value,
                        "",
                    );
                }
            }
            if let Some(e) = &js.experience {
                row(
                    "experience",
                    "",
                    label("提供すべき顧客体験", "Experience to deliver"),
                    "",
                    "",
                    &e.value,
                    "",
                );
            }
            if !js.touchpoints.is_empty() {
                let joined: Vec<&str> = js.touchpoints.iter().map(|t| t.value.as_str()).collect();
                row(
                    "touchpoints",
                    "",
                    label("コンタクトポイント", "Touchpoints"),
                    "",
                    "",
                    &joined.join("\n"),
                    "",
                );
            }
            if let Some(e) = &js.emotion {
                row(
                    "emotion",
                    "",
                    label("感情", "Emotion"),
                    "",
                    "",
                    &e.value.to_string(),
                    "",
                );
            }
            if let Some(n) = &js.notes {
                row("notes", "", label("メモ", "Notes"), "", "", &n.value, "");
            }
            for t in &js.tasks {
                let dep_name = site
                    .departments
                    .get(&t.department.value)
                    .map_or("", |d| d.name.value.as_str());
                let kpi = t.kpi.as_ref().map_or("", |k| k.value.as_str());
                row(
                    "task",
                    "",
                    "",
                    t.department.value.as_str(),
                    dep_name,
                    &t.task.value,
                    kpi,
                );
            }
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_but_numbers_kept() {
        let mut s = String::new();
        record(&mut s, &["=HYPERLINK(\"x\")", "-1", "+81-3", "@x", "a=b"]);
        assert_eq!(s, "\"'=HYPERLINK(\"\"x\"\")\",-1,'+81-3,'@x,a=b\r\n");
        for risky in [
            "-inf",
            "+infinity",
            "-nan",
            "+NaN",
            "-Infinity",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert!(defused(risky).starts_with('\''), "{risky:?} not defused");
        }
        for number in ["-1", "+2", "0.5", "-1.5e3", "2"] {
            assert_eq!(defused(number), number);
        }
    }

    #[test]
    fn quotes_per_rfc_4180() {
        let mut s = String::new();
        record(&mut s, &["a", "b,c", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(s, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }
}
