//! Writing an imported journey as `content/journeys/<id>.toml` in the style of the sample
//! site: bare keys for ASCII ids, quoted keys otherwise, multi-line strings for texts with
//! line breaks, one `[stages.<id>]` table per stage that says something.

use super::grid::{Grid, StageCells};

/// A key: bare when TOML allows it, else a quoted string.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.to_string()
    } else {
        basic(k)
    }
}

fn escape_char(out: &mut String, c: char, multiline: bool) {
    match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' if multiline => out.push('\n'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
        c => out.push(c),
    }
}

/// A one-line basic string.
fn basic(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        escape_char(&mut out, c, false);
    }
    out.push('"');
    out
}

/// A string value: multi-line (`"""`) when the text has line breaks.
pub fn string(s: &str) -> String {
    if !s.contains('\n') {
        return basic(s);
    }
    // The newline right after the opening `"""` is not part of the value.
    let mut out = String::from("\"\"\"\n");
    for c in s.chars() {
        escape_char(&mut out, c, true);
    }
    out.push_str("\"\"\"");
    out
}

fn is_empty(s: &StageCells) -> bool {
    s.cells.is_empty()
        && s.experience.is_none()
        && s.touchpoints.is_empty()
        && s.emotion.is_none()
        && s.notes.is_none()
        && s.tasks.is_empty()
}

/// The journey file.
pub fn journey_toml(source: &str, persona: &str, name: Option<&str>, grid: &Grid) -> String {
    let mut o = String::new();
    let source: String = source.chars().filter(|c| !c.is_control()).collect();
    o.push_str(&format!("# Imported from {source} by `tabiji import`.\n"));
    o.push_str(&format!("persona = {}\n", basic(persona)));
    if let Some(n) = name {
        o.push_str(&format!("name = {}\n", basic(n)));
    }
    for s in grid.stages.iter().filter(|s| !is_empty(s)) {
        let table = format!("stages.{}", key(&s.stage));
        o.push_str(&format!("\n[{table}]\n"));
        for (row, text) in &s.cells {
            o.push_str(&format!("{} = {}\n", key(row), string(text)));
        }
        if let Some(e) = &s.experience {
            o.push_str(&format!("experience = {}\n", string(e)));
        }
        if !s.touchpoints.is_empty() {
            let items: Vec<String> = s.touchpoints.iter().map(|t| basic(t)).collect();
            o.push_str(&format!("touchpoints = [{}]\n", items.join(", ")));
        }
        if let Some(e) = s.emotion {
            o.push_str(&format!("emotion = {e}\n"));
        }
        if let Some(n) = &s.notes {
            o.push_str(&format!("notes = {}\n", string(n)));
        }
        for (dept, task, kpi) in &s.tasks {
            o.push_str(&format!("\n[[{table}.tasks]]\n"));
            o.push_str(&format!("department = {}\n", basic(dept)));
            o.push_str(&format!("task = {}\n", string(task)));
            if let Some(k) = kpi {
                o.push_str(&format!("kpi = {}\n", string(k)));
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_read_back_as_written() {
        for s in [
            "課題",
            "two\nlines",
            "a \"quote\" \\ back",
            "end\"",
            "\"\"\"\n",
            "tab\there",
        ] {
            let doc = format!("k = {}\n", string(s));
            let v: toml::Table = toml::from_str(&doc).expect(&doc);
            assert_eq!(v["k"].as_str(), Some(s), "{doc}");
        }
        assert_eq!(key("problem"), "problem");
        assert_eq!(key("検討"), "\"検討\"");
    }
}
