//! What a TOML syntax error tells the person who made it.
//!
//! The parser's own words are English and about the grammar ("invalid unquoted key,
//! expected letters, numbers, `-`, `_`"). Here they become what went wrong and how to fix
//! it, in both languages: an IME slip (`＝`, U+3000, curly quotes, full-width digits or
//! brackets) named as such with the corrected line, a Japanese key that needs quotes, a
//! `[x]` header where the list `[[x]]` belongs, and every other error translated. Apart from
//! `table.rs`, which reads the fields of a text that did parse.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::ime::{self, Scan, Slip, SlipKind};
use super::table::TomlText;
use crate::diagnostic::{Code, Diagnostic};
use crate::i18n::Text;
use crate::t;

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
    let shown: Vec<&str> = scan.shown.split('\n').collect();
    let fix = |line: usize| {
        (!broken.contains(&line))
            .then(|| shown.get(line).map(|s| s.trim()))
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
    let fixed_text: Vec<&str> = scan.fixed.split('\n').collect();
    for e in &still {
        let at = e.span().unwrap_or(0..0);
        let line = fixed_lines.of(at.start);
        if src_lines.get(line) != fixed_text.get(line)
            || found
                .iter()
                .any(|(r, m)| lines.of(r.start) == line && *m == e.message())
        {
            continue;
        }
        let shift = |o: usize| o - fixed_lines.start(line) + lines.start(line);
        found.push((shift(at.start)..shift(at.end), e.message()));
    }

    let quoted: BTreeSet<usize> = scan.quoted.iter().map(|&o| lines.of(o)).collect();
    for (range, message) in found {
        let line = lines.of(range.start);
        if slips.contains_key(&line) {
            // The slip is the cause; the parser's words about it would only confuse.
            continue;
        }
        let d = if message.starts_with("invalid unquoted key") {
            unquoted_key(text, range.clone())
        } else if message.starts_with("duplicate key") {
            list_header(text, &scan, &lines, line)
        } else {
            None
        };
        out.push(d.unwrap_or_else(|| {
            let d = Diagnostic::error(Code::TomlSyntax, translated(message)).at(text.span(range));
            match fix(line) {
                Some(f) if quoted.contains(&line) => d.hint(write_line(f)),
                _ => d.maybe_hint(duplicate_header(&scan, &lines, line)),
            }
        }));
    }
    out
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

fn write_line(fixed: &str) -> Text {
    t!("write the line as `{fixed}`", "`{fixed}` と書いてください")
}

/// An IME slip, at its character; `fixed` is its line as it should read, when that is sure.
fn slip(text: TomlText<'_>, s: &Slip, fixed: Option<&str>) -> Diagnostic {
    let (c, m) = (s.written, s.meant);
    let (message, label) = match s.kind {
        SlipKind::Space => (
            t!(
                "a full-width space (U+3000) where TOML allows only half-width spaces",
                "全角スペース（U+3000）が入っています。TOML では半角スペースしか使えません"
            ),
            t!("full-width space", "全角スペース"),
        ),
        SlipKind::Quote => {
            let en = if matches!(c, '＂' | '＇') {
                "a full-width"
            } else {
                "a curly"
            };
            (
                t!(
                    "{en} quote `{c}` where TOML expects a straight `{m}`",
                    "全角の引用符 `{c}` が入っています。TOML の文字列は半角の `{m}` で囲みます"
                ),
                t!("full-width quote", "全角の引用符"),
            )
        }
        SlipKind::Value => (
            t!(
                "a full-width `{c}` in a value: TOML numbers and dates are written in half-width characters",
                "値に全角の `{c}` が入っています。TOML の数値と日付は半角で書きます"
            ),
            t!("full-width `{c}`", "全角の `{c}`"),
        ),
        SlipKind::Other if c == '、' => (
            t!(
                "a Japanese comma `、` where TOML expects `,`",
                "読点 `、` が入っています。TOML では半角の `,` で区切ります"
            ),
            t!("Japanese comma", "読点"),
        ),
        SlipKind::Other => (
            t!(
                "a full-width `{c}` where TOML expects `{m}`",
                "全角の `{c}` が入っています。TOML では半角の `{m}` を使います"
            ),
            t!("full-width `{c}`", "全角の `{c}`"),
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
fn list_header(text: TomlText<'_>, scan: &Scan, lines: &Lines, line: usize) -> Option<Diagnostic> {
    let here = scan
        .headers
        .iter()
        .find(|h| lines.of(h.open.start) == line)?;
    let same = || scan.headers.iter().filter(|h| h.key == here.key);
    let list = same().find(|h| h.double)?;
    let single = if here.double {
        same().find(|h| !h.double)?
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
            "ここも `[[{key}]]` と書いてください（下の見出しと同じ形です）"
        )
    } else {
        t!(
            "write `[[{key}]]` here, like the header above",
            "ここも `[[{key}]]` と書いてください（上の見出しと同じ形です）"
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
            "one table, not an entry of the list",
            "一覧の要素ではなく、ひとつのテーブルです"
        ))
        .hint(hint),
    )
}

/// The same `[x]` header twice: where the first one is.
fn duplicate_header(scan: &Scan, lines: &Lines, line: usize) -> Option<Text> {
    let here = scan
        .headers
        .iter()
        .find(|h| lines.of(h.open.start) == line)?;
    if here.double {
        return None;
    }
    scan.headers
        .iter()
        .find(|h| h.key == here.key && !h.double && h.open.start < here.open.start)?;
    let key = &here.written;
    Some(t!(
        "`[{key}]` already starts a table above: put the two together",
        "`[{key}]` は上にもあります。ひとつにまとめてください"
    ))
}

/// The parser's message, as it is in English, translated in Japanese.
fn translated(message: &str) -> Text {
    let first = message.lines().next().unwrap_or(message);
    let (what, expected) = match first.split_once(", expected ") {
        Some((w, e)) => (w, Some(e)),
        None => (first, None),
    };
    let ja = japanese(what);
    let expected = match expected {
        // What the parser expects there says nothing more than the message.
        _ if what == "string values must be quoted" => String::new(),
        Some("nothing") => "（ここには何も書けません）".to_string(),
        Some(e) => format!(
            "（ここに書けるのは {} です）",
            e.split(", ")
                .map(|x| match x {
                    "letters" => "英字",
                    "numbers" | "digits" => "数字",
                    "newline" => "改行",
                    "key" => "キー",
                    "value" => "値",
                    "literal string" | "basic string" => "文字列",
                    "multi-line basic string" => "複数行の文字列",
                    "characters" | "printable characters" => "文字",
                    "unicode hexadecimal value" => "16 進数",
                    other => other,
                })
                .collect::<Vec<_>>()
                .join("、")
        ),
        None => String::new(),
    };
    t!(
        "invalid TOML: {first}",
        "TOML の書き方に誤りがあります: {ja}{expected}"
    )
}

/// The parser's description of an error, in Japanese.
fn japanese(what: &str) -> String {
    let ja = match what {
        "invalid unquoted key" => "引用符なしのキーに使えない文字があります",
        "unquoted keys cannot be empty" => "キーが空です",
        "string values must be quoted" => "文字列の値は `\"` で囲んでください",
        "duplicate key" => "同じキーが 2 回書かれています",
        "key with no value" | "missing value for key" => "キーに値がありません",
        "missing value" => "値がありません",
        "invalid value" => "値が正しくありません",
        "missing opening quote" => "開きの引用符がありません",
        "missing comma between array elements" => "配列の要素の間に `,` がありません",
        "missing comma between key-value pairs" => "キーと値の組の間に `,` がありません",
        "missing assignment between key-value pairs" => "キーと値の間に `=` がありません",
        "extra assignment between key-value pairs" | "extra `=`" => "余分な `=` があります",
        "extra comma in array" | "extra comma in inline table" => "余分な `,` があります",
        "unexpected `=` in array" => "配列の中に `=` は書けません",
        "unclosed array" => "配列が `]` で閉じられていません",
        "unclosed inline table" => "インラインテーブルが `}` で閉じられていません",
        "unclosed table" => "テーブルの見出しが `]` で閉じられていません",
        "unclosed array table" => "テーブルの配列の見出しが `]]` で閉じられていません",
        "missing array opening" => "配列の `[` がありません",
        "missing inline table opening" => "インラインテーブルの `{` がありません",
        "missing table open" => "テーブルの見出しの `[` がありません",
        "missing key for inline table element" => "インラインテーブルの要素にキーがありません",
        "invalid inline table element" => "インラインテーブルの要素が正しくありません",
        "invalid key-value pair" => "キーと値の組が正しくありません",
        "invalid key" => "キーが正しくありません",
        "invalid table" => "テーブルが正しくありません",
        "unexpected key or value" => "行の終わりに余分なキーまたは値があります",
        "unexpected content" => "余分な文字があります",
        "unexpected content between comment and newline" => "コメントの後に余分な文字があります",
        "invalid comment character" => "コメントに使えない文字があります",
        "missing comment start" => "コメントの `#` がありません",
        "invalid string" | "invalid basic string" => "文字列が正しくありません",
        "invalid multi-line basic string" => "複数行の文字列が正しくありません",
        "invalid literal string" => "`'` で囲んだ文字列が正しくありません",
        "invalid multi-line literal string" => "`'''` で囲んだ文字列が正しくありません",
        "missing escaped value" => "`\\` の後にエスケープする文字がありません",
        "too few unicode value digits" => "`\\u` の後の 16 進数の桁が足りません",
        "keys cannot be multi-line basic strings" | "keys cannot be multi-line literal strings" => {
            "キーに複数行の文字列は使えません"
        }
        "carriage return must be followed by newline" => "CR の後に改行（LF）がありません",
        "`_` may only go between digits" => "`_` は数字と数字の間にだけ書けます",
        "integers with a radix cannot be signed" => "16・8・2 進数の整数に符号は付けられません",
        "radix must be lowercase" => "`0x`・`0o`・`0b` は小文字で書いてください",
        "redundant integer number prefix" => "整数の接頭辞が重複しています",
        "redundant numeric sign" => "符号が重複しています",
        "unexpected leading zero" => "数値の先頭に余分な `0` があります",
        "unexpected sign" => "ここに符号は書けません",
        "invalid integer number" => "整数が正しくありません",
        "invalid float" | "invalid fraction" | "invalid exponent" | "invalid mantissa" => {
            "小数が正しくありません"
        }
        "invalid hexadecimal number" | "invalid octal number" | "invalid binary number" => {
            "整数が正しくありません"
        }
        "invalid boolean" => "真偽値は `true` か `false` で書いてください",
        "invalid date-time" => "日付・時刻が正しくありません",
        "cannot recurse further; max recursion depth met" => "入れ子が深すぎます",
        w if w.starts_with("cannot extend value of type") => {
            "すでにある値に、ドットで区切ったキーで書き足すことはできません"
        }
        other => return other.to_string(),
    };
    ja.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_translated_with_what_is_expected() {
        let t = translated("missing opening quote, expected `\"`");
        assert_eq!(t.en(), "invalid TOML: missing opening quote, expected `\"`");
        assert_eq!(
            t.ja(),
            "TOML の書き方に誤りがあります: 開きの引用符がありません（ここに書けるのは `\"` です）"
        );
        let t = translated("invalid unquoted key, expected letters, numbers, `-`, `_`");
        assert_eq!(
            t.ja(),
            "TOML の書き方に誤りがあります: 引用符なしのキーに使えない文字があります（ここに書けるのは 英字、数字、`-`、`_` です）"
        );
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
