//! What a TOML syntax error tells the person who made it.
//!
//! The parser's own words are English and about the grammar ("invalid unquoted key,
//! expected letters, numbers, `-`, `_`"). Here they become what went wrong and how to fix
//! it, in both languages: an IME slip (`＝`, U+3000, curly quotes, full-width digits or
//! brackets) named as such with the corrected line, a Japanese key that needs quotes, a
//! `[x]` header where the list `[[x]]` belongs, and every other error translated
//! (`translate.rs`). Apart from `table.rs`, which reads the fields of a text that did parse;
//! the slips themselves are found by `ime`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use toml_parser::lexer::TokenKind;

use super::ime::{self, Header, Scan, Slip, SlipKind};
use super::table::TomlText;
use crate::diagnostic::{Code, Diagnostic};
use crate::i18n::Text;
use crate::t;

mod translate;

use translate::translated;

/// The diagnostics for a TOML text that did not parse: IME slips first, then the parser's
/// errors.
pub(super) fn diagnostics(text: TomlText<'_>, errors: &[toml::de::Error]) -> Vec<Diagnostic> {
    let src = text.src;
    let scan = ime::scan(src);
    let lines = Lines::new(src);
    // The text with every slip fixed, parsed again: its lines are the text's lines.
    let fixed_lines = Lines::new(&scan.fixed);
    let (_, still) = toml::de::DeTable::parse_recoverable(&scan.fixed);
    let broken: BTreeSet<usize> = still
        .iter()
        .map(|e| fixed_lines.of(e.span().map_or(0, |r| r.start)))
        .collect();
    // Lines that read well once fixed get the fixed line as hint.
    let fixed_text: Vec<&str> = scan.fixed.split('\n').collect();
    let fix = |line: usize| {
        (!broken.contains(&line))
            .then(|| fixed_text.get(line).map(|s| s.trim()))
            .flatten()
    };

    let mut slips: BTreeMap<usize, &Slip> = BTreeMap::new();
    for s in &scan.slips {
        slips.entry(lines.of(s.at.start)).or_insert(s);
    }
    let mut out: Vec<Diagnostic> = slips
        .iter()
        .map(|(&line, s)| slip(text, s, fix(line)))
        .collect();

    // The parser stops looking after a few errors; in the fixed text it finds those that
    // the slips hid. Each error once, at its place in the text: on a line the fixes left
    // as it was, an offset in the fixed text is the same column in the text.
    let mut found: Vec<(Range<usize>, &str)> = errors
        .iter()
        .map(|e| (e.span().unwrap_or(0..0), e.message()))
        .collect();
    let src_lines: Vec<&str> = src.split('\n').collect();
    let mut seen: BTreeSet<(usize, &str)> =
        found.iter().map(|(r, m)| (lines.of(r.start), *m)).collect();
    for e in &still {
        let at = e.span().unwrap_or(0..0);
        let line = fixed_lines.of(at.start);
        if src_lines.get(line) != fixed_text.get(line) || !seen.insert((line, e.message())) {
            continue;
        }
        let shift = |o: usize| o - fixed_lines.start(line) + lines.start(line);
        found.push((shift(at.start)..shift(at.end), e.message()));
    }

    let quoted: BTreeSet<usize> = scan.quoted.iter().map(|&o| lines.of(o)).collect();
    let headers = Headers::new(&scan, &lines);
    for (range, message) in found {
        let line = lines.of(range.start);
        if slips.contains_key(&line) {
            // The slip is the cause; the parser's words about it would only confuse.
            continue;
        }
        let d = if message.starts_with("invalid unquoted key") {
            unquoted_key(text, range.clone())
        } else if message.starts_with("duplicate key") {
            headers
                .at(line)
                .and_then(|(h, same)| list_header(text, h, same))
        } else {
            None
        };
        out.push(d.unwrap_or_else(|| {
            let d = Diagnostic::error(Code::TomlSyntax, translated(message)).at(text.span(range));
            match fix(line) {
                Some(f) if quoted.contains(&line) => d.hint(write_line(f)),
                _ => d.maybe_hint(
                    headers
                        .at(line)
                        .and_then(|(h, same)| duplicate_header(h, same)),
                ),
            }
        }));
    }
    out
}

/// The table headers of a text, by line and by key.
struct Headers<'a> {
    at_line: BTreeMap<usize, &'a Header>,
    by_key: HashMap<&'a [String], Vec<&'a Header>>,
}

impl<'a> Headers<'a> {
    fn new(scan: &'a Scan, lines: &Lines) -> Headers<'a> {
        let mut at_line = BTreeMap::new();
        let mut by_key: HashMap<&[String], Vec<&Header>> = HashMap::new();
        for h in &scan.headers {
            at_line.entry(lines.of(h.open.start)).or_insert(h);
            by_key.entry(&h.key).or_default().push(h);
        }
        Headers { at_line, by_key }
    }

    /// The header on `line`, and every header with its key (itself too), in the text's order.
    fn at(&self, line: usize) -> Option<(&'a Header, &[&'a Header])> {
        let here = *self.at_line.get(&line)?;
        Some((here, self.by_key.get(here.key.as_slice())?))
    }
}

/// Line numbers (from 0) of byte offsets.
struct Lines(Vec<usize>);

impl Lines {
    fn new(s: &str) -> Lines {
        Lines(s.match_indices('\n').map(|(i, _)| i).collect())
    }

    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| nl < offset)
    }

    /// The offset where a line starts.
    fn start(&self, line: usize) -> usize {
        match line {
            0 => 0,
            n => self.0.get(n - 1).map_or(usize::MAX, |nl| nl + 1),
        }
    }
}

/// A fixed line wider than this many columns (a Japanese character takes two) is shown with
/// its long strings shortened.
const LINE_COLUMNS: usize = 60;
/// How many characters of a long string are kept before and after the `…`.
const KEPT: (usize, usize) = (10, 5);

/// The hint that gives the line to write: whole, or, when it is wide, with the middle of its
/// long strings left out (and saying so).
fn write_line(fixed: &str) -> Text {
    match shortened(fixed) {
        Some(short) => t!(
            "write the line as (long text shortened): `{short}`",
            "次のように直してください（長い文字列は途中を省略しています）: `{short}`"
        ),
        None => t!("write the line as `{fixed}`", "`{fixed}` と書いてください"),
    }
}

/// `line` with the middle of its long one-line strings left out, when it is too wide to be
/// shown whole.
fn shortened(line: &str) -> Option<String> {
    let columns: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    if columns <= LINE_COLUMNS {
        return None;
    }
    let source = toml_parser::Source::new(line);
    let mut out = String::new();
    for t in source.lex() {
        let raw = source.get(t).map_or("", |r| r.as_str());
        let chars: Vec<char> = raw.chars().collect();
        let (head, tail) = KEPT;
        let string = matches!(t.kind(), TokenKind::BasicString | TokenKind::LiteralString);
        if string && chars.len() > head + tail + 3 {
            out.extend(&chars[..1 + head]);
            out.push('…');
            out.extend(&chars[chars.len() - 1 - tail..]);
        } else {
            out.push_str(raw);
        }
    }
    (out != line).then_some(out)
}

/// What a character typed for a half-width one is called, in a sentence and as a label.
fn named(c: char) -> (Text, Text) {
    match c {
        '、' => (
            t!("a Japanese comma `、`", "読点 `、`"),
            t!("Japanese comma", "読点"),
        ),
        'ー' => (
            t!("a prolonged sound mark `ー`", "長音記号 `ー`"),
            t!("prolonged sound mark", "長音記号"),
        ),
        '。' => (
            t!("a Japanese full stop `。`", "句点 `。`"),
            t!("Japanese full stop", "句点"),
        ),
        _ => (
            t!("a full-width `{c}`", "全角の `{c}`"),
            t!("full-width `{c}`", "全角の `{c}`"),
        ),
    }
}

/// An IME slip, at its character; `fixed` is its line as it should read, when that is sure.
fn slip(text: TomlText<'_>, s: &Slip, fixed: Option<&str>) -> Diagnostic {
    let (c, m) = (s.written, s.meant);
    let (name, named_label) = named(c);
    let (message, label) = match s.kind {
        SlipKind::Space => (
            t!(
                "a full-width space (U+3000) where TOML allows only half-width spaces",
                "全角スペース（U+3000）が入っています。TOML では半角スペースしか使えません"
            ),
            t!("full-width space", "全角スペース"),
        ),
        SlipKind::Quote if matches!(c, '＂' | '＇') => (
            t!(
                "a full-width quote `{c}` where TOML expects a straight `{m}`",
                "全角の引用符 `{c}` が入っています。TOML の文字列は半角の `{m}` で囲みます"
            ),
            t!("full-width quote", "全角の引用符"),
        ),
        SlipKind::Quote => (
            t!(
                "a curly quote `{c}` where TOML expects a straight `{m}`",
                "スマート引用符 `{c}` が入っています。TOML の文字列は半角の `{m}` で囲みます"
            ),
            t!("curly quote", "スマート引用符"),
        ),
        SlipKind::Value => (
            t!(
                "{name} in a value: TOML numbers and dates are written in half-width characters",
                "値に{name} が入っています。TOML の数値と日付は半角で書きます"; name = name
            ),
            named_label,
        ),
        SlipKind::Other if c == '、' => (
            t!(
                "{name} where TOML expects `,`",
                "{name} が入っています。TOML では半角の `,` で区切ります"; name = name
            ),
            named_label,
        ),
        SlipKind::Other => (
            t!(
                "{name} where TOML expects `{m}`",
                "{name} が入っています。TOML では半角の `{m}` を使います"; name = name
            ),
            named_label,
        ),
    };
    let hint = match (fixed, s.kind) {
        (Some(f), _) => write_line(f),
        (None, SlipKind::Space) => t!(
            "replace it with a half-width space",
            "半角スペースに置き換えてください"
        ),
        (None, _) => t!(
            "replace it with a half-width `{m}`",
            "半角の `{m}` に置き換えてください"
        ),
    };
    Diagnostic::error(Code::TomlSyntax, message)
        .at(text.span(s.at.clone()))
        .label(label)
        .hint(hint)
}

/// `課題 = "…"` or `[stages.検討]`: a bare key with letters TOML does not allow there.
fn unquoted_key(text: TomlText<'_>, range: Range<usize>) -> Option<Diagnostic> {
    let src = text.src;
    let key = src.get(range.clone())?.trim();
    if key.is_empty() || key.is_ascii() {
        return None;
    }
    let line_start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line = src[line_start..].lines().next().unwrap_or("");
    let fix = if line.trim_start().starts_with('[') {
        line.trim().replacen(key, &format!("\"{key}\""), 1)
    } else {
        format!("\"{key}\" = …")
    };
    Some(
        Diagnostic::error(
            Code::UnquotedKey,
            t!(
                "TOML keys with Japanese or other non-ASCII letters must be quoted: `{key}`",
                "TOML のキーに日本語（ASCII 以外の文字）を使うときは `\"` で囲む必要があります: `{key}`"
            ),
        )
        .at(text.span(range))
        .label(t!(
            "bare keys may only use A-Z, a-z, 0-9, `-` and `_`",
            "引用符なしのキーに使えるのは A-Z、a-z、0-9、`-`、`_` だけです"
        ))
        .hint(t!(
            "write it in double quotes: `{fix}`",
            "`\"` で囲んでください: `{fix}`"
        )),
    )
}

/// `[stages.x.tasks]` and `[[stages.x.tasks]]` in one file: the parser reports a duplicate
/// key at whichever comes second; the mistake is the single brackets, reported there.
fn list_header(text: TomlText<'_>, here: &Header, same: &[&Header]) -> Option<Diagnostic> {
    let list = same.iter().find(|h| h.double)?;
    let single = if here.double {
        same.iter().find(|h| !h.double)?
    } else {
        here
    };
    let key = &single.written;
    let what = match single.key.last().map(String::as_str).unwrap_or("") {
        "tasks" => t!("tasks", "タスク"),
        "stages" => t!("stages", "ステージ"),
        "rows" => t!("rows", "行"),
        "phases" => t!("phases", "フェーズ"),
        "roles" => t!("roles", "ロール"),
        "frameworks" => t!("frameworks", "フレームワーク"),
        "terms" => t!("terms", "用語"),
        "steps" => t!("steps", "ステップ"),
        "questions" => t!("questions", "設問"),
        other => t!("`{other}`", "`{other}` "),
    };
    let hint = if list.open.start > single.open.start {
        t!(
            "write `[[{key}]]` here, like the header below",
            "下の見出しと同じく、ここを `[[{key}]]` にしてください"
        )
    } else {
        t!(
            "write `[[{key}]]` here, like the header above",
            "上の見出しと同じく、ここを `[[{key}]]` にしてください"
        )
    };
    Some(
        Diagnostic::error(
            Code::TomlSyntax,
            t!(
                "use `[[…]]` for a list of {what}",
                "{what}の一覧には `[[…]]` を使ってください"; what = what
            ),
        )
        .at(text.span(single.open.clone()))
        .label(t!(
            "a single table, not an entry of the array of tables",
            "テーブルの配列の要素ではなく、ひとつのテーブルです"
        ))
        .hint(hint),
    )
}

/// The same `[x]` header twice: where the first one is.
fn duplicate_header(here: &Header, same: &[&Header]) -> Option<Text> {
    if here.double {
        return None;
    }
    same.iter()
        .find(|h| !h.double && h.open.start < here.open.start)?;
    let key = &here.written;
    Some(t!(
        "`[{key}]` already starts a table above: put the two together",
        "`[{key}]` は上にもあります。ひとつにまとめてください"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_line_is_shown_with_its_long_strings_shortened() {
        let short = "thinking = \"稟議を通すための材料が社内に何もない。\"";
        assert_eq!(
            write_line(short).ja(),
            format!("`{short}` と書いてください")
        );
        let long = "thinking = \"稟議を通すための材料が社内に何もない。部長にも説明できない。\"";
        let hint = write_line(long);
        assert_eq!(
            hint.en(),
            "write the line as (long text shortened): `thinking = \"稟議を通すための材料…できない。\"`"
        );
        assert_eq!(
            hint.ja(),
            "次のように直してください（長い文字列は途中を省略しています）: `thinking = \"稟議を通すための材料…できない。\"`"
        );
        // Wide, but with nothing to shorten: shown whole.
        let list = format!("a = [{}]", vec!["\"x\""; 20].join(", "));
        assert_eq!(
            write_line(&list).en(),
            format!("write the line as `{list}`")
        );
    }

    #[test]
    fn many_errors_take_linear_time() {
        let text: String = (0..5000)
            .map(|i| format!("[t{i}]\na = 1\n[t{i}]\n"))
            .collect();
        let (_, errors) = toml::de::DeTable::parse_recoverable(&text);
        let t = std::time::Instant::now();
        let src = TomlText {
            file: crate::source::FileId(0),
            base: 0,
            src: &text,
        };
        assert_eq!(diagnostics(src, &errors).len(), 5000);
        assert!(t.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn lines_of_offsets() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!([0, 1, 2, 4, 5, 6].map(|o| l.of(o)), [0, 0, 1, 1, 2, 3]);
    }

    proptest::proptest! {
        /// On any text that does not parse, every error lands on a character boundary of it.
        #[test]
        fn every_error_is_placed_in_the_text(
            text in "[a-z0-9 =\\[\\]{},.#\"'\n＝：，、［］＂“”－１\u{3000}課題]{0,40}"
        ) {
            let (_, errors) = toml::de::DeTable::parse_recoverable(&text);
            let t = TomlText { file: crate::source::FileId(0), base: 0, src: &text };
            for d in diagnostics(t, &errors) {
                let span = d.span.unwrap();
                proptest::prop_assert!(text.get(span.range()).is_some(), "{:?}", span);
            }
        }
    }
}
